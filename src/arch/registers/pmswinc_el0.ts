// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.24 PMSWINC_EL0, Performance Monitors Software Increment Register;
// encoding agrees with Linux arch/arm64/include/asm/sysreg.h (SYS_PMSWINC_EL0 3 3 9 12 4);
// Linux's sysreg file has no block for this register.
import type { RegisterDef } from './types.js';

export const PMSWINC_EL0: RegisterDef = {
  name: 'PMSWINC_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 4 },
  width: 64,
  feature: 'FEAT_PMUv3',
  // Only an MSR encoding exists (D24.5.24 "Accessing PMSWINC_EL0"): reads are UNDEFINED at every EL.
  access: { el0: 'WO', el1: 'WO', el2: 'WO', el3: 'WO' },
  section: 'D24.5.24',
  description: 'Software increment: writing 1 to bit m counts one SW_INCR (event 0x00) on event counter m',
  fields: [
    { name: 'RES0', bits: [63, 31], description: 'Reserved' },
    {
      name: 'P',
      bits: [30, 0],
      description:
        'P<m>, one bit per event counter m: 1 increments PMEVCNTR<m>_EL0 if it counts SW_INCR, 0 is ignored',
    },
  ],
};
