// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.27 PMXEVCNTR_EL0, Performance Monitors Selected Event Count Register;
// encoding agrees with Linux arch/arm64/include/asm/sysreg.h (SYS_PMXEVCNTR_EL0 3 3 9 13 2);
// Linux's sysreg file has no block for this register.
import type { RegisterDef } from './types.js';

export const PMXEVCNTR_EL0: RegisterDef = {
  name: 'PMXEVCNTR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 13, op2: 2 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.27',
  description: 'Reads or writes PMEVCNTR<n>_EL0 for n = PMSELR_EL0.SEL',
  fields: [
    {
      name: 'PMEVCNTR<n>_HI',
      bits: [63, 32],
      feature: 'FEAT_PMUv3p5',
      description:
        'Bits [63:32] of the selected event counter (the Arm ARM calls [63:0] PMEVCNTR<n>); else RES0',
    },
    {
      name: 'PMEVCNTR<n>',
      bits: [31, 0],
      description: 'Bits [31:0] of the selected event counter PMEVCNTR<n>_EL0, n = PMSELR_EL0.SEL',
    },
  ],
};
