// SPDX-License-Identifier: MIT
/**
 * The host's perf events on the PMUv3 driver (drivers/perf/arm_pmuv3.c) and the perf core
 * (kernel/events/core.c): an event gets a counter from the driver's cntr_mask, the PMU is started
 * and stopped (with HPME toggled when partitioned, v5 09/24), the events of a CPU are rescheduled
 * when v7 KVM changes cntr_mask (perf_pmu_resched_update(), v7 12/20), host code runs and counts on
 * the physical PE, and the PMU interrupt is handled, recording guest-counter overflows for the
 * running vCPU (v5 20/24, v7 15/20).
 *
 * Which Exception levels an event counts at is its perf attributes' business
 * (armv8pmu_set_event_filter()): with VHE the host kernel runs at EL2, the guest kernel at EL1, and
 * host and guest user space both at EL0, so an event with exclude_guest gets EXCLUDE_EL1 and KVM
 * switches EL0 counting at vcpu_load/put (kvm_vcpu_pmu_restore_guest()/_host(), in lifecycle.ts),
 * and an event with exclude_host gets no INCLUDE_EL2 and EXCLUDE_EL0 outside the guest. An event
 * that excludes neither counts the guest too. Without VHE, KVM disables exclude_guest events and
 * enables exclude_host events around each guest entry (__pmu_switch_to_guest(), in guest.ts).
 *
 * An event's count (`event->count`) is kept as perf keeps it: what it counted on the counters it
 * left, plus what its current counter counted since it was scheduled there. The model writes no
 * sample period into the counter at schedule-in (armpmu_event_set_period()) and treats every event
 * as a 32-bit event (no config1 long-counter flag).
 *
 * @module
 */

import { countEvents, pmuIrq } from '../arch/pmu/count.js';
import { PMU_EVENT_INST_RETIRED } from '../arch/pmu/events.js';
import { effectiveHPMN } from '../arch/pmu/ranges.js';
import { CYCLE_COUNTER_ID, type El, INSTRUCTION_COUNTER_ID, withReg } from '../arch/pmu/state.js';
import type { Choices, Unpredictable } from '../arch/unpredictable.js';
import { fail, type IoctlResult, succeed } from './errno.js';
import { DEFAULT_PERF_ATTR, type HostPerfEvent, type PerfEventAttr } from './host.js';
import { counterName, hwReadInto, hwWriteAll, typerName } from './hw.js';
import { kvmPmuHostCounterMask, kvmPmuIsPartitioned } from './masks.js';
import { MDCR_EL2_HPME, mdcrEl2Value } from './sysreg.js';
import {
  ARMV8_PMU_EXCLUDE_EL0,
  ARMV8_PMU_EXCLUDE_EL1,
  ARMV8_PMU_INCLUDE_EL2,
  ARMV8_PMU_PMCR_E,
  kernelGuestCounterMask,
  PERFCTR_CPU_CYCLES,
} from './vpmu.js';
import { getHostCpu, kernelFamily, updateShadow, type World, withLog, withPe } from './world.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

const MASK32 = 0xffff_ffffn;

/** Bits 0..32: the counters a `DECLARE_BITMAP(..., ARMPMU_MAX_HWEVENTS)` holds. */
export const ARMPMU_MAX_HWEVENTS_MASK = (1n << 33n) - 1n;

/** The counter register of index `idx` (0..30, 31 PMCCNTR_EL0, 32 PMICNTR_EL0). */
function counterReg(idx: number): string {
  return idx === INSTRUCTION_COUNTER_ID ? 'PMICNTR_EL0' : counterName(idx);
}

/** The filter register of index `idx` (0..30, 31 PMCCFILTR_EL0, 32 PMICFILTR_EL0). */
export function filterReg(idx: number): string {
  return idx === INSTRUCTION_COUNTER_ID ? 'PMICFILTR_EL0' : typerName(idx);
}

/** The counter indices set in `mask`, lowest first. */
export function maskBits(mask: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i <= INSTRUCTION_COUNTER_ID; i++) if (((mask >> BigInt(i)) & 1n) === 1n) out.push(i);
  return out;
}

/** The partition inputs of CPU `cpu`'s own PMU (`cpu_pmu`) on that CPU. */
function cpuPmuPartition(world: World, cpu: number) {
  const hc = getHostCpu(world, cpu);
  const pmu = world.host.pmus[hc.pmu]!;
  return { armPmu: true, hpmnMax: pmu.hpmnMax, hostCounters: hc.nrEventCounters };
}

/** `kvm_pmu_is_partitioned(cpu_pmu)` for CPU `cpu`'s PMU, as the driver asks it (false in mainline). */
export function cpuPmuIsPartitioned(world: World, cpu: number): boolean {
  return kernelFamily(world) !== 'mainline' && kvmPmuIsPartitioned(cpuPmuPartition(world, cpu));
}

/**
 * `kvm_pmu_host_counters_enable()` / `_disable()`: read-modify-write MDCR_EL2.HPME on the CPU (the
 * live register, which holds the guest's value while a vCPU is loaded).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_host_counters_enable() (v5 09/24)
 */
export function kvmPmuHostCounters(world: World, cpu: number, enable: boolean): World {
  const pe = getHostCpu(world, cpu).pe;
  const hpme = mdcrEl2Value(MDCR_EL2_HPME);
  const mdcr = enable ? pe.regs.MDCR_EL2 | hpme : pe.regs.MDCR_EL2 & ~hpme;
  return withPe(world, cpu, withReg(pe, 'MDCR_EL2', mdcr));
}

/** Read-modify-write of PMCR_EL0.E at EL2 (armv8pmu_pmcr_write()). */
function setPmcrE(world: World, cpu: number, on: boolean, trace: string[]): World {
  const pe = getHostCpu(world, cpu).pe;
  const pmcr = hwReadInto(pe, 'PMCR_EL0', trace);
  const val = on ? pmcr | ARMV8_PMU_PMCR_E : pmcr & ~ARMV8_PMU_PMCR_E;
  return withPe(world, cpu, hwWriteAll(pe, [['PMCR_EL0', val]], trace));
}

/**
 * `armv8pmu_start(cpu_pmu)`: when partitioned, kvm_pmu_host_counters_enable(); then PMCR_EL0.E = 1
 * (the same bit that enables the guest's range while a partitioned vCPU is loaded).
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_start() (v5 09/24)
 */
export function armv8pmuStart(
  world: World,
  cpu: number,
): { readonly world: World; readonly trace: readonly string[] } {
  const trace: string[] = [];
  let w = world;
  if (cpuPmuIsPartitioned(w, cpu)) {
    w = kvmPmuHostCounters(w, cpu, true);
    trace.push('kvm_pmu_host_counters_enable: MDCR_EL2.HPME = 1');
  }
  w = setPmcrE(w, cpu, true, trace);
  trace.push('armv8pmu_start: PMCR_EL0.E = 1');
  return { world: w, trace };
}

/**
 * `armv8pmu_stop(cpu_pmu)`: when partitioned, kvm_pmu_host_counters_disable(); then PMCR_EL0.E = 0.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_stop() (v5 09/24)
 */
export function armv8pmuStop(
  world: World,
  cpu: number,
): { readonly world: World; readonly trace: readonly string[] } {
  const trace: string[] = [];
  let w = world;
  if (cpuPmuIsPartitioned(w, cpu)) {
    w = kvmPmuHostCounters(w, cpu, false);
    trace.push('kvm_pmu_host_counters_disable: MDCR_EL2.HPME = 0');
  }
  w = setPmcrE(w, cpu, false, trace);
  trace.push('armv8pmu_stop: PMCR_EL0.E = 0');
  return { world: w, trace };
}

/**
 * `armv8pmu_set_event_filter(hwc, attr)`: the filter bits of `config_base`. With VHE
 * (is_kernel_in_hyp_mode(); "we *are* the hypervisor"): INCLUDE_EL2 unless exclude_kernel or
 * exclude_host, EXCLUDE_EL1 for exclude_guest, EXCLUDE_EL0 for exclude_host. Without VHE:
 * INCLUDE_EL2 unless exclude_hv or exclude_host. Then EXCLUDE_EL1 for exclude_kernel and
 * EXCLUDE_EL0 for exclude_user.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_set_event_filter()
 */
export function armv8pmuSetEventFilter(attr: PerfEventAttr, vhe: boolean): bigint {
  let configBase = 0n;
  if (vhe) {
    if (!attr.excludeKernel && !attr.excludeHost) configBase |= ARMV8_PMU_INCLUDE_EL2;
    if (attr.excludeGuest) configBase |= ARMV8_PMU_EXCLUDE_EL1;
    if (attr.excludeHost) configBase |= ARMV8_PMU_EXCLUDE_EL0;
  } else if (!attr.excludeHv && !attr.excludeHost) {
    configBase |= ARMV8_PMU_INCLUDE_EL2;
  }
  if (attr.excludeKernel) configBase |= ARMV8_PMU_EXCLUDE_EL1;
  if (attr.excludeUser) configBase |= ARMV8_PMU_EXCLUDE_EL0;
  return configBase;
}

/**
 * `kvm_pmu_switch_needed(attr)`: whether KVM must switch the event at guest entry/exit: not with
 * VHE when it excludes EL0 anyway ("where user (EL0) is excluded then we have no reason to switch
 * counters"), else when exclude_host != exclude_guest.
 *
 * @see arch/arm64/kvm/pmu.c kvm_pmu_switch_needed()
 */
export function kvmPmuSwitchNeeded(attr: PerfEventAttr, vhe: boolean): boolean {
  if (vhe && attr.excludeUser) return false;
  return attr.excludeHost !== attr.excludeGuest;
}

/**
 * `*kvm_get_pmu_events()` of CPU `cpu`: `events_host` and `events_guest`, the counters of events
 * KVM switches at guest entry/exit. kvm_set_pmu_events() adds an event's counter when
 * armv8pmu_enable_event() programs it (to events_host unless exclude_host, to events_guest
 * unless exclude_guest) and kvm_clr_pmu_events() removes it when the event leaves the counter, so
 * the masks are those of the CPU's active events that need switching.
 *
 * @see arch/arm64/kvm/pmu.c kvm_set_pmu_events(), kvm_clr_pmu_events()
 */
export function kvmGetPmuEvents(
  world: World,
  cpu: number,
): { readonly eventsHost: bigint; readonly eventsGuest: bigint } {
  let eventsHost = 0n;
  let eventsGuest = 0n;
  for (const e of world.host.perfEvents) {
    if (e.cpu !== cpu || e.state !== 'active' || !kvmPmuSwitchNeeded(e.attr, world.host.vhe)) continue;
    const bit = 1n << BigInt(e.idx);
    if (!e.attr.excludeHost) eventsHost |= bit;
    if (!e.attr.excludeGuest) eventsGuest |= bit;
  }
  return { eventsHost, eventsGuest };
}

/** `cpuc->used_mask` of CPU `cpu`: the counters its active host events occupy. */
export function hostUsedMask(world: World, cpu: number): bigint {
  let used = 0n;
  for (const e of world.host.perfEvents)
    if (e.cpu === cpu && e.state === 'active') used |= 1n << BigInt(e.idx);
  return used;
}

/**
 * `armv8pmu_can_use_pmccntr(cpuc, event)`: only CPU_CYCLES; v5/v6: never when partitioned ("If
 * partitioned at all, pmccntr belongs to the guest", 09/24); v7: only while cntr_mask holds the
 * cycle counter (v7 05/20 "Check cntr_mask before using pmccntr").
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_can_use_pmccntr()
 */
function armv8pmuCanUsePmccntr(world: World, cpu: number, event: number): boolean {
  if (event !== PERFCTR_CPU_CYCLES) return false;
  const pmu = world.host.pmus[getHostCpu(world, cpu).pmu]!;
  if (world.policy.kernel.dynamicReservation) return ((pmu.cntrMask >> BigInt(CYCLE_COUNTER_ID)) & 1n) === 1n;
  return !cpuPmuIsPartitioned(world, cpu) && ((pmu.cntrMask >> BigInt(CYCLE_COUNTER_ID)) & 1n) === 1n;
}

/**
 * `armv8pmu_get_event_idx(cpuc, event)` against `used` (cpuc->used_mask): CPU_CYCLES takes the
 * cycle counter when armv8pmu_can_use_pmccntr() and it is free; INST_RETIRED takes the instruction
 * counter when cntr_mask holds it and it is free ("Always prefer to place a instruction counter
 * into the instruction counter"); otherwise the lowest free general counter of cntr_mask
 * (armv8pmu_get_single_idx()), or the highest with v8 05/21. -1 for -EAGAIN.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_get_event_idx(), armv8pmu_get_single_idx()
 */
export function armv8pmuGetEventIdx(world: World, cpu: number, event: number, used: bigint): number {
  const pmu = world.host.pmus[getHostCpu(world, cpu).pmu]!;
  const free = (i: number) => ((pmu.cntrMask >> BigInt(i)) & 1n) === 1n && ((used >> BigInt(i)) & 1n) === 0n;
  if (armv8pmuCanUsePmccntr(world, cpu, event) && ((used >> BigInt(CYCLE_COUNTER_ID)) & 1n) === 0n)
    return CYCLE_COUNTER_ID;
  if (event === PMU_EVENT_INST_RETIRED && free(INSTRUCTION_COUNTER_ID)) return INSTRUCTION_COUNTER_ID;
  // v8 05/21 "perf: arm_pmuv3: Allocate counter indices from high to low" (title only: the
  // highest free counter is taken), so that host events keep clear of the guest's low counters.
  if (world.policy.kernel.counterAllocation === 'highest') {
    for (let i = 30; i >= 0; i--) if (free(i)) return i;
    return -1;
  }
  for (let i = 0; i <= 30; i++) if (free(i)) return i;
  return -1;
}

/**
 * `armv8pmu_enable_event(event)` on counter `ev.idx`, at EL2: the filter register gets
 * config_base (armv8pmu_write_event_type()), the interrupt is enabled, kvm_set_pmu_events()
 * records the counter, and the counter is enabled unless kvm_pmu_counter_deferred() (no VHE and
 * exclude_host: __pmu_switch_to_guest() enables it at guest entry).
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_enable_event(), armv8pmu_enable_event_counter();
 * arch/arm64/include/asm/arm_pmuv3.h kvm_pmu_counter_deferred()
 */
function armv8pmuEnableEvent(world: World, ev: HostPerfEvent, trace: string[]): World {
  const bit = 1n << BigInt(ev.idx);
  const deferred = !world.host.vhe && ev.attr.excludeHost;
  const writes: [string, bigint][] = [
    [filterReg(ev.idx), ev.configBase],
    ['PMINTENSET_EL1', bit],
  ];
  if (!deferred) writes.push(['PMCNTENSET_EL0', bit]);
  return withPe(world, ev.cpu, hwWriteAll(getHostCpu(world, ev.cpu).pe, writes, trace));
}

/**
 * `armv8pmu_disable_event(event)`: kvm_clr_pmu_events() and PMCNTENCLR for its counter, then
 * PMINTENCLR, at EL2.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_disable_event()
 */
function armv8pmuDisableEvent(world: World, ev: HostPerfEvent, trace: string[]): World {
  const bit = 1n << BigInt(ev.idx);
  const writes: [string, bigint][] = [
    ['PMCNTENCLR_EL0', bit],
    ['PMINTENCLR_EL1', bit],
  ];
  return withPe(world, ev.cpu, hwWriteAll(getHostCpu(world, ev.cpu).pe, writes, trace));
}

/**
 * `armpmu_event_update(event)`: the counter's progress since prev_count, as a 32-bit event
 * (arm_pmu_event_max_period()), added to the count; prev_count becomes the counter's value.
 *
 * @see drivers/perf/arm_pmu.c armpmu_event_update()
 */
function armpmuEventUpdate(world: World, ev: HostPerfEvent, trace: string[]): HostPerfEvent {
  const now = hwReadInto(getHostCpu(world, ev.cpu).pe, counterReg(ev.idx), trace);
  return { ...ev, count: ev.count + ((now - ev.prevCount) & MASK32), prevCount: now };
}

/** Replaces event `ev.id` in the host's list. */
function withEvent(world: World, ev: HostPerfEvent): World {
  const perfEvents = world.host.perfEvents.slice();
  perfEvents[ev.id] = ev;
  return { ...world, host: { ...world.host, perfEvents } };
}

/** Schedules `ev` onto counter `idx`: prev_count from the counter, then armv8pmu_enable_event(). */
function schedIn(world: World, ev: HostPerfEvent, idx: number, trace: string[]): World {
  const prevCount = hwReadInto(getHostCpu(world, ev.cpu).pe, counterReg(idx), trace);
  const moved: HostPerfEvent = { ...ev, idx, state: 'active', prevCount };
  return armv8pmuEnableEvent(withEvent(world, moved), moved, trace);
}

/**
 * perf_event_open() of a host event for architectural event `event` on CPU `cpu`, with `attr`
 * (default: no exclusions, not pinned). config_base is the event number and the filter of
 * armv8pmu_set_event_filter(); armv8pmu_get_event_idx() picks the counter; armv8pmu_enable_event()
 * programs it. Returns the counter index as `ret`; `id` names the event (perfEventRead()).
 *
 * The model refuses (-EAGAIN) an event that finds no free counter at open, where the kernel
 * would create it and leave it waiting (flexible) or in error (pinned).
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_get_event_idx(), armv8pmu_set_event_filter(),
 * armv8pmu_enable_event()
 */
export function perfEventOpen(
  world: World,
  cpu: number,
  event: number,
  attr: Partial<PerfEventAttr> = {},
): IoctlResult<World> & { readonly id?: number } {
  const pmu = world.host.pmus[getHostCpu(world, cpu).pmu]!;
  const fullAttr: PerfEventAttr = { ...DEFAULT_PERF_ATTR, ...attr };
  const idx = armv8pmuGetEventIdx(world, cpu, event, hostUsedMask(world, cpu));
  if (idx < 0)
    return fail(world, 'EAGAIN', `armv8pmu_get_event_idx: no free counter in cntr_mask ${hex(pmu.cntrMask)}`);
  const id = world.host.perfEvents.length;
  const ev: HostPerfEvent = {
    id,
    cpu,
    idx: -1,
    event,
    attr: fullAttr,
    state: 'inactive',
    configBase: BigInt(event) | armv8pmuSetEventFilter(fullAttr, world.host.vhe),
    count: 0n,
    prevCount: 0n,
    overflows: 0,
  };
  let w: World = { ...world, host: { ...world.host, perfEvents: [...world.host.perfEvents, ev] } };
  const trace: string[] = [];
  w = schedIn(w, ev, idx, trace);
  return {
    ...succeed(withLog(w, trace), `perf event 0x${event.toString(16)} on CPU ${cpu}: counter ${idx}`, idx),
    id,
  };
}

/**
 * `perf_event_read_value()` of host event `id`: its count, plus what its counter counted since
 * prev_count while it is active.
 */
export function perfEventRead(world: World, id: number): bigint {
  const ev = world.host.perfEvents[id];
  if (ev === undefined) throw new Error(`internal: no perf event ${id}`);
  if (ev.state !== 'active') return ev.count;
  return armpmuEventUpdate(world, ev, []).count;
}

/**
 * `perf_pmu_resched_update(pmu, update, data)` on CPU `cpu` with kvm_pmu_update_mask() as
 * `update` (v7 12/20, 13/20): __ctx_resched() disables the PMU (armv8pmu_stop()), schedules every
 * active event of the CPU out (armv8pmu_disable_event(), armpmu_event_update()), runs the update
 * (the PMU's cntr_mask = `newMask`), and schedules the events back in, pinned ones first, then
 * flexible ones, each in creation order (perf_event_sched_in(), merge_sched_in()): an event gets
 * armv8pmu_get_event_idx()'s counter, and after the first one that gets none, no later event of
 * the same pass is tried (group_can_go_on() with can_add_hw = 0). A pinned event left without a
 * counter goes to the error state; a flexible one waits, inactive, for a later reschedule. The PMU
 * is started again if an event is on a counter (armpmu_enable()).
 *
 * @see kernel/events/core.c perf_pmu_resched_update(), __ctx_resched(), merge_sched_in() (v7
 * 12/20); drivers/perf/arm_pmu.c armpmu_enable(), armpmu_disable()
 */
export function perfPmuReschedUpdate(world: World, cpu: number, newMask: bigint, trace: string[]): World {
  const pmuIdx = getHostCpu(world, cpu).pmu;
  const stop = armv8pmuStop(world, cpu);
  trace.push(...stop.trace);
  let w = stop.world;
  const mine = (e: HostPerfEvent) => e.cpu === cpu;
  for (const e of w.host.perfEvents) {
    if (!mine(e) || e.state !== 'active') continue;
    w = armv8pmuDisableEvent(w, e, trace);
    w = withEvent(w, { ...armpmuEventUpdate(w, e, trace), idx: -1, state: 'inactive' });
  }
  const pmus = w.host.pmus.slice();
  pmus[pmuIdx] = { ...pmus[pmuIdx]!, cntrMask: newMask };
  w = { ...w, host: { ...w.host, pmus } };
  const placed: string[] = [];
  for (const pinned of [true, false]) {
    let canAddHw = true;
    for (const e of w.host.perfEvents) {
      if (!mine(e) || e.state !== 'inactive' || e.attr.pinned !== pinned) continue;
      const idx = canAddHw ? armv8pmuGetEventIdx(w, cpu, e.event, hostUsedMask(w, cpu)) : -1;
      if (idx >= 0) {
        w = schedIn(w, e, idx, trace);
        placed.push(`event ${e.id} -> counter ${idx}`);
        continue;
      }
      canAddHw = false;
      if (pinned) {
        w = withEvent(w, { ...e, state: 'error' });
        placed.push(`pinned event ${e.id} -> error state`);
      } else {
        placed.push(`event ${e.id} -> not scheduled`);
      }
    }
  }
  trace.push(
    `perf_pmu_resched_update: CPU ${cpu} cntr_mask ${hex(newMask)}: ${placed.length === 0 ? 'no events' : placed.join(', ')}`,
  );
  if (hostUsedMask(w, cpu) === 0n) return w;
  const start = armv8pmuStart(w, cpu);
  trace.push(...start.trace);
  return start.world;
}

/**
 * `armv8pmu_handle_irq(cpu_pmu)` on CPU `cpu`: read the overflow flags (v5: only those with
 * interrupts enabled, and clear them in hardware, guest counters' included; v6/v7: clear only the
 * host's, kvm_pmu_host_counter_mask()), stop the PMU, count an overflow for each active host event
 * whose flag is set, hand the guest counters' flags to kvm_pmu_handle_guest_irq() when partitioned
 * (OR them into the running vCPU's virtual PMOVSSET_EL0; v6 also clears them in hardware, v7 clears
 * them whether or not a vCPU runs), and start the PMU again. In v7 the guest mask is v7's
 * (kvmPmuGuestCounterMaskV7()): the instruction counter is in neither mask.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_handle_irq(), armv8pmu_getreset_flags() (v5 20/24),
 * armv8pmu_getovf_flags() (v7 15/20); arch/arm64/kvm/pmu-direct.c kvm_pmu_handle_guest_irq() (v5
 * 20/24; v6 14/19; v7 15/20)
 */
export function armv8pmuHandleIrq(world: World, cpu: number, trace: string[]): World {
  const family = kernelFamily(world);
  let pe = getHostCpu(world, cpu).pe;
  let pmovsr = hwReadInto(pe, 'PMOVSSET_EL0', trace);
  if (family !== 'mainline') pmovsr &= hwReadInto(pe, 'PMINTENSET_EL1', trace);
  const hostMask = kvmPmuHostCounterMask(cpuPmuPartition(world, cpu));
  const clear = family === 'v6' && cpuPmuIsPartitioned(world, cpu) ? pmovsr & hostMask : pmovsr;
  const v7 = world.policy.kernel.dynamicReservation;
  pe = hwWriteAll(pe, [['PMOVSCLR_EL0', clear]], trace);
  trace.push(`armv8pmu_handle_irq: PMOVS ${hex(pmovsr)}, cleared ${hex(clear)}`);
  if (pmovsr === 0n) return withPe(world, cpu, pe);
  let w = withPe(world, cpu, pe);
  w = armv8pmuStop(w, cpu).world;
  const perfEvents = w.host.perfEvents.map((e) =>
    e.cpu === cpu && e.state === 'active' && ((pmovsr >> BigInt(e.idx)) & 1n) === 1n
      ? { ...e, overflows: e.overflows + 1 }
      : e,
  );
  w = { ...w, host: { ...w.host, perfEvents } };
  const govf = pmovsr & kernelGuestCounterMask(w, cpuPmuPartition(w, cpu));
  const running = getHostCpu(w, cpu).loaded;
  if (cpuPmuIsPartitioned(w, cpu) && govf !== 0n) {
    // v7 15/20: write_pmovsclr(govf) before looking for a running vCPU.
    if (v7) w = withPe(w, cpu, hwWriteAll(getHostCpu(w, cpu).pe, [['PMOVSCLR_EL0', govf]], trace));
    if (running !== undefined) {
      w = updateShadow(w, running, (r) => ({ ...r, pmovsset: r.pmovsset | govf }));
      if (family === 'v6' && !v7)
        w = withPe(w, cpu, hwWriteAll(getHostCpu(w, cpu).pe, [['PMOVSCLR_EL0', govf]], trace));
      trace.push(`kvm_pmu_handle_guest_irq: ${hex(govf)} recorded in the running vCPU's PMOVSSET_EL0`);
    } else {
      trace.push(`kvm_pmu_handle_guest_irq: ${hex(govf)} dropped, no vCPU running`);
    }
  }
  return armv8pmuStart(w, cpu).world;
}

/**
 * Host code on CPU `cpu` causes `events` at `el` (default EL2, the VHE host kernel): they count
 * on the physical PE under the current MDCR_EL2, and a raised PMU interrupt is handled. A reserved
 * MDCR_EL2.HPMN without a choice answers the CONSTRAINED UNPREDICTABLE case and changes nothing.
 */
export function hostRun(
  world: World,
  cpu: number,
  events: Readonly<Record<number, number | bigint>>,
  opts: { readonly el?: El; readonly choices?: Choices } = {},
): { readonly world: World; readonly unpredictable?: Unpredictable; readonly trace: readonly string[] } {
  const choices = opts.choices ?? {};
  const pe = getHostCpu(world, cpu).pe;
  const h = effectiveHPMN(pe, choices);
  if (h.kind === 'unpredictable') return { world, unpredictable: h, trace: [] };
  const map = new Map(Object.entries(events).map(([k, v]) => [Number(k), BigInt(v)] as const));
  const r = countEvents(pe, map, opts.el ?? 2, h.value, choices);
  if (r.kind === 'unpredictable') return { world, unpredictable: r, trace: [] };
  const irq = pmuIrq(r.value, h.value, choices);
  if (irq.kind === 'unpredictable') return { world, unpredictable: irq, trace: [] };
  let w = withPe(world, cpu, r.value);
  const trace: string[] = [];
  if (irq.value) w = armv8pmuHandleIrq(w, cpu, trace);
  return {
    world: withLog(
      w,
      trace.filter((l) => l.startsWith('kernel fault')),
    ),
    trace,
  };
}
