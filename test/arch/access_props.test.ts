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
import { type CpuDef, parseInlineCpu } from '../../src/arch/cpus.js';
import { type El, makePeState, type PeState } from '../../src/arch/pmu/state.js';
import type { Choices } from '../../src/arch/unpredictable.js';

interface Cpu {
  readonly cpu: CpuDef;
  readonly n: number;
  readonly hpmn0: boolean;
  readonly el3: boolean;
  readonly icntr: boolean;
  readonly v3p5: boolean;
}

function inline(pmuVer: string, n: number, features: string[]): Cpu {
  return {
    cpu: parseInlineCpu({ pmuVer, n, features }),
    n,
    hpmn0: features.includes('FEAT_HPMN0'),
    el3: features.includes('FEAT_EL3'),
    icntr: features.includes('FEAT_PMUv3_ICNTR'),
    v3p5: !['PMUv3', 'PMUv3p1', 'PMUv3p4'].includes(pmuVer),
  };
}

const CPUS: readonly Cpu[] = [
  inline('PMUv3p1', 6, []),
  inline('PMUv3p5', 6, ['FEAT_FGT']),
  inline('PMUv3p5', 5, ['FEAT_FGT', 'FEAT_EL3', 'FEAT_VHE']),
  inline('PMUv3p9', 8, ['FEAT_FGT2', 'FEAT_PMUv3_ICNTR', 'FEAT_HPMN0', 'FEAT_EL3']),
  inline('PMUv3p7', 4, ['FEAT_FGT', 'FEAT_HPMN0', 'FEAT_NV', 'FEAT_NV2']),
  inline('PMUv3', 31, ['FEAT_FGT']),
  inline('PMUv3p9', 1, ['FEAT_FGT']),
  inline('PMUv3p9', 7, ['FEAT_FGT']),
];

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bitsOf = (width: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n });
/** Sparse 64-bit values: a few set bits, so that single trap bits are often 0 and often 1. */
const sparse = fc
  .array(fc.integer({ min: 0, max: 63 }), { maxLength: 6 })
  .map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n));

/** HCR_EL2 bits the accessors read: TID3 [18], TGE [27], E2H [34], NV [42], NV1 [43], NV2 [45] (D24.2.62). */
const hcr = fc.subarray([18, 27, 34, 42, 43, 45]).map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n));

const COUNTER_NAMES = [
  ...Array.from({ length: 31 }, (_, i) => `PMEVCNTR${i}_EL0`),
  ...Array.from({ length: 31 }, (_, i) => `PMEVTYPER${i}_EL0`),
  'PMCCNTR_EL0',
  'PMICNTR_EL0',
  'PMCCFILTR_EL0',
  'PMICFILTR_EL0',
];

/** A random PE state for `c` whose MDCR_EL2.HPMN is not reserved, with that HPMN. */
function stateArb(c: Cpu, opts: { readonly hpmnAny?: boolean } = {}) {
  const hpmnArb =
    opts.hpmnAny === true ? fc.integer({ min: 0, max: 31 }) : fc.integer({ min: c.hpmn0 ? 0 : 1, max: c.n });
  return fc
    .record({
      hpmn: hpmnArb,
      mdcr: sparse,
      hcr,
      userenr: bitsOf(7),
      uacr: bitsOf(33),
      fgtR: sparse,
      fgtW: sparse,
      // FGT2 bits trap when 0: random words leave about half of them open.
      fgt2R: fc.oneof(sparse, u64),
      fgt2W: fc.oneof(sparse, u64),
      pmcr: bitsOf(10),
      cnten: bitsOf(33),
      inten: bitsOf(33),
      ovs: bitsOf(33),
      sel: fc.integer({ min: 0, max: 31 }),
      counters: fc.array(u64, { minLength: COUNTER_NAMES.length, maxLength: COUNTER_NAMES.length }),
      // SCR_EL3: NS [0], RW [10], TID3 [18], FGTEn [27], FGTEn2 [59]; MDCR_EL3: TPM [6], EnPM2 [7], TDA [9].
      scr: fc
        .subarray([18, 27, 59])
        .map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 1n | (1n << 10n))),
      mdcr3: fc.subarray([6, 7, 9]).map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n)),
    })
    .map((r) => {
      const regs: Record<string, bigint> = {
        MDCR_EL2: (r.mdcr & ~0x1fn) | BigInt(r.hpmn),
        HCR_EL2: r.hcr,
        PMUSERENR_EL0: r.userenr,
        PMUACR_EL1: r.uacr,
        HDFGRTR_EL2: r.fgtR,
        HDFGWTR_EL2: r.fgtW,
        HDFGRTR2_EL2: r.fgt2R,
        HDFGWTR2_EL2: r.fgt2W,
        PMCR_EL0: r.pmcr,
        PMCNTENSET_EL0: r.cnten,
        PMINTENSET_EL1: r.inten,
        PMOVSSET_EL0: r.ovs,
        PMSELR_EL0: BigInt(r.sel),
      };
      COUNTER_NAMES.forEach((name, i) => {
        // Without FEAT_PMUv3p5 an event counter holds 32 bits (D24.5.10 PMEVCNTR<n>_EL0 [63:32] RES0).
        const narrow = !c.v3p5 && name.startsWith('PMEVCNTR');
        regs[name] = narrow ? r.counters[i]! & 0xffff_ffffn : r.counters[i]!;
      });
      if (c.el3) {
        regs['SCR_EL3'] = r.scr;
        regs['MDCR_EL3'] = r.mdcr3;
      }
      return { pe: makePeState(c.cpu, regs), hpmn: r.hpmn, regs };
    });
}

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
