// SPDX-License-Identifier: MIT
/**
 * Arm's TF-RMM (the Realm Management Monitor of Arm CCA, R-EL2) as a partitioner of the PMU: the
 * MDCR_EL2 it gives a Realm's RECs, the checks of RMI_REALM_CREATE, and the RMI calls of a Realm's
 * life, which answer RMI status codes (RMI_SUCCESS, RMI_ERROR_INPUT, ...), not errno. The RMM is
 * not KVM, so it brings its own `pmup kvm` scenario (the normal-world host only drives RMI).
 *
 * Sources (TF-RMM/tf-rmm, as stored):
 * - runtime/core/init.c rmm_arch_init(): at boot, on every PE, MDCR_EL2 = MDCR_EL2_INIT | HPMN =
 *   PMCR_EL0.N; lib/arch/include/arch.h MDCR_EL2_INIT = MTPME | HCCD | HPMD | TDA | TPM | TPMCR.
 * - runtime/rmi/feature.c get_feature_register_0(): PMU_EN = 1 ("RMM supports PMUv3p7+"),
 *   PMU_NUM_CTRS = PMCR_EL0.N of the PE that answers.
 * - runtime/rmi/realm.c validate_realm_params(): with RMI_REALM_FLAGS_PMU, pmu_num_ctrs >
 *   PMU_NUM_CTRS, or pmu_num_ctrs == 0 without FEAT_HPMN0, fails RMI_REALM_CREATE with
 *   RMI_ERROR_INPUT (an older realm.c demanded pmu_num_ctrs == PMU_NUM_CTRS). Without the flag
 *   pmu_num_ctrs is stored unchecked and never used.
 * - runtime/rmi/rec.c init_common_sysregs() at RMI_REC_CREATE: the creating PE's MDCR_EL2
 *   (read_mdcr_el2()); PMU enabled: TPM and TPMCR cleared, HPMN = pmu_num_ctrs; disabled: TPM and
 *   TPMCR set. A newer rec.c (variant `rmm:hpmn0`, its repository not named in the research
 *   digest) also clears HPMN when the PMU is disabled and FEAT_HPMN0 is there ("making none
 *   visible to the Realm").
 * - runtime/core/run.c restore_realm_state(): write_mdcr_el2(rec->common_sysregs.mdcr_el2) at
 *   every REC entry, on whatever PE runs it.
 *
 * Not modelled: the RMM's save and restore of the Realm's and the normal world's PMU registers
 * (pmu_restore_state(), pmu_save_state()), so `--host-events` shows nothing for a Realm; the RMM's
 * handling of a trapped PMU access of a Realm without a PMU is taken as an Undefined Instruction.
 *
 * @module
 */

import { accessSysreg } from '../../arch/access.js';
import { lookupRegister } from '../../arch/catalogue.js';
import { type CpuDef, cpuFeatures } from '../../arch/cpus.js';
import { bits, get, type PeState, withReg } from '../../arch/pmu/state.js';
import { stepOutcomes } from '../../arch/step.js';
import type { Choices } from '../../arch/unpredictable.js';
import type { GuestOutcome } from '../guest.js';
import { GUEST_HCR_EL2_VHE } from '../host.js';
import { MAINLINE_KERNEL } from '../kernel.js';
import { NO_PMU_FGT } from '../policies/mainline.js';
import type { Finding, Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import type { GuestRead, IoctlRecord, ScenarioOptions, ScenarioReport } from '../scenario.js';
import {
  fieldGet,
  fieldPrep,
  MDCR_EL2_HCCD,
  MDCR_EL2_HPMD,
  MDCR_EL2_HPMN,
  MDCR_EL2_TDA,
  MDCR_EL2_TPM,
  MDCR_EL2_TPMCR,
  type MdcrEl2,
  mdcrEl2Value,
  mdcrMaskOf,
} from '../sysreg.js';
import { getHostCpu, makeWorld, type World, withPe } from '../world.js';

/** RMI command status codes (RMM specification, RmiStatusCode). */
export const RMI_STATUS = {
  RMI_SUCCESS: 0,
  RMI_ERROR_INPUT: 1,
  RMI_ERROR_REALM: 2,
  RMI_ERROR_REC: 3,
} as const;

/** An RMI status name. */
export type RmiStatusName = keyof typeof RMI_STATUS;

/** What an RMI command answered. */
export interface RmiResult<T> {
  readonly status: RmiStatusName;
  readonly value?: T;
  readonly why: string;
}

const MDCR_EL2_MTPME = mdcrMaskOf('MTPME');

/** `MDCR_EL2_INIT` (lib/arch/include/arch.h). */
export const RMM_MDCR_EL2_INIT =
  MDCR_EL2_MTPME | MDCR_EL2_HCCD | MDCR_EL2_HPMD | MDCR_EL2_TDA | MDCR_EL2_TPM | MDCR_EL2_TPMCR;

/**
 * `rmm_arch_init()` on a PE of type `cpu`: the RMM's MDCR_EL2, HPMN = PMCR_EL0.N.
 *
 * @see runtime/core/init.c rmm_arch_init()
 */
export function rmmArchInitMdcr(n: number): MdcrEl2 {
  return RMM_MDCR_EL2_INIT | fieldPrep(MDCR_EL2_HPMN, n);
}

/**
 * The PMU fields of `get_feature_register_0()` on a PE of type `cpu`: PMU_EN, and PMU_NUM_CTRS =
 * its PMCR_EL0.N.
 *
 * @see runtime/rmi/feature.c get_feature_register_0()
 */
export function rmiFeatureRegister0Pmu(cpu: CpuDef): { readonly pmuEn: true; readonly pmuNumCtrs: number } {
  return { pmuEn: true, pmuNumCtrs: cpu.n };
}

/** The PMU part of RmiRealmParams. */
export interface RealmPmuParams {
  /** RMI_REALM_FLAGS_PMU. */
  readonly pmu: boolean;
  readonly pmuNumCtrs: number;
}

/** The PMU part of a Realm descriptor (struct rd). */
export interface Rd {
  readonly pmuEnabled: boolean;
  readonly pmuNumCtrs: number;
}

/**
 * RMI_REALM_CREATE on a PE of type `cpu`, the PMU checks of validate_realm_params(): with the PMU
 * flag, more counters than PMU_NUM_CTRS, or 0 without FEAT_HPMN0, is RMI_ERROR_INPUT. Then rd's
 * pmu_enabled and pmu_num_ctrs (stored as given).
 *
 * @see runtime/rmi/realm.c smc_realm_create(), validate_realm_params()
 */
export function rmiRealmCreate(cpu: CpuDef, p: RealmPmuParams): RmiResult<Rd> {
  const feat = rmiFeatureRegister0Pmu(cpu);
  if (p.pmu && p.pmuNumCtrs > feat.pmuNumCtrs) {
    return {
      status: 'RMI_ERROR_INPUT',
      why: `validate_realm_params: pmu_num_ctrs ${p.pmuNumCtrs} > PMU_NUM_CTRS ${feat.pmuNumCtrs}`,
    };
  }
  if (p.pmu && p.pmuNumCtrs === 0 && !cpuFeatures(cpu).has('FEAT_HPMN0')) {
    return { status: 'RMI_ERROR_INPUT', why: 'validate_realm_params: pmu_num_ctrs 0 without FEAT_HPMN0' };
  }
  return {
    status: 'RMI_SUCCESS',
    value: { pmuEnabled: p.pmu, pmuNumCtrs: p.pmuNumCtrs },
    why: `RMI_REALM_CREATE: PMU ${p.pmu ? `enabled, pmu_num_ctrs = ${p.pmuNumCtrs}` : 'disabled'}`,
  };
}

/**
 * `init_common_sysregs()` at RMI_REC_CREATE: the REC's MDCR_EL2 from the creating PE's MDCR_EL2
 * (`bootMdcr`, as rmm_arch_init() left it) and its FEAT_HPMN0.
 *
 * @see runtime/rmi/rec.c init_common_sysregs()
 */
export function initCommonSysregsMdcr(bootMdcr: MdcrEl2, rd: Rd, hasHpmn0: boolean, newer: boolean): MdcrEl2 {
  let mdcr = bootMdcr;
  if (rd.pmuEnabled) {
    // "Set MDCR_EL2.HPMN to assign event counters into the first range".
    mdcr &= ~(MDCR_EL2_TPM | MDCR_EL2_TPMCR);
    mdcr &= ~MDCR_EL2_HPMN;
    mdcr |= fieldPrep(MDCR_EL2_HPMN, rd.pmuNumCtrs);
  } else {
    mdcr |= MDCR_EL2_TPM | MDCR_EL2_TPMCR;
    // Newer rec.c: "Set HPMN to 0 so all counters are in the second (host-owned) range ...
    // HPMN=0 requires FEAT_HPMN0."
    if (newer && hasHpmn0) mdcr &= ~MDCR_EL2_HPMN;
  }
  return mdcr;
}

/**
 * The REC's MDCR_EL2 from the kernel-style inputs: `partitioned` is the Realm's PMU flag,
 * `nrPmuCounters` its pmu_num_ctrs, `hostCounters` the N of the PE that created the REC (its
 * boot HPMN), and the REC runs on a PE like it.
 */
function evaluateRmm(inputs: PolicyInputs, newer: boolean): PolicyResult {
  const rd: Rd = { pmuEnabled: inputs.partitioned, pmuNumCtrs: inputs.nrPmuCounters };
  const mdcrEl2 = initCommonSysregsMdcr(rmmArchInitMdcr(inputs.hostCounters), rd, inputs.hasHpmn0, newer);
  return completeResult(
    inputs,
    {
      // The Realm reads the hardware PMCR_EL0.N (= HPMN) with its PMU, and has none without.
      guestPmcrN: rd.pmuEnabled ? rd.pmuNumCtrs : 0,
      hpmn: fieldGet(MDCR_EL2_HPMN, mdcrEl2),
      mdcrEl2: mdcrEl2Value(mdcrEl2),
      fgt: NO_PMU_FGT,
    },
    { hpmnFunction: 'init_common_sysregs()', partitions: false },
  );
}

const PMCR_N = bits('PMCR_EL0', 'N');

/**
 * A Realm's MRS or MSR at EL1 on `pe` (its REC entered there) under fixed CONSTRAINED
 * UNPREDICTABLE `choices`: the hardware's outcome, except that a trap to EL2 reaches the RMM, which
 * answers it with an Undefined Instruction (assumed: the RMM's handler of a trapped PMU access
 * is not modelled, see the module comment).
 */
export function realmAccess(
  pe: PeState,
  access: { readonly dir: 'read' | 'write'; readonly reg: string; readonly value?: bigint },
  choices: Choices,
): { readonly pe: PeState; readonly outcome: GuestOutcome; readonly by: 'hardware' | 'kvm' } {
  const r = accessSysreg(
    pe,
    {
      el: 1,
      dir: access.dir,
      reg: lookupRegister(access.reg),
      ...(access.value === undefined ? {} : { value: access.value }),
    },
    choices,
  );
  const o = r.outcome;
  switch (o.kind) {
    case 'ok':
      return {
        pe: r.state,
        outcome: o.value === undefined ? { kind: 'ok' } : { kind: 'ok', value: o.value },
        by: 'hardware',
      };
    case 'undefined':
      return { pe, outcome: { kind: 'undefined' }, by: 'hardware' };
    case 'trap':
      return o.toEl === 2
        ? { pe, outcome: { kind: 'undefined' }, by: 'kvm' }
        : { pe, outcome: { kind: 'trap', toEl: o.toEl }, by: 'hardware' };
    case 'unpredictable':
      return { pe, outcome: o, by: 'hardware' };
  }
}

/** A Realm's EL1 read of PMCR_EL0 on `pe`, under every permitted behaviour. */
function realmRead(pe: PeState, when: string): GuestRead {
  const s = stepOutcomes(pe, { kind: 'read', el: 1, reg: lookupRegister('PMCR_EL0') }, {});
  let outcome: GuestOutcome;
  let by: 'hardware' | 'kvm' = 'hardware';
  let why = s.rule;
  if (s.kind === 'unpredictable') {
    outcome = { kind: 'unpredictable', rule: s.rule, allowed: s.allowed };
    why = s.why;
  } else if (s.kind === 'unknown-bits') {
    outcome = { kind: 'ok', value: s.value, unknown: s.unknown };
  } else if (s.outcome.kind === 'trap' && s.outcome.toEl === 2) {
    // The RMM's handler (assumed): a Realm without a PMU gets an Undefined Instruction.
    outcome = { kind: 'undefined' };
    by = 'kvm';
    why = `${s.rule}; the RMM injects an Undefined Instruction (assumed)`;
  } else if (s.outcome.kind === 'trap') {
    outcome = { kind: 'trap', toEl: s.outcome.toEl === 3 ? 3 : 1 };
  } else if (s.outcome.kind === 'undefined') {
    outcome = { kind: 'undefined' };
  } else {
    outcome = s.outcome.value === undefined ? { kind: 'ok' } : { kind: 'ok', value: s.outcome.value };
  }
  // N is known only where no permitted behaviour changes it.
  const nKnown = outcome.kind === 'ok' && ((outcome.unknown ?? 0n) & PMCR_N.mask) === 0n;
  const n =
    nKnown && outcome.kind === 'ok' && outcome.value !== undefined
      ? Number(get(outcome.value, PMCR_N))
      : undefined;
  return { when, outcome, by, ...(n === undefined ? {} : { n }), why };
}

/**
 * The Realm's life as the normal-world host drives it: RMI_FEATURES and RMI_REALM_CREATE (PMU
 * flag, pmu_num_ctrs = `nr`, default PMU_NUM_CTRS) and RMI_REC_CREATE on the ioctl CPU (default
 * 0), RMI_REC_ENTER on the run CPU; the Realm reads PMCR_EL0 at EL1 twice. MDCR_EL2 is judged on
 * the PE the REC runs on.
 */
function rmmScenario(policy: Policy, newer: boolean, o: ScenarioOptions): ScenarioReport {
  const cpus = o.on === undefined ? [o.cpu] : [o.cpu, o.on];
  const target = o.runCpu ?? cpus.length - 1;
  const creator = o.ioctlCpu ?? 0;
  let w: World = makeWorld(policy, { cpus, reservedHostCounters: -1 });
  getHostCpu(w, target);
  getHostCpu(w, creator);
  const ioctls: IoctlRecord[] = [];
  const problems: Finding[] = [];
  const say = (code: string, message: string) => problems.push({ code, message });
  const call = (name: string, r: RmiResult<unknown>) => {
    ioctls.push({ call: name, ret: RMI_STATUS[r.status], status: r.status, why: r.why });
    if (r.status !== 'RMI_SUCCESS') say('rmi-refused', `${name}: ${r.status}: ${r.why}`);
  };
  const cpuDef = (i: number) => getHostCpu(w, i).pe.config.cpu;
  const feat = rmiFeatureRegister0Pmu(cpuDef(creator));
  call(`RMI_FEATURES on CPU ${creator}`, {
    status: 'RMI_SUCCESS',
    why: `get_feature_register_0: PMU_EN = 1, PMU_NUM_CTRS = ${feat.pmuNumCtrs} (PMCR_EL0.N of CPU ${creator})`,
  });
  const params: RealmPmuParams = { pmu: true, pmuNumCtrs: o.nr ?? feat.pmuNumCtrs };
  const realm = rmiRealmCreate(cpuDef(creator), params);
  call(`RMI_REALM_CREATE(PMU, pmu_num_ctrs = ${params.pmuNumCtrs}) on CPU ${creator}`, realm);
  const base = {
    world: w,
    vcpu: { vm: 0, vcpu: 0 },
    ioctls,
    cpu: target,
    nrPmuCounters: params.pmuNumCtrs,
    guestReads: [] as GuestRead[],
  };
  if (realm.value === undefined) return { ...base, loadTrace: [], trappedAfter: [], problems, notes: [] };
  const rd = realm.value;
  const boot = rmmArchInitMdcr(cpuDef(creator).n);
  const mdcrEl2 = mdcrEl2Value(
    initCommonSysregsMdcr(boot, rd, cpuFeatures(cpuDef(creator)).has('FEAT_HPMN0'), newer),
  );
  call(`RMI_REC_CREATE on CPU ${creator}`, {
    status: 'RMI_SUCCESS',
    why: `init_common_sysregs: MDCR_EL2 = 0x${mdcrEl2.toString(16)} from CPU ${creator}'s 0x${mdcrEl2Value(boot).toString(16)}`,
  });
  call(`RMI_REC_ENTER on CPU ${target}`, { status: 'RMI_SUCCESS', why: 'restore_realm_state: the REC runs' });
  const loadTrace = [
    `rmm_arch_init on CPU ${creator}: MDCR_EL2 = 0x${mdcrEl2Value(boot).toString(16)} (HPMN = PMCR_EL0.N = ${cpuDef(creator).n})`,
    `restore_realm_state on CPU ${target}: write_mdcr_el2(0x${mdcrEl2.toString(16)})`,
  ];
  const pe = withReg(withReg(getHostCpu(w, target).pe, 'MDCR_EL2', mdcrEl2), 'HCR_EL2', GUEST_HCR_EL2_VHE);
  w = withPe(w, target, pe);
  const features = cpuFeatures(cpuDef(target));
  const inputs: PolicyInputs = {
    nrPmuCounters: rd.pmuNumCtrs,
    armPmu: true,
    hpmnMax: -1,
    hostCounters: cpuDef(target).n,
    partitioned: rd.pmuEnabled,
    useFgt: false,
    hasHpmn0: features.has('FEAT_HPMN0'),
    pmuVer: cpuDef(target).pmuVer,
    onUnsupportedCpu: false,
    guestDebug: false,
    hasFgt: features.has('FEAT_FGT'),
    hasFgt2: features.has('FEAT_FGT2'),
    guestOwnsDebug: false,
    guestHasPmu: rd.pmuEnabled,
  };
  const atLoad = completeResult(
    inputs,
    {
      guestPmcrN: rd.pmuEnabled ? rd.pmuNumCtrs : 0,
      hpmn: fieldGet(MDCR_EL2_HPMN, mdcrEl2),
      mdcrEl2,
      fgt: NO_PMU_FGT,
    },
    { hpmnFunction: 'init_common_sysregs()', partitions: false },
  );
  for (const f of atLoad.findings) say(f.code, `at RMI_REC_ENTER: ${f.message}`);
  const guestReads = ['first read', 'second read'].map((when) => realmRead(pe, when));
  for (const g of guestReads) {
    if (g.outcome.kind !== 'ok')
      say('guest-read-failed', `Realm ${g.when} of PMCR_EL0: ${g.outcome.kind} (${g.why})`);
    else if (g.n === undefined)
      say(
        'guest-pmcr-n-unknown',
        `Realm ${g.when} of PMCR_EL0: N is UNKNOWN, the permitted behaviours differ (${g.why})`,
      );
    else if (g.n !== rd.pmuNumCtrs)
      say(
        'guest-pmcr-n-not-nr',
        `Realm ${g.when} of PMCR_EL0 sees N = ${g.n}, but pmu_num_ctrs = ${rd.pmuNumCtrs}`,
      );
  }
  return {
    ...base,
    world: w,
    exit: 'GUEST_ENTERED',
    loadTrace,
    atLoad,
    mdcrEl2AtLoad: mdcrEl2,
    mdcrEl2After: mdcrEl2,
    trappedAfter: atLoad.trapped,
    kvmPmcrN: rd.pmuNumCtrs,
    guestReads,
    problems,
    notes: [],
  };
}

function rmmPolicy(newer: boolean): Policy {
  const policy: Policy = {
    name: newer ? 'rmm:hpmn0' : 'rmm',
    summary: newer
      ? 'TF-RMM (newer rec.c): as rmm, and HPMN = 0 for a Realm without PMU when FEAT_HPMN0'
      : 'TF-RMM Realm: PMU enabled TPM/TPMCR clear, HPMN = pmu_num_ctrs (checked <= PMCR_EL0.N, 0 only with HPMN0); disabled: traps',
    source: newer
      ? 'TF-RMM runtime/rmi/rec.c init_common_sysregs() (newer variant; repository not named in the research digest)'
      : 'TF-RMM/tf-rmm runtime/rmi/rec.c init_common_sysregs(), runtime/rmi/realm.c validate_realm_params(), runtime/core/init.c rmm_arch_init(), runtime/rmi/feature.c get_feature_register_0()',
    date: '2026-12-03',
    kernel: MAINLINE_KERNEL,
    evaluate: (inputs) => evaluateRmm(inputs, newer),
    scenario: (o) => rmmScenario(policy, newer, o),
  };
  return policy;
}

export const RMM: Policy = { ...rmmPolicy(false), variants: [rmmPolicy(true)] };
