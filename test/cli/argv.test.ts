// SPDX-License-Identifier: MIT
// Issue 11, point 2: negative numbers on the command line. `--reserved-host -1` is accepted as
// its help says ("no reservation"); a negative register value or count gets our own one-line
// message, never node:util parseArgs' "argument is ambiguous".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { normaliseArgv } from '../../src/cli/command.js';
import { runPmup } from '../../src/cli/pmup.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

function assertBadInput(r: { stdout: string; stderr: string; status: number }, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /ambiguous/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
}

describe('normaliseArgv', () => {
  const options = { cpu: { type: 'string' }, json: { type: 'boolean' } } as const;
  test('a negative positional goes after --, positionals keep their order', () => {
    assert.deepEqual(normaliseArgv('decode', ['MDCR_EL2', '-1', '--cpu', 'x'], options), [
      '--cpu=x',
      '--',
      'MDCR_EL2',
      '-1',
    ]);
  });
  test('--opt -1 becomes --opt=-1 for an option that takes a value', () => {
    assert.deepEqual(normaliseArgv('kvm', ['--cpu', '-1', '--json'], options), ['--cpu=-1', '--json', '--']);
  });
  test('arguments after -- stay positionals', () => {
    assert.deepEqual(normaliseArgv('decode', ['--', '--json'], options), ['--', '--json']);
  });
  test('an option that needs a value and has none is an error', () => {
    assert.throws(() => normaliseArgv('kvm', ['--cpu'], options), /^InputError: kvm: --cpu needs a value$/);
    assert.throws(
      () => normaliseArgv('kvm', ['--cpu', '--json'], options),
      /--cpu needs a value \(got --json/,
    );
  });
});

describe('pmup kvm --reserved-host -1: no reservation', () => {
  // reserved_host_counters = -1: the host keeps the whole PMU, no partition (hpmn_max = -1), and
  // its counter mask is every event counter of qemu-max-8-2 (N = 6: bits 0..5) plus the cycle
  // counter (bit 31).
  for (const form of [['--reserved-host', '-1'], ['--reserved-host=-1']]) {
    test(form.join(' '), () => {
      const r = run('kvm', '--cpu', 'qemu-max-8-2', ...form, '--policy', 'mainline', '--json');
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      const out = JSON.parse(r.stdout);
      assert.equal(out.host.pmus[0].hpmnMax, -1);
      assert.equal(out.host.pmus[0].cntrMask, '0x8000003f');
    });
  }
  test('is the default', () => {
    const given = run('kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '-1', '--policy', 'v6', '--json');
    const dflt = run('kvm', '--cpu', 'qemu-max-8-2', '--policy', 'v6', '--json');
    assert.equal(given.stdout, dflt.stdout);
  });
  test('-2 is out of range, with the range', () => {
    assertBadInput(
      run('kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '-2'),
      /^pmup: kvm: --reserved-host must be -1\.\.6 /,
    );
  });
  test('--nr -1 is out of range', () => {
    assertBadInput(run('kvm', '--cpu', 'qemu-max-8-2', '--nr', '-1'), /^pmup: kvm: --nr must be 0\.\.31/);
  });
});

describe('negative register values and counts: our own one-line message', () => {
  const cases: [string[], RegExp][] = [
    [
      ['decode', 'MDCR_EL2', '-1'],
      /^pmup: Cannot read MDCR_EL2 value "-1": a register value cannot be negative/,
    ],
    [
      ['decode', 'MDCR_EL2', '-1', '--cpu', 'neoverse-n2'],
      /^pmup: Cannot read MDCR_EL2 value "-1": a register value cannot be negative/,
    ],
    [['decode', 'MDCR_EL2', '-0x86'], /^pmup: Cannot read MDCR_EL2 value "-0x86": .*cannot be negative/],
    [
      ['access', '--cpu', 'neoverse-n2', 'write', 'PMSELR_EL0', '-5'],
      /^pmup: Cannot read PMSELR_EL0 value "-5": a register value cannot be negative/,
    ],
    [
      ['access', '--cpu', 'neoverse-n2', '--set', 'MDCR_EL2=-1', 'read', 'PMCR_EL0'],
      /^pmup: Cannot read --set MDCR_EL2 "-1": a register value cannot be negative/,
    ],
    [['encode', 'MDCR_EL2', 'HPMN=-1'], /^pmup: Cannot read MDCR_EL2\.HPMN "-1": a count cannot be negative/],
    [
      ['encode', 'MDCR_EL2', '--base', '-1'],
      /^pmup: Cannot read --base "-1": a register value cannot be negative/,
    ],
    [['insn', '-1'], /^pmup: Cannot read instruction word "-1": a register value cannot be negative/],
    [['kvm', '--cpu'], /^pmup: kvm: --cpu needs a value\n$/],
  ];
  for (const [argv, message] of cases) test(argv.join(' '), () => assertBadInput(run(...argv), message));
});

describe('the built binary', () => {
  const pmup = (...argv: string[]) =>
    spawnSync(process.execPath, ['dist/cli/main.js', ...argv], { encoding: 'utf8' });
  test('kvm --reserved-host -1 runs', () => {
    const r = pmup('kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '-1', '--policy', 'mainline', '--json');
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).host.pmus[0].hpmnMax, -1);
  });
  test('decode MDCR_EL2 -1: one line, exit 2, no stack trace', () => {
    const r = pmup('decode', 'MDCR_EL2', '-1');
    assertBadInput(
      { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 },
      /^pmup: Cannot read MDCR_EL2 value "-1": a register value cannot be negative/,
    );
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
  });
});
