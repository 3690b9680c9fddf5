// SPDX-License-Identifier: MIT
/**
 * The partitioned PMU series, v7 (2026-05-04). v7 changes how the host gives up counters (a
 * dynamic reservation through perf_pmu_resched_update() while a vCPU is loaded; the module
 * parameter only bounds max_guest_counters) and returns the instruction counter to the host, but
 * kvm_pmu_hpmn() (v7 09/20) is v6's, and nothing recorded changes kvm_arm_setup_mdcr_el2() or the
 * FGT layout: for the values this policy computes, v7 is v6.
 *
 * @module
 */

import type { Policy } from '../policy.js';
import { evaluateV6 } from './v6.js';

export const V7: Policy = {
  name: 'v7',
  summary: 'partitioned PMU v7: as v6 for HPMN, MDCR_EL2 and FGT (the host reservation becomes dynamic)',
  source:
    'arch/arm64/kvm/pmu-direct.c kvm_pmu_hpmn() ([PATCH v7 09/20]); arch/arm64/kvm/config.c FGT; arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() assumed as v5',
  evaluate: evaluateV6,
};
