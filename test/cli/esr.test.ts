// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

describe('pmup decode ESR_EL2 / ESR_EL1 (Arm ARM D24.2.46)', () => {
  test('EC 0x18 with its instruction', () => {
    // EC 0x18 << 26 | IL 1 << 25 | ISS 0x3af871 (MRS x3, PMEVCNTR5_EL0, see syndrome.test.ts).
    const esr = ((0x18 << 26) | (1 << 25) | 0x3af871) >>> 0;
    const r = runPmup(['decode', 'ESR_EL2', `0x${esr.toString(16)}`]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^ESR_EL2 = 0x00000000623af871 /);
    assert.match(r.stdout, /^\[31:26\]\s+EC\s+0x18\s+Trapped MSR, MRS or System instruction/m);
    assert.match(r.stdout, /^\[25\]\s+IL\s+0x1\s+32-bit instruction/m);
    assert.match(
      r.stdout,
      /^\[24:0\]\s+ISS\s+0x3af871\s+mrs x3, PMEVCNTR5_EL0 \(Op0 3 Op1 3 CRn 14 CRm 8 Op2 5\), read$/m,
    );
  });
  test('ESR_EL1 EC 0x00: unknown reason, no instruction', () => {
    // IL 1 alone: 0x02000000.
    const r = runPmup(['decode', 'esr_el1', '0x2000000']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\[31:26\]\s+EC\s+0x0\s+Unknown reason/m);
    assert.match(r.stdout, /^\[24:0\]\s+ISS\s+0x0\s+Instruction Specific Syndrome$/m);
  });
  test('RES0 bits [63:56] set: a problem, exit 1', () => {
    const r = runPmup(['decode', 'ESR_EL2', '0x0100000000000000']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /RES0 bits \[63:56\] are set/);
  });
  test('a pasted KVM line decodes to the instruction, Rt unknown', () => {
    const line =
      'Unsupported guest sys_reg access at: ffff80008010abcd [00000000] { Op0( 3), Op1( 3), CRn( 9), CRm(12), Op2( 0), func_read }';
    const r = runPmup(['decode', 'ESR_EL2', line]);
    assert.equal(r.status, 0, r.stderr);
    // Op0 3 Op1 3 CRn 9 CRm 12 Op2 0 is PMCR_EL0 (D24.5.8).
    assert.match(r.stdout, /mrs x\?, PMCR_EL0 \(Op0 3 Op1 3 CRn 9 CRm 12 Op2 0\), read$/m);
    const j = JSON.parse(runPmup(['decode', 'ESR_EL2', line, '--json']).stdout);
    assert.deepEqual(
      [j.instruction.op0, j.instruction.op1, j.instruction.crn, j.instruction.crm, j.instruction.op2],
      [3, 3, 9, 12, 0],
    );
  });
  test('bad input: one line, exit 2', () => {
    for (const argv of [
      ['decode', 'ESR_EL2', 'zz'],
      ['decode', 'ESR_EL2', '{ Op0( 3), func_read }'],
      ['decode', 'ESR_EL2', '0x0', '--cpu', 'neoverse-n2'],
    ]) {
      const r = runPmup(argv);
      assert.equal(r.status, 2, argv.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  });
});

describe('pmup access names the trapped instruction after the ISS', () => {
  test('EL1 read of PMEVCNTR5_EL0 trapped: (mrs x0, PMEVCNTR5_EL0, read)', () => {
    // HPMN = 4 < 5 without FEAT_FGT: one permitted behaviour traps to EL2 (D24.5.10); ISS Op0 3
    // Op2 5 Op1 3 CRn 14 Rt 0 CRm 8 read = 0x3af811 (D24.2.46).
    const r = runPmup(['access', '--cpu', 'neoverse-n2', '--set', 'MDCR_EL2=0x84', 'read', 'PMEVCNTR5_EL0']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /trap to EL2, EC 0x18, ISS 0x3af811 \(mrs x0, PMEVCNTR5_EL0, read\)$/m);
  });
});
