// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.88 ID_AA64MMFR0_EL1, AArch64 Memory Model Feature Register 0;
// field positions and enumerator names agree with Linux arch/arm64/tools/sysreg
// (Sysreg ID_AA64MMFR0_EL1 3 0 0 7 0).
import type { RegisterDef } from './types.js';

export const ID_AA64MMFR0_EL1: RegisterDef = {
  name: 'ID_AA64MMFR0_EL1',
  encoding: { op0: 3, op1: 0, crn: 0, crm: 7, op2: 0 },
  width: 64,
  feature: 'FEAT_AA64',
  access: { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.2.88',
  description: 'Memory model features: fine-grained traps (FGT), counter virtualization, granules, PA size',
  fields: [
    {
      name: 'ECV',
      bits: [63, 60],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Enhanced Counter Virtualization not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Enhanced Counter Virtualization implemented (FEAT_ECV)' },
        {
          value: 0b0010,
          name: 'CNTPOFF',
          meaning: 'As 0b0001, plus CNTPOFF_EL2, CNTHCTL_EL2.ECV, SCR_EL3.ECVEn (FEAT_ECV_POFF)',
        },
      ],
      description: 'Enhanced Counter Virtualization',
    },
    {
      name: 'FGT',
      bits: [59, 56],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Fine-grained trap controls not implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'HDFGRTR_EL2, HDFGWTR_EL2 and friends, MDCR_EL2.TDCC, SCR_EL3.FGTEn (FEAT_FGT)',
        },
        {
          value: 0b0010,
          name: 'FGT2',
          meaning: 'As 0b0001, plus HDFGRTR2_EL2, HDFGWTR2_EL2 and friends, SCR_EL3.FGTEn2 (FEAT_FGT2)',
        },
      ],
      description: 'Fine-grained trap controls (FEAT_FGT, FEAT_FGT2)',
    },
    { name: 'RES0', bits: [55, 48], description: 'Reserved' },
    {
      name: 'ExS',
      bits: [47, 44],
      values: [
        {
          value: 0b0000,
          name: 'NI',
          meaning: 'All exception entries and exits are context synchronization events',
        },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'Non-context-synchronizing exception entry and exit supported (FEAT_ExS)',
        },
      ],
      description: 'Support for disabling context synchronization on exception entry and exit',
    },
    {
      name: 'TGran4_2',
      bits: [43, 40],
      values: [
        { value: 0b0000, name: 'TGRAN4', meaning: 'Stage 2 4KB support is given by ID_AA64MMFR0_EL1.TGran4' },
        { value: 0b0001, name: 'NI', meaning: '4KB granule not supported at stage 2' },
        { value: 0b0010, name: 'IMP', meaning: '4KB granule supported at stage 2' },
        {
          value: 0b0011,
          name: '52_BIT',
          meaning: '4KB granule at stage 2 supports 52-bit addresses (FEAT_LPA2)',
        },
      ],
      description: '4KB granule support at stage 2; alternative ID scheme',
    },
    {
      name: 'TGran64_2',
      bits: [39, 36],
      values: [
        {
          value: 0b0000,
          name: 'TGRAN64',
          meaning: 'Stage 2 64KB support is given by ID_AA64MMFR0_EL1.TGran64',
        },
        { value: 0b0001, name: 'NI', meaning: '64KB granule not supported at stage 2' },
        { value: 0b0010, name: 'IMP', meaning: '64KB granule supported at stage 2' },
      ],
      description: '64KB granule support at stage 2; alternative ID scheme',
    },
    {
      name: 'TGran16_2',
      bits: [35, 32],
      values: [
        {
          value: 0b0000,
          name: 'TGRAN16',
          meaning: 'Stage 2 16KB support is given by ID_AA64MMFR0_EL1.TGran16',
        },
        { value: 0b0001, name: 'NI', meaning: '16KB granule not supported at stage 2' },
        { value: 0b0010, name: 'IMP', meaning: '16KB granule supported at stage 2' },
        {
          value: 0b0011,
          name: '52_BIT',
          meaning: '16KB granule at stage 2 supports 52-bit addresses (FEAT_LPA2)',
        },
      ],
      description: '16KB granule support at stage 2; alternative ID scheme',
    },
    {
      name: 'TGran4',
      bits: [31, 28],
      values: [
        { value: 0b0000, name: 'IMP', meaning: '4KB granule supported' },
        { value: 0b0001, name: '52_BIT', meaning: '4KB granule supports 52-bit addresses (FEAT_LPA2)' },
        { value: 0b1111, name: 'NI', meaning: '4KB granule not supported' },
      ],
      description: '4KB translation granule support; signed field',
    },
    {
      name: 'TGran64',
      bits: [27, 24],
      values: [
        { value: 0b0000, name: 'IMP', meaning: '64KB granule supported' },
        { value: 0b1111, name: 'NI', meaning: '64KB granule not supported' },
      ],
      description: '64KB translation granule support; signed field',
    },
    {
      name: 'TGran16',
      bits: [23, 20],
      values: [
        { value: 0b0000, name: 'NI', meaning: '16KB granule not supported' },
        { value: 0b0001, name: 'IMP', meaning: '16KB granule supported' },
        { value: 0b0010, name: '52_BIT', meaning: '16KB granule supports 52-bit addresses (FEAT_LPA2)' },
      ],
      description: '16KB translation granule support',
    },
    {
      name: 'BigEndEL0',
      bits: [19, 16],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'No mixed-endian support at EL0; SCTLR_EL1.E0E is fixed' },
        { value: 0b0001, name: 'IMP', meaning: 'Mixed-endian support at EL0 (FEAT_MixedEndEL0)' },
      ],
      description: 'Mixed-endian support at EL0 only (RES0 when BigEnd is not 0b0000)',
    },
    {
      name: 'SNSMem',
      bits: [15, 12],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'No distinction between Secure and Non-secure Memory' },
        { value: 0b0001, name: 'IMP', meaning: 'Secure and Non-secure Memory are distinguished' },
      ],
      description: 'Distinction between Secure and Non-secure Memory',
    },
    {
      name: 'BigEnd',
      bits: [11, 8],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'No mixed-endian support; SCTLR_ELx.EE fixed' },
        { value: 0b0001, name: 'IMP', meaning: 'Mixed-endian support (FEAT_MixedEnd)' },
      ],
      description: 'Mixed-endian configuration support',
    },
    {
      name: 'ASIDBits',
      bits: [7, 4],
      values: [
        { value: 0b0000, name: '8', meaning: '8-bit ASIDs' },
        { value: 0b0010, name: '16', meaning: '16-bit ASIDs' },
      ],
      description: 'Number of ASID bits',
    },
    {
      name: 'PARange',
      bits: [3, 0],
      values: [
        { value: 0b0000, name: '32', meaning: '32 bits, 4GB' },
        { value: 0b0001, name: '36', meaning: '36 bits, 64GB' },
        { value: 0b0010, name: '40', meaning: '40 bits, 1TB' },
        { value: 0b0011, name: '42', meaning: '42 bits, 4TB' },
        { value: 0b0100, name: '44', meaning: '44 bits, 16TB' },
        { value: 0b0101, name: '48', meaning: '48 bits, 256TB' },
        { value: 0b0110, name: '52', meaning: '52 bits, 4PB (FEAT_LPA)' },
        { value: 0b0111, name: '56', meaning: '56 bits, 64PB (FEAT_D128)' },
      ],
      description: 'Physical address range supported',
    },
  ],
};
