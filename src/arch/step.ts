// SPDX-License-Identifier: MIT
/**
 * One step of a PE (an MRS, an MSR, or a burst of event occurrences) under CONSTRAINED
 * UNPREDICTABLE as a set of behaviours. A CONSTRAINED UNPREDICTABLE case permits a set of
 * behaviours and a conforming PE follows one of them (Arm ARM K1.2.1); an UNKNOWN value "can vary
 * from instruction to instruction" (Glossary), so each step chooses afresh. `stepOutcomes()`
 * evaluates the step under every permitted behaviour of every case it meets (without a choice
 * from the caller for that case) and groups the results:
 *
 *  - one result (same outcome, same state) under every behaviour: the step is determined;
 *  - reads that complete under every behaviour with the same state, their values differing only
 *    in some bits: the value, with those bits UNKNOWN;
 *  - otherwise every distinct result with the behaviours that give it.
 *
 * The caller's `choose` fixes a behaviour for a case whenever it is permitted (a choice that is
 * not permitted in the situation is no choice). Within one step one behaviour is held per case:
 * one Effective HPMN for the whole instruction, one for all the occurrences of a count step.
 *
 * @module
 */

import { type AccessOutcome, accessSysreg } from './access.js';
import type { RegisterRef } from './catalogue.js';
import { countEvents } from './pmu/count.js';
import { effectiveHPMN } from './pmu/ranges.js';
import { type El, type PeState, peStateChanges, samePeState } from './pmu/state.js';
import type { Choices, RuleName } from './unpredictable.js';

/** One step: an MRS, an MSR, or `events` (event number -> occurrences) happening at `el`. */
export type PeStep =
  | { readonly kind: 'read'; readonly el: El; readonly reg: RegisterRef; readonly rt?: number }
  | {
      readonly kind: 'write';
      readonly el: El;
      readonly reg: RegisterRef;
      readonly value: bigint;
      readonly rt?: number;
    }
  | { readonly kind: 'count'; readonly el: El; readonly events: ReadonlyMap<number, bigint> };

/** What a step does under one behaviour: it completes, is UNDEFINED, or traps. */
export type CompletedOutcome = Exclude<AccessOutcome, { readonly kind: 'unpredictable' }>;

/** A step evaluated once, under fixed choices. */
export interface StepRun {
  readonly outcome: AccessOutcome;
  readonly state: PeState;
  /** Which check decided, in one line, naming the Arm ARM source. */
  readonly rule: string;
  /** The case a chosen behaviour resolved, if any. */
  readonly via?: RuleName;
}

/**
 * The step under `choices`: accessSysreg() for an MRS or MSR; for a count step the Effective
 * HPMN (J1.3 EffectiveHPMN()) and then countEvents(). An `unpredictable` outcome names the first
 * case met that `choices` does not resolve, and leaves the state unchanged.
 */
export function runStep(pe: PeState, step: PeStep, choices: Choices): StepRun {
  if (step.kind === 'count') {
    const hpmn = effectiveHPMN(pe, choices);
    if (hpmn.kind === 'unpredictable') {
      return { outcome: hpmn, state: pe, rule: 'the counter ranges depend on the Effective HPMN' };
    }
    const r = countEvents(pe, step.events, step.el, hpmn.value, choices);
    if (r.kind === 'unpredictable') return { outcome: r, state: pe, rule: `counting meets ${r.rule}` };
    const via = r.via ?? hpmn.via;
    const rule = `EL${step.el} events counted (J1.1 AArch64.PMUCycle(), J1.3 CountPMUEvents())`;
    return via === undefined
      ? { outcome: { kind: 'ok' }, state: r.value, rule }
      : { outcome: { kind: 'ok' }, state: r.value, rule, via };
  }
  const r = accessSysreg(
    pe,
    step.kind === 'read'
      ? { el: step.el, dir: 'read', reg: step.reg, rt: step.rt ?? 0 }
      : { el: step.el, dir: 'write', reg: step.reg, value: step.value, rt: step.rt ?? 0 },
    choices,
  );
  return r;
}

/** One evaluation of the step under one combination of behaviours. */
export interface StepLeaf {
  readonly outcome: CompletedOutcome;
  readonly state: PeState;
  readonly rule: string;
  /** The behaviour taken for each case met that the caller's `choose` did not resolve. */
  readonly taken: Choices;
  /** The case a caller's choice resolved, if any. */
  readonly via?: RuleName;
}

/** The first case a step meets without a choice, with its behaviours and why it arises. */
export interface StepRoot {
  readonly rule: RuleName;
  readonly allowed: readonly string[];
  readonly why: string;
}

/**
 * Every combination of permitted behaviours of the cases the step meets, each evaluated: a
 * depth-first walk that, whenever the step meets a case without a choice, evaluates it again
 * under each permitted behaviour. A combination that meets a case already fixed on its path with
 * a behaviour that is not permitted there (as-index-5 while HPMN is taken as 2) is not a
 * permitted execution and is left out. `root` is the first case met; `met` every case the walk
 * chose behaviours for. `first` is the step already run under `choose`, when the caller has it.
 */
export function stepLeaves(
  pe: PeState,
  step: PeStep,
  choose: Choices,
  first: StepRun = runStep(pe, step, choose),
): { readonly leaves: readonly StepLeaf[]; readonly root?: StepRoot; readonly met: readonly RuleName[] } {
  if (first.outcome.kind !== 'unpredictable') {
    return { leaves: [leafOf(first, first.outcome, {})], met: NONE };
  }
  const root: StepRoot = { rule: first.outcome.rule, allowed: first.outcome.allowed, why: first.rule };
  const leaves: StepLeaf[] = [];
  const met: RuleName[] = [];
  const open = Object.keys(choose).length === 0;
  const explore = (r: StepRun, path: Choices): void => {
    if (r.outcome.kind !== 'unpredictable') {
      leaves.push(leafOf(r, r.outcome, path));
      return;
    }
    const rule = r.outcome.rule;
    if (path[rule] !== undefined) return;
    if (!met.includes(rule)) met.push(rule);
    for (const b of r.outcome.allowed) {
      const next: Choices = { ...path, [rule]: b };
      explore(runStep(pe, step, open ? next : { ...choose, ...next }), next);
    }
  };
  explore(first, {});
  return { leaves, root, met };
}

function leafOf(r: StepRun, outcome: CompletedOutcome, taken: Choices): StepLeaf {
  // `via` is kept only when the caller's choice resolved the case, not a behaviour of the walk.
  return r.via === undefined || taken[r.via] !== undefined
    ? { outcome, state: r.state, rule: r.rule, taken }
    : { outcome, state: r.state, rule: r.rule, taken, via: r.via };
}

/** One distinct result of a step: its outcome, the state after it, and the behaviours giving it. */
export interface OutcomeGroup {
  readonly outcome: CompletedOutcome;
  readonly state: PeState;
  /** What differs from the state before the step: storage name -> new value. */
  readonly changes: ReadonlyMap<string, bigint>;
  /** Each combination of behaviours that gives this result (case -> behaviour). */
  readonly behaviours: readonly Choices[];
  /** The `rule` of the first combination. */
  readonly rule: string;
}

/** Every distinct result of a step, and what they amount to. */
export type StepOutcomes =
  | {
      /** Every permitted behaviour gives this outcome and state. */
      readonly kind: 'determined';
      readonly outcome: CompletedOutcome;
      readonly state: PeState;
      readonly rule: string;
      /** The cases met whose behaviours all give this result. */
      readonly met: readonly RuleName[];
      readonly via?: RuleName;
      /** Present when cases were met: the one group, with every combination of behaviours. */
      readonly groups?: readonly OutcomeGroup[];
    }
  | {
      /** A read that completes under every behaviour with one state; `unknown` bits differ. */
      readonly kind: 'unknown-bits';
      /** The value read, with the `unknown` bits 0. */
      readonly value: bigint;
      readonly unknown: bigint;
      readonly state: PeState;
      readonly rule: string;
      readonly met: readonly RuleName[];
      readonly groups: readonly OutcomeGroup[];
    }
  | {
      /** The behaviours differ: `groups` has every distinct result. */
      readonly kind: 'unpredictable';
      /** The first case met, which decides among the results. */
      readonly rule: RuleName;
      readonly allowed: readonly string[];
      /** Why that case arises, naming the Arm ARM source. */
      readonly why: string;
      readonly met: readonly RuleName[];
      readonly groups: readonly OutcomeGroup[];
    };

const NONE: readonly RuleName[] = [];

function sameOutcome(a: CompletedOutcome, b: CompletedOutcome): boolean {
  switch (a.kind) {
    case 'ok':
      return b.kind === 'ok' && a.value === b.value;
    case 'undefined':
      return b.kind === 'undefined';
    case 'trap':
      return b.kind === 'trap' && a.toEl === b.toEl && a.ec === b.ec && a.iss === b.iss;
  }
}

function groupOf(before: PeState, leaf: StepLeaf, behaviours: readonly Choices[]): OutcomeGroup {
  return {
    outcome: leaf.outcome,
    state: leaf.state,
    changes: peStateChanges(before, leaf.state),
    behaviours,
    rule: leaf.rule,
  };
}

/**
 * The leaves grouped by outcome and resulting state, in the order first met (few groups: a
 * linear scan).
 */
function groupLeaves(pe: PeState, leaves: readonly StepLeaf[]): OutcomeGroup[] {
  const firsts: StepLeaf[] = [];
  const behaviours: Choices[][] = [];
  for (const l of leaves) {
    let i = 0;
    while (
      i < firsts.length &&
      !(sameOutcome(firsts[i]!.outcome, l.outcome) && samePeState(firsts[i]!.state, l.state))
    ) {
      i++;
    }
    if (i === firsts.length) {
      firsts.push(l);
      behaviours.push([l.taken]);
    } else behaviours[i]!.push(l.taken);
  }
  return firsts.map((l, i) => groupOf(pe, l, behaviours[i]!));
}

/**
 * The step under every permitted behaviour, grouped by result (see the module comment). With no
 * case met this costs one evaluation; a reserved HPMN costs one per permitted Effective HPMN
 * (N + 1), and cases met together multiply.
 */
export function stepOutcomes(pe: PeState, step: PeStep, choose: Choices): StepOutcomes {
  const first = runStep(pe, step, choose);
  if (first.outcome.kind !== 'unpredictable') {
    // The common case: no CONSTRAINED UNPREDICTABLE case met, one evaluation.
    return first.via === undefined
      ? { kind: 'determined', outcome: first.outcome, state: first.state, rule: first.rule, met: NONE }
      : {
          kind: 'determined',
          outcome: first.outcome,
          state: first.state,
          rule: first.rule,
          met: NONE,
          via: first.via,
        };
  }
  const { leaves, root, met } = stepLeaves(pe, step, choose, first);
  if (root === undefined) throw new Error('internal: a step met a case but no root was recorded');
  const groups = groupLeaves(pe, leaves);
  const g0 = groups[0]!;
  if (groups.length === 1) {
    const rule = `${root.why}; every permitted behaviour gives this result`;
    const base = { kind: 'determined' as const, outcome: g0.outcome, state: g0.state, rule, met };
    const via = leaves.find((l) => l.via !== undefined)?.via;
    return via === undefined ? { ...base, groups } : { ...base, via, groups };
  }
  const reads = groups.every((g) => g.outcome.kind === 'ok' && g.outcome.value !== undefined);
  if (reads && groups.every((g) => samePeState(g.state, g0.state))) {
    const values = groups.map((g) => (g.outcome.kind === 'ok' ? (g.outcome.value ?? 0n) : 0n));
    let unknown = 0n;
    for (const v of values) unknown |= v ^ values[0]!;
    return {
      kind: 'unknown-bits',
      value: values[0]! & ~unknown,
      unknown,
      state: g0.state,
      rule: `${root.why}; the permitted behaviours complete the read with values that differ in bits 0x${unknown.toString(16)} (UNKNOWN)`,
      met,
      groups,
    };
  }
  return { kind: 'unpredictable', rule: root.rule, allowed: root.allowed, why: root.why, met, groups };
}

/**
 * The distinct results of a step as groups, whatever it amounts to: a determined step without a
 * case met is one group reached with no behaviour to take.
 */
export function outcomeGroups(before: PeState, r: StepOutcomes): readonly OutcomeGroup[] {
  if (r.groups !== undefined) return r.groups;
  if (r.kind !== 'determined') throw new Error('internal: an undetermined step without groups');
  const behaviours: readonly Choices[] = [{}];
  return [
    {
      outcome: r.outcome,
      state: r.state,
      changes: peStateChanges(before, r.state),
      behaviours,
      rule: r.rule,
    },
  ];
}
