// SPDX-License-Identifier: MIT
/**
 * The host at boot: its physical CPUs (heterogeneous allowed), one PMUv3 PMU instance per CPU
 * type, and the PMUv3 driver's partitioning of each PMU from the `arm_pmuv3.reserved_host_counters`
 * module parameter (v5 07/24, v7 06/20, drivers/perf/arm_pmuv3.c). Mainline has no such
 * parameter: a mainline kernel ignores it and never partitions.
 *
 * v5 and v6 take the guest's counters from the host for good at boot (cntr_mask keeps only the
 * host's). v7 keeps every counter in cntr_mask and only records max_guest_counters; KVM takes the
 * guest's counters away while a partitioned vCPU is loaded (kvm_pmu_set_guest_counters(), v7
 * 13/20, in lifecycle.ts).
 *
 * Each CPU starts as EL2 leaves it at boot: MDCR_EL2.HPMN = PMCR_EL0.N (every counter in the
 * first range; arch/arm64/include/asm/el2_setup.h __init_el2_debug) and, with VHE, HCR_EL2.E2H
 * and TGE set (the host kernel runs at EL2).
 *
 * @module
 */

import { type CpuDef, cpuFeatures } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import type { PmuVersion } from '../arch/features.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  INSTRUCTION_COUNTER_ID,
  makePeState,
  type PeState,
} from '../arch/pmu/state.js';
import type { KernelTraits } from './kernel.js';
import type { VcpuRef } from './world.js';

/** One PMU instance (`struct arm_pmu`), the parts the model reads. */
export interface ArmPmu {
  /** The PMU's name (`armv8_cortex_a710`). */
  readonly name: string;
  /** `arm_pmu->pmu.type`: the perf type id KVM_ARM_VCPU_PMU_V3_SET_PMU names. */
  readonly type: number;
  /** The CPU type the PMU belongs to. */
  readonly cpu: CpuDef;
  /** `arm_pmu->supported_cpus`. */
  readonly supportedCpus: readonly number[];
  /** PMCR_EL0.N of its CPUs. */
  readonly n: number;
  /** `arm_pmu->pmuver`. */
  readonly pmuVer: PmuVersion;
  /**
   * `arm_pmu->cntr_mask`: the counters perf may use now (bits 0..30, 31 cycle, 32 instruction).
   * One mask per PMU, shared by all its CPUs. v7 changes it at vcpu_load/vcpu_put.
   */
  readonly cntrMask: bigint;
  /**
   * `arm_pmu->hw_cntr_mask` (v7 06/20): every counter the hardware implements, what cntr_mask is
   * reset to when no guest holds counters. Before v7 there is no such field; the model keeps the
   * probed mask here for every kernel.
   */
  readonly hwCntrMask: bigint;
  /**
   * `arm_pmu->hpmn_max` (v5 07/24), renamed `max_guest_counters` in v6/v7: N -
   * reserved_host_counters, or -1 when not partitioned. In v7 it only bounds the counters a guest
   * may take while loaded.
   */
  readonly hpmnMax: number;
}

/** One physical CPU and the per-CPU data KVM and the host keep for it. */
export interface HostCpu {
  readonly id: number;
  /** Index of its PMU in Host.pmus. */
  readonly pmu: number;
  /** The PE's architectural state. */
  readonly pe: PeState;
  /** `*host_data_ptr(nr_event_counters)`: PMCR_EL0.N read at EL2 (kvm_init_host_debug_data()). */
  readonly nrEventCounters: number;
  /** `host_debug_state.mdcr_el2`: the host's MDCR_EL2, saved by kvm_vcpu_load_debug(). */
  readonly savedMdcrEl2: bigint;
  /** The host's PMUSERENR_EL0, saved by __activate_traps_common(). */
  readonly savedPmuserenr: bigint;
  /** `kvm_get_running_vcpu()`: the vCPU loaded here, if any. */
  readonly loaded: VcpuRef | undefined;
  /**
   * `cpuc->host_squeezed` (v7 13/20, `struct pmu_hw_events` of this CPU's PMU): a host event sat
   * on a counter a loaded vCPU took, so vcpu_put must reschedule the host's events.
   */
  readonly hostSqueezed: boolean;
}

/**
 * The `struct perf_event_attr` bits the PMUv3 driver and KVM read. A raw perf_event_open() with no
 * exclusions has all of them false. The perf tool's default for exclude_guest depends on its
 * version: event_attr_init() sets it unless `perf_guest` (tools/perf/util/util.c), and Namhyung
 * Kim's Sep-2024 patch "perf tools: Don't set attr.exclude_guest by default" (exclude_HG_default)
 * stops that outside `perf kvm` (when it was merged is not verified here). `cycles:H` sets
 * excludeGuest, `cycles:G` excludeHost, `cycles:u` excludeKernel, `cycles:k` excludeUser,
 * `cycles:D` pinned.
 */
export interface PerfEventAttr {
  /** Must stay on the PMU: if it cannot get a counter at schedule-in it goes to the error state. */
  readonly pinned: boolean;
  readonly excludeUser: boolean;
  readonly excludeKernel: boolean;
  readonly excludeHv: boolean;
  readonly excludeHost: boolean;
  readonly excludeGuest: boolean;
}

/** Every attribute false: a plain per-CPU counting event. */
export const DEFAULT_PERF_ATTR: PerfEventAttr = {
  pinned: false,
  excludeUser: false,
  excludeKernel: false,
  excludeHv: false,
  excludeHost: false,
  excludeGuest: false,
};

/**
 * `event->state`: ACTIVE on a counter, INACTIVE waiting for a counter (a flexible event perf
 * could not schedule), ERROR (a pinned event perf could not schedule; it stays off until
 * userspace enables it again).
 */
export type PerfEventState = 'active' | 'inactive' | 'error';

/** A host perf event (bound to one CPU) and the counter the PMUv3 driver gave it. */
export interface HostPerfEvent {
  /** Its place in Host.perfEvents, in creation order (perf schedules events in this order). */
  readonly id: number;
  readonly cpu: number;
  /** The hardware counter while active: 0..30, 31 for PMCCNTR_EL0, 32 for PMICNTR_EL0; else -1. */
  readonly idx: number;
  /** The architectural event number. */
  readonly event: number;
  readonly attr: PerfEventAttr;
  readonly state: PerfEventState;
  /** `hwc->config_base`: the event number and the filter bits of armv8pmu_set_event_filter(). */
  readonly configBase: bigint;
  /** `event->count`: what it counted on the counters it left (armpmu_event_update()). */
  readonly count: bigint;
  /** `hwc->prev_count`: the counter's value when the event was last updated or scheduled in. */
  readonly prevCount: bigint;
  /** How many overflow interrupts perf has handled for it (perf_event_overflow()). */
  readonly overflows: number;
}

/** The host. */
export interface Host {
  readonly cpus: readonly HostCpu[];
  readonly pmus: readonly ArmPmu[];
  /** The global `armv8pmu_hpmn_max` (v5 07/24): the last successful partition's, else -1. */
  readonly armv8pmuHpmnMax: number;
  /** `reserved_host_counters` as given (-1: no partition). */
  readonly reservedHostCounters: number;
  /** `has_vhe()`. */
  readonly vhe: boolean;
  readonly perfEvents: readonly HostPerfEvent[];
}

/** The first perf type id given to a PMU: types 0..5 are perf's fixed PERF_TYPE_* ids. */
export const FIRST_PMU_TYPE = 8;

const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');
const HCR_E2H = bits('HCR_EL2', 'E2H');
const HCR_TGE = bits('HCR_EL2', 'TGE');

/** The host's HCR_EL2 under VHE: E2H and TGE set (the EL2&0 host regime). */
export const HOST_HCR_EL2_VHE = HCR_E2H.mask | HCR_TGE.mask;
/** A guest's HCR_EL2 under VHE, as far as the PMU model reads it: E2H set, TGE clear. */
export const GUEST_HCR_EL2_VHE = HCR_E2H.mask;

/** Bits 0..count-1. */
function ones(count: number): bigint {
  return (1n << BigInt(count)) - 1n;
}

/** `pmuv3_has_icntr()`: the CPU implements the instruction counter (FEAT_PMUv3_ICNTR). */
export function pmuv3HasIcntr(cpu: CpuDef): boolean {
  return cpuFeatures(cpu).has('FEAT_PMUv3_ICNTR');
}

/** The PMU name Linux gives a CPU type's PMU (`armv8_cortex_a710`), `armv8_pmuv3_<i>` for inline CPUs. */
function pmuName(cpu: CpuDef, index: number): string {
  return cpu.name === 'inline' ? `armv8_pmuv3_${index}` : `armv8_${cpu.name.replaceAll('-', '_')}`;
}

/**
 * `kvm_pmu_partition_supported()`: `has_vhe() && system_supports_pmuv3()` (every CPU of the model
 * implements PMUv3).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_partition_supported() (v5 07/24)
 */
export function kvmPmuPartitionSupported(host: { readonly vhe: boolean }): boolean {
  return host.vhe;
}

/**
 * `armv8pmu_partition(pmu, host_counters)`: valid iff 0 <= host_counters <= PMCR_EL0.N
 * (armv8pmu_reservation_is_valid()), else -EINVAL and a logged error; then hpmn_max = N -
 * host_counters for this PMU and the global. v5/v6: cntr_mask keeps counters hpmn..N-1 only (the
 * cycle counter and the instruction counter go to the guest). v7 (`dynamic`): cntr_mask is left
 * as probed; max_guest_counters "only defines an upper limit of counters the guest might use".
 *
 * @see drivers/perf/arm_pmuv3.c armv8pmu_partition() (v5 07/24; v7 06/20)
 */
export function armv8pmuPartition(
  pmu: ArmPmu,
  hostCounters: number,
  dynamic = false,
): { readonly pmu: ArmPmu; readonly ok: boolean; readonly log: string } {
  if (!(hostCounters >= 0 && hostCounters <= pmu.n)) {
    return {
      pmu,
      ok: false,
      log: `${pmu.name}: armv8pmu_partition: reserving ${hostCounters} host counters is not valid with N = ${pmu.n}: -EINVAL, PMU not partitioned`,
    };
  }
  const hpmn = pmu.n - hostCounters;
  if (dynamic) {
    return {
      pmu: { ...pmu, hpmnMax: hpmn },
      ok: true,
      log: `${pmu.name}: Partitioned PMU with ${hostCounters} host counters -> ${hpmn} guest counters (max_guest_counters = ${hpmn}; cntr_mask unchanged)`,
    };
  }
  // bitmap_clear(cntr_mask, 0, hpmn); bitmap_set(cntr_mask, hpmn, host_counters)
  let mask = (pmu.cntrMask & ~ones(hpmn)) | (ones(hostCounters) << BigInt(hpmn));
  mask &= ~(1n << BigInt(CYCLE_COUNTER_ID));
  if (pmuv3HasIcntr(pmu.cpu)) mask &= ~(1n << BigInt(INSTRUCTION_COUNTER_ID));
  return {
    pmu: { ...pmu, hpmnMax: hpmn, cntrMask: mask },
    ok: true,
    log: `${pmu.name}: partitioned PMU: ${hostCounters} host counters, ${hpmn} guest counters (hpmn_max = ${hpmn})`,
  };
}

/**
 * `__armv8pmu_probe_pmu()`: cntr_mask = counters 0..N-1, the cycle counter and (FEAT_PMUv3_ICNTR)
 * the instruction counter (v7: hw_cntr_mask, copied to cntr_mask); hpmn_max = -1; then, in a series kernel with reserved_host_counters >= 0,
 * armv8pmu_partition() if kvm_pmu_partition_supported(), else a logged error.
 *
 * @see drivers/perf/arm_pmuv3.c __armv8pmu_probe_pmu() (v5 07/24)
 */
export function armv8pmuProbePmu(
  base: ArmPmu,
  reserved: number,
  options: { readonly series: boolean; readonly vhe: boolean; readonly dynamic?: boolean },
): { readonly pmu: ArmPmu; readonly partitioned: boolean; readonly log: readonly string[] } {
  let mask = ones(base.n);
  mask |= 1n << BigInt(CYCLE_COUNTER_ID);
  if (pmuv3HasIcntr(base.cpu)) mask |= 1n << BigInt(INSTRUCTION_COUNTER_ID);
  const pmu: ArmPmu = { ...base, cntrMask: mask, hwCntrMask: mask, hpmnMax: -1 };
  if (!options.series || reserved < 0) return { pmu, partitioned: false, log: [] };
  if (!kvmPmuPartitionSupported(options)) {
    return { pmu, partitioned: false, log: [`${pmu.name}: PMU partition is not supported (no VHE)`] };
  }
  const r = armv8pmuPartition(pmu, reserved, options.dynamic === true);
  return { pmu: r.pmu, partitioned: r.ok, log: [r.log] };
}

/**
 * Boots the host: groups the CPUs by type (one PMU per CpuDef, in order of first appearance,
 * perf type ids from FIRST_PMU_TYPE), probes each PMU (the global armv8pmu_hpmn_max keeps the
 * last successful partition), and gives each CPU its boot-time PE state and nr_event_counters.
 *
 * @throws InputError for no CPUs or a reserved_host_counters below -1.
 */
export function bootHost(
  kernel: KernelTraits,
  options: {
    readonly cpus: readonly CpuDef[];
    readonly reservedHostCounters?: number;
    readonly vhe?: boolean;
  },
): { readonly host: Host; readonly log: readonly string[] } {
  if (options.cpus.length === 0) throw new InputError('Cannot boot a host without CPUs');
  const reserved = options.reservedHostCounters ?? -1;
  if (!Number.isInteger(reserved) || reserved < -1) {
    throw new InputError(`reserved_host_counters must be -1 or a count >= 0, got ${reserved}`);
  }
  const vhe =
    (options.vhe ?? true) && kernel.vhe && options.cpus.every((c) => cpuFeatures(c).has('FEAT_VHE'));
  const series = kernel.family !== 'mainline';
  const log: string[] = [];
  if (!series && reserved >= 0) {
    log.push(
      `arm_pmuv3: unknown parameter 'reserved_host_counters' ignored (mainline has no PMU partitioning)`,
    );
  }
  if (!kernel.vhe) log.push('kvm: this kernel runs the host nVHE');
  else if ((options.vhe ?? true) && !vhe) log.push('kvm: not all CPUs implement FEAT_VHE; running nVHE');

  const types: CpuDef[] = [];
  for (const c of options.cpus) if (!types.includes(c)) types.push(c);
  let global = -1;
  const pmus: ArmPmu[] = types.map((cpu, i) => {
    const base: ArmPmu = {
      name: pmuName(cpu, i),
      type: FIRST_PMU_TYPE + i,
      cpu,
      supportedCpus: options.cpus.flatMap((c, id) => (c === cpu ? [id] : [])),
      n: cpu.n,
      pmuVer: cpu.pmuVer,
      cntrMask: 0n,
      hwCntrMask: 0n,
      hpmnMax: -1,
    };
    const probed = armv8pmuProbePmu(base, reserved, {
      series,
      vhe,
      // v7 13/20, v8 14/21: the host gives up the guest's counters only while a vCPU is loaded.
      dynamic: kernel.dynamicReservation,
    });
    log.push(...probed.log);
    if (probed.partitioned) global = probed.pmu.hpmnMax;
    return probed.pmu;
  });

  const cpus: HostCpu[] = options.cpus.map((cpu, id) => {
    const regs: Record<string, bigint> = {
      MDCR_EL2: (BigInt(cpu.n) << MDCR_EL2_HPMN.shift) & MDCR_EL2_HPMN.mask,
    };
    if (vhe) regs['HCR_EL2'] = HOST_HCR_EL2_VHE;
    return {
      id,
      pmu: types.indexOf(cpu),
      pe: makePeState(cpu, regs),
      nrEventCounters: cpu.n,
      savedMdcrEl2: 0n,
      savedPmuserenr: 0n,
      loaded: undefined,
      hostSqueezed: false,
    };
  });
  return {
    host: { cpus, pmus, armv8pmuHpmnMax: global, reservedHostCounters: reserved, vhe, perfEvents: [] },
    log,
  };
}
