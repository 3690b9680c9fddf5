// SPDX-License-Identifier: MIT
/**
 * The guest running on a loaded vCPU: its PMU register accesses and the events it causes.
 *
 * A guest access runs through the architecture model (accessSysreg) on the physical CPU's PE,
 * with MDCR_EL2 and the FGT registers as KVM loaded them and HCR_EL2 as for a guest (E2H set, TGE
 * clear); what the Arm ARM does is what happens. A trap to EL2 goes to KVM (kvmHandleSysReg());
 * a trap to EL1 is the guest's own business.
 *
 * Guest events count on the physical PE (the partitioned guest's own counters, and host events
 * whose filters let them count at the guest's EL1 or EL0: with VHE, armv8pmu_set_event_filter()
 * gives an exclude_guest event EXCLUDE_EL1 and kvm_vcpu_pmu_restore_guest() turned its EL0
 * counting off at vcpu_load; without VHE, __pmu_switch_to_guest() disables it around the entry);
 * a raised PMU interrupt goes to the host's handler, which records guest overflows for the running
 * vCPU; kvm_pmu_update_state() then drives the vCPU's interrupt level. A vPMU that is not
 * partitioned is emulated: its counters count as an architectural PMU with N = nr_pmu_counters
 * would, which is what KVM's perf events approximate (kvm_pmu_create_perf_event()). Only guestRun()
 * counts them: those perf events are created with exclude_host (and exclude_hv), so they get no
 * INCLUDE_EL2 and, with VHE, EXCLUDE_EL0 outside the guest; host code (perf.ts hostRun()) never
 * counts on them.
 *
 * @module
 */

import { lookupRegister } from '../arch/catalogue.js';
import type { CpuDef } from '../arch/cpus.js';
import type { PmuVersion } from '../arch/features.js';
import { countEvents, pmuIrq } from '../arch/pmu/count.js';
import { effectiveHPMN } from '../arch/pmu/ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  makePeState,
  type PeState,
  storedValue,
  withReg,
} from '../arch/pmu/state.js';
import { type CompletedOutcome, outcomeGroups, type PeStep, stepOutcomes } from '../arch/step.js';
import type { Choices, Unpredictable } from '../arch/unpredictable.js';
import { GUEST_HCR_EL2_VHE } from './host.js';
import { hwReadInto, hwWriteAll } from './hw.js';
import { loadedCpu, logFaults } from './lifecycle.js';
import { armv8pmuHandleIrq, kvmGetPmuEvents } from './perf.js';
import { kvmHandleSysReg } from './sys_regs.js';
import {
  ARMV8_PMU_PMCR_E,
  kvmPmuEventMask,
  kvmVcpuPmcrN,
  kvmVcpuPmuIsPartitioned,
  PERFCTR_CPU_CYCLES,
  PERFCTR_SW_INCR,
  pmuFilterAllows,
  vmGuestCounterMask,
  vmPmuVer,
} from './vpmu.js';
import {
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  updateShadow,
  updateVcpu,
  type VcpuRef,
  type World,
  withPe,
} from './world.js';

/** What a guest access did, as the guest observes it. */
export type GuestOutcome =
  /**
   * Completed (by the hardware or by KVM), with the value for a read; `unknown`: bits of the value
   * that differ between the permitted CONSTRAINED UNPREDICTABLE behaviours (0 in `value`).
   */
  | { readonly kind: 'ok'; readonly value?: bigint; readonly unknown?: bigint }
  /** An Undefined Instruction exception at the guest's EL1 (architectural, or injected by KVM). */
  | { readonly kind: 'undefined' }
  /** A trap to the guest's own EL1 (PMUSERENR_EL0 at EL0), or to EL3. */
  | { readonly kind: 'trap'; readonly toEl: 1 | 3 }
  /** A CONSTRAINED UNPREDICTABLE case with no choice given; nothing changed. */
  | Unpredictable;

/** One guest MRS/MSR. */
export interface GuestAccess {
  /** The guest's Exception level (default 1). */
  readonly el?: 0 | 1;
  readonly dir: 'read' | 'write';
  /** The register's name (`PMEVCNTR5_EL0`). */
  readonly reg: string;
  readonly value?: bigint;
  /** Choices for CONSTRAINED UNPREDICTABLE cases the hardware meets. */
  readonly choices?: Choices;
}

/** The result of a guest access. */
export interface GuestAccessResult {
  readonly world: World;
  readonly outcome: GuestOutcome;
  /** Who completed or refused it: the hardware (no trap to EL2), or KVM after a trap to EL2. */
  readonly by: 'hardware' | 'kvm';
  /** The architecture's rule that decided, then KVM's handler when it trapped. */
  readonly why: string;
  readonly trace: readonly string[];
}

const HCR_EL2 = 'HCR_EL2';

/** The PE as the guest runs on it: HCR_EL2 with TGE clear under VHE. */
function asGuest(world: World, pe: PeState): PeState {
  return world.host.vhe ? withReg(pe, HCR_EL2, GUEST_HCR_EL2_VHE) : pe;
}

/**
 * A guest access to a PMU register of vCPU `ref` (loaded, in KVM_RUN) at EL1 or EL0.
 *
 * @throws InputError when the vCPU is not loaded or the register name is unknown.
 */
export function guestAccess(world: World, ref: VcpuRef, acc: GuestAccess): GuestAccessResult {
  const cpu = loadedCpu(world, ref);
  const hostPe = getHostCpu(world, cpu).pe;
  const reg = lookupRegister(acc.reg);
  const el = acc.el ?? 1;
  const value = acc.value ?? 0n;
  // Every permitted CONSTRAINED UNPREDICTABLE behaviour of the hardware is evaluated; only an
  // access whose result depends on the behaviour (and that the caller's choices leave open) is
  // answered `unpredictable` (src/arch/step.ts).
  const step: PeStep = acc.dir === 'read' ? { kind: 'read', el, reg } : { kind: 'write', el, reg, value };
  const s = stepOutcomes(asGuest(world, hostPe), step, acc.choices ?? {});
  if (s.kind === 'unpredictable') {
    const outcome: GuestOutcome = { kind: 'unpredictable', rule: s.rule, allowed: s.allowed };
    return { world, outcome, by: 'hardware', why: s.why, trace: [] };
  }
  const r = { state: s.state, rule: s.rule };
  const o: CompletedOutcome = s.kind === 'determined' ? s.outcome : { kind: 'ok', value: s.value };
  switch (o.kind) {
    case 'ok': {
      const pe = withReg(r.state, HCR_EL2, hostPe.regs.HCR_EL2);
      let outcome: GuestOutcome = o.value === undefined ? { kind: 'ok' } : { kind: 'ok', value: o.value };
      if (s.kind === 'unknown-bits') outcome = { kind: 'ok', value: s.value, unknown: s.unknown };
      return { world: withPe(world, cpu, pe), outcome, by: 'hardware', why: r.rule, trace: [] };
    }
    case 'undefined':
      return { world, outcome: { kind: 'undefined' }, by: 'hardware', why: r.rule, trace: [] };
    case 'trap': {
      if (o.toEl !== 2)
        return { world, outcome: { kind: 'trap', toEl: o.toEl }, by: 'hardware', why: r.rule, trace: [] };
      const trace: string[] = [`trap to EL2: ${r.rule}`];
      const h = kvmHandleSysReg(world, ref, { el, dir: acc.dir, reg, value }, trace);
      return {
        world: logFaults(h.world, trace),
        outcome: h.outcome,
        by: 'kvm',
        why: `${r.rule}; ${h.why}`,
        trace,
      };
    }
  }
}

/**
 * `kvm_pmu_part_overflow_status(vcpu)`: the hardware PMCR_EL0.E and a guest counter whose virtual
 * PMOVSSET bit and hardware PMINTENSET bit are both set. v6: false while the guest does not own the
 * PMU (FREE).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_part_overflow_status() (v5 21/24; v6 15/19)
 */
export function kvmPmuPartOverflowStatus(world: World, ref: VcpuRef, trace: string[]): boolean {
  const cpu = loadedCpu(world, ref);
  const vcpu = getVcpu(world, ref);
  if (kernelFamily(world) === 'v6' && vcpu.pmu.access !== 'PHYSICAL') return false;
  const pe = getHostCpu(world, cpu).pe;
  const mask = vmGuestCounterMask(world, getVm(world, ref.vm), cpu);
  const pmint = hwReadInto(pe, 'PMINTENSET_EL1', trace);
  const pmcr = hwReadInto(pe, 'PMCR_EL0', trace);
  return (pmcr & ARMV8_PMU_PMCR_E) !== 0n && (mask & vcpu.regs.pmovsset & pmint) !== 0n;
}

/**
 * `kvm_pmu_emul_overflow_status(vcpu)` (mainline kvm_pmu_overflow_status()): PMOVSSET & PMINTENSET,
 * with nothing left when PMCR_EL0.E is clear (no EL2 range in a guest without nested virtualisation).
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_pmu_overflow_status()
 */
export function kvmPmuEmulOverflowStatus(world: World, ref: VcpuRef): boolean {
  const r = getVcpu(world, ref).regs;
  const reg = (r.pmcr & ARMV8_PMU_PMCR_E) === 0n ? 0n : r.pmovsset & r.pmintenset;
  return reg !== 0n;
}

/**
 * `kvm_pmu_update_state(vcpu)`: the overflow status (partitioned or emulated) becomes the vCPU's
 * PMU interrupt level; a change is injected into the vGIC.
 *
 * @see arch/arm64/kvm/pmu.c kvm_pmu_update_state() (v5 21/24)
 */
export function kvmPmuUpdateState(world: World, ref: VcpuRef, trace: string[]): World {
  const vcpu = getVcpu(world, ref);
  if (!vcpu.pmuV3) return world;
  const partitioned = kvmVcpuPmuIsPartitioned(world, ref, loadedCpu(world, ref));
  const overflow = partitioned
    ? kvmPmuPartOverflowStatus(world, ref, trace)
    : kvmPmuEmulOverflowStatus(world, ref);
  if (overflow === vcpu.pmu.irqLevel) return world;
  trace.push(`kvm_pmu_update_state: PMU interrupt ${vcpu.pmu.irqNum} level ${overflow ? 1 : 0}`);
  return updateVcpu(world, ref, (v) => ({ ...v, pmu: { ...v.pmu, irqLevel: overflow } }));
}

const VIRTUAL_CPUS = new Map<string, CpuDef>();

/** The architectural PE an emulated vPMU stands for: the VM's PMU version and N = nr_pmu_counters. */
function virtualCpu(pmuVer: PmuVersion, n: number): CpuDef {
  const key = `${pmuVer}/${n}`;
  let cpu = VIRTUAL_CPUS.get(key);
  if (cpu === undefined) {
    cpu = {
      name: 'kvm-vpmu',
      title: 'KVM emulated vPMU',
      arch: 'unspecified',
      pmuVer,
      n,
      features: [],
      source: 'model',
    };
    VIRTUAL_CPUS.set(key, cpu);
  }
  return cpu;
}

const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');

/**
 * The enabled emulated counters whose perf event the host PMU can schedule. KVM's events are
 * pinned (kvm_pmu_create_perf_event(): `attr.pinned = 1`; none for SW_INCR), created in counter
 * order (kvm_pmu_enable_counter_mask() walks the bits upwards); each takes the hardware cycle
 * counter when it counts CPU_CYCLES and that is free, else the lowest free event counter
 * (armv8pmu_get_event_idx()). One that finds none never runs (a pinned event that cannot be
 * scheduled goes to the error state), so its counter does not count. Only a guest N above the
 * host's (userspace's PMCR_EL0.N in v6.1) can run out; the host's own perf events are not counted.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_pmu_create_perf_event(), kvm_pmu_enable_counter_mask(),
 * arch/arm64/kernel/perf_event.c armv8pmu_get_event_idx() (v6.1)
 */
function scheduledPerfEvents(world: World, ref: VcpuRef, enabled: bigint, eventMask: bigint): bigint {
  const r = getVcpu(world, ref).regs;
  let general = getHostCpu(world, loadedCpu(world, ref)).nrEventCounters;
  let cycleFree = true;
  let scheduled = 0n;
  for (let i = 0; i <= CYCLE_COUNTER_ID; i++) {
    const bit = 1n << BigInt(i);
    if ((enabled & bit) === 0n) continue;
    const event = i === CYCLE_COUNTER_ID ? PERFCTR_CPU_CYCLES : Number(r.typer[i]! & eventMask);
    if (event === PERFCTR_SW_INCR) scheduled |= bit;
    else if (event === PERFCTR_CPU_CYCLES && cycleFree) {
      cycleFree = false;
      scheduled |= bit;
    } else if (general > 0) {
      general--;
      scheduled |= bit;
    }
  }
  return scheduled;
}

/**
 * Counts `events` at `el` on the emulated vPMU of `ref`: the virtual registers as an architectural
 * PMU with N = nr_pmu_counters, all counters in the first range; a counter whose event the VM's
 * filter denies has no perf event and does not count. Counters and PMOVSSET are written back.
 */
function countEmulated(
  world: World,
  ref: VcpuRef,
  events: ReadonlyMap<number, bigint>,
  el: 0 | 1,
  choices: Choices,
): World | Unpredictable {
  const vm = getVm(world, ref.vm);
  const r = getVcpu(world, ref).regs;
  // N as the guest sees it: the VM's nr_pmu_counters, in v6.1 the vCPU's PMCR_EL0.N
  // (kvm_pmu_valid_counter_mask(), v6.1 pmu-emul.c).
  const n =
    world.policy.kernel.vpmu === 'linux-6.1'
      ? kvmVcpuPmcrN(world, ref, loadedCpu(world, ref))
      : vm.nrPmuCounters;
  const ver = vmPmuVer(world, vm);
  const eventMask = kvmPmuEventMask(ver);
  let enabled = r.pmcntenset;
  for (let i = 0; i <= CYCLE_COUNTER_ID; i++) {
    const event = i === CYCLE_COUNTER_ID ? PERFCTR_CPU_CYCLES : Number(r.typer[i]! & eventMask);
    if (!pmuFilterAllows(vm.pmuFilter, event)) enabled &= ~(1n << BigInt(i));
  }
  enabled &= scheduledPerfEvents(world, ref, enabled, eventMask);
  const base = makePeState(virtualCpu(ver, n));
  const vpe: PeState = {
    ...base,
    regs: {
      ...base.regs,
      PMCR_EL0: r.pmcr,
      MDCR_EL2: (BigInt(n) << MDCR_EL2_HPMN.shift) & MDCR_EL2_HPMN.mask,
      PMCNTENSET_EL0: enabled,
      PMINTENSET_EL1: r.pmintenset,
      PMOVSSET_EL0: r.pmovsset,
    },
    cnt: [...r.cnt, 0n],
    typer: [...r.typer, 0n],
  };
  const c = countEvents(vpe, events, el, n, choices);
  if (c.kind === 'unpredictable') return c;
  return updateShadow(world, ref, (s) => ({
    ...s,
    cnt: c.value.cnt.slice(0, 32),
    pmovsset: c.value.regs.PMOVSSET_EL0,
  }));
}

/**
 * `__pmu_switch_to_guest(vcpu)` (`toGuest`) or `__pmu_switch_to_host(vcpu)` around a guest entry
 * without VHE: PMCNTENCLR for the events that only count the host and PMCNTENSET for those that
 * only count the guest, and the reverse on exit. With VHE nothing: kvm_vcpu_pmu_restore_guest()
 * switched EL0 counting at vcpu_load, and the EL1/EL2 filters do the rest.
 *
 * @see arch/arm64/kvm/hyp/nvhe/switch.c __pmu_switch_to_guest(), __pmu_switch_to_host()
 */
function pmuSwitchNvhe(world: World, cpu: number, toGuest: boolean, trace: string[]): World {
  if (world.host.vhe) return world;
  const { eventsHost, eventsGuest } = kvmGetPmuEvents(world, cpu);
  const [off, on] = toGuest ? [eventsHost, eventsGuest] : [eventsGuest, eventsHost];
  const writes: [string, bigint][] = [];
  if (off !== 0n) writes.push(['PMCNTENCLR_EL0', off]);
  if (on !== 0n) writes.push(['PMCNTENSET_EL0', on]);
  if (writes.length === 0) return world;
  trace.push(
    `${toGuest ? '__pmu_switch_to_guest' : '__pmu_switch_to_host'}: counters 0x${off.toString(16)} off, 0x${on.toString(16)} on`,
  );
  return withPe(world, cpu, hwWriteAll(getHostCpu(world, cpu).pe, writes, trace));
}

/** What a guest run did. */
export interface GuestRunResult {
  readonly world: World;
  /** Set when the hardware met a CONSTRAINED UNPREDICTABLE case without a choice: nothing counted. */
  readonly unpredictable?: Unpredictable;
  readonly trace: readonly string[];
}

/**
 * The guest on vCPU `ref` causes `events` (event number -> occurrences) at `el` (default EL1):
 * they count on the physical PE under MDCR_EL2 as loaded (the partitioned guest's counters and any
 * host event that counts guest time; without VHE between __pmu_switch_to_guest() and
 * __pmu_switch_to_host()); a raised PMU interrupt runs the host handler (armv8pmuHandleIrq()); an
 * emulated vPMU counts its virtual registers; then kvm_pmu_update_state().
 */
export function guestRun(
  world: World,
  ref: VcpuRef,
  events: Readonly<Record<number, number | bigint>>,
  opts: { readonly el?: 0 | 1; readonly choices?: Choices } = {},
): GuestRunResult {
  const cpu = loadedCpu(world, ref);
  const el = opts.el ?? 1;
  const choices = opts.choices ?? {};
  const map = new Map(Object.entries(events).map(([k, v]) => [Number(k), BigInt(v)] as const));
  const trace: string[] = [];
  const entered = pmuSwitchNvhe(world, cpu, true, trace);
  const pe = getHostCpu(entered, cpu).pe;
  const h = effectiveHPMN(pe, choices);
  if (h.kind === 'unpredictable') return { world, unpredictable: h, trace: [] };
  const counted = countEvents(pe, map, el, h.value, choices);
  if (counted.kind === 'unpredictable') return { world, unpredictable: counted, trace: [] };
  const irq = pmuIrq(counted.value, h.value, choices);
  if (irq.kind === 'unpredictable') return { world, unpredictable: irq, trace: [] };
  let w = pmuSwitchNvhe(withPe(entered, cpu, counted.value), cpu, false, trace);
  if (irq.value) {
    trace.push(`PMU interrupt on CPU ${cpu}`);
    w = armv8pmuHandleIrq(w, cpu, trace);
  }
  if (getVcpu(w, ref).pmuV3 && !kvmVcpuPmuIsPartitioned(w, ref, cpu)) {
    const e = countEmulated(w, ref, map, el, choices);
    if ('kind' in e) return { world, unpredictable: e, trace: [] };
    w = e;
  }
  w = kvmPmuUpdateState(w, ref, trace);
  return { world: logFaults(w, trace), trace };
}

/** One distinct result of guest events counted under the permitted behaviours. */
export interface GuestCountGroup {
  /** Each combination of CONSTRAINED UNPREDICTABLE behaviours giving it; `[{}]` when none arose. */
  readonly behaviours: readonly Choices[];
  /** Every counter that went up (PMEVCNTR<n>_EL0, PMCCNTR_EL0, PMICNTR_EL0) and by how much. */
  readonly counted: readonly { readonly reg: string; readonly by: bigint }[];
}

/**
 * What `events` (event number -> occurrences) caused by the guest on vCPU `ref` at `el` would
 * count on the physical PE, under every behaviour the Arm ARM permits: the count step evaluated by
 * stepOutcomes() on the PE as the guest runs on it (HCR_EL2 of a guest; without VHE, after
 * __pmu_switch_to_guest()), grouped by result. The world is not changed: this answers "what can
 * count", where guestRun() needs the behaviour chosen.
 *
 * @see src/arch/step.ts stepOutcomes(); Arm ARM J1.3 CountPMUEvents()
 */
export function guestCountOutcomes(
  world: World,
  ref: VcpuRef,
  events: Readonly<Record<number, number | bigint>>,
  el: 0 | 1 = 1,
): readonly GuestCountGroup[] {
  const cpu = loadedCpu(world, ref);
  const entered = pmuSwitchNvhe(world, cpu, true, []);
  return peCountOutcomes(asGuest(entered, getHostCpu(entered, cpu).pe), events, el);
}

/**
 * What `events` at `el` would count on the PE `pe` (as it is: the caller sets up HCR_EL2 and
 * MDCR_EL2), under every permitted CONSTRAINED UNPREDICTABLE behaviour, grouped by result.
 */
export function peCountOutcomes(
  pe: PeState,
  events: Readonly<Record<number, number | bigint>>,
  el: 0 | 1 | 2,
): readonly GuestCountGroup[] {
  const map = new Map(Object.entries(events).map(([k, v]) => [Number(k), BigInt(v)] as const));
  const r = stepOutcomes(pe, { kind: 'count', el, events: map }, {});
  return outcomeGroups(pe, r).map((g) => ({
    behaviours: g.behaviours,
    counted: [...g.changes]
      .filter(([name]) => /^PM(EV|C|I)CNTR/.test(name))
      .map(([name, v]) => ({ reg: name, by: v - storedValue(pe, name) })),
  }));
}
