// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.29 PMZR_EL0, Performance Monitors Zero with Mask;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg PMZR_EL0 3 3 9 13 4, added by
// "arm64: sysreg: Add registers trapped by HDFG{R,W}TR2_EL2", 2025).
import type { RegisterDef } from './types.js';

export const PMZR_EL0: RegisterDef = {
  name: 'PMZR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 13, op2: 4 },
  width: 64,
  feature: 'FEAT_PMUv3p9',
  // Only an MSR encoding exists (D24.5.29 "Accessing PMZR_EL0"): reads are UNDEFINED at every EL.
  access: { el0: 'WO', el1: 'WO', el2: 'WO', el3: 'WO' },
  section: 'D24.5.29',
  description: 'Zero with mask: writing 1 to a bit sets that counter to zero (ZeroPMUCounters)',
  fields: [
    { name: 'RES0', bits: [63, 33], description: 'Reserved' },
    {
      name: 'F0',
      bits: [32, 32],
      feature: 'FEAT_PMUv3_ICNTR',
      values: [
        { value: 0, meaning: 'Write is ignored' },
        { value: 1, meaning: 'Set PMICNTR_EL0 to zero' },
      ],
      description: 'Zero the instruction counter PMICNTR_EL0',
    },
    {
      name: 'C',
      bits: [31, 31],
      values: [
        { value: 0, meaning: 'Write is ignored' },
        { value: 1, meaning: 'Set PMCCNTR_EL0 to zero' },
      ],
      description: 'Zero the cycle counter PMCCNTR_EL0',
    },
    {
      name: 'P',
      bits: [30, 0],
      description:
        'P<m>, one bit per event counter m: 1 sets PMEVCNTR<m>_EL0 to zero; RAZ/WI if inaccessible',
    },
  ],
};
