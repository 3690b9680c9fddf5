// SPDX-License-Identifier: MIT
/**
 * The steps of a monitor that is not KVM (a policy with its own scenario: TF-RMM), for the
 * verifier. The normal-world host drives the RMM through RMI: RMI_REALM_CREATE (with or without
 * the PMU flag), RMI_REC_CREATE from a thread on a CPU, RMI_REC_ENTER on a CPU (on any CPU, as the
 * host's scheduler runs the REC's thread anywhere) and the REC's exit; while the REC runs, the
 * Realm reads and writes PMU registers at EL1 under every permitted behaviour.
 *
 * The Realm and its REC stand in the world's VM 0 and its vCPU 0, so that the invariants that read
 * a vCPU (where it is loaded, whether it has a PMU) read the REC: `cpu` is the PE the REC runs on,
 * `pmuV3` the Realm's PMU flag, `mdcrEl2` the REC's MDCR_EL2 (init_common_sysregs()).
 *
 * @module
 */

import { withReg } from '../arch/pmu/state.js';
import type { Choices } from '../arch/unpredictable.js';
import { GUEST_HCR_EL2_VHE } from '../kvm/host.js';
import {
  initCommonSysregsMdcr,
  type Rd,
  realmAccess,
  rmiFeatureRegister0Pmu,
  rmiRealmCreate,
  rmmArchInitMdcr,
} from '../kvm/monitors/rmm.js';
import { mdcrEl2Value } from '../kvm/sysreg.js';
import { kvmCreateVcpu, kvmCreateVm } from '../kvm/vm.js';
import {
  getHostCpu,
  getVcpu,
  makeWorld,
  updateHostCpu,
  updateVcpu,
  type World,
  withPe,
} from '../kvm/world.js';
import type { Action, Attempt, CheckState } from './actions.js';
import type { Configuration } from './config.js';

/** The RMI commands the host makes, and the REC's exit back to the host. */
export type RmiCall = 'REALM_CREATE' | 'REC_CREATE' | 'REC_ENTER' | 'REC_EXIT';

/** What the monitor holds for the Realm. */
export interface RealmState {
  /** The Realm descriptor, once RMI_REALM_CREATE succeeded. */
  readonly rd?: Rd;
  /** The REC: its MDCR_EL2 as RMI_REC_CREATE computed it, and the CPU that created it. */
  readonly rec?: { readonly mdcr: bigint; readonly creator: number };
  /** While the REC runs: the host's MDCR_EL2 and HCR_EL2 on that CPU, restored at the exit. */
  readonly host?: { readonly mdcr: bigint; readonly hcr: bigint };
  /** Whether the monitor is the newer rec.c (`rmm:hpmn0`). */
  readonly newer: boolean;
}

/** The Realm's steps as words. */
export function rmiText(a: Extract<Action, { readonly kind: 'rmi' }>): string {
  switch (a.call) {
    case 'REALM_CREATE':
      return a.pmu === true
        ? `RMI_REALM_CREATE(PMU, pmu_num_ctrs = ${a.n ?? 0})`
        : 'RMI_REALM_CREATE(no PMU)';
    case 'REC_CREATE':
      return `RMI_REC_CREATE on CPU ${a.cpu ?? 0}`;
    case 'REC_ENTER':
      return `RMI_REC_ENTER on CPU ${a.cpu ?? 0}`;
    case 'REC_EXIT':
      return 'the REC exits to the host';
  }
}

/** The initial state: the host booted, no Realm yet (VM 0 and vCPU 0 stand for it). */
export function monitorInitialState(c: Configuration): CheckState {
  const cpus = c.other === undefined ? [c.cpu] : [c.cpu, c.other];
  let world = makeWorld(c.policy, { cpus, reservedHostCounters: -1 });
  const vm = kvmCreateVm(world);
  const vc = kvmCreateVcpu(vm.world, vm.vm);
  world = vc.world;
  return {
    world,
    vcpu: vc.vcpu,
    realm: { newer: c.policy.name.endsWith(':hpmn0') },
    ...(c.nr === undefined ? {} : { ioctls: { nr: c.nr } }),
  };
}

/**
 * The steps enabled: RMI_REALM_CREATE with the PMU (pmu_num_ctrs = the configuration's `nr`, or
 * PMU_NUM_CTRS from RMI_FEATURES on CPU 0) or without; RMI_REC_CREATE from each CPU; RMI_REC_ENTER
 * on each CPU; while the REC runs, its exit and the Realm's accesses.
 */
export function monitorActions(state: CheckState): Action[] {
  const r = state.realm;
  if (r === undefined) return [];
  const cpus = state.world.host.cpus.map((h) => h.id);
  if (r.rd === undefined) {
    const n = state.ioctls?.nr ?? rmiFeatureRegister0Pmu(getHostCpu(state.world, 0).pe.config.cpu).pmuNumCtrs;
    return [
      { kind: 'rmi', call: 'REALM_CREATE', pmu: true, n },
      { kind: 'rmi', call: 'REALM_CREATE', pmu: false, n: 0 },
    ];
  }
  if (r.rec === undefined) return cpus.map((cpu) => ({ kind: 'rmi', call: 'REC_CREATE', cpu }));
  if (r.host === undefined) return cpus.map((cpu) => ({ kind: 'rmi', call: 'REC_ENTER', cpu }));
  const n = r.rd.pmuEnabled ? r.rd.pmuNumCtrs : 0;
  return [
    { kind: 'rmi', call: 'REC_EXIT' },
    { kind: 'guest', dir: 'read', reg: 'PMCR_EL0' },
    { kind: 'guest', dir: 'read', reg: `PMEVCNTR${Math.min(n, 30)}_EL0` },
    { kind: 'guest', dir: 'write', reg: 'PMCNTENSET_EL0', value: 0xffff_ffffn },
  ];
}

function rmi(
  state: CheckState,
  r: RealmState,
  a: Extract<Action, { readonly kind: 'rmi' }>,
): Attempt | undefined {
  const w = state.world;
  switch (a.call) {
    case 'REALM_CREATE': {
      // RMI_REALM_CREATE's checks against the PE that answered RMI_FEATURES (CPU 0).
      const res = rmiRealmCreate(getHostCpu(w, 0).pe.config.cpu, {
        pmu: a.pmu === true,
        pmuNumCtrs: a.n ?? 0,
      });
      if (res.value === undefined) return undefined;
      const rd = res.value;
      // The Realm is promised PMCR_EL0.N = pmu_num_ctrs (RMM specification, RMI_REALM_CREATE).
      return { world: w, realm: { ...r, rd }, ...(rd.pmuEnabled ? { promise: rd.pmuNumCtrs } : {}) };
    }
    case 'REC_CREATE': {
      if (r.rd === undefined) return undefined;
      const cpu = a.cpu ?? 0;
      const pe = getHostCpu(w, cpu).pe;
      // init_common_sysregs() reads the creating PE's MDCR_EL2, as rmm_arch_init() set it.
      const mdcr = mdcrEl2Value(
        initCommonSysregsMdcr(
          rmmArchInitMdcr(pe.config.n),
          r.rd,
          pe.config.features.has('FEAT_HPMN0'),
          r.newer,
        ),
      );
      return { world: w, realm: { ...r, rec: { mdcr, creator: cpu } } };
    }
    case 'REC_ENTER': {
      if (r.rd === undefined || r.rec === undefined || r.host !== undefined) return undefined;
      const cpu = a.cpu ?? 0;
      const pe = getHostCpu(w, cpu).pe;
      const host = { mdcr: pe.regs.MDCR_EL2, hcr: pe.regs.HCR_EL2 };
      // restore_realm_state(): write_mdcr_el2(rec->common_sysregs.mdcr_el2) on this PE.
      let next = withPe(w, cpu, withReg(withReg(pe, 'MDCR_EL2', r.rec.mdcr), 'HCR_EL2', GUEST_HCR_EL2_VHE));
      const rd = r.rd;
      const rec = r.rec;
      next = updateVcpu(next, state.vcpu, (v) => ({
        ...v,
        cpu,
        lastCpu: cpu,
        initialized: true,
        hasRunOnce: true,
        pmuV3: rd.pmuEnabled,
        mdcrEl2: rec.mdcr,
      }));
      next = updateHostCpu(next, cpu, (h) => ({ ...h, loaded: state.vcpu }));
      return { world: next, realm: { ...r, host } };
    }
    case 'REC_EXIT': {
      const cpu = getVcpu(w, state.vcpu).cpu;
      if (r.host === undefined || cpu < 0) return undefined;
      const host = r.host;
      const pe = getHostCpu(w, cpu).pe;
      let next = withPe(w, cpu, withReg(withReg(pe, 'MDCR_EL2', host.mdcr), 'HCR_EL2', host.hcr));
      next = updateVcpu(next, state.vcpu, (v) => ({ ...v, cpu: -1 }));
      next = updateHostCpu(next, cpu, (h) => ({ ...h, loaded: undefined }));
      const { host: _, ...rest } = r;
      return { world: next, realm: rest };
    }
  }
}

/** One step of a monitor configuration under fixed choices (undefined: not possible here). */
export function monitorAttempt(state: CheckState, a: Action, choices: Choices): Attempt | undefined {
  const r = state.realm;
  if (r === undefined) return undefined;
  if (a.kind === 'rmi') return rmi(state, r, a);
  if (a.kind !== 'guest') return undefined;
  const cpu = getVcpu(state.world, state.vcpu).cpu;
  if (r.host === undefined || cpu < 0) return undefined;
  const res = realmAccess(
    getHostCpu(state.world, cpu).pe,
    { dir: a.dir, reg: a.reg, ...(a.value === undefined ? {} : { value: a.value }) },
    choices,
  );
  if (res.outcome.kind === 'unpredictable') return { unpredictable: res.outcome };
  const world: World = withPe(state.world, cpu, res.pe);
  return { world, outcome: res.outcome, by: res.by };
}
