// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.10 PMEVCNTR<n>_EL0, Performance Monitors Event Count Registers, n = 0 - 30;
// encoding agrees with Linux arch/arm64/include/asm/sysreg.h (SYS_PMEVCNTRn_EL0(n) = 3 3 14
// (0b10:n[4:3]) n[2:0]); Linux's sysreg file has no block for this register.
import type { RegisterDef } from './types.js';

export const PMEVCNTR_EL0: RegisterDef = {
  name: 'PMEVCNTR<n>_EL0',
  encoding: { op0: 3, op1: 3, crn: 14, crm: 0b1000, op2: 0 },
  index: { max: 30 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.10',
  description: 'Event counter n: the count of the event PMEVTYPER<n>_EL0 selects',
  fields: [
    {
      name: 'EVCNT_HI',
      bits: [63, 32],
      feature: 'FEAT_PMUv3p5',
      description: 'Event counter n bits [63:32] (the Arm ARM calls [63:0] EVCNT); RES0 without FEAT_PMUv3p5',
    },
    {
      name: 'EVCNT',
      bits: [31, 0],
      description: 'Event counter n bits [31:0] (all of EVCNT without FEAT_PMUv3p5)',
    },
  ],
};
