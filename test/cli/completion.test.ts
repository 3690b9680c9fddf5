// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

describe('pmup completion', () => {
  test('bash: valid syntax (bash -n), the commands, flags, registers, CPUs and policies', () => {
    const r = runPmup(['completion', 'bash']);
    assert.equal(r.status, 0, r.stderr);
    const check = spawnSync('bash', ['-n'], { input: r.stdout, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(r.stdout, /^complete -F _pmup pmup$/m);
    for (const word of [
      'decode',
      'access',
      'kvm',
      'completion',
      'PMCR_EL0',
      'MDCR_EL2',
      'PMEVCNTR5_EL0',
      'ESR_EL2',
      'neoverse-n2',
      'pkvm',
      '--nonzero',
      '--cpu',
    ])
      assert.match(r.stdout, new RegExp(`[ "(]${word}[ ")]`), word);
  });
  test('bash: completing "pmup decode PMCR" offers PMCR_EL0, "--cpu neo" the Neoverse CPUs', () => {
    const r = runPmup(['completion', 'bash']);
    const script = `${r.stdout}
COMP_WORDS=(pmup decode PMCR); COMP_CWORD=2; _pmup; echo "\${COMPREPLY[*]}"
COMP_WORDS=(pmup access --cpu neoverse-n); COMP_CWORD=3; _pmup; echo "\${COMPREPLY[*]}"
COMP_WORDS=(pmup dec); COMP_CWORD=1; _pmup; echo "\${COMPREPLY[*]}"`;
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const [regs, cpus, cmds] = out.stdout.split('\n');
    assert.deepEqual(regs!.split(' '), ['PMCR_EL0']);
    assert.ok(cpus!.split(' ').includes('neoverse-n2'), cpus);
    assert.equal(cmds, 'decode');
  });
  test('bash: "pmup kernel --against v" offers the policies, "pmup kernel --fu" --function', () => {
    const r = runPmup(['completion', 'bash']);
    const script = `${r.stdout}
COMP_WORDS=(pmup kernel x.patch --against v); COMP_CWORD=4; _pmup; echo "\${COMPREPLY[*]}"
COMP_WORDS=(pmup kernel x.patch --fu); COMP_CWORD=3; _pmup; echo "\${COMPREPLY[*]}"`;
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const [policies, flags] = out.stdout.split('\n');
    assert.deepEqual(policies!.split(' '), ['v5', 'v6', 'v7', 'v8']);
    assert.equal(flags, '--function');
  });
  test('zsh: a compdef script with the same words', () => {
    const r = runPmup(['completion', 'zsh']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^#compdef pmup$/m);
    assert.match(r.stdout, / PMCR_EL0 /);
  });
  test('an unknown shell, or none: one line, exit 2', () => {
    for (const argv of [['completion', 'fish'], ['completion']]) {
      const r = runPmup(argv);
      assert.equal(r.status, 2);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  });
});
