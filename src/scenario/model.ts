// SPDX-License-Identifier: MIT
/**
 * A scenario run on the model: the PE starts in the state the harness reset leaves (every PMU
 * register 0 but MDCR_EL2.HPMN = N, the reset value QEMU gives and the harness writes), then each
 * instruction is one step of src/arch/step.ts evaluated under every permitted behaviour
 * (stepOutcomes). Where behaviours leave different states the run carries the set of states on,
 * so an observation's answer is the set of every outcome a conforming PE may give there.
 *
 * A guide (a run of the same program elsewhere, e.g. QEMU) may fix, at each observation, which
 * of the model's outcomes happened: the run then carries on only from the states that give that
 * outcome, and records the behaviours taken.
 *
 * @module
 */

import type { CpuDef } from '../arch/cpus.js';
import { pmuIrq } from '../arch/pmu/count.js';
import { effectiveHPMN } from '../arch/pmu/ranges.js';
import { makePeState, type PeState, samePeState } from '../arch/pmu/state.js';
import { outcomeGroups, type PeStep, stepOutcomes } from '../arch/step.js';
import type { Choices, Constrained } from '../arch/unpredictable.js';
import type { PlacedInsn, Scenario } from './schema.js';

/** What one MRS or MSR did, as a program can see it. */
export type Observation =
  | { readonly kind: 'value'; readonly value: bigint }
  /** A read that executed as a NOP: Xt unchanged. */
  | { readonly kind: 'nop' }
  /** A write that completed (or was ignored: a write has no result to see). */
  | { readonly kind: 'done' }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'trap'; readonly toEl: number; readonly ec: number; readonly iss: number };

/** One outcome the model permits at an observation, with the behaviours that give it. */
export interface ObservationOption {
  readonly obs: Observation;
  /** Each combination of CONSTRAINED UNPREDICTABLE behaviours giving it ({} when none was met). */
  readonly behaviours: readonly Choices[];
}

/** The model's answer at one MRS or MSR of the program. */
export interface ModelObservation {
  readonly label: string;
  /** Index in the program (Scenario.program). */
  readonly step: number;
  readonly insn: PlacedInsn;
  /** The permitted outcomes (one when determined). */
  readonly options: readonly ObservationOption[];
  /** For a read of a counter after a counted loop: how far another run's value may be from the model's. */
  readonly slack: bigint;
}

/** A whole run. */
export interface ModelRun {
  readonly scenario: Scenario;
  readonly cpu: CpuDef;
  readonly observations: readonly ModelObservation[];
  /** More states than the run carries arose (the answers after it are those of the first ones). */
  readonly truncated: boolean;
}

/** The occurrences a counted loop of `n` iterations gives: `mov` then n times `subs; b.ne`. */
export function loopInstructions(n: number): bigint {
  return 2n * BigInt(n) + 1n;
}

const MAX_STATES = 64;

export function sameObservation(a: Observation, b: Observation, slack = 0n): boolean {
  switch (a.kind) {
    case 'value': {
      if (b.kind !== 'value') return false;
      const d = a.value - b.value;
      return d <= slack && -d <= slack;
    }
    case 'trap':
      return b.kind === 'trap' && a.toEl === b.toEl && a.ec === b.ec && a.iss === b.iss;
    default:
      return a.kind === b.kind;
  }
}

/** The PE before a scenario: the harness reset (module comment). */
export function scenarioStart(cpu: CpuDef): PeState {
  return makePeState(cpu, { MDCR_EL2: BigInt(cpu.n) });
}

function peStep(p: PlacedInsn): PeStep | undefined {
  const i = p.insn;
  switch (i.kind) {
    case 'mrs':
      return { kind: 'read', el: p.el, reg: i.reg, rt: 0 };
    case 'msr':
      return { kind: 'write', el: p.el, reg: i.reg, value: i.value, rt: 0 };
    case 'isb':
    case 'pmuirq':
      return undefined;
    case 'loop': {
      // INST_RETIRED (0x08) counts each instruction; CPU_CYCLES (0x11) one per instruction, the
      // rate of QEMU's -icount shift=0 (docs/scenarios.md "Counting").
      const n = loopInstructions(i.loop);
      return {
        kind: 'count',
        el: p.el,
        events: new Map([
          [0x08, n],
          [0x11, n],
        ]),
      };
    }
  }
}

function observationOf(
  p: PlacedInsn,
  o: { kind: string; value?: bigint; toEl?: number; ec?: number; iss?: number },
): Observation {
  if (o.kind === 'undefined') return { kind: 'undefined' };
  if (o.kind === 'trap') return { kind: 'trap', toEl: o.toEl ?? 0, ec: o.ec ?? 0, iss: o.iss ?? 0 };
  if (p.insn.kind === 'msr') return { kind: 'done' };
  return o.value === undefined ? { kind: 'nop' } : { kind: 'value', value: o.value };
}

/**
 * Runs `scenario` on `cpu`. `guide(label)` gives the outcome seen elsewhere at an observation,
 * or undefined: the run then keeps the states that give it (all of them when none does).
 */
export function runScenarioOnModel(
  scenario: Scenario,
  cpu: CpuDef,
  guide: (label: string) => Observation | undefined = () => undefined,
): ModelRun {
  let states: PeState[] = [scenarioStart(cpu)];
  let truncated = false;
  const observations: ModelObservation[] = [];
  scenario.program.forEach((p, index) => {
    if (p.insn.kind === 'pmuirq') {
      observations.push({
        label: p.insn.label,
        step: index,
        insn: p,
        options: irqOptions(states),
        slack: 0n,
      });
      return;
    }
    const step = peStep(p);
    if (step === undefined) return;
    const next: { obs: Observation; state: PeState; behaviours: readonly Choices[] }[] = [];
    for (const pe of states) {
      for (const g of outcomeGroups(pe, stepOutcomes(pe, step, {}))) {
        next.push({ obs: observationOf(p, g.outcome), state: g.state, behaviours: g.behaviours });
      }
    }
    let kept = next;
    if (p.insn.kind === 'mrs' || p.insn.kind === 'msr') {
      const slack = p.insn.kind === 'mrs' ? p.insn.slack : 0n;
      const options: { obs: Observation; behaviours: Choices[] }[] = [];
      for (const n of next) {
        const same = options.find((o) => sameObservation(o.obs, n.obs));
        if (same === undefined) options.push({ obs: n.obs, behaviours: [...n.behaviours] });
        else
          for (const b of n.behaviours)
            if (!same.behaviours.some((x) => sameChoices(x, b))) same.behaviours.push(b);
      }
      observations.push({ label: p.insn.label, step: index, insn: p, options, slack });
      const seen = guide(p.insn.label);
      if (seen !== undefined) {
        const matching = next.filter((n) => sameObservation(n.obs, seen, slack));
        if (matching.length > 0) kept = matching;
      }
    }
    const distinct: PeState[] = [];
    for (const n of kept) {
      if (distinct.some((s) => samePeState(s, n.state))) continue;
      if (distinct.length === MAX_STATES) {
        truncated = true;
        break;
      }
      distinct.push(n.state);
    }
    states = distinct;
  });
  return { scenario, cpu, observations, truncated };
}

/**
 * The PMUIRQ levels the states permit (J1.3 CheckForPMUOverflow(), pmuIrq()): the ranges come from
 * the Effective HPMN, so a reserved HPMN gives one level per permitted behaviour (RES_HPMN).
 */
function irqOptions(states: readonly PeState[]): ObservationOption[] {
  const options: { obs: Observation; behaviours: Choices[] }[] = [];
  const record = (level: boolean, behaviour: Choices) => {
    const obs: Observation = { kind: 'value', value: level ? 1n : 0n };
    const same = options.find((o) => sameObservation(o.obs, obs));
    if (same === undefined) options.push({ obs, behaviours: [behaviour] });
    else if (!same.behaviours.some((x) => sameChoices(x, behaviour))) same.behaviours.push(behaviour);
  };
  // Every combination of the cases met (RES_HPMN, then RES_PMEE with FEAT_EBEP), depth first.
  const walk = (pe: PeState, c: Choices) => {
    const hpmn = effectiveHPMN(pe, c);
    if (hpmn.kind !== 'value') {
      for (const b of hpmn.allowed) walk(pe, { ...c, [hpmn.rule]: b });
      return;
    }
    const level: Constrained<boolean> = pmuIrq(pe, hpmn.value, c);
    if (level.kind !== 'value') {
      for (const b of level.allowed) walk(pe, { ...c, [level.rule]: b });
      return;
    }
    record(level.value, c);
  };
  for (const pe of states) walk(pe, {});
  return options;
}

function sameChoices(a: Choices, b: Choices): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => a[k as keyof Choices] === b[k as keyof Choices])
  );
}
