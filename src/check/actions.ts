// SPDX-License-Identifier: MIT
/**
 * The steps of the KVM world the verifier explores, and the successor relation: which steps are
 * enabled in a state, and every state each one can lead to. Where the hardware meets a
 * CONSTRAINED UNPREDICTABLE case, every permitted behaviour (and every combination of behaviours
 * of the cases it meets) gives a successor: nondeterminism is exact.
 *
 * @module
 */

import { InputError } from '../arch/errors.js';
import type { Choices, RuleName, Unpredictable } from '../arch/unpredictable.js';
import { kvmRun } from '../kvm/api.js';
import { type GuestOutcome, guestAccess, guestRun } from '../kvm/guest.js';
import { kvmArchVcpuPut } from '../kvm/lifecycle.js';
import { hostRun, perfEventOpen } from '../kvm/perf.js';
import { kvmAddPartitionedVm, kvmCreatePartitionedVm } from '../kvm/scenario.js';
import { getVcpu, type VcpuRef, type World } from '../kvm/world.js';
import type { Configuration } from './config.js';

/** One step a schedule can take. */
export type Action =
  /** KVM_RUN on a CPU: vcpu_load there (a vCPU loaded elsewhere migrates), then guest entry. */
  | { readonly kind: 'run'; readonly cpu: number }
  /** kvm_arch_vcpu_put(): the vCPU leaves its CPU. */
  | { readonly kind: 'put' }
  /** A guest MRS or MSR at EL1. */
  | { readonly kind: 'guest'; readonly dir: 'read' | 'write'; readonly reg: string; readonly value?: bigint }
  /**
   * The guest's perf driver programs counter 0 for INST_RETIRED at every EL it may ask for (its
   * PMEVTYPER0_EL0 with NSH set, asking for EL2 too), enables it (PMCNTENSET_EL0) and the PMU
   * (PMCR_EL0.E): three MSRs at EL1, in that order.
   */
  | { readonly kind: 'guest-setup' }
  /** Guest code: `times` occurrences of `event` at EL1. */
  | { readonly kind: 'guest-count'; readonly event: number; readonly times: bigint }
  /**
   * Host code at EL2 on a CPU: `times` occurrences of `event`. On the vCPU's own CPU it stands for
   * KVM and the VHE host handling an exit while the vCPU stays loaded.
   */
  | { readonly kind: 'host-count'; readonly cpu: number; readonly event: number; readonly times: bigint }
  /** The vCPU is preempted and resumes: vcpu_put, then KVM_RUN on `cpu` (the same CPU, or a migration). */
  | { readonly kind: 'reschedule'; readonly cpu: number }
  /** The second VM's vCPU: KVM_RUN on a CPU, vcpu_put, or its guest's first PMU access (PMCR_EL0 read). */
  | { readonly kind: 'other-run'; readonly cpu: number }
  | { readonly kind: 'other-put' }
  | { readonly kind: 'other-touch' }
  /** A host perf event counting INST_RETIRED opened on a CPU (perf_event_open()). */
  | { readonly kind: 'perf-open'; readonly cpu: number };

/** An action in words, as a replay shows it. */
export function actionText(a: Action): string {
  switch (a.kind) {
    case 'run':
      return `KVM_RUN on CPU ${a.cpu}`;
    case 'put':
      return 'vcpu_put';
    case 'guest':
      return a.dir === 'read'
        ? `guest mrs x0, ${a.reg}`
        : `guest msr ${a.reg}, x0 (x0 = 0x${(a.value ?? 0n).toString(16)})`;
    case 'guest-setup':
      return 'guest programs counter 0 (PMEVTYPER0_EL0 = INST_RETIRED | NSH, PMCNTENSET_EL0 bit 0, PMCR_EL0.E)';
    case 'guest-count':
      return `guest runs ${a.times} events 0x${a.event.toString(16)} at EL1`;
    case 'host-count':
      return `host runs ${a.times} events 0x${a.event.toString(16)} at EL2 on CPU ${a.cpu}`;
    case 'reschedule':
      return `vcpu_put, then KVM_RUN on CPU ${a.cpu}`;
    case 'other-run':
      return `the other VM's vCPU: KVM_RUN on CPU ${a.cpu}`;
    case 'other-put':
      return "the other VM's vCPU: vcpu_put";
    case 'other-touch':
      return "the other VM's guest reads PMCR_EL0";
    case 'perf-open':
      return `host perf_event_open(INST_RETIRED) on CPU ${a.cpu}`;
  }
}

/** A state of the search: the world and the vCPU under test. */
export interface CheckState {
  readonly world: World;
  readonly vcpu: VcpuRef;
  /** The second VM's vCPU, when the configuration has one. */
  readonly other?: VcpuRef;
}

/** One successor: the action, the behaviours the hardware took, what the guest observed. */
export interface Transition {
  readonly action: Action;
  readonly choices: Choices;
  readonly before: CheckState;
  readonly after: CheckState;
  /** A guest access's outcome, and whether the hardware or KVM (after a trap) completed it. */
  readonly outcome?: GuestOutcome;
  readonly by?: 'hardware' | 'kvm';
}

const INST_RETIRED = 0x08;
/** PMEVTYPER<n>_EL0.NSH [27]: count at EL2 in Non-secure state (D24.5.12). */
const PMEVTYPER_NSH = 1n << 27n;
const GUEST_SETUP: readonly (readonly [string, bigint])[] = [
  ['PMEVTYPER0_EL0', PMEVTYPER_NSH | BigInt(0x08)],
  ['PMCNTENSET_EL0', 1n],
  ['PMCR_EL0', 1n],
];
const CPU_CYCLES = 0x11;

/**
 * The initial state of a configuration: the host booted, one host perf event counting
 * INST_RETIRED opened on each CPU (when a counter is free), and the VM set up by the VMM
 * (kvmCreatePartitionedVm()). Also returns the ioctls the kernel refused.
 */
export function initialState(c: Configuration): {
  readonly state: CheckState;
  readonly refused: readonly string[];
} {
  const vm = kvmCreatePartitionedVm({
    policy: c.policy,
    cpu: c.cpu,
    ...(c.other === undefined ? {} : { on: c.other }),
    reservedHostCounters: c.reservedHostCounters,
    ...(c.nr === undefined ? {} : { nr: c.nr }),
    unsupportedCheckFirst: c.unsupportedCheckFirst,
  });
  let world = vm.world;
  const refused = vm.problems.map((p) => p.message);
  let other: VcpuRef | undefined;
  if (c.secondVm === true) {
    const vm2 = kvmAddPartitionedVm(world, {
      policy: c.policy,
      cpu: c.cpu,
      reservedHostCounters: c.reservedHostCounters,
      ...(c.nr === undefined ? {} : { nr: c.nr }),
    });
    world = vm2.world;
    other = vm2.vcpu;
    refused.push(...vm2.problems.map((p) => `second VM: ${p.message}`));
  }
  for (const hc of world.host.cpus) {
    const r = perfEventOpen(world, hc.id, INST_RETIRED);
    if (r.errno === undefined) world = r.world;
  }
  const state: CheckState = other === undefined ? { world, vcpu: vm.vcpu } : { world, vcpu: vm.vcpu, other };
  return { state, refused };
}

/** The guest register steps a schedule may take (EL1). */
function guestActions(state: CheckState): Action[] {
  const n = state.world.vms[state.vcpu.vm]?.nrPmuCounters ?? 0;
  const beyond = Math.min(n, 30);
  return [
    { kind: 'guest', dir: 'read', reg: 'PMCR_EL0' },
    { kind: 'guest', dir: 'read', reg: `PMEVCNTR${beyond}_EL0` },
    { kind: 'guest', dir: 'write', reg: 'PMCR_EL0', value: 0x3n }, // E and P: enable, zero the counters
    { kind: 'guest', dir: 'write', reg: 'PMCR_EL0', value: 0x0n }, // E = 0: stop the guest's counters
    { kind: 'guest', dir: 'write', reg: 'PMCNTENSET_EL0', value: 0xffff_ffffn },
    { kind: 'guest', dir: 'write', reg: 'PMCNTENCLR_EL0', value: 0xffff_ffffn },
    { kind: 'guest', dir: 'write', reg: 'PMEVTYPER0_EL0', value: BigInt(INST_RETIRED) },
    { kind: 'guest-setup' },
    { kind: 'guest-count', event: INST_RETIRED, times: 100n },
    // Enough to carry out of bit 31 of any counter (an overflow with PMCR_EL0.LP = 0, D13.3).
    { kind: 'guest-count', event: INST_RETIRED, times: 1n << 32n },
    { kind: 'guest-count', event: CPU_CYCLES, times: 100n },
  ];
}

/** Whether the vCPU is loaded on a CPU and entered the guest. */
export function guestRunning(state: CheckState): boolean {
  const v = getVcpu(state.world, state.vcpu);
  return v.cpu >= 0 && !v.onUnsupportedCpu;
}

/** The actions enabled in `state`. */
export function enabledActions(state: CheckState): Action[] {
  const v = getVcpu(state.world, state.vcpu);
  const out: Action[] = [];
  for (const hc of state.world.host.cpus) if (v.cpu !== hc.id) out.push({ kind: 'run', cpu: hc.id });
  if (v.cpu >= 0) out.push({ kind: 'put' });
  if (guestRunning(state)) {
    out.push(...guestActions(state));
    for (const hc of state.world.host.cpus) out.push({ kind: 'reschedule', cpu: hc.id });
  }
  for (const hc of state.world.host.cpus) {
    out.push({ kind: 'host-count', cpu: hc.id, event: INST_RETIRED, times: 100n });
  }
  if (state.other !== undefined) {
    const o = getVcpu(state.world, state.other);
    for (const hc of state.world.host.cpus) if (o.cpu !== hc.id) out.push({ kind: 'other-run', cpu: hc.id });
    if (o.cpu >= 0) out.push({ kind: 'other-put' }, { kind: 'other-touch' });
    // A bounded number of host events: perf opens at most two more.
    if (state.world.host.perfEvents.length < state.world.host.cpus.length + 2) {
      for (const hc of state.world.host.cpus) out.push({ kind: 'perf-open', cpu: hc.id });
    }
  }
  return out;
}

/** One evaluation of an action under fixed choices: the new world, or the case left open. */
type Attempt =
  | { readonly world: World; readonly outcome?: GuestOutcome; readonly by?: 'hardware' | 'kvm' }
  | { readonly unpredictable: Unpredictable };

function attempt(state: CheckState, a: Action, choices: Choices, checkFirst: boolean): Attempt | undefined {
  const { world, vcpu } = state;
  switch (a.kind) {
    case 'run': {
      const r = kvmRun(world, vcpu, { cpu: a.cpu, unsupportedCheckFirst: checkFirst });
      return r.errno === undefined ? { world: r.world } : undefined;
    }
    case 'put':
      return { world: kvmArchVcpuPut(world, vcpu).world };
    case 'guest': {
      const r = guestAccess(world, vcpu, {
        el: 1,
        dir: a.dir,
        reg: a.reg,
        ...(a.value === undefined ? {} : { value: a.value }),
        choices,
      });
      if (r.outcome.kind === 'unpredictable') return { unpredictable: r.outcome };
      return { world: r.world, outcome: r.outcome, by: r.by };
    }
    case 'guest-setup': {
      let w = world;
      for (const [reg, value] of GUEST_SETUP) {
        const r = guestAccess(w, vcpu, { el: 1, dir: 'write', reg, value, choices });
        if (r.outcome.kind === 'unpredictable') return { unpredictable: r.outcome };
        w = r.world;
      }
      return { world: w };
    }
    case 'guest-count': {
      const r = guestRun(world, vcpu, { [a.event]: a.times }, { choices });
      return r.unpredictable === undefined ? { world: r.world } : { unpredictable: r.unpredictable };
    }
    case 'reschedule': {
      const put = kvmArchVcpuPut(world, vcpu).world;
      const r = kvmRun(put, vcpu, { cpu: a.cpu, unsupportedCheckFirst: checkFirst });
      return r.errno === undefined ? { world: r.world } : undefined;
    }
    case 'other-run': {
      if (state.other === undefined) return undefined;
      const r = kvmRun(world, state.other, { cpu: a.cpu, unsupportedCheckFirst: checkFirst });
      return r.errno === undefined ? { world: r.world } : undefined;
    }
    case 'other-put':
      return state.other === undefined ? undefined : { world: kvmArchVcpuPut(world, state.other).world };
    case 'other-touch': {
      if (state.other === undefined || getVcpu(world, state.other).onUnsupportedCpu) return undefined;
      const r = guestAccess(world, state.other, { el: 1, dir: 'read', reg: 'PMCR_EL0', choices });
      if (r.outcome.kind === 'unpredictable') return { unpredictable: r.outcome };
      return { world: r.world };
    }
    case 'perf-open': {
      const r = perfEventOpen(world, a.cpu, INST_RETIRED);
      return r.errno === undefined ? { world: r.world } : undefined;
    }
    case 'host-count': {
      const r = hostRun(world, a.cpu, { [a.event]: a.times }, { choices });
      return r.unpredictable === undefined ? { world: r.world } : { unpredictable: r.unpredictable };
    }
  }
}

/**
 * Every state `a` can lead to from `state`: the action under each combination of permitted
 * behaviours of the CONSTRAINED UNPREDICTABLE cases it meets (a combination that meets a case
 * already fixed with a behaviour not permitted there is not an execution, and is left out).
 * An action the kernel refuses (an ioctl error) has no successor.
 */
export function successors(state: CheckState, a: Action, unsupportedCheckFirst = false): Transition[] {
  const out: Transition[] = [];
  const explore = (choices: Choices): void => {
    let r: Attempt | undefined;
    try {
      r = attempt(state, a, choices, unsupportedCheckFirst);
    } catch (e) {
      if (e instanceof InputError) return; // a step the model cannot take here (not loaded, ...)
      throw e;
    }
    if (r === undefined) return;
    if ('unpredictable' in r) {
      const rule: RuleName = r.unpredictable.rule;
      if (choices[rule] !== undefined) return;
      for (const b of r.unpredictable.allowed) explore({ ...choices, [rule]: b });
      return;
    }
    const after: CheckState = { ...state, world: r.world };
    out.push({
      action: a,
      choices,
      before: state,
      after,
      ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
      ...(r.by === undefined ? {} : { by: r.by }),
    });
  };
  explore({});
  return out;
}
