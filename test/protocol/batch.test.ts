// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { answerLine } from '../../src/protocol/batch.js';

function answer(req: object | string): Record<string, unknown> {
  return JSON.parse(answerLine(typeof req === 'string' ? req : JSON.stringify(req)));
}

describe('architecture requests', () => {
  test('the guest reads PMCR_EL0.N = HPMN, EL2 reads N (Arm ARM D24.5.8 PMCR_EL0.N)', () => {
    // neoverse-n2: N = 6 (cpus.ts). MDCR_EL2.HPMN = 4. N is PMCR_EL0[15:11].
    const a = answer({
      id: 'n',
      cpu: 'neoverse-n2',
      regs: { MDCR_EL2: '0x4' },
      steps: [
        { el: 1, read: 'PMCR_EL0' },
        { el: 2, read: 'PMCR_EL0' },
      ],
    });
    assert.deepEqual(a['results'], [
      { outcome: 'ok', value: `0x${(4 << 11).toString(16)}` },
      { outcome: 'ok', value: `0x${(6 << 11).toString(16)}` },
    ]);
  });
  test('guest PMCNTENCLR of all ones keeps the EL2 counters enables (D24.5.6: bits >= HPMN RAZ/WI at EL1)', () => {
    const a = answer({
      id: 1,
      cpu: 'neoverse-n2',
      regs: { MDCR_EL2: '0x84', PMCNTENSET_EL0: '0x8000003f' },
      steps: [{ el: 1, write: 'PMCNTENCLR_EL0', value: '0xffffffffffffffff' }],
      final: ['PMCNTENSET_EL0'],
    });
    // Bits 0..3 and C (31) cleared; bits 4, 5 (second range) kept.
    assert.deepEqual(a['final'], { PMCNTENSET_EL0: '0x30' });
  });
  test('counting: 1000 INST_RETIRED at EL1 on a first-range counter (J1.3 CountPMUEvents)', () => {
    const a = answer({
      id: 'c',
      cpu: 'neoverse-n2',
      regs: {
        MDCR_EL2: '0x84',
        PMCR_EL0: '0x1',
        PMCNTENSET_EL0: '0x11',
        PMEVTYPER0_EL0: '0x8',
        PMEVTYPER4_EL0: '0x8',
      },
      steps: [{ count: { event: '0x08', el: 1, times: 1000 } }],
      final: ['PMEVCNTR0_EL0', 'PMEVCNTR4_EL0'],
    });
    // Counter 4 is in the second range and counts too: MDCR_EL2.HPME = 1 (D13.5.1.1 Table D13-4).
    assert.deepEqual(a['final'], { PMEVCNTR0_EL0: '0x3e8', PMEVCNTR4_EL0: '0x3e8' });
  });
  test('times may be a decimal string up to 2^64 (batch counting)', () => {
    const a = answer({
      id: 'big',
      cpu: 'neoverse-n2',
      regs: { MDCR_EL2: '0x86', PMCR_EL0: '0x81', PMCNTENSET_EL0: '0x1', PMEVTYPER0_EL0: '0x8' },
      steps: [{ count: { event: '0x08', el: 1, times: String(2n ** 40n) } }],
      final: ['PMEVCNTR0_EL0', 'PMOVSSET_EL0'],
    });
    // PMCR_EL0.LP = 1 (bit 7): 64-bit overflow, so 2^40 occurrences leave 2^40 and no overflow.
    assert.deepEqual(a['final'], { PMEVCNTR0_EL0: '0x10000000000', PMOVSSET_EL0: '0x0' });
  });
  test('a reserved HPMN makes guest PMCR_EL0.N UNKNOWN bits, and a choice resolves it', () => {
    // neoverse-n2 has no FEAT_HPMN0: HPMN = 0 is reserved (D24.3.17). EL1 reads of PMCR_EL0.N
    // [15:11] return the Effective HPMN (D24.5.8): 0 ("all counters in the second range") or
    // 1..6. 0b000..0b110 differ in N's three low bits: unknown 0x3800, and those bits read 0.
    const req = {
      id: 'r',
      cpu: 'neoverse-n2',
      regs: { MDCR_EL2: '0x0' },
      steps: [{ el: 1, read: 'PMCR_EL0' }],
    };
    const a = answer(req);
    assert.deepEqual(a['results'], [{ outcome: 'ok', value: '0x0', unknown: '0x3800', met: ['RES_HPMN'] }]);
    const b = answer({ ...req, choose: { RES_HPMN: 'hpmn-2' } });
    assert.deepEqual(b['results'], [
      { outcome: 'ok', value: `0x${(2 << 11).toString(16)}`, unpredictable: 'RES_HPMN' },
    ]);
  });
  test('a register the CPU lacks is not a request error: PMEVCNTR10_EL0 with N = 6', () => {
    const a = answer({ id: 'u', cpu: 'neoverse-n2', steps: [{ el: 2, read: 'PMEVCNTR10_EL0' }] });
    // Without FEAT_FGT, n >= N is CONSTRAINED UNPREDICTABLE (D24.5.10).
    assert.equal((a['results'] as { outcome: string }[])[0]!.outcome, 'unpredictable');
  });
});

describe('CONSTRAINED UNPREDICTABLE as a set of behaviours (docs/protocol.md)', () => {
  test('HPMN = 3 > N = 2 with PMCR_EL0.E and HPME 1: both counters count 100 under every behaviour', () => {
    // D24.3.17: as if HPMN were 1 or 2, or all counters in the second range. Each range is enabled
    // (E, HPME; D13.1.1), PMEVTYPER<n>_EL0 0x8 counts INST_RETIRED at EL1 with no filter bits.
    const a = answer({
      cpu: { pmuVer: 'PMUv3p1', n: 2, features: ['FEAT_FGT'] },
      regs: {
        MDCR_EL2: '0x83',
        PMCR_EL0: '0x41',
        PMCNTENSET_EL0: '0x3',
        PMEVTYPER0_EL0: '0x8',
        PMEVTYPER1_EL0: '0x8',
      },
      steps: [{ count: { event: '0x08', el: 1, times: 100 } }],
      final: ['PMEVCNTR0_EL0', 'PMEVCNTR1_EL0'],
    });
    assert.deepEqual(a['results'], [{ outcome: 'ok', met: ['RES_HPMN'] }]);
    assert.deepEqual(a['final'], { PMEVCNTR0_EL0: '0x64', PMEVCNTR1_EL0: '0x64' });
    assert.equal(a['unresolved'], undefined);
  });
  test("QEMU's max shape, HPMN 0 without FEAT_HPMN0: EL1 PMEVTYPER6_EL0 is PMUEVENTCOUNTER (D24.5.12)", () => {
    // The accessor checks m >= GetNumEventCountersSelfHosted() (6) before anything reads HPMN.
    const a = answer({
      cpu: { pmuVer: 'PMUv3p5', n: 6, features: [] },
      regs: { MDCR_EL2: '0x80' },
      steps: [{ el: 1, read: 'PMEVTYPER6_EL0' }],
    });
    const r = (a['results'] as Record<string, unknown>[])[0]!;
    assert.equal(r['outcome'], 'unpredictable');
    assert.equal(r['rule'], 'PMUEVENTCOUNTER');
    assert.ok((r['allowed'] as string[]).includes('undefined'));
    assert.ok(!(r['allowed'] as string[]).includes('trap-el2'));
    const outcomes = r['outcomes'] as { outcome: string; value?: string; behaviours: object[] }[];
    assert.deepEqual(
      outcomes.map((o) => [o.outcome, o.value]),
      [
        ['undefined', undefined],
        ['ok', '0x0'],
        ['ok', undefined],
      ],
    );
    assert.deepEqual(outcomes[0]!.behaviours, [{ PMUEVENTCOUNTER: 'undefined' }]);
  });
  test('EL1 PMCNTENSET_EL0 with HPMN 3 > N = 2: ok 0x80000000, unknown 0x3 (D24.5.7 P<m>)', () => {
    const a = answer({
      cpu: { pmuVer: 'PMUv3p1', n: 2, features: ['FEAT_FGT'] },
      regs: { MDCR_EL2: '0x3', PMCR_EL0: '0x41', PMCNTENSET_EL0: '0x80000003' },
      steps: [{ el: 1, read: 'PMCNTENSET_EL0' }],
    });
    assert.deepEqual(a['results'], [
      { outcome: 'ok', value: '0x80000000', unknown: '0x3', met: ['RES_HPMN'] },
    ]);
  });
  test('a step whose behaviours leave different states is listed in "unresolved"; later steps see no change', () => {
    // EL1 PMCR_EL0.P = 1 zeroes the counters below the Effective HPMN (D24.5.8 P): none, or 0..k-1.
    const a = answer({
      cpu: { pmuVer: 'PMUv3p5', n: 2, features: ['FEAT_FGT'] },
      regs: { MDCR_EL2: '0x1f', PMEVCNTR0_EL0: '0x5', PMEVCNTR1_EL0: '0x7' },
      steps: [
        { el: 1, write: 'PMCR_EL0', value: '0x2' },
        { el: 2, read: 'PMEVCNTR0_EL0' },
      ],
      final: ['PMEVCNTR1_EL0'],
    });
    const results = a['results'] as Record<string, unknown>[];
    assert.equal(results[0]!['outcome'], 'unpredictable');
    assert.deepEqual(
      (results[0]!['outcomes'] as { behaviours: object[]; changes: object }[]).map((o) => [
        o.behaviours,
        o.changes,
      ]),
      [
        [[{ RES_HPMN: 'all-second-range' }], {}],
        [[{ RES_HPMN: 'hpmn-1' }], { PMEVCNTR0_EL0: '0x0' }],
        [[{ RES_HPMN: 'hpmn-2' }], { PMEVCNTR0_EL0: '0x0', PMEVCNTR1_EL0: '0x0' }],
      ],
    );
    assert.deepEqual(results[1], { outcome: 'ok', value: '0x5' });
    assert.deepEqual(a['unresolved'], [0]);
  });
  test('a choice follows one behaviour through the request', () => {
    const a = answer({
      cpu: { pmuVer: 'PMUv3p5', n: 2, features: ['FEAT_FGT'] },
      regs: { MDCR_EL2: '0x1f', PMEVCNTR0_EL0: '0x5', PMEVCNTR1_EL0: '0x7' },
      choose: { RES_HPMN: 'hpmn-1' },
      steps: [{ el: 1, write: 'PMCR_EL0', value: '0x2' }],
      final: ['PMEVCNTR0_EL0', 'PMEVCNTR1_EL0'],
    });
    assert.deepEqual(a['results'], [{ outcome: 'ok', unpredictable: 'RES_HPMN' }]);
    assert.deepEqual(a['final'], { PMEVCNTR0_EL0: '0x0', PMEVCNTR1_EL0: '0x7' });
    assert.equal(a['unresolved'], undefined);
  });
});

describe('bad input: one {"id", "error"} line each', () => {
  const cases: [string, string | object, RegExp][] = [
    ['malformed JSON', '{"id": 1,', /malformed JSON/],
    [
      'unknown register',
      { id: 1, cpu: 'neoverse-n2', steps: [{ el: 1, read: 'PMFOO_EL0' }] },
      /Unknown register/,
    ],
    [
      'EL outside 0..2',
      { id: 2, cpu: 'neoverse-n2', steps: [{ el: 3, read: 'PMCR_EL0' }] },
      /"el" must be 0, 1 or 2/,
    ],
    [
      'value wider than the register',
      { id: 3, cpu: 'neoverse-n2', steps: [{ el: 1, write: 'PMCR_EL0', value: '0x1ffffffffffffffff' }] },
      /wider than 64 bits/,
    ],
    [
      'negative times',
      { id: 4, cpu: 'neoverse-n2', steps: [{ count: { event: '0x8', el: 1, times: -1 } }] },
      /non-negative integer/,
    ],
    [
      'non-integer times',
      { id: 5, cpu: 'neoverse-n2', steps: [{ count: { event: '0x8', el: 1, times: 1.5 } }] },
      /non-negative integer/,
    ],
    ['unknown CPU', { id: 6, cpu: 'cortex-z1', steps: [] }, /cortex-z1/],
    ['unknown rule', { id: 7, cpu: 'neoverse-n2', choose: { NOPE: 'x' } }, /unknown rule/],
    ['final without storage', { id: 8, cpu: 'neoverse-n2', final: ['PMSWINC_EL0'] }, /no state of its own/],
  ];
  for (const [what, req, message] of cases) {
    test(what, () => {
      const line = answerLine(typeof req === 'string' ? req : JSON.stringify(req));
      assert.equal(line.includes('\n'), false);
      const a = JSON.parse(line);
      assert.deepEqual(Object.keys(a).sort(), ['error', 'id']);
      assert.match(a.error, message);
      if (typeof req !== 'string') assert.equal(a.id, (req as { id: unknown }).id);
    });
  }
});

describe('pmup batch (built binary)', () => {
  test('answers every line in order and goes on after bad lines', () => {
    const input = [
      JSON.stringify({
        id: 'a',
        cpu: 'neoverse-n2',
        regs: { MDCR_EL2: '0x4' },
        steps: [{ el: 1, read: 'PMCR_EL0' }],
      }),
      'not json',
      '',
      '# a comment',
      JSON.stringify({
        id: 'b',
        policy: 'review',
        inputs: {
          nrPmuCounters: 4,
          armPmu: true,
          hpmnMax: 4,
          hostCounters: 6,
          partitioned: true,
          useFgt: true,
          hasHpmn0: false,
          pmuVer: 'PMUv3p5',
          onUnsupportedCpu: false,
          guestDebug: false,
        },
      }),
    ].join('\n');
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'batch'], { input, encoding: 'utf8' });
    // Every line is answered; the malformed one makes the exit status 2 (docs/protocol.md).
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.equal(lines[0].id, 'a');
    assert.equal(lines[1].id, null);
    assert.match(lines[1].error, /malformed JSON/);
    assert.equal(lines[2].id, 'b');
    assert.equal(lines[2].hpmn, 4);
  });
  test('a missing file is one line on stderr and exit 2', () => {
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'batch', '/nonexistent/file.jsonl'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });
});
