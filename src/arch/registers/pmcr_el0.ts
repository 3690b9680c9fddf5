// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.8 PMCR_EL0, Performance Monitors Control Register;
// Linux arch/arm64/tools/sysreg has no PMCR_EL0 block: bits [7:0] and N [15:11] agree with the
// ARMV8_PMU_PMCR_* macros of Linux include/linux/perf/arm_pmuv3.h.
import type { RegisterDef } from './types.js';

export const PMCR_EL0: RegisterDef = {
  name: 'PMCR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 0 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.8',
  description: 'PMU control: number of counters, global enable of the first range, resets, overflow widths',
  fields: [
    { name: 'RES0', bits: [63, 33], description: 'Reserved' },
    {
      name: 'FZS',
      bits: [32, 32],
      feature: 'FEAT_SPEv1p2',
      values: [
        { value: 0, meaning: 'Counters do not freeze on an SPE buffer management event' },
        { value: 1, meaning: 'Affected counters stop counting after an SPE buffer management event' },
      ],
      description:
        'Freeze on SPE stop: first range, PMICNTR_EL0, and PMCCNTR_EL0 if FEAT_SPE_DPFZS and DP is 1',
    },
    {
      name: 'IMP',
      bits: [31, 24],
      condition: 'FEAT_PMUv3p7 is not implemented; otherwise RAZ',
      access: 'RO',
      description: 'Implementer code, as MIDR_EL1.Implementer; 0 means use MIDR_EL1 (deprecated)',
    },
    {
      name: 'IDCODE',
      bits: [23, 16],
      condition: 'PMCR_EL0.IMP is nonzero; otherwise RES0',
      access: 'RO',
      description: 'Implementer-specific identification code of the PMU (deprecated)',
    },
    {
      name: 'N',
      bits: [15, 11],
      access: 'RO',
      description:
        'Number of event counters; EL1/EL0 reads with EL2 enabled return the Effective MDCR_EL2.HPMN',
    },
    { name: 'RES0', bits: [10, 10], description: 'Reserved' },
    {
      name: 'FZO',
      bits: [9, 9],
      feature: 'FEAT_PMUv3p7',
      values: [
        { value: 0, meaning: 'Do not freeze on overflow' },
        {
          value: 1,
          meaning:
            'Affected counters stop while any first-range (or F0) overflow flag is set, SYNC counters aside',
        },
      ],
      description:
        'Freeze-on-overflow for first-range counters and PMICNTR_EL0 (PMCCNTR_EL0 only when DP is 1)',
    },
    { name: 'RES0', bits: [8, 8], description: 'Reserved' },
    {
      name: 'LP',
      bits: [7, 7],
      feature: 'FEAT_PMUv3p5',
      values: [
        { value: 0, meaning: 'First-range counters overflow at bit 31 (32-bit overflow)' },
        { value: 1, meaning: 'First-range counters overflow at bit 63 (64-bit overflow)' },
      ],
      description: 'Long event counter enable: overflow width of first-range event counters',
    },
    {
      name: 'LC',
      bits: [6, 6],
      feature: 'FEAT_AA32',
      whenAbsent: 'RES1',
      condition: 'otherwise RES1',
      values: [
        { value: 0, meaning: 'PMCCNTR_EL0 overflows at bit 31 (deprecated)' },
        { value: 1, meaning: 'PMCCNTR_EL0 overflows at bit 63' },
      ],
      description: 'Long cycle counter enable: overflow width of the cycle counter',
    },
    {
      name: 'DP',
      bits: [5, 5],
      condition:
        'EL3, or FEAT_PMUv3p1 and EL2, or FEAT_PMUv3p7, or FEAT_SPE_DPFZS is implemented; otherwise RES0',
      values: [
        { value: 0, meaning: 'PMCCNTR_EL0 is not affected by this control' },
        { value: 1, meaning: 'PMCCNTR_EL0 stops where first-range counting is prohibited or frozen' },
      ],
      description: 'Disable the cycle counter where event counting is prohibited or frozen',
    },
    {
      name: 'X',
      bits: [4, 4],
      condition: 'an IMPLEMENTATION DEFINED PMU event export bus is implemented; otherwise RAZ/WI',
      values: [
        { value: 0, meaning: 'Do not export events' },
        { value: 1, meaning: 'Export events where not prohibited' },
      ],
      description: 'Enable export of PMU events on the IMPLEMENTATION DEFINED event export bus',
    },
    {
      name: 'D',
      bits: [3, 3],
      feature: 'FEAT_AA32',
      values: [
        { value: 0, meaning: 'PMCCNTR_EL0 counts every clock cycle' },
        {
          value: 1,
          meaning: 'PMCCNTR_EL0 counts once every 64 clock cycles (deprecated; ignored when LC is 1)',
        },
      ],
      description: 'Cycle counter clock divider',
    },
    {
      name: 'C',
      bits: [2, 2],
      access: 'WO',
      values: [
        { value: 0, meaning: 'No action' },
        { value: 1, meaning: 'Reset PMCCNTR_EL0[63:0] to zero (overflow flag unchanged)' },
      ],
      description: 'Cycle counter reset; reads as zero',
    },
    {
      name: 'P',
      bits: [1, 1],
      access: 'WO',
      values: [
        { value: 0, meaning: 'No action' },
        { value: 1, meaning: 'Reset all affected event counters to zero (overflow flags unchanged)' },
      ],
      description:
        'Event counter reset: first range, and second range at EL2/EL3 or with EL2 disabled; reads 0',
    },
    {
      name: 'E',
      bits: [0, 0],
      values: [
        { value: 0, meaning: 'Affected counters are disabled' },
        { value: 1, meaning: 'Affected counters are enabled by PMCNTENSET_EL0' },
      ],
      description: 'Global enable of first-range event counters, PMCCNTR_EL0 and PMICNTR_EL0',
    },
  ],
};
