// SPDX-License-Identifier: MIT
// The linux-6.1 reading of the KVM model (policy `mainline:linux-6.1`, kernel trait vpmu =
// 'linux-6.1') beside mainline: each test runs the same VMM calls under both and shows where
// v6.1's arch/arm64/kvm differs. Host: one QEMU 7.2 `-cpu max` (src/arch/cpus.ts qemu-max:
// PMUv3p5, N = 6, PMCR_EL0 IMP 0x41 IDCODE 0x01, AArch32 at EL0), as harness/kvm/ boots it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  kvmArmPmuV3HasAttr,
  kvmArmPmuV3SetAttr,
  kvmArmVcpuInit,
  kvmGetOneReg,
  kvmSetOneRegPmcr,
  kvmSetOneRegPmu,
} from '../../src/kvm/api.js';
import { guestRun } from '../../src/kvm/guest.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { kvmGuestPmuVerField, PERFCTR_CPU_CYCLES } from '../../src/kvm/vpmu.js';
import { getVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import { attr, cpus, gread, gwrite, host, must, pmcrN, run, vmWithVcpus } from './kvm_helpers.js';

const KERNELS = ['mainline', 'mainline:linux-6.1'] as const;

/** One vCPU initialised with PMU_V3 on a one-CPU qemu-max host; nothing else. */
function initialised(policy: string): { world: World; ref: VcpuRef } {
  const v = vmWithVcpus(host(policy, cpus('qemu-max')), 1);
  const ref = v.vcpus[0]!;
  return { world: must(kvmArmVcpuInit(v.world, ref, { pmuV3: true })), ref };
}

/** initialised(), then IRQ 23 and INIT (the default vGIC is initialised), then KVM_RUN. */
function running(policy: string, pmcr?: bigint): { world: World; ref: VcpuRef } {
  const i = initialised(policy);
  let w = i.world;
  if (pmcr !== undefined) w = must(kvmSetOneRegPmcr(w, i.ref, pmcr));
  w = attr(w, i.ref, { attr: 'IRQ', irq: 23 });
  w = attr(w, i.ref, { attr: 'INIT' });
  return { world: run(w, i.ref), ref: i.ref };
}

describe('linux-6.1 beside mainline', () => {
  test('the policy is a variant of mainline, found by name, with the same MDCR_EL2', () => {
    const v = lookupPolicy('mainline:linux-6.1');
    assert.equal(v.kernel.vpmu, 'linux-6.1');
    assert.equal(lookupPolicy('mainline').kernel.vpmu, 'mainline');
  });

  test('SET_NR_COUNTERS: v6.1 has no attribute 4 (-ENXIO); mainline has it', () => {
    // v6.1 kvm_arm_pmu_v3_has_attr() lists IRQ, INIT, FILTER, SET_PMU.
    const want = { mainline: [0, 0], 'mainline:linux-6.1': [-6, -6] };
    for (const k of KERNELS) {
      const { world, ref } = initialised(k);
      const set = kvmArmPmuV3SetAttr(world, ref, { attr: 'SET_NR_COUNTERS', n: 2 });
      assert.deepEqual([kvmArmPmuV3HasAttr(world, ref, 'SET_NR_COUNTERS'), set.ret], want[k], k);
    }
  });

  test('the default PMU: chosen at KVM_ARM_VCPU_INIT in mainline, at the first attribute in v6.1', () => {
    const m = initialised('mainline');
    assert.equal(getVm(m.world, m.ref.vm).armPmu, 0);
    const o = initialised('mainline:linux-6.1');
    assert.equal(getVm(o.world, o.ref.vm).armPmu, undefined);
    // Even a failing attribute probes it (v6.1 does so before the switch).
    const r = kvmArmPmuV3SetAttr(o.world, o.ref, { attr: 9 });
    assert.equal(r.errno, 'ENXIO');
    assert.equal(getVm(r.world, o.ref.vm).armPmu, 0);
  });

  test("PMCR_EL0 after reset: v6.1 keeps the host's IMP, IDCODE and N, with 0xdecafbad's low byte less E", () => {
    // reset_pmcr(): (0x41013000 & ~0xff) | (0xad & ~E) = 0x410130ac; AArch32 EL0 exists, no LC.
    // Mainline: reset_pmcr() keeps LC only; get_pmcr() inserts N = nr_pmu_counters = 6.
    const want = { mainline: 0x3000n, 'mainline:linux-6.1': 0x410130acn };
    for (const k of KERNELS) {
      const { world, ref } = initialised(k);
      assert.equal(kvmGetOneReg(world, ref, 'PMCR_EL0').value, want[k], k);
    }
  });

  test('the bitmaps after reset: v6.1 resets them to reset_unknown() & (counters 0..5 | C)', () => {
    // 0x1de7ec7edbadc0de & 0x8000003f = 0x8000001e; mainline's model takes the UNKNOWN value as 0.
    const want = { mainline: 0n, 'mainline:linux-6.1': 0x8000001en };
    for (const k of KERNELS) {
      const { world, ref } = initialised(k);
      assert.equal(kvmGetOneReg(world, ref, 'PMCNTENSET_EL0').value, want[k], k);
    }
  });

  test('the other PMU registers after reset: v6.1 has reset_unknown() under each register mask', () => {
    // reset_pmselr(): & 0x1f; reset_pmevcntr(): the low 32 bits; reset_pmevtyper(): & 0xc800ffff;
    // PMCCNTR_EL0: all 64 bits of 0x1de7ec7edbadc0de; PMCCFILTR_EL0, PMUSERENR_EL0: 0.
    const regs = [
      'PMSELR_EL0',
      'PMEVCNTR0_EL0',
      'PMEVTYPER30_EL0',
      'PMCCNTR_EL0',
      'PMCCFILTR_EL0',
      'PMUSERENR_EL0',
    ] as const;
    const want = {
      mainline: [0n, 0n, 0n, 0n, 0n, 0n],
      'mainline:linux-6.1': [0x1en, 0xdbadc0den, 0xc800c0den, 0x1de7ec7edbadc0den, 0n, 0n],
    };
    for (const k of KERNELS) {
      const { world, ref } = initialised(k);
      assert.deepEqual(
        regs.map((r) => kvmGetOneReg(world, ref, r).value),
        want[k],
        k,
      );
    }
  });

  test('KVM_SET_ONE_REG(PMCR_EL0) with N = 31: v6.1 takes it, mainline ignores an N above 6', () => {
    const want = { mainline: 6, 'mainline:linux-6.1': 31 };
    for (const k of KERNELS) {
      const { world, ref } = running(k, 0x4101f800n);
      assert.equal(pmcrN(gread(world, ref, 'PMCR_EL0').value), want[k], k);
    }
  });

  test('KVM_SET_ONE_REG of a bitmap: v6.1 stores the value unmasked, mainline within the counters', () => {
    const want = { mainline: 0x8000003fn, 'mainline:linux-6.1': 0xffffffffn };
    for (const k of KERNELS) {
      const { world, ref } = initialised(k);
      const w = must(kvmSetOneRegPmu(world, ref, 'PMCNTENSET_EL0', 0xffffffffn));
      assert.equal(kvmGetOneReg(w, ref, 'PMCNTENSET_EL0').value, want[k], k);
    }
  });

  test('ONE_REG of a PMU register on a vCPU without PMU_V3: -ENOENT in both (pmu_visibility())', () => {
    for (const k of KERNELS) {
      const v = vmWithVcpus(host(k, cpus('qemu-max')), 1);
      const ref = v.vcpus[0]!;
      const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: false }));
      assert.equal(kvmGetOneReg(w, ref, 'PMCR_EL0').errno, 'ENOENT', k);
      assert.equal(kvmSetOneRegPmcr(w, ref, 0n).errno, 'ENOENT', k);
    }
  });

  test('the guest PMUVer on a PMUv3p5 host: v6.1 caps at PMUv3p4 (5), mainline at PMUv3p5 (6)', () => {
    const want = { mainline: 6, 'mainline:linux-6.1': 5 };
    for (const k of KERNELS) {
      const { world, ref } = running(k);
      assert.equal(kvmGuestPmuVerField(world, ref), want[k], k);
    }
  });

  test('v6.1, N = 31: of 12 counters counting CPU_CYCLES, 7 move (6 event counters and the cycle counter)', () => {
    // Pinned perf events on a PMU with 6 event counters and a cycle counter: counter 0 takes the
    // cycle counter (armv8pmu_get_event_idx()), 1..6 the event counters, 7..11 find none.
    let { world: w, ref } = running('mainline:linux-6.1', 0x4101f800n);
    for (let i = 0; i < 12; i++) {
      w = gwrite(w, ref, 'PMSELR_EL0', BigInt(i));
      w = gwrite(w, ref, 'PMXEVTYPER_EL0', BigInt(PERFCTR_CPU_CYCLES));
      w = gwrite(w, ref, 'PMXEVCNTR_EL0', 0n);
    }
    w = gwrite(w, ref, 'PMCNTENSET_EL0', 0xfffn);
    w = gwrite(w, ref, 'PMCR_EL0', 0x41n);
    w = guestRun(w, ref, { [PERFCTR_CPU_CYCLES]: 1000 }).world;
    const moved: number[] = [];
    for (let i = 0; i < 12; i++) {
      w = gwrite(w, ref, 'PMSELR_EL0', BigInt(i));
      if (gread(w, ref, 'PMXEVCNTR_EL0').value !== 0n) moved.push(i);
    }
    assert.deepEqual(moved, [0, 1, 2, 3, 4, 5, 6]);
  });
});
