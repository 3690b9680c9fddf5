// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.3.18 MDCR_EL3, Monitor Debug Configuration Register (EL3);
// Linux arch/arm64/tools/sysreg has no MDCR_EL3 block: field positions agree with the MDCR_EL3
// definitions of Trusted Firmware-A include/arch/aarch64/arch.h (MDCR_*_BIT, MDCR_*(x) shifts).
import type { RegisterDef } from './types.js';

export const MDCR_EL3: RegisterDef = {
  name: 'MDCR_EL3',
  encoding: { op0: 3, op1: 6, crn: 1, crm: 3, op2: 1 },
  width: 64,
  feature: 'FEAT_EL3',
  access: { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'UNDEFINED', el3: 'RW' },
  section: 'D24.3.18',
  description:
    'EL3 debug and PMU configuration: Secure/EL3 counting prohibition, traps of PMU and debug to EL3',
  fields: [
    { name: 'RES0', bits: [63, 56], description: 'Reserved' },
    {
      name: 'EnPMS4',
      bits: [55, 55],
      feature: 'FEAT_SPE_nVM',
      description: 'Enable EL2 and EL1 access to PMBMAR_EL1 (0 traps to EL3)',
    },
    {
      name: 'TRBEE',
      bits: [54, 53],
      feature: 'FEAT_TRBE_EXC',
      values: [
        { value: 0b00, meaning: 'Disabled: TRBE Profiling exceptions disabled at every Exception level' },
        { value: 0b01, meaning: 'Delegated: disabled for EL3, may be enabled for EL2/EL1 by TRFCR_ELx.EE' },
        { value: 0b10, meaning: 'Enabled for trace buffer management events that target EL3' },
        { value: 0b11, meaning: 'Trap all: every trace buffer management event is taken to EL3' },
      ],
      description: 'Trace buffer management event exception enable (effective 0b01 when EL3 is absent)',
    },
    {
      name: 'PMSEE',
      bits: [52, 51],
      feature: 'FEAT_SPE_EXC',
      values: [
        { value: 0b00, meaning: 'Disabled: SPE Profiling exceptions disabled at every Exception level' },
        { value: 0b01, meaning: 'Delegated: disabled for EL3, may be enabled for EL2/EL1 by PMSCR_ELx.EE' },
        { value: 0b10, meaning: 'Enabled for Profiling Buffer management events that target EL3' },
        { value: 0b11, meaning: 'Trap all: every Profiling Buffer management event is taken to EL3' },
      ],
      description: 'Profiling Buffer management event exception enable (effective 0b01 when EL3 is absent)',
    },
    {
      name: 'EnSTEPOP',
      bits: [50, 50],
      feature: 'FEAT_STEP2',
      values: [
        { value: 0, meaning: 'Execution from MDSTEPOP_EL1 disabled; EL2/EL1/EL0 accesses to it trap to EL3' },
        { value: 1, meaning: 'Execution from MDSTEPOP_EL1 not disabled, accesses not trapped' },
      ],
      description: 'Enables execution of the instruction in MDSTEPOP_EL1 and access to that register',
    },
    {
      name: 'ETBAD',
      bits: [49, 48],
      feature: 'FEAT_TRBE_EXT',
      values: [
        {
          value: 0b00,
          meaning: 'Non-secure (with FEAT_RME also Secure and Realm) external accesses prohibited',
        },
        { value: 0b01, meaning: 'Secure and Non-secure external accesses prohibited' },
        { value: 0b10, meaning: 'Realm and Non-secure external accesses prohibited' },
        { value: 0b11, meaning: 'All external accesses allowed' },
      ],
      description: 'External Trace Buffer Access Disable: external debugger access to Trace Buffer registers',
    },
    {
      name: 'EnITE',
      bits: [47, 47],
      feature: 'FEAT_ITE',
      description: 'Enable EL2 and EL1 access to TRCITECR_EL1/EL2/EL12 (0 traps to EL3)',
    },
    {
      name: 'EPMSSAD',
      bits: [46, 45],
      feature: 'FEAT_PMUv3_SS',
      values: [
        {
          value: 0b00,
          meaning: 'Non-secure (with FEAT_RME also Secure and Realm) external accesses prohibited',
        },
        { value: 0b01, meaning: 'Secure and Non-secure external accesses prohibited' },
        { value: 0b10, meaning: 'Realm and Non-secure external accesses prohibited' },
        { value: 0b11, meaning: 'No external accesses prohibited by this control' },
      ],
      description: 'External PMU Snapshot Access Disable: external debugger access to the snapshot registers',
    },
    {
      name: 'EnPMSS',
      bits: [44, 44],
      feature: 'FEAT_PMUv3_SS',
      description:
        'Enable EL2/EL1 access to PMCCNTSVR_EL1, PMEVCNTSVR<n>_EL1, PMICNTSVR_EL1, PMSSCR_EL1 (0 traps)',
    },
    {
      name: 'EBWE',
      bits: [43, 43],
      feature: 'FEAT_Debugv8p9',
      values: [
        {
          value: 0,
          meaning: 'MDSCR_EL1.EMBWE and MDCR_EL2.EBWE effectively 0; MDSELR_EL1 accesses trap to EL3',
        },
        { value: 1, meaning: 'Not affected by this field; MDSELR_EL1 accesses not trapped' },
      ],
      description: 'Extended breakpoint and watchpoint enable (effective 1 when EL3 is absent)',
    },
    {
      name: 'EnPMS3',
      bits: [42, 42],
      feature: 'FEAT_SPE_FDS',
      description: 'Enable EL2 and EL1 access to PMSDSFR_EL1 (0 traps to EL3)',
    },
    {
      name: 'PMEE',
      bits: [41, 40],
      feature: 'FEAT_EBEP',
      values: [
        { value: 0b00, meaning: 'PMUIRQ asserted on overflow; PMU Profiling exception disabled' },
        { value: 0b01, meaning: 'Controlled by MDCR_EL2.PMEE' },
        { value: 0b10, meaning: 'Reserved' },
        { value: 0b11, meaning: 'PMUIRQ deasserted; PMU Profiling exception enabled' },
      ],
      description: 'Performance Monitors exception enable at all ELs (effective 0b01 when EL3 is absent)',
    },
    {
      name: 'EnTB2',
      bits: [39, 39],
      feature: 'FEAT_TRBE_MPAM',
      description: 'Enable EL2 and EL1 access to TRBMPAM_EL1 (0 traps to EL3)',
    },
    {
      name: 'E3BREC',
      bits: [38, 38],
      feature: 'FEAT_BRBEv1p1',
      description:
        'Branch recording at EL3, Cold reset enable: recording at EL3 is enabled when E3BREC != E3BREW',
    },
    {
      name: 'E3BREW',
      bits: [37, 37],
      feature: 'FEAT_BRBEv1p1',
      description: 'Branch recording at EL3, Warm reset enable: evaluated together with E3BREC',
    },
    {
      name: 'EnPMSN',
      bits: [36, 36],
      feature: 'FEAT_SPE_FnE',
      description: 'Enable EL2 and EL1 access to PMSNEVFR_EL1 (0 traps to EL3)',
    },
    {
      name: 'MPMX',
      bits: [35, 35],
      feature: 'FEAT_PMUv3p7',
      values: [
        { value: 0, meaning: 'Counters are not affected by this mechanism' },
        {
          value: 1,
          meaning: 'Affected counters do not count at EL3; PMCCNTR_EL0 is affected only if PMCR_EL0.DP is 1',
        },
      ],
      description:
        'Monitor PMU extended control: stops counters at EL3 (first range if SPME = 1 and EL2 exists, else all)',
    },
    {
      name: 'MCCD',
      bits: [34, 34],
      feature: 'FEAT_PMUv3p7',
      values: [
        { value: 0, meaning: 'Cycle counting by PMCCNTR_EL0 is not affected by this mechanism' },
        { value: 1, meaning: 'Cycle counting by PMCCNTR_EL0 is prohibited at EL3' },
      ],
      description: 'Monitor Cycle Counter Disable: PMCCNTR_EL0 does not count at EL3 (events are unaffected)',
    },
    {
      name: 'SBRBE',
      bits: [33, 32],
      feature: 'FEAT_BRBE',
      values: [
        {
          value: 0b00,
          meaning: 'BRBE accesses below EL3 trap to EL3; EL0, EL1 and EL2 are prohibited regions',
        },
        {
          value: 0b01,
          meaning: 'Secure BRBE accesses below EL3 trap; Secure EL0-EL2 are prohibited regions',
        },
        { value: 0b10, meaning: 'BRBE accesses below EL3 trap to EL3; no prohibited regions' },
        { value: 0b11, meaning: 'No traps and no prohibited regions from this control' },
      ],
      description: 'Secure Branch Record Buffer Enable: BRBE recording and BRBE register/instruction traps',
    },
    {
      name: 'PMSSE',
      bits: [31, 30],
      feature: 'FEAT_PMUv3_SS',
      values: [
        { value: 0b00, meaning: 'Capture events are disabled' },
        { value: 0b01, meaning: 'Capture events are controlled by MDCR_EL2.PMSSE' },
        { value: 0b10, meaning: 'Capture events are enabled and prohibited' },
        { value: 0b11, meaning: 'Capture events are enabled and allowed' },
      ],
      description: 'PMU Snapshot Capture event enable (effective 0b01 when EL3 is absent)',
    },
    { name: 'RES0', bits: [29, 29], description: 'Reserved' },
    {
      name: 'MTPME',
      bits: [28, 28],
      feature: 'FEAT_MTPMU',
      values: [
        { value: 0, meaning: 'FEAT_MTPMU disabled: Effective PMEVTYPER<n>_EL0.MT is 0' },
        { value: 1, meaning: 'PMEVTYPER<n>_EL0.MT not affected by this field' },
      ],
      description: 'Multi-threaded PMU enable (Cold reset value 1)',
    },
    {
      name: 'TDCC',
      bits: [27, 27],
      feature: 'FEAT_FGT',
      description: 'Trap EL2, EL1 and EL0 accesses to the DCC registers to EL3',
    },
    {
      name: 'NSTBE',
      bits: [26, 26],
      feature: 'FEAT_TRBE',
      condition: 'And FEAT_RME',
      description:
        'Non-secure Trace Buffer Extended: with NSTB selects the trace buffer owner (Realm when 1)',
    },
    {
      name: 'NSTB',
      bits: [25, 24],
      feature: 'FEAT_TRBE',
      values: [
        { value: 0b00, meaning: 'Owner Secure; EL2 and EL1 accesses to the TRB* registers trap to EL3' },
        { value: 0b01, meaning: 'Owner Secure; Non-secure EL2 and EL1 accesses trap to EL3' },
        { value: 0b10, meaning: 'Owner Non-secure; EL2 and EL1 accesses to the TRB* registers trap to EL3' },
        { value: 0b11, meaning: 'Owner Non-secure; Secure EL2 and EL1 accesses trap to EL3' },
      ],
      description:
        'Non-secure Trace Buffer: trace buffer owning Security state, TRB* traps (values without RME)',
    },
    {
      name: 'SCCD',
      bits: [23, 23],
      feature: 'FEAT_PMUv3p5',
      values: [
        { value: 0, meaning: 'Cycle counting by PMCCNTR_EL0 is not affected by this mechanism' },
        { value: 1, meaning: 'Cycle counting by PMCCNTR_EL0 is prohibited in Secure state and at EL3' },
      ],
      description: 'Secure Cycle Counter Disable: PMCCNTR_EL0 does not count in Secure state or at EL3',
    },
    {
      name: 'ETAD',
      bits: [22, 22],
      feature: 'FEAT_TRC_EXT',
      condition: 'And FEAT_TRBE',
      description: 'External Trace Access Disable: external trace unit access (with ETADE under FEAT_RME)',
    },
    {
      name: 'EPMAD',
      bits: [21, 21],
      feature: 'FEAT_PMUv3_EXT',
      description:
        'External PMU Access Disable: external debugger access to PMU registers (with EPMADE under RME)',
    },
    {
      name: 'EDAD',
      bits: [20, 20],
      description:
        'External Debug Access Disable: external access to breakpoints, watchpoints (and OSLAR_EL1)',
    },
    {
      name: 'TTRF',
      bits: [19, 19],
      feature: 'FEAT_TRF',
      description: 'Trap EL2 and EL1 accesses to the trace filter controls (TRFCR_ELx) to EL3',
    },
    {
      name: 'STE',
      bits: [18, 18],
      feature: 'FEAT_TRF',
      condition: 'And Secure state is implemented',
      values: [
        {
          value: 0,
          meaning: 'Trace prohibited in Secure state unless the authentication interface overrides',
        },
        { value: 1, meaning: 'Trace in Secure state is not affected by this field' },
      ],
      description: 'Secure Trace enable',
    },
    {
      name: 'SPME',
      bits: [17, 17],
      feature: 'FEAT_PMUv3',
      values: [
        {
          value: 0,
          meaning: 'With MPMX = 0: counters do not count in Secure state or at EL3 (PMCCNTR_EL0 only if DP)',
        },
        { value: 1, meaning: 'Counters are not affected by this mechanism' },
      ],
      description: 'Secure PMU Enable; when MPMX is 1 it selects which counters MPMX stops at EL3',
    },
    {
      name: 'SDD',
      bits: [16, 16],
      condition: 'Secure state is implemented',
      description:
        'AArch64 Secure self-hosted debug disable: debug exceptions other than BRK disabled in Secure',
    },
    {
      name: 'SPD32',
      bits: [15, 14],
      feature: 'FEAT_AA32EL1',
      values: [
        { value: 0b00, meaning: 'Legacy: the authentication interface enables debug from Secure EL1' },
        { value: 0b10, meaning: 'Secure privileged debug disabled' },
        { value: 0b11, meaning: 'Secure privileged debug enabled' },
      ],
      description: 'AArch32 Secure privileged debug: debug exceptions from Secure EL1 using AArch32',
    },
    {
      name: 'NSPB',
      bits: [13, 12],
      feature: 'FEAT_SPE',
      values: [
        { value: 0b00, meaning: 'Owner Secure; EL2 and EL1 accesses to the SPE registers trap to EL3' },
        { value: 0b01, meaning: 'Owner Secure; Non-secure EL2 and EL1 accesses trap to EL3' },
        { value: 0b10, meaning: 'Owner Non-secure; EL2 and EL1 accesses to the SPE registers trap to EL3' },
        { value: 0b11, meaning: 'Owner Non-secure; Secure EL2 and EL1 accesses trap to EL3' },
      ],
      description:
        'Non-secure Profiling Buffer: Profiling Buffer owner, SPE register traps (values without RME)',
    },
    {
      name: 'NSPBE',
      bits: [11, 11],
      feature: 'FEAT_SPE',
      condition: 'And FEAT_RME',
      description: 'Non-secure Profiling Buffer Extended: with NSPB selects the Profiling Buffer owner',
    },
    {
      name: 'TDOSA',
      bits: [10, 10],
      description: 'Trap EL2 and EL1 accesses to the OS lock and powerdown debug registers to EL3',
    },
    {
      name: 'TDA',
      bits: [9, 9],
      description: 'Trap EL2, EL1 and EL0 accesses to the debug System registers to EL3',
    },
    { name: 'RES0', bits: [8, 8], description: 'Reserved' },
    {
      name: 'EnPM2',
      bits: [7, 7],
      feature: 'FEAT_PMUv3p9',
      condition: 'Or FEAT_SPMU, FEAT_EBEP, FEAT_PMUv3_SS or FEAT_SPMU2',
      values: [
        {
          value: 0,
          meaning:
            'Accesses trap to EL3; with FEAT_PMUv3_ICNTR the F0 bits of PMCNTEN/PMOVS/PMINTEN/PMZR are RAZ/WI',
        },
        { value: 1, meaning: 'Accesses are not trapped by this mechanism' },
      ],
      description:
        'Enable EL2/EL1/EL0 access to PMECR, PMICNTR, PMICFILTR, PMUACR, PMIAR and SPMU regs (0 traps)',
    },
    {
      name: 'TPM',
      bits: [6, 6],
      feature: 'FEAT_PMUv3',
      values: [
        { value: 0, meaning: 'Accesses of the PMU registers are not trapped by this mechanism' },
        { value: 1, meaning: 'EL2, EL1 and EL0 accesses of the PMU registers trap to EL3' },
      ],
      description: 'Trap EL2, EL1 and EL0 accesses to the PMU registers to EL3',
    },
    { name: 'RES0', bits: [5, 5], description: 'Reserved' },
    {
      name: 'EDADE',
      bits: [4, 4],
      feature: 'FEAT_RME',
      description: 'External Debug Access Disable Extended: evaluated together with EDAD',
    },
    {
      name: 'ETADE',
      bits: [3, 3],
      feature: 'FEAT_RME',
      condition: 'And FEAT_TRC_EXT and FEAT_TRBE',
      description: 'External Trace Access Disable Extended: evaluated together with ETAD',
    },
    {
      name: 'EPMADE',
      bits: [2, 2],
      feature: 'FEAT_RME',
      condition: 'And FEAT_PMUv3_EXT',
      description: 'External PMU Access Disable Extended: evaluated together with EPMAD',
    },
    { name: 'RES0', bits: [1, 1], description: 'Reserved' },
    {
      name: 'RLTE',
      bits: [0, 0],
      feature: 'FEAT_RME',
      condition: 'And FEAT_TRF',
      description: 'Realm Trace enable: 0 prohibits trace in Realm state unless overridden',
    },
  ],
};
