// SPDX-License-Identifier: MIT
/**
 * A verifier run over a space: every configuration searched, and the results summed up per
 * policy and invariant, each violation with the shortest counterexample found over the space
 * (ties broken by the space's order, so the output is the same on every run).
 *
 * @module
 */

import type { Policy } from '../kvm/policy.js';
import { type Configuration, configurations, type SpaceFilter, spaceDepth } from './config.js';
import { INVARIANTS, type Invariant } from './invariants.js';
import { type SearchOptions, type SearchResult, searchConfiguration, type Violation } from './search.js';

/** The verdict of one policy on one invariant over the space. */
export interface Verdict {
  readonly policy: string;
  readonly invariant: string;
  /** Configurations in which the invariant was violated. */
  readonly violatedIn: number;
  /** False when the invariant is not checked for this policy (a monitor: invariantsFor()). */
  readonly checked: boolean;
  /** The shortest counterexample, with its configuration and the configuration's index in the space. */
  readonly shortest?: {
    readonly configuration: Configuration;
    readonly index: number;
    readonly violation: Violation;
  };
}

/** A whole run. */
export interface CheckRun {
  readonly space: string;
  readonly depth: number;
  readonly configurations: number;
  readonly states: number;
  readonly transitions: number;
  /** Configurations whose search stopped at the state bound before the depth bound. */
  readonly incomplete: number;
  readonly policies: readonly string[];
  readonly invariants: readonly Invariant[];
  readonly verdicts: readonly Verdict[];
}

/** Options of a run: the space, its filter, the search bounds. */
export interface CheckOptions extends SearchOptions {
  readonly space?: string;
  readonly filter?: SpaceFilter;
  /** Called after each configuration (for progress). */
  readonly onResult?: (r: SearchResult, index: number, c: Configuration) => void;
  /** Search only the configurations whose index in the space is `index` modulo `count`. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Runs the verifier. */
export function runCheck(opts: CheckOptions = {}): CheckRun {
  const space = opts.space ?? 'default';
  const invariants = opts.invariants ?? INVARIANTS;
  const depth = opts.depth ?? spaceDepth(space);
  const verdicts = new Map<string, { violatedIn: number; shortest?: Verdict['shortest'] }>();
  const policies: string[] = [];
  const monitors = new Set<string>();
  let count = 0;
  let states = 0;
  let transitions = 0;
  let incomplete = 0;
  let index = -1;
  for (const c of configurations(space, opts.filter)) {
    index++;
    if (!policies.includes(c.policy.name)) policies.push(c.policy.name);
    if (c.policy.scenario !== undefined) monitors.add(c.policy.name);
    if (opts.shard !== undefined && index % opts.shard.count !== opts.shard.index) continue;
    const r = searchConfiguration(c, { ...opts, depth, invariants });
    opts.onResult?.(r, index, c);
    count++;
    states += r.states;
    transitions += r.transitions;
    if (!r.complete) incomplete++;
    for (const v of r.violations) {
      const key = `${c.policy.name}|${v.invariant}`;
      const cur = verdicts.get(key) ?? { violatedIn: 0 };
      cur.violatedIn++;
      if (cur.shortest === undefined || v.trace.length < cur.shortest.violation.trace.length) {
        cur.shortest = { configuration: c, index, violation: v };
      }
      verdicts.set(key, cur);
    }
  }
  const out: Verdict[] = [];
  for (const policy of policies) {
    for (const inv of invariants) {
      const v = verdicts.get(`${policy}|${inv.name}`);
      const checked = !monitors.has(policy) || inv.monitors === true;
      out.push(
        v?.shortest === undefined
          ? { policy, invariant: inv.name, violatedIn: 0, checked }
          : { policy, invariant: inv.name, violatedIn: v.violatedIn, checked, shortest: v.shortest },
      );
    }
  }
  return {
    space,
    depth,
    configurations: count,
    states,
    transitions,
    incomplete,
    policies,
    invariants,
    verdicts: out,
  };
}

/** The verdict for one policy and invariant. */
export function verdictOf(run: CheckRun, policy: Policy | string, invariant: string): Verdict | undefined {
  const name = typeof policy === 'string' ? policy : policy.name;
  return run.verdicts.find((v) => v.policy === name && v.invariant === invariant);
}
