// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.2 PMCCNTR_EL0, Performance Monitors Cycle Count Register;
// encoding agrees with Linux arch/arm64/include/asm/sysreg.h (SYS_PMCCNTR_EL0 3 3 9 13 0);
// Linux's sysreg file has no block for this register.
import type { RegisterDef } from './types.js';

export const PMCCNTR_EL0: RegisterDef = {
  name: 'PMCCNTR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 13, op2: 0 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.2',
  description: 'The cycle counter (counter index 31), filtered by PMCCFILTR_EL0',
  fields: [
    {
      name: 'CCNT',
      bits: [63, 0],
      description:
        'Cycle count: increments every clock cycle or every 64th (PMCR_EL0.{LC,D}); PMCR_EL0.C zeroes it',
    },
  ],
};
