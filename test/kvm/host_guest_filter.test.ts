// SPDX-License-Identifier: MIT
// Which of the host's and the guest's execution a host perf event counts. Expected values come
// from the kernel code: drivers/perf/arm_pmuv3.c armv8pmu_set_event_filter() (with VHE:
// INCLUDE_EL2 unless exclude_kernel/exclude_host, EXCLUDE_EL1 for exclude_guest, EXCLUDE_EL0 for
// exclude_host), arch/arm64/kvm/pmu.c kvm_pmu_switch_needed(), kvm_set_pmu_events(),
// kvm_vcpu_pmu_restore_guest()/_host() (with VHE, EL0 counting switched at vcpu_load/put, since
// host and guest user space both run at EL0), arch/arm64/kvm/hyp/nvhe/switch.c
// __pmu_switch_to_guest()/_host() (without VHE, PMCNTEN switched at each entry), and
// arch/arm64/kvm/pmu-emul.c kvm_pmu_create_perf_event() (the emulated vPMU's events have
// exclude_host). So the kernel stops a host event from counting the guest only when the event
// asks for it (exclude_guest, `cycles:H`); an event that excludes neither counts both.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { guestRun } from '../../src/kvm/guest.js';
import { DEFAULT_PERF_ATTR, type PerfEventAttr } from '../../src/kvm/host.js';
import { kvmArchVcpuLoad, kvmArchVcpuPut } from '../../src/kvm/lifecycle.js';
import {
  armv8pmuSetEventFilter,
  armv8pmuStart,
  hostRun,
  kvmPmuSwitchNeeded,
  perfEventOpen,
  perfEventRead,
} from '../../src/kvm/perf.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { getHostCpu, getVcpu, makeWorld, type VcpuRef, type World } from '../../src/kvm/world.js';
import { cpus, gread, gwrite, host, run, vpmuVm } from './kvm_helpers.js';

const INST_RETIRED = 0x08;
const INCLUDE_EL2 = 1n << 27n;
const EXCLUDE_EL0 = 1n << 30n;
const EXCLUDE_EL1 = 1n << 31n;
const H: Partial<PerfEventAttr> = { excludeGuest: true };
const G: Partial<PerfEventAttr> = { excludeHost: true };

const attr = (a: Partial<PerfEventAttr>): PerfEventAttr => ({ ...DEFAULT_PERF_ATTR, ...a });

/** A host with one started INST_RETIRED event with `a` on CPU 0; returns the world and its counter. */
function withEvent(w0: World, a: Partial<PerfEventAttr>): { world: World; idx: number } {
  const r = perfEventOpen(w0, 0, INST_RETIRED, a);
  assert.ok(r.ret >= 0, r.why);
  return { world: armv8pmuStart(r.world, 0).world, idx: r.ret };
}

/** Host code at `el` on CPU 0 retiring `n` instructions. */
function host_(w: World, n: number, el: 0 | 1 | 2 = 2): World {
  return hostRun(w, 0, { [INST_RETIRED]: n }, { el }).world;
}

/** The guest on `ref` retiring `n` instructions at `el`. */
function guest(w: World, ref: VcpuRef, n: number, el: 0 | 1): World {
  return guestRun(w, ref, { [INST_RETIRED]: n }, { el }).world;
}

describe('armv8pmu_set_event_filter() and kvm_pmu_switch_needed()', () => {
  test('VHE: the host kernel is EL2, the guest kernel EL1, both user spaces EL0', () => {
    assert.equal(armv8pmuSetEventFilter(attr({}), true), INCLUDE_EL2);
    assert.equal(armv8pmuSetEventFilter(attr(H), true), INCLUDE_EL2 | EXCLUDE_EL1);
    assert.equal(armv8pmuSetEventFilter(attr(G), true), EXCLUDE_EL0);
    assert.equal(armv8pmuSetEventFilter(attr({ excludeKernel: true }), true), EXCLUDE_EL1);
    assert.equal(armv8pmuSetEventFilter(attr({ excludeUser: true }), true), INCLUDE_EL2 | EXCLUDE_EL0);
    // exclude_hv is ignored at EL2 ("we *are* the hypervisor").
    assert.equal(armv8pmuSetEventFilter(attr({ excludeHv: true }), true), INCLUDE_EL2);
  });
  test('nVHE: exclude_guest is not a filter (the host kernel is EL1 too); exclude_hv drops EL2', () => {
    assert.equal(armv8pmuSetEventFilter(attr({}), false), INCLUDE_EL2);
    assert.equal(armv8pmuSetEventFilter(attr(H), false), INCLUDE_EL2);
    assert.equal(armv8pmuSetEventFilter(attr(G), false), 0n);
    assert.equal(armv8pmuSetEventFilter(attr({ excludeHv: true }), false), 0n);
  });
  test('switching is needed when exclude_host != exclude_guest, except with VHE for an event without EL0', () => {
    assert.equal(kvmPmuSwitchNeeded(attr({}), true), false);
    assert.equal(kvmPmuSwitchNeeded(attr(H), true), true);
    assert.equal(kvmPmuSwitchNeeded(attr(G), true), true);
    assert.equal(kvmPmuSwitchNeeded(attr({ ...H, excludeUser: true }), true), false);
    assert.equal(kvmPmuSwitchNeeded(attr({ ...H, excludeUser: true }), false), true);
  });
});

describe('VHE, mainline: host events and guest execution', () => {
  test('exclude_guest (cycles:H): counts the host at EL2 and EL0, never the guest at EL1 or EL0', () => {
    const { world: w0, idx } = withEvent(host('mainline', cpus('qemu-max-8-2')), H);
    assert.equal(idx, 0);
    const typer = (w: World) => getHostCpu(w, 0).pe.typer[idx]!;
    assert.equal(typer(w0), BigInt(INST_RETIRED) | INCLUDE_EL2 | EXCLUDE_EL1);
    let w = host_(host_(w0, 100), 10, 0);
    assert.equal(perfEventRead(w, 0), 110n);
    const { world, ref } = vpmuVm(w);
    w = run(world, ref);
    // kvm_vcpu_pmu_restore_guest(): the event is in events_host, so EL0 counting goes off.
    assert.equal(typer(w), BigInt(INST_RETIRED) | INCLUDE_EL2 | EXCLUDE_EL1 | EXCLUDE_EL0);
    w = guest(w, ref, 1000, 1);
    w = guest(w, ref, 1000, 0);
    assert.equal(perfEventRead(w, 0), 110n, 'no guest instruction counted');
    w = host_(w, 5);
    assert.equal(perfEventRead(w, 0), 115n, 'host code at EL2 while the vCPU is loaded counts');
    w = kvmArchVcpuPut(w, ref).world;
    assert.equal(typer(w), BigInt(INST_RETIRED) | INCLUDE_EL2 | EXCLUDE_EL1, 'kvm_vcpu_pmu_restore_host()');
    w = host_(w, 10, 0);
    assert.equal(perfEventRead(w, 0), 125n);
  });
  test('no exclusion (plain perf_event_open()): the host event counts the guest at EL1 and EL0 too', () => {
    const { world: w0 } = withEvent(host('mainline', cpus('qemu-max-8-2')), {});
    const { world, ref } = vpmuVm(w0);
    let w = run(world, ref);
    w = guest(w, ref, 1000, 1);
    w = guest(w, ref, 1000, 0);
    assert.equal(perfEventRead(w, 0), 2000n);
  });
  test('exclude_host (cycles:G): counts only the guest, EL0 only while the vCPU is loaded', () => {
    const { world: w0, idx } = withEvent(host('mainline', cpus('qemu-max-8-2')), G);
    const typer = (w: World) => getHostCpu(w, 0).pe.typer[idx]!;
    assert.equal(typer(w0), BigInt(INST_RETIRED) | EXCLUDE_EL0);
    let w = host_(host_(w0, 100), 100, 0);
    assert.equal(perfEventRead(w, 0), 0n);
    const { world, ref } = vpmuVm(w);
    w = run(world, ref);
    assert.equal(typer(w), BigInt(INST_RETIRED), 'events_guest: EL0 counting on');
    w = guest(w, ref, 1000, 1);
    w = guest(w, ref, 500, 0);
    w = host_(w, 100);
    assert.equal(perfEventRead(w, 0), 1500n);
    w = kvmArchVcpuPut(w, ref).world;
    assert.equal(typer(w), BigInt(INST_RETIRED) | EXCLUDE_EL0);
    w = host_(w, 100, 0);
    assert.equal(perfEventRead(w, 0), 1500n);
  });
  test('the emulated vPMU (perf events with exclude_host) counts only what the guest does', () => {
    const { world, ref } = vpmuVm(host('mainline', cpus('qemu-max-8-2')), { nr: 2 });
    let w = run(world, ref);
    w = gwrite(w, ref, 'PMEVTYPER0_EL0', BigInt(INST_RETIRED));
    w = gwrite(w, ref, 'PMCNTENSET_EL0', 1n);
    w = gwrite(w, ref, 'PMCR_EL0', 1n);
    w = host_(w, 100);
    assert.equal(getVcpu(w, ref).regs.cnt[0], 0n, 'host code does not count on the guest counter');
    w = guest(w, ref, 40, 1);
    assert.equal(gread(w, ref, 'PMEVCNTR0_EL0').value, 40n);
  });
});

describe('nVHE, mainline: __pmu_switch_to_guest() switches the enables at each entry', () => {
  const nvhe = () => makeWorld(lookupPolicy('mainline'), { cpus: cpus('qemu-max-8-2'), vhe: false });
  test('exclude_guest: disabled while the guest runs, enabled again at exit', () => {
    const { world: w0, idx } = withEvent(nvhe(), H);
    assert.equal(
      getHostCpu(w0, 0).pe.typer[idx],
      BigInt(INST_RETIRED) | INCLUDE_EL2,
      'no EXCLUDE_EL1 without VHE',
    );
    const { world, ref } = vpmuVm(w0);
    let w = run(world, ref);
    w = guest(w, ref, 1000, 1);
    assert.equal(perfEventRead(w, 0), 0n);
    assert.equal(getHostCpu(w, 0).pe.regs.PMCNTENSET_EL0 & 1n, 1n, '__pmu_switch_to_host()');
    w = host_(w, 10, 1);
    assert.equal(perfEventRead(w, 0), 10n, 'the nVHE host kernel runs at EL1');
  });
  test('exclude_host: not enabled at open (kvm_pmu_counter_deferred()), enabled only for the guest', () => {
    const { world: w0 } = withEvent(nvhe(), G);
    assert.equal(getHostCpu(w0, 0).pe.regs.PMCNTENSET_EL0 & 1n, 0n);
    let w = host_(w0, 10, 1);
    const { world, ref } = vpmuVm(w);
    w = run(world, ref);
    w = guest(w, ref, 1000, 1);
    assert.equal(perfEventRead(w, 0), 1000n);
    assert.equal(getHostCpu(w, 0).pe.regs.PMCNTENSET_EL0 & 1n, 0n);
  });
});

describe('partitioned guests and host events on host counters', () => {
  test('v6: an exclude_guest event on host counter 4 does not count the guest; a plain one does', () => {
    for (const [a, expected] of [
      [H, 0n],
      [{}, 1500n],
    ] as const) {
      const { world: w0, idx } = withEvent(host('v6', cpus('qemu-max-8-2'), 2), a);
      assert.equal(idx, 4);
      const { world, ref } = vpmuVm(w0, { partition: true });
      let w = gread(run(world, ref), ref, 'PMCR_EL0').world;
      w = guest(w, ref, 1000, 1);
      w = guest(w, ref, 500, 0);
      assert.equal(perfEventRead(w, 0), expected, JSON.stringify(a));
    }
  });
  test('finding (v7): an exclude_guest event moved at vcpu_load loses the EL0 exclusion and counts guest EL0', () => {
    // kvm_arch_vcpu_load() calls kvm_vcpu_pmu_restore_guest() before kvm_pmu_load() (v7 10/20):
    // EXCLUDE_EL0 is set on counter 0, then perf_pmu_resched_update() moves the event to counter 4
    // and armv8pmu_write_event_type() writes its config_base there, without EXCLUDE_EL0.
    // kvm_vcpu_pmu_resync_el0() only asks for a resync from interrupt context.
    const results: Record<string, bigint> = {};
    for (const policy of ['v6', 'v7']) {
      const { world: w0 } = withEvent(host(policy, cpus('qemu-max-8-2'), 2), H);
      const { world, ref } = vpmuVm(w0, { partition: true });
      let w = gread(run(world, ref), ref, 'PMCR_EL0').world;
      w = kvmArchVcpuLoad(kvmArchVcpuPut(w, ref).world, ref, 0).world;
      const ev = w.host.perfEvents[0]!;
      assert.equal(ev.idx, 4, policy);
      results[`${policy} EXCLUDE_EL0`] = getHostCpu(w, 0).pe.typer[4]! & EXCLUDE_EL0;
      w = guest(w, ref, 500, 0);
      results[policy] = perfEventRead(w, 0);
    }
    assert.deepEqual(results, { 'v6 EXCLUDE_EL0': EXCLUDE_EL0, v6: 0n, 'v7 EXCLUDE_EL0': 0n, v7: 500n });
  });
});
