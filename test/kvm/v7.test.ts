// SPDX-License-Identifier: MIT
// v7 of the partitioned-PMU series: the dynamic guest counter reservation (13/20
// kvm_pmu_set_guest_counters(), 12/20 perf_pmu_resched_update(), 06/20 hw_cntr_mask and
// max_guest_counters), the instruction counter given back to the host, and invariant I4 of the
// research digest (section 6) under v5, v6 and v7. Expected values are worked out by hand from
// the kernel code: arch/arm64/kvm/pmu-direct.c (v7 10/20 kvm_pmu_guest_counter_mask() =
// PMCCNTR | GENMASK(max_guest_counters - 1, 0); 13/20 new_mask = hw_cntr_mask & ~guest_mask),
// drivers/perf/arm_pmuv3.c (armv8pmu_get_event_idx(): lowest free counter of cntr_mask; v7 05/20
// PMCCNTR only while cntr_mask holds it) and kernel/events/core.c (__ctx_resched(): all events
// out, mask updated, pinned then flexible back in, in creation order; merge_sched_in(): a pinned
// event without a counter goes to the error state, and after the first failure of a pass no
// later event of that pass is tried).
//
// The model switches a vCPU's PMU context to the hardware at its first trapped PMU access
// (kvm_pmu_set_physical_access() -> kvm_pmu_load()), as v5 19/24 does; v7 14/20's
// kvm_pmu_set_guest_owned() only re-runs kvm_arm_setup_mdcr_el2(), so on v7 the reservation would
// come with the next vcpu_load. The tests that speak of vcpu_load therefore put and load again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withCounter } from '../../src/arch/pmu/state.js';
import type { PerfEventAttr } from '../../src/kvm/host.js';
import { kvmArchVcpuLoad, kvmArchVcpuPut, PINNED_SQUEEZED_WARNING } from '../../src/kvm/lifecycle.js';
import { armv8pmuStart, hostRun, hostUsedMask, perfEventOpen, perfEventRead } from '../../src/kvm/perf.js';
import { kvmPmuGuestCounterMaskV7, vmGuestCounterMask } from '../../src/kvm/vpmu.js';
import { getHostCpu, getVcpu, getVm, type VcpuRef, type World, withPe } from '../../src/kvm/world.js';
import { cpus, gread, host, hpmnOf, run, vpmuVm } from './kvm_helpers.js';

const INST_RETIRED = 0x08;
const CPU_CYCLES = 0x11;
const BIT_C = 1n << 31n;
const BIT_I = 1n << 32n;
/** N = 8, FEAT_FGT and FEAT_HPMN0: with reserved_host_counters = 4, guest 0..3 and host 4..7. */
const N8 = '{"pmuVer":"PMUv3p5","n":8,"features":["FEAT_VHE","FEAT_FGT","FEAT_HPMN0"]}';
/** N = 6 with the instruction counter (FEAT_PMUv3_ICNTR, so PMUv3p9 and FEAT_FGT2). */
const ICNTR =
  '{"pmuVer":"PMUv3p9","n":6,"features":["FEAT_VHE","FEAT_FGT","FEAT_FGT2","FEAT_HPMN0","FEAT_PMUv3_ICNTR"]}';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** perf_event_open() that must get a counter; returns the world, the event id and its counter. */
function open(w: World, cpu: number, event: number, attr: Partial<PerfEventAttr> = {}) {
  const r = perfEventOpen(w, cpu, event, attr);
  assert.ok(r.ret >= 0, r.why);
  return { world: r.world, id: r.id!, idx: r.ret };
}

/** The counter of every host event, in creation order (-1: not on a counter). */
function counters(w: World): number[] {
  return w.host.perfEvents.map((e) => e.idx);
}

/**
 * `events` host events opened on CPU 0 (perf_event_open() order), the PMU started, and host code
 * at EL2 retiring 100 instructions.
 */
function hostWith(
  policy: string,
  cpu: string,
  reserved: number,
  events: readonly (readonly [number, Partial<PerfEventAttr>?])[],
): World {
  let w = host(policy, cpus(cpu), reserved);
  for (const [event, attr] of events) w = open(w, 0, event, attr).world;
  w = armv8pmuStart(w, 0).world;
  return hostRun(w, 0, { [INST_RETIRED]: 100 }).world;
}

/** A partitioned VM whose vCPU runs on CPU 0 and has touched its PMU (PMU context on the hardware). */
function ownedVcpu(w0: World): { world: World; ref: VcpuRef } {
  const { world, ref } = vpmuVm(w0, { partition: true });
  let w = run(world, ref);
  w = gread(w, ref, 'PMCR_EL0').world;
  assert.equal(getVcpu(w, ref).pmu.access, 'PHYSICAL');
  return { world: w, ref };
}

/** vcpu_put and vcpu_load on CPU 0 again: the load finds the PMU context guest-owned. */
function reload(w: World, ref: VcpuRef): { world: World; trace: readonly string[] } {
  const put = kvmArchVcpuPut(w, ref);
  return kvmArchVcpuLoad(put.world, ref, 0);
}

describe('v7 boot: max_guest_counters bounds the guest, cntr_mask keeps every counter (06/20)', () => {
  test('qemu-max-8-2 (N = 6), reserved_host_counters = 2: max_guest_counters = 4, cntr_mask = hw_cntr_mask', () => {
    const w = host('v7', cpus('qemu-max-8-2'), 2);
    const pmu = w.host.pmus[0]!;
    assert.equal(pmu.hpmnMax, 4);
    // bitmap_set(hw_cntr_mask, 0, N) | cycle counter; no FEAT_PMUv3_ICNTR.
    assert.equal(hex(pmu.hwCntrMask), '0x8000003f');
    assert.equal(hex(pmu.cntrMask), '0x8000003f');
    // v5 on the same host takes the guest's counters and the cycle counter at boot (07/24).
    assert.equal(hex(host('v5', cpus('qemu-max-8-2'), 2).host.pmus[0]!.cntrMask), '0x30');
  });
  test('v7 guest mask: PMCCNTR | GENMASK(max_guest_counters - 1, 0), no instruction counter', () => {
    const p = { armPmu: true, hpmnMax: 4, hostCounters: 6 };
    assert.equal(hex(kvmPmuGuestCounterMaskV7(p)), '0x8000000f');
    assert.equal(kvmPmuGuestCounterMaskV7({ ...p, hpmnMax: -1 }), 0n, 'not partitioned');
  });
  test('without a vCPU, CPU_CYCLES takes PMCCNTR_EL0 again (05/20 checks cntr_mask, not "partitioned")', () => {
    const w = host('v7', cpus('qemu-max-8-2'), 2);
    assert.equal(open(w, 0, CPU_CYCLES).idx, 31);
    assert.equal(perfEventOpen(host('v6', cpus('qemu-max-8-2'), 2), 0, CPU_CYCLES).ret, 4);
  });
});

describe('v7 vcpu_load moves host events off the guest counters; vcpu_put brings them back (13/20)', () => {
  test('N = 8, 4 host counters: events on counters 0, 1, 2 move to 4, 5, 6 and come back', () => {
    // Opened with the full cntr_mask: INST_RETIRED has no instruction counter here, so 0, 1, 2.
    const w0 = hostWith('v7', N8, 4, [[INST_RETIRED], [INST_RETIRED], [INST_RETIRED]]);
    assert.deepEqual(counters(w0), [0, 1, 2]);
    assert.equal(perfEventRead(w0, 2), 100n);
    const pmu = (w: World) => w.host.pmus[0]!;
    const guest = BIT_C | 0xfn;

    let { world: w, ref } = ownedVcpu(w0);
    const vm = getVm(w, ref.vm);
    assert.equal(vmGuestCounterMask(w, vm, 0), guest);
    w = kvmArchVcpuPut(w, ref).world;
    // kvm_pmu_put() -> kvm_pmu_set_guest_counters(pmu, 0): host_squeezed, so a reschedule onto
    // hw_cntr_mask, events in creation order onto the lowest free counters.
    assert.deepEqual(counters(w), [0, 1, 2]);
    assert.equal(getHostCpu(w, 0).hostSqueezed, false);
    assert.equal(hex(pmu(w).cntrMask), '0x800000ff');

    const load = kvmArchVcpuLoad(w, ref, 0);
    w = load.world;
    // new_mask = 0x800000ff & ~0x8000000f = 0xf0; counter 0, 1, 2 are in the guest mask (used_mask
    // intersects): host_squeezed, perf_pmu_resched_update(): 0 -> 4, 1 -> 5, 2 -> 6.
    assert.deepEqual(counters(w), [4, 5, 6]);
    assert.equal(getHostCpu(w, 0).hostSqueezed, true);
    assert.equal(hex(pmu(w).cntrMask), '0xf0');
    const at = (p: string) => load.trace.findIndex((l) => l.startsWith(p));
    assert.ok(
      at('kvm_pmu_set_guest_counters') >= 0 &&
        at('perf_pmu_resched_update') > at('kvm_pmu_set_guest_counters'),
    );
    assert.ok(
      at('kvm_pmu_load') > at('perf_pmu_resched_update'),
      'the reservation comes before the context load',
    );
    // Counter 6 is in the second range (HPMN = 4), enabled by HPME: the moved event counts at EL2.
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 4);
    w = hostRun(w, 0, { [INST_RETIRED]: 50 }).world;
    assert.equal(perfEventRead(w, 2), 150n, 'counted 100 on counter 2, then 50 on counter 6');

    w = kvmArchVcpuPut(w, ref).world;
    assert.deepEqual(counters(w), [0, 1, 2]);
    assert.equal(getHostCpu(w, 0).hostSqueezed, false);
    w = hostRun(w, 0, { [INST_RETIRED]: 25 }).world;
    assert.equal(perfEventRead(w, 2), 175n);
  });

  test('no free host counter (N = 6, host counters 4, 5): the third event stops counting until vcpu_put', () => {
    const w0 = hostWith('v7', 'qemu-max-8-2', 2, [[INST_RETIRED], [INST_RETIRED], [INST_RETIRED]]);
    assert.deepEqual(counters(w0), [0, 1, 2]);
    let { world: w, ref } = ownedVcpu(w0);
    w = reload(w, ref).world;
    // new_mask = 0x8000003f & ~0x8000000f = 0x30: 0 -> 4, 1 -> 5, 2 finds none (flexible: waits).
    assert.deepEqual(counters(w), [4, 5, -1]);
    assert.deepEqual(
      w.host.perfEvents.map((e) => e.state),
      ['active', 'active', 'inactive'],
    );
    assert.equal(getHostCpu(w, 0).hostSqueezed, true);
    assert.equal(hex(w.host.pmus[0]!.cntrMask), '0x30');
    w = hostRun(w, 0, { [INST_RETIRED]: 50 }).world;
    assert.deepEqual(
      [0, 1, 2].map((id) => perfEventRead(w, id)),
      [150n, 150n, 100n],
      'the unscheduled event does not count',
    );
    w = kvmArchVcpuPut(w, ref).world;
    assert.deepEqual(counters(w), [0, 1, 2]);
    assert.equal(getHostCpu(w, 0).hostSqueezed, false);
    w = hostRun(w, 0, { [INST_RETIRED]: 25 }).world;
    assert.deepEqual(
      [0, 1, 2].map((id) => perfEventRead(w, id)),
      [175n, 175n, 125n],
    );
  });

  test('no collision: the mask is just copied, nothing is rescheduled and host_squeezed stays clear', () => {
    // v7 on qemu-max-8-2 with events opened while the guest holds 0..3 land on 4 and 5.
    const w0 = host('v7', cpus('qemu-max-8-2'), 2);
    let { world: w, ref } = ownedVcpu(w0);
    w = open(w, 0, INST_RETIRED).world;
    w = open(w, 0, INST_RETIRED).world;
    assert.deepEqual(counters(w), [4, 5]);
    const put = kvmArchVcpuPut(w, ref);
    assert.equal(put.trace.filter((l) => l.startsWith('perf_pmu_resched_update')).length, 0);
    assert.deepEqual(counters(put.world), [4, 5], 'not squeezed: not rescheduled at put either');
    const load = kvmArchVcpuLoad(put.world, ref, 0);
    assert.equal(load.trace.filter((l) => l.startsWith('perf_pmu_resched_update')).length, 0);
    assert.equal(getHostCpu(load.world, 0).hostSqueezed, false);
    assert.equal(hex(load.world.host.pmus[0]!.cntrMask), '0x30');
  });

  test('pinned events are scheduled first, and a squeezed pinned event is warned about', () => {
    const w0 = hostWith('v7', 'qemu-max-8-2', 2, [
      [INST_RETIRED],
      [INST_RETIRED],
      [INST_RETIRED, { pinned: true }],
    ]);
    assert.deepEqual(counters(w0), [0, 1, 2]);
    let { world: w, ref } = ownedVcpu(w0);
    const before = w.log.length;
    w = reload(w, ref).world;
    // Pinned pass: event 2 -> 4. Flexible pass: event 0 -> 5, event 1 finds none.
    assert.deepEqual(counters(w), [5, -1, 4]);
    assert.ok(w.log.slice(before).includes(PINNED_SQUEEZED_WARNING));
  });

  test('a pinned event left without a counter goes to the error state and stays there after vcpu_put', () => {
    // merge_sched_in(): "if (event->attr.pinned) ... perf_event_set_state(event, PERF_EVENT_STATE_ERROR)";
    // an event in the error state is not scheduled in again (event->state <= PERF_EVENT_STATE_OFF).
    const pinned = { pinned: true };
    const w0 = hostWith('v7', 'qemu-max-8-2', 2, [
      [INST_RETIRED, pinned],
      [INST_RETIRED, pinned],
      [INST_RETIRED, pinned],
    ]);
    let { world: w, ref } = ownedVcpu(w0);
    w = reload(w, ref).world;
    assert.deepEqual(counters(w), [4, 5, -1]);
    assert.equal(w.host.perfEvents[2]!.state, 'error');
    w = kvmArchVcpuPut(w, ref).world;
    assert.deepEqual(counters(w), [0, 1, -1]);
    assert.equal(w.host.perfEvents[2]!.state, 'error');
    w = hostRun(w, 0, { [INST_RETIRED]: 25 }).world;
    assert.equal(perfEventRead(w, 2), 100n);
  });

  test('after the first flexible event that finds no counter, later ones are not tried (can_add_hw)', () => {
    // With the instruction counter: CPU_CYCLES takes PMCCNTR (31), then 0 and 1; INST_RETIRED takes
    // PMICNTR (32). At the squeeze: 31 -> 4 (PMCCNTR left cntr_mask), 0 -> 5, 1 finds none, and
    // the INST_RETIRED event is not tried although PMICNTR_EL0 stays free. (perf's multiplexing
    // timer, not modelled, would rotate the flexible events and retry.)
    const w0 = hostWith('v7', ICNTR, 2, [[CPU_CYCLES], [CPU_CYCLES], [CPU_CYCLES], [INST_RETIRED]]);
    assert.deepEqual(counters(w0), [31, 0, 1, 32]);
    let { world: w, ref } = ownedVcpu(w0);
    w = reload(w, ref).world;
    assert.deepEqual(counters(w), [4, 5, -1, -1]);
    assert.equal(hex(w.host.pmus[0]!.cntrMask), hex(0x30n | BIT_I));
  });
});

describe('I4: the host never uses a guest counter while a partitioned vCPU is loaded', () => {
  // qemu-max-8-2, reserved_host_counters = 2. Host events are opened at boot: under v5/v6 they get
  // the host's counters 4, 5; under v7 counters 0, 1 (every counter is the host's at boot).
  for (const [policy, expected] of [
    ['v5', [4, 5]],
    ['v6', [4, 5]],
    ['v7', [0, 1]],
  ] as const) {
    test(`${policy}: cntr_mask and the host's counters are disjoint from the guest mask, at the first access and at every load`, () => {
      const w0 = hostWith(policy, 'qemu-max-8-2', 2, [[INST_RETIRED], [INST_RETIRED]]);
      assert.deepEqual(counters(w0), expected);
      const check = (w: World, ref: VcpuRef, when: string) => {
        const guest = vmGuestCounterMask(w, getVm(w, ref.vm), 0);
        assert.equal(w.host.pmus[0]!.cntrMask & guest, 0n, `${when}: cntr_mask ∩ guest`);
        assert.equal(hostUsedMask(w, 0) & guest, 0n, `${when}: used_mask ∩ guest`);
        // And in the architecture's terms: every host event sits in the second range [HPMN, N).
        const hpmn = hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2);
        for (const e of w.host.perfEvents)
          assert.ok(
            e.state !== 'active' || (e.idx >= hpmn && e.idx < 6),
            `${when}: event ${e.id} on ${e.idx}`,
          );
      };
      let { world: w, ref } = ownedVcpu(w0);
      check(w, ref, 'first access');
      for (let i = 0; i < 3; i++) {
        w = reload(w, ref).world;
        check(w, ref, `load ${i + 1}`);
      }
    });
  }
  test('v5/v6: the reservation is static, so after vcpu_put the host still cannot use the guest range', () => {
    for (const policy of ['v5', 'v6']) {
      const w0 = hostWith(policy, 'qemu-max-8-2', 2, [[INST_RETIRED], [INST_RETIRED]]);
      const { world, ref } = ownedVcpu(w0);
      const w = kvmArchVcpuPut(world, ref).world;
      assert.equal(hex(w.host.pmus[0]!.cntrMask), '0x30', policy);
      assert.equal(perfEventOpen(w, 0, INST_RETIRED).errno, 'EAGAIN', `${policy}: 4 and 5 are taken`);
    }
  });
  test('v7: between vcpu_put and the next vcpu_load the host may use the guest range', () => {
    const w0 = hostWith('v7', 'qemu-max-8-2', 2, [[INST_RETIRED], [INST_RETIRED]]);
    let { world: w, ref } = ownedVcpu(w0);
    w = kvmArchVcpuPut(w, ref).world;
    assert.equal(hex(w.host.pmus[0]!.cntrMask), '0x8000003f');
    const e = open(w, 0, INST_RETIRED);
    assert.equal(e.idx, 2, 'lowest free counter: inside the guest range 0..3');
    assert.equal(open(e.world, 0, CPU_CYCLES).idx, 31, 'and the cycle counter');
    // The next load takes them back (2 -> 4, 31 -> 5; the first two find no counter).
    w = kvmArchVcpuLoad(open(e.world, 0, CPU_CYCLES).world, ref, 0).world;
    assert.equal(hostUsedMask(w, 0) & vmGuestCounterMask(w, getVm(w, ref.vm), 0), 0n);
  });
});

describe('v7 gives the instruction counter back to the host', () => {
  test('v7: INST_RETIRED takes PMICNTR_EL0 and keeps it while the vCPU is loaded', () => {
    const w0 = hostWith('v7', ICNTR, 2, [[INST_RETIRED]]);
    assert.deepEqual(counters(w0), [32]);
    assert.equal(hex(w0.host.pmus[0]!.hwCntrMask), hex(0x3fn | BIT_C | BIT_I));
    let { world: w, ref } = ownedVcpu(w0);
    w = reload(w, ref).world;
    const guest = vmGuestCounterMask(w, getVm(w, ref.vm), 0);
    assert.equal(guest & BIT_I, 0n, 'not in the v7 guest mask');
    assert.equal(w.host.pmus[0]!.cntrMask & BIT_I, BIT_I, 'still in cntr_mask while loaded');
    assert.deepEqual(counters(w), [32]);
    assert.equal(getHostCpu(w, 0).hostSqueezed, false);
  });
  test('v5/v6: the partition takes PMICNTR_EL0 from the host (cntr_mask); v5 gives it to the guest mask, v6 to neither', () => {
    // v5 09/24: guest mask = ARMV8_PMU_CNT_MASK_ALL & ~host_mask, bit 32 included. v6 as corrected
    // on the list (reply to [PATCH v6 06/19]): ARMV8_PMU_CNT_MASK_C | GENMASK(max_guest_counters - 1, 0),
    // no bit 32.
    for (const [policy, inGuestMask] of [
      ['v5', BIT_I],
      ['v6', 0n],
    ] as const) {
      const w = host(policy, cpus(ICNTR), 2);
      assert.equal(w.host.pmus[0]!.cntrMask & BIT_I, 0n, policy);
      assert.equal(open(w, 0, INST_RETIRED).idx, 4, `${policy}: a general host counter instead`);
      const { world, ref } = ownedVcpu(w);
      assert.equal(vmGuestCounterMask(world, getVm(world, ref.vm), 0) & BIT_I, inGuestMask, policy);
    }
  });
  test('finding: PMICNTR_EL0 is a first-range counter, so the host loses it while a partitioned vCPU is loaded', () => {
    // Inference from the Arm ARM (D13.1.1: PMICNTR_EL0 and PMCCNTR_EL0 are always in the first
    // range; MDCR_EL2.HPMD prohibits first-range counting at EL2, PMCR_EL0.E enables the first
    // range): with the vCPU loaded, MDCR_EL2 is the guest's (HPMD set when partitioned) and
    // PMCR_EL0 holds the guest's value (E = 0 here), so the host's instruction counter stops.
    const w0 = hostWith('v7', ICNTR, 2, [[INST_RETIRED]]);
    assert.equal(perfEventRead(w0, 0), 100n);
    let { world: w, ref } = ownedVcpu(w0);
    w = reload(w, ref).world;
    assert.equal(getHostCpu(w, 0).pe.regs.PMCR_EL0 & 1n, 0n, "the guest's PMCR_EL0.E");
    w = hostRun(w, 0, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, 0), 100n, 'nothing counted at EL2 while loaded');
    // Nor after vcpu_put: nothing rescheduled, so nothing ran armv8pmu_start(), and PMCR_EL0.E
    // keeps the guest's 0 (kvm_pmu_put() restores nothing of the host's; cf. lifecycle.test.ts I1).
    w = kvmArchVcpuPut(w, ref).world;
    w = hostRun(w, 0, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, 0), 100n);
    w = hostRun(armv8pmuStart(w, 0).world, 0, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, 0), 200n, 'counts again once the host PMU is started');
  });
});

describe('v7 findings about the dynamic reservation (inferences from the v7 code)', () => {
  test("an overflow of the host's PMICNTR_EL0 is cleared by neither the host nor KVM, so the interrupt stays raised", () => {
    // armv8pmu_handle_irq() (v7 15/20) clears pmovsr & kvm_pmu_host_counter_mask() =
    // GENMASK(N-1, max_guest_counters), and kvm_pmu_handle_guest_irq() pmovsr & the v7 guest
    // mask (PMCCNTR | 0..max-1): bit 32 is in neither, although v7 lets the host use PMICNTR_EL0.
    let w = hostWith('v7', ICNTR, 2, [[INST_RETIRED]]);
    const pe = getHostCpu(w, 0).pe;
    w = withPe(w, 0, withCounter(pe, 32, (1n << 64n) - 10n));
    w = hostRun(w, 0, { [INST_RETIRED]: 20 }).world;
    assert.equal(getHostCpu(w, 0).pe.regs.PMOVSSET_EL0 & BIT_I, BIT_I, 'still set after the handler');
    assert.equal(w.host.perfEvents[0]!.overflows, 1);
    // Host code that counts nothing still finds the interrupt raised: the handler runs again and
    // perf is told of an overflow that did not happen.
    w = hostRun(w, 0, {}).world;
    assert.equal(w.host.perfEvents[0]!.overflows, 2);
    // Mainline clears every flag it read (armv8pmu_getreset_flags()).
    let m = hostWith('mainline', ICNTR, -1, [[INST_RETIRED]]);
    m = withPe(m, 0, withCounter(getHostCpu(m, 0).pe, 32, (1n << 64n) - 10n));
    m = hostRun(m, 0, { [INST_RETIRED]: 20 }).world;
    assert.equal(getHostCpu(m, 0).pe.regs.PMOVSSET_EL0 & BIT_I, 0n);
    assert.equal(hostRun(m, 0, {}).world.host.perfEvents[0]!.overflows, 1);
  });
  test('before the guest touches its PMU nothing is reserved, yet HPMN = 4 and HPMD stop host events on 0..3 at EL2', () => {
    // kvm_pmu_load() returns early unless the PMU is GUEST_OWNED (v7 14/20), but kvm_pmu_hpmn()
    // does not look at ownership (v7 09/20), and kvm_arm_setup_mdcr_el2() sets HPMD when
    // partitioned: host events left on counters 0..3 are first-range counters prohibited at EL2.
    const w0 = hostWith('v7', 'qemu-max-8-2', 2, [[INST_RETIRED], [INST_RETIRED]]);
    const { world, ref } = vpmuVm(w0, { partition: true });
    let w = run(world, ref);
    assert.equal(getVcpu(w, ref).pmu.access, 'VIRTUAL');
    assert.deepEqual(counters(w), [0, 1], 'not moved');
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 4);
    w = hostRun(w, 0, { [INST_RETIRED]: 50 }).world;
    assert.deepEqual([perfEventRead(w, 0), perfEventRead(w, 1)], [100n, 100n]);
  });
  test('cntr_mask is per PMU: a vcpu_put on CPU 0 hands the guest range back while a vCPU is loaded on CPU 1', () => {
    // kvm_pmu_set_guest_counters() writes cpu_pmu->cntr_mask, one mask for all CPUs of the PMU;
    // only host_squeezed is per CPU. After vCPU A's put on CPU 0, an event opened on CPU 1 takes
    // counter 0, inside vCPU B's first range, and programs it over B's state.
    let w = host('v7', cpus('qemu-max-8-2', 2), 2);
    const a = ownedVcpu(w);
    const vmB = vpmuVm(a.world, { partition: true, cpu: 1 });
    w = run(vmB.world, vmB.ref, 1);
    w = gread(w, vmB.ref, 'PMCR_EL0').world;
    assert.equal(hex(w.host.pmus[0]!.cntrMask), '0x30', 'both loaded: guest range reserved');
    w = kvmArchVcpuPut(w, a.ref).world;
    assert.equal(getVcpu(w, vmB.ref).cpu, 1, 'B is still loaded on CPU 1');
    assert.equal(hex(w.host.pmus[0]!.cntrMask), '0x8000003f');
    const e = open(w, 1, INST_RETIRED);
    assert.equal(e.idx, 0);
    assert.equal(hpmnOf(getHostCpu(e.world, 1).pe.regs.MDCR_EL2), 4, "counter 0 is in B's first range");
    assert.equal(
      getHostCpu(e.world, 1).pe.typer[0],
      BigInt(INST_RETIRED) | (1n << 27n),
      "B's PMEVTYPER0_EL0 overwritten",
    );
  });
});
