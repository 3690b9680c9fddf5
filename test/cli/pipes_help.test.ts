// SPDX-License-Identifier: MIT
// Issue 11, points 6 and 7: a closed output pipe ends pmup quietly; --version, -h and
// `pmup help CMD`; `pmup batch DIR` and a UTF-8 BOM at the start of a batch file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { COMMANDS, runPmup } from '../../src/cli/pmup.js';

const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
const dir = mkdtempSync(join(tmpdir(), 'pmup-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function pmup(args: string[], input?: string) {
  return spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', input });
}

/** Runs `pmup ARGS | head -1` in bash; returns pmup's stderr and exit status, and what head printed. */
function pipedToHead(args: string): { stdout: string; stderr: string; status: string } {
  const script = `"${process.execPath}" dist/cli/main.js ${args} | head -1; echo "status=\${PIPESTATUS[0]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  return {
    stdout: lines.slice(0, -1).join('\n'),
    stderr: r.stderr,
    status: lines.at(-1)!.replace('status=', ''),
  };
}

describe('a closed output pipe ends quietly', () => {
  test('pmup batch big.jsonl | head -1', () => {
    const line = JSON.stringify({
      id: 1,
      cpu: 'neoverse-n2',
      regs: { MDCR_EL2: '0x4' },
      steps: [{ el: 1, read: 'PMCR_EL0' }],
    });
    const file = join(dir, 'big.jsonl');
    // 50,000 answers are megabytes, far more than a pipe holds: pmup writes after head has gone.
    writeFileSync(file, `${line}\n`.repeat(50000));
    const r = pipedToHead(`batch "${file}"`);
    assert.equal(r.stderr, '');
    assert.equal(r.status, '0');
    // EL1 reads PMCR_EL0.N = HPMN = 4 (Arm ARM D24.5.8): 4 << 11.
    assert.deepEqual(JSON.parse(r.stdout), {
      id: 1,
      results: [{ outcome: 'ok', value: '0x2000' }],
      final: {},
    });
  });
  test('pmup regs --json | head -1', () => {
    const r = pipedToHead('regs --json');
    assert.equal(r.stderr, '');
    assert.equal(r.status, '0');
    assert.equal(r.stdout, '[');
  });
});

describe('--version', () => {
  test('in process: the version of package.json', () => {
    assert.deepEqual(runPmup(['--version']), { stdout: `pmup ${PACKAGE_VERSION}\n`, stderr: '', status: 0 });
  });
  test('the built binary', () => {
    const r = pmup(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `pmup ${PACKAGE_VERSION}\n`);
  });
  test('takes no arguments', () => {
    assert.equal(runPmup(['--version', 'x']).status, 2);
  });
});

describe('-h and pmup help CMD are --help', () => {
  for (const c of COMMANDS) {
    test(c.name, () => {
      const help = runPmup([c.name, '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, new RegExp(`^Usage: pmup ${c.name}`));
      assert.deepEqual(runPmup([c.name, '-h']), help);
      assert.deepEqual(runPmup(['help', c.name]), help);
    });
  }
  test('the built binary: pmup batch -h and pmup help batch', () => {
    const help = pmup(['batch', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: pmup batch/);
    assert.equal(pmup(['batch', '-h']).stdout, help.stdout);
    assert.equal(pmup(['help', 'batch']).stdout, help.stdout);
  });
  test('pmup help and pmup -h are the usage', () => {
    const usage = runPmup(['--help']);
    assert.equal(usage.status, 0);
    assert.match(usage.stdout, /pmup help COMMAND/);
    assert.deepEqual(runPmup(['-h']), usage);
    assert.deepEqual(runPmup(['help']), usage);
  });
  test('pmup help of an unknown command, or of two, is bad input', () => {
    const r = runPmup(['help', 'decod']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^pmup: unknown command "decod" \(did you mean decode\b.*\); see pmup --help\n$/);
    assert.equal(runPmup(['help', 'decode', 'encode']).status, 2);
  });
});
