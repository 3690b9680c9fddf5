// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { namedFields } from '../../src/arch/fields.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';
import { runPmup } from '../../src/cli/pmup.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

/** The JSON decode of REG VALUE as a map field -> value (hex). */
function fields(reg: string, value: string, ...extra: string[]): Record<string, string> {
  const r = run('decode', reg, value, '--json', ...extra);
  assert.equal(r.stderr, '');
  const decoded = JSON.parse(r.stdout);
  // Exit status 1 exactly when problems are listed.
  assert.equal(r.status, decoded.problems.length === 0 ? 0 : 1);
  const out: Record<string, string> = {};
  for (const f of decoded.fields as { name: string; value: string }[]) out[f.name] = f.value;
  return out;
}

describe('pmup decode', () => {
  test('MDCR_EL2 0x4e0: TDOSA, HPME, TPM, TPMCR set; HPMN = 0 flagged as reserved without FEAT_HPMN0', () => {
    // Arm ARM D24.3.17: TDOSA [10], HPME [7], TPM [6], TPMCR [5], HPMN [4:0].
    const f = fields('MDCR_EL2', '0x4e0');
    assert.equal(f['TDOSA'], '0x1');
    assert.equal(f['HPME'], '0x1');
    assert.equal(f['TPM'], '0x1');
    assert.equal(f['TPMCR'], '0x1');
    assert.equal(f['HPMN'], '0x0');
    assert.equal(f['TDA'], '0x0');
    const r = run('decode', 'MDCR_EL2', '0x4e0');
    assert.match(r.stdout, /HPMN = 0 is reserved unless FEAT_HPMN0/);
    assert.match(r.stdout, /CONSTRAINED\s+UNPREDICTABLE/);
  });
  test('PMCR_EL0 0x41013001 on neoverse-n1: IMP Arm, IDCODE 1, N = 6, E = 1, no problems', () => {
    // Arm ARM D24.5.8: IMP [31:24], IDCODE [23:16], N [15:11], E [0]; 0x3000 >> 11 = 6.
    const f = fields('PMCR_EL0', '0x41013001', '--cpu', 'neoverse-n1');
    assert.equal(f['IMP'], '0x41');
    assert.equal(f['IDCODE'], '0x1');
    assert.equal(f['N'], '0x6');
    assert.equal(f['E'], '0x1');
    assert.equal(f['P'], '0x0');
    const r = run('decode', 'PMCR_EL0', '0x41013001', '--cpu', 'neoverse-n1', '--json');
    assert.deepEqual(JSON.parse(r.stdout).problems, []);
  });
  test('flags set RES0 bits and fields the CPU does not implement', () => {
    // MDCR_EL2 bit 63 is RES0; HCCD [23] needs FEAT_PMUv3p5, which Cortex-A53 (PMUv3) lacks.
    const r = JSON.parse(
      run('decode', 'MDCR_EL2', '0x8000000000800006', '--cpu', 'cortex-a53', '--json').stdout,
    );
    assert.ok(
      r.problems.some((p: string) => /RES0 bits \[63:51\] are set/.test(p)),
      r.problems.join('\n'),
    );
    assert.ok(
      r.problems.some((p: string) => /HCCD .*FEAT_PMUv3p5/.test(p)),
      r.problems.join('\n'),
    );
  });
  test('MDCR_EL2.HPMN greater than N is flagged', () => {
    const r = JSON.parse(run('decode', 'MDCR_EL2', '0x7', '--cpu', 'cortex-a53', '--json').stdout);
    assert.ok(
      r.problems.some((p: string) => /HPMN = 7 is reserved: greater than N = 6/.test(p)),
      r.problems.join('\n'),
    );
  });
});

describe('pmup encode', () => {
  test('MDCR_EL2 HPMN=4 HPME=1 HPMD=1 is 0x20084', () => {
    // Arm ARM D24.3.17: HPMD is bit 17, HPME bit 7, HPMN [4:0].
    assert.deepEqual(run('encode', 'MDCR_EL2', 'HPMN=4', 'HPME=1', 'HPMD=1'), {
      stdout: '0x20084\n',
      stderr: '',
      status: 0,
    });
  });
  test('named enumerated values: ID_AA64DFR0_EL1 PMUVer=V3P5 is 0x600', () => {
    // Arm ARM D24.2.80 ID_AA64DFR0_EL1.PMUVer [11:8] = 0b0110 for FEAT_PMUv3p5.
    assert.equal(run('encode', 'ID_AA64DFR0_EL1', 'PMUVer=V3P5').stdout, '0x600\n');
  });
  test('encode of a decode is the identity for every register (property)', () => {
    for (const def of REGISTERS) {
      const reg = def.index === undefined ? def.name : def.name.replace('<n>', '3');
      const mask = namedFields(def).reduce(
        (m, f) => m | (((1n << BigInt(f.bits[0] - f.bits[1] + 1)) - 1n) << BigInt(f.bits[1])),
        0n,
      );
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (raw) => {
          const value = raw & mask;
          const decoded = fields(reg, `0x${value.toString(16)}`);
          const pairs = Object.entries(decoded).map(([k, v]) => `${k}=${v}`);
          const back = run('encode', reg, ...pairs);
          assert.equal(back.stdout, `0x${value.toString(16)}\n`, `${reg} ${pairs.join(' ')}`);
        }),
        { numRuns: 25 },
      );
    }
  });
});

describe('pmup insn', () => {
  test('0xd53b9c00 is mrs x0, PMCR_EL0 (Arm ARM C6.2 MRS; PMCR_EL0 = S3_3_C9_C12_0)', () => {
    assert.match(run('insn', '0xd53b9c00').stdout, /^mrs x0, PMCR_EL0 /);
  });
  test('"mrs x0, pmcr_el0" is 0xd53b9c00', () => {
    assert.match(run('insn', 'mrs x0, pmcr_el0').stdout, /^0xd53b9c00 /);
  });
  test('"msr mdcr_el2, x5" is 0xd51c1125', () => {
    assert.match(run('insn', 'msr mdcr_el2, x5').stdout, /^0xd51c1125 /);
  });
});

describe('pmup insn: registers outside the catalogue', () => {
  test('0xd5380000 is mrs x0, S3_0_C0_C0_0, named by its encoding (C6.2 MRS: L [21] = 1, op0 [20:19] = 3, the rest 0)', () => {
    const r = run('insn', '0xd5380000');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'mrs x0, S3_0_C0_C0_0  (not a register of the catalogue)\n');
  });
});

describe('pmup access', () => {
  test('without --set MDCR_EL2 the PE has HPMN = N, as at boot: EL1 reads PMCR_EL0.N = 6 on a Neoverse N2', () => {
    // Linux and firmware leave MDCR_EL2.HPMN = PMCR_EL0.N (6 on Neoverse N2); EL1 reads of
    // PMCR_EL0.N return the Effective HPMN (D24.5.8), so 6 << 11 = 0x3000, no case met.
    const r = run('access', '--cpu', 'neoverse-n2', 'read', 'PMCR_EL0');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^EL1 read of PMCR_EL0 on neoverse-n2: ok, value 0x3000$/m);
    assert.match(r.stdout, /^\(MDCR_EL2\.HPMN = 6 = N, as at boot; --set MDCR_EL2=VALUE to change it\)$/m);
  });
  test('a reserved HPMN: the outcomes grouped by behaviour, as the README shows (D24.3.17, D24.5.10)', () => {
    // N = 4 with FEAT_FGT, HPMN = 31: as if HPMN were 1..4, or all counters in the second range.
    // EL1 index 1 traps to EL2 when 1 >= the Effective HPMN (0 or 1), else reads the counter.
    const cpu = '{"pmuVer":"PMUv3p5","n":4,"features":["FEAT_FGT"]}';
    const r = run(
      'access',
      '--cpu',
      cpu,
      '--el',
      '1',
      '--set',
      'MDCR_EL2=0x1f',
      '--set',
      'PMEVCNTR1_EL0=0x55',
      'read',
      'PMEVCNTR1_EL0',
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      // The header shows every value as read (--set values in hex, zero-padded to 64 bits).
      'EL1 read of PMEVCNTR1_EL0 on inline (MDCR_EL2 = 0x000000000000001f, PMEVCNTR1_EL0 = 0x0000000000000055): CONSTRAINED UNPREDICTABLE (RES_HPMN), 2 distinct outcomes',
      '  with all counters in the second range, or HPMN as 1: trap to EL2, EC 0x18, ISS 0x32f811 (mrs x0, PMEVCNTR1_EL0, read)',
      '  with HPMN as 2..4: ok, value 0x55',
    ]);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const l of lines.slice(0, 3)) assert.ok(readme.includes(l), `README shows: ${l}`);
  });
  test('EL1 read of PMEVCNTR5_EL0 with HPMN = 4 on neoverse-n2 (no FEAT_FGT): CONSTRAINED UNPREDICTABLE', () => {
    // Arm ARM D24.5.10: without FEAT_FGT, an EL1 access with n >= HPMN (n < N) is CONSTRAINED
    // UNPREDICTABLE, and trapping to EL2 is one of the permitted behaviours.
    const r = run(
      'access',
      '--cpu',
      'neoverse-n2',
      '--el',
      '1',
      '--set',
      'MDCR_EL2=0x84',
      'read',
      'PMEVCNTR5_EL0',
    );
    assert.equal(r.status, 0, r.stderr);
    // D24.5.10 lists five behaviours; as-index-0..3 reads PMEVCNTR0..3_EL0, all 0 here, like RAZ/WI.
    assert.match(r.stdout, /CONSTRAINED UNPREDICTABLE \(PMUEVENTCOUNTER\), 4 distinct outcomes/);
    assert.match(r.stdout, /^ {2}with UNDEFINED: UNDEFINED$/m);
    assert.match(r.stdout, /^ {2}with RAZ\/WI, or as index 0\.\.3: ok, value 0x0$/m);
    assert.match(r.stdout, /^ {2}with a NOP: ok, no change$/m);
    assert.match(r.stdout, /^ {2}with a trap to EL2: trap to EL2, EC 0x18/m);
    assert.match(r.stdout, /^why: /m);
  });
  test('with FEAT_FGT the same access traps to EL2 with EC 0x18 (D24.5.10)', () => {
    const cpu = '{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_FGT"]}';
    const r = run(
      'access',
      '--cpu',
      cpu,
      '--el',
      '1',
      '--set',
      'MDCR_EL2=0x84',
      'read',
      'PMEVCNTR5_EL0',
      '--json',
    );
    const a = JSON.parse(r.stdout);
    assert.equal(a.outcome, 'trap');
    assert.equal(a.toEl, 2);
    assert.equal(a.ec, '0x18');
    // ISS (D24.2 ESR_ELx, EC 0x18): Op0 3 [21:20], Op2 5 [19:17], Op1 3 [16:14], CRn 14 [13:10],
    // Rt 0 [9:5], CRm 8 [4:1], Direction 1 (read) [0].
    const iss = (3 << 20) | (5 << 17) | (3 << 14) | (14 << 10) | (0 << 5) | (8 << 1) | 1;
    assert.equal(a.iss, `0x${iss.toString(16)}`);
  });
  test('--choose resolves the case', () => {
    const r = run(
      'access',
      '--cpu',
      'neoverse-n2',
      '--set',
      'MDCR_EL2=0x84',
      '--choose',
      'PMUEVENTCOUNTER=raz-wi',
      'read',
      'PMEVCNTR5_EL0',
      '--json',
    );
    assert.deepEqual(
      { ...JSON.parse(r.stdout), rule: undefined },
      { outcome: 'ok', value: '0x0', unpredictable: 'PMUEVENTCOUNTER', rule: undefined },
    );
  });
});

describe('bad input: one line on stderr, exit 2, nothing on stdout', () => {
  const cases: [string[], RegExp][] = [
    [['decode', 'MDCR_EL2', '0x4g0'], /Cannot read MDCR_EL2 value "0x4g0"/],
    [['decode', 'MDCR_EL2', '0x1ffffffffffffffff'], /wider than 64 bits/],
    [['decode', 'MDCR_EL1', '0x0'], /Unknown register MDCR_EL1 \(did you mean MDCR_EL2/],
    [['decode', 'PMEVCNTR31_EL0', '0x0'], /n = 0\.\.30, got n = 31/],
    [['decode', 'PMCR_EL0', '0x0', '--cpu', 'cortex-a99'], /cortex-a99/],
    [['encode', 'MDCR_EL2', 'HPMM=4'], /Unknown field MDCR_EL2.HPMM \(did you mean .*HPMN/],
    [['encode', 'MDCR_EL2', 'HPMN=32'], /HPMN to 0x20: the field is 5 bits wide/],
    [['encode', 'MDCR_EL2', 'HPMN'], /expected FIELD=VALUE/],
    [['insn', '0xd503201f'], /not an MRS or MSR/],
    [['insn', '0x1d53b9c00'], /32 bits/],
    [['insn', 'mrs x31, pmcr_el0'], /not x0\.\.x30 or xzr/],
    [['decode', 'MDCR_EL2'], /expected 2 arguments/],
    [['decode', 'MDCR_EL2', '0x0', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['access', '--cpu', 'neoverse-n2', '--el', '3', 'read', 'PMCR_EL0'], /--el must be 0, 1 or 2/],
    [['access', '--el', '1', 'read', 'PMCR_EL0'], /--cpu is required/],
    [['access', '--cpu', 'neoverse-n2', 'read', 'PMCR_EL0', '0x1'], /read takes no VALUE/],
    [
      ['access', '--cpu', 'neoverse-n2', '--set', 'MDCR_EL2=zz', 'read', 'PMCR_EL0'],
      /Cannot read --set MDCR_EL2/,
    ],
  ];
  for (const [argv, message] of cases) {
    test(argv.join(' '), () => {
      const r = run(...argv);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    });
  }
});

describe('--help', () => {
  for (const c of ['demo', 'regs', 'cpus', 'decode', 'encode', 'insn', 'access', 'batch']) {
    test(`pmup ${c} --help`, () => {
      const r = run(c, '--help');
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`^Usage: pmup ${c}`));
    });
  }
});

describe('the built binary', () => {
  test('bad input exits 2 with one line and no stack trace', () => {
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'decode', 'PMCR_EL0', 'zz'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
  });
  test('pmup demo prints the catalogue and the MDCR_EL2 example', () => {
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'demo'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /neoverse-n2/);
    assert.match(r.stdout, /MDCR_EL2 = 0x0000000000820084/);
    // The reserved HPMN = 8 on a Cortex-A510 (N = 6), HPME = 1, guest PMCR_EL0.E = 0: the PE behaves
    // as if HPMN were k (1..6) or puts every counter in the second range (D24.3.17). First-range
    // counters 0..k-1 are disabled by E = 0; second-range counters k..5 count by HPME (D13.1.1).
    const expected = [
      '  with all counters in the second range: ok (PMEVCNTR0..5_EL0 = 0x3e8)',
      '  with HPMN as 1: ok (PMEVCNTR1..5_EL0 = 0x3e8)',
      '  with HPMN as 2: ok (PMEVCNTR2..5_EL0 = 0x3e8)',
      '  with HPMN as 3: ok (PMEVCNTR3..5_EL0 = 0x3e8)',
      '  with HPMN as 4: ok (PMEVCNTR4..5_EL0 = 0x3e8)',
      '  with HPMN as 5: ok (PMEVCNTR5_EL0 = 0x3e8)',
      '  with HPMN as 6: ok, no change',
    ];
    assert.ok(r.stdout.includes(`7 distinct outcomes\n${expected.join('\n')}\n`), r.stdout.slice(-900));
    // The verifier's table: review programs the reserved HPMN = 8 of the seed at KVM_RUN on CPU 1.
    assert.match(r.stdout, /^review +violated \(1 step\)/m);
    assert.match(r.stdout, /^mainline( +holds){13}$/m);
  });
});
