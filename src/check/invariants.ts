// SPDX-License-Identifier: MIT
/**
 * The invariants the verifier checks on every transition it explores. Each is a named predicate
 * with its rationale and source; `check` returns undefined when it holds, else one line saying
 * what broke. A transition stands for one permitted execution of its action (every
 * CONSTRAINED UNPREDICTABLE behaviour is a transition of its own), so an invariant holds only if
 * it holds on all of them.
 *
 * @module
 */

import { lookupRegister } from '../arch/catalogue.js';
import { bits, CYCLE_COUNTER_ID, get, type PeState } from '../arch/pmu/state.js';
import { guestAccess } from '../kvm/guest.js';
import { cpuPmuIsPartitioned, perfEventRead } from '../kvm/perf.js';
import {
  cpuHostCounterMask,
  kvmPolicyResult,
  kvmVcpuPmuIsPartitioned,
  vmGuestCounterMask,
} from '../kvm/vpmu.js';
import { getHostCpu, getVcpu, getVm, type World } from '../kvm/world.js';
import { type CheckState, guestRunning, type Transition } from './actions.js';

/** One invariant. */
export interface Invariant {
  readonly name: string;
  /** What must hold, in one sentence. */
  readonly description: string;
  /** Why, and the Arm ARM or kernel text it rests on. */
  readonly source: string;
  readonly check: (t: Transition) => string | undefined;
  /**
   * Whether it is checked for a monitor that is not KVM (TF-RMM) too. The others read KVM's
   * state (its trap list, host perf, its save and restore of the guest's context), which a monitor
   * does not have or the model does not model for it.
   */
  readonly monitors?: boolean;
}

const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');
const PMCR_N = bits('PMCR_EL0', 'N');

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** The CPU the vCPU is loaded on after the transition, or undefined. */
function loadedCpu(t: Transition): number | undefined {
  const cpu = getVcpu(t.after.world, t.after.vcpu).cpu;
  return cpu >= 0 ? cpu : undefined;
}

/** The counters a PE implements: event counters 0..N-1 and the cycle counter (bit 31). */
function implemented(pe: PeState): bigint {
  return ((1n << BigInt(pe.config.n)) - 1n) | (1n << BigInt(CYCLE_COUNTER_ID));
}

const hpmnNotReserved: Invariant = {
  name: 'hpmn-not-reserved',
  monitors: true,
  description: 'While a vCPU is loaded, MDCR_EL2.HPMN on its CPU is not a reserved value',
  source:
    'Arm ARM D24.3.17 MDCR_EL2.HPMN: values greater than N, and 0 without FEAT_HPMN0, are reserved; the PE then behaves as if HPMN were an UNKNOWN value or puts every counter in the second range (K1.2.6.3)',
  check(t) {
    const cpu = loadedCpu(t);
    if (cpu === undefined) return undefined;
    const pe = getHostCpu(t.after.world, cpu).pe;
    const hpmn = Number(get(pe.regs.MDCR_EL2, MDCR_EL2_HPMN));
    const n = pe.config.n;
    if (hpmn > n) return `MDCR_EL2.HPMN = ${hpmn} on CPU ${cpu}, which has N = ${n}`;
    // With no event counters (N = 0) no value of HPMN is above N, and 0 is the one a kernel can
    // write: the range split is empty whatever HPMN holds, so no behaviour depends on it
    // (K1.2.6.3 applies only "if NUM_PMU_COUNTERS is nonzero"; ranges.ts effectiveHPMN()).
    if (hpmn === 0 && n > 0 && !pe.config.features.has('FEAT_HPMN0')) {
      return `MDCR_EL2.HPMN = 0 on CPU ${cpu}, which lacks FEAT_HPMN0`;
    }
    return undefined;
  },
};

const guestPmcrN: Invariant = {
  name: 'guest-pmcr-n',
  monitors: true,
  description:
    "A guest read of PMCR_EL0 shows N = what the API promised: the n of the last SET_NR_COUNTERS that returned 0 (unless a SET_PMU came after it), else the VM's default nr_pmu_counters",
  source:
    'Documentation/virt/kvm/devices/vcpu.rst KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS: "the number of counters the guest sees"; Arm ARM D24.5.8 PMCR_EL0.N',
  check(t) {
    const a = t.action;
    if (a.kind !== 'guest' || a.dir !== 'read' || a.reg !== 'PMCR_EL0') return undefined;
    const o = t.outcome;
    if (o === undefined || o.kind !== 'ok' || o.value === undefined) return undefined;
    const nr = getVm(t.after.world, t.after.vcpu.vm).nrPmuCounters;
    const promised = t.after.promisedNr ?? nr;
    const what =
      t.after.realm !== undefined
        ? `RMI_REALM_CREATE gave the Realm pmu_num_ctrs = ${promised}`
        : t.after.promisedNr === undefined
          ? `nr_pmu_counters = ${nr}`
          : `SET_NR_COUNTERS(${promised}) returned 0${nr === promised ? '' : ` (nr_pmu_counters is now ${nr})`}`;
    if (o.unknown !== undefined && (o.unknown & PMCR_N.mask) !== 0n) {
      return `the guest reads PMCR_EL0.N with UNKNOWN bits (value ${hex(o.value)}, unknown ${hex(o.unknown)}); ${what}`;
    }
    const n = Number(get(o.value, PMCR_N));
    return n === promised ? undefined : `the guest reads PMCR_EL0.N = ${n}; ${what}`;
  },
};

/** The host-owned state of counter `i` on a PE: value, filter, enable, overflow, interrupt enable. */
function counterState(pe: PeState, i: number): string {
  const bit = (v: bigint) => (v >> BigInt(i)) & 1n;
  return [
    pe.cnt[i],
    pe.typer[i],
    bit(pe.regs.PMCNTENSET_EL0),
    bit(pe.regs.PMOVSSET_EL0),
    bit(pe.regs.PMINTENSET_EL1),
  ].join(',');
}

/** The host perf events on counter `i` of CPU `cpu`, as ids. */
function ownersOf(w: World, cpu: number, i: number): string {
  return w.host.perfEvents
    .filter((e) => e.cpu === cpu && e.idx === i && e.state === 'active')
    .map((e) => e.id)
    .join(',');
}

/**
 * The host's counters on CPU `cpu`: the implemented ones of kvm_pmu_host_counter_mask(), but never
 * the cycle counter while the CPU's PMU is partitioned. The architecture gives PMCCNTR_EL0 to EL1
 * whatever HPMN holds (D13.1.1 ISBQGJ: EL1 has "the cycle counter PMCCNTR" besides the first
 * range; the ranges split only the event counters), and every revision gives it to the guest
 * (v5 07/24 armv8pmu_partition() drops it from cntr_mask, 09/24 armv8pmu_can_use_pmccntr(): "If
 * partitioned at all, pmccntr belongs to the guest"; v7/v8 put ARMV8_PMU_CNT_MASK_C in the guest
 * mask and take it out of cntr_mask while a vCPU is loaded). With N = 0 the host mask is
 * GENMASK(-1, 0), a shift by 64 (see masks.ts genmask()), which holds bit 31 only by that
 * accident; masks-disjoint reports it, this invariant does not count it as a host counter.
 */
function hostCounters(w: World, cpu: number): bigint {
  const mask = cpuHostCounterMask(w, cpu) & implemented(getHostCpu(w, cpu).pe);
  return cpuPmuIsPartitioned(w, cpu) ? mask & ~(1n << BigInt(CYCLE_COUNTER_ID)) : mask;
}

const hostCountersUntouched: Invariant = {
  name: 'host-counters-untouched',
  description:
    "No guest register access changes a host counter's value, filter, enable, overflow flag or interrupt enable (counters host perf moves an event onto or off in that step aside; the cycle counter is the guest's while the PMU is partitioned)",
  source:
    'the partition (Arm ARM D13.1.1: second-range counters are not accessible from EL1 and EL0, the cycle counter is); the host driver keeps kvm_pmu_host_counter_mask() (v5 06/24, v6) and gives up PMCCNTR_EL0 when partitioned (armv8pmu_can_use_pmccntr(), v5 09/24)',
  check(t) {
    if (t.action.kind !== 'guest') return undefined;
    const cpu = loadedCpu(t);
    if (cpu === undefined) return undefined;
    const before = getHostCpu(t.before.world, cpu).pe;
    const after = getHostCpu(t.after.world, cpu).pe;
    const host = hostCounters(t.after.world, cpu);
    for (let i = 0; i <= CYCLE_COUNTER_ID; i++) {
      if (((host >> BigInt(i)) & 1n) === 0n) continue;
      // perf rescheduling its own events (v7's dynamic reservation) is the host's business.
      if (ownersOf(t.before.world, cpu, i) !== ownersOf(t.after.world, cpu, i)) continue;
      if (counterState(before, i) !== counterState(after, i)) {
        const name = i === CYCLE_COUNTER_ID ? 'PMCCNTR_EL0' : `PMEVCNTR${i}_EL0`;
        return `host counter ${name} on CPU ${cpu} changed (value,filter,enable,overflow,irq ${counterState(before, i)} -> ${counterState(after, i)})`;
      }
    }
    return undefined;
  },
};

const hostEventsKeepCounting: Invariant = {
  name: 'host-events-keep-counting',
  description: 'No guest step lowers the count of a host perf event or takes it off its counter',
  source: 'perf_event_read_value() is monotonic for a counting event; kernel/events/core.c',
  check(t) {
    if (t.action.kind !== 'guest' && t.action.kind !== 'guest-count') return undefined;
    const wb = t.before.world;
    const wa = t.after.world;
    for (const e of wb.host.perfEvents) {
      if (e.state !== 'active') continue;
      const after = wa.host.perfEvents[e.id];
      if (after === undefined || after.state !== 'active')
        return `host perf event ${e.id} (0x${e.event.toString(16)}) on CPU ${e.cpu} is no longer counting`;
      const cb = perfEventRead(wb, e.id);
      const ca = perfEventRead(wa, e.id);
      if (ca < cb)
        return `host perf event ${e.id} (0x${e.event.toString(16)}) on CPU ${e.cpu} went from ${cb} to ${ca}`;
    }
    return undefined;
  },
};

/** The CPU a partitioned vCPU runs on after the transition (loaded and entered), or undefined. */
function runningPartitionedCpu(t: Transition): number | undefined {
  const cpu = loadedCpu(t);
  if (cpu === undefined || !guestRunning(t.after)) return undefined;
  return kvmVcpuPmuIsPartitioned(t.after.world, t.after.vcpu, cpu) ? cpu : undefined;
}

const masksDisjoint: Invariant = {
  name: 'masks-disjoint',
  description:
    "While a partitioned vCPU runs, the guest's and the host's counter masks share no implemented counter",
  source:
    'v5 06/24 kvm_pmu_host_counter_mask(), kvm_pmu_guest_counter_mask(): the two halves of the partition',
  check(t) {
    const cpu = runningPartitionedCpu(t);
    if (cpu === undefined) return undefined;
    const w = t.after.world;
    const pe = getHostCpu(w, cpu).pe;
    const both =
      vmGuestCounterMask(w, getVm(w, t.after.vcpu.vm), cpu) & cpuHostCounterMask(w, cpu) & implemented(pe);
    return both === 0n ? undefined : `counters ${hex(both)} are in both masks on CPU ${cpu}`;
  },
};

function kernelFaults(w: World): number {
  return w.log.filter((l) => l.startsWith('kernel fault')).length;
}

const noKernelFault: Invariant = {
  name: 'no-kernel-fault',
  description: 'KVM and the host driver never execute an UNDEFINED or trapping access at EL2',
  source: 'Arm ARM D24.5 accessor pseudocode at EL2 (the model logs "kernel fault" for such an access)',
  check(t) {
    const before = kernelFaults(t.before.world);
    const after = kernelFaults(t.after.world);
    if (after <= before) return undefined;
    return t.after.world.log.filter((l) => l.startsWith('kernel fault'))[before] ?? 'a kernel fault';
  },
};

/** The guest registers whose values the guest must find again after a reschedule. */
const GUEST_VIEW = [
  'PMCR_EL0',
  'PMCNTENSET_EL0',
  'PMINTENSET_EL1',
  'PMOVSSET_EL0',
  'PMSELR_EL0',
  'PMEVTYPER0_EL0',
  'PMEVCNTR0_EL0',
  'PMCCNTR_EL0',
];

/** What the guest reads of GUEST_VIEW now (each read from the same state; nothing is kept). */
function guestView(state: CheckState): string[] {
  return GUEST_VIEW.map((reg) => {
    const r = guestAccess(state.world, state.vcpu, { el: 1, dir: 'read', reg });
    const o = r.outcome;
    if (o.kind !== 'ok') return `${reg}: ${o.kind}`;
    return `${reg} = ${o.value === undefined ? '-' : hex(o.value)}${o.unknown === undefined ? '' : ` (unknown ${hex(o.unknown)})`}`;
  });
}

const guestStateSurvives: Invariant = {
  name: 'guest-state-survives',
  description:
    'After vcpu_put and KVM_RUN again (on the same CPU or another), the guest reads the same PMU registers as before',
  source:
    'KVM saves and restores the vCPU PMU context (kvm_pmu_put(), kvm_pmu_load(); v5 19/24, v6): a guest is not to see its preemption or migration',
  check(t) {
    if (t.action.kind !== 'reschedule' || !guestRunning(t.after)) return undefined;
    const before = guestView(t.before);
    const after = guestView(t.after);
    const i = before.findIndex((v, k) => v !== after[k]);
    return i < 0 ? undefined : `before: ${before[i]}; after: ${after[i]}`;
  },
};

const promisedTraps: Invariant = {
  name: 'promised-traps',
  description:
    'A guest access to a register the policy says it traps is handled by KVM, never by the hardware',
  source:
    "the policy's trapped list (MDCR_EL2.TPM/TPMCR, HDFGRTR_EL2/HDFGWTR_EL2 as kvm_arm_setup_mdcr_el2() and the FGT code compute them) against the hardware's behaviour (Arm ARM D24.5 accessors)",
  check(t) {
    const a = t.action;
    if (a.kind !== 'guest' || t.by !== 'hardware') return undefined;
    const cpu = getVcpu(t.before.world, t.before.vcpu).cpu;
    if (cpu < 0) return undefined;
    const ref = lookupRegister(a.reg);
    // An index >= N is UNDEFINED (FEAT_FGT) or CONSTRAINED UNPREDICTABLE before any trap is
    // checked (D24.5.10, D24.5.12): no policy can trap it.
    if (ref.n !== undefined && ref.n >= getHostCpu(t.before.world, cpu).pe.config.n) return undefined;
    const trapped = kvmPolicyResult(t.before.world, t.before.vcpu, cpu).trapped;
    const family = ref.def.name;
    const dir = a.dir === 'read' ? 'reads' : 'writes';
    if (!trapped.includes(family) && !trapped.includes(`${family} (${dir})`)) return undefined;
    return `the policy traps ${family}, but the guest's ${a.dir} completed on the hardware`;
  },
};

const guestCountersNotEl2: Invariant = {
  name: 'guest-counters-not-el2',
  description: "Host code at EL2 on the vCPU's CPU does not count on the guest's counters",
  source:
    'Arm ARM D24.3.17 MDCR_EL2.HPMD (first-range counters do not count at EL2) and HCCD (the cycle counter); KVM sets them for a partitioned vCPU',
  check(t) {
    const a = t.action;
    if (a.kind !== 'host-count') return undefined;
    const w = t.before.world;
    const hc = getHostCpu(w, a.cpu);
    if (hc.loaded === undefined || !kvmVcpuPmuIsPartitioned(w, hc.loaded, a.cpu)) return undefined;
    // The guest's counters: its mask, in the first range (below MDCR_EL2.HPMN; a reserved HPMN is
    // hpmn-not-reserved's business), and not running a host perf event.
    const hpmn = Number(get(hc.pe.regs.MDCR_EL2, MDCR_EL2_HPMN));
    if (hpmn > hc.pe.config.n) return undefined;
    let guest = vmGuestCounterMask(w, getVm(w, hc.loaded.vm), a.cpu) & ((1n << BigInt(hpmn)) - 1n);
    for (const e of w.host.perfEvents)
      if (e.cpu === a.cpu && e.state === 'active' && e.idx >= 0) guest &= ~(1n << BigInt(e.idx));
    const after = getHostCpu(t.after.world, a.cpu).pe;
    for (let i = 0; i <= CYCLE_COUNTER_ID; i++) {
      if (((guest >> BigInt(i)) & 1n) === 0n || hc.pe.cnt[i] === after.cnt[i]) continue;
      const name = i === CYCLE_COUNTER_ID ? 'PMCCNTR_EL0' : `PMEVCNTR${i}_EL0`;
      return `guest counter ${name} on CPU ${a.cpu} counted host EL2 events (${hc.pe.cnt[i]} -> ${after.cnt[i]})`;
    }
    return undefined;
  },
};

/** What the guest reads of `reg`, or undefined when the read does not complete with a value. */
function guestRead(state: CheckState, reg: string): bigint | undefined {
  const o = guestAccess(state.world, state.vcpu, { el: 1, dir: 'read', reg }).outcome;
  return o.kind === 'ok' && o.unknown === undefined ? o.value : undefined;
}

const guestSeesOverflow: Invariant = {
  name: 'guest-sees-overflow',
  description:
    "When the guest's counter 0 overflows while it runs, the guest's PMOVSSET_EL0 shows it, whether or not its interrupt is enabled",
  source:
    'Arm ARM D13.3 and D24.5.21 PMOVSSET_EL0: an event counter overflow (a carry out of bit 31 with PMCR_EL0.LP = 0, of bit 63 with LP = 1) sets its overflow flag, independent of PMINTENSET_EL1',
  check(t) {
    if (t.action.kind !== 'guest-count' || !guestRunning(t.before) || !guestRunning(t.after))
      return undefined;
    const before = guestRead(t.before, 'PMEVCNTR0_EL0');
    const after = guestRead(t.after, 'PMEVCNTR0_EL0');
    const pmcr = guestRead(t.after, 'PMCR_EL0');
    const ovs = guestRead(t.after, 'PMOVSSET_EL0');
    if (before === undefined || after === undefined || pmcr === undefined || ovs === undefined)
      return undefined;
    const lp = (pmcr >> 7n) & 1n; // PMCR_EL0.LP [7] (D24.5.8)
    const carried = lp === 1n ? after < before : after >> 32n !== before >> 32n || after < before;
    if (!carried || (ovs & 1n) === 1n) return undefined;
    return `PMEVCNTR0_EL0 went from ${hex(before)} to ${hex(after)} (an overflow), but the guest reads PMOVSSET_EL0 = ${hex(ovs)}`;
  },
};

const hostEventsOffGuestCounters: Invariant = {
  name: 'host-events-off-guest-counters',
  description:
    'While a partitioned vCPU that owns its counters (PMU context PHYSICAL) runs on a CPU, no host perf event sits on one of its first-range counters there',
  source:
    'Arm ARM D13.1.1 (the first range belongs to EL1 and EL0: the guest); v5 06/24 and v7 13/20 keep host events on the host mask while a vCPU is loaded (kvm_pmu_set_guest_counters())',
  check(t) {
    const cpu = runningPartitionedCpu(t);
    if (cpu === undefined) return undefined;
    const w = t.after.world;
    if (getVcpu(w, t.after.vcpu).pmu.access !== 'PHYSICAL') return undefined;
    const pe = getHostCpu(w, cpu).pe;
    const hpmn = Number(get(pe.regs.MDCR_EL2, MDCR_EL2_HPMN));
    if (hpmn > pe.config.n) return undefined;
    const guest = vmGuestCounterMask(w, getVm(w, t.after.vcpu.vm), cpu) & ((1n << BigInt(hpmn)) - 1n);
    const e = w.host.perfEvents.find(
      (x) =>
        x.cpu === cpu &&
        x.state === 'active' &&
        x.idx >= 0 &&
        x.idx < 31 &&
        ((guest >> BigInt(x.idx)) & 1n) === 1n,
    );
    return e === undefined
      ? undefined
      : `host perf event ${e.id} sits on PMEVCNTR${e.idx}_EL0 of CPU ${cpu}, a first-range counter of the running vCPU`;
  },
};

/** Whether a PE's counters, their filters and every register are the same in `a` and `b`. */
function samePmuState(a: PeState, b: PeState): boolean {
  if (a.cnt.some((v, i) => v !== b.cnt[i]) || a.typer.some((v, i) => v !== b.typer[i])) return false;
  const ra = a.regs as Readonly<Record<string, bigint>>;
  const rb = b.regs as Readonly<Record<string, bigint>>;
  return Object.keys(ra).every((k) => ra[k] === rb[k]);
}

/**
 * Whether a guest access is one the hardware answers before any EL2 trap is looked at, so that no
 * hypervisor can make it UNDEFINED: PMEVCNTR<n>_EL0 or PMEVTYPER<n>_EL0 with n >= N on a PE
 * without FEAT_FGT. The MRS/MSR pseudocode of D24.5.10 and D24.5.12 tests "m >=
 * GetNumEventCountersSelfHosted()" right after the feature check, before the PSTATE.EL branches
 * and so before MDCR_EL2.TPM; with FEAT_FGT that branch is UNDEFINED, without it
 * ConstrainUnpredictableProcedure(Unpredictable_PMUEVENTCOUNTER), where K1.2.6.2 permits
 * UNDEFINED, RAZ/WI or a NOP for a counter that is not implemented.
 */
function beforeAnyTrap(pe: PeState, reg: string): boolean {
  const ref = lookupRegister(reg);
  const family = ref.def.name;
  if (ref.n === undefined || (family !== 'PMEVCNTR<n>_EL0' && family !== 'PMEVTYPER<n>_EL0')) return false;
  return ref.n >= pe.config.n && !pe.config.features.has('FEAT_FGT');
}

const noPmuUndefined: Invariant = {
  name: 'no-pmu-undefined',
  monitors: true,
  description:
    'A vCPU created without a PMU (no KVM_ARM_VCPU_PMU_V3) finds every PMU register access UNDEFINED, except PMEVCNTR<n>_EL0/PMEVTYPER<n>_EL0 with n >= N without FEAT_FGT, which the hardware answers before any trap: there it reads zero or nothing and changes nothing (RAZ/WI or NOP) if not UNDEFINED',
  source:
    'KVM arch/arm64/kvm/sys_regs.c: PMU register accesses of a vCPU without kvm_vcpu_has_pmu() inject an Undefined Instruction exception (pmu_access_el0_disabled() and friends); pKVM protected VMs without PMUVer (pvm_init_traps_mdcr()); Arm ARM D24.5.10, D24.5.12 accessors: the index >= N check comes before MDCR_EL2.TPM, UNDEFINED with FEAT_FGT, else CONSTRAINED UNPREDICTABLE among UNDEFINED, RAZ/WI and NOP (K1.2.6.2)',
  check(t) {
    const a = t.action;
    if (a.kind !== 'guest' || t.outcome === undefined) return undefined;
    const v = getVcpu(t.before.world, t.before.vcpu);
    if (v.pmuV3) return undefined;
    const o = t.outcome;
    if (o.kind === 'undefined') return undefined;
    const by = t.by === undefined ? '' : ` (by ${t.by === 'kvm' ? 'KVM' : 'the hardware'})`;
    const pe = v.cpu >= 0 ? getHostCpu(t.before.world, v.cpu).pe : undefined;
    if (pe !== undefined && t.by === 'hardware' && beforeAnyTrap(pe, a.reg)) {
      const after = getHostCpu(t.after.world, v.cpu).pe;
      const nothing = o.kind === 'ok' && (o.value ?? 0n) === 0n && o.unknown === undefined;
      if (nothing && samePmuState(pe, after)) return undefined;
      return `the vCPU has no PMU, and its ${a.dir} of ${a.reg} (n >= N = ${pe.config.n}, no FEAT_FGT) answered ${o.kind}${o.kind === 'ok' && o.value !== undefined ? ` ${hex(o.value)}` : ''}${samePmuState(pe, after) ? '' : ' and changed the PMU'}, neither UNDEFINED nor RAZ/WI nor a NOP`;
    }
    return `the vCPU has no PMU, but its ${a.dir} of ${a.reg} answered ${o.kind}${by}`;
  },
};

const beyondNUndefined: Invariant = {
  name: 'beyond-n-undefined',
  monitors: true,
  description:
    'A guest access to PMEVCNTR<n>_EL0 or PMEVTYPER<n>_EL0 with n at or above the N it was promised is UNDEFINED (KVM) or what the hardware does for an index at or above HPMN; it never reaches counter n itself',
  source:
    'KVM arch/arm64/kvm/sys_regs.c pmu_counter_idx_valid(): kvm_inject_undefined() for an index >= PMCR_EL0.N; Arm ARM D24.5.10 and D24.5.12: an EL1 access with n >= MDCR_EL2.HPMN traps to EL2 (FEAT_FGT) or is CONSTRAINED UNPREDICTABLE among UNDEFINED, RAZ/WI, NOP and an accessible index (K1.2.6.1)',
  check(t) {
    const a = t.action;
    if (a.kind !== 'guest' || t.outcome === undefined || t.outcome.kind !== 'ok') return undefined;
    const ref = lookupRegister(a.reg);
    const family = ref.def.name;
    if (ref.n === undefined || (family !== 'PMEVCNTR<n>_EL0' && family !== 'PMEVTYPER<n>_EL0'))
      return undefined;
    const v = getVcpu(t.before.world, t.before.vcpu);
    if (!v.pmuV3 || v.cpu < 0) return undefined;
    const promised = t.before.promisedNr ?? getVm(t.before.world, t.before.vcpu.vm).nrPmuCounters;
    if (ref.n < promised) return undefined;
    if (t.by === 'kvm')
      return `KVM completed the guest's ${a.dir} of ${a.reg}, beyond its N = ${promised}, instead of an UNDEF`;
    const pe = getHostCpu(t.before.world, v.cpu).pe;
    const hpmn = Number(get(pe.regs.MDCR_EL2, MDCR_EL2_HPMN));
    if (ref.n >= Math.min(hpmn, pe.config.n)) return undefined;
    return `the guest's ${a.dir} of ${a.reg}, beyond its N = ${promised}, reached hardware counter ${ref.n} on CPU ${v.cpu} (MDCR_EL2.HPMN = ${hpmn})`;
  },
};

/** Every invariant, in report order. */
export const INVARIANTS: readonly Invariant[] = [
  hpmnNotReserved,
  guestPmcrN,
  hostCountersUntouched,
  hostEventsKeepCounting,
  masksDisjoint,
  hostEventsOffGuestCounters,
  guestStateSurvives,
  promisedTraps,
  guestCountersNotEl2,
  guestSeesOverflow,
  noPmuUndefined,
  beyondNUndefined,
  noKernelFault,
];
