// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/arch/errors.js';
import {
  ecMeaning,
  parseKvmSysregLine,
  splitSyndrome,
  sysregTrapOfIss,
  trapShortText,
  trapText,
} from '../../src/arch/syndrome.js';

describe('ESR_ELx syndromes (Arm ARM D24.2.46)', () => {
  test('EC [31:26], IL [25], ISS [24:0] of 0x623af871', () => {
    // 0x623af871 = 0b0110_0010_0011_1010_1111_1000_0111_0001: bits [31:26] = 0b011000 = 0x18,
    // bit 25 = 1, bits [24:0] = 0x3af871.
    const s = splitSyndrome(0x623af871n);
    assert.equal(s.ec, 0x18);
    assert.equal(s.il, 1);
    assert.equal(s.iss, 0x3af871);
    assert.equal(s.iss2, 0);
    assert.equal(s.res0, 0);
  });
  test('the ISS of EC 0x18 is the instruction: MRS x3, PMEVCNTR5_EL0', () => {
    // ISS 0x3af871 = 0b11_101_011_1110_00011_1000_1: Op0 [21:20] = 3, Op2 [19:17] = 5,
    // Op1 [16:14] = 3, CRn [13:10] = 14, Rt [9:5] = 3, CRm [4:1] = 8, Direction [0] = 1 (read).
    // PMEVCNTR<n>_EL0 is op0 3, op1 3, CRn 14, CRm 0b10:n<4:3>, op2 n<2:0> (D24.5.10): n = 5.
    const t = sysregTrapOfIss(0x3af871);
    assert.deepEqual(t, { encoding: { op0: 3, op1: 3, crn: 14, crm: 8, op2: 5 }, rt: 3, read: true });
    assert.equal(trapText(t), 'mrs x3, PMEVCNTR5_EL0 (Op0 3 Op1 3 CRn 14 CRm 8 Op2 5), read');
    assert.equal(trapShortText(t), 'mrs x3, PMEVCNTR5_EL0, read');
  });
  test('a write with Rt = 31 is msr REG, xzr; an encoding the catalogue lacks is named generically', () => {
    // PMCR_EL0 is op0 3, op1 3, CRn 9, CRm 12, op2 0 (D24.5.8): ISS = 3<<20 | 3<<14 | 9<<10 |
    // 31<<5 | 12<<1 | 0 = 0x30e7f8.
    assert.equal(trapShortText(sysregTrapOfIss(0x30e7f8)), 'msr PMCR_EL0, xzr, write');
    // Op0 3, everything else 0, Rt 0, read: MIDR_EL1's encoding, not in the catalogue.
    assert.equal(trapShortText(sysregTrapOfIss(0x300001)), 'mrs x0, S3_0_C0_C0_0, read');
  });
  test('EC names: 0x00 unknown reason, 0x18 trapped MSR/MRS, 0x16 HVC (D24.2.46 ESR_EL2.EC)', () => {
    assert.match(ecMeaning(0x00), /^Unknown reason/);
    assert.match(ecMeaning(0x18), /^Trapped MSR, MRS or System instruction/);
    assert.match(ecMeaning(0x16), /HVC instruction, AArch64/);
    assert.match(ecMeaning(0x02), /Unallocated/);
  });
  test('a KVM log line: the encoding and direction, with no Rt', () => {
    const line =
      'Unsupported guest sys_reg access at: ffff800080123456 [00000000] { Op0( 3), Op1( 3), CRn( 9), CRm(12), Op2( 0), func_read }';
    const t = parseKvmSysregLine(line);
    assert.deepEqual(t, { encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 0 }, read: true });
    assert.equal(trapShortText(t), 'mrs x?, PMCR_EL0, read');
    assert.throws(() => parseKvmSysregLine('{ Op0( 3), Op1( 9) }'), InputError);
  });
  test('a value over 64 bits is an InputError', () => {
    assert.throws(() => splitSyndrome(1n << 64n), InputError);
  });
});
