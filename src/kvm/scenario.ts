// SPDX-License-Identifier: MIT
/**
 * One end-to-end scenario of the partitioned PMU, as a VMM would drive it: boot a host, create a
 * VM with a partitioned vPMU (the v5 VM capability or the v6 vCPU attribute, as the policy's
 * kernel offers), pin its PMU, set the number of counters, run the vCPU on a CPU, and let the
 * guest read PMCR_EL0 twice (the first access traps while the PMU context is VIRTUAL; the second
 * runs after the switch to PHYSICAL). The report lists every ioctl with its result, MDCR_EL2 as
 * loaded and after the switch, what traps, what the guest sees, and every problem found. `pmup
 * kvm` formats it.
 *
 * @module
 */

import { lookupRegister } from '../arch/catalogue.js';
import { type CpuDef, cpuFeatures } from '../arch/cpus.js';
import { decodeValue } from '../arch/decode.js';
import { PMU_EVENT_INST_RETIRED } from '../arch/pmu/events.js';
import { bits, get } from '../arch/pmu/state.js';
import type { FieldDef } from '../arch/registers/types.js';
import { kvmArmPmuV3SetAttr, kvmArmVcpuInit, kvmRun, type PmuAttr, type RunExit } from './api.js';
import { type ErrnoName, errnoText, type IoctlResult } from './errno.js';
import { type GuestCountGroup, type GuestOutcome, guestAccess, guestCountOutcomes } from './guest.js';
import { armv8pmuStart, perfEventOpen } from './perf.js';
import type { Finding, Policy, PolicyInputs, PolicyResult } from './policy.js';
import { hpmnReserved } from './result.js';
import { fieldGet, MDCR_EL2_HPMN } from './sysreg.js';
import { trappedRegisters } from './traps.js';
import { KVM_CAP_ARM_PARTITION_PMU, kvmCreateVcpu, kvmCreateVm, kvmVmIoctlEnableCap } from './vm.js';
import { cpuHostCounterMask, kvmPolicyInputs, kvmVcpuPmcrN, PERFCTR_CPU_CYCLES } from './vpmu.js';
import { getHostCpu, getVcpu, getVm, kernelFamily, makeWorld, type VcpuRef, type World } from './world.js';

/** What the scenario is built from. */
export interface ScenarioOptions {
  readonly policy: Policy;
  /** The CPU type the VM's PMU is pinned to; the host's CPU 0. */
  readonly cpu: CpuDef;
  /** Another CPU to run the vCPU on (the host's CPU 1); undefined: run on CPU 0. */
  readonly on?: CpuDef;
  /** `arm_pmuv3.reserved_host_counters` (-1: none). */
  readonly reservedHostCounters: number;
  /** KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS; undefined: keep the default. */
  readonly nr?: number;
  /** Set ON_UNSUPPORTED_CPU before MDCR_EL2 is computed (the reviewer's proposal). */
  readonly unsupportedCheckFirst?: boolean;
  /**
   * Send attribute 5 (ENABLE_PARTITION) after SET_PMU and SET_NR_COUNTERS instead of right after
   * the IRQ (the order of the v6..v8 selftests), which is where v8's silent clamp can act.
   */
  readonly enablePartitionLast?: boolean;
  /**
   * The physical CPU the VMM's thread makes the vCPU ioctls on (default 0). The per-CPU checks
   * (pmu_is_partitioned() reads this CPU's nr_event_counters) see this CPU.
   */
  readonly ioctlCpu?: number;
  /** The physical CPU KVM_RUN runs the vCPU on (default: CPU 1 when `on` is given, else 0). */
  readonly runCpu?: number;
  /**
   * Host perf events opened on the run CPU before KVM_RUN, as `perf stat -a -e cycles,instructions`
   * would (no exclusions, so they may count the guest): the first CPU_CYCLES, the others
   * INST_RETIRED. With them the report says what the guest's events count, under every
   * permitted behaviour (`guestCount`).
   */
  readonly hostEvents?: number;
  /**
   * After its two reads the guest writes this value to PMCR_EL0 at EL1 (before `guestCount` is
   * evaluated), e.g. 0 to clear PMCR_EL0.E.
   */
  readonly guestPmcrWrite?: bigint;
}

/** The guest's events whose counting the scenario evaluates (`guestCount`). */
export const GUEST_COUNT_EVENTS = { [PMU_EVENT_INST_RETIRED]: 1000, [PERFCTR_CPU_CYCLES]: 1000 } as const;

/** What the guest's events count on the hardware, under every permitted behaviour. */
export interface GuestCountReport {
  /** The events and where the guest causes them. */
  readonly what: string;
  readonly groups: readonly GuestCountGroup[];
  /** The counter each host event sits on (-1: none), in perf_event_open() order. */
  readonly hostCounters: readonly { readonly event: number; readonly idx: number }[];
}

/** One ioctl of the scenario and what it returned. */
export interface IoctlRecord {
  readonly call: string;
  readonly ret: number;
  readonly errno?: ErrnoName;
  /** For a call that answers a status code rather than an errno (an RMI command): its name. */
  readonly status?: string;
  readonly why: string;
}

/** One guest read of PMCR_EL0. */
export interface GuestRead {
  readonly when: string;
  readonly outcome: GuestOutcome;
  readonly by: 'hardware' | 'kvm';
  /** PMCR_EL0.N of the value read, when the read completed. */
  readonly n?: number;
  readonly why: string;
}

/** The scenario's findings. */
export interface ScenarioReport {
  readonly world: World;
  readonly vcpu: VcpuRef;
  readonly ioctls: readonly IoctlRecord[];
  /** The CPU the vCPU ran on. */
  readonly cpu: number;
  readonly exit?: RunExit;
  /** The kernel functions kvm_arch_vcpu_load() called. */
  readonly loadTrace: readonly string[];
  /** The policy's result as kvm_arm_setup_mdcr_el2() computed it at vcpu_load. */
  readonly atLoad?: PolicyResult;
  readonly mdcrEl2AtLoad?: bigint;
  /** MDCR_EL2 after the guest's first PMU access (the lazy switch may recompute it). */
  readonly mdcrEl2After?: bigint;
  readonly trappedAfter: readonly string[];
  /** kvm_vcpu_read_pmcr()'s N: what KVM tells the VMM (KVM_GET_ONE_REG) and the guest's traps. */
  readonly kvmPmcrN?: number;
  readonly nrPmuCounters: number;
  readonly guestReads: readonly GuestRead[];
  /** Present when the guest ran and host events were asked for. */
  readonly guestCount?: GuestCountReport;
  /** The guest's PMCR_EL0 write (`guestPmcrWrite`), when it ran. */
  readonly guestWrite?: GuestRead;
  /** What is wrong: each one makes `pmup kvm` exit 1. */
  readonly problems: readonly Finding[];
  /** What is worth knowing but harmless (KVM setting trap bits that are RES0 on this CPU). */
  readonly notes: readonly Finding[];
}

const PMCR_N = bits('PMCR_EL0', 'N');

/** A booted host with one VM whose vCPU has a partitioned vPMU, as a VMM sets it up. */
export interface PartitionedVm {
  /** The world after the last ioctl, before KVM_RUN. */
  readonly world: World;
  readonly vcpu: VcpuRef;
  readonly ioctls: readonly IoctlRecord[];
  /** The ioctls the kernel refused (code `ioctl-refused`). */
  readonly problems: readonly Finding[];
}

/**
 * Boots the host and sets up the VM as a VMM would: KVM_CREATE_VM (and the v5 capability),
 * KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT(PMU_V3) on CPU 0, the PMU_V3 IRQ, the v6 ENABLE_PARTITION,
 * SET_PMU to CPU 0's PMU, SET_NR_COUNTERS when `nr` is given, INIT. A refused ioctl is recorded
 * and the set-up goes on where a VMM could.
 */
export function kvmCreatePartitionedVm(o: ScenarioOptions): PartitionedVm {
  const cpus = o.on === undefined ? [o.cpu] : [o.cpu, o.on];
  return kvmAddPartitionedVm(makeWorld(o.policy, { cpus, reservedHostCounters: o.reservedHostCounters }), o);
}

/** The same VMM set-up as kvmCreatePartitionedVm(), of one more VM on an existing host. */
export function kvmAddPartitionedVm(world: World, o: ScenarioOptions): PartitionedVm {
  let w = world;
  const ioctls: IoctlRecord[] = [];
  const problems: Finding[] = [];
  const say = (code: string, message: string) => problems.push({ code, message });
  const record = (call: string, r: IoctlResult<World>): boolean => {
    ioctls.push({ call, ret: r.ret, ...(r.errno === undefined ? {} : { errno: r.errno }), why: r.why });
    if (r.errno !== undefined) say('ioctl-refused', `${call}: ${errnoText(r)}: ${r.why}`);
    w = r.world;
    return r.errno === undefined;
  };
  const family = kernelFamily(w);
  const vmr = kvmCreateVm(w);
  record('KVM_CREATE_VM', vmr);
  if (family === 'v5')
    record(
      'KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU, 1)',
      kvmVmIoctlEnableCap(w, vmr.vm, KVM_CAP_ARM_PARTITION_PMU, true),
    );
  const vc = kvmCreateVcpu(w, vmr.vm);
  record('KVM_CREATE_VCPU', vc);
  const ref = vc.vcpu;
  const ioctlCpu = o.ioctlCpu ?? 0;
  getHostCpu(w, ioctlCpu);
  const attr = (a: PmuAttr, label: string) =>
    record(`KVM_SET_DEVICE_ATTR(${label})`, kvmArmPmuV3SetAttr(w, ref, a, ioctlCpu));
  // A VMM gives the vCPU a PMU unless the kernel's scenario says otherwise (a pKVM protected VM).
  const withPmu = w.policy.kernel.guestPmu;
  const setup =
    record(
      `KVM_ARM_VCPU_INIT(${withPmu ? 'PMU_V3' : 'no PMU_V3'}) on CPU ${ioctlCpu}`,
      kvmArmVcpuInit(w, ref, { pmuV3: withPmu, cpu: ioctlCpu }),
    ) &&
    withPmu &&
    attr({ attr: 'IRQ', irq: 23 }, 'PMU_V3_IRQ, 23');
  if (setup) {
    // Attribute 5 as the partitioned-PMU series defines it; what the kernel makes of it is its own
    // (kvmArmPmuV3SetAttr5()): under FIXED_COUNTERS_ONLY the same number means something else.
    const partition = () => {
      if (w.policy.kernel.attr5 === 'none') return;
      const ok = attr({ attr: 'ENABLE_PARTITION', enable: true }, 'PMU_V3_ENABLE_PARTITION, true');
      // The same number, another meaning: the VMM asked for a partitioned PMU.
      if (ok && w.policy.kernel.attr5 === 'fixed-counters-only')
        say(
          'attr5-fixed-counters-only',
          'KVM_SET_DEVICE_ATTR(PMU_V3_ENABLE_PARTITION, true): this kernel reads attribute 5 as FIXED_COUNTERS_ONLY (Odaki) and returns 0: the VM gets no event counters instead of a partition',
        );
    };
    if (o.enablePartitionLast !== true) partition();
    const pmu = w.host.pmus[getHostCpu(w, 0).pmu]!;
    attr({ attr: 'SET_PMU', pmuId: pmu.type }, `PMU_V3_SET_PMU, ${pmu.type} = ${pmu.name}`);
    if (o.nr !== undefined) attr({ attr: 'SET_NR_COUNTERS', n: o.nr }, `PMU_V3_SET_NR_COUNTERS, ${o.nr}`);
    if (o.enablePartitionLast === true) partition();
    attr({ attr: 'INIT' }, 'PMU_V3_INIT');
  }
  return { world: w, vcpu: ref, ioctls, problems };
}

/** Runs the scenario. Throws only for model misuse; every kernel refusal is a recorded problem. */
export function kvmPartitionScenario(o: ScenarioOptions): ScenarioReport {
  // A monitor that is not KVM (TF-RMM) brings its own scenario.
  if (o.policy.scenario !== undefined) return o.policy.scenario(o);
  const target = o.runCpu ?? (o.on === undefined ? 0 : 1);
  const withPmu = o.policy.kernel.guestPmu;
  const vm = kvmCreatePartitionedVm(o);
  let w = vm.world;
  const ref = vm.vcpu;
  const ioctls = [...vm.ioctls];
  const problems: Finding[] = [...vm.problems];
  const say = (code: string, message: string) => problems.push({ code, message });
  const record = (call: string, r: IoctlResult<World>): void => {
    ioctls.push({ call, ret: r.ret, ...(r.errno === undefined ? {} : { errno: r.errno }), why: r.why });
    if (r.errno !== undefined) say('ioctl-refused', `${call}: ${errnoText(r)}: ${r.why}`);
    w = r.world;
  };
  for (let i = 0; i < (o.hostEvents ?? 0); i++) {
    const event = i === 0 ? PERFCTR_CPU_CYCLES : PMU_EVENT_INST_RETIRED;
    const e = perfEventOpen(w, target, event);
    record(`perf_event_open(0x${event.toString(16)}) on CPU ${target}`, e);
  }
  if ((o.hostEvents ?? 0) > 0) w = armv8pmuStart(w, target).world;
  const nrPmuCounters = getVm(w, ref.vm).nrPmuCounters;
  const run = kvmRun(w, ref, { cpu: target, unsupportedCheckFirst: o.unsupportedCheckFirst === true });
  record(`KVM_RUN on CPU ${target}`, run);
  const base = { world: w, vcpu: ref, ioctls, cpu: target, loadTrace: run.trace, nrPmuCounters };
  if (run.exit === undefined) {
    return { ...base, trappedAfter: [], guestReads: [], problems, notes: [] };
  }
  const vcpu = getVcpu(w, ref);
  const features = getHostCpu(w, target).pe.config.features;
  // The inputs kvm_arm_setup_mdcr_el2() saw: the flag was set before it only with the reviewer's order.
  const inputs = kvmPolicyInputs(w, ref, target);
  const atLoad = w.policy.evaluate({
    ...inputs,
    onUnsupportedCpu: o.unsupportedCheckFirst === true && vcpu.onUnsupportedCpu,
  });
  const mdcrEl2AtLoad = vcpu.mdcrEl2;
  if (atLoad.mdcrEl2 !== mdcrEl2AtLoad)
    throw new Error('internal: the policy does not reproduce the MDCR_EL2 loaded');
  for (const f of atLoad.findings) say(f.code, `at vcpu_load: ${f.message}`);
  const kvmPmcrN = kvmVcpuPmcrN(w, ref, target);
  const guestReads: GuestRead[] = [];
  if (run.exit === 'FAIL_ENTRY_CPU_UNSUPPORTED') {
    hostRangeProblems(w, ref, target, fieldGet(MDCR_EL2_HPMN, mdcrEl2AtLoad), inputs, problems);
    problems.push(...kernelFaults(w));
    const notes = mdcrEl2Findings([mdcrEl2AtLoad], getHostCpu(w, target).pe.config.cpu, problems);
    return {
      ...base,
      world: w,
      exit: run.exit,
      atLoad,
      mdcrEl2AtLoad,
      kvmPmcrN,
      trappedAfter: atLoad.trapped,
      guestReads,
      problems,
      notes,
    };
  }
  for (const when of ['first read (PMU context VIRTUAL)', 'second read (after the first access)']) {
    const a = guestAccess(w, ref, { el: 1, dir: 'read', reg: 'PMCR_EL0' });
    w = a.world;
    const n =
      a.outcome.kind === 'ok' && a.outcome.value !== undefined
        ? Number(get(a.outcome.value, PMCR_N))
        : undefined;
    guestReads.push({ when, outcome: a.outcome, by: a.by, ...(n === undefined ? {} : { n }), why: a.why });
    // A vCPU without a PMU is meant to see the PMU registers UNDEFINED.
    if (a.outcome.kind === 'undefined' && !withPmu) continue;
    if (a.outcome.kind !== 'ok')
      say('guest-read-failed', `guest ${when} of PMCR_EL0: ${a.outcome.kind} (${a.why})`);
    else if (n !== kvmPmcrN) {
      say(
        'guest-pmcr-n-differs',
        `guest ${when} of PMCR_EL0 sees N = ${n}, but KVM reports N = ${kvmPmcrN} (kvm_vcpu_read_pmcr(); ${a.by === 'hardware' ? 'the hardware shows the Effective MDCR_EL2.HPMN' : 'emulated'})`,
      );
    } else if (n !== nrPmuCounters) {
      say(
        'guest-pmcr-n-not-nr',
        `guest ${when} of PMCR_EL0 sees N = ${n}, but nr_pmu_counters = ${nrPmuCounters}`,
      );
    }
  }
  let guestWrite: GuestRead | undefined;
  if (o.guestPmcrWrite !== undefined) {
    const a = guestAccess(w, ref, { el: 1, dir: 'write', reg: 'PMCR_EL0', value: o.guestPmcrWrite });
    w = a.world;
    guestWrite = {
      when: `write of PMCR_EL0 = 0x${o.guestPmcrWrite.toString(16)}`,
      outcome: a.outcome,
      by: a.by,
      why: a.why,
    };
    if (a.outcome.kind !== 'ok' && !(a.outcome.kind === 'undefined' && !withPmu))
      say('guest-write-failed', `guest ${guestWrite.when}: ${a.outcome.kind} (${a.why})`);
  }
  const after = getVcpu(w, ref);
  const afterInputs = kvmPolicyInputs(w, ref, target);
  const afterResult = w.policy.evaluate(afterInputs);
  for (const f of afterResult.findings) {
    if (!atLoad.notes.includes(f.message))
      say(f.code, `after the first access (FGT from the next vcpu_load): ${f.message}`);
  }
  hostRangeProblems(w, ref, target, fieldGet(MDCR_EL2_HPMN, after.mdcrEl2), afterInputs, problems);
  problems.push(...kernelFaults(w));
  const guestCount: GuestCountReport | undefined =
    (o.hostEvents ?? 0) > 0
      ? {
          what: 'the guest retires 1000 instructions (INST_RETIRED) in 1000 cycles (CPU_CYCLES) at EL1',
          groups: guestCountOutcomes(w, ref, GUEST_COUNT_EVENTS, 1),
          hostCounters: w.host.perfEvents.map((e) => ({ event: e.event, idx: e.idx })),
        }
      : undefined;
  const notes = mdcrEl2Findings(
    [mdcrEl2AtLoad, after.mdcrEl2],
    getHostCpu(w, target).pe.config.cpu,
    problems,
  );
  const trappedAfter = trappedRegisters(after.mdcrEl2, after.fgt, {
    hasFgt: features.has('FEAT_FGT'),
    hasFgt2: features.has('FEAT_FGT2'),
  });
  return {
    ...base,
    world: w,
    exit: run.exit,
    atLoad,
    mdcrEl2AtLoad,
    mdcrEl2After: after.mdcrEl2,
    trappedAfter,
    kvmPmcrN: kvmVcpuPmcrN(w, ref, target),
    guestReads,
    ...(guestCount === undefined ? {} : { guestCount }),
    ...(guestWrite === undefined ? {} : { guestWrite }),
    problems,
    notes,
  };
}

function kernelFaults(w: World): Finding[] {
  return w.log
    .filter((l) => l.startsWith('kernel fault'))
    .map((message) => ({ code: 'kernel-fault', message }));
}

/**
 * What decoding the MDCR_EL2 values KVM loaded finds, on the CPU they ran on. KVM sets trap bits
 * of features the CPU may lack (TTRF without FEAT_TRF, TPMS without FEAT_SPE): those bits are
 * RES0 there and have no function, so they are notes (returned). Anything else is a problem,
 * added to `problems` unless a finding of the policy already says it (a reserved HPMN).
 */
function mdcrEl2Findings(values: readonly bigint[], cpu: CpuDef, problems: Finding[]): Finding[] {
  const notes: Finding[] = [];
  const add = (list: Finding[], f: Finding) => {
    if (!list.some((x) => x.message === f.message)) list.push(f);
  };
  const ctx = { cpu, features: cpuFeatures(cpu) };
  for (const value of values) {
    const d = decodeValue(lookupRegister('MDCR_EL2'), value, ctx);
    for (const p of d.problems) {
      const f = d.fields.find((x) => x.field.name === p.field)?.field;
      if (p.code === 'field-not-implemented' && f !== undefined && f.whenAbsent === undefined) {
        add(notes, { code: 'mdcr-el2-res0-bit-set', message: res0BitNote(f, cpu) });
      } else if (p.code !== 'hpmn-reserved' || !problems.some((x) => x.code === 'hpmn-reserved')) {
        add(problems, {
          code: `mdcr-el2-${p.code}`,
          message: `MDCR_EL2 = 0x${value.toString(16)}: ${p.message}`,
        });
      }
    }
  }
  return notes;
}

function res0BitNote(f: FieldDef, cpu: CpuDef): string {
  const bits = f.bits[0] === f.bits[1] ? `[${f.bits[0]}]` : `[${f.bits[0]}:${f.bits[1]}]`;
  return `KVM sets MDCR_EL2.${f.name} ${bits}, RES0 on ${cpu.name} (no ${f.feature}): it has no function there; harmless`;
}

/**
 * Host-owned counters of this CPU's own partitioned PMU placed in the first range by
 * MDCR_EL2.HPMN, when that PMU is not the VM's (the policy's own note covers the VM's PMU).
 */
function hostRangeProblems(
  world: World,
  ref: VcpuRef,
  cpu: number,
  hpmn: number,
  inputs: PolicyInputs,
  problems: Finding[],
): void {
  const hc = getHostCpu(world, cpu);
  const vm = getVm(world, ref.vm);
  const own = world.host.pmus[hc.pmu]!;
  if (vm.armPmu === hc.pmu || own.hpmnMax < 0 || hpmnReserved(hpmn, inputs)) return;
  const host = cpuHostCounterMask(world, cpu) & ((1n << 31n) - 1n);
  const firstRange = hpmn === 0 ? 0n : (1n << BigInt(hpmn)) - 1n;
  const overlap = host & firstRange;
  if (overlap === 0n) return;
  problems.push({
    code: 'host-counters-in-first-range',
    message: `MDCR_EL2.HPMN = ${hpmn} on CPU ${cpu} puts counters ${listBits(overlap)} of ${own.name}, which its driver keeps for the host (hpmn_max = ${own.hpmnMax}), in the guest's first range`,
  });
}

function listBits(v: bigint): string {
  const out: number[] = [];
  for (let i = 0; i < 64; i++) if (((v >> BigInt(i)) & 1n) === 1n) out.push(i);
  return out.join(', ');
}
