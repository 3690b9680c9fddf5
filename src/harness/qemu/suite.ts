// SPDX-License-Identifier: MIT
/**
 * Running scenario files on QEMU and on the model: the (scenario, CPU) pairs are grouped by CPU,
 * each CPU's scenarios run in one QEMU boot, and every observation is compared (compare.ts) and,
 * where QEMU and the model disagree, classified (divergences.ts).
 *
 * @module
 */

import type { CpuDef } from '../../arch/cpus.js';
import { behavioursText, modelAnswerText, observationText } from '../../scenario/format.js';
import type { Scenario, ScenarioFile } from '../../scenario/schema.js';
import { type Comparison, compareScenario, type Verdict } from './compare.js';
import type { Divergence } from './divergences.js';
import { qemuModel, runOnQemu } from './qemu.js';

/** The outcome of a suite. */
export interface SuiteResult {
  readonly comparisons: readonly Comparison[];
  /** Seconds QEMU ran, per CPU. */
  readonly boots: readonly { readonly cpu: string; readonly scenarios: number; readonly seconds: number }[];
}

/** Every (scenario, CPU) pair of `files` on a QEMU CPU, optionally only on `cpu` / scenario `only`. */
export function suitePairs(
  files: readonly ScenarioFile[],
  cpu?: string,
  only?: string,
): { readonly scenario: Scenario; readonly cpu: CpuDef }[] {
  const pairs: { scenario: Scenario; cpu: CpuDef }[] = [];
  for (const f of files) {
    for (const s of f.scenarios) {
      if (only !== undefined && s.name !== only) continue;
      for (const c of s.cpus) {
        if (qemuModel(c) === undefined) continue;
        if (cpu !== undefined && c.name !== cpu) continue;
        pairs.push({ scenario: s, cpu: c });
      }
    }
  }
  return pairs;
}

/** Runs the pairs: one QEMU boot per CPU. */
export function runSuite(
  pairs: readonly { readonly scenario: Scenario; readonly cpu: CpuDef }[],
  divergences: readonly Divergence[],
  timeoutSeconds = 60,
): SuiteResult {
  const byCpu = new Map<string, { cpu: CpuDef; scenarios: Scenario[] }>();
  for (const p of pairs) {
    const e = byCpu.get(p.cpu.name) ?? { cpu: p.cpu, scenarios: [] };
    e.scenarios.push(p.scenario);
    byCpu.set(p.cpu.name, e);
  }
  const comparisons: Comparison[] = [];
  const boots: { cpu: string; scenarios: number; seconds: number }[] = [];
  for (const { cpu, scenarios } of byCpu.values()) {
    const run = runOnQemu(scenarios, cpu, timeoutSeconds);
    boots.push({ cpu: cpu.name, scenarios: scenarios.length, seconds: run.seconds });
    scenarios.forEach((s, k) => {
      comparisons.push(compareScenario(s, cpu, run.records[k]!, divergences));
    });
  }
  return { comparisons, boots };
}

/** Counts over a suite. */
export function suiteCounts(r: SuiteResult) {
  const all = r.comparisons.flatMap((c) => c.verdicts);
  const disagree = all.filter((v) => v.status === 'disagree');
  return {
    scenarios: r.comparisons.length,
    observations: all.length,
    agree: all.filter((v) => v.status === 'agree').length,
    permitted: all.filter((v) => v.status === 'permitted').length,
    classified: disagree.filter((v) => v.classified.length > 0).length,
    unclassified: disagree.filter((v) => v.classified.length === 0).length,
  };
}

/**
 * For each CONSTRAINED UNPREDICTABLE behaviour (`RULE=behaviour`), how many permitted observations
 * only it explains (QEMU took it there), most frequent first.
 */
export function behavioursTaken(r: SuiteResult): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of r.comparisons) {
    for (const v of c.verdicts) {
      if (v.status !== 'permitted') continue;
      // Per rule, the behaviours of every combination that gives QEMU's observation.
      const perRule = new Map<string, Set<string>>();
      for (const b of v.behaviours) {
        for (const [rule, behaviour] of Object.entries(b)) {
          if (behaviour === undefined) continue;
          const set = perRule.get(rule) ?? new Set<string>();
          set.add(behaviour);
          perRule.set(rule, set);
        }
      }
      for (const [rule, set] of perRule) {
        if (set.size !== 1) continue;
        const key = `${rule}=${[...set][0]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** One verdict as a line: label, QEMU's observation, the model's answer, and the verdict. */
export function verdictText(v: Verdict): string {
  const q = observationText(v.qemu);
  switch (v.status) {
    case 'agree':
      return `  ${v.label}: ${q}  (agree)`;
    case 'permitted': {
      // No behaviour named: the set comes from states that earlier steps' behaviours left.
      const took =
        behavioursText({ obs: v.qemu, behaviours: v.behaviours }, 2) || 'the state an earlier behaviour left';
      const n = v.model.options.length;
      return `  ${v.label}: ${q}  (permitted: one of the model's ${n} outcomes; QEMU took ${took})`;
    }
    case 'disagree': {
      const why =
        v.classified.length === 0
          ? 'UNCLASSIFIED'
          : `classified: ${v.classified.map((d) => d.id).join(', ')}`;
      return `  ${v.label}: QEMU ${q}, model ${modelAnswerText(v.model)}  DISAGREE (${why})`;
    }
  }
}

/** The report: each scenario with its verdicts (`all`: every verdict, else only the interesting ones). */
export function suiteText(r: SuiteResult, all: boolean): string {
  const out: string[] = [];
  for (const c of r.comparisons) {
    const shown = all ? c.verdicts : c.verdicts.filter((v) => v.status !== 'agree');
    if (shown.length === 0 && !c.truncated) continue;
    out.push(`${c.scenario.name} on ${c.cpu.name} (${c.scenario.where})`);
    for (const v of shown) out.push(verdictText(v));
    if (c.truncated)
      out.push('  (the model run met more than 64 states; its later answers follow the first 64)');
  }
  const n = suiteCounts(r);
  out.push(
    `${n.scenarios} scenario runs, ${n.observations} observations: ${n.agree} agree, ${n.permitted} permitted ` +
      `(QEMU took one of the model's set), ${n.classified} classified divergences, ${n.unclassified} unclassified`,
  );
  const took = behavioursTaken(r);
  if (took.length > 0) {
    out.push(
      'CONSTRAINED UNPREDICTABLE behaviours QEMU took (observations where only that behaviour of the rule fits):',
    );
    for (const [b, k] of took) out.push(`  ${b}: ${k}`);
  }
  for (const b of r.boots)
    out.push(
      `  QEMU -cpu ${b.cpu.replace('qemu-virt-', '')}: ${b.scenarios} scenarios in one boot, ${b.seconds.toFixed(2)} s`,
    );
  return `${out.join('\n')}\n`;
}
