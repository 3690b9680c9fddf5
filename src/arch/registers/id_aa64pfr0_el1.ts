// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.93 ID_AA64PFR0_EL1, AArch64 Processor Feature Register 0;
// field positions and enumerator names agree with Linux arch/arm64/tools/sysreg
// (Sysreg ID_AA64PFR0_EL1 3 0 0 4 0).
import type { RegisterDef } from './types.js';

export const ID_AA64PFR0_EL1: RegisterDef = {
  name: 'ID_AA64PFR0_EL1',
  encoding: { op0: 3, op1: 0, crn: 0, crm: 4, op2: 0 },
  width: 64,
  feature: 'FEAT_AA64',
  access: { el0: 'UNDEFINED', el1: 'RO', el2: 'RO', el3: 'RO' },
  section: 'D24.2.93',
  description:
    'Processor features: which Exception levels exist (EL2, EL3) and in which states, FP, SVE, RAS',
  fields: [
    {
      name: 'CSV3',
      bits: [63, 60],
      values: [
        {
          value: 0b0000,
          name: 'NI',
          meaning: 'Not disclosed whether faulting data can be used under speculation',
        },
        { value: 0b0001, name: 'IMP', meaning: 'Faulting data is not usable under speculation (FEAT_CSV3)' },
      ],
      description: 'Speculative use of faulting data',
    },
    {
      name: 'CSV2',
      bits: [59, 56],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Not disclosed whether FEAT_CSV2 is implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'FEAT_CSV2 implemented, not FEAT_CSV2_2 or FEAT_CSV2_3 (see ID_AA64PFR1_EL1.CSV2_frac)',
        },
        { value: 0b0010, name: 'CSV2_2', meaning: 'FEAT_CSV2_2 implemented, not FEAT_CSV2_3' },
        { value: 0b0011, name: 'CSV2_3', meaning: 'FEAT_CSV2_3 implemented' },
      ],
      description: 'Speculative use of out-of-context branch prediction resources',
    },
    {
      name: 'RME',
      bits: [55, 52],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Realm Management Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'RMEv1 implemented (FEAT_RME)' },
        { value: 0b0010, meaning: 'As 0b0001, plus the GPC2 Extension (FEAT_RME_GPC2)' },
        { value: 0b0011, meaning: 'As 0b0010, plus the GPC3 Extension (FEAT_RME_GPC3)' },
      ],
      description: 'Realm Management Extension version',
    },
    {
      name: 'DIT',
      bits: [51, 48],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'No guarantee of constant execution time' },
        { value: 0b0001, name: 'IMP', meaning: 'PSTATE.DIT data independent timing supported (FEAT_DIT)' },
      ],
      description: 'Data Independent Timing',
    },
    {
      name: 'AMU',
      bits: [47, 44],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Activity Monitors Extension not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'FEAT_AMUv1 implemented' },
        {
          value: 0b0010,
          name: 'V1P1',
          meaning: 'FEAT_AMUv1p1: as 0b0001, plus virtualization of the counters',
        },
      ],
      description: 'Activity Monitors Extension version',
    },
    {
      name: 'MPAM',
      bits: [43, 40],
      values: [
        { value: 0b0000, name: '0', meaning: 'MPAM major version 0' },
        { value: 0b0001, name: '1', meaning: 'MPAM major version 1' },
      ],
      description: 'MPAM Extension major version (minor version in ID_AA64PFR1_EL1.MPAM_frac)',
    },
    {
      name: 'SEL2',
      bits: [39, 36],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'Secure EL2 not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'Secure EL2 implemented (FEAT_SEL2)' },
      ],
      description: 'Secure EL2',
    },
    {
      name: 'SVE',
      bits: [35, 32],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'SVE not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'SVE implemented (FEAT_SVE)' },
      ],
      description: 'Scalable Vector Extension',
    },
    {
      name: 'RAS',
      bits: [31, 28],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'No RAS Extension' },
        { value: 0b0001, name: 'IMP', meaning: 'RAS Extension implemented (FEAT_RAS)' },
        { value: 0b0010, name: 'V1P1', meaning: 'As 0b0001, plus RAS v1.1 (FEAT_RASv1p1, FEAT_DoubleFault)' },
        { value: 0b0011, meaning: 'As 0b0010, plus ERXGSR_EL1, SCR_EL3.TWERR (FEAT_RASv2)' },
      ],
      description: 'RAS Extension version',
    },
    {
      name: 'GIC',
      bits: [27, 24],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'GIC CPU interface System registers not implemented' },
        {
          value: 0b0001,
          name: 'IMP',
          meaning: 'System register interface to GIC CPU interface v3.0 and v4.0',
        },
        { value: 0b0011, name: 'V4P1', meaning: 'System register interface to GIC CPU interface v4.1' },
      ],
      description: 'System register GIC CPU interface',
    },
    {
      name: 'AdvSIMD',
      bits: [23, 20],
      values: [
        { value: 0b0000, name: 'IMP', meaning: 'Advanced SIMD implemented' },
        { value: 0b0001, name: 'FP16', meaning: 'As 0b0000, plus half-precision arithmetic (FEAT_FP16)' },
        { value: 0b1111, name: 'NI', meaning: 'Advanced SIMD not implemented' },
      ],
      description: 'Advanced SIMD; signed field, equal to FP',
    },
    {
      name: 'FP',
      bits: [19, 16],
      values: [
        { value: 0b0000, name: 'IMP', meaning: 'Floating-point implemented' },
        { value: 0b0001, name: 'FP16', meaning: 'As 0b0000, plus half-precision arithmetic (FEAT_FP16)' },
        { value: 0b1111, name: 'NI', meaning: 'Floating-point not implemented' },
      ],
      description: 'Floating-point; signed field, equal to AdvSIMD',
    },
    {
      name: 'EL3',
      bits: [15, 12],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'EL3 not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'EL3 can be executed in AArch64 state only' },
        { value: 0b0010, name: 'AARCH32', meaning: 'EL3 can be executed in AArch64 or AArch32 state' },
      ],
      description: 'EL3 Exception level handling',
    },
    {
      name: 'EL2',
      bits: [11, 8],
      values: [
        { value: 0b0000, name: 'NI', meaning: 'EL2 not implemented' },
        { value: 0b0001, name: 'IMP', meaning: 'EL2 can be executed in AArch64 state only' },
        { value: 0b0010, name: 'AARCH32', meaning: 'EL2 can be executed in AArch64 or AArch32 state' },
      ],
      description: 'EL2 Exception level handling',
    },
    {
      name: 'EL1',
      bits: [7, 4],
      values: [
        { value: 0b0001, name: 'IMP', meaning: 'EL1 can be executed in AArch64 state only' },
        { value: 0b0010, name: 'AARCH32', meaning: 'EL1 can be executed in AArch64 or AArch32 state' },
      ],
      description: 'EL1 Exception level handling',
    },
    {
      name: 'EL0',
      bits: [3, 0],
      values: [
        { value: 0b0001, name: 'IMP', meaning: 'EL0 can be executed in AArch64 state only' },
        { value: 0b0010, name: 'AARCH32', meaning: 'EL0 can be executed in AArch64 or AArch32 state' },
      ],
      description: 'EL0 Exception level handling',
    },
  ],
};
