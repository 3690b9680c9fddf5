// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.28 PMXEVTYPER_EL0, Performance Monitors Selected Event Type Register;
// Linux arch/arm64/tools/sysreg has no PMXEVTYPER_EL0 block (encoding from the Arm ARM accessor table).
// The Arm ARM describes the register as one 64-bit field: the fields are those of the register it selects.
import type { RegisterDef } from './types.js';

export const PMXEVTYPER_EL0: RegisterDef = {
  name: 'PMXEVTYPER_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 13, op2: 1 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.28',
  description: 'Indirect access to PMEVTYPER<n>_EL0, or PMCCFILTR_EL0, as selected by PMSELR_EL0.SEL',
  fields: [
    {
      name: 'EVTYPERn',
      bits: [63, 0],
      description: 'PMCCFILTR_EL0 when PMSELR_EL0.SEL is 31, else PMEVTYPER<SEL>_EL0',
    },
  ],
};
