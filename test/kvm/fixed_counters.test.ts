// SPDX-License-Identifier: MIT
// KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY (Akihiko Odaki) and its clash with ENABLE_PARTITION:
// both are attribute 5 of KVM_ARM_VCPU_PMU_V3_CTRL. Expected values from Odaki's v5
// kvm_arm_pmu_v3_set_pmu_fixed_counters_only() (-EBUSY after the first run, or with a filter set
// before; then the flag, nr_pmu_counters := 0, supported_cpus := every PMU's CPUs),
// kvm_arm_pmu_get_max_counters() (0 with the flag) and kvm_arm_pmu_v3_set_nr_counters() (n > max
// -> -EINVAL), the v8 changelog (FILTER and SET_PMU mutually exclusive with it; errno assumed
// -EBUSY), and the partitioned series' ENABLE_PARTITION (v8 18/21: get_user() of the payload,
// -EFAULT when it cannot be read; v6/v7 copy_from_user() likewise).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupCpu } from '../../src/arch/cpus.js';
import { kvmArmPmuV3HasAttr, kvmArmPmuV3SetAttr, kvmArmVcpuInit, kvmRun } from '../../src/kvm/api.js';
import { ERRNO } from '../../src/kvm/errno.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { kvmPartitionScenario } from '../../src/kvm/scenario.js';
import { getVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import { attr, cpus, host, must, vmWithVcpus } from './kvm_helpers.js';

/** A PMU vCPU initialised on CPU 0 of a Cortex-A710 + Cortex-A510 host, IRQ set, not INIT. */
function vcpu(policy: string): { world: World; ref: VcpuRef } {
  const v = vmWithVcpus(host(policy, [...cpus('cortex-a710'), ...cpus('cortex-a510')]), 1);
  const ref = v.vcpus[0]!;
  const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true, cpu: 0 }));
  return { world: attr(w, ref, { attr: 'IRQ', irq: 23 }), ref };
}

const FCO = { attr: 'FIXED_COUNTERS_ONLY' } as const;

describe('FIXED_COUNTERS_ONLY', () => {
  test("set: nr_pmu_counters 0, supported_cpus every PMU's CPUs; has_attr lists 5", () => {
    const { world, ref } = vcpu('fixed-counters');
    assert.equal(getVm(world, 0).nrPmuCounters, 20, 'the Cortex-A710 default');
    assert.deepEqual(getVm(world, 0).supportedCpus, [0, 1]);
    const w = attr(world, ref, FCO);
    assert.equal(getVm(w, 0).fixedCountersOnly, true);
    assert.equal(getVm(w, 0).nrPmuCounters, 0);
    assert.deepEqual(getVm(w, 0).supportedCpus, [0, 1]);
    assert.equal(kvmArmPmuV3HasAttr(w, ref, 'FIXED_COUNTERS_ONLY'), 0);
    // get_max_counters() = 0: SET_NR_COUNTERS(1) is -EINVAL, 0 is accepted.
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 1 }).errno, 'EINVAL');
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 0 }).ret, 0);
  });
  test('exclusive with FILTER and SET_PMU, in either order', () => {
    const { world, ref } = vcpu('fixed-counters');
    const filter = { attr: 'FILTER', baseEvent: 0, nevents: 8, action: 0 } as const;
    assert.equal(kvmArmPmuV3SetAttr(attr(world, ref, filter), ref, FCO).errno, 'EBUSY');
    assert.equal(kvmArmPmuV3SetAttr(attr(world, ref, FCO), ref, filter).errno, 'EBUSY');
    const pmu = { attr: 'SET_PMU', pmuId: world.host.pmus[0]!.type } as const;
    assert.equal(kvmArmPmuV3SetAttr(attr(world, ref, pmu), ref, FCO).errno, 'EBUSY');
    assert.equal(kvmArmPmuV3SetAttr(attr(world, ref, FCO), ref, pmu).errno, 'EBUSY');
  });
  test('the vCPU runs on a CPU of the other PMU; with SET_PMU it would fail entry', () => {
    const { world, ref } = vcpu('fixed-counters');
    const fco = attr(attr(world, ref, FCO), ref, { attr: 'INIT' });
    assert.equal(kvmRun(fco, ref, { cpu: 1 }).exit, 'GUEST_ENTERED');
    const pinned = attr(attr(world, ref, { attr: 'SET_PMU', pmuId: world.host.pmus[0]!.type }), ref, {
      attr: 'INIT',
    });
    assert.equal(kvmRun(pinned, ref, { cpu: 1 }).exit, 'FAIL_ENTRY_CPU_UNSUPPORTED');
  });
});

describe('attribute 5: one number, three meanings', () => {
  test('a partition VMM on a FIXED_COUNTERS_ONLY kernel gets FIXED_COUNTERS_ONLY, with 0 returned', () => {
    const { world, ref } = vcpu('fixed-counters');
    const r = kvmArmPmuV3SetAttr(world, ref, { attr: 'ENABLE_PARTITION', enable: true });
    assert.equal(r.ret, 0);
    assert.equal(getVm(r.world, 0).fixedCountersOnly, true);
    assert.equal(getVm(r.world, 0).partitionPmuEnabled, false);
    assert.equal(getVm(r.world, 0).nrPmuCounters, 0);
  });
  test('a FIXED_COUNTERS_ONLY VMM on a partition kernel: the payload read faults (-EFAULT), v6 to v8', () => {
    for (const policy of ['v6', 'v7', 'v8']) {
      const { world, ref } = vcpu(policy);
      assert.equal(kvmArmPmuV3SetAttr(world, ref, FCO).errno, 'EFAULT', policy);
    }
  });
  test('mainline and v5 have no attribute 5: -ENXIO', () => {
    for (const policy of ['mainline', 'v5']) {
      const { world, ref } = vcpu(policy);
      assert.equal(kvmArmPmuV3SetAttr(world, ref, FCO).ret, -ERRNO.ENXIO, policy);
      assert.equal(kvmArmPmuV3HasAttr(world, ref, 'FIXED_COUNTERS_ONLY'), -ERRNO.ENXIO, policy);
    }
  });
  test('pmup kvm under fixed-counters reports the clash and the refusals that follow', () => {
    const r = kvmPartitionScenario({
      policy: lookupPolicy('fixed-counters'),
      cpu: lookupCpu('cortex-a710'),
      reservedHostCounters: -1,
      nr: 4,
    });
    assert.ok(
      r.problems[0]!.message.includes('reads attribute 5 as FIXED_COUNTERS_ONLY'),
      r.problems.map((p) => p.message).join('\n'),
    );
    assert.deepEqual(
      r.ioctls.filter((i) => i.errno !== undefined).map((i) => i.errno),
      ['EBUSY', 'EINVAL'],
    );
    assert.equal(r.kvmPmcrN, 0);
  });
});
