// SPDX-License-Identifier: MIT
// `pmup policies` and `pmup kvm --policy all` through runPmup(). Expected MDCR_EL2 values are
// assembled by hand from Arm ARM D24.3.17 bit positions (HPMN [4:0], TPMCR 5, TPM 6, HPME 7, TDA 9,
// TDOSA 10, TDRA 11, TPMS 14, HPMD 17, TTRF 19, HCCD 23, MTPME 28) and each policy's code:
// mainline (HPMN = N, TPM|TPMS|TTRF|TPMCR|TDRA|TDOSA, TDA), v6/v7 (HPMN = nr, HPME, HPMD, HCCD,
// TPM/TPMCR cleared once guest-owned with FGT), TF-RMM (MDCR_EL2_INIT = MTPME|HCCD|HPMD|TDA|TPM|
// TPMCR, PMU enabled: TPM/TPMCR cleared, HPMN = pmu_num_ctrs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';
import { POLICIES } from '../../src/kvm/policy.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;
const MAINLINE = 0x40n | 0x4000n | 0x80000n | 0x20n | 0x800n | 0x400n | 0x200n;
const V6_OWNED = 0x4000n | 0x80000n | 0x800n | 0x400n | 0x200n | 0x80n | 0x20000n | 0x800000n;
const RMM_ENABLED = (1n << 28n) | 0x800000n | 0x20000n | 0x200n;

describe('pmup policies', () => {
  test('is listed in pmup --help, lists every policy and variant with its date, attribute 5 and source', () => {
    assert.match(runPmup(['--help']).stdout, /\bpolicies\b/);
    const r = runPmup(['policies']);
    assert.equal(r.status, 0);
    for (const p of POLICIES) {
      assert.match(r.stdout, new RegExp(`^  ${p.name} +${p.date} `, 'm'), p.name);
      assert.ok(r.stdout.includes(`  ${p.name}: ${p.source}`), p.name);
      for (const v of p.variants ?? []) assert.match(r.stdout, new RegExp(`^    ${v.name} `, 'm'));
    }
    assert.match(r.stdout, /^ {2}v8 +2026-06-12 +enable-partition-v8 /m);
    assert.match(r.stdout, /^ {2}fixed-counters +2026-09-20 +fixed-counters-only /m);
  });
  test('--json: one object per policy and variant', () => {
    const out = JSON.parse(runPmup(['policies', '--json']).stdout);
    const want = POLICIES.flatMap((p) => [p.name, ...(p.variants ?? []).map((v) => v.name)]);
    assert.deepEqual(
      out.map((p: { name: string }) => p.name),
      want,
    );
    assert.equal(out.find((p: { name: string }) => p.name === 'rmm').monitor, true);
  });
  test('bad input is one line and exit 2', () => {
    const r = runPmup(['policies', 'extra']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1);
  });
});

describe('pmup kvm --policy all', () => {
  const args = ['kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '4', '--policy', 'all'];
  test('one row per policy, in registry order; exit 1 when any policy has a problem', () => {
    const r = runPmup(args);
    assert.equal(r.status, 1);
    const rows = r.stdout
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  policy') && !l.startsWith('  -'));
    assert.deepEqual(
      rows.slice(0, POLICIES.length).map((l) => l.trim().split(/\s+/)[0]),
      POLICIES.map((p) => p.name),
    );
  });
  test('--json: MDCR_EL2, HPMN, guest and reported N, problems, per policy', () => {
    const r = runPmup([...args, '--json']);
    const out = JSON.parse(r.stdout) as {
      policy: string;
      mdcrEl2: string;
      hpmn: number;
      guestN: number | null;
      guestRead: string | null;
      reportedN: number;
      problems: string[];
    }[];
    const by = (name: string) => out.find((o) => o.policy === name)!;
    // mainline: HPMN = N = 6; the guest's N is nr_pmu_counters 4, emulated.
    assert.deepEqual(
      [by('mainline').mdcrEl2, by('mainline').hpmn, by('mainline').guestN],
      [hex(MAINLINE | 6n), 6, 4],
    );
    // v6 and v7 after the first access: HPMN 4, TPM/TPMCR clear (FGT), the guest reads N = 4.
    for (const p of ['v6', 'v7']) {
      assert.deepEqual([by(p).mdcrEl2, by(p).guestN, by(p).problems], [hex(V6_OWNED | 4n), 4, []], p);
    }
    // pKVM: the protected VM has no PMU; its read is UNDEFINED.
    assert.equal(by('pkvm').guestRead, 'UNDEFINED');
    assert.equal(by('pkvm').hpmn, 0);
    // TF-RMM: pmu_num_ctrs = 4 -> HPMN 4.
    assert.deepEqual([by('rmm').mdcrEl2, by('rmm').guestN], [hex(RMM_ENABLED | 4n), 4]);
    // fixed-counters: attribute 5 taken as FIXED_COUNTERS_ONLY, N = 0.
    assert.equal(by('fixed-counters').guestN, 0);
    assert.match(by('fixed-counters').problems[0]!, /FIXED_COUNTERS_ONLY/);
  });
});
