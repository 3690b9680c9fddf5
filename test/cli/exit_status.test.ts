// SPDX-License-Identifier: MIT
// Issue 11, point 4: exit statuses. `pmup decode` exits 1 exactly when it lists problems; `pmup
// kvm` splits its findings into problems (exit 1) and harmless notes, each with a stable code,
// and never lists "problems:" before "problems found: none". Bit positions from Arm ARM D24.3.17
// MDCR_EL2: HPMN [4:0], HPME [7], TPMS [14] (FEAT_SPE), HPMD [17], TTRF [19] (FEAT_TRF), HCCD [23]
// (FEAT_PMUv3p5), RES0 [63:51]. N = 6 for the cores used (their TRMs, src/arch/cpus.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

describe('pmup decode: exit 0 no problem, 1 problems listed', () => {
  const cases: [string, string, string | undefined, number][] = [
    // HPMN = 4 <= N, HPME, HPMD (FEAT_PMUv3p1), HCCD (FEAT_PMUv3p5) on a PMUv3p5 core.
    ['MDCR_EL2', '0x820084', 'neoverse-n2', 0],
    // HPMN = 6 = N, HPME.
    ['MDCR_EL2', '86', 'cortex-a510', 0],
    // HPMN = 7 > N = 6: reserved.
    ['MDCR_EL2', '87', 'cortex-a510', 1],
    // Bit 63 is RES0.
    ['MDCR_EL2', '8000000000000004', 'neoverse-n2', 1],
    // HCCD without FEAT_PMUv3p5 (Cortex-A53 is PMUv3).
    ['MDCR_EL2', '800004', 'cortex-a53', 1],
    // Without a CPU, HPMN = 0 is listed: reserved unless FEAT_HPMN0.
    ['MDCR_EL2', '0', undefined, 1],
    ['MDCR_EL2', '4', undefined, 0],
  ];
  for (const [reg, value, cpu, status] of cases) {
    const argv = ['decode', reg, value, ...(cpu === undefined ? [] : ['--cpu', cpu])];
    test(`${argv.join(' ')} exits ${status}`, () => {
      const text = run(...argv);
      assert.equal(text.stderr, '');
      assert.equal(text.status, status);
      assert.equal(text.stdout.includes('\nproblems:\n'), status === 1);
      const json = run(...argv, '--json');
      assert.equal(json.status, status);
      assert.equal(JSON.parse(json.stdout).problems.length > 0, status === 1);
    });
  }
  test('bad input is still 2', () => {
    assert.equal(run('decode', 'MDCR_EL2', 'zz', '--cpu', 'cortex-a510').status, 2);
  });
  test('the built binary: pmup decode MDCR_EL2 $v --cpu cortex-a510 && echo valid', () => {
    const check = (v: string) =>
      spawnSync(
        'sh',
        [
          '-c',
          `"${process.execPath}" dist/cli/main.js decode MDCR_EL2 "$1" --cpu cortex-a510 >/dev/null && echo valid`,
          'sh',
          v,
        ],
        { encoding: 'utf8' },
      );
    assert.equal(check('86').stdout, 'valid\n');
    assert.equal(check('87').stdout, '');
    assert.equal(check('zz').stdout, '');
  });
});

interface Finding {
  readonly code: string;
  readonly message: string;
}

function kvmJson(...args: string[]) {
  const r = run('kvm', ...args, '--json');
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout) as { problems: Finding[]; notes: Finding[] };
  return { status: r.status, problems: out.problems, notes: out.notes };
}

const SCENARIOS: readonly string[][] = [
  ['--cpu', 'qemu-max-8-2', '--reserved-host', '-1', '--policy', 'mainline'],
  ['--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '4', '--policy', 'v6'],
  ['--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '2', '--policy', 'v5'],
  ['--cpu', 'neoverse-n2', '--reserved-host', '2', '--nr', '4', '--policy', 'v5'],
  ['--cpu', 'cortex-a53', '--policy', 'mainline'],
  ['--cpu', 'cortex-a710', '--on', 'cortex-a510', '--reserved-host', '14', '--nr', '8', '--policy', 'review'],
  ['--cpu', 'cortex-a710', '--on', 'cortex-a510', '--reserved-host', '14', '--nr', '8', '--policy', 'v6'],
  ['--cpu', 'neoverse-n2', '--policy', 'v7', '--reserved-host', '2'],
];

describe('pmup kvm: problems (exit 1) and notes, each with a code', () => {
  for (const args of SCENARIOS) {
    test(args.join(' '), () => {
      const text = run('kvm', ...args);
      // The report lists findings once, at its end: no "problems:" block in MDCR_EL2's decode.
      assert.doesNotMatch(text.stdout, /^problems:$/m);
      const { status, problems, notes } = kvmJson(...args);
      assert.equal(text.status, status);
      assert.equal(status, problems.length === 0 ? 0 : 1);
      assert.equal(text.stdout.includes('problems found: none'), problems.length === 0);
      for (const f of [...problems, ...notes]) {
        assert.match(f.code, /^[a-z0-9]+(-[a-z0-9]+)*$/, f.message);
        assert.equal(typeof f.message, 'string');
        assert.ok(text.stdout.includes(`  - ${f.message}`), f.message);
      }
      assert.equal(text.stdout.includes('notes (harmless):'), notes.length > 0);
    });
  }

  test('MDCR_EL2.TTRF and TPMS set on a core without FEAT_TRF / FEAT_SPE are notes, not problems', () => {
    // Linux's kvm_arm_setup_mdcr_el2() sets TPMS and TTRF whatever the CPU; where the feature is
    // absent the bit is RES0 and has no function.
    const features: string[] = JSON.parse(run('cpus', 'qemu-max-8-2', '--json').stdout).features;
    const expected = [
      { field: 'TTRF', bit: 19, feature: 'FEAT_TRF' },
      { field: 'TPMS', bit: 14, feature: 'FEAT_SPE' },
    ].filter((x) => !features.includes(x.feature));
    assert.ok(expected.length > 0, 'qemu-max-8-2 lacks FEAT_TRF or FEAT_SPE');
    const { status, problems, notes } = kvmJson('--cpu', 'qemu-max-8-2', '--policy', 'mainline');
    assert.equal(status, 0);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      notes.map((n) => n.code),
      expected.map(() => 'mdcr-el2-res0-bit-set'),
    );
    expected.forEach((x, i) => {
      assert.match(
        notes[i]!.message,
        new RegExp(
          `^KVM sets MDCR_EL2\\.${x.field} \\[${x.bit}\\], RES0 on qemu-max-8-2 \\(no ${x.feature}\\)`,
        ),
      );
    });
  });

  test('a reserved HPMN is one problem, hpmn-reserved, not repeated from the decode', () => {
    // HPMN = 8 programmed on a Cortex-A510 with N = 6 (D24.3.17: values greater than N are reserved).
    const { status, problems } = kvmJson(...SCENARIOS[5]!);
    assert.equal(status, 1);
    const reserved = problems.filter((p) => /HPMN = 8 is reserved/.test(p.message));
    assert.deepEqual(
      reserved.map((p) => p.code),
      ['hpmn-reserved'],
    );
  });

  test('a refused ioctl is ioctl-refused', () => {
    // v5 on Neoverse N2 with 2 host counters: SET_NR_COUNTERS 4 is over popcount(cntr_mask) = 2.
    const { status, problems } = kvmJson(...SCENARIOS[3]!);
    assert.equal(status, 1);
    assert.ok(
      problems.some(
        (p) => p.code === 'ioctl-refused' && /PMU_V3_SET_NR_COUNTERS, 4\): -EINVAL/.test(p.message),
      ),
      problems.map((p) => p.message).join('\n'),
    );
  });
});
