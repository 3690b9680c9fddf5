// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.15 PMICNTR_EL0, Performance Monitors Instruction Counter Register;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg PMICNTR_EL0 3 3 9 4 0).
import type { RegisterDef } from './types.js';

export const PMICNTR_EL0: RegisterDef = {
  name: 'PMICNTR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 4, op2: 0 },
  width: 64,
  feature: 'FEAT_PMUv3_ICNTR',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.15',
  description: 'The fixed instruction counter (counter index 32), filtered by PMICFILTR_EL0',
  fields: [
    {
      name: 'ICNT',
      bits: [63, 0],
      description:
        'Instruction count: one per architecturally executed instruction while enabled and allowed',
    },
  ],
};
