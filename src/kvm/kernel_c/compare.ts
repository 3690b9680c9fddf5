// SPDX-License-Identifier: MIT
/**
 * Comparing compiled kernel functions with a model policy over a set of inputs: on each value the
 * C computes (guest PMCR_EL0.N, HPMN, MDCR_EL2), how many inputs differ and the first ones.
 *
 * @module
 */

import type { Policy, PolicyInputs } from '../policy.js';
import type { CompiledDriver } from './compile.js';
import { consistentInputs, inputWeight } from './grid.js';
import { type CompiledValues, type DriverResults, valuesAt } from './run.js';

/** The values compared, as PolicyResult names them. */
export type ComparedValue = 'guestPmcrN' | 'hpmn' | 'mdcrEl2';

/** One input where the C and the policy differ. */
export interface Difference {
  /** The input's index in the compared list. */
  readonly index: number;
  readonly inputs: PolicyInputs;
  readonly c: CompiledValues;
  readonly model: CompiledValues;
  readonly differ: readonly ComparedValue[];
}

/** A comparison. */
export interface Comparison {
  readonly policy: string;
  readonly compared: readonly ComparedValue[];
  readonly inputs: number;
  /** Inputs on which at least one value differs. */
  readonly differing: number;
  /** Inputs on which each value differs. */
  readonly byValue: Readonly<Record<ComparedValue, number>>;
  /**
   * The differences to show: the smallest inputs (inputWeight()), those a kernel can meet
   * (consistentInputs()) first.
   */
  readonly first: readonly Difference[];
}

/** The values the compiled plan computes. */
export function comparedValues(driver: CompiledDriver): ComparedValue[] {
  const p = driver.plan;
  return [
    ...(p.guest === undefined ? [] : (['guestPmcrN'] as const)),
    ...(p.primaryHpmn === undefined ? [] : (['hpmn'] as const)),
    ...(p.setup === undefined ? [] : (['mdcrEl2'] as const)),
  ];
}

/** The order differences are shown in: inputs a kernel can meet first, then the smallest. */
function showOrder(inputs: PolicyInputs): number {
  return (consistentInputs(inputs) ? 0 : 1 << 20) + inputWeight(inputs);
}

/** Compares `results` (the driver run on `inputs`) with `policy`, keeping `keep` differences to show. */
export function compareWithPolicy(
  driver: CompiledDriver,
  results: DriverResults,
  inputs: readonly PolicyInputs[],
  policy: Policy,
  keep = 5,
): Comparison {
  const compared = comparedValues(driver);
  const byValue: Record<ComparedValue, number> = { guestPmcrN: 0, hpmn: 0, mdcrEl2: 0 };
  let first: (Difference & { readonly order: number })[] = [];
  const trim = (): void => {
    first.sort((a, b) => a.order - b.order || a.index - b.index);
    first = first.slice(0, keep);
  };
  let differing = 0;
  for (let i = 0; i < inputs.length; i++) {
    const c = valuesAt(driver, results, i);
    const r = policy.evaluate(inputs[i]!);
    const differ = compared.filter((v) => c[v] !== r[v]);
    if (differ.length === 0) continue;
    differing++;
    for (const v of differ) byValue[v]++;
    const model = Object.fromEntries(compared.map((v) => [v, r[v]])) as CompiledValues;
    first.push({ index: i, inputs: inputs[i]!, c, model, differ, order: showOrder(inputs[i]!) });
    if (first.length > 8 * keep) trim();
  }
  trim();
  const shown = first.map(({ order: _order, ...d }) => d);
  return { policy: policy.name, compared, inputs: inputs.length, differing, byValue, first: shown };
}
