// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.14 PMICFILTR_EL0, Performance Monitors Instruction Counter Filter Register;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg PMICFILTR_EL0 3 3 9 6 0, as added by the
// FEAT_PMUv3_ICNTR patch series), except that Linux names bit 23 T (TME filter of older Arm ARMs), RES0 here.
import type { RegisterDef } from './types.js';

export const PMICFILTR_EL0: RegisterDef = {
  name: 'PMICFILTR_EL0',
  encoding: { op0: 3, op1: 3, crn: 9, crm: 6, op2: 0 },
  width: 64,
  feature: 'FEAT_PMUv3_ICNTR',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.14',
  description: 'Instruction counter filter: the Exception levels, states and SVE modes PMICNTR_EL0 counts in',
  fields: [
    { name: 'RES0', bits: [63, 59], description: 'Reserved' },
    {
      name: 'SYNC',
      bits: [58, 58],
      feature: 'FEAT_SEBEP',
      values: [
        { value: 0, meaning: 'Asynchronous PMU Profiling exception' },
        { value: 1, meaning: 'Synchronous PMU Profiling exception' },
      ],
      description: 'Whether a PMU Profiling exception from the instruction counter is synchronous',
    },
    {
      name: 'VS',
      bits: [57, 56],
      feature: 'FEAT_PMUv3_SME',
      values: [
        { value: 0b00, meaning: 'No filtering by SVE mode' },
        { value: 0b01, meaning: 'Do not count instructions in Streaming SVE mode' },
        { value: 0b10, meaning: 'Do not count instructions in Non-streaming SVE mode' },
        { value: 0b11, meaning: 'Reserved' },
      ],
      description: 'SVE mode filtering of instructions',
    },
    { name: 'RES0', bits: [55, 32], description: 'Reserved' },
    {
      name: 'P',
      bits: [31, 31],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count instructions at EL1' },
      ],
      description: 'EL1 filter (refined by NSK, RLK, and by M for EL3)',
    },
    {
      name: 'U',
      bits: [30, 30],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count instructions at EL0' },
      ],
      description: 'EL0 filter (refined by NSU and RLU)',
    },
    {
      name: 'NSK',
      bits: [29, 29],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL1 filter: instructions at Non-secure EL1 are not counted when NSK != P',
    },
    {
      name: 'NSU',
      bits: [28, 28],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL0 filter: instructions at Non-secure EL0 are not counted when NSU != U',
    },
    {
      name: 'NSH',
      bits: [27, 27],
      feature: 'FEAT_EL2',
      values: [
        { value: 0, meaning: 'Do not count instructions at EL2' },
        { value: 1, meaning: 'No effect on filtering' },
      ],
      description: 'EL2 filter (refined by SH and RLH); note the inverted sense: 1 enables counting at EL2',
    },
    {
      name: 'M',
      bits: [26, 26],
      feature: 'FEAT_EL3',
      description: 'EL3 filter: instructions at EL3 are not counted when M != P',
    },
    { name: 'RES0', bits: [25, 25], description: 'Reserved' },
    {
      name: 'SH',
      bits: [24, 24],
      feature: 'FEAT_SEL2',
      condition: 'EL3 is implemented',
      description: 'Secure EL2 filter: instructions at Secure EL2 are not counted when SH == NSH',
    },
    { name: 'RES0', bits: [23, 23], description: 'Reserved' },
    {
      name: 'RLK',
      bits: [22, 22],
      feature: 'FEAT_RME',
      description: 'Realm EL1 filter: instructions at Realm EL1 are not counted when RLK != P',
    },
    {
      name: 'RLU',
      bits: [21, 21],
      feature: 'FEAT_RME',
      description: 'Realm EL0 filter: instructions at Realm EL0 are not counted when RLU != U',
    },
    {
      name: 'RLH',
      bits: [20, 20],
      feature: 'FEAT_RME',
      description: 'Realm EL2 filter: instructions at Realm EL2 are not counted when RLH == NSH',
    },
    { name: 'RES0', bits: [19, 16], description: 'Reserved' },
    {
      name: 'evtCount',
      bits: [15, 0],
      access: 'RO',
      values: [{ value: 0x0008, name: 'INST_RETIRED', meaning: 'Instruction architecturally executed' }],
      description: 'Event counted by PMICNTR_EL0; reads as 0x0008 (INST_RETIRED)',
    },
  ],
};
