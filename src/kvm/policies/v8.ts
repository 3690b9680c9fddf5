// SPDX-License-Identifier: MIT
/**
 * The partitioned PMU series, v8 (Colton Lewis, 2026-06-12, cover Message-ID
 * 20260612192909.1153907-1-coltonlewis@google.com; the patches are numbered "[PATCH NN/21]"
 * without the v8 tag). v8 drops kvm_pmu_hpmn() and kvm_vcpu_pmu_use_fgt() and open-codes both in
 * kvm_arm_setup_mdcr_el2() ("Clean up MDCR_EL2 handling by open-coding use_fgt and hpmn and
 * unconditionally setting RES0 bits"):
 *
 * - 10/21 "KVM: arm64: Set up MDCR_EL2 to handle a Partitioned PMU" (Message-ID
 *   20260612192909.1153907-11-coltonlewis@google.com): HPMN = this CPU's nr_event_counters and
 *   TPM | TPMS | TTRF | TPMCR | TDRA | TDOSA | HPME always; when kvm_pmu_is_partitioned(kvm), HPMD |
 *   HCCD without a feature check, and only if the vCPU is on a supported CPU, FEAT_FGT is there and
 *   FEAT_HPMN0 or nr_pmu_counters > 0: TPM, TPMCR and HPMN cleared and HPMN = nr_pmu_counters.
 *   Without FEAT_FGT a partitioned vCPU keeps HPMN = N with every PMU access trapped.
 * - 15/21 "KVM: arm64: Implement lazy PMU context swaps" (…-16-coltonlewis@google.com) adds
 *   `kvm_pmu_get_access(vcpu) == VCPU_PMU_ACCESS_GUEST_OWNED` to that condition, so until the
 *   guest's first PMU access the vCPU runs with HPMN = N and TPM set.
 * - 08/21 "KVM: arm64: Set up FGT for Partitioned PMU" (…-9-coltonlewis@google.com): the PMU FGT
 *   bits, the same code as v7 07/20, for every vCPU.
 *
 * The model reads the GUEST_OWNED term from `useFgt`, the input that carries it: useFgt = the vCPU
 * is partitioned, owns the PMU, FEAT_FGT, and nr_pmu_counters != 0 or FEAT_HPMN0; v8 tests
 * FEAT_FGT and FEAT_HPMN0 / nr > 0 again itself, and adds !vcpu_on_unsupported_cpu().
 *
 * The guest's PMCR_EL0.N is nr_pmu_counters both ways: kvm_vcpu_read_pmcr() (mainline) and
 * kvm_pmu_direct_pmcr_read() (09/21: the hardware PMCR_EL0 with N replaced by nr_pmu_counters).
 *
 * @module
 */

import { u8 } from '../c_int.js';
import { DYNAMIC_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import {
  fieldPrep,
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
import { kvmArmSetupMdcrEl2Tail, kvmVcpuReadPmcrN } from './mainline.js';
import { kvmVcpuLoadFgt } from './v7.js';

/**
 * Whether v8's kvm_arm_setup_mdcr_el2() hands HPMN to the guest: the PMU context is GUEST_OWNED
 * (15/21), the vCPU is not on an unsupported CPU, FEAT_FGT, and FEAT_HPMN0 or nr_pmu_counters > 0
 * (10/21).
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() (v8 10/21, 15/21)
 */
export function v8HandsHpmnToGuest(inputs: PolicyInputs): boolean {
  const nrGuestCntr = u8(inputs.nrPmuCounters);
  return inputs.useFgt && !inputs.onUnsupportedCpu && inputs.hasFgt && (inputs.hasHpmn0 || nrGuestCntr > 0);
}

/**
 * `kvm_arm_setup_mdcr_el2(vcpu)` as v8 open-codes it (10/21, with 15/21's GUEST_OWNED term). Also
 * the value of HPMN it programs.
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2() (v8 10/21, 15/21)
 */
export function kvmArmSetupMdcrEl2(inputs: PolicyInputs): {
  readonly mdcrEl2: MdcrEl2;
  readonly hpmn: number;
} {
  // v8 10/21: the base value, HPMN = this CPU's counters, HPME always.
  let hpmn = u8(inputs.hostCounters);
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
    // v8 10/21: HPMD | HCCD without a feature check (Oliver Upton on v7 09/20: "Neither of these
    // controls are of any consequence on unsupported hardware (RES0). Set them unconditionally?").
    mdcr |= MDCR_EL2_HPMD | MDCR_EL2_HCCD;
    if (v8HandsHpmnToGuest(inputs)) {
      // v8 10/21: "Take out the coarse grain traps if we are using fine grain traps and enforce
      // counter access with HPMN."
      hpmn = u8(inputs.nrPmuCounters);
      mdcr &= ~(MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_HPMN);
      mdcr |= fieldPrep(MDCR_EL2_HPMN, hpmn);
    }
  }
  return { mdcrEl2: kvmArmSetupMdcrEl2Tail(mdcr, inputs), hpmn };
}

/** Evaluates v8's kernel functions. */
export function evaluateV8(inputs: PolicyInputs): PolicyResult {
  const { mdcrEl2, hpmn } = kvmArmSetupMdcrEl2(inputs);
  return completeResult(
    inputs,
    // v8 08/21 computes the FGT bits as v7 07/20 does.
    {
      guestPmcrN: kvmVcpuReadPmcrN(inputs),
      hpmn,
      mdcrEl2: mdcrEl2Value(mdcrEl2),
      fgt: kvmVcpuLoadFgt(inputs),
    },
    { hpmnFunction: 'kvm_arm_setup_mdcr_el2()', partitions: true },
  );
}

export const V8: Policy = {
  name: 'v8',
  summary:
    'partitioned PMU v8: HPMN = nr only with FGT, once the guest owns the PMU, on a supported CPU, with HPMN0 or nr > 0; HPMD|HCCD whenever partitioned',
  source:
    '[PATCH 10/21] and 15/21 arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2(); 18/21 arch/arm64/kvm/pmu.c KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION; 09/21 sys_regs.c pmu_reg_read()/pmu_reg_write(); Message-ID 20260612192909.1153907-11-coltonlewis@google.com',
  date: '2026-06-12',
  // v7's code base (dynamic reservation, 14/21); counters allocated from the highest (05/21 "perf:
  // arm_pmuv3: Allocate counter indices from high to low", title only); ENABLE_PARTITION as a u32
  // with -EBUSY after the first run and the silent clamp (18/21); trapped accesses of a vCPU that
  // owns the PMU go to the hardware (09/21).
  kernel: {
    ...DYNAMIC_KERNEL,
    guestCounterMask: 'cycle-and-first-guarded', // 11/21 kvm_pmu_guest_counter_mask(): `if (pmu->max_guest_counters > 0)`
    counterSwap: 'direct', // 11/21 kvm_pmu_load(): write_pmccntr(), write_pmevcntrn()
    counterAllocation: 'highest',
    attr5: 'enable-partition-v8',
    directTrappedAccess: true,
  },
  evaluate: evaluateV8,
};
