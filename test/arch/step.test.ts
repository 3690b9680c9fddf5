// SPDX-License-Identifier: MIT
// stepOutcomes(): a step under every permitted CONSTRAINED UNPREDICTABLE behaviour. Each expected
// value is worked out from the Arm ARM DDI0487 M.a.a text cited on the row (the D24 accessor
// pseudocode and field descriptions, D13, J1.3), not from running the model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupRegister } from '../../src/arch/catalogue.js';
import { parseInlineCpu } from '../../src/arch/cpus.js';
import { type El, makePeState, type PeState } from '../../src/arch/pmu/state.js';
import { type OutcomeGroup, type PeStep, type StepOutcomes, stepOutcomes } from '../../src/arch/step.js';

const read = (el: El, name: string): PeStep => ({ kind: 'read', el, reg: lookupRegister(name) });
const write = (el: El, name: string, value: bigint): PeStep => ({
  kind: 'write',
  el,
  reg: lookupRegister(name),
  value,
});
const count = (el: El, events: Record<number, bigint>): PeStep => ({
  kind: 'count',
  el,
  events: new Map(Object.entries(events).map(([k, v]) => [Number(k), v])),
});

// MDCR_EL2 (D24.3.17): HPMN [4:0], TPM [6], HPME [7]. PMCR_EL0 (D24.5.8): E [0], P [1], N [15:11].
const TPM = 1n << 6n;
const HPME = 1n << 7n;
const E = 1n;
const P = 1n << 1n;
const LC = 1n << 6n; // PMCR_EL0.LC [6]
const FZO = 1n << 9n; // PMCR_EL0.FZO [9] (FEAT_PMUv3p7)
const INST_RETIRED = 0x08n;

const fgt4 = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 4, features: ['FEAT_FGT'] });
const noFgt6 = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: [] });

/** The behaviours of each group, as "RULE=behaviour" strings joined by "+", per group. */
function behaviours(g: OutcomeGroup): string[] {
  return g.behaviours.map((c) =>
    Object.entries(c)
      .map(([r, b]) => `${r}=${b}`)
      .join('+'),
  );
}

function determined(r: StepOutcomes): Extract<StepOutcomes, { kind: 'determined' }> {
  assert.equal(r.kind, 'determined', JSON.stringify(r.kind === 'unpredictable' ? r.rule : r.kind));
  return r as Extract<StepOutcomes, { kind: 'determined' }>;
}

describe('stepOutcomes(): determined results', () => {
  test('a legal HPMN costs one evaluation and meets nothing', () => {
    const pe = makePeState(fgt4, { MDCR_EL2: 2n, PMEVCNTR1_EL0: 7n });
    const r = determined(stepOutcomes(pe, read(1, 'PMEVCNTR1_EL0'), {}));
    assert.deepEqual(r.outcome, { kind: 'ok', value: 7n });
    assert.deepEqual(r.met, []);
    assert.equal(r.groups, undefined);
  });

  test('N = 0 (FEAT_HPMN0, D13.1): HPMN = 0 leaves no choice; EL1 reads PMCR_EL0.N = 0', () => {
    const pe = makePeState(parseInlineCpu({ pmuVer: 'PMUv3p1', n: 0, features: ['FEAT_HPMN0'] }), {
      MDCR_EL2: 0n,
    });
    const r = determined(stepOutcomes(pe, read(1, 'PMCR_EL0'), {}));
    // N [15:11] = 0; LC [6] is RES1 without AArch32 (D24.5.8 LC).
    assert.deepEqual(r.outcome, { kind: 'ok', value: LC });
    assert.deepEqual(r.met, []);
  });

  test('N = 0: PMEVCNTR0_EL0 is UNDEFINED at EL1 even with MDCR_EL2.TPM set (D24.5.10 accessor order)', () => {
    // MRS/MSR PMEVCNTR<m>_EL0: "elsif m >= GetNumEventCountersSelfHosted() then if
    // IsFeatureImplemented(FEAT_FGT) then UNDEFINED" comes before the PSTATE.EL branches, so before
    // "EL2Enabled() && MDCR_EL2.TPM == '1'". A PE with EL2 and N = 0 has FEAT_HPMN0 (D13.1) and so
    // FEAT_FGT (A2.2.7): the access never reaches the TPM trap, and is never CONSTRAINED
    // UNPREDICTABLE.
    const pe = makePeState(parseInlineCpu({ pmuVer: 'PMUv3p5', n: 0, features: ['FEAT_HPMN0'] }), {
      MDCR_EL2: TPM,
    });
    for (const step of [read(1, 'PMEVCNTR0_EL0'), write(1, 'PMEVCNTR0_EL0', 5n), read(1, 'PMEVTYPER0_EL0')]) {
      const r = determined(stepOutcomes(pe, step, {}));
      assert.deepEqual(r.outcome, { kind: 'undefined' });
      assert.deepEqual(r.met, []);
    }
  });

  test('index >= N with FEAT_FGT is UNDEFINED before HPMN is looked at (D24.5.10 accessor order)', () => {
    // "elsif m >= GetNumEventCountersSelfHosted() then if IsFeatureImplemented(FEAT_FGT) then
    // UNDEFINED" comes before every check that reads MDCR_EL2.HPMN, so HPMN = 31 does not matter.
    const pe = makePeState(fgt4, { MDCR_EL2: 31n });
    const r = determined(stepOutcomes(pe, read(1, 'PMEVCNTR4_EL0'), {}));
    assert.deepEqual(r.outcome, { kind: 'undefined' });
    assert.deepEqual(r.met, []);
  });

  test('MDCR_EL2.TPM traps before the HPMN range check: determined with a reserved HPMN (D24.5.10)', () => {
    // EL1 branch: FGT trap, then "EL2Enabled() && MDCR_EL2.TPM == '1'" -> trap, before
    // "m >= GetNumEventCountersAccessible()". ISS (D24.2 ESR_ELx, EC 0x18) of MRS PMEVCNTR0_EL0
    // (op0 3, op1 3, CRn 14, CRm 8, op2 0) through X0: 3<<20 | 3<<14 | 14<<10 | 8<<1 | 1.
    const pe = makePeState(fgt4, { MDCR_EL2: TPM | 31n });
    const r = determined(stepOutcomes(pe, read(1, 'PMEVCNTR0_EL0'), {}));
    const iss = (3 << 20) | (3 << 14) | (14 << 10) | (8 << 1) | 1;
    assert.deepEqual(r.outcome, { kind: 'trap', toEl: 2, ec: 0x18, iss });
    assert.deepEqual(r.met, []);
  });

  test('EL2 reads PMCR_EL0.N = N whatever HPMN holds (D24.5.8 N): no case met', () => {
    const pe = makePeState(fgt4, { MDCR_EL2: 0n });
    const r = determined(stepOutcomes(pe, read(2, 'PMCR_EL0'), {}));
    assert.deepEqual(r.outcome, { kind: 'ok', value: LC | (4n << 11n) });
    assert.deepEqual(r.met, []);
  });

  test('counting with HPMN = 3 > N = 2, E and HPME both 1: every behaviour counts 100 on both', () => {
    // Under "as if HPMN were 1 or 2" and "all counters in the second range" each counter is enabled
    // (PMCR_EL0.E for the first range, MDCR_EL2.HPME for the second; D13.1.1) and counts at EL1
    // (HPMD only filters EL2). So the result does not depend on the behaviour.
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p1', n: 2, features: ['FEAT_FGT'] });
    const pe = makePeState(cpu, {
      MDCR_EL2: HPME | 3n,
      PMCR_EL0: E | LC,
      PMCNTENSET_EL0: 3n,
      PMEVTYPER0_EL0: INST_RETIRED,
      PMEVTYPER1_EL0: INST_RETIRED,
    });
    const r = determined(stepOutcomes(pe, count(1, { 8: 100n }), {}));
    assert.deepEqual([r.state.cnt[0], r.state.cnt[1]], [100n, 100n]);
    assert.deepEqual(r.met, ['RES_HPMN']);
  });
});

describe('stepOutcomes(): UNKNOWN bits', () => {
  test('EL2 read of MDCR_EL2 with a reserved HPMN: HPMN [4:0] UNKNOWN, the rest as stored (D24.3.17)', () => {
    // "The value returned by a direct read of MDCR_EL2.HPMN is UNKNOWN": any 5-bit value.
    const pe = makePeState(noFgt6, { MDCR_EL2: HPME | 9n });
    const r = stepOutcomes(pe, read(2, 'MDCR_EL2'), {});
    assert.equal(r.kind, 'unknown-bits');
    assert.ok(r.kind === 'unknown-bits');
    assert.equal(r.value, HPME);
    assert.equal(r.unknown, 0x1fn);
  });

  test('PMSELR_EL0.SEL = 7 >= N = 6 without FEAT_FGT reads UNKNOWN (D24.5.22 SEL)', () => {
    const pe = makePeState(noFgt6, { MDCR_EL2: 6n, PMSELR_EL0: 7n });
    const r = stepOutcomes(pe, read(1, 'PMSELR_EL0'), {});
    assert.ok(r.kind === 'unknown-bits');
    assert.equal(r.value, 0n);
    assert.equal(r.unknown, 0x1fn);
  });

  test('EL1 PMCNTENSET_EL0 with HPMN = 3 > N = 2: P0, P1 UNKNOWN, C read (D24.5.7 P<m>)', () => {
    // P<m> is RAZ/WI for m >= the Effective HPMN: 0 (all in the second range) hides both, 1 shows
    // P0, 2 shows both. C (bit 31) is always accessible.
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p1', n: 2, features: ['FEAT_FGT'] });
    const pe = makePeState(cpu, { MDCR_EL2: 3n, PMCNTENSET_EL0: 0x8000_0003n });
    const r = stepOutcomes(pe, read(1, 'PMCNTENSET_EL0'), {});
    assert.ok(r.kind === 'unknown-bits');
    assert.equal(r.value, 0x8000_0000n);
    assert.equal(r.unknown, 0x3n);
  });
});

describe('stepOutcomes(): distinct outcomes', () => {
  test('QEMU max shape (PMUv3p5, N = 6, no FGT, no HPMN0), HPMN 0, EL1 read of PMEVTYPER6_EL0', () => {
    // D24.5.12: "m >= GetNumEventCountersSelfHosted()" without FEAT_FGT ->
    // Unpredictable_PMUEVENTCOUNTER, before any HPMN check: UNDEFINED, RAZ/WI, NOP, or as if m were
    // an accessible index (0..5 over the permitted HPMN values); no trap, since m >= N.
    const pe = makePeState(noFgt6, { MDCR_EL2: HPME });
    const r = stepOutcomes(pe, read(1, 'PMEVTYPER6_EL0'), {});
    assert.ok(r.kind === 'unpredictable');
    assert.equal(r.rule, 'PMUEVENTCOUNTER');
    assert.deepEqual(r.allowed, [
      'undefined',
      'raz-wi',
      'nop',
      'as-index-0',
      'as-index-1',
      'as-index-2',
      'as-index-3',
      'as-index-4',
      'as-index-5',
    ]);
    // Every PMEVTYPER<k>_EL0 holds 0, so RAZ/WI and every permitted as-index-k read 0.
    assert.deepEqual(
      r.groups.map((g) => g.outcome),
      [{ kind: 'undefined' }, { kind: 'ok', value: 0n }, { kind: 'ok' }],
    );
    const ok0 = behaviours(r.groups[1]!);
    assert.ok(ok0.includes('PMUEVENTCOUNTER=raz-wi'));
    // as-index-5 needs index 5 accessible at EL1: only "as if HPMN were 6".
    assert.ok(ok0.includes('PMUEVENTCOUNTER=as-index-5+RES_HPMN=hpmn-6'));
    assert.ok(!ok0.includes('PMUEVENTCOUNTER=as-index-5+RES_HPMN=hpmn-5'));
  });

  test('EL1 read of PMEVCNTR1_EL0 with FEAT_FGT and HPMN 31 > N = 4: trap or the value (D24.5.10)', () => {
    // Index 1 < N. With FEAT_FGT, "m >= GetNumEventCountersAccessible()" traps to EL2. Effective
    // HPMN 0 (all in the second range) or 1 -> trap; 2..4 -> the counter.
    const pe = makePeState(fgt4, { MDCR_EL2: 31n, PMEVCNTR1_EL0: 0x55n });
    const r = stepOutcomes(pe, read(1, 'PMEVCNTR1_EL0'), {});
    assert.ok(r.kind === 'unpredictable');
    assert.equal(r.rule, 'RES_HPMN');
    assert.deepEqual(r.allowed, ['all-second-range', 'hpmn-1', 'hpmn-2', 'hpmn-3', 'hpmn-4']);
    assert.deepEqual(
      r.groups.map((g) => [g.outcome.kind, behaviours(g)]),
      [
        ['trap', ['RES_HPMN=all-second-range', 'RES_HPMN=hpmn-1']],
        ['ok', ['RES_HPMN=hpmn-2', 'RES_HPMN=hpmn-3', 'RES_HPMN=hpmn-4']],
      ],
    );
    assert.deepEqual(r.groups[1]!.outcome, { kind: 'ok', value: 0x55n });
  });

  test('EL1 write of PMCR_EL0.P with a reserved HPMN zeroes the counters below the HPMN taken (D24.5.8 P)', () => {
    // ClearEventCounters() at EL1 zeroes the event counters below GetNumEventCountersAccessible():
    // none with all counters in the second range, counters 0..k-1 as if HPMN were k.
    const pe = makePeState(fgt4, {
      MDCR_EL2: 31n,
      PMEVCNTR0_EL0: 1n,
      PMEVCNTR1_EL0: 2n,
      PMEVCNTR2_EL0: 3n,
      PMEVCNTR3_EL0: 4n,
    });
    const r = stepOutcomes(pe, write(1, 'PMCR_EL0', P), {});
    assert.ok(r.kind === 'unpredictable');
    const counters = (s: PeState) => s.cnt.slice(0, 4);
    assert.deepEqual(
      r.groups.map((g) => [behaviours(g), counters(g.state)]),
      [
        [['RES_HPMN=all-second-range'], [1n, 2n, 3n, 4n]],
        [['RES_HPMN=hpmn-1'], [0n, 2n, 3n, 4n]],
        [['RES_HPMN=hpmn-2'], [0n, 0n, 3n, 4n]],
        [['RES_HPMN=hpmn-3'], [0n, 0n, 0n, 4n]],
        [['RES_HPMN=hpmn-4'], [0n, 0n, 0n, 0n]],
      ],
    );
    assert.deepEqual(
      [...r.groups[2]!.changes],
      [
        ['PMEVCNTR0_EL0', 0n],
        ['PMEVCNTR1_EL0', 0n],
      ],
    );
  });

  test('counting with HPMN 3 > N = 2, E = 1, HPME = 0: second-range counters are disabled (D13.1.1)', () => {
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p1', n: 2, features: ['FEAT_FGT'] });
    const pe = makePeState(cpu, {
      MDCR_EL2: 3n,
      PMCR_EL0: E,
      PMCNTENSET_EL0: 3n,
      PMEVTYPER0_EL0: INST_RETIRED,
      PMEVTYPER1_EL0: INST_RETIRED,
    });
    const r = stepOutcomes(pe, count(1, { 8: 100n }), {});
    assert.ok(r.kind === 'unpredictable');
    assert.deepEqual(
      r.groups.map((g) => [behaviours(g), g.state.cnt[0], g.state.cnt[1]]),
      [
        [['RES_HPMN=all-second-range'], 0n, 0n],
        [['RES_HPMN=hpmn-1'], 100n, 0n],
        [['RES_HPMN=hpmn-2'], 100n, 100n],
      ],
    );
  });

  test('freeze on overflow: the three FREEZE_OVERFLOW behaviours give three results (D13.5.2.1)', () => {
    // PMUv3p7, HPMN 4, FZO: counters 0 and 1 (first range) count INST_RETIRED, counter 0 is 10
    // short of a 32-bit overflow. ASL order: counter 1 is updated after counter 0 in the 10th
    // occurrence and is frozen (9); counting that occurrence too gives 10; freezing one occurrence
    // late gives 11 (and counter 0 one more).
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p7', n: 6, features: ['FEAT_FGT'] });
    const pe = makePeState(cpu, {
      MDCR_EL2: HPME | 4n,
      PMCR_EL0: E | FZO,
      PMCNTENSET_EL0: 3n,
      PMEVTYPER0_EL0: INST_RETIRED,
      PMEVTYPER1_EL0: INST_RETIRED,
      PMEVCNTR0_EL0: 0xffff_fff6n,
    });
    const r = stepOutcomes(pe, count(1, { 8: 100n }), {});
    assert.ok(r.kind === 'unpredictable');
    assert.equal(r.rule, 'FREEZE_OVERFLOW');
    assert.deepEqual(
      r.groups.map((g) => [behaviours(g), g.state.cnt[0], g.state.cnt[1]]),
      [
        [['FREEZE_OVERFLOW=sequential'], 0x1_0000_0000n, 9n],
        [['FREEZE_OVERFLOW=whole-occurrence'], 0x1_0000_0000n, 10n],
        [['FREEZE_OVERFLOW=one-later'], 0x1_0000_0001n, 11n],
      ],
    );
  });

  test('a choice fixes the behaviour for the step; one that is not permitted is no choice', () => {
    const pe = makePeState(fgt4, { MDCR_EL2: 31n, PMEVCNTR1_EL0: 0x55n });
    const chosen = determined(stepOutcomes(pe, read(1, 'PMEVCNTR1_EL0'), { RES_HPMN: 'hpmn-2' }));
    assert.deepEqual(chosen.outcome, { kind: 'ok', value: 0x55n });
    assert.equal(chosen.via, 'RES_HPMN');
    // hpmn-5 is not permitted with N = 4: every behaviour is evaluated, as without a choice.
    const open = stepOutcomes(pe, read(1, 'PMEVCNTR1_EL0'), { RES_HPMN: 'hpmn-5' });
    assert.equal(open.kind, 'unpredictable');
  });
});
