// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CPUS, cpuFeatures, lookupCpu, parseCpu, parseInlineCpu } from '../../src/arch/cpus.js';
import { InputError } from '../../src/arch/errors.js';
import { FEATURES, PMU_VERSIONS, type PmuVersion } from '../../src/arch/features.js';

/**
 * Expected N (PMCR_EL0.N) and PMU version (ID_AA64DFR0_EL1.PMUVer) per core, written down from the
 * sources named on each row, not copied from cpus.ts. "not confirmed" marks a value that no TRM page
 * read for this work gives; the catalogue's `source` says the same.
 */
const EXPECTED: readonly [name: string, n: number, pmuVer: PmuVersion][] = [
  // QEMU v7.2.0 aarch64_max_initfn: cortex-a57 PMCR 0x41013000 (N=6) + PMUVER 6 (FEAT_PMUv3p5)
  ['qemu-max', 6, 'PMUv3p5'],
  // A53 TRM DDI 0500D 12.4.1 PMCR_EL0 N 0b00110; ID_AA64DFR0_EL1 0x10305106 PMUVer 0x1 (AMD UG1087)
  ['cortex-a53', 6, 'PMUv3'],
  // QEMU cortex-a57 PMCR 0x41013000, ID_AA64DFR0 0x10305106 (A57 TRM DDI 0488 PMCR page not read)
  ['cortex-a57', 6, 'PMUv3'],
  // QEMU cortex-a72 PMCR 0x41023000, ID_AA64DFR0 0x10305106; ARM-software/data counters 6
  ['cortex-a72', 6, 'PMUv3'],
  // A76 TRM 100798_0300_00_en D5.4 PMCR_EL0 N 0b00110; B2.54 ID_AA64DFR0_EL1 PMUVer 0x4
  ['cortex-a76', 6, 'PMUv3p1'],
  // ARM-software/data cortex-a78.json counters 6; PMUVer 4 from QEMU cortex-a78ae (not confirmed for A78)
  ['cortex-a78', 6, 'PMUv3p1'],
  // not confirmed: gator counter_set 6; PMUv3p5 as the Armv9.0 siblings A710/N2
  ['cortex-a510', 6, 'PMUv3p5'],
  // QEMU cortex-a710 citing TRM B.5.2 PMCR_EL0 0xa000 (N=20; gator says 6), B.4 ID_AA64DFR0 PMUVer 6
  ['cortex-a710', 20, 'PMUv3p5'],
  // not confirmed: gator counter_set 6; PMUv3p5 as the Armv9.0 siblings A710/N2
  ['cortex-x2', 6, 'PMUv3p5'],
  // QEMU neoverse-n1 citing TRM D5.1: PMCR 0x410c3000 (N=6), ID_AA64DFR0 0x110305408 PMUVer 4
  ['neoverse-n1', 6, 'PMUv3p1'],
  // QEMU neoverse-v1 citing TRM 5.5.1: PMCR 0x41213000 (N=6), ID_AA64DFR0 0x1f210305519 PMUVer 5
  ['neoverse-v1', 6, 'PMUv3p4'],
  // QEMU neoverse-n2 citing TRM B.7.2: PMCR 0x3000 (N=6), ID_AA64DFR0 0x11f210305619 PMUVer 6; libpfm4 6
  ['neoverse-n2', 6, 'PMUv3p5'],
  // libpfm4 arm_v2 num_cntrs 6, gator 6; PMUv3p5 not confirmed (Armv9.0 sibling N2)
  ['neoverse-v2', 6, 'PMUv3p5'],
];

function inputError(message: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), 'the message is one line');
    return true;
  };
}

describe('CPUS catalogue', () => {
  for (const [name, n, pmuVer] of EXPECTED) {
    test(`${name}: N = ${n}, ${pmuVer}`, () => {
      const cpu = lookupCpu(name);
      assert.equal(cpu.n, n);
      assert.equal(cpu.pmuVer, pmuVer);
    });
  }

  test('lists exactly the expected cores, once each', () => {
    assert.deepEqual(
      CPUS.map((c) => c.name),
      EXPECTED.map(([name]) => name),
    );
  });

  test('every entry is well formed and cites its source', () => {
    const known = new Set(FEATURES.map((f) => f.name));
    for (const cpu of CPUS) {
      assert.match(cpu.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, cpu.name);
      assert.ok(Number.isInteger(cpu.n) && cpu.n >= 0 && cpu.n <= 31, `${cpu.name}: n`);
      assert.ok(PMU_VERSIONS.includes(cpu.pmuVer), `${cpu.name}: pmuVer`);
      assert.equal(new Set(cpu.features).size, cpu.features.length, `${cpu.name}: duplicate features`);
      for (const f of cpu.features) assert.ok(known.has(f), `${cpu.name}: unknown feature ${f}`);
      assert.match(cpu.source, /TRM|QEMU/, `${cpu.name}: source`);
      if (cpu.pmcrImpdef !== undefined) {
        assert.equal(cpu.pmcrImpdef & (0x1fn << 11n), 0n, `${cpu.name}: pmcrImpdef has N bits`);
      }
    }
  });

  test('PMCR_EL0 IMP/IDCODE where a source gives them', () => {
    // A53 TRM DDI 0500D 12.4.1: IMP 0x41, IDCODE 0x03
    assert.equal(lookupCpu('cortex-a53').pmcrImpdef, 0x41030000n);
    // A76 TRM 100798_0300_00_en D5.4: IMP 0x41, IDCODE 0x0B
    assert.equal(lookupCpu('cortex-a76').pmcrImpdef, 0x410b0000n);
    // QEMU neoverse-n1 citing the N1 TRM: 0x410c3000
    assert.equal(lookupCpu('neoverse-n1').pmcrImpdef, 0x410c0000n);
    // cortex-a78: IDCODE not confirmed, so none is given
    assert.equal(lookupCpu('cortex-a78').pmcrImpdef, undefined);
  });

  test('partitioning features: EL2 everywhere, no FGT or HPMN0 on these cores, VHE from Armv8.1', () => {
    for (const cpu of CPUS) {
      const f = cpuFeatures(cpu);
      assert.ok(f.has('FEAT_EL2'), `${cpu.name}: FEAT_EL2`);
      assert.ok(!f.has('FEAT_FGT'), `${cpu.name}: FEAT_FGT`);
      assert.ok(!f.has('FEAT_HPMN0'), `${cpu.name}: FEAT_HPMN0`);
      assert.equal(f.has('FEAT_VHE'), !cpu.arch.startsWith('Armv8.0'), `${cpu.name}: FEAT_VHE`);
    }
  });
});

describe('cpuFeatures()', () => {
  test('a PMUv3p5 core has every earlier PMU version', () => {
    const f = cpuFeatures(lookupCpu('neoverse-n2'));
    for (const name of ['FEAT_PMUv3', 'FEAT_PMUv3p1', 'FEAT_PMUv3p4', 'FEAT_PMUv3p5'] as const) {
      assert.ok(f.has(name), name);
    }
    assert.ok(!f.has('FEAT_PMUv3p7'));
  });

  test('a PMUv3 core has only FEAT_PMUv3', () => {
    const f = cpuFeatures(lookupCpu('cortex-a53'));
    assert.ok(f.has('FEAT_PMUv3'));
    assert.ok(!f.has('FEAT_PMUv3p1'));
  });

  test('implications are followed transitively through listed features', () => {
    const f = cpuFeatures(lookupCpu('neoverse-v1'));
    assert.ok(f.has('FEAT_SPEv1p1') && f.has('FEAT_SPE'));
    assert.ok(f.has('FEAT_Debugv8p4') && f.has('FEAT_Debugv8p2'));
    assert.ok(f.has('FEAT_PMUv3p4') && f.has('FEAT_PMUv3p1') && f.has('FEAT_PMUv3'));
  });

  test('an inline FEAT_HPMN0 brings FEAT_PMUv3, FEAT_FGT2 brings FEAT_FGT', () => {
    const f = cpuFeatures(parseInlineCpu({ pmuVer: 'PMUv3', n: 4, features: ['FEAT_HPMN0', 'FEAT_FGT2'] }));
    for (const name of ['FEAT_PMUv3', 'FEAT_HPMN0', 'FEAT_FGT', 'FEAT_FGT2'] as const)
      assert.ok(f.has(name), name);
    assert.ok(!f.has('FEAT_PMUv3p1'));
  });
});

describe('lookupCpu()', () => {
  test('ignores case and surrounding space', () => {
    assert.equal(lookupCpu(' Neoverse-N1 ').name, 'neoverse-n1');
    assert.equal(lookupCpu('QEMU-MAX').name, 'qemu-max');
  });

  test('an unknown name is an InputError with a suggestion', () => {
    assert.throws(
      () => lookupCpu('neoverse-n3'),
      inputError(/^Unknown CPU "neoverse-n3" \(did you mean .*neoverse-n[12]/),
    );
    assert.throws(() => lookupCpu('cortex-a75'), inputError(/did you mean .*cortex-a7[268]/));
  });

  test('a name close to nothing gets no suggestion but the list', () => {
    assert.throws(() => lookupCpu('pentium'), inputError(/^Unknown CPU "pentium"; known CPUs: qemu-max, /));
  });
});

describe('parseInlineCpu() / parseCpu()', () => {
  test('reads pmuVer, n and features', () => {
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT'] });
    assert.deepEqual(cpu, {
      name: 'inline',
      title: 'inline CPU',
      arch: 'unspecified',
      pmuVer: 'PMUv3p5',
      n: 6,
      features: ['FEAT_FGT'],
      source: 'given inline',
    });
  });

  test('features are optional; impdef.PMCR_EL0 becomes pmcrImpdef without N', () => {
    const cpu = parseInlineCpu({
      pmuVer: 'PMUv3p1',
      n: 0,
      impdef: { PMCR_EL0: '0x41023000', PMCEID0_EL0: '0x3f' },
    });
    assert.deepEqual(cpu.features, []);
    assert.equal(cpu.n, 0);
    assert.equal(cpu.pmcrImpdef, 0x41020000n);
  });

  test('parseCpu takes a catalogue name or inline JSON', () => {
    assert.equal(parseCpu('cortex-a76').name, 'cortex-a76');
    const cpu = parseCpu(' {"pmuVer": "PMUv3p7", "n": 31, "features": ["FEAT_HPMN0", "FEAT_HPMN0"]}');
    assert.equal(cpu.n, 31);
    assert.deepEqual(cpu.features, ['FEAT_HPMN0']);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', [1, 2], /^Inline CPU must be a JSON object like .*got \[1,2\]/],
    ['null', null, /^Inline CPU must be a JSON object/],
    [
      'an unknown member',
      { pmuVer: 'PMUv3', n: 6, feature: [] },
      /unknown member "feature" \(did you mean features\?\)/,
    ],
    ['a missing pmuVer', { n: 6 }, /pmuVer must be one of PMUv3, PMUv3p1, .*got nothing/],
    ['a bad pmuVer', { pmuVer: 'PMUv3p6', n: 6 }, /pmuVer must be one of .*got "PMUv3p6" \(did you mean/],
    ['n too large', { pmuVer: 'PMUv3', n: 32 }, /n must be an integer 0\.\.31 \(PMCR_EL0\.N\), got 32/],
    ['n negative', { pmuVer: 'PMUv3', n: -1 }, /n must be an integer 0\.\.31/],
    ['n fractional', { pmuVer: 'PMUv3', n: 1.5 }, /n must be an integer 0\.\.31/],
    ['n a string', { pmuVer: 'PMUv3', n: '6' }, /n must be an integer 0\.\.31 \(PMCR_EL0\.N\), got "6"/],
    ['features not an array', { pmuVer: 'PMUv3', n: 6, features: 'FEAT_FGT' }, /features must be an array/],
    [
      'an unknown feature',
      { pmuVer: 'PMUv3', n: 6, features: ['FEAT_FTG'] },
      /features\[0\] "FEAT_FTG" is not a known feature \(did you mean .*FEAT_FGT/,
    ],
    [
      'a non-string feature',
      { pmuVer: 'PMUv3', n: 6, features: ['FEAT_FGT', 7] },
      /features\[1\] 7 is not a known feature/,
    ],
    [
      'a PMU version newer than pmuVer',
      { pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_PMUv3p7'] },
      /features\[0\] FEAT_PMUv3p7 is newer than pmuVer PMUv3p5/,
    ],
    ['impdef not an object', { pmuVer: 'PMUv3', n: 6, impdef: '0x41' }, /impdef must be an object/],
    [
      'impdef not hex',
      { pmuVer: 'PMUv3', n: 6, impdef: { PMCR_EL0: 41 } },
      /impdef\.PMCR_EL0 must be a hex string/,
    ],
  ];
  for (const [what, value, message] of bad) {
    test(`rejects ${what}`, () => {
      assert.throws(() => parseInlineCpu(value), inputError(message));
    });
  }

  test('parseCpu rejects text that is not JSON, and unknown names', () => {
    assert.throws(() => parseCpu('{"pmuVer": "PMUv3",'), inputError(/^Inline CPU is not valid JSON: /));
    assert.throws(() => parseCpu('neoverse-v9'), inputError(/^Unknown CPU "neoverse-v9"/));
  });
});
