// SPDX-License-Identifier: MIT
// Issue 11, points 6 and 7: a closed output pipe ends pmup quietly; --version, -h and
// `pmup help CMD`; `pmup batch DIR` and a UTF-8 BOM at the start of a batch file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { streamBatch } from '../../src/cli/batch.js';
import { COMMANDS, runPmup, runPmupStreaming } from '../../src/cli/pmup.js';

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

/** A Writable that keeps what is written. */
function sink(): { stream: Writable; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      parts.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => parts.join('') };
}

// EL2 reads PMCR_EL0.N = N = 6 on Neoverse N2 (its TRM; Arm ARM D24.5.8): 6 << 11 = 0x3000.
const REQUEST = JSON.stringify({ id: 'b', cpu: 'neoverse-n2', steps: [{ el: 2, read: 'PMCR_EL0' }] });
const ANSWER = { id: 'b', results: [{ outcome: 'ok', value: '0x3000' }], final: {} };
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('pmup batch DIR', () => {
  test('the built binary: one line, exit 2', () => {
    const r = pmup(['batch', dir]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `pmup: batch: cannot read ${dir}: is a directory\n`);
  });
  test('in process', async () => {
    const out = sink();
    const err = sink();
    const status = await runPmupStreaming(['batch', dir], {
      stdin: Readable.from([]),
      stdout: out.stream,
      stderr: err.stream,
    });
    assert.equal(status, 2);
    assert.equal(out.text(), '');
    assert.equal(err.text(), `pmup: batch: cannot read ${dir}: is a directory\n`);
  });
});

describe('a UTF-8 BOM at the start of a batch is accepted', () => {
  test('the built binary, from a file and from stdin', () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, Buffer.concat([BOM, Buffer.from(`${REQUEST}\n`)]));
    for (const r of [pmup(['batch', file]), pmup(['batch'], readFileSync(file, 'utf8'))]) {
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      assert.deepEqual(JSON.parse(r.stdout), ANSWER);
    }
  });
  test('in process, with the BOM split over chunks', async () => {
    const bytes = Buffer.concat([BOM, Buffer.from(`${REQUEST}\n${REQUEST}`)]);
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2, 10), bytes.subarray(10)];
    const out = sink();
    const count = await streamBatch(Readable.from(chunks), out.stream);
    assert.deepEqual(count, { answers: 2, errors: 0 });
    assert.deepEqual(
      out
        .text()
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [ANSWER, ANSWER],
    );
  });
  test('a BOM later in the input is not skipped: that line is an error answer', async () => {
    const out = sink();
    const input = Readable.from([Buffer.from(`${REQUEST}\n\uFEFF${REQUEST}\n`)]);
    assert.deepEqual(await streamBatch(input, out.stream), { answers: 2, errors: 1 });
  });
});
