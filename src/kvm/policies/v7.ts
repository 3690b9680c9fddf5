// SPDX-License-Identifier: MIT
/**
 * The partitioned PMU series, v7 (Colton Lewis, 2026-05-04, cover Message-ID
 * 20260504211813.1804997-1-coltonlewis@google.com), from v7's own patches:
 *
 * - 09/20 "KVM: arm64: Set up MDCR_EL2 to handle a Partitioned PMU" (Message-ID
 *   20260504211813.1804997-10-coltonlewis@google.com): kvm_pmu_hpmn() and the PMU part of
 *   kvm_arm_setup_mdcr_el2();
 * - 07/20 "KVM: arm64: Set up FGT for Partitioned PMU" (…-8-coltonlewis@google.com):
 *   kvm_vcpu_pmu_use_fgt() and __compute_hdfgrtr()/__compute_hdfgwtr()/__compute_hdfgrtr2()/
 *   __compute_hdfgwtr2() in arch/arm64/kvm/config.c;
 * - 14/20 "KVM: arm64: Implement lazy PMU context swaps" (…-15-coltonlewis@google.com): the
 *   `access == VCPU_PMU_ACCESS_GUEST_OWNED` term of kvm_vcpu_pmu_use_fgt().
 *
 * The guest's PMCR_EL0.N: no v7 patch read here changes kvm_vcpu_read_pmcr(), so it is
 * mainline's nr_pmu_counters (research digest, not v7 code). v7 also makes the host's counter
 * reservation dynamic (13/20, in lifecycle.ts) and gives the instruction counter back to the host.
 *
 * @module
 */

import { DYNAMIC_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import { mdcrEl2Value } from '../sysreg.js';
import type { FgtValues } from '../traps.js';
import { kvmVcpuReadPmcrN, NO_PMU_FGT } from './mainline.js';
import { kvmArmSetupMdcrEl2 } from './v5.js';
import { kvmPmuHpmn, partitionedPmuFgt } from './v6.js';

/**
 * The PMU bits of the four FGT registers as v7's config.c computes them (07/20): ORed into
 * HDFGRTR_EL2 (PMOVS, PMCCFILTR_EL0, PMEVTYPERn_EL0, PMCEIDn_EL0, PMMIR_EL1) and HDFGWTR_EL2
 * (PMOVS, PMCCFILTR_EL0, PMEVTYPERn_EL0), and nPMICFILTR_EL0 | nPMICNTR_EL0 cleared in both FGT2
 * registers, for every vCPU: the __compute_*() helpers do not test whether the vCPU is
 * partitioned (a vCPU that is not keeps MDCR_EL2.TPM, which traps everything anyway). Nothing
 * without FEAT_FGT; no FGT2 registers without FEAT_FGT2 (kvm_vcpu_load_fgt()).
 *
 * @see arch/arm64/kvm/config.c __compute_hdfgrtr(), __compute_hdfgwtr(), __compute_hdfgrtr2(),
 * __compute_hdfgwtr2(), kvm_vcpu_load_fgt() (v7 07/20)
 */
export function kvmVcpuLoadFgt(inputs: PolicyInputs): FgtValues {
  return inputs.hasFgt ? partitionedPmuFgt(inputs) : NO_PMU_FGT;
}

/**
 * `kvm_pmu_hpmn(vcpu)` (v7 09/20): `u8 nr_guest_cntr = nr_pmu_counters`, returned when the vCPU
 * is partitioned, not on an unsupported CPU, and FEAT_HPMN0 allows 0 or the count is nonzero;
 * otherwise this CPU's nr_event_counters. The same function as v6's (policies/v6.ts).
 *
 * `kvm_arm_setup_mdcr_el2(vcpu)` (v7 09/20): `int hpmn = kvm_pmu_hpmn(vcpu)` into the HPMN field,
 * then TPM | TPMS | TTRF | TPMCR | TDRA | TDOSA | HPME always ("HPME only has an effect when HPMN
 * is set which we only do for the guest"); for a partitioned vCPU HPMD if PMUv3p1 and HCCD if
 * PMUv3p5 ("set the bits if they are here"), and TPM, TPMCR cleared when kvm_vcpu_pmu_use_fgt().
 * HPMN is used whether or not the vCPU uses FGT. Then mainline's tail (TDE, TDA). The same code as
 * v5 15/24 (policies/v5.ts).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn(), arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() (v7 09/20)
 */
export function evaluateV7(inputs: PolicyInputs): PolicyResult {
  const hpmn = kvmPmuHpmn(inputs);
  return completeResult(
    inputs,
    {
      guestPmcrN: kvmVcpuReadPmcrN(inputs),
      hpmn,
      mdcrEl2: mdcrEl2Value(kvmArmSetupMdcrEl2(inputs, hpmn)),
      fgt: kvmVcpuLoadFgt(inputs),
    },
    { hpmnFunction: 'kvm_pmu_hpmn()', partitions: true },
  );
}

export const V7: Policy = {
  name: 'v7',
  summary:
    'partitioned PMU v7: HPMN = kvm_pmu_hpmn() even without FGT; TPM/TPMCR cleared only with FGT; PMU FGT bits for every vCPU; dynamic host reservation',
  source:
    '[PATCH v7 09/20] arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn(), arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2(); [PATCH v7 07/20] arch/arm64/kvm/config.c __compute_hdfgrtr() and siblings, kvm_vcpu_pmu_use_fgt() (+14/20); Message-ID 20260504211813.1804997-10-coltonlewis@google.com',
  date: '2026-05-04',
  kernel: DYNAMIC_KERNEL,
  evaluate: evaluateV7,
};
