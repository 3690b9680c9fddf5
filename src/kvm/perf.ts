// SPDX-License-Identifier: MIT
/**
 * The host's perf events on the PMUv3 driver (drivers/perf/arm_pmuv3.c): a pinned event gets a
 * counter from the driver's cntr_mask, the PMU is started and stopped (with HPME toggled when
 * partitioned, v5 09/24), host code runs and counts on the physical PE, and the PMU interrupt is
 * handled, recording guest-counter overflows for the running vCPU (v5 20/24).
 *
 * A host event here counts at EL2 (the VHE host kernel, ARMV8_PMU_INCLUDE_EL2) and at EL1 and EL0
 * (it excludes neither host nor guest), as a plain `perf stat -a` event does.
 *
 * @module
 */

import { countEvents, pmuIrq } from '../arch/pmu/count.js';
import { effectiveHPMN } from '../arch/pmu/ranges.js';
import { CYCLE_COUNTER_ID, type El, withReg } from '../arch/pmu/state.js';
import type { Choices, Unpredictable } from '../arch/unpredictable.js';
import { fail, type IoctlResult, succeed } from './errno.js';
import { hwReadInto, hwWriteAll, typerName } from './hw.js';
import { kvmPmuGuestCounterMask, kvmPmuHostCounterMask, kvmPmuIsPartitioned } from './masks.js';
import { MDCR_EL2_HPME } from './sysreg.js';
import { ARMV8_PMU_INCLUDE_EL2, ARMV8_PMU_PMCR_E, PERFCTR_CPU_CYCLES } from './vpmu.js';
import { getHostCpu, kernelFamily, updateShadow, type World, withLog, withPe } from './world.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

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
  const mdcr = enable ? pe.regs.MDCR_EL2 | MDCR_EL2_HPME : pe.regs.MDCR_EL2 & ~MDCR_EL2_HPME;
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
 * A pinned host perf event for architectural event `event` on CPU `cpu`:
 * armv8pmu_get_event_idx() gives CPU_CYCLES the cycle counter when armv8pmu_can_use_pmccntr()
 * (never when partitioned: "pmccntr belongs to the guest"), else the lowest free counter of the
 * driver's cntr_mask; none free → -EAGAIN. armv8pmu_enable_event() then programs the filter
 * (event | INCLUDE_EL2) and sets the counter's PMCNTENSET and PMINTENSET bits, at EL2. Returns the
 * counter index as `ret`.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_get_event_idx(), armv8pmu_can_use_pmccntr(),
 * armv8pmu_enable_event() (v5 09/24)
 */
export function perfEventOpen(world: World, cpu: number, event: number): IoctlResult<World> {
  const hc = getHostCpu(world, cpu);
  const pmu = world.host.pmus[hc.pmu]!;
  const used = new Set(world.host.perfEvents.filter((e) => e.cpu === cpu).map((e) => e.idx));
  const has = (i: number) => ((pmu.cntrMask >> BigInt(i)) & 1n) === 1n;
  let idx = -1;
  if (
    event === PERFCTR_CPU_CYCLES &&
    !cpuPmuIsPartitioned(world, cpu) &&
    has(CYCLE_COUNTER_ID) &&
    !used.has(CYCLE_COUNTER_ID)
  ) {
    idx = CYCLE_COUNTER_ID;
  } else {
    for (let i = 0; i <= 30 && idx < 0; i++) if (has(i) && !used.has(i)) idx = i;
  }
  if (idx < 0)
    return fail(world, 'EAGAIN', `armv8pmu_get_event_idx: no free counter in cntr_mask ${hex(pmu.cntrMask)}`);
  const bit = 1n << BigInt(idx);
  const trace: string[] = [];
  const pe = hwWriteAll(
    hc.pe,
    [
      [typerName(idx), BigInt(event) | ARMV8_PMU_INCLUDE_EL2],
      ['PMINTENSET_EL1', bit],
      ['PMCNTENSET_EL0', bit],
    ],
    trace,
  );
  let w = withPe(world, cpu, pe);
  w = { ...w, host: { ...w.host, perfEvents: [...w.host.perfEvents, { cpu, idx, event, overflows: 0 }] } };
  return succeed(withLog(w, trace), `perf event 0x${event.toString(16)} on CPU ${cpu}: counter ${idx}`, idx);
}

/**
 * `armv8pmu_handle_irq(cpu_pmu)` on CPU `cpu`: read the overflow flags (v5: only those with
 * interrupts enabled, and clear them in hardware, guest counters' included; v6: clear only the
 * host's), stop the PMU, count an overflow for each host event whose flag is set, hand the guest
 * counters' flags to kvm_pmu_handle_guest_irq() when partitioned (OR them into the running vCPU's
 * virtual PMOVSSET_EL0; v6 also clears them in hardware), and start the PMU again.
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_handle_irq(), armv8pmu_getreset_flags() (v5 20/24);
 * arch/arm64/kvm/pmu-direct.c kvm_pmu_handle_guest_irq() (v5 20/24; v6 14/19)
 */
export function armv8pmuHandleIrq(world: World, cpu: number, trace: string[]): World {
  const family = kernelFamily(world);
  let pe = getHostCpu(world, cpu).pe;
  let pmovsr = hwReadInto(pe, 'PMOVSSET_EL0', trace);
  if (family !== 'mainline') pmovsr &= hwReadInto(pe, 'PMINTENSET_EL1', trace);
  const hostMask = kvmPmuHostCounterMask(cpuPmuPartition(world, cpu));
  const clear = family === 'v6' && cpuPmuIsPartitioned(world, cpu) ? pmovsr & hostMask : pmovsr;
  pe = hwWriteAll(pe, [['PMOVSCLR_EL0', clear]], trace);
  trace.push(`armv8pmu_handle_irq: PMOVS ${hex(pmovsr)}, cleared ${hex(clear)}`);
  if (pmovsr === 0n) return withPe(world, cpu, pe);
  let w = withPe(world, cpu, pe);
  w = armv8pmuStop(w, cpu).world;
  const perfEvents = w.host.perfEvents.map((e) =>
    e.cpu === cpu && ((pmovsr >> BigInt(e.idx)) & 1n) === 1n ? { ...e, overflows: e.overflows + 1 } : e,
  );
  w = { ...w, host: { ...w.host, perfEvents } };
  const govf = pmovsr & kvmPmuGuestCounterMask(cpuPmuPartition(w, cpu));
  const running = getHostCpu(w, cpu).loaded;
  if (cpuPmuIsPartitioned(w, cpu) && govf !== 0n) {
    if (running !== undefined) {
      w = updateShadow(w, running, (r) => ({ ...r, pmovsset: r.pmovsset | govf }));
      if (family === 'v6')
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
