// SPDX-License-Identifier: MIT
// The KVM policies, row by row, with the expected values worked out by hand from the C of the
// seed (v5 15/24 and Oliver Upton's kvm_mdcr_hpmn()) and from the research digest (mainline
// debug.c; v6/v7 kvm_pmu_hpmn()). Expected MDCR_EL2 values name fields, located by the catalogue.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/arch/errors.js';
import { lookupPolicy, POLICIES, type PolicyInputs, policyNames } from '../../src/kvm/policy.js';
import { DESIGN_INPUTS, fieldsValue } from './kvm_helpers.js';

/** The DESIGN.md example: 4 guest counters on a 6-counter CPU whose driver reserved 2 for the host. */
const BASE: PolicyInputs = DESIGN_INPUTS;

const value = fieldsValue;

/** The flags v5 leaves for a partitioned vCPU using FGT on PMUv3p5, with TDA (guest does not own debug). */
const V5_PART = ['TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'HPMD', 'HCCD', 'TDA'];
/** The flags v5 leaves for a vCPU that is not partitioned: mainline's traps plus HPME. */
const V5_NOT_PART = ['TPM', 'TPMCR', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'TDA'];
/** Mainline's flags. */
const MAINLINE_FLAGS = ['TPM', 'TPMCR', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'TDA'];

type Row = [
  policy: string,
  what: string,
  inputs: Partial<PolicyInputs>,
  expected: { guestPmcrN: number; hpmn: number; mdcr: readonly string[] },
];

const ROWS: readonly Row[] = [
  // --- v5: kvm_pmu_guest_num_counters(), kvm_pmu_hpmn(), kvm_arm_setup_mdcr_el2() --------
  // nr_cnt 4 <= hpmn_max 4 && 4 <= host_max 6 -> 4; kvm_pmu_hpmn: no HPMN0, 4 > 0 -> 4.
  // MDCR: FIELD_PREP(HPMN, 4) | TPM|TPMS|TTRF|TPMCR|TDRA|TDOSA|HPME; partitioned: PMUv3p5 gives
  // HPMD and HCCD; use_fgt clears TPM|TPMCR; tail: TDA (guest does not own debug).
  ['v5', 'the DESIGN example', {}, { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] }],
  // nr > hpmn_max: 6 <= 4 fails; hpmn_max 4 <= host_max 6 -> 4. HPMN 4.
  [
    'v5',
    'nr > hpmn_max clamps to hpmn_max',
    { nrPmuCounters: 6 },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] },
  ],
  // hpmn_max 8 from a bigger PMU, host 6: 8 <= 6 fails twice inside the partitioned block, then
  // nr 8 <= 6 fails -> host_max 6. kvm_pmu_hpmn: 6 > 0 -> 6.
  [
    'v5',
    'nr and hpmn_max above this CPU fall back to host_max',
    { nrPmuCounters: 8, hpmnMax: 8 },
    { guestPmcrN: 6, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  // hpmn_max = -1 but partitioned: nr_cnt (u8 4, promoted to int) <= -1 is false (signed
  // compare); -1 <= 6 is true -> return hpmn_max, converted to u8: 255. kvm_pmu_hpmn: 255 > 0 ->
  // 255; FIELD_PREP keeps 255 & 0x1f = 31.
  [
    'v5',
    'hpmn_max = -1 while partitioned returns (u8)-1',
    { hpmnMax: -1 },
    { guestPmcrN: 255, hpmn: 255, mdcr: ['HPMN=31', ...V5_PART] },
  ],
  // hpmn_max = -1 from the global (no arm_pmu), not partitioned: nr 4 <= 6 -> 4; HPMN = host 6;
  // TPM/TPMCR stay, no HPMD/HCCD, HPME still set.
  [
    'v5',
    'hpmn_max = -1 (global), not partitioned',
    { hpmnMax: -1, armPmu: false, partitioned: false, useFgt: false },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_NOT_PART] },
  ],
  // HPMN0, nr 0: 0 <= 4 && 0 <= 6 -> 0; kvm_pmu_hpmn: HPMN0 -> 0. HPMN 0 is legal with HPMN0.
  [
    'v5',
    'HPMN0 with nr = 0 gives HPMN = 0',
    { nrPmuCounters: 0, hasHpmn0: true },
    { guestPmcrN: 0, hpmn: 0, mdcr: ['HPMN=0', ...V5_PART] },
  ],
  // nr 0 without HPMN0 (use_fgt false then): guest N 0; kvm_pmu_hpmn: 0 > 0 no, hpmn_max 4 > 0
  // -> 4. TPM/TPMCR kept.
  [
    'v5',
    'nr = 0 without HPMN0 falls back to hpmn_max',
    { nrPmuCounters: 0, useFgt: false },
    { guestPmcrN: 0, hpmn: 4, mdcr: ['HPMN=4', 'TPM', 'TPMCR', ...V5_PART] },
  ],
  // hpmn_max 0 (every counter reserved for the host), nr 4: 4 <= 0 fails; 0 <= 6 -> 0.
  // kvm_pmu_hpmn: no HPMN0, 0 > 0 no, hpmn_max 0 > 0 no -> host 6: no partition at all.
  [
    'v5',
    'hpmn_max = 0 without HPMN0 writes HPMN = host N',
    { hpmnMax: 0 },
    { guestPmcrN: 0, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  // v5 never reads vcpu_on_unsupported_cpu(): same as the DESIGN example.
  [
    'v5',
    'onUnsupportedCpu is ignored',
    { onUnsupportedCpu: true },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] },
  ],
  // Tail: guest_debug adds TDE; a guest owning the debug registers drops TDA.
  [
    'v5',
    'guestDebug sets TDE, guestOwnsDebug clears TDA',
    { guestDebug: true, guestOwnsDebug: true },
    {
      guestPmcrN: 4,
      hpmn: 4,
      mdcr: ['HPMN=4', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'HPMD', 'HCCD', 'TDE'],
    },
  ],
  // is_pmuv3p1/is_pmuv3p5 false on PMUv3: neither HPMD nor HCCD.
  [
    'v5',
    'PMUv3: no HPMD, no HCCD',
    { pmuVer: 'PMUv3' },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'TDA'] },
  ],
  [
    'v5',
    'PMUv3p1: HPMD only',
    { pmuVer: 'PMUv3p1' },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'HPMD', 'TDA'] },
  ],
  // Not partitioned, nr 31 on 6 counters: 31 <= 6 fails -> host_max 6.
  [
    'v5',
    'not partitioned, nr above host N',
    { nrPmuCounters: 31, partitioned: false, useFgt: false },
    { guestPmcrN: 6, hpmn: 6, mdcr: ['HPMN=6', ...V5_NOT_PART] },
  ],

  // --- review: kvm_mdcr_hpmn(); guest N = nr_pmu_counters; MDCR otherwise as v5 -------------
  ['review', 'the DESIGN example', {}, { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] }],
  // vcpu_on_unsupported_cpu() -> host nr_event_counters 6.
  [
    'review',
    'onUnsupportedCpu returns host N',
    { onUnsupportedCpu: true },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  [
    'review',
    'not partitioned returns host N',
    { partitioned: false, useFgt: false },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_NOT_PART] },
  ],
  // nr_pmu_counters is trusted (the ioctl should have rejected 6 > hpmn_max 4).
  [
    'review',
    'nr > hpmn_max is trusted',
    { nrPmuCounters: 6 },
    { guestPmcrN: 6, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  // No HPMN0 guard: nr 0 gives HPMN 0 (reserved without FEAT_HPMN0).
  [
    'review',
    'nr = 0 without HPMN0 gives HPMN = 0',
    { nrPmuCounters: 0, useFgt: false },
    { guestPmcrN: 0, hpmn: 0, mdcr: ['HPMN=0', 'TPM', 'TPMCR', ...V5_PART] },
  ],

  // --- v6 (v7 the same): HPMN = nr if partitioned && !unsupported && (HPMN0 || nr > 0) ------
  ['v6', 'the DESIGN example', {}, { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] }],
  [
    'v6',
    'nr = 0 without HPMN0 falls back to host N',
    { nrPmuCounters: 0, useFgt: false },
    { guestPmcrN: 0, hpmn: 6, mdcr: ['HPMN=6', 'TPM', 'TPMCR', ...V5_PART] },
  ],
  [
    'v6',
    'nr = 0 with HPMN0 gives HPMN = 0',
    { nrPmuCounters: 0, hasHpmn0: true },
    { guestPmcrN: 0, hpmn: 0, mdcr: ['HPMN=0', ...V5_PART] },
  ],
  [
    'v6',
    'onUnsupportedCpu returns host N',
    { onUnsupportedCpu: true },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  [
    'v6',
    'not partitioned returns host N',
    { partitioned: false, useFgt: false },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_NOT_PART] },
  ],

  // --- v7 09/20: hpmn = kvm_pmu_hpmn() (nr if partitioned && !unsupported && (HPMN0 || nr > 0),
  // else host N) used even without FGT; HPME always; HPMD if PMUv3p1, HCCD if PMUv3p5 when
  // partitioned; TPM|TPMCR cleared only when kvm_vcpu_pmu_use_fgt() (07/20 + 14/20).
  ['v7', 'the DESIGN example', {}, { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', ...V5_PART] }],
  // No FGT (use_fgt false): HPMN is still nr = 4, with TPM and TPMCR kept.
  [
    'v7',
    'without FGT HPMN = nr, TPM and TPMCR kept',
    { useFgt: false, hasFgt: false },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', 'TPM', 'TPMCR', ...V5_PART] },
  ],
  [
    'v7',
    'PMUv3p1: HPMD but no HCCD',
    { pmuVer: 'PMUv3p1' },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'HPMD', 'TDA'] },
  ],
  [
    'v7',
    'PMUv3: neither HPMD nor HCCD',
    { pmuVer: 'PMUv3' },
    { guestPmcrN: 4, hpmn: 4, mdcr: ['HPMN=4', 'TPMS', 'TTRF', 'TDRA', 'TDOSA', 'HPME', 'TDA'] },
  ],
  [
    'v7',
    'nr = 0 without HPMN0 falls back to host N',
    { nrPmuCounters: 0, useFgt: false },
    { guestPmcrN: 0, hpmn: 6, mdcr: ['HPMN=6', 'TPM', 'TPMCR', ...V5_PART] },
  ],
  [
    'v7',
    'onUnsupportedCpu returns host N',
    { onUnsupportedCpu: true },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_PART] },
  ],
  [
    'v7',
    'not partitioned: host N, no HPMD/HCCD, TPM and TPMCR kept, HPME still set',
    { partitioned: false, useFgt: false },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...V5_NOT_PART] },
  ],

  // --- mainline: HPMN = host N; TPM|TPMS|TTRF|TPMCR|TDRA|TDOSA; TDE if guest_debug; TDA --------
  ['mainline', 'the DESIGN example', {}, { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...MAINLINE_FLAGS] }],
  [
    'mainline',
    'guestDebug sets TDE',
    { guestDebug: true },
    { guestPmcrN: 4, hpmn: 6, mdcr: ['HPMN=6', ...MAINLINE_FLAGS, 'TDE'] },
  ],
  // partitioned, useFgt, hpmn_max are not mainline's inputs.
  [
    'mainline',
    'ignores the partition inputs',
    { partitioned: false, useFgt: false, hpmnMax: -1, nrPmuCounters: 2 },
    { guestPmcrN: 2, hpmn: 6, mdcr: ['HPMN=6', ...MAINLINE_FLAGS] },
  ],
];

describe('Policy.evaluate(): guest PMCR_EL0.N, HPMN and MDCR_EL2, by hand from the C', () => {
  for (const [policy, what, over, want] of ROWS) {
    test(`${policy}: ${what}`, () => {
      const inputs = { ...BASE, ...over };
      const r = lookupPolicy(policy).evaluate(inputs);
      const msg = `inputs: ${JSON.stringify(inputs)}`;
      assert.equal(r.guestPmcrN, want.guestPmcrN, `guestPmcrN; ${msg}`);
      assert.equal(r.hpmn, want.hpmn, `hpmn; ${msg}`);
      assert.equal(
        `0x${r.mdcrEl2.toString(16)}`,
        `0x${value('MDCR_EL2', want.mdcr).toString(16)}`,
        `mdcrEl2 (expected ${want.mdcr.join('|')}); ${msg}`,
      );
    });
  }
  test("v7's own kvm_pmu_hpmn() and kvm_arm_setup_mdcr_el2() (v7 09/20) agree with v6's on every row", () => {
    // v6's MDCR_EL2 recipe is an assumption taken from v5; v7 09/20 carries the same code.
    for (const [, , over] of ROWS) {
      const inputs = { ...BASE, ...over, hasFgt2: true };
      const v7 = lookupPolicy('v7').evaluate(inputs);
      const v6 = lookupPolicy('v6').evaluate(inputs);
      assert.deepEqual([v7.guestPmcrN, v7.hpmn, v7.mdcrEl2], [v6.guestPmcrN, v6.hpmn, v6.mdcrEl2]);
    }
  });
});

describe('Policy.evaluate(): fine-grained traps', () => {
  const V5_FGT = ['PMOVS', 'PMCCFILTR_EL0', 'PMEVTYPERn_EL0', 'PMCEIDn_EL0', 'PMMIR_EL1'];
  test('v5 ORs kvm_pmu_fgt_bits() (HDFGRTR_EL2 positions) into both registers when use_fgt', () => {
    const r = lookupPolicy('v5').evaluate(BASE);
    assert.equal(r.hdfgrtr, value('HDFGRTR_EL2', V5_FGT));
    assert.equal(r.hdfgwtr, value('HDFGRTR_EL2', V5_FGT));
    // No FEAT_FGT2: KVM does not load the FGT2 registers.
    assert.equal(r.hdfgrtr2, 0n);
    assert.equal(r.hdfgwtr2, 0n);
  });
  test('v5 with FEAT_FGT2 sets nPMICFILTR_EL0 | nPMICNTR_EL0 in both FGT2 registers', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hasFgt2: true });
    assert.equal(r.hdfgrtr2, value('HDFGRTR2_EL2', ['nPMICFILTR_EL0', 'nPMICNTR_EL0']));
    assert.equal(r.hdfgwtr2, value('HDFGWTR2_EL2', ['nPMICFILTR_EL0', 'nPMICNTR_EL0']));
  });
  test('v5 without use_fgt, or without FEAT_FGT, programs no PMU traps', () => {
    for (const over of [{ useFgt: false }, { hasFgt: false }]) {
      const r = lookupPolicy('v5').evaluate({ ...BASE, ...over, hasFgt2: true });
      assert.deepEqual(
        [r.hdfgrtr, r.hdfgwtr, r.hdfgrtr2, r.hdfgwtr2],
        [0n, 0n, 0n, 0n],
        JSON.stringify(over),
      );
    }
  });
  test('v6 traps reads of PMCEIDn/PMMIR, writes only where they exist, and clears the FGT2 bits', () => {
    const r = lookupPolicy('v6').evaluate({ ...BASE, hasFgt2: true, useFgt: false });
    assert.equal(r.hdfgrtr, value('HDFGRTR_EL2', V5_FGT));
    assert.equal(r.hdfgwtr, value('HDFGWTR_EL2', ['PMOVS', 'PMCCFILTR_EL0', 'PMEVTYPERn_EL0']));
    assert.equal(r.hdfgrtr2 & value('HDFGRTR2_EL2', ['nPMICFILTR_EL0', 'nPMICNTR_EL0']), 0n);
    assert.equal(r.hdfgwtr2 & value('HDFGWTR2_EL2', ['nPMICFILTR_EL0', 'nPMICNTR_EL0']), 0n);
  });
  test('v7 07/20 sets the PMU FGT bits for every vCPU, partitioned or not, when FEAT_FGT is there', () => {
    for (const over of [{}, { partitioned: false, useFgt: false }]) {
      const r = lookupPolicy('v7').evaluate({ ...BASE, ...over, hasFgt2: true });
      assert.equal(r.hdfgrtr, value('HDFGRTR_EL2', V5_FGT), JSON.stringify(over));
      assert.equal(r.hdfgwtr, value('HDFGWTR_EL2', ['PMOVS', 'PMCCFILTR_EL0', 'PMEVTYPERn_EL0']));
      // nPMICFILTR_EL0 / nPMICNTR_EL0 cleared: 0 traps (negative polarity).
      assert.equal(r.hdfgrtr2, 0n);
      assert.equal(r.hdfgwtr2, 0n);
    }
    // v6 (conditioned on the vCPU being partitioned) leaves a vCPU that is not without them.
    assert.equal(lookupPolicy('v6').evaluate({ ...BASE, partitioned: false, useFgt: false }).hdfgrtr, 0n);
    // Without FEAT_FGT kvm_vcpu_load_fgt() returns early.
    const noFgt = lookupPolicy('v7').evaluate({ ...BASE, hasFgt: false, useFgt: false });
    assert.deepEqual([noFgt.hdfgrtr, noFgt.hdfgwtr, noFgt.hdfgrtr2, noFgt.hdfgwtr2], [0n, 0n, 0n, 0n]);
  });
  test('mainline programs no PMU fine-grained traps', () => {
    const r = lookupPolicy('mainline').evaluate({ ...BASE, hasFgt2: true });
    assert.deepEqual([r.hdfgrtr, r.hdfgwtr, r.hdfgrtr2, r.hdfgwtr2], [0n, 0n, 0n, 0n]);
  });
});

describe('Policy.evaluate(): trapped registers, from the bits', () => {
  const ALL = [
    'PMCCFILTR_EL0',
    'PMCEID0_EL0',
    'PMCEID1_EL0',
    'PMCR_EL0',
    'PMEVTYPER<n>_EL0',
    'PMICFILTR_EL0',
    'PMMIR_EL1',
    'PMUSERENR_EL0',
    'PMXEVTYPER_EL0',
    'PMCCNTR_EL0',
    'PMCNTENSET_EL0',
    'PMCNTENCLR_EL0',
    'PMEVCNTR<n>_EL0',
    'PMICNTR_EL0',
    'PMINTENSET_EL1',
    'PMINTENCLR_EL1',
    'PMOVSSET_EL0',
    'PMOVSCLR_EL0',
    'PMSELR_EL0',
    'PMSWINC_EL0',
    'PMUACR_EL1',
    'PMXEVCNTR_EL0',
    'PMZR_EL0',
  ];
  const V5_TRAPPED = [
    'PMCCFILTR_EL0',
    'PMCEID0_EL0',
    'PMCEID1_EL0',
    'PMEVTYPER<n>_EL0',
    'PMMIR_EL1',
    'PMXEVTYPER_EL0',
    'PMOVSSET_EL0',
    'PMOVSCLR_EL0',
  ];
  const cases: [string, Partial<PolicyInputs>, readonly string[]][] = [
    // MDCR_EL2.TPM traps every PMU register.
    ['mainline', {}, ALL],
    ['v5', { useFgt: false }, ALL],
    // TPM, TPMCR cleared; the FGT bits trap the filters, PMOVS, PMCEIDn and PMMIR.
    ['v5', {}, V5_TRAPPED],
    // With FEAT_FGT2 the FGT2 PMU bits start at 0 (trap) and v5 sets only nPMICFILTR/nPMICNTR.
    ['v5', { hasFgt2: true }, [...V5_TRAPPED, 'PMUACR_EL1', 'PMZR_EL0']],
    // v6 leaves them at 0: PMICFILTR_EL0 and PMICNTR_EL0 trap.
    [
      'v6',
      { hasFgt2: true },
      [
        'PMCCFILTR_EL0',
        'PMCEID0_EL0',
        'PMCEID1_EL0',
        'PMEVTYPER<n>_EL0',
        'PMICFILTR_EL0',
        'PMMIR_EL1',
        'PMXEVTYPER_EL0',
        'PMICNTR_EL0',
        'PMOVSSET_EL0',
        'PMOVSCLR_EL0',
        'PMUACR_EL1',
        'PMZR_EL0',
      ],
    ],
    // use_fgt without FEAT_FGT (inputs a kernel would not produce): TPM cleared, nothing loaded.
    ['v5', { hasFgt: false }, []],
  ];
  for (const [policy, over, want] of cases) {
    test(`${policy} ${JSON.stringify(over)}`, () => {
      assert.deepEqual(lookupPolicy(policy).evaluate({ ...BASE, ...over }).trapped, want);
    });
  }
});

describe('Policy.evaluate(): architectural notes', () => {
  const has = (notes: readonly string[], re: RegExp) => notes.some((n) => re.test(n));
  test('the DESIGN example is clean under v6 and mainline', () => {
    assert.deepEqual(lookupPolicy('v6').evaluate(BASE).notes, []);
    assert.deepEqual(lookupPolicy('mainline').evaluate(BASE).notes, []);
  });
  test('HPMN above the CPU counters is reserved (D24.3.17)', () => {
    const r = lookupPolicy('review').evaluate({ ...BASE, nrPmuCounters: 8 });
    assert.ok(
      has(r.notes, /^MDCR_EL2\.HPMN = 8 is reserved: this CPU has 6 event counters.*D24\.3\.17/),
      r.notes.join('\n'),
    );
  });
  test('HPMN = 0 without FEAT_HPMN0 is reserved; with FEAT_HPMN0 it is not', () => {
    const without = lookupPolicy('review').evaluate({ ...BASE, nrPmuCounters: 0 });
    assert.ok(
      has(without.notes, /^MDCR_EL2\.HPMN = 0 is reserved without FEAT_HPMN0/),
      without.notes.join('\n'),
    );
    const withHpmn0 = lookupPolicy('review').evaluate({ ...BASE, nrPmuCounters: 0, hasHpmn0: true });
    assert.ok(!has(withHpmn0.notes, /reserved/), withHpmn0.notes.join('\n'));
  });
  test('a guest N that differs from HPMN is flagged only while PMCR_EL0 reads are untrapped (D24.5.8)', () => {
    const untrapped = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: 0 });
    assert.ok(
      has(untrapped.notes, /KVM reports guest PMCR_EL0\.N = 0.*HPMN = 6 \(Arm ARM D24\.5\.8/),
      untrapped.notes.join('\n'),
    );
    const trapped = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: 0, useFgt: false });
    assert.ok(!has(trapped.notes, /KVM reports guest PMCR_EL0\.N/), trapped.notes.join('\n'));
  });
  test('a truncated HPMN and an oversized guest N are flagged', () => {
    const r = lookupPolicy('v5').evaluate({ ...BASE, hpmnMax: -1 });
    assert.ok(has(r.notes, /kvm_pmu_hpmn\(\) returns 255.*MDCR_EL2\.HPMN = 31/), r.notes.join('\n'));
    assert.ok(has(r.notes, /guest PMCR_EL0\.N = 255 does not fit PMCR_EL0\.N \[15:11\]/), r.notes.join('\n'));
  });
});

describe('lookupPolicy()', () => {
  test('finds every registered policy by name', () => {
    assert.deepEqual(policyNames(), [
      'mainline',
      'v5',
      'review',
      'v6',
      'v7',
      'v8',
      'pkvm',
      'rmm',
      'fixed-counters',
    ]);
    for (const p of POLICIES) {
      assert.equal(lookupPolicy(p.name), p);
      assert.ok(p.summary.length > 0 && p.source.length > 0, p.name);
    }
  });
  test('an unknown name is an InputError with a suggestion', () => {
    assert.throws(
      () => lookupPolicy('v9'),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.message, 'Unknown policy "v9" (did you mean v5, v6, v7?)');
        return true;
      },
    );
    assert.throws(() => lookupPolicy('mainlien'), /did you mean mainline\?/);
    assert.throws(
      () => lookupPolicy('zzzzzzzzzzzz'),
      /policies: mainline, v5, review, v6, v7, v8, pkvm, rmm, fixed-counters/,
    );
  });
});
