// SPDX-License-Identifier: MIT
// `pmup kvm` through runPmup(): the scenario's output, exit status and input errors. Expected
// MDCR_EL2 values are assembled by hand from the bit positions of Arm ARM D24.3.17 (HPMN [4:0],
// TPMCR 5, TPM 6, HPME 7, TDA 9, TDOSA 10, TDRA 11, TPMS 14, HPMD 17, TTRF 19, HCCD 23) and the
// bits v5's kvm_arm_setup_mdcr_el2() sets (15/24).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

const BASE = 0x4000n | 0x80000n | 0x800n | 0x400n | 0x200n; // TPMS | TTRF | TDRA | TDOSA | TDA
const TRAPS = 0x40n | 0x20n; // TPM | TPMCR
const PARTITIONED = 0x80n | 0x20000n | 0x800000n; // HPME | HPMD (PMUv3p1) | HCCD (PMUv3p5)
const hex = (v: bigint) => `0x${v.toString(16)}`;

interface Finding {
  readonly code: string;
  readonly message: string;
}

function messages(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.code}: ${f.message}`).join('\n');
}

function kvm(...args: string[]) {
  return runPmup(['kvm', ...args]);
}

function json(...args: string[]) {
  const r = kvm(...args, '--json');
  assert.equal(r.stderr, '');
  return { status: r.status, out: JSON.parse(r.stdout) };
}

function field(
  out: { mdcrEl2: { fields: { name: string; value: string }[] } },
  name: string,
): string | undefined {
  return out.mdcrEl2.fields.find((f) => f.name === name)?.value;
}

describe('pmup kvm', () => {
  test('is listed in pmup --help and has its own --help with examples', () => {
    assert.match(runPmup(['--help']).stdout, /\bkvm\b/);
    const r = kvm('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: pmup kvm/);
    assert.match(r.stdout, /Examples:/);
  });

  test('v5 on qemu-max-8-2, 2 host counters, nr 2: TPM/TPMCR until the first access, then FGT; one problem', () => {
    const { status, out } = json(
      '--cpu',
      'qemu-max-8-2',
      '--reserved-host',
      '2',
      '--nr',
      '2',
      '--policy',
      'v5',
    );
    assert.deepEqual(out.host.pmus, [
      { name: 'armv8_qemu_max_8_2', type: 8, n: 6, hpmnMax: 4, cntrMask: '0x30' },
    ]);
    // HPMN = kvm_pmu_hpmn() = kvm_pmu_guest_num_counters() = 2.
    assert.equal(out.mdcrEl2.value, hex(BASE | TRAPS | PARTITIONED | 2n));
    assert.equal(field(out, 'HPMN'), '0x2');
    assert.equal(
      out.mdcrEl2After,
      hex(BASE | PARTITIONED | 2n),
      'kvm_vcpu_pmu_use_fgt(): TPM and TPMCR cleared',
    );
    assert.equal(out.kvmPmcrN, 2);
    assert.deepEqual(
      out.guestReads.map((g: { by: string; n: number }) => [g.by, g.n]),
      [
        ['kvm', 2],
        ['hardware', 2],
      ],
    );
    assert.ok(out.trapped.includes('PMCR_EL0'));
    assert.ok(!out.trappedAfter.includes('PMCR_EL0'));
    // Once use_fgt holds, v5 ORs kvm_pmu_fgt_bits(), a HDFGRTR_EL2 mask, into HDFGWTR_EL2 as well
    // (10/24), where the PMCEIDn_EL0 (58) and PMMIR_EL1 (22) positions are RES0 (D24.2.69).
    assert.equal(status, 1);
    assert.equal(out.problems.length, 1, messages(out.problems));
    assert.equal(out.problems[0].code, 'fgt-res0-set');
    assert.match(out.problems[0].message, /next vcpu_load.*HDFGWTR_EL2 sets RES0 bits 58 .*, 22 /);
  });

  test('v5 on Neoverse N2 with --nr 4: SET_NR_COUNTERS is refused (limit popcount(cntr_mask) = 2), exit 1', () => {
    const r = kvm('--cpu', 'neoverse-n2', '--reserved-host', '2', '--nr', '4', '--policy', 'v5');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /PMU_V3_SET_NR_COUNTERS, 4\): -EINVAL \(22\)/);
    assert.match(r.stdout, /MDCR_EL2 = 0x00000000008a4ee2/);
  });

  test('v6 on qemu-max-8-2, nr 4 = hpmn_max: no problem, HPMN 4', () => {
    const { status, out } = json(
      '--cpu',
      'qemu-max-8-2',
      '--reserved-host',
      '2',
      '--nr',
      '4',
      '--policy',
      'v6',
    );
    assert.equal(status, 0, messages(out.problems));
    assert.equal(out.hpmn, 4);
    // --json keeps how KVM_RUN returned apart from the process's exit status.
    assert.equal(out.kvmExit, 'GUEST_ENTERED');
    assert.equal(out.status, status);
    assert.deepEqual(
      out.ioctls.map((i: { call: string }) => i.call).filter((c: string) => c.includes('ENABLE')),
      ['KVM_SET_DEVICE_ATTR(PMU_V3_ENABLE_PARTITION, true)'],
    );
  });

  test('mainline on Neoverse N2: the emulated PMU, HPMN = N = 6, every read trapped and emulated', () => {
    const { status, out } = json('--cpu', 'neoverse-n2', '--policy', 'mainline');
    assert.equal(status, 0, messages(out.problems));
    assert.equal(out.mdcrEl2.value, hex(BASE | TRAPS | 6n));
    assert.deepEqual(
      out.guestReads.map((g: { by: string; n: number }) => [g.by, g.n]),
      [
        ['kvm', 6],
        ['kvm', 6],
      ],
    );
  });

  test('review, vCPU run on a Cortex-A510 outside supported_cpus: reserved HPMN 8 > N 6 programmed, exit 1', () => {
    const args = [
      '--cpu',
      'cortex-a710',
      '--on',
      'cortex-a510',
      '--reserved-host',
      '14',
      '--nr',
      '8',
      '--policy',
      'review',
    ];
    const { status, out } = json(...args);
    assert.equal(status, 1);
    assert.equal(out.kvmExit, 'FAIL_ENTRY_CPU_UNSUPPORTED');
    assert.equal(field(out, 'HPMN'), '0x8');
    assert.ok(
      out.problems.some((p: Finding) => p.code === 'hpmn-reserved' && /HPMN = 8 is reserved/.test(p.message)),
      messages(out.problems),
    );
    const fixed = json(...args, '--unsupported-check-first');
    assert.equal(fixed.status, 0, messages(fixed.out.problems));
    assert.equal(field(fixed.out, 'HPMN'), '0x6');
  });

  test('text output names the sections', () => {
    const r = kvm('--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '4', '--policy', 'v6');
    assert.equal(r.status, 0);
    for (const s of [
      'host:',
      'ioctls:',
      'kvm_arch_vcpu_load on CPU 0:',
      'MDCR_EL2 as loaded',
      'guest view:',
      'traps at vcpu_load:',
      'problems found: none',
    ]) {
      assert.ok(r.stdout.includes(s), `missing ${s}`);
    }
  });

  test('bad input: one line on stderr and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--cpu', 'qemu-max-8-2', '--policy', 'v9'], /Unknown policy "v9"/],
      [['--cpu', 'neoverse-z9'], /Unknown CPU/],
      [['--cpu', 'qemu-max-8-2', '--nr', '32'], /--nr must be 0\.\.31/],
      [['--cpu', 'qemu-max-8-2', '--nr', 'four'], /Cannot read --nr "four": expected a decimal count/],
      [['--cpu', 'qemu-max-8-2', '--reserved-host', '7'], /--reserved-host must be -1\.\.6/],
      [['--cpu', 'qemu-max-8-2', '--reserved-host=-2'], /--reserved-host must be -1\.\.6/],
      [['--policy', 'v5'], /--cpu is required/],
      [['--cpu', 'qemu-max-8-2', 'extra'], /expected 0 arguments/],
      [['--cpu', 'qemu-max-8-2', '--bogus'], /kvm: Unknown option/],
    ];
    for (const [args, re] of cases) {
      const r = kvm(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${args.join(' ')}: one line`);
    }
  });
});

describe('pmup kvm: readable answers (issue 11)', () => {
  test('hpmn_max = -1 is explained; MDCR_EL2 after the first access is a diff; the VMM next step and the inference are said', () => {
    const plain = kvm('--cpu', 'qemu-max-8-2', '--policy', 'mainline');
    assert.match(plain.stdout, /hpmn_max = -1 \(not partitioned\)/);
    // v6 on a CPU with FEAT_FGT: once the guest owns the PMU, kvm_arm_setup_mdcr_el2() clears TPM
    // [6] and TPMCR [5] (v6 10/19, as v5 15/24), and nothing else changes.
    const v6 = kvm('--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '4', '--policy', 'v6');
    assert.match(
      v6.stdout,
      /^MDCR_EL2 after the first guest PMU access .*changed:\n {2}TPM 0x1 -> 0x0\n {2}TPMCR 0x1 -> 0x0\n/m,
    );
    const v5 = kvm('--cpu', 'neoverse-n2', '--reserved-host', '2', '--nr', '4', '--policy', 'v5');
    assert.match(
      v5.stdout,
      /^ {2}- KVM_SET_DEVICE_ATTR\(PMU_V3_SET_NR_COUNTERS, 4\) was refused \(EINVAL\): keep the default/m,
    );
    assert.match(v5.stdout, /^the model's readings \(inferences, not the kernel's text\):$/m);
  });
});
