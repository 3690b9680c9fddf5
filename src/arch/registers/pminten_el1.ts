// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.18 PMINTENSET_EL1, Performance Monitors Interrupt Enable Set Register,
// and D24.5.17 PMINTENCLR_EL1, Performance Monitors Interrupt Enable Clear Register (one storage);
// encodings agree with Linux arch/arm64/include/asm/sysreg.h (SYS_PMINTENSET_EL1 3 0 9 14 1,
// SYS_PMINTENCLR_EL1 3 0 9 14 2); Linux's sysreg file has no block for these registers.
import type { FieldDef, RegisterDef } from './types.js';

/** The fields shared by PMINTENSET_EL1 (writes of 1 set) and PMINTENCLR_EL1 (writes of 1 clear). */
const PMINTEN_FIELDS: readonly FieldDef[] = [
  { name: 'RES0', bits: [63, 33], description: 'Reserved' },
  {
    name: 'F0',
    bits: [32, 32],
    feature: 'FEAT_PMUv3_ICNTR',
    values: [
      {
        value: 0,
        meaning: 'Overflow interrupt request (or PMU Profiling exception) for PMICNTR_EL0 disabled',
      },
      {
        value: 1,
        meaning: 'Overflow interrupt request (or PMU Profiling exception) for PMICNTR_EL0 enabled',
      },
    ],
    description:
      'PMICNTR_EL0 overflow interrupt enable; write 1 to SET enables it, write 1 to CLR disables it',
  },
  {
    name: 'C',
    bits: [31, 31],
    values: [
      {
        value: 0,
        meaning: 'Overflow interrupt request (or PMU Profiling exception) for PMCCNTR_EL0 disabled',
      },
      {
        value: 1,
        meaning: 'Overflow interrupt request (or PMU Profiling exception) for PMCCNTR_EL0 enabled',
      },
    ],
    description:
      'PMCCNTR_EL0 overflow interrupt enable; write 1 to SET enables it, write 1 to CLR disables it',
  },
  {
    name: 'P',
    bits: [30, 0],
    description:
      'P<m>, one bit per event counter m: PMEVCNTR<m>_EL0 overflow interrupt enable; RAZ/WI if inaccessible',
  },
];

export const PMINTENSET_EL1: RegisterDef = {
  name: 'PMINTENSET_EL1',
  encoding: { op0: 3, op1: 0, crn: 9, crm: 14, op2: 1 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'UNDEFINED', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.18',
  description: 'Overflow interrupt enables: writing 1 to a bit enables it; reads return the enable bitmap',
  fields: PMINTEN_FIELDS,
};

export const PMINTENCLR_EL1: RegisterDef = {
  name: 'PMINTENCLR_EL1',
  encoding: { op0: 3, op1: 0, crn: 9, crm: 14, op2: 2 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'UNDEFINED', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.17',
  description: 'Overflow interrupt enables: writing 1 to a bit disables it; reads return the enable bitmap',
  fields: PMINTEN_FIELDS,
};
