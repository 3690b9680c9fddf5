// SPDX-License-Identifier: MIT
/**
 * Mainline KVM arm64 without the partitioning series: the vPMU is emulated with host perf
 * events, every guest PMU access traps (MDCR_EL2.TPM), and MDCR_EL2.HPMN is the host's own
 * counter count, so the hardware has no second range while the guest runs.
 *
 * @module
 */

import { LINUX_61_KERNEL, MAINLINE_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import {
  fieldPrep,
  MDCR_EL2_HPMN,
  MDCR_EL2_TDA,
  MDCR_EL2_TDE,
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

/**
 * The tail that every version keeps after the PMU part of kvm_arm_setup_mdcr_el2(): TDE when
 * userspace debugs the guest, TDA unless the guest owns the debug registers. (On VHE the value
 * is then written to MDCR_EL2; preemption is re-enabled.)
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2()
 */
export function kvmArmSetupMdcrEl2Tail(mdcrEl2: MdcrEl2, inputs: PolicyInputs): MdcrEl2 {
  let mdcr = mdcrEl2;
  // Is the VM being debugged by userspace? Route software debug exceptions to EL2.
  if (inputs.guestDebug) mdcr |= MDCR_EL2_TDE;
  // Trap debug registers if the guest doesn't have ownership of them.
  if (!inputs.guestOwnsDebug) mdcr |= MDCR_EL2_TDA;
  return mdcr;
}

/**
 * MDCR_EL2 for a vCPU: HPMN = this CPU's nr_event_counters (all counters in the first range),
 * and traps of the PMU (TPM, TPMCR), SPE (TPMS), trace filter (TTRF), debug ROM (TDRA) and OS
 * lock (TDOSA). Assigning the whole value also clears E2PB and E2TB.
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() (mainline, called from kvm_vcpu_load_debug())
 */
export function kvmArmSetupMdcrEl2(inputs: PolicyInputs): MdcrEl2 {
  let mdcr = fieldPrep(MDCR_EL2_HPMN, inputs.hostCounters);
  mdcr |= MDCR_EL2_TPM | MDCR_EL2_TPMS | MDCR_EL2_TTRF | MDCR_EL2_TPMCR | MDCR_EL2_TDRA | MDCR_EL2_TDOSA;
  return kvmArmSetupMdcrEl2Tail(mdcr, inputs);
}

/**
 * The N of the guest's PMCR_EL0: the VM's nr_pmu_counters (a vCPU not in a nested context).
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_vcpu_read_pmcr()
 */
export function kvmVcpuReadPmcrN(inputs: PolicyInputs): number {
  return inputs.nrPmuCounters;
}

/**
 * KVM's starting value for the PMU bits of the four FGT registers (see PolicyResult): all 0, so
 * no positive-polarity trap and every negative-polarity one. Mainline adds no PMU traps to it.
 */
export const NO_PMU_FGT: FgtValues = { hdfgrtr: 0n, hdfgwtr: 0n, hdfgrtr2: 0n, hdfgwtr2: 0n };

function evaluateMainline(inputs: PolicyInputs): PolicyResult {
  return completeResult(
    inputs,
    {
      guestPmcrN: kvmVcpuReadPmcrN(inputs),
      hpmn: inputs.hostCounters,
      mdcrEl2: mdcrEl2Value(kvmArmSetupMdcrEl2(inputs)),
      fgt: NO_PMU_FGT,
    },
    { hpmnFunction: 'nr_event_counters', partitions: false },
  );
}

/**
 * Linux 6.1 (Debian 12's kernel, booted by harness/kvm/ and compared in docs/kvm-divergences.md).
 * Its MDCR_EL2 is mainline's: kvm_arm_setup_mdcr_el2() keeps the HPMN of the per-CPU copy of the
 * boot MDCR_EL2 (`__this_cpu_read(mdcr_el2) & MDCR_EL2_HPMN_MASK`, read by kvm_arm_init_debug()),
 * which is the host's N, and sets the same traps; the guest's N is the N field of the vCPU's own
 * PMCR_EL0 (kvmPolicyInputs() passes it as nrPmuCounters). Its VM API and vPMU differ: see the
 * kernel trait `vpmu: 'linux-6.1'` (src/kvm/kernel.ts).
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2(), kvm_arm_init_debug() (v6.1)
 */
export const LINUX_61: Policy = {
  name: 'mainline:linux-6.1',
  summary: "Linux 6.1's emulated vPMU: mainline's MDCR_EL2, N in the vCPU's PMCR_EL0, no SET_NR_COUNTERS",
  source:
    'arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2(), arch/arm64/kvm/pmu-emul.c, arch/arm64/kvm/sys_regs.c (v6.1; ' +
    'Debian linux-image-6.1.0-57-arm64, 6.1.192)',
  date: '2022-12-11',
  kernel: LINUX_61_KERNEL,
  evaluate: evaluateMainline,
};

export const MAINLINE: Policy = {
  name: 'mainline',
  summary: 'emulated vPMU: HPMN = host N, every PMU access traps (TPM, TPMCR)',
  source:
    'arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2(), arch/arm64/kvm/pmu-emul.c kvm_vcpu_read_pmcr() (mainline, ~v6.18)',
  date: '2025-11-30',
  kernel: MAINLINE_KERNEL,
  evaluate: evaluateMainline,
  variants: [LINUX_61],
};
