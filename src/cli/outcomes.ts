// SPDX-License-Identifier: MIT
/**
 * A step's outcomes under every permitted CONSTRAINED UNPREDICTABLE behaviour, in words: "with
 * HPMN as 1..4: ok, value 0x0; with all counters in the second range: trap to EL2".
 *
 * @module
 */

import type { PeState } from '../arch/pmu/state.js';
import { type CompletedOutcome, type OutcomeGroup, outcomeGroups, type StepOutcomes } from '../arch/step.js';
import { EC_SYSREG_TRAP, sysregTrapOfIss, trapShortText } from '../arch/syndrome.js';
import type { Choices, RuleName } from '../arch/unpredictable.js';
import { hex } from './format.js';

/** A behaviour in a few words; `{}` stands for its number, when it has one. */
const WORDS: Readonly<Record<RuleName, (b: string) => string>> = {
  RES_HPMN: (b) => (b === 'all-second-range' ? 'all counters in the second range' : 'HPMN as {}'),
  RES_HPMN_READ: (b) => (b === 'value-written' ? 'HPMN read as written' : 'HPMN read as {}'),
  PMUEVENTCOUNTER: (b) =>
    ({ undefined: 'UNDEFINED', 'raz-wi': 'RAZ/WI', nop: 'a NOP', 'trap-el2': 'a trap to EL2' })[b] ??
    'as index {}',
  PMSELR_SEL: (b) => (b === 'value-written' ? 'SEL read as written' : 'SEL read as {}'),
  COUNT_CHAIN: (b) => (b === 'chain' ? 'CHAIN counted' : 'CHAIN not counted'),
  FREEZE_OVERFLOW: (b) =>
    ({
      sequential: 'freezing in the ASL order',
      'whole-occurrence': 'freezing after the whole occurrence',
      'one-later': 'freezing one occurrence late',
    })[b] ?? b,
  NVNV1: (b) => `{NV,NV1} as {${b.slice(-2, -1)},${b.slice(-1)}}`,
  RES_PMEE: (b) =>
    b === 'disabled' ? 'PMUIRQ and the profiling exception disabled' : `PMEE as 0b${b.slice(-2)}`,
};

function numberOf(behaviour: string): number | undefined {
  const m = /-(\d+)$/.exec(behaviour);
  return m === null ? undefined : Number(m[1]);
}

/** "1..4, 6": consecutive numbers as ranges. */
function ranges(nums: readonly number[]): string {
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? String(sorted[i]) : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * The behaviour combinations of a group in words, numbers of the last case compressed into
 * ranges: [{RES_HPMN: hpmn-1}, ..., {RES_HPMN: hpmn-4}] -> "HPMN as 1..4".
 */
export function behavioursInWords(combos: readonly Choices[]): string {
  const templates = new Map<string, number[]>();
  for (const combo of combos) {
    const entries = Object.entries(combo) as [RuleName, string][];
    if (entries.length === 0) {
      templates.set('', []);
      continue;
    }
    const words = entries.map(([rule, b]) => WORDS[rule](b));
    const last = entries[entries.length - 1]!;
    const n = numberOf(last[1]);
    const fixed = entries.slice(0, -1).map(([, b], i) => words[i]!.replace('{}', String(numberOf(b) ?? '')));
    const key = [...fixed, words[words.length - 1]!].join(' and ');
    const list = templates.get(key) ?? [];
    if (n !== undefined) list.push(n);
    templates.set(key, list);
  }
  return [...templates]
    .map(([key, nums]) => (nums.length === 0 ? key : key.replace('{}', ranges(nums))))
    .filter((t) => t !== '')
    .join(', or ');
}

/** " (mrs x0, PMEVCNTR5_EL0, read)": the instruction an EC 0x18 ISS describes (D24.2.46), else "". */
function issInWords(ec: number, iss: number): string {
  return ec === EC_SYSREG_TRAP ? ` (${trapShortText(sysregTrapOfIss(iss))})` : '';
}

/** An outcome in words: "ok, value 0x0", "UNDEFINED", "trap to EL2 (EC 0x18, ISS 0x...)". */
export function completedInWords(o: CompletedOutcome): string {
  switch (o.kind) {
    case 'ok':
      return o.value === undefined ? 'ok' : `ok, value ${hex(o.value)}`;
    case 'undefined':
      return 'UNDEFINED';
    case 'trap':
      return `trap to EL${o.toEl}, EC ${hex(o.ec)}, ISS ${hex(o.iss)}${issInWords(o.ec, o.iss)}`;
  }
}

/** More distinct values than this are summed up in one line. */
const MAX_LINES = 8;

/**
 * What a result changes, in words; indexed counters and filters with the same new value are
 * named as one range: "PMEVCNTR1..5_EL0 = 0x3e8".
 */
function changesInWords(g: OutcomeGroup): string {
  if (g.changes.size === 0)
    return g.outcome.kind === 'ok' && g.outcome.value === undefined ? ', no change' : '';
  const parts: string[] = [];
  const families = new Map<string, { family: string; value: bigint; idx: number[] }>();
  for (const [name, v] of g.changes) {
    const m = /^(PMEVCNTR|PMEVTYPER)(\d+)_EL0$/.exec(name);
    if (m === null) {
      parts.push(`${name} = ${hex(v)}`);
      continue;
    }
    const key = `${m[1]}:${v}`;
    const f = families.get(key) ?? { family: m[1]!, value: v, idx: [] };
    f.idx.push(Number(m[2]));
    families.set(key, f);
  }
  for (const f of families.values()) {
    const n = ranges(f.idx).replace(/, /g, ',');
    parts.push(`${f.family}${n}_EL0 = ${hex(f.value)}`);
  }
  return ` (${parts.join(', ')})`;
}

/**
 * The answer in words: the outcome when determined (with its UNKNOWN bits), else one line per
 * distinct outcome with the behaviours that give it.
 */
export function outcomesInWords(
  before: PeState,
  r: StepOutcomes,
): { readonly head: string; readonly lines: readonly string[] } {
  switch (r.kind) {
    case 'determined': {
      const g = outcomeGroups(before, r)[0]!;
      return { head: `${completedInWords(r.outcome)}${changesInWords(g)}`, lines: [] };
    }
    case 'unknown-bits':
      return {
        head: `ok, value ${hex(r.value)} with bits ${hex(r.unknown)} UNKNOWN`,
        lines:
          r.groups.length > MAX_LINES
            ? [`${r.groups.length} values under the permitted behaviours (${r.met.join(', ')})`]
            : r.groups.map((g) => `with ${behavioursInWords(g.behaviours)}: ${completedInWords(g.outcome)}`),
      };
    case 'unpredictable':
      return {
        head: `CONSTRAINED UNPREDICTABLE (${r.rule}), ${r.groups.length} distinct outcomes`,
        lines: r.groups.map(
          (g) =>
            `with ${behavioursInWords(g.behaviours)}: ${completedInWords(g.outcome)}${changesInWords(g)}`,
        ),
      };
  }
}
