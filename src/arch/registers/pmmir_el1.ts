// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.5.19 PMMIR_EL1, Performance Monitors Machine Identification Register;
// Linux arch/arm64/tools/sysreg has no PMMIR_EL1 block: SLOTS [7:0], BUS_SLOTS [15:8], BUS_WIDTH [19:16]
// and THWIDTH [23:20] agree with ARMV8_PMU_SLOTS_MASK, ARMV8_PMU_BUS_* and ARMV8_PMU_THWIDTH of Linux
// include/linux/perf/arm_pmuv3.h.
import type { RegisterDef } from './types.js';

export const PMMIR_EL1: RegisterDef = {
  name: 'PMMIR_EL1',
  encoding: { op0: 3, op1: 0, crn: 9, crm: 14, op2: 6 },
  width: 64,
  feature: 'FEAT_PMUv3p4',
  access: { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.5.19',
  description:
    'Implementation parameters of the PMU: slots, bus width, threshold width, edge and SME support',
  fields: [
    { name: 'RES0', bits: [63, 29], description: 'Reserved' },
    {
      name: 'SME',
      bits: [28, 28],
      values: [
        { value: 0, meaning: 'Streaming SVE mode filter not implemented' },
        { value: 1, meaning: 'Streaming SVE mode filter implemented (FEAT_PMUv3_SME)' },
      ],
      description: 'PMUv3 for SME: whether the VS filter fields are implemented',
    },
    {
      name: 'EDGE',
      bits: [27, 24],
      values: [
        { value: 0b0000, meaning: 'FEAT_PMUv3_EDGE not implemented' },
        { value: 0b0001, meaning: 'FEAT_PMUv3_EDGE implemented' },
        { value: 0b0010, meaning: 'As 0b0001, plus threshold linking of counter pairs (FEAT_PMUv3_TH2)' },
      ],
      description:
        'Event edge detection and threshold linking support; 0 when FEAT_PMUv3_TH is not implemented',
    },
    {
      name: 'THWIDTH',
      bits: [23, 20],
      values: [
        { value: 0b0000, meaning: 'FEAT_PMUv3_TH not implemented' },
        { value: 0b0001, meaning: '1 bit: PMEVTYPER<n>_EL0.TH[11:1] are RES0' },
        { value: 0b0010, meaning: '2 bits: TH[11:2] are RES0' },
        { value: 0b0011, meaning: '3 bits: TH[11:3] are RES0' },
        { value: 0b0100, meaning: '4 bits: TH[11:4] are RES0' },
        { value: 0b0101, meaning: '5 bits: TH[11:5] are RES0' },
        { value: 0b0110, meaning: '6 bits: TH[11:6] are RES0' },
        { value: 0b0111, meaning: '7 bits: TH[11:7] are RES0' },
        { value: 0b1000, meaning: '8 bits: TH[11:8] are RES0' },
        { value: 0b1001, meaning: '9 bits: TH[11:9] are RES0' },
        { value: 0b1010, meaning: '10 bits: TH[11:10] are RES0' },
        { value: 0b1011, meaning: '11 bits: TH[11] is RES0' },
        { value: 0b1100, meaning: '12 bits' },
      ],
      description: 'Width of PMEVTYPER<n>_EL0.TH; nonzero means FEAT_PMUv3_TH is implemented',
    },
    {
      name: 'BUS_WIDTH',
      bits: [19, 16],
      values: [
        { value: 0b0000, meaning: 'Not available' },
        { value: 0b0011, meaning: '4 bytes' },
        { value: 0b0100, meaning: '8 bytes' },
        { value: 0b0101, meaning: '16 bytes' },
        { value: 0b0110, meaning: '32 bytes' },
        { value: 0b0111, meaning: '64 bytes' },
        { value: 0b1000, meaning: '128 bytes' },
        { value: 0b1001, meaning: '256 bytes' },
        { value: 0b1010, meaning: '512 bytes' },
        { value: 0b1011, meaning: '1024 bytes' },
        { value: 0b1100, meaning: '2048 bytes' },
      ],
      description: 'Bytes per BUS_ACCESS event, encoded as Log2(bytes) + 1',
    },
    {
      name: 'BUS_SLOTS',
      bits: [15, 8],
      description: 'Largest BUS_ACCESS increment in one BUS_CYCLES cycle; 0 when not available',
    },
    {
      name: 'SLOTS',
      bits: [7, 0],
      description: 'Largest STALL_SLOT increment in one cycle; may be 0 when STALL_SLOT is not implemented',
    },
  ],
};
