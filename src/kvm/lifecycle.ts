// SPDX-License-Identifier: MIT
/**
 * Loading and putting a vCPU on a physical CPU, in the order of mainline kvm_arch_vcpu_load() and
 * kvm_arch_vcpu_put() (arch/arm64/kvm/arm.c, ~v6.18) with the hooks the partitioned-PMU series
 * adds (kvm_pmu_load() after kvm_vcpu_pmu_restore_guest(), kvm_pmu_put() after
 * kvm_vcpu_pmu_restore_host(); v5 17/24), the lazy switch of a partitioned vCPU's PMU context to
 * the hardware on its first trapped PMU access (kvm_pmu_set_physical_access(); v5 19/24), and
 * migration (a put on one CPU, a load on another).
 *
 * Steps of kvm_arch_vcpu_load() that do not touch the PMU (MMU, VMID, timer, vGIC, FP, pvtime,
 * TWE/TWI, pointer authentication) are not modelled. kvm_vcpu_pmu_restore_guest() and
 * kvm_vcpu_pmu_restore_host() switch the EL0 filter of host events that count only the host or
 * only the guest (VHE: host and guest user space both run at EL0).
 *
 * v7 (13/20) makes the host's counter reservation dynamic: kvm_pmu_load() takes the guest's
 * counters out of the host PMU's cntr_mask (kvm_pmu_set_guest_counters()), rescheduling host
 * events that sat on them (perf_pmu_resched_update()), and kvm_pmu_put() gives them back.
 *
 * Every step returns the new world and a trace: one line per kernel function, in call order.
 * Kernel faults (an EL2 access the architecture does not complete) are traced and logged.
 *
 * @module
 */

import { InputError } from '../arch/errors.js';
import { withReg } from '../arch/pmu/state.js';
import { counterName, hwReadInto, hwWriteAll, typerName } from './hw.js';
import {
  ARMPMU_MAX_HWEVENTS_MASK,
  filterReg,
  hostUsedMask,
  kvmGetPmuEvents,
  maskBits,
  perfPmuReschedUpdate,
} from './perf.js';
import { fieldGet, MDCR_EL2_HPMN } from './sysreg.js';
import {
  ARMV8_PMU_EXCLUDE_EL0,
  ARMV8_PMU_EXCLUDE_EL1,
  ARMV8_PMU_INCLUDE_EL2,
  ARMV8_PMU_PMCR_C,
  ARMV8_PMU_PMCR_MASK,
  ARMV8_PMU_PMCR_P,
  ARMV8_PMU_USERENR_MASK,
  kvmPmuEventMask,
  kvmPolicyResult,
  kvmVcpuPmuIsPartitioned,
  kvmVcpuPmuUseFgt,
  PERFCTR_CPU_CYCLES,
  pmuFilterAllows,
  vmArmPmu,
  vmGuestCounterMask,
  vmPmuVer,
} from './vpmu.js';
import {
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  updateHostCpu,
  updateShadow,
  updateVcpu,
  type VcpuRef,
  type Vm,
  type World,
  withAt,
  withLog,
  withPe,
} from './world.js';

/** What a lifecycle step did: the new world and one line per kernel function called. */
export interface Step {
  readonly world: World;
  readonly trace: readonly string[];
}

/** Options of kvmArchVcpuLoad(). */
export interface LoadOptions {
  /**
   * The reviewer's proposal (reply to v5 15/24): set ON_UNSUPPORTED_CPU at the start of
   * kvm_arch_vcpu_load(), before MDCR_EL2 is computed, instead of at its end as mainline does.
   */
  readonly unsupportedCheckFirst?: boolean;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function refText(ref: VcpuRef): string {
  return `vCPU ${ref.vcpu} of VM ${ref.vm}`;
}

/** The loaded CPU of `ref`; throws when the vCPU is not loaded. */
export function loadedCpu(world: World, ref: VcpuRef): number {
  const cpu = getVcpu(world, ref).cpu;
  if (cpu < 0) throw new InputError(`${refText(ref)} is not loaded on any CPU`);
  return cpu;
}

/** Appends the kernel faults of `trace` to the kernel log. */
export function logFaults(world: World, trace: readonly string[]): World {
  return withLog(
    world,
    trace.filter((l) => l.startsWith('kernel fault')),
  );
}

/**
 * `vcpu_set_on_unsupported_cpu()` when `cpu` is outside the VM's supported_cpus (the last step of
 * mainline kvm_arch_vcpu_load()).
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_load()
 */
export function vcpuSetOnUnsupportedCpu(world: World, ref: VcpuRef, cpu: number, trace: string[]): World {
  if (getVm(world, ref.vm).supportedCpus.includes(cpu)) {
    trace.push(`supported_cpus check: CPU ${cpu} is supported`);
    return world;
  }
  trace.push(`vcpu_set_on_unsupported_cpu: CPU ${cpu} is not in supported_cpus`);
  return updateVcpu(world, ref, (v) => ({ ...v, onUnsupportedCpu: true }));
}

/**
 * `kvm_arm_setup_mdcr_el2()`: vcpu->arch.mdcr_el2 as the world's policy computes it from the
 * PolicyInputs of this moment (ON_UNSUPPORTED_CPU as currently set), written straight to
 * MDCR_EL2 ("Write MDCR_EL2 directly if we're already at EL2"; the model also writes it without
 * VHE, standing for the write at guest entry).
 *
 * @see arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2()
 */
export function kvmArmSetupMdcrEl2(world: World, ref: VcpuRef, trace: string[]): World {
  const cpu = loadedCpu(world, ref);
  const r = kvmPolicyResult(world, ref, cpu);
  const hc = getHostCpu(world, cpu);
  const hpmn = fieldGet(MDCR_EL2_HPMN, r.mdcrEl2);
  const flag = getVcpu(world, ref).onUnsupportedCpu;
  trace.push(
    `kvm_arm_setup_mdcr_el2: MDCR_EL2 = ${hex(r.mdcrEl2)}, HPMN = ${hpmn} (${world.policy.name}), ON_UNSUPPORTED_CPU = ${flag}`,
  );
  const w = updateVcpu(world, ref, (v) => ({ ...v, mdcrEl2: r.mdcrEl2 }));
  return withPe(w, cpu, withReg(hc.pe, 'MDCR_EL2', r.mdcrEl2));
}

/**
 * `kvm_vcpu_load_debug()`: with VHE, save the host's MDCR_EL2 (host_debug_state.mdcr_el2), then
 * kvm_arm_setup_mdcr_el2().
 *
 * @see arch/arm64/kvm/debug.c kvm_vcpu_load_debug()
 */
export function kvmVcpuLoadDebug(world: World, ref: VcpuRef, trace: string[]): World {
  const cpu = loadedCpu(world, ref);
  const saved = getHostCpu(world, cpu).pe.regs.MDCR_EL2;
  trace.push(`kvm_vcpu_load_debug: host MDCR_EL2 ${hex(saved)} saved`);
  const w = updateHostCpu(world, cpu, (c) => ({ ...c, savedMdcrEl2: saved }));
  return kvmArmSetupMdcrEl2(w, ref, trace);
}

/**
 * `kvm_vcpu_load_fgt()`: the PMU bits of HDFGRTR_EL2, HDFGWTR_EL2 and their FGT2 twins, as the
 * policy computes them now (v5: only when kvm_vcpu_pmu_use_fgt()). They are not recomputed when
 * the PMU context later switches to the hardware (kvm_pmu_set_physical_access()).
 *
 * @see arch/arm64/kvm/config.c kvm_vcpu_load_fgt() (v5 10/24)
 */
export function kvmVcpuLoadFgt(world: World, ref: VcpuRef, trace: string[]): World {
  const r = kvmPolicyResult(world, ref, loadedCpu(world, ref));
  const fgt = { hdfgrtr: r.hdfgrtr, hdfgwtr: r.hdfgwtr, hdfgrtr2: r.hdfgrtr2, hdfgwtr2: r.hdfgwtr2 };
  trace.push(
    `kvm_vcpu_load_fgt: HDFGRTR_EL2 ${hex(fgt.hdfgrtr)}, HDFGWTR_EL2 ${hex(fgt.hdfgwtr)}, HDFGRTR2_EL2 ${hex(fgt.hdfgrtr2)}, HDFGWTR2_EL2 ${hex(fgt.hdfgwtr2)}`,
  );
  return updateVcpu(world, ref, (v) => ({ ...v, fgt }));
}

/**
 * Whether __{,de}activate_traps_common() leave PMSELR_EL0 and PMUSERENR_EL0 to kvm_pmu_load/put
 * (v5 17/24). Not in v6: its diffstat ([PATCH v6 00/19]) has no change to
 * arch/arm64/kvm/hyp/include/hyp/switch.h, so mainline's code sets PMUSERENR_EL0 = EN|SW|CR|ER at
 * every vcpu_load and gives the host's back at vcpu_put; kvm_vcpu_read_pmuserenr() (v6 08/19)
 * then reads that value for a partitioned vCPU.
 */
function pmuRegsSwappedByKvm(world: World, ref: VcpuRef, cpu: number): boolean {
  return (
    kernelFamily(world) !== 'mainline' &&
    !world.policy.kernel.vheFastPath &&
    kvmVcpuPmuIsPartitioned(world, ref, cpu)
  );
}

/**
 * `kvm_vcpu_load_vhe()` → `__activate_traps_common()`: unless the vCPU is partitioned (v5 17/24; v7, v8 assumed the same; not v6),
 * PMSELR_EL0 = 0 and PMUSERENR_EL0 = EN|SW|CR|ER with the host's PMUSERENR_EL0 saved, so that EL0
 * PMU accesses trap to EL2 rather than to EL1; then the vCPU's FGT values into the FGT registers
 * the CPU implements (__activate_traps_hfgxtr()).
 *
 * @see arch/arm64/kvm/hyp/include/hyp/switch.h __activate_traps_common()
 */
export function kvmVcpuLoadVhe(world: World, ref: VcpuRef, trace: string[]): World {
  const cpu = loadedCpu(world, ref);
  const vcpu = getVcpu(world, ref);
  let w = world;
  let pe = getHostCpu(w, cpu).pe;
  if (!pmuRegsSwappedByKvm(w, ref, cpu)) {
    const faults: string[] = [];
    const saved = hwReadInto(pe, 'PMUSERENR_EL0', faults);
    pe = hwWriteAll(
      pe,
      [
        ['PMSELR_EL0', 0n],
        ['PMUSERENR_EL0', ARMV8_PMU_USERENR_MASK],
      ],
      faults,
    );
    trace.push(
      `__activate_traps_common: host PMUSERENR_EL0 ${hex(saved)} saved; PMSELR_EL0 = 0, PMUSERENR_EL0 = 0xf`,
    );
    trace.push(...faults);
    w = updateHostCpu(w, cpu, (c) => ({ ...c, savedPmuserenr: saved }));
  } else {
    trace.push('__activate_traps_common: partitioned, PMSELR_EL0 and PMUSERENR_EL0 left to kvm_pmu_load');
  }
  const features = pe.config.features;
  if (features.has('FEAT_FGT')) {
    pe = withReg(withReg(pe, 'HDFGRTR_EL2', vcpu.fgt.hdfgrtr), 'HDFGWTR_EL2', vcpu.fgt.hdfgwtr);
  }
  if (features.has('FEAT_FGT2')) {
    pe = withReg(withReg(pe, 'HDFGRTR2_EL2', vcpu.fgt.hdfgrtr2), 'HDFGWTR2_EL2', vcpu.fgt.hdfgwtr2);
  }
  return withPe(w, cpu, pe);
}

/** Read-modify-write of the EL0 filter bit of the counters in `mask`, at EL2. */
function pmuEl0Filter(world: World, cpu: number, mask: bigint, exclude: boolean, faults: string[]): World {
  let pe = getHostCpu(world, cpu).pe;
  for (const idx of maskBits(mask)) {
    const reg = filterReg(idx);
    const typer = hwReadInto(pe, reg, faults);
    pe = hwWriteAll(
      pe,
      [[reg, exclude ? typer | ARMV8_PMU_EXCLUDE_EL0 : typer & ~ARMV8_PMU_EXCLUDE_EL0]],
      faults,
    );
  }
  return withPe(world, cpu, pe);
}

/**
 * `kvm_vcpu_pmu_restore_guest(vcpu)` on CPU `cpu`: with VHE, EL0 counting enabled for the
 * counters of events_guest and disabled for those of events_host (kvm_vcpu_pmu_enable_el0(),
 * kvm_vcpu_pmu_disable_el0(): PMEVTYPER<n>_EL0, PMCCFILTR_EL0, PMICFILTR_EL0), so that while the
 * vCPU is loaded EL0 means the guest's user space. Nothing without VHE.
 *
 * @see arch/arm64/kvm/pmu.c kvm_vcpu_pmu_restore_guest()
 */
export function kvmVcpuPmuRestoreGuest(world: World, cpu: number, trace: string[]): World {
  if (!world.host.vhe) return world;
  const { eventsHost, eventsGuest } = kvmGetPmuEvents(world, cpu);
  const faults: string[] = [];
  let w = pmuEl0Filter(world, cpu, eventsGuest, false, faults);
  w = pmuEl0Filter(w, cpu, eventsHost, true, faults);
  trace.push(
    `kvm_vcpu_pmu_restore_guest: EL0 counting on for events_guest ${hex(eventsGuest)}, off for events_host ${hex(eventsHost)}`,
    ...faults,
  );
  return w;
}

/**
 * `kvm_vcpu_pmu_restore_host(vcpu)` on CPU `cpu`: with VHE, EL0 counting enabled for the counters
 * of events_host and disabled for those of events_guest. Nothing without VHE.
 *
 * @see arch/arm64/kvm/pmu.c kvm_vcpu_pmu_restore_host()
 */
export function kvmVcpuPmuRestoreHost(world: World, cpu: number, trace: string[]): World {
  if (!world.host.vhe) return world;
  const { eventsHost, eventsGuest } = kvmGetPmuEvents(world, cpu);
  const faults: string[] = [];
  let w = pmuEl0Filter(world, cpu, eventsHost, false, faults);
  w = pmuEl0Filter(w, cpu, eventsGuest, true, faults);
  trace.push(
    `kvm_vcpu_pmu_restore_host: EL0 counting on for events_host ${hex(eventsHost)}, off for events_guest ${hex(eventsGuest)}`,
    ...faults,
  );
  return w;
}

/** The message of pr_warn_ratelimited() in kvm_pmu_set_guest_counters() (v7 13/20). */
export const PINNED_SQUEEZED_WARNING = 'perf: Pinned host event squeezed out by KVM guest PMU partition';

/**
 * `kvm_pmu_set_guest_counters(cpu_pmu, guest_mask)` on CPU `cpu` for PMU `pmuIdx` (v7 13/20):
 * new_mask = hw_cntr_mask \ guest_mask. With a guest mask, if a host event of this CPU occupies
 * one of its counters (cpuc->used_mask), host_squeezed is set, a pinned event there is warned
 * about (the first one, in counter order), and perf_pmu_resched_update() reschedules the host's
 * events onto new_mask. With guest_mask 0 (vcpu_put), the host is rescheduled only if it was
 * squeezed. Otherwise cntr_mask is just set to new_mask. cntr_mask belongs to the PMU, shared by
 * all its CPUs; host_squeezed and the events are this CPU's.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_set_guest_counters(), kvm_pmu_update_mask() (v7 13/20)
 */
export function kvmPmuSetGuestCounters(
  world: World,
  cpu: number,
  pmuIdx: number,
  guestMask: bigint,
  trace: string[],
): World {
  const pmu = world.host.pmus[pmuIdx]!;
  const hc = getHostCpu(world, cpu);
  // cpuc = this_cpu_ptr(cpu_pmu->hw_events): this CPU's events of this PMU (none on another PMU's CPU).
  const own = hc.pmu === pmuIdx;
  const used = own ? hostUsedMask(world, cpu) : 0n;
  const guestBitmap = guestMask & ARMPMU_MAX_HWEVENTS_MASK;
  let newMask = pmu.hwCntrMask & ARMPMU_MAX_HWEVENTS_MASK;
  let squeezed = own && hc.hostSqueezed;
  let needResched = false;
  let w = world;
  if (guestMask !== 0n) {
    newMask &= ~guestBitmap;
    if ((used & guestBitmap) !== 0n) {
      needResched = true;
      squeezed = true;
      for (const idx of maskBits(guestBitmap)) {
        const ev = w.host.perfEvents.find((e) => e.cpu === cpu && e.state === 'active' && e.idx === idx);
        if (ev?.attr.pinned === true) {
          w = withLog(w, [PINNED_SQUEEZED_WARNING]);
          break;
        }
      }
    }
  } else if (squeezed) {
    needResched = true;
    squeezed = false;
  }
  if (own) w = updateHostCpu(w, cpu, (c) => ({ ...c, hostSqueezed: squeezed }));
  trace.push(
    `kvm_pmu_set_guest_counters: guest mask ${hex(guestMask)}, new cntr_mask ${hex(newMask)}, host_squeezed = ${squeezed}${needResched ? ', perf_pmu_resched_update' : ''}`,
  );
  if (needResched) return perfPmuReschedUpdate(w, cpu, newMask, trace);
  const pmus = w.host.pmus.slice();
  pmus[pmuIdx] = { ...pmu, cntrMask: newMask };
  return { ...w, host: { ...w.host, pmus } };
}

/**
 * The hardware filter for the guest's PMEVTYPER<idx>_EL0 (PMCCFILTR_EL0 for 31): the guest's
 * value with EXCLUDE_EL0 | EXCLUDE_EL1 set when the VM's event filter denies the event
 * (CPU_CYCLES for the cycle counter) and INCLUDE_EL2 always cleared.
 *
 * @see arch/arm64/kvm/sys_regs.c writethrough_pmevtyper() (v5 11/24), arch/arm64/kvm/pmu-direct.c
 * kvm_pmu_apply_event_filter() (v5 18/24)
 */
export function kvmPmuFilteredEvtyper(world: World, vm: Vm, idx: number, typer: bigint): bigint {
  const eventsel = idx === 31 ? PERFCTR_CPU_CYCLES : Number(typer & kvmPmuEventMask(vmPmuVer(world, vm)));
  let hw = typer;
  if (vm.pmuFilter !== undefined && !pmuFilterAllows(vm.pmuFilter, eventsel)) {
    hw |= ARMV8_PMU_EXCLUDE_EL0 | ARMV8_PMU_EXCLUDE_EL1;
  }
  return hw & ~ARMV8_PMU_INCLUDE_EL2;
}

/** Whether kvm_pmu_load()/kvm_pmu_put() swap this vCPU's PMU context (v5: use_fgt; v6: partitioned and owned). */
function kvmPmuSwaps(world: World, ref: VcpuRef, cpu: number): boolean {
  switch (kernelFamily(world)) {
    case 'mainline':
      return false;
    case 'v5':
      return kvmVcpuPmuUseFgt(world, ref, cpu);
    case 'v6':
      return kvmVcpuPmuIsPartitioned(world, ref, cpu) && getVcpu(world, ref).pmu.access === 'PHYSICAL';
  }
}

/**
 * `kvm_pmu_load()`: write the guest's PMU context to the hardware, leaving the host's counters
 * alone. v5: only when kvm_vcpu_pmu_use_fgt(); the event filter applied to PMEVTYPER<i>_EL0 for
 * i < hpmn_max and PMCCFILTR_EL0 (18/24), then PMEVCNTR<i>_EL0 for i < hpmn_max, PMCCNTR_EL0,
 * PMUSERENR_EL0, PMSELR_EL0, PMCR_EL0 & MASK & ~(P|C), and PMCNTEN / PMINTEN through
 * kvm_pmu_guest_counter_mask(). v6 (11/19): gated on the vCPU being partitioned and owning the
 * PMU, PMUSERENR_EL0 not swapped, the guest's PMOVS bits cleared in hardware, and the counters of
 * the guest mask reached through PMSELR_EL0 (swappedCounters(), KernelTraits.counterSwap). v7 first calls kvm_pmu_set_guest_counters() with v7's guest mask (the cycle counter
 * and counters 0..max_guest_counters-1), which also bounds PMCNTEN/PMINTEN.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_load() (v5 17/24; v6 11/19; v7 10/20, 13/20)
 */
/**
 * The counters kvm_pmu_load() and kvm_pmu_put() walk: 0..hpmn_max-1 and the cycle counter (v5
 * 17/24), or each set bit 0..31 of the guest counter mask (`for_each_set_bit(i, &guest_counters,
 * ARMPMU_MAX_HWEVENTS)`, v6 11/19, v7 10/20, v8 11/21; KernelTraits.counterSwap).
 */
function swappedCounters(world: World, hpmnMax: number, mask: bigint): number[] {
  if (world.policy.kernel.counterSwap === 'hpmn-max')
    return [...Array.from({ length: Math.max(hpmnMax, 0) }, (_, i) => i), 31];
  return Array.from({ length: 32 }, (_, i) => i).filter((i) => ((mask >> BigInt(i)) & 1n) === 1n);
}

/** Whether the kernel reaches counter `i` through PMSELR_EL0 and PMXEVCNTR_EL0 (KernelTraits.counterSwap). */
function swapsThroughPmselr(world: World, i: number, put: boolean): boolean {
  const how = world.policy.kernel.counterSwap;
  // v7's kvm_pmu_put() was not read: taken to read the counters directly.
  return how === 'pmselr' || (how === 'pmselr-but-cycle' && !put && i !== 31);
}

export function kvmPmuLoad(world: World, ref: VcpuRef, trace: string[]): World {
  const family = kernelFamily(world);
  if (family === 'mainline') return world;
  const cpu = loadedCpu(world, ref);
  if (!kvmPmuSwaps(world, ref, cpu)) {
    trace.push(
      `kvm_pmu_load: nothing to load (${family === 'v5' ? 'not using FGT' : 'PMU not owned by the guest'})`,
    );
    return world;
  }
  const vm = getVm(world, ref.vm);
  const pmu = vmArmPmu(world, vm)!;
  const regs = getVcpu(world, ref).regs;
  const mask = vmGuestCounterMask(world, vm, cpu);
  // v7 13/20: the guest's counters leave the host's cntr_mask first.
  const w = world.policy.kernel.dynamicReservation
    ? kvmPmuSetGuestCounters(world, cpu, vm.armPmu!, mask, trace)
    : world;
  const counters = swappedCounters(world, pmu.hpmnMax, mask);
  const writes: [string, bigint][] = [];
  // The event filter first (v5 18/24 kvm_pmu_apply_event_filter(); v6 12/19 writes it through
  // PMSELR_EL0 and PMXEVTYPER_EL0, which for SEL = i, 31 included, is PMEVTYPER<i>_EL0 or
  // PMCCFILTR_EL0 and for an index >= N the same CONSTRAINED UNPREDICTABLE case, PMXEVTYPER_EL0).
  for (const i of counters) writes.push([typerName(i), kvmPmuFilteredEvtyper(world, vm, i, regs.typer[i]!)]);
  for (const i of counters) {
    if (swapsThroughPmselr(world, i, false))
      writes.push(['PMSELR_EL0', BigInt(i)], ['PMXEVCNTR_EL0', regs.cnt[i]!]);
    else writes.push([counterName(i), regs.cnt[i]!]);
  }
  if (family === 'v5') writes.push(['PMUSERENR_EL0', regs.pmuserenr]);
  writes.push(['PMSELR_EL0', regs.pmselr]);
  writes.push(['PMCR_EL0', regs.pmcr & ARMV8_PMU_PMCR_MASK & ~(ARMV8_PMU_PMCR_P | ARMV8_PMU_PMCR_C)]);
  writes.push(['PMCNTENSET_EL0', regs.pmcntenset & mask], ['PMCNTENCLR_EL0', ~regs.pmcntenset & mask]);
  writes.push(['PMINTENSET_EL1', regs.pmintenset & mask], ['PMINTENCLR_EL1', ~regs.pmintenset & mask]);
  if (family === 'v6') writes.push(['PMOVSCLR_EL0', mask]);
  const faults: string[] = [];
  const pe = hwWriteAll(getHostCpu(w, cpu).pe, writes, faults);
  trace.push(
    `kvm_pmu_load: counters ${counters.join(',')} loaded${world.policy.kernel.counterSwap.startsWith('pmselr') ? ' (event counters through PMSELR_EL0/PMXEVCNTR_EL0)' : ''}; PMCNTEN/PMINTEN through guest mask ${hex(mask)}${family === 'v6' ? '; guest PMOVS cleared' : ''}`,
  );
  trace.push(...faults);
  return withPe(w, cpu, pe);
}

/**
 * `kvm_pmu_put()`: save the guest's PMU context from the hardware (the mirror of kvm_pmu_load();
 * PMOVS is not saved, its virtual copy is canonical). The whole PMCR_EL0 is saved; PMCNTENSET and
 * PMINTENSET through kvm_pmu_guest_counter_mask(). v7 then calls kvm_pmu_set_guest_counters(pmu,
 * 0).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_put() (v5 17/24; v7 13/20)
 */
export function kvmPmuPut(world: World, ref: VcpuRef, trace: string[]): World {
  const family = kernelFamily(world);
  if (family === 'mainline') return world;
  const cpu = loadedCpu(world, ref);
  if (!kvmPmuSwaps(world, ref, cpu)) {
    trace.push('kvm_pmu_put: nothing to save');
    return world;
  }
  const vm = getVm(world, ref.vm);
  const pmu = vmArmPmu(world, vm)!;
  let pe = getHostCpu(world, cpu).pe;
  const mask = vmGuestCounterMask(world, vm, cpu);
  const faults: string[] = [];
  const read = (name: string) => hwReadInto(pe, name, faults);
  const counters = swappedCounters(world, pmu.hpmnMax, mask);
  let cnt = getVcpu(world, ref).regs.cnt;
  for (const i of counters) {
    // v6 11/19: `write_sysreg(i, pmselr_el0); val = read_sysreg(pmxevcntr_el0);`, so the
    // PMSELR_EL0 saved below is the loop's last selection, not the guest's.
    if (swapsThroughPmselr(world, i, true)) {
      pe = hwWriteAll(pe, [['PMSELR_EL0', BigInt(i)]], faults);
      cnt = withAt(cnt, i, read('PMXEVCNTR_EL0'));
    } else cnt = withAt(cnt, i, read(counterName(i)));
  }
  const w0 = withPe(world, cpu, pe);
  const w = updateShadow(w0, ref, (r) => ({
    ...r,
    cnt,
    pmuserenr: family === 'v5' ? read('PMUSERENR_EL0') : r.pmuserenr,
    pmselr: read('PMSELR_EL0'),
    pmcr: read('PMCR_EL0'),
    pmcntenset: read('PMCNTENSET_EL0') & mask,
    pmintenset: read('PMINTENSET_EL1') & mask,
  }));
  trace.push(`kvm_pmu_put: counters ${counters.join(',')} and the controls saved`);
  trace.push(...faults);
  // v7 13/20: the guest's counters go back to the host.
  return world.policy.kernel.dynamicReservation ? kvmPmuSetGuestCounters(w, cpu, vm.armPmu!, 0n, trace) : w;
}

/**
 * `kvm_arch_vcpu_load(vcpu, cpu)`, the steps that touch the PMU, in mainline's order:
 * kvm_vcpu_load_debug() (→ kvm_arm_setup_mdcr_el2() through the policy), kvm_vcpu_load_fgt(),
 * kvm_vcpu_load_vhe(), kvm_vcpu_pmu_restore_guest(), kvm_pmu_load(), and last the supported_cpus check
 * (vcpu_set_on_unsupported_cpu()). With `unsupportedCheckFirst` the check comes first. Without
 * VHE the model still activates the traps here, standing for __activate_traps() at guest entry.
 *
 * @throws InputError when the vCPU is already loaded or the CPU already runs a vCPU.
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_load()
 */
export function kvmArchVcpuLoad(world: World, ref: VcpuRef, cpu: number, opts: LoadOptions = {}): Step {
  const vcpu = getVcpu(world, ref);
  const hc = getHostCpu(world, cpu);
  if (vcpu.cpu >= 0) throw new InputError(`${refText(ref)} is already loaded on CPU ${vcpu.cpu}`);
  if (hc.loaded !== undefined) throw new InputError(`CPU ${cpu} already has ${refText(hc.loaded)} loaded`);
  const trace: string[] = [`kvm_arch_vcpu_load: ${refText(ref)} on CPU ${cpu}`];
  let w = updateVcpu(world, ref, (v) => ({ ...v, cpu, lastCpu: cpu }));
  w = updateHostCpu(w, cpu, (c) => ({ ...c, loaded: ref }));
  if (opts.unsupportedCheckFirst === true) w = vcpuSetOnUnsupportedCpu(w, ref, cpu, trace);
  w = kvmVcpuLoadDebug(w, ref, trace);
  w = kvmVcpuLoadFgt(w, ref, trace);
  w = kvmVcpuLoadVhe(w, ref, trace);
  w = kvmVcpuPmuRestoreGuest(w, cpu, trace);
  w = kvmPmuLoad(w, ref, trace);
  if (opts.unsupportedCheckFirst !== true) w = vcpuSetOnUnsupportedCpu(w, ref, cpu, trace);
  return { world: logFaults(w, trace), trace };
}

/**
 * `kvm_arch_vcpu_put(vcpu)`, the steps that touch the PMU, in mainline's order:
 * kvm_vcpu_put_debug() (the host's MDCR_EL2 back), kvm_vcpu_put_vhe() (→
 * __deactivate_traps_common(): the host's PMUSERENR_EL0 back unless partitioned, host FGT values
 * 0), kvm_vcpu_pmu_restore_host(), kvm_pmu_put(), vcpu_clear_on_unsupported_cpu(), vcpu->cpu = -1.
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_vcpu_put()
 */
export function kvmArchVcpuPut(world: World, ref: VcpuRef): Step {
  const cpu = loadedCpu(world, ref);
  const trace: string[] = [`kvm_arch_vcpu_put: ${refText(ref)} from CPU ${cpu}`];
  const hc = getHostCpu(world, cpu);
  let pe = withReg(hc.pe, 'MDCR_EL2', hc.savedMdcrEl2);
  trace.push(`kvm_vcpu_put_debug: host MDCR_EL2 ${hex(hc.savedMdcrEl2)} restored`);
  if (!pmuRegsSwappedByKvm(world, ref, cpu)) {
    const faults: string[] = [];
    pe = hwWriteAll(pe, [['PMUSERENR_EL0', hc.savedPmuserenr]], faults);
    trace.push(`__deactivate_traps_common: host PMUSERENR_EL0 ${hex(hc.savedPmuserenr)} restored`, ...faults);
  } else {
    trace.push('__deactivate_traps_common: partitioned, host PMUSERENR_EL0 not restored');
  }
  if (pe.config.features.has('FEAT_FGT')) pe = withReg(withReg(pe, 'HDFGRTR_EL2', 0n), 'HDFGWTR_EL2', 0n);
  if (pe.config.features.has('FEAT_FGT2')) pe = withReg(withReg(pe, 'HDFGRTR2_EL2', 0n), 'HDFGWTR2_EL2', 0n);
  let w = withPe(world, cpu, pe);
  w = kvmVcpuPmuRestoreHost(w, cpu, trace);
  w = kvmPmuPut(w, ref, trace);
  if (getVcpu(w, ref).onUnsupportedCpu) trace.push('vcpu_clear_on_unsupported_cpu');
  w = updateVcpu(w, ref, (v) => ({ ...v, cpu: -1, onUnsupportedCpu: false }));
  w = updateHostCpu(w, cpu, (c) => ({ ...c, loaded: undefined }));
  return { world: logFaults(w, trace), trace };
}

/**
 * `kvm_pmu_set_physical_access()`: a partitioned vCPU whose PMU context is VIRTUAL switches to
 * PHYSICAL, recomputes MDCR_EL2 (now without TPM/TPMCR if it uses FGT) and loads its context.
 * The FGT values stay as kvm_vcpu_load_fgt() left them until the next load. Nothing in mainline.
 * v6 (13/19, FREE to GUEST_OWNED) does not load: the function sets the state and calls
 * kvm_arm_setup_mdcr_el2() only, so until the next vcpu_load the guest's fast-path accesses meet
 * what the hardware held before (its comment's "loading the vCPU state onto hardware" is not done).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_set_physical_access() (v5 19/24; [PATCH v6 13/19] "KVM:
 * arm64: Implement lazy PMU context swaps", Message-ID 20260209221414.2169465-14-coltonlewis@google.com)
 */
export function kvmPmuSetPhysicalAccess(world: World, ref: VcpuRef, trace: string[]): World {
  if (kernelFamily(world) === 'mainline') return world;
  const cpu = loadedCpu(world, ref);
  if (!kvmVcpuPmuIsPartitioned(world, ref, cpu) || getVcpu(world, ref).pmu.access !== 'VIRTUAL') return world;
  trace.push('kvm_pmu_set_physical_access: VIRTUAL -> PHYSICAL');
  let w = updateVcpu(world, ref, (v) => ({ ...v, pmu: { ...v.pmu, access: 'PHYSICAL' } }));
  w = kvmArmSetupMdcrEl2(w, ref, trace);
  if (world.policy.kernel.vheFastPath) {
    trace.push('kvm_pmu_set_physical_access: no kvm_pmu_load() (v6 13/19)');
    return w;
  }
  return kvmPmuLoad(w, ref, trace);
}

/** Migration: kvm_arch_vcpu_put() on the current CPU, then kvm_arch_vcpu_load() on `to`. */
export function kvmVcpuMigrate(world: World, ref: VcpuRef, to: number, opts: LoadOptions = {}): Step {
  const put = kvmArchVcpuPut(world, ref);
  const load = kvmArchVcpuLoad(put.world, ref, to, opts);
  return { world: load.world, trace: [...put.trace, ...load.trace] };
}
