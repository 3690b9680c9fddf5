// SPDX-License-Identifier: MIT
// Field positions, encodings, access and features of PMCR_EL0, PMEVTYPER<n>_EL0, PMXEVTYPER_EL0,
// PMCCFILTR_EL0, PMICFILTR_EL0, PMUSERENR_EL0, PMMIR_EL1, PMCEID0_EL0 and PMCEID1_EL0. Every expected
// value is read off the Arm ARM DDI0487 M.a.a text (section in each row's comment), not off the data files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodingOf } from '../../src/arch/catalogue.js';
import { field, lookupField } from '../../src/arch/fields.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';
import type { RegisterDef } from '../../src/arch/registers/types.js';

function reg(name: string): RegisterDef {
  const def = REGISTERS.find((r) => r.name === name);
  assert.ok(def, `register ${name} is in the catalogue`);
  return def;
}

/** [register, field, msb, lsb]; the comment names the Arm ARM field heading. */
const POSITIONS: [string, string, number, number][] = [
  ['PMCR_EL0', 'FZS', 32, 32], // D24.5.8 "FZS, bit [32]"
  ['PMCR_EL0', 'IMP', 31, 24], // D24.5.8 "IMP, bits [31:24]"
  ['PMCR_EL0', 'IDCODE', 23, 16], // D24.5.8 "IDCODE, bits [23:16]"
  ['PMCR_EL0', 'N', 15, 11], // D24.5.8 "N, bits [15:11]"
  ['PMCR_EL0', 'FZO', 9, 9], // D24.5.8 "FZO, bit [9]"
  ['PMCR_EL0', 'LP', 7, 7], // D24.5.8 "LP, bit [7]"
  ['PMCR_EL0', 'LC', 6, 6], // D24.5.8 "LC, bit [6]"
  ['PMCR_EL0', 'DP', 5, 5], // D24.5.8 "DP, bit [5]"
  ['PMCR_EL0', 'X', 4, 4], // D24.5.8 "X, bit [4]"
  ['PMCR_EL0', 'D', 3, 3], // D24.5.8 "D, bit [3]"
  ['PMCR_EL0', 'C', 2, 2], // D24.5.8 "C, bit [2]"
  ['PMCR_EL0', 'P', 1, 1], // D24.5.8 "P, bit [1]"
  ['PMCR_EL0', 'E', 0, 0], // D24.5.8 "E, bit [0]"
  ['PMEVTYPER<n>_EL0', 'TC', 63, 61], // D24.5.12 "TC, bits [63:61]"
  ['PMEVTYPER<n>_EL0', 'TE', 60, 60], // D24.5.12 "TE, bit [60]"
  ['PMEVTYPER<n>_EL0', 'SYNC', 58, 58], // D24.5.12 "SYNC, bit [58]"
  ['PMEVTYPER<n>_EL0', 'VS', 57, 56], // D24.5.12 "VS, bits [57:56]"
  ['PMEVTYPER<n>_EL0', 'TLC', 55, 54], // D24.5.12 "TLC, bits [55:54]"
  ['PMEVTYPER<n>_EL0', 'TH', 43, 32], // D24.5.12 "TH, bits [43:32]"
  ['PMEVTYPER<n>_EL0', 'P', 31, 31], // D24.5.12 "P, bit [31]"
  ['PMEVTYPER<n>_EL0', 'U', 30, 30], // D24.5.12 "U, bit [30]"
  ['PMEVTYPER<n>_EL0', 'NSK', 29, 29], // D24.5.12 "NSK, bit [29]"
  ['PMEVTYPER<n>_EL0', 'NSU', 28, 28], // D24.5.12 "NSU, bit [28]"
  ['PMEVTYPER<n>_EL0', 'NSH', 27, 27], // D24.5.12 "NSH, bit [27]"
  ['PMEVTYPER<n>_EL0', 'M', 26, 26], // D24.5.12 "M, bit [26]"
  ['PMEVTYPER<n>_EL0', 'MT', 25, 25], // D24.5.12 "MT, bit [25]"
  ['PMEVTYPER<n>_EL0', 'SH', 24, 24], // D24.5.12 "SH, bit [24]"
  ['PMEVTYPER<n>_EL0', 'RLK', 22, 22], // D24.5.12 "RLK, bit [22]"
  ['PMEVTYPER<n>_EL0', 'RLU', 21, 21], // D24.5.12 "RLU, bit [21]"
  ['PMEVTYPER<n>_EL0', 'RLH', 20, 20], // D24.5.12 "RLH, bit [20]"
  ['PMEVTYPER<n>_EL0', 'evtCount', 15, 0], // D24.5.12 "evtCount[15:10], bits [15:10]" + "evtCount[9:0]"
  ['PMXEVTYPER_EL0', 'EVTYPERn', 63, 0], // D24.5.28 "EVTYPERn, bits [63:0]"
  ['PMCCFILTR_EL0', 'VS', 57, 56], // D24.5.1 "VS, bits [57:56]"
  ['PMCCFILTR_EL0', 'P', 31, 31], // D24.5.1 "P, bit [31]"
  ['PMCCFILTR_EL0', 'NSH', 27, 27], // D24.5.1 "NSH, bit [27]"
  ['PMCCFILTR_EL0', 'M', 26, 26], // D24.5.1 "M, bit [26]"
  ['PMCCFILTR_EL0', 'SH', 24, 24], // D24.5.1 "SH, bit [24]"
  ['PMCCFILTR_EL0', 'RLH', 20, 20], // D24.5.1 "RLH, bit [20]"
  ['PMICFILTR_EL0', 'SYNC', 58, 58], // D24.5.14 "SYNC, bit [58]"
  ['PMICFILTR_EL0', 'VS', 57, 56], // D24.5.14 "VS, bits [57:56]"
  ['PMICFILTR_EL0', 'U', 30, 30], // D24.5.14 "U, bit [30]"
  ['PMICFILTR_EL0', 'RLK', 22, 22], // D24.5.14 "RLK, bit [22]"
  ['PMICFILTR_EL0', 'evtCount', 15, 0], // D24.5.14 "evtCount, bits [15:0]"
  ['PMUSERENR_EL0', 'TID', 6, 6], // D24.5.26 "TID, bit [6]"
  ['PMUSERENR_EL0', 'IR', 5, 5], // D24.5.26 "IR, bit [5]"
  ['PMUSERENR_EL0', 'UEN', 4, 4], // D24.5.26 "UEN, bit [4]"
  ['PMUSERENR_EL0', 'ER', 3, 3], // D24.5.26 "ER, bit [3]"
  ['PMUSERENR_EL0', 'CR', 2, 2], // D24.5.26 "CR, bit [2]"
  ['PMUSERENR_EL0', 'SW', 1, 1], // D24.5.26 "SW, bit [1]"
  ['PMUSERENR_EL0', 'EN', 0, 0], // D24.5.26 "EN, bit [0]"
  ['PMMIR_EL1', 'SME', 28, 28], // D24.5.19 "SME, bit [28]"
  ['PMMIR_EL1', 'EDGE', 27, 24], // D24.5.19 "EDGE, bits [27:24]"
  ['PMMIR_EL1', 'THWIDTH', 23, 20], // D24.5.19 "THWIDTH, bits [23:20]"
  ['PMMIR_EL1', 'BUS_WIDTH', 19, 16], // D24.5.19 "BUS_WIDTH, bits [19:16]"
  ['PMMIR_EL1', 'BUS_SLOTS', 15, 8], // D24.5.19 "BUS_SLOTS, bits [15:8]"
  ['PMMIR_EL1', 'SLOTS', 7, 0], // D24.5.19 "SLOTS, bits [7:0]"
  ['PMCEID0_EL0', 'IDhi', 63, 32], // D24.5.4 "IDhi<n>, bits [n+32], for n = 31 to 0"
  ['PMCEID0_EL0', 'ID', 31, 0], // D24.5.4 "ID<n>, bits [n], for n = 31 to 0"
  ['PMCEID1_EL0', 'IDhi', 63, 32], // D24.5.5 "IDhi<n>, bits [n+32], for n = 31 to 0"
  ['PMCEID1_EL0', 'ID', 31, 0], // D24.5.5 "ID<n>, bits [n], for n = 31 to 0"
];

/** [register, bit]: bits the Arm ARM gives as "Reserved, RES0". */
const RES0_BITS: [string, number][] = [
  ['PMCR_EL0', 63], // D24.5.8 "Bits [63:33] Reserved, RES0"
  ['PMCR_EL0', 33], // D24.5.8 "Bits [63:33] Reserved, RES0"
  ['PMCR_EL0', 10], // D24.5.8 "Bit [10] Reserved, RES0"
  ['PMCR_EL0', 8], // D24.5.8 "Bit [8] Reserved, RES0"
  ['PMEVTYPER<n>_EL0', 59], // D24.5.12 "Bit [59] Reserved, RES0"
  ['PMEVTYPER<n>_EL0', 23], // D24.5.12 "Bit [23] Reserved, RES0"
  ['PMEVTYPER<n>_EL0', 16], // D24.5.12 "Bits [19:16] Reserved, RES0"
  ['PMCCFILTR_EL0', 25], // D24.5.1 "Bit [25] Reserved, RES0"
  ['PMCCFILTR_EL0', 0], // D24.5.1 "Bits [19:0] Reserved, RES0"
  ['PMICFILTR_EL0', 23], // D24.5.14 "Bit [23] Reserved, RES0"
  ['PMUSERENR_EL0', 7], // D24.5.26 "Bits [63:7] Reserved, RES0"
  ['PMMIR_EL1', 29], // D24.5.19 "Bits [63:29] Reserved, RES0"
];

/** [register, op0, op1, CRn, CRm, op2], from each "Accessing ..." encoding table. */
const ENCODINGS: [string, number, number, number, number, number][] = [
  ['PMCR_EL0', 3, 3, 9, 12, 0], // D24.5.8: 0b11 0b011 0b1001 0b1100 0b000
  ['PMEVTYPER<n>_EL0', 3, 3, 14, 12, 0], // D24.5.12: 0b11 0b011 0b1110 0b11:m[4:3] m[2:0], m = 0
  ['PMXEVTYPER_EL0', 3, 3, 9, 13, 1], // D24.5.28: 0b11 0b011 0b1001 0b1101 0b001
  ['PMCCFILTR_EL0', 3, 3, 14, 15, 7], // D24.5.1: 0b11 0b011 0b1110 0b1111 0b111
  ['PMICFILTR_EL0', 3, 3, 9, 6, 0], // D24.5.14: 0b11 0b011 0b1001 0b0110 0b000
  ['PMUSERENR_EL0', 3, 3, 9, 14, 0], // D24.5.26: 0b11 0b011 0b1001 0b1110 0b000
  ['PMMIR_EL1', 3, 0, 9, 14, 6], // D24.5.19: 0b11 0b000 0b1001 0b1110 0b110
  ['PMCEID0_EL0', 3, 3, 9, 12, 6], // D24.5.4: 0b11 0b011 0b1001 0b1100 0b110
  ['PMCEID1_EL0', 3, 3, 9, 12, 7], // D24.5.5: 0b11 0b011 0b1001 0b1100 0b111
];

/** [register, field, access] for fields whose access differs from the register's. */
const FIELD_ACCESS: [string, string, 'RO' | 'WO'][] = [
  ['PMCR_EL0', 'N', 'RO'], // D24.5.8 N: "Access to this field is RO."
  ['PMCR_EL0', 'IMP', 'RO'], // D24.5.8 IMP: "Access to this field is RO."
  ['PMCR_EL0', 'C', 'WO'], // D24.5.8 C: "Access to this field is WO/RAZ."
  ['PMCR_EL0', 'P', 'WO'], // D24.5.8 P: "Access to this field is WO/RAZ."
  ['PMICFILTR_EL0', 'evtCount', 'RO'], // D24.5.14 evtCount: "Reads as 0x0008 ... RO."
];

/** [register, field, feature] from "When FEAT_x is implemented" in the field heading. */
const FIELD_FEATURES: [string, string, string][] = [
  ['PMCR_EL0', 'FZS', 'FEAT_SPEv1p2'], // D24.5.8 FZS
  ['PMCR_EL0', 'FZO', 'FEAT_PMUv3p7'], // D24.5.8 FZO
  ['PMCR_EL0', 'LP', 'FEAT_PMUv3p5'], // D24.5.8 LP
  ['PMEVTYPER<n>_EL0', 'TE', 'FEAT_PMUv3_EDGE'], // D24.5.12 TE
  ['PMEVTYPER<n>_EL0', 'SYNC', 'FEAT_SEBEP'], // D24.5.12 SYNC
  ['PMEVTYPER<n>_EL0', 'VS', 'FEAT_PMUv3_SME'], // D24.5.12 VS
  ['PMEVTYPER<n>_EL0', 'TLC', 'FEAT_PMUv3_TH2'], // D24.5.12 TLC
  ['PMEVTYPER<n>_EL0', 'TH', 'FEAT_PMUv3_TH'], // D24.5.12 TH
  ['PMEVTYPER<n>_EL0', 'RLK', 'FEAT_RME'], // D24.5.12 RLK
  ['PMUSERENR_EL0', 'TID', 'FEAT_PMUv3p9'], // D24.5.26 TID
  ['PMUSERENR_EL0', 'IR', 'FEAT_PMUv3_ICNTR'], // D24.5.26 IR
  ['PMUSERENR_EL0', 'UEN', 'FEAT_PMUv3p9'], // D24.5.26 UEN
  ['PMCEID0_EL0', 'IDhi', 'FEAT_PMUv3p1'], // D24.5.4 IDhi<n>
  ['PMCEID1_EL0', 'IDhi', 'FEAT_PMUv3p1'], // D24.5.5 IDhi<n>
];

describe('PMU registers (part a): field positions from the Arm ARM', () => {
  for (const [name, fieldName, msb, lsb] of POSITIONS) {
    test(`${name}.${fieldName} is [${msb}:${lsb}]`, () => {
      assert.deepEqual(lookupField(reg(name), fieldName).bits, [msb, lsb]);
    });
  }
  for (const [name, bit] of RES0_BITS) {
    test(`${name} bit ${bit} is RES0`, () => {
      const f = reg(name).fields.find((x) => x.bits[0] >= bit && x.bits[1] <= bit);
      assert.equal(f?.name, 'RES0');
    });
  }
});

describe('PMU registers (part a): encodings from the Arm ARM', () => {
  for (const [name, op0, op1, crn, crm, op2] of ENCODINGS) {
    test(`${name} is S${op0}_${op1}_C${crn}_C${crm}_${op2}`, () => {
      assert.deepEqual(reg(name).encoding, { op0, op1, crn, crm, op2 });
    });
  }
  test('PMEVTYPER30_EL0 is CRm 0b1111, op2 0b110 (D24.5.12: CRm = 0b11:m[4:3], op2 = m[2:0])', () => {
    assert.deepEqual(encodingOf(reg('PMEVTYPER<n>_EL0'), 30), { op0: 3, op1: 3, crn: 14, crm: 15, op2: 6 });
  });
  test('PMEVTYPER<n>_EL0 has n = 0 - 30 (D24.5.12 title)', () => {
    assert.equal(reg('PMEVTYPER<n>_EL0').index?.max, 30);
  });
});

describe('PMU registers (part a): access and features from the Arm ARM', () => {
  for (const [name, fieldName, access] of FIELD_ACCESS) {
    test(`${name}.${fieldName} is ${access}`, () => {
      assert.equal(field(reg(name), fieldName).access, access);
    });
  }
  for (const [name, fieldName, feature] of FIELD_FEATURES) {
    test(`${name}.${fieldName} needs ${feature}`, () => {
      assert.equal(field(reg(name), fieldName).feature, feature);
    });
  }
  test('PMICFILTR_EL0.evtCount reads as 0x0008 (D24.5.14 evtCount)', () => {
    assert.deepEqual(
      field(reg('PMICFILTR_EL0'), 'evtCount').values?.map((v) => v.value),
      [0x0008],
    );
  });
  test('PMICFILTR_EL0 needs FEAT_PMUv3_ICNTR (D24.5.14 Configuration)', () => {
    assert.equal(reg('PMICFILTR_EL0').feature, 'FEAT_PMUv3_ICNTR');
  });
  test('PMMIR_EL1 needs FEAT_PMUv3p4 and is UNDEFINED at EL0, RO above (D24.5.19 MRS, no MSR)', () => {
    const def = reg('PMMIR_EL1');
    assert.equal(def.feature, 'FEAT_PMUv3p4');
    assert.deepEqual(def.access, { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' });
  });
  test('PMUSERENR_EL0 is RO at EL0 (MSR at EL0 UNDEFINED) and RW at EL1+ (D24.5.26 accessors)', () => {
    assert.deepEqual(reg('PMUSERENR_EL0').access, { el0: 'RO', el1: 'RW', el2: 'RW', el3: 'RW' });
  });
  test('PMCEID0_EL0 and PMCEID1_EL0 are read-only (D24.5.4, D24.5.5: MRS only)', () => {
    for (const name of ['PMCEID0_EL0', 'PMCEID1_EL0']) {
      assert.deepEqual(reg(name).access, { el0: 'RO', el1: 'RO', el2: 'RO', el3: 'RO' });
    }
  });
  test('every register has the Arm ARM section of its description', () => {
    const sections: [string, string][] = [
      ['PMCCFILTR_EL0', 'D24.5.1'],
      ['PMCEID0_EL0', 'D24.5.4'],
      ['PMCEID1_EL0', 'D24.5.5'],
      ['PMCR_EL0', 'D24.5.8'],
      ['PMEVTYPER<n>_EL0', 'D24.5.12'],
      ['PMICFILTR_EL0', 'D24.5.14'],
      ['PMMIR_EL1', 'D24.5.19'],
      ['PMUSERENR_EL0', 'D24.5.26'],
      ['PMXEVTYPER_EL0', 'D24.5.28'],
    ];
    for (const [name, section] of sections) assert.equal(reg(name).section, section, name);
  });
});
