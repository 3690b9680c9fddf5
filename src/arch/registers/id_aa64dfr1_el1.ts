// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.81 ID_AA64DFR1_EL1, AArch64 Debug Feature Register 1;
// field positions and enumerator names agree with Linux arch/arm64/tools/sysreg
// (Sysreg ID_AA64DFR1_EL1 3 0 0 5 1).
import type { RegisterDef } from './types.js';

export const ID_AA64DFR1_EL1: RegisterDef = {
  name: 'ID_AA64DFR1_EL1',
  encoding: { op0: 3, op1: 0, crn: 0, crm: 5, op2: 1 },
  width: 64,
  feature: 'FEAT_AA64',
  access: { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.2.81',
  description: 'More debug features: instruction counter, EBEP, DPFZS, System PMU, >16 breakpoints',
  fields: [
    {
      name: 'ABL_CMPs',
      bits: [63, 56],
      feature: 'FEAT_ABLE',
      description: 'Number of breakpoints that support address linking, minus 1 (0x00..0x3F); else RES0',
    },
    {
      name: 'DPFZS',
      bits: [55, 52],
      values: [
        { value: 0b0000, name: 'IGNR', meaning: 'PMCCNTR_EL0 is never affected by PMCR_EL0.FZS' },
        {
          value: 0b0001,
          name: 'FRZN',
          meaning: 'PMCCNTR_EL0 stops when PMCR_EL0.DP is 1 and an FZS freeze applies (FEAT_SPE_DPFZS)',
        },
      ],
      description: 'Cycle counter behaviour when counting is frozen by an SPE buffer management event',
    },
    {
      name: 'EBEP',
      bits: [51, 48],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Exception-based event profiling not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Exception-based event profiling implemented (FEAT_EBEP)' },
      ],
      description: 'Exception-based event profiling (FEAT_EBEP)',
    },
    {
      name: 'ITE',
      bits: [47, 44],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Instrumentation Trace Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Instrumentation Trace Extension implemented (FEAT_ITE)' },
      ],
      description: 'Instrumentation Trace Extension',
    },
    {
      name: 'ABLE',
      bits: [43, 40],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Address Breakpoint Linking Extension not implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'Address Breakpoint Linking Extension implemented (FEAT_ABLE; FEAT_BWE in part)',
        },
      ],
      description: 'Address Breakpoint Linking Extension',
    },
    {
      name: 'PMICNTR',
      bits: [39, 36],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'PMU fixed-function instruction counter not implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'PMU fixed-function instruction counter implemented (FEAT_PMUv3_ICNTR)',
        },
      ],
      description: 'PMU fixed-function instruction counter PMICNTR_EL0 (FEAT_PMUv3_ICNTR)',
    },
    {
      name: 'SPMU',
      bits: [35, 32],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'System PMU extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'System PMU extension implemented (FEAT_SPMU)' },
        { value: 0b0010, name: 'IMP_SPMZR', meaning: 'As 0b0001, plus SPMZR_EL0 (FEAT_SPMU2)' },
      ],
      description: 'System PMU extension',
    },
    {
      name: 'CTX_CMPs',
      bits: [31, 24],
      values: [
        { value: 0x00, meaning: 'ID_AA64DFR0_EL1.CTX_CMPs gives the number of context-aware breakpoints' },
      ],
      description: 'Number of context-aware breakpoints, minus 1 (0x01..0x3F), or 0x00',
    },
    {
      name: 'WRPs',
      bits: [23, 16],
      values: [{ value: 0x00, meaning: 'ID_AA64DFR0_EL1.WRPs gives the number of watchpoints' }],
      description: 'Number of watchpoints, minus 1 (0x01..0x3F), or 0x00',
    },
    {
      name: 'BRPs',
      bits: [15, 8],
      values: [{ value: 0x00, meaning: 'ID_AA64DFR0_EL1.BRPs gives the number of breakpoints' }],
      description: 'Number of breakpoints, minus 1 (0x01..0x3F), or 0x00',
    },
    {
      name: 'SYSPMUID',
      bits: [7, 0],
      feature: 'FEAT_SPMU',
      description: 'Largest value that can be written to SPMSELR_EL0.SYSPMUSEL (0x00..0x1F); else RES0',
    },
  ],
};
