// SPDX-License-Identifier: MIT
/**
 * The explicit, immutable state of the KVM model: one host (its CPUs with their PE state, its PMU
 * instances, the PMUv3 driver's partition), the kernel version (a KVM policy), and the VMs with
 * their vCPUs. Every step of the model (an ioctl, a vcpu_load, a guest access) takes a World and
 * returns a new one; nothing is mutated.
 *
 * The shapes follow the kernel structures they stand for: `Vm` is `struct kvm_arch`, `Vcpu` the
 * parts of `struct kvm_vcpu_arch` and `struct kvm_pmu` that the PMU code reads, `PmuShadow` the
 * vCPU's PMU system registers (`__vcpu_sys_reg()`).
 *
 * @module
 */

import { type CpuDef, lookupCpu } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import type { PeState } from '../arch/pmu/state.js';
import { bootHost, type Host, type HostCpu } from './host.js';
import type { KernelFamily } from './kernel.js';
import type { Policy } from './policy.js';
import type { FgtValues } from './traps.js';

/**
 * The PMU register residence of a vCPU (v5 19/24 `enum vcpu_pmu_register_access`; v6 renames
 * VIRTUAL to FREE and PHYSICAL to GUEST_OWNED): UNSET until the vPMU is initialised, VIRTUAL
 * while every PMU access traps to the virtual registers, PHYSICAL once the guest owns the
 * hardware counters of its partition.
 */
export type PmuAccess = 'UNSET' | 'VIRTUAL' | 'PHYSICAL';

/** The vCPU's PMU system registers, as KVM keeps them in memory (`__vcpu_sys_reg()`). */
export interface PmuShadow {
  /** PMCR_EL0; its N is not authoritative (kvm_vcpu_read_pmcr() replaces it). */
  readonly pmcr: bigint;
  readonly pmselr: bigint;
  readonly pmuserenr: bigint;
  /** The enable bitmap behind PMCNTENSET_EL0 / PMCNTENCLR_EL0. */
  readonly pmcntenset: bigint;
  /** The bitmap behind PMINTENSET_EL1 / PMINTENCLR_EL1. */
  readonly pmintenset: bigint;
  /** The bitmap behind PMOVSSET_EL0 / PMOVSCLR_EL0. */
  readonly pmovsset: bigint;
  /** PMEVCNTR0..30_EL0, and PMCCNTR_EL0 at index 31. */
  readonly cnt: readonly bigint[];
  /** PMEVTYPER0..30_EL0, and PMCCFILTR_EL0 at index 31. */
  readonly typer: readonly bigint[];
}

/** `struct kvm_pmu`, the parts the model reads. */
export interface VcpuPmu {
  /** `irq_num`; initialised when >= VGIC_NR_SGIS (16). */
  readonly irqNum: number;
  /** KVM_ARM_VCPU_PMU_V3_INIT done. */
  readonly created: boolean;
  /** The level last driven into the vGIC (kvm_pmu_update_state()). */
  readonly irqLevel: boolean;
  readonly access: PmuAccess;
}

/** One vCPU. */
export interface Vcpu {
  readonly id: number;
  /** KVM_ARM_VCPU_INIT done (kvm_vcpu_initialized()). */
  readonly initialized: boolean;
  /** The KVM_ARM_VCPU_PMU_V3 feature (kvm_vcpu_has_pmu()). */
  readonly pmuV3: boolean;
  readonly pmu: VcpuPmu;
  readonly regs: PmuShadow;
  /** `vcpu->arch.mdcr_el2` as kvm_arm_setup_mdcr_el2() last computed it. */
  readonly mdcrEl2: bigint;
  /** The PMU bits of the FGT registers as kvm_vcpu_load_fgt() last computed them. */
  readonly fgt: FgtValues;
  /** `vcpu->cpu`: the physical CPU it is loaded on, -1 when not loaded. */
  readonly cpu: number;
  /** The CPU it was last loaded on, -1 if never. */
  readonly lastCpu: number;
  /** `vcpu_on_unsupported_cpu()`: the ON_UNSUPPORTED_CPU flag. */
  readonly onUnsupportedCpu: boolean;
  /** `vcpu->guest_debug != 0`. */
  readonly guestDebug: boolean;
  /** `vcpu_has_run_once()`. */
  readonly hasRunOnce: boolean;
}

/**
 * The interrupt controller of a VM: an in-kernel vGIC (initialised or not yet), or none
 * (userspace irqchip, `irqchip_in_kernel()` false).
 */
export type Irqchip = 'vgic' | 'vgic-uninitialized' | 'userspace';

/** One KVM_ARM_VCPU_PMU_V3_FILTER call. */
export interface PmuFilterRange {
  readonly base: number;
  readonly nevents: number;
  readonly action: 'allow' | 'deny';
}

/**
 * `kvm->arch.pmu_filter`, kept as the calls that built it: the default is the opposite of the
 * first call's action, and each later call sets or clears its range.
 */
export interface PmuFilter {
  readonly nrEvents: number;
  readonly ranges: readonly PmuFilterRange[];
}

/** One VM (`struct kvm_arch`, the parts the model reads). */
export interface Vm {
  readonly id: number;
  readonly irqchip: Irqchip;
  /** `kvm->arch.arm_pmu`: an index into the host's PMUs, or undefined (NULL). */
  readonly armPmu: number | undefined;
  /** `kvm->arch.nr_pmu_counters`. */
  readonly nrPmuCounters: number;
  readonly pmuFilter: PmuFilter | undefined;
  /** `kvm->arch.supported_cpus`. */
  readonly supportedCpus: readonly number[];
  /** KVM_ARCH_FLAG_PARTITION_PMU_ENABLED (v5 22/24; v6 16/19; v8 18/21). */
  readonly partitionPmuEnabled: boolean;
  /**
   * KVM_ARCH_FLAG_PMU_V3_FIXED_COUNTERS_ONLY (Odaki's FIXED_COUNTERS_ONLY series): the vPMU has no
   * programmable event counters and runs on any host PMU.
   */
  readonly fixedCountersOnly: boolean;
  /** Userspace chose the PMU with KVM_ARM_VCPU_PMU_V3_SET_PMU (rather than the default at init). */
  readonly explicitPmu: boolean;
  /** KVM_ARCH_FLAG_HAS_RAN_ONCE. */
  readonly hasRanOnce: boolean;
  /** `kvm->created_vcpus`. */
  readonly createdVcpus: number;
  /** The VM-wide vCPU feature set fixed by the first KVM_ARM_VCPU_INIT. */
  readonly vcpuFeatures: { readonly pmuV3: boolean } | undefined;
  readonly vcpus: readonly Vcpu[];
}

/** Everything the model holds. */
export interface World {
  /** The kernel: which KVM policy it runs (its `kernel` traits decide the code paths). */
  readonly policy: Policy;
  readonly host: Host;
  readonly vms: readonly Vm[];
  /** The kernel log (dmesg), oldest first. */
  readonly log: readonly string[];
}

/** A vCPU by VM and vCPU index. */
export interface VcpuRef {
  readonly vm: number;
  readonly vcpu: number;
}

/** How a kernel version's code differs where the model needs it (see kernel.ts). */
export type { KernelFamily } from './kernel.js';

/** The code base the world's kernel follows: its policy's `kernel.family`. */
export function kernelFamily(world: World): KernelFamily {
  return world.policy.kernel.family;
}

/** What a host is built from. */
export interface WorldOptions {
  /** One CpuDef per physical CPU, in CPU number order (heterogeneous allowed). */
  readonly cpus: readonly CpuDef[];
  /** `arm_pmuv3.reserved_host_counters`: -1 (default) for no partition. */
  readonly reservedHostCounters?: number;
  /** Whether the kernel runs with VHE (default true; needs FEAT_VHE on every CPU). */
  readonly vhe?: boolean;
}

/** A booted host running `policy`'s kernel, and no VM. */
export function makeWorld(policy: Policy, options: WorldOptions): World {
  const { host, log } = bootHost(policy.kernel, options);
  return { policy, host, vms: [], log };
}

/** `count` CPUs of catalogue CPU `name`, for WorldOptions.cpus. */
export function cpusOf(name: string, count: number): CpuDef[] {
  const cpu = lookupCpu(name);
  return Array.from({ length: count }, () => cpu);
}

/** The VM `id`; throws InputError when there is none. */
export function getVm(world: World, id: number): Vm {
  const vm = world.vms[id];
  if (vm === undefined) throw new InputError(`No VM ${id} (the world has ${world.vms.length})`);
  return vm;
}

/** The vCPU `ref`; throws InputError when there is none. */
export function getVcpu(world: World, ref: VcpuRef): Vcpu {
  const vcpu = getVm(world, ref.vm).vcpus[ref.vcpu];
  if (vcpu === undefined) throw new InputError(`No vCPU ${ref.vcpu} in VM ${ref.vm}`);
  return vcpu;
}

/** The physical CPU `id`; throws InputError when there is none. */
export function getHostCpu(world: World, id: number): HostCpu {
  const cpu = world.host.cpus[id];
  if (cpu === undefined) throw new InputError(`No CPU ${id} (the host has ${world.host.cpus.length} CPUs)`);
  return cpu;
}

/** A new world with VM `id` replaced by `f(vm)`. */
export function updateVm(world: World, id: number, f: (vm: Vm) => Vm): World {
  const vms = world.vms.slice();
  vms[id] = f(getVm(world, id));
  return { ...world, vms };
}

/** A new world with vCPU `ref` replaced by `f(vcpu)`. */
export function updateVcpu(world: World, ref: VcpuRef, f: (vcpu: Vcpu) => Vcpu): World {
  return updateVm(world, ref.vm, (vm) => {
    const vcpus = vm.vcpus.slice();
    vcpus[ref.vcpu] = f(getVcpu(world, ref));
    return { ...vm, vcpus };
  });
}

/** A new world with vCPU `ref`'s PMU registers replaced by `f(regs)`. */
export function updateShadow(world: World, ref: VcpuRef, f: (regs: PmuShadow) => PmuShadow): World {
  return updateVcpu(world, ref, (v) => ({ ...v, regs: f(v.regs) }));
}

/** A new world with physical CPU `id` replaced by `f(cpu)`. */
export function updateHostCpu(world: World, id: number, f: (cpu: HostCpu) => HostCpu): World {
  const cpus = world.host.cpus.slice();
  cpus[id] = f(getHostCpu(world, id));
  return { ...world, host: { ...world.host, cpus } };
}

/** A new world with physical CPU `id`'s PE state replaced by `pe`. */
export function withPe(world: World, id: number, pe: PeState): World {
  return updateHostCpu(world, id, (c) => ({ ...c, pe }));
}

/** A new world with `lines` appended to the kernel log. */
export function withLog(world: World, lines: readonly string[]): World {
  return lines.length === 0 ? world : { ...world, log: [...world.log, ...lines] };
}

/** The vCPU register file at reset: every register 0 (see kvmResetVcpuPmu()). */
export const EMPTY_SHADOW: PmuShadow = {
  pmcr: 0n,
  pmselr: 0n,
  pmuserenr: 0n,
  pmcntenset: 0n,
  pmintenset: 0n,
  pmovsset: 0n,
  cnt: new Array<bigint>(32).fill(0n),
  typer: new Array<bigint>(32).fill(0n),
};

/** `value` with element `idx` of `list` replaced. */
export function withAt(list: readonly bigint[], idx: number, value: bigint): bigint[] {
  const out = list.slice();
  out[idx] = value;
  return out;
}
