// SPDX-License-Identifier: MIT
// The verifier (src/check/) rediscovers the model's known findings by search, and each invariant
// it can break with a policy is broken by a deliberately wrong policy defined here. Expected
// counterexamples are worked out from the policies' kernel logic and the Arm ARM, cited per test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { lookupCpu } from '../../src/arch/cpus.js';
import { actionText, initialState, successors } from '../../src/check/actions.js';
import { type Configuration, configurations, lookupSpaceCpu, spaceDepth } from '../../src/check/config.js';
import { diffPolicies } from '../../src/check/diff.js';
import { INVARIANTS } from '../../src/check/invariants.js';
import { parseReplayToken, replay, replayToken } from '../../src/check/replay.js';
import { mergeReports, reportOf } from '../../src/check/report.js';
import { runCheck, verdictOf } from '../../src/check/run.js';
import { searchConfiguration, type Violation, worldKey } from '../../src/check/search.js';
import { checkText } from '../../src/cli/check.js';
import { findingsPart, generatedFindings } from '../../src/cli/findings.js';
import { runPmup } from '../../src/cli/pmup.js';
import { hwWrite } from '../../src/kvm/hw.js';
import { lookupPolicy, type Policy } from '../../src/kvm/policy.js';
import { getHostCpu, getVm, withLog } from '../../src/kvm/world.js';

const a710 = lookupCpu('cortex-a710'); // N = 20
const a510 = lookupCpu('cortex-a510'); // N = 6
const qemu82 = lookupCpu('qemu-max-8-2'); // N = 6, FEAT_FGT, FEAT_HPMN0

function config(policy: string | Policy, over: Partial<Configuration>): Configuration {
  return {
    policy: typeof policy === 'string' ? lookupPolicy(policy) : policy,
    cpu: a710,
    reservedHostCounters: 14,
    unsupportedCheckFirst: false,
    ...over,
  };
}

function violation(c: Configuration, invariant: string, depth = 3): Violation | undefined {
  return searchConfiguration(c, { depth }).violations.find((v) => v.invariant === invariant);
}

const steps = (v: Violation | undefined) => (v?.trace ?? []).map((s) => actionText(s.action));

const HPMN = 0x1fn; // MDCR_EL2.HPMN [4:0] (D24.3.17)

/** A policy computed as `base` does, with MDCR_EL2 (and what the guest is told) changed by `f`. */
function broken(
  name: string,
  base: string,
  f: (r: ReturnType<Policy['evaluate']>, hostCounters: number) => ReturnType<Policy['evaluate']>,
): Policy {
  const p = lookupPolicy(base);
  return { ...p, name, evaluate: (i) => f(p.evaluate(i), i.hostCounters) };
}

describe('the verifier rediscovers the findings', () => {
  test("review: the seed's migration programs HPMN = 8 on the Cortex-A510 at KVM_RUN (reply to v5 15/24)", () => {
    // review's kvm_mdcr_hpmn() returns nr_pmu_counters = 8 unless the vCPU is on an unsupported
    // CPU, and mainline sets that flag only at the end of kvm_arch_vcpu_load(): HPMN = 8 > N = 6
    // is reserved on the Cortex-A510 (Arm ARM D24.3.17).
    const c = config('review', { other: a510, nr: 8 });
    const v = violation(c, 'hpmn-not-reserved');
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 1']);
    assert.equal(v?.message, 'MDCR_EL2.HPMN = 8 on CPU 1, which has N = 6');
    // With the check first (the reviewer's proposal) the flag is set before MDCR_EL2 is computed.
    assert.equal(violation({ ...c, unsupportedCheckFirst: true }, 'hpmn-not-reserved', 4), undefined);
  });

  test('v5: with every counter reserved for the host, the guest is promised 6 counters and reads N = 0', () => {
    // reserved_host_counters = 6 = N: hpmn_max = 0. v5's kvm_arm_pmu_get_max_counters() is the
    // popcount of the host-only cntr_mask (6, the model's literal reading), so nr_pmu_counters
    // defaults to 6; kvm_pmu_hpmn() then gives 0, allowed with FEAT_HPMN0. The first guest read of
    // PMCR_EL0 traps (PMU context VIRTUAL) and KVM emulates N = 6; the second runs on the hardware,
    // which shows the Effective HPMN = 0 (D24.5.8 PMCR_EL0.N).
    const v = violation(config('v5', { cpu: qemu82, reservedHostCounters: 6 }), 'guest-pmcr-n');
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest mrs x0, PMCR_EL0', 'guest mrs x0, PMCR_EL0']);
    assert.equal(v?.message, 'the guest reads PMCR_EL0.N = 0; nr_pmu_counters = 6');
  });

  test("the issue's v5 case: every counter reserved, no FEAT_HPMN0, one counter asked for: HPMN = N untrapped", () => {
    // hpmn_max = 0 and no FEAT_HPMN0: v5's kvm_pmu_hpmn() falls back to the host's N = 6 (the
    // digest's finding, test/kvm/findings.test.ts); once the context is PHYSICAL, use_fgt clears
    // TPM/TPMCR and the guest reads the hardware PMCR_EL0.N = the Effective HPMN = 6 (D24.5.8),
    // although SET_NR_COUNTERS promised 1.
    const cpu = [...configurations('synthetic', { policies: ['v5'], cpus: ['PMUv3p5-n6+FGT'] })][0]?.cpu;
    assert.ok(cpu !== undefined);
    const v = violation(config('v5', { cpu, reservedHostCounters: 6, nr: 1 }), 'guest-pmcr-n');
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest mrs x0, PMCR_EL0', 'guest mrs x0, PMCR_EL0']);
    assert.equal(v?.message, 'the guest reads PMCR_EL0.N = 6; SET_NR_COUNTERS(1) returned 0');
    // The same HPMN = 6 puts counter 1, beyond the one promised, in the guest's first range: the
    // read completes on the hardware (D24.5.10: no trap below HPMN) instead of KVM's UNDEF.
    const b = violation(config('v5', { cpu, reservedHostCounters: 6, nr: 1 }), 'beyond-n-undefined');
    assert.deepEqual(steps(b), ['KVM_RUN on CPU 0', 'guest mrs x0, PMCR_EL0', 'guest mrs x0, PMEVCNTR1_EL0']);
    assert.equal(
      b?.message,
      "the guest's read of PMEVCNTR1_EL0, beyond its N = 1, reached hardware counter 1 on CPU 0 (MDCR_EL2.HPMN = 6)",
    );
  });

  test('v5 without FEAT_FGT: a guest PMCNTENSET_EL0 write reaches host counters (v5 fast path, digest 3.4)', () => {
    // Cortex-A710 has no FEAT_FGT: v5's fast path writes the guest's PMCNTENSET_EL0 value at EL2,
    // where no bit is RAZ/WI, so host counters 6..19 (reserved_host_counters = 14) are enabled too.
    const v = violation(config('v5', {}), 'host-counters-untouched');
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest msr PMCNTENSET_EL0, x0 (x0 = 0xffffffff)']);
    assert.match(v?.message ?? '', /^host counter PMEVCNTR\d+_EL0 on CPU 0 changed/);
  });

  test("v5 without FEAT_FGT: a guest PMCR_EL0.P write zeroes the host's perf counter (I1)", () => {
    // The host event counts INST_RETIRED at every EL; the guest's 100 events count on it; the
    // guest's PMCR_EL0 = E|P is written at EL2 by the fast path, where P zeroes every event counter
    // (D24.5.8 P: at EL2 GetNumEventCountersAccessible() = N).
    const v = violation(config('v5', {}), 'host-events-keep-counting');
    assert.deepEqual(steps(v), [
      'KVM_RUN on CPU 0',
      'guest runs 100 events 0x8 at EL1',
      'guest msr PMCR_EL0, x0 (x0 = 0x3)',
    ]);
    assert.match(v?.message ?? '', /went from 100 to 0$/);
  });

  test('v5: FGT values stale after the lazy switch let a PMEVTYPER write reach the hardware (kvm_pmu_set_physical_access)', () => {
    // The first access switches the PMU context to PHYSICAL and recomputes MDCR_EL2 (TPM clear),
    // but kvm_vcpu_load_fgt() ran before, with the FGT bits of a VIRTUAL context: PMEVTYPER<n>
    // is untrapped until the next vcpu_load, although the policy traps it.
    const c = config('v5', { cpu: qemu82, reservedHostCounters: 2 });
    const v = violation(c, 'promised-traps');
    assert.deepEqual(steps(v), [
      'KVM_RUN on CPU 0',
      'guest mrs x0, PMCR_EL0',
      'guest msr PMEVTYPER0_EL0, x0 (x0 = 0x8)',
    ]);
    // ... and kvm_pmu_put() does not save PMEVTYPER<n> (the model's reading of v5 17/24), so after a
    // reschedule kvm_pmu_load() writes the old value back and the guest reads it.
    const steps4 = replay(c, [...(v?.trace ?? []), { action: { kind: 'reschedule', cpu: 0 }, choices: {} }]);
    assert.deepEqual(steps4[3]?.broken, [
      {
        invariant: 'guest-state-survives',
        message: 'before: PMEVTYPER0_EL0 = 0x8; after: PMEVTYPER0_EL0 = 0x0',
      },
    ]);
  });

  test("review, every counter reserved: HPMN = nr_pmu_counters = N, and the guest reads the host event's PMEVTYPER0_EL0", () => {
    // reserved_host_counters = 6 = N: hpmn_max = 0, the host's event (INST_RETIRED) on counter 0.
    // The default nr_pmu_counters is bitmap_weight(cntr_mask) = 6 and the reviewer's
    // kvm_mdcr_hpmn() programs it: HPMN = 6, counter 0 in the guest's first range. After the first
    // access (PHYSICAL, TPM clear, FGT still without PMU bits, as for v5) the guest reads the
    // hardware PMEVTYPER0_EL0: the host's INST_RETIRED | NSH (D24.5.12). After a reschedule the FGT
    // values trap it and KVM answers the vCPU's PMEVTYPER0_EL0, never written: 0.
    const v = violation(config('review', { cpu: qemu82, reservedHostCounters: 6 }), 'guest-state-survives');
    assert.deepEqual(steps(v), [
      'KVM_RUN on CPU 0',
      'guest mrs x0, PMCR_EL0',
      'vcpu_put, then KVM_RUN on CPU 0',
    ]);
    assert.equal(
      v?.message,
      `before: PMEVTYPER0_EL0 = 0x${(0x08 | (1 << 27)).toString(16)}; after: PMEVTYPER0_EL0 = 0x0`,
    );
    // v5's kvm_pmu_hpmn() gives HPMN = 0 there (FEAT_HPMN0): counter 0 is the host's, and nothing breaks.
    assert.equal(
      violation(config('v5', { cpu: qemu82, reservedHostCounters: 6 }), 'guest-state-survives'),
      undefined,
    );
  });

  test("v5 and v6: the guest never sees its counter's overflow when the interrupt is off (PMOVS virtual, fed by the host IRQ)", () => {
    // The guest programs counter 0 (no PMINTENSET), then 2^32 instructions carry it out of bit 31
    // (LP = 0): PMOVSSET_EL0 bit 0 must be set (D13.3, D24.5.21), but v5/v6 keep PMOVS trapped and
    // feed the virtual copy only from the host's interrupt handler, which masks by PMINTENSET.
    // v6's fast path (09/19) keeps the guest's PMEVTYPER0_EL0 in the vCPU's copy until the next
    // vcpu_load applies it (kvm_pmu_apply_event_filter(), 12/19), so there the counter counts
    // INST_RETIRED only after a reschedule: one step more.
    for (const [policy, over, depth] of [
      ['v5', { reservedHostCounters: 2 }, 3],
      ['v6', { cpu: qemu82, reservedHostCounters: 0 }, 4],
    ] as const) {
      const c = config(policy, over);
      const v = violation(c, 'guest-sees-overflow', depth);
      assert.deepEqual(steps(v).slice(-1), ['guest runs 4294967296 events 0x8 at EL1'], policy);
      assert.equal(steps(v).length, depth, policy);
      assert.match(v?.message ?? '', /an overflow\), but the guest reads PMOVSSET_EL0 = 0x0$/);
    }
    // mainline's emulated vPMU sets the flag (kvm_pmu_counter_increment() -> PMOVSSET).
    assert.equal(
      violation(config('mainline', { cpu: qemu82, reservedHostCounters: -1 }), 'guest-sees-overflow'),
      undefined,
    );
  });

  test("v7: cntr_mask is per PMU, host_squeezed per CPU: another VM's vcpu_put hands a running vCPU's counters to perf", () => {
    // Two CPUs of one PMU, two VMs. Both vCPUs own their counters (kvm_pmu_set_guest_counters()
    // took 0..3 from the PMU's cntr_mask, v7 13/20); the other VM's vcpu_put on CPU 1 gives the
    // mask back to the whole PMU, and a perf event opened on CPU 0 lands on counter 0, a first-range
    // counter of the vCPU still running there (D13.1.1).
    const qemu = lookupCpu('qemu-max-8-2');
    const c = config('v7', { cpu: qemu, other: qemu, reservedHostCounters: 2, secondVm: true });
    const v = violation(c, 'host-events-off-guest-counters', 6);
    assert.deepEqual(steps(v), [
      'KVM_RUN on CPU 0',
      'guest mrs x0, PMCR_EL0',
      "the other VM's vCPU: KVM_RUN on CPU 1",
      "the other VM's guest reads PMCR_EL0",
      "the other VM's vCPU: vcpu_put",
      'host perf_event_open(INST_RETIRED) on CPU 0',
    ]);
    assert.match(
      v?.message ?? '',
      /sits on PMEVCNTR0_EL0 of CPU 0, a first-range counter of the running vCPU$/,
    );
  });

  test('a PE without event counters has FEAT_HPMN0 (D13.1), so HPMN = 0 is not reserved there', () => {
    // D13.1 permits zero event counters with EL2 only when FEAT_HPMN0 is implemented: the full
    // space has no N = 0 PE without it (parseInlineCpu() refuses one), and HPMN = 0 is then legal.
    assert.deepEqual(
      [
        ...new Set(
          [...configurations('full', { policies: ['mainline'] })]
            .filter((c) => c.cpu.n === 0)
            .map((c) => c.cpu.name),
        ),
      ],
      [
        'PMUv3-n0+FGT+HPMN0',
        'PMUv3p1-n0+FGT+HPMN0',
        'PMUv3p4-n0+FGT+HPMN0',
        'PMUv3p5-n0+FGT+HPMN0',
        'PMUv3p7-n0+FGT+HPMN0',
        'PMUv3p8-n0+FGT+HPMN0',
        'PMUv3p9-n0+FGT+HPMN0',
        'PMUv3p9-n0+FGT+HPMN0+PMUv3_ICNTR',
      ],
    );
    const n0 = [...configurations('full', { policies: ['mainline'], cpus: ['PMUv3-n0+FGT+HPMN0'] })][0];
    assert.ok(n0 !== undefined && n0.cpu.n === 0);
    assert.equal(violation(n0, 'hpmn-not-reserved', 1), undefined);
    const n1 = [...configurations('full', { policies: ['pkvm'], cpus: ['PMUv3-n1'] })][0];
    assert.equal(
      violation(n1!, 'hpmn-not-reserved', 1)?.message,
      'MDCR_EL2.HPMN = 0 on CPU 0, which lacks FEAT_HPMN0',
    );
  });

  test("mainline holds every invariant on the small space; v6's fast path writes the guest's PMCR_EL0.P at EL2, its put selects PMCCNTR through PMSELR", () => {
    const run = runCheck({ space: 'small', depth: 3, filter: { policies: ['mainline', 'v6'] } });
    assert.equal(run.configurations, 2);
    const found = [
      'host-counters-untouched',
      'host-events-keep-counting',
      'guest-state-survives',
      'no-kernel-fault',
    ];
    for (const v of run.verdicts) {
      if (v.policy === 'v6' && found.includes(v.invariant)) continue;
      assert.equal(v.shortest, undefined, `${v.policy} ${v.invariant}`);
    }
    // Cortex-A710 (N = 20) has no FEAT_FGT; 14 reserved, so nr_pmu_counters = HPMN = 6 and the
    // host event sits on counter 6, counting the guest's 100 EL1 instructions (no exclude_guest).
    // v6 09/19's kvm_hyp_handle_pmu_regs() writes the trapped PMCR_EL0 = E|P to the hardware as
    // `val & ARMV8_PMU_PMCR_MASK`, at EL2, where P resets every event counter (D24.5.8): 100 -> 0.
    // The guest's E itself reaches the hardware and survives vcpu_put (kvm_pmu_put() saves it).
    const steps3 = [
      'KVM_RUN on CPU 0',
      'guest runs 100 events 0x8 at EL1',
      'guest msr PMCR_EL0, x0 (x0 = 0x3)',
    ];
    const host = verdictOf(run, 'v6', 'host-counters-untouched')?.shortest?.violation;
    assert.deepEqual(steps(host), steps3);
    assert.match(host?.message ?? '', /^host counter PMEVCNTR6_EL0 on CPU 0 changed \(value,.* 100,.* -> 0,/);
    const ev = verdictOf(run, 'v6', 'host-events-keep-counting')?.shortest?.violation;
    assert.equal(ev?.message, 'host perf event 0 (0x8) on CPU 0 went from 100 to 0');
    // v6 11/19 kvm_pmu_put(): for each bit of the guest mask (0..5 and 31) `write_sysreg(i,
    // pmselr_el0); read_sysreg(pmxevcntr_el0)`, then PMSELR_EL0 saved: the guest's 0 becomes 31.
    // PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31 is CONSTRAINED UNPREDICTABLE (D24.5.22 PMSELR_EL0.SEL;
    // the Cortex-A710 has no FEAT_FGT), a kernel fault for the model.
    const sel = verdictOf(run, 'v6', 'guest-state-survives')?.shortest?.violation;
    assert.equal(sel?.message, 'before: PMSELR_EL0 = 0x0; after: PMSELR_EL0 = 0x1f');
    assert.deepEqual(steps(sel), [
      'KVM_RUN on CPU 0',
      'guest mrs x0, PMCR_EL0',
      'vcpu_put, then KVM_RUN on CPU 0',
    ]);
    const fault = verdictOf(run, 'v6', 'no-kernel-fault')?.shortest?.violation;
    assert.match(
      fault?.message ?? '',
      /^kernel fault: read of PMXEVCNTR_EL0 at EL2 is CONSTRAINED UNPREDICTABLE .*SEL = 31/,
    );
    assert.equal(steps(fault).length, 3);
  });
});

describe('the vCPU ioctls in any order (space ioctls)', () => {
  const ioctls = (policy: string, over: Partial<Configuration>) =>
    config(policy, { ioctlOrder: true, ...over });

  test('v8: SET_NR_COUNTERS(20) on the little CPU, ENABLE_PARTITION on the big one: clamped to 18, silently (18/21)', () => {
    // On the Cortex-A510 (N = 6) pmu_is_partitioned() of the Cortex-A710's PMU is false, so
    // kvm_arm_pmu_get_max_counters() is its whole cntr_mask (20) and SET_NR_COUNTERS(20) returns 0;
    // ENABLE_PARTITION on the Cortex-A710 then sets nr_pmu_counters to max_guest_counters =
    // 20 - 2 reserved = 18 and returns 0 (v8 18/21). The guest reads N = 18, not the 20 promised.
    const c = ioctls('v8', { other: a510, reservedHostCounters: 2, nr: 20 });
    const v = violation(c, 'guest-pmcr-n', 7);
    assert.equal(
      v?.message,
      'the guest reads PMCR_EL0.N = 18; SET_NR_COUNTERS(20) returned 0 (nr_pmu_counters is now 18)',
    );
    const s = steps(v);
    assert.equal(s.length, 7);
    const nr = s.indexOf('KVM_SET_DEVICE_ATTR(PMU_V3_SET_NR_COUNTERS, 20) on CPU 1');
    const part = s.indexOf('KVM_SET_DEVICE_ATTR(PMU_V3_ENABLE_PARTITION, true) on CPU 0');
    assert.ok(nr >= 0 && part > nr, s.join('; '));
    assert.equal(s.at(-1), 'guest mrs x0, PMCR_EL0');
  });

  test('v8 on one CPU type: SET_NR_COUNTERS above max_guest_counters is -EINVAL, so no order breaks the promise', () => {
    // QEMU max 8.2, N = 6, 2 reserved: max_guest_counters = 4, and pmu_is_partitioned() holds on
    // every CPU, so SET_NR_COUNTERS(6) is refused in every order (docs/findings.md section 4).
    assert.equal(
      violation(ioctls('v8', { cpu: qemu82, reservedHostCounters: 2, nr: 6 }), 'guest-pmcr-n', 7),
      undefined,
    );
  });

  test("v5 without SET_PMU on big.LITTLE: the guest's N follows the CPU it runs on (kvm_pmu_guest_num_counters(), 15/24)", () => {
    // No SET_PMU: KVM_ARM_VCPU_INIT on CPU 0 installs the Cortex-A710's PMU (nr_pmu_counters = 20)
    // without narrowing supported_cpus, so KVM_RUN on the Cortex-A510 enters the guest. v5's
    // kvm_pmu_guest_num_counters() returns min(nr_pmu_counters, this CPU's nr_event_counters) even
    // without a partition: the guest reads N = 6. Mainline reports nr_pmu_counters (20).
    const c = ioctls('v5', { other: a510, reservedHostCounters: -1, nr: 1 });
    const v = violation(c, 'guest-pmcr-n', 5);
    assert.equal(v?.message, 'the guest reads PMCR_EL0.N = 6; nr_pmu_counters = 20');
    assert.deepEqual(steps(v), [
      'KVM_ARM_VCPU_INIT(PMU_V3) on CPU 0',
      'KVM_SET_DEVICE_ATTR(PMU_V3_IRQ, 23) on CPU 0',
      'KVM_SET_DEVICE_ATTR(PMU_V3_INIT) on CPU 0',
      'KVM_RUN on CPU 1',
      'guest mrs x0, PMCR_EL0',
    ]);
    assert.equal(
      violation(ioctls('mainline', { other: a510, reservedHostCounters: -1, nr: 1 }), 'guest-pmcr-n', 5),
      undefined,
    );
  });

  test('a SET_PMU after SET_NR_COUNTERS cancels its promise (devices/vcpu.rst); a refused ioctl has no successor', () => {
    const c = ioctls('mainline', { cpu: qemu82, reservedHostCounters: -1, nr: 1 });
    let s = initialState(c).state;
    const take = (a: Parameters<typeof successors>[1]) => {
      const next = successors(s, a);
      assert.equal(next.length, 1, actionText(a));
      s = next[0]!.after;
    };
    // Before KVM_ARM_VCPU_INIT the vCPU has no PMU_V3: kvm_arm_pmu_v3_set_attr() is -ENODEV.
    assert.deepEqual(successors(s, { kind: 'ioctl', call: 'SET_NR_COUNTERS', cpu: 0, n: 1 }), []);
    take({ kind: 'ioctl', call: 'VCPU_INIT', cpu: 0 });
    take({ kind: 'ioctl', call: 'SET_NR_COUNTERS', cpu: 0, n: 1 });
    assert.equal(s.promisedNr, 1);
    take({ kind: 'ioctl', call: 'SET_PMU', cpu: 0, pmu: 0 });
    assert.equal(s.promisedNr, undefined);
    assert.equal(getVm(s.world, 0).nrPmuCounters, 6);
  });

  test('the ioctls space runs every policy to depth 8 by default', () => {
    const cs = [...configurations('ioctls', { policies: ['v8'] })];
    assert.ok(cs.every((x) => x.ioctlOrder === true));
    assert.equal(spaceDepth('ioctls'), 8);
    assert.equal(spaceDepth('default'), 4);
  });
});

describe('a monitor that is not KVM: TF-RMM driven through RMI', () => {
  test('a REC created on the Cortex-A710 and entered on the Cortex-A510 runs with HPMN = 20 > N = 6', () => {
    // RMI_FEATURES on CPU 0 reports PMU_NUM_CTRS = PMCR_EL0.N = 20 (feature.c), RMI_REALM_CREATE
    // accepts pmu_num_ctrs = 20 there (realm.c), RMI_REC_CREATE on CPU 0 sets HPMN = 20
    // (rec.c init_common_sysregs()), and restore_realm_state() writes it on whichever PE enters the
    // REC: on the Cortex-A510 (N = 6) a reserved value (D24.3.17).
    const c = config('rmm', { other: a510, reservedHostCounters: -1 });
    const v = violation(c, 'hpmn-not-reserved', 3);
    assert.deepEqual(steps(v), [
      'RMI_REALM_CREATE(PMU, pmu_num_ctrs = 20)',
      'RMI_REC_CREATE on CPU 0',
      'RMI_REC_ENTER on CPU 1',
    ]);
    assert.equal(v?.message, 'MDCR_EL2.HPMN = 20 on CPU 1, which has N = 6');
  });

  test('on one CPU type the Realm reads N = pmu_num_ctrs, and without a PMU every access is UNDEFINED', () => {
    // HPMN = pmu_num_ctrs = 6 with TPM/TPMCR clear: the Realm reads PMCR_EL0.N = the Effective HPMN
    // (D24.5.8). Without the PMU flag TPM and TPMCR stay set: the access traps to EL2, where the
    // RMM answers an Undefined Instruction (the model's assumption, monitors/rmm.ts).
    const c = config('rmm', { cpu: qemu82, reservedHostCounters: -1 });
    const r = searchConfiguration(c, { depth: 4 });
    assert.deepEqual(
      r.violations.map((x) => x.invariant),
      [],
    );
    assert.ok(r.states > 5);
  });

  test('only the invariants that do not read KVM state are checked for a monitor; the others print n/a', () => {
    const run = runCheck({ space: 'small', depth: 3, filter: { policies: ['rmm'] } });
    const checked = run.verdicts.filter((v) => v.checked).map((v) => v.invariant);
    assert.deepEqual(checked, [
      'hpmn-not-reserved',
      'guest-pmcr-n',
      'no-pmu-undefined',
      'beyond-n-undefined',
    ]);
    assert.match(checkText(reportOf(run)), /^rmm +violated \(3 steps\) +\S.* n\/a /m);
  });
});

describe('no invariant is vacuous: a deliberately broken policy violates it', () => {
  test('hpmn-not-reserved: HPMN = 31 whatever the CPU has', () => {
    const p = broken('broken-hpmn', 'v6', (r) => ({ ...r, mdcrEl2: r.mdcrEl2 | HPMN }));
    const v = violation(config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 }), 'hpmn-not-reserved', 1);
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0']);
    assert.equal(v?.message, 'MDCR_EL2.HPMN = 31 on CPU 0, which has N = 6');
  });

  test('guest-pmcr-n: HPMN one below the promised count, so the hardware shows N = nr - 1', () => {
    const p = broken('broken-pmcr-n', 'v6', (r) => ({
      ...r,
      mdcrEl2: (r.mdcrEl2 & ~HPMN) | BigInt(Math.max(r.hpmn - 1, 1)),
    }));
    const v = violation(config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 }), 'guest-pmcr-n', 3);
    assert.equal(v?.message, 'the guest reads PMCR_EL0.N = 3; SET_NR_COUNTERS(4) returned 0');
  });

  test('host-counters-untouched and host-events-keep-counting: HPMN = N puts the host counters in the guest range', () => {
    const p = broken('broken-range', 'v6', (r, n) => ({ ...r, mdcrEl2: (r.mdcrEl2 & ~HPMN) | BigInt(n) }));
    const c = config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 });
    // After the first access switches the context to PHYSICAL (TPM clear with FEAT_FGT), the
    // guest's PMCNTENSET_EL0 reaches host counter 5 (bits below HPMN are not RAZ/WI, D24.5.7), and
    // its PMCR_EL0.P zeroes the host's counter 4 (D24.5.8 P: counters below the Effective HPMN).
    assert.deepEqual(steps(violation(c, 'host-counters-untouched', 3)), [
      'KVM_RUN on CPU 0',
      'guest mrs x0, PMCR_EL0',
      'guest msr PMCNTENSET_EL0, x0 (x0 = 0xffffffff)',
    ]);
    assert.ok(violation(c, 'host-events-keep-counting', 4) !== undefined);
  });

  test("host-counters-untouched: the cycle counter is the host's only while the PMU is not partitioned", () => {
    // Not vacuous for PMCCNTR_EL0: mainline does not partition, so host perf owns the cycle counter;
    // a policy that clears TPM/TPMCR and programs HPMN = 0 (legal with FEAT_HPMN0) leaves the guest
    // no event counter (every PMCNTENSET_EL0.P<n> is RAZ/WI at EL1 with n >= HPMN, D24.5.7) but the
    // cycle counter's enable C [31], which EL1 reaches whatever HPMN holds (D13.1.1 ISBQGJ).
    const TPM_TPMCR = (1n << 6n) | (1n << 5n);
    const p = broken('broken-cycle', 'mainline', (r) => ({ ...r, mdcrEl2: r.mdcrEl2 & ~TPM_TPMCR & ~HPMN }));
    const v = violation(config(p, { cpu: qemu82, reservedHostCounters: -1 }), 'host-counters-untouched', 2);
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest msr PMCNTENSET_EL0, x0 (x0 = 0xffffffff)']);
    assert.equal(
      v?.message,
      'host counter PMCCNTR_EL0 on CPU 0 changed (value,filter,enable,overflow,irq 0,0,0,0,0 -> 0,0,1,0,0)',
    );
  });

  test('N = 0 (FEAT_HPMN0): the guest enables its own cycle counter; v7 and v8 still share it with the host mask', () => {
    // With every counter... there are none: N = 0, reserved_host_counters = 0, max_guest_counters =
    // 0. The guest's PMCNTENSET_EL0 write sets C [31] in the hardware (D24.5.7; EL1 owns PMCCNTR_EL0
    // whatever HPMN holds, D13.1.1 ISBQGJ), its own counter: host perf never uses PMCCNTR_EL0 while
    // partitioned (armv8pmu_can_use_pmccntr()). kvm_pmu_host_counter_mask() is then
    // GENMASK(nr_counters - 1, 0) = GENMASK(-1, 0), a shift by 64 (C11 6.5.7: undefined; arm64's
    // LSR takes the amount modulo 64: all ones), so v7/v8's host mask holds bit 31 too, which
    // their guest mask (ARMV8_PMU_CNT_MASK_C | ...) also holds.
    const cpu = lookupSpaceCpu('PMUv3p5-n0+FGT+HPMN0');
    for (const policy of ['v6', 'v7', 'v8']) {
      const c = config(policy, { cpu, reservedHostCounters: 0 });
      assert.equal(violation(c, 'host-counters-untouched', 3), undefined, policy);
      const s0 = initialState(c).state;
      const [run] = successors(s0, { kind: 'run', cpu: 0 });
      // A first access makes the guest own the PMU (PHYSICAL: TPM clear); then it writes.
      const [read] = successors(run!.after, { kind: 'guest', dir: 'read', reg: 'PMCR_EL0' });
      const w = successors(read!.after, {
        kind: 'guest',
        dir: 'write',
        reg: 'PMCNTENSET_EL0',
        value: 0xffff_ffffn,
      });
      assert.equal(w.length, 1);
      assert.equal(w[0]!.by, 'hardware', policy);
      assert.equal(getHostCpu(w[0]!.after.world, 0).pe.regs.PMCNTENSET_EL0, 1n << 31n, policy);
    }
    for (const policy of ['v7', 'v8']) {
      const v = violation(config(policy, { cpu, reservedHostCounters: 0 }), 'masks-disjoint', 1);
      assert.deepEqual(steps(v), ['KVM_RUN on CPU 0']);
      assert.equal(v?.message, 'counters 0x80000000 are in both masks on CPU 0');
    }
  });

  test('beyond-n-undefined: HPMN = N with 4 counters promised lets the guest read counter 4 on the hardware', () => {
    const p = broken('broken-range', 'v6', (r, n) => ({ ...r, mdcrEl2: (r.mdcrEl2 & ~HPMN) | BigInt(n) }));
    const v = violation(config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 }), 'beyond-n-undefined', 3);
    // The first access switches the context to PHYSICAL; then PMEVCNTR4_EL0 (4 < HPMN = 6) is a
    // first-range counter, accessible at EL1 without a trap (D24.5.10).
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest mrs x0, PMCR_EL0', 'guest mrs x0, PMEVCNTR4_EL0']);
    assert.equal(
      v?.message,
      "the guest's read of PMEVCNTR4_EL0, beyond its N = 4, reached hardware counter 4 on CPU 0 (MDCR_EL2.HPMN = 6)",
    );
    assert.equal(
      violation(config('v6', { cpu: qemu82, reservedHostCounters: 2, nr: 4 }), 'beyond-n-undefined', 3),
      undefined,
    );
  });

  test('no-kernel-fault: no MDCR_EL2 a policy computes makes an EL2 access fault, so its predicate is shown on the kernel layer', () => {
    // The kernel's own accesses at EL2 are not filtered by MDCR_EL2 (HPMN and the traps apply
    // to EL1 and EL0; D24.5.10), so no broken policy can trigger this invariant; what can is a
    // kernel access to a counter the CPU lacks: PMEVCNTR6_EL0 on a PE with N = 6 is UNDEFINED
    // with FEAT_FGT (D24.5.10, D13.11 SRPKH). The invariant reports the fault such a step logs.
    const s = initialState(config('v6', { cpu: qemu82, reservedHostCounters: 2, nr: 4 })).state;
    const pe = getHostCpu(s.world, 0).pe;
    const r = hwWrite(pe, 'PMEVCNTR6_EL0', 1n);
    assert.match(r.fault ?? '', /^kernel fault: write of PMEVCNTR6_EL0 at EL2 is UNDEFINED/);
    const after = { ...s, world: withLog(s.world, [r.fault ?? '']) };
    const inv = INVARIANTS.find((i) => i.name === 'no-kernel-fault');
    const t = { action: { kind: 'put' } as const, choices: {}, before: s, after };
    assert.equal(inv?.check(t), r.fault);
    assert.equal(inv?.check({ ...t, after: s }), undefined);
  });

  test('guest-counters-not-el2: HPMD clear, so first-range counters count the host at EL2', () => {
    // MDCR_EL2.HPMD [17] (D24.3.17): when 1, first-range counters do not count at EL2.
    const HPMD = 1n << 17n;
    // And PMEVTYPER<n>_EL0 untrapped (HDFGRTR_EL2/HDFGWTR_EL2 0), so the guest's NSH reaches the
    // hardware unfiltered (KVM's event filter would clear it otherwise).
    const p = broken('broken-hpmd', 'v6', (r) => ({
      ...r,
      mdcrEl2: r.mdcrEl2 & ~HPMD,
      hdfgrtr: 0n,
      hdfgwtr: 0n,
    }));
    const c = config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 });
    const v = violation(c, 'guest-counters-not-el2', 5);
    assert.ok(v !== undefined);
    assert.equal(v.trace.at(-1)?.action.kind, 'host-count');
    assert.equal(
      violation(config('v6', { cpu: qemu82, reservedHostCounters: 2, nr: 4 }), 'guest-counters-not-el2', 4),
      undefined,
    );
  });

  test('no-pmu-undefined: a pKVM protected VM without a PMU whose TPM and TPMCR are cleared reaches the hardware', () => {
    // pvm_init_traps_mdcr() sets MDCR_EL2.TPM [6] and TPMCR [5] for a protected VM without a PMU;
    // without them an EL1 access of PMCR_EL0 completes on the hardware (D24.5.8 accessor) instead of
    // trapping to KVM, which would inject UNDEFINED.
    const TPM_TPMCR = (1n << 6n) | (1n << 5n);
    const p = broken('broken-pkvm', 'pkvm', (r) => ({ ...r, mdcrEl2: r.mdcrEl2 & ~TPM_TPMCR }));
    const c = config(p, { cpu: qemu82, reservedHostCounters: -1 });
    const v = violation(c, 'no-pmu-undefined', 2);
    assert.deepEqual(steps(v), ['KVM_RUN on CPU 0', 'guest mrs x0, PMCR_EL0']);
    assert.match(v?.message ?? '', /answered ok \(by the hardware\)$/);
    assert.equal(
      violation(config('pkvm', { cpu: qemu82, reservedHostCounters: -1 }), 'no-pmu-undefined', 2),
      undefined,
    );
  });

  test("no-pmu-undefined: an index >= N without FEAT_FGT is the hardware's before any trap (D24.5.10, K1.2.6.2)", () => {
    // Neoverse N2: N = 6, no FEAT_FGT; a pKVM protected VM without a PMU keeps TPM set. MRS/MSR
    // PMEVCNTR6_EL0 tests "m >= GetNumEventCountersSelfHosted()" before MDCR_EL2.TPM, and without
    // FEAT_FGT that is ConstrainUnpredictableProcedure(Unpredictable_PMUEVENTCOUNTER): UNDEFINED,
    // RAZ/WI and NOP complete on the hardware; "as if <n> is an UNKNOWN value" below the accessible
    // count re-runs the accessor, which then traps on TPM, and KVM injects the UNDEF.
    const c = config('pkvm', { cpu: lookupCpu('neoverse-n2'), reservedHostCounters: -1 });
    const inv = INVARIANTS.find((i) => i.name === 'no-pmu-undefined')!;
    const [run] = successors(initialState(c).state, { kind: 'run', cpu: 0 });
    const ts = successors(run!.after, { kind: 'guest', dir: 'read', reg: 'PMEVCNTR6_EL0' });
    const seen = ts.map((t) => {
      const o = t.outcome;
      return `${t.choices.PMUEVENTCOUNTER}: ${t.by} ${o?.kind}${o?.kind === 'ok' && o.value !== undefined ? ` ${o.value}` : ''}`;
    });
    assert.deepEqual(seen, [
      'undefined: hardware undefined',
      'raz-wi: hardware ok 0',
      'nop: hardware ok',
      ...[0, 1, 2, 3, 4, 5].map((k) => `as-index-${k}: kvm undefined`),
    ]);
    for (const t of ts) assert.equal(inv.check(t), undefined, String(t.choices.PMUEVENTCOUNTER));
    // What the exemption still forbids: a value, or a changed PMU (not a permitted behaviour).
    const raz = ts[1]!;
    assert.equal(
      inv.check({ ...raz, outcome: { kind: 'ok', value: 5n } }),
      'the vCPU has no PMU, and its read of PMEVCNTR6_EL0 (n >= N = 6, no FEAT_FGT) answered ok 0x5, neither UNDEFINED nor RAZ/WI nor a NOP',
    );
    // An index below N gets no exemption: it traps on TPM, and KVM must make it UNDEFINED.
    const [below] = successors(run!.after, { kind: 'guest', dir: 'read', reg: 'PMEVCNTR0_EL0' });
    assert.equal(below?.by, 'kvm');
    assert.equal(
      inv.check({ ...below!, by: 'hardware', outcome: { kind: 'ok', value: 0n } }),
      'the vCPU has no PMU, but its read of PMEVCNTR0_EL0 answered ok (by the hardware)',
    );
  });

  test("v7 and v8 with every counter reserved for the host: v7 10/20's guest mask is all ones, v8 11/21 guards it", () => {
    // Cortex-A710, N = 20, reserved_host_counters = 20: max_guest_counters = 0. Host mask
    // GENMASK(19, 0) = 0xfffff (both). v7: ARMV8_PMU_CNT_MASK_C | GENMASK(-1, 0), a shift by 64,
    // all ones on arm64 (masks.ts genmask()): every host counter is in it too. v8: "if
    // (pmu->max_guest_counters > 0)" leaves the cycle counter alone.
    const c = { other: a510, reservedHostCounters: 20 };
    const v7 = violation(config('v7', c), 'masks-disjoint', 1);
    assert.deepEqual(steps(v7), ['KVM_RUN on CPU 0']);
    assert.equal(v7?.message, 'counters 0xfffff are in both masks on CPU 0');
    assert.equal(violation(config('v8', c), 'masks-disjoint', 3), undefined);
  });

  test('the space takes policies defined outside the registry', () => {
    const p = broken('broken-hpmn', 'v6', (r) => ({ ...r, mdcrEl2: r.mdcrEl2 | HPMN }));
    const run = runCheck({
      space: 'small',
      depth: 1,
      filter: { policies: ['broken-hpmn'], extraPolicies: [p] },
    });
    assert.equal(run.configurations, 1);
    assert.ok(verdictOf(run, 'broken-hpmn', 'hpmn-not-reserved')?.shortest !== undefined);
  });
});

describe('the search', () => {
  test('every CONSTRAINED UNPREDICTABLE behaviour is a successor: a reserved HPMN forks a guest count', () => {
    // HPMN = 31 on a CPU with N = 6 (reserved, D24.3.17): the guest's 100 instructions count on
    // the host's perf counter (second range, enabled by HPME) or not (first range, the guest's
    // PMCR_EL0.E = 0 after reset), depending on the HPMN the PE takes: several successors, each
    // naming its RES_HPMN behaviour.
    const p = broken('broken-hpmn', 'v6', (r) => ({ ...r, mdcrEl2: r.mdcrEl2 | HPMN }));
    const init = initialState(config(p, { cpu: qemu82, reservedHostCounters: 2, nr: 4 })).state;
    const [run] = successors(init, { kind: 'run', cpu: 0 });
    assert.ok(run !== undefined);
    const next = successors(run.after, { kind: 'guest-count', event: 0x08, times: 100n });
    assert.ok(next.length >= 2, `successors: ${next.length}`);
    assert.equal(next.length, 7); // all-second-range and hpmn-1..6, one each
    assert.ok(next.every((t) => t.choices.RES_HPMN !== undefined));
    const keys = new Set(next.map((t) => worldKey(t.after.world)));
    assert.ok(keys.size >= 2);
  });

  test('two runs give the same results', () => {
    const a = runCheck({ space: 'small', depth: 2 });
    const b = runCheck({ space: 'small', depth: 2 });
    assert.deepEqual(
      a.verdicts.map((v) => [v.policy, v.invariant, v.violatedIn]),
      b.verdicts.map((v) => [v.policy, v.invariant, v.violatedIn]),
    );
    assert.equal(a.states, b.states);
  });

  test('the default space is enumerated lazily and filters by policy and CPU', () => {
    const all = [...configurations('default', { policies: ['v6'], cpus: ['neoverse-n2'] })];
    // Neoverse N2: N = 6; reserved -1, 0, 2, 6; nr default, 0, 1, 4, 6.
    assert.equal(all.length, 4 * 5);
    assert.ok(all.every((c) => c.policy.name === 'v6' && c.cpu.name === 'neoverse-n2'));
  });

  test('pmup check exits 1 with a counterexample, 0 when everything holds, 2 on bad input', () => {
    const bad = runPmup(['check', '--space', 'small', '--depth', '2', '--policy', 'review']);
    assert.equal(bad.status, 1);
    assert.match(
      bad.stdout,
      /^review violates hpmn-not-reserved .*: MDCR_EL2\.HPMN = 8 on CPU 1, which has N = 6$/m,
    );
    assert.match(bad.stdout, /^ {2}1\. KVM_RUN on CPU 1$/m);
    const good = runPmup(['check', '--space', 'small', '--depth', '2', '--policy', 'v6']);
    assert.equal(good.status, 0, good.stdout);
    const json = JSON.parse(runPmup(['check', '--space', 'small', '--depth', '1', '--json']).stdout);
    assert.equal(json.space, 'small');
    assert.equal(runPmup(['check', '--space', 'nope']).status, 2);
    assert.equal(runPmup(['check', '--depth', 'x']).status, 2);
  });

  test('filters: an unknown CPU, an N outside 0..31 and a filter that keeps nothing are errors (exit 2)', () => {
    const unknown = runPmup(['check', '--cpu', 'cortex-a55']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^pmup: Unknown CPU "cortex-a55" \(did you mean .*cortex-a53/);
    const wide = runPmup(['check', '--n', '32']);
    assert.equal(wide.status, 2);
    assert.match(wide.stderr, /--n must be a counter count 0\.\.31/);
    // The default space has no Cortex-A53 (N = 6) and no 4-counter CPU; the ioctls space has no monitors.
    const none = runPmup(['check', '--cpu', 'cortex-a53']);
    assert.equal(none.status, 2);
    assert.equal(none.stderr, 'pmup: check: no configuration of space default matches --cpu cortex-a53\n');
    assert.equal(runPmup(['check', '--n', '4']).status, 2);
    assert.equal(runPmup(['check', '--space', 'ioctls', '--policy', 'rmm']).status, 2);
  });

  test('--n keeps the hosts with a CPU of that many counters; --cpu takes a synthetic name', () => {
    // The seed pair has N = 20 and 6, Neoverse N2 6, QEMU max 6 (the catalogue); --n 20 keeps the pair only.
    const pair = [...configurations('default', { ns: [20] })];
    assert.ok(pair.length > 0);
    assert.ok(pair.every((c) => c.cpu.name === 'cortex-a710' && c.other?.name === 'cortex-a510'));
    const zero = [...configurations('full', { ns: [0], policies: ['v6'] })];
    assert.ok(zero.length > 0 && zero.every((c) => c.cpu.n === 0 && c.other === undefined));
    const one = runPmup([
      'check',
      '--space',
      'full',
      '--cpu',
      'PMUv3p4-n0+FGT+HPMN0',
      '--policy',
      'mainline',
      '--depth',
      '1',
    ]);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /^pmup check: space full, \d+ configurations/);
  });
});

describe('replay and findings', () => {
  test('a replay token runs the counterexample again and shows what each step changed', () => {
    const c = config('review', { other: a510, nr: 8 });
    const v = violation(c, 'hpmn-not-reserved');
    assert.ok(v !== undefined);
    const token = replayToken(c, v.trace);
    const back = parseReplayToken(token);
    assert.equal(back.configuration.policy.name, 'review');
    const steps = replay(back.configuration, back.trace);
    // vcpu_load on CPU 1 writes review's MDCR_EL2 (HPMN = 8) into the Cortex-A510's PE.
    const cpu1 = steps[0]?.hardware.find((h) => h.cpu === 1)?.changes.get('MDCR_EL2');
    assert.equal(cpu1 !== undefined ? cpu1 & HPMN : undefined, 8n);
    assert.deepEqual(
      steps[0]?.broken.map((b) => b.invariant),
      ['hpmn-not-reserved'],
    );
    const out = runPmup(['replay', token]);
    assert.equal(out.status, 0, out.stdout);
    assert.match(out.stdout, /^ {3}breaks hpmn-not-reserved: MDCR_EL2\.HPMN = 8 on CPU 1, which has N = 6$/m);
    assert.equal(runPmup(['replay', 'not-a-token']).status, 2);
  });

  test('a token of a synthetic CPU replays: v5 on a PMUv3 PE without HPMD counts host EL2 events on the guest counter', () => {
    // MDCR_EL2.HPMD is PMUv3p1 (D24.3.17): on a PMUv3 PE first-range counters count at EL2 when
    // PMEVTYPER<n>.NSH says so, and v5's stale FGT after the lazy switch lets the guest's NSH reach
    // the hardware (the promised-traps finding). Found by shard 1/256 of the full space.
    const c = [...configurations('full', { policies: ['v5'], cpus: ['PMUv3-n5+FGT+HPMN0'] })].find(
      (x) => x.reservedHostCounters === 1 && x.nr === undefined,
    );
    assert.ok(c !== undefined);
    const v = violation(c, 'guest-counters-not-el2', 4);
    assert.equal(v?.message, 'guest counter PMEVCNTR0_EL0 on CPU 0 counted host EL2 events (0 -> 100)');
    const back = parseReplayToken(replayToken(c, v?.trace ?? []));
    assert.equal(back.configuration.cpu.name, 'PMUv3-n5+FGT+HPMN0');
    assert.equal(back.configuration.cpu.n, 5);
    assert.deepEqual(
      replay(back.configuration, back.trace)
        .at(-1)
        ?.broken.map((b) => b.invariant),
      ['guest-counters-not-el2'],
    );
  });

  test("docs/findings.md's generated part is what pmup check finds now (npm run findings)", () => {
    const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');
    assert.equal(findingsPart(doc), generatedFindings(), 'docs/findings.md is stale: run npm run findings');
  });
});

describe('sharding, merging and workers', () => {
  test('the merge of the shards is the whole run, byte for byte', () => {
    const whole = checkText(reportOf(runCheck({ space: 'small', depth: 3, filter: { bothOrders: true } })));
    const shards = [0, 1, 2].map((index) =>
      reportOf(
        runCheck({ space: 'small', depth: 3, filter: { bothOrders: true }, shard: { index, count: 3 } }),
        {
          index,
          count: 3,
        },
      ),
    );
    // Through JSON, as the files of a CI matrix would carry them.
    const merged = mergeReports(shards.map((r) => JSON.parse(JSON.stringify(r))));
    assert.equal(checkText(merged), whole);
    assert.throws(() => mergeReports(shards.slice(0, 2)), /1 of 3 shards are missing/);
  });

  test('pmup check on two worker threads prints what one thread prints', () => {
    const args = ['dist/cli/main.js', 'check', '--space', 'small', '--depth', '2', '--both-orders'];
    const one = spawnSync(process.execPath, [...args, '--workers', '1'], { encoding: 'utf8' });
    const two = spawnSync(process.execPath, [...args, '--workers', '2'], { encoding: 'utf8' });
    assert.equal(one.status, 1, one.stderr);
    assert.equal(two.status, 1, two.stderr);
    assert.equal(two.stdout, one.stdout);
  });

  test('from the sources (node --import tsx) the worker threads load worker.ts and print the same', () => {
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'check', '--space', 'small', '--depth', '1'];
    const one = spawnSync(process.execPath, [...args, '--workers', '1'], { encoding: 'utf8' });
    const two = spawnSync(process.execPath, [...args, '--workers', '2'], { encoding: 'utf8' });
    assert.equal(two.stderr, '');
    assert.equal(two.status, one.status);
    assert.equal(two.stdout, one.stdout);
  });
});

describe('pmup check: Ctrl-C', () => {
  test('SIGINT stops the workers, says what was checked, exits 130 and prints no report', async () => {
    const { spawn } = await import('node:child_process');
    // The catalogue space takes minutes; the signal comes once the workers are searching.
    const { mkdtempSync, readdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pmup-int-'));
    const out = join(dir, 'report.json');
    writeFileSync(out, 'the previous report\n');
    const args = [
      'dist/cli/main.js',
      'check',
      '--space',
      'catalogue',
      '--workers',
      '1',
      '--json',
      '--output',
      out,
    ];
    const child = spawn(process.execPath, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(code, 130, stderr);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^pmup check: interrupted after \d+ of 5250 configurations; no report written\n {2}mainline: /,
    );
    assert.match(stderr, /^ {2}fixed-counters: (nothing violated so far|violated so far: .*)$/m);
    // --output: the file is replaced only by a whole report, so it keeps its old content.
    assert.equal(readFileSync(out, 'utf8'), 'the previous report\n');
    assert.deepEqual(readdirSync(dir), ['report.json']);
  });

  test('--output FILE holds what stdout would, and nothing goes to stdout', () => {
    const out = `${process.env['TMPDIR'] ?? '/tmp'}/pmup-out-${process.pid}.txt`;
    const plain = runPmup(['check', '--space', 'small', '--depth', '1']);
    const filed = runPmup(['check', '--space', 'small', '--depth', '1', '--output', out]);
    assert.equal(filed.status, plain.status);
    assert.equal(filed.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), plain.stdout);
    const bad = runPmup(['check', '--space', 'small', '--depth', '1', '--output', '/nonexistent/dir/r.txt']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'pmup: check: cannot write /nonexistent/dir/r.txt (ENOENT)\n');
  });
});

describe('pmup diff', () => {
  test("v5 against review on the seed: review's kvm_mdcr_hpmn() programs HPMN = nr_pmu_counters = 8", () => {
    // review (reply to v5 15/24): kvm_mdcr_hpmn() returns nr_pmu_counters (8) for a partitioned
    // vCPU not flagged unsupported, on either CPU; v5's kvm_pmu_hpmn() keeps hpmn_max = 20 - 14 = 6.
    const r = diffPolicies(lookupPolicy('v5'), lookupPolicy('review'), 'small', {}, 2);
    assert.equal(r.compared, 1);
    const fields = new Map(r.differences[0]?.fields.map((f) => [f.field, f]));
    for (const cpu of [0, 1]) {
      const f = fields.get(`MDCR_EL2 on CPU ${cpu}`);
      assert.ok(f !== undefined);
      assert.equal(BigInt(f.a) & HPMN, 6n);
      assert.equal(BigInt(f.b) & HPMN, 8n);
    }
    const out = runPmup(['diff', '--policy', 'v5', '--policy', 'review', '--space', 'small', '--depth', '1']);
    assert.equal(out.status, 1);
    assert.match(out.stdout, /^pmup diff: v5 against review, space small: 1 of 1 configurations differ$/m);
    assert.equal(
      runPmup(['diff', '--policy', 'v5', '--policy', 'v5', '--space', 'small', '--depth', '1']).status,
      0,
    );
    assert.equal(runPmup(['diff', '--policy', 'v5']).status, 2);
  });
});
