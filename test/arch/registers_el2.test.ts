// SPDX-License-Identifier: MIT
// Field positions, feature gates and encodings of MDCR_EL3, SCR_EL3 and the debug fine-grained
// trap registers, each row transcribed from the Arm ARM DDI0487 M.a.a text (section in the comment),
// not from the data files under test.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldMask, lookupField } from '../../src/arch/fields.js';
import { REGISTERS, type RegisterDef } from '../../src/arch/registers/mod.js';

function reg(name: string): RegisterDef {
  const def = REGISTERS.find((r) => r.name === name);
  assert.ok(def !== undefined, `${name} is in the catalogue`);
  return def;
}

/** [register, op0, op1, CRn, CRm, op2, section]: the "Accessing" encoding tables. */
const ENCODINGS: [string, number, number, number, number, number, string][] = [
  ['MDCR_EL3', 3, 6, 1, 3, 1, 'D24.3.18'], // 0b11 0b110 0b0001 0b0011 0b001
  ['SCR_EL3', 3, 6, 1, 1, 0, 'D24.2.169'], // 0b11 0b110 0b0001 0b0001 0b000
  ['HDFGRTR_EL2', 3, 4, 3, 1, 4, 'D24.2.67'], // 0b11 0b100 0b0011 0b0001 0b100
  ['HDFGWTR_EL2', 3, 4, 3, 1, 5, 'D24.2.69'], // 0b11 0b100 0b0011 0b0001 0b101
  ['HDFGRTR2_EL2', 3, 4, 3, 1, 0, 'D24.2.66'], // 0b11 0b100 0b0011 0b0001 0b000
  ['HDFGWTR2_EL2', 3, 4, 3, 1, 1, 'D24.2.68'], // 0b11 0b100 0b0011 0b0001 0b001
];

describe('encodings and sections', () => {
  for (const [name, op0, op1, crn, crm, op2, section] of ENCODINGS) {
    test(`${name} is S${op0}_${op1}_C${crn}_C${crm}_${op2} (${section})`, () => {
      const def = reg(name);
      assert.deepEqual(def.encoding, { op0, op1, crn, crm, op2 });
      assert.equal(def.section, section);
    });
  }
});

/** [register, field, msb, lsb, feature or undefined when always present]. */
const FIELDS: [string, string, number, number, string | undefined][] = [
  // D24.3.18 MDCR_EL3
  ['MDCR_EL3', 'TPM', 6, 6, 'FEAT_PMUv3'], // "TPM, bit [6] When FEAT_PMUv3 is implemented"
  ['MDCR_EL3', 'EnPM2', 7, 7, 'FEAT_PMUv3p9'], // "EnPM2, bit [7] When FEAT_PMUv3p9 ..., or FEAT_SPMU ..."
  ['MDCR_EL3', 'TDA', 9, 9, undefined], // "TDA, bit [9]" (no condition)
  ['MDCR_EL3', 'SPME', 17, 17, 'FEAT_PMUv3'], // "SPME, bit [17] When FEAT_PMUv3 is implemented"
  ['MDCR_EL3', 'SCCD', 23, 23, 'FEAT_PMUv3p5'], // "SCCD, bit [23] When FEAT_PMUv3p5 is implemented"
  ['MDCR_EL3', 'NSTB', 25, 24, 'FEAT_TRBE'], // "NSTB, bits [25:24] When FEAT_TRBE is implemented"
  ['MDCR_EL3', 'MTPME', 28, 28, 'FEAT_MTPMU'], // "MTPME, bit [28] When FEAT_MTPMU is implemented"
  ['MDCR_EL3', 'PMSSE', 31, 30, 'FEAT_PMUv3_SS'], // "PMSSE, bits [31:30] When FEAT_PMUv3_SS ..."
  ['MDCR_EL3', 'MCCD', 34, 34, 'FEAT_PMUv3p7'], // "MCCD, bit [34] When FEAT_PMUv3p7 is implemented"
  ['MDCR_EL3', 'MPMX', 35, 35, 'FEAT_PMUv3p7'], // "MPMX, bit [35] When FEAT_PMUv3p7 is implemented"
  ['MDCR_EL3', 'PMEE', 41, 40, 'FEAT_EBEP'], // "PMEE, bits [41:40] When FEAT_EBEP is implemented"
  ['MDCR_EL3', 'EnPMSS', 44, 44, 'FEAT_PMUv3_SS'], // "EnPMSS, bit [44] When FEAT_PMUv3_SS ..."
  ['MDCR_EL3', 'EnPMS4', 55, 55, 'FEAT_SPE_nVM'], // "EnPMS4, bit [55] When FEAT_SPE_nVM ..."
  // D24.2.169 SCR_EL3
  ['SCR_EL3', 'NS', 0, 0, undefined], // "NS, bit [0]" (RME variant and Otherwise both define it)
  ['SCR_EL3', 'RW', 10, 10, 'FEAT_AA32EL1'], // "RW, bit [10] When FEAT_AA32EL1 ... Otherwise RAO/WI"
  ['SCR_EL3', 'HCE', 8, 8, undefined], // "HCE, bit [8]"
  ['SCR_EL3', 'EEL2', 18, 18, 'FEAT_SEL2'], // "EEL2, bit [18] When FEAT_SEL2 is implemented"
  ['SCR_EL3', 'FGTEn', 27, 27, 'FEAT_FGT'], // "FGTEn, bit [27] When FEAT_FGT is implemented"
  ['SCR_EL3', 'TWEDEL', 33, 30, 'FEAT_TWED'], // "TWEDEL, bits [33:30] When FEAT_TWED ..."
  ['SCR_EL3', 'HXEn', 38, 38, 'FEAT_HCX'], // "HXEn, bit [38] When FEAT_HCX is implemented"
  ['SCR_EL3', 'FGTEn2', 59, 59, 'FEAT_FGT2'], // "FGTEn2, bit [59] When FEAT_FGT2 is implemented"
  ['SCR_EL3', 'NSE', 62, 62, 'FEAT_RME'], // "NSE, bit [62] When FEAT_RME is implemented"
  // D24.2.67 HDFGRTR_EL2
  ['HDFGRTR_EL2', 'PMEVCNTRn_EL0', 12, 12, 'FEAT_PMUv3'], // "PMEVCNTRn_EL0, bit [12]"
  ['HDFGRTR_EL2', 'PMEVTYPERn_EL0', 13, 13, 'FEAT_PMUv3'], // "PMEVTYPERn_EL0, bit [13]"
  ['HDFGRTR_EL2', 'PMCCFILTR_EL0', 14, 14, 'FEAT_PMUv3'], // "PMCCFILTR_EL0, bit [14]"
  ['HDFGRTR_EL2', 'PMCCNTR_EL0', 15, 15, 'FEAT_PMUv3'], // "PMCCNTR_EL0, bit [15]"
  ['HDFGRTR_EL2', 'PMCNTEN', 16, 16, 'FEAT_PMUv3'], // "PMCNTEN,bit [16]"
  ['HDFGRTR_EL2', 'PMINTEN', 17, 17, 'FEAT_PMUv3'], // "PMINTEN, bit [17]"
  ['HDFGRTR_EL2', 'PMOVS', 18, 18, 'FEAT_PMUv3'], // "PMOVS, bit [18]"
  ['HDFGRTR_EL2', 'PMSELR_EL0', 19, 19, 'FEAT_PMUv3'], // "PMSELR_EL0, bit [19]"
  ['HDFGRTR_EL2', 'PMMIR_EL1', 22, 22, 'FEAT_PMUv3'], // "PMMIR_EL1, bit [22] When FEAT_PMUv3 ..."
  ['HDFGRTR_EL2', 'PMUSERENR_EL0', 57, 57, 'FEAT_PMUv3'], // "PMUSERENR_EL0, bit [57]"
  ['HDFGRTR_EL2', 'PMCEIDn_EL0', 58, 58, 'FEAT_PMUv3'], // "PMCEIDn_EL0, bit [58]"
  ['HDFGRTR_EL2', 'nBRBIDR', 59, 59, 'FEAT_BRBE'], // "nBRBIDR, bit [59] When FEAT_BRBE ..."
  ['HDFGRTR_EL2', 'PMBIDR_EL1', 63, 63, 'FEAT_SPE'], // "PMBIDR_EL1, bit [63] When FEAT_SPE ..."
  ['HDFGRTR_EL2', 'OSLSR_EL1', 9, 9, undefined], // "OSLSR_EL1, bit [9]" (no condition)
  // D24.2.69 HDFGWTR_EL2
  ['HDFGWTR_EL2', 'PMEVCNTRn_EL0', 12, 12, 'FEAT_PMUv3'], // "PMEVCNTRn_EL0, bit [12]"
  ['HDFGWTR_EL2', 'PMCNTEN', 16, 16, 'FEAT_PMUv3'], // "PMCNTEN,bit [16]"
  ['HDFGWTR_EL2', 'PMSWINC_EL0', 20, 20, 'FEAT_PMUv3'], // "PMSWINC_EL0, bit [20]"
  ['HDFGWTR_EL2', 'PMCR_EL0', 21, 21, 'FEAT_PMUv3'], // "PMCR_EL0, bit [21]"
  ['HDFGWTR_EL2', 'PMUSERENR_EL0', 57, 57, 'FEAT_PMUv3'], // "PMUSERENR_EL0, bit [57]"
  ['HDFGWTR_EL2', 'TRFCR_EL1', 49, 49, 'FEAT_TRF'], // "TRFCR_EL1, bit [49] When FEAT_TRF ..."
  ['HDFGWTR_EL2', 'OSLAR_EL1', 8, 8, undefined], // "OSLAR_EL1, bit [8]"
  // D24.2.66 HDFGRTR2_EL2
  ['HDFGRTR2_EL2', 'nPMECR_EL1', 0, 0, 'FEAT_EBEP'], // "nPMECR_EL1, bit [0] When FEAT_EBEP ... or ..."
  ['HDFGRTR2_EL2', 'nPMIAR_EL1', 1, 1, 'FEAT_SEBEP'], // "nPMIAR_EL1, bit [1] When FEAT_SEBEP ..."
  ['HDFGRTR2_EL2', 'nPMICNTR_EL0', 2, 2, 'FEAT_PMUv3_ICNTR'], // "nPMICNTR_EL0, bit [2]"
  ['HDFGRTR2_EL2', 'nPMICFILTR_EL0', 3, 3, 'FEAT_PMUv3_ICNTR'], // "nPMICFILTR_EL0, bit [3]"
  ['HDFGRTR2_EL2', 'nPMUACR_EL1', 4, 4, 'FEAT_PMUv3p9'], // "nPMUACR_EL1, bit [4] When FEAT_PMUv3p9 ..."
  ['HDFGRTR2_EL2', 'nMDSELR_EL1', 5, 5, 'FEAT_Debugv8p9'], // "nMDSELR_EL1, bit [5]"
  ['HDFGRTR2_EL2', 'nPMSSDATA', 6, 6, 'FEAT_PMUv3_SS'], // "nPMSSDATA, bit [6]"
  ['HDFGRTR2_EL2', 'nPMBMAR_EL1', 24, 24, 'FEAT_SPE_nVM'], // "nPMBMAR_EL1, bit [24]"
  // D24.2.68 HDFGWTR2_EL2
  ['HDFGWTR2_EL2', 'nPMECR_EL1', 0, 0, 'FEAT_EBEP'], // "nPMECR_EL1, bit [0]"
  ['HDFGWTR2_EL2', 'nPMICNTR_EL0', 2, 2, 'FEAT_PMUv3_ICNTR'], // "nPMICNTR_EL0, bit [2]"
  ['HDFGWTR2_EL2', 'nPMUACR_EL1', 4, 4, 'FEAT_PMUv3p9'], // "nPMUACR_EL1, bit [4]"
  ['HDFGWTR2_EL2', 'nMDSELR_EL1', 5, 5, 'FEAT_Debugv8p9'], // "nMDSELR_EL1, bit [5]"
  ['HDFGWTR2_EL2', 'nPMZR_EL0', 21, 21, 'FEAT_PMUv3p9'], // "nPMZR_EL0, bit [21] When FEAT_PMUv3p9 ..."
];

describe('field positions and features', () => {
  for (const [name, fieldName, msb, lsb, feature] of FIELDS) {
    test(`${name}.${fieldName} is [${msb}:${lsb}]${feature === undefined ? '' : ` (${feature})`}`, () => {
      const f = lookupField(reg(name), fieldName);
      assert.equal(f.name, fieldName, 'spelled as in the Arm ARM');
      assert.deepEqual(f.bits, [msb, lsb]);
      assert.equal(f.feature, feature);
    });
  }
});

/** [register, bits that are reserved]: fields absent from one direction of a read/write pair. */
const RESERVED: [string, number[]][] = [
  ['HDFGRTR_EL2', [49, 42, 39, 38, 21, 20, 8]], // D24.2.67: Bit [49], [42], [39:38], [21:20], [8] RES0
  ['HDFGWTR_EL2', [63, 59, 58, 51, 47, 43, 40, 34, 30, 22, 9, 6]], // D24.2.69 RES0 bits
  ['HDFGRTR2_EL2', [63, 25, 21]], // D24.2.66: Bits [63:25], Bit [21] RES0
  ['HDFGWTR2_EL2', [63, 25, 18, 17, 6]], // D24.2.68: Bits [63:25], [18:17], Bit [6] RES0
  ['MDCR_EL3', [63, 56, 29, 8, 5, 1]], // D24.3.18: Bits [63:56], Bit [29], [8], [5], [1] RES0
  ['SCR_EL3', [63, 56, 34, 24, 6]], // D24.2.169: Bit [63], [56], [34], [24], [6] RES0
];

describe('reserved bits', () => {
  for (const [name, bits] of RESERVED) {
    test(`${name} bits ${bits.join(', ')} are RES0`, () => {
      const def = reg(name);
      for (const b of bits) {
        const f = def.fields.find((x) => x.bits[0] >= b && x.bits[1] <= b);
        assert.equal(f?.name, 'RES0', `bit ${b}`);
      }
    });
  }
  test('SCR_EL3 bits [5:4] are RES1 (D24.2.169)', () => {
    const f = reg('SCR_EL3').fields.find((x) => x.name === 'RES1');
    assert.ok(f !== undefined);
    assert.equal(fieldMask(f), 0x30n);
  });
});

describe('trap polarity of the fine-grained trap bits', () => {
  // D24.2.67/D24.2.69: PMU bits trap when 1; n-prefixed bits (nBRBIDR, nPMSNEVFR_EL1) trap when 0.
  // D24.2.66/D24.2.68: every FGT2 bit is n-prefixed and traps when 0.
  const cases: [string, string, number][] = [
    ['HDFGRTR_EL2', 'PMEVCNTRn_EL0', 1],
    ['HDFGWTR_EL2', 'PMCR_EL0', 1],
    ['HDFGRTR_EL2', 'nPMSNEVFR_EL1', 0],
    ['HDFGWTR_EL2', 'nBRBCTL', 0],
    ['HDFGRTR2_EL2', 'nPMICNTR_EL0', 0],
    ['HDFGWTR2_EL2', 'nPMZR_EL0', 0],
  ];
  for (const [name, fieldName, trapping] of cases) {
    test(`${name}.${fieldName} traps when ${trapping}`, () => {
      const values = lookupField(reg(name), fieldName).values ?? [];
      const trap = values.find((v) => v.value === trapping);
      const other = values.find((v) => v.value !== trapping);
      assert.match(trap?.meaning ?? '', /trap to EL2/);
      assert.match(other?.meaning ?? '', /not trapped/);
    });
  }
  test('FGT2 registers describe 0 as trapping in every n-field description', () => {
    for (const name of ['HDFGRTR2_EL2', 'HDFGWTR2_EL2']) {
      for (const f of reg(name).fields.filter((x) => x.name !== 'RES0')) {
        assert.ok(f.name.startsWith('n'), `${name}.${f.name}`);
        assert.match(f.description, /0 traps/, `${name}.${f.name}`);
      }
    }
  });
});

describe('access per Exception level', () => {
  test('EL3 registers are UNDEFINED below EL3; EL2 registers below EL2 (D24.3.18, D24.2.66-69, D24.2.169)', () => {
    for (const name of ['MDCR_EL3', 'SCR_EL3']) {
      assert.deepEqual(reg(name).access, { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'UNDEFINED', el3: 'RW' });
    }
    for (const name of ['HDFGRTR_EL2', 'HDFGWTR_EL2', 'HDFGRTR2_EL2', 'HDFGWTR2_EL2']) {
      assert.deepEqual(reg(name).access, { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'RW', el3: 'RW' });
    }
  });
});
