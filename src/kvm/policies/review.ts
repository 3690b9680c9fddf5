// SPDX-License-Identifier: MIT
/**
 * Oliver Upton's review of v5 15/24 (the seed): replace kvm_pmu_guest_num_counters() and
 * kvm_pmu_hpmn() by kvm_mdcr_hpmn(), which trusts nr_pmu_counters (validated at the ioctl) and
 * falls back to the host's counters only when the vCPU is not partitioned or sits on an
 * unsupported CPU. The rest of MDCR_EL2 and the FGT setup are v5's; the guest's PMCR_EL0.N is
 * nr_pmu_counters, as in mainline ("Why can't the value of nr_pmu_counters be trusted?", review of
 * 16/24).
 *
 * @module
 */

import { u8 } from '../c_int.js';
import { V5_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import { mdcrEl2Value } from '../sysreg.js';
import { kvmVcpuReadPmcrN } from './mainline.js';
import { kvmArmSetupMdcrEl2, kvmVcpuLoadFgt } from './v5.js';

/**
 * The value for MDCR_EL2.HPMN: this CPU's counters when the vCPU is not partitioned or is on an
 * unsupported CPU, else nr_pmu_counters (as a `u8`).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_mdcr_hpmn() (proposed in the review of v5 15/24)
 */
export function kvmMdcrHpmn(inputs: PolicyInputs): number {
  const nrCounters = u8(inputs.hostCounters);
  if (!inputs.partitioned || inputs.onUnsupportedCpu) return nrCounters;
  return u8(inputs.nrPmuCounters);
}

export const REVIEW: Policy = {
  name: 'review',
  summary:
    "v5 with Oliver Upton's kvm_mdcr_hpmn(): HPMN = nr_pmu_counters unless not partitioned or on an unsupported CPU",
  source:
    'kvm_mdcr_hpmn() proposed by Oliver Upton in reply to [PATCH v5 15/24] (2025-12-09); arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() and config.c kvm_vcpu_load_fgt() as in v5',
  date: '2025-12-09',
  kernel: V5_KERNEL,
  evaluate(inputs: PolicyInputs): PolicyResult {
    const hpmn = kvmMdcrHpmn(inputs);
    return completeResult(
      inputs,
      {
        guestPmcrN: kvmVcpuReadPmcrN(inputs),
        hpmn,
        mdcrEl2: mdcrEl2Value(kvmArmSetupMdcrEl2(inputs, hpmn)),
        fgt: kvmVcpuLoadFgt(inputs),
      },
      { hpmnFunction: 'kvm_mdcr_hpmn()', partitions: true },
    );
  },
};
