// SPDX-License-Identifier: MIT
/**
 * Counterexamples as replay tokens: a configuration and a schedule (with the CONSTRAINED
 * UNPREDICTABLE behaviours the hardware took) packed into one URL-safe string, and the replay
 * that runs them again step by step, saying what changed in the hardware and in the vCPU.
 *
 * @module
 */

import { InputError } from '../arch/errors.js';
import { peStateChanges } from '../arch/pmu/state.js';
import type { Choices } from '../arch/unpredictable.js';
import type { GuestOutcome } from '../kvm/guest.js';
import { lookupPolicy, type Policy } from '../kvm/policy.js';
import { getVcpu } from '../kvm/world.js';
import { type Action, type CheckState, initialState, successors } from './actions.js';
import { type Configuration, lookupSpaceCpu } from './config.js';
import { INVARIANTS } from './invariants.js';
import type { TraceStep } from './search.js';

/** The JSON form of a token (bigints as decimal strings). */
interface TokenJson {
  readonly v: 1;
  readonly policy: string;
  readonly cpu: string;
  readonly other?: string;
  readonly reserved: number;
  readonly nr?: number;
  readonly first: boolean;
  readonly vm2?: boolean;
  readonly ioctls?: boolean;
  readonly trace: readonly { readonly a: Record<string, string | number>; readonly c: Choices }[];
}

function actionJson(a: Action): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'bigint' ? `${v}n` : (v as string | number);
  return out;
}

function actionOf(j: Record<string, string | number>): Action {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(j))
    out[k] = typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v;
  const kind = out['kind'];
  if (
    kind !== 'run' &&
    kind !== 'put' &&
    kind !== 'guest' &&
    kind !== 'guest-setup' &&
    kind !== 'guest-count' &&
    kind !== 'host-count' &&
    kind !== 'reschedule' &&
    kind !== 'other-run' &&
    kind !== 'other-put' &&
    kind !== 'other-touch' &&
    kind !== 'perf-open' &&
    kind !== 'ioctl' &&
    kind !== 'rmi'
  ) {
    throw new InputError(`replay: the token has an unknown step ${JSON.stringify(kind)}`);
  }
  return out as unknown as Action;
}

/** The token of a counterexample. */
export function replayToken(c: Configuration, trace: readonly TraceStep[]): string {
  const j: TokenJson = {
    v: 1,
    policy: c.policy.name,
    cpu: c.cpu.name,
    ...(c.other === undefined ? {} : { other: c.other.name }),
    reserved: c.reservedHostCounters,
    ...(c.nr === undefined ? {} : { nr: c.nr }),
    first: c.unsupportedCheckFirst,
    ...(c.secondVm === true ? { vm2: true } : {}),
    ...(c.ioctlOrder === true ? { ioctls: true } : {}),
    trace: trace.map((s) => ({ a: actionJson(s.action), c: s.choices })),
  };
  return Buffer.from(JSON.stringify(j)).toString('base64url');
}

/**
 * The configuration and schedule of a token. `extra` resolves policies that are not in the
 * registry (a test's broken policies).
 *
 * @throws InputError for a token that is not one.
 */
export function parseReplayToken(
  token: string,
  extra: readonly Policy[] = [],
): { readonly configuration: Configuration; readonly trace: readonly TraceStep[] } {
  let j: TokenJson;
  try {
    j = JSON.parse(Buffer.from(token.trim(), 'base64url').toString('utf8')) as TokenJson;
  } catch {
    throw new InputError('replay: not a replay token (pmup check prints one under each counterexample)');
  }
  if (j === null || typeof j !== 'object' || j.v !== 1 || !Array.isArray(j.trace)) {
    throw new InputError('replay: not a replay token (pmup check prints one under each counterexample)');
  }
  const policy = extra.find((p) => p.name === j.policy) ?? lookupPolicy(j.policy);
  const base = {
    policy,
    cpu: lookupSpaceCpu(j.cpu),
    reservedHostCounters: j.reserved,
    unsupportedCheckFirst: j.first === true,
    ...(j.vm2 === true ? { secondVm: true } : {}),
    ...(j.ioctls === true ? { ioctlOrder: true } : {}),
  };
  const withOther = j.other === undefined ? base : { ...base, other: lookupSpaceCpu(j.other) };
  const configuration: Configuration = j.nr === undefined ? withOther : { ...withOther, nr: j.nr };
  return { configuration, trace: j.trace.map((s) => ({ action: actionOf(s.a), choices: s.c ?? {} })) };
}

/** One replayed step: what it changed, what the guest saw, the invariants it broke. */
export interface ReplayedStep {
  readonly step: TraceStep;
  readonly outcome?: GuestOutcome;
  /** Hardware changes per CPU: storage name -> new value. */
  readonly hardware: readonly { readonly cpu: number; readonly changes: ReadonlyMap<string, bigint> }[];
  /** vCPU fields that changed, in words. */
  readonly vcpu: readonly string[];
  readonly broken: readonly { readonly invariant: string; readonly message: string }[];
}

function sameChoices(a: Choices, b: Choices): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && a[k as keyof Choices] === b[k as keyof Choices])
  );
}

/**
 * Runs a schedule again from the configuration's initial state.
 *
 * @throws InputError when a step is not possible there (a token from another model version).
 */
export function replay(c: Configuration, trace: readonly TraceStep[]): readonly ReplayedStep[] {
  let state: CheckState = initialState(c).state;
  const out: ReplayedStep[] = [];
  for (const step of trace) {
    const t = successors(state, step.action, c.unsupportedCheckFirst).find((x) =>
      sameChoices(x.choices, step.choices),
    );
    if (t === undefined) throw new InputError('replay: a step of the token is not possible in this model');
    const hardware = t.after.world.host.cpus.map((hc) => ({
      cpu: hc.id,
      changes: peStateChanges(state.world.host.cpus[hc.id]!.pe, hc.pe),
    }));
    const vb = getVcpu(state.world, state.vcpu);
    const va = getVcpu(t.after.world, t.after.vcpu);
    const vcpu: string[] = [];
    if (vb.cpu !== va.cpu) vcpu.push(`loaded on CPU ${va.cpu}`);
    if (vb.mdcrEl2 !== va.mdcrEl2) vcpu.push(`mdcr_el2 0x${va.mdcrEl2.toString(16)}`);
    if (vb.pmu.access !== va.pmu.access) vcpu.push(`PMU context ${va.pmu.access}`);
    if (vb.onUnsupportedCpu !== va.onUnsupportedCpu) vcpu.push(`ON_UNSUPPORTED_CPU ${va.onUnsupportedCpu}`);
    const broken = INVARIANTS.flatMap((inv) => {
      const m = inv.check(t);
      return m === undefined ? [] : [{ invariant: inv.name, message: m }];
    });
    out.push({ step, ...(t.outcome === undefined ? {} : { outcome: t.outcome }), hardware, vcpu, broken });
    state = t.after;
  }
  return out;
}
