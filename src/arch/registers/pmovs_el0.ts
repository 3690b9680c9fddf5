// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.21 PMOVSSET_EL0, Performance Monitors Overflow Flag Status Set Register,
// and D24.5.20 PMOVSCLR_EL0, Performance Monitors Overflow Flag Status Clear Register (one storage);
// encodings agree with Linux arch/arm64/include/asm/sysreg.h (SYS_PMOVSSET_EL0 3 3 9 14 3,
// SYS_PMOVSCLR_EL0 3 3 9 12 3); Linux's sysreg file has no block for these registers.
import type { FieldDef, RegisterDef } from './types.js';

/** The fields shared by PMOVSSET_EL0 (writes of 1 set) and PMOVSCLR_EL0 (writes of 1 clear). */
const PMOVS_FIELDS: readonly FieldDef[] = [
  { name: 'RES0', bits: [63, 33], description: 'Reserved' },
  {
    name: 'F0',
    bits: [32, 32],
    feature: 'FEAT_PMUv3_ICNTR',
    values: [
      { value: 0, meaning: 'PMICNTR_EL0 has not overflowed' },
      { value: 1, meaning: 'PMICNTR_EL0 has overflowed' },
    ],
    description: 'PMICNTR_EL0 unsigned overflow flag; write 1 to SET sets it, write 1 to CLR clears it',
  },
  {
    name: 'C',
    bits: [31, 31],
    values: [
      { value: 0, meaning: 'PMCCNTR_EL0 has not overflowed' },
      { value: 1, meaning: 'PMCCNTR_EL0 has overflowed' },
    ],
    description:
      'PMCCNTR_EL0 unsigned overflow flag (at bit 31 or 63 per PMCR_EL0.LC); 1 to SET sets, to CLR clears',
  },
  {
    name: 'P',
    bits: [30, 0],
    description:
      'P<m>, one bit per event counter m: PMEVCNTR<m>_EL0 has overflowed when 1; RAZ/WI if inaccessible',
  },
];

export const PMOVSSET_EL0: RegisterDef = {
  name: 'PMOVSSET_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 14, op2: 3 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.21',
  description: 'Overflow flags: writing 1 to a bit sets that flag; reads return the overflow flags',
  fields: PMOVS_FIELDS,
};

export const PMOVSCLR_EL0: RegisterDef = {
  name: 'PMOVSCLR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 3 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.20',
  description: 'Overflow flags: writing 1 to a bit clears that flag; reads return the overflow flags',
  fields: PMOVS_FIELDS,
};
