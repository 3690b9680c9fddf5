// SPDX-License-Identifier: MIT
// `pmup kernel`: exit statuses, one-line errors, the differences as requests that pmup batch
// answers, the README example, on the fixtures of our own (test/fixtures/kernel/) and the seed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';
import { fixture, needsCompiler, needsSeed, SEED } from '../kvm/kernel_c_helpers.js';

/** Runs the built pmup in a process of its own, as a user would. */
function pmup(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', input });
}

/** One line on stderr, nothing on stdout, exit 2, no stack trace. */
function assertOneLineError(r: ReturnType<typeof pmup>, re: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr.trimEnd(), re);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('pmup kernel: bad input is one line and exit 2', () => {
  test('no FILE, a missing FILE, an unknown --against', () => {
    assertOneLineError(pmup(['kernel']), /^pmup: kernel: give at least one FILE/);
    assertOneLineError(
      pmup(['kernel', 'no/such/file.patch']),
      /^pmup: kernel: cannot read no\/such\/file\.patch$/,
    );
    assertOneLineError(
      pmup(['kernel', fixture('v5-clamp.patch'), '--against', 'v9']),
      /^pmup: Unknown policy "v9" \(did you mean/,
    );
  });
  test('a file with none of the functions', () => {
    assertOneLineError(
      pmup(['kernel', fixture('none.patch')]),
      /^pmup: kernel: none of kvm_pmu_guest_num_counters\(\), kvm_pmu_hpmn\(\), kvm_mdcr_hpmn\(\), kvm_arm_setup_mdcr_el2\(\) is defined in test\/fixtures\/kernel\/none\.patch; name another function with --function NAME$/,
    );
  });
  test('a patch that does not compile, a function calling something unstubbed', (t) => {
    if (!needsCompiler(t)) return;
    assertOneLineError(
      pmup(['kernel', fixture('broken.patch')]),
      /^pmup: kernel: kvm_pmu_hpmn\(\) at .* does not compile: /,
    );
    assertOneLineError(
      pmup(['kernel', fixture('unstubbed.patch')]),
      /calls kvm_arm_pmu_get_max_counters\(\); pmup kernel does not stub it: .* pass --stubs FILE$/,
    );
  });
});

describe('pmup kernel: findings exit 1, clean code exit 0', () => {
  test('the clean tree: every rule holds, exit 0; a directory is walked', (t) => {
    if (!needsCompiler(t)) return;
    const r = runPmup(['kernel', fixture('tree')]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^found 3 functions:$/m);
    assert.match(
      r.stdout,
      /^ {2}kvm_arm_setup_mdcr_el2\(\) +test\/fixtures\/kernel\/tree\/arch\/arm64\/kvm\/debug\.c:\d+ +C file$/m,
    );
    for (const rule of ['hpmn-reserved', 'guest-pmcr-n', 'host-counters-in-first-range'])
      assert.match(r.stdout, new RegExp(`^ {2}${rule}: holds on all \\d+ inputs judged$`, 'm'));
  });

  test('a crash on an input is a finding: the first grid input without an arm_pmu, exit 1', (t) => {
    if (!needsCompiler(t)) return;
    const r = runPmup(['kernel', fixture('crash.patch')]);
    assert.equal(r.status, 1, r.stdout);
    // SIGSEGV is signal 11 on Linux; the fixture dereferences the NULL arm_pmu at grid input 0.
    assert.match(
      r.stdout,
      /^the compiled functions crash \(signal 11\) on inputs \{"nrPmuCounters":0,"hpmnMax":-1,"hostCounters":0,"armPmu":false,/m,
    );
  });

  test('differences are KVM policy requests that pmup batch answers with the policy values shown', (t) => {
    if (!needsCompiler(t)) return;
    const r = pmup(['kernel', fixture('tree'), '--against', 'v6']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    const requests = lines.filter((l) => l.startsWith('{'));
    assert.equal(requests.length, 5);
    const answers = pmup(['batch'], `${requests.join('\n')}\n`);
    assert.equal(answers.status, 0, answers.stderr);
    answers.stdout
      .trimEnd()
      .split('\n')
      .forEach((a, k) => {
        const answer = JSON.parse(a) as { id: string; guestPmcrN: number; hpmn: number; mdcrEl2: string };
        assert.equal(answer.id, `diff-${k + 1}`);
        const shown = lines[lines.indexOf(requests[k]!) + 1]!;
        assert.ok(
          shown.endsWith(
            `v6: guestPmcrN ${answer.guestPmcrN}, hpmn ${answer.hpmn}, mdcrEl2 ${answer.mdcrEl2}`,
          ),
          shown,
        );
      });
    // The smallest difference: one counter asked for on a CPU with none (a migration), where the
    // fixture keeps HPMN = N = 0 and v6 writes HPMN = nr_pmu_counters = 1.
    const first = JSON.parse(requests[0]!) as { inputs: Record<string, unknown> };
    assert.deepEqual([first.inputs['nrPmuCounters'], first.inputs['hostCounters']], [1, 0]);
  });

  test('--json: the functions, the compiler and the verdicts as data', (t) => {
    if (!needsCompiler(t)) return;
    const r = runPmup(['kernel', fixture('v5-clamp.patch'), '--json']);
    assert.equal(r.status, 1);
    const j = JSON.parse(r.stdout) as {
      found: { name: string; line: number }[];
      compiler: string;
      inputs: number;
      verdicts: { code: string; violated: number }[];
    };
    assert.deepEqual(
      j.found.map((f) => f.name),
      ['kvm_pmu_guest_num_counters', 'kvm_pmu_hpmn'],
    );
    assert.match(j.compiler, /gcc/);
    assert.equal(j.inputs, 345_600);
    assert.deepEqual(
      j.verdicts.map((v) => [v.code, v.violated > 0]),
      [
        ['hpmn-reserved', true],
        ['guest-pmcr-n', true],
        ['host-counters-in-first-range', false],
      ],
    );
  });

  test('the seed: v5 15/24 agrees with the v5 policy (exit 0)', (t) => {
    if (!needsSeed(t) || !needsCompiler(t)) return;
    const r = runPmup(['kernel', SEED, '--against', 'v5']);
    assert.equal(r.status, 0, r.stdout);
    assert.match(
      r.stdout,
      /^against v5: the C and v5 agree on guestPmcrN, hpmn, mdcrEl2 for all 345600 inputs$/m,
    );
  });
});

describe("README's pmup kernel example is the real output", () => {
  test('the "$ npx pmup kernel" block', (t) => {
    if (!needsCompiler(t)) return;
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    const at = readme.findIndex((l) => l.startsWith('$ npx pmup kernel '));
    assert.notEqual(at, -1, 'README shows pmup kernel');
    const shown: string[] = [];
    for (let j = at + 1; j < readme.length && !/^(\$ |```)/.test(readme[j]!); j++) shown.push(readme[j]!);
    const r = runPmup(readme[at]!.replace('$ npx pmup ', '').split(/\s+/));
    assert.deepEqual(shown, r.stdout.trimEnd().split('\n'));
  });
});

describe('pmup check --kernel: compiled code as a policy of the verifier', () => {
  test('hpmn-before-flag.patch on v6: the same verdicts as v6, whose kvm_pmu_hpmn() it mirrors', (t) => {
    if (!needsCompiler(t)) return;
    const r = runPmup([
      'check',
      '--space',
      'small',
      '--depth',
      '3',
      '--policy',
      'v6',
      '--kernel',
      fixture('hpmn-before-flag.patch'),
      '--kernel-base',
      'v6',
      '--json',
    ]);
    const report = JSON.parse(r.stdout) as {
      policies: string[];
      verdicts: { policy: string; invariant: string; holds: boolean }[];
    };
    assert.deepEqual(report.policies, ['v6', 'kernel']);
    const of = (p: string) =>
      report.verdicts.filter((v) => v.policy === p).map((v) => [v.invariant, v.holds]);
    assert.ok(of('v6').length > 0);
    assert.deepEqual(of('kernel'), of('v6'));
  });

  test('on two worker threads (each compiles the code itself) the report is the one-thread report', (t) => {
    if (!needsCompiler(t)) return;
    const args = [
      'check',
      '--space',
      'small',
      '--depth',
      '2',
      '--kernel',
      fixture('v5-clamp.patch'),
      '--json',
    ];
    const one = pmup([...args, '--workers', '1']);
    const two = pmup([...args, '--workers', '2']);
    assert.equal(two.status, one.status, two.stderr);
    assert.deepEqual(JSON.parse(two.stdout), JSON.parse(one.stdout));
    assert.deepEqual((JSON.parse(one.stdout) as { policies: string[] }).policies, ['kernel']);
  });

  test('bad --kernel input: one line, exit 2', (t) => {
    assertOneLineError(
      pmup(['check', '--space', 'small', '--kernel-base', 'v6']),
      /^pmup: check: --kernel-base and --kernel-function go with --kernel FILE$/,
    );
    assertOneLineError(
      pmup(['check', '--space', 'small', '--kernel', fixture('none.patch')]),
      /^pmup: kernel: none of /,
    );
    if (!needsCompiler(t)) return;
    assertOneLineError(
      pmup(['check', '--space', 'small', '--kernel', fixture('broken.patch')]),
      /does not compile: /,
    );
  });
});
