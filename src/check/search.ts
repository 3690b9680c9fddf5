// SPDX-License-Identifier: MIT
/**
 * Breadth-first search over the schedules of one configuration: from the initial state, every
 * enabled action, under every permitted behaviour, to a depth bound. States are hashed
 * canonically (the kernel log and the fixed CPU configuration left out), so each is expanded
 * once; breadth-first order makes the first violation found of each invariant a shortest one.
 *
 * @module
 */

import type { Choices } from '../arch/unpredictable.js';
import type { World } from '../kvm/world.js';
import {
  type Action,
  type CheckState,
  enabledActions,
  initialState,
  stateKey,
  successors,
} from './actions.js';
import type { Configuration } from './config.js';
import { INVARIANTS, type Invariant } from './invariants.js';

/** One step of a counterexample. */
export interface TraceStep {
  readonly action: Action;
  /** The CONSTRAINED UNPREDICTABLE behaviours the hardware took in this step. */
  readonly choices: Choices;
}

/** A violation: the shortest schedule found that breaks the invariant, and what broke. */
export interface Violation {
  readonly invariant: string;
  readonly message: string;
  readonly trace: readonly TraceStep[];
}

/** The result of searching one configuration. */
export interface SearchResult {
  readonly configuration: Configuration;
  /** The ioctls the kernel refused while the VMM set the VM up. */
  readonly refused: readonly string[];
  /** Distinct states reached. */
  readonly states: number;
  /** Transitions evaluated. */
  readonly transitions: number;
  /** The depth the search completed to (less than asked when `maxStates` stopped it). */
  readonly depth: number;
  readonly complete: boolean;
  /** One per violated invariant, in INVARIANTS order. */
  readonly violations: readonly Violation[];
}

/** Search bounds. */
export interface SearchOptions {
  /** Schedules of at most this many actions (default 4). */
  readonly depth?: number;
  /** Stop expanding after this many distinct states (default 20000). */
  readonly maxStates?: number;
  /** Invariants to check (default INVARIANTS). */
  readonly invariants?: readonly Invariant[];
}

/**
 * A string equal for two worlds exactly when they hold the same state: every value, bigints in
 * hex, with the kernel log, the policy object and each PE's fixed configuration left out.
 */
export function worldKey(w: World): string {
  return JSON.stringify(w, (key, value: unknown) => {
    if (key === 'log' || key === 'policy' || key === 'config') return undefined;
    return typeof value === 'bigint' ? `#${value.toString(16)}` : value;
  });
}

interface Node {
  readonly state: CheckState;
  readonly parent: Node | undefined;
  readonly step: TraceStep | undefined;
}

function traceOf(node: Node, last: TraceStep): TraceStep[] {
  const out: TraceStep[] = [last];
  for (let n: Node | undefined = node; n?.step !== undefined; n = n.parent) out.push(n.step);
  return out.reverse();
}

/** The invariants checked on configuration `c`: for a monitor (TF-RMM), those marked `monitors`. */
export function invariantsFor(c: Configuration, all: readonly Invariant[]): readonly Invariant[] {
  return c.policy.scenario === undefined ? all : all.filter((inv) => inv.monitors === true);
}

/** Searches configuration `c`. */
export function searchConfiguration(c: Configuration, opts: SearchOptions = {}): SearchResult {
  const depthBound = opts.depth ?? 4;
  const maxStates = opts.maxStates ?? 20000;
  const invariants = invariantsFor(c, opts.invariants ?? INVARIANTS);
  const init = initialState(c);
  const seen = new Set<string>([stateKey(init.state, worldKey)]);
  const found = new Map<string, Violation>();
  let frontier: Node[] = [{ state: init.state, parent: undefined, step: undefined }];
  let transitions = 0;
  let depth = 0;
  let complete = true;
  while (depth < depthBound && frontier.length > 0) {
    const next: Node[] = [];
    for (const node of frontier) {
      for (const action of enabledActions(node.state)) {
        for (const t of successors(node.state, action, c.unsupportedCheckFirst)) {
          transitions++;
          const step: TraceStep = { action, choices: t.choices };
          for (const inv of invariants) {
            if (found.has(inv.name)) continue;
            const message = inv.check(t);
            if (message !== undefined)
              found.set(inv.name, { invariant: inv.name, message, trace: traceOf(node, step) });
          }
          const key = stateKey(t.after, worldKey);
          if (seen.has(key)) continue;
          seen.add(key);
          next.push({ state: t.after, parent: node, step });
        }
      }
      if (seen.size >= maxStates) {
        complete = false;
        break;
      }
    }
    depth++;
    if (!complete) break;
    frontier = next;
  }
  const violations = invariants.flatMap((inv) => {
    const v = found.get(inv.name);
    return v === undefined ? [] : [v];
  });
  return {
    configuration: c,
    refused: init.refused,
    states: seen.size,
    transitions,
    depth,
    complete,
    violations,
  };
}
