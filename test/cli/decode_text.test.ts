// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

/** The summary line, unwrapped (its continuation lines start with two spaces). */
function summary(stdout: string): string {
  const lines = stdout.split('\n').slice(1);
  const out = [lines[0]!];
  for (const l of lines.slice(1)) {
    if (!l.startsWith('  ')) break;
    out.push(l.trim());
  }
  return out.join(' ');
}

describe('pmup decode: the partition line (Arm ARM D24.3.17 MDCR_EL2, D24.5.8 PMCR_EL0)', () => {
  test('MDCR_EL2 0x20084 on neoverse-n2 (N = 6): HPMN 4, HPME 1, HPMD 1', () => {
    // 0x20084: bit 17 (HPMD) = 1, bit 7 (HPME) = 1, [4:0] (HPMN) = 4. Counters 0..3 are the first
    // range, enabled by PMCR_EL0.E; 4..5 the second, enabled by HPME; HPMD 1 prohibits counting
    // at EL2 by the first range; PMCCNTR_EL0 follows PMCR_EL0.E.
    const r = runPmup(['decode', 'MDCR_EL2', '0x20084', '--cpu', 'neoverse-n2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      summary(r.stdout),
      "partition: counters 0..3: guest (PMCR_EL0.E), 4..5: host (HPME); cycle counter: guest; HPMD: EL2 not counted by the guest's counters",
    );
  });
  test('without --cpu N is unknown; HPME 0 and HCCD 1 are said', () => {
    // 0x800002: HCCD [23] = 1, HPME [7] = 0, HPMN = 2.
    const r = runPmup(['decode', 'MDCR_EL2', '0x800002']);
    assert.equal(
      summary(r.stdout),
      "partition (N unknown: give --cpu): counters 0..1: guest (PMCR_EL0.E), 2..N-1: host (HPME = 0: disabled); cycle counter: guest, not counting at EL2 (HCCD); HPMD = 0: the guest's counters may count at EL2 (as their filters allow)",
    );
  });
  test('HPMN = N: no host counters; HPMN > N: reserved', () => {
    assert.match(
      summary(runPmup(['decode', 'MDCR_EL2', '0x6', '--cpu', 'neoverse-n2']).stdout),
      /counters 0..5: guest \(PMCR_EL0.E\), none for the host/,
    );
    assert.match(
      summary(runPmup(['decode', 'MDCR_EL2', '0x7', '--cpu', 'neoverse-n2']).stdout),
      /HPMN = 7 > N = 6 is reserved/,
    );
  });
  test('PMCR_EL0 0x41013001 on neoverse-n1: N = 6 of 6, E = 1', () => {
    // 0x41013001: N [15:11] = 0x3001 >> 11 = 6; E [0] = 1; D [3] = 0.
    const r = runPmup(['decode', 'PMCR_EL0', '0x41013001', '--cpu', 'neoverse-n1']);
    assert.match(summary(r.stdout), /^partition: N = 6, all of neoverse-n1's counters; E = 1: /);
    assert.match(summary(r.stdout), /cycle counter: every cycle$/);
    // Without --cpu there is no line for PMCR_EL0: the table follows the head.
    assert.match(runPmup(['decode', 'PMCR_EL0', '0x41013001']).stdout.split('\n')[1]!, /^bits /);
  });
});

describe('pmup decode: readable fields', () => {
  test('a one-bit field states the meaning of its value', () => {
    // D24.3.17 HPMD: 0 allows first-range counting at EL2; TPM has no enumerated values: 0 is off.
    const r = runPmup(['decode', 'MDCR_EL2', '0x84']);
    assert.match(
      r.stdout,
      /^\[17\]\s+HPMD\s+0x0\s+Event counting by first-range counters is allowed at EL2$/m,
    );
    assert.match(r.stdout, /^\[6\]\s+TPM\s+0x0\s+0: off \(when 1: trap EL1 and EL0 accesses to the PMU/m);
    assert.match(r.stdout, /^\[7\]\s+HPME\s+0x1\s+Second-range event counters are enabled/m);
  });
  test('fields wider than one bit show hex and binary', () => {
    // HPMN [4:0] = 4 is 0b00100 in five bits.
    assert.match(runPmup(['decode', 'MDCR_EL2', '0x84']).stdout, /^\[4:0\]\s+HPMN\s+0x4 \(0b00100\)\s/m);
  });
  test('--nonzero hides the fields that are 0', () => {
    const r = runPmup(['decode', 'MDCR_EL2', '0x84', '--nonzero']);
    const fields = r.stdout
      .split('\n')
      .filter((l) => /^\[\d/.test(l))
      .map((l) => l.split(/\s+/)[1]);
    assert.deepEqual(fields, ['HPME', 'HPMN']);
  });
  test('every line fits in 100 columns', () => {
    for (const argv of [
      ['MDCR_EL2', '0x4e0'],
      ['MDCR_EL2', '0xffffffffffffffff', '--cpu', 'cortex-a53'],
      ['PMCR_EL0', '0x41013001', '--cpu', 'neoverse-n1'],
      ['ID_AA64DFR0_EL1', '0x10305106'],
      ['ESR_EL2', '0x623af871'],
    ]) {
      for (const l of runPmup(['decode', ...argv]).stdout.split('\n'))
        assert.ok(l.length <= 100, `${argv.join(' ')}: ${l}`);
    }
  });
});

describe("README's decode examples are the real output", () => {
  test('each "$ npx pmup decode" block', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    let checked = 0;
    for (let i = 0; i < readme.length; i++) {
      const m = /^\$ npx pmup (decode [^'"]*)$/.exec(readme[i]!);
      if (m === null) continue;
      const shown: string[] = [];
      for (let j = i + 1; j < readme.length && !/^(\$ |```)/.test(readme[j]!); j++) shown.push(readme[j]!);
      const r = runPmup(m[1]!.trim().split(/\s+/).slice(0));
      assert.deepEqual(shown, r.stdout.trimEnd().split('\n'), m[1]);
      checked++;
    }
    assert.ok(checked >= 4, `checked ${checked} examples`);
  });
});
