// SPDX-License-Identifier: MIT
// Issue 11, point 5: nothing in a request is ignored. Unknown members, a step with both read and
// write or a value on a read, unknown rules and behaviour names in `choose`, and one storage given
// twice in `regs` are request errors naming the input; `pmup batch` answers every line and then
// exits 2 when any line was an error (docs/protocol.md). Behaviour names are those of
// UNPREDICTABLE_RULES; `<k>` takes a decimal k 0..31.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { behaviourMatches, checkChoice } from '../../src/arch/request.js';
import { answerLine } from '../../src/protocol/batch.js';

const BASE = { id: 'r', cpu: 'neoverse-n2' };

function answer(req: object): Record<string, unknown> {
  return JSON.parse(answerLine(JSON.stringify(req)));
}

function assertError(req: object, message: RegExp): void {
  const a = answer(req);
  assert.equal(a['id'], 'r');
  assert.equal(typeof a['error'], 'string', JSON.stringify(a));
  assert.match(a['error'] as string, message);
  assert.doesNotMatch(a['error'] as string, /\n/);
}

describe('unknown members are request errors', () => {
  const cases: [string, object, RegExp][] = [
    ['in a request', { ...BASE, step: [] }, /^request: unknown member "step" \(did you mean steps\?\)/],
    [
      'in a request, far from any',
      { ...BASE, verbose: true },
      /^request: unknown member "verbose" \(members: id, cpu,/,
    ],
    [
      'in a read step',
      { ...BASE, steps: [{ el: 1, read: 'PMCR_EL0', rtt: 3 }] },
      /^steps\[0\]: unknown member "rtt"/,
    ],
    [
      'in a write step',
      { ...BASE, steps: [{ el: 1, write: 'PMSELR_EL0', value: '0x1', valu: '0x2' }] },
      /^steps\[0\]: unknown member "valu"/,
    ],
    [
      'beside a count',
      { ...BASE, steps: [{ count: { event: '0x08', el: 1, times: 1 }, el: 1 }] },
      /^steps\[0\]: unknown member "el"/,
    ],
    [
      'in a count',
      { ...BASE, steps: [{ count: { event: '0x08', el: 1, times: 1, time: 2 } }] },
      /^steps\[0\]\.count: unknown member "time"/,
    ],
    [
      'a count with both event and events',
      { ...BASE, steps: [{ count: { event: '0x08', events: { '0x11': 1 }, el: 1 } }] },
      /^steps\[0\]\.count: unknown member "event"/,
    ],
  ];
  for (const [what, req, message] of cases) test(what, () => assertError(req, message));
});

describe('steps say one thing', () => {
  test('both read and write', () => {
    assertError(
      { ...BASE, steps: [{ el: 1, read: 'PMCR_EL0', write: 'PMCR_EL0', value: '0x1' }] },
      /^steps\[0\]: a step has "read" or "write", not both$/,
    );
  });
  test('a value on a read', () => {
    assertError(
      { ...BASE, steps: [{ el: 1, read: 'PMCR_EL0', value: '0x1' }] },
      /^steps\[0\]: "value" is for a write; a read takes none$/,
    );
  });
  test('a read that is not a register name', () => {
    assertError({ ...BASE, steps: [{ el: 1, read: 5 }] }, /^steps\[0\]: "read" must be a register name$/);
  });
});

describe('choose: known rules and their behaviour names only', () => {
  test('an unknown rule', () => {
    assertError(
      { ...BASE, choose: { RES_HPMX: 'hpmn-1' } },
      /^choose: unknown rule "RES_HPMX" \(did you mean RES_HPMN/,
    );
  });
  test('an unknown behaviour lists the rule`s', () => {
    assertError(
      { ...BASE, choose: { RES_HPMN: 'hpmn-x' } },
      /^choose: RES_HPMN has no behaviour "hpmn-x" \(behaviours: hpmn-<k> \(k 0\.\.31\), all-second-range\)$/,
    );
  });
  test('a behaviour of another rule', () => {
    assertError(
      { ...BASE, choose: { PMUEVENTCOUNTER: 'hpmn-1' } },
      /^choose: PMUEVENTCOUNTER has no behaviour "hpmn-1"/,
    );
  });
  test('a known behaviour is taken: HPMN = 31 on N = 6 taken as 2, EL1 reads PMCR_EL0.N = 2 (D24.5.8)', () => {
    const a = answer({
      ...BASE,
      regs: { MDCR_EL2: '0x1f' },
      choose: { RES_HPMN: 'hpmn-2' },
      steps: [{ el: 1, read: 'PMCR_EL0' }],
    });
    assert.deepEqual(a['results'], [
      { outcome: 'ok', value: `0x${(2 << 11).toString(16)}`, unpredictable: 'RES_HPMN' },
    ]);
  });
});

describe('behaviourMatches: <k> is a decimal 0..31', () => {
  const cases: [string, string, boolean][] = [
    ['hpmn-<k>', 'hpmn-0', true],
    ['hpmn-<k>', 'hpmn-4', true],
    ['hpmn-<k>', 'hpmn-31', true],
    ['hpmn-<k>', 'hpmn-32', false],
    ['hpmn-<k>', 'hpmn-04', false],
    ['hpmn-<k>', 'hpmn-', false],
    ['hpmn-<k>', 'hpmn-0x4', false],
    ['hpmn-<k>', 'hpmn--1', false],
    ['hpmn-<k>', 'HPMN-4', false],
    ['as-index-<k>', 'as-index-30', true],
    ['sel-<k>', 'sel-31', true],
    ['sel-<k>', 'sel-100', false],
    ['raz-wi', 'raz-wi', true],
    ['raz-wi', 'raz-wi ', false],
  ];
  for (const [pattern, name, want] of cases) {
    test(`${pattern} ${want ? 'takes' : 'does not take'} ${JSON.stringify(name)}`, () => {
      assert.equal(behaviourMatches(pattern, name), want);
    });
  }
  test('every behaviour of every rule, with k = 1 for patterns, is accepted by checkChoice', () => {
    for (const [rule, names] of [
      ['RES_HPMN', ['hpmn-1', 'all-second-range']],
      ['RES_HPMN_READ', ['value-written', 'hpmn-1']],
      ['PMUEVENTCOUNTER', ['undefined', 'raz-wi', 'nop', 'as-index-1', 'trap-el2']],
      ['PMSELR_SEL', ['value-written', 'sel-1']],
      ['COUNT_CHAIN', ['chain', 'no-chain']],
      ['FREEZE_OVERFLOW', ['sequential', 'whole-occurrence', 'one-later']],
      ['NVNV1', ['nvnv1-00', 'nvnv1-01', 'nvnv1-11']],
      ['RES_PMEE', ['disabled', 'pmee-00', 'pmee-01', 'pmee-11']],
    ] as const) {
      for (const name of names) assert.equal(checkChoice(rule, name, 'choose'), rule);
    }
  });
});

describe('regs: one value per storage', () => {
  test('a SET/CLR pair is one register', () => {
    assertError(
      { ...BASE, regs: { PMCNTENSET_EL0: '0x1', PMCNTENCLR_EL0: '0x2' } },
      /^regs: PMCNTENSET_EL0 and PMCNTENCLR_EL0 are one register \(the same storage\); give one of them$/,
    );
  });
  test('a name and its encoding are one register', () => {
    assertError(
      { ...BASE, regs: { MDCR_EL2: '0x1', S3_4_C1_C1_1: '0x2' } },
      /^regs: MDCR_EL2 is given twice; give it once$/,
    );
  });
});

describe('pmup batch: every line answered, then exit 2 if any was an error', () => {
  const good = JSON.stringify({ id: 'g', cpu: 'neoverse-n2', steps: [{ el: 2, read: 'PMCR_EL0' }] });
  const bad = JSON.stringify({
    id: 'b',
    cpu: 'neoverse-n2',
    steps: [{ el: 1, read: 'PMCR_EL0', value: '0x1' }],
  });
  const batch = (input: string) =>
    spawnSync(process.execPath, ['dist/cli/main.js', 'batch'], { input, encoding: 'utf8' });
  test('all good: exit 0', () => {
    const r = batch(`${good}\n${good}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 2);
  });
  test('one bad line among good ones: each answered in order, exit 2', () => {
    const r = batch(`${good}\n${bad}\n${good}\n`);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, '');
    const ids = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; error?: string });
    assert.deepEqual(
      ids.map((a) => [a.id, a.error !== undefined]),
      [
        ['g', false],
        ['b', true],
        ['g', false],
      ],
    );
  });
});
