// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.3.17 MDCR_EL2, Monitor Debug Configuration Register (EL2);
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg MDCR_EL2 3 4 1 1 1).
import type { RegisterDef } from './types.js';

export const MDCR_EL2: RegisterDef = {
  name: 'MDCR_EL2',
  encoding: { op0: 3, op1: 4, crn: 1, crm: 1, op2: 1 },
  width: 64,
  feature: 'FEAT_EL2',
  access: { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'RW', el3: 'RW' },
  section: 'D24.3.17',
  description: 'EL2 debug and PMU configuration: the HPMN counter partition, PMU traps, filters',
  fields: [
    { name: 'RES0', bits: [63, 51], description: 'Reserved' },
    {
      name: 'EnSTEPOP',
      bits: [50, 50],
      feature: 'FEAT_STEP2',
      description: 'Enables execution of the instruction in MDSTEPOP_EL1 at EL1 and EL0',
    },
    { name: 'RES0', bits: [49, 44], description: 'Reserved' },
    {
      name: 'EBWE',
      bits: [43, 43],
      feature: 'FEAT_Debugv8p9',
      description: 'Extended breakpoint and watchpoint enable (treated as 0 when MDCR_EL3.EBWE is 0)',
    },
    { name: 'RES0', bits: [42, 42], description: 'Reserved' },
    {
      name: 'PMEE',
      bits: [41, 40],
      feature: 'FEAT_EBEP',
      values: [
        { value: 0b00, meaning: 'PMUIRQ asserted on overflow; PMU Profiling exception disabled' },
        { value: 0b01, meaning: 'Controlled by PMECR_EL1.PMEE' },
        { value: 0b10, meaning: 'Reserved' },
        { value: 0b11, meaning: 'PMUIRQ deasserted; PMU Profiling exception enabled' },
      ],
      description: 'Performance Monitors exception enable: PMUIRQ or the PMU Profiling exception',
    },
    { name: 'RES0', bits: [39, 37], description: 'Reserved' },
    {
      name: 'HPMFZS',
      bits: [36, 36],
      feature: 'FEAT_SPEv1p2',
      description: 'Freeze second-range event counters on an SPE buffer management event',
    },
    { name: 'RES0', bits: [35, 32], description: 'Reserved' },
    {
      name: 'PMSSE',
      bits: [31, 30],
      feature: 'FEAT_PMUv3_SS',
      values: [
        { value: 0b00, meaning: 'Snapshot Capture event disabled' },
        { value: 0b01, meaning: 'Controlled by PMECR_EL1.SSE' },
        { value: 0b10, meaning: 'Enabled, prohibited' },
        { value: 0b11, meaning: 'Enabled, allowed' },
      ],
      description: 'PMU Snapshot Capture event enable',
    },
    {
      name: 'HPMFZO',
      bits: [29, 29],
      feature: 'FEAT_PMUv3p7',
      values: [
        { value: 0, meaning: 'Second-range counters do not freeze on overflow' },
        { value: 1, meaning: 'Second-range counters freeze while any second-range PMOVSCLR_EL0 bit is 1' },
      ],
      description: 'Hypervisor freeze-on-overflow for second-range event counters',
    },
    {
      name: 'MTPME',
      bits: [28, 28],
      feature: 'FEAT_MTPMU',
      condition: 'EL3 is not implemented',
      values: [
        { value: 0, meaning: 'FEAT_MTPMU disabled: Effective PMEVTYPER<n>_EL0.MT is 0' },
        { value: 1, meaning: 'FEAT_MTPMU enabled' },
      ],
      description: 'Multi-threaded PMU enable',
    },
    {
      name: 'TDCC',
      bits: [27, 27],
      feature: 'FEAT_FGT',
      description: 'Trap EL1 and EL0 accesses to the DCC registers to EL2',
    },
    {
      name: 'HLP',
      bits: [26, 26],
      feature: 'FEAT_PMUv3p5',
      values: [
        { value: 0, meaning: 'Second-range counters overflow at bit 31 (32-bit overflow)' },
        { value: 1, meaning: 'Second-range counters overflow at bit 63 (64-bit overflow)' },
      ],
      description: 'Hypervisor long event counter enable: overflow width of second-range counters',
    },
    {
      name: 'E2TB',
      bits: [25, 24],
      feature: 'FEAT_TRBE',
      description: 'EL2 Trace Buffer: owning Exception level and trap of TRB* registers',
    },
    {
      name: 'HCCD',
      bits: [23, 23],
      feature: 'FEAT_PMUv3p5',
      values: [
        { value: 0, meaning: 'Cycle counting by PMCCNTR_EL0 is not prohibited at EL2' },
        {
          value: 1,
          meaning: 'Cycle counting by PMCCNTR_EL0 is prohibited at EL2 (not overridden by PMCR_EL0.DP)',
        },
      ],
      description: 'Hypervisor cycle counter disable at EL2',
    },
    { name: 'RES0', bits: [22, 20], description: 'Reserved' },
    {
      name: 'TTRF',
      bits: [19, 19],
      feature: 'FEAT_TRF',
      description: 'Trap EL1 accesses to TRFCR_EL1 to EL2',
    },
    { name: 'RES0', bits: [18, 18], description: 'Reserved' },
    {
      name: 'HPMD',
      bits: [17, 17],
      feature: 'FEAT_PMUv3p1',
      values: [
        { value: 0, meaning: 'Event counting by first-range counters is allowed at EL2' },
        { value: 1, meaning: 'Event counting by first-range counters is prohibited at EL2' },
      ],
      description: 'Guest Performance Monitors Disable: prohibit first-range counting at EL2',
    },
    { name: 'RES0', bits: [16, 16], description: 'Reserved' },
    {
      name: 'EnSPM',
      bits: [15, 15],
      feature: 'FEAT_SPMU',
      description: 'Enable EL1 and EL0 access to the System PMU registers (0 traps to EL2)',
    },
    {
      name: 'TPMS',
      bits: [14, 14],
      feature: 'FEAT_SPE',
      description: 'Trap EL1 accesses to the SPE PMS* registers to EL2',
    },
    {
      name: 'E2PB',
      bits: [13, 12],
      feature: 'FEAT_SPE',
      description: 'EL2 Profiling Buffer: owning Exception level and trap of PMB* registers',
    },
    {
      name: 'TDRA',
      bits: [11, 11],
      description: 'Trap EL1 and EL0 accesses to the debug ROM address registers to EL2',
    },
    {
      name: 'TDOSA',
      bits: [10, 10],
      description: 'Trap EL1 accesses to the OS lock and powerdown debug registers to EL2',
    },
    {
      name: 'TDA',
      bits: [9, 9],
      description: 'Trap EL1 and EL0 accesses to the debug System registers to EL2',
    },
    { name: 'TDE', bits: [8, 8], description: 'Route debug exceptions from EL1 and EL0 to EL2' },
    {
      name: 'HPME',
      bits: [7, 7],
      feature: 'FEAT_PMUv3',
      values: [
        { value: 0, meaning: 'Second-range event counters are disabled' },
        { value: 1, meaning: 'Second-range event counters are enabled by PMCNTENSET_EL0' },
      ],
      description: 'Global enable of the second-range (EL2-reserved) event counters, at every EL',
    },
    {
      name: 'TPM',
      bits: [6, 6],
      feature: 'FEAT_PMUv3',
      description: 'Trap EL1 and EL0 accesses to the PMU registers to EL2',
    },
    {
      name: 'TPMCR',
      bits: [5, 5],
      feature: 'FEAT_PMUv3',
      description: 'Trap EL1 and EL0 accesses to PMCR_EL0 to EL2 (unless trapped by PMUSERENR_EL0.EN)',
    },
    {
      name: 'HPMN',
      bits: [4, 0],
      feature: 'FEAT_PMUv3',
      description:
        'Number of event counters in the first range, accessible from EL1 and EL0; values > N, and 0 without FEAT_HPMN0, are reserved',
    },
  ],
};
