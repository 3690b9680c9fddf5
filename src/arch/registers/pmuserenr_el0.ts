// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.26 PMUSERENR_EL0, Performance Monitors User Enable Register;
// Linux arch/arm64/tools/sysreg has no PMUSERENR_EL0 block: EN, SW, CR, ER [3:0] agree with the
// ARMV8_PMU_USERENR_* macros of Linux include/linux/perf/arm_pmuv3.h (UEN [4] in later versions).
import type { RegisterDef } from './types.js';

export const PMUSERENR_EL0: RegisterDef = {
  name: 'PMUSERENR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 14, op2: 0 },
  width: 64,
  feature: 'FEAT_PMUv3',
  // EL0 reads are not gated by PMUSERENR_EL0 itself; the MSR accessor is UNDEFINED at EL0.
  access: { el0: 'RO', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.26',
  description: 'EL0 access to the PMU: which PMU registers EL0 may read or write, and how',
  fields: [
    { name: 'RES0', bits: [63, 7], description: 'Reserved' },
    {
      name: 'TID',
      bits: [6, 6],
      feature: 'FEAT_PMUv3p9',
      values: [
        { value: 0, meaning: 'EL0 reads of PMCEID<n>_EL0 are not trapped by this control' },
        { value: 1, meaning: 'EL0 reads of PMCEID<n>_EL0 are trapped (to EL1, or EL2 when TGE is 1)' },
      ],
      description: 'Trap EL0 reads of the common event identification registers PMCEID0/1_EL0',
    },
    {
      name: 'IR',
      bits: [5, 5],
      feature: 'FEAT_PMUv3_ICNTR',
      values: [
        { value: 0, meaning: 'EL0 accesses are not affected' },
        {
          value: 1,
          meaning: 'With UEN 1, EL0 writes to PMICNTR_EL0 and PMZR_EL0.F0 are ignored, F0 bits RAZ/WI',
        },
      ],
      description: 'Instruction counter read-only at EL0 when UEN is 1; ignored when UEN is 0',
    },
    {
      name: 'UEN',
      bits: [4, 4],
      feature: 'FEAT_PMUv3p9',
      values: [
        { value: 0, meaning: 'EL0 PMU access follows ER, CR, SW, EN; PMICNTR_EL0/PMICFILTR_EL0 trapped' },
        {
          value: 1,
          meaning: 'EL0 access enabled per counter by PMUACR_EL1; EL0 accesses to PMCR_EL0 trapped',
        },
      ],
      description: 'User enable filtered by PMUACR_EL1; treated as 0 when EL1 is using AArch32',
    },
    {
      name: 'ER',
      bits: [3, 3],
      values: [
        { value: 0, meaning: 'UEN 0: EL0 event counter reads and PMSELR_EL0 access disabled unless EN is 1' },
        {
          value: 1,
          meaning: 'UEN 0: enabled; UEN 1: EL0 writes to event counters and PMZR_EL0.P are ignored',
        },
      ],
      description: 'Event counter read enable (UEN 0) or read-only (UEN 1, FEAT_PMUv3p9) at EL0',
    },
    {
      name: 'CR',
      bits: [2, 2],
      values: [
        { value: 0, meaning: 'UEN 0: EL0 cycle counter reads disabled unless EN is 1' },
        { value: 1, meaning: 'UEN 0: enabled; UEN 1: EL0 writes to PMCCNTR_EL0 and PMZR_EL0.C are ignored' },
      ],
      description: 'Cycle counter read enable (UEN 0) or read-only (UEN 1, FEAT_PMUv3p9) at EL0',
    },
    {
      name: 'SW',
      bits: [1, 1],
      values: [
        { value: 0, meaning: 'UEN 0: EL0 writes to PMSWINC_EL0 disabled unless EN is 1' },
        { value: 1, meaning: 'UEN 0: enabled; UEN 1: EL0 PMSWINC_EL0 writes ignore PMUACR_EL1' },
      ],
      description: 'Software increment write enable at EL0',
    },
    {
      name: 'EN',
      bits: [0, 0],
      values: [
        {
          value: 0,
          meaning: 'EL0 accesses to the PMU registers are trapped unless enabled by UEN, ER, CR, SW',
        },
        {
          value: 1,
          meaning: 'EL0 accesses to the PMU registers are enabled unless trapped by another control',
        },
      ],
      description:
        'EL0 access enable for the PMU registers other than the instruction counter; ignored when UEN is 1',
    },
  ],
};
