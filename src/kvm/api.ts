// SPDX-License-Identifier: MIT
/**
 * The vCPU ioctls of the vPMU: KVM_ARM_VCPU_INIT (with the default PMU), the device attributes
 * of group KVM_ARM_VCPU_PMU_V3_CTRL (set, has, get), KVM_RUN (the first-run checks of
 * kvm_arm_pmu_v3_enable(), the load, and the unsupported-CPU exit), and KVM_SET_ONE_REG /
 * KVM_GET_ONE_REG of PMCR_EL0 and the PMU bitmaps. Checks run in the kernel's order and return
 * its errno; a failed call returns the world it was given.
 *
 * An ioctl other than KVM_RUN needs the vCPU outside KVM_RUN (not loaded), as the vCPU mutex
 * ensures in the kernel: calling one on a loaded vCPU throws InputError.
 *
 * @module
 */

import { cpuFeatures } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import { bits, get } from '../arch/pmu/state.js';
import { ERRNO, fail, type IoctlResult, succeed } from './errno.js';
import { hwRead } from './hw.js';
import type { Attr5Meaning } from './kernel.js';
import { kvmArchVcpuLoad, kvmArchVcpuPut, type LoadOptions, type Step } from './lifecycle.js';
import {
  ARMV8_PMU_EVTYPE_MASK_61,
  ARMV8_PMU_PMCR_E,
  ARMV8_PMU_PMCR_LC,
  ARMV8_PMU_PMCR_MASK,
  ioctlCpu,
  kvmArmPmuGetMaxCounters,
  kvmPmuAccessibleCounterMask,
  kvmPmuEventMask,
  kvmPmuPartitionReady,
  kvmPolicyResult,
  kvmSupportsGuestPmuv3,
  kvmVcpuPmuIsPartitioned,
  kvmVcpuReadPmcr,
  VGIC_NR_SGIS,
  VGIC_NR_SPIS,
} from './vpmu.js';
import {
  EMPTY_SHADOW,
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  type PmuShadow,
  updateShadow,
  updateVcpu,
  updateVm,
  type VcpuRef,
  type World,
  withAt,
} from './world.js';

/** The attributes of group KVM_ARM_VCPU_PMU_V3_CTRL and their numbers (include/uapi/asm/kvm.h). */
export const KVM_ARM_VCPU_PMU_V3_ATTR = {
  IRQ: 0,
  INIT: 1,
  FILTER: 2,
  SET_PMU: 3,
  SET_NR_COUNTERS: 4,
  /** The partitioned-PMU series (v6 16/19, v7 17/20, v8 18/21). */
  ENABLE_PARTITION: 5,
  /** Akihiko Odaki's series (v5 of 2026-04-11 .. v11 of 2026-09-20): the same number. */
  FIXED_COUNTERS_ONLY: 5,
} as const;

/** An attribute name of KVM_ARM_VCPU_PMU_V3_CTRL. */
export type PmuAttrName = keyof typeof KVM_ARM_VCPU_PMU_V3_ATTR;

/** `KVM_PMU_EVENT_ALLOW` and `KVM_PMU_EVENT_DENY`. */
export const KVM_PMU_EVENT_ALLOW = 0;
export const KVM_PMU_EVENT_DENY = 1;

/** A KVM_SET_DEVICE_ATTR of group KVM_ARM_VCPU_PMU_V3_CTRL, with its payload. */
export type PmuAttr =
  | { readonly attr: 'IRQ'; readonly irq: number; readonly fault?: boolean }
  | { readonly attr: 'INIT' }
  | {
      readonly attr: 'FILTER';
      readonly baseEvent: number;
      readonly nevents: number;
      /** KVM_PMU_EVENT_ALLOW (0) or KVM_PMU_EVENT_DENY (1); other values are rejected. */
      readonly action: number;
      /** The payload address cannot be read (copy_from_user() fails). */
      readonly fault?: boolean;
    }
  | { readonly attr: 'SET_PMU'; readonly pmuId: number; readonly fault?: boolean }
  | { readonly attr: 'SET_NR_COUNTERS'; readonly n: number; readonly fault?: boolean }
  | {
      readonly attr: 'ENABLE_PARTITION';
      readonly enable: boolean;
      /** The payload address cannot be read (copy_from_user() / get_user() fails). */
      readonly fault?: boolean;
    }
  /** No payload: a VMM leaves kvm_device_attr.addr unused (0). */
  | { readonly attr: 'FIXED_COUNTERS_ONLY' }
  /** An attribute number with no meaning in this group. */
  | { readonly attr: number };

function refText(ref: VcpuRef): string {
  return `vCPU ${ref.vcpu} of VM ${ref.vm}`;
}

function requireNotLoaded(world: World, ref: VcpuRef, ioctl: string): void {
  const cpu = getVcpu(world, ref).cpu;
  if (cpu >= 0) {
    throw new InputError(`${ioctl} on ${refText(ref)}: the vCPU is in KVM_RUN on CPU ${cpu}; put it first`);
  }
}

/** `kvm_supports_32bit_el0()`: every CPU implements AArch32 at EL0. */
function kvmSupports32bitEl0(world: World): boolean {
  return world.host.cpus.every((c) => cpuFeatures(c.pe.config.cpu).has('FEAT_AA32EL0'));
}

/**
 * The PMU part of `kvm_reset_vcpu()`: PMCR_EL0 = LC when AArch32 EL0 is not supported (reset_pmcr());
 * the other PMU registers reset to UNKNOWN values, which the model takes as 0; the interrupt level
 * low.
 *
 * @see arch/arm64/kvm/sys_regs.c reset_pmcr(), reset_pmu_reg()
 */
export function kvmResetVcpuPmu(world: World, ref: VcpuRef, cpu = 0): World {
  const regs: PmuShadow =
    world.policy.kernel.vpmu === 'linux-6.1'
      ? resetPmuRegs61(world, cpu)
      : { ...EMPTY_SHADOW, pmcr: kvmSupports32bitEl0(world) ? 0n : ARMV8_PMU_PMCR_LC };
  return updateVcpu(world, ref, (v) => ({ ...v, regs, pmu: { ...v.pmu, irqLevel: false } }));
}

/** reset_unknown()'s value for a register whose reset is UNKNOWN (arch/arm64/kvm/sys_regs.h, v6.1). */
export const KVM_RESET_UNKNOWN = 0x1de7ec7edbadc0den;
/** `ARMV8_PMU_COUNTER_MASK`: PMSELR_EL0.SEL. */
const ARMV8_PMU_COUNTER_MASK = 0x1fn;
/** The value v6.1's reset_pmcr() puts in the writable low byte: `ARMV8_PMU_PMCR_MASK & 0xdecafbad`, E clear. */
const RESET_PMCR_LOW_61 = 0xadn & ~ARMV8_PMU_PMCR_E;

/**
 * The PMU registers of a vCPU after v6.1's kvm_reset_sys_regs(), run on CPU `cpu`:
 * - PMCR_EL0 (reset_pmcr()): the hardware PMCR_EL0 with its writable low byte replaced by
 *   `ARMV8_PMU_PMCR_MASK & 0xdecafbad` and E clear, LC forced without AArch32 EL0, so IMP,
 *   IDCODE and N are the host's;
 * - the bitmaps (reset_pmu_reg()): reset_unknown() masked to the host's counters, GENMASK(N-1, 0)
 *   with N read from the hardware PMCR_EL0, and the cycle counter;
 * - PMSELR_EL0 (reset_pmselr()): reset_unknown() & ARMV8_PMU_COUNTER_MASK;
 * - PMEVCNTR<n>_EL0 (reset_pmevcntr()): the low 32 bits of reset_unknown(); PMCCNTR_EL0
 *   (reset_unknown()): all 64; PMEVTYPER<n>_EL0 (reset_pmevtyper()): & ARMV8_PMU_EVTYPE_MASK;
 * - PMCCFILTR_EL0, PMUSERENR_EL0: reset_val 0.
 *
 * @see arch/arm64/kvm/sys_regs.c reset_pmcr(), reset_pmu_reg(), reset_pmselr(), reset_pmevcntr(),
 * reset_pmevtyper(), reset_unknown() (v6.1)
 */
function resetPmuRegs61(world: World, cpu: number): PmuShadow {
  const hw = hwRead(getHostCpu(world, cpu).pe, 'PMCR_EL0').value;
  let pmcr = (hw & ~ARMV8_PMU_PMCR_MASK) | RESET_PMCR_LOW_61;
  if (!kvmSupports32bitEl0(world)) pmcr |= ARMV8_PMU_PMCR_LC;
  const n = Number(get(hw, PMCR_N));
  const bitmap = KVM_RESET_UNKNOWN & ((n === 0 ? 0n : (1n << BigInt(n)) - 1n) | (1n << 31n));
  const low32 = KVM_RESET_UNKNOWN & 0xffffffffn;
  return {
    pmcr,
    pmselr: KVM_RESET_UNKNOWN & ARMV8_PMU_COUNTER_MASK,
    pmuserenr: 0n,
    pmcntenset: bitmap,
    pmintenset: bitmap,
    pmovsset: bitmap,
    cnt: [...new Array<bigint>(31).fill(low32), KVM_RESET_UNKNOWN],
    typer: [...new Array<bigint>(31).fill(KVM_RESET_UNKNOWN & ARMV8_PMU_EVTYPE_MASK_61), 0n],
  };
}

/**
 * `kvm_arm_set_pmu(kvm, pmu)`: the VM's PMU, and nr_pmu_counters = kvm_arm_pmu_get_max_counters().
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_set_pmu()
 */
function kvmArmSetPmu(world: World, vmId: number, pmu: number, cpu: number): World {
  const w = updateVm(world, vmId, (vm) => ({ ...vm, armPmu: pmu }));
  const max = kvmArmPmuGetMaxCounters(w, getVm(w, vmId), cpu);
  return updateVm(w, vmId, (vm) => ({ ...vm, nrPmuCounters: max }));
}

/**
 * KVM_ARM_VCPU_INIT run on physical CPU `cpu`. Checks: the PMU_V3 feature without a guest PMUv3
 * → -EINVAL (kvm_vcpu_init_check_features()); features that differ from the VM's (once
 * configured) or from this vCPU's earlier init → -EINVAL. The first init of a PMU vCPU on a VM
 * without a PMU installs the default PMU, the one whose supported_cpus holds `cpu`, without
 * narrowing the VM's supported_cpus (-ENODEV if none). Every init resets the vCPU.
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_ioctl_vcpu_init(), kvm_vcpu_set_target(),
 * kvm_setup_vcpu(); arch/arm64/kvm/pmu-emul.c kvm_arm_set_default_pmu()
 */
export function kvmArmVcpuInit(
  world: World,
  ref: VcpuRef,
  init: { readonly pmuV3: boolean; readonly cpu?: number },
): IoctlResult<World> {
  requireNotLoaded(world, ref, 'KVM_ARM_VCPU_INIT');
  const vm = getVm(world, ref.vm);
  const vcpu = getVcpu(world, ref);
  const cpu = init.cpu ?? 0;
  getHostCpu(world, cpu);
  if (init.pmuV3 && !kvmSupportsGuestPmuv3(world)) {
    return fail(world, 'EINVAL', 'kvm_vcpu_init_check_features: KVM_ARM_VCPU_PMU_V3 without a guest PMUv3');
  }
  if (vcpu.initialized) {
    if (vcpu.pmuV3 !== init.pmuV3)
      return fail(world, 'EINVAL', 'kvm_vcpu_init_changed: features differ from the first init');
    return succeed(kvmResetVcpuPmu(world, ref, cpu), `KVM_ARM_VCPU_INIT: ${refText(ref)} reset`);
  }
  if (vm.vcpuFeatures !== undefined && vm.vcpuFeatures.pmuV3 !== init.pmuV3) {
    return fail(world, 'EINVAL', "kvm_vcpu_set_target: features differ from the VM's vCPU features");
  }
  let w = world;
  let why = `KVM_ARM_VCPU_INIT: ${refText(ref)}${init.pmuV3 ? ' with PMU_V3' : ''}`;
  // v6.1 chooses no PMU here: the first KVM_SET_DEVICE_ATTR probes it (kvmArmPmuV3SetAttr()).
  if (init.pmuV3 && vm.armPmu === undefined && world.policy.kernel.vpmu === 'mainline') {
    const pmu = world.host.pmus.findIndex((p) => p.supportedCpus.includes(cpu));
    if (pmu < 0) return fail(world, 'ENODEV', `kvm_arm_set_default_pmu: no PMU supports CPU ${cpu}`);
    w = kvmArmSetPmu(w, ref.vm, pmu, cpu);
    why += `; default PMU ${world.host.pmus[pmu]!.name} (nr_pmu_counters = ${getVm(w, ref.vm).nrPmuCounters})`;
  }
  w = updateVm(w, ref.vm, (v) => ({ ...v, vcpuFeatures: { pmuV3: init.pmuV3 } }));
  w = updateVcpu(w, ref, (v) => ({ ...v, initialized: true, pmuV3: init.pmuV3 }));
  return succeed(kvmResetVcpuPmu(w, ref, cpu), why);
}

function irqIsPpi(irq: number): boolean {
  return irq >= 16 && irq < 32;
}

function irqIsSpi(irq: number): boolean {
  return irq >= 32 && irq <= 1019;
}

/**
 * `pmu_irq_is_valid(kvm, irq)`: every vCPU with a PMU interrupt must have the same PPI, and none
 * the same SPI.
 *
 * @see arch/arm64/kvm/pmu-emul.c pmu_irq_is_valid()
 */
function pmuIrqIsValid(world: World, vmId: number, irq: number): boolean {
  for (const v of getVm(world, vmId).vcpus) {
    if (v.pmu.irqNum < VGIC_NR_SGIS) continue;
    if (irqIsPpi(irq) ? v.pmu.irqNum !== irq : v.pmu.irqNum === irq) return false;
  }
  return true;
}

/** The number of events the filter bitmap covers: __kvm_pmu_event_mask(pmuver limit) + 1. */
function filterNrEvents(world: World): number {
  const limited = world.host.pmus.some((p) => p.pmuVer === 'PMUv3') ? 'PMUv3' : 'PMUv3p1';
  return Number(kvmPmuEventMask(limited)) + 1;
}

/** The attribute-5 meanings as `pmup kvm` names them, with their source. */
export const ATTR5_MEANINGS = {
  none: 'no attribute 5 (-ENXIO)',
  'enable-partition': 'ENABLE_PARTITION (bool payload; v6 16/19, v7 17/20)',
  'enable-partition-v8':
    'ENABLE_PARTITION (u32 payload, -EBUSY after the first run, clamps nr_pmu_counters; v8 18/21)',
  'fixed-counters-only': 'FIXED_COUNTERS_ONLY (no payload; Akihiko Odaki, v5 2026-04-11 .. v11 2026-09-20)',
} as const satisfies Record<Attr5Meaning, string>;

/**
 * Attribute 5 of KVM_ARM_VCPU_PMU_V3_CTRL, after the generic pre-checks, as this kernel reads it
 * (`kernel.attr5`); undefined when it has none. The VMM names what it means to send: ENABLE_PARTITION
 * with a readable payload, or FIXED_COUNTERS_ONLY with none (addr left 0, so a get_user() of it
 * faults). The two series both use number 5.
 *
 * - `enable-partition` (v6 16/19, v7 17/20): the payload is copied (-EFAULT);
 *   !has_kvm_pmu_partition_support() → -EPERM; else KVM_ARCH_FLAG_PARTITION_PMU_ENABLED set or
 *   cleared.
 * - `enable-partition-v8` (v8 18/21): get_user() of a u32 (-EFAULT); -EPERM as above;
 *   kvm_vm_has_ran_once() → -EBUSY; kvm_pmu_partition_enable(kvm, val); when enabling, an
 *   nr_pmu_counters above kvm_arm_pmu_get_max_counters() is set to it (kvm_arm_set_nr_counters()),
 *   silently: the call returns 0.
 * - `fixed-counters-only` (Odaki v5 kvm_arm_pmu_v3_set_pmu_fixed_counters_only(), with v8's
 *   exclusions): the VM has run, or has an event filter, or userspace chose a PMU with SET_PMU →
 *   -EBUSY (the last two errnos assumed); else the flag, nr_pmu_counters := 0 and supported_cpus :=
 *   the union of every PMU's CPUs. The payload is not read.
 *
 * @see arch/arm64/kvm/pmu.c kvm_arm_pmu_v3_set_attr() (v8 18/21; v6 16/19); arch/arm64/kvm/pmu-emul.c
 * kvm_arm_pmu_v3_set_pmu_fixed_counters_only() (Odaki v5)
 */
function kvmArmPmuV3SetAttr5(
  world: World,
  ref: VcpuRef,
  a: Extract<PmuAttr, { readonly attr: 'ENABLE_PARTITION' | 'FIXED_COUNTERS_ONLY' }>,
  cpu: number,
): IoctlResult<World> | undefined {
  const meaning = world.policy.kernel.attr5;
  const vm = getVm(world, ref.vm);
  const readable = a.attr === 'ENABLE_PARTITION' && a.fault !== true;
  const enable = a.attr === 'ENABLE_PARTITION' && a.enable;
  const sentAs =
    a.attr === 'ENABLE_PARTITION' ? `ENABLE_PARTITION(${enable})` : 'FIXED_COUNTERS_ONLY (no payload)';
  const name = `PMU_V3 attribute 5 = ${ATTR5_MEANINGS[meaning].split(' (')[0]}`;
  switch (meaning) {
    case 'none':
      return undefined;
    case 'enable-partition':
    case 'enable-partition-v8': {
      if (!readable) return fail(world, 'EFAULT', `${name}: the payload of ${sentAs} cannot be read`);
      if (!kvmPmuPartitionReady(world)) return fail(world, 'EPERM', `${name}: partitioning is not supported`);
      if (meaning === 'enable-partition-v8' && vm.hasRanOnce)
        return fail(world, 'EBUSY', `${name}: the VM has run (kvm_vm_has_ran_once())`);
      let w = updateVm(world, ref.vm, (v) => ({ ...v, partitionPmuEnabled: enable }));
      let why = `${name}: ${enable}`;
      if (meaning === 'enable-partition-v8' && enable) {
        // v8 18/21: the maximum is evaluated with the flag already set, on this CPU.
        const max = kvmArmPmuGetMaxCounters(w, getVm(w, ref.vm), cpu);
        if (vm.nrPmuCounters > max) {
          w = updateVm(w, ref.vm, (v) => ({ ...v, nrPmuCounters: max }));
          why += `; nr_pmu_counters ${vm.nrPmuCounters} silently set to kvm_arm_pmu_get_max_counters() = ${max}`;
        }
      }
      return succeed(w, why);
    }
    case 'fixed-counters-only': {
      const ignored =
        a.attr === 'ENABLE_PARTITION' ? ` (the VMM sent ${sentAs}; its payload is not read)` : '';
      if (vm.hasRanOnce) return fail(world, 'EBUSY', `${name}: the VM has run${ignored}`);
      if (vm.pmuFilter !== undefined && !vm.fixedCountersOnly)
        return fail(world, 'EBUSY', `${name}: an event filter is set${ignored}`);
      if (vm.explicitPmu)
        return fail(world, 'EBUSY', `${name}: SET_PMU chose a PMU (assumed -EBUSY)${ignored}`);
      const union = [...new Set(world.host.pmus.flatMap((p) => p.supportedCpus))].sort((x, y) => x - y);
      const w = updateVm(world, ref.vm, (v) => ({
        ...v,
        fixedCountersOnly: true,
        nrPmuCounters: 0,
        supportedCpus: union,
      }));
      return succeed(w, `${name}: nr_pmu_counters = 0, supported_cpus = every PMU's CPUs${ignored}`);
    }
  }
}

/**
 * KVM_SET_DEVICE_ATTR, group KVM_ARM_VCPU_PMU_V3_CTRL, on physical CPU `cpu` (default: the vCPU's
 * last CPU, else 0). Pre-checks: no PMU_V3 feature → -ENODEV; vPMU already initialised → -EBUSY.
 * Then, per attribute (an unknown one → -ENXIO):
 * - IRQ: no in-kernel irqchip → -EINVAL; not a PPI (16..31) or SPI (32..1019) → -EINVAL;
 *   !pmu_irq_is_valid() → -EINVAL; an IRQ already set → -EBUSY.
 * - INIT: in-kernel irqchip with the vGIC not initialised → -ENODEV; no IRQ set → -ENXIO; then
 *   the vPMU is created (and its PMU access state goes UNSET → VIRTUAL, v5 19/24).
 * - FILTER: base + nevents beyond the event space, or an action other than ALLOW/DENY → -EINVAL;
 *   the VM has run → -EBUSY; the first filter sets the default to the opposite of its action.
 * - SET_PMU: a registered PMU with that perf type: the VM has run, or a filter exists and the PMU
 *   differs → -EBUSY; else the PMU, nr_pmu_counters = max, supported_cpus = the PMU's CPUs. No such
 *   PMU → -ENXIO.
 * - SET_NR_COUNTERS (unsigned): no PMU → -EINVAL; n > kvm_arm_pmu_get_max_counters() → -EINVAL.
 * - attribute 5 (ENABLE_PARTITION or FIXED_COUNTERS_ONLY, by the kernel): kvmArmPmuV3SetAttr5().
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_set_attr(), kvm_arm_pmu_v3_init(),
 * kvm_arm_pmu_v3_set_pmu(), kvm_arm_pmu_v3_set_nr_counters(); v6 16/19
 */
export function kvmArmPmuV3SetAttr(world: World, ref: VcpuRef, a: PmuAttr, cpu?: number): IoctlResult<World> {
  requireNotLoaded(world, ref, 'KVM_SET_DEVICE_ATTR');
  const vm = getVm(world, ref.vm);
  const vcpu = getVcpu(world, ref);
  const onCpu = cpu ?? ioctlCpu(world, ref);
  getHostCpu(world, onCpu);
  if (!vcpu.pmuV3)
    return fail(world, 'ENODEV', `kvm_arm_pmu_v3_set_attr: ${refText(ref)} has no PMU_V3 feature`);
  if (vcpu.pmu.created)
    return fail(world, 'EBUSY', 'kvm_arm_pmu_v3_set_attr: the vPMU is already initialised');
  const v61 = world.policy.kernel.vpmu === 'linux-6.1';
  if (v61 && vm.armPmu === undefined) {
    // v6.1 kvm_arm_pmu_v3_set_attr(): "No PMU set, get the default one" (kvm_pmu_probe_armpmu():
    // the PMU of the CPU the ioctl runs on), whatever the attribute.
    const pmu = world.host.pmus.findIndex((p) => p.supportedCpus.includes(onCpu));
    if (pmu < 0) return fail(world, 'ENODEV', `kvm_pmu_probe_armpmu: no PMU on CPU ${onCpu}`);
    const probed = updateVm(world, ref.vm, (v) => ({ ...v, armPmu: pmu }));
    const r = kvmArmPmuV3SetAttr(probed, ref, a, onCpu);
    // The probed PMU stays even when the attribute then fails (it is set before the switch).
    return r.errno === undefined ? r : { ...r, world: probed };
  }
  switch (a.attr) {
    case 'IRQ': {
      if (vm.irqchip === 'userspace') return fail(world, 'EINVAL', 'PMU_V3_IRQ: no in-kernel irqchip');
      // get_user() of the payload comes after the irqchip check.
      if (a.fault === true) return fail(world, 'EFAULT', 'PMU_V3_IRQ: get_user() of the payload faults');
      if (!(irqIsPpi(a.irq) || irqIsSpi(a.irq)))
        return fail(world, 'EINVAL', `PMU_V3_IRQ: ${a.irq} is neither a PPI nor an SPI`);
      if (!pmuIrqIsValid(world, ref.vm, a.irq)) {
        return fail(
          world,
          'EINVAL',
          `PMU_V3_IRQ: pmu_irq_is_valid() rejects ${a.irq} (PPIs must match, SPIs differ)`,
        );
      }
      if (vcpu.pmu.irqNum >= VGIC_NR_SGIS)
        return fail(world, 'EBUSY', `PMU_V3_IRQ: already set to ${vcpu.pmu.irqNum}`);
      const w = updateVcpu(world, ref, (v) => ({ ...v, pmu: { ...v.pmu, irqNum: a.irq } }));
      return succeed(w, `PMU_V3_IRQ: ${a.irq}`);
    }
    case 'INIT': {
      if (vm.irqchip === 'vgic-uninitialized')
        return fail(world, 'ENODEV', 'PMU_V3_INIT: the vGIC is not initialised');
      if (vm.irqchip === 'vgic' && vcpu.pmu.irqNum < VGIC_NR_SGIS)
        return fail(world, 'ENXIO', 'PMU_V3_INIT: no PMU interrupt set');
      const access =
        kernelFamily(world) === 'mainline' || vcpu.pmu.access !== 'UNSET' ? vcpu.pmu.access : 'VIRTUAL';
      const w = updateVcpu(world, ref, (v) => ({ ...v, pmu: { ...v.pmu, created: true, access } }));
      return succeed(w, 'PMU_V3_INIT: vPMU created');
    }
    case 'FILTER': {
      // copy_from_user() of the filter comes first.
      if (a.fault === true)
        return fail(world, 'EFAULT', 'PMU_V3_FILTER: copy_from_user() of the filter faults');
      const nrEvents = filterNrEvents(world);
      const base = a.baseEvent & 0xffff;
      const nevents = a.nevents & 0xffff;
      if (
        base + nevents > nrEvents ||
        (a.action !== KVM_PMU_EVENT_ALLOW && a.action !== KVM_PMU_EVENT_DENY)
      ) {
        return fail(
          world,
          'EINVAL',
          `PMU_V3_FILTER: events ${base}+${nevents} beyond ${nrEvents}, or action ${a.action}`,
        );
      }
      if (vm.hasRanOnce) return fail(world, 'EBUSY', 'PMU_V3_FILTER: the VM has run');
      // FIXED_COUNTERS_ONLY v8 (2026-07-06): FILTER and FIXED_COUNTERS_ONLY "are mutually exclusive"
      // (changelog; the errno is not recorded, -EBUSY assumed as for the opposite order in v5).
      if (vm.fixedCountersOnly)
        return fail(world, 'EBUSY', 'PMU_V3_FILTER: the VM is FIXED_COUNTERS_ONLY (assumed -EBUSY)');
      const range = { base, nevents, action: a.action === KVM_PMU_EVENT_ALLOW ? 'allow' : 'deny' } as const;
      const filter = { nrEvents, ranges: [...(vm.pmuFilter?.ranges ?? []), range] };
      return succeed(
        updateVm(world, ref.vm, (v) => ({ ...v, pmuFilter: filter })),
        `PMU_V3_FILTER: ${range.action} ${base}..${base + nevents - 1}`,
      );
    }
    case 'SET_PMU': {
      // get_user() of the PMU id comes first.
      if (a.fault === true) return fail(world, 'EFAULT', 'PMU_V3_SET_PMU: get_user() of the PMU id faults');
      const pmu = world.host.pmus.findIndex((p) => p.type === a.pmuId);
      if (pmu < 0) return fail(world, 'ENXIO', `PMU_V3_SET_PMU: no PMU of type ${a.pmuId}`);
      if (vm.hasRanOnce || (vm.pmuFilter !== undefined && vm.armPmu !== pmu)) {
        return fail(world, 'EBUSY', 'PMU_V3_SET_PMU: the VM has run, or a filter was set for another PMU');
      }
      // FIXED_COUNTERS_ONLY v8: SET_PMU and FIXED_COUNTERS_ONLY "are mutually exclusive" (changelog;
      // errno not recorded, -EBUSY assumed). In v5 SET_PMU cleared the flag instead.
      if (vm.fixedCountersOnly)
        return fail(world, 'EBUSY', 'PMU_V3_SET_PMU: the VM is FIXED_COUNTERS_ONLY (assumed -EBUSY)');
      let w = kvmArmSetPmu(world, ref.vm, pmu, onCpu);
      w = updateVm(w, ref.vm, (v) => ({
        ...v,
        supportedCpus: world.host.pmus[pmu]!.supportedCpus,
        explicitPmu: true,
      }));
      return succeed(
        w,
        // v6.1 has no nr_pmu_counters: SET_PMU sets the PMU and supported_cpus only.
        `PMU_V3_SET_PMU: ${world.host.pmus[pmu]!.name}${v61 ? '' : `, nr_pmu_counters = ${getVm(w, ref.vm).nrPmuCounters}`}`,
      );
    }
    case 'SET_NR_COUNTERS': {
      // v6.1 has no attribute 4: -ENXIO like any unknown attribute.
      if (v61) break;
      if (a.fault === true)
        return fail(world, 'EFAULT', 'PMU_V3_SET_NR_COUNTERS: get_user() of the count faults');
      const n = a.n >>> 0;
      if (vm.armPmu === undefined) return fail(world, 'EINVAL', 'PMU_V3_SET_NR_COUNTERS: no PMU');
      const max = kvmArmPmuGetMaxCounters(world, vm, onCpu);
      if (n > max)
        return fail(
          world,
          'EINVAL',
          `PMU_V3_SET_NR_COUNTERS: ${n} > kvm_arm_pmu_get_max_counters() = ${max}`,
        );
      return succeed(
        updateVm(world, ref.vm, (v) => ({ ...v, nrPmuCounters: n })),
        `PMU_V3_SET_NR_COUNTERS: ${n}`,
      );
    }
    case 'ENABLE_PARTITION':
    case 'FIXED_COUNTERS_ONLY': {
      const r = kvmArmPmuV3SetAttr5(world, ref, a, onCpu);
      if (r !== undefined) return r;
      break;
    }
  }
  return fail(world, 'ENXIO', `kvm_arm_pmu_v3_set_attr: unknown attribute ${String(a.attr)}`);
}

/** The attributes this kernel's has_attr lists. */
function knownAttrs(world: World): readonly PmuAttrName[] {
  // v6.1 kvm_arm_pmu_v3_has_attr() lists IRQ, INIT, FILTER and SET_PMU.
  const base: PmuAttrName[] =
    world.policy.kernel.vpmu === 'linux-6.1'
      ? ['IRQ', 'INIT', 'FILTER', 'SET_PMU']
      : ['IRQ', 'INIT', 'FILTER', 'SET_PMU', 'SET_NR_COUNTERS'];
  // Attribute 5 is listed whatever it means to this kernel (kvm_arm_pmu_v3_has_attr() tests the number).
  return world.policy.kernel.attr5 === 'none' ? base : [...base, 'ENABLE_PARTITION', 'FIXED_COUNTERS_ONLY'];
}

/**
 * KVM_HAS_DEVICE_ATTR: 0 for an attribute this kernel knows when the vCPU has PMU_V3, else
 * -ENXIO.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_has_attr()
 */
export function kvmArmPmuV3HasAttr(world: World, ref: VcpuRef, attr: PmuAttrName | number): number {
  const name = typeof attr === 'number' ? undefined : attr;
  if (name !== undefined && knownAttrs(world).includes(name) && getVcpu(world, ref).pmuV3) return 0;
  return -ERRNO.ENXIO;
}

/**
 * KVM_GET_DEVICE_ATTR: only IRQ: no in-kernel irqchip → -EINVAL, no PMU_V3 → -ENODEV, no IRQ set
 * → -ENXIO, else the IRQ (in `value`). Any other attribute → -ENXIO.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_get_attr()
 */
export function kvmArmPmuV3GetAttr(
  world: World,
  ref: VcpuRef,
  attr: PmuAttrName | number,
): IoctlResult<World> & { readonly value?: number } {
  if (attr !== 'IRQ')
    return fail(world, 'ENXIO', `kvm_arm_pmu_v3_get_attr: attribute ${attr} cannot be read`);
  const vcpu = getVcpu(world, ref);
  if (getVm(world, ref.vm).irqchip === 'userspace')
    return fail(world, 'EINVAL', 'PMU_V3_IRQ: no in-kernel irqchip');
  if (!vcpu.pmuV3) return fail(world, 'ENODEV', `${refText(ref)} has no PMU_V3 feature`);
  if (vcpu.pmu.irqNum < VGIC_NR_SGIS) return fail(world, 'ENXIO', 'PMU_V3_IRQ: not set');
  return { ...succeed(world, `PMU_V3_IRQ = ${vcpu.pmu.irqNum}`), value: vcpu.pmu.irqNum };
}

/**
 * `kvm_arm_pmu_v3_enable(vcpu)` at the first KVM_RUN: nothing without PMU_V3; -EINVAL if the vPMU
 * was not initialised; with an in-kernel vGIC the IRQ must be a PPI or an SPI the vGIC has
 * (-EINVAL); with a userspace irqchip no IRQ may be set (-EINVAL).
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_enable()
 */
function kvmArmPmuV3Enable(world: World, ref: VcpuRef): string | undefined {
  const vcpu = getVcpu(world, ref);
  if (!vcpu.pmuV3) return undefined;
  if (!vcpu.pmu.created) return 'kvm_arm_pmu_v3_enable: the vPMU was not initialised (PMU_V3_INIT)';
  const irq = vcpu.pmu.irqNum;
  if (getVm(world, ref.vm).irqchip !== 'userspace') {
    if (!irqIsPpi(irq) && !(irq >= 32 && irq < 32 + VGIC_NR_SPIS))
      return `kvm_arm_pmu_v3_enable: IRQ ${irq} is not valid for the vGIC`;
  } else if (irq >= VGIC_NR_SGIS) {
    return 'kvm_arm_pmu_v3_enable: an IRQ is set without an in-kernel irqchip';
  }
  return undefined;
}

/** How KVM_RUN returned. */
export type RunExit =
  /** The guest was entered and runs: guestAccess() and guestRun() apply. */
  | 'GUEST_ENTERED'
  /** KVM_EXIT_FAIL_ENTRY with KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED: the CPU is not in supported_cpus. */
  | 'FAIL_ENTRY_CPU_UNSUPPORTED';

/**
 * KVM_RUN on physical CPU `cpu`: -ENOEXEC before KVM_ARM_VCPU_INIT; at the first run
 * kvm_arm_pmu_v3_enable() (its -EINVAL) and then KVM_ARCH_FLAG_HAS_RAN_ONCE; vcpu_load() on
 * `cpu` (a vCPU loaded elsewhere migrates); then kvm_vcpu_exit_request() refuses to enter on a CPU
 * outside supported_cpus. On success the vCPU stays loaded, standing for a guest running inside
 * KVM_RUN, until kvmArchVcpuPut().
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_run_pid_change(), kvm_arch_vcpu_ioctl_run(),
 * kvm_vcpu_exit_request()
 */
export function kvmRun(
  world: World,
  ref: VcpuRef,
  opts: LoadOptions & { readonly cpu?: number } = {},
): IoctlResult<World> & { readonly exit?: RunExit; readonly trace: readonly string[] } {
  const vcpu = getVcpu(world, ref);
  const cpu = opts.cpu ?? Math.max(vcpu.cpu, 0);
  getHostCpu(world, cpu);
  if (!vcpu.initialized) return { ...fail(world, 'ENOEXEC', 'KVM_RUN before KVM_ARM_VCPU_INIT'), trace: [] };
  let w = world;
  if (!vcpu.hasRunOnce) {
    const bad = kvmArmPmuV3Enable(world, ref);
    if (bad !== undefined) return { ...fail(world, 'EINVAL', bad), trace: [] };
    w = updateVm(w, ref.vm, (v) => ({ ...v, hasRanOnce: true }));
    w = updateVcpu(w, ref, (v) => ({ ...v, hasRunOnce: true }));
  }
  const trace: string[] = [];
  if (vcpu.cpu !== cpu) {
    let step: Step | undefined;
    if (vcpu.cpu >= 0) {
      step = kvmArchVcpuPut(w, ref);
      trace.push(...step.trace);
      w = step.world;
    }
    step = kvmArchVcpuLoad(w, ref, cpu, opts);
    trace.push(...step.trace);
    w = step.world;
  }
  if (getVcpu(w, ref).onUnsupportedCpu) {
    trace.push(`kvm_vcpu_exit_request: KVM_EXIT_FAIL_ENTRY (CPU_UNSUPPORTED) on CPU ${cpu}`);
    return {
      ...succeed(w, `KVM_RUN: KVM_EXIT_FAIL_ENTRY, CPU ${cpu} is not supported`),
      exit: 'FAIL_ENTRY_CPU_UNSUPPORTED',
      trace,
    };
  }
  return { ...succeed(w, `KVM_RUN: guest entered on CPU ${cpu}`), exit: 'GUEST_ENTERED', trace };
}

const PMCR_N = bits('PMCR_EL0', 'N');

/**
 * KVM_SET_ONE_REG(PMCR_EL0), the legacy way to set N (set_pmcr()): -ENOEXEC before init. N
 * changes only if the VM has not run and new N <= the limit, else the change is silently ignored
 * (and the call still returns 0). The limit is kvm_arm_pmu_get_max_counters() in mainline,
 * kvm_pmu_hpmn() in v5 (16/24; for review, kvm_mdcr_hpmn()); v6 removes the path for partitioned
 * VMs (assumed: the change is ignored, as for nested VMs). Then PMCR_EL0 keeps bits [7:0], with LC
 * forced when AArch32 EL0 is not supported.
 *
 * @see arch/arm64/kvm/sys_regs.c set_pmcr() (mainline ~6.15; v5 16/24)
 */
export function kvmSetOneRegPmcr(world: World, ref: VcpuRef, value: bigint): IoctlResult<World> {
  requireNotLoaded(world, ref, 'KVM_SET_ONE_REG');
  const refused = oneRegRefused(world, ref, 'KVM_SET_ONE_REG');
  if (refused !== undefined) return refused;
  if (world.policy.kernel.vpmu === 'linux-6.1') {
    // v6.1's PMCR_EL0 descriptor has no set_user: reg_from_user() stores all 64 bits, N included,
    // whether or not the VM has run.
    return succeed(
      updateShadow(world, ref, (r) => ({ ...r, pmcr: value })),
      `KVM_SET_ONE_REG(PMCR_EL0): stored as given (N = ${Number(get(value, PMCR_N))})`,
    );
  }
  const vm = getVm(world, ref.vm);
  const cpu = ioctlCpu(world, ref);
  const newN = Number(get(value, PMCR_N));
  const family = kernelFamily(world);
  let limit: number;
  let limitName: string;
  if (family === 'v5') {
    const r = kvmPolicyResult(world, ref, cpu);
    limit = r.hpmn;
    limitName = r.hpmnFunction;
  } else {
    limit = kvmArmPmuGetMaxCounters(world, vm, cpu);
    limitName = 'kvm_arm_pmu_get_max_counters()';
  }
  const partitionedV6 = family === 'v6' && kvmVcpuPmuIsPartitioned(world, ref, cpu);
  const takesN = !vm.hasRanOnce && !partitionedV6 && newN <= limit;
  let w = world;
  if (takesN) w = updateVm(w, ref.vm, (v) => ({ ...v, nrPmuCounters: newN }));
  let stored = value & ARMV8_PMU_PMCR_MASK;
  if (!kvmSupports32bitEl0(world)) stored |= ARMV8_PMU_PMCR_LC;
  w = updateShadow(w, ref, (r) => ({ ...r, pmcr: stored }));
  const what = takesN
    ? `N = ${newN}`
    : `N = ${newN} ignored (${vm.hasRanOnce ? 'the VM has run' : partitionedV6 ? 'partitioned' : `above ${limitName} = ${limit}`})`;
  return succeed(w, `KVM_SET_ONE_REG(PMCR_EL0): ${what}`);
}

/**
 * Why KVM_{GET,SET}_ONE_REG of a PMU register fails, if it does: -ENOEXEC before
 * KVM_ARM_VCPU_INIT (kvm_arch_vcpu_ioctl()); -ENOENT on a vCPU without KVM_ARM_VCPU_PMU_V3, whose
 * PMU registers pmu_visibility() hides (REG_HIDDEN).
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_ioctl(); arch/arm64/kvm/sys_regs.c pmu_visibility(),
 * kvm_sys_reg_get_user() (v6.1 and mainline)
 */
function oneRegRefused(world: World, ref: VcpuRef, ioctl: string): IoctlResult<World> | undefined {
  const vcpu = getVcpu(world, ref);
  if (!vcpu.initialized) return fail(world, 'ENOEXEC', `${ioctl} before KVM_ARM_VCPU_INIT`);
  if (!vcpu.pmuV3)
    return fail(world, 'ENOENT', `${ioctl}: pmu_visibility() hides the PMU registers (no PMU_V3)`);
  return undefined;
}

/** A PMU register the model's KVM_{GET,SET}_ONE_REG reaches. */
export type OneRegPmu =
  | 'PMCR_EL0'
  | BitmapReg
  | 'PMSELR_EL0'
  | 'PMUSERENR_EL0'
  | 'PMCCFILTR_EL0'
  | 'PMCCNTR_EL0'
  | `PMEVCNTR${number}_EL0`
  | `PMEVTYPER${number}_EL0`;

/** Whether `name` is a register kvmGetOneReg() reads. */
export function isOneRegPmu(name: string): name is OneRegPmu {
  return name === 'PMCR_EL0' || name in BITMAP_REGS || shadowRegIndex(name) !== undefined;
}

/** Where the shadow holds a PMU register other than PMCR_EL0 and the bitmaps. */
function shadowRegIndex(
  name: string,
):
  | { readonly field: 'pmselr' | 'pmuserenr' }
  | { readonly list: 'cnt' | 'typer'; readonly i: number }
  | undefined {
  if (name === 'PMSELR_EL0') return { field: 'pmselr' };
  if (name === 'PMUSERENR_EL0') return { field: 'pmuserenr' };
  if (name === 'PMCCFILTR_EL0') return { list: 'typer', i: 31 };
  if (name === 'PMCCNTR_EL0') return { list: 'cnt', i: 31 };
  const m = /^PMEV(CNTR|TYPER)(\d+)_EL0$/.exec(name);
  const i = Number(m?.[2] ?? 99);
  if (m === null || i > 30) return undefined;
  return { list: m[1] === 'CNTR' ? 'cnt' : 'typer', i };
}

/**
 * KVM_GET_ONE_REG of a PMU register, with its errno (oneRegRefused()) and, on success, the value:
 * PMCR_EL0 and the bitmaps as kvmGetOneRegPmcr()/kvmGetOneRegPmu() read them; the other registers
 * as stored (PMSELR_EL0, PMUSERENR_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0 have no get_user; v6.1's
 * counters neither; mainline's get_pmu_evcntr() reads the counter, which is the stored value while
 * the vCPU is not in KVM_RUN).
 *
 * @see arch/arm64/kvm/sys_regs.c kvm_sys_reg_get_user(), get_pmu_evcntr() (v6.1; mainline)
 */
export function kvmGetOneReg(
  world: World,
  ref: VcpuRef,
  reg: OneRegPmu,
): IoctlResult<World> & { readonly value?: bigint } {
  const refused = oneRegRefused(world, ref, 'KVM_GET_ONE_REG');
  if (refused !== undefined) return refused;
  const regs = getVcpu(world, ref).regs;
  const at = shadowRegIndex(reg);
  let value: bigint;
  if (reg === 'PMCR_EL0') value = kvmGetOneRegPmcr(world, ref);
  else if (at === undefined) value = kvmGetOneRegPmu(world, ref, reg as BitmapReg);
  else value = 'field' in at ? regs[at.field] : regs[at.list][at.i]!;
  // v6.1 answers PMEVCNTR<n>_EL0 with the counter's 32 bits (its event counters are 32-bit: no
  // PMUv3p5), as a get_pmu_evcntr() user accessor reading kvm_pmu_get_counter_value() would, and
  // PMCCNTR_EL0 with all 64: measured by harness/kvm/ (scenarios reset-values, onereg-raw); the 6.1
  // descriptors themselves were not read.
  if (
    world.policy.kernel.vpmu === 'linux-6.1' &&
    at !== undefined &&
    'list' in at &&
    at.list === 'cnt' &&
    at.i < 31
  )
    value &= 0xffffffffn;
  return { ...succeed(world, `KVM_GET_ONE_REG(${reg})`), value };
}

/** KVM_GET_ONE_REG(PMCR_EL0): kvm_vcpu_read_pmcr() (get_pmcr()); v6.1: the vCPU's PMCR_EL0. */
export function kvmGetOneRegPmcr(world: World, ref: VcpuRef): bigint {
  return kvmVcpuReadPmcr(world, ref);
}

/** The PMU bitmap registers userspace can read and write, and where each is held. */
const BITMAP_REGS = {
  PMCNTENSET_EL0: 'pmcntenset',
  PMCNTENCLR_EL0: 'pmcntenset',
  PMINTENSET_EL1: 'pmintenset',
  PMINTENCLR_EL1: 'pmintenset',
  PMOVSSET_EL0: 'pmovsset',
  PMOVSCLR_EL0: 'pmovsset',
} as const;

/** A PMU bitmap register name for KVM_{GET,SET}_ONE_REG. */
export type BitmapReg = keyof typeof BITMAP_REGS;

/**
 * KVM_SET_ONE_REG of a PMU bitmap register (set_pmreg()): stores `value &
 * kvm_pmu_accessible_counter_mask()` verbatim in the register's storage (no set/clear semantics);
 * v6.1 stores `value` unmasked (-ENOEXEC before init, -ENOENT without PMU_V3: oneRegRefused()).
 *
 * @see arch/arm64/kvm/sys_regs.c set_pmreg()
 */
export function kvmSetOneRegPmu(
  world: World,
  ref: VcpuRef,
  reg: BitmapReg,
  value: bigint,
): IoctlResult<World> {
  requireNotLoaded(world, ref, 'KVM_SET_ONE_REG');
  const refused = oneRegRefused(world, ref, 'KVM_SET_ONE_REG');
  if (refused !== undefined) return refused;
  // v6.1's bitmap descriptors have no set_user: reg_from_user() stores the value unmasked.
  const mask = world.policy.kernel.vpmu === 'linux-6.1' ? ~0n : kvmPmuAccessibleCounterMask(world, ref);
  const field = BITMAP_REGS[reg];
  return succeed(
    updateShadow(world, ref, (r) => ({ ...r, [field]: value & mask })),
    `KVM_SET_ONE_REG(${reg})`,
  );
}

/**
 * KVM_SET_ONE_REG of a PMU register: PMCR_EL0 and the bitmaps as kvmSetOneRegPmcr() and
 * kvmSetOneRegPmu() write them; the other registers stored as given, in v6.1 and in mainline
 * (no set_user for PMSELR_EL0, PMUSERENR_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0; v6.1's counters
 * neither, mainline's set_pmu_evcntr() stores the value too).
 *
 * @see arch/arm64/kvm/sys_regs.c kvm_sys_reg_set_user(), reg_from_user(), set_pmu_evcntr() (v6.1; mainline)
 */
export function kvmSetOneReg(world: World, ref: VcpuRef, reg: OneRegPmu, value: bigint): IoctlResult<World> {
  if (reg === 'PMCR_EL0') return kvmSetOneRegPmcr(world, ref, value);
  const at = shadowRegIndex(reg);
  if (at === undefined) return kvmSetOneRegPmu(world, ref, reg as BitmapReg, value);
  requireNotLoaded(world, ref, 'KVM_SET_ONE_REG');
  const refused = oneRegRefused(world, ref, 'KVM_SET_ONE_REG');
  if (refused !== undefined) return refused;
  const w = updateShadow(world, ref, (r) =>
    'field' in at ? { ...r, [at.field]: value } : { ...r, [at.list]: withAt(r[at.list], at.i, value) },
  );
  return succeed(w, `KVM_SET_ONE_REG(${reg}): stored as given`);
}

/**
 * KVM_GET_ONE_REG of a PMU bitmap register (get_pmreg()): the storage & kvm_pmu_accessible_counter_mask().
 *
 * @see arch/arm64/kvm/sys_regs.c get_pmreg()
 */
export function kvmGetOneRegPmu(world: World, ref: VcpuRef, reg: BitmapReg): bigint {
  const stored = getVcpu(world, ref).regs[BITMAP_REGS[reg]];
  // v6.1: no get_user, reg_to_user() of the stored value.
  if (world.policy.kernel.vpmu === 'linux-6.1') return stored;
  return stored & kvmPmuAccessibleCounterMask(world, ref);
}
