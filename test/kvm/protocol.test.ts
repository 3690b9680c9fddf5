// SPDX-License-Identifier: MIT
// The KVM policy request of the batch protocol: validation and the shape of the answer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/arch/errors.js';
import { evaluateKvmRequest, isKvmRequest, parseKvmRequest } from '../../src/protocol/kvm.js';

const INPUTS = {
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
};

describe('evaluateKvmRequest()', () => {
  test('answers the DESIGN.md example with hex registers, trapped registers and notes', () => {
    const line = JSON.stringify({ id: 'k1', policy: 'v6', inputs: INPUTS });
    const answer = evaluateKvmRequest(parseKvmRequest(JSON.parse(line)));
    assert.deepEqual(answer, {
      id: 'k1',
      policy: 'v6',
      guestPmcrN: 4,
      hpmn: 4,
      // HPMN=4 | TDA | TDOSA | TDRA | TPMS | HPME | HPMD | TTRF | HCCD; TPM and TPMCR cleared.
      mdcrEl2: '0x8a4e84',
      // PMOVS (18), PMCCFILTR_EL0 (14), PMEVTYPERn_EL0 (13), PMCEIDn_EL0 (58), PMMIR_EL1 (22).
      hdfgrtr: '0x400000000446000',
      hdfgwtr: '0x46000',
      hdfgrtr2: '0x0',
      hdfgwtr2: '0x0',
      trapped: [
        'PMCCFILTR_EL0',
        'PMCEID0_EL0',
        'PMCEID1_EL0',
        'PMEVTYPER<n>_EL0',
        'PMMIR_EL1',
        'PMXEVTYPER_EL0',
        'PMOVSSET_EL0',
        'PMOVSCLR_EL0',
      ],
      notes: [],
    });
  });
  test('the optional inputs default to hasFgt true, hasFgt2 false, guestOwnsDebug false', () => {
    const req = parseKvmRequest({ policy: 'v5', inputs: INPUTS });
    assert.equal(req.id, null);
    assert.equal(req.inputs.hasFgt, true);
    assert.equal(req.inputs.hasFgt2, false);
    assert.equal(req.inputs.guestOwnsDebug, false);
    const explicit = parseKvmRequest({
      policy: 'v5',
      inputs: { ...INPUTS, hasFgt2: true, guestOwnsDebug: true },
    });
    assert.equal(explicit.inputs.hasFgt2, true);
    assert.equal(explicit.inputs.guestOwnsDebug, true);
  });
});

describe('parseKvmRequest() rejects a bad request with a one-line InputError', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', [], 'a request must be a JSON object'],
    ['an unknown policy', { policy: 'v9', inputs: INPUTS }, 'Unknown policy "v9" (did you mean v5, v6, v7?)'],
    ['a policy that is not a string', { policy: 5, inputs: INPUTS }, '"policy" must be a string, got 5'],
    ['no inputs', { policy: 'v5' }, '"inputs" is missing'],
    ['a bad id', { id: true, policy: 'v5', inputs: INPUTS }, '"id" must be a string or a number'],
    [
      'an unknown request member',
      { policy: 'v5', inputs: INPUTS, cpu: 'x' },
      'KVM policy request: unknown member "cpu" (members: id, policy, inputs)',
    ],
    [
      'an unknown input, with a suggestion',
      { policy: 'v5', inputs: { ...INPUTS, hpmnmax: 3 } },
      'inputs: unknown member "hpmnmax" (did you mean hpmnMax?)',
    ],
    [
      'a missing input',
      { policy: 'v5', inputs: { ...INPUTS, guestDebug: undefined } },
      'inputs.guestDebug is missing',
    ],
    [
      'nrPmuCounters = -1 (an unsigned count in the kernel)',
      { policy: 'v5', inputs: { ...INPUTS, nrPmuCounters: -1 } },
      'inputs.nrPmuCounters: expected an integer 0..31, got -1',
    ],
    [
      'hpmnMax = -2',
      { policy: 'v5', inputs: { ...INPUTS, hpmnMax: -2 } },
      'inputs.hpmnMax: expected an integer -1..31, got -2',
    ],
    [
      'hostCounters = 32',
      { policy: 'v5', inputs: { ...INPUTS, hostCounters: 32 } },
      'inputs.hostCounters: expected an integer 0..31, got 32',
    ],
    [
      'a fractional count',
      { policy: 'v5', inputs: { ...INPUTS, nrPmuCounters: 2.5 } },
      'inputs.nrPmuCounters: expected an integer 0..31, got 2.5',
    ],
    [
      'a count given as a string',
      { policy: 'v5', inputs: { ...INPUTS, hostCounters: '6' } },
      'inputs.hostCounters: expected an integer 0..31, got "6"',
    ],
    [
      'a flag given as 1',
      { policy: 'v5', inputs: { ...INPUTS, partitioned: 1 } },
      'inputs.partitioned: expected true or false, got 1',
    ],
    [
      'an optional flag given as a string',
      { policy: 'v5', inputs: { ...INPUTS, hasFgt2: 'yes' } },
      'inputs.hasFgt2: expected true or false, got "yes"',
    ],
    [
      'an unknown PMU version',
      { policy: 'v5', inputs: { ...INPUTS, pmuVer: 'PMUv3p6' } },
      'inputs.pmuVer: expected one of PMUv3, PMUv3p1, PMUv3p4, PMUv3p5, PMUv3p7, PMUv3p8, PMUv3p9, got "PMUv3p6" (did you mean PMUv3p1, PMUv3p4, PMUv3p5?)',
    ],
  ];
  for (const [what, req, message] of cases) {
    test(what, () => {
      assert.throws(
        () => parseKvmRequest(req),
        (e: unknown) => {
          assert.ok(e instanceof InputError, String(e));
          assert.equal(e.message, message);
          assert.ok(!e.message.includes('\n'));
          return true;
        },
      );
    });
  }
});

describe('isKvmRequest()', () => {
  test('is true for objects with a policy member only', () => {
    assert.equal(isKvmRequest({ policy: 'v5' }), true);
    assert.equal(isKvmRequest({ cpu: 'neoverse-n2' }), false);
    assert.equal(isKvmRequest(null), false);
    assert.equal(isKvmRequest(['policy']), false);
  });
});
