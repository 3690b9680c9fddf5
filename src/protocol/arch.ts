// SPDX-License-Identifier: MIT
/**
 * Evaluating an architecture request of the batch protocol: build the PE state, run the steps
 * through the architecture model, read the final registers with EL2's full view.
 *
 * @module
 */

import { bits, makePeState, type PeState, put, storageOf, storedValue } from '../arch/pmu/state.js';
import { type CompletedOutcome, type OutcomeGroup, type StepOutcomes, stepOutcomes } from '../arch/step.js';
import type { Choices, RuleName } from '../arch/unpredictable.js';
import type { ArchRequest } from './schema.js';

/** A read's or write's answer members shared by `ok` answers. */
interface OkAnswer {
  readonly outcome: 'ok';
  readonly value?: string;
  /** Bits of `value` that differ between the permitted behaviours (0 in `value`). */
  readonly unknown?: string;
  /** The case a `choose` resolved. */
  readonly unpredictable?: RuleName;
  /** Cases met whose permitted behaviours all give this answer. */
  readonly met?: readonly RuleName[];
}

/** One distinct result of an undetermined step, as JSON. */
export type OutcomeAnswer = CompletedAnswer & {
  /** Each combination of behaviours giving it, as `choose` objects. */
  readonly behaviours: readonly Choices[];
  /** Storage that this result changes: name -> new value. */
  readonly changes: Readonly<Record<string, string>>;
};

type CompletedAnswer =
  | { readonly outcome: 'ok'; readonly value?: string }
  | { readonly outcome: 'undefined' }
  | { readonly outcome: 'trap'; readonly toEl: number; readonly ec: string; readonly iss: string };

/** The answer to one step, as JSON. */
export type StepAnswer =
  | OkAnswer
  | { readonly outcome: 'undefined'; readonly met?: readonly RuleName[] }
  | {
      readonly outcome: 'trap';
      readonly toEl: number;
      readonly ec: string;
      readonly iss: string;
      readonly met?: readonly RuleName[];
    }
  | {
      readonly outcome: 'unpredictable';
      readonly rule: RuleName;
      readonly allowed: readonly string[];
      readonly outcomes?: readonly OutcomeAnswer[];
    };

/** The answer to an architecture request, as JSON. */
export interface ArchAnswer {
  readonly id: string | number | null;
  readonly results: readonly StepAnswer[];
  readonly final: Readonly<Record<string, string>>;
  /**
   * The steps (0-based) whose permitted behaviours leave different states: the later results and
   * `final` are computed as if such a step had changed nothing.
   */
  readonly unresolved?: readonly number[];
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function completedJson(o: CompletedOutcome): CompletedAnswer {
  switch (o.kind) {
    case 'ok':
      return o.value === undefined ? { outcome: 'ok' } : { outcome: 'ok', value: hex(o.value) };
    case 'undefined':
      return { outcome: 'undefined' };
    case 'trap':
      return { outcome: 'trap', toEl: o.toEl, ec: hex(BigInt(o.ec)), iss: hex(BigInt(o.iss)) };
  }
}

function groupJson(g: OutcomeGroup): OutcomeAnswer {
  const changes: Record<string, string> = {};
  for (const [name, v] of g.changes) changes[name] = hex(v);
  const o = g.outcome;
  switch (o.kind) {
    case 'ok':
      return o.value === undefined
        ? { outcome: 'ok', behaviours: g.behaviours, changes }
        : { outcome: 'ok', value: hex(o.value), behaviours: g.behaviours, changes };
    case 'undefined':
      return { outcome: 'undefined', behaviours: g.behaviours, changes };
    case 'trap': {
      const { toEl, ec, iss } = o;
      return {
        outcome: 'trap',
        toEl,
        ec: hex(BigInt(ec)),
        iss: hex(BigInt(iss)),
        behaviours: g.behaviours,
        changes,
      };
    }
  }
}

/** The JSON form of a step's outcomes under every permitted behaviour (docs/protocol.md). */
export function stepOutcomesJson(r: StepOutcomes): StepAnswer {
  if (r.kind === 'determined' && r.via === undefined && r.met.length === 0) return completedJson(r.outcome);
  const met = r.met.length > 0 ? { met: r.met } : {};
  switch (r.kind) {
    case 'determined': {
      const base = completedJson(r.outcome);
      const via = r.via !== undefined && base.outcome === 'ok' ? { unpredictable: r.via } : {};
      return { ...base, ...via, ...met };
    }
    case 'unknown-bits':
      return { outcome: 'ok', value: hex(r.value), unknown: hex(r.unknown), ...met };
    case 'unpredictable':
      return {
        outcome: 'unpredictable',
        rule: r.rule,
        allowed: r.allowed,
        outcomes: r.groups.map(groupJson),
      };
  }
}

const HCR_E2H = bits('HCR_EL2', 'E2H');
const HCR_TGE = bits('HCR_EL2', 'TGE');

/** The initial state of a request: its `regs`, with `hcr` applied to HCR_EL2. */
export function initialState(req: ArchRequest): PeState {
  const regs: Record<string, bigint> = Object.fromEntries(req.regs);
  let hcr = regs['HCR_EL2'] ?? 0n;
  if (req.hcr.E2H) hcr = put(hcr, HCR_E2H, 1n);
  if (req.hcr.TGE) hcr = put(hcr, HCR_TGE, 1n);
  if (hcr !== 0n) regs['HCR_EL2'] = hcr;
  return makePeState(req.cpu, regs);
}

const PMCR_N = bits('PMCR_EL0', 'N');

/** Evaluates a parsed request. */
export function evaluateArchRequest(req: ArchRequest): ArchAnswer {
  // Validate `final` before running anything: every name must have storage of its own.
  for (const r of req.final) storageOf(r.name);
  let pe = initialState(req);
  const results: StepAnswer[] = [];
  const unresolved: number[] = [];
  req.steps.forEach((step, i) => {
    const r = stepOutcomes(pe, step, req.choices);
    results.push(stepOutcomesJson(r));
    if (r.kind !== 'unpredictable') pe = r.state;
    else if (r.groups.some((g) => g.changes.size > 0)) unresolved.push(i);
  });
  const final: Record<string, string> = {};
  for (const r of req.final) {
    let v = storedValue(pe, r.name);
    // EL2's view of PMCR_EL0: N is NUM_PMU_COUNTERS, IMP/IDCODE are the CPU's (D24.5.8).
    if (r.def.name === 'PMCR_EL0') v = put(v, PMCR_N, BigInt(pe.config.n)) | pe.config.pmcrImpdef;
    final[r.name] = hex(v);
  }
  return unresolved.length === 0
    ? { id: req.id, results, final }
    : { id: req.id, results, final, unresolved };
}
