// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.80 ID_AA64DFR0_EL1, AArch64 Debug Feature Register 0;
// field positions and enumerator names agree with Linux arch/arm64/tools/sysreg
// (Sysreg ID_AA64DFR0_EL1 3 0 0 5 0).
import type { RegisterDef } from './types.js';

export const ID_AA64DFR0_EL1: RegisterDef = {
  name: 'ID_AA64DFR0_EL1',
  encoding: { op0: 3, op1: 0, crn: 0, crm: 5, op2: 0 },
  width: 64,
  feature: 'FEAT_AA64',
  access: { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.2.80',
  description: 'Top-level debug features: PMU version, HPMN0, breakpoints, watchpoints, SPE, trace',
  fields: [
    {
      name: 'HPMN0',
      bits: [63, 60],
      values: [
        { value: 0b0000, name: 'UNPREDICTABLE', meaning: 'MDCR_EL2.HPMN = 0 is CONSTRAINED UNPREDICTABLE' },
        { value: 0b0001, name: 'DEF', meaning: 'MDCR_EL2.HPMN = 0 has defined behavior (FEAT_HPMN0)' },
      ],
      description: 'Zero PMU event counters for a guest: whether MDCR_EL2.HPMN may be 0 (FEAT_HPMN0)',
    },
    {
      name: 'ExtTrcBuff',
      bits: [59, 56],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Trace Buffer External Mode not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Trace Buffer External Mode implemented (FEAT_TRBE_EXT)' },
      ],
      description: 'Trace Buffer External Mode Extension',
    },
    {
      name: 'BRBE',
      bits: [55, 52],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Branch Record Buffer Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Branch Record Buffer Extension implemented (FEAT_BRBE)' },
        {
          value: 0b0010,
          name: 'BRBE_V1P1',
          meaning: 'As 0b0001, plus branch recording at EL3 (FEAT_BRBEv1p1)',
        },
      ],
      description: 'Branch Record Buffer Extension version',
    },
    {
      name: 'MTPMU',
      bits: [51, 48],
      values: [
        {
          value: 0b0000,
          name: 'NI_IMPDEF',
          meaning: 'FEAT_MTPMU not implemented; PMEVTYPER<n>_EL0.MT is IMPLEMENTATION DEFINED RW or RES0',
        },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'FEAT_MTPMU and FEAT_PMUv3 implemented; MT is RW and Effective 0 when MTPMU is disabled',
        },
        { value: 0b1111, name: 'NI', meaning: 'FEAT_MTPMU not implemented; PMEVTYPER<n>_EL0.MT is RES0' },
      ],
      description: 'Multi-threaded PMU extension (FEAT_MTPMU); signed field',
    },
    {
      name: 'TraceBuffer',
      bits: [47, 44],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Trace Buffer Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Trace Buffer Extension implemented (FEAT_TRBE)' },
        {
          value: 0b0010,
          name: 'TRBE_V1P1',
          meaning: 'As 0b0001, plus TSB CSYNC trap, nVM override, TRBE Profiling exception (FEAT_TRBEv1p1)',
        },
      ],
      description: 'Trace Buffer Extension version',
    },
    {
      name: 'TraceFilt',
      bits: [43, 40],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Armv8.4 Self-hosted Trace Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Armv8.4 Self-hosted Trace Extension implemented (FEAT_TRF)' },
      ],
      description: 'Armv8.4 Self-hosted Trace Extension version',
    },
    {
      name: 'DoubleLock',
      bits: [39, 36],
      values: [
        {
          value: 0b0000,
          name: 'IMP',
          meaning: 'OS Double Lock implemented; OSDLR_EL1 is RW (FEAT_DoubleLock)',
        },
        { value: 0b1111, name: 'NI', meaning: 'OS Double Lock not implemented; OSDLR_EL1 is RAZ/WI' },
      ],
      description: 'OS Double Lock implemented',
    },
    {
      name: 'PMSVer',
      bits: [35, 32],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Statistical Profiling Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Statistical Profiling Extension implemented (FEAT_SPE)' },
        {
          value: 0b0010,
          name: 'V1P1',
          meaning: 'As 0b0001, plus alignment flag and SVE profiling (FEAT_SPEv1p1)',
        },
        {
          value: 0b0011,
          name: 'V1P2',
          meaning: 'As 0b0010, plus discard mode, PMSNEVFR_EL1, PMU freeze on SPE events (FEAT_SPEv1p2)',
        },
        {
          value: 0b0100,
          name: 'V1P3',
          meaning: 'As 0b0011, plus MOPS and MTE operation types (FEAT_SPEv1p3)',
        },
        {
          value: 0b0101,
          name: 'V1P4',
          meaning: 'As 0b0100, plus more Events flags, data source filter (FEAT_SPEv1p4)',
        },
        {
          value: 0b0110,
          name: 'V1P5',
          meaning: 'As 0b0101, plus PSB CSYNC trap, FEAT_SPE_EXC and FEAT_SPE_nVM (FEAT_SPEv1p5)',
        },
      ],
      description: 'Statistical Profiling Extension version',
    },
    {
      name: 'CTX_CMPs',
      bits: [31, 28],
      values: [
        {
          value: 0b1111,
          meaning: '16 context-aware breakpoints, or 16 or more as given by ID_AA64DFR1_EL1.CTX_CMPs',
        },
      ],
      description: 'Number of context-aware breakpoints, minus 1 (0b0000..0b1110)',
    },
    {
      name: 'SEBEP',
      bits: [27, 24],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Synchronous-exception-based event profiling not implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'Synchronous-exception-based event profiling implemented (FEAT_SEBEP)',
        },
      ],
      description: 'Synchronous-exception-based event profiling (FEAT_SEBEP)',
    },
    {
      name: 'WRPs',
      bits: [23, 20],
      description:
        'Number of watchpoints, minus 1 (0b0001..0b1111; 0b0000 reserved); 0b1111 may defer to ID_AA64DFR1_EL1.WRPs',
    },
    {
      name: 'PMSS',
      bits: [19, 16],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'PMU Snapshot extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'PMU Snapshot extension implemented (FEAT_PMUv3_SS)' },
      ],
      description: 'PMU Snapshot extension (FEAT_PMUv3_SS)',
    },
    {
      name: 'BRPs',
      bits: [15, 12],
      values: [
        {
          value: 0b1111,
          meaning:
            'Highest context-aware breakpoint is 15, or context-aware breakpoints are the lowest numbered',
        },
      ],
      description: 'Index of the highest-numbered context-aware breakpoint (0b0001..0b1110; 0b0000 reserved)',
    },
    {
      name: 'PMUVer',
      bits: [11, 8],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Performance Monitors Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'PMUv3 implemented (FEAT_PMUv3)' },
        {
          value: 0b0100,
          name: 'V3P1',
          meaning: 'PMUv3 for Armv8.1: 16-bit evtCount, MDCR_EL2.HPMD (FEAT_PMUv3p1)',
        },
        { value: 0b0101, name: 'V3P4', meaning: 'PMUv3 for Armv8.4: PMMIR_EL1 (FEAT_PMUv3p4)' },
        {
          value: 0b0110,
          name: 'V3P5',
          meaning: 'PMUv3 for Armv8.5: 64-bit event counters, MDCR_EL2.HCCD, MDCR_EL3.SCCD (FEAT_PMUv3p5)',
        },
        {
          value: 0b0111,
          name: 'V3P7',
          meaning: 'PMUv3 for Armv8.7: PMCR_EL0.FZO, MDCR_EL2.HPMFZO, MDCR_EL3.{MPMX,MCCD} (FEAT_PMUv3p7)',
        },
        {
          value: 0b1000,
          name: 'V3P8',
          meaning:
            'PMUv3 for Armv8.8: wider common event space, no CU for unimplemented events (FEAT_PMUv3p8)',
        },
        {
          value: 0b1001,
          name: 'V3P9',
          meaning: 'PMUv3 for Armv8.9: PMUSERENR_EL0.UEN, PMUACR_EL1, EDECR.PME (FEAT_PMUv3p9)',
        },
        {
          value: 0b1111,
          name: 'IMP_DEF',
          meaning: 'IMPLEMENTATION DEFINED performance monitors; PMUv3 not supported',
        },
      ],
      description: 'Performance Monitors Extension version; alternative ID scheme (0b1111 is not a PMUv3)',
    },
    {
      name: 'TraceVer',
      bits: [7, 4],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Trace unit System registers not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Trace unit System registers implemented' },
      ],
      description: 'Trace unit System register interface',
    },
    {
      name: 'DebugVer',
      bits: [3, 0],
      values: [
        { value: 0b0110, name: 'IMP', meaning: 'Armv8.0 debug architecture' },
        { value: 0b0111, name: 'VHE', meaning: 'Armv8.1 debug architecture (FEAT_Debugv8p1)' },
        { value: 0b1000, name: 'V8P2', meaning: 'Armv8.2 debug architecture (FEAT_Debugv8p2)' },
        { value: 0b1001, name: 'V8P4', meaning: 'Armv8.4 debug architecture (FEAT_Debugv8p4)' },
        { value: 0b1010, name: 'V8P8', meaning: 'Armv8.8 debug architecture (FEAT_Debugv8p8)' },
        { value: 0b1011, name: 'V8P9', meaning: 'Armv8.9 debug architecture (FEAT_Debugv8p9)' },
      ],
      description: 'Debug architecture version',
    },
  ],
};
