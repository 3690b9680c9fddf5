// SPDX-License-Identifier: MIT
// Differential test against the seed itself (../shared/seeds/000_d2b14fcbc558833d.txt, Oliver
// Upton's reply to [PATCH v5 15/24]), through src/kvm/kernel_c/ (what `pmup kernel` runs). At test
// time the seed's text yields the C of kvm_pmu_guest_num_counters(), kvm_pmu_hpmn(), the
// reviewer's kvm_mdcr_hpmn() and the MDCR_EL2 lines of kvm_arm_setup_mdcr_el2(); gcc compiles them
// against stubs of our own (MDCR_EL2_* and PMUVer constants generated from the register
// catalogue); one driver process runs the 345,600-input grid, compared with the `v5` and `review`
// policies. No kernel C is stored in this project: it is read from the seed on every run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compareWithPolicy } from '../../src/kvm/kernel_c/compare.js';
import { setupBody } from '../../src/kvm/kernel_c/extract.js';
import { GRID_SIZE, gridInputs } from '../../src/kvm/kernel_c/grid.js';
import { loadKernelCode } from '../../src/kvm/kernel_c/load.js';
import { planDriver } from '../../src/kvm/kernel_c/plan.js';
import { runDriver } from '../../src/kvm/kernel_c/run.js';
import { viewsOfText } from '../../src/kvm/kernel_c/source.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { needsCompiler, needsSeed, SEED } from './kernel_c_helpers.js';

/** Skips (or, in CI, fails) when the seed or gcc is missing; true when the test may run. */
function needs(t: { skip(message: string): void }, compiler: boolean): boolean {
  return needsSeed(t) && (!compiler || needsCompiler(t));
}

const text = (lines: readonly { readonly text: string }[]): string[] => lines.map((l) => l.text);

describe('seed differential: v5 and review against the C of the seed', () => {
  test('the seed yields the four pieces of C, without the old side of the diff', (t) => {
    if (!needs(t, false)) return;
    const plan = planDriver(viewsOfText(SEED, readFileSync(SEED, 'utf8')), [SEED]);
    assert.match(plan.guest?.signature ?? '', /^u8 kvm_pmu_guest_num_counters\(/);
    assert.equal(plan.guest?.path, 'arch/arm64/kvm/pmu-direct.c');
    const hpmn = plan.hpmn.map((f) => f.signature);
    assert.match(hpmn[0] ?? '', /^u8 kvm_pmu_hpmn\(/);
    assert.match(hpmn[1] ?? '', /^u8 kvm_mdcr_hpmn\(/);
    // The reviewer's function is in his own text, not in a diff.
    assert.equal(plan.hpmn[1]?.path, undefined);
    // The header's static inline stubs (return 0) are passed over.
    const guestChoice = plan.choices.find((c) => c.chosen.fn.name === 'kvm_pmu_guest_num_counters');
    assert.deepEqual(
      guestChoice?.ignored.map((i) => [i.found.path, i.why]),
      [['arch/arm64/include/asm/kvm_pmu.h', 'a header stub']],
    );
    assert.ok(plan.setup !== undefined);
    assert.equal(
      plan.setup.complete,
      false,
      'the seed quotes kvm_arm_setup_mdcr_el2() only up to its debug tail',
    );
    const setup = text(setupBody(plan.setup).body).join('\n');
    assert.match(setup, /int hpmn = kvm_pmu_hpmn\(vcpu\);/);
    assert.match(setup, /FIELD_PREP\(MDCR_EL2_HPMN, hpmn\)/);
    assert.doesNotMatch(setup, /nr_event_counters/, 'the removed mainline HPMN line must not be extracted');
    // kvm_arm_setup_mdcr_el2() calls kvm_pmu_hpmn(): that is the HPMN that counts.
    assert.equal(plan.primaryHpmn, 'kvm_pmu_hpmn');
  });

  test('every grid input agrees: guestPmcrN, hpmn, mdcrEl2 (v5); hpmn, mdcrEl2 (review)', (t) => {
    if (!needs(t, true)) return;
    const inputs = gridInputs();
    assert.equal(inputs.length, 345_600);
    assert.equal(GRID_SIZE, 345_600);

    const v5 = loadKernelCode({ files: [SEED] });
    try {
      const c = compareWithPolicy(v5, runDriver(v5, inputs), inputs, lookupPolicy('v5'));
      assert.deepEqual(c.compared, ['guestPmcrN', 'hpmn', 'mdcrEl2']);
      assert.equal(
        c.differing,
        0,
        `first differences: ${JSON.stringify(c.first, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`,
      );
    } finally {
      v5.dispose();
    }

    // The review: kvm_mdcr_hpmn() in kvm_arm_setup_mdcr_el2() instead of kvm_pmu_hpmn(), as the
    // review policy models it. The seed's kvm_pmu_guest_num_counters() is v5's, not the review's
    // guest N (nr_pmu_counters), so only HPMN and MDCR_EL2 are compared.
    const review = loadKernelCode({ files: [SEED], function: 'kvm_mdcr_hpmn' });
    try {
      assert.deepEqual(review.plan.redirect, ['kvm_pmu_hpmn']);
      const c = compareWithPolicy(review, runDriver(review, inputs), inputs, lookupPolicy('review'));
      assert.equal(c.byValue.hpmn, 0);
      assert.equal(c.byValue.mdcrEl2, 0);
      t.diagnostic(`${inputs.length} inputs agree (${review.compiler})`);
    } finally {
      review.dispose();
    }
  });
});
