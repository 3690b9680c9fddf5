// SPDX-License-Identifier: MIT
// Field positions, presence features and encodings of HCR_EL2 and the AArch64 ID registers, with the
// expected values taken from the Arm ARM DDI0487 M.a.a text (section cited per row), not from the data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FEATURES, PMU_FEATURES } from '../../src/arch/features.js';
import { fieldMask, lookupField, namedFields } from '../../src/arch/fields.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';
import type { RegisterDef } from '../../src/arch/registers/types.js';

function reg(name: string): RegisterDef {
  const def = REGISTERS.find((r) => r.name === name);
  assert.ok(def, `${name} is in the catalogue`);
  return def;
}

describe('register headers (encoding from the "Accessing" section, access per EL)', () => {
  // [name, op0, op1, CRn, CRm, op2, register feature, section]
  const rows: [string, number, number, number, number, number, string, string][] = [
    ['HCR_EL2', 3, 4, 1, 1, 0, 'FEAT_EL2', 'D24.2.62'], // D24.2.62 MRS <Xt>, HCR_EL2
    ['ID_AA64DFR0_EL1', 3, 0, 0, 5, 0, 'FEAT_AA64', 'D24.2.80'], // D24.2.80 MRS <Xt>, ID_AA64DFR0_EL1
    ['ID_AA64DFR1_EL1', 3, 0, 0, 5, 1, 'FEAT_AA64', 'D24.2.81'], // D24.2.81 MRS <Xt>, ID_AA64DFR1_EL1
    ['ID_AA64MMFR0_EL1', 3, 0, 0, 7, 0, 'FEAT_AA64', 'D24.2.88'], // D24.2.88 MRS <Xt>, ID_AA64MMFR0_EL1
    ['ID_AA64PFR0_EL1', 3, 0, 0, 4, 0, 'FEAT_AA64', 'D24.2.93'], // D24.2.93 ID_AA64PFR0_EL1 encoding table
  ];
  for (const [name, op0, op1, crn, crm, op2, feature, section] of rows) {
    test(`${name} is S${op0}_${op1}_C${crn}_C${crm}_${op2}, ${feature}, ${section}`, () => {
      const def = reg(name);
      assert.deepEqual(def.encoding, { op0, op1, crn, crm, op2 });
      assert.equal(def.feature, feature);
      assert.equal(def.section, section);
    });
  }
  test('HCR_EL2 is UNDEFINED at EL0 and EL1 (before NV traps), RW at EL2 and EL3 (D24.2.62)', () => {
    assert.deepEqual(reg('HCR_EL2').access, { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'RW', el3: 'RW' });
  });
  test('ID registers are UNDEFINED at EL0 (without FEAT_IDST) and RO at EL1..EL3 (D24.2.80 accessor)', () => {
    for (const name of ['ID_AA64DFR0_EL1', 'ID_AA64DFR1_EL1', 'ID_AA64MMFR0_EL1', 'ID_AA64PFR0_EL1']) {
      assert.deepEqual(reg(name).access, { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' }, name);
    }
  });
});

describe('HCR_EL2 fields (D24.2.62): position and "When FEAT_x is implemented" feature', () => {
  // [field, msb, lsb, feature or undefined when the field is always present]
  const rows: [string, number, number, string | undefined][] = [
    ['TWEDEL', 63, 60, 'FEAT_TWED'], // D24.2.62 TWEDEL, bits [63:60]
    ['TWEDEn', 59, 59, 'FEAT_TWED'], // D24.2.62 TWEDEn, bit [59]
    ['TID5', 58, 58, 'FEAT_MTE2'], // D24.2.62 TID5, bit [58]
    ['DCT', 57, 57, 'FEAT_MTE2'], // D24.2.62 DCT, bit [57]
    ['ATA', 56, 56, 'FEAT_MTE2'], // D24.2.62 ATA, bit [56]
    ['TTLBOS', 55, 55, 'FEAT_EVT'], // D24.2.62 TTLBOS, bit [55]
    ['TTLBIS', 54, 54, 'FEAT_EVT'], // D24.2.62 TTLBIS, bit [54]
    ['EnSCXT', 53, 53, 'FEAT_CSV2_2'], // D24.2.62 EnSCXT, bit [53] (or FEAT_CSV2_1p2)
    ['TOCU', 52, 52, 'FEAT_EVT'], // D24.2.62 TOCU, bit [52]
    ['AMVOFFEN', 51, 51, 'FEAT_AMUv1p1'], // D24.2.62 AMVOFFEN, bit [51]
    ['TICAB', 50, 50, 'FEAT_EVT'], // D24.2.62 TICAB, bit [50]
    ['TID4', 49, 49, 'FEAT_EVT'], // D24.2.62 TID4, bit [49]
    ['GPF', 48, 48, 'FEAT_RME'], // D24.2.62 GPF, bit [48]
    ['FIEN', 47, 47, 'FEAT_RASv1p1'], // D24.2.62 FIEN, bit [47]
    ['FWB', 46, 46, 'FEAT_S2FWB'], // D24.2.62 FWB, bit [46]
    ['NV2', 45, 45, 'FEAT_NV2'], // D24.2.62 NV2, bit [45]
    ['AT', 44, 44, 'FEAT_NV'], // D24.2.62 AT, bit [44]
    ['NV1', 43, 43, 'FEAT_NV'], // D24.2.62 NV1, bit [43] (FEAT_NV2 or FEAT_NV)
    ['NV', 42, 42, 'FEAT_NV'], // D24.2.62 NV, bit [42] (FEAT_NV2 or FEAT_NV)
    ['API', 41, 41, 'FEAT_PAuth'], // D24.2.62 API, bit [41]
    ['APK', 40, 40, 'FEAT_PAuth'], // D24.2.62 APK, bit [40]
    ['TEA', 37, 37, 'FEAT_RAS'], // D24.2.62 TEA, bit [37]
    ['TERR', 36, 36, 'FEAT_RAS'], // D24.2.62 TERR, bit [36]
    ['TLOR', 35, 35, 'FEAT_LOR'], // D24.2.62 TLOR, bit [35]
    ['E2H', 34, 34, 'FEAT_VHE'], // D24.2.62 E2H, bit [34]: "When FEAT_VHE is implemented"
    ['ID', 33, 33, undefined], // D24.2.62 ID, bit [33]
    ['CD', 32, 32, undefined], // D24.2.62 CD, bit [32]
    ['RW', 31, 31, 'FEAT_AA32EL1'], // D24.2.62 RW, bit [31]: "When FEAT_AA32EL1 ..., Otherwise RAO/WI"
    ['TRVM', 30, 30, undefined], // D24.2.62 TRVM, bit [30]
    ['HCD', 29, 29, undefined], // D24.2.62 HCD, bit [29]: "When EL3 is not implemented" (no feature)
    ['TDZ', 28, 28, undefined], // D24.2.62 TDZ, bit [28]
    ['TGE', 27, 27, undefined], // D24.2.62 TGE, bit [27]: always present
    ['TVM', 26, 26, undefined], // D24.2.62 TVM, bit [26]
    ['TTLB', 25, 25, undefined], // D24.2.62 TTLB, bit [25]
    ['TPU', 24, 24, undefined], // D24.2.62 TPU, bit [24]
    ['TPCP', 23, 23, undefined], // D24.2.62 TPCP, bit [23]
    ['TSW', 22, 22, undefined], // D24.2.62 TSW, bit [22]
    ['TACR', 21, 21, undefined], // D24.2.62 TACR, bit [21]
    ['TIDCP', 20, 20, undefined], // D24.2.62 TIDCP, bit [20]
    ['TSC', 19, 19, undefined], // D24.2.62 TSC, bit [19]
    ['TID3', 18, 18, undefined], // D24.2.62 TID3, bit [18]
    ['TID2', 17, 17, undefined], // D24.2.62 TID2, bit [17]
    ['TID1', 16, 16, undefined], // D24.2.62 TID1, bit [16]
    ['TID0', 15, 15, 'FEAT_AA32'], // D24.2.62 TID0, bit [15]: "When FEAT_AA32 is implemented"
    ['TWE', 14, 14, undefined], // D24.2.62 TWE, bit [14]
    ['TWI', 13, 13, undefined], // D24.2.62 TWI, bit [13]
    ['DC', 12, 12, undefined], // D24.2.62 DC, bit [12]
    ['BSU', 11, 10, undefined], // D24.2.62 BSU, bits [11:10]
    ['FB', 9, 9, undefined], // D24.2.62 FB, bit [9]
    ['VSE', 8, 8, undefined], // D24.2.62 VSE, bit [8]
    ['VI', 7, 7, undefined], // D24.2.62 VI, bit [7]
    ['VF', 6, 6, undefined], // D24.2.62 VF, bit [6]
    ['AMO', 5, 5, undefined], // D24.2.62 AMO, bit [5]
    ['IMO', 4, 4, undefined], // D24.2.62 IMO, bit [4]
    ['FMO', 3, 3, undefined], // D24.2.62 FMO, bit [3]
    ['PTW', 2, 2, undefined], // D24.2.62 PTW, bit [2]
    ['SWIO', 1, 1, undefined], // D24.2.62 SWIO, bit [1]
    ['VM', 0, 0, undefined], // D24.2.62 VM, bit [0]
  ];
  const hcr = reg('HCR_EL2');
  for (const [name, msb, lsb, feature] of rows) {
    test(`HCR_EL2.${name} is [${msb}:${lsb}]${feature === undefined ? '' : ` with ${feature}`}`, () => {
      const f = lookupField(hcr, name);
      assert.deepEqual(f.bits, [msb, lsb]);
      assert.equal(f.feature, feature);
    });
  }
  test('the named fields are exactly those of D24.2.62, and bits [39:38] are RES0', () => {
    assert.deepEqual(
      namedFields(hcr).map((f) => f.name),
      rows.map((r) => r[0]),
    );
    const res0 = hcr.fields.filter((f) => f.name === 'RES0').map((f) => f.bits);
    assert.deepEqual(res0, [[39, 38]]);
  });
  test('HCR_EL2.E2H is bit 34 and HCR_EL2.TGE is bit 27 (fieldMask)', () => {
    assert.equal(fieldMask(lookupField(hcr, 'E2H')), 1n << 34n);
    assert.equal(fieldMask(lookupField(hcr, 'TGE')), 1n << 27n);
    assert.equal(fieldMask(lookupField(hcr, 'RW')), 1n << 31n);
  });
  test('HCR_EL2.BSU encodings (D24.2.62): 0b01 Inner Shareable, 0b10 Outer Shareable, 0b11 Full system', () => {
    const v = lookupField(hcr, 'BSU').values ?? [];
    assert.match(v.find((x) => x.value === 0b01)?.meaning ?? '', /Inner Shareable/);
    assert.match(v.find((x) => x.value === 0b10)?.meaning ?? '', /Outer Shareable/);
    assert.match(v.find((x) => x.value === 0b11)?.meaning ?? '', /Full system/);
  });
});

describe('ID register fields: position and named encodings (D24.2.80, .81, .88, .93)', () => {
  // [register, field, msb, lsb, [value, meaning pattern][]]
  type Row = [string, string, number, number, [number, RegExp][]];
  const DFR0 = 'ID_AA64DFR0_EL1';
  const DFR1 = 'ID_AA64DFR1_EL1';
  const MMFR0 = 'ID_AA64MMFR0_EL1';
  const PFR0 = 'ID_AA64PFR0_EL1';
  const rows: Row[] = [
    [DFR0, 'HPMN0', 63, 60, [[0b0001, /FEAT_HPMN0/]]], // D24.2.80 HPMN0, bits [63:60]
    [DFR0, 'ExtTrcBuff', 59, 56, [[0b0001, /FEAT_TRBE_EXT/]]], // D24.2.80 ExtTrcBuff, bits [59:56]
    [
      DFR0,
      'BRBE',
      55,
      52,
      [
        [0b0001, /FEAT_BRBE\b/],
        [0b0010, /FEAT_BRBEv1p1/],
      ],
    ], // D24.2.80 BRBE
    [
      DFR0,
      'MTPMU',
      51,
      48,
      [
        [0b0001, /FEAT_MTPMU/],
        [0b1111, /RES0/],
      ],
    ], // D24.2.80 MTPMU, bits [51:48]
    [
      DFR0,
      'TraceBuffer',
      47,
      44,
      [
        [0b0001, /FEAT_TRBE\b/],
        [0b0010, /FEAT_TRBEv1p1/],
      ],
    ], // D24.2.80
    [DFR0, 'TraceFilt', 43, 40, [[0b0001, /FEAT_TRF/]]], // D24.2.80 TraceFilt, bits [43:40]
    [
      DFR0,
      'DoubleLock',
      39,
      36,
      [
        [0b0000, /FEAT_DoubleLock/],
        [0b1111, /not implemented/],
      ],
    ], // D24.2.80
    [
      DFR0,
      'PMSVer',
      35,
      32,
      [
        [0b0001, /FEAT_SPE\b/],
        [0b0011, /FEAT_SPEv1p2/],
        [0b0110, /FEAT_SPEv1p5/],
      ],
    ],
    [DFR0, 'CTX_CMPs', 31, 28, []], // D24.2.80 CTX_CMPs, bits [31:28]
    [DFR0, 'SEBEP', 27, 24, [[0b0001, /FEAT_SEBEP/]]], // D24.2.80 SEBEP, bits [27:24]
    [DFR0, 'WRPs', 23, 20, []], // D24.2.80 WRPs, bits [23:20]
    [DFR0, 'PMSS', 19, 16, [[0b0001, /FEAT_PMUv3_SS/]]], // D24.2.80 PMSS, bits [19:16]
    [DFR0, 'BRPs', 15, 12, []], // D24.2.80 BRPs, bits [15:12]
    [
      DFR0,
      'PMUVer',
      11,
      8,
      [
        [0b0000, /not implemented/], // D24.2.80 PMUVer, bits [11:8]
        [0b0001, /FEAT_PMUv3\b/],
        [0b0100, /FEAT_PMUv3p1\b/],
        [0b0101, /FEAT_PMUv3p4\b/],
        [0b0110, /FEAT_PMUv3p5\b/],
        [0b0111, /FEAT_PMUv3p7\b/],
        [0b1000, /FEAT_PMUv3p8\b/],
        [0b1001, /FEAT_PMUv3p9\b/],
        [0b1111, /IMPLEMENTATION DEFINED/],
      ],
    ],
    [DFR0, 'TraceVer', 7, 4, [[0b0001, /implemented/]]], // D24.2.80 TraceVer, bits [7:4]
    [
      DFR0,
      'DebugVer',
      3,
      0,
      [
        [0b0110, /Armv8\.0/],
        [0b1011, /FEAT_Debugv8p9/],
      ],
    ], // D24.2.80 DebugVer

    [DFR1, 'ABL_CMPs', 63, 56, []], // D24.2.81 ABL_CMPs, bits [63:56]
    [DFR1, 'DPFZS', 55, 52, [[0b0001, /FEAT_SPE_DPFZS/]]], // D24.2.81 DPFZS, bits [55:52]
    [DFR1, 'EBEP', 51, 48, [[0b0001, /FEAT_EBEP/]]], // D24.2.81 EBEP, bits [51:48]
    [DFR1, 'ITE', 47, 44, [[0b0001, /FEAT_ITE/]]], // D24.2.81 ITE, bits [47:44]
    [DFR1, 'ABLE', 43, 40, [[0b0001, /FEAT_ABLE/]]], // D24.2.81 ABLE, bits [43:40]
    [DFR1, 'PMICNTR', 39, 36, [[0b0001, /FEAT_PMUv3_ICNTR/]]], // D24.2.81 PMICNTR, bits [39:36]
    [
      DFR1,
      'SPMU',
      35,
      32,
      [
        [0b0001, /FEAT_SPMU\b/],
        [0b0010, /FEAT_SPMU2/],
      ],
    ], // D24.2.81 SPMU, bits [35:32]
    [DFR1, 'CTX_CMPs', 31, 24, [[0x00, /ID_AA64DFR0_EL1\.CTX_CMPs/]]], // D24.2.81 CTX_CMPs, bits [31:24]
    [DFR1, 'WRPs', 23, 16, [[0x00, /ID_AA64DFR0_EL1\.WRPs/]]], // D24.2.81 WRPs, bits [23:16]
    [DFR1, 'BRPs', 15, 8, [[0x00, /ID_AA64DFR0_EL1\.BRPs/]]], // D24.2.81 BRPs, bits [15:8]
    [DFR1, 'SYSPMUID', 7, 0, []], // D24.2.81 SYSPMUID, bits [7:0]

    [
      MMFR0,
      'ECV',
      63,
      60,
      [
        [0b0001, /FEAT_ECV\b/],
        [0b0010, /FEAT_ECV_POFF/],
      ],
    ], // D24.2.88 ECV, [63:60]
    [
      MMFR0,
      'FGT',
      59,
      56,
      [
        [0b0000, /not implemented/],
        [0b0001, /FEAT_FGT\b/],
        [0b0010, /FEAT_FGT2/],
      ],
    ],
    [MMFR0, 'ExS', 47, 44, [[0b0001, /FEAT_ExS/]]], // D24.2.88 ExS, bits [47:44]
    [
      MMFR0,
      'TGran4_2',
      43,
      40,
      [
        [0b0000, /TGran4\b/],
        [0b0011, /FEAT_LPA2/],
      ],
    ], // D24.2.88 TGran4_2
    [
      MMFR0,
      'TGran64_2',
      39,
      36,
      [
        [0b0001, /not supported/],
        [0b0010, /supported/],
      ],
    ], // D24.2.88 TGran64_2
    [
      MMFR0,
      'TGran16_2',
      35,
      32,
      [
        [0b0000, /TGran16\b/],
        [0b0011, /FEAT_LPA2/],
      ],
    ], // D24.2.88 TGran16_2
    [
      MMFR0,
      'TGran4',
      31,
      28,
      [
        [0b0000, /supported/],
        [0b1111, /not supported/],
      ],
    ], // D24.2.88 TGran4
    [
      MMFR0,
      'TGran64',
      27,
      24,
      [
        [0b0000, /supported/],
        [0b1111, /not supported/],
      ],
    ], // D24.2.88 TGran64
    [
      MMFR0,
      'TGran16',
      23,
      20,
      [
        [0b0000, /not supported/],
        [0b0001, /supported/],
      ],
    ], // D24.2.88 TGran16
    [MMFR0, 'BigEndEL0', 19, 16, [[0b0001, /FEAT_MixedEndEL0/]]], // D24.2.88 BigEndEL0, bits [19:16]
    [MMFR0, 'SNSMem', 15, 12, [[0b0001, /Secure and Non-secure/]]], // D24.2.88 SNSMem, bits [15:12]
    [MMFR0, 'BigEnd', 11, 8, [[0b0001, /FEAT_MixedEnd\b/]]], // D24.2.88 BigEnd, bits [11:8]
    [
      MMFR0,
      'ASIDBits',
      7,
      4,
      [
        [0b0000, /\b8\b/],
        [0b0010, /\b16\b/],
      ],
    ], // D24.2.88 ASIDBits, bits [7:4]
    [
      MMFR0,
      'PARange',
      3,
      0,
      [
        [0b0101, /48 bits/],
        [0b0110, /52 bits.*FEAT_LPA\b/],
      ],
    ], // D24.2.88 PARange

    [PFR0, 'CSV3', 63, 60, [[0b0001, /FEAT_CSV3/]]], // D24.2.93 CSV3, bits [63:60]
    [
      PFR0,
      'CSV2',
      59,
      56,
      [
        [0b0010, /FEAT_CSV2_2/],
        [0b0011, /FEAT_CSV2_3/],
      ],
    ], // D24.2.93 CSV2, [59:56]
    [
      PFR0,
      'RME',
      55,
      52,
      [
        [0b0001, /FEAT_RME\b/],
        [0b0011, /FEAT_RME_GPC3/],
      ],
    ], // D24.2.93 RME, [55:52]
    [PFR0, 'DIT', 51, 48, [[0b0001, /FEAT_DIT/]]], // D24.2.93 DIT, bits [51:48]
    [
      PFR0,
      'AMU',
      47,
      44,
      [
        [0b0001, /FEAT_AMUv1\b/],
        [0b0010, /FEAT_AMUv1p1/],
      ],
    ], // D24.2.93 AMU, [47:44]
    [PFR0, 'MPAM', 43, 40, [[0b0001, /1/]]], // D24.2.93 MPAM, bits [43:40]
    [PFR0, 'SEL2', 39, 36, [[0b0001, /FEAT_SEL2/]]], // D24.2.93 SEL2, bits [39:36]
    [PFR0, 'SVE', 35, 32, [[0b0001, /FEAT_SVE/]]], // D24.2.93 SVE, bits [35:32]
    [
      PFR0,
      'RAS',
      31,
      28,
      [
        [0b0001, /FEAT_RAS\b/],
        [0b0010, /FEAT_RASv1p1/],
        [0b0011, /FEAT_RASv2/],
      ],
    ],
    [
      PFR0,
      'GIC',
      27,
      24,
      [
        [0b0001, /3\.0 and 4\.0|v3\.0 and v4\.0/],
        [0b0011, /4\.1/],
      ],
    ], // D24.2.93 GIC
    [
      PFR0,
      'AdvSIMD',
      23,
      20,
      [
        [0b0001, /half-precision/],
        [0b1111, /not implemented/],
      ],
    ], // D24.2.93
    [
      PFR0,
      'FP',
      19,
      16,
      [
        [0b0001, /half-precision/],
        [0b1111, /not implemented/],
      ],
    ], // D24.2.93 FP
    [
      PFR0,
      'EL3',
      15,
      12,
      [
        [0b0000, /not implemented/],
        [0b0001, /AArch64 state only/],
      ],
    ], // D24.2.93 EL3
    [
      PFR0,
      'EL2',
      11,
      8,
      [
        [0b0000, /not implemented/],
        [0b0010, /AArch32/],
      ],
    ], // D24.2.93 EL2, bits [11:8]
    [
      PFR0,
      'EL1',
      7,
      4,
      [
        [0b0001, /AArch64 state only/],
        [0b0010, /AArch32/],
      ],
    ], // D24.2.93 EL1, bits [7:4]
    [
      PFR0,
      'EL0',
      3,
      0,
      [
        [0b0001, /AArch64 state only/],
        [0b0010, /AArch32/],
      ],
    ], // D24.2.93 EL0, bits [3:0]
  ];
  for (const [regName, name, msb, lsb, values] of rows) {
    test(`${regName}.${name} is [${msb}:${lsb}]`, () => {
      const f = lookupField(reg(regName), name);
      assert.deepEqual(f.bits, [msb, lsb]);
      for (const [value, meaning] of values) {
        const v = f.values?.find((x) => x.value === value);
        assert.ok(v, `${regName}.${name} lists value 0b${value.toString(2).padStart(4, '0')}`);
        assert.match(v.meaning, meaning);
      }
    });
  }
  test('each ID register has exactly the fields of its Arm ARM section, msb first', () => {
    for (const regName of [DFR0, DFR1, MMFR0, PFR0]) {
      assert.deepEqual(
        namedFields(reg(regName)).map((f) => f.name),
        rows.filter((r) => r[0] === regName).map((r) => r[1]),
        regName,
      );
    }
  });
  test('ID_AA64MMFR0_EL1 bits [55:48] are RES0 (D24.2.88); the other three have no reserved bits', () => {
    assert.deepEqual(
      reg(MMFR0)
        .fields.filter((f) => f.name === 'RES0')
        .map((f) => f.bits),
      [[55, 48]],
    );
    for (const regName of [DFR0, DFR1, PFR0]) {
      assert.equal(reg(regName).fields.filter((f) => f.name === 'RES0').length, 0, regName);
    }
  });
  test('PMUVer lists exactly the values of D24.2.80: 0000, 0001, 0100..1001, 1111', () => {
    const v = (lookupField(reg(DFR0), 'PMUVer').values ?? []).map((x) => x.value);
    assert.deepEqual(v, [0b0000, 0b0001, 0b0100, 0b0101, 0b0110, 0b0111, 0b1000, 0b1001, 0b1111]);
    assert.equal(fieldMask(lookupField(reg(DFR0), 'PMUVer')), 0xf00n);
  });
  test('ID fields are always present, except the two that D24.2.81 makes conditional', () => {
    for (const regName of [DFR0, DFR1, MMFR0, PFR0]) {
      for (const f of namedFields(reg(regName))) {
        const expected =
          regName === DFR1 && f.name === 'ABL_CMPs' // D24.2.81: "When FEAT_ABLE is implemented"
            ? 'FEAT_ABLE'
            : regName === DFR1 && f.name === 'SYSPMUID' // D24.2.81: "When FEAT_SPMU is implemented"
              ? 'FEAT_SPMU'
              : undefined;
        assert.equal(f.feature, expected, `${regName}.${f.name}`);
      }
    }
  });
});

describe('PMU_FEATURES against the Arm ARM', () => {
  // The field that identifies each feature, from its "The following field(s) identify the presence"
  // list in A2.2/A2.3 and the value named in the field's description in D24.2.
  const ids: [string, [string, string, number] | undefined][] = [
    ['FEAT_PMUv3', ['ID_AA64DFR0_EL1', 'PMUVer', 0b0001]], // A2.2.1; D24.2.80 PMUVer
    ['FEAT_PMUv3p1', ['ID_AA64DFR0_EL1', 'PMUVer', 0b0100]], // A2.2.2; D24.2.80 PMUVer
    ['FEAT_PMUv3p4', ['ID_AA64DFR0_EL1', 'PMUVer', 0b0101]], // A2.2.5; D24.2.80 PMUVer
    ['FEAT_PMUv3p5', ['ID_AA64DFR0_EL1', 'PMUVer', 0b0110]], // A2.2.6; D24.2.80 PMUVer
    ['FEAT_PMUv3p7', ['ID_AA64DFR0_EL1', 'PMUVer', 0b0111]], // A2.2.8; D24.2.80 PMUVer
    ['FEAT_PMUv3p8', ['ID_AA64DFR0_EL1', 'PMUVer', 0b1000]], // A2.2.9; D24.2.80 PMUVer
    ['FEAT_PMUv3p9', ['ID_AA64DFR0_EL1', 'PMUVer', 0b1001]], // A2.2.10; D24.2.80 PMUVer
    ['FEAT_HPMN0', ['ID_AA64DFR0_EL1', 'HPMN0', 0b0001]], // A2.2.7; D24.2.80 HPMN0
    ['FEAT_FGT', ['ID_AA64MMFR0_EL1', 'FGT', 0b0001]], // A2.2.7; D24.2.88 FGT
    ['FEAT_FGT2', ['ID_AA64MMFR0_EL1', 'FGT', 0b0010]], // A2.2.10; D24.2.88 FGT
    ['FEAT_PMUv3_ICNTR', ['ID_AA64DFR1_EL1', 'PMICNTR', 0b0001]], // A2.2.10; D24.2.81 PMICNTR
    ['FEAT_PMUv3_EXTPMN', undefined], // A2.3.7: only PMDEVID.EXTPMN (external register, I5.3.26)
    ['FEAT_EBEP', ['ID_AA64DFR1_EL1', 'EBEP', 0b0001]], // A2.3.5; D24.2.81 EBEP
    ['FEAT_SEBEP', ['ID_AA64DFR0_EL1', 'SEBEP', 0b0001]], // A2.3.5; D24.2.80 SEBEP
    ['FEAT_MTPMU', ['ID_AA64DFR0_EL1', 'MTPMU', 0b0001]], // A2.2.7; D24.2.80 MTPMU
    ['FEAT_PMUv3_SS', ['ID_AA64DFR0_EL1', 'PMSS', 0b0001]], // A2.2.10; D24.2.80 PMSS
    ['FEAT_EL2', ['ID_AA64PFR0_EL1', 'EL2', 0b0001]], // A2.2.1; D24.2.93 EL2
    ['FEAT_EL3', ['ID_AA64PFR0_EL1', 'EL3', 0b0001]], // A2.2.1; D24.2.93 EL3
  ];
  for (const [name, expected] of ids) {
    test(`${name} is reported by ${expected === undefined ? 'no System register field' : expected.join(' >= ')}`, () => {
      const f = PMU_FEATURES.find((x) => x.name === name);
      assert.ok(f, `${name} is in PMU_FEATURES`);
      const id = 'id' in f ? f.id : undefined;
      assert.deepEqual(id === undefined ? undefined : [id.register, id.field, id.min], expected);
    });
  }
  test('every PMU_FEATURES id names a catalogue field that lists its minimum value', () => {
    for (const f of PMU_FEATURES) {
      if (!('id' in f)) continue;
      const field = lookupField(reg(f.id.register), f.id.field);
      const width = field.bits[0] - field.bits[1] + 1;
      assert.ok(f.id.min < 2 ** width, `${f.name}: min fits ${f.id.register}.${f.id.field}`);
      assert.ok(
        field.values?.some((v) => v.value === f.id.min),
        `${f.name}: ${f.id.register}.${f.id.field} lists value ${f.id.min}`,
      );
    }
  });
  test('every FEAT_x that an ID field value names as its feature maps back to that field and value', () => {
    for (const f of PMU_FEATURES) {
      if (!('id' in f) || f.id.register === 'ID_AA64PFR0_EL1') continue;
      const field = lookupField(reg(f.id.register), f.id.field);
      const v = field.values?.find((x) => x.value === f.id.min);
      assert.match(
        v?.meaning ?? '',
        new RegExp(`${f.name}\\b`),
        `${f.name} in ${f.id.register}.${f.id.field}`,
      );
    }
  });
  // Direct implications stated as "If FEAT_X is implemented, then FEAT_Y is implemented".
  const implies: [string, string[]][] = [
    ['FEAT_PMUv3p1', ['FEAT_PMUv3']], // A2.2.2
    ['FEAT_PMUv3p4', ['FEAT_PMUv3p1']], // A2.2.5
    ['FEAT_PMUv3p5', ['FEAT_PMUv3p4']], // A2.2.6
    ['FEAT_PMUv3p7', ['FEAT_PMUv3p5']], // A2.2.8
    ['FEAT_PMUv3p8', ['FEAT_PMUv3p7']], // A2.2.9
    ['FEAT_PMUv3p9', ['FEAT_PMUv3p8']], // A2.2.10
    ['FEAT_HPMN0', ['FEAT_EL2', 'FEAT_PMUv3', 'FEAT_FGT']], // A2.2.7
    ['FEAT_FGT2', ['FEAT_FGT']], // A2.2.10
    ['FEAT_PMUv3_ICNTR', ['FEAT_PMUv3p9']], // A2.2.10
    ['FEAT_PMUv3_SS', ['FEAT_PMUv3p9']], // A2.2.10
    ['FEAT_PMUv3_EXTPMN', ['FEAT_PMUv3_EXT', 'FEAT_FGT']], // A2.3.7
    ['FEAT_SEBEP', ['FEAT_EBEP']], // A2.3.5
    ['FEAT_MTPMU', ['FEAT_PMUv3']], // A2.2.7
  ];
  for (const [name, expected] of implies) {
    test(`${name} implies ${expected.join(', ')}`, () => {
      const f = PMU_FEATURES.find((x) => x.name === name);
      assert.ok(f);
      for (const e of expected) assert.ok((f.implies as readonly string[]).includes(e), `${name} -> ${e}`);
    });
  }
  test('every implied feature is a feature the model knows', () => {
    const known = new Set(FEATURES.map((f) => f.name));
    for (const f of FEATURES) for (const i of f.implies) assert.ok(known.has(i), `${f.name} -> ${i}`);
  });
});
