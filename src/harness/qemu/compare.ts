// SPDX-License-Identifier: MIT
/**
 * Comparing QEMU's observations with the model's. Where the model answers a set (CONSTRAINED
 * UNPREDICTABLE), QEMU agrees when its observation is one of the set, and the behaviours giving
 * it are what QEMU took; the model then carries on from the states of that behaviour (the guide
 * of runScenarioOnModel). A read of a counter after a counted loop agrees within its `slack`.
 *
 * @module
 */

import type { CpuDef } from '../../arch/cpus.js';
import type { Choices } from '../../arch/unpredictable.js';
import {
  type ModelObservation,
  type Observation,
  runScenarioOnModel,
  sameObservation,
} from '../../scenario/model.js';
import { isObserved, type Scenario } from '../../scenario/schema.js';
import { classify, type Divergence } from './divergences.js';
import { observedInsns } from './generate.js';
import { type QemuRecord, recordObservation } from './qemu.js';

/** One observation compared. */
export interface Verdict {
  readonly label: string;
  readonly model: ModelObservation;
  readonly qemu: Observation;
  /** `agree`: the model's one answer; `permitted`: one of the model's set; `disagree`. */
  readonly status: 'agree' | 'permitted' | 'disagree';
  /** For `permitted`: the behaviours giving QEMU's observation. */
  readonly behaviours: readonly Choices[];
  /** For `disagree`: the classification entries explaining it (none: unclassified). */
  readonly classified: readonly Divergence[];
}

/** A scenario on one CPU, compared. */
export interface Comparison {
  readonly scenario: Scenario;
  readonly cpu: CpuDef;
  readonly verdicts: readonly Verdict[];
  /** The model run carried more states than it keeps (its later answers follow the first ones). */
  readonly truncated: boolean;
}

/** Compares QEMU's `records` for `scenario` on `cpu` with the model. */
export function compareScenario(
  scenario: Scenario,
  cpu: CpuDef,
  records: readonly QemuRecord[],
  divergences: readonly Divergence[],
): Comparison {
  const insns = observedInsns(scenario);
  const seen = new Map<string, Observation>();
  insns.forEach((p, j) => {
    const i = p.insn;
    if (!isObserved(i)) return;
    seen.set(i.label, recordObservation(records[j]!, i.kind !== 'msr'));
  });
  const run = runScenarioOnModel(scenario, cpu, (label) => seen.get(label));
  const verdicts = run.observations.map((m): Verdict => {
    const qemu = seen.get(m.label)!;
    const hit = m.options.find((o) => sameObservation(o.obs, qemu, m.slack));
    if (hit !== undefined) {
      const status = m.options.length === 1 ? 'agree' : 'permitted';
      return { label: m.label, model: m, qemu, status, behaviours: hit.behaviours, classified: [] };
    }
    const classified = classify(divergences, scenario.name, m.label, cpu.name);
    return { label: m.label, model: m, qemu, status: 'disagree', behaviours: [], classified };
  });
  return { scenario, cpu, verdicts, truncated: run.truncated };
}
