// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.62 HCR_EL2, Hypervisor Configuration Register;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg HCR_EL2 3 4 1 1 0), except bits
// [39:38] (Linux: TME, MIOCNCE), which M.a.a describes as RES0.
import type { RegisterDef } from './types.js';

export const HCR_EL2: RegisterDef = {
  name: 'HCR_EL2',
  encoding: { op0: 3, op1: 4, crn: 1, crm: 1, op2: 0 },
  width: 64,
  feature: 'FEAT_EL2',
  access: { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'RW', el3: 'RW' },
  section: 'D24.2.62',
  description: 'EL2 virtualization controls: host mode (E2H, TGE), EL1 execution state, traps to EL2',
  fields: [
    {
      name: 'TWEDEL',
      bits: [63, 60],
      feature: 'FEAT_TWED',
      description: 'Minimum delay before a WFE trap from HCR_EL2.TWE is taken: 2^(TWEDEL + 8) cycles',
    },
    {
      name: 'TWEDEn',
      bits: [59, 59],
      feature: 'FEAT_TWED',
      values: [
        { value: 0, meaning: 'The WFE trap delay is IMPLEMENTATION DEFINED' },
        { value: 1, meaning: 'The WFE trap delay is at least the time given by HCR_EL2.TWEDEL' },
      ],
      description: 'Enable of the configurable delay for WFE traps caused by HCR_EL2.TWE',
    },
    {
      name: 'TID5',
      bits: [58, 58],
      feature: 'FEAT_MTE2',
      description: 'Trap EL1 accesses to the ID group 5 registers (GMID_EL1) to EL2',
    },
    {
      name: 'DCT',
      bits: [57, 57],
      feature: 'FEAT_MTE2',
      description: 'While HCR_EL2.DC applies, give EL1&0 stage 1 translations the Tagged attribute',
    },
    {
      name: 'ATA',
      bits: [56, 56],
      feature: 'FEAT_MTE2',
      values: [
        { value: 0, meaning: 'Memory tagging disabled at EL1 and EL0; MTE control registers trap to EL2' },
        { value: 1, meaning: 'No effect on Memory tagging at EL1 and EL0; no traps' },
      ],
      description: 'Allocation Tag access override for EL1 and EL0, and trap of EL1 MTE registers',
    },
    {
      name: 'TTLBOS',
      bits: [55, 55],
      feature: 'FEAT_EVT',
      description: 'Trap EL1 TLB maintenance instructions that operate on the Outer Shareable domain',
    },
    {
      name: 'TTLBIS',
      bits: [54, 54],
      feature: 'FEAT_EVT',
      description: 'Trap EL1 TLB maintenance instructions that operate on the Inner Shareable domain',
    },
    {
      name: 'EnSCXT',
      bits: [53, 53],
      feature: 'FEAT_CSV2_2',
      condition: 'also present when FEAT_CSV2_1p2 is implemented',
      description: 'Enable EL1 and EL0 access to SCXTNUM_EL1 and SCXTNUM_EL0 (0 traps to EL2)',
    },
    {
      name: 'TOCU',
      bits: [52, 52],
      feature: 'FEAT_EVT',
      description: 'Trap EL1 and EL0 cache maintenance to the Point of Unification to EL2',
    },
    {
      name: 'AMVOFFEN',
      bits: [51, 51],
      feature: 'FEAT_AMUv1p1',
      values: [
        { value: 0, meaning: 'Activity Monitors virtualization disabled; virtual offsets read as zero' },
        { value: 1, meaning: 'Activity Monitors virtualization enabled' },
      ],
      description: 'Enable the Activity Monitors virtual offset registers',
    },
    {
      name: 'TICAB',
      bits: [50, 50],
      feature: 'FEAT_EVT',
      description: 'Trap EL1 execution of IC IALLUIS (and AArch32 ICIALLUIS) to EL2',
    },
    {
      name: 'TID4',
      bits: [49, 49],
      feature: 'FEAT_EVT',
      description: 'Trap EL1 accesses to the ID group 4 cache ID registers (CCSIDR, CLIDR, CSSELR) to EL2',
    },
    {
      name: 'GPF',
      bits: [48, 48],
      feature: 'FEAT_RME',
      description: 'Report Granule Protection Faults taken from EL1 and EL0 to EL2',
    },
    {
      name: 'FIEN',
      bits: [47, 47],
      feature: 'FEAT_RASv1p1',
      description: 'Fault injection enable: 0 traps EL1 accesses to the ERXPFG* registers to EL2',
    },
    {
      name: 'FWB',
      bits: [46, 46],
      feature: 'FEAT_S2FWB',
      description: 'Forced Write-Back: stage 2 attributes decide the combined cacheability',
    },
    {
      name: 'NV2',
      bits: [45, 45],
      feature: 'FEAT_NV2',
      description:
        'Enhanced nested virtualization: EL2 register accesses at EL1 go to memory or EL1 registers',
    },
    {
      name: 'AT',
      bits: [44, 44],
      feature: 'FEAT_NV',
      description: 'Trap EL1 execution of the AT S1E0* and AT S1E1* instructions to EL2',
    },
    {
      name: 'NV1',
      bits: [43, 43],
      feature: 'FEAT_NV',
      description: 'Nested virtualization: trap or redirect EL1 accesses to certain EL1 and EL2 registers',
    },
    {
      name: 'NV',
      bits: [42, 42],
      feature: 'FEAT_NV',
      description: 'Nested virtualization: trap to EL2 operations at EL1 that would otherwise be UNDEFINED',
    },
    {
      name: 'API',
      bits: [41, 41],
      feature: 'FEAT_PAuth',
      description: 'Pointer authentication instructions: 0 traps their use at EL1 and EL0 to EL2',
    },
    {
      name: 'APK',
      bits: [40, 40],
      feature: 'FEAT_PAuth',
      description: 'Pointer authentication keys: 0 traps EL1 accesses to the AP*Key* registers to EL2',
    },
    { name: 'RES0', bits: [39, 38], description: 'Reserved' },
    {
      name: 'TEA',
      bits: [37, 37],
      feature: 'FEAT_RAS',
      description: 'Route synchronous External aborts taken below EL2 to EL2',
    },
    {
      name: 'TERR',
      bits: [36, 36],
      feature: 'FEAT_RAS',
      description: 'Trap EL1 accesses to the RAS Error Record registers to EL2',
    },
    {
      name: 'TLOR',
      bits: [35, 35],
      feature: 'FEAT_LOR',
      description: 'Trap Non-secure and Realm EL1 accesses to the LOR registers to EL2',
    },
    {
      name: 'E2H',
      bits: [34, 34],
      feature: 'FEAT_VHE',
      values: [
        { value: 0, meaning: 'Facilities for a Host Operating System at EL2 are disabled' },
        { value: 1, meaning: 'Facilities for a Host Operating System at EL2 are enabled' },
      ],
      description: 'EL2 Host: run a host OS at EL2 with its applications at EL0; RES1 without FEAT_E2H0',
    },
    {
      name: 'ID',
      bits: [33, 33],
      description: 'Stage 2 instruction access cacheability disable for the EL1&0 regime',
    },
    {
      name: 'CD',
      bits: [32, 32],
      description: 'Stage 2 data access and table walk cacheability disable for the EL1&0 regime',
    },
    {
      name: 'RW',
      bits: [31, 31],
      feature: 'FEAT_AA32EL1',
      whenAbsent: 'RAO/WI',
      values: [
        { value: 0, meaning: 'EL1 and EL0 are AArch32' },
        { value: 1, meaning: 'EL1 is AArch64; EL0 state is given by PSTATE.nRW' },
      ],
      description:
        'Execution state of EL1 (and EL0); RAO/WI when FEAT_AA32EL1 is not implemented; 1 when {E2H,TGE} = {1,1}',
    },
    {
      name: 'TRVM',
      bits: [30, 30],
      description: 'Trap EL1 (and EL0 POR_EL0) reads of the virtual memory control registers to EL2',
    },
    {
      name: 'HCD',
      bits: [29, 29],
      condition: 'EL3 is not implemented',
      description: 'HVC instruction disable at EL2 and EL1 (HVC becomes UNDEFINED)',
    },
    {
      name: 'TDZ',
      bits: [28, 28],
      description: 'Trap EL1 and EL0 execution of DC ZVA (and DC GVA, DC GZVA) to EL2',
    },
    {
      name: 'TGE',
      bits: [27, 27],
      values: [
        { value: 0, meaning: 'No effect on execution at EL0' },
        {
          value: 1,
          meaning: 'EL1 exceptions route to EL2; MDCR_EL2.{TDRA,TDOSA,TDA,TDE} treated as 1; EL1 unusable',
        },
      ],
      description: 'Trap General Exceptions from EL0 to EL2; with E2H = 1 selects the EL2&0 host regime',
    },
    {
      name: 'TVM',
      bits: [26, 26],
      description: 'Trap EL1 (and EL0 POR_EL0) writes of the virtual memory control registers to EL2',
    },
    {
      name: 'TTLB',
      bits: [25, 25],
      description: 'Trap EL1 execution of TLB maintenance instructions to EL2',
    },
    {
      name: 'TPU',
      bits: [24, 24],
      description: 'Trap EL1 and EL0 cache maintenance instructions to the Point of Unification to EL2',
    },
    {
      name: 'TPCP',
      bits: [23, 23],
      description: 'Trap EL1 and EL0 data cache maintenance to the Point of Coherency or Persistence to EL2',
    },
    {
      name: 'TSW',
      bits: [22, 22],
      description: 'Trap EL1 data cache maintenance by Set/Way to EL2',
    },
    {
      name: 'TACR',
      bits: [21, 21],
      description: 'Trap EL1 accesses to the Auxiliary Control Registers (ACTLR_EL1) to EL2',
    },
    {
      name: 'TIDCP',
      bits: [20, 20],
      description: 'Trap EL1 (and EL0) accesses to IMPLEMENTATION DEFINED System register encodings to EL2',
    },
    { name: 'TSC', bits: [19, 19], description: 'Trap EL1 execution of SMC instructions to EL2' },
    {
      name: 'TID3',
      bits: [18, 18],
      description: 'Trap EL1 reads of the ID group 3 registers (ID_AA64*_EL1 and friends) to EL2',
    },
    {
      name: 'TID2',
      bits: [17, 17],
      description:
        'Trap EL1 and EL0 accesses to the ID group 2 cache ID registers (CTR_EL0, CCSIDR, ...) to EL2',
    },
    {
      name: 'TID1',
      bits: [16, 16],
      description: 'Trap EL1 reads of the ID group 1 registers (REVIDR_EL1, AIDR_EL1, SMIDR_EL1) to EL2',
    },
    {
      name: 'TID0',
      bits: [15, 15],
      feature: 'FEAT_AA32',
      description: 'Trap AArch32 EL1 (and EL0) reads of the ID group 0 registers (JIDR, FPSID) to EL2',
    },
    { name: 'TWE', bits: [14, 14], description: 'Trap EL1 and EL0 execution of WFE (and WFET) to EL2' },
    { name: 'TWI', bits: [13, 13], description: 'Trap EL1 and EL0 execution of WFI (and WFIT) to EL2' },
    {
      name: 'DC',
      bits: [12, 12],
      description:
        'Default Cacheability: EL1&0 stage 1 treated as off with Normal Write-Back memory; VM treated as 1',
    },
    {
      name: 'BSU',
      bits: [11, 10],
      values: [
        { value: 0b00, name: 'NONE', meaning: 'No effect' },
        { value: 0b01, name: 'IS', meaning: 'Inner Shareable' },
        { value: 0b10, name: 'OS', meaning: 'Outer Shareable' },
        { value: 0b11, name: 'FS', meaning: 'Full system' },
      ],
      description: 'Barrier Shareability upgrade: minimum domain of barriers executed at EL1 or EL0',
    },
    {
      name: 'FB',
      bits: [9, 9],
      description: 'Force broadcast of EL1 Non-shareable TLB and instruction cache invalidation',
    },
    { name: 'VSE', bits: [8, 8], description: 'Virtual SError exception pending' },
    { name: 'VI', bits: [7, 7], description: 'Virtual IRQ interrupt pending' },
    { name: 'VF', bits: [6, 6], description: 'Virtual FIQ interrupt pending' },
    {
      name: 'AMO',
      bits: [5, 5],
      description: 'Physical SError routing to EL2, and enable of virtual SError',
    },
    { name: 'IMO', bits: [4, 4], description: 'Physical IRQ routing to EL2, and enable of virtual IRQ' },
    { name: 'FMO', bits: [3, 3], description: 'Physical FIQ routing to EL2, and enable of virtual FIQ' },
    {
      name: 'PTW',
      bits: [2, 2],
      description:
        'Protected Table Walk: a stage 1 walk that stage 2 makes Device memory takes a Permission fault',
    },
    {
      name: 'SWIO',
      bits: [1, 1],
      description: 'Set/Way Invalidation Override: EL1 DC ISW performs clean and invalidate',
    },
    {
      name: 'VM',
      bits: [0, 0],
      values: [
        { value: 0, meaning: 'EL1&0 stage 2 address translation disabled' },
        { value: 1, meaning: 'EL1&0 stage 2 address translation enabled' },
      ],
      description: 'Virtualization enable: stage 2 translation for the EL1&0 regime',
    },
  ],
};
