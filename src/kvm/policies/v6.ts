// SPDX-License-Identifier: MIT
/**
 * The partitioned PMU series, v6 (2026-02-09), as far as the public record describes it:
 *
 * - kvm_pmu_hpmn() (v6 10/19) returns nr_pmu_counters when the vCPU is partitioned, not on an
 *   unsupported CPU, and FEAT_HPMN0 allows 0 or the count is nonzero; else this CPU's counters.
 *   nr_pmu_counters is validated against max_guest_counters at the SET_NR_COUNTERS ioctl instead.
 * - The guest's PMCR_EL0.N is nr_pmu_counters (the legacy writable PMCR_EL0.N is removed).
 * - The FGT programming is inline in config.c, conditioned on the vCPU being partitioned (as the
 *   review of v5 10/24 asked): PMOVS | PMCCFILTR_EL0 | PMEVTYPERn_EL0 | PMCEIDn_EL0 | PMMIR_EL1
 *   ORed into HDFGRTR_EL2, PMOVS | PMCCFILTR_EL0 | PMEVTYPERn_EL0 into HDFGWTR_EL2, and
 *   nPMICFILTR_EL0 | nPMICNTR_EL0 cleared (trapped) in HDFGRTR2_EL2 and HDFGWTR2_EL2.
 *
 * Not described, and taken from v5 (an assumption): the rest of kvm_arm_setup_mdcr_el2() (HPME
 * always; HPMD, HCCD when partitioned; TPM and TPMCR cleared when `useFgt`, i.e. once the PMU
 * context is GUEST_OWNED on a CPU with FEAT_FGT). Which revision first carried the FGT layout above
 * is not recorded. v7's own config.c (v7 07/20, policies/v7.ts) has the same bits but sets them
 * for every vCPU, partitioned or not; v6's FGT patch was not read, so v6 keeps the condition the
 * review of v5 10/24 asked for.
 *
 * @module
 */

import { u8 } from '../c_int.js';
import { V6_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import {
  HDFGRTR_EL2_PMCCFILTR_EL0,
  HDFGRTR_EL2_PMCEIDn_EL0,
  HDFGRTR_EL2_PMEVTYPERn_EL0,
  HDFGRTR_EL2_PMMIR_EL1,
  HDFGRTR_EL2_PMOVS,
  HDFGRTR2_EL2_nPMICFILTR_EL0,
  HDFGRTR2_EL2_nPMICNTR_EL0,
  HDFGWTR_EL2_PMCCFILTR_EL0,
  HDFGWTR_EL2_PMEVTYPERn_EL0,
  HDFGWTR_EL2_PMOVS,
  HDFGWTR2_EL2_nPMICFILTR_EL0,
  HDFGWTR2_EL2_nPMICNTR_EL0,
  mdcrEl2Value,
} from '../sysreg.js';
import type { FgtValues } from '../traps.js';
import { kvmVcpuReadPmcrN, NO_PMU_FGT } from './mainline.js';
import { kvmArmSetupMdcrEl2 } from './v5.js';

/**
 * The value for MDCR_EL2.HPMN: nr_pmu_counters when partitioned, on a supported CPU, and FEAT_HPMN0
 * or nr_pmu_counters > 0; otherwise this CPU's counters (no partition).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn() (v6 10/19, v7 09/20)
 */
export function kvmPmuHpmn(inputs: PolicyInputs): number {
  const nr = u8(inputs.nrPmuCounters);
  if (inputs.partitioned && !inputs.onUnsupportedCpu && (inputs.hasHpmn0 || nr > 0)) return nr;
  return u8(inputs.hostCounters);
}

/**
 * The PMU bits of the four FGT registers: nothing without FEAT_FGT, no FGT2 registers without
 * FEAT_FGT2; for a partitioned vCPU, the positive-polarity read and write traps set and the
 * negative-polarity nPMICFILTR_EL0 / nPMICNTR_EL0 cleared, so PMICNTR_EL0 and PMICFILTR_EL0 trap.
 *
 * @see arch/arm64/kvm/config.c __compute_hdfgrtr(), __compute_hdfgwtr(), __compute_hdfgrtr2(),
 * __compute_hdfgwtr2() (later revision of v5 10/24)
 */
export function kvmVcpuLoadFgt(inputs: PolicyInputs): FgtValues {
  if (!inputs.hasFgt || !inputs.partitioned) return NO_PMU_FGT;
  return partitionedPmuFgt(inputs);
}

/**
 * The PMU trap bits of the partitioned-PMU FGT layout (v6; v7 07/20 and v8 08/21 the same): ORed
 * into HDFGRTR_EL2 and HDFGWTR_EL2, and the FGT2 n-bits of PMICNTR_EL0/PMICFILTR_EL0 cleared with
 * FEAT_FGT2. The callers decide when it applies.
 */
export function partitionedPmuFgt(inputs: PolicyInputs): FgtValues {
  const start = NO_PMU_FGT;
  return {
    hdfgrtr:
      start.hdfgrtr |
      HDFGRTR_EL2_PMOVS |
      HDFGRTR_EL2_PMCCFILTR_EL0 |
      HDFGRTR_EL2_PMEVTYPERn_EL0 |
      HDFGRTR_EL2_PMCEIDn_EL0 |
      HDFGRTR_EL2_PMMIR_EL1,
    hdfgwtr: start.hdfgwtr | HDFGWTR_EL2_PMOVS | HDFGWTR_EL2_PMCCFILTR_EL0 | HDFGWTR_EL2_PMEVTYPERn_EL0,
    hdfgrtr2: inputs.hasFgt2
      ? start.hdfgrtr2 & ~(HDFGRTR2_EL2_nPMICFILTR_EL0 | HDFGRTR2_EL2_nPMICNTR_EL0)
      : start.hdfgrtr2,
    hdfgwtr2: inputs.hasFgt2
      ? start.hdfgwtr2 & ~(HDFGWTR2_EL2_nPMICFILTR_EL0 | HDFGWTR2_EL2_nPMICNTR_EL0)
      : start.hdfgwtr2,
  };
}

/** Evaluates the v6 design. */
export function evaluateV6(inputs: PolicyInputs): PolicyResult {
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

export const V6: Policy = {
  name: 'v6',
  summary:
    'partitioned PMU v6: HPMN = nr_pmu_counters unless not partitioned, on an unsupported CPU, or 0 without HPMN0; FEAT_FGT2 PMICNTR/PMICFILTR trapped',
  source:
    'arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn() ([PATCH v6 10/19]); arch/arm64/kvm/config.c FGT (inline); arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() assumed as v5',
  date: '2026-02-09',
  kernel: V6_KERNEL,
  evaluate: evaluateV6,
};
