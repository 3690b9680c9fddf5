// SPDX-License-Identifier: MIT
/**
 * Architectural features (FEAT_*) and PMU versions, as data.
 *
 * Each PMU-relevant feature names the ID register field that reports it (Arm ARM DDI0487 M.a.a,
 * D24.2 "ID_AA64DFR0_EL1", "ID_AA64DFR1_EL1", "ID_AA64MMFR0_EL1", "ID_AA64PFR0_EL1") and the
 * features it implies (implementing it means these are implemented too). Features that only
 * gate fields of the registers in the catalogue are listed by name in OTHER_FEATURES.
 *
 * @module
 */

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
  { name: 'FEAT_AA32EL0', implies: ['FEAT_AA32'], description: 'AArch32 is supported at EL0' },
  // A2.2 FEAT_AA32EL1: "If FEAT_AA32EL1 is implemented, then FEAT_AA32EL0 is implemented."
  { name: 'FEAT_AA32EL1', implies: ['FEAT_AA32EL0'], description: 'AArch32 is supported at EL1' },
  { name: 'FEAT_VHE', implies: [], description: 'Virtualization Host Extensions (HCR_EL2.E2H)' },
  { name: 'FEAT_SEL2', implies: [], description: 'Secure EL2 (SCR_EL3.EEL2)' },
  { name: 'FEAT_RME', implies: [], description: 'Realm Management Extension' },
  { name: 'FEAT_Debugv8p2', implies: [], description: 'Debug for Armv8.2' },
  { name: 'FEAT_Debugv8p9', implies: [], description: 'Debug for Armv8.9' },
  { name: 'FEAT_DoubleLock', implies: [], description: 'OS Double Lock' },
  { name: 'FEAT_SPE', implies: [], description: 'Statistical Profiling Extension' },
  { name: 'FEAT_SPEv1p2', implies: ['FEAT_SPE'], description: 'SPE version 1.2 (freeze on SPE event)' },
  { name: 'FEAT_SPE_DPFZS', implies: [], description: 'PMCR_EL0.DP stops PMCCNTR_EL0 on an FZS freeze' },
  { name: 'FEAT_TRBE', implies: [], description: 'Trace Buffer Extension' },
  { name: 'FEAT_TRF', implies: [], description: 'Self-hosted Trace Extensions' },
  { name: 'FEAT_SPMU', implies: [], description: 'System Performance Monitors Extension' },
  { name: 'FEAT_STEP2', implies: [], description: 'Enhanced software step (MDSTEPOP_EL1)' },
  { name: 'FEAT_BRBE', implies: [], description: 'Branch Record Buffer Extension' },
  { name: 'FEAT_PMUv3_TH', implies: [], description: 'PMU event threshold (PMEVTYPER<n>_EL0.TH, TC)' },
  { name: 'FEAT_PMUv3_EDGE', implies: [], description: 'PMU event edge detection (PMEVTYPER<n>_EL0.TE)' },
  { name: 'FEAT_PMUv3_SME', implies: [], description: 'PMU filtering by Streaming SVE mode (VS field)' },
  { name: 'FEAT_PMUv3_EXT64', implies: [], description: '64-bit external PMU interface' },
  { name: 'FEAT_PMUv3_EXT32', implies: [], description: '32-bit external PMU interface' },
  { name: 'FEAT_AA32', implies: [], description: 'AArch32 is supported at some Exception level' },
  {
    name: 'FEAT_PMUv3_TH2',
    implies: [],
    description: 'PMU threshold linking of counter pairs (PMEVTYPER<n>_EL0.TLC)',
  },
  // @features-pmu-a (keep this marker; add lines above it)
  // @features-pmu-b (keep this marker; add lines above it)
  { name: 'FEAT_ETE', implies: [], description: 'Embedded Trace Extension (Armv9 trace unit)' },
  { name: 'FEAT_ETMv4', implies: [], description: 'Embedded Trace Macrocell v4 (Armv8 trace unit)' },
  { name: 'FEAT_TRC_EXT', implies: [], description: 'External interface to the trace unit registers' },
  { name: 'FEAT_ITE', implies: [], description: 'Instrumentation trace (TRCITECR_ELx)' },
  { name: 'FEAT_SPE_FnE', implies: ['FEAT_SPE'], description: 'SPE inverted event filter (PMSNEVFR_EL1)' },
  { name: 'FEAT_SPE_FDS', implies: ['FEAT_SPE'], description: 'SPE data source filtering (PMSDSFR_EL1)' },
  { name: 'FEAT_SPE_nVM', implies: ['FEAT_SPE'], description: 'SPE physical-address buffer (PMBMAR_EL1)' },
  { name: 'FEAT_SPE_EXC', implies: ['FEAT_SPE'], description: 'SPE Profiling exceptions (MDCR_EL3.PMSEE)' },
  { name: 'FEAT_TRBE_MPAM', implies: ['FEAT_TRBE'], description: 'Trace buffer MPAM labels (TRBMPAM_EL1)' },
  { name: 'FEAT_TRBE_EXC', implies: ['FEAT_TRBE'], description: 'TRBE Profiling exceptions (TRBEE)' },
  { name: 'FEAT_TRBE_EXT', implies: ['FEAT_TRBE'], description: 'External trace buffer access (ETBAD)' },
  { name: 'FEAT_BRBEv1p1', implies: ['FEAT_BRBE'], description: 'BRBE v1.1: branch recording at EL3' },
  { name: 'FEAT_HACDBS', implies: [], description: 'Hardware accelerator for cleaning dirty state' },
  { name: 'FEAT_HDBSS', implies: [], description: 'Hardware dirty state tracking structure' },
  { name: 'FEAT_E3DSE', implies: [], description: 'Delegated SError exceptions from EL3 (SCR_EL3.DSE)' },
  { name: 'FEAT_SYSREG128', implies: [], description: '128-bit System registers (MRRS, MSRR)' },
  { name: 'FEAT_SRMASK', implies: [], description: 'System register masking (*MASK_ELx registers)' },
  { name: 'FEAT_PFAR', implies: [], description: 'Physical fault address registers (PFAR_ELx)' },
  { name: 'FEAT_RASv2', implies: ['FEAT_RASv1p1'], description: 'RAS Extension v2 (SCR_EL3.TWERR)' },
  { name: 'FEAT_DoubleFault', implies: [], description: 'Double Fault Extension (SCR_EL3.NMEA, EASE)' },
  { name: 'FEAT_DoubleFault2', implies: [], description: 'Double Fault Extension v2 (SCR_EL3.TMEA)' },
  { name: 'FEAT_FPMR', implies: [], description: 'Floating-point mode register FPMR' },
  { name: 'FEAT_MEC', implies: [], description: 'Memory Encryption Contexts (MECID_*_EL2)' },
  { name: 'FEAT_D128', implies: [], description: '128-bit translation table descriptors' },
  { name: 'FEAT_AIE', implies: [], description: 'Attribute index enhancement (MAIR2_ELx)' },
  { name: 'FEAT_S1PIE', implies: [], description: 'Stage 1 permission indirection (PIR_ELx)' },
  { name: 'FEAT_SCTLR2', implies: [], description: 'Extension to SCTLR_ELx (SCTLR2_ELx)' },
  { name: 'FEAT_TCR2', implies: [], description: 'Extension to TCR_ELx (TCR2_ELx)' },
  { name: 'FEAT_THE', implies: [], description: 'Translation Hardening Extension (RCWMASK_EL1)' },
  { name: 'FEAT_SME', implies: [], description: 'Scalable Matrix Extension (TPIDR2_EL0)' },
  { name: 'FEAT_RNG_TRAP', implies: [], description: 'Trapping of RNDR and RNDRRS to EL3' },
  { name: 'FEAT_GCS', implies: [], description: 'Guarded Control Stack' },
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
