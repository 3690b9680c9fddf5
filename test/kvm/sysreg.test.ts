// SPDX-License-Identifier: MIT
// The MDCR_EL2 arithmetic of the policies: masks at the Arm ARM's bit positions (D24.3.17
// MDCR_EL2: HPMN [4:0], TPMCR 5, TPM 6, HPME 7, TDE 8, TDA 9, TDOSA 10, TDRA 11, TPMS 14, HPMD 17,
// TTRF 19, HCCD 23; PMSSE [31:30]; HPMFZS 36), and FIELD_PREP()/FIELD_GET() as
// include/linux/bitfield.h computes them on a u64 (the value converted to u64, shifted, masked).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fieldGet,
  fieldPrep,
  MDCR_EL2_HCCD,
  MDCR_EL2_HPMD,
  MDCR_EL2_HPME,
  MDCR_EL2_HPMN,
  MDCR_EL2_TDA,
  MDCR_EL2_TDE,
  MDCR_EL2_TDOSA,
  MDCR_EL2_TDRA,
  MDCR_EL2_TPM,
  MDCR_EL2_TPMCR,
  MDCR_EL2_TPMS,
  MDCR_EL2_TTRF,
  mdcrEl2Value,
  mdcrMaskOf,
} from '../../src/kvm/sysreg.js';

describe('MDCR_EL2 masks as numbers', () => {
  test('each at its bit position', () => {
    assert.equal(MDCR_EL2_HPMN, 0x1f);
    const bits: [number, number][] = [
      [MDCR_EL2_TPMCR, 5],
      [MDCR_EL2_TPM, 6],
      [MDCR_EL2_HPME, 7],
      [MDCR_EL2_TDE, 8],
      [MDCR_EL2_TDA, 9],
      [MDCR_EL2_TDOSA, 10],
      [MDCR_EL2_TDRA, 11],
      [MDCR_EL2_TPMS, 14],
      [MDCR_EL2_HPMD, 17],
      [MDCR_EL2_TTRF, 19],
      [MDCR_EL2_HCCD, 23],
    ];
    for (const [mask, bit] of bits) assert.equal(mask, 2 ** bit, `bit ${bit}`);
  });
  test('a field with bit 31 widens to its 64-bit value; a field above bit 31 is refused', () => {
    assert.equal(mdcrEl2Value(mdcrMaskOf('PMSSE')), 0xc000_0000n);
    assert.equal(mdcrEl2Value(mdcrMaskOf('PMSSE') | MDCR_EL2_TPM), 0xc000_0040n);
    assert.throws(() => mdcrMaskOf('HPMFZS'), /MDCR_EL2\.HPMFZS lies above bit 31/);
  });
});

describe('FIELD_PREP() and FIELD_GET() on MDCR_EL2.HPMN', () => {
  test('the value converted to u64 then masked: -1 and 255 give 31, 32 gives 0', () => {
    assert.equal(fieldPrep(MDCR_EL2_HPMN, 6), 6);
    assert.equal(fieldPrep(MDCR_EL2_HPMN, -1), 31);
    assert.equal(fieldPrep(MDCR_EL2_HPMN, 255), 31);
    assert.equal(fieldPrep(MDCR_EL2_HPMN, 32), 0);
  });
  test('a shifted field: FIELD_PREP(TPM, 1) is bit 6, FIELD_PREP(TPM, 2) is 0', () => {
    assert.equal(fieldPrep(MDCR_EL2_TPM, 1), 1 << 6);
    assert.equal(fieldPrep(MDCR_EL2_TPM, 2), 0);
  });
  test('FIELD_GET of a number and of the 64-bit register, high bits ignored', () => {
    assert.equal(fieldGet(MDCR_EL2_HPMN, 0x46), 6);
    assert.equal(fieldGet(MDCR_EL2_HPMN, (1n << 36n) | 0x46n), 6);
    assert.equal(fieldGet(MDCR_EL2_TPM, 0x46n), 1);
    assert.equal(fieldGet(mdcrMaskOf('PMSSE'), 0x8000_0000n), 2);
  });
});
