// SPDX-License-Identifier: MIT
// vcpu_load/vcpu_put, the lazy switch to PHYSICAL, migration, host perf and guest overflows over
// the model, checked against invariants I1..I7 of the research digest (section 6). Expected values
// come from the kernel code (arch/arm64/kvm/arm.c kvm_arch_vcpu_load(), debug.c
// kvm_arm_setup_mdcr_el2(), the v5 series' pmu-direct.c) and the Arm ARM (D13.1.1 event counter
// ranges, D24.3.17 MDCR_EL2.HPMN/HPME, D24.5.8 PMCR_EL0.P, J1.1.1 AArch64.IncrementEventCounter()).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kvmArmPmuV3SetAttr, kvmArmVcpuInit, kvmRun } from '../../src/kvm/api.js';
import { guestAccess, guestRun } from '../../src/kvm/guest.js';
import { kvmArchVcpuLoad, kvmArchVcpuPut, kvmVcpuMigrate } from '../../src/kvm/lifecycle.js';
import {
  armv8pmuStart,
  armv8pmuStop,
  hostRun,
  kvmPmuHostCounters,
  perfEventOpen,
} from '../../src/kvm/perf.js';
import { kvmVcpuReadPmcr } from '../../src/kvm/vpmu.js';
import { getHostCpu, getVcpu, getVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import {
  attr,
  cpus,
  gread,
  gwrite,
  host,
  hpmnOf,
  must,
  pmcrN,
  run,
  vmWithVcpus,
  vpmuVm,
} from './kvm_helpers.js';

const TPM = 1n << 6n;
const TPMCR = 1n << 5n;
const HPME = 1n << 7n;
const CPU_CYCLES = 0x11;

/** The host-owned state of counters `idx` on CPU `cpu`: value, filter, enable and interrupt-enable bits. */
function hostCounterState(w: World, cpu: number, idx: readonly number[]) {
  const pe = getHostCpu(w, cpu).pe;
  return idx.map((i) => ({
    i,
    cnt: pe.cnt[i],
    typer: pe.typer[i],
    en: (pe.regs.PMCNTENSET_EL0 >> BigInt(i)) & 1n,
    inten: (pe.regs.PMINTENSET_EL1 >> BigInt(i)) & 1n,
  }));
}

/**
 * v5 on qemu-max-8-2 (N = 6, FEAT_FGT, FEAT_HPMN0), reserved_host_counters = 2: hpmn_max = 4,
 * the host driver keeps counters 4 and 5. Two host CPU_CYCLES events take counters 4 and 5 (the
 * cycle counter belongs to the guest when partitioned), the host PMU is started, and host code
 * counts 1000 cycles at EL2 on CPU 0.
 */
function hostWithPerf(policy = 'v5', cpu = 'qemu-max-8-2'): World {
  let w = host(policy, cpus(cpu, 2), 2);
  const e1 = perfEventOpen(w, 0, CPU_CYCLES);
  assert.equal(e1.ret, 4);
  const e2 = perfEventOpen(e1.world, 0, CPU_CYCLES);
  assert.equal(e2.ret, 5);
  w = armv8pmuStart(e2.world, 0).world;
  w = hostRun(w, 0, { [CPU_CYCLES]: 1000 }).world;
  assert.equal(getHostCpu(w, 0).pe.cnt[4], 1000n);
  return w;
}

describe('kvm_arch_vcpu_load(): order of the PMU steps', () => {
  test('mainline order: load_debug (MDCR_EL2) ... kvm_pmu_load, and the supported_cpus check last', () => {
    const { world, ref } = vpmuVm(host('v5', cpus('qemu-max-8-2'), 2), { partition: true });
    const t = kvmArchVcpuLoad(world, ref, 0).trace;
    const at = (prefix: string) => t.findIndex((l) => l.startsWith(prefix));
    const order = [
      'kvm_vcpu_load_debug',
      'kvm_arm_setup_mdcr_el2',
      'kvm_vcpu_load_fgt',
      '__activate_traps_common',
      'kvm_pmu_load',
      'supported_cpus check',
    ].map(at);
    assert.ok(
      order.every((i) => i >= 0),
      t.join('\n'),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      t.join('\n'),
    );
  });
  test('with unsupportedCheckFirst the check comes before MDCR_EL2 is computed', () => {
    const { world, ref } = vpmuVm(host('v5', cpus('qemu-max-8-2'), 2), { partition: true });
    const t = kvmArchVcpuLoad(world, ref, 0, { unsupportedCheckFirst: true }).trace;
    assert.ok(
      t.findIndex((l) => l.startsWith('supported_cpus check')) <
        t.findIndex((l) => l.startsWith('kvm_arm_setup_mdcr_el2')),
    );
  });
});

describe('I1: a guest never changes the host-range counters', () => {
  test('v5 on an FGT CPU: load, guest PMU writes at EL1, put leave counters 4 and 5 untouched', () => {
    const w0 = hostWithPerf();
    const before = hostCounterState(w0, 0, [4, 5]);
    const { world, ref } = vpmuVm(w0, { partition: true });
    let w = run(world, ref);
    w = gread(w, ref, 'PMCR_EL0').world; // traps; switches the PMU context to PHYSICAL and loads it
    // EL1 writes reach only counters below HPMN = nr = 2 (GetPMUWriteMask(); PMCR_EL0.P at EL1
    // resets only the first range, D24.5.8).
    w = gwrite(w, ref, 'PMCNTENCLR_EL0', 0xffff_ffffn);
    w = gwrite(w, ref, 'PMINTENCLR_EL1', 0xffff_ffffn);
    w = gwrite(w, ref, 'PMCR_EL0', 0x7n); // E | P | C
    w = gwrite(w, ref, 'PMCNTENSET_EL0', 0xffff_ffffn);
    w = kvmArchVcpuPut(w, ref).world;
    assert.deepEqual(hostCounterState(w, 0, [4, 5]), before);
  });
  test('v5: but PMCR_EL0.E is shared: a guest E = 0 stays in hardware after put and stops the host counters', () => {
    // kvm_pmu_put() saves PMCR_EL0 and restores nothing of the host's (17/24). After put MDCR_EL2 is
    // the host's again (HPMN = N = 6): counters 4 and 5 are first-range counters, enabled by PMCR_EL0.E
    // (D13.1.1), which holds the guest's 0.
    const w0 = hostWithPerf();
    const { world, ref } = vpmuVm(w0, { partition: true });
    let w = run(world, ref);
    w = gread(w, ref, 'PMCR_EL0').world;
    w = gwrite(w, ref, 'PMCR_EL0', 0n);
    w = kvmArchVcpuPut(w, ref).world;
    w = hostRun(w, 0, { [CPU_CYCLES]: 100 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1000n, 'the host counter did not count');
  });
  test('v5 without FEAT_FGT (Neoverse N2): the fast path writes PMCR_EL0.P and PMCNTENCLR_EL0 at EL2 and hits the host', () => {
    // kvm_hyp_handle_pmu_regs() (v5 14/24) does write_pmcr(val) and write_pmcntenclr(val) with the
    // guest's raw value, at EL2. At EL2, PMCR_EL0.P zeroes every event counter (D24.5.8), and
    // PMCNTENCLR_EL0 clears any implemented counter's bit (GetPMUWriteMask() at EL2: all N).
    const w0 = hostWithPerf('v5', 'neoverse-n2');
    const { world, ref } = vpmuVm(w0, { partition: true });
    let w = run(world, ref);
    w = gwrite(w, ref, 'PMCR_EL0', 0x2n); // P: the kvm-unit-tests pmu_reset() / selftest pmu_disable_reset()
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 0n, 'host counter 4 zeroed by the guest');
    w = gwrite(w, ref, 'PMCNTENCLR_EL0', 0xffff_ffffn);
    assert.equal(
      getHostCpu(w, 0).pe.regs.PMCNTENSET_EL0 & 0x30n,
      0n,
      'host counters 4 and 5 disabled by the guest',
    );
  });
});

describe('I2: guest PMCR_EL0.N == nr_pmu_counters == HPMN while partitioned on a supported CPU', () => {
  // qemu-max-8-2, reserved 2: hpmn_max = 4. Limits: v5 and review (v5's VM API) 2, v6 4 (hpmn_max).
  for (const [policy, max] of [
    ['v5', 2],
    ['review', 2],
    ['v6', 4],
  ] as const) {
    test(`${policy}: for nr = 0..${max}, both guest reads of PMCR_EL0 show N = nr and MDCR_EL2.HPMN = nr`, () => {
      for (let nr = 0; nr <= max; nr++) {
        const { world, ref } = vpmuVm(host(policy, cpus('qemu-max-8-2'), 2), { partition: true, nr });
        let w = run(world, ref);
        // While VIRTUAL, MDCR_EL2.TPM and TPMCR trap every PMU access.
        assert.equal(getVcpu(w, ref).mdcrEl2 & (TPM | TPMCR), TPM | TPMCR);
        const first = guestAccess(w, ref, { dir: 'read', reg: 'PMCR_EL0' });
        assert.equal(first.by, 'kvm', `nr ${nr}: first read traps`);
        assert.equal(
          first.outcome.kind === 'ok' ? pmcrN(first.outcome.value ?? 0n) : -1,
          nr,
          `nr ${nr}: trapped read`,
        );
        w = first.world;
        assert.equal(getVcpu(w, ref).pmu.access, 'PHYSICAL');
        // use_fgt (FGT; nr != 0 or FEAT_HPMN0): TPM and TPMCR cleared, so PMCR_EL0 reads go to the hardware,
        // which shows the Effective MDCR_EL2.HPMN at EL1 (D24.5.8 N).
        assert.equal(getVcpu(w, ref).mdcrEl2 & (TPM | TPMCR), 0n);
        const second = guestAccess(w, ref, { dir: 'read', reg: 'PMCR_EL0' });
        assert.equal(second.by, 'hardware', `nr ${nr}: second read is direct`);
        assert.equal(
          second.outcome.kind === 'ok' ? pmcrN(second.outcome.value ?? 0n) : -1,
          nr,
          `nr ${nr}: hardware read`,
        );
        assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), nr, `nr ${nr}: HPMN`);
      }
    });
  }
  test('v5 without FEAT_FGT: TPM stays after the switch; every read is answered by the fast path with N = nr', () => {
    const { world, ref } = vpmuVm(host('v5', cpus('neoverse-n2'), 2), { partition: true, nr: 2 });
    let w = run(world, ref);
    for (let i = 0; i < 2; i++) {
      const r = guestAccess(w, ref, { dir: 'read', reg: 'PMCR_EL0' });
      assert.equal(r.by, 'kvm');
      assert.equal(r.outcome.kind === 'ok' ? pmcrN(r.outcome.value ?? 0n) : -1, 2);
      w = r.world;
    }
    assert.equal(getVcpu(w, ref).mdcrEl2 & TPM, TPM);
  });
});

describe('I3/I7: the unsupported-CPU flag is set after MDCR_EL2 is computed', () => {
  // 4x Cortex-A710 (N = 20, CPUs 0-3) + 4x Cortex-A510 (N = 6, CPUs 4-7), reserved_host_counters = 14:
  // the A710 PMU partitions (hpmn_max = 20 - 14 = 6, cntr_mask = counters 6..19); the A510's
  // reservation is invalid (14 > 6: -EINVAL, not partitioned). SET_PMU(A710) narrows supported_cpus
  // to CPUs 0-3. With v5's VM API (review keeps it) the limit is popcount(cntr_mask) = 14: nr = 8 is
  // accepted. On an A510 the A710 PMU counts as partitioned (hpmn_max 6 <= N 6).
  const bigLittle = (policy: string) =>
    host(policy, [...cpus('cortex-a710', 4), ...cpus('cortex-a510', 4)], 14);
  function migrated(policy: string, unsupportedCheckFirst: boolean) {
    const w0 = bigLittle(policy);
    assert.equal(w0.host.pmus[0]!.hpmnMax, 6);
    assert.equal(w0.host.pmus[1]!.hpmnMax, -1);
    const { world, ref } = vpmuVm(w0, { partition: true, setPmu: 8, nr: 8 });
    assert.deepEqual(getVm(world, 0).supportedCpus, [0, 1, 2, 3]);
    const onBig = run(world, ref, 0);
    const m = kvmVcpuMigrate(onBig, ref, 4, { unsupportedCheckFirst });
    return { w: m.world, ref, trace: m.trace, onBig };
  }
  test('review: on the A510 kvm_mdcr_hpmn() still sees the flag clear and returns nr = 8 > N = 6: reserved HPMN', () => {
    const { w, ref, trace } = migrated('review', false);
    assert.equal(hpmnOf(getVcpu(w, ref).mdcrEl2), 8);
    assert.equal(hpmnOf(getHostCpu(w, 4).pe.regs.MDCR_EL2), 8, 'written to the A510 at load (VHE)');
    assert.equal(getVcpu(w, ref).onUnsupportedCpu, true, 'set, but only afterwards');
    assert.ok(trace.some((l) => l.includes('HPMN = 8') && l.includes('ON_UNSUPPORTED_CPU = false')));
    // The host, running at EL2 on that CPU while the vCPU is loaded, meets CONSTRAINED UNPREDICTABLE
    // counter ranges (D24.3.17: HPMN > N is reserved).
    const h = hostRun(w, 4, { [CPU_CYCLES]: 10 });
    assert.equal(h.unpredictable?.rule, 'RES_HPMN');
    // KVM_RUN refuses to enter (KVM_EXIT_FAIL_ENTRY), but the reserved value was programmed.
    assert.equal(kvmRun(kvmArchVcpuPut(w, ref).world, ref, { cpu: 4 }).exit, 'FAIL_ENTRY_CPU_UNSUPPORTED');
  });
  test('review with unsupportedCheckFirst: kvm_mdcr_hpmn() sees the flag and returns the A510 N = 6', () => {
    const { w, ref } = migrated('review', true);
    assert.equal(hpmnOf(getVcpu(w, ref).mdcrEl2), 6);
    assert.equal(hostRun(w, 4, { [CPU_CYCLES]: 10 }).unpredictable, undefined);
  });
  test('v5: HPMN is clamped to a legal 6, but the guest is told N = 8 by the fast path and 6 by kvm_vcpu_read_pmcr() (I2)', () => {
    // kvm_pmu_guest_num_counters(): on an A710 nr 8 > hpmn_max 6, and 6 <= 20 -> 6; on the A510
    // 8 > 6 and 6 <= 6 -> 6. kvm_pmu_hpmn() returns that, so HPMN = 6 on both: legal.
    const { w, ref, onBig } = migrated('v5', false);
    assert.equal(hpmnOf(getVcpu(onBig, ref).mdcrEl2), 6);
    assert.equal(hpmnOf(getVcpu(w, ref).mdcrEl2), 6);
    assert.equal(getVm(w, 0).nrPmuCounters, 8);
    assert.equal(
      pmcrN(kvmVcpuReadPmcr(onBig, ref)),
      6,
      'kvm_vcpu_read_pmcr() (KVM_GET_ONE_REG, emulated reads)',
    );
    // The A710 has no FEAT_FGT: TPM traps the read, and the v5 fast path answers the hardware PMCR_EL0
    // with N replaced by kvm->arch.nr_pmu_counters (14/24), not by kvm_vcpu_read_pmcr().
    const r = guestAccess(onBig, ref, { dir: 'read', reg: 'PMCR_EL0' });
    assert.equal(r.by, 'kvm');
    assert.equal(
      r.outcome.kind === 'ok' ? pmcrN(r.outcome.value ?? 0n) : -1,
      8,
      'the guest is told 8 counters',
    );
    // ... of which counter 7 UNDEFs: pmu_counter_idx_valid() uses kvm_vcpu_read_pmcr()'s N = 6.
    assert.equal(guestAccess(r.world, ref, { dir: 'read', reg: 'PMEVCNTR7_EL0' }).outcome.kind, 'undefined');
  });
  test('v6: SET_NR_COUNTERS(8) is refused at the ioctl: max_guest_counters = hpmn_max = 6', () => {
    const v = vmWithVcpus(bigLittle('v6'), 1);
    const ref = v.vcpus[0]!;
    let w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true }));
    w = attr(w, ref, { attr: 'ENABLE_PARTITION', enable: true });
    w = attr(w, ref, { attr: 'SET_PMU', pmuId: 8 });
    assert.equal(getVm(w, 0).nrPmuCounters, 6);
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 8 }).errno, 'EINVAL');
  });
  test('put clears the flag (vcpu_clear_on_unsupported_cpu())', () => {
    const { w, ref } = migrated('review', false);
    assert.equal(getVcpu(kvmArchVcpuPut(w, ref).world, ref).onUnsupportedCpu, false);
  });
});

describe('host perf counts on counters >= HPMN only with MDCR_EL2.HPME', () => {
  test('v5, vCPU loaded (HPMN = 2): host counter 4 counts at EL2 under HPME, stops when HPME is cleared', () => {
    const w0 = hostWithPerf();
    const { world, ref } = vpmuVm(w0, { partition: true });
    let w = run(world, ref);
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 2);
    assert.equal(getHostCpu(w, 0).pe.regs.MDCR_EL2 & HPME, HPME, 'v5 sets HPME for the guest');
    w = hostRun(w, 0, { [CPU_CYCLES]: 100 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1100n, 'second range, HPME = 1: counts');
    // kvm_pmu_host_counters_disable() alone: PMCR_EL0.E stays 1, the second range stops (D13.1.1).
    w = kvmPmuHostCounters(w, 0, false);
    w = hostRun(w, 0, { [CPU_CYCLES]: 100 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1100n, 'HPME = 0: counter 4 stopped although PMCR_EL0.E = 1');
    assert.equal(getHostCpu(w, 0).pe.regs.PMCR_EL0 & 1n, 1n);
    w = armv8pmuStart(w, 0).world;
    w = hostRun(w, 0, { [CPU_CYCLES]: 100 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1200n, 'armv8pmu_start(): HPME = 1 again');
  });
  test('without a loaded vCPU (HPMN = N) HPME does not matter: PMCR_EL0.E gates the host counters', () => {
    let w = hostWithPerf();
    w = kvmPmuHostCounters(w, 0, false);
    w = hostRun(w, 0, { [CPU_CYCLES]: 5 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1005n);
    w = armv8pmuStop(w, 0).world;
    w = hostRun(w, 0, { [CPU_CYCLES]: 5 }).world;
    assert.equal(getHostCpu(w, 0).pe.cnt[4], 1005n, 'PMCR_EL0.E = 0');
  });
});

describe('guest overflow: recorded for the guest (v5 20/24, 21/24)', () => {
  test('a 32-bit overflow of guest counter 0 sets the vCPU PMOVSSET bit and raises its interrupt level', () => {
    const { world, ref } = vpmuVm(host('v5', cpus('qemu-max-8-2'), 2), { partition: true, nr: 2 });
    let w = run(world, ref);
    w = gread(w, ref, 'PMCR_EL0').world; // switch to PHYSICAL: counters 0, 1 are the guest's
    w = gwrite(w, ref, 'PMEVCNTR0_EL0', 0xffff_fff0n);
    w = gwrite(w, ref, 'PMEVTYPER0_EL0', BigInt(CPU_CYCLES));
    w = gwrite(w, ref, 'PMCNTENSET_EL0', 1n);
    w = gwrite(w, ref, 'PMINTENSET_EL1', 1n);
    w = gwrite(w, ref, 'PMCR_EL0', 1n);
    // 0xfffffff0 + 16 carries out of bit 31: with PMCR_EL0.LP = 0 that is an overflow (J1.1.1).
    const g = guestRun(w, ref, { [CPU_CYCLES]: 16 });
    w = g.world;
    assert.equal(getVcpu(w, ref).regs.pmovsset & 1n, 1n, 'recorded in the virtual PMOVSSET_EL0');
    assert.equal(getHostCpu(w, 0).pe.regs.PMOVSSET_EL0 & 1n, 0n, 'cleared in hardware by the host handler');
    assert.equal(
      getVcpu(w, ref).pmu.irqLevel,
      true,
      'kvm_pmu_part_overflow_status(): PMCR.E, PMINTENSET, PMOVSSET',
    );
    assert.equal(getHostCpu(w, 0).pe.cnt[0]! & 0xffff_ffffn, 0n);
    // The FGT values were computed at vcpu_load while VIRTUAL (no PMU traps) and are not recomputed
    // by the switch: PMOVSSET_EL0 is not trapped yet, and the guest reads the cleared hardware flag.
    assert.equal(gread(w, ref, 'PMOVSSET_EL0').value & 1n, 0n);
    // After a put and a load, kvm_vcpu_load_fgt() traps PMOVS (v5 10/24) and the guest sees its flag.
    w = kvmArchVcpuLoad(kvmArchVcpuPut(w, ref).world, ref, 0).world;
    const r = guestAccess(w, ref, { dir: 'read', reg: 'PMOVSSET_EL0' });
    assert.equal(r.by, 'kvm');
    assert.equal(r.outcome.kind === 'ok' ? (r.outcome.value ?? 0n) & 1n : -1n, 1n);
  });
  test('mainline (emulated): the overflow is computed on the virtual registers', () => {
    const { world, ref } = vpmuVm(host('mainline', cpus('neoverse-n2')), { nr: 2 });
    let w = run(world, ref);
    w = gwrite(w, ref, 'PMEVCNTR1_EL0', 0xffff_fffen);
    w = gwrite(w, ref, 'PMEVTYPER1_EL0', BigInt(CPU_CYCLES));
    w = gwrite(w, ref, 'PMCNTENSET_EL0', 2n);
    w = gwrite(w, ref, 'PMINTENSET_EL1', 2n);
    w = gwrite(w, ref, 'PMCR_EL0', 1n);
    w = guestRun(w, ref, { [CPU_CYCLES]: 2 }).world;
    assert.equal(getVcpu(w, ref).regs.pmovsset, 2n);
    assert.equal(getVcpu(w, ref).pmu.irqLevel, true);
    assert.equal(gread(w, ref, 'PMOVSSET_EL0').value, 2n);
  });
});

describe('misuse is an InputError, not a kernel result', () => {
  test('loading a loaded vCPU, or a guest access on a vCPU that is not loaded', () => {
    const { world, ref } = vpmuVm(host('mainline', cpus('neoverse-n2', 2)));
    const w = run(world, ref);
    assert.throws(() => kvmArchVcpuLoad(w, ref, 1), /already loaded/);
    assert.throws(() => guestAccess(world, ref, { dir: 'read', reg: 'PMCR_EL0' }), /not loaded/);
    assert.throws(() => kvmArmPmuV3SetAttr(w, ref, { attr: 'INIT' }), /in KVM_RUN/);
    const other: VcpuRef = { vm: 0, vcpu: 5 };
    assert.throws(() => getVcpu(w, other), /No vCPU 5/);
    assert.ok(must(kvmRun(kvmArchVcpuPut(w, ref).world, ref, { cpu: 1 })));
  });
});
