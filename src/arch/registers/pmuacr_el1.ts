// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.25 PMUACR_EL1, Performance Monitors User Access Control Register;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg PMUACR_EL1 3 0 9 14 4).
import type { RegisterDef } from './types.js';

export const PMUACR_EL1: RegisterDef = {
  name: 'PMUACR_EL1',
  encoding: { op0: 3, op1: 0, crn: 9, crm: 14, op2: 4 },
  width: 64,
  feature: 'FEAT_PMUv3p9',
  access: { el0: 'UNDEFINED', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.25',
  description: 'Per-counter EL0 access enables, used when PMUSERENR_EL0.UEN is 1',
  fields: [
    { name: 'RES0', bits: [63, 33], description: 'Reserved' },
    {
      name: 'F0',
      bits: [32, 32],
      feature: 'FEAT_PMUv3_ICNTR',
      values: [
        { value: 0, meaning: 'With UEN 1: EL0 accesses to PMICNTR_EL0 and its controls are RAZ/WI' },
        {
          value: 1,
          meaning:
            'With UEN 1: EL0 accesses to PMICNTR_EL0 and its controls are RO or RW per PMUSERENR_EL0.IR',
        },
      ],
      description: 'EL0 access enable for PMICNTR_EL0 and its F0 bits in PMCNTEN*, PMOVS* and PMZR_EL0',
    },
    {
      name: 'C',
      bits: [31, 31],
      values: [
        { value: 0, meaning: 'With UEN 1: EL0 accesses to PMCCNTR_EL0 and its controls are RAZ/WI' },
        {
          value: 1,
          meaning:
            'With UEN 1: EL0 accesses to PMCCNTR_EL0 and its controls are RO or RW per PMUSERENR_EL0.CR',
        },
      ],
      description: 'EL0 access enable for PMCCNTR_EL0 and its C bits in PMCNTEN*, PMOVS* and PMZR_EL0',
    },
    {
      name: 'P',
      bits: [30, 0],
      description:
        'P<m>, one bit per event counter m: EL0 access enable for PMEVCNTR<m>_EL0 and its control bits',
    },
  ],
};
