// SPDX-License-Identifier: MIT
/**
 * KVM policies: how a version of Linux KVM arm64 chooses the guest's PMCR_EL0.N, MDCR_EL2 (with
 * the HPMN counter partition) and the PMU fine-grained traps for a vCPU. The shared shapes, and
 * the registry of the policies in ./policies/.
 *
 * A policy is evaluated on exactly the values the kernel functions read (the "KVM policy request"
 * of the batch protocol, docs/protocol.md), as the C code would evaluate them, even where the VM
 * API would have rejected the configuration earlier. Inputs that contradict each other in a real
 * kernel (`partitioned` with `hpmnMax` = -1, say) are evaluated as given.
 *
 * @module
 */

import { didYouMean, InputError } from '../arch/errors.js';
import type { PmuVersion } from '../arch/features.js';
import type { KernelTraits } from './kernel.js';
import { RMM } from './monitors/rmm.js';
import { FIXED_COUNTERS } from './policies/fixed_counters.js';
import { MAINLINE } from './policies/mainline.js';
import { PKVM } from './policies/pkvm.js';
import { REVIEW } from './policies/review.js';
import { V5 } from './policies/v5.js';
import { V6 } from './policies/v6.js';
import { V7 } from './policies/v7.js';
import { V8 } from './policies/v8.js';
import type { ScenarioOptions, ScenarioReport } from './scenario.js';

/** The values the kernel functions of a policy read. */
export interface PolicyInputs {
  /** `kvm->arch.nr_pmu_counters`: the guest event counters the VMM asked for, 0..31. */
  readonly nrPmuCounters: number;
  /** Whether `kvm->arch.arm_pmu` is set (SET_PMU or the default PMU at vCPU init). */
  readonly armPmu: boolean;
  /**
   * `arm_pmu->hpmn_max` when `armPmu`, else the global `armv8pmu_hpmn_max` (v5 07/24): the host
   * driver's partition pivot, N - reserved_host_counters, or -1 for "not partitioned"; -1..31.
   */
  readonly hpmnMax: number;
  /** `*host_data_ptr(nr_event_counters)`: this CPU's PMCR_EL0.N as read at EL2, 0..31. */
  readonly hostCounters: number;
  /** `kvm_vcpu_pmu_is_partitioned(vcpu)`. */
  readonly partitioned: boolean;
  /**
   * `kvm_vcpu_pmu_use_fgt(vcpu)`: in v5 true when partitioned, the PMU access is PHYSICAL,
   * FEAT_FGT is present, and nr_pmu_counters != 0 or FEAT_HPMN0 (arch/arm64/kvm/pmu-direct.c).
   */
  readonly useFgt: boolean;
  /** `cpus_have_final_cap(ARM64_HAS_HPMN0)`: FEAT_HPMN0, MDCR_EL2.HPMN = 0 allowed. */
  readonly hasHpmn0: boolean;
  /** `read_pmuver()`: this CPU's ID_AA64DFR0_EL1.PMUVer (HPMD needs PMUv3p1, HCCD PMUv3p5). */
  readonly pmuVer: PmuVersion;
  /** `vcpu_on_unsupported_cpu(vcpu)`: the vCPU is loaded on a CPU outside the VM's supported_cpus. */
  readonly onUnsupportedCpu: boolean;
  /** `vcpu->guest_debug != 0`: userspace debugs the guest (MDCR_EL2.TDE). */
  readonly guestDebug: boolean;
  /**
   * `cpus_have_final_cap(ARM64_HAS_FGT)`: FEAT_FGT, so KVM loads HDFGRTR_EL2/HDFGWTR_EL2
   * (`kvm_vcpu_load_fgt()` returns early without it). Optional in a request; default true.
   */
  readonly hasFgt: boolean;
  /** FEAT_FGT2, so KVM loads HDFGRTR2_EL2/HDFGWTR2_EL2. Optional in a request; default false. */
  readonly hasFgt2: boolean;
  /**
   * `kvm_guest_owns_debug_regs(vcpu)`: the guest owns the debug registers, so the mainline tail of
   * kvm_arm_setup_mdcr_el2() leaves MDCR_EL2.TDA clear. Optional in a request; default false.
   */
  readonly guestOwnsDebug: boolean;
  /**
   * `kvm_vcpu_has_pmu(vcpu)`: the vCPU has the KVM_ARM_VCPU_PMU_V3 feature, so its ID_AA64DFR0_EL1
   * shows a PMUVer (pKVM's pvm_init_traps_mdcr() tests `kvm_has_feat(kvm, ID_AA64DFR0_EL1, PMUVer,
   * IMP)`). Optional in a request; default true.
   */
  readonly guestHasPmu: boolean;
}

/** The inputs a request may leave out, with their values when it does. */
export const INPUT_DEFAULTS = {
  hasFgt: true,
  hasFgt2: false,
  guestOwnsDebug: false,
  guestHasPmu: true,
} as const satisfies Partial<PolicyInputs>;

/**
 * What a policy computes for one vCPU.
 *
 * The four FGT values are the PMU-related bits of those registers as KVM leaves them for the
 * vCPU. A bit that is 0 here is 0 in the register: for a positive-polarity field (PMOVS,
 * PMEVTYPERn_EL0, ...) that means "not trapped by FGT"; for a negative-polarity field
 * (nPMICNTR_EL0, nPMICFILTR_EL0, nPMUACR_EL1, nPMZR_EL0) it means "trapped". The starting point
 * is KVM's value for a guest with a PMU: positive-polarity PMU bits 0, and negative-polarity PMU
 * bits 0 as well, because KVM hides FEAT_PMUv3_ICNTR and PMUv3p9 from guests and
 * `__compute_fgt()` (arch/arm64/kvm/config.c) clears the bits of features the VM lacks. Bits
 * that are not PMU-related are 0 and not modelled, unless the policy itself sets them. A register
 * the CPU does not implement (no FEAT_FGT, no FEAT_FGT2) is 0, is not written by KVM, and traps
 * nothing.
 */
export interface PolicyResult {
  /** The N that KVM reports in the guest's PMCR_EL0 (`kvm_vcpu_read_pmcr()`), as a u8. */
  readonly guestPmcrN: number;
  /**
   * The value the policy's HPMN function returns (`kvm_pmu_hpmn()`, `kvm_mdcr_hpmn()`; mainline:
   * the host's nr_event_counters), before FIELD_PREP keeps its low 5 bits in MDCR_EL2.HPMN.
   */
  readonly hpmn: number;
  /** `vcpu->arch.mdcr_el2` as `kvm_arm_setup_mdcr_el2()` leaves it. */
  readonly mdcrEl2: bigint;
  readonly hdfgrtr: bigint;
  readonly hdfgwtr: bigint;
  readonly hdfgrtr2: bigint;
  readonly hdfgwtr2: bigint;
  /**
   * The PMU registers whose EL1/EL0 accesses trap to EL2 under these MDCR_EL2 and FGT values, in
   * catalogue order; `NAME (reads)` or `NAME (writes)` when only one direction traps.
   */
  readonly trapped: readonly string[];
  /** Architectural problems of the configuration, each with a stable code and one line citing the Arm ARM. */
  readonly findings: readonly Finding[];
  /** The findings' messages, in order. */
  readonly notes: readonly string[];
  /** The kernel function whose value `hpmn` is (`kvm_pmu_hpmn()`), for messages. */
  readonly hpmnFunction: string;
}

/** One finding: a stable code (`hpmn-reserved`) for scripts, and a line for people. */
export interface Finding {
  readonly code: string;
  readonly message: string;
}

/** One KVM policy. */
export interface Policy {
  /** The name a request uses: `mainline`, `v5`, `review`, `v6`, `v7`, ... */
  readonly name: string;
  /** One line: what the policy is. */
  readonly summary: string;
  /** Where the modelled code lives: kernel files and functions, and the patch. */
  readonly source: string;
  /** When the modelled code was posted or read (YYYY-MM-DD), as `pmup policies` lists it. */
  readonly date: string;
  /** The kernel the policy stands for, as the VM API, load/put and trap handling read it. */
  readonly kernel: KernelTraits;
  /** Evaluates the policy's kernel functions on `inputs`. */
  evaluate(inputs: PolicyInputs): PolicyResult;
  /**
   * The same policy with an option switched on, each named `NAME:OPTION` (`pkvm:flush-hyp-vcpu`);
   * lookupPolicy() finds them, `--policy all` runs the base policy only.
   */
  readonly variants?: readonly Policy[];
  /**
   * For a monitor that is not KVM (TF-RMM): the scenario `pmup kvm` runs instead of the KVM one,
   * with the monitor's own calls and status codes.
   */
  readonly scenario?: (o: ScenarioOptions) => ScenarioReport;
}

/** Every policy, oldest design first. */
export const POLICIES: readonly Policy[] = [MAINLINE, V5, REVIEW, V6, V7, V8, PKVM, RMM, FIXED_COUNTERS];

/** The names of the policies, in registry order. */
export function policyNames(): string[] {
  return POLICIES.map((p) => p.name);
}

/** The policy named `name`, ignoring case (`V5` is `v5`); throws InputError naming the closest policies. */
export function lookupPolicy(name: string): Policy {
  const want = name.trim().toLowerCase();
  const p = POLICIES.flatMap((x) => [x, ...(x.variants ?? [])]).find((x) => x.name === want);
  if (p !== undefined) return p;
  const hint = didYouMean(name, policyNames());
  throw new InputError(
    `Unknown policy ${JSON.stringify(name)}${hint === '' ? ` (policies: ${policyNames().join(', ')})` : hint}`,
  );
}
