// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CPUS, cpuFeatures, lookupCpu, parseCpu, parseInlineCpu } from '../../src/arch/cpus.js';
import { InputError } from '../../src/arch/errors.js';
import {
  ARCH_VERSIONS,
  archVersions,
  FEATURES,
  PMU_VERSIONS,
  type PmuVersion,
  pmuVersionFeature,
} from '../../src/arch/features.js';

/**
 * Expected N (PMCR_EL0.N) and PMU version (ID_AA64DFR0_EL1.PMUVer) per core, written down from the
 * sources named on each row, not copied from cpus.ts. "not confirmed" marks a value that no TRM page
 * read for this work gives; the catalogue's `source` says the same.
 */
const EXPECTED: readonly [name: string, n: number, pmuVer: PmuVersion][] = [
  // QEMU v7.2.0 aarch64_max_initfn: cortex-a57 PMCR 0x41013000 (N=6) + PMUVER 6 (FEAT_PMUv3p5)
  ['qemu-max', 6, 'PMUv3p5'],
  // QEMU master target/arm/tcg/cpu64.c aarch64_max_tcg_initfn: PMUVER 6, on cortex-a57 PMCR 0x41013000 (N=6)
  ['qemu-max-8-2', 6, 'PMUv3p5'],
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
  // not confirmed: gator events-Cortex-X4.xml counter_set 6; PMUv3p7 = least Armv9.2 allows (A2.3.3, A2.2.8)
  ['cortex-x4', 6, 'PMUv3p7'],
  // not confirmed: gator events-Cortex-A720.xml counter_set 6; PMUv3p7 as for cortex-x4
  ['cortex-a720', 6, 'PMUv3p7'],
  // not confirmed: gator events-Cortex-X925.xml counter_set 6; PMUv3p7 as for cortex-x4
  ['cortex-x925', 6, 'PMUv3p7'],
  // not confirmed: gator events-Cortex-A725.xml counter_set 6; PMUv3p7 as for cortex-x4
  ['cortex-a725', 6, 'PMUv3p7'],
  // not confirmed: gator events-Neoverse-N3.xml counter_set 6; PMUv3p7 as for cortex-x4
  ['neoverse-n3', 6, 'PMUv3p7'],
  // not confirmed: gator events-Neoverse-V3.xml counter_set 6, libpfm4 arm_v3 '6 counters'; PMUv3p7 as above
  ['neoverse-v3', 6, 'PMUv3p7'],
  // QEMU 7.2 -M virt,virtualization=on, read at EL2 by the harness probe: PMCR_EL0.N and
  // ID_AA64DFR0_EL1.PMUVer (6 = PMUv3p5, 1 = PMUv3, 4 = PMUv3p1; D24.2.58)
  ['qemu-virt-max', 6, 'PMUv3p5'],
  ['qemu-virt-cortex-a57', 6, 'PMUv3'],
  ['qemu-virt-neoverse-n1', 6, 'PMUv3p1'],
  ['qemu-virt-a64fx', 8, 'PMUv3p1'],
];

/**
 * Architecture version per core: ARM-software/data pmu/<core>.json 'architecture' (armv8-a, armv8.2-a,
 * armv8.4-a, armv9-a, armv9.2-a) where it lists the core, else LLVM AArch64Processors.td HasV<x>aOps;
 * the QEMU max CPUs claim none (Armv8.0-A with an explicit feature list).
 */
const ARCH: Readonly<Record<string, string>> = {
  'qemu-max': 'Armv8.0-A',
  'qemu-max-8-2': 'Armv8.0-A',
  'qemu-virt-max': 'Armv8.0-A',
  'qemu-virt-cortex-a57': 'Armv8.0-A',
  'qemu-virt-neoverse-n1': 'Armv8.0-A',
  'qemu-virt-a64fx': 'Armv8.0-A',
  'cortex-a53': 'Armv8.0-A', // data: armv8-a
  'cortex-a57': 'Armv8.0-A', // data: armv8-a
  'cortex-a72': 'Armv8.0-A', // data: armv8-a
  'cortex-a76': 'Armv8.2-A', // LLVM A76: HasV8_2aOps (data says armv8-a)
  'cortex-a78': 'Armv8.2-A', // data: armv8.2-a
  'cortex-a510': 'Armv9.0-A', // data: armv9-a
  'cortex-a710': 'Armv9.0-A', // data: armv9-a
  'cortex-x2': 'Armv9.0-A', // data: armv9-a
  'neoverse-n1': 'Armv8.2-A', // data: armv8.2-a
  'neoverse-v1': 'Armv8.4-A', // data: armv8.4-a
  'neoverse-n2': 'Armv9.0-A', // data: armv9-a
  'neoverse-v2': 'Armv9.0-A', // data: armv9-a
  'cortex-x4': 'Armv9.2-A', // data: armv9.2-a
  'cortex-a720': 'Armv9.2-A', // data: armv9.2-a
  'cortex-x925': 'Armv9.2-A', // LLVM X925: HasV9_2aOps
  'cortex-a725': 'Armv9.2-A', // LLVM A725: HasV9_2aOps
  'neoverse-n3': 'Armv9.2-A', // data: armv9.2-a
  'neoverse-v3': 'Armv9.2-A', // data: armv9.2-a
};

/**
 * FEAT_FGT / FEAT_HPMN0 per core, from the sources: ID_AA64MMFR0_EL1.FGT and ID_AA64DFR0_EL1.HPMN0
 * where an ID value was read (QEMU models), else what the architecture version forces (Arm ARM A2.2.7:
 * FEAT_FGT from Armv8.6 with AArch64 EL2 or EL3, FEAT_HPMN0 from Armv8.8 with PMUv3 and EL2); no
 * Armv9.2 core's TRM was read, so none is known to have FEAT_HPMN0.
 */
const PARTITIONING: Readonly<Record<string, [fgt: boolean, hpmn0: boolean]>> = {
  'qemu-max': [false, false], // QEMU 7.2: FGT came in 8.0, HPMN0 in 8.2
  'qemu-max-8-2': [true, true], // QEMU master: ID_AA64MMFR0.FGT = 1, ID_AA64DFR0.HPMN0 = 1
  'cortex-a710': [false, false], // QEMU: ID_AA64MMFR0 0x0000022200101122 (FGT 0), DFR0 HPMN0 0
  'neoverse-n2': [false, false], // QEMU: ID_AA64MMFR0 0x0000022200101125 (FGT 0), DFR0 HPMN0 0
  'cortex-x4': [true, false], // Armv9.2 (Armv8.7 compliant): FGT; HPMN0 not confirmed
  'cortex-a720': [true, false],
  'cortex-x925': [true, false],
  'cortex-a725': [true, false],
  'neoverse-n3': [true, false],
  'neoverse-v3': [true, false],
};

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
    // QEMU cortex-a57 reset_pmcr_el0 0x41013000, which -cpu max starts from
    assert.equal(lookupCpu('qemu-max-8-2').pmcrImpdef, 0x41010000n);
    // QEMU neoverse-n1 citing the N1 TRM: 0x410c3000
    assert.equal(lookupCpu('neoverse-n1').pmcrImpdef, 0x410c0000n);
    // cortex-a78: IDCODE not confirmed, so none is given
    assert.equal(lookupCpu('cortex-a78').pmcrImpdef, undefined);
  });

  test('every arch is an ARCH_VERSIONS name, as the sources give it', () => {
    const known = new Set<string>(ARCH_VERSIONS.map((v) => v.name));
    for (const cpu of CPUS) {
      assert.ok(known.has(cpu.arch), `${cpu.name}: ${cpu.arch}`);
      assert.equal(cpu.arch, ARCH[cpu.name], cpu.name);
    }
  });

  test('partitioning features: EL2 everywhere, FGT and HPMN0 as the sources give them', () => {
    for (const cpu of CPUS) {
      const f = cpuFeatures(cpu);
      assert.ok(f.has('FEAT_EL2'), `${cpu.name}: FEAT_EL2`);
      const [fgt, hpmn0] = PARTITIONING[cpu.name] ?? [false, false];
      assert.equal(f.has('FEAT_FGT'), fgt, `${cpu.name}: FEAT_FGT`);
      assert.equal(f.has('FEAT_HPMN0'), hpmn0, `${cpu.name}: FEAT_HPMN0`);
    }
  });

  test('FEAT_VHE on every core from Armv8.1 (A2.2.2, all have AArch64 EL2) and on the QEMU max CPUs', () => {
    // QEMU 7.2's neoverse-n1 and a64fx set ID_AA64MMFR1_EL1.VH = 1 too (target/arm/cpu64.c).
    const qemuVhe = ['qemu-virt-max', 'qemu-virt-neoverse-n1', 'qemu-virt-a64fx'];
    for (const cpu of CPUS) {
      const want = cpu.arch !== 'Armv8.0-A' || cpu.name.startsWith('qemu-max') || qemuVhe.includes(cpu.name);
      assert.equal(cpuFeatures(cpu).has('FEAT_VHE'), want, `${cpu.name}: FEAT_VHE`);
    }
  });

  test('the PMU version is not contradicted by what the architecture version makes mandatory', () => {
    // E.g. A2.2.5: "In an Armv8.4 implementation, if FEAT_PMUv3 is implemented, FEAT_PMUv3p4 is implemented."
    for (const cpu of CPUS) {
      const f = cpuFeatures(cpu);
      const newest = PMU_VERSIONS.filter((v) => f.has(pmuVersionFeature(v))).at(-1);
      assert.equal(newest, cpu.pmuVer, `${cpu.name}: ${cpu.arch} forces ${newest}, entry says ${cpu.pmuVer}`);
    }
  });

  test('no core has a feature its architecture version prohibits (Armv9: DoubleLock, AArch32 EL1, ETMv4)', () => {
    for (const cpu of CPUS) {
      if (cpu.arch === 'unspecified') continue;
      const f = cpuFeatures(cpu);
      for (const p of archVersions(cpu.arch).flatMap((v) => v.prohibited)) {
        assert.ok(!f.has(p), `${cpu.name}: ${p}`);
      }
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

  test('an Armv8.4 core gets what Armv8.2..8.4 make mandatory (A2.2.3, A2.2.4, A2.2.5)', () => {
    const f = cpuFeatures(lookupCpu('neoverse-v1'));
    for (const name of ['FEAT_LOR', 'FEAT_RAS', 'FEAT_PAuth', 'FEAT_RASv1p1', 'FEAT_S2FWB'] as const) {
      assert.ok(f.has(name), name);
    }
    assert.ok(!f.has('FEAT_PMUv3p5') && !f.has('FEAT_FGT'));
  });

  test('an Armv9.2 core gets FEAT_FGT, FEAT_HCX, FEAT_PMUv3p7 and AArch64 EL2 (A2.3.3, A2.2.7, A2.2.8)', () => {
    const f = cpuFeatures(lookupCpu('cortex-x4'));
    for (const name of ['FEAT_FGT', 'FEAT_HCX', 'FEAT_PMUv3p7', 'FEAT_AA64EL2', 'FEAT_SPEv1p2'] as const) {
      assert.ok(f.has(name), name);
    }
    assert.ok(!f.has('FEAT_FGT2') && !f.has('FEAT_PMUv3p8'));
  });

  test('Neoverse V3: FEAT_RME brings AArch64 EL2 and EL3 (A2.3.3), FEAT_ETE brings FEAT_TRBE (A2.3.1)', () => {
    const f = cpuFeatures(lookupCpu('neoverse-v3'));
    for (const name of ['FEAT_AA64EL2', 'FEAT_AA64EL3', 'FEAT_EL2', 'FEAT_TRBE', 'FEAT_TRF'] as const) {
      assert.ok(f.has(name), name);
    }
  });

  test('an inline CPU has no architecture version, so nothing is added for one', () => {
    const f = cpuFeatures(parseInlineCpu({ pmuVer: 'PMUv3p7', n: 6, features: ['FEAT_EL2'] }));
    assert.ok(!f.has('FEAT_FGT') && !f.has('FEAT_LOR'));
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
      () => lookupCpu('neoverse-n4'),
      inputError(/^Unknown CPU "neoverse-n4" \(did you mean .*neoverse-n[123]/),
    );
    assert.throws(() => lookupCpu('cortex-a75'), inputError(/did you mean .*cortex-a7[268]/));
  });

  test('a name close to nothing gets no suggestion but the list', () => {
    assert.throws(() => lookupCpu('pentium'), inputError(/^Unknown CPU "pentium"; known CPUs: qemu-max, /));
  });
});

describe('parseInlineCpu() / parseCpu()', () => {
  // The protocol's PE has AArch64 at every EL and EL2 (docs/protocol.md "The PE"): every inline
  // CPU lists FEAT_AA64, FEAT_EL2 and FEAT_AA64EL2 before the given features.
  const BY_CONSTRUCTION = ['FEAT_AA64', 'FEAT_EL2', 'FEAT_AA64EL2'];
  test('reads pmuVer, n and features', () => {
    const cpu = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT'] });
    assert.deepEqual(cpu, {
      name: 'inline',
      title: 'inline CPU',
      arch: 'unspecified',
      pmuVer: 'PMUv3p5',
      n: 6,
      features: [...BY_CONSTRUCTION, 'FEAT_FGT'],
      source: 'given inline',
    });
  });

  test('A2.2.10: an inline PMUv3p9 CPU has FEAT_FGT2, since the PE has AArch64 EL2', () => {
    // "When FEAT_PMUv3p9 and FEAT_AA64EL2 are implemented, FEAT_FGT2 is implemented" (A2.2.10).
    const f = cpuFeatures(parseInlineCpu({ pmuVer: 'PMUv3p9', n: 4, features: [] }));
    assert.ok(f.has('FEAT_FGT2'));
    // A2.2.1: "When FEAT_AA64EL2 and FEAT_EL3 are implemented, FEAT_AA64EL3 is implemented."
    assert.ok(!f.has('FEAT_AA64EL3'));
    const f3 = cpuFeatures(parseInlineCpu({ pmuVer: 'PMUv3p1', n: 4, features: ['FEAT_EL3'] }));
    assert.ok(f3.has('FEAT_AA64EL3'));
    assert.ok(!f3.has('FEAT_FGT2'));
  });

  test('features are optional; impdef.PMCR_EL0 becomes pmcrImpdef without N', () => {
    const cpu = parseInlineCpu({
      pmuVer: 'PMUv3p1',
      n: 2,
      impdef: { PMCR_EL0: '0x41023000', PMCEID0_EL0: '0x3f' },
    });
    assert.deepEqual(cpu.features, BY_CONSTRUCTION);
    assert.equal(cpu.n, 2);
    assert.equal(cpu.pmcrImpdef, 0x41020000n);
  });

  test('N = 0 is a PE only with FEAT_HPMN0 (D13.1), which brings FEAT_FGT (A2.2.7)', () => {
    // D13.1: zero event counters "only if ... EL2 is not implemented [or] FEAT_HPMN0 is
    // implemented"; A2.2.7 FEAT_HPMN0: "If FEAT_HPMN0 is implemented, then FEAT_PMUv3 and FEAT_FGT
    // are implemented."
    const f = cpuFeatures(parseInlineCpu({ pmuVer: 'PMUv3p5', n: 0, features: ['FEAT_HPMN0'] }));
    assert.ok(f.has('FEAT_HPMN0') && f.has('FEAT_FGT'));
  });

  test('parseCpu takes a catalogue name or inline JSON', () => {
    assert.equal(parseCpu('cortex-a76').name, 'cortex-a76');
    const cpu = parseCpu(' {"pmuVer": "PMUv3p7", "n": 31, "features": ["FEAT_HPMN0", "FEAT_HPMN0"]}');
    assert.equal(cpu.n, 31);
    assert.deepEqual(cpu.features, [...BY_CONSTRUCTION, 'FEAT_HPMN0']);
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
    // D13.1: with EL2 implemented (as on every inline PE) zero event counters need FEAT_HPMN0.
    ['n = 0 without FEAT_HPMN0', { pmuVer: 'PMUv3p5', n: 0 }, /n = 0 needs FEAT_HPMN0: .*\(D13\.1\)$/],
    [
      'n = 0 with FEAT_FGT but not FEAT_HPMN0',
      { pmuVer: 'PMUv3p7', n: 0, features: ['FEAT_FGT'] },
      /n = 0 needs FEAT_HPMN0/,
    ],
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
