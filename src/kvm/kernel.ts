// SPDX-License-Identifier: MIT
/**
 * What the KVM model needs to know about the kernel a policy stands for, besides the values its
 * MDCR_EL2 functions compute: which code base the VM API, load/put and trap handling follow, and
 * the few switches the later revisions add. Each policy file carries its traits, so the model
 * never branches on a policy's name and adding a policy is one file plus one registry line.
 *
 * @module
 */

/**
 * The code base a kernel follows where the model needs it: `mainline` (no partitioning), `v5`
 * (v5 and the reviewer's variant of it: VM capability, fast-path handler, v5 kvm_pmu_load()), `v6`
 * (v6 and later: vCPU attribute, max_guest_counters, PMOVS cleared at load, PMUSERENR not
 * swapped).
 */
export type KernelFamily = 'mainline' | 'v5' | 'v6';

/**
 * What attribute 5 of group KVM_ARM_VCPU_PMU_V3_CTRL means to the kernel:
 * - `none`: nothing (-ENXIO);
 * - `enable-partition`: KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION as v6 16/19 and v7 17/20 define it
 *   (a bool at `addr`; -EFAULT, -EPERM);
 * - `enable-partition-v8`: the same attribute as v8 18/21 defines it (a u32 read with
 *   get_user(); -EFAULT, -EPERM, -EBUSY once the VM has run, and an earlier larger
 *   nr_pmu_counters silently clamped to kvm_arm_pmu_get_max_counters());
 * - `fixed-counters-only`: KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY of Akihiko Odaki's series (no
 *   payload; nr_pmu_counters := 0, supported_cpus := every PMU's CPUs).
 */
export type Attr5Meaning = 'none' | 'enable-partition' | 'enable-partition-v8' | 'fixed-counters-only';

/**
 * The code base of the emulated vPMU (arch/arm64/kvm/pmu-emul.c, sys_regs.c) and its VM API:
 * - `mainline`: the current one (~v6.18), where the guest's PMCR_EL0.N is the VM's nr_pmu_counters
 *   (`kvm->arch.nr_pmu_counters`; the kvmarm branch kvm-arm64/pmu_pmcr_n, merged for v6.7: "KVM:
 *   arm64: PMU: Allow userspace to limit PMCR_EL0.N for the guest"), userspace sets it with
 *   SET_NR_COUNTERS or through set_pmcr(), the default PMU is chosen at KVM_ARM_VCPU_INIT (same
 *   branch: "Set the default PMU for the guest before vCPU reset"), and guests see up to PMUv3p5
 *   (v6.2, kvm-arm64/pmu-unchained: "Allow PMUv3p5 to be exposed to the guest");
 * - `linux-6.1`: v6.1 (Debian 12's kernel), before all of that: N is a field of the vCPU's own
 *   PMCR_EL0, reset from the host's PMCR_EL0 (reset_pmcr()) and written verbatim by
 *   KVM_SET_ONE_REG (no set_user); no SET_NR_COUNTERS; the default PMU is probed at the first
 *   KVM_SET_DEVICE_ATTR (kvm_pmu_probe_armpmu()); the PMU registers reset to reset_unknown()'s
 *   pattern; PMUVer capped at PMUv3p4 (read_id_reg(), ID_AA64DFR0_PMUVER_8_4).
 */
export type VpmuCode = 'mainline' | 'linux-6.1';

/** The kernel a policy stands for, as the KVM model reads it. */
export interface KernelTraits {
  readonly family: KernelFamily;
  /**
   * The host gives up the guest's counters only while a partitioned vCPU is loaded
   * (kvm_pmu_set_guest_counters(), v7 13/20, v8 14/21) rather than for good at boot; with it come
   * v7's guest counter mask (cycle counter and 0..max_guest_counters-1, 10/20), PMCCNTR only while
   * cntr_mask holds it (05/20) and the v7 interrupt handler (15/20).
   */
  readonly dynamicReservation: boolean;
  /**
   * kvm_pmu_guest_counter_mask():
   * - `not-host`: `ARMV8_PMU_CNT_MASK_ALL & ~host_mask` (v5 09/24), counters N..30 and the
   *   instruction counter included;
   * - `cycle-and-first`: when partitioned, `ARMV8_PMU_CNT_MASK_C | GENMASK(max_guest_counters - 1,
   *   0)`, else 0: v6 as its author corrected it on the list (Message-ID
   *   gsntseaoogk7.fsf@coltonlewis-kvm.c.googlers.com, a reply to [PATCH v6 06/19]: the patch as
   *   posted has `&`, always 0) and v7 10/20; with max_guest_counters = 0 the GENMASK is
   *   GENMASK(-1, 0), all ones (masks.ts genmask());
   * - `cycle-and-first-guarded`: the GENMASK only when max_guest_counters > 0 (v8 11/21).
   */
  readonly guestCounterMask: 'not-host' | 'cycle-and-first' | 'cycle-and-first-guarded';
  /**
   * How kvm_pmu_load() and kvm_pmu_put() reach the guest's counters:
   * - `hpmn-max`: PMEVCNTR<i>_EL0 for i < hpmn_max, and PMCCNTR_EL0 (v5 17/24);
   * - `pmselr`: each bit i of the guest counter mask through `write_sysreg(i, pmselr_el0)` and
   *   PMXEVCNTR_EL0, the cycle counter's bit 31 included ([PATCH v6 11/19], Message-ID
   *   20260209221414.2169465-12-coltonlewis@google.com; PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31 is
   *   CONSTRAINED UNPREDICTABLE, D24.5.22 PMSELR_EL0.SEL, and James Clark saw it UNDEFINED on a
   *   Radxa O6, in review of v6); kvm_pmu_put() then saves PMSELR_EL0 as the loop left it;
   * - `pmselr-but-cycle`: kvm_pmu_load() so, but PMCCNTR_EL0 for bit 31 ([PATCH v7 10/20] as
   *   quoted in its review, Message-ID gsnto6ihbyx2.fsf@coltonlewis-kvm.c.googlers.com; v7's
   *   kvm_pmu_put() was not read and is taken to read the counters directly);
   * - `direct`: each bit through PMEVCNTR<i>_EL0, PMCCNTR_EL0 for bit 31 (v8 11/21
   *   write_pmevcntrn(), write_pmccntr()).
   * The model makes each PMSELR_EL0 write visible to the PMXEVCNTR_EL0 access after it, as an
   * ISB between them would; the kernel has none (Oliver Upton on v7 10/20: "you would need an
   * intervening ISB"), so the access may also use the previous selection: not modelled. Bit 32
   * (the instruction counter, in the mask only as GENMASK(-1, 0)) is not walked.
   */
  readonly counterSwap: 'hpmn-max' | 'pmselr' | 'pmselr-but-cycle' | 'direct';
  /**
   * Which free general counter armv8pmu_get_event_idx() picks: the lowest (mainline), or the
   * highest (v8 05/21 "perf: arm_pmuv3: Allocate counter indices from high to low").
   */
  readonly counterAllocation: 'lowest' | 'highest';
  /** KVM_ARM_VCPU_PMU_V3_CTRL attribute 5. */
  readonly attr5: Attr5Meaning;
  /** Whether the kernel can run with VHE (pKVM runs the host nVHE). */
  readonly vhe: boolean;
  /** Whether the scenario's VMM gives the vCPU a PMU (KVM_ARM_VCPU_PMU_V3). */
  readonly guestPmu: boolean;
  /**
   * Trapped PMU accesses of a vCPU that owns the PMU go to the hardware (v8 09/21 pmu_reg_read()
   * / pmu_reg_write(): PMCR_EL0 through kvm_pmu_direct_pmcr_write()/_read(), PMSELR_EL0, the
   * counters, PMCNTEN, PMINTEN, PMUSERENR_EL0), rather than to the virtual registers.
   */
  readonly directTrappedAccess: boolean;
  /** The code base of the emulated vPMU and of its VM API (see VpmuCode). */
  readonly vpmu: VpmuCode;
  /**
   * v6's trapped-access path for a partitioned vCPU ([PATCH v6 09/19] "KVM: arm64: Write fast
   * path PMU register handlers", [PATCH v6 13/19] "KVM: arm64: Implement lazy PMU context
   * swaps", [PATCH v6 08/19] "KVM: arm64: Define access helpers for PMUSERENR and PMSELR"):
   * kvm_hyp_handle_pmu_regs() in kvm_hyp_handle_sysreg_vhe() handles the access on the hardware
   * when the hardware PMUSERENR_EL0.EN is set, after kvm_pmu_set_physical_access() (FREE to
   * GUEST_OWNED and kvm_arm_setup_mdcr_el2(), no kvm_pmu_load()); otherwise mainline's sys_regs.c
   * handlers, reading PMUSERENR_EL0 and PMSELR_EL0 from the hardware, with no switch of the PMU
   * context. __activate_traps_common() stays mainline's (PMSELR_EL0 = 0, PMUSERENR_EL0 =
   * EN|SW|CR|ER at vcpu_load; v6 does not touch hyp/include/hyp/switch.h).
   */
  readonly vheFastPath: boolean;
}

/** Mainline KVM arm64: no partitioning. */
export const MAINLINE_KERNEL: KernelTraits = {
  family: 'mainline',
  dynamicReservation: false,
  guestCounterMask: 'not-host',
  counterSwap: 'hpmn-max',
  counterAllocation: 'lowest',
  attr5: 'none',
  vhe: true,
  guestPmu: true,
  directTrappedAccess: false,
  vpmu: 'mainline',
  vheFastPath: false,
};

/** Linux 6.1 (Debian 12's linux-image-6.1.0-NN-arm64): mainline's MDCR_EL2, the older vPMU. */
export const LINUX_61_KERNEL: KernelTraits = { ...MAINLINE_KERNEL, vpmu: 'linux-6.1' };

/** v5 and the reviewer's variant: VM capability, counters taken from the host at boot. */
export const V5_KERNEL: KernelTraits = { ...MAINLINE_KERNEL, family: 'v5' };

/** v6: the vCPU attribute ENABLE_PARTITION, counters taken from the host at boot. */
export const V6_KERNEL: KernelTraits = {
  ...MAINLINE_KERNEL,
  family: 'v6',
  attr5: 'enable-partition',
  vheFastPath: true,
  guestCounterMask: 'cycle-and-first',
  counterSwap: 'pmselr',
};

/**
 * v7: v6's code base with the dynamic host reservation. v7 replaced v6's fast path by sys_regs.c
 * trap handlers ([PATCH v7 08/20] "KVM: arm64: Add Partitioned PMU register trap handlers", not
 * read); the model keeps for v7 its earlier assumption (the emulation, then
 * kvm_pmu_set_physical_access() with a load).
 */
export const DYNAMIC_KERNEL: KernelTraits = {
  ...V6_KERNEL,
  dynamicReservation: true,
  vheFastPath: false,
  counterSwap: 'pmselr-but-cycle',
};
