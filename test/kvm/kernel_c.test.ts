// SPDX-License-Identifier: MIT
// src/kvm/kernel_c/: reading patches and mail, finding the policy functions, the grid, and the
// fixtures of our own (test/fixtures/kernel/, MIT) compiled and judged, each against the bug its
// header documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { InputError } from '../../src/arch/errors.js';
import { compareWithPolicy } from '../../src/kvm/kernel_c/compare.js';
import { setupBody } from '../../src/kvm/kernel_c/extract.js';
import { GRID_AXES, GRID_SIZE, gridIndex, gridInputs } from '../../src/kvm/kernel_c/grid.js';
import { judge, type RuleVerdict } from '../../src/kvm/kernel_c/judge.js';
import { loadKernelCode } from '../../src/kvm/kernel_c/load.js';
import { planDriver } from '../../src/kvm/kernel_c/plan.js';
import { compiledPolicy } from '../../src/kvm/kernel_c/policy.js';
import { runDriver } from '../../src/kvm/kernel_c/run.js';
import { viewsOfText } from '../../src/kvm/kernel_c/source.js';
import { STUBBED_SYMBOLS, stubsHeader } from '../../src/kvm/kernel_c/stubs.js';
import { INPUT_DEFAULTS, lookupPolicy, type PolicyInputs } from '../../src/kvm/policy.js';
import { fixture, lineOf, needsCompiler } from './kernel_c_helpers.js';

const PATCH = `Subject: [PATCH] an example of our own

diff --git a/arch/arm64/kvm/pmu-direct.c b/arch/arm64/kvm/pmu-direct.c
--- a/arch/arm64/kvm/pmu-direct.c
+++ b/arch/arm64/kvm/pmu-direct.c
@@ -1,5 +1,6 @@
 u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)
 {
-	return 0;
+	u8 n = vcpu->kvm->arch.nr_pmu_counters;
+	return n;
 }
 
-- 
2.0
`;

describe('reading a patch: the new side of each hunk', () => {
  test('context and added lines, never removed ones, each with its line in the file', () => {
    const views = viewsOfText('x.patch', PATCH);
    const diff = views.find((v) => v.kind === 'new-side');
    assert.equal(diff?.path, 'arch/arm64/kvm/pmu-direct.c');
    // The hunk (-1,5 +1,6): 3 context lines, 2 added, 1 removed, then the blank context line.
    assert.deepEqual(
      diff?.lines.map((l) => [l.line, l.text]),
      [
        [7, 'u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)'],
        [8, '{'],
        [10, '\tu8 n = vcpu->kvm->arch.nr_pmu_counters;'],
        [11, '\treturn n;'],
        [12, '}'],
        [13, ''],
      ],
    );
    // The signature "-- " after the hunk is mail text, not code of the diff.
    assert.ok(views.find((v) => v.kind === 'text')?.lines.some((l) => l.text === '-- '));
  });

  test('a hunk quoted in a reply ("> ", "> > ") is read the same way', () => {
    const quoted = PATCH.split('\n')
      .map((l) => `> > ${l}`)
      .join('\n');
    const plan = planDriver(viewsOfText('reply.txt', `I agree.\n${quoted}`), ['reply.txt']);
    assert.equal(plan.primaryHpmn, 'kvm_pmu_hpmn');
    assert.equal(plan.hpmn[0]?.line, 8);
    assert.deepEqual(
      plan.hpmn[0]?.body.map((l) => l.text),
      ['\tu8 n = vcpu->kvm->arch.nr_pmu_counters;', '\treturn n;'],
    );
  });

  test('a C file is read whole', () => {
    const views = viewsOfText('a.c', 'u8 kvm_mdcr_hpmn(struct kvm_vcpu *vcpu)\n{\n\treturn 1;\n}\n');
    assert.deepEqual(
      views.map((v) => v.kind),
      ['c'],
    );
    assert.equal(planDriver(views, ['a.c']).primaryHpmn, 'kvm_mdcr_hpmn');
  });
});

describe('finding the functions', () => {
  test('the fixture mbox: the header stub passed over, the setup cut at its debug tail, the reply read', () => {
    const file = fixture('reply.mbox');
    const text = readFileSync(file, 'utf8');
    const plan = planDriver(viewsOfText(file, text), [file]);
    assert.equal(plan.hpmn[0]?.line, lineOf(text, '> +u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)'));
    assert.equal(plan.hpmn[1]?.line, lineOf(text, 'u8 kvm_mdcr_hpmn(struct kvm_vcpu *vcpu)'));
    const choice = plan.choices.find((c) => c.chosen.fn.name === 'kvm_pmu_hpmn');
    assert.deepEqual(
      choice?.ignored.map((i) => [i.found.line, i.why]),
      [[lineOf(text, '> +static inline u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)'), 'a header stub']],
    );
    assert.ok(plan.setup !== undefined && !plan.setup.complete);
    const { body, tail } = setupBody(plan.setup);
    assert.equal(tail, true);
    assert.equal(body[body.length - 1]?.text, '');
    assert.ok(!body.some((l) => l.text.includes('guest_debug')), 'the cut hunk stops before the debug tail');
    // kvm_arm_setup_mdcr_el2() calls kvm_pmu_hpmn(): that HPMN counts, unless --function says otherwise.
    assert.equal(plan.primaryHpmn, 'kvm_pmu_hpmn');
    const review = planDriver(viewsOfText(file, text), [file], 'kvm_mdcr_hpmn');
    assert.equal(review.primaryHpmn, 'kvm_mdcr_hpmn');
    assert.deepEqual(review.redirect, ['kvm_pmu_hpmn']);
  });

  test("a function only a header's static inline stub defines is passed over, not compiled", () => {
    const patch = [
      'diff --git a/include/kvm/arm_pmu.h b/include/kvm/arm_pmu.h',
      '--- a/include/kvm/arm_pmu.h',
      '+++ b/include/kvm/arm_pmu.h',
      '@@ -1,0 +1,4 @@',
      '+static inline u8 kvm_pmu_guest_num_counters(struct kvm_vcpu *vcpu)',
      '+{',
      '+\treturn 0;',
      '+}',
      'diff --git a/arch/arm64/kvm/pmu-direct.c b/arch/arm64/kvm/pmu-direct.c',
      '--- a/arch/arm64/kvm/pmu-direct.c',
      '+++ b/arch/arm64/kvm/pmu-direct.c',
      '@@ -1,0 +1,4 @@',
      '+u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)',
      '+{',
      '+\treturn 1;',
      '+}',
    ].join('\n');
    const plan = planDriver(viewsOfText('p.patch', patch), ['p.patch']);
    assert.equal(plan.guest, undefined);
    assert.deepEqual(
      plan.headerOnly.map((f) => [f.fn.name, f.line]),
      [['kvm_pmu_guest_num_counters', 5]],
    );
    assert.equal(plan.primaryHpmn, 'kvm_pmu_hpmn');
  });

  test('a setup cut short before its debug tail, or no function at all: one-line InputErrors', () => {
    const cut =
      'diff --git a/d.c b/d.c\n--- a/d.c\n+++ b/d.c\n@@ -0,0 +1,9 @@\n+static void kvm_arm_setup_mdcr_el2(struct kvm_vcpu *vcpu)\n+{\n+\tpreempt_disable();\n';
    const plan = planDriver(viewsOfText('cut.patch', cut), ['cut.patch']);
    assert.throws(
      () => setupBody(plan.setup!),
      (e: unknown) =>
        e instanceof InputError && /cut off at line 7 .*give the whole function$/.test(e.message),
    );
    assert.throws(
      () => planDriver(viewsOfText('n.c', 'int x;\n'), ['n.c']),
      (e: unknown) =>
        e instanceof InputError && /^kernel: none of kvm_pmu_guest_num_counters\(\)/.test(e.message),
    );
    assert.throws(
      () => planDriver(viewsOfText('n.c', 'u8 kvm_pmu_hpmn(struct kvm *kvm)\n{\n\treturn 0;\n}\n'), ['n.c']),
      (e: unknown) => e instanceof InputError && /takes \(struct kvm \*kvm\)/.test(e.message),
    );
  });
});

describe('the stubs', () => {
  test('every symbol STUBBED_SYMBOLS lists is in the header; the masks come from the catalogue', () => {
    const h = stubsHeader();
    for (const name of Object.keys(STUBBED_SYMBOLS)) {
      // The last C name of the entry: nr_pmu_counters of kvm->arch.nr_pmu_counters, MDCR_EL2_ of MDCR_EL2_*.
      const ident = name.match(/\w+/g)?.at(-1) ?? name;
      assert.ok(h.includes(ident), name);
    }
    // MDCR_EL2.HPMN is bits [4:0], TPM bit 6, HPME bit 7, HPMD bit 17 (Arm ARM D24.3.17).
    assert.match(h, /^#define MDCR_EL2_HPMN 0x1fULL$/m);
    assert.match(h, /^#define MDCR_EL2_TPM 0x40ULL$/m);
    assert.match(h, /^#define MDCR_EL2_HPME 0x80ULL$/m);
    assert.match(h, /^#define MDCR_EL2_HPMD 0x20000ULL$/m);
    // ID_AA64DFR0_EL1.PMUVer: 0b0100 is PMUv3p1, 0b0110 PMUv3p5, 0b1111 IMPLEMENTATION DEFINED (D24.2.80).
    assert.match(h, /^#define ID_AA64DFR0_EL1_PMUVer_V3P1 4$/m);
    assert.match(h, /^#define ID_AA64DFR0_EL1_PMUVer_V3P5 6$/m);
    assert.match(h, /^#define ID_AA64DFR0_EL1_PMUVer_IMP_DEF 15$/m);
  });
});

describe('the policy input grid', () => {
  test('345,600 inputs: 10 x 10 x 9 counts, 7 switches, 3 PMU versions; gridIndex() inverts the order', () => {
    assert.equal(GRID_SIZE, 10 * 10 * 9 * 2 ** 7 * 3);
    assert.equal(GRID_AXES.pmuVer.length, 3);
    const g = gridInputs();
    assert.equal(g.length, GRID_SIZE);
    for (const k of [0, 1, 12345, 200_000, GRID_SIZE - 1]) assert.equal(gridIndex(g[k]!), k);
    const first = g[0]!;
    assert.equal(gridIndex({ ...first, hostCounters: 9 }), -1);
    assert.equal(gridIndex({ ...first, hasFgt2: !INPUT_DEFAULTS.hasFgt2 }), -1);
  });
});

/** The inputs the fixture headers name, with every other switch off. */
function minimal(o: Partial<PolicyInputs>): PolicyInputs {
  return {
    ...gridInputs()[0]!,
    ...o,
  };
}

function verdict(vs: readonly RuleVerdict[], code: RuleVerdict['code']): RuleVerdict {
  const v = vs.find((x) => x.code === code);
  assert.ok(v !== undefined);
  return v;
}

/** Compiles a fixture, runs the grid, and hands the driver, results and inputs to `f`. */
function withFixture(
  name: string,
  f: (d: ReturnType<typeof loadKernelCode>, r: ReturnType<typeof runDriver>, g: PolicyInputs[]) => void,
  fn?: string,
): void {
  const d = loadKernelCode({ files: [fixture(name)], ...(fn === undefined ? {} : { function: fn }) });
  try {
    const g = gridInputs();
    f(d, runDriver(d, g), g);
  } finally {
    d.dispose();
  }
}

describe('the fixtures, compiled: each documented bug found with its minimal inputs', () => {
  test('v5-clamp.patch agrees with v5; hpmn_max = 0 shrinks the guest to 0, hpmn_max on a smaller CPU is reserved', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('v5-clamp.patch', (d, r, g) => {
      assert.equal(compareWithPolicy(d, r, g, lookupPolicy('v5')).differing, 0);
      const vs = judge(d, r, g);
      // Bug 1: every counter reserved for the host (hpmn_max = 0); one counter asked for, 0 shown.
      const guest = verdict(vs, 'guest-pmcr-n').minimal;
      assert.deepEqual(
        guest?.inputs,
        minimal({ nrPmuCounters: 1, hpmnMax: 0, hostCounters: 1, partitioned: true }),
      );
      assert.equal(guest?.values.guestPmcrN, 0);
      // Bug 2: 0 asked for without FEAT_HPMN0: HPMN = hpmn_max = 2 on a CPU with one counter,
      // reserved (Arm ARM D24.3.17: values above PMCR_EL0.N are reserved).
      const reserved = verdict(vs, 'hpmn-reserved').minimal;
      assert.deepEqual(
        reserved?.inputs,
        minimal({ nrPmuCounters: 0, hpmnMax: 2, hostCounters: 1, partitioned: true }),
      );
      assert.equal(reserved?.message, 'MDCR_EL2.HPMN = 2 on a CPU with N = 1');
      assert.equal(verdict(vs, 'host-counters-in-first-range').violated, 0);
    });
  });

  test('hpmn-before-flag.patch agrees with v6 on HPMN; reserved HPMN on a smaller CPU, host counters in range at nr = 0', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('hpmn-before-flag.patch', (d, r, g) => {
      const c = compareWithPolicy(d, r, g, lookupPolicy('v6'));
      assert.deepEqual(c.compared, ['hpmn']);
      assert.equal(c.differing, 0);
      const vs = judge(d, r, g);
      assert.equal(verdict(vs, 'guest-pmcr-n').applies, false, 'no kvm_pmu_guest_num_counters() to judge');
      const reserved = verdict(vs, 'hpmn-reserved').minimal;
      assert.deepEqual(
        reserved?.inputs,
        minimal({ nrPmuCounters: 2, hpmnMax: 0, hostCounters: 1, partitioned: true }),
      );
      assert.equal(reserved?.message, 'MDCR_EL2.HPMN = 2 on a CPU with N = 1');
      const host = verdict(vs, 'host-counters-in-first-range').minimal;
      assert.deepEqual(
        host?.inputs,
        minimal({ nrPmuCounters: 0, hpmnMax: 1, hostCounters: 2, partitioned: true }),
      );
      assert.equal(
        host?.message,
        "MDCR_EL2.HPMN = 2 puts host counter 1 (hpmn_max = 1) in the guest's range",
      );
    });
  });

  test('v8-open-coded.patch agrees with v8 on MDCR_EL2; the stale flag and HPMN = N before GUEST_OWNED found', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('v8-open-coded.patch', (d, r, g) => {
      assert.equal(d.plan.primaryHpmn, undefined, 'HPMN is open-coded in kvm_arm_setup_mdcr_el2()');
      const c = compareWithPolicy(d, r, g, lookupPolicy('v8'));
      assert.deepEqual(c.compared, ['mdcrEl2']);
      assert.equal(c.differing, 0);
      const vs = judge(d, r, g);
      const reserved = verdict(vs, 'hpmn-reserved').minimal;
      assert.deepEqual(
        reserved?.inputs,
        minimal({ nrPmuCounters: 2, hpmnMax: 0, hostCounters: 1, partitioned: true, useFgt: true }),
      );
      assert.equal(reserved?.message, 'MDCR_EL2.HPMN = 2 on a CPU with N = 1');
      const host = verdict(vs, 'host-counters-in-first-range').minimal;
      assert.deepEqual(
        host?.inputs,
        minimal({ nrPmuCounters: 0, hpmnMax: 1, hostCounters: 2, partitioned: true }),
      );
    });
  });

  test('mid-hunk.patch: a hunk that starts inside kvm_arm_setup_mdcr_el2(); v8 without GUEST_OWNED', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('mid-hunk.patch', (d, r, g) => {
      assert.equal(d.plan.setup?.startsInside, true);
      assert.match(
        d.plan.setup?.signature ?? '',
        /^static void kvm_arm_setup_mdcr_el2\(struct kvm_vcpu \*vcpu\)$/,
      );
      // The fixture hands HPMN over where v8 15/21's GUEST_OWNED term (useFgt here) would not:
      // partitioned, useFgt false, a supported CPU, FEAT_HPMN0 or nr > 0. Over the grid that is
      // (10 nr with HPMN0 + 9 without) x 10 hpmn_max x 9 N x 2 arm_pmu x 3 PMUVer x 2 x 2 debug.
      const handsOver = (i: PolicyInputs) =>
        i.partitioned && !i.useFgt && !i.onUnsupportedCpu && (i.hasHpmn0 || i.nrPmuCounters > 0);
      assert.equal(g.filter(handsOver).length, 19 * 10 * 9 * 2 * 3 * 2 * 2);
      const c = compareWithPolicy(d, r, g, lookupPolicy('v8'));
      assert.equal(c.differing, 41_040);
      assert.ok(c.first.every((x) => handsOver(x.inputs)));
      const rest = g.filter((i) => !handsOver(i));
      assert.equal(compareWithPolicy(d, runDriver(d, rest), rest, lookupPolicy('v8')).differing, 0);
    });
  });

  test('the clean tree holds every rule', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('tree', (d, r, g) => {
      for (const v of judge(d, r, g)) {
        assert.equal(v.applies, true, v.code);
        assert.equal(v.violated, 0, `${v.code}: ${v.minimal?.message}`);
        assert.ok(v.judged > 0);
      }
    });
  });

  test('reply.mbox: the quoted code agrees with v6; the reply with --function kvm_mdcr_hpmn with review', (t) => {
    if (!needsCompiler(t)) return;
    withFixture('reply.mbox', (d, r, g) => {
      const c = compareWithPolicy(d, r, g, lookupPolicy('v6'));
      assert.deepEqual(c.compared, ['hpmn', 'mdcrEl2']);
      assert.equal(c.differing, 0);
    });
    withFixture(
      'reply.mbox',
      (d, r, g) => assert.equal(compareWithPolicy(d, r, g, lookupPolicy('review')).differing, 0),
      'kvm_mdcr_hpmn',
    );
  });

  test('unstubbed.patch names the symbol and how to stub it; broken.patch names the function and line', (t) => {
    if (!needsCompiler(t)) return;
    const text = readFileSync(fixture('unstubbed.patch'), 'utf8');
    const call = lineOf(text, '+\tu8 most = kvm_arm_pmu_get_max_counters(vcpu->kvm);');
    assert.throws(
      () => loadKernelCode({ files: [fixture('unstubbed.patch')] }),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith(
          `kernel: kvm_pmu_hpmn() at ${fixture('unstubbed.patch')}:${call} calls kvm_arm_pmu_get_max_counters(); pmup kernel does not stub it`,
        ) &&
        e.message.endsWith('and pass --stubs FILE') &&
        !e.message.includes('\n'),
    );
    const d = loadKernelCode({ files: [fixture('unstubbed.patch')], stubs: fixture('unstubbed-stubs.h') });
    d.dispose();
    // gcc reports the missing ';' at the next token, the return on the line after it.
    const broken = readFileSync(fixture('broken.patch'), 'utf8');
    assert.throws(
      () => loadKernelCode({ files: [fixture('broken.patch')] }),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith(
          `kernel: kvm_pmu_hpmn() at ${fixture('broken.patch')}:${lineOf(broken, '+\treturn nr;')} does not compile: `,
        ),
    );
  });

  test('compiledPolicy(): the grid from the table, an input off the grid through the driver', (t) => {
    if (!needsCompiler(t)) return;
    const d = loadKernelCode({ files: [fixture('hpmn-before-flag.patch')] });
    try {
      const p = compiledPolicy(d, lookupPolicy('v6'), 'kernel', 'hpmn-before-flag.patch');
      const v6 = lookupPolicy('v6');
      // On the grid and off it (20 counters): the same as v6, whose kvm_pmu_hpmn() the fixture mirrors.
      const on = minimal({ nrPmuCounters: 4, hpmnMax: 4, hostCounters: 6, partitioned: true, useFgt: true });
      const off = { ...on, hostCounters: 20, hpmnMax: 14, nrPmuCounters: 12 };
      assert.equal(gridIndex(off), -1);
      for (const i of [on, off]) {
        const got = p.evaluate(i);
        const want = v6.evaluate(i);
        assert.deepEqual([got.hpmn, got.mdcrEl2, got.guestPmcrN], [want.hpmn, want.mdcrEl2, want.guestPmcrN]);
        assert.deepEqual(got.notes, want.notes);
      }
      assert.equal(p.evaluate(off).hpmn, 12);
    } finally {
      d.dispose();
    }
  });
});
