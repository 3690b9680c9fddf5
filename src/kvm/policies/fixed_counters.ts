// SPDX-License-Identifier: MIT
/**
 * Akihiko Odaki's KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY (v3 2026-02-25 .. v11 2026-09-20, on
 * mainline KVM): a vPMU without programmable event counters that runs on any host PMU, for
 * guests (Windows) that crash when PMCCNTR_EL0 stops after a vCPU moves to a core of another PMU.
 * Read here from v5 (2026-04-11, kvm_arm_pmu_v3_set_pmu_fixed_counters_only() in
 * arch/arm64/kvm/pmu-emul.c: -EBUSY once the VM has run or when a filter is set first; the flag,
 * nr_pmu_counters := 0, supported_cpus := the union of every PMU's CPUs;
 * kvm_arm_pmu_get_max_counters() = 0) and the v8 changelog (2026-07-06: mutually exclusive with
 * KVM_ARM_VCPU_PMU_V3_FILTER and KVM_ARM_VCPU_PMU_V3_SET_PMU; SET_NR_COUNTERS no longer
 * supported with it); the v11 code was not read. The attribute number is 5, the number the
 * partitioned-PMU series gives KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION (src/kvm/api.ts
 * kvmArmPmuV3SetAttr5()).
 *
 * MDCR_EL2 is mainline's: the series changes only the emulation (and, in v9/v11, the nested
 * guest's virtual MDCR_EL2.HPMN, not modelled).
 *
 * @module
 */

import { MAINLINE_KERNEL } from '../kernel.js';
import type { Policy } from '../policy.js';
import { MAINLINE } from './mainline.js';

export const FIXED_COUNTERS: Policy = {
  name: 'fixed-counters',
  summary:
    "mainline with FIXED_COUNTERS_ONLY (Odaki v11) as attribute 5: no event counters, nr_pmu_counters 0, every PMU's CPUs supported",
  source:
    '[PATCH v5] arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_set_pmu_fixed_counters_only(), kvm_arm_pmu_get_max_counters() (Message-ID 20260411-hybrid-v5-0-b043b4d9f49e@rsg.ci.i.u-tokyo.ac.jp), v8 cover letter changelog (2026-07-06); MDCR_EL2 as mainline',
  date: '2026-09-20',
  kernel: { ...MAINLINE_KERNEL, attr5: 'fixed-counters-only' },
  evaluate: MAINLINE.evaluate,
};
