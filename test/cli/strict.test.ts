// SPDX-License-Identifier: MIT
// Issue 11, point 5, on the command line: nothing given is ignored. Repeated single-valued
// options, repeated encode fields, one register given twice with --set, and --choose with an
// unknown rule or behaviour name (UNPREDICTABLE_RULES) are bad input: one line, exit 2.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

describe('bad input, one line, exit 2', () => {
  const N2 = ['access', '--cpu', 'neoverse-n2'];
  const cases: [string[], string][] = [
    [['encode', 'MDCR_EL2', 'HPMN=4', 'HPMN=5'], 'encode: MDCR_EL2.HPMN is given twice; give it once'],
    [['encode', 'MDCR_EL2', 'HPMN=4', 'hpmn=4'], 'encode: MDCR_EL2.HPMN is given twice; give it once'],
    [
      ['encode', 'MDCR_EL2', 'HPMN=4', '--base', '0', '--base', '1'],
      'encode: --base is given twice; give it once',
    ],
    [
      ['access', '--cpu', 'neoverse-n2', '--cpu', 'cortex-a53', 'read', 'PMCR_EL0'],
      'access: --cpu is given twice; give it once',
    ],
    [[...N2, '--el', '1', '--el', '2', 'read', 'PMCR_EL0'], 'access: --el is given twice; give it once'],
    [
      ['decode', 'MDCR_EL2', '0', '--cpu', 'neoverse-n2', '--cpu=cortex-a53'],
      'decode: --cpu is given twice; give it once',
    ],
    [
      ['kvm', '--cpu', 'neoverse-n2', '--policy', 'v5', '--policy', 'v6'],
      'kvm: --policy is given twice; give it once',
    ],
    [['regs', '--json', '--json'], 'regs: --json is given twice; give it once'],
    [
      [...N2, '--set', 'MDCR_EL2=4', '--set', 'MDCR_EL2=5', 'read', 'PMCR_EL0'],
      '--set: MDCR_EL2 is given twice; give it once',
    ],
    [
      [...N2, '--set', 'PMCNTENSET_EL0=1', '--set', 'PMCNTENCLR_EL0=2', 'read', 'PMCR_EL0'],
      '--set: PMCNTENSET_EL0 and PMCNTENCLR_EL0 are one register (the same storage); give one of them',
    ],
    [
      [...N2, '--choose', 'RES_HPMN=hpmn-32', 'read', 'PMCR_EL0'],
      '--choose: RES_HPMN has no behaviour "hpmn-32" (behaviours: hpmn-<k> (k 0..31), all-second-range)',
    ],
    [
      [...N2, '--choose', 'PMUEVENTCOUNTER=razwi', 'read', 'PMCR_EL0'],
      '--choose: PMUEVENTCOUNTER has no behaviour "razwi" (behaviours: undefined, raz-wi, nop, as-index-<k> (k 0..31), trap-el2)',
    ],
    [
      [...N2, '--choose', 'RES_HPMN=hpmn-2', '--choose', 'RES_HPMN=hpmn-3', 'read', 'PMCR_EL0'],
      '--choose: RES_HPMN is given twice; give it once',
    ],
  ];
  for (const [argv, message] of cases) {
    test(argv.join(' '), () => {
      const r = run(...argv);
      assert.equal(r.status, 2, r.stdout);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `pmup: ${message}\n`);
    });
  }
  test('an unknown rule names the rules', () => {
    const r = run('access', '--cpu', 'neoverse-n2', '--choose', 'RES_HPMX=hpmn-1', 'read', 'PMCR_EL0');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^pmup: --choose: unknown rule "RES_HPMX" \(did you mean RES_HPMN.*\(rules: RES_HPMN, /,
    );
  });
});

describe('what is given once still works', () => {
  test('--set with distinct registers, --choose with distinct rules', () => {
    // HPMN = 31 > N = 6 on Neoverse N2 (reserved), taken as 3: EL1 reads PMCR_EL0.N = 3 (D24.5.8).
    const r = run(
      'access',
      '--cpu',
      'neoverse-n2',
      '--set',
      'MDCR_EL2=1f',
      '--set',
      'PMSELR_EL0=0',
      '--choose',
      'RES_HPMN=hpmn-3',
      '--choose',
      'COUNT_CHAIN=chain',
      'read',
      'PMCR_EL0',
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assert.equal(a.value, `0x${(3 << 11).toString(16)}`);
    assert.equal(a.unpredictable, 'RES_HPMN');
  });
});
