// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.12 PMEVTYPER<n>_EL0, Performance Monitors Event Type Registers, n = 0 - 30;
// Linux arch/arm64/tools/sysreg has no PMEVTYPER<n>_EL0 block: TC [63:61], TH [43:32], the filter bits
// [31:27] and evtCount [15:0] agree with ARMV8_PMU_EVTYPE_* / ARMV8_PMU_EXCLUDE_* of Linux
// include/linux/perf/arm_pmuv3.h.
import type { RegisterDef } from './types.js';

export const PMEVTYPER_EL0: RegisterDef = {
  name: 'PMEVTYPER<n>_EL0',
  encoding: { op0: 3, op1: 3, crn: 14, crm: 12, op2: 0 },
  index: { max: 30 },
  width: 64,
  feature: 'FEAT_PMUv3',
  access: { el0: 'RW', el1: 'RW', el2: 'RW', el3: 'RW' },
  section: 'D24.5.12',
  description: 'Event counter n configuration: the event to count and the Exception level/state filters',
  fields: [
    {
      name: 'TC',
      bits: [63, 61],
      feature: 'FEAT_PMUv3_TH',
      condition: 'meanings below are for TE == 0 (and TLC not 0b10); TE == 1 selects edge conditions',
      values: [
        { value: 0b000, meaning: 'Not-equal: increment by the event value when it differs from TH' },
        { value: 0b001, meaning: 'Not-equal, count: increment by 1 when the event value differs from TH' },
        { value: 0b010, meaning: 'Equals: increment by the event value when it equals TH' },
        { value: 0b011, meaning: 'Equals, count: increment by 1 when the event value equals TH' },
        { value: 0b100, meaning: 'Greater-than-or-equal: increment by the event value when it is >= TH' },
        {
          value: 0b101,
          meaning: 'Greater-than-or-equal, count: increment by 1 when the event value is >= TH',
        },
        { value: 0b110, meaning: 'Less-than: increment by the event value when it is < TH' },
        { value: 0b111, meaning: 'Less-than, count: increment by 1 when the event value is < TH' },
      ],
      description:
        'Threshold control: the comparison of the per-cycle event value with TH, and what is counted',
    },
    {
      name: 'TE',
      bits: [60, 60],
      feature: 'FEAT_PMUv3_EDGE',
      values: [
        { value: 0, meaning: 'Threshold edge condition disabled' },
        { value: 1, meaning: 'Count cycles on which the threshold condition result changes' },
      ],
      description: 'Threshold edge: count changes of the threshold condition rather than cycles it holds',
    },
    { name: 'RES0', bits: [59, 59], description: 'Reserved' },
    {
      name: 'SYNC',
      bits: [58, 58],
      feature: 'FEAT_SEBEP',
      values: [
        { value: 0, meaning: 'Asynchronous PMU Profiling exception' },
        { value: 1, meaning: 'Synchronous PMU Profiling exception' },
      ],
      description: 'Whether a PMU Profiling exception from this counter is synchronous',
    },
    {
      name: 'VS',
      bits: [57, 56],
      feature: 'FEAT_PMUv3_SME',
      values: [
        { value: 0b00, meaning: 'No filtering by SVE mode' },
        { value: 0b01, meaning: 'Do not count events in Streaming SVE mode' },
        { value: 0b10, meaning: 'Do not count events in Non-streaming SVE mode' },
        { value: 0b11, meaning: 'Reserved' },
      ],
      description: 'SVE mode filtering of events',
    },
    {
      name: 'TLC',
      bits: [55, 54],
      feature: 'FEAT_PMUv3_TH2',
      condition: 'n is odd; otherwise RES0',
      values: [
        { value: 0b00, meaning: 'Threshold linking disabled' },
        {
          value: 0b01,
          meaning: 'Linked: increment by counter n-1 increment when the threshold condition is false',
        },
        {
          value: 0b10,
          meaning: 'Linked: increment by counter n-1 increment when the threshold condition is true',
        },
        { value: 0b11, meaning: 'Reserved' },
      ],
      description: 'Threshold linking control: chain the threshold function with counter n-1',
    },
    { name: 'RES0', bits: [53, 44], description: 'Reserved' },
    {
      name: 'TH',
      bits: [43, 32],
      feature: 'FEAT_PMUv3_TH',
      description: 'Threshold value compared by TC; bits at and above PMMIR_EL1.THWIDTH are RES0',
    },
    {
      name: 'P',
      bits: [31, 31],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count events at EL1' },
      ],
      description: 'EL1 filter (refined by NSK, RLK, and by M for EL3)',
    },
    {
      name: 'U',
      bits: [30, 30],
      values: [
        { value: 0, meaning: 'No effect on filtering' },
        { value: 1, meaning: 'Do not count events at EL0' },
      ],
      description: 'EL0 filter (refined by NSU and RLU)',
    },
    {
      name: 'NSK',
      bits: [29, 29],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL1 filter: events at Non-secure EL1 are not counted when NSK != P',
    },
    {
      name: 'NSU',
      bits: [28, 28],
      feature: 'FEAT_EL3',
      description: 'Non-secure EL0 filter: events at Non-secure EL0 are not counted when NSU != U',
    },
    {
      name: 'NSH',
      bits: [27, 27],
      feature: 'FEAT_EL2',
      values: [
        { value: 0, meaning: 'Do not count events at EL2' },
        { value: 1, meaning: 'No effect on filtering' },
      ],
      description: 'EL2 filter (refined by SH and RLH); note the inverted sense: 1 enables counting at EL2',
    },
    {
      name: 'M',
      bits: [26, 26],
      feature: 'FEAT_EL3',
      description: 'EL3 filter: events at EL3 are not counted when M != P',
    },
    {
      name: 'MT',
      bits: [25, 25],
      feature: 'FEAT_MTPMU',
      condition: 'or an IMPLEMENTATION DEFINED multithreaded PMU extension (not permitted from Armv8.6)',
      values: [
        { value: 0, meaning: 'Count events of this PE only' },
        { value: 1, meaning: 'Count events of all PEs with the same affinity at level 1 and above' },
      ],
      description:
        'Multithreading: count events of sibling PEs too; treated as 0 when FEAT_MTPMU is disabled',
    },
    {
      name: 'SH',
      bits: [24, 24],
      feature: 'FEAT_SEL2',
      condition: 'EL3 is implemented',
      description: 'Secure EL2 filter: events at Secure EL2 are not counted when SH == NSH',
    },
    { name: 'RES0', bits: [23, 23], description: 'Reserved' },
    {
      name: 'RLK',
      bits: [22, 22],
      feature: 'FEAT_RME',
      description: 'Realm EL1 filter: events at Realm EL1 are not counted when RLK != P',
    },
    {
      name: 'RLU',
      bits: [21, 21],
      feature: 'FEAT_RME',
      description: 'Realm EL0 filter: events at Realm EL0 are not counted when RLU != U',
    },
    {
      name: 'RLH',
      bits: [20, 20],
      feature: 'FEAT_RME',
      description: 'Realm EL2 filter: events at Realm EL2 are not counted when RLH == NSH',
    },
    { name: 'RES0', bits: [19, 16], description: 'Reserved' },
    {
      name: 'evtCount',
      bits: [15, 0],
      condition: 'bits [15:10] only when FEAT_PMUv3p1 is implemented; otherwise they are RES0',
      description: 'Number of the event that counter n counts',
    },
  ],
};
