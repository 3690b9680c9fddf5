// SPDX-License-Identifier: MIT
/**
 * What KVM derives from the world for one vCPU on one physical CPU: the partition predicates,
 * the PolicyInputs a policy's kernel functions read, the guest's PMCR_EL0 (kvm_vcpu_read_pmcr()),
 * the implemented and guest counter masks, the number of counters a VM may have, and the event
 * filter. Pure functions of the world.
 *
 * @module
 */

import { PMUVER_ENCODING, type PmuVersion } from '../arch/features.js';
import { bits, CYCLE_COUNTER_ID, get, put } from '../arch/pmu/state.js';
import type { ArmPmu } from './host.js';
import { kvmPmuPartitionSupported } from './host.js';
import {
  ARMV8_PMU_CNT_MASK_C,
  genmask,
  kvmPmuGuestCounterMask,
  kvmPmuHostCounterMask,
  kvmPmuIsPartitioned,
  type PartitionInputs,
} from './masks.js';
import type { PolicyInputs, PolicyResult } from './policy.js';
import {
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  type PmuFilter,
  type VcpuRef,
  type Vm,
  type World,
} from './world.js';

const PMCR_N = bits('PMCR_EL0', 'N');

/** `ARMV8_PMU_PMCR_MASK`: the writable low byte of PMCR_EL0 (E, P, C, D, X, DP, LC, LP). */
export const ARMV8_PMU_PMCR_MASK = 0xffn;
export const ARMV8_PMU_PMCR_E = 1n << 0n;
export const ARMV8_PMU_PMCR_P = 1n << 1n;
export const ARMV8_PMU_PMCR_C = 1n << 2n;
export const ARMV8_PMU_PMCR_LC = 1n << 6n;
export const ARMV8_PMU_PMCR_LP = 1n << 7n;
/** `ARMV8_PMU_EVTYPE_MASK` in v6.1: P, U, NSH and the 16-bit event number (arch/arm64/include/asm/perf_event.h). */
export const ARMV8_PMU_EVTYPE_MASK_61 = 0xc800ffffn;
/** `ARMV8_PMU_USERENR_MASK`: EN | SW | CR | ER. */
export const ARMV8_PMU_USERENR_MASK = 0xfn;
export const ARMV8_PMU_USERENR_EN = 1n << 0n;
export const ARMV8_PMU_USERENR_SW = 1n << 1n;
export const ARMV8_PMU_USERENR_CR = 1n << 2n;
export const ARMV8_PMU_USERENR_ER = 1n << 3n;
/** `ARMV8_PMU_EXCLUDE_EL1` (PMEVTYPER<n>_EL0.P), `ARMV8_PMU_EXCLUDE_EL0` (U), `ARMV8_PMU_INCLUDE_EL2` (NSH). */
export const ARMV8_PMU_EXCLUDE_EL1 = 1n << 31n;
export const ARMV8_PMU_EXCLUDE_EL0 = 1n << 30n;
export const ARMV8_PMU_INCLUDE_EL2 = 1n << 27n;
/** `ARMV8_PMUV3_PERFCTR_*` events KVM names. */
export const PERFCTR_SW_INCR = 0x00;
export const PERFCTR_CPU_CYCLES = 0x11;
export const PERFCTR_CHAIN = 0x1e;
/** `VGIC_NR_SGIS`: an irq_num below it means "no PMU interrupt set". */
export const VGIC_NR_SGIS = 16;
/** The SPIs of the model's vGIC: INTIDs 32..32+VGIC_NR_SPIS-1 (vgic_valid_spi()). */
export const VGIC_NR_SPIS = 256;

const BIT_CYCLE = 1n << BigInt(CYCLE_COUNTER_ID);

/** The VM's PMU (`kvm->arch.arm_pmu`), or undefined. */
export function vmArmPmu(world: World, vm: Vm): ArmPmu | undefined {
  return vm.armPmu === undefined ? undefined : world.host.pmus[vm.armPmu];
}

/**
 * `kvm_pmu_is_partitioned(kvm->arch.arm_pmu)` evaluated on CPU `cpu` (its nr_event_counters).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_is_partitioned() (v5 09/24)
 */
export function vmPmuIsPartitioned(world: World, vm: Vm, cpu: number): boolean {
  if (kernelFamily(world) === 'mainline') return false;
  const pmu = vmArmPmu(world, vm);
  return kvmPmuIsPartitioned({
    armPmu: pmu !== undefined,
    hpmnMax: pmu?.hpmnMax ?? -1,
    hostCounters: getHostCpu(world, cpu).nrEventCounters,
  });
}

/**
 * `kvm_vcpu_pmu_is_partitioned(vcpu)` on CPU `cpu`: the VM's PMU is partitioned and the VM
 * enabled partitioning (KVM_ARCH_FLAG_PARTITION_PMU_ENABLED). Always false in mainline.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_vcpu_pmu_is_partitioned() (v5 22/24)
 */
export function kvmVcpuPmuIsPartitioned(world: World, ref: VcpuRef, cpu: number): boolean {
  const vm = getVm(world, ref.vm);
  return vm.partitionPmuEnabled && vmPmuIsPartitioned(world, vm, cpu);
}

/**
 * `kvm_vcpu_pmu_use_fgt(vcpu)` on CPU `cpu`: partitioned, the PMU access is PHYSICAL, the CPU has
 * FEAT_FGT, and nr_pmu_counters != 0 or FEAT_HPMN0. (FEAT_FGT and FEAT_HPMN0 are read from this
 * CPU, where the kernel reads the system-wide capabilities.)
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_vcpu_pmu_use_fgt() (v5 10/24, 19/24)
 */
export function kvmVcpuPmuUseFgt(world: World, ref: VcpuRef, cpu: number): boolean {
  const vm = getVm(world, ref.vm);
  const features = getHostCpu(world, cpu).pe.config.features;
  return (
    kvmVcpuPmuIsPartitioned(world, ref, cpu) &&
    getVcpu(world, ref).pmu.access === 'PHYSICAL' &&
    features.has('FEAT_FGT') &&
    (vm.nrPmuCounters !== 0 || features.has('FEAT_HPMN0'))
  );
}

/**
 * `kvm_pmu_partition_ready()` (v5) / `has_kvm_pmu_partition_support()` (v6): partitioning is
 * supported (VHE), the guest can have a PMUv3, and the driver partitioned a PMU
 * (armv8pmu_hpmn_max > -1).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_partition_ready() (v5 22/24)
 */
export function kvmPmuPartitionReady(world: World): boolean {
  return (
    kernelFamily(world) !== 'mainline' &&
    kvmPmuPartitionSupported(world.host) &&
    kvmSupportsGuestPmuv3(world) &&
    world.host.armv8pmuHpmnMax > -1
  );
}

/**
 * `kvm_supports_guest_pmuv3()`: a PMU is registered with KVM (kvm_host_pmu_init() registers
 * every PMUv3 PMU).
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_supports_guest_pmuv3()
 */
export function kvmSupportsGuestPmuv3(world: World): boolean {
  return world.host.pmus.length > 0;
}

/**
 * The PolicyInputs of vCPU `ref` on physical CPU `cpu`, read from the world as the kernel
 * functions read them: the VM's nr_pmu_counters and arm_pmu, hpmn_max (the VM's PMU's, else the
 * global), this CPU's nr_event_counters, PMUVer, FEAT_HPMN0, FEAT_FGT and FEAT_FGT2, the
 * partition predicates, and the vCPU's ON_UNSUPPORTED_CPU flag as currently set.
 */
export function kvmPolicyInputs(world: World, ref: VcpuRef, cpu: number): PolicyInputs {
  const vm = getVm(world, ref.vm);
  const vcpu = getVcpu(world, ref);
  const hc = getHostCpu(world, cpu);
  const features = hc.pe.config.features;
  const pmu = vmArmPmu(world, vm);
  return {
    // Linux 6.1 has no kvm->arch.nr_pmu_counters: the guest's N is the vCPU's PMCR_EL0.N
    // (kvm_pmu_valid_counter_mask(), pmu_counter_idx_valid(), v6.1 pmu-emul.c / sys_regs.c).
    nrPmuCounters:
      world.policy.kernel.vpmu === 'linux-6.1' ? Number(get(vcpu.regs.pmcr, PMCR_N)) : vm.nrPmuCounters,
    armPmu: pmu !== undefined,
    hpmnMax: pmu !== undefined ? pmu.hpmnMax : world.host.armv8pmuHpmnMax,
    hostCounters: hc.nrEventCounters,
    partitioned: kvmVcpuPmuIsPartitioned(world, ref, cpu),
    useFgt: kvmVcpuPmuUseFgt(world, ref, cpu),
    hasHpmn0: features.has('FEAT_HPMN0'),
    pmuVer: hc.pe.config.cpu.pmuVer,
    onUnsupportedCpu: vcpu.onUnsupportedCpu,
    guestDebug: vcpu.guestDebug,
    hasFgt: features.has('FEAT_FGT'),
    hasFgt2: features.has('FEAT_FGT2'),
    guestOwnsDebug: false,
    guestHasPmu: vcpu.pmuV3,
  };
}

/**
 * The CPU whose per-CPU data a vCPU ioctl reads: the vCPU's CPU when loaded, else the CPU it last
 * ran on, else CPU 0.
 */
export function ioctlCpu(world: World, ref: VcpuRef): number {
  const v = getVcpu(world, ref);
  if (v.cpu >= 0) return v.cpu;
  return Math.max(v.lastCpu, 0);
}

/** The world's policy evaluated for vCPU `ref` on CPU `cpu`. */
export function kvmPolicyResult(world: World, ref: VcpuRef, cpu: number): PolicyResult {
  return world.policy.evaluate(kvmPolicyInputs(world, ref, cpu));
}

/**
 * `kvm_vcpu_read_pmcr(vcpu)`: the virtual PMCR_EL0 with N replaced by the number of counters KVM
 * shows the guest (nr_pmu_counters; v5: kvm_pmu_guest_num_counters()), evaluated on CPU `cpu`
 * (default: ioctlCpu()).
 *
 * @see arch/arm64/kvm/pmu.c kvm_vcpu_read_pmcr() (v5 16/24)
 */
export function kvmVcpuReadPmcr(world: World, ref: VcpuRef, cpu = ioctlCpu(world, ref)): bigint {
  const n = kvmPolicyResult(world, ref, cpu).guestPmcrN;
  return put(getVcpu(world, ref).regs.pmcr, PMCR_N, BigInt(n));
}

/** The N of kvm_vcpu_read_pmcr(). */
export function kvmVcpuPmcrN(world: World, ref: VcpuRef, cpu = ioctlCpu(world, ref)): number {
  return kvmPolicyResult(world, ref, cpu).guestPmcrN;
}

/**
 * `kvm_pmu_implemented_counter_mask(vcpu)`: counters 0..N-1 of kvm_vcpu_read_pmcr() and the cycle
 * counter. Without nested virtualisation it is also `kvm_pmu_accessible_counter_mask(vcpu)`.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_pmu_implemented_counter_mask(), kvm_pmu_accessible_counter_mask()
 */
export function kvmPmuAccessibleCounterMask(world: World, ref: VcpuRef, cpu = ioctlCpu(world, ref)): bigint {
  const n = kvmVcpuPmcrN(world, ref, cpu);
  return (n === 0 ? 0n : (1n << BigInt(n)) - 1n) | BIT_CYCLE;
}

/**
 * v7 `kvm_pmu_guest_counter_mask(pmu)` (and v6's as corrected on the list): when partitioned, `ARMV8_PMU_CNT_MASK_C |
 * GENMASK(max_guest_counters - 1, 0)`: the cycle counter and counters 0..max_guest_counters-1. The
 * instruction counter is not in it (v7 gives it back to the host: "it was decided the guest will
 * not own it"), nor are the unimplemented counters N..30 that v5's `ALL & ~host_mask` holds. Not
 * partitioned: 0. With max_guest_counters = 0 it is GENMASK(-1, 0), all ones (see genmask()).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_counter_mask() (v7 10/20)
 */
export function kvmPmuGuestCounterMaskV7(p: PartitionInputs): bigint {
  if (!kvmPmuIsPartitioned(p)) return 0n;
  return ARMV8_PMU_CNT_MASK_C | genmask(p.hpmnMax - 1, 0);
}

/**
 * v8 `kvm_pmu_guest_counter_mask(pmu)`: v7's, but GENMASK_ULL(max_guest_counters - 1, 0) only
 * when max_guest_counters > 0, so with every counter reserved for the host the guest mask is the
 * cycle counter alone.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_counter_mask() (v8 11/21, Message-ID
 * 20260612192909.1153907-12-coltonlewis@google.com)
 */
export function kvmPmuGuestCounterMaskV8(p: PartitionInputs): bigint {
  if (!kvmPmuIsPartitioned(p)) return 0n;
  return p.hpmnMax > 0 ? ARMV8_PMU_CNT_MASK_C | genmask(p.hpmnMax - 1, 0) : ARMV8_PMU_CNT_MASK_C;
}

/** The guest counter mask of the world's kernel (KernelTraits.guestCounterMask). */
export function kernelGuestCounterMask(world: World, p: PartitionInputs): bigint {
  switch (world.policy.kernel.guestCounterMask) {
    case 'not-host':
      return kvmPmuGuestCounterMask(p);
    case 'cycle-and-first':
      return kvmPmuGuestCounterMaskV7(p);
    case 'cycle-and-first-guarded':
      return kvmPmuGuestCounterMaskV8(p);
  }
}

/**
 * `kvm_pmu_guest_counter_mask(kvm->arch.arm_pmu)` on CPU `cpu` (v7: kvmPmuGuestCounterMaskV7()).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_counter_mask() (v5 09/24; v7 10/20)
 */
export function vmGuestCounterMask(world: World, vm: Vm, cpu: number): bigint {
  const pmu = vmArmPmu(world, vm);
  return kernelGuestCounterMask(world, {
    armPmu: pmu !== undefined,
    hpmnMax: pmu?.hpmnMax ?? -1,
    hostCounters: getHostCpu(world, cpu).nrEventCounters,
  });
}

/**
 * The counters the host driver of CPU `cpu` keeps, `kvm_pmu_host_counter_mask(cpu_pmu)` for the
 * CPU's own PMU (all of them when it is not partitioned).
 */
export function cpuHostCounterMask(world: World, cpu: number): bigint {
  const hc = getHostCpu(world, cpu);
  const pmu = world.host.pmus[hc.pmu]!;
  if (kernelFamily(world) === 'mainline')
    return kvmPmuHostCounterMask({ armPmu: false, hpmnMax: -1, hostCounters: 0 });
  return kvmPmuHostCounterMask({ armPmu: true, hpmnMax: pmu.hpmnMax, hostCounters: hc.nrEventCounters });
}

/** popcount of `arm_pmu->cntr_mask` over the general counters 0..30. */
function generalCounters(pmu: ArmPmu): number {
  let n = 0;
  for (let i = 0; i <= 30; i++) if (((pmu.cntrMask >> BigInt(i)) & 1n) === 1n) n++;
  return n;
}

/**
 * `kvm_arm_pmu_get_max_counters(kvm)` evaluated on CPU `cpu`: the popcount of the PMU's
 * cntr_mask over counters 0..30 (mainline, v5). A partitioned PMU's cntr_mask holds only the
 * host's counters, so in v5 this is the number of counters reserved for the host: v2 10/23 and v3
 * 09/22 added hpmn_max back, but no v5 patch carries that change (an unverified reading). In v6
 * and v7 it is max_guest_counters (hpmn_max) when the PMU is partitioned: v6 10/19 moved the
 * check of nr_pmu_counters to the ioctl. `review` is v5 with kvm_mdcr_hpmn() in place of
 * kvm_pmu_hpmn(); the reviewer asked for the check at the ioctl but wrote no code for it, so its
 * VM API is v5's. v7 09/20 and v8 10/21 test `kvm_pmu_is_partitioned(arm_pmu)` /
 * `pmu_is_partitioned(arm_pmu)`, the PMU and this CPU only, not the VM's partition flag (Oliver
 * Upton on v7 09/20: "What about a VM with an emulated PMU?"). With FIXED_COUNTERS_ONLY, 0.
 *
 * @see arch/arm64/kvm/pmu.c kvm_arm_pmu_get_max_counters() (mainline; v6 10/19; v7 09/20; v8 10/21)
 */
export function kvmArmPmuGetMaxCounters(world: World, vm: Vm, cpu: number): number {
  // Odaki's FIXED_COUNTERS_ONLY (v5 pmu-emul.c): no programmable counters, tested first.
  if (vm.fixedCountersOnly) return 0;
  const pmu = vmArmPmu(world, vm);
  if (pmu === undefined) return 0;
  if (kernelFamily(world) === 'v6' && vmPmuIsPartitioned(world, vm, cpu)) return pmu.hpmnMax;
  return generalCounters(pmu);
}

/**
 * The highest PMU version KVM shows a guest: PMUv3p5 in mainline (kvm_arm_pmu_get_pmuver_limit();
 * since v6.2, Marc Zyngier's kvm-arm64/pmu-unchained: "KVM: arm64: PMU: Allow PMUv3p5 to be exposed
 * to the guest"), PMUv3p4 in v6.1
 * (read_id_reg(): "Limit guests to PMUv3 for ARMv8.4", ID_AA64DFR0_PMUVER_8_4).
 *
 * @see arch/arm64/kvm/sys_regs.c read_id_reg() (v6.1); arch/arm64/kvm/pmu-emul.c
 * kvm_arm_pmu_get_pmuver_limit() (mainline)
 */
export function kvmPmuVerLimit(world: World): PmuVersion {
  return world.policy.kernel.vpmu === 'linux-6.1' ? 'PMUv3p4' : 'PMUv3p5';
}

/**
 * The VM's PMU version as the guest sees it in ID_AA64DFR0_EL1.PMUVer: its PMU's (v6.1: the
 * sanitised host value; before the first attribute the VM has no PMU yet, so the first PMU's),
 * capped at kvmPmuVerLimit().
 */
export function vmPmuVer(world: World, vm: Vm): PmuVersion {
  const pmu = vmArmPmu(world, vm) ?? world.host.pmus[0]!;
  const limit = kvmPmuVerLimit(world);
  return PMUVER_ENCODING[pmu.pmuVer] > PMUVER_ENCODING[limit] ? limit : pmu.pmuVer;
}

/**
 * ID_AA64DFR0_EL1.PMUVer as the guest of vCPU `ref` reads it (an ID register access, trapped by
 * HCR_EL2.TID3 and answered by read_id_reg()): vmPmuVer() with KVM_ARM_VCPU_PMU_V3, else 0
 * (`cpuid_feature_cap_perfmon_field(val, ..., kvm_vcpu_has_pmu(vcpu) ? ... : 0)`).
 *
 * @see arch/arm64/kvm/sys_regs.c read_id_reg() (v6.1)
 */
export function kvmGuestPmuVerField(world: World, ref: VcpuRef): number {
  if (!getVcpu(world, ref).pmuV3) return 0;
  return PMUVER_ENCODING[vmPmuVer(world, getVm(world, ref.vm))];
}

/** Whether the VM's counters are 64-bit (FEAT_PMUv3p5: kvm_pmc_is_64bit() for event counters). */
export function vmHasPmuv3p5(world: World, vm: Vm): boolean {
  return PMUVER_ENCODING[vmPmuVer(world, vm)] >= PMUVER_ENCODING.PMUv3p5;
}

/**
 * `kvm_pmu_event_mask(kvm)`: 10 bits of event number for PMUv3, 16 from PMUv3p1
 * (__kvm_pmu_event_mask()).
 *
 * @see arch/arm64/kvm/pmu-emul.c __kvm_pmu_event_mask()
 */
export function kvmPmuEventMask(pmuVer: PmuVersion): bigint {
  return pmuVer === 'PMUv3' ? 0x3ffn : 0xffffn;
}

/** `kvm_pmu_evtyper_mask(kvm)`: EXCLUDE_EL1 | EXCLUDE_EL0 | the event mask (no EL2, no EL3 in a guest). */
export function kvmPmuEvtyperMask(world: World, vm: Vm): bigint {
  return ARMV8_PMU_EXCLUDE_EL1 | ARMV8_PMU_EXCLUDE_EL0 | kvmPmuEventMask(vmPmuVer(world, vm));
}

/**
 * Whether the VM's event filter lets event `event` count: no filter lets everything count;
 * otherwise the last call whose range holds the event decides, and the default is the opposite of
 * the first call's action.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_set_attr() KVM_ARM_VCPU_PMU_V3_FILTER
 */
export function pmuFilterAllows(filter: PmuFilter | undefined, event: number): boolean {
  if (filter === undefined) return true;
  if (event >= filter.nrEvents) return false;
  for (let i = filter.ranges.length - 1; i >= 0; i--) {
    const r = filter.ranges[i]!;
    if (event >= r.base && event < r.base + r.nevents) return r.action === 'allow';
  }
  return filter.ranges[0]?.action !== 'allow';
}
