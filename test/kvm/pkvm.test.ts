// SPDX-License-Identifier: MIT
// pKVM protected VMs. Expected values from arch/arm64/kvm/hyp/nvhe/pkvm.c: pkvm_vcpu_init_traps()
// starts from mdcr_el2 = 0; pvm_init_traps_mdcr() without PMUVer sets TPM | TPMCR and clears HPME,
// MTPME and HPMN; TDOSA, TPMS (E2PB cleared), TTRF and E2TB for the debug features the model
// takes as not shown; TDCC without ID_AA64MMFR0_EL1.FGT. What counts while the guest runs comes
// from the Arm ARM: with HPMN = 0 every event counter is in the second range, enabled only by
// MDCR_EL2.HPME (D13.1.1, D24.3.17); the cycle counter is in the first range whatever HPMN is
// (J1.3 GetPMUCounterRange()), enabled by PMCR_EL0.E; HPMN = 0 without FEAT_HPMN0 is reserved and
// behaves as an UNKNOWN HPMN 1..N or as all counters in the second range.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupCpu } from '../../src/arch/cpus.js';
import { lookupPolicy, type PolicyInputs } from '../../src/kvm/policy.js';
import { kvmPartitionScenario } from '../../src/kvm/scenario.js';
import { DESIGN_INPUTS, fieldsValue } from './kvm_helpers.js';

const BASE: PolicyInputs = {
  ...DESIGN_INPUTS,
  nrPmuCounters: 0,
  armPmu: false,
  hpmnMax: -1,
  partitioned: false,
  useFgt: false,
  guestHasPmu: false,
};

const value = fieldsValue;

const DEBUG_TRAPS = ['TDOSA', 'TPMS', 'TTRF', 'E2TB=3'];
const hex = (v: bigint) => `0x${v.toString(16)}`;

describe('pvm_init_traps_mdcr()', () => {
  test('no PMU: TPM, TPMCR; HPME, MTPME and HPMN 0', () => {
    const r = lookupPolicy('pkvm').evaluate(BASE);
    assert.equal(hex(r.mdcrEl2), hex(value('MDCR_EL2', ['TPM', 'TPMCR', ...DEBUG_TRAPS])));
    assert.equal(r.hpmn, 0);
    assert.ok(r.trapped.includes('PMCR_EL0') && r.trapped.includes('PMEVCNTR<n>_EL0'));
  });
  test('without FEAT_FGT in ID_AA64MMFR0_EL1: TDCC as well', () => {
    const r = lookupPolicy('pkvm').evaluate({ ...BASE, hasFgt: false });
    assert.equal(hex(r.mdcrEl2), hex(value('MDCR_EL2', ['TPM', 'TPMCR', 'TDCC', ...DEBUG_TRAPS])));
  });
  test('no FEAT_HPMN0 check: HPMN = 0 is reserved on a CPU without it, not on one with it', () => {
    const without = lookupPolicy('pkvm').evaluate(BASE).notes;
    assert.ok(
      without.some((n) => /^MDCR_EL2\.HPMN = 0 is reserved without FEAT_HPMN0/.test(n)),
      without.join('\n'),
    );
    const withIt = lookupPolicy('pkvm').evaluate({ ...BASE, hasHpmn0: true }).notes;
    assert.ok(!withIt.some((n) => /reserved/.test(n)), withIt.join('\n'));
  });
  test('a protected VM with a PMU: no PMU bit set, TPM clear, HPMN still 0', () => {
    const r = lookupPolicy('pkvm').evaluate({ ...BASE, guestHasPmu: true });
    assert.equal(hex(r.mdcrEl2), hex(value('MDCR_EL2', DEBUG_TRAPS)));
  });
  test("pkvm:flush-hyp-vcpu: the host's mainline value replaces it (HPMN = N, TPM, TPMCR)", () => {
    const r = lookupPolicy('pkvm:flush-hyp-vcpu').evaluate(BASE);
    assert.equal(
      hex(r.mdcrEl2),
      hex(value('MDCR_EL2', ['HPMN=6', 'TPM', 'TPMS', 'TTRF', 'TPMCR', 'TDRA', 'TDOSA', 'TDA'])),
    );
    assert.equal(r.hpmn, 6);
  });
});

describe('a protected VM without a PMU running, with host perf events (cycles, instructions)', () => {
  const scenario = (policy: string, cpu: string) =>
    kvmPartitionScenario({
      policy: lookupPolicy(policy),
      cpu: lookupCpu(cpu),
      reservedHostCounters: -1,
      hostEvents: 2,
    });
  /** Each group as "behaviours -> counters that counted". */
  const groups = (r: ReturnType<typeof scenario>) =>
    r.guestCount!.groups.map((g) => ({
      behaviours: g.behaviours.map((c) => c.RES_HPMN ?? '-'),
      counted: g.counted.map((c) => `${c.reg}+${c.by}`),
    }));
  test('the host runs nVHE, the vCPU has no PMU: its PMU accesses are UNDEFINED, which is no problem', () => {
    const r = scenario('pkvm', 'cortex-a510');
    assert.equal(r.world.host.vhe, false);
    assert.deepEqual(
      r.guestReads.map((g) => g.outcome.kind),
      ['undefined', 'undefined'],
    );
    assert.ok(
      !r.problems.some((p) => /guest .* read/.test(p.message)),
      r.problems.map((p) => p.message).join('\n'),
    );
    // CPU_CYCLES takes the cycle counter, INST_RETIRED counter 0 (the lowest).
    assert.deepEqual(
      r.guestCount!.hostCounters.map((h) => h.idx),
      [31, 0],
    );
  });
  test('Cortex-A510 (no FEAT_HPMN0): all-second-range counts only cycles; HPMN as 1..6 also lets counter 0 count the guest instructions', () => {
    const r = scenario('pkvm', 'cortex-a510');
    assert.ok(r.problems.some((p) => /HPMN = 0 is reserved without FEAT_HPMN0/.test(p.message)));
    assert.deepEqual(groups(r), [
      { behaviours: ['all-second-range'], counted: ['PMCCNTR_EL0+1000'] },
      {
        behaviours: ['hpmn-1', 'hpmn-2', 'hpmn-3', 'hpmn-4', 'hpmn-5', 'hpmn-6'],
        counted: ['PMEVCNTR0_EL0+1000', 'PMCCNTR_EL0+1000'],
      },
    ]);
  });
  test('with FEAT_HPMN0 (qemu-max-8-2): determined, the event counters are off (HPME = 0), the cycle counter counts', () => {
    const r = scenario('pkvm', 'qemu-max-8-2');
    assert.deepEqual(groups(r), [{ behaviours: ['-'], counted: ['PMCCNTR_EL0+1000'] }]);
  });
  test("pkvm:flush-hyp-vcpu: HPMN = N puts every counter in the first range; the host counts the protected guest's instructions", () => {
    const r = scenario('pkvm:flush-hyp-vcpu', 'cortex-a510');
    assert.deepEqual(groups(r), [{ behaviours: ['-'], counted: ['PMEVCNTR0_EL0+1000', 'PMCCNTR_EL0+1000'] }]);
  });
});
