// SPDX-License-Identifier: MIT
/**
 * Architectural features (FEAT_*) and PMU versions, as data.
 *
 * Each PMU-relevant feature names the ID register field that reports it (Arm ARM DDI0487 M.a.a,
 * D24.2 "ID_AA64DFR0_EL1", "ID_AA64DFR1_EL1", "ID_AA64MMFR0_EL1", "ID_AA64PFR0_EL1") and the
 * features it implies (implementing it means these are implemented too). Features that only
 * gate fields of the registers in the catalogue are listed by name in OTHER_FEATURES.
 *
 * ARCH_VERSIONS lists, per architecture version, the features it makes mandatory (A2.2, A2.3), and
 * CONDITIONAL_IMPLIES the implications with a compound condition; featureClosure and archFeatures
 * apply them.
 *
 * @module
 */

import { didYouMean, InputError } from './errors.js';

/** The PMU versions the model knows, oldest first (ID_AA64DFR0_EL1.PMUVer). */
export const PMU_VERSIONS = [
  'PMUv3',
  'PMUv3p1',
  'PMUv3p4',
  'PMUv3p5',
  'PMUv3p7',
  'PMUv3p8',
  'PMUv3p9',
] as const;

/** A PMU version name, `PMUv3` .. `PMUv3p9`. */
export type PmuVersion = (typeof PMU_VERSIONS)[number];

/** ID_AA64DFR0_EL1.PMUVer encoding of each version (Arm ARM D24.2.80, field PMUVer [11:8]). */
export const PMUVER_ENCODING: Readonly<Record<PmuVersion, number>> = {
  PMUv3: 0b0001,
  PMUv3p1: 0b0100,
  PMUv3p4: 0b0101,
  PMUv3p5: 0b0110,
  PMUv3p7: 0b0111,
  PMUv3p8: 0b1000,
  PMUv3p9: 0b1001,
};

/** Where an ID register reports a feature: the feature is implemented when `field >= min`. */
export interface IdFieldRef {
  readonly register: string;
  readonly field: string;
  readonly min: number;
  /** `signed` fields use the signed ID scheme; `pmuver` treats 0b1111 as "IMPLEMENTATION DEFINED, not PMUv3". */
  readonly scheme: 'unsigned' | 'signed' | 'pmuver';
}

/** One architectural feature. */
export interface FeatureDef {
  readonly name: string;
  /** The ID register field that reports the feature, when there is one. */
  readonly id?: IdFieldRef;
  /** Features that implementing this one implies (direct implications only). */
  readonly implies: readonly string[];
  readonly description: string;
}

const DFR0 = 'ID_AA64DFR0_EL1';
const DFR1 = 'ID_AA64DFR1_EL1';
const MMFR0 = 'ID_AA64MMFR0_EL1';
const PFR0 = 'ID_AA64PFR0_EL1';

/** The features that decide what EL2 can do with the PMU. */
export const PMU_FEATURES = [
  {
    name: 'FEAT_PMUv3',
    id: { register: DFR0, field: 'PMUVer', min: 0b0001, scheme: 'pmuver' },
    implies: [],
    description: 'Performance Monitors Extension, version 3',
  },
  {
    name: 'FEAT_PMUv3p1',
    id: { register: DFR0, field: 'PMUVer', min: 0b0100, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3'],
    description: 'PMUv3 for Armv8.1: 16-bit evtCount, MDCR_EL2.HPMD',
  },
  {
    name: 'FEAT_PMUv3p4',
    id: { register: DFR0, field: 'PMUVer', min: 0b0101, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3p1'],
    description: 'PMUv3 for Armv8.4: PMMIR_EL1',
  },
  {
    name: 'FEAT_PMUv3p5',
    id: { register: DFR0, field: 'PMUVer', min: 0b0110, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3p4'],
    description: 'PMUv3 for Armv8.5: 64-bit event counters, PMCR_EL0.LP, MDCR_EL2.{HLP,HCCD}, MDCR_EL3.SCCD',
  },
  {
    name: 'FEAT_PMUv3p7',
    id: { register: DFR0, field: 'PMUVer', min: 0b0111, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3p5'],
    description:
      'PMUv3 for Armv8.7: freeze on overflow (PMCR_EL0.FZO, MDCR_EL2.HPMFZO), MDCR_EL3.{MPMX,MCCD}',
  },
  {
    name: 'FEAT_PMUv3p8',
    id: { register: DFR0, field: 'PMUVer', min: 0b1000, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3p7'],
    description: 'PMUv3 for Armv8.8: extended common event space, PMCEID bits for unimplemented events',
  },
  {
    name: 'FEAT_PMUv3p9',
    id: { register: DFR0, field: 'PMUVer', min: 0b1001, scheme: 'pmuver' },
    implies: ['FEAT_PMUv3p8'],
    description: 'PMUv3 for Armv8.9: PMUSERENR_EL0.UEN, PMUACR_EL1, PMZR_EL0, EDECR.PME',
  },
  {
    name: 'FEAT_HPMN0',
    id: { register: DFR0, field: 'HPMN0', min: 0b0001, scheme: 'unsigned' },
    implies: ['FEAT_PMUv3', 'FEAT_FGT', 'FEAT_EL2'], // A2.2.7 FEAT_HPMN0 ("If ... then ...")
    description: 'MDCR_EL2.HPMN = 0 has defined behaviour (all event counters in the second range)',
  },
  {
    name: 'FEAT_FGT',
    id: { register: MMFR0, field: 'FGT', min: 0b0001, scheme: 'unsigned' },
    implies: [],
    description: 'Fine-grained traps: HDFGRTR_EL2/HDFGWTR_EL2 and friends',
  },
  {
    name: 'FEAT_FGT2',
    id: { register: MMFR0, field: 'FGT', min: 0b0010, scheme: 'unsigned' },
    implies: ['FEAT_FGT'],
    description:
      'Fine-grained traps 2: HDFGRTR2_EL2/HDFGWTR2_EL2 (negative-polarity n* bits), SCR_EL3.FGTEn2',
  },
  {
    name: 'FEAT_PMUv3_ICNTR',
    id: { register: DFR1, field: 'PMICNTR', min: 0b0001, scheme: 'unsigned' },
    implies: ['FEAT_PMUv3p9'], // A2.2.10; also FEAT_FGT2 when FEAT_AA64EL2 is implemented (conditional)
    description: 'Fixed instruction counter PMICNTR_EL0 with PMICFILTR_EL0 (counter index 32)',
  },
  {
    name: 'FEAT_PMUv3_EXTPMN',
    // No System ID register field: A2.3.7 names only PMDEVID.EXTPMN [11:8] (external, I5.3.26).
    implies: ['FEAT_PMUv3', 'FEAT_PMUv3_EXT', 'FEAT_FGT'], // A2.3.7 (+ FEAT_HPMN0 when FEAT_EL2)
    description: 'External PMU counter range: PMCCR.EPMN reserves counters [EPMN..N-1] for an external agent',
  },
  {
    name: 'FEAT_EBEP',
    id: { register: DFR1, field: 'EBEP', min: 0b0001, scheme: 'unsigned' },
    implies: ['FEAT_PMUv3'], // not stated in A2.3.5 FEAT_EBEP; kept: it profiles PMU counter overflows
    description: 'Exception-based event profiling: the PMU Profiling exception, MDCR_EL2.PMEE',
  },
  {
    name: 'FEAT_SEBEP',
    id: { register: DFR0, field: 'SEBEP', min: 0b0001, scheme: 'unsigned' },
    implies: ['FEAT_EBEP'], // A2.3.5 FEAT_SEBEP: "then FEAT_EBEP is implemented"
    description: 'Synchronous-exception-based event profiling: PMEVTYPER<n>_EL0.SYNC, PMIAR_EL1',
  },
  {
    name: 'FEAT_MTPMU',
    id: { register: DFR0, field: 'MTPMU', min: 0b0001, scheme: 'signed' },
    implies: ['FEAT_PMUv3'],
    description: 'Multi-threaded PMU extensions: PMEVTYPER<n>_EL0.MT, MDCR_EL2.MTPME/MDCR_EL3.MTPME',
  },
  {
    name: 'FEAT_PMUv3_SS',
    id: { register: DFR0, field: 'PMSS', min: 0b0001, scheme: 'unsigned' },
    implies: ['FEAT_PMUv3p9'], // A2.2.10 FEAT_PMUv3_SS: "then FEAT_PMUv3p9 is implemented"
    description: 'PMU snapshot extension: PMEVCNTSVR<n>_EL1, MDCR_EL2.PMSSE',
  },
  {
    name: 'FEAT_EL2',
    id: { register: PFR0, field: 'EL2', min: 0b0001, scheme: 'unsigned' },
    implies: [],
    description: 'EL2 is implemented',
  },
  {
    name: 'FEAT_EL3',
    id: { register: PFR0, field: 'EL3', min: 0b0001, scheme: 'unsigned' },
    implies: [],
    description: 'EL3 is implemented',
  },
] as const satisfies readonly FeatureDef[];

/**
 * Features that only gate fields of registers in the catalogue (no PMU behaviour in the model).
 * Append new names at the end, one per line.
 */
export const OTHER_FEATURES = [
  { name: 'FEAT_AA64', implies: [], description: 'AArch64 is supported' },
  // A2.2.1 FEAT_AA32EL0: "If FEAT_AA32EL0 is implemented, then FEAT_AA32 is implemented."
  { name: 'FEAT_AA32EL0', implies: ['FEAT_AA32'], description: 'AArch32 is supported at EL0' },
  // A2.2 FEAT_AA32EL1: "If FEAT_AA32EL1 is implemented, then FEAT_AA32EL0 is implemented."
  { name: 'FEAT_AA32EL1', implies: ['FEAT_AA32EL0'], description: 'AArch32 is supported at EL1' },
  // A2.2.2 FEAT_VHE: "If FEAT_VHE is implemented, then FEAT_LSE, FEAT_Debugv8p1, and FEAT_AA64EL2 are ..."
  {
    name: 'FEAT_VHE',
    implies: ['FEAT_AA64EL2'],
    description: 'Virtualization Host Extensions (HCR_EL2.E2H)',
  },
  // A2.2.5 FEAT_SEL2: "If FEAT_SEL2 is implemented, then FEAT_EL2 is implemented"; FEAT_Debugv8p4: "If
  // FEAT_SEL2 is implemented, then FEAT_Debugv8p4 is implemented" (FEAT_TTST, FEAT_Secure: not modelled)
  { name: 'FEAT_SEL2', implies: ['FEAT_EL2', 'FEAT_Debugv8p4'], description: 'Secure EL2 (SCR_EL3.EEL2)' },
  // A2.3.3 FEAT_RME: "If FEAT_RME is implemented, then FEAT_AA64EL3, FEAT_AA64EL2, and FEAT_RNG or
  // FEAT_RNG_TRAP are implemented"; A2.2.7 FEAT_ECV_POFF: "If FEAT_RME is implemented, then FEAT_ECV_POFF ..."
  {
    name: 'FEAT_RME',
    implies: ['FEAT_AA64EL3', 'FEAT_AA64EL2', 'FEAT_ECV_POFF'],
    description: 'Realm Management Extension',
  },
  { name: 'FEAT_Debugv8p2', implies: [], description: 'Debug for Armv8.2' },
  // A2.2.10 FEAT_Debugv8p9: "If FEAT_Debugv8p9 is implemented, then FEAT_Debugv8p8 is implemented."
  { name: 'FEAT_Debugv8p9', implies: ['FEAT_Debugv8p8'], description: 'Debug for Armv8.9' },
  { name: 'FEAT_DoubleLock', implies: [], description: 'OS Double Lock' },
  { name: 'FEAT_SPE', implies: [], description: 'Statistical Profiling Extension' },
  // A2.2.8 FEAT_SPEv1p2: "... then FEAT_SPEv1p1 is implemented"; FEAT_SPE_FnE: "If FEAT_SPEv1p2 is
  // implemented, then FEAT_SPE_FnE is implemented" (and the converse: the two are equivalent)
  {
    name: 'FEAT_SPEv1p2',
    implies: ['FEAT_SPEv1p1', 'FEAT_SPE_FnE'],
    description: 'SPE version 1.2 (freeze on SPE event)',
  },
  // A2.2.10 FEAT_SPE_DPFZS: "If FEAT_SPE_DPFZS is implemented, then FEAT_PMUv3p7 and FEAT_SPEv1p2 are ..."
  {
    name: 'FEAT_SPE_DPFZS',
    implies: ['FEAT_PMUv3p7', 'FEAT_SPEv1p2'],
    description: 'PMCR_EL0.DP stops PMCCNTR_EL0 on an FZS freeze',
  },
  // A2.3.1 FEAT_TRBE: "If FEAT_TRBE is implemented, then FEAT_TRF is implemented", "... then FEAT_ETE ..."
  { name: 'FEAT_TRBE', implies: ['FEAT_TRF', 'FEAT_ETE'], description: 'Trace Buffer Extension' },
  { name: 'FEAT_TRF', implies: [], description: 'Self-hosted Trace Extensions' },
  // A2.2.10 FEAT_SPMU: "If FEAT_SPMU is implemented, then FEAT_PMUv3p9 is implemented."
  { name: 'FEAT_SPMU', implies: ['FEAT_PMUv3p9'], description: 'System Performance Monitors Extension' },
  { name: 'FEAT_STEP2', implies: [], description: 'Enhanced software step (MDSTEPOP_EL1)' },
  { name: 'FEAT_BRBE', implies: [], description: 'Branch Record Buffer Extension' },
  // A2.2.9 FEAT_PMUv3_TH: "If FEAT_PMUv3_TH is implemented, then FEAT_PMUv3 is implemented."
  {
    name: 'FEAT_PMUv3_TH',
    implies: ['FEAT_PMUv3'],
    description: 'PMU event threshold (PMEVTYPER<n>_EL0.TH, TC)',
  },
  // A2.2.10 FEAT_PMUv3_EDGE: "If FEAT_PMUv3_EDGE is implemented, then FEAT_PMUv3_TH is implemented."
  {
    name: 'FEAT_PMUv3_EDGE',
    implies: ['FEAT_PMUv3_TH'],
    description: 'PMU event edge detection (PMEVTYPER<n>_EL0.TE)',
  },
  // A2.3.6 FEAT_PMUv3_SME: "If FEAT_PMUv3_SME is implemented, then FEAT_PMUv3 ...", "... then FEAT_SME ..."
  {
    name: 'FEAT_PMUv3_SME',
    implies: ['FEAT_PMUv3', 'FEAT_SME'],
    description: 'PMU filtering by Streaming SVE mode (VS field)',
  },
  // A2.2.9 FEAT_PMUv3_EXT64: "If FEAT_PMUv3_EXT64 is implemented, then FEAT_PMUv3_EXT is implemented."
  { name: 'FEAT_PMUv3_EXT64', implies: ['FEAT_PMUv3_EXT'], description: '64-bit external PMU interface' },
  // A2.2.1 FEAT_PMUv3_EXT32: "If FEAT_PMUv3_EXT32 is implemented, then FEAT_PMUv3_EXT is implemented."
  { name: 'FEAT_PMUv3_EXT32', implies: ['FEAT_PMUv3_EXT'], description: '32-bit external PMU interface' },
  // A2.2.1 FEAT_AA32: "If FEAT_AA32 is implemented, then FEAT_AA32EL0 is implemented" (equivalent pair)
  {
    name: 'FEAT_AA32',
    implies: ['FEAT_AA32EL0'],
    description: 'AArch32 is supported at some Exception level',
  },
  {
    name: 'FEAT_PMUv3_TH2',
    // A2.3.6 FEAT_PMUv3_TH2: "... then FEAT_PMUv3_TH is implemented", "... then FEAT_PMUv3_EDGE ..."
    implies: ['FEAT_PMUv3_TH', 'FEAT_PMUv3_EDGE'],
    description: 'PMU threshold linking of counter pairs (PMEVTYPER<n>_EL0.TLC)',
  },
  // @features-pmu-a (keep this marker; add lines above it)
  // @features-pmu-b (keep this marker; add lines above it)
  // A2.3.1 FEAT_ETE: "If FEAT_ETE is implemented, then FEAT_TRBE is implemented", "... then FEAT_TRF ..."
  {
    name: 'FEAT_ETE',
    implies: ['FEAT_TRBE', 'FEAT_TRF'],
    description: 'Embedded Trace Extension (Armv9 trace unit)',
  },
  { name: 'FEAT_ETMv4', implies: [], description: 'Embedded Trace Macrocell v4 (Armv8 trace unit)' },
  { name: 'FEAT_TRC_EXT', implies: [], description: 'External interface to the trace unit registers' },
  // A2.3.5 FEAT_ITE: "If FEAT_ITE is implemented, then FEAT_TRF / FEAT_ETE / FEAT_TRBE is implemented."
  {
    name: 'FEAT_ITE',
    implies: ['FEAT_TRF', 'FEAT_ETE', 'FEAT_TRBE'],
    description: 'Instrumentation trace (TRCITECR_ELx)',
  },
  // A2.2.8 FEAT_SPE_FnE: "If FEAT_SPE_FnE is implemented, then FEAT_SPEv1p2 is implemented."
  {
    name: 'FEAT_SPE_FnE',
    implies: ['FEAT_SPEv1p2'],
    description: 'SPE inverted event filter (PMSNEVFR_EL1)',
  },
  // A2.2.10 FEAT_SPE_FDS: "... then FEAT_SPEv1p4 is implemented" (FEAT_SPE_LDS: not modelled)
  {
    name: 'FEAT_SPE_FDS',
    implies: ['FEAT_SPEv1p4'],
    description: 'SPE data source filtering (PMSDSFR_EL1)',
  },
  // A2.3.7 FEAT_SPE_nVM: "If FEAT_SPE_nVM is implemented, then FEAT_SPE is implemented."
  { name: 'FEAT_SPE_nVM', implies: ['FEAT_SPE'], description: 'SPE physical-address buffer (PMBMAR_EL1)' },
  // A2.3.7 FEAT_SPE_EXC: "If FEAT_SPE_EXC is implemented, then FEAT_SPEv1p5 is implemented" (equivalent pair)
  {
    name: 'FEAT_SPE_EXC',
    implies: ['FEAT_SPEv1p5'],
    description: 'SPE Profiling exceptions (MDCR_EL3.PMSEE)',
  },
  // A2.3.5 FEAT_TRBE_MPAM: "... then FEAT_TRBE_EXT is implemented" (FEAT_MPAM: not modelled)
  {
    name: 'FEAT_TRBE_MPAM',
    implies: ['FEAT_TRBE_EXT'],
    description: 'Trace buffer MPAM labels (TRBMPAM_EL1)',
  },
  // A2.3.7 FEAT_TRBE_EXC: "If FEAT_TRBE_EXC is implemented, then FEAT_TRBEv1p1 is implemented" (equivalent)
  { name: 'FEAT_TRBE_EXC', implies: ['FEAT_TRBEv1p1'], description: 'TRBE Profiling exceptions (TRBEE)' },
  { name: 'FEAT_TRBE_EXT', implies: ['FEAT_TRBE'], description: 'External trace buffer access (ETBAD)' },
  { name: 'FEAT_BRBEv1p1', implies: ['FEAT_BRBE'], description: 'BRBE v1.1: branch recording at EL3' },
  // A2.3.6 FEAT_HACDBS: "If FEAT_HACDBS is implemented, then FEAT_HDBSS is implemented."
  {
    name: 'FEAT_HACDBS',
    implies: ['FEAT_HDBSS'],
    description: 'Hardware accelerator for cleaning dirty state',
  },
  // A2.3.6 FEAT_HDBSS: "If FEAT_HDBSS is implemented, then FEAT_AA64EL2 is implemented" (FEAT_HAFDBS: not modelled)
  { name: 'FEAT_HDBSS', implies: ['FEAT_AA64EL2'], description: 'Hardware dirty state tracking structure' },
  { name: 'FEAT_E3DSE', implies: [], description: 'Delegated SError exceptions from EL3 (SCR_EL3.DSE)' },
  // A2.3.5 FEAT_SYSREG128: "... then FEAT_SCTLR2 is implemented", "... then FEAT_D128 is implemented"
  {
    name: 'FEAT_SYSREG128',
    implies: ['FEAT_SCTLR2', 'FEAT_D128'],
    description: '128-bit System registers (MRRS, MSRR)',
  },
  { name: 'FEAT_SRMASK', implies: [], description: 'System register masking (*MASK_ELx registers)' },
  { name: 'FEAT_PFAR', implies: [], description: 'Physical fault address registers (PFAR_ELx)' },
  { name: 'FEAT_RASv2', implies: ['FEAT_RASv1p1'], description: 'RAS Extension v2 (SCR_EL3.TWERR)' },
  { name: 'FEAT_DoubleFault', implies: [], description: 'Double Fault Extension (SCR_EL3.NMEA, EASE)' },
  // A2.2.10 FEAT_DoubleFault2: "... then FEAT_SCTLR2 is implemented", "... then FEAT_DoubleFault ..."
  {
    name: 'FEAT_DoubleFault2',
    implies: ['FEAT_SCTLR2', 'FEAT_DoubleFault'],
    description: 'Double Fault Extension v2 (SCR_EL3.TMEA)',
  },
  { name: 'FEAT_FPMR', implies: [], description: 'Floating-point mode register FPMR' },
  // A2.3.4 FEAT_MEC: "If FEAT_MEC is implemented, then FEAT_RME / FEAT_SCTLR2 / FEAT_TCR2 is implemented."
  {
    name: 'FEAT_MEC',
    implies: ['FEAT_RME', 'FEAT_SCTLR2', 'FEAT_TCR2'],
    description: 'Memory Encryption Contexts (MECID_*_EL2)',
  },
  // A2.3.5 FEAT_D128: "If FEAT_D128 is implemented, then FEAT_SYSREG128 / FEAT_S1PIE / FEAT_AIE / FEAT_TCR2
  // is implemented" (FEAT_SYSINSTR128, FEAT_LSE128: not modelled)
  {
    name: 'FEAT_D128',
    implies: ['FEAT_SYSREG128', 'FEAT_S1PIE', 'FEAT_AIE', 'FEAT_TCR2'],
    description: '128-bit translation table descriptors',
  },
  // A2.2.10 FEAT_AIE: "If FEAT_AIE is implemented, then FEAT_TCR2 is implemented" (FEAT_HPDS: not modelled)
  { name: 'FEAT_AIE', implies: ['FEAT_TCR2'], description: 'Attribute index enhancement (MAIR2_ELx)' },
  // A2.2.10 FEAT_S1PIE: "If FEAT_S1PIE is implemented, then FEAT_TCR2 is implemented" (FEAT_ATS1A: not modelled)
  { name: 'FEAT_S1PIE', implies: ['FEAT_TCR2'], description: 'Stage 1 permission indirection (PIR_ELx)' },
  { name: 'FEAT_SCTLR2', implies: [], description: 'Extension to SCTLR_ELx (SCTLR2_ELx)' },
  { name: 'FEAT_TCR2', implies: [], description: 'Extension to TCR_ELx (TCR2_ELx)' },
  // A2.2.10 FEAT_THE: "If FEAT_THE is implemented, then FEAT_TCR2 is implemented."
  { name: 'FEAT_THE', implies: ['FEAT_TCR2'], description: 'Translation Hardening Extension (RCWMASK_EL1)' },
  { name: 'FEAT_SME', implies: [], description: 'Scalable Matrix Extension (TPIDR2_EL0)' },
  { name: 'FEAT_RNG_TRAP', implies: [], description: 'Trapping of RNDR and RNDRRS to EL3' },
  // A2.3.5 FEAT_GCS: "If FEAT_GCS is implemented, then FEAT_S1PIE is implemented" (FEAT_CHK: not modelled)
  { name: 'FEAT_GCS', implies: ['FEAT_S1PIE'], description: 'Guarded Control Stack' },
  { name: 'FEAT_HCX', implies: [], description: 'HCRX_EL2 extended hypervisor configuration' },
  { name: 'FEAT_LS64_ACCDATA', implies: [], description: 'ST64BV0 with ACCDATA_EL1' },
  { name: 'FEAT_ECV_POFF', implies: [], description: 'Physical counter offset CNTPOFF_EL2' },
  { name: 'FEAT_IDTE3', implies: [], description: 'ID register traps to EL3 (SCR_EL3.TID3, TID5)' },
  // @features-el2 (keep this marker; add lines above it)
  { name: 'FEAT_TWED', implies: [], description: 'Delayed trapping of WFE (HCR_EL2.TWEDEn, TWEDEL)' },
  { name: 'FEAT_MTE2', implies: [], description: 'Memory Tagging Extension, full (HCR_EL2.ATA, DCT, TID5)' },
  { name: 'FEAT_EVT', implies: [], description: 'Enhanced Virtualization Traps (HCR_EL2.TTLBOS, TID4, ...)' },
  { name: 'FEAT_CSV2_2', implies: [], description: 'Cache Speculation Variant 2 version 2 (SCXTNUM_ELx)' },
  { name: 'FEAT_AMUv1p1', implies: [], description: 'Activity Monitors version 1.1 (virtual offsets)' },
  { name: 'FEAT_RAS', implies: [], description: 'Reliability, Availability and Serviceability Extension' },
  { name: 'FEAT_RASv1p1', implies: ['FEAT_RAS'], description: 'RAS Extension v1.1 (fault injection)' },
  { name: 'FEAT_S2FWB', implies: [], description: 'Stage 2 forced Write-Back (HCR_EL2.FWB)' },
  { name: 'FEAT_NV', implies: ['FEAT_EL2'], description: 'Nested virtualization (HCR_EL2.NV, NV1, AT)' },
  { name: 'FEAT_NV2', implies: ['FEAT_NV'], description: 'Enhanced nested virtualization (HCR_EL2.NV2)' },
  { name: 'FEAT_PAuth', implies: [], description: 'Pointer authentication (HCR_EL2.API, APK)' },
  { name: 'FEAT_LOR', implies: [], description: 'Limited ordering regions (HCR_EL2.TLOR)' },
  { name: 'FEAT_ABLE', implies: ['FEAT_Debugv8p9'], description: 'Address Breakpoint Linking Extension' },
  { name: 'FEAT_PMUv3_EXT', implies: [], description: 'External interface to the Performance Monitors' },
  // @features-id (keep this marker; add lines above it)
  { name: 'FEAT_Debugv8p4', implies: ['FEAT_Debugv8p2'], description: 'Debug for Armv8.4 (DebugVer 0b1001)' },
  { name: 'FEAT_SPEv1p1', implies: ['FEAT_SPE'], description: 'SPE version 1.1 (PMSVer 0b0010)' },
  // A2.2.1 FEAT_AA64EL2: "If FEAT_AA64EL2 is implemented, then FEAT_EL2 is implemented"; FEAT_AA64: "When
  // FEAT_AA64EL0, FEAT_AA64EL1, FEAT_AA64EL2, or FEAT_AA64EL3 is implemented, FEAT_AA64 is implemented"
  { name: 'FEAT_AA64EL2', implies: ['FEAT_EL2', 'FEAT_AA64'], description: 'EL2 can use AArch64' },
  // A2.2.1 FEAT_AA64EL3: "If FEAT_AA64EL3 is implemented, then FEAT_EL3 is implemented"; FEAT_AA64 as above
  { name: 'FEAT_AA64EL3', implies: ['FEAT_EL3', 'FEAT_AA64'], description: 'EL3 can use AArch64' },
  // A2.2.9 FEAT_Debugv8p8: "If FEAT_Debugv8p8 is implemented, then FEAT_Debugv8p4 is implemented."
  { name: 'FEAT_Debugv8p8', implies: ['FEAT_Debugv8p4'], description: 'Debug for Armv8.8 (DebugVer 0b1010)' },
  // A2.2.9 FEAT_SPEv1p3: "If FEAT_SPEv1p3 is implemented, then FEAT_SPEv1p2 is implemented."
  { name: 'FEAT_SPEv1p3', implies: ['FEAT_SPEv1p2'], description: 'SPE version 1.3 (PMSVer 0b0100)' },
  // A2.2.10 FEAT_SPEv1p4: "If FEAT_SPEv1p4 is implemented, then FEAT_SPEv1p3 is implemented."
  { name: 'FEAT_SPEv1p4', implies: ['FEAT_SPEv1p3'], description: 'SPE version 1.4 (PMSVer 0b0101)' },
  // A2.3.7 FEAT_SPEv1p5: "If FEAT_SPEv1p5 is implemented, then FEAT_SPEv1p4 / FEAT_SPE_EXC / FEAT_SPE_nVM is
  // implemented" (FEAT_SPE_CRR: not modelled)
  {
    name: 'FEAT_SPEv1p5',
    implies: ['FEAT_SPEv1p4', 'FEAT_SPE_EXC', 'FEAT_SPE_nVM'],
    description: 'SPE version 1.5 (PMSVer 0b0110)',
  },
  // A2.3.7 FEAT_TRBEv1p1: "If FEAT_TRBEv1p1 is implemented, then FEAT_TRBE / FEAT_TRBE_EXC is implemented."
  {
    name: 'FEAT_TRBEv1p1',
    implies: ['FEAT_TRBE', 'FEAT_TRBE_EXC'],
    description: 'Trace Buffer Extension version 1.1 (TraceBuffer 0b0010)',
  },
  // @features-cpus (keep this marker; add lines above it)
] as const satisfies readonly FeatureDef[];

/** Every feature the model knows. */
export const FEATURES: readonly FeatureDef[] = [...PMU_FEATURES, ...OTHER_FEATURES];

/** The name of a feature the model knows. */
export type FeatureName = (typeof PMU_FEATURES)[number]['name'] | (typeof OTHER_FEATURES)[number]['name'];

/** The feature that a PMU version name stands for (`PMUv3p5` -> `FEAT_PMUv3p5`). */
export function pmuVersionFeature(version: PmuVersion): FeatureName {
  return `FEAT_${version}`;
}

/**
 * "When all of `if` are implemented, `feature` is implemented": the Arm ARM's implications with a
 * compound condition (A2.2/A2.3 "When FEAT_X and FEAT_Y are implemented, FEAT_Z is implemented"),
 * which an `implies` list cannot hold. Only rules whose features are all in FEATURES are listed.
 */
export interface FeatureRule {
  readonly feature: FeatureName;
  readonly if: readonly FeatureName[];
}

/** The compound implications of A2.2/A2.3 between features the model knows, each citing its sentence. */
export const CONDITIONAL_IMPLIES = [
  // A2.2.1 FEAT_AA64EL2: "When FEAT_AA64EL2 and FEAT_EL3 are implemented, FEAT_AA64EL3 is implemented."
  { feature: 'FEAT_AA64EL3', if: ['FEAT_AA64EL2', 'FEAT_EL3'] },
  // A2.2.1 FEAT_AA64EL3: "When FEAT_AA64EL3 and FEAT_EL2 are implemented, FEAT_AA64EL2 is implemented."
  { feature: 'FEAT_AA64EL2', if: ['FEAT_AA64EL3', 'FEAT_EL2'] },
  // A2.2.3 FEAT_SPE: "When FEAT_SPE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented."
  { feature: 'FEAT_PMUv3p1', if: ['FEAT_SPE', 'FEAT_PMUv3'] },
  // A2.2.7 FEAT_ECV_POFF: "When FEAT_AA64 and FEAT_ECV_POFF are implemented, FEAT_AA64EL2 is implemented."
  { feature: 'FEAT_AA64EL2', if: ['FEAT_AA64', 'FEAT_ECV_POFF'] },
  // A2.2.8 FEAT_HCX: "When FEAT_AA64 and FEAT_HCX are implemented, FEAT_AA64EL2 is implemented."
  { feature: 'FEAT_AA64EL2', if: ['FEAT_AA64', 'FEAT_HCX'] },
  // A2.2.9 FEAT_SCTLR2: "When FEAT_SCTLR2 and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented."
  { feature: 'FEAT_HCX', if: ['FEAT_SCTLR2', 'FEAT_AA64EL2'] },
  // A2.2.9 FEAT_TCR2: "When FEAT_TCR2 and FEAT_AA64EL2 are implemented, FEAT_HCX is implemented."
  { feature: 'FEAT_HCX', if: ['FEAT_TCR2', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_Debugv8p9: "When FEAT_Debugv8p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_Debugv8p9', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_DoubleFault2: "When FEAT_DoubleFault2 and FEAT_AA64EL2 are implemented, FEAT_HCX is ..."
  { feature: 'FEAT_HCX', if: ['FEAT_DoubleFault2', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_PFAR: "When FEAT_PFAR and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_PFAR', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_PMUv3_ICNTR: "When FEAT_PMUv3_ICNTR and FEAT_AA64EL2 are implemented, FEAT_FGT2 is ..."
  { feature: 'FEAT_FGT2', if: ['FEAT_PMUv3_ICNTR', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_PMUv3_SS: "When FEAT_PMUv3_SS and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_PMUv3_SS', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_PMUv3p9: "When FEAT_PMUv3p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_PMUv3p9', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_RASv2: "When FEAT_RASv2 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_RASv2', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_SPE_DPFZS: "If FEAT_PMUv3p9 and FEAT_SPEv1p4 are implemented, then FEAT_SPE_DPFZS is ..."
  { feature: 'FEAT_SPE_DPFZS', if: ['FEAT_PMUv3p9', 'FEAT_SPEv1p4'] },
  // A2.2.10 FEAT_SPE_FDS: "When FEAT_SPE_FDS and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_SPE_FDS', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_SPMU: "When FEAT_SPMU and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_SPMU', 'FEAT_AA64EL2'] },
  // A2.2.10 FEAT_THE: "When FEAT_THE and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_THE', 'FEAT_AA64EL2'] },
  // A2.3.1 FEAT_ETE: "When FEAT_ETE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented."
  { feature: 'FEAT_PMUv3p1', if: ['FEAT_ETE', 'FEAT_PMUv3'] },
  // A2.3.1 FEAT_TRBE: "When FEAT_TRBE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented."
  { feature: 'FEAT_PMUv3p1', if: ['FEAT_TRBE', 'FEAT_PMUv3'] },
  // A2.3.3 FEAT_RME: "When FEAT_PMUv3 and FEAT_RME are implemented, FEAT_PMUv3p7 is implemented."
  { feature: 'FEAT_PMUv3p7', if: ['FEAT_PMUv3', 'FEAT_RME'] },
  // A2.3.3 FEAT_RME: "When FEAT_SPE and FEAT_RME are implemented, FEAT_SPEv1p2 is implemented."
  { feature: 'FEAT_SPEv1p2', if: ['FEAT_SPE', 'FEAT_RME'] },
  // A2.3.3 FEAT_SME: "When FEAT_SME and FEAT_EL2 are implemented, FEAT_FGT and FEAT_HCX are implemented."
  { feature: 'FEAT_FGT', if: ['FEAT_SME', 'FEAT_EL2'] },
  { feature: 'FEAT_HCX', if: ['FEAT_SME', 'FEAT_EL2'] },
  // A2.3.3 FEAT_SME: "When FEAT_SME and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented."
  { feature: 'FEAT_PMUv3p1', if: ['FEAT_SME', 'FEAT_PMUv3'] },
  // A2.3.5 FEAT_EBEP: "When FEAT_EBEP and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_EBEP', 'FEAT_AA64EL2'] },
  // A2.3.5 FEAT_EBEP: "When FEAT_EBEP and FEAT_AA32EL0 are implemented, FEAT_Debugv8p9 is implemented."
  { feature: 'FEAT_Debugv8p9', if: ['FEAT_EBEP', 'FEAT_AA32EL0'] },
  // A2.3.5 FEAT_ITE: "When FEAT_ITE and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_ITE', 'FEAT_AA64EL2'] },
  // A2.3.5 FEAT_SEBEP: "When FEAT_SEBEP and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_SEBEP', 'FEAT_AA64EL2'] },
  // A2.3.5 FEAT_SEBEP: "When FEAT_SEBEP and FEAT_AA32EL0 are implemented, FEAT_Debugv8p9 is implemented."
  { feature: 'FEAT_Debugv8p9', if: ['FEAT_SEBEP', 'FEAT_AA32EL0'] },
  // A2.3.5 FEAT_TRBE_MPAM: "When FEAT_TRBE_MPAM and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_TRBE_MPAM', 'FEAT_AA64EL2'] },
  // A2.3.6 FEAT_FPMR: "When FEAT_FPMR and FEAT_EL2 are implemented, FEAT_FGT is implemented" (and FEAT_HCX)
  { feature: 'FEAT_FGT', if: ['FEAT_FPMR', 'FEAT_EL2'] },
  { feature: 'FEAT_HCX', if: ['FEAT_FPMR', 'FEAT_EL2'] },
  // A2.3.6 FEAT_STEP2: "When FEAT_STEP2 and FEAT_EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_STEP2', 'FEAT_EL2'] },
  // A2.3.7 FEAT_PMUv3_EXTPMN: "When FEAT_PMUv3_EXTPMN and FEAT_EL2 are implemented, FEAT_HPMN0 is ..."
  { feature: 'FEAT_HPMN0', if: ['FEAT_PMUv3_EXTPMN', 'FEAT_EL2'] },
  // A2.3.7 FEAT_SPE_nVM: "When FEAT_SPE_nVM and FEAT_EL2 are implemented, FEAT_FGT2 is implemented."
  { feature: 'FEAT_FGT2', if: ['FEAT_SPE_nVM', 'FEAT_EL2'] },
] as const satisfies readonly FeatureRule[];

const FEATURE_DEFS: ReadonlyMap<string, FeatureDef> = new Map(FEATURES.map((f) => [f.name, f]));

/** True when `name` is a feature the model knows. */
export function isFeatureName(name: string): name is FeatureName {
  return FEATURE_DEFS.has(name);
}

/**
 * `start` and every feature it implies, to a fixed point: the `implies` lists (transitively) and
 * CONDITIONAL_IMPLIES. Names the model does not know are dropped.
 *
 * @example featureClosure(['FEAT_HPMN0']).has('FEAT_FGT') // true
 */
export function featureClosure(start: Iterable<string>): Set<FeatureName> {
  const out = new Set<FeatureName>();
  const todo = [...start];
  while (todo.length > 0) {
    for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
      if (!isFeatureName(name) || out.has(name)) continue;
      out.add(name);
      todo.push(...(FEATURE_DEFS.get(name)?.implies ?? []));
    }
    for (const rule of CONDITIONAL_IMPLIES) {
      if (!out.has(rule.feature) && rule.if.every((f) => out.has(f))) todo.push(rule.feature);
    }
  }
  return out;
}

/** One architecture version: what it includes and what it makes mandatory. */
export interface ArchVersionDef {
  /** `Armv8.0-A` .. `Armv9.6-A`. */
  readonly name: string;
  /** The versions it includes ("An implementation is Armv9.1 compliant if ... It is Armv8.6 compliant"). */
  readonly base: readonly string[];
  /** Features of FEATURES mandatory from this version whatever else is implemented. */
  readonly mandatory: readonly FeatureName[];
  /** "In an Armv8.x implementation, if <if> are implemented, <feature> is implemented." */
  readonly conditional: readonly FeatureRule[];
  /** Features an implementation of this version must not have. */
  readonly prohibited: readonly FeatureName[];
  /** The Arm ARM section that introduces the version. */
  readonly section: string;
}

/**
 * The A-profile architecture versions, oldest first (Arm ARM DDI0487 M.a.a A2.2 and A2.3), each with
 * the features of FEATURES that it makes mandatory. A rule stated for an FEAT_x the model does not
 * know (FEAT_AA64EL1, FEAT_Secure, FEAT_SPE_LDS, ...) is left out; a rule whose condition is a
 * disjunction is split into one rule per disjunct. Later versions include earlier ones through `base`.
 */
export const ARCH_VERSIONS = [
  {
    name: 'Armv8.0-A',
    base: [],
    mandatory: [],
    conditional: [],
    prohibited: [],
    section: 'A2.2.1',
  },
  {
    name: 'Armv8.1-A',
    base: ['Armv8.0-A'], // A2.2.2: "It is Armv8.0 compliant."
    mandatory: [
      'FEAT_LOR', // A2.2.2 FEAT_LOR: "FEAT_LOR is mandatory from Armv8.1."
    ],
    conditional: [
      // A2.2.2 FEAT_PMUv3p1: "In an Armv8.1 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p1 ..."
      { feature: 'FEAT_PMUv3p1', if: ['FEAT_PMUv3'] },
      // A2.2.2 FEAT_VHE: "In an Armv8.1 implementation, if FEAT_AA64EL2 is implemented, FEAT_VHE is ..."
      { feature: 'FEAT_VHE', if: ['FEAT_AA64EL2'] },
    ],
    prohibited: [],
    section: 'A2.2.2',
  },
  {
    name: 'Armv8.2-A',
    base: ['Armv8.1-A'], // A2.2.3: "It is Armv8.1 compliant."
    mandatory: [
      'FEAT_Debugv8p2', // A2.2.3 FEAT_Debugv8p2: "FEAT_Debugv8p2 is mandatory from Armv8.2."
      'FEAT_RAS', // A2.2.3 FEAT_RAS: "FEAT_RAS is mandatory from Armv8.2."
    ],
    conditional: [],
    prohibited: [],
    section: 'A2.2.3',
  },
  {
    name: 'Armv8.3-A',
    base: ['Armv8.2-A'], // A2.2.4: "It is Armv8.2 compliant."
    mandatory: [
      'FEAT_PAuth', // A2.2.4 FEAT_PAuth: "FEAT_PAuth is mandatory from Armv8.3."
    ],
    conditional: [],
    prohibited: [],
    section: 'A2.2.4',
  },
  {
    name: 'Armv8.4-A',
    base: ['Armv8.3-A'], // A2.2.5: "It is Armv8.3 compliant."
    mandatory: [
      'FEAT_Debugv8p4', // A2.2.5 FEAT_Debugv8p4: "FEAT_Debugv8p4 is mandatory from Armv8.4."
    ],
    conditional: [
      // A2.2.5 FEAT_PMUv3p4: "In an Armv8.4 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p4 ..."
      { feature: 'FEAT_PMUv3p4', if: ['FEAT_PMUv3'] },
      // A2.2.5 FEAT_RASv1p1: "In an Armv8.4 implementation, if FEAT_RAS is implemented, FEAT_RASv1p1 ..."
      { feature: 'FEAT_RASv1p1', if: ['FEAT_RAS'] },
      // A2.2.5 FEAT_S2FWB: "In an Armv8.4 implementation, if FEAT_EL2 is implemented, FEAT_S2FWB is ..."
      { feature: 'FEAT_S2FWB', if: ['FEAT_EL2'] },
      // A2.2.5 FEAT_DoubleFault: "In an Armv8.4 implementation, if FEAT_AA64EL3 is implemented, ..."
      { feature: 'FEAT_DoubleFault', if: ['FEAT_AA64EL3'] },
      // A2.2.5 FEAT_TRF: "In an Armv8.4 implementation, if FEAT_ETMv4 is implemented, FEAT_TRF is ..."
      { feature: 'FEAT_TRF', if: ['FEAT_ETMv4'] },
      // Not modelled: A2.2.5 FEAT_SEL2 "if FEAT_AA64EL2 and FEAT_Secure are implemented" (no FEAT_Secure).
    ],
    prohibited: [],
    section: 'A2.2.5',
  },
  {
    name: 'Armv8.5-A',
    base: ['Armv8.4-A'], // A2.2.6: "It is Armv8.4 compliant."
    mandatory: [],
    conditional: [
      // A2.2.6 FEAT_PMUv3p5: "In an Armv8.5 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p5 ..."
      { feature: 'FEAT_PMUv3p5', if: ['FEAT_PMUv3'] },
      // A2.2.6 FEAT_EVT: "In an Armv8.5 implementation, if FEAT_EL2 is implemented, FEAT_EVT is ..."
      { feature: 'FEAT_EVT', if: ['FEAT_EL2'] },
      // A2.2.4 FEAT_SPEv1p1: "In an Armv8.5 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p1 ..."
      { feature: 'FEAT_SPEv1p1', if: ['FEAT_SPE'] },
    ],
    prohibited: [],
    section: 'A2.2.6',
  },
  {
    name: 'Armv8.6-A',
    base: ['Armv8.5-A'], // A2.2.7: "It is Armv8.5 compliant."
    mandatory: [],
    conditional: [
      // A2.2.7 FEAT_FGT: "In an Armv8.6 implementation, if FEAT_AA64EL2 or FEAT_AA64EL3 is implemented,
      // FEAT_FGT is implemented." (one rule per disjunct)
      { feature: 'FEAT_FGT', if: ['FEAT_AA64EL2'] },
      { feature: 'FEAT_FGT', if: ['FEAT_AA64EL3'] },
    ],
    prohibited: [],
    section: 'A2.2.7',
  },
  {
    name: 'Armv8.7-A',
    base: ['Armv8.6-A'], // A2.2.8: "It is Armv8.6 compliant."
    mandatory: [],
    conditional: [
      // A2.2.8 FEAT_PMUv3p7: "In an Armv8.7 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p7 ..."
      { feature: 'FEAT_PMUv3p7', if: ['FEAT_PMUv3'] },
      // A2.2.8 FEAT_HCX: "In an Armv8.7 implementation, if FEAT_AA64EL2 is implemented, FEAT_HCX is ..."
      { feature: 'FEAT_HCX', if: ['FEAT_AA64EL2'] },
      // A2.2.8 FEAT_SPEv1p2: "In an Armv8.7 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p2 ..."
      { feature: 'FEAT_SPEv1p2', if: ['FEAT_SPE'] },
    ],
    prohibited: [],
    section: 'A2.2.8',
  },
  {
    name: 'Armv8.8-A',
    base: ['Armv8.7-A'], // A2.2.9: "It is Armv8.7 compliant."
    mandatory: [
      'FEAT_Debugv8p8', // A2.2.9 FEAT_Debugv8p8: "FEAT_Debugv8p8 is mandatory from Armv8.8."
    ],
    conditional: [
      // A2.2.9 FEAT_PMUv3p8: "In an Armv8.8 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p8 ..."
      { feature: 'FEAT_PMUv3p8', if: ['FEAT_PMUv3'] },
      // A2.2.7 FEAT_HPMN0: "In an Armv8.8 implementation, if FEAT_PMUv3 and FEAT_EL2 are implemented,
      // FEAT_HPMN0 is implemented."
      { feature: 'FEAT_HPMN0', if: ['FEAT_PMUv3', 'FEAT_EL2'] },
      // A2.2.9 FEAT_SPEv1p3: "In an Armv8.8 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p3 ..."
      { feature: 'FEAT_SPEv1p3', if: ['FEAT_SPE'] },
    ],
    prohibited: [],
    section: 'A2.2.9',
  },
  {
    name: 'Armv8.9-A',
    base: ['Armv8.8-A'], // A2.2.10: "It is Armv8.8 compliant."
    mandatory: [
      'FEAT_Debugv8p9', // A2.2.10 FEAT_Debugv8p9: "FEAT_Debugv8p9 is mandatory from Armv8.9."
      'FEAT_SCTLR2', // A2.2.9 FEAT_SCTLR2: "FEAT_SCTLR2 is mandatory from Armv8.9."
      'FEAT_TCR2', // A2.2.9 FEAT_TCR2: "FEAT_TCR2 is mandatory from Armv8.9."
    ],
    conditional: [
      // A2.2.10 FEAT_PMUv3p9: "In an Armv8.9 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p9 ..."
      { feature: 'FEAT_PMUv3p9', if: ['FEAT_PMUv3'] },
      // A2.2.10 FEAT_FGT2: "In an Armv8.9 implementation, if FEAT_AA64EL2 is implemented, FEAT_FGT2 is ..."
      { feature: 'FEAT_FGT2', if: ['FEAT_AA64EL2'] },
      // A2.2.10 FEAT_RASv2: "In an Armv8.9 implementation, if FEAT_RAS is implemented, FEAT_RASv2 is ..."
      { feature: 'FEAT_RASv2', if: ['FEAT_RAS'] },
      // A2.2.10 FEAT_SPEv1p4: "In an Armv8.9 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p4 ..."
      { feature: 'FEAT_SPEv1p4', if: ['FEAT_SPE'] },
    ],
    prohibited: [],
    section: 'A2.2.10',
  },
  {
    name: 'Armv9.0-A',
    base: ['Armv8.5-A'], // A2.3.1: "It is Armv8.5 compliant."
    mandatory: [
      // A2.2.1: "FEAT_AA64EL0 is mandatory from Armv9.0" and "When FEAT_AA64EL0, ... is implemented,
      // FEAT_AA64 is implemented."
      'FEAT_AA64',
    ],
    conditional: [
      // A2.2.1: "FEAT_AA64EL1 is mandatory from Armv9.0" and "When FEAT_AA64EL1 and FEAT_EL2 are
      // implemented, FEAT_AA64EL2 is implemented" (likewise FEAT_EL3 -> FEAT_AA64EL3).
      { feature: 'FEAT_AA64EL2', if: ['FEAT_EL2'] },
      { feature: 'FEAT_AA64EL3', if: ['FEAT_EL3'] },
    ],
    prohibited: [
      'FEAT_AA32EL1', // A2.2.1 FEAT_AA32EL1: "If Armv9.0 is implemented, then FEAT_AA32EL1 is not implemented."
      'FEAT_DoubleLock', // A2.3: "The implementation of FEAT_DoubleLock in an Armv9 implementation is prohibited."
      'FEAT_ETMv4', // A2.2.1 FEAT_ETMv4: "If Armv9.0 is implemented, then FEAT_ETMv4 is not implemented."
    ],
    section: 'A2.3.1',
  },
  {
    name: 'Armv9.1-A',
    base: ['Armv9.0-A', 'Armv8.6-A'], // A2.3.2: "It is Armv8.6 compliant. It is Armv9.0 compliant."
    mandatory: [],
    conditional: [],
    prohibited: [],
    section: 'A2.3.2',
  },
  {
    name: 'Armv9.2-A',
    base: ['Armv9.1-A', 'Armv8.7-A'], // A2.3.3: "It is Armv8.7 compliant. It is Armv9.1 compliant."
    mandatory: [],
    conditional: [],
    prohibited: [],
    section: 'A2.3.3',
  },
  {
    name: 'Armv9.3-A',
    base: ['Armv9.2-A', 'Armv8.8-A'], // A2.3.4: "It is Armv8.8 compliant. It is Armv9.2 compliant."
    mandatory: [],
    conditional: [
      // A2.3.4 FEAT_BRBEv1p1: "In an Armv9.3 implementation, if FEAT_BRBE is implemented, FEAT_BRBEv1p1 ..."
      { feature: 'FEAT_BRBEv1p1', if: ['FEAT_BRBE'] },
      // A2.3.5 FEAT_EBEP: "In an Armv9.3 implementation, if FEAT_PMUv3p9 is implemented, FEAT_EBEP is ..."
      { feature: 'FEAT_EBEP', if: ['FEAT_PMUv3p9'] },
    ],
    prohibited: [],
    section: 'A2.3.4',
  },
  {
    name: 'Armv9.4-A',
    base: ['Armv9.3-A', 'Armv8.9-A'], // A2.3.5: "It is Armv8.9 compliant. It is Armv9.3 compliant."
    mandatory: [],
    conditional: [],
    prohibited: [],
    section: 'A2.3.5',
  },
  {
    name: 'Armv9.5-A',
    base: ['Armv9.4-A'], // A2.3.6: "It is Armv9.4 compliant."
    mandatory: [
      'FEAT_STEP2', // A2.3.6 FEAT_STEP2: "FEAT_STEP2 is mandatory from Armv9.5."
    ],
    conditional: [
      // A2.3.6 FEAT_E3DSE: "In an Armv9.5 implementation, if FEAT_AA64EL3 is implemented, FEAT_E3DSE is ..."
      { feature: 'FEAT_E3DSE', if: ['FEAT_AA64EL3'] },
      // A2.3.6 FEAT_PMUv3_SME: "In an Armv9.5 implementation, if FEAT_PMUv3 and FEAT_SME are implemented,
      // FEAT_PMUv3_SME is implemented."
      { feature: 'FEAT_PMUv3_SME', if: ['FEAT_PMUv3', 'FEAT_SME'] },
    ],
    prohibited: [],
    section: 'A2.3.6',
  },
  {
    name: 'Armv9.6-A',
    base: ['Armv9.5-A'], // A2.3.7: "It is Armv9.5 compliant."
    mandatory: [
      'FEAT_SRMASK', // A2.3.7 FEAT_SRMASK: "FEAT_SRMASK is mandatory from Armv9.6."
    ],
    conditional: [
      // A2.3.7 FEAT_IDTE3: "In an Armv9.6 implementation, if FEAT_EL3 is implemented, FEAT_IDTE3 is ..."
      { feature: 'FEAT_IDTE3', if: ['FEAT_EL3'] },
      // A2.3.7 FEAT_SPEv1p5: "In an Armv9.6 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p5 ..."
      { feature: 'FEAT_SPEv1p5', if: ['FEAT_SPE'] },
      // A2.3.7 FEAT_TRBEv1p1: "In an Armv9.6 implementation, if FEAT_TRBE is implemented, FEAT_TRBEv1p1 ..."
      { feature: 'FEAT_TRBEv1p1', if: ['FEAT_TRBE'] },
    ],
    prohibited: [],
    section: 'A2.3.7',
  },
] as const satisfies readonly ArchVersionDef[];

/** An architecture version name, `Armv8.0-A` .. `Armv9.6-A`. */
export type ArchName = (typeof ARCH_VERSIONS)[number]['name'];

const ARCH_BY_NAME: ReadonlyMap<string, ArchVersionDef> = new Map(ARCH_VERSIONS.map((v) => [v.name, v]));

/** True when `name` is one of ARCH_VERSIONS. */
export function isArchName(name: string): name is ArchName {
  return ARCH_BY_NAME.has(name);
}

/**
 * `arch` and every version it includes through `base`, each once, included versions first
 * (`Armv9.1-A` -> Armv8.0-A .. Armv8.6-A, Armv9.0-A, Armv9.1-A).
 *
 * @throws InputError for a name that is not in ARCH_VERSIONS.
 */
export function archVersions(arch: string): ArchVersionDef[] {
  const out: ArchVersionDef[] = [];
  const visit = (name: string): void => {
    const def = ARCH_BY_NAME.get(name);
    if (def === undefined) {
      throw new InputError(
        `Unknown architecture version "${name}"${didYouMean(name, ARCH_BY_NAME.keys())}; known: ${[...ARCH_BY_NAME.keys()].join(', ')}`,
      );
    }
    if (out.includes(def)) return;
    for (const b of def.base) visit(b);
    if (!out.includes(def)) out.push(def);
  };
  visit(arch);
  return out;
}

/**
 * The features that architecture version `arch` makes mandatory for a PE that implements
 * `implemented`: the `mandatory` lists of `arch` and of every version it includes, and each
 * `conditional` rule whose condition holds. Conditions are read against `implemented`, what it
 * implies (featureClosure) and the rules' own results, to a fixed point. Each feature once, in
 * version order.
 *
 * @example archFeatures('Armv8.8-A', new Set(['FEAT_PMUv3', 'FEAT_EL2'])).includes('FEAT_HPMN0') // true
 * @throws InputError for a name that is not in ARCH_VERSIONS.
 */
export function archFeatures(arch: string, implemented: ReadonlySet<FeatureName>): FeatureName[] {
  const versions = archVersions(arch);
  const out = new Set<FeatureName>(versions.flatMap((v) => v.mandatory));
  for (;;) {
    const known = featureClosure([...implemented, ...out]);
    const before = out.size;
    for (const v of versions) {
      for (const rule of v.conditional) if (rule.if.every((f) => known.has(f))) out.add(rule.feature);
    }
    if (out.size === before) return [...out];
  }
}
