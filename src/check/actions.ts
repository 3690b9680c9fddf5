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
import { kvmArmPmuV3SetAttr, kvmArmVcpuInit, kvmRun, type PmuAttr } from '../kvm/api.js';
import type { IoctlResult } from '../kvm/errno.js';
import { type GuestOutcome, guestAccess, guestRun } from '../kvm/guest.js';
import { kvmArchVcpuPut } from '../kvm/lifecycle.js';
import { hostRun, perfEventOpen } from '../kvm/perf.js';
import { kvmAddPartitionedVm, kvmCreatePartitionedVm } from '../kvm/scenario.js';
import { KVM_CAP_ARM_PARTITION_PMU, kvmCreateVcpu, kvmCreateVm, kvmVmIoctlEnableCap } from '../kvm/vm.js';
import { getVcpu, getVm, kernelFamily, makeWorld, type VcpuRef, type World } from '../kvm/world.js';
import type { Configuration } from './config.js';
import {
  monitorActions,
  monitorAttempt,
  monitorInitialState,
  type RealmState,
  type RmiCall,
  rmiText,
} from './monitor.js';

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
  | { readonly kind: 'perf-open'; readonly cpu: number }
  /**
   * A vCPU ioctl of the VMM, made by a thread on physical CPU `cpu` (ioctl-order configurations):
   * the per-CPU checks (kvm_arm_pmu_get_max_counters(), the default PMU) see that CPU.
   */
  /** A monitor's step (TF-RMM: an RMI command of the host, or the REC's exit; monitor.ts). */
  | {
      readonly kind: 'rmi';
      readonly call: RmiCall;
      readonly cpu?: number;
      readonly pmu?: boolean;
      readonly n?: number;
    }
  | {
      readonly kind: 'ioctl';
      readonly call: VmmIoctl;
      readonly cpu: number;
      readonly pmu?: number;
      readonly n?: number;
    };

/** The vCPU ioctls a VMM makes to set up the vPMU (Documentation/virt/kvm/devices/vcpu.rst). */
export type VmmIoctl = 'VCPU_INIT' | 'IRQ' | 'ENABLE_PARTITION' | 'SET_PMU' | 'SET_NR_COUNTERS' | 'INIT';

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
    case 'ioctl':
      return ioctlText(a);
    case 'rmi':
      return rmiText(a);
  }
}

function ioctlText(a: Extract<Action, { readonly kind: 'ioctl' }>): string {
  return `${ioctlCall(a)} on CPU ${a.cpu}`;
}

function ioctlCall(a: Extract<Action, { readonly kind: 'ioctl' }>): string {
  switch (a.call) {
    case 'VCPU_INIT':
      return 'KVM_ARM_VCPU_INIT(PMU_V3)';
    case 'IRQ':
      return `KVM_SET_DEVICE_ATTR(PMU_V3_IRQ, ${PMU_IRQ})`;
    case 'ENABLE_PARTITION':
      return 'KVM_SET_DEVICE_ATTR(PMU_V3_ENABLE_PARTITION, true)';
    case 'SET_PMU':
      return `KVM_SET_DEVICE_ATTR(PMU_V3_SET_PMU, the PMU of ${a.pmu === 0 ? 'CPU 0' : `host PMU ${a.pmu}`})`;
    case 'SET_NR_COUNTERS':
      return `KVM_SET_DEVICE_ATTR(PMU_V3_SET_NR_COUNTERS, ${a.n})`;
    case 'INIT':
      return 'KVM_SET_DEVICE_ATTR(PMU_V3_INIT)';
  }
}

/** A state of the search: the world and the vCPU under test. */
export interface CheckState {
  readonly world: World;
  readonly vcpu: VcpuRef;
  /** The second VM's vCPU, when the configuration has one. */
  readonly other?: VcpuRef;
  /**
   * What the API promised the VMM about the guest's PMCR_EL0.N: the n of the last
   * SET_NR_COUNTERS that returned 0, unless a SET_PMU came after it ("Selecting a new PMU cancels
   * the effect of setting this attribute", Documentation/virt/kvm/devices/vcpu.rst); undefined:
   * the default.
   */
  readonly promisedNr?: number;
  /** Present when the vCPU ioctls are schedule steps: the SET_NR_COUNTERS value the VMM sends. */
  readonly ioctls?: { readonly nr?: number };
  /** Present for a monitor that is not KVM (TF-RMM): what it holds for the Realm (monitor.ts). */
  readonly realm?: RealmState;
}

/** A string equal for two states exactly when they are the same (the world, and the promise). */
export function stateKey(s: CheckState, worldKey: (w: World) => string): string {
  const nr = s.promisedNr === undefined ? '' : `|nr=${s.promisedNr}`;
  const realm =
    s.realm === undefined
      ? ''
      : `|realm=${JSON.stringify(s.realm, (_, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v))}`;
  return `${worldKey(s.world)}${nr}${realm}`;
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
/** The PMU interrupt a VMM gives the vCPU (QEMU's virt board: PPI 7, INTID 23). */
const PMU_IRQ = 23;

/** The n of a SET_NR_COUNTERS in the set-up that returned 0 with no SET_PMU after it. */
function promisedBySetup(
  ioctls: readonly { readonly call: string; readonly ret: number }[],
): number | undefined {
  let promised: number | undefined;
  for (const r of ioctls) {
    const m = /PMU_V3_SET_NR_COUNTERS, (\d+)/.exec(r.call);
    if (m !== null && r.ret === 0) promised = Number(m[1]);
    else if (r.call.includes('PMU_V3_SET_PMU') && r.ret === 0) promised = undefined;
  }
  return promised;
}

/**
 * The initial state of an ioctl-order configuration: the host booted, KVM_CREATE_VM (with v5's
 * KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU), which -EBUSY refuses once a vCPU exists) and
 * KVM_CREATE_VCPU; the rest of the set-up is left to the schedule.
 */
function ioctlOrderWorld(c: Configuration): { world: World; vcpu: VcpuRef; refused: string[] } {
  const cpus = c.other === undefined ? [c.cpu] : [c.cpu, c.other];
  let world = makeWorld(c.policy, { cpus, reservedHostCounters: c.reservedHostCounters });
  const refused: string[] = [];
  const vm = kvmCreateVm(world);
  world = vm.world;
  if (kernelFamily(world) === 'v5') {
    const r = kvmVmIoctlEnableCap(world, vm.vm, KVM_CAP_ARM_PARTITION_PMU, true);
    if (r.errno === undefined) world = r.world;
    else refused.push(`KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU, 1): ${r.why}`);
  }
  const vc = kvmCreateVcpu(world, vm.vm);
  return { world: vc.world, vcpu: vc.vcpu, refused };
}

/**
 * The initial state of a configuration: the host booted, one host perf event counting
 * INST_RETIRED opened on each CPU (when a counter is free), and the VM set up by the VMM
 * (kvmCreatePartitionedVm()). Also returns the ioctls the kernel refused.
 */
export function initialState(c: Configuration): {
  readonly state: CheckState;
  readonly refused: readonly string[];
} {
  // A monitor that is not KVM (TF-RMM) is driven through its own calls (monitor.ts).
  if (c.policy.scenario !== undefined) return { state: monitorInitialState(c), refused: [] };
  if (c.ioctlOrder === true) {
    const v = ioctlOrderWorld(c);
    let world = v.world;
    for (const hc of world.host.cpus) {
      const r = perfEventOpen(world, hc.id, INST_RETIRED);
      if (r.errno === undefined) world = r.world;
    }
    return {
      state: { world, vcpu: v.vcpu, ioctls: c.nr === undefined ? {} : { nr: c.nr } },
      refused: v.refused,
    };
  }
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
  const promisedNr = promisedBySetup(vm.ioctls);
  const base: CheckState =
    promisedNr === undefined ? { world, vcpu: vm.vcpu } : { world, vcpu: vm.vcpu, promisedNr };
  const state: CheckState = other === undefined ? base : { ...base, other };
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

/**
 * The steps of an ioctl-order state: while the vCPU is not in KVM_RUN, each vCPU ioctl of the
 * vPMU set-up (the kernel's refusals have no successor); KVM_RUN on each CPU (refused until the
 * set-up is complete); in the guest, a PMCR_EL0 read, a read of the first counter beyond the
 * promise, the perf driver's set-up and counting; vcpu_put; host counting.
 */
function ioctlOrderActions(state: CheckState, nr: number | undefined): Action[] {
  const v = getVcpu(state.world, state.vcpu);
  const out: Action[] = [];
  if (v.cpu < 0) {
    for (const { id: cpu } of state.world.host.cpus) {
      out.push({ kind: 'ioctl', call: 'VCPU_INIT', cpu }, { kind: 'ioctl', call: 'IRQ', cpu });
      if (state.world.policy.kernel.attr5 !== 'none')
        out.push({ kind: 'ioctl', call: 'ENABLE_PARTITION', cpu });
      state.world.host.pmus.forEach((_, pmu) => {
        out.push({ kind: 'ioctl', call: 'SET_PMU', cpu, pmu });
      });
      if (nr !== undefined) out.push({ kind: 'ioctl', call: 'SET_NR_COUNTERS', cpu, n: nr });
      out.push({ kind: 'ioctl', call: 'INIT', cpu });
    }
  }
  for (const hc of state.world.host.cpus) if (v.cpu !== hc.id) out.push({ kind: 'run', cpu: hc.id });
  if (v.cpu >= 0) out.push({ kind: 'put' });
  if (guestRunning(state)) {
    const n = state.promisedNr ?? getVm(state.world, state.vcpu.vm).nrPmuCounters;
    out.push(
      { kind: 'guest', dir: 'read', reg: 'PMCR_EL0' },
      { kind: 'guest', dir: 'read', reg: `PMEVCNTR${Math.min(n, 30)}_EL0` },
      { kind: 'guest-setup' },
      { kind: 'guest-count', event: INST_RETIRED, times: 100n },
    );
  }
  for (const hc of state.world.host.cpus) {
    out.push({ kind: 'host-count', cpu: hc.id, event: INST_RETIRED, times: 100n });
  }
  return out;
}

/** The actions enabled in `state`. */
export function enabledActions(state: CheckState): Action[] {
  if (state.realm !== undefined) return monitorActions(state);
  if (state.ioctls !== undefined) return ioctlOrderActions(state, state.ioctls.nr);
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
export type Attempt =
  | {
      readonly world: World;
      readonly outcome?: GuestOutcome;
      readonly by?: 'hardware' | 'kvm';
      /** An ioctl that changes what the API promised: the new promise ('default' after SET_PMU). */
      readonly promise?: number | 'default';
      /** A monitor's step: what it now holds for the Realm. */
      readonly realm?: RealmState;
    }
  | { readonly unpredictable: Unpredictable };

/** A vCPU ioctl of the set-up, made on CPU `a.cpu`. */
function vmmIoctl(
  world: World,
  vcpu: VcpuRef,
  a: Extract<Action, { readonly kind: 'ioctl' }>,
): IoctlResult<World> {
  const attr = (x: PmuAttr) => kvmArmPmuV3SetAttr(world, vcpu, x, a.cpu);
  switch (a.call) {
    case 'VCPU_INIT':
      return kvmArmVcpuInit(world, vcpu, { pmuV3: true, cpu: a.cpu });
    case 'IRQ':
      return attr({ attr: 'IRQ', irq: PMU_IRQ });
    case 'ENABLE_PARTITION':
      return attr({ attr: 'ENABLE_PARTITION', enable: true });
    case 'SET_PMU':
      return attr({ attr: 'SET_PMU', pmuId: world.host.pmus[a.pmu ?? 0]?.type ?? -1 });
    case 'SET_NR_COUNTERS':
      return attr({ attr: 'SET_NR_COUNTERS', n: a.n ?? 0 });
    case 'INIT':
      return attr({ attr: 'INIT' });
  }
}

function attempt(state: CheckState, a: Action, choices: Choices, checkFirst: boolean): Attempt | undefined {
  if (state.realm !== undefined) return monitorAttempt(state, a, choices);
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
    case 'rmi':
      return undefined;
    case 'ioctl': {
      const r = vmmIoctl(world, vcpu, a);
      if (r.errno !== undefined) return undefined;
      if (a.call === 'SET_NR_COUNTERS') return { world: r.world, promise: a.n ?? 0 };
      if (a.call === 'SET_PMU') return { world: r.world, promise: 'default' };
      return { world: r.world };
    }
  }
}

function afterState(state: CheckState, world: World, promise: number | 'default' | undefined): CheckState {
  if (promise === undefined) return { ...state, world };
  const { promisedNr: _, ...rest } = state;
  return promise === 'default' ? { ...rest, world } : { ...rest, world, promisedNr: promise };
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
    const moved = afterState(state, r.world, r.promise);
    const after = r.realm === undefined ? moved : { ...moved, realm: r.realm };
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
