// SPDX-License-Identifier: MIT
// One real QEMU boot, when qemu-system-aarch64 and the cross tools are installed (CI installs
// them in .ci/run; `npm run test:qemu` runs the whole suite); skipped, saying so, elsewhere.
// Expected values from the Arm ARM: with MDCR_EL2.HPMN = 3, EL1 reads PMCR_EL0.N = 3 (D24.5.8 N,
// N [15:11]: 3 << 11 = 0x1800; IMP 0x41, IDCODE 0x01 of QEMU's cortex-a57) and counter 2 as EL2
// wrote it; counter 3 (HPMN <= 3 < N) without FEAT_FGT is CONSTRAINED UNPREDICTABLE (D24.5.10),
// where QEMU 7.2 reads counter 3 itself (docs/qemu-divergences.md evcntr-above-hpmn-accessible).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadDivergences } from '../../src/harness/qemu/divergences.js';
import { missingPackages } from '../../src/harness/qemu/qemu.js';
import { runSuite, suitePairs } from '../../src/harness/qemu/suite.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const missing = missingPackages();
const skip = missing.length > 0 ? `QEMU harness not run: install ${missing.join(' ')}` : false;

describe('one scenario on QEMU', { skip }, () => {
  test('hpmn-3 on cortex-a57: the model agrees but where QEMU deviates, and that is classified', () => {
    const file = loadScenarioFile('scenarios/hpmn.json');
    const r = runSuite(suitePairs([file], 'qemu-virt-cortex-a57', 'hpmn-3'), loadDivergences());
    const v = (label: string) => r.comparisons[0]!.verdicts.find((x) => x.label === label)!;
    assert.deepEqual(v('el1 pmcr').qemu, { kind: 'value', value: 0x41011800n });
    assert.equal(v('el1 pmcr').status, 'agree');
    assert.deepEqual(v('el1 evcntr2').qemu, { kind: 'value', value: 0x1002n });
    assert.deepEqual(v('el1 evcntr3').qemu, { kind: 'value', value: 0x1003n });
    assert.equal(v('el1 evcntr3').status, 'disagree');
    assert.deepEqual(
      v('el1 evcntr3').classified.map((d) => d.id),
      ['evcntr-above-hpmn-accessible'],
    );
    // PMEVCNTR6_EL0 with N = 6 does not exist: QEMU takes the UNDEFINED behaviour.
    assert.equal(v('el1 evcntr6').status, 'permitted');
    assert.deepEqual(v('el1 evcntr6').qemu, { kind: 'undefined' });
  });
});
