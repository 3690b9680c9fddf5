// SPDX-License-Identifier: MIT
// Arm ARM DDI0487 M.a.a D24.2.66 HDFGRTR2_EL2, Hypervisor Debug Fine-Grained Read Trap Register 2;
// field positions agree with Linux arch/arm64/tools/sysreg (Sysreg HDFGRTR2_EL2 3 4 3 1 0).
import type { FieldValue, RegisterDef } from './types.js';

/**
 * Every field here has negative polarity: 0 traps. With EL3 implemented and SCR_EL3.FGTEn2 = 0,
 * each field is ignored and treated as 0, that is, as trapping (D24.2.66, e.g. nPMICNTR_EL0).
 */
const TRAP_IF_0: readonly FieldValue[] = [
  {
    value: 0,
    meaning: 'Reads trap to EL2 (EC 0x18) if EL2 is enabled; also the effect when SCR_EL3.FGTEn2 is 0',
  },
  { value: 1, meaning: 'Reads are not trapped by this mechanism' },
];

export const HDFGRTR2_EL2: RegisterDef = {
  name: 'HDFGRTR2_EL2',
  encoding: { op0: 3, op1: 4, crn: 3, crm: 1, op2: 0 },
  width: 64,
  feature: 'FEAT_FGT2',
  access: { el0: 'UNDEFINED', el1: 'UNDEFINED', el2: 'RW', el3: 'RW' },
  section: 'D24.2.66',
  description: 'Fine-grained read traps 2: negative-polarity traps of newer debug, trace and PMU registers',
  fields: [
    { name: 'RES0', bits: [63, 25], description: 'Reserved' },
    {
      name: 'nPMBMAR_EL1',
      bits: [24, 24],
      feature: 'FEAT_SPE_nVM',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMBMAR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nMDSTEPOP_EL1',
      bits: [23, 23],
      feature: 'FEAT_STEP2',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of MDSTEPOP_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nTRBMPAM_EL1',
      bits: [22, 22],
      feature: 'FEAT_TRBE_MPAM',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of TRBMPAM_EL1 to EL2 (negative polarity: 0 traps)',
    },
    { name: 'RES0', bits: [21, 21], description: 'Reserved (nPMZR_EL0, write-only, in HDFGWTR2_EL2)' },
    {
      name: 'nTRCITECR_EL1',
      bits: [20, 20],
      feature: 'FEAT_ITE',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of TRCITECR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMSDSFR_EL1',
      bits: [19, 19],
      feature: 'FEAT_SPE_FDS',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMSDSFR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMDEVAFF_EL1',
      bits: [18, 18],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of SPMDEVAFF_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMID',
      bits: [17, 17],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of SPMCFGR_EL1, SPMCGCR<n>_EL1, SPMDEVARCH_EL1, SPMIIDR_EL1 (0 traps)',
    },
    {
      name: 'nSPMSCR_EL1',
      bits: [16, 16],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of SPMSCR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMACCESSR_EL1',
      bits: [15, 15],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of SPMACCESSR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMCR_EL0',
      bits: [14, 14],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description:
        'Trap EL1/EL0 reads of SPMCR_EL0 to EL2, unless E2H,TGE = 1,1 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMOVS',
      bits: [13, 13],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1/EL0 reads of SPMOVSCLR_EL0 and SPMOVSSET_EL0 to EL2 (0 traps)',
    },
    {
      name: 'nSPMINTEN',
      bits: [12, 12],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of SPMINTENCLR_EL1 and SPMINTENSET_EL1 to EL2 (0 traps)',
    },
    {
      name: 'nSPMCNTEN',
      bits: [11, 11],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1/EL0 reads of SPMCNTENCLR_EL0 and SPMCNTENSET_EL0 to EL2 (0 traps)',
    },
    {
      name: 'nSPMSELR_EL0',
      bits: [10, 10],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1/EL0 reads of SPMSELR_EL0 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nSPMEVTYPERn_EL0',
      bits: [9, 9],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1/EL0 reads of SPMEVTYPER<n>_EL0, SPMEVFILTR<n>_EL0, SPMEVFILT2R<n>_EL0 (0 traps)',
    },
    {
      name: 'nSPMEVCNTRn_EL0',
      bits: [8, 8],
      feature: 'FEAT_SPMU',
      values: TRAP_IF_0,
      description: 'Trap EL1/EL0 reads of SPMEVCNTR<n>_EL0 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMSSCR_EL1',
      bits: [7, 7],
      feature: 'FEAT_PMUv3_SS',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMSSCR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMSSDATA',
      bits: [6, 6],
      feature: 'FEAT_PMUv3_SS',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMCCNTSVR_EL1, PMEVCNTSVR<n>_EL1 and PMICNTSVR_EL1 to EL2 (0 traps)',
    },
    {
      name: 'nMDSELR_EL1',
      bits: [5, 5],
      feature: 'FEAT_Debugv8p9',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of MDSELR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMUACR_EL1',
      bits: [4, 4],
      feature: 'FEAT_PMUv3p9',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMUACR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMICFILTR_EL0',
      bits: [3, 3],
      feature: 'FEAT_PMUv3_ICNTR',
      values: TRAP_IF_0,
      description:
        'Trap EL1/EL0 reads of PMICFILTR_EL0 (0 traps); at 0 the F0 bits of PMCNTEN, PMOVS, PMINTEN read as 0',
    },
    {
      name: 'nPMICNTR_EL0',
      bits: [2, 2],
      feature: 'FEAT_PMUv3_ICNTR',
      values: TRAP_IF_0,
      description:
        'Trap EL1/EL0 reads of PMICNTR_EL0 to EL2, unless E2H,TGE = 1,1 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMIAR_EL1',
      bits: [1, 1],
      feature: 'FEAT_SEBEP',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMIAR_EL1 to EL2 (negative polarity: 0 traps)',
    },
    {
      name: 'nPMECR_EL1',
      bits: [0, 0],
      feature: 'FEAT_EBEP',
      condition: 'Or FEAT_PMUv3_SS',
      values: TRAP_IF_0,
      description: 'Trap EL1 reads of PMECR_EL1 to EL2 (negative polarity: 0 traps)',
    },
  ],
};
