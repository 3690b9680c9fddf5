// SPDX-License-Identifier: MIT
// Batch counting against one-occurrence-at-a-time counting, on random configurations: counters
// near 2^32 and 2^64, freeze-on-overflow, CHAIN within and across the HPMN boundary, the PMCR_EL0.D
// divider, filters and enables. The reference is the literal ASL reading (increment.ts
// pmuOccurrence(), AArch64.PMUCycle()).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type CpuDef, lookupCpu, parseInlineCpu } from '../../../src/arch/cpus.js';
import { countEvents } from '../../../src/arch/pmu/count.js';
import { pmuOccurrence } from '../../../src/arch/pmu/increment.js';
import { type El, makePeState, type PeState } from '../../../src/arch/pmu/state.js';
import type { Choices, Constrained, RuleName } from '../../../src/arch/unpredictable.js';

const CPUS: readonly CpuDef[] = [
  lookupCpu('cortex-a53'), // PMUv3: 32-bit counters, no HPMD
  lookupCpu('neoverse-n2'), // PMUv3p5, AArch32 at EL0 (PMCR_EL0.D, LC)
  parseInlineCpu({ pmuVer: 'PMUv3p1', n: 5, features: ['FEAT_EL3'] }),
  parseInlineCpu({ pmuVer: 'PMUv3p5', n: 3, features: ['FEAT_Debugv8p2'] }),
  parseInlineCpu({ pmuVer: 'PMUv3p7', n: 6, features: ['FEAT_EL3', 'FEAT_AA32EL0', 'FEAT_HPMN0'] }),
  parseInlineCpu({ pmuVer: 'PMUv3p7', n: 1, features: [] }),
  parseInlineCpu({ pmuVer: 'PMUv3p7', n: 0, features: ['FEAT_HPMN0'] }),
  parseInlineCpu({
    pmuVer: 'PMUv3p9',
    n: 7,
    features: ['FEAT_EL3', 'FEAT_PMUv3_ICNTR', 'FEAT_FGT2', 'FEAT_SEBEP', 'FEAT_HPMN0', 'FEAT_AA32EL0'],
  }),
  parseInlineCpu({ pmuVer: 'PMUv3p9', n: 4, features: ['FEAT_PMUv3_ICNTR', 'FEAT_FGT2', 'FEAT_EBEP'] }),
];

const TWO32 = 1n << 32n;
const TWO64 = 1n << 64n;

/** Counter values that overflow within a few hundred occurrences, and others. */
const counterValue = fc.oneof(
  fc.constantFrom(TWO32 - 1n, TWO32 - 2n, TWO64 - 1n, TWO64 - 2n, 0n),
  fc.bigInt({ min: 0n, max: 400n }),
  fc.bigInt({ min: TWO32 - 400n, max: TWO32 - 1n }),
  fc.bigInt({ min: TWO64 - 400n, max: TWO64 - 1n }),
  fc.bigInt({ min: 1n, max: 6n }).chain((m) => fc.bigInt({ min: m * TWO32 - 300n, max: m * TWO32 - 1n })),
  fc.bigInt({ min: 0n, max: TWO64 - 1n }),
);

/** A bit that is set with probability 1/`odds`, or (`likely`) 1 - 1/`odds`. */
function bit(pos: bigint, likely: boolean, odds = 4) {
  return fc.nat(odds - 1).map((x) => ((likely ? x > 0 : x === 0) ? 1n << pos : 0n));
}

/** Filter bits P, U, NSK, NSU (rarely), NSH (mostly, so that EL2 counts), SYNC (sometimes). */
const filterBits = fc
  .tuple(
    bit(31n, false, 8),
    bit(30n, false, 8),
    bit(29n, false, 8),
    bit(28n, false, 8),
    bit(27n, true),
    bit(58n, false),
  )
  .map((b) => b.reduce((x, y) => x | y, 0n));

const EVENTS = [0x00, 0x08, 0x11, 0x1e, 0x23];
/** Events to count, the ones with counters of their own more often. */
const COUNTED = [0x08, 0x08, 0x11, 0x11, 0x23, 0x00, 0x1e];

interface Scenario {
  readonly pe: PeState;
  readonly hpmn: number;
  readonly el: El;
  readonly choices: Choices;
}

/** A configuration in which many counters count `event` (if any does), near their overflow. */
function scenario(event: number): fc.Arbitrary<Scenario> {
  return fc.constantFrom(...CPUS).chain((cpu) =>
    fc
      .record({
        hpmn: fc.nat(cpu.n),
        el: fc.constantFrom<El>(0, 1, 2),
        // The literal ASL order is the model's 'sequential' FREEZE_OVERFLOW behaviour (D13.5.2.1).
        // A reserved PMEE reads as Constraint_DISABLED in the literal reading: choose 'disabled'.
        choices: fc.constantFrom<Choices>(
          { FREEZE_OVERFLOW: 'sequential', RES_PMEE: 'disabled' },
          { COUNT_CHAIN: 'chain', FREEZE_OVERFLOW: 'sequential', RES_PMEE: 'disabled' },
          { COUNT_CHAIN: 'no-chain', FREEZE_OVERFLOW: 'sequential', RES_PMEE: 'disabled' },
        ),
        // PMCR_EL0: E (likely), D, DP, LC, LP, FZO (half the time).
        pmcr: fc.tuple(
          bit(0n, true),
          bit(3n, false),
          bit(5n, false),
          bit(6n, false),
          bit(7n, false),
          bit(9n, false, 2),
        ),
        // MDCR_EL2: HPME (likely), HPMD, HCCD, HLP, HPMFZO (half the time), PMEE.
        mdcr: fc.tuple(
          bit(7n, true),
          bit(17n, false),
          bit(23n, false),
          bit(26n, false),
          bit(29n, false, 2),
          fc.nat(3),
        ),
        cnten: fc.oneof(fc.constant((1n << 33n) - 1n), fc.bigInt({ min: 0n, max: (1n << 33n) - 1n })),
        ovs: fc.oneof(fc.constant(0n), fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 33n) - 1n })),
        evt: fc.array(fc.constantFrom(event, event, 0x1e, ...EVENTS), { minLength: 31, maxLength: 31 }),
        filters: fc.array(filterBits, { minLength: 33, maxLength: 33 }),
        cnt: fc.array(counterValue, { minLength: 33, maxLength: 33 }),
        prescaler: fc.nat(63),
        // Often make counters HPMN-1 (even) and HPMN (odd) an event counter and its CHAIN.
        crossChain: fc.boolean(),
      })
      .map((s) => {
        const regs: Record<string, bigint> = {
          PMCR_EL0: s.pmcr.reduce((a, b) => a | b, 0n),
          MDCR_EL2:
            s.mdcr.slice(0, 5).reduce<bigint>((a, b) => a | BigInt(b), 0n) | (BigInt(s.mdcr[5]) << 40n),
          PMCNTENSET_EL0: s.cnten,
          PMOVSSET_EL0: s.ovs,
          PMCCNTR_EL0: s.cnt[31]!,
          PMCCFILTR_EL0: s.filters[31]! & ~(1n << 58n),
        };
        const evt = s.evt.slice();
        if (s.crossChain && s.hpmn % 2 === 1 && s.hpmn < cpu.n) {
          evt[s.hpmn - 1] = event;
          evt[s.hpmn] = 0x1e;
        }
        for (let i = 0; i < cpu.n; i++) {
          regs[`PMEVTYPER${i}_EL0`] = s.filters[i]! | BigInt(evt[i]!);
          // Without FEAT_PMUv3p5 an event counter holds 32 bits (D24.5.10: [63:32] RES0).
          const wide = ['PMUv3p5', 'PMUv3p7', 'PMUv3p8', 'PMUv3p9'].includes(cpu.pmuVer);
          regs[`PMEVCNTR${i}_EL0`] = wide ? s.cnt[i]! : s.cnt[i]! & 0xffff_ffffn;
        }
        if (cpu.features.includes('FEAT_PMUv3_ICNTR')) {
          regs['PMICNTR_EL0'] = s.cnt[32]!;
          regs['PMICFILTR_EL0'] = s.filters[32]! | 0x8n;
        }
        const pe = { ...makePeState(cpu, regs), ccntPrescaler: s.prescaler };
        return { pe, hpmn: s.hpmn, el: s.el, choices: s.choices };
      }),
  );
}

/** An event and a configuration for it. */
const withEvent: fc.Arbitrary<[Scenario, number]> = fc
  .constantFrom(...COUNTED)
  .chain((event) => scenario(event).map((s): [Scenario, number] => [s, event]));

type Outcome =
  | { kind: 'value'; pe: PeState; via: RuleName | undefined }
  | { kind: 'unpredictable'; rule: RuleName };

/** The rule a chosen behaviour resolved; FREEZE_OVERFLOW and RES_PMEE are left out, since the
 * literal ASL reading (pmuOccurrence) takes those behaviours and does not report them. */
function norm(via: RuleName | undefined): RuleName | undefined {
  return via === 'FREEZE_OVERFLOW' || via === 'RES_PMEE' ? undefined : via;
}

function outcome(r: Constrained<PeState>): Outcome {
  return r.kind === 'value'
    ? { kind: 'value', pe: r.value, via: norm(r.via) }
    : { kind: 'unpredictable', rule: r.rule };
}

/** k occurrences of `event`, one pmuOccurrence() at a time. */
function oneByOne(s: Scenario, event: number, k: number): Outcome {
  let pe = s.pe;
  let via: RuleName | undefined;
  for (let i = 0; i < k; i++) {
    const r = pmuOccurrence(pe, event, s.el, s.hpmn, s.choices);
    if (r.kind === 'unpredictable') return { kind: 'unpredictable', rule: r.rule };
    pe = r.value.pe;
    via = r.value.via ?? via;
  }
  return { kind: 'value', pe, via };
}

/** k calls of countEvents() with one occurrence each. */
function singleCalls(s: Scenario, event: number, k: number): Outcome {
  let pe = s.pe;
  let via: RuleName | undefined;
  for (let i = 0; i < k; i++) {
    const r = countEvents(pe, new Map([[event, 1n]]), s.el, s.hpmn, s.choices);
    if (r.kind === 'unpredictable') return { kind: 'unpredictable', rule: r.rule };
    pe = r.value;
    via = norm(r.via) ?? via;
  }
  return { kind: 'value', pe, via };
}

function batch(s: Scenario, events: ReadonlyMap<number, bigint>): Outcome {
  return outcome(countEvents(s.pe, events, s.el, s.hpmn, s.choices));
}

function describeScenario(s: Scenario): string {
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  return [
    `cpu=${s.pe.config.cpu.name}/${s.pe.config.cpu.pmuVer} n=${s.pe.config.n} hpmn=${s.hpmn} el=${s.el}`,
    `choices=${JSON.stringify(s.choices)} prescaler=${s.pe.ccntPrescaler}`,
    ...Object.entries(s.pe.regs).map(([k, v]) => `${k}=${hex(v)}`),
    `cnt=${s.pe.cnt.map(hex).join(',')}`,
    `typer=${s.pe.typer.map(hex).join(',')}`,
  ].join(' ');
}

describe('countEvents() batches', () => {
  test('one call with k == k pmuOccurrence() steps (the literal ASL reading)', () => {
    fc.assert(
      fc.property(withEvent, fc.nat(300), ([s, event], k) => {
        const want = oneByOne(s, event, k);
        const got = batch(s, new Map([[event, BigInt(k)]]));
        assert.deepEqual(got, want, `event 0x${event.toString(16)} k=${k} ${describeScenario(s)}`);
      }),
      { numRuns: 1500 },
    );
  });

  test('one call with k == k calls with 1', () => {
    fc.assert(
      fc.property(withEvent, fc.nat(200), ([s, event], k) => {
        const want = singleCalls(s, event, k);
        const got = batch(s, new Map([[event, BigInt(k)]]));
        assert.deepEqual(got, want, `event 0x${event.toString(16)} k=${k} ${describeScenario(s)}`);
      }),
      { numRuns: 300 },
    );
  });

  test('k = a + b == a then b, for k up to 2^64', () => {
    const big = fc.oneof(
      fc.bigInt({ min: 0n, max: 1000n }),
      fc.bigInt({ min: 0n, max: 1n << 40n }),
      fc.bigInt({ min: 0n, max: 1n << 63n }),
      fc.bigInt({ min: 1n, max: 8n }).map((m) => m * TWO32),
    );
    fc.assert(
      fc.property(withEvent, big, big, ([s, event], a, b) => {
        const whole = batch(s, new Map([[event, a + b]]));
        const first = batch(s, new Map([[event, a]]));
        if (first.kind === 'unpredictable') {
          assert.deepEqual(whole, first);
          return;
        }
        const second = batch({ ...s, pe: first.pe }, new Map([[event, b]]));
        const want: Outcome =
          second.kind === 'unpredictable'
            ? second
            : { kind: 'value', pe: second.pe, via: second.via ?? first.via };
        assert.deepEqual(whole, want, `event 0x${event.toString(16)} a=${a} b=${b} ${describeScenario(s)}`);
      }),
      { numRuns: 300 },
    );
  });

  test('several events == each event in ascending order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COUNTED).chain(scenario),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...EVENTS), fc.bigInt({ min: 0n, max: 300n })), {
          selector: (t) => t[0],
          maxLength: 4,
        }),
        (s, pairs) => {
          const got = batch(s, new Map(pairs));
          let want: Outcome = { kind: 'value', pe: s.pe, via: undefined };
          for (const [event, k] of [...pairs].sort((x, y) => x[0] - y[0])) {
            if (want.kind === 'unpredictable') break;
            const r = batch({ ...s, pe: want.pe }, new Map([[event, k]]));
            want = r.kind === 'unpredictable' ? r : { kind: 'value', pe: r.pe, via: r.via ?? want.via };
          }
          assert.deepEqual(
            got,
            want,
            `${JSON.stringify(pairs.map(([e, k]) => [e, String(k)]))} ${describeScenario(s)}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  test('k = 0 changes nothing', () => {
    fc.assert(
      fc.property(withEvent, ([s, event]) => {
        assert.deepEqual(batch(s, new Map([[event, 0n]])), { kind: 'value', pe: s.pe, via: undefined });
      }),
    );
  });

  test('rejects event numbers and counts out of range', () => {
    const pe = makePeState(lookupCpu('neoverse-n2'));
    assert.throws(() => countEvents(pe, new Map([[0x10000, 1n]]), 1, 6, {}), /16 bits/);
    assert.throws(() => countEvents(pe, new Map([[0x08, -1n]]), 1, 6, {}), /0\.\.2\^64/);
    assert.throws(() => countEvents(pe, new Map([[0x08, TWO64 + 1n]]), 1, 6, {}), /0\.\.2\^64/);
    assert.equal(countEvents(pe, new Map([[0x08, TWO64]]), 1, 6, {}).kind, 'value');
  });
});
