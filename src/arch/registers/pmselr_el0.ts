// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.22 PMSELR_EL0, Performance Monitors Event Counter Selection Register;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg PMSELR_EL0 3 3 9 12 5).
import type { RegisterDef } from './types.js';

export const PMSELR_EL0: RegisterDef = {
  name: 'PMSELR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 5 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.22',
  description: 'Selects the counter that PMXEVTYPER_EL0 and PMXEVCNTR_EL0 access',
  fields: [
    { name: 'RES0', bits: [63, 5], description: 'Reserved' },
    {
      name: 'SEL',
      bits: [4, 0],
      values: [
        {
          value: 0b11111,
          meaning:
            'Cycle counter: PMXEVTYPER_EL0 reaches PMCCFILTR_EL0, PMXEVCNTR_EL0 CONSTRAINED UNPREDICTABLE',
        },
      ],
      description:
        'Counter select: 0..30 selects PMEVCNTR<n>_EL0/PMEVTYPER<n>_EL0 with n = SEL, 31 the cycle counter',
    },
  ],
};
