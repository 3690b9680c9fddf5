// SPDX-License-Identifier: MIT
// Register data for the PMU counter, enable, overflow, interrupt-enable, select, increment, zero and
// user-access registers, checked against Arm ARM DDI0487 M.a.a D24.5 (each row cites its section).
// Expected values are read off the Arm ARM text (field headings and "Accessing ..." encoding
// tables), not off the data files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRegister, encodingOf, lookupRegister } from '../../src/arch/catalogue.js';
import { fieldMask, lookupField } from '../../src/arch/fields.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';

/** [register instance, op0, op1, CRn, CRm, op2] */
type EncodingRow = [string, number, number, number, number, number];

const ENCODINGS: EncodingRow[] = [
  ['PMCCNTR_EL0', 3, 3, 9, 13, 0], // D24.5.2: 0b11 0b011 0b1001 0b1101 0b000
  ['PMCNTENCLR_EL0', 3, 3, 9, 12, 2], // D24.5.6: 0b11 0b011 0b1001 0b1100 0b010
  ['PMCNTENSET_EL0', 3, 3, 9, 12, 1], // D24.5.7: 0b11 0b011 0b1001 0b1100 0b001
  ['PMEVCNTR0_EL0', 3, 3, 14, 8, 0], // D24.5.10: CRm 0b10:m[4:3], op2 m[2:0], m = 0
  ['PMEVCNTR5_EL0', 3, 3, 14, 8, 5], // D24.5.10: m = 0b00101
  ['PMEVCNTR8_EL0', 3, 3, 14, 9, 0], // D24.5.10: m = 0b01000
  ['PMEVCNTR30_EL0', 3, 3, 14, 11, 6], // D24.5.10: m = 0b11110
  ['PMICNTR_EL0', 3, 3, 9, 4, 0], // D24.5.15: 0b11 0b011 0b1001 0b0100 0b000
  ['PMINTENCLR_EL1', 3, 0, 9, 14, 2], // D24.5.17: 0b11 0b000 0b1001 0b1110 0b010
  ['PMINTENSET_EL1', 3, 0, 9, 14, 1], // D24.5.18: 0b11 0b000 0b1001 0b1110 0b001
  ['PMOVSCLR_EL0', 3, 3, 9, 12, 3], // D24.5.20: 0b11 0b011 0b1001 0b1100 0b011
  ['PMOVSSET_EL0', 3, 3, 9, 14, 3], // D24.5.21: 0b11 0b011 0b1001 0b1110 0b011
  ['PMSELR_EL0', 3, 3, 9, 12, 5], // D24.5.22: 0b11 0b011 0b1001 0b1100 0b101
  ['PMSWINC_EL0', 3, 3, 9, 12, 4], // D24.5.24: 0b11 0b011 0b1001 0b1100 0b100
  ['PMUACR_EL1', 3, 0, 9, 14, 4], // D24.5.25: 0b11 0b000 0b1001 0b1110 0b100
  ['PMXEVCNTR_EL0', 3, 3, 9, 13, 2], // D24.5.27: 0b11 0b011 0b1001 0b1101 0b010
  ['PMZR_EL0', 3, 3, 9, 13, 4], // D24.5.29: 0b11 0b011 0b1001 0b1101 0b100
];

/** [register, field, msb, lsb, feature that adds the field ("When FEAT_x is implemented") or null] */
type FieldRow = [string, string, number, number, string | null];

const FIELDS: FieldRow[] = [
  ['PMCCNTR_EL0', 'CCNT', 63, 0, null], // D24.5.2 "CCNT, bits [63:0]"
  ['PMCNTENCLR_EL0', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.6 "F0, bit [32]"
  ['PMCNTENCLR_EL0', 'C', 31, 31, null], // D24.5.6 "C, bit [31]"
  ['PMCNTENCLR_EL0', 'P', 30, 0, null], // D24.5.6 "P<m>, bits [m], for m = 30 to 0"
  ['PMCNTENSET_EL0', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.7 "F0, bit [32]"
  ['PMCNTENSET_EL0', 'C', 31, 31, null], // D24.5.7 "C, bit [31]"
  ['PMCNTENSET_EL0', 'P', 30, 0, null], // D24.5.7 "P<m>, bits [m], for m = 30 to 0"
  ['PMEVCNTR0_EL0', 'EVCNT_HI', 63, 32, 'FEAT_PMUv3p5'], // D24.5.10: EVCNT [63:0] with FEAT_PMUv3p5, else RES0
  ['PMEVCNTR0_EL0', 'EVCNT', 31, 0, null], // D24.5.10 "EVCNT, bits [31:0]" (without FEAT_PMUv3p5)
  ['PMICNTR_EL0', 'ICNT', 63, 0, null], // D24.5.15 "ICNT, bits [63:0]"
  ['PMINTENCLR_EL1', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.17 "F0, bit [32]"
  ['PMINTENCLR_EL1', 'C', 31, 31, null], // D24.5.17 "C, bit [31]"
  ['PMINTENCLR_EL1', 'P', 30, 0, null], // D24.5.17 "P<m>, bits [m], for m = 30 to 0"
  ['PMINTENSET_EL1', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.18 "F0, bit [32]"
  ['PMINTENSET_EL1', 'C', 31, 31, null], // D24.5.18 "C, bit [31]"
  ['PMINTENSET_EL1', 'P', 30, 0, null], // D24.5.18 "P<m>, bits [m], for m = 30 to 0"
  ['PMOVSCLR_EL0', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.20 "F0, bit [32]"
  ['PMOVSCLR_EL0', 'C', 31, 31, null], // D24.5.20 "C, bit [31]"
  ['PMOVSCLR_EL0', 'P', 30, 0, null], // D24.5.20 "P<m>, bits [m], for m = 30 to 0"
  ['PMOVSSET_EL0', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.21 "F0, bit [32]"
  ['PMOVSSET_EL0', 'C', 31, 31, null], // D24.5.21 "C, bit [31]"
  ['PMOVSSET_EL0', 'P', 30, 0, null], // D24.5.21 "P<m>, bits [m], for m = 30 to 0"
  ['PMSELR_EL0', 'SEL', 4, 0, null], // D24.5.22 "SEL, bits [4:0]"
  ['PMSWINC_EL0', 'P', 30, 0, null], // D24.5.24 "P<m>, bits [m], for m = 30 to 0"
  ['PMUACR_EL1', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.25 "F0, bit [32]"
  ['PMUACR_EL1', 'C', 31, 31, null], // D24.5.25 "C, bit [31]"
  ['PMUACR_EL1', 'P', 30, 0, null], // D24.5.25 "P<m>, bits [m], for m = 30 to 0"
  ['PMXEVCNTR_EL0', 'PMEVCNTR<n>_HI', 63, 32, 'FEAT_PMUv3p5'], // D24.5.27: [63:0] with FEAT_PMUv3p5, else RES0
  ['PMXEVCNTR_EL0', 'PMEVCNTR<n>', 31, 0, null], // D24.5.27 "PMEVCNTR<n>, bits [31:0]"
  ['PMZR_EL0', 'F0', 32, 32, 'FEAT_PMUv3_ICNTR'], // D24.5.29 "F0, bit [32]"
  ['PMZR_EL0', 'C', 31, 31, null], // D24.5.29 "C, bit [31]"
  ['PMZR_EL0', 'P', 30, 0, null], // D24.5.29 "P<m>, bits [m], for m = 30 to 0"
];

/** [register, lowest RES0 bit; the run reaches bit 63] */
const RES0_TOPS: [string, number][] = [
  ['PMCNTENSET_EL0', 33], // D24.5.7 "Bits [63:33] Reserved, RES0"
  ['PMINTENSET_EL1', 33], // D24.5.18 "Bits [63:33] Reserved, RES0"
  ['PMOVSCLR_EL0', 33], // D24.5.20 "Bits [63:33] Reserved, RES0"
  ['PMSELR_EL0', 5], // D24.5.22 "Bits [63:5] Reserved, RES0"
  ['PMSWINC_EL0', 31], // D24.5.24 "Bits [63:31] Reserved, RES0"
  ['PMUACR_EL1', 33], // D24.5.25 "Bits [63:33] Reserved, RES0"
  ['PMZR_EL0', 33], // D24.5.29 "Bits [63:33] Reserved, RES0"
];

type El = 'RW' | 'RO' | 'WO' | 'UNDEFINED';
/** [register, feature that adds it, access at EL0, EL1, EL2, EL3 before traps] */
type RegRow = [string, string, El, El, El, El];

const REGS: RegRow[] = [
  ['PMCCNTR_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.2 MRS and MSR at every EL
  ['PMCNTENCLR_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.6
  ['PMCNTENSET_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.7
  ['PMEVCNTR7_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.10
  ['PMICNTR_EL0', 'FEAT_PMUv3_ICNTR', 'RW', 'RW', 'RW', 'RW'], // D24.5.15 "present only when FEAT_PMUv3_ICNTR"
  ['PMINTENCLR_EL1', 'FEAT_PMUv3', 'UNDEFINED', 'RW', 'RW', 'RW'], // D24.5.17 "PSTATE.EL == EL0 then UNDEFINED"
  ['PMINTENSET_EL1', 'FEAT_PMUv3', 'UNDEFINED', 'RW', 'RW', 'RW'], // D24.5.18 "PSTATE.EL == EL0 then UNDEFINED"
  ['PMOVSCLR_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.20
  ['PMOVSSET_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.21
  ['PMSELR_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.22
  ['PMSWINC_EL0', 'FEAT_PMUv3', 'WO', 'WO', 'WO', 'WO'], // D24.5.24: only an MSR encoding
  ['PMUACR_EL1', 'FEAT_PMUv3p9', 'UNDEFINED', 'RW', 'RW', 'RW'], // D24.5.25 "PSTATE.EL == EL0 then UNDEFINED"
  ['PMXEVCNTR_EL0', 'FEAT_PMUv3', 'RW', 'RW', 'RW', 'RW'], // D24.5.27
  ['PMZR_EL0', 'FEAT_PMUv3p9', 'WO', 'WO', 'WO', 'WO'], // D24.5.29: only an MSR encoding
];

describe('PMU registers (pmu-b): encodings from the Arm ARM', () => {
  for (const [name, op0, op1, crn, crm, op2] of ENCODINGS) {
    test(`${name} is S${op0}_${op1}_C${crn}_C${crm}_${op2}`, () => {
      const ref = lookupRegister(name);
      assert.deepEqual(encodingOf(ref.def, ref.n), { op0, op1, crn, crm, op2 });
    });
  }
  test('PMEVCNTR<n>_EL0 has instances n = 0..30 (D24.5.10 "n = 0 - 30")', () => {
    assert.equal(lookupRegister('PMEVCNTR30_EL0').n, 30);
    assert.throws(() => lookupRegister('PMEVCNTR31_EL0'), /n = 0\.\.30/);
  });
});

describe('PMU registers (pmu-b): field positions from the Arm ARM', () => {
  for (const [name, fieldName, msb, lsb, feature] of FIELDS) {
    test(`${name}.${fieldName} is [${msb}:${lsb}]${feature === null ? '' : ` with ${feature}`}`, () => {
      const f = lookupField(lookupRegister(name).def, fieldName);
      assert.deepEqual(f.bits, [msb, lsb]);
      assert.equal(f.feature, feature ?? undefined);
    });
  }
  for (const [name, lsb] of RES0_TOPS) {
    test(`${name} bits [63:${lsb}] are RES0`, () => {
      const top = lookupRegister(name).def.fields[0];
      assert.ok(top !== undefined);
      assert.equal(top.name, 'RES0');
      assert.deepEqual(top.bits, [63, lsb]);
    });
  }
  test('the P<m> bits of PMCNTENSET_EL0 cover event counters 0..30 (mask 0x7fffffff)', () => {
    assert.equal(fieldMask(lookupField(lookupRegister('PMCNTENSET_EL0').def, 'P')), 0x7fff_ffffn);
  });
  test('PMSELR_EL0.SEL = 0b11111 selects the cycle counter (D24.5.22)', () => {
    const sel = lookupField(lookupRegister('PMSELR_EL0').def, 'SEL');
    assert.ok(sel.values?.some((v) => v.value === 0b11111 && /cycle counter/i.test(v.meaning)));
  });
  test('each SET/CLR pair describes one storage with the same fields (D24.5.6/.7, .17/.18, .20/.21)', () => {
    for (const [set, clr] of [
      ['PMCNTENSET_EL0', 'PMCNTENCLR_EL0'],
      ['PMINTENSET_EL1', 'PMINTENCLR_EL1'],
      ['PMOVSSET_EL0', 'PMOVSCLR_EL0'],
    ] as const) {
      assert.deepEqual(lookupRegister(set).def.fields, lookupRegister(clr).def.fields);
    }
  });
});

describe('PMU registers (pmu-b): presence and access from the Arm ARM', () => {
  for (const [name, feature, el0, el1, el2, el3] of REGS) {
    test(`${name} needs ${feature}; access ${el0}/${el1}/${el2}/${el3} at EL0..EL3`, () => {
      const def = lookupRegister(name).def;
      assert.equal(def.feature, feature);
      assert.deepEqual(def.access, { el0, el1, el2, el3 });
    });
  }
  test('every pmu-b register passes checkRegister and is in REGISTERS', () => {
    for (const [name] of REGS) {
      const def = lookupRegister(name).def;
      assert.ok(REGISTERS.includes(def));
      assert.deepEqual(checkRegister(def), []);
    }
  });
});
