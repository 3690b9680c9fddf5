// SPDX-License-Identifier: MIT
/**
 * A catalogue of real cores: PMU version, number of event counters (PMCR_EL0.N at EL2) and the
 * features that matter to PMU partitioning, each entry citing its Technical Reference Manual.
 *
 * @module
 */

import { didYouMean, InputError } from './errors.js';
import type { ArchName, FeatureName, PmuVersion } from './features.js';
import {
  archFeatures,
  FEATURES,
  featureClosure,
  isArchName,
  isFeatureName,
  PMU_VERSIONS,
  pmuVersionFeature,
} from './features.js';

/** One core of the catalogue. */
export interface CpuDef {
  /** Catalogue name, lower case with dashes (`neoverse-n1`). */
  readonly name: string;
  /** Marketing name (`Arm Neoverse N1`). */
  readonly title: string;
  /**
   * Architecture version the core implements (`Armv8.2-A`, one of ARCH_VERSIONS): cpuFeatures adds
   * what that version makes mandatory. `unspecified` for inline CPUs (nothing added).
   */
  readonly arch: ArchName | 'unspecified';
  readonly pmuVer: PmuVersion;
  /** NUM_PMU_COUNTERS: event counters implemented (PMCR_EL0.N read at EL2). */
  readonly n: number;
  /**
   * Features implemented besides those the PMU version implies: FEAT_EL2 / FEAT_EL3 (or
   * FEAT_AA64EL2 / FEAT_AA64EL3 where the ID registers show AArch64 there), FEAT_FGT, FEAT_HPMN0,
   * FEAT_SPE, FEAT_TRBE, ... (as reported by the core's ID registers). Features mandatory at `arch`
   * need not be listed.
   */
  readonly features: readonly FeatureName[];
  /** PMCR_EL0.IMP / IDCODE reset values where the TRM gives them (IMPLEMENTATION DEFINED). */
  readonly pmcrImpdef?: bigint;
  /** The TRM (document number and revision) and the sections that give the values above. */
  readonly source: string;
}

/** The catalogue. */
export const CPUS: readonly CpuDef[] = [
  {
    name: 'qemu-max',
    title: 'QEMU 7.2 -cpu max (TCG)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA32EL1',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_SEL2',
      'FEAT_Debugv8p4',
      'FEAT_DoubleLock',
    ],
    pmcrImpdef: 0x41010000n,
    source:
      'QEMU v7.2.0 target/arm/cpu64.c aarch64_max_initfn: starts from aarch64_a57_initfn (ARM_FEATURE_EL2 and ' +
      'ARM_FEATURE_EL3, ID_AA64PFR0 0x00002222 = AArch64+AArch32 at EL0..EL3, ID_AA64DFR0 0x10305106, ' +
      'reset_pmcr_el0 0x41013000: IMP 0x41, IDCODE 0x01, N = 6), then sets ID_AA64DFR0.PMUVer = 6 (FEAT_PMUv3p5, ' +
      "patch 'Report FEAT_PMUv3p5 for TCG -cpu max', Aug 2022) and DebugVer = 9, ID_AA64MMFR1.VH = 1 (FEAT_VHE), " +
      'ID_AA64PFR0.SEL2 = 1. QEMU 7.2 has no PMCR_NUM_COUNTERS (replaced by the per-CPU PMCR reset value in 7.1, ' +
      "commit 24526bb92f). No FEAT_FGT (added by 'Enable FEAT_FGT on -cpu max', Jan 2023, QEMU 8.0) and no " +
      'FEAT_HPMN0 (added later in target/arm/tcg/cpu64.c). EL2/EL3 exist only with -machine virtualization=on, ' +
      'secure=on. arch Armv8.0-A with an explicit feature list: QEMU claims no architecture version, and without ' +
      'FEAT_FGT (mandatory from Armv8.6 with AArch64 EL2, Arm ARM A2.2.7) it is not Armv8.6 or later',
  },
  {
    name: 'qemu-max-8-2',
    title: 'QEMU 8.2 and later -cpu max (TCG)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA32EL1',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_SEL2',
      'FEAT_Debugv8p4',
      'FEAT_DoubleLock',
      'FEAT_FGT',
      'FEAT_HPMN0',
    ],
    pmcrImpdef: 0x41010000n,
    source:
      'QEMU master (qemu/qemu commit 00936783ab) target/arm/tcg/cpu64.c aarch64_max_tcg_initfn, run after ' +
      'aarch64_a57_initfn (target/arm/cpu64.c: ID_AA64PFR0 0x00002222, ID_AA64DFR0 0x10305106, reset_pmcr_el0 ' +
      '0x41013000: IMP 0x41, IDCODE 0x01, N = 6, unchanged since 7.1): ID_AA64DFR0.PMUVer = 6 (FEAT_PMUv3p5), ' +
      'ID_AA64DFR0.HPMN0 = 1 (FEAT_HPMN0), ID_AA64MMFR0.FGT = 1 (FEAT_FGT, not FGT2), ID_AA64MMFR1.VH = 1, ' +
      "ID_AA64PFR0.SEL2 = 1, DebugVer = 10 (master; 9 in 7.2). FEAT_HPMN0 came with 'target/arm: Implement " +
      "FEAT_HPMN0' (Sept 2023, QEMU 8.2), FEAT_FGT with 'Enable FEAT_FGT on -cpu max' (QEMU 8.0); the list keeps " +
      'only what every version from 8.2 on has. EL2/EL3 only with -machine virtualization=on, secure=on. arch ' +
      'Armv8.0-A with an explicit feature list, as for qemu-max',
  },
  {
    name: 'cortex-a53',
    title: 'Arm Cortex-A53',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA32EL1',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_DoubleLock',
    ],
    pmcrImpdef: 0x41030000n,
    source:
      'Arm Cortex-A53 MPCore Processor TRM, ARM DDI 0500D (ID021414): 12.4.1 PMCR_EL0 Table 12-4 (IMP 0x41, ' +
      'IDCODE 0x03, N 0b00110 = six counters); 4.3 ID_AA64PFR0_EL1 Table 4-45 (EL0..EL3 handling 0x2: AArch64 ' +
      'or AArch32). ID_AA64DFR0_EL1 reset 0x10305106 (PMUVer 0x1 = PMUv3, [63:32] 0 so DoubleLock implemented) ' +
      'from AMD UG1087 (Zynq UltraScale+ A53 debug registers) and QEMU cortex-a53',
  },
  {
    name: 'cortex-a57',
    title: 'Arm Cortex-A57',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA32EL1',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_DoubleLock',
    ],
    pmcrImpdef: 0x41010000n,
    source:
      'Arm Cortex-A57 MPCore Processor TRM, ARM DDI 0488D: 4.3.18 ID_AA64PFR0_EL1 (EL0..EL3 0x2: AArch64 or ' +
      'AArch32). The TRM PMCR_EL0 page was not read: PMCR_EL0 reset 0x41013000 (IMP 0x41, IDCODE 0x01, N = 6) ' +
      'and ID_AA64DFR0_EL1 0x10305106 (PMUVer 0x1 = PMUv3) from QEMU cortex-a57 (reset values taken from the ' +
      'TRM per QEMU commit 24526bb92f); 6 counters also in libpfm4 arm_ac57 and Arm gator events-Cortex-A57.xml',
  },
  {
    name: 'cortex-a72',
    title: 'Arm Cortex-A72',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA32EL1',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_DoubleLock',
    ],
    pmcrImpdef: 0x41020000n,
    source:
      'Arm Cortex-A72 MPCore Processor TRM, 100095_0002_03 (r0p2): 4.3 ID_AA64PFR0_EL1 Table 4-32 (EL0..EL3 ' +
      'return 0x2: AArch64 or AArch32). The TRM PMCR_EL0 page was not read: PMCR_EL0 reset 0x41023000 (IMP ' +
      '0x41, IDCODE 0x02, N = 6) and ID_AA64DFR0_EL1 0x10305106 (PMUVer 0x1 = PMUv3) from QEMU cortex-a72; ' +
      "6 counters also in Arm ARM-software/data pmu/cortex-a72.json ('counters': 6)",
  },
  {
    name: 'cortex-a76',
    title: 'Arm Cortex-A76',
    arch: 'Armv8.2-A',
    pmuVer: 'PMUv3p1',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_Debugv8p2',
      'FEAT_DoubleLock',
    ],
    pmcrImpdef: 0x410b0000n,
    source:
      'Arm Cortex-A76 Core TRM, 100798_0300_00_en (r3p0): D5.4 PMCR_EL0 (IMP 0x41, IDCODE 0x0B, N 0b00110 = ' +
      'six counters); B2.54 ID_AA64DFR0_EL1 (PMUVer 0x4 = PMUv3p1, DebugVer 0x8 = Armv8.2 debug, [63:32] RES0: ' +
      'no SPE, DoubleLock implemented). ID_AA64PFR0_EL1 0x1100000010111112 (AArch32 at EL0 only, EL2/EL3 ' +
      'AArch64) and ID_AA64MMFR1_EL1.VH = 1 from QEMU cortex-a76 (r4p1 TRM B2 values)',
  },
  {
    name: 'cortex-a78',
    title: 'Arm Cortex-A78',
    arch: 'Armv8.2-A',
    pmuVer: 'PMUv3p1',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_Debugv8p2',
      'FEAT_DoubleLock',
      'FEAT_SPE',
    ],
    source:
      'Arm Cortex-A78 Core TRM (101430) not read here. N = 6 from Arm ARM-software/data pmu/cortex-a78.json ' +
      "('counters': 6, ref Cortex-A78 TRM) and gator events-Cortex-A78.xml. PMUVer 0b0100, PMSVer 1 (SPE), " +
      'ID_AA64PFR0 0x1100000010111112 (AArch32 at EL0 only, EL2/EL3 AArch64) NOT confirmed for the A78: taken ' +
      'from QEMU cortex-a78ae (sibling core: ID_AA64DFR0 0x0000000110305408, PMCR 0x41223000); SPE also in LLVM ' +
      'AArch64Processors.td for cortex-a78. PMCR_EL0 IMP/IDCODE not confirmed (omitted)',
  },
  {
    name: 'cortex-a510',
    title: 'Arm Cortex-A510',
    arch: 'Armv9.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_VHE', 'FEAT_Debugv8p4', 'FEAT_TRBE'],
    source:
      'Arm Cortex-A510 Core TRM (101604) not read here; values NOT confirmed from the TRM. N = 6 only from ' +
      'Arm gator events-Cortex-A510.xml (counter_set 6, which gator lists for every recent core). PMUv3p5 ' +
      'assumed as for the Armv9.0 siblings A710/N2 (their TRM ID_AA64DFR0 values in QEMU give PMUVer 6); it is ' +
      'also the least Armv9.0 allows (A2.3.1: Armv8.5 compliant; A2.2.6 FEAT_PMUv3p5). FEAT_TRBE per Linux ' +
      'ARM64_ERRATUM_2038923 (Cortex-A510 TRBE corruption); FEAT_ETE and FEAT_TRF follow from it (Arm ARM ' +
      'A2.3.1). EL2/EL3 are AArch64 in any Armv9.0 core (A2.2.1: FEAT_AA64EL1 mandatory from Armv9.0). ' +
      'FEAT_VHE (Armv8.1) and FEAT_Debugv8p4 (Armv8.4) are mandatory in Armv9.0. AArch32 support and SPE not ' +
      'confirmed (omitted)',
  },
  {
    name: 'cortex-a710',
    title: 'Arm Cortex-A710',
    arch: 'Armv9.0-A',
    pmuVer: 'PMUv3p5',
    n: 20,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_SEL2',
      'FEAT_Debugv8p4',
      'FEAT_TRF',
      'FEAT_TRBE',
    ],
    pmcrImpdef: 0n,
    source:
      'Arm Cortex-A710 Core TRM (101800) not read here; values from QEMU cortex-a710 (target/arm/tcg/cpu64.c), ' +
      "which cites TRM B.5.2 PMCR_EL0: reset 0xa000 'with 20 counters' (N = 20, IMP/IDCODE 0) and B.4 " +
      'ID_AA64DFR0_EL1 0x000011f010305619 (PMUVer 6 = PMUv3p5, DebugVer 9, TraceFilt 1, TraceBuffer 1, ' +
      'DoubleLock 0xF = not implemented, PMSVer 0 = no SPE), ID_AA64PFR0_EL1 0x1201111120111112 (AArch32 at ' +
      'EL0 only, EL2/EL3 AArch64, SEL2), ID_AA64MMFR0_EL1.FGT 0, ID_AA64MMFR1_EL1.VH 1. N CONFLICT: Arm gator ' +
      'events-Cortex-A710.xml has counter_set 6 (gator lists 6 for every recent core). TRBE also per Linux ' +
      'ARM64_ERRATUM_2119858',
  },
  {
    name: 'cortex-x2',
    title: 'Arm Cortex-X2',
    arch: 'Armv9.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_VHE', 'FEAT_Debugv8p4', 'FEAT_TRBE'],
    source:
      'Arm Cortex-X2 Core TRM (101803) not read here; values NOT confirmed from the TRM. N = 6 only from Arm ' +
      'gator events-Cortex-X2.xml (counter_set 6; QEMU models the sibling Cortex-A710 with 20). PMUv3p5 ' +
      'assumed as for the Armv9.0 siblings A710/N2 (also the least Armv9.0 allows, A2.2.6). FEAT_TRBE per ' +
      'Linux ARM64_ERRATUM_2119858 (Cortex-A710/X2 TRBE FILL mode); FEAT_ETE and FEAT_TRF follow from it ' +
      '(A2.3.1). EL2/EL3 are AArch64 in any Armv9.0 core (A2.2.1). FEAT_VHE and FEAT_Debugv8p4 are mandatory ' +
      'in Armv9.0. AArch32 support and SPE not confirmed (omitted)',
  },
  {
    name: 'neoverse-n1',
    title: 'Arm Neoverse N1',
    arch: 'Armv8.2-A',
    pmuVer: 'PMUv3p1',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_Debugv8p2',
      'FEAT_DoubleLock',
      'FEAT_SPE',
    ],
    pmcrImpdef: 0x410c0000n,
    source:
      'Arm Neoverse N1 Core TRM (100616, r4p1) not read here; values from QEMU neoverse-n1, which cites TRM ' +
      'D5.1 AArch64 PMU register summary: PMCR_EL0 0x410c3000 (IMP 0x41, IDCODE 0x0C, N = 6), and B2 ' +
      'ID_AA64DFR0_EL1 0x0000000110305408 (PMUVer 4 = PMUv3p1, PMSVer 1 = SPE, DebugVer 8, DoubleLock 0), ' +
      'ID_AA64PFR0_EL1 0x1100000010111112 (AArch32 at EL0 only, EL2/EL3 AArch64), ID_AA64MMFR1_EL1.VH 1. ' +
      "N = 6 also in Arm ARM-software/data pmu/neoverse-n1.json ('counters': 6, ref Neoverse N1 TRM)",
  },
  {
    name: 'neoverse-v1',
    title: 'Arm Neoverse V1',
    arch: 'Armv8.4-A',
    pmuVer: 'PMUv3p4',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_SEL2',
      'FEAT_Debugv8p4',
      'FEAT_TRF',
      'FEAT_SPEv1p1',
    ],
    pmcrImpdef: 0x41210000n,
    source:
      'Arm Neoverse V1 Core TRM (101427, r1p2) not read here; values from QEMU neoverse-v1, which cites TRM ' +
      '5.5.1 AArch64 PMU register summary: PMCR_EL0 0x41213000 (IMP 0x41, IDCODE 0x21, N = 6), and ' +
      'ID_AA64DFR0_EL1 0x000001f210305519 (PMUVer 5 = PMUv3p4, PMSVer 2 = SPEv1p1, DebugVer 9, TraceFilt 1, ' +
      'TraceBuffer 0, DoubleLock 0xF = not implemented), ID_AA64PFR0_EL1 0x1101110120111112 (AArch32 at EL0 ' +
      'only, EL2/EL3 AArch64, SEL2), ID_AA64MMFR1_EL1.VH 1. N = 6 also in Arm ARM-software/data ' +
      'pmu/neoverse-v1.json',
  },
  {
    name: 'neoverse-n2',
    title: 'Arm Neoverse N2',
    arch: 'Armv9.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: [
      'FEAT_AA64',
      'FEAT_AA32EL0',
      'FEAT_AA64EL2',
      'FEAT_AA64EL3',
      'FEAT_VHE',
      'FEAT_SEL2',
      'FEAT_Debugv8p4',
      'FEAT_TRF',
      'FEAT_TRBE',
      'FEAT_SPEv1p1',
    ],
    pmcrImpdef: 0n,
    source:
      'Arm Neoverse N2 Core TRM (102099) not read here; values from QEMU neoverse-n2, which cites TRM B.7.2 ' +
      "PMCR_EL0: reset 0x3000 'with 6 counters' (N = 6, IMP/IDCODE 0), and B.5 ID_AA64DFR0_EL1 " +
      '0x000011f210305619 (PMUVer 6 = PMUv3p5, PMSVer 2 = SPEv1p1, DebugVer 9, TraceFilt 1, TraceBuffer 1, ' +
      'DoubleLock 0xF = not implemented), ID_AA64PFR0_EL1 0x1201111120111112 (AArch32 at EL0 only, EL2/EL3 ' +
      'AArch64, SEL2), ID_AA64MMFR0_EL1.FGT 0. N = 6 also in Arm ARM-software/data pmu/neoverse-n2.json and ' +
      'libpfm4 arm_n2 (num_cntrs 6); TRBE also per Linux ARM64_ERRATUM_2139208',
  },
  {
    name: 'neoverse-v2',
    title: 'Arm Neoverse V2',
    arch: 'Armv9.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_VHE', 'FEAT_Debugv8p4', 'FEAT_SPE'],
    source:
      'Arm Neoverse V2 Core TRM (102375) not read here; values NOT confirmed from the TRM. N = 6 from libpfm4 ' +
      'arm_v2 (num_cntrs 6, NVIDIA-contributed) and Arm gator events-Neoverse-V2.xml (counter_set 6). PMUv3p5 ' +
      'assumed as for the Armv9.0 sibling N2 (also the least Armv9.0 allows, A2.2.6). FEAT_SPE per LLVM ' +
      'AArch64Processors.td (neoverse-v2 has FeatureSPE). EL2/EL3 are AArch64 in any Armv9.0 core (A2.2.1). ' +
      'FEAT_VHE and FEAT_Debugv8p4 are mandatory in Armv9.0. FEAT_FGT, FEAT_TRBE, FEAT_TRF, AArch32 support and ' +
      'the PMCR_EL0 IMP/IDCODE not confirmed (omitted)',
  },
  {
    name: 'cortex-x4',
    title: 'Arm Cortex-X4',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_SPE', 'FEAT_ETE', 'FEAT_TRBE'],
    source:
      'Arm Cortex-X4 Core TRM (102484) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per Arm ' +
      "ARM-software/data pmu/cortex-x4.json ('architecture': 'armv9.2-a', 'pmu_architecture': 'pmuv3') and " +
      'LLVM AArch64Processors.td X4 (HasV9_2aOps; FeatureSPE, FeatureSPE_EEF, FeatureETE, FeatureTRBE). ' +
      'pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU (Arm ARM A2.3.3: Armv8.7 compliant; A2.2.8 ' +
      'FEAT_PMUv3p7), not the TRM PMUVer, which may be higher. N = 6 only from Arm gator events-Cortex-X4.xml ' +
      '(counter_set 6). AArch64 only at every EL per TF-A lib/cpus/aarch64/cortex_x4.S; EL3 exists (TF-A BL31 ' +
      'runs there); EL2 assumed, not read from the TRM. FEAT_FGT, FEAT_HCX, FEAT_VHE follow from Armv9.2 with ' +
      'AArch64 EL2/EL3 (A2.2.7, A2.2.8, A2.2.2). FEAT_HPMN0 (Armv8.8) not confirmed (omitted)',
  },
  {
    name: 'cortex-a720',
    title: 'Arm Cortex-A720',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_SPE', 'FEAT_ETE', 'FEAT_TRBE'],
    source:
      'Arm Cortex-A720 Core TRM (102530) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per ' +
      "Arm ARM-software/data pmu/cortex-a720.json ('architecture': 'armv9.2-a', 'pmu_architecture': 'pmuv3') " +
      'and LLVM AArch64Processors.td A720 (HasV9_2aOps; FeatureSPE, FeatureSPE_EEF, FeatureETE, FeatureTRBE). ' +
      'pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU (A2.3.3, A2.2.8), not the TRM PMUVer. N = 6 only ' +
      'from Arm gator events-Cortex-A720.xml (counter_set 6). AArch64 only at every EL per TF-A ' +
      'lib/cpus/aarch64/cortex_a720.S; EL3 exists (TF-A BL31); EL2 assumed, not read from the TRM. FEAT_FGT, ' +
      'FEAT_HCX, FEAT_VHE follow from Armv9.2 (A2.2.7, A2.2.8, A2.2.2). FEAT_HPMN0 not confirmed (omitted)',
  },
  {
    name: 'cortex-x925',
    title: 'Arm Cortex-X925',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_SPE', 'FEAT_ETE', 'FEAT_TRBE'],
    source:
      'Arm Cortex-X925 Core TRM (102807) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per ' +
      'LLVM AArch64Processors.td X925 (HasV9_2aOps; FeatureSPE, FeatureSPE_EEF, FeatureETE, FeatureTRBE); not ' +
      'in ARM-software/data. pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU (A2.3.3, A2.2.8), not the ' +
      'TRM PMUVer. N = 6 only from Arm gator events-Cortex-X925.xml (counter_set 6). AArch64 only at every EL ' +
      'per TF-A lib/cpus/aarch64/cortex_x925.S; EL3 exists (TF-A BL31); EL2 assumed, not read from the TRM. ' +
      'FEAT_FGT, FEAT_HCX, FEAT_VHE follow from Armv9.2 (A2.2.7, A2.2.8, A2.2.2). FEAT_HPMN0 not confirmed ' +
      '(omitted)',
  },
  {
    name: 'cortex-a725',
    title: 'Arm Cortex-A725',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_SPE', 'FEAT_ETE', 'FEAT_TRBE'],
    source:
      'Arm Cortex-A725 Core TRM (107652) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per ' +
      'LLVM AArch64Processors.td A725 (HasV9_2aOps; FeatureSPE, FeatureSPE_EEF, FeatureETE, FeatureTRBE); not ' +
      'in ARM-software/data. pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU (A2.3.3, A2.2.8), not the ' +
      'TRM PMUVer. N = 6 only from Arm gator events-Cortex-A725.xml (counter_set 6). AArch64 only at every EL ' +
      'per TF-A lib/cpus/aarch64/cortex_a725.S; EL3 exists (TF-A BL31); EL2 assumed, not read from the TRM. ' +
      'FEAT_FGT, FEAT_HCX, FEAT_VHE follow from Armv9.2 (A2.2.7, A2.2.8, A2.2.2). FEAT_HPMN0 not confirmed ' +
      '(omitted)',
  },
  {
    name: 'neoverse-n3',
    title: 'Arm Neoverse N3',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_SPE', 'FEAT_ETE'],
    source:
      'Arm Neoverse N3 Core TRM (107997) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per Arm ' +
      "ARM-software/data pmu/neoverse-n3.json ('architecture': 'armv9.2-a', 'pmu_architecture': 'pmuv3') and " +
      'LLVM AArch64Processors.td NeoverseN3 (HasV9_2aOps; FeatureSPE, FeatureSPE_EEF, FeatureETE; FEAT_TRBE ' +
      'then follows from FEAT_ETE, Arm ARM A2.3.1). pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU ' +
      '(A2.3.3, A2.2.8), not the TRM PMUVer. N = 6 only from Arm gator events-Neoverse-N3.xml (counter_set 6). ' +
      'AArch64 only at every EL per TF-A lib/cpus/aarch64/neoverse_n3.S; EL3 exists (TF-A BL31); EL2 assumed, ' +
      'not read from the TRM. FEAT_FGT, FEAT_HCX, FEAT_VHE follow from Armv9.2 (A2.2.7, A2.2.8, A2.2.2). ' +
      'FEAT_HPMN0 not confirmed (omitted)',
  },
  {
    name: 'neoverse-v3',
    title: 'Arm Neoverse V3',
    arch: 'Armv9.2-A',
    pmuVer: 'PMUv3p7',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_RME', 'FEAT_SPE', 'FEAT_ETE', 'FEAT_BRBE'],
    source:
      'Arm Neoverse V3 Core TRM (107734) not read here; PMU values NOT confirmed from the TRM. Armv9.2-A per Arm ' +
      "ARM-software/data pmu/neoverse-v3.json ('architecture': 'armv9.2-a', 'pmu_architecture': 'pmuv3') and " +
      'LLVM AArch64Processors.td NeoverseV3 (HasV9_2aOps; FeatureRME, FeatureSPE, FeatureSPE_EEF, FeatureETE, ' +
      'FeatureBRBE). pmuVer PMUv3p7 is the least Armv9.2 allows with a PMU (A2.3.3, A2.2.8; FEAT_RME with a ' +
      'PMU also needs PMUv3p7), not the TRM PMUVer. N = 6 only from Arm gator events-Neoverse-V3.xml ' +
      "(counter_set 6) and libpfm4 arm_v3 ('supports 6 counters'). EL2/EL3: FEAT_RME implies FEAT_AA64EL2 and " +
      'FEAT_AA64EL3 (A2.3.3); AArch64 only at every EL per TF-A lib/cpus/aarch64/neoverse_v3.S. FEAT_FGT, ' +
      'FEAT_HCX, FEAT_VHE follow from Armv9.2 (A2.2.7, A2.2.8, A2.2.2). FEAT_HPMN0 not confirmed (omitted)',
  },
  // QEMU 7.2 (Debian 12's qemu-system-arm 1:7.2+dfsg-7) as `-M virt,virtualization=on -cpu X`, the
  // machine of the differential harness (src/harness/qemu/): EL2 without EL3 (secure=off), no
  // FEAT_FGT on any model before QEMU 8.0. PMCR_EL0, ID_AA64DFR0_EL1 and ID_AA64PFR0_EL1 were also
  // read at EL2 by running the harness's probe (docs/qemu-divergences.md "The CPU models").
  {
    name: 'qemu-virt-max',
    title: 'QEMU 7.2 -M virt,virtualization=on -cpu max (TCG, EL2, no EL3)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3p5',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_AA32EL0', 'FEAT_AA32EL1', 'FEAT_AA64EL2', 'FEAT_VHE', 'FEAT_SEL2'],
    pmcrImpdef: 0x41010000n,
    source:
      'QEMU v7.2.0 target/arm/cpu64.c aarch64_max_tcg_initfn (after aarch64_a57_initfn: reset_pmcr_el0 ' +
      '0x41013000, IMP 0x41, IDCODE 0x01, N = 6; ID_AA64DFR0.PMUVer = 6, FEAT_PMUv3p5). Read at EL2 under QEMU ' +
      '7.2.22: PMCR_EL0 0x41013000, ID_AA64DFR0_EL1 0x10305609 (PMUVer 6), ID_AA64MMFR0_EL1 0x32310201126 ' +
      '(FGT 0), ID_AA64PFR0_EL1 0x1201001120110222 (EL3 0 with secure=off, EL0/EL1 AArch32), MDCR_EL2 0x6',
  },
  {
    name: 'qemu-virt-cortex-a57',
    title: 'QEMU 7.2 -M virt,virtualization=on -cpu cortex-a57 (TCG, EL2, no EL3)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_AA32EL0', 'FEAT_AA32EL1', 'FEAT_AA64EL2'],
    pmcrImpdef: 0x41010000n,
    source:
      'QEMU v7.2.0 target/arm/cpu64.c aarch64_a57_initfn: reset_pmcr_el0 0x41013000 (N = 6), ID_AA64DFR0 ' +
      '0x10305106 (PMUVer 1, PMUv3), ID_AA64PFR0 0x00002222. Read at EL2 under QEMU 7.2.22: PMCR_EL0 ' +
      '0x41013000, ID_AA64DFR0_EL1 0x10305106, ID_AA64PFR0_EL1 0x222 (EL3 0 with secure=off), MDCR_EL2 0x6',
  },
  {
    name: 'qemu-virt-neoverse-n1',
    title: 'QEMU 7.2 -M virt,virtualization=on -cpu neoverse-n1 (TCG, EL2, no EL3)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3p1',
    n: 6,
    features: ['FEAT_AA64', 'FEAT_AA32EL0', 'FEAT_AA64EL2', 'FEAT_VHE'],
    pmcrImpdef: 0x410c0000n,
    source:
      'QEMU v7.2.0 target/arm/cpu64.c aarch64_neoverse_n1_initfn: reset_pmcr_el0 0x410c3000 (IDCODE 0x0c, ' +
      'N = 6), ID_AA64DFR0 0x0000000110305408 (PMUVer 4, PMUv3p1). Read at EL2 under QEMU 7.2.22: PMCR_EL0 ' +
      '0x410c3000, ID_AA64DFR0_EL1 0x10305408 (QEMU clears PMSVer: no SPE), ID_AA64PFR0_EL1 ' +
      '0x1100000010110112 (EL3 0 with secure=off, AArch32 at EL0 only), MDCR_EL2 0x6. arch Armv8.0-A with an ' +
      'explicit feature list: the QEMU model is not a whole Armv8.2 PE (no SPE, no RAS)',
  },
  {
    name: 'qemu-virt-a64fx',
    title: 'QEMU 7.2 -M virt,virtualization=on -cpu a64fx (TCG, EL2, no EL3)',
    arch: 'Armv8.0-A',
    pmuVer: 'PMUv3p1',
    n: 8,
    features: ['FEAT_AA64', 'FEAT_AA64EL2', 'FEAT_VHE'],
    pmcrImpdef: 0x46010000n,
    source:
      'QEMU v7.2.0 target/arm/cpu64.c aarch64_a64fx_initfn: reset_pmcr_el0 0x46014040 (IMP 0x46 Fujitsu, ' +
      'IDCODE 0x01, N = 8, LC 1), ID_AA64DFR0 0x0000000010305408 (PMUVer 4, PMUv3p1), ID_AA64PFR0 ' +
      '0x0000000101110111 (AArch64 only). Read at EL2 under QEMU 7.2.22: PMCR_EL0 0x46014040, ID_AA64DFR0_EL1 ' +
      '0x10305408, ID_AA64PFR0_EL1 0x101110111 (EL3 0 with secure=off), MDCR_EL2 0x8',
  },
  // @cpus (keep this marker; add entries above it)
];

/** Catalogue names, in catalogue order (for messages and `pmup cpus`). */
export const CPU_NAMES: readonly string[] = CPUS.map((c) => c.name);

const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/**
 * Every feature `cpu` implements: its listed features, the feature its PMU version stands for
 * (`PMUv3p5` -> `FEAT_PMUv3p5`), what its architecture version makes mandatory for them
 * (archFeatures), and everything those imply (featureClosure: `implies`, CONDITIONAL_IMPLIES).
 *
 * @example cpuFeatures(lookupCpu('neoverse-n2')).has('FEAT_PMUv3p1') // true
 */
export function cpuFeatures(cpu: CpuDef): ReadonlySet<FeatureName> {
  const own = featureClosure([pmuVersionFeature(cpu.pmuVer), ...cpu.features]);
  if (!isArchName(cpu.arch)) return own;
  return featureClosure([...own, ...archFeatures(cpu.arch, own)]);
}

/**
 * The catalogue entry called `name`, ignoring case (`Neoverse-N1` finds `neoverse-n1`).
 *
 * @throws InputError for an unknown name, with the closest catalogue names as a suggestion.
 */
export function lookupCpu(name: string): CpuDef {
  const want = name.trim().toLowerCase();
  const cpu = CPUS.find((c) => c.name === want);
  if (cpu === undefined) {
    throw new InputError(
      `Unknown CPU "${name}"${didYouMean(name, CPU_NAMES)}; known CPUs: ${CPU_NAMES.join(', ')}`,
    );
  }
  return cpu;
}

const INLINE_MEMBERS = ['pmuVer', 'n', 'features', 'impdef'] as const;
/** What every inline CPU implements because the model's PE has it (see parseInlineCpu). */
export const INLINE_BY_CONSTRUCTION: readonly FeatureName[] = ['FEAT_AA64', 'FEAT_EL2', 'FEAT_AA64EL2'];
const INLINE_EXAMPLE = '{"pmuVer": "PMUv3p5", "n": 6, "features": ["FEAT_FGT"]}';
const PMCR_N_MASK = 0x1fn << 11n;
const HEX64 = /^0x[0-9a-f]{1,16}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPmuVersion(value: unknown): value is PmuVersion {
  return typeof value === 'string' && (PMU_VERSIONS as readonly string[]).includes(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Reads an inline CPU description, `{"pmuVer": "PMUv3p5", "n": 6, "features": ["FEAT_FGT"]}`:
 * `pmuVer` one of PMU_VERSIONS, `n` an integer 0..31 (PMCR_EL0.N), `features` (optional) known
 * feature names. The optional `impdef` object maps register names to hex strings (the batch
 * protocol's IMPLEMENTATION DEFINED values); its `PMCR_EL0` becomes `pmcrImpdef`, with the N
 * bits [15:11] cleared because N comes from `n`. The other `impdef` entries are checked to be hex
 * and left to the protocol. The result is named `inline`.
 *
 * @throws InputError naming the bad member, in one line.
 */
export function parseInlineCpu(value: unknown): CpuDef {
  if (!isRecord(value)) {
    throw new InputError(`Inline CPU must be a JSON object like ${INLINE_EXAMPLE}, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(INLINE_MEMBERS as readonly string[]).includes(key)) {
      throw new InputError(
        `Inline CPU: unknown member "${key}"${didYouMean(key, INLINE_MEMBERS)}; members are ${INLINE_MEMBERS.join(', ')}`,
      );
    }
  }
  const { pmuVer, n, features = [], impdef } = value;
  if (!isPmuVersion(pmuVer)) {
    const hint = typeof pmuVer === 'string' ? didYouMean(pmuVer, PMU_VERSIONS) : '';
    throw new InputError(
      `Inline CPU: pmuVer must be one of ${PMU_VERSIONS.join(', ')}, got ${describe(pmuVer)}${hint}`,
    );
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 31) {
    throw new InputError(`Inline CPU: n must be an integer 0..31 (PMCR_EL0.N), got ${describe(n)}`);
  }
  if (!Array.isArray(features)) {
    throw new InputError(`Inline CPU: features must be an array of FEAT_* names, got ${describe(features)}`);
  }
  const pmuFeatures = new Set(PMU_VERSIONS.map(pmuVersionFeature));
  const implied = cpuFeatures({
    name: 'inline',
    title: '',
    arch: 'unspecified',
    pmuVer,
    n,
    features: [],
    source: '',
  });
  // The PE of the batch protocol and of the CLI has, by construction, AArch64 at every Exception
  // level and EL2 (docs/protocol.md "The PE"); EL3 only with FEAT_EL3, then AArch64 too (A2.2.1
  // FEAT_AA64EL2: "When FEAT_AA64EL2 and FEAT_EL3 are implemented, FEAT_AA64EL3 is implemented").
  // Listing them here lets the closure apply the rules that need them (A2.2.7, A2.2.10:
  // "When FEAT_PMUv3p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented").
  const names: FeatureName[] = [...INLINE_BY_CONSTRUCTION];
  features.forEach((f: unknown, i) => {
    if (typeof f !== 'string' || !isFeatureName(f)) {
      const hint = typeof f === 'string' ? didYouMean(f, FEATURE_NAMES) : '';
      throw new InputError(`Inline CPU: features[${i}] ${describe(f)} is not a known feature${hint}`);
    }
    if (pmuFeatures.has(f) && !implied.has(f)) {
      throw new InputError(
        `Inline CPU: features[${i}] ${f} is newer than pmuVer ${pmuVer}; raise pmuVer instead`,
      );
    }
    if (!names.includes(f)) names.push(f);
  });
  // D13.1: "The Performance Monitors Extension permits an implementation with zero event counters
  // only if one of the following is true: EL2 is not implemented; FEAT_HPMN0 is implemented." This
  // PE has EL2 by construction, so N = 0 needs FEAT_HPMN0 (itself implying FEAT_FGT, A2.2.7).
  if (n === 0) {
    const closed = cpuFeatures({
      name: 'inline',
      title: '',
      arch: 'unspecified',
      pmuVer,
      n,
      features: names,
      source: '',
    });
    if (!closed.has('FEAT_HPMN0')) {
      throw new InputError(
        'Inline CPU: n = 0 needs FEAT_HPMN0: with EL2 implemented (as on every PE here) the Arm ARM permits zero event counters only with FEAT_HPMN0 (D13.1)',
      );
    }
  }
  let pmcrImpdef: bigint | undefined;
  if (impdef !== undefined) {
    if (!isRecord(impdef)) {
      throw new InputError(
        `Inline CPU: impdef must be an object of register name -> hex string, got ${describe(impdef)}`,
      );
    }
    for (const [reg, v] of Object.entries(impdef)) {
      if (typeof v !== 'string' || !HEX64.test(v)) {
        throw new InputError(
          `Inline CPU: impdef.${reg} must be a hex string of at most 64 bits, got ${describe(v)}`,
        );
      }
      if (reg === 'PMCR_EL0') pmcrImpdef = BigInt(v) & ~PMCR_N_MASK;
    }
  }
  return {
    name: 'inline',
    title: 'inline CPU',
    arch: 'unspecified',
    pmuVer,
    n,
    features: names,
    ...(pmcrImpdef === undefined ? {} : { pmcrImpdef }),
    source: 'given inline',
  };
}

/**
 * A CPU from the command line or a request: a catalogue name (`neoverse-n2`, any case) or inline
 * JSON text starting with `{` (see parseInlineCpu).
 *
 * @throws InputError for an unknown name, text that is not JSON, or a bad inline description.
 */
export function parseCpu(text: string): CpuDef {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return lookupCpu(trimmed);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    throw new InputError(`Inline CPU is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseInlineCpu(value);
}
