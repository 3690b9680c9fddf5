// SPDX-License-Identifier: MIT
// Properties of stepOutcomes() over generated PE states and steps:
//  - with a reserved MDCR_EL2.HPMN, the step without a choice has exactly the results of the runs
//    that fix each permitted RES_HPMN behaviour ("as if HPMN were k", 1 <= k <= N, or "all counters
//    in the second range", D24.3.17); when those runs agree, that is the answer; an `unknown` mask is
//    exactly the bits in which their values differ;
//  - with a legal HPMN, nothing depends on RES_HPMN or RES_HPMN_READ, and UNKNOWN bits come only
//    from PMSELR_EL0.SEL (D24.5.22), the one UNKNOWN read left.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { lookupRegister } from '../../src/arch/catalogue.js';
import { type El, type PeState, STORED_REGS } from '../../src/arch/pmu/state.js';
import {
  type OutcomeGroup,
  outcomeGroups,
  type PeStep,
  type StepOutcomes,
  stepOutcomes,
} from '../../src/arch/step.js';
import { CPUS, stateArb, u64 } from './pe_arb.js';

/** The registers a step reads or writes: the PMU registers, MDCR_EL2, a few indexed instances. */
const REGS = [
  'PMCR_EL0',
  'PMCNTENSET_EL0',
  'PMCNTENCLR_EL0',
  'PMINTENSET_EL1',
  'PMOVSSET_EL0',
  'PMOVSCLR_EL0',
  'PMSELR_EL0',
  'PMXEVCNTR_EL0',
  'PMXEVTYPER_EL0',
  'PMSWINC_EL0',
  'PMZR_EL0',
  'PMUACR_EL1',
  'PMCCNTR_EL0',
  'PMICNTR_EL0',
  'MDCR_EL2',
  'PMEVCNTR0_EL0',
  'PMEVCNTR1_EL0',
  'PMEVCNTR3_EL0',
  'PMEVCNTR5_EL0',
  'PMEVCNTR7_EL0',
  'PMEVTYPER2_EL0',
  'PMEVTYPER6_EL0',
  'PMEVCNTR30_EL0',
];

const stepArb: fc.Arbitrary<PeStep> = fc.oneof(
  fc
    .record({
      el: fc.constantFrom<El>(0, 1, 2),
      reg: fc.constantFrom(...REGS),
      value: u64,
      write: fc.boolean(),
    })
    .map(
      ({ el, reg, value, write }): PeStep =>
        write
          ? { kind: 'write', el, reg: lookupRegister(reg), value }
          : { kind: 'read', el, reg: lookupRegister(reg) },
    ),
  fc
    .record({
      el: fc.constantFrom<El>(0, 1, 2),
      events: fc.subarray([0x08, 0x11, 0x00]),
      times: fc.bigInt({ min: 0n, max: 1n << 33n }),
    })
    .map(
      ({ el, events, times }): PeStep => ({
        kind: 'count',
        el,
        events: new Map(events.map((e) => [e, times])),
      }),
    ),
);

/** A string equal for two states exactly when samePeState() holds (config aside). */
function peStateKey(pe: PeState): string {
  const parts: string[] = [];
  for (const r of STORED_REGS) parts.push(pe.regs[r].toString(16));
  for (let i = 0; i < pe.cnt.length; i++) parts.push(pe.cnt[i]!.toString(16), pe.typer[i]!.toString(16));
  parts.push(String(pe.ccntPrescaler));
  return parts.join(',');
}

function outcomeKey(g: OutcomeGroup): string {
  const o = g.outcome;
  const v = o.kind === 'ok' ? (o.value?.toString(16) ?? '-') : o.kind === 'trap' ? `${o.toEl}:${o.iss}` : '';
  return `${o.kind}:${v}|${peStateKey(g.state)}`;
}

function results(pe: PeState, r: StepOutcomes): Set<string> {
  return new Set(outcomeGroups(pe, r).map(outcomeKey));
}

/** The RES_HPMN behaviours for N (D24.3.17): all counters in the second range, or HPMN as 1..N. */
function resHpmnBehaviours(n: number): string[] {
  return ['all-second-range', ...Array.from({ length: n }, (_, i) => `hpmn-${i + 1}`)];
}

const cpuArb = fc.constantFrom(...CPUS.filter((c) => c.n > 0 && c.n <= 8));

describe('stepOutcomes() properties', () => {
  test('reserved HPMN: the results without a choice are the union of the runs with each RES_HPMN behaviour', () => {
    const arb = cpuArb.chain((c) => fc.record({ s: stateArb(c, { reserved: true }), step: stepArb }));
    fc.assert(
      fc.property(arb, ({ s, step }) => {
        const pe: PeState = s.pe;
        const open = stepOutcomes(pe, step, {});
        const union = new Set<string>();
        const runs = resHpmnBehaviours(pe.config.n).map((b) => stepOutcomes(pe, step, { RES_HPMN: b }));
        for (const r of runs) for (const k of results(pe, r)) union.add(k);
        assert.deepEqual([...results(pe, open)].sort(), [...union].sort());
        // When every run gives one and the same result, that is the determined answer.
        if (union.size === 1) assert.equal(open.kind, 'determined');
        else assert.notEqual(open.kind, 'determined');
        // UNKNOWN bits: exactly where the values of the runs differ; those bits read 0.
        if (open.kind === 'unknown-bits') {
          const values = runs.flatMap((r) =>
            outcomeGroups(pe, r).map((g) => (g.outcome.kind === 'ok' ? (g.outcome.value ?? -1n) : -1n)),
          );
          assert.ok(values.every((v) => v >= 0n));
          let differ = 0n;
          for (const v of values) differ |= v ^ values[0]!;
          assert.equal(open.unknown, differ);
          assert.equal(open.value, values[0]! & ~differ);
          assert.equal(
            new Set(runs.flatMap((r) => outcomeGroups(pe, r).map((g) => peStateKey(g.state)))).size,
            1,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  test('legal HPMN: no answer depends on RES_HPMN or RES_HPMN_READ; UNKNOWN bits only from PMSELR_EL0.SEL', () => {
    const arb = cpuArb.chain((c) => fc.record({ s: stateArb(c), step: stepArb }));
    fc.assert(
      fc.property(arb, ({ s, step }) => {
        const r = stepOutcomes(s.pe, step, {});
        assert.ok(!r.met.includes('RES_HPMN') && !r.met.includes('RES_HPMN_READ'));
        if (r.kind === 'unpredictable') assert.ok(r.rule !== 'RES_HPMN' && r.rule !== 'RES_HPMN_READ');
        if (r.kind === 'unknown-bits') {
          assert.equal(step.kind === 'count' ? '' : `${step.kind} ${step.reg.name}`, 'read PMSELR_EL0');
          assert.deepEqual(r.met, ['PMSELR_SEL']);
        }
      }),
      { numRuns: 500 },
    );
  });
});
