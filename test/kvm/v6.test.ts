// SPDX-License-Identifier: MIT
// v6 of the partitioned-PMU series (2026-02-09) on a core without FEAT_FGT: what happens to a
// guest's PMCR_EL0 write. Expected values are worked out by hand from the v6 patches as posted
// (Message-IDs 20260209221414.2169465-N-coltonlewis@google.com, N = patch number + 1):
// - 00/19: the diffstat has no arch/arm64/kvm/hyp/include/hyp/switch.h, so mainline's
//   __activate_traps_common() still writes PMUSERENR_EL0 = ARMV8_PMU_USERENR_MASK (EN|SW|CR|ER =
//   0xf) at vcpu_load and gives the host's value back at vcpu_put;
// - 08/19: kvm_vcpu_read_pmuserenr() is the hardware PMUSERENR_EL0 for a partitioned vCPU;
// - 09/19: kvm_hyp_handle_pmu_regs() (kvm_hyp_handle_sysreg_vhe()) returns false unless the vCPU
//   is partitioned and that PMUSERENR_EL0 has EN; a PMCR_EL0 write is
//   `write_sysreg(val & ARMV8_PMU_PMCR_MASK, pmcr_el0)` and nothing else, a read the hardware
//   PMCR_EL0 with N = nr_pmu_counters;
// - 13/19: kvm_pmu_set_physical_access() runs in that handler before the switch and only sets
//   GUEST_OWNED and calls kvm_arm_setup_mdcr_el2();
// - 11/19: kvm_pmu_put() saves the whole hardware PMCR_EL0 into the vCPU's copy, kvm_pmu_load()
//   writes `copy & ARMV8_PMU_PMCR_MASK & ~(P | C)` back, both only when GUEST_OWNED;
// - 10/19: HPMN = nr_pmu_counters (4 here: 6 counters, 2 reserved), TPM and TPMCR kept without FGT;
// and the Arm ARM: PMCR_EL0.P written at EL2 resets every event counter (D24.5.8 PMCR_EL0.P).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { guestAccess, guestRun } from '../../src/kvm/guest.js';
import { kvmArchVcpuPut } from '../../src/kvm/lifecycle.js';
import { armv8pmuStart, perfEventOpen, perfEventRead } from '../../src/kvm/perf.js';
import { getHostCpu, getVcpu, type VcpuRef, type World } from '../../src/kvm/world.js';
import { cpus, gread, gwrite, host, hpmnOf, pmcrN, run, vpmuVm } from './kvm_helpers.js';

const INST_RETIRED = 0x08;
const NO_FGT = '{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_VHE"]}';
const E = 1n;
const TPM = 1n << 6n; // MDCR_EL2.TPM (D24.3.17)

/** A host event counting (on counter 4, the lowest host counter) and a partitioned v6 vCPU running. */
function setup(): { world: World; ref: VcpuRef; id: number } {
  let w = host('v6', cpus(NO_FGT), 2);
  const e = perfEventOpen(w, 0, INST_RETIRED);
  assert.ok(e.ret >= 0, e.why);
  w = armv8pmuStart(e.world, 0).world;
  const vm = vpmuVm(w, { partition: true });
  return { world: run(vm.world, vm.ref), ref: vm.ref, id: e.id! };
}

const hw = (w: World) => getHostCpu(w, 0).pe;

describe('v6 without FEAT_FGT: the guest PMCR_EL0 write (09/19 fast path, 11/19 load/put, 13/19)', () => {
  test('vcpu_load: HPMN = nr_pmu_counters = 4, TPM kept, and mainline PMUSERENR_EL0 = 0xf', () => {
    const { world: w, ref } = setup();
    assert.equal(hpmnOf(hw(w).regs.MDCR_EL2), 4);
    assert.notEqual(hw(w).regs.MDCR_EL2 & TPM, 0n);
    assert.equal(hw(w).regs.PMUSERENR_EL0, 0xfn);
    assert.equal(getVcpu(w, ref).pmu.access, 'VIRTUAL', 'FREE until the first fast-path access');
  });

  test("the write is handled on the hardware by the fast path: the vCPU's copy is not written", () => {
    const { world: w0, ref } = setup();
    const copy = getVcpu(w0, ref).regs.pmcr;
    const a = guestAccess(w0, ref, { el: 1, dir: 'write', reg: 'PMCR_EL0', value: E });
    assert.equal(a.outcome.kind, 'ok');
    assert.equal(a.by, 'kvm');
    assert.match(a.why, /kvm_hyp_handle_pmu_regs \(v6\)/);
    assert.equal(hw(a.world).regs.PMCR_EL0 & 0xffn, E, 'hardware PMCR_EL0[7:0] = val & 0xff');
    assert.equal(getVcpu(a.world, ref).regs.pmcr, copy);
    assert.equal(getVcpu(a.world, ref).pmu.access, 'PHYSICAL', 'GUEST_OWNED (13/19)');
    assert.notEqual(hw(a.world).regs.MDCR_EL2 & TPM, 0n, 'no FGT: still trapped');
  });

  test('E survives vcpu_put: kvm_pmu_put() saves the hardware PMCR_EL0, kvm_pmu_load() restores it', () => {
    const { world: w0, ref } = setup();
    let w = gwrite(w0, ref, 'PMCR_EL0', E);
    w = kvmArchVcpuPut(w, ref).world;
    assert.equal(getVcpu(w, ref).regs.pmcr & E, E, 'saved by kvm_pmu_put()');
    w = run(w, ref);
    assert.equal(hw(w).regs.PMCR_EL0 & E, E, 'written back by kvm_pmu_load()');
    const r = gread(w, ref, 'PMCR_EL0');
    assert.equal(r.value & E, E);
    assert.equal(pmcrN(r.value), 4, 'N = nr_pmu_counters');
  });

  test("P written through at EL2 zeroes the host's counter 4 too (D24.5.8)", () => {
    const { world: w0, ref, id } = setup();
    // No exclude_guest: the host event counts the guest's EL1 instructions.
    let w = guestRun(w0, ref, { [INST_RETIRED]: 100 }).world;
    assert.equal(perfEventRead(w, id), 100n);
    w = gwrite(w, ref, 'PMCR_EL0', 0x3n); // E | P
    assert.equal(hw(w).cnt[4], 0n);
    assert.equal(perfEventRead(w, id), 0n);
  });

  test('once the guest clears PMUSERENR_EL0.EN, PMCR_EL0 writes go to the vCPU copy and are lost at vcpu_put', () => {
    const { world: w0, ref } = setup();
    let w = gwrite(w0, ref, 'PMCR_EL0', 0n); // fast path: GUEST_OWNED, hardware E = 0
    w = gwrite(w, ref, 'PMUSERENR_EL0', 0n); // fast path: the hardware PMUSERENR_EL0 = 0
    assert.equal(hw(w).regs.PMUSERENR_EL0, 0n);
    const a = guestAccess(w, ref, { el: 1, dir: 'write', reg: 'PMCR_EL0', value: E });
    assert.match(a.why, /access_pmcr: write$/, 'EN clear: the fast path declines even at EL1');
    w = a.world;
    assert.equal(hw(w).regs.PMCR_EL0 & E, 0n);
    assert.equal(gread(w, ref, 'PMCR_EL0').value & E, E, 'the guest reads its E from the copy');
    w = run(kvmArchVcpuPut(w, ref).world, ref);
    assert.equal(gread(w, ref, 'PMCR_EL0').value & E, 0n, 'kvm_pmu_put() saved the hardware E = 0 over it');
    assert.equal(gread(w, ref, 'PMUSERENR_EL0').value, 0xfn, "and the guest's PMUSERENR_EL0 = 0 is gone");
  });
});

// [PATCH v6 11/19] kvm_pmu_put(): for_each_set_bit(i, &guest_counters, ...) { write_sysreg(i,
// pmselr_el0); val = read_sysreg(pmxevcntr_el0); }, then PMSELR_EL0 saved. The guest mask is v6's
// as corrected on the list (reply to 06/19): ARMV8_PMU_CNT_MASK_C | GENMASK(max_guest_counters - 1,
// 0) = bit 31 | 0xf here (4 guest counters). PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31 is CONSTRAINED
// UNPREDICTABLE (D24.5.22 PMSELR_EL0.SEL), which the kernel layer reports as a kernel fault.
describe('v6 kvm_pmu_put() through PMSELR_EL0 (11/19)', () => {
  test('the cycle counter through SEL = 31 faults, and the saved PMSELR_EL0 is the last index, 31', () => {
    const { world: w0, ref } = setup();
    let w = gwrite(w0, ref, 'PMSELR_EL0', 2n); // fast path: GUEST_OWNED, the hardware PMSELR_EL0 = 2
    const put = kvmArchVcpuPut(w, ref);
    assert.ok(
      put.trace.some((t) => t === 'kvm_pmu_put: counters 0,1,2,3,31 and the controls saved'),
      put.trace.join('\n'),
    );
    assert.ok(
      put.trace.some((t) =>
        /^kernel fault: read of PMXEVCNTR_EL0 at EL2 is CONSTRAINED UNPREDICTABLE/.test(t),
      ),
      put.trace.join('\n'),
    );
    w = put.world;
    assert.equal(getVcpu(w, ref).regs.pmselr, 31n, "the guest's 2 is lost");
  });
});
