// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.7 PMCNTENSET_EL0, Performance Monitors Count Enable Set Register, and
// D24.5.6 PMCNTENCLR_EL0, Performance Monitors Count Enable Clear Register (one storage, two views);
// encodings agree with Linux arch/arm64/include/asm/sysreg.h (SYS_PMCNTENSET_EL0 3 3 9 12 1,
// SYS_PMCNTENCLR_EL0 3 3 9 12 2); Linux's sysreg file has no block for these registers.
import type { FieldDef, RegisterDef } from './types.js';

/** The fields shared by PMCNTENSET_EL0 (writes of 1 set) and PMCNTENCLR_EL0 (writes of 1 clear). */
const PMCNTEN_FIELDS: readonly FieldDef[] = [
  { name: 'RES0', bits: [63, 33], description: 'Reserved' },
  {
    name: 'F0',
    bits: [32, 32],
    feature: 'FEAT_PMUv3_ICNTR',
    values: [
      { value: 0, meaning: 'PMICNTR_EL0 disabled' },
      { value: 1, meaning: 'PMICNTR_EL0 enabled' },
    ],
    description:
      'Instruction counter PMICNTR_EL0 enable; write 1 to SET enables it, write 1 to CLR disables it',
  },
  {
    name: 'C',
    bits: [31, 31],
    values: [
      { value: 0, meaning: 'PMCCNTR_EL0 disabled' },
      { value: 1, meaning: 'PMCCNTR_EL0 enabled' },
    ],
    description: 'Cycle counter PMCCNTR_EL0 enable; write 1 to SET enables it, write 1 to CLR disables it',
  },
  {
    name: 'P',
    bits: [30, 0],
    description: 'P<m>, one bit per event counter m: PMEVCNTR<m>_EL0 enabled when 1; RAZ/WI if inaccessible',
  },
];

export const PMCNTENSET_EL0: RegisterDef = {
  name: 'PMCNTENSET_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 1 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.7',
  description: 'Counter enables: writing 1 to a bit enables that counter; reads return the enable bitmap',
  fields: PMCNTEN_FIELDS,
};

export const PMCNTENCLR_EL0: RegisterDef = {
  name: 'PMCNTENCLR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 2 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.6',
  description: 'Counter enables: writing 1 to a bit disables that counter; reads return the enable bitmap',
  fields: PMCNTEN_FIELDS,
};
