// SPDX-License-Identifier: MIT
// TF-RMM Realms. Expected values from TF-RMM: validate_realm_params() (runtime/rmi/realm.c: with
// the PMU flag, pmu_num_ctrs > PMU_NUM_CTRS or 0 without FEAT_HPMN0 -> RMI_ERROR_INPUT),
// get_feature_register_0() (PMU_NUM_CTRS = PMCR_EL0.N), rmm_arch_init() (MDCR_EL2_INIT | HPMN =
// PMCR_EL0.N; MDCR_EL2_INIT = MTPME | HCCD | HPMD | TDA | TPM | TPMCR), init_common_sysregs()
// (runtime/rmi/rec.c: PMU enabled TPM/TPMCR cleared and HPMN = pmu_num_ctrs; disabled TPM/TPMCR
// set; the newer variant clears HPMN when disabled with FEAT_HPMN0), and the Arm ARM's reserved
// HPMN values (> N, or 0 without FEAT_HPMN0; D24.3.17).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CPUS, type CpuDef, cpuFeatures, parseCpu } from '../../src/arch/cpus.js';
import {
  initCommonSysregsMdcr,
  RMI_STATUS,
  RMM_MDCR_EL2_INIT,
  rmiRealmCreate,
  rmmArchInitMdcr,
} from '../../src/kvm/monitors/rmm.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { kvmPartitionScenario } from '../../src/kvm/scenario.js';

const cpu = (n: number, hpmn0: boolean): CpuDef =>
  parseCpu(
    JSON.stringify({ pmuVer: 'PMUv3p7', n, features: ['FEAT_VHE', ...(hpmn0 ? ['FEAT_HPMN0'] : [])] }),
  );
// MDCR_EL2 as the policies compute it: bits [31:0] in a number. HPMN [4:0], TPMCR 5, TPM 6 (D24.3.17).
const hpmnOf = (v: number | bigint) => Number(BigInt(v) & 0x1fn);
const TPM = 1 << 6;
const TPMCR = 1 << 5;

describe('RMI_REALM_CREATE: validate_realm_params() PMU checks', () => {
  test('N = 6 without FEAT_HPMN0: 1..6 accepted, 7 and 0 RMI_ERROR_INPUT', () => {
    const c = cpu(6, false);
    for (let k = 1; k <= 6; k++)
      assert.equal(rmiRealmCreate(c, { pmu: true, pmuNumCtrs: k }).status, 'RMI_SUCCESS');
    assert.equal(rmiRealmCreate(c, { pmu: true, pmuNumCtrs: 7 }).status, 'RMI_ERROR_INPUT');
    assert.equal(rmiRealmCreate(c, { pmu: true, pmuNumCtrs: 0 }).status, 'RMI_ERROR_INPUT');
    assert.equal(RMI_STATUS.RMI_ERROR_INPUT, 1);
  });
  test('FEAT_HPMN0 allows 0; without the PMU flag pmu_num_ctrs is not checked', () => {
    assert.equal(rmiRealmCreate(cpu(6, true), { pmu: true, pmuNumCtrs: 0 }).status, 'RMI_SUCCESS');
    assert.equal(rmiRealmCreate(cpu(6, false), { pmu: false, pmuNumCtrs: 31 }).status, 'RMI_SUCCESS');
  });
});

describe('rmm_arch_init() and init_common_sysregs()', () => {
  const boot = rmmArchInitMdcr(6);
  test('boot: MDCR_EL2_INIT with HPMN = PMCR_EL0.N', () => {
    assert.equal(boot, RMM_MDCR_EL2_INIT | 6);
    assert.equal(boot & (TPM | TPMCR), TPM | TPMCR);
  });
  test('PMU enabled: TPM and TPMCR cleared, HPMN = pmu_num_ctrs, the rest of the boot value kept', () => {
    const m = initCommonSysregsMdcr(boot, { pmuEnabled: true, pmuNumCtrs: 4 }, false, false);
    assert.equal(m, (RMM_MDCR_EL2_INIT & ~(TPM | TPMCR)) | 4);
  });
  test('PMU disabled: traps, HPMN left at the boot value; the newer rec.c clears it only with FEAT_HPMN0', () => {
    const rd = { pmuEnabled: false, pmuNumCtrs: 0 };
    assert.equal(initCommonSysregsMdcr(boot, rd, true, false), boot);
    assert.equal(hpmnOf(initCommonSysregsMdcr(boot, rd, true, true)), 0);
    assert.equal(hpmnOf(initCommonSysregsMdcr(boot, rd, false, true)), 6);
  });
});

/** MDCR_EL2.HPMN `h` is reserved on a PE with `n` counters (D24.3.17). */
const reserved = (h: number, n: number, hpmn0: boolean) => h > n || (h === 0 && !hpmn0);

describe('can an accepted Realm configuration program a reserved HPMN?', () => {
  // Every catalogue CPU (N >= 1), and N = 1..8 with and without FEAT_HPMN0.
  const pes: CpuDef[] = [
    ...CPUS.filter((c) => c.n >= 1),
    ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => [cpu(n, false), cpu(n, true)]),
  ];
  const configs = [false, true].flatMap((pmu) =>
    Array.from({ length: 32 }, (_, k) => ({ pmu, pmuNumCtrs: k })),
  );
  test('no, when the REC runs on a PE like the one that created it (either rec.c)', () => {
    let accepted = 0;
    for (const pe of pes) {
      const hpmn0 = cpuFeatures(pe).has('FEAT_HPMN0');
      for (const p of configs) {
        const r = rmiRealmCreate(pe, p);
        if (r.value === undefined) continue;
        accepted++;
        for (const newer of [false, true]) {
          const m = initCommonSysregsMdcr(rmmArchInitMdcr(pe.n), r.value, hpmn0, newer);
          assert.ok(
            !reserved(hpmnOf(m), pe.n, hpmn0),
            `${pe.name} N=${pe.n} ${JSON.stringify(p)} newer=${newer}`,
          );
        }
      }
    }
    assert.ok(accepted > pes.length, 'the sweep accepted configurations');
  });
  test('yes, when the REC is created on an 8-counter PE and entered on a 6-counter one', () => {
    const big = cpu(8, true);
    const little = cpu(6, false);
    const found: string[] = [];
    for (const p of configs) {
      const r = rmiRealmCreate(big, p);
      if (r.value === undefined) continue;
      for (const newer of [false, true]) {
        const m = initCommonSysregsMdcr(rmmArchInitMdcr(8), r.value, true, newer);
        if (reserved(hpmnOf(m), little.n, cpuFeatures(little).has('FEAT_HPMN0')))
          found.push(`${p.pmu ? p.pmuNumCtrs : 'off'}${newer ? '/newer' : ''}`);
      }
    }
    // PMU on with 7 or 8 counters; PMU off keeps the big PE's boot HPMN 8 (older rec.c), or the
    // newer rec.c clears it to 0, which the little PE (no FEAT_HPMN0) does not allow either. PMU
    // on with 0 (allowed by the big PE's FEAT_HPMN0) is reserved on the little one too.
    assert.deepEqual(
      found.sort(),
      [
        '0',
        '0/newer',
        '7',
        '7/newer',
        '8',
        '8/newer',
        ...Array.from({ length: 32 }, () => ['off', 'off/newer']).flat(),
      ].sort(),
    );
  });
  test('pmup kvm --policy rmm: the same, through the scenario, with RMI status codes', () => {
    const r = kvmPartitionScenario({
      policy: lookupPolicy('rmm'),
      cpu: cpu(8, true),
      on: cpu(6, false),
      reservedHostCounters: -1,
    });
    assert.deepEqual(
      r.ioctls.map((i) => i.status),
      ['RMI_SUCCESS', 'RMI_SUCCESS', 'RMI_SUCCESS', 'RMI_SUCCESS'],
    );
    assert.equal(hpmnOf(r.mdcrEl2AtLoad!), 8);
    assert.ok(
      r.problems.some((p) => /MDCR_EL2\.HPMN = 8 is reserved: this CPU has 6 event counters/.test(p.message)),
    );
    const bad = kvmPartitionScenario({
      policy: lookupPolicy('rmm'),
      cpu: cpu(6, false),
      nr: 7,
      reservedHostCounters: -1,
    });
    assert.deepEqual(
      bad.ioctls.map((i) => [i.status, i.ret]),
      [
        ['RMI_SUCCESS', 0],
        ['RMI_ERROR_INPUT', 1],
      ],
    );
  });
});
