// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.4 PMCEID0_EL0 and D24.5.5 PMCEID1_EL0, Performance Monitors Common Event
// Identification Registers 0 and 1; Linux arch/arm64/tools/sysreg has no PMCEID<n>_EL0 block (encodings
// cross-checked with the Arm ARM accessor tables only).
// Each bit is one Common event: 1 = implemented and counted. The Arm ARM describes the bits as the
// arrays IDhi<n> (bits [n+32]) and ID<n> (bits [n]), n = 0 to 31; they are one field each here.
import type { RegisterDef } from './types.js';

export const PMCEID0_EL0: RegisterDef = {
  name: 'PMCEID0_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 6 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RO', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.5.4',
  description: 'Which Common events 0x0000-0x001F and 0x4000-0x401F are implemented',
  fields: [
    {
      name: 'IDhi',
      bits: [63, 32],
      feature: 'FEAT_PMUv3p1',
      description: 'Bit n is 1 when Common event 0x4000 + n is implemented and counted',
    },
    {
      name: 'ID',
      bits: [31, 0],
      description: 'Bit n is 1 when Common event n (0x0000 + n) is implemented and counted',
    },
  ],
};

export const PMCEID1_EL0: RegisterDef = {
  name: 'PMCEID1_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 12, op2: 7 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RO', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.5.5',
  description: 'Which Common events 0x0020-0x003F and 0x4020-0x403F are implemented',
  fields: [
    {
      name: 'IDhi',
      bits: [63, 32],
      feature: 'FEAT_PMUv3p1',
      description: 'Bit n is 1 when Common event 0x4020 + n is implemented and counted',
    },
    {
      name: 'ID',
      bits: [31, 0],
      description: 'Bit n is 1 when Common event 0x0020 + n is implemented and counted',
    },
  ],
};
