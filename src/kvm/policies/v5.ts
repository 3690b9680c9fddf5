// SPDX-License-Identifier: MIT
/**
 * The partitioned PMU series, v5 (Colton Lewis, 2025-12-09): patch 15/24 "KVM: arm64: Setup
 * MDCR_EL2 to handle a partitioned PMU" and the FGT setup of 10/24. The functions follow the C
 * exactly, including its integer conversions: `hpmn_max` is an `int` whose -1 means "not
 * partitioned", the counts are `u8`, and an `int` returned as `u8` wraps (-1 becomes 255).
 *
 * @module
 */

import { PMU_VERSIONS, type PmuVersion } from '../../arch/features.js';
import { u8 } from '../c_int.js';
import { V5_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import {
  fieldPrep,
  HDFGRTR_EL2_PMCCFILTR_EL0,
  HDFGRTR_EL2_PMCEIDn_EL0,
  HDFGRTR_EL2_PMEVTYPERn_EL0,
  HDFGRTR_EL2_PMMIR_EL1,
  HDFGRTR_EL2_PMOVS,
  HDFGRTR2_EL2_nPMICFILTR_EL0,
  HDFGRTR2_EL2_nPMICNTR_EL0,
  MDCR_EL2_HCCD,
  MDCR_EL2_HPMD,
  MDCR_EL2_HPME,
  MDCR_EL2_HPMN,
  MDCR_EL2_TDOSA,
  MDCR_EL2_TDRA,
  MDCR_EL2_TPM,
  MDCR_EL2_TPMCR,
  MDCR_EL2_TPMS,
  MDCR_EL2_TTRF,
  type MdcrEl2,
  mdcrEl2Value,
} from '../sysreg.js';
import type { FgtValues } from '../traps.js';
import { kvmArmSetupMdcrEl2Tail, NO_PMU_FGT } from './mainline.js';

// PMU_VERSIONS lists the versions in the order of their PMUVer encodings (a test in
// test/arch/features.test.ts holds it to PMUVER_ENCODING), so "at least" compares positions: a
// search of seven interned names, several times cheaper than a keyed lookup of the encoding.
const PMUV3P1 = PMU_VERSIONS.indexOf('PMUv3p1');
const PMUV3P5 = PMU_VERSIONS.indexOf('PMUv3p5');

/**
 * `is_pmuv3p1(pmuver)`: PMUVer >= PMUv3p1 (and not IMPLEMENTATION DEFINED, which the model's
 * versions never are).
 *
 * @see arch/arm64/include/asm/arm_pmuv3.h is_pmuv3p1()
 */
export function isPmuv3p1(pmuVer: PmuVersion): boolean {
  return PMU_VERSIONS.indexOf(pmuVer) >= PMUV3P1;
}

/**
 * `is_pmuv3p5(pmuver)`: PMUVer >= PMUv3p5.
 *
 * @see arch/arm64/include/asm/arm_pmuv3.h is_pmuv3p5()
 */
export function isPmuv3p5(pmuVer: PmuVersion): boolean {
  return PMU_VERSIONS.indexOf(pmuVer) >= PMUV3P5;
}

/**
 * The number of counters to show the guest in PMCR_EL0.N: nr_pmu_counters, clamped to hpmn_max
 * when partitioned and to this CPU's counters. `nr_cnt` and `host_max` are `u8`, `hpmn_max` an
 * `int`; the comparisons are signed, and `return hpmn_max` converts to `u8`, so with
 * hpmn_max = -1 a partitioned vCPU gets 255.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_num_counters() (v5 15/24)
 */
export function kvmPmuGuestNumCounters(inputs: PolicyInputs): number {
  const nrCnt = u8(inputs.nrPmuCounters);
  // hpmn_max = armv8pmu_hpmn_max, or arm_pmu->hpmn_max when the VM has an arm_pmu: the input
  // already holds the one the kernel reads.
  const hpmnMax = inputs.hpmnMax;
  const hostMax = u8(inputs.hostCounters);

  if (inputs.partitioned) {
    if (nrCnt <= hpmnMax && nrCnt <= hostMax) return nrCnt;
    if (hpmnMax <= hostMax) return u8(hpmnMax);
  }
  if (nrCnt <= hostMax) return nrCnt;
  return hostMax;
}

/**
 * The value for MDCR_EL2.HPMN: when partitioned, the guest's counter count if FEAT_HPMN0 allows
 * 0 or it is nonzero, else hpmn_max if positive; otherwise this CPU's counter count (no
 * partition).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn() (v5 15/24)
 */
export function kvmPmuHpmn(inputs: PolicyInputs): number {
  const nrGuestCnt = kvmPmuGuestNumCounters(inputs);
  const nrGuestCntMax = inputs.hpmnMax;
  const nrHostCntMax = u8(inputs.hostCounters);

  if (inputs.partitioned) {
    if (inputs.hasHpmn0) return nrGuestCnt;
    else if (nrGuestCnt > 0) return nrGuestCnt;
    else if (nrGuestCntMax > 0) return u8(nrGuestCntMax);
  }
  return nrHostCntMax;
}

/**
 * MDCR_EL2 for a vCPU as v5 computes it from `hpmn` (v5 passes kvm_pmu_hpmn(), held in an `int`):
 * mainline's traps plus HPME always; when partitioned, HPMD (PMUv3p1) and HCCD (PMUv3p5), and
 * TPM and TPMCR cleared when the vCPU uses fine-grained traps; then the mainline tail.
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() (v5 15/24)
 */
export function kvmArmSetupMdcrEl2(inputs: PolicyInputs, hpmn: number): MdcrEl2 {
  let mdcr = fieldPrep(MDCR_EL2_HPMN, hpmn);
  mdcr |=
    MDCR_EL2_TPM |
    MDCR_EL2_TPMS |
    MDCR_EL2_TTRF |
    MDCR_EL2_TPMCR |
    MDCR_EL2_TDRA |
    MDCR_EL2_TDOSA |
    MDCR_EL2_HPME;

  if (inputs.partitioned) {
    // Redundant with the trapped PMEVTYPER/PMCCFILTR writes, "but set the bits if they are here".
    if (isPmuv3p1(inputs.pmuVer)) mdcr |= MDCR_EL2_HPMD;
    if (isPmuv3p5(inputs.pmuVer)) mdcr |= MDCR_EL2_HCCD;
    // Take out the coarse-grained traps if we are using fine-grained traps.
    if (inputs.useFgt) mdcr &= ~(MDCR_EL2_TPM | MDCR_EL2_TPMCR);
  }
  return kvmArmSetupMdcrEl2Tail(mdcr, inputs);
}

/**
 * The HDFGRTR_EL2 bits v5 ORs into HDFGRTR_EL2 and HDFGWTR_EL2 (positive polarity: 1 traps):
 * PMOVS, PMCCFILTR_EL0, PMEVTYPERn_EL0, PMCEIDn_EL0, PMMIR_EL1.
 *
 * @see arch/arm64/include/asm/kvm_pmu.h kvm_pmu_fgt_bits() (v5 10/24)
 */
export function kvmPmuFgtBits(): bigint {
  return (
    HDFGRTR_EL2_PMOVS |
    HDFGRTR_EL2_PMCCFILTR_EL0 |
    HDFGRTR_EL2_PMEVTYPERn_EL0 |
    HDFGRTR_EL2_PMCEIDn_EL0 |
    HDFGRTR_EL2_PMMIR_EL1
  );
}

/**
 * The HDFGRTR2_EL2 bits v5 ORs into HDFGRTR2_EL2 and HDFGWTR2_EL2: nPMICFILTR_EL0 and
 * nPMICNTR_EL0. Their polarity is negative (0 traps), so setting them un-traps PMICFILTR_EL0 and
 * PMICNTR_EL0, the opposite of the commit message's "trapped ... because KVM is not handling them
 * yet" (Oliver Upton's review of 10/24).
 *
 * @see arch/arm64/include/asm/kvm_pmu.h kvm_pmu_fgt2_bits() (v5 10/24)
 */
export function kvmPmuFgt2Bits(): bigint {
  return HDFGRTR2_EL2_nPMICFILTR_EL0 | HDFGRTR2_EL2_nPMICNTR_EL0;
}

/**
 * The PMU bits of the four FGT registers as v5 loads them: nothing without FEAT_FGT
 * (kvm_vcpu_load_fgt() returns early), no FGT2 registers without FEAT_FGT2; when the vCPU uses
 * fine-grained traps, kvm_pmu_fgt_bits() ORed into both HDFGRTR_EL2 and HDFGWTR_EL2 and
 * kvm_pmu_fgt2_bits() into both FGT2 registers. The same HDFGRTR_EL2 mask lands in HDFGWTR_EL2,
 * where PMCEIDn_EL0's and PMMIR_EL1's positions are RES0.
 *
 * @see arch/arm64/kvm/config.c kvm_vcpu_load_fgt(), __compute_hdfgrtr(), __compute_hdfgwtr(),
 * __compute_hdfgrtr2(), __compute_hdfgwtr2() (v5 10/24)
 */
export function kvmVcpuLoadFgt(inputs: PolicyInputs): FgtValues {
  const start = NO_PMU_FGT;
  if (!inputs.hasFgt || !inputs.useFgt) return start;
  const fgt2 = inputs.hasFgt2 ? kvmPmuFgt2Bits() : 0n;
  return {
    hdfgrtr: start.hdfgrtr | kvmPmuFgtBits(),
    hdfgwtr: start.hdfgwtr | kvmPmuFgtBits(),
    hdfgrtr2: start.hdfgrtr2 | fgt2,
    hdfgwtr2: start.hdfgwtr2 | fgt2,
  };
}

export const V5: Policy = {
  name: 'v5',
  summary:
    'partitioned PMU v5: HPMN = kvm_pmu_hpmn(), guest N = kvm_pmu_guest_num_counters(), FGT when use_fgt',
  source:
    'arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_num_counters(), kvm_pmu_hpmn(); arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() ([PATCH v5 15/24]); arch/arm64/kvm/config.c kvm_vcpu_load_fgt() ([PATCH v5 10/24])',
  date: '2025-12-09',
  kernel: V5_KERNEL,
  evaluate(inputs: PolicyInputs): PolicyResult {
    const hpmn = kvmPmuHpmn(inputs);
    return completeResult(
      inputs,
      {
        // kvm_vcpu_read_pmcr() reports kvm_pmu_guest_num_counters() (v5 16/24).
        guestPmcrN: kvmPmuGuestNumCounters(inputs),
        hpmn,
        mdcrEl2: mdcrEl2Value(kvmArmSetupMdcrEl2(inputs, hpmn)),
        fgt: kvmVcpuLoadFgt(inputs),
      },
      { hpmnFunction: 'kvm_pmu_hpmn()', partitions: true },
    );
  },
};
