// SPDX-License-Identifier: MIT
/**
 * A verifier run as plain data (JSON as `pmup check --json` writes it), and the merge of the
 * reports of several shards of one run. The merge gives the report one unsharded run gives: counts
 * add up, and each shortest counterexample is the shortest over all shards, ties broken by the
 * configuration's index in the space, as one run breaks them.
 *
 * @module
 */

import { InputError } from '../arch/errors.js';
import type { Choices } from '../arch/unpredictable.js';
import { actionText } from './actions.js';
import { configurationText } from './config.js';
import { replayToken } from './replay.js';
import type { CheckRun } from './run.js';

/** One counterexample, in words and as a replay token. */
export interface ReportCounterexample {
  /** The configuration's index in the space (for ties). */
  readonly index: number;
  readonly configuration: string;
  readonly message: string;
  readonly trace: readonly { readonly action: string; readonly choices: Choices }[];
  readonly replay: string;
}

/** One policy x invariant cell. */
export interface ReportVerdict {
  readonly policy: string;
  readonly invariant: string;
  readonly holds: boolean;
  readonly violatedIn: number;
  /** Present (false) when the invariant is not checked for this policy (a monitor). */
  readonly checked?: false;
  readonly shortest?: ReportCounterexample;
}

/** A run, or a shard of one. */
export interface CheckReport {
  readonly space: string;
  readonly depth: number;
  /** Which shard this is; absent for a whole run (and after a merge). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly configurations: number;
  readonly states: number;
  readonly transitions: number;
  readonly incomplete: number;
  readonly policies: readonly string[];
  readonly invariants: readonly {
    readonly name: string;
    readonly description: string;
    readonly source: string;
  }[];
  readonly verdicts: readonly ReportVerdict[];
}

/** The report of a run. */
export function reportOf(
  run: CheckRun,
  shard?: { readonly index: number; readonly count: number },
): CheckReport {
  return {
    space: run.space,
    depth: run.depth,
    ...(shard === undefined ? {} : { shard }),
    configurations: run.configurations,
    states: run.states,
    transitions: run.transitions,
    incomplete: run.incomplete,
    policies: run.policies,
    invariants: run.invariants.map((i) => ({ name: i.name, description: i.description, source: i.source })),
    verdicts: run.verdicts.map((v) => {
      const base = {
        policy: v.policy,
        invariant: v.invariant,
        holds: v.shortest === undefined,
        violatedIn: v.violatedIn,
        ...(v.checked ? {} : { checked: false as const }),
      };
      if (v.shortest === undefined) return base;
      const { configuration, index, violation } = v.shortest;
      return {
        ...base,
        shortest: {
          index,
          configuration: configurationText(configuration),
          message: violation.message,
          trace: violation.trace.map((s) => ({ action: actionText(s.action), choices: s.choices })),
          replay: replayToken(configuration, violation.trace),
        },
      };
    }),
  };
}

function better(
  a: ReportCounterexample | undefined,
  b: ReportCounterexample | undefined,
): ReportCounterexample | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (b.trace.length !== a.trace.length) return b.trace.length < a.trace.length ? b : a;
  return b.index < a.index ? b : a;
}

/**
 * The report of the whole run from the reports of its shards (each of the same space, depth,
 * policies and invariants, every shard present once).
 *
 * @throws InputError when the reports are not the shards of one run.
 */
export function mergeReports(reports: readonly CheckReport[]): CheckReport {
  const first = reports[0];
  if (first === undefined) throw new InputError('check --merge: no report given');
  const count = first.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const r of reports) {
    if (r.space !== first.space || r.depth !== first.depth) {
      throw new InputError('check --merge: the reports are of different spaces or depths');
    }
    if ((r.shard?.count ?? 1) !== count)
      throw new InputError('check --merge: the reports split the run differently');
    const i = r.shard?.index ?? 0;
    if (seen.has(i)) throw new InputError(`check --merge: shard ${i + 1}/${count} is given twice`);
    seen.add(i);
    if (
      r.policies.join() !== first.policies.join() ||
      r.invariants.map((x) => x.name).join() !== first.invariants.map((x) => x.name).join()
    ) {
      throw new InputError('check --merge: the reports check different policies or invariants');
    }
  }
  if (seen.size !== count)
    throw new InputError(`check --merge: ${count - seen.size} of ${count} shards are missing`);
  const verdicts = first.verdicts.map((v0) => {
    let violatedIn = 0;
    let shortest: ReportCounterexample | undefined;
    for (const r of reports) {
      const v = r.verdicts.find((x) => x.policy === v0.policy && x.invariant === v0.invariant);
      if (v === undefined) continue;
      violatedIn += v.violatedIn;
      shortest = better(shortest, v.shortest);
    }
    const base = {
      policy: v0.policy,
      invariant: v0.invariant,
      holds: shortest === undefined,
      violatedIn,
      ...(v0.checked === false ? { checked: false as const } : {}),
    };
    return shortest === undefined ? base : { ...base, shortest };
  });
  const sum = (f: (r: CheckReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  return {
    space: first.space,
    depth: first.depth,
    configurations: sum((r) => r.configurations),
    states: sum((r) => r.states),
    transitions: sum((r) => r.transitions),
    incomplete: sum((r) => r.incomplete),
    policies: first.policies,
    invariants: first.invariants,
    verdicts,
  };
}

/** Reads a report written by `pmup check --json`. */
export function parseReport(text: string, what: string): CheckReport {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw new InputError(`${what}: not JSON (expected the output of pmup check --json)`);
  }
  const r = j as Partial<CheckReport> | null;
  if (r === null || typeof r !== 'object' || !Array.isArray(r.verdicts) || typeof r.space !== 'string') {
    throw new InputError(`${what}: not a pmup check --json report`);
  }
  return r as CheckReport;
}
