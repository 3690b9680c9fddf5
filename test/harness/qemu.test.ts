// SPDX-License-Identifier: MIT
// The QEMU harness without QEMU: the generated program, the UART lines, the ESR decoding and the
// comparison with CONSTRAINED UNPREDICTABLE sets. Values: ESR_ELx EC [31:26], IL [25], ISS [24:0]
// (D24.2.45); EC 0x18 trapped MSR/MRS with ISS Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
// Rt [9:5], CRm [4:1], Direction [0] (1 = read), D24.2.46; PMCR_EL0 is op0 3 op1 3 CRn 9 CRm 12
// op2 0 (D24.5.8). The runs on QEMU itself are `npm run test:qemu`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { lookupCpu } from '../../src/arch/cpus.js';
import { runPmup } from '../../src/cli/pmup.js';
import { compareScenario } from '../../src/harness/qemu/compare.js';
import { classify, type Divergence, loadDivergences } from '../../src/harness/qemu/divergences.js';
import { generateProgram, observedInsns, SENTINEL } from '../../src/harness/qemu/generate.js';
import { parseUart, type QemuRecord, recordObservation } from '../../src/harness/qemu/qemu.js';
import { parseScenarioFile } from '../../src/scenario/schema.js';

const A57 = lookupCpu('qemu-virt-cortex-a57');
const FILE = `{"cpus": ["qemu-virt-cortex-a57"], "scenarios": [{"name": "s",
  "el2": {"MDCR_EL2": "0x82"},
  "before": [{"msr": "PMEVCNTR3_EL0", "value": "0x1003"}],
  "guest": [{"mrs": "PMCR_EL0", "as": "pmcr"}, {"mrs": "PMEVCNTR3_EL0", "as": "c3"}, {"isb": true}, {"loop": 10}]}]}`;
const S = parseScenarioFile(FILE, 'f.json').scenarios[0]!;

// ISS of an EL1 MRS x0, PMCR_EL0 trapped: Op0 3, Op2 0, Op1 3, CRn 9, Rt 0, CRm 12, read.
const PMCR_READ_ISS = (3 << 20) | (0 << 17) | (3 << 14) | (9 << 10) | (0 << 5) | (12 << 1) | 1;

describe('the generated program', () => {
  const asm = generateProgram([S], A57);
  test('boots at EL2 with vectors at EL1 and EL2, ERETs to EL1 and returns by HVC', () => {
    for (const s of [
      'msr     vbar_el2, x0',
      'msr     vbar_el1, x0',
      'eret',
      'hvc     #0',
      'hlt     #0xf000',
    ]) {
      assert.ok(asm.includes(s), s);
    }
  });
  test('each register by its generic encoding; the loop is mov + subs/b.ne', () => {
    assert.ok(asm.includes('mrs     x0, S3_3_C9_C12_0'), 'PMCR_EL0 = S3_3_C9_C12_0');
    assert.ok(
      asm.includes('mrs     x0, S3_3_C14_C8_3'),
      'PMEVCNTR3_EL0 = S3_3_C14_C8_3 (CRm 0b10:n[4:3], op2 n[2:0])',
    );
    assert.ok(asm.includes('mov     x9, #10'));
  });
  test('an EL0 program is entered by ERET from EL1 and left by SVC', () => {
    const el0 = parseScenarioFile(
      '{"cpus": ["qemu-virt-cortex-a57"], "scenarios": [{"name": "e", "guest": [], "el0": [{"mrs": "PMCR_EL0"}]}]}',
      'f.json',
    ).scenarios[0]!;
    const text = generateProgram([el0], A57);
    assert.ok(text.includes('msr     spsr_el1, x0'));
    assert.ok(text.includes('svc     #0'));
    assert.ok(!asm.includes('svc     #0'), 'no EL0 part without an el0 program');
  });
  test('the reset clears every PMEVTYPER<n>_EL0 of the CPU and sets HPMN = N', () => {
    assert.ok(asm.includes('pmevtyper5_el0'));
    assert.ok(!asm.includes('pmevtyper6_el0'));
    assert.ok(asm.includes('ldr     x0, =0x6\n        msr     mdcr_el2, x0'));
  });
});

describe('UART lines and records', () => {
  const line = (j: number, el: number, esr: bigint, xt: bigint) =>
    `O ${[0n, BigInt(j), BigInt(el), esr, xt].map((v) => v.toString(16).padStart(16, '0')).join(' ')}`;
  test('one O line per MRS/MSR, then D', () => {
    const n = observedInsns(S).length;
    assert.equal(n, 4);
    const text = [
      'S 0000000000000000',
      ...Array.from({ length: n }, (_, j) => line(j, 0, 0n, BigInt(j))),
      'D',
      '',
    ].join('\n');
    const recs = parseUart(text, [S]);
    assert.deepEqual(
      recs[0]!.map((r) => r.xt),
      [0n, 1n, 2n, 3n],
    );
  });
  test('a missing D, a missing line or a stray exception is a harness error', () => {
    assert.throws(() => parseUart('S 0\n', [S]), /did not finish/);
    assert.throws(() => parseUart('D\n', [S]), /0 observations printed, 4 expected/);
    assert.throws(() => parseUart('X 0000000000000400\nD\n', [S]), /unexpected exception/);
  });
  test('ESR decoding: EC 0x00 is UNDEFINED, EC 0x18 a trap with the ISS; the sentinel is a NOP read', () => {
    assert.deepEqual(recordObservation({ el: 1, esr: 0x2000000n, xt: 0n }, true), { kind: 'undefined' });
    const esr = (0x18n << 26n) | (1n << 25n) | BigInt(PMCR_READ_ISS);
    assert.deepEqual(recordObservation({ el: 2, esr, xt: 0n }, true), {
      kind: 'trap',
      toEl: 2,
      ec: 0x18,
      iss: PMCR_READ_ISS,
    });
    assert.deepEqual(recordObservation({ el: 0, esr: 0n, xt: SENTINEL }, true), { kind: 'nop' });
    assert.deepEqual(recordObservation({ el: 0, esr: 0n, xt: 5n }, false), { kind: 'done' });
  });
});

describe('comparison', () => {
  const ok = (xt: bigint): QemuRecord => ({ el: 0, esr: 0n, xt });
  // MSR MDCR_EL2, MSR PMEVCNTR3_EL0 at EL2, then the guest's reads.
  const base = [ok(0x82n), ok(0x1003n)];
  const entry: Divergence = {
    id: 'x',
    kind: 'qemu',
    register: 'PMEVCNTR<n>_EL0',
    rule: 'r',
    armArm: 'a',
    qemuCode: 'q',
    changedIn: 'c',
    scenarios: ['s'],
    labels: ['c3'],
  };
  test('PMCR_EL0 from EL1 with HPMN = 2 agrees at N = 2 (D24.5.8 N)', () => {
    const c = compareScenario(S, A57, [...base, ok(0x41011000n), ok(0n)], []);
    assert.equal(c.verdicts.find((v) => v.label === 'pmcr')!.status, 'agree');
  });
  test('PMEVCNTR3_EL0 from EL1 without FEAT_FGT: RAZ is one of the permitted outcomes, with its behaviour', () => {
    const c = compareScenario(S, A57, [...base, ok(0x41011000n), ok(0n)], []);
    const v = c.verdicts.find((x) => x.label === 'c3')!;
    assert.equal(v.status, 'permitted');
    assert.ok(v.behaviours.some((b) => b.PMUEVENTCOUNTER === 'raz-wi'));
  });
  test('reading counter 3 itself is no permitted outcome: a disagreement, classified by a matching entry', () => {
    const c = compareScenario(S, A57, [...base, ok(0x41011000n), ok(0x1003n)], [entry]);
    const v = c.verdicts.find((x) => x.label === 'c3')!;
    assert.equal(v.status, 'disagree');
    assert.deepEqual(
      v.classified.map((d) => d.id),
      ['x'],
    );
    assert.deepEqual(classify([entry], 's', 'pmcr', A57.name), []);
  });
  test('the classification file loads', () => {
    const d = loadDivergences();
    assert.ok(Array.isArray(d));
  });
});

describe('the documentation', () => {
  test('docs/qemu-divergences.md has a section for every entry of harness/qemu/divergences.json', () => {
    const doc = readFileSync(new URL('../../docs/qemu-divergences.md', import.meta.url), 'utf8');
    for (const d of loadDivergences()) assert.ok(doc.includes(`### ${d.id} (${d.kind})`), d.id);
  });
});

describe('pmup qemu without QEMU', () => {
  test('says what to install, in one line, exit 2', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      const r = runPmup(['qemu', 'scenarios/hpmn.json']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        'pmup: qemu: needs qemu-system-arm, gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu ' +
          '(apt-get install qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)\n',
      );
    } finally {
      process.env['PATH'] = path;
    }
  });
});
