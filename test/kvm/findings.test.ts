// SPDX-License-Identifier: MIT
// The research digest's inferences about the partitioned PMU series, as executable findings:
// each test shows what the kernel code really computes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { guestAccess } from '../../src/kvm/guest.js';
import {
  ARMV8_PMU_CNT_MASK_ALL,
  genmask,
  kvmPmuGuestCounterMask,
  kvmPmuHostCounterMask,
  kvmPmuIsPartitioned,
} from '../../src/kvm/masks.js';
import { armv8pmuStart, perfEventOpen } from '../../src/kvm/perf.js';
import { lookupPolicy, type PolicyInputs } from '../../src/kvm/policy.js';
import { getHostCpu, getVcpu, getVm } from '../../src/kvm/world.js';
import { cpus, DESIGN_INPUTS, gread, host, hpmnOf, run, vpmuVm } from './kvm_helpers.js';

const BASE: PolicyInputs = DESIGN_INPUTS;

const hex = (v: bigint) => `0x${v.toString(16)}`;

describe('finding: GENMASK(N-1, N) when the host reserves no counter (kvm_pmu_host_counter_mask)', () => {
  test('genmask() evaluates as the run-time C expression', () => {
    assert.equal(hex(genmask(5, 0)), '0x3f');
    assert.equal(hex(genmask(5, 4)), '0x30');
    assert.equal(hex(genmask(30, 0)), '0x7fffffff');
    // h < l: the input check is compile-time only, so the two halves do not overlap.
    assert.equal(genmask(5, 6), 0n);
  });
  test('2 host counters on a 6-counter CPU: the host keeps 4..5, the guest 0..3, C, F and the absent 6..30', () => {
    const p = { armPmu: true, hpmnMax: 4, hostCounters: 6 };
    assert.equal(hex(kvmPmuHostCounterMask(p)), '0x30');
    assert.equal(hex(kvmPmuGuestCounterMask(p)), '0x1ffffffcf');
  });
  test('0 host counters (hpmn_max = N): GENMASK(N-1, N) is 0, so the guest mask is every bit, 6..30 included', () => {
    const p = { armPmu: true, hpmnMax: 6, hostCounters: 6 };
    assert.ok(kvmPmuIsPartitioned(p));
    // The "ill-formed" mask yields 0 at run time, which happens to be the intended host mask.
    assert.equal(kvmPmuHostCounterMask(p), 0n);
    // The guest mask then claims counters the CPU does not implement (bits 6..30).
    assert.equal(kvmPmuGuestCounterMask(p), ARMV8_PMU_CNT_MASK_ALL);
    assert.equal(hex(kvmPmuGuestCounterMask(p)), '0x1ffffffff');
  });
  test('not partitioned (hpmn_max = -1, or above this CPU N, or no arm_pmu): the host keeps every bit', () => {
    for (const p of [
      { armPmu: true, hpmnMax: -1, hostCounters: 6 },
      { armPmu: true, hpmnMax: 8, hostCounters: 6 },
      { armPmu: false, hpmnMax: 4, hostCounters: 6 },
    ]) {
      assert.equal(kvmPmuHostCounterMask(p), ARMV8_PMU_CNT_MASK_ALL, JSON.stringify(p));
      assert.equal(kvmPmuGuestCounterMask(p), 0n, JSON.stringify(p));
    }
  });
  test('N = 0 with hpmn_max = 0: GENMASK(-1, 0) shifts by 64 (undefined in C); on arm64 it is all ones', () => {
    const p = { armPmu: true, hpmnMax: 0, hostCounters: 0 };
    assert.equal(hex(kvmPmuHostCounterMask(p)), '0xffffffffffffffff');
    assert.equal(kvmPmuGuestCounterMask(p), 0n);
  });
});

describe('finding: v5 sets the negative-polarity nPMICNTR_EL0 / nPMICFILTR_EL0, un-trapping them', () => {
  const inputs = { ...BASE, hasFgt2: true };
  test('v5: PMICNTR_EL0 and PMICFILTR_EL0 are not trapped, and the notes say why', () => {
    const r = lookupPolicy('v5').evaluate(inputs);
    assert.ok(!r.trapped.includes('PMICNTR_EL0'), r.trapped.join(', '));
    assert.ok(!r.trapped.includes('PMICFILTR_EL0'), r.trapped.join(', '));
    for (const reg of ['HDFGRTR2_EL2', 'HDFGWTR2_EL2']) {
      for (const f of ['nPMICNTR_EL0', 'nPMICFILTR_EL0']) {
        assert.ok(
          r.notes.some(
            (n) => n.startsWith(`${reg}.${f} = 1 does not trap`) && n.includes('negative polarity'),
          ),
          `${reg}.${f}: ${r.notes.join('\n')}`,
        );
      }
    }
  });
  test('v6/v7 clear them instead: both registers trap', () => {
    for (const policy of ['v6', 'v7']) {
      const r = lookupPolicy(policy).evaluate(inputs);
      assert.ok(r.trapped.includes('PMICNTR_EL0') && r.trapped.includes('PMICFILTR_EL0'), policy);
      assert.ok(!r.notes.some((n) => n.includes('negative polarity')), policy);
    }
  });
});

describe('finding: v5 ORs the HDFGRTR_EL2 mask into HDFGWTR_EL2, setting two RES0 bits there', () => {
  test('bits 58 (PMCEIDn_EL0) and 22 (PMMIR_EL1) are RES0 in HDFGWTR_EL2', () => {
    const r = lookupPolicy('v5').evaluate(BASE);
    assert.ok(
      r.notes.includes(
        'HDFGWTR_EL2 sets RES0 bits 58 (HDFGRTR_EL2.PMCEIDn_EL0), 22 (HDFGRTR_EL2.PMMIR_EL1) (Arm ARM D24.2.69 HDFGWTR_EL2)',
      ),
      r.notes.join('\n'),
    );
    assert.ok(
      !lookupPolicy('v6')
        .evaluate(BASE)
        .notes.some((n) => n.includes('RES0')),
    );
  });
});

describe('finding: v5 with hpmn_max = 0 and no FEAT_HPMN0 writes HPMN = host N (no partition)', () => {
  test('nr_pmu_counters = 0: guest N 0, HPMN 6, every PMU access still trapped (use_fgt is false)', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: 0, nrPmuCounters: 0, useFgt: false });
    assert.equal(r.guestPmcrN, 0);
    assert.equal(r.hpmn, 6);
    assert.ok(r.trapped.includes('PMEVCNTR<n>_EL0'));
    // Still, the host's counters 0..5 sit in the first range while the vCPU is loaded.
    assert.ok(
      r.notes.some((n) => n.startsWith('event counters 0..5 belong to the host (hpmn_max = 0)')),
      r.notes.join('\n'),
    );
  });
  test('nr_pmu_counters = 4 (use_fgt true): the guest reaches all 6 host counters untrapped', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: 0 });
    assert.equal(r.guestPmcrN, 0);
    assert.equal(r.hpmn, 6);
    assert.ok(!r.trapped.includes('PMEVCNTR<n>_EL0'), r.trapped.join(', '));
    assert.ok(
      r.notes.some((n) => /guest reads the hardware PMCR_EL0\.N, the Effective MDCR_EL2\.HPMN = 6/.test(n)),
    );
    assert.ok(
      r.notes.some((n) => /^event counters 0\.\.5 belong to the host.*do not trap/.test(n)),
      r.notes.join('\n'),
    );
  });
  test('with FEAT_HPMN0 the same inputs give HPMN = 0: the guest gets no event counter', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: 0, hasHpmn0: true });
    assert.equal(r.guestPmcrN, 0);
    assert.equal(r.hpmn, 0);
    assert.deepEqual(
      r.notes.filter((n) => n.includes('belong to the host')),
      [],
    );
  });
});

describe('finding: hpmn_max = -1 reaching a partitioned vCPU becomes (u8)-1 = 255', () => {
  test('guest N 255, HPMN field 31, reserved', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: -1 });
    assert.equal(r.guestPmcrN, 255);
    assert.equal(r.hpmn, 255);
    assert.ok(
      r.notes.some((n) => n.startsWith('MDCR_EL2.HPMN = 31 is reserved')),
      r.notes.join('\n'),
    );
  });
});

describe('finding: review with every counter reserved: kvm_mdcr_hpmn() trusts the default nr_pmu_counters = N', () => {
  // QEMU max 8.2: N = 6, FEAT_FGT, FEAT_HPMN0; reserved_host_counters = 6, so hpmn_max = 0 and the
  // host's cntr_mask keeps all six counters. The default nr_pmu_counters is
  // kvm_arm_pmu_get_max_counters() = bitmap_weight(cntr_mask) = 6 (mainline's function, which v5
  // does not change; v3's "+ hpmn_max" would add 0). The reviewer's kvm_mdcr_hpmn() (the seed)
  // returns it for a partitioned vCPU on a supported CPU: HPMN = 6 = N, every counter in the first
  // range (D24.3.17 MDCR_EL2.HPMN). v5's kvm_pmu_hpmn() clamps through
  // kvm_pmu_guest_num_counters() to hpmn_max = 0, allowed with FEAT_HPMN0.
  const INPUTS = { ...BASE, hpmnMax: 0, hostCounters: 6, nrPmuCounters: 6, hasHpmn0: true };
  test('the policies: review HPMN = 6, v5 HPMN = 0', () => {
    assert.equal(lookupPolicy('review').evaluate(INPUTS).hpmn, 6);
    assert.equal(lookupPolicy('v5').evaluate(INPUTS).hpmn, 0);
  });

  test("after the first access the guest reads the host event's PMEVTYPER0_EL0 from the hardware", () => {
    let w = host('review', cpus('qemu-max-8-2'), 6);
    const e = perfEventOpen(w, 0, 0x08); // INST_RETIRED, lowest free counter: 0
    w = armv8pmuStart(e.world, 0).world;
    const vm = vpmuVm(w, { partition: true });
    assert.equal(getVm(vm.world, vm.ref.vm).nrPmuCounters, 6);
    assert.equal(vm.world.host.perfEvents[0]!.idx, 0);
    w = run(vm.world, vm.ref);
    assert.equal(hpmnOf(getHostCpu(w, 0).pe.regs.MDCR_EL2), 6);
    // The first access makes the context PHYSICAL and clears TPM/TPMCR (use_fgt: nr 6 != 0); the
    // FGT registers keep what kvm_vcpu_load_fgt() computed while VIRTUAL (v5 10/24: no PMU bits).
    w = gread(w, vm.ref, 'PMCR_EL0').world;
    assert.equal(getVcpu(w, vm.ref).pmu.access, 'PHYSICAL');
    // D24.5.12 MRS at EL1: no FGT trap, no TPM, 0 < GetNumEventCountersAccessible() = HPMN = 6:
    // PMEVTYPER_EL0[0] itself, the host's filter: INST_RETIRED (0x08) | NSH (bit 27), which the VHE
    // host driver sets to count at EL2 (armv8pmu_set_event_filter(), is_kernel_in_hyp_mode()).
    const r = guestAccess(w, vm.ref, { el: 1, dir: 'read', reg: 'PMEVTYPER0_EL0' });
    assert.equal(r.by, 'hardware');
    assert.deepEqual(r.outcome, { kind: 'ok', value: 0x08n | (1n << 27n) });
  });
});
