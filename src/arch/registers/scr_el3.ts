// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.169 SCR_EL3, Secure Configuration Register;
// Linux arch/arm64/tools/sysreg has no SCR_EL3 block: field positions agree with the SCR_*_BIT
// definitions of Trusted Firmware-A include/arch/aarch64/arch.h (except bit 34, see below).
import type { RegisterDef } from './types.js';

export const SCR_EL3: RegisterDef = {
  name: 'SCR_EL3',
  encoding: { op0: 3, op1: 6, crn: 1, crm: 1, op2: 0 },
  width: 64,
  feature: 'FEAT_EL3',
  access: { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'UNDEFINED', el3: 'RW' },
  section: 'D24.2.169',
  description: 'EL3 configuration: Security state and Execution state of lower ELs, routing, traps to EL3',
  fields: [
    { name: 'RES0', bits: [63, 63], description: 'Reserved' },
    {
      name: 'NSE',
      bits: [62, 62],
      feature: 'FEAT_RME',
      description:
        'With NS selects the Security state of EL2 and below (NSE,NS = 1,1 is Realm); effective 0 without RME',
    },
    {
      name: 'HACDBSEn',
      bits: [61, 61],
      feature: 'FEAT_HACDBS',
      description: 'Enable EL2 access to HACDBSBR_EL2 and HACDBSCONS_EL2 (0 traps to EL3)',
    },
    {
      name: 'HDBSSEn',
      bits: [60, 60],
      feature: 'FEAT_HDBSS',
      description: 'Enable EL2 access to HDBSSBR_EL2 and HDBSSPROD_EL2 (0 traps to EL3)',
    },
    {
      name: 'FGTEn2',
      bits: [59, 59],
      feature: 'FEAT_FGT2',
      values: [
        {
          value: 0,
          meaning:
            'EL2 accesses to HDFGRTR2/HDFGWTR2/HFGITR2/HFGRTR2/HFGWTR2_EL2 trap to EL3; their values act as 0',
        },
        { value: 1, meaning: 'EL2 accesses to those registers are not trapped to EL3 by this mechanism' },
      ],
      description:
        'Fine-Grained Traps Enable 2: EL2 access to the FGT2 registers (0: negative-polarity bits trap)',
    },
    {
      name: 'EnDSE',
      bits: [58, 58],
      feature: 'FEAT_E3DSE',
      description: 'Enable delegated SError exceptions pended by DSE',
    },
    {
      name: 'DSE',
      bits: [57, 57],
      feature: 'FEAT_E3DSE',
      description: 'Delegated SError exception pending for EL2, EL1 and EL0 (treated as 0 when EnDSE is 0)',
    },
    { name: 'RES0', bits: [56, 56], description: 'Reserved' },
    {
      name: 'EnIDCP128',
      bits: [55, 55],
      feature: 'FEAT_SYSREG128',
      description: 'Enable EL2/EL1/EL0 access to IMPLEMENTATION DEFINED 128-bit System registers (0 traps)',
    },
    {
      name: 'SRMASKEn',
      bits: [54, 54],
      feature: 'FEAT_SRMASK',
      description: 'Enable access to the *MASK_EL1/EL12/EL2 registers (0 traps to EL3, values act as 0)',
    },
    {
      name: 'PFAREn',
      bits: [53, 53],
      feature: 'FEAT_PFAR',
      description: 'Enable EL2 and EL1 access to PFAR_EL1, PFAR_EL2 and PFAR_EL12 (0 traps to EL3)',
    },
    {
      name: 'TWERR',
      bits: [52, 52],
      feature: 'FEAT_RASv2',
      description: 'Trap EL2 and EL1 writes of the Error Record registers to EL3',
    },
    {
      name: 'TMEA',
      bits: [51, 51],
      feature: 'FEAT_DoubleFault2',
      description: 'Trap masked External aborts and SErrors at lower ELs to EL3',
    },
    {
      name: 'EnFPM',
      bits: [50, 50],
      feature: 'FEAT_FPMR',
      description: 'Enable EL2, EL1 and EL0 direct and indirect access to FPMR (0 traps/UNDEFINED)',
    },
    {
      name: 'MECEn',
      bits: [49, 49],
      feature: 'FEAT_MEC',
      description: 'Enable EL2 access to the MECID_*_EL2 registers (0 traps to EL3, values act as 0)',
    },
    {
      name: 'GPF',
      bits: [48, 48],
      feature: 'FEAT_RME',
      description: 'Route Granule Protection Faults at EL0, EL1 and EL2 to EL3',
    },
    {
      name: 'D128En',
      bits: [47, 47],
      feature: 'FEAT_D128',
      description: 'Enable EL2 and EL1 MRRS/MSRR access to the 128-bit System registers (0 traps to EL3)',
    },
    {
      name: 'AIEn',
      bits: [46, 46],
      feature: 'FEAT_AIE',
      description: 'Enable EL2 and EL1 access to MAIR2_ELx and AMAIR2_ELx (0 traps to EL3)',
    },
    {
      name: 'PIEn',
      bits: [45, 45],
      feature: 'FEAT_S1PIE',
      condition: 'Or FEAT_S2PIE, FEAT_S1POE or FEAT_S2POE',
      description: 'Enable access to the permission indirection and overlay registers (0 traps to EL3)',
    },
    {
      name: 'SCTLR2En',
      bits: [44, 44],
      feature: 'FEAT_SCTLR2',
      description: 'Enable EL2 and EL1 access to SCTLR2_EL1 and SCTLR2_EL2 (0 traps to EL3, values act as 0)',
    },
    {
      name: 'TCR2En',
      bits: [43, 43],
      feature: 'FEAT_TCR2',
      description: 'Enable EL2 and EL1 access to TCR2_EL1 and TCR2_EL2 (0 traps to EL3, values act as 0)',
    },
    {
      name: 'RCWMASKEn',
      bits: [42, 42],
      feature: 'FEAT_THE',
      description: 'Enable EL2 and EL1 access to RCWMASK_EL1 and RCWSMASK_EL1 (0 traps to EL3)',
    },
    {
      name: 'EnTP2',
      bits: [41, 41],
      feature: 'FEAT_SME',
      description: 'Enable EL2, EL1 and EL0 access to TPIDR2_EL0 (0 traps to EL3)',
    },
    {
      name: 'TRNDR',
      bits: [40, 40],
      feature: 'FEAT_RNG_TRAP',
      description: 'Trap reads of RNDR and RNDRRS to EL3',
    },
    {
      name: 'GCSEn',
      bits: [39, 39],
      feature: 'FEAT_GCS',
      description: 'Guarded Control Stack enable below EL3 (0 traps the GCS registers and disables GCS)',
    },
    {
      name: 'HXEn',
      bits: [38, 38],
      feature: 'FEAT_HCX',
      description: 'Enable EL2 access to HCRX_EL2 (0 traps to EL3)',
    },
    {
      name: 'ADEn',
      bits: [37, 37],
      feature: 'FEAT_LS64_ACCDATA',
      description: 'Enable EL2 and EL1 access to ACCDATA_EL1 (0 traps to EL3)',
    },
    {
      name: 'EnAS0',
      bits: [36, 36],
      feature: 'FEAT_LS64_ACCDATA',
      description: 'Enable ST64BV0 at EL2, EL1 and EL0 (0 traps to EL3)',
    },
    {
      name: 'AMVOFFEN',
      bits: [35, 35],
      feature: 'FEAT_AMUv1p1',
      description:
        'Activity Monitors virtual offsets enable (0 traps AMEVCNTVOFF*_EL2 and reads offsets as 0)',
    },
    { name: 'RES0', bits: [34, 34], description: 'Reserved (formerly TME, FEAT_TME, withdrawn)' },
    {
      name: 'TWEDEL',
      bits: [33, 30],
      feature: 'FEAT_TWED',
      description: 'Minimum delay of a WFE trap to EL3 when TWEDEn is 1: 2^(TWEDEL + 8) cycles',
    },
    {
      name: 'TWEDEn',
      bits: [29, 29],
      feature: 'FEAT_TWED',
      description: 'Enable the TWEDEL delay of WFE traps caused by TWE',
    },
    {
      name: 'ECVEn',
      bits: [28, 28],
      feature: 'FEAT_ECV_POFF',
      description: 'Enable EL2 access to CNTPOFF_EL2 (0 traps to EL3, and the offset acts as 0)',
    },
    {
      name: 'FGTEn',
      bits: [27, 27],
      feature: 'FEAT_FGT',
      values: [
        {
          value: 0,
          meaning:
            'EL2 accesses to HAFGRTR/HDFGRTR/HDFGWTR/HFGRTR/HFGITR/HFGWTR_EL2 trap to EL3; their traps are off',
        },
        { value: 1, meaning: 'Those registers are accessible at EL2 and their traps to EL2 are enabled' },
      ],
      description: 'Fine-Grained Traps Enable: EL2 access to the FGT registers and enable of their traps',
    },
    {
      name: 'ATA',
      bits: [26, 26],
      feature: 'FEAT_MTE2',
      description: 'Allocation tag access below EL3 (0 disables Memory tagging and traps the tag registers)',
    },
    {
      name: 'EnSCXT',
      bits: [25, 25],
      feature: 'FEAT_CSV2_2',
      condition: 'Or FEAT_CSV2_1p2',
      description: 'Enable access to SCXTNUM_EL2/EL1/EL0 (0 traps to EL3, values act as 0)',
    },
    { name: 'RES0', bits: [24, 24], description: 'Reserved' },
    {
      name: 'TID5',
      bits: [23, 23],
      feature: 'FEAT_IDTE3',
      condition: 'And FEAT_MTE2',
      description: 'Trap EL2 and EL1 reads of GMID_EL1 (ID group 5) to EL3',
    },
    {
      name: 'TID3',
      bits: [22, 22],
      feature: 'FEAT_IDTE3',
      description: 'Trap EL2 and EL1 reads of the ID group 3 registers to EL3',
    },
    {
      name: 'FIEN',
      bits: [21, 21],
      feature: 'FEAT_RASv1p1',
      description: 'Enable EL2 and EL1 access to the fault injection registers ERXPFG*_EL1 (0 traps to EL3)',
    },
    {
      name: 'NMEA',
      bits: [20, 20],
      feature: 'FEAT_DoubleFault',
      description: 'Non-maskable External aborts: SErrors taken at EL3 regardless of PSTATE.A',
    },
    {
      name: 'EASE',
      bits: [19, 19],
      feature: 'FEAT_DoubleFault',
      description: 'Synchronous External aborts taken to EL3 use the SError vector',
    },
    {
      name: 'EEL2',
      bits: [18, 18],
      feature: 'FEAT_SEL2',
      values: [
        { value: 0, meaning: 'Secure EL2 disabled: its registers are UNDEFINED and its timers are disabled' },
        { value: 1, meaning: 'Secure EL2 enabled' },
      ],
      description: 'Secure EL2 Enable',
    },
    {
      name: 'API',
      bits: [17, 17],
      feature: 'FEAT_PAuth',
      description: 'Pointer Authentication instructions enable (0 traps them to EL3 when enabled)',
    },
    {
      name: 'APK',
      bits: [16, 16],
      feature: 'FEAT_PAuth',
      description: 'Enable EL2 and EL1 access to the Pointer Authentication key registers (0 traps to EL3)',
    },
    {
      name: 'TERR',
      bits: [15, 15],
      feature: 'FEAT_RAS',
      description: 'Trap EL2 and EL1 accesses to the Error Record registers to EL3',
    },
    {
      name: 'TLOR',
      bits: [14, 14],
      feature: 'FEAT_LOR',
      description: 'Trap Non-secure and Realm EL2 and EL1 accesses to the LOR registers to EL3',
    },
    {
      name: 'TWE',
      bits: [13, 13],
      description: 'Trap EL2, EL1 and EL0 WFE (and WFET) to EL3',
    },
    {
      name: 'TWI',
      bits: [12, 12],
      description: 'Trap EL2, EL1 and EL0 WFI (and WFIT) to EL3',
    },
    {
      name: 'ST',
      bits: [11, 11],
      condition: 'RES0 when FEAT_RME is implemented and Secure state is not',
      description:
        'Secure EL1 access to the Secure physical timer registers (0 traps to EL3 when SEL2 is off)',
    },
    {
      name: 'RW',
      bits: [10, 10],
      feature: 'FEAT_AA32EL1',
      whenAbsent: 'RAO/WI',
      condition: 'Otherwise RAO/WI: the lower Exception levels always use AArch64',
      values: [
        { value: 0, meaning: 'All lower Exception levels use AArch32' },
        { value: 1, meaning: 'The next lower Exception level uses AArch64' },
      ],
      description: 'Execution state of the lower Exception levels (effective 1 when EEL2,NS = 1,0)',
    },
    {
      name: 'SIF',
      bits: [9, 9],
      condition: 'RES0 when FEAT_RME is implemented and Secure state is not',
      description: 'Secure instruction fetch: 1 forbids Secure execution from Non-secure memory',
    },
    {
      name: 'HCE',
      bits: [8, 8],
      condition: 'RES0 when EL2 is not implemented',
      values: [
        { value: 0, meaning: 'HVC instructions are UNDEFINED' },
        { value: 1, meaning: 'HVC instructions are enabled at EL3, EL2 and EL1' },
      ],
      description: 'Hypervisor Call instruction enable',
    },
    {
      name: 'SMD',
      bits: [7, 7],
      values: [
        { value: 0, meaning: 'SMC instructions are enabled at EL3, EL2 and EL1' },
        { value: 1, meaning: 'SMC instructions are UNDEFINED' },
      ],
      description: 'Secure Monitor Call disable',
    },
    { name: 'RES0', bits: [6, 6], description: 'Reserved' },
    { name: 'RES1', bits: [5, 4], description: 'Reserved, RES1' },
    {
      name: 'EA',
      bits: [3, 3],
      description: 'Route External aborts and SErrors to EL3',
    },
    {
      name: 'FIQ',
      bits: [2, 2],
      description: 'Route physical FIQ interrupts to EL3',
    },
    {
      name: 'IRQ',
      bits: [1, 1],
      description: 'Route physical IRQ interrupts to EL3',
    },
    {
      name: 'NS',
      bits: [0, 0],
      condition: 'RES1 (Effective value 1) when Secure state is not implemented',
      values: [
        { value: 0, meaning: 'EL0 and EL1 (and EL2 when EEL2 is 1) are in Secure state' },
        { value: 1, meaning: 'The Exception levels below EL3 are in Non-secure state' },
      ],
      description: 'Non-secure bit; with NSE (FEAT_RME): 0,0 Secure, 0,1 Non-secure, 1,0 reserved, 1,1 Realm',
    },
  ],
};
