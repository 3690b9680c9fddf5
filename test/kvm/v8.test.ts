// SPDX-License-Identifier: MIT
// v8 of the partitioned-PMU series (2026-06-12). Expected values are worked out by hand from the
// v8 patches as posted: 10/21 and 15/21 kvm_arm_setup_mdcr_el2() (HPMN = nr_event_counters and
// TPM|TPMS|TTRF|TPMCR|TDRA|TDOSA|HPME; when partitioned HPMD|HCCD, and only if GUEST_OWNED &&
// !vcpu_on_unsupported_cpu() && FEAT_FGT && (FEAT_HPMN0 || nr > 0): TPM, TPMCR, HPMN cleared and
// HPMN = nr), 18/21 ENABLE_PARTITION (get_user() -> -EFAULT; !has_kvm_pmu_partition_support() ->
// -EPERM; kvm_vm_has_ran_once() -> -EBUSY; then the flag, and nr_pmu_counters >
// kvm_arm_pmu_get_max_counters() -> kvm_arm_set_nr_counters(kvm, max) with 0 returned), 10/21
// kvm_arm_pmu_get_max_counters() (max_guest_counters when pmu_is_partitioned(arm_pmu), which
// compares with this CPU's nr_event_counters), 09/21 kvm_pmu_direct_pmcr_write() (P stripped,
// the rest written to the hardware PMCR_EL0), 05/21 allocation from the highest counter, and the
// Arm ARM: PMCR_EL0.E enables the first-range counters [0, HPMN), MDCR_EL2.HPME the others
// (D24.5.8 PMCR_EL0.E, D24.3.17 MDCR_EL2.HPME).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kvmArmPmuV3HasAttr, kvmArmPmuV3SetAttr, kvmArmVcpuInit } from '../../src/kvm/api.js';
import { guestAccess, guestRun } from '../../src/kvm/guest.js';
import { kvmArchVcpuLoad, kvmArchVcpuPut, PINNED_SQUEEZED_WARNING } from '../../src/kvm/lifecycle.js';
import { armv8pmuStart, hostRun, perfEventOpen, perfEventRead } from '../../src/kvm/perf.js';
import { lookupPolicy, type PolicyInputs } from '../../src/kvm/policy.js';
import { kvmPartitionScenario } from '../../src/kvm/scenario.js';
import { getHostCpu, getVcpu, getVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import {
  attr,
  cpus,
  DESIGN_INPUTS,
  fieldsValue,
  gread,
  gwrite,
  host,
  hpmnOf,
  must,
  run,
  vmWithVcpus,
  vpmuVm,
} from './kvm_helpers.js';

const INST_RETIRED = 0x08;
const BASE: PolicyInputs = DESIGN_INPUTS;

const value = fieldsValue;

const ALWAYS = ['TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'TDA'];

describe('v8 kvm_arm_setup_mdcr_el2() (10/21, 15/21)', () => {
  const rows: [string, Partial<PolicyInputs>, number, readonly string[]][] = [
    // Guest-owned, FEAT_FGT, nr 4 > 0: HPMN = 4, TPM and TPMCR cleared, HPMD|HCCD.
    ['the DESIGN example', {}, 4, ['HPMN=4', 'HPMD', 'HCCD', ...ALWAYS]],
    // No FEAT_FGT: HPMN stays at this CPU's 6, every PMU access trapped.
    [
      'no FEAT_FGT',
      { hasFgt: false, useFgt: false },
      6,
      ['HPMN=6', 'TPM', 'TPMCR', 'HPMD', 'HCCD', ...ALWAYS],
    ],
    // Not yet guest-owned (useFgt false carries the FREE state): the same.
    ['PMU still FREE', { useFgt: false }, 6, ['HPMN=6', 'TPM', 'TPMCR', 'HPMD', 'HCCD', ...ALWAYS]],
    // HPMD|HCCD without a feature check, even on PMUv3 where both are RES0.
    ['PMUv3: HPMD|HCCD anyway', { pmuVer: 'PMUv3' }, 4, ['HPMN=4', 'HPMD', 'HCCD', ...ALWAYS]],
    [
      'on an unsupported CPU',
      { onUnsupportedCpu: true },
      6,
      ['HPMN=6', 'TPM', 'TPMCR', 'HPMD', 'HCCD', ...ALWAYS],
    ],
    // nr 0 without FEAT_HPMN0 (use_fgt's own term is then false as well).
    [
      'nr 0 without HPMN0',
      { nrPmuCounters: 0, useFgt: false },
      6,
      ['HPMN=6', 'TPM', 'TPMCR', 'HPMD', 'HCCD', ...ALWAYS],
    ],
    ['nr 0 with HPMN0', { nrPmuCounters: 0, hasHpmn0: true }, 0, ['HPMN=0', 'HPMD', 'HCCD', ...ALWAYS]],
    ['not partitioned', { partitioned: false, useFgt: false }, 6, ['HPMN=6', 'TPM', 'TPMCR', ...ALWAYS]],
  ];
  for (const [what, over, hpmn, fields] of rows) {
    test(what, () => {
      const r = lookupPolicy('v8').evaluate({ ...BASE, ...over });
      assert.equal(r.hpmn, hpmn);
      assert.equal(`0x${r.mdcrEl2.toString(16)}`, `0x${value('MDCR_EL2', fields).toString(16)}`);
      assert.equal(r.guestPmcrN, over.nrPmuCounters ?? BASE.nrPmuCounters, 'N = nr_pmu_counters');
    });
  }
  test('v7 and v8 differ without FGT: v7 programs HPMN = nr anyway, v8 keeps HPMN = N', () => {
    const inputs = { ...BASE, hasFgt: false, useFgt: false };
    assert.equal(lookupPolicy('v7').evaluate(inputs).hpmn, 4);
    assert.equal(lookupPolicy('v8').evaluate(inputs).hpmn, 6);
  });
});

/** A PMU vCPU initialised on CPU `cpu`, with its PMU interrupt set, not INIT. */
function vcpuWithIrq(w0: World, cpu = 0): { world: World; ref: VcpuRef } {
  const v = vmWithVcpus(w0, 1);
  const ref = v.vcpus[0]!;
  const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true, cpu }));
  return { world: attr(w, ref, { attr: 'IRQ', irq: 23 }), ref };
}

describe('v8 ENABLE_PARTITION (18/21)', () => {
  test('has_attr lists attribute 5; an unreadable payload is -EFAULT; no host partition is -EPERM', () => {
    const { world: w, ref } = vcpuWithIrq(host('v8', cpus('qemu-max-8-2'), 2));
    assert.equal(kvmArmPmuV3HasAttr(w, ref, 'ENABLE_PARTITION'), 0);
    assert.equal(
      kvmArmPmuV3SetAttr(w, ref, { attr: 'ENABLE_PARTITION', enable: true, fault: true }).errno,
      'EFAULT',
    );
    // A FIXED_COUNTERS_ONLY VMM leaves addr 0: get_user() faults.
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'FIXED_COUNTERS_ONLY' }).errno, 'EFAULT');
    const { world: none, ref: r1 } = vcpuWithIrq(host('v8', cpus('qemu-max-8-2')));
    assert.equal(kvmArmPmuV3SetAttr(none, r1, { attr: 'ENABLE_PARTITION', enable: true }).errno, 'EPERM');
    assert.equal(
      getVm(attr(w, ref, { attr: 'ENABLE_PARTITION', enable: true }), 0).partitionPmuEnabled,
      true,
    );
  });
  test('-EBUSY once the VM has run (another vCPU, not yet INIT); v7 has no such check', () => {
    for (const [policy, want] of [
      ['v8', 'EBUSY'],
      ['v7', undefined],
    ] as const) {
      const v = vmWithVcpus(host(policy, cpus('qemu-max-8-2', 2), 2), 2);
      const [r0, r1] = [v.vcpus[0]!, v.vcpus[1]!];
      let w = must(kvmArmVcpuInit(v.world, r0, { pmuV3: true, cpu: 0 }));
      w = attr(attr(w, r0, { attr: 'IRQ', irq: 23 }), r0, { attr: 'INIT' });
      w = run(w, r0, 0);
      w = kvmArchVcpuPut(w, r0).world;
      w = must(kvmArmVcpuInit(w, r1, { pmuV3: true, cpu: 1 }));
      w = attr(w, r1, { attr: 'IRQ', irq: 23 });
      assert.equal(kvmArmPmuV3SetAttr(w, r1, { attr: 'ENABLE_PARTITION', enable: true }).errno, want, policy);
    }
  });
  test('homogeneous host: SET_NR_COUNTERS above max_guest_counters is already -EINVAL, so there is nothing to clamp', () => {
    // qemu-max-8-2, N = 6, 2 host counters: max_guest_counters = 4 whether or not the VM enabled partitioning.
    const { world: w, ref } = vcpuWithIrq(host('v8', cpus('qemu-max-8-2'), 2));
    assert.equal(getVm(w, 0).nrPmuCounters, 4, 'the default at init is kvm_arm_pmu_get_max_counters() = 4');
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 5 }).errno, 'EINVAL');
    const on = attr(w, ref, { attr: 'ENABLE_PARTITION', enable: true });
    assert.equal(kvmArmPmuV3SetAttr(on, ref, { attr: 'SET_NR_COUNTERS', n: 5 }).errno, 'EINVAL');
  });

  // CPU 0: N = 8; CPU 1: N = 4; both FEAT_FGT and VHE. reserved_host_counters = 2: the big PMU's
  // max_guest_counters is 6. On CPU 1, pmu_is_partitioned(big PMU) compares 6 with 4 and is false,
  // so kvm_arm_pmu_get_max_counters() is the popcount of the big PMU's cntr_mask (v7/v8 leave it
  // whole at boot): 8.
  const BIG = '{"pmuVer":"PMUv3p5","n":8,"features":["FEAT_VHE","FEAT_FGT","FEAT_HPMN0"]}';
  const LITTLE = '{"pmuVer":"PMUv3p5","n":4,"features":["FEAT_VHE","FEAT_FGT","FEAT_HPMN0"]}';
  const bigLittle = () => host('v8', [...cpus(BIG), ...cpus(LITTLE)], 2);
  test('big.LITTLE: SET_NR_COUNTERS(8) on the little CPU is accepted; ENABLE_PARTITION on the big CPU clamps it to 6 and returns 0', () => {
    let { world: w, ref } = vcpuWithIrq(bigLittle(), 0);
    w = attr(w, ref, { attr: 'SET_PMU', pmuId: w.host.pmus[0]!.type });
    const nr = kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 8 }, 1);
    assert.equal(nr.ret, 0, nr.why);
    assert.equal(getVm(nr.world, 0).nrPmuCounters, 8);
    const en = kvmArmPmuV3SetAttr(nr.world, ref, { attr: 'ENABLE_PARTITION', enable: true }, 0);
    assert.equal(en.ret, 0, 'the clamp is silent');
    assert.equal(getVm(en.world, 0).nrPmuCounters, 6);
    // ENABLE_PARTITION on the little CPU sees max 8: no clamp, nr_pmu_counters stays 8.
    const little = kvmArmPmuV3SetAttr(nr.world, ref, { attr: 'ENABLE_PARTITION', enable: true }, 1);
    assert.equal(getVm(little.world, 0).nrPmuCounters, 8);
  });
  test('big.LITTLE, no clamp: the little CPU runs both ioctls, the big CPU runs the vCPU with HPMN = 8', () => {
    const r = kvmPartitionScenario({
      policy: lookupPolicy('v8'),
      cpu: cpus(BIG)[0]!,
      on: cpus(LITTLE)[0]!,
      reservedHostCounters: 2,
      nr: 8,
      enablePartitionLast: true,
      ioctlCpu: 1,
      runCpu: 0,
    });
    assert.deepEqual(
      r.ioctls.filter((i) => i.errno !== undefined),
      [],
      'every ioctl accepted',
    );
    assert.equal(r.nrPmuCounters, 8);
    // After the first PMU access the guest owns the PMU: HPMN = nr = 8 > max_guest_counters 6.
    assert.equal(hpmnOf(r.mdcrEl2After!), 8);
    assert.equal(r.guestReads[1]!.n, 8);
    assert.ok(
      r.problems.some((p) => /event counters 6\.\.7 belong to the host \(hpmn_max = 6\)/.test(p.message)),
      r.problems.join('\n'),
    );
  });
});

/** The N = 6 VHE CPU without FEAT_FGT or FEAT_HPMN0 (a Cortex-A510-like core). */
const NO_FGT = '{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_VHE"]}';

describe('v8 without FEAT_FGT: a guest PMCR_EL0 write reaches the hardware with HPMN = N (09/21, 10/21)', () => {
  /** A host event (counter 5, allocated from the top) counting, and a partitioned v8 guest loaded. */
  function setup(policy: string): { world: World; ref: VcpuRef; id: number } {
    let w = host(policy, cpus(NO_FGT), 2);
    const e = perfEventOpen(w, 0, INST_RETIRED);
    assert.ok(e.ret >= 0, e.why);
    w = armv8pmuStart(e.world, 0).world;
    const vm = vpmuVm(w, { partition: true });
    return { world: run(vm.world, vm.ref), ref: vm.ref, id: e.id! };
  }
  test('05/21: the host event is on the highest counter, 5', () => {
    assert.equal(setup('v8').world.host.perfEvents[0]!.idx, 5);
  });
  test('HPMN = N with HPMD: the host counter stops counting host EL2 work as soon as the vCPU is loaded', () => {
    const { world: w, id } = setup('v8');
    const mdcr = getHostCpu(w, 0).pe.regs.MDCR_EL2;
    assert.equal(hpmnOf(mdcr), 6, 'HPMN = N: every counter in the first range');
    assert.notEqual(mdcr & value('MDCR_EL2', ['HPMD']), 0n, 'HPMD set: no first-range counting at EL2');
    assert.equal(perfEventRead(hostRun(w, 0, { [INST_RETIRED]: 100 }).world, id), 0n);
  });
  test('PMCR_EL0.E = 0 from the guest reaches the hardware: the host counter stops, and stays stopped after vcpu_put', () => {
    let { world: w, ref, id } = setup('v8');
    // No exclude_guest: the host event counts the guest's EL1 instructions while PMCR_EL0.E = 1.
    w = guestRun(w, ref, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, id), 100n);
    // The write traps (TPM); pmu_reg_write() makes the PMU guest-owned, kvm_pmu_direct_pmcr_write()
    // writes E = 0 to the hardware.
    w = gwrite(w, ref, 'PMCR_EL0', 0n);
    assert.equal(getVcpu(w, ref).pmu.access, 'PHYSICAL');
    assert.equal(getHostCpu(w, 0).pe.regs.PMCR_EL0 & 1n, 0n, 'hardware PMCR_EL0.E = 0');
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 6, 'still HPMN = N without FEAT_FGT');
    w = guestRun(w, ref, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, id), 100n, 'no longer counts');
    // The guest reads N = nr_pmu_counters = 4 through kvm_pmu_direct_pmcr_read().
    const back = gread(w, ref, 'PMCR_EL0');
    assert.equal(Number((back.value >> 11n) & 0x1fn), 4);
    // vcpu_put: the host's MDCR_EL2 is back, but kvm_pmu_put() (11/21) saves PMCR_EL0 and restores
    // nothing, and no reschedule restarts the PMU (the host was not squeezed): E stays 0.
    w = kvmArchVcpuPut(back.world, ref).world;
    assert.equal(getHostCpu(w, 0).pe.regs.PMCR_EL0 & 1n, 0n);
    w = hostRun(w, 0, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, id), 100n, 'host work after vcpu_put is not counted either');
    // Without the guest's write the host counts after vcpu_put.
    const quiet = kvmArchVcpuPut(setup('v8').world, ref).world;
    assert.equal(perfEventRead(hostRun(quiet, 0, { [INST_RETIRED]: 100 }).world, id), 100n);
  });
  test('with FEAT_FGT the same write only disables the guest range: HPMN = 4, counter 5 enabled by HPME', () => {
    let w = host('v8', cpus('qemu-max-8-2'), 2);
    const e = perfEventOpen(w, 0, INST_RETIRED);
    w = armv8pmuStart(e.world, 0).world;
    const vm = vpmuVm(w, { partition: true });
    w = run(vm.world, vm.ref);
    w = gread(w, vm.ref, 'PMCR_EL0').world;
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 4);
    const a = guestAccess(w, vm.ref, { el: 1, dir: 'write', reg: 'PMCR_EL0', value: 0n });
    assert.equal(a.by, 'hardware', 'PMCR_EL0 is not trapped with FGT');
    w = hostRun(a.world, 0, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, e.id!), 100n);
  });
});

describe('v8 with FEAT_FGT: counters nr..max_guest_counters-1 while the vCPU is loaded (11/21, 14/21)', () => {
  // N = 8, reserved_host_counters = 2: max_guest_counters = 6; the VM asks for 2 counters.
  const N8 = '{"pmuVer":"PMUv3p5","n":8,"features":["FEAT_VHE","FEAT_FGT","FEAT_HPMN0"]}';
  test('a pinned host event on counter 5 is squeezed out although HPMN = 2 leaves counter 5 to EL2', () => {
    let w = host('v8', cpus(N8), 2);
    for (const pinned of [true, true, true]) {
      const e = perfEventOpen(w, 0, INST_RETIRED, { pinned });
      assert.ok(e.ret >= 0, e.why);
      w = e.world;
    }
    w = armv8pmuStart(w, 0).world;
    assert.deepEqual(
      w.host.perfEvents.map((e) => e.idx),
      [7, 6, 5],
      'allocated from the highest counter',
    );
    const vm = vpmuVm(w, { partition: true, nr: 2 });
    w = run(vm.world, vm.ref);
    w = gread(w, vm.ref, 'PMCR_EL0').world;
    // The next vcpu_load finds the PMU guest-owned: HPMN = 2, the guest mask C | 0..5.
    w = kvmArchVcpuPut(w, vm.ref).world;
    w = kvmArchVcpuLoad(w, vm.ref, 0).world;
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 2);
    assert.deepEqual(
      w.host.perfEvents.map((e) => e.state),
      ['active', 'active', 'error'],
      'cntr_mask keeps 6 and 7: the third pinned event goes to the error state',
    );
    assert.ok(w.log.includes(PINNED_SQUEEZED_WARNING));
    // Counter 5 is in the second range, and the guest cannot reach it: PMEVCNTR5_EL0 traps
    // (FEAT_FGT, index >= HPMN) and KVM's pmu_counter_idx_valid() refuses 5 >= N = 2.
    const a = guestAccess(w, vm.ref, { el: 1, dir: 'read', reg: 'PMEVCNTR5_EL0' });
    assert.equal(a.outcome.kind, 'undefined');
    assert.equal(a.by, 'kvm');
  });
});
