// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/arch/errors.js';
import {
  ARCH_VERSIONS,
  archFeatures,
  archVersions,
  CONDITIONAL_IMPLIES,
  FEATURES,
  type FeatureName,
  featureClosure,
  isArchName,
  OTHER_FEATURES,
  PMU_VERSIONS,
  PMUVER_ENCODING,
} from '../../src/arch/features.js';

/**
 * What an architecture version makes mandatory, row by row from the Arm ARM DDI0487 M.a.a A2.2/A2.3
 * text (cited on each row), not from features.ts: [arch, implemented, must include, must not include].
 */
const ARCH_ROWS: [arch: string, implemented: FeatureName[], has: FeatureName[], lacks: FeatureName[]][] = [
  // A2.2.2: "FEAT_LOR is mandatory from Armv8.1", so not in Armv8.0; nothing is mandatory in Armv8.0
  ['Armv8.0-A', ['FEAT_PMUv3', 'FEAT_AA64EL2'], [], ['FEAT_LOR', 'FEAT_VHE', 'FEAT_PMUv3p1']],
  // A2.2.2: "FEAT_LOR is mandatory from Armv8.1"
  ['Armv8.1-A', [], ['FEAT_LOR'], ['FEAT_VHE', 'FEAT_PMUv3p1', 'FEAT_RAS']],
  // A2.2.2: "In an Armv8.1 implementation, if FEAT_AA64EL2 is implemented, FEAT_VHE is implemented."
  ['Armv8.1-A', ['FEAT_AA64EL2'], ['FEAT_LOR', 'FEAT_VHE'], []],
  // A2.2.2: "In an Armv8.1 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p1 is implemented."
  ['Armv8.1-A', ['FEAT_PMUv3'], ['FEAT_PMUv3p1'], ['FEAT_VHE']],
  // A2.2.3: "FEAT_RAS is mandatory from Armv8.2", "FEAT_Debugv8p2 is mandatory from Armv8.2"
  ['Armv8.2-A', [], ['FEAT_RAS', 'FEAT_Debugv8p2', 'FEAT_LOR'], ['FEAT_PAuth']],
  // A2.2.4: "FEAT_PAuth is mandatory from Armv8.3."
  ['Armv8.3-A', [], ['FEAT_PAuth', 'FEAT_RAS'], ['FEAT_Debugv8p4']],
  // A2.2.5: "FEAT_Debugv8p4 is mandatory from Armv8.4"; "In an Armv8.4 implementation, if FEAT_PMUv3 is
  // implemented, FEAT_PMUv3p4 is implemented"; "... if FEAT_RAS is implemented, FEAT_RASv1p1 ..." (RAS is
  // mandatory from Armv8.2); "... if FEAT_EL2 is implemented, FEAT_S2FWB is implemented"
  [
    'Armv8.4-A',
    ['FEAT_PMUv3', 'FEAT_EL2'],
    ['FEAT_Debugv8p4', 'FEAT_PMUv3p4', 'FEAT_RASv1p1', 'FEAT_S2FWB'],
    ['FEAT_PMUv3p5'],
  ],
  // A2.2.5: "In an Armv8.4 implementation, if FEAT_AA64EL3 is implemented, FEAT_DoubleFault is implemented."
  ['Armv8.4-A', ['FEAT_AA64EL3'], ['FEAT_DoubleFault'], ['FEAT_S2FWB']],
  // A2.2.6: "In an Armv8.5 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p5 is implemented";
  // "... if FEAT_EL2 is implemented, FEAT_EVT is implemented"
  ['Armv8.5-A', ['FEAT_PMUv3', 'FEAT_EL2'], ['FEAT_PMUv3p5', 'FEAT_EVT'], ['FEAT_FGT']],
  // A2.2.4: "In an Armv8.5 implementation, if FEAT_SPE is implemented, FEAT_SPEv1p1 is implemented."
  ['Armv8.5-A', ['FEAT_SPE'], ['FEAT_SPEv1p1'], ['FEAT_SPEv1p2']],
  // A2.2.7: "In an Armv8.6 implementation, if FEAT_AA64EL2 or FEAT_AA64EL3 is implemented, FEAT_FGT is ..."
  ['Armv8.6-A', ['FEAT_AA64EL2'], ['FEAT_FGT'], ['FEAT_HCX', 'FEAT_HPMN0']],
  ['Armv8.6-A', ['FEAT_AA64EL3'], ['FEAT_FGT'], []],
  ['Armv8.6-A', ['FEAT_PMUv3'], [], ['FEAT_FGT']],
  // A2.2.8: "In an Armv8.7 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p7 is implemented";
  // "... if FEAT_AA64EL2 is implemented, FEAT_HCX is implemented"
  ['Armv8.7-A', ['FEAT_PMUv3', 'FEAT_AA64EL2'], ['FEAT_PMUv3p7', 'FEAT_HCX', 'FEAT_FGT'], ['FEAT_PMUv3p8']],
  // A2.2.7 FEAT_HPMN0: "In an Armv8.8 implementation, if FEAT_PMUv3 and FEAT_EL2 are implemented,
  // FEAT_HPMN0 is implemented"; A2.2.9: "FEAT_Debugv8p8 is mandatory from Armv8.8", PMUv3p8 likewise
  [
    'Armv8.8-A',
    ['FEAT_PMUv3', 'FEAT_EL2'],
    ['FEAT_HPMN0', 'FEAT_PMUv3p8', 'FEAT_Debugv8p8'],
    ['FEAT_PMUv3p9'],
  ],
  ['Armv8.8-A', ['FEAT_PMUv3'], ['FEAT_PMUv3p8'], ['FEAT_HPMN0']],
  ['Armv8.8-A', ['FEAT_EL2'], [], ['FEAT_HPMN0', 'FEAT_PMUv3p8']],
  // A2.2.10: "FEAT_Debugv8p9 is mandatory from Armv8.9"; "In an Armv8.9 implementation, if FEAT_PMUv3 is
  // implemented, FEAT_PMUv3p9 ..."; "... if FEAT_AA64EL2 is implemented, FEAT_FGT2 ..."; A2.2.9: "FEAT_SCTLR2
  // is mandatory from Armv8.9", "FEAT_TCR2 is mandatory from Armv8.9"
  [
    'Armv8.9-A',
    ['FEAT_PMUv3', 'FEAT_AA64EL2'],
    ['FEAT_Debugv8p9', 'FEAT_PMUv3p9', 'FEAT_FGT2', 'FEAT_SCTLR2', 'FEAT_TCR2', 'FEAT_HPMN0'],
    [],
  ],
  // A2.3.1: Armv9.0 "is Armv8.5 compliant" (so PMUv3p5, not FGT); A2.2.1: FEAT_AA64EL1 mandatory from
  // Armv9.0 and "When FEAT_AA64EL1 and FEAT_EL2 are implemented, FEAT_AA64EL2 is implemented" (then FEAT_VHE)
  [
    'Armv9.0-A',
    ['FEAT_PMUv3', 'FEAT_EL2'],
    ['FEAT_AA64', 'FEAT_AA64EL2', 'FEAT_VHE', 'FEAT_PMUv3p5', 'FEAT_Debugv8p4'],
    ['FEAT_FGT', 'FEAT_PMUv3p7'],
  ],
  // A2.3.2: Armv9.1 "is Armv8.6 compliant", so FEAT_FGT with AArch64 EL2 (A2.2.7)
  ['Armv9.1-A', ['FEAT_EL2'], ['FEAT_FGT', 'FEAT_AA64EL2'], ['FEAT_HCX']],
  // A2.3.3: Armv9.2 "is Armv8.7 compliant": PMUv3p7, HCX, but not yet FEAT_HPMN0 (Armv8.8)
  ['Armv9.2-A', ['FEAT_PMUv3', 'FEAT_EL2'], ['FEAT_PMUv3p7', 'FEAT_HCX', 'FEAT_FGT'], ['FEAT_HPMN0']],
  // A2.3.4: Armv9.3 "is Armv8.8 compliant", so FEAT_HPMN0 with PMUv3 and EL2 (A2.2.7)
  ['Armv9.3-A', ['FEAT_PMUv3', 'FEAT_EL2'], ['FEAT_HPMN0', 'FEAT_PMUv3p8'], ['FEAT_PMUv3p9']],
  // A2.3.5: "In an Armv9.3 implementation, if FEAT_PMUv3p9 is implemented, FEAT_EBEP is implemented"
  ['Armv9.3-A', ['FEAT_PMUv3p9'], ['FEAT_EBEP'], []],
  // A2.3.5: Armv9.4 "is Armv8.9 compliant": PMUv3p9, FGT2 (with AArch64 EL2), EBEP (Armv9.3, PMUv3p9)
  ['Armv9.4-A', ['FEAT_PMUv3', 'FEAT_EL2'], ['FEAT_PMUv3p9', 'FEAT_FGT2', 'FEAT_EBEP'], ['FEAT_STEP2']],
  // A2.3.6: "FEAT_STEP2 is mandatory from Armv9.5"
  ['Armv9.5-A', [], ['FEAT_STEP2', 'FEAT_AA64'], []],
];

/** Arm ARM "If FEAT_X is implemented, then FEAT_Y is implemented" sentences (A2.2, A2.3) for OTHER_FEATURES. */
const IMPLIES_ROWS: [name: string, implied: string[]][] = [
  ['FEAT_AA32', ['FEAT_AA32EL0']], // A2.2.1 FEAT_AA32
  ['FEAT_AA32EL0', ['FEAT_AA32']], // A2.2.1 FEAT_AA32EL0
  ['FEAT_AA32EL1', ['FEAT_AA32EL0']], // A2.2.1 FEAT_AA32EL1
  ['FEAT_AA64EL2', ['FEAT_EL2', 'FEAT_AA64']], // A2.2.1 FEAT_AA64EL2, FEAT_AA64
  ['FEAT_AA64EL3', ['FEAT_EL3', 'FEAT_AA64']], // A2.2.1 FEAT_AA64EL3, FEAT_AA64
  ['FEAT_VHE', ['FEAT_AA64EL2']], // A2.2.2 FEAT_VHE
  ['FEAT_SEL2', ['FEAT_EL2', 'FEAT_Debugv8p4']], // A2.2.5 FEAT_SEL2, FEAT_Debugv8p4
  ['FEAT_RME', ['FEAT_AA64EL2', 'FEAT_AA64EL3', 'FEAT_ECV_POFF']], // A2.3.3 FEAT_RME, A2.2.7 FEAT_ECV_POFF
  ['FEAT_Debugv8p4', ['FEAT_Debugv8p2']], // A2.2.5
  ['FEAT_Debugv8p8', ['FEAT_Debugv8p4']], // A2.2.9
  ['FEAT_Debugv8p9', ['FEAT_Debugv8p8']], // A2.2.10
  ['FEAT_SPEv1p1', ['FEAT_SPE']], // A2.2.4
  ['FEAT_SPEv1p2', ['FEAT_SPEv1p1', 'FEAT_SPE_FnE']], // A2.2.8 FEAT_SPEv1p2, FEAT_SPE_FnE
  ['FEAT_SPEv1p3', ['FEAT_SPEv1p2']], // A2.2.9
  ['FEAT_SPEv1p4', ['FEAT_SPEv1p3']], // A2.2.10
  ['FEAT_SPEv1p5', ['FEAT_SPEv1p4', 'FEAT_SPE_EXC', 'FEAT_SPE_nVM']], // A2.3.7
  ['FEAT_SPE_FnE', ['FEAT_SPEv1p2']], // A2.2.8
  ['FEAT_SPE_DPFZS', ['FEAT_PMUv3p7', 'FEAT_SPEv1p2']], // A2.2.10
  ['FEAT_SPE_FDS', ['FEAT_SPEv1p4']], // A2.2.10
  ['FEAT_SPE_nVM', ['FEAT_SPE']], // A2.3.7
  ['FEAT_SPE_EXC', ['FEAT_SPEv1p5']], // A2.3.7
  ['FEAT_TRBE', ['FEAT_TRF', 'FEAT_ETE']], // A2.3.1
  ['FEAT_ETE', ['FEAT_TRBE', 'FEAT_TRF']], // A2.3.1
  ['FEAT_ITE', ['FEAT_TRF', 'FEAT_ETE', 'FEAT_TRBE']], // A2.3.5
  ['FEAT_TRBE_EXT', ['FEAT_TRBE']], // A2.3.5
  ['FEAT_TRBE_MPAM', ['FEAT_TRBE_EXT']], // A2.3.5
  ['FEAT_TRBE_EXC', ['FEAT_TRBEv1p1']], // A2.3.7
  ['FEAT_TRBEv1p1', ['FEAT_TRBE', 'FEAT_TRBE_EXC']], // A2.3.7
  ['FEAT_BRBEv1p1', ['FEAT_BRBE']], // A2.3.4
  ['FEAT_SPMU', ['FEAT_PMUv3p9']], // A2.2.10
  ['FEAT_PMUv3_TH', ['FEAT_PMUv3']], // A2.2.9
  ['FEAT_PMUv3_EDGE', ['FEAT_PMUv3_TH']], // A2.2.10
  ['FEAT_PMUv3_TH2', ['FEAT_PMUv3_TH', 'FEAT_PMUv3_EDGE']], // A2.3.6
  ['FEAT_PMUv3_SME', ['FEAT_PMUv3', 'FEAT_SME']], // A2.3.6
  ['FEAT_PMUv3_EXT32', ['FEAT_PMUv3_EXT']], // A2.2.1
  ['FEAT_PMUv3_EXT64', ['FEAT_PMUv3_EXT']], // A2.2.9
  ['FEAT_HACDBS', ['FEAT_HDBSS']], // A2.3.6
  ['FEAT_HDBSS', ['FEAT_AA64EL2']], // A2.3.6
  ['FEAT_SYSREG128', ['FEAT_SCTLR2', 'FEAT_D128']], // A2.3.5
  ['FEAT_D128', ['FEAT_SYSREG128', 'FEAT_S1PIE', 'FEAT_AIE', 'FEAT_TCR2']], // A2.3.5
  ['FEAT_AIE', ['FEAT_TCR2']], // A2.2.10
  ['FEAT_S1PIE', ['FEAT_TCR2']], // A2.2.10
  ['FEAT_THE', ['FEAT_TCR2']], // A2.2.10
  ['FEAT_GCS', ['FEAT_S1PIE']], // A2.3.5
  ['FEAT_MEC', ['FEAT_RME', 'FEAT_SCTLR2', 'FEAT_TCR2']], // A2.3.4
  ['FEAT_RASv1p1', ['FEAT_RAS']], // A2.2.5
  ['FEAT_RASv2', ['FEAT_RASv1p1']], // A2.2.10
  ['FEAT_DoubleFault2', ['FEAT_SCTLR2', 'FEAT_DoubleFault']], // A2.2.10
  ['FEAT_NV', ['FEAT_EL2']], // A2.2.4
  ['FEAT_NV2', ['FEAT_NV']], // A2.2.5
  ['FEAT_ABLE', ['FEAT_Debugv8p9']], // A2.3.5
];

/**
 * Pairs the Arm ARM states imply each other, so the `implies` graph has these 2-cycles and no other:
 * FEAT_AA32 / FEAT_AA32EL0 (A2.2.1), FEAT_ETE / FEAT_TRBE (A2.3.1), FEAT_SPEv1p2 / FEAT_SPE_FnE (A2.2.8),
 * FEAT_SYSREG128 / FEAT_D128 (A2.3.5), FEAT_SPE_EXC / FEAT_SPEv1p5 and FEAT_TRBE_EXC / FEAT_TRBEv1p1 (A2.3.7).
 */
const EQUIVALENT: [string, string][] = [
  ['FEAT_AA32', 'FEAT_AA32EL0'],
  ['FEAT_ETE', 'FEAT_TRBE'],
  ['FEAT_SPEv1p2', 'FEAT_SPE_FnE'],
  ['FEAT_SYSREG128', 'FEAT_D128'],
  ['FEAT_SPE_EXC', 'FEAT_SPEv1p5'],
  ['FEAT_TRBE_EXC', 'FEAT_TRBEv1p1'],
];

const IMPLIES: ReadonlyMap<string, readonly string[]> = new Map(FEATURES.map((f) => [f.name, f.implies]));

/** The strongly connected components of the `implies` graph with more than one member (Tarjan). */
function impliesCycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    for (const w of IMPLIES.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const f of FEATURES) if (!index.has(f.name)) visit(f.name);
  return out;
}

function inputError(message: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  };
}

describe('PMU_VERSIONS', () => {
  // D24.2.80 ID_AA64DFR0_EL1.PMUVer: 0b0001 PMUv3, 0b0100 PMUv3p1, 0b0101 p4, 0b0110 p5, 0b0111 p7,
  // 0b1000 p8, 0b1001 p9. The policies' is_pmuv3p1()/is_pmuv3p5() compare positions in the list.
  test('oldest first, in the order of their PMUVer encodings', () => {
    assert.deepEqual(
      PMU_VERSIONS.map((v) => PMUVER_ENCODING[v]),
      [0b0001, 0b0100, 0b0101, 0b0110, 0b0111, 0b1000, 0b1001],
    );
  });
});

describe('ARCH_VERSIONS', () => {
  test('Armv8.0-A .. Armv8.9-A and Armv9.0-A .. Armv9.6-A, oldest first, each once', () => {
    const names = ARCH_VERSIONS.map((v) => v.name);
    const want = [
      ...Array.from({ length: 10 }, (_, i) => `Armv8.${i}-A`),
      ...Array.from({ length: 7 }, (_, i) => `Armv9.${i}-A`),
    ];
    assert.deepEqual(names, want);
  });

  test('every base is an earlier version, and every feature named is known', () => {
    const known = new Set(FEATURES.map((f) => f.name));
    const seen = new Set<string>();
    for (const v of ARCH_VERSIONS) {
      for (const b of v.base) assert.ok(seen.has(b), `${v.name}: base ${b} is not an earlier version`);
      for (const f of [...v.mandatory, ...v.prohibited]) assert.ok(known.has(f), `${v.name}: ${f}`);
      for (const r of v.conditional) {
        for (const f of [r.feature, ...r.if]) assert.ok(known.has(f), `${v.name}: ${f}`);
      }
      assert.match(v.section, /^A2\.[23]\.\d+$/, v.name);
      seen.add(v.name);
    }
  });

  test('Armv9.x includes the Armv8.y that A2.3 names (9.0: 8.5, 9.1: 8.6, ... 9.4: 8.9)', () => {
    // A2.3.1 .. A2.3.5: "An implementation is Armv9.x compliant if ... It is Armv8.(x+5) compliant."
    for (let x = 0; x <= 4; x++) {
      const names = archVersions(`Armv9.${x}-A`).map((v) => v.name);
      assert.ok(names.includes(`Armv8.${x + 5}-A`), `Armv9.${x}-A includes Armv8.${x + 5}-A`);
      if (x + 6 <= 9)
        assert.ok(!names.includes(`Armv8.${x + 6}-A`), `Armv9.${x}-A excludes Armv8.${x + 6}-A`);
    }
  });

  test('archVersions lists included versions first, each once', () => {
    assert.deepEqual(
      archVersions('Armv9.1-A').map((v) => v.name),
      [
        'Armv8.0-A',
        'Armv8.1-A',
        'Armv8.2-A',
        'Armv8.3-A',
        'Armv8.4-A',
        'Armv8.5-A',
        'Armv9.0-A',
        'Armv8.6-A',
        'Armv9.1-A',
      ],
    );
    assert.equal(archVersions('Armv9.6-A').length, 17);
  });

  test('Armv9.0 prohibits FEAT_DoubleLock, FEAT_AA32EL1 and FEAT_ETMv4 (A2.3, A2.2.1)', () => {
    const prohibited = new Set(archVersions('Armv9.2-A').flatMap((v) => v.prohibited));
    for (const f of ['FEAT_DoubleLock', 'FEAT_AA32EL1', 'FEAT_ETMv4'])
      assert.ok(prohibited.has(f as FeatureName), f);
    assert.equal(archVersions('Armv8.9-A').flatMap((v) => v.prohibited).length, 0);
  });

  test('isArchName', () => {
    assert.ok(isArchName('Armv8.2-A'));
    assert.ok(!isArchName('Armv8.2'));
    assert.ok(!isArchName('unspecified'));
  });
});

describe('archFeatures() against the Arm ARM', () => {
  for (const [arch, implemented, has, lacks] of ARCH_ROWS) {
    test(`${arch} with {${implemented.join(', ')}}: has ${has.join(', ') || '-'}; lacks ${lacks.join(', ') || '-'}`, () => {
      const got = new Set(featureClosure([...implemented, ...archFeatures(arch, new Set(implemented))]));
      for (const f of has) assert.ok(got.has(f), `${arch}: ${f} missing`);
      for (const f of lacks) assert.ok(!got.has(f), `${arch}: ${f} unexpected`);
    });
  }

  test('returns each feature once and only rule results, not the implemented features themselves', () => {
    const got = archFeatures('Armv8.9-A', new Set<FeatureName>(['FEAT_PMUv3', 'FEAT_AA64EL2']));
    assert.equal(new Set(got).size, got.length);
    assert.ok(!got.includes('FEAT_PMUv3'));
    assert.ok(!got.includes('FEAT_AA64EL2'));
  });

  test('conditions read implied features: a PMUv3p5 PE is a PMUv3 PE', () => {
    // A2.2.6: FEAT_PMUv3p5 implies FEAT_PMUv3p4, which implies ... FEAT_PMUv3 (A2.2.5, A2.2.2)
    assert.ok(archFeatures('Armv8.7-A', new Set<FeatureName>(['FEAT_PMUv3p5'])).includes('FEAT_PMUv3p7'));
  });

  test('an unknown version is an InputError with a suggestion', () => {
    assert.throws(
      () => archFeatures('Armv8.2', new Set()),
      inputError(/^Unknown architecture version "Armv8\.2" \(did you mean Armv8\.2-A/),
    );
  });
});

describe('implies against the Arm ARM', () => {
  for (const [name, implied] of IMPLIES_ROWS) {
    test(`${name} implies ${implied.join(', ')}`, () => {
      const f = OTHER_FEATURES.find((x) => x.name === name);
      assert.ok(f, `${name} is in OTHER_FEATURES`);
      for (const i of implied) assert.ok((f.implies as readonly string[]).includes(i), `${name} -> ${i}`);
    });
  }

  test('every name in implies and CONDITIONAL_IMPLIES is a feature the model knows', () => {
    const known = new Set(FEATURES.map((f) => f.name));
    for (const f of FEATURES) for (const i of f.implies) assert.ok(known.has(i), `${f.name} -> ${i}`);
    for (const r of CONDITIONAL_IMPLIES) {
      for (const n of [r.feature, ...r.if]) assert.ok(known.has(n), `CONDITIONAL_IMPLIES: ${n}`);
      assert.ok(r.if.length >= 2, `${r.feature}: a one-feature condition belongs in implies`);
    }
  });

  test('the only cycles are the equivalences the Arm ARM states', () => {
    const want = EQUIVALENT.map((p) => [...p].sort()).sort();
    assert.deepEqual(impliesCycles().sort(), want);
  });

  test('no feature implies itself directly', () => {
    for (const f of FEATURES) assert.ok(!f.implies.includes(f.name), f.name);
  });
});

describe('featureClosure()', () => {
  test('follows implies transitively and terminates on equivalent pairs', () => {
    const f = featureClosure(['FEAT_SPE_EXC']);
    // A2.3.7: SPE_EXC -> SPEv1p5 -> SPEv1p4, SPE_nVM; A2.2.10 .. A2.2.4: v1p4 -> v1p3 -> v1p2 -> v1p1 -> SPE
    for (const n of ['FEAT_SPEv1p5', 'FEAT_SPE_nVM', 'FEAT_SPEv1p2', 'FEAT_SPE_FnE', 'FEAT_SPE'] as const) {
      assert.ok(f.has(n), n);
    }
  });

  test('applies compound rules once all their conditions hold', () => {
    // A2.2.3: "When FEAT_SPE and FEAT_PMUv3 are implemented, FEAT_PMUv3p1 is implemented."
    assert.ok(featureClosure(['FEAT_SPE', 'FEAT_PMUv3']).has('FEAT_PMUv3p1'));
    assert.ok(!featureClosure(['FEAT_SPE']).has('FEAT_PMUv3p1'));
    // A2.2.10: "When FEAT_PMUv3p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented."
    assert.ok(featureClosure(['FEAT_PMUv3p9', 'FEAT_AA64EL2']).has('FEAT_FGT2'));
    assert.ok(!featureClosure(['FEAT_PMUv3p9', 'FEAT_EL3']).has('FEAT_FGT2'));
    // A2.3.3: RME implies AArch64 EL2 and EL3; "When FEAT_PMUv3 and FEAT_RME ..., FEAT_PMUv3p7 ..."
    const rme = featureClosure(['FEAT_RME', 'FEAT_PMUv3']);
    for (const n of ['FEAT_AA64EL2', 'FEAT_AA64EL3', 'FEAT_EL2', 'FEAT_EL3', 'FEAT_PMUv3p7'] as const) {
      assert.ok(rme.has(n), n);
    }
    // A2.3.7: "When FEAT_PMUv3_EXTPMN and FEAT_EL2 are implemented, FEAT_HPMN0 is implemented."
    assert.ok(featureClosure(['FEAT_PMUv3_EXTPMN', 'FEAT_EL2']).has('FEAT_HPMN0'));
  });

  test('drops names the model does not know', () => {
    assert.deepEqual([...featureClosure(['FEAT_NOPE'])], []);
  });
});
