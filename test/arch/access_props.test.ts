// SPDX-License-Identifier: MIT
// Properties of accessSysreg() over random registers, values, Exception levels and PE states.
// The invariants come from the Arm ARM DDI0487 M.a.a text, not from the model:
//  - D13.1.1 ISBQGJ: with EL2 enabled, EL1 and EL0 only reach event counters in the first range
//    (n < HPMN); D13.11.1 IDXWRB and the P<m> fields of D24.5.6/.7/.17/.18/.20/.21/.25 ("When m >=
//    GetNumEventCountersAccessible(), access to this field is RAZ/WI").
//  - J1.3.1.96 GetNumEventCountersAccessible() is N at EL2, and J1.3.1.100 GetPMUReadMask() keeps
//    those bits, C (bit 31) and, with FEAT_PMUv3_ICNTR and MDCR_EL3.EnPM2 not 0, F0 (bit 32).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { accessSysreg } from '../../src/arch/access.js';
import { allRegisterNames, lookupRegister } from '../../src/arch/catalogue.js';
import { type El, makePeState, type PeState } from '../../src/arch/pmu/state.js';
import type { Choices } from '../../src/arch/unpredictable.js';
import { CPUS, stateArb, u64 } from './pe_arb.js';

/** Choices for the cases an EL0/EL1 access can meet, each sometimes absent. */
const choicesArb: fc.Arbitrary<Choices> = fc
  .record({
    PMUEVENTCOUNTER: fc.option(
      fc.constantFrom('undefined', 'raz-wi', 'nop', 'trap-el2', 'as-index-0', 'as-index-1', 'as-index-31'),
    ),
    PMSELR_SEL: fc.option(fc.constantFrom('value-written', 'sel-0', 'sel-30')),
    COUNT_CHAIN: fc.option(fc.constant('no-chain')),
  })
  .map((r) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) if (v !== null) out[k] = v;
    return out;
  });

const NAMES = allRegisterNames();

/** Whether `name` is not an indexed instance, or one with an index below `n`. */
function implementedIndex(name: string, n: number): boolean {
  const ref = lookupRegister(name);
  return ref.n === undefined || ref.n < n;
}

function bit(v: bigint, i: number): bigint {
  return (v >> BigInt(i)) & 1n;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

describe('accessSysreg() properties', () => {
  test('no EL0/EL1 access changes the value, filter, enable, interrupt enable, overflow flag or EL0 access bit of a counter >= HPMN', () => {
    const arb = fc.constantFrom(...CPUS).chain((c) =>
      fc.record({
        c: fc.constant(c),
        s: stateArb(c),
        // Half the draws among registers that exist on this CPU (an index below N, if any).
        reg: fc.oneof(
          fc.constantFrom(...NAMES),
          fc.constantFrom(...NAMES.filter((x) => implementedIndex(x, c.n))),
        ),
        el: fc.constantFrom<El>(0, 1),
        dir: fc.constantFrom<'read' | 'write'>('read', 'write'),
        value: fc.oneof(u64, fc.constant((1n << 64n) - 1n)),
        rt: fc.integer({ min: 0, max: 30 }),
        choices: choicesArb,
      }),
    );
    fc.assert(
      fc.property(arb, ({ c, s, reg, el, dir, value, rt, choices }) => {
        const before: PeState = s.pe;
        const r = accessSysreg(before, { el, dir, reg: lookupRegister(reg), value, rt }, choices);
        const after = r.state;
        const why = `${reg} EL${el} ${dir} ${hex(value)} HPMN=${s.hpmn} N=${c.n} outcome=${r.outcome.kind} rule: ${r.rule}`;
        if (r.outcome.kind !== 'ok')
          assert.equal(after, before, `a step that does not complete keeps the state: ${why}`);
        for (let i = s.hpmn; i < c.n; i++) {
          assert.equal(after.cnt[i], before.cnt[i], `PMEVCNTR${i}_EL0 changed: ${why}`);
          assert.equal(after.typer[i], before.typer[i], `PMEVTYPER${i}_EL0 changed: ${why}`);
          for (const b of ['PMCNTENSET_EL0', 'PMINTENSET_EL1', 'PMOVSSET_EL0', 'PMUACR_EL1'] as const) {
            assert.equal(bit(after.regs[b], i), bit(before.regs[b], i), `${b}[${i}] changed: ${why}`);
          }
        }
        assert.equal(after.regs.MDCR_EL2, before.regs.MDCR_EL2, `MDCR_EL2 changed: ${why}`);
      }),
      { numRuns: 3000 },
    );
  });

  test('EL2 reads of the bitmap registers show the stored bits of every implemented counter', () => {
    const BITMAPS: readonly [string, 'PMCNTENSET_EL0' | 'PMINTENSET_EL1' | 'PMOVSSET_EL0'][] = [
      ['PMCNTENSET_EL0', 'PMCNTENSET_EL0'],
      ['PMCNTENCLR_EL0', 'PMCNTENSET_EL0'],
      ['PMINTENSET_EL1', 'PMINTENSET_EL1'],
      ['PMINTENCLR_EL1', 'PMINTENSET_EL1'],
      ['PMOVSSET_EL0', 'PMOVSSET_EL0'],
      ['PMOVSCLR_EL0', 'PMOVSSET_EL0'],
    ];
    const arb = fc.constantFrom(...CPUS).chain((c) =>
      fc.record({
        c: fc.constant(c),
        s: stateArb(c, { hpmnAny: true }),
        which: fc.constantFrom(...BITMAPS),
      }),
    );
    fc.assert(
      fc.property(arb, ({ c, s, which }) => {
        // MDCR_EL3.TPM = 1 would trap EL2 to EL3 (D24.5.7 EL2 branch): keep it 0 here.
        const pe: PeState = { ...s.pe, regs: { ...s.pe.regs, MDCR_EL3: s.pe.regs.MDCR_EL3 & ~(1n << 6n) } };
        const r = accessSysreg(pe, { el: 2, dir: 'read', reg: lookupRegister(which[0]) }, {});
        // GetPMUReadMask() at EL2: P<m> for m < N, C, and F0 unless MDCR_EL3.EnPM2 is 0 (J1.3.1.100).
        const enPM2 = !c.el3 || bit(pe.regs.MDCR_EL3, 7) === 1n;
        const mask = ((1n << BigInt(c.n)) - 1n) | (1n << 31n) | (c.icntr && enPM2 ? 1n << 32n : 0n);
        assert.deepEqual(
          r.outcome,
          { kind: 'ok', value: pe.regs[which[1]] & mask },
          `${which[0]}: ${r.rule}`,
        );
      }),
      { numRuns: 1000 },
    );
  });

  test('EL2 reads of PMEVCNTR<n>_EL0 show every implemented counter, HPMN notwithstanding', () => {
    const arb = fc.constantFrom(...CPUS).chain((c) =>
      fc.record({
        c: fc.constant(c),
        s: stateArb(c, { hpmnAny: true }),
        n: fc.integer({ min: 0, max: c.n - 1 }),
        viaSel: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ c, s, n, viaSel }) => {
        const pe: PeState = {
          ...s.pe,
          regs: { ...s.pe.regs, MDCR_EL3: s.pe.regs.MDCR_EL3 & ~(1n << 6n), PMSELR_EL0: BigInt(n) },
        };
        const reg = lookupRegister(viaSel ? 'PMXEVCNTR_EL0' : `PMEVCNTR${n}_EL0`);
        const r = accessSysreg(pe, { el: 2, dir: 'read', reg }, {});
        // EVCNT is [63:0] with FEAT_PMUv3p5, else [31:0] (D24.5.10).
        const width = c.v3p5 ? 64n : 32n;
        const expected = pe.cnt[n]! & ((1n << width) - 1n);
        assert.deepEqual(r.outcome, { kind: 'ok', value: expected }, `${reg.name} n=${n}: ${r.rule}`);
      }),
      { numRuns: 1000 },
    );
  });

  test('every register of the catalogue has an accessor', () => {
    const pe = makePeState(CPUS[3]!.cpu, { MDCR_EL2: 4n });
    for (const name of NAMES) {
      for (const el of [0, 1, 2] as const) {
        const r = accessSysreg(pe, { el, dir: 'read', reg: lookupRegister(name) }, {});
        assert.doesNotMatch(r.rule, /no accessor/, `${name} at EL${el}`);
      }
    }
  });
});
