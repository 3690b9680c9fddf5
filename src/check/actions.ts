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
import { kvmCreatePartitionedVm } from '../kvm/scenario.js';
import { getHostCpu, getVcpu, type VcpuRef, type World } from '../kvm/world.js';
import type { Configuration } from './config.js';

/** One step a schedule can take. */
export type Action =
  /** KVM_RUN on a CPU: vcpu_load there (a vCPU loaded elsewhere migrates), then guest entry. */
  | { readonly kind: 'run'; readonly cpu: number }
  /** kvm_arch_vcpu_put(): the vCPU leaves its CPU. */
  | { readonly kind: 'put' }
  /** A guest MRS or MSR at EL1. */
  | { readonly kind: 'guest'; readonly dir: 'read' | 'write'; readonly reg: string; readonly value?: bigint }
  /** Guest code: `times` occurrences of `event` at EL1. */
  | { readonly kind: 'guest-count'; readonly event: number; readonly times: bigint }
  /** Host code on a CPU that runs no vCPU: `times` occurrences of `event` at EL2. */
  | { readonly kind: 'host-count'; readonly cpu: number; readonly event: number; readonly times: bigint };

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
    case 'guest-count':
      return `guest runs ${a.times} events 0x${a.event.toString(16)} at EL1`;
    case 'host-count':
      return `host runs ${a.times} events 0x${a.event.toString(16)} at EL2 on CPU ${a.cpu}`;
  }
}

/** A state of the search: the world and the vCPU under test. */
export interface CheckState {
  readonly world: World;
  readonly vcpu: VcpuRef;
}

/** One successor: the action, the behaviours the hardware took, what the guest observed. */
export interface Transition {
  readonly action: Action;
  readonly choices: Choices;
  readonly before: CheckState;
  readonly after: CheckState;
  /** A guest access's outcome. */
  readonly outcome?: GuestOutcome;
}

const INST_RETIRED = 0x08;
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
  for (const hc of world.host.cpus) {
    const r = perfEventOpen(world, hc.id, INST_RETIRED);
    if (r.errno === undefined) world = r.world;
  }
  return { state: { world, vcpu: vm.vcpu }, refused: vm.problems };
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
    { kind: 'guest-count', event: INST_RETIRED, times: 100n },
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
  if (guestRunning(state)) out.push(...guestActions(state));
  for (const hc of state.world.host.cpus) {
    if (hc.loaded === undefined)
      out.push({ kind: 'host-count', cpu: hc.id, event: INST_RETIRED, times: 100n });
  }
  return out;
}

/** One evaluation of an action under fixed choices: the new world, or the case left open. */
type Attempt =
  | { readonly world: World; readonly outcome?: GuestOutcome }
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
      return { world: r.world, outcome: r.outcome };
    }
    case 'guest-count': {
      const r = guestRun(world, vcpu, { [a.event]: a.times }, { choices });
      return r.unpredictable === undefined ? { world: r.world } : { unpredictable: r.unpredictable };
    }
    case 'host-count': {
      if (getHostCpu(world, a.cpu).loaded !== undefined) return undefined;
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
    const after: CheckState = { world: r.world, vcpu: state.vcpu };
    out.push({
      action: a,
      choices,
      before: state,
      after,
      ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
    });
  };
  explore({});
  return out;
}
