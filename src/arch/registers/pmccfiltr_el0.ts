// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.1 PMCCFILTR_EL0, Performance Monitors Cycle Count Filter Register;
// Linux arch/arm64/tools/sysreg has no PMCCFILTR_EL0 block: the filter bits [31:27] agree with
// ARMV8_PMU_EXCLUDE_* / ARMV8_PMU_INCLUDE_EL2 of Linux include/linux/perf/arm_pmuv3.h.
import type { RegisterDef } from './types.js';

export const PMCCFILTR_EL0: RegisterDef = {
  name: 'PMCCFILTR_EL0',
  encoding: { op0: 3, op1: 3, crn: 14, crm: 15, op2: 7 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.1',
  description: 'Cycle counter filter: the Exception levels, states and SVE modes in which PMCCNTR_EL0 counts',
  fields: [
    { name: 'RES0', bits: [63, 58], description: 'Reserved' },
    {
      name: 'VS',
      bits: [57, 56],
      feature: 'FEAT_PMUv3_SME',
      values: [
        { value: 0b00, meaning: 'No filtering by SVE mode' },
        { value: 0b01, meaning: 'Do not count cycles in Streaming SVE mode' },
        { value: 0b10, meaning: 'Do not count cycles in Non-streaming SVE mode' },
        { value: 0b11, meaning: 'Reserved' },
      ],
      description: 'SVE mode filtering of cycles',
    },
    { name: 'RES0', bits: [55, 32], description: 'Reserved' },
    {
      name: 'P',
      bits: [31, 31],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count cycles at EL1' },
      ],
      description: 'EL1 filter (refined by NSK, RLK, and by M for EL3)',
    },
    {
      name: 'U',
      bits: [30, 30],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count cycles at EL0' },
      ],
      description: 'EL0 filter (refined by NSU and RLU)',
    },
    {
      name: 'NSK',
      bits: [29, 29],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL1 filter: cycles at Non-secure EL1 are not counted when NSK != P',
    },
    {
      name: 'NSU',
      bits: [28, 28],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL0 filter: cycles at Non-secure EL0 are not counted when NSU != U',
    },
    {
      name: 'NSH',
      bits: [27, 27],
      feature: 'FEAT_EL2',
      values: [
        { value: 0, meaning: 'Do not count cycles at EL2' },
        { value: 1, meaning: 'No effect on filtering' },
      ],
      description: 'EL2 filter (refined by SH and RLH); note the inverted sense: 1 enables counting at EL2',
    },
    {
      name: 'M',
      bits: [26, 26],
      feature: 'FEAT_EL3',
      description: 'EL3 filter: cycles at EL3 are not counted when M != P',
    },
    { name: 'RES0', bits: [25, 25], description: 'Reserved' },
    {
      name: 'SH',
      bits: [24, 24],
      feature: 'FEAT_SEL2',
      condition: 'EL3 is implemented',
      description: 'Secure EL2 filter: cycles at Secure EL2 are not counted when SH == NSH',
    },
    { name: 'RES0', bits: [23, 23], description: 'Reserved' },
    {
      name: 'RLK',
      bits: [22, 22],
      feature: 'FEAT_RME',
      description: 'Realm EL1 filter: cycles at Realm EL1 are not counted when RLK != P',
    },
    {
      name: 'RLU',
      bits: [21, 21],
      feature: 'FEAT_RME',
      description: 'Realm EL0 filter: cycles at Realm EL0 are not counted when RLU != U',
    },
    {
      name: 'RLH',
      bits: [20, 20],
      feature: 'FEAT_RME',
      description: 'Realm EL2 filter: cycles at Realm EL2 are not counted when RLH == NSH',
    },
    { name: 'RES0', bits: [19, 0], description: 'Reserved' },
  ],
};
