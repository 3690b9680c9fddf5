// SPDX-License-Identifier: MIT
/**
 * KVM's handling of a guest PMU register access that trapped to EL2: the v5 fast-path handler
 * for partitioned vCPUs (kvm_hyp_handle_pmu_regs(), v5 14/24, writing through to the hardware),
 * and the emulation against the vCPU's virtual registers of arch/arm64/kvm/sys_regs.c
 * (access_pmcr(), access_pmu_evcntr(), ...), with the v5 write-throughs of the registers that stay
 * trapped when partitioned (writethrough_pmevtyper() 11/24, physical PMSELR for PMXEVTYPER 12/24,
 * writethrough_pmovs() 13/24) and the lazy switch to PHYSICAL (19/24).
 *
 * v6's fast path (kvm_hyp_handle_pmu_regs() in kvm_hyp_handle_sysreg_vhe(), [PATCH v6 09/19] and
 * 13/19) handles a partitioned vCPU's access on the hardware (kvmHypHandlePmuRegsV6()); what it
 * declines goes to mainline's sys_regs.c handlers. For v7 the model sends every trapped access to
 * the sys_regs.c emulation and then calls kvm_pmu_set_physical_access() (an assumption; v7 08/20
 * was not read). v8 (09/21, 15/21) hands the PMU to the guest first and sends the accesses of the
 * registers that live on the CPU to the hardware (kvmPmuRegDirect()); v8's fast path is not
 * modelled.
 *
 * An access KVM completes answers `ok` (with the value read); one it refuses answers `undefined`
 * (kvm_inject_undefined()).
 *
 * @module
 */

import type { RegisterRef } from '../arch/catalogue.js';
import { cpuFeatures } from '../arch/cpus.js';
import type { FeatureName } from '../arch/features.js';
import { requiredCommonEvents } from '../arch/pmu/events.js';
import { bits, CYCLE_COUNTER_ID, get, put } from '../arch/pmu/state.js';
import { counterName, hwReadInto, hwWriteAll, typerName } from './hw.js';
import { kvmPmuFilteredEvtyper, kvmPmuSetPhysicalAccess, loadedCpu } from './lifecycle.js';
import {
  ARMV8_PMU_EVTYPE_MASK_61,
  ARMV8_PMU_PMCR_C,
  ARMV8_PMU_PMCR_E,
  ARMV8_PMU_PMCR_LC,
  ARMV8_PMU_PMCR_LP,
  ARMV8_PMU_PMCR_MASK,
  ARMV8_PMU_PMCR_P,
  ARMV8_PMU_USERENR_CR,
  ARMV8_PMU_USERENR_EN,
  ARMV8_PMU_USERENR_ER,
  ARMV8_PMU_USERENR_MASK,
  ARMV8_PMU_USERENR_SW,
  kvmPmuAccessibleCounterMask,
  kvmPmuEventMask,
  kvmPmuEvtyperMask,
  kvmVcpuPmcrN,
  kvmVcpuPmuIsPartitioned,
  kvmVcpuReadPmcr,
  PERFCTR_CHAIN,
  PERFCTR_SW_INCR,
  pmuFilterAllows,
  vmGuestCounterMask,
  vmHasPmuv3p5,
  vmPmuVer,
} from './vpmu.js';
import {
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  type PmuShadow,
  updateShadow,
  type VcpuRef,
  type World,
  withAt,
  withPe,
} from './world.js';

/** A trapped guest access: from EL0 or EL1, a read or a write of `reg` (with Xt for a write). */
export interface TrappedAccess {
  readonly el: 0 | 1;
  readonly dir: 'read' | 'write';
  readonly reg: RegisterRef;
  readonly value: bigint;
}

/** What KVM did with a trapped access: completed it (value for a read) or injected an UNDEF. */
export type KvmOutcome = { readonly kind: 'ok'; readonly value?: bigint } | { readonly kind: 'undefined' };

/** A handled trap: the world after it, the outcome, and the handler that decided. */
export interface Handled {
  readonly world: World;
  readonly outcome: KvmOutcome;
  readonly why: string;
}

const PMSELR_SEL = bits('PMSELR_EL0', 'SEL');
const PMCR_N = bits('PMCR_EL0', 'N');
const MASK32 = (1n << 32n) - 1n;
const BIT_CYCLE = 1n << BigInt(CYCLE_COUNTER_ID);

function done(world: World, why: string, value?: bigint): Handled {
  return { world, outcome: value === undefined ? { kind: 'ok' } : { kind: 'ok', value }, why };
}

function injectUndef(world: World, why: string): Handled {
  return { world, outcome: { kind: 'undefined' }, why: `kvm_inject_undefined: ${why}` };
}

/**
 * `check_pmu_access_disabled(vcpu, flags)`: the access is allowed at EL1, or at EL0 when the
 * virtual PMUSERENR_EL0 has one of `flags`; true (disabled) otherwise.
 *
 * @see arch/arm64/kvm/sys_regs.c check_pmu_access_disabled()
 */
function checkPmuAccessDisabled(world: World, ref: VcpuRef, acc: TrappedAccess, flags: bigint): boolean {
  return !((kvmVcpuReadPmuserenr(world, ref, []) & flags) !== 0n || acc.el === 1);
}

/**
 * `kvm_vcpu_read_pmuserenr(vcpu)` (v6 08/19): the hardware PMUSERENR_EL0 for a partitioned vCPU,
 * else the virtual one. Before v6 (and in the model's v7 and v8) the virtual one.
 *
 * @see arch/arm64/kvm/pmu.c kvm_vcpu_read_pmuserenr() ([PATCH v6 08/19] "KVM: arm64: Define access
 * helpers for PMUSERENR and PMSELR")
 */
function kvmVcpuReadPmuserenr(world: World, ref: VcpuRef, trace: string[]): bigint {
  if (world.policy.kernel.vheFastPath && kvmVcpuPmuIsPartitioned(world, ref, loadedCpu(world, ref)))
    return hwReadOf(world, ref, 'PMUSERENR_EL0', trace);
  return getVcpu(world, ref).regs.pmuserenr;
}

const EL0_EN = ARMV8_PMU_USERENR_EN;
const EL0_ER = ARMV8_PMU_USERENR_ER | ARMV8_PMU_USERENR_EN;
const EL0_CR = ARMV8_PMU_USERENR_CR | ARMV8_PMU_USERENR_EN;
const EL0_SW = ARMV8_PMU_USERENR_SW | ARMV8_PMU_USERENR_EN;

/**
 * `pmu_counter_idx_valid(vcpu, idx)`: idx < N of kvm_vcpu_read_pmcr(), or the cycle counter.
 *
 * @see arch/arm64/kvm/sys_regs.c pmu_counter_idx_valid()
 */
function pmuCounterIdxValid(world: World, ref: VcpuRef, idx: number): boolean {
  return idx < kvmVcpuPmcrN(world, ref, loadedCpu(world, ref)) || idx === CYCLE_COUNTER_ID;
}

/** `kvm_pmc_is_64bit()`: the cycle counter, or any counter when the VM has PMUv3p5. */
function kvmPmcIs64bit(world: World, ref: VcpuRef, idx: number): boolean {
  return idx === CYCLE_COUNTER_ID || vmHasPmuv3p5(world, getVm(world, ref.vm));
}

/** `kvm_pmc_has_64bit_overflow()`: PMCR_EL0.LP for event counters, LC for the cycle counter. */
function kvmPmcHas64bitOverflow(regs: PmuShadow, idx: number): boolean {
  return idx === CYCLE_COUNTER_ID
    ? (regs.pmcr & ARMV8_PMU_PMCR_LC) !== 0n
    : (regs.pmcr & ARMV8_PMU_PMCR_LP) !== 0n;
}

/**
 * `kvm_pmu_counter_increment(vcpu, mask, event)`: with PMCR_EL0.E set, each enabled counter of
 * `mask` below 31 that counts `event` goes up by one (32 bits unless 64-bit); a wrap sets its
 * PMOVSSET bit and, for an even counter without 64-bit overflow, sends CHAIN to the odd one.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_pmu_counter_increment()
 */
export function kvmPmuCounterIncrement(world: World, ref: VcpuRef, mask: bigint, event: number): World {
  let regs = getVcpu(world, ref).regs;
  if ((regs.pmcr & ARMV8_PMU_PMCR_E) === 0n) return world;
  const eventMask = kvmPmuEventMask(vmPmuVer(world, getVm(world, ref.vm)));
  const enabled = mask & regs.pmcntenset;
  const chained: number[] = [];
  for (let i = 0; i < CYCLE_COUNTER_ID; i++) {
    if (((enabled >> BigInt(i)) & 1n) === 0n) continue;
    if (Number(regs.typer[i]! & eventMask) !== event) continue;
    let reg = regs.cnt[i]! + 1n;
    if (!kvmPmcIs64bit(world, ref, i)) reg &= MASK32;
    reg &= (1n << 64n) - 1n;
    regs = { ...regs, cnt: withAt(regs.cnt, i, reg) };
    const overflowed = kvmPmcHas64bitOverflow(regs, i) ? reg === 0n : (reg & MASK32) === 0n;
    if (!overflowed) continue;
    regs = { ...regs, pmovsset: regs.pmovsset | (1n << BigInt(i)) };
    if (!kvmPmcHas64bitOverflow(regs, i) && i % 2 === 0 && i + 1 < CYCLE_COUNTER_ID) chained.push(i + 1);
  }
  let w = updateShadow(world, ref, () => regs);
  for (const odd of chained) w = kvmPmuCounterIncrement(w, ref, 1n << BigInt(odd), PERFCTR_CHAIN);
  return w;
}

/**
 * `kvm_pmu_handle_pmcr(vcpu, val)`: LP cleared without PMUv3p5 (not in v6.1); the value stored without C and P;
 * C zeroes the cycle counter, P every accessible event counter.
 *
 * @see arch/arm64/kvm/pmu-emul.c kvm_pmu_handle_pmcr()
 */
function kvmPmuHandlePmcr(world: World, ref: VcpuRef, value: bigint): World {
  let val = value;
  // "if (!kvm_pmu_is_3p5(vcpu)) val &= ~ARMV8_PMU_PMCR_LP" came with PMUv3p5 support (v6.2,
  // kvm-arm64/pmu-unchained); v6.1's access_pmcr() keeps the written LP (ARMV8_PMU_PMCR_MASK 0xff).
  if (world.policy.kernel.vpmu === 'mainline' && !vmHasPmuv3p5(world, getVm(world, ref.vm)))
    val &= ~ARMV8_PMU_PMCR_LP;
  const mask = kvmPmuAccessibleCounterMask(world, ref, loadedCpu(world, ref)) & ~BIT_CYCLE;
  return updateShadow(world, ref, (r) => {
    let cnt = r.cnt;
    if ((val & ARMV8_PMU_PMCR_C) !== 0n) cnt = withAt(cnt, CYCLE_COUNTER_ID, 0n);
    if ((val & ARMV8_PMU_PMCR_P) !== 0n) {
      for (let i = 0; i < 32; i++) if (((mask >> BigInt(i)) & 1n) === 1n) cnt = withAt(cnt, i, 0n);
    }
    return { ...r, pmcr: val & ~(ARMV8_PMU_PMCR_C | ARMV8_PMU_PMCR_P), cnt };
  });
}

/** Writes to the hardware of the CPU the vCPU is loaded on, faults traced. */
function hwWrites(
  world: World,
  ref: VcpuRef,
  writes: readonly (readonly [string, bigint])[],
  trace: string[],
): World {
  const cpu = loadedCpu(world, ref);
  const faults: string[] = [];
  const pe = hwWriteAll(getHostCpu(world, cpu).pe, writes, faults);
  trace.push(...faults);
  return withPe(world, cpu, pe);
}

/** A read of the hardware of the CPU the vCPU is loaded on, faults traced. */
function hwReadOf(world: World, ref: VcpuRef, name: string, trace: string[]): bigint {
  return hwReadInto(getHostCpu(world, loadedCpu(world, ref)).pe, name, trace);
}

// ---------------------------------------------------------------------------------------------
// The v5 fast path (arch/arm64/kvm/hyp/include/hyp/switch.h)
// ---------------------------------------------------------------------------------------------

/**
 * The result of the fast path: handled, or not. When it refused the access it has already injected
 * an UNDEF (`injected`: pmu_access_*_el0_disabled() and pmu_counter_idx_valid() call
 * kvm_inject_undefined() before it returns false).
 */
type FastPath =
  | { readonly handled: Handled }
  | { readonly handled: undefined; readonly world: World; readonly injected?: string };

/** A write to a SET/CLR pair: the virtual bitmap ORed or cleared within `mask`. */
function setClr(old: bigint, name: string, value: bigint, mask: bigint): bigint {
  return name.includes('SET') ? old | (value & mask) : old & ~(value & mask);
}

/**
 * `kvm_hyp_handle_pmu_regs(vcpu)` (v5 14/24): for a partitioned vCPU not refused by
 * pmu_access_el0_disabled(), the untrapped-when-FGT registers are handled by writing the virtual
 * register and the hardware (the bitmaps get the raw value in hardware; PMCR_EL0 the whole value,
 * P and C included, written at EL2) and by reading the hardware (PMCR_EL0 with N replaced by
 * nr_pmu_counters). PMSELR, PMCCNTR and the counters first check their EL0 enables, and the
 * counters pmu_counter_idx_valid(); a refusal injects an UNDEF and returns early. Any other
 * register is not handled. Unless it returned early it ends with kvm_pmu_set_physical_access()
 * (19/24).
 */
function kvmHypHandlePmuRegs(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): FastPath {
  const refuse = (why: string): FastPath => ({ handled: undefined, world, injected: why });
  const cpu = loadedCpu(world, ref);
  if (!kvmVcpuPmuIsPartitioned(world, ref, cpu)) return { handled: undefined, world };
  if (checkPmuAccessDisabled(world, ref, acc, EL0_EN)) return refuse('pmu_access_el0_disabled()');
  const name = acc.reg.def.name;
  const isWrite = acc.dir === 'write';
  const val = acc.value;
  const vm = getVm(world, ref.vm);
  let w = world;
  let value: bigint | undefined;
  switch (name) {
    case 'PMCR_EL0':
      if (isWrite) {
        w = hwWrites(w, ref, [['PMCR_EL0', val]], trace);
        w = updateShadow(w, ref, (r) => ({
          ...r,
          pmcr: val & ARMV8_PMU_PMCR_MASK & ~(ARMV8_PMU_PMCR_P | ARMV8_PMU_PMCR_C),
        }));
      } else {
        value = put(hwReadOf(w, ref, 'PMCR_EL0', trace), PMCR_N, BigInt(vm.nrPmuCounters));
      }
      break;
    case 'PMUSERENR_EL0':
      if (isWrite) {
        w = hwWrites(w, ref, [['PMUSERENR_EL0', val & ARMV8_PMU_USERENR_MASK]], trace);
        w = updateShadow(w, ref, (r) => ({ ...r, pmuserenr: val & ARMV8_PMU_USERENR_MASK }));
      } else value = hwReadOf(w, ref, 'PMUSERENR_EL0', trace);
      break;
    case 'PMSELR_EL0':
      if (checkPmuAccessDisabled(w, ref, acc, EL0_ER))
        return refuse('pmu_access_event_counter_el0_disabled()');
      if (isWrite) {
        w = hwWrites(w, ref, [['PMSELR_EL0', val & PMSELR_SEL.mask]], trace);
        w = updateShadow(w, ref, (r) => ({ ...r, pmselr: val & PMSELR_SEL.mask }));
      } else value = hwReadOf(w, ref, 'PMSELR_EL0', trace);
      break;
    case 'PMINTENSET_EL1':
    case 'PMINTENCLR_EL1':
    case 'PMCNTENSET_EL0':
    case 'PMCNTENCLR_EL0': {
      const mask = kvmPmuAccessibleCounterMask(w, ref, cpu);
      const field = name.startsWith('PMINTEN') ? 'pmintenset' : 'pmcntenset';
      if (isWrite) {
        w = updateShadow(w, ref, (r) => ({ ...r, [field]: setClr(r[field], name, val, mask) }));
        w = hwWrites(w, ref, [[acc.reg.name, val]], trace);
      } else value = hwReadOf(w, ref, acc.reg.name, trace) & mask;
      break;
    }
    case 'PMCCNTR_EL0':
      if (checkPmuAccessDisabled(w, ref, acc, EL0_CR))
        return refuse('pmu_access_cycle_counter_el0_disabled()');
      if (isWrite) {
        w = updateShadow(w, ref, (r) => ({ ...r, cnt: withAt(r.cnt, CYCLE_COUNTER_ID, val) }));
        w = hwWrites(w, ref, [['PMCCNTR_EL0', val]], trace);
      } else value = hwReadOf(w, ref, 'PMCCNTR_EL0', trace);
      break;
    case 'PMXEVCNTR_EL0':
    case 'PMEVCNTR<n>_EL0': {
      const idx =
        name === 'PMXEVCNTR_EL0'
          ? Number(get(hwReadOf(w, ref, 'PMSELR_EL0', trace), PMSELR_SEL))
          : (acc.reg.n ?? 0);
      if (checkPmuAccessDisabled(w, ref, acc, EL0_ER))
        return refuse('pmu_access_event_counter_el0_disabled()');
      if (!pmuCounterIdxValid(w, ref, idx)) return refuse(`pmu_counter_idx_valid(): counter ${idx} >= N`);
      const hwName = name === 'PMXEVCNTR_EL0' ? 'PMXEVCNTR_EL0' : counterName(idx);
      if (isWrite) {
        w = hwWrites(w, ref, [[hwName, val]], trace);
        w = updateShadow(w, ref, (r) => ({ ...r, cnt: withAt(r.cnt, idx, val) }));
      } else value = hwReadOf(w, ref, hwName, trace);
      break;
    }
    default:
      trace.push(`kvm_hyp_handle_pmu_regs: ${acc.reg.name} not handled in the fast path`);
      return { handled: undefined, world: kvmPmuSetPhysicalAccess(w, ref, trace) };
  }
  trace.push(`kvm_hyp_handle_pmu_regs: ${acc.dir} of ${acc.reg.name} handled in the fast path`);
  w = kvmPmuSetPhysicalAccess(w, ref, trace);
  return { handled: done(w, `kvm_hyp_handle_pmu_regs: ${acc.dir} of ${acc.reg.name}`, value) };
}

// ---------------------------------------------------------------------------------------------
// The v6 fast path (arch/arm64/kvm/hyp/vhe/switch.c)
// ---------------------------------------------------------------------------------------------

/**
 * `kvm_hyp_handle_pmu_regs(vcpu)` of v6, called from kvm_hyp_handle_sysreg_vhe() ([PATCH v6
 * 09/19] "KVM: arm64: Write fast path PMU register handlers", Message-ID
 * 20260209221414.2169465-10-coltonlewis@google.com; the switch of 13/19). Not for a vCPU that is
 * not partitioned, nor while the hardware PMUSERENR_EL0.EN is clear (kvm_vcpu_read_pmuserenr(),
 * 08/19; the check is made at EL1 too). Then kvm_pmu_set_physical_access() (13/19, before the
 * switch, so also for a register it then declines), and per register:
 * - PMCR_EL0: a write goes to the hardware as `val & ARMV8_PMU_PMCR_MASK` (bits [7:0], P and C
 *   included, written at EL2) and not to the vCPU's copy, which kvm_pmu_put() fills from the
 *   hardware; a read is the hardware PMCR_EL0 with N replaced by nr_pmu_counters, masked with
 *   `ARMV8_PMU_PMCR_MASK | ARMV8_PMU_PMCR_N`;
 * - PMUSERENR_EL0, PMSELR_EL0: the hardware, masked with USERENR_MASK or SEL;
 * - PMCNTEN / PMINTEN SET and CLR: the hardware register, written and read through
 *   kvm_pmu_accessible_counter_mask();
 * - PMOVSSET / PMOVSCLR: the virtual PMOVSSET_EL0, within the same mask;
 * - PMCCNTR_EL0, PMXEVCNTR_EL0 (index from the hardware PMSELR_EL0), PMEVCNTR<n>_EL0: declined
 *   without PMUSERENR_EL0.ER (and CR for the cycle counter) or for an index in nr..30; else the
 *   hardware counter (v6 goes through PMSELR_EL0 and PMXEVCNTR_EL0, also for index 31, which the
 *   Arm ARM makes CONSTRAINED UNPREDICTABLE; here the model names the counter
 *   directly, where its kvm_pmu_load()/kvm_pmu_put() follow v6 through PMSELR_EL0);
 * - PMCCFILTR_EL0, PMXEVTYPER_EL0, PMEVTYPER<n>_EL0: the same checks; the virtual register,
 *   unmasked (the hardware gets it, filtered, at the next vcpu_load, 12/19);
 * - anything else (PMCEID<n>_EL0, PMSWINC_EL0, PMMIR_EL1): declined.
 * A declined access goes to the sys_regs.c handlers; nothing is injected here.
 */
function kvmHypHandlePmuRegsV6(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): FastPath {
  const cpu = loadedCpu(world, ref);
  if (!kvmVcpuPmuIsPartitioned(world, ref, cpu)) return { handled: undefined, world };
  const pmuser = kvmVcpuReadPmuserenr(world, ref, trace);
  if ((pmuser & ARMV8_PMU_USERENR_EN) === 0n) {
    trace.push('kvm_hyp_handle_pmu_regs: PMUSERENR_EL0.EN clear on the hardware, declined');
    return { handled: undefined, world };
  }
  const name = acc.reg.def.name;
  const isWrite = acc.dir === 'write';
  const val = acc.value;
  const nrCnt = getVm(world, ref.vm).nrPmuCounters & 0xff;
  let w = kvmPmuSetPhysicalAccess(world, ref, trace);
  const declined = (why: string): FastPath => {
    trace.push(`kvm_hyp_handle_pmu_regs: ${acc.reg.name} declined (${why})`);
    return { handled: undefined, world: w };
  };
  let value: bigint | undefined;
  // The hardware register `reg`: a write of `val & mask`, or a read masked with `mask`.
  const onHardware = (reg: string, mask: bigint): void => {
    if (isWrite) w = hwWrites(w, ref, [[reg, val & mask]], trace);
    else value = hwReadOf(w, ref, reg, trace) & mask;
  };
  switch (name) {
    case 'PMCR_EL0':
      if (isWrite) w = hwWrites(w, ref, [['PMCR_EL0', val & ARMV8_PMU_PMCR_MASK]], trace);
      else
        value =
          put(hwReadOf(w, ref, 'PMCR_EL0', trace), PMCR_N, BigInt(nrCnt)) &
          (ARMV8_PMU_PMCR_MASK | PMCR_N.mask);
      break;
    case 'PMUSERENR_EL0':
      onHardware('PMUSERENR_EL0', ARMV8_PMU_USERENR_MASK);
      break;
    case 'PMSELR_EL0':
      onHardware('PMSELR_EL0', PMSELR_SEL.mask);
      break;
    case 'PMINTENSET_EL1':
    case 'PMINTENCLR_EL1':
    case 'PMCNTENSET_EL0':
    case 'PMCNTENCLR_EL0':
      onHardware(acc.reg.name, kvmPmuAccessibleCounterMask(w, ref, cpu));
      break;
    case 'PMOVSSET_EL0':
    case 'PMOVSCLR_EL0': {
      const mask = kvmPmuAccessibleCounterMask(w, ref, cpu);
      if (isWrite) w = updateShadow(w, ref, (r) => ({ ...r, pmovsset: setClr(r.pmovsset, name, val, mask) }));
      else value = getVcpu(w, ref).regs.pmovsset & mask;
      break;
    }
    case 'PMCCNTR_EL0':
    case 'PMXEVCNTR_EL0':
    case 'PMEVCNTR<n>_EL0':
    case 'PMCCFILTR_EL0':
    case 'PMXEVTYPER_EL0':
    case 'PMEVTYPER<n>_EL0': {
      const cycle = name === 'PMCCNTR_EL0' || name === 'PMCCFILTR_EL0';
      const selected = name === 'PMXEVCNTR_EL0' || name === 'PMXEVTYPER_EL0';
      const idx = cycle
        ? CYCLE_COUNTER_ID
        : selected
          ? Number(get(hwReadOf(w, ref, 'PMSELR_EL0', trace), PMSELR_SEL))
          : (acc.reg.n ?? 0);
      if (idx === CYCLE_COUNTER_ID && (pmuser & ARMV8_PMU_USERENR_CR) === 0n)
        return declined('PMUSERENR_EL0.CR clear');
      if ((pmuser & ARMV8_PMU_USERENR_ER) === 0n) return declined('PMUSERENR_EL0.ER clear');
      if (idx >= nrCnt && idx < CYCLE_COUNTER_ID) return declined(`counter ${idx} >= nr_pmu_counters`);
      if (name.includes('CNTR')) onHardware(counterName(idx), (1n << 64n) - 1n);
      else if (isWrite) w = updateShadow(w, ref, (r) => ({ ...r, typer: withAt(r.typer, idx, val) }));
      else value = getVcpu(w, ref).regs.typer[idx]!;
      break;
    }
    default:
      return declined('not a fast-path register');
  }
  trace.push(`kvm_hyp_handle_pmu_regs: ${acc.dir} of ${acc.reg.name} handled in the fast path (v6)`);
  return { handled: done(w, `kvm_hyp_handle_pmu_regs (v6): ${acc.dir} of ${acc.reg.name}`, value) };
}

// ---------------------------------------------------------------------------------------------
// The sys_regs.c handlers (arch/arm64/kvm/sys_regs.c)
// ---------------------------------------------------------------------------------------------

/**
 * The PMSELR_EL0 an emulated PMXEVCNTR_EL0 / PMXEVTYPER_EL0 access uses: the virtual register; for
 * a partitioned vCPU the physical one, which the guest writes directly (v5 12/24, PMXEVTYPER_EL0
 * only; v6 for both once the guest owns the PMU, an assumption from its "write only where the
 * canonical state lives").
 */
function vcpuPmselr(
  world: World,
  ref: VcpuRef,
  reg: 'PMXEVCNTR_EL0' | 'PMXEVTYPER_EL0',
  trace: string[],
): bigint {
  const cpu = loadedCpu(world, ref);
  // v6 08/19 kvm_vcpu_read_pmselr(): the hardware PMSELR_EL0 whenever partitioned.
  const physical =
    kvmVcpuPmuIsPartitioned(world, ref, cpu) &&
    (reg === 'PMXEVTYPER_EL0' ||
      world.policy.kernel.vheFastPath ||
      (kernelFamily(world) === 'v6' && getVcpu(world, ref).pmu.access === 'PHYSICAL'));
  return physical ? hwReadOf(world, ref, 'PMSELR_EL0', trace) : getVcpu(world, ref).regs.pmselr;
}

/** `access_pmcr()`: writes keep bits [7:0] (kvm_pmu_handle_pmcr()); reads show kvm_vcpu_read_pmcr() without P and C. */
function accessPmcr(world: World, ref: VcpuRef, acc: TrappedAccess): Handled {
  if (checkPmuAccessDisabled(world, ref, acc, EL0_EN))
    return injectUndef(world, 'PMCR_EL0 at EL0 with PMUSERENR_EL0.EN = 0');
  const pmcr = kvmVcpuReadPmcr(world, ref, loadedCpu(world, ref));
  if (acc.dir === 'write') {
    const val = (pmcr & ~ARMV8_PMU_PMCR_MASK) | (acc.value & ARMV8_PMU_PMCR_MASK);
    return done(kvmPmuHandlePmcr(world, ref, val), 'access_pmcr: write');
  }
  return done(
    world,
    'access_pmcr: read of kvm_vcpu_read_pmcr()',
    pmcr & ~(ARMV8_PMU_PMCR_P | ARMV8_PMU_PMCR_C),
  );
}

/** `access_pmselr()`: EL0 needs ER or EN; writes store Xt; reads return SEL. */
function accessPmselr(world: World, ref: VcpuRef, acc: TrappedAccess): Handled {
  if (checkPmuAccessDisabled(world, ref, acc, EL0_ER))
    return injectUndef(world, 'PMSELR_EL0 at EL0 without ER or EN');
  if (acc.dir === 'write')
    return done(
      updateShadow(world, ref, (r) => ({ ...r, pmselr: acc.value })),
      'access_pmselr: write',
    );
  return done(world, 'access_pmselr: read', getVcpu(world, ref).regs.pmselr & PMSELR_SEL.mask);
}

/**
 * `access_pmceid()` / `kvm_pmu_get_pmceid()` (arch/arm64/kvm/pmu-emul.c): the host PMU's event
 * bitmaps as the driver read them from PMCEID0/1_EL0 (`compute_pmceid0()` adds SW_INCR and CHAIN,
 * `compute_pmceid1()` hides STALL_SLOT_BACKEND/FRONTEND/STALL_SLOT, 0x3D..0x3F), each event bit
 * then kept only if the VM's event filter allows the event (events n and 0x4000 + n). The
 * hardware's PMCEID is the architecture model's: the events Arm ARM D14.6 requires.
 */
function accessPmceid(world: World, ref: VcpuRef, acc: TrappedAccess): Handled {
  if (acc.dir === 'write') return injectUndef(world, 'write to read-only PMCEID');
  if (checkPmuAccessDisabled(world, ref, acc, EL0_EN)) return injectUndef(world, 'PMCEID at EL0 with EN = 0');
  const vm = getVm(world, ref.vm);
  const pmu = vm.armPmu === undefined ? undefined : world.host.pmus[vm.armPmu];
  const features = pmu === undefined ? new Set<FeatureName>() : cpuFeatures(pmu.cpu);
  const hw = requiredCommonEvents((f) => features.has(f));
  const pmceid1 = acc.reg.def.name === 'PMCEID1_EL0';
  let val: bigint;
  if (!pmceid1) {
    val = hw.pmceid0 | (1n << BigInt(PERFCTR_SW_INCR)) | (1n << BigInt(PERFCTR_CHAIN));
  } else {
    val = hw.pmceid1 & ~(0b111n << 29n); // STALL_SLOT* (0x3D..0x3F) are not advertised
  }
  const base = pmceid1 ? 0x20 : 0;
  let masked = 0n;
  for (let i = 0; i < 32; i++) {
    if (((val >> BigInt(i)) & 1n) === 1n && pmuFilterAllows(vm.pmuFilter, base + i))
      masked |= 1n << BigInt(i);
    const hi = i + 32;
    if (((val >> BigInt(hi)) & 1n) === 1n && pmuFilterAllows(vm.pmuFilter, 0x4000 + base + i)) {
      masked |= 1n << BigInt(hi);
    }
  }
  return done(world, `access_pmceid: ${acc.reg.name} (host PMU events, event filter applied)`, masked);
}

/**
 * `access_pmu_evcntr()`: the index (PMSELR_EL0.SEL for PMXEVCNTR_EL0, 31 for PMCCNTR_EL0, n for
 * PMEVCNTR<n>_EL0) after its EL0 check, then pmu_counter_idx_valid(); a write also needs EN. The
 * value is the virtual counter (32 bits unless 64-bit).
 */
function accessPmuEvcntr(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): Handled {
  const name = acc.reg.def.name;
  const regs = getVcpu(world, ref).regs;
  let idx: number;
  if (name === 'PMCCNTR_EL0') {
    if (checkPmuAccessDisabled(world, ref, acc, EL0_CR))
      return injectUndef(world, 'PMCCNTR_EL0 at EL0 without CR or EN');
    idx = CYCLE_COUNTER_ID;
  } else {
    if (checkPmuAccessDisabled(world, ref, acc, EL0_ER))
      return injectUndef(world, `${acc.reg.name} at EL0 without ER or EN`);
    idx =
      name === 'PMXEVCNTR_EL0'
        ? Number(get(vcpuPmselr(world, ref, name, trace), PMSELR_SEL))
        : (acc.reg.n ?? 0);
  }
  if (!pmuCounterIdxValid(world, ref, idx))
    return injectUndef(world, `pmu_counter_idx_valid: counter ${idx} >= N`);
  if (acc.dir === 'write') {
    if (checkPmuAccessDisabled(world, ref, acc, EL0_EN))
      return injectUndef(world, 'counter write at EL0 with EN = 0');
    return done(
      updateShadow(world, ref, (r) => ({ ...r, cnt: withAt(r.cnt, idx, acc.value) })),
      `access_pmu_evcntr: write of counter ${idx}`,
    );
  }
  const v = regs.cnt[idx]!;
  return done(
    world,
    `access_pmu_evcntr: read of counter ${idx}`,
    kvmPmcIs64bit(world, ref, idx) ? v : v & MASK32,
  );
}

/**
 * Whether sys_regs.c handlers end with kvm_pmu_set_physical_access(): v5 19/24 (and the model's
 * v7 and v8); v6 calls it from its fast path only (13/19).
 */
function lazySwitchInSysRegs(world: World): boolean {
  return kernelFamily(world) !== 'mainline' && !world.policy.kernel.vheFastPath;
}

/**
 * `access_pmu_evtyper()`: EL0 needs EN; the index (PMSELR_EL0.SEL for PMXEVTYPER_EL0, the
 * physical one when partitioned, v5 12/24; 31 for PMCCFILTR_EL0); pmu_counter_idx_valid(). A
 * write stores `val & kvm_pmu_evtyper_mask()`, or when partitioned writes through: the virtual
 * register keeps the guest's value, the hardware gets the filtered one (v5 11/24). Then the lazy
 * switch (v5 19/24).
 */
function accessPmuEvtyper(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): Handled {
  if (checkPmuAccessDisabled(world, ref, acc, EL0_EN))
    return injectUndef(world, `${acc.reg.name} at EL0 with EN = 0`);
  const cpu = loadedCpu(world, ref);
  const partitioned = kvmVcpuPmuIsPartitioned(world, ref, cpu);
  const name = acc.reg.def.name;
  let idx: number;
  if (name === 'PMXEVTYPER_EL0') idx = Number(get(vcpuPmselr(world, ref, name, trace), PMSELR_SEL));
  else idx = name === 'PMCCFILTR_EL0' ? CYCLE_COUNTER_ID : (acc.reg.n ?? 0);
  if (!pmuCounterIdxValid(world, ref, idx))
    return injectUndef(world, `pmu_counter_idx_valid: counter ${idx} >= N`);
  let w = world;
  let value: bigint | undefined;
  // v6 dropped the sys_regs.c write-throughs (cover letter of [PATCH v6 00/19]): mainline's store.
  const writethrough = partitioned && !w.policy.kernel.vheFastPath;
  if (acc.dir === 'write' && writethrough) {
    const vm = getVm(w, ref.vm);
    w = updateShadow(w, ref, (r) => ({ ...r, typer: withAt(r.typer, idx, acc.value) }));
    w = hwWrites(w, ref, [[typerName(idx), kvmPmuFilteredEvtyper(w, vm, idx, acc.value)]], trace);
    trace.push(`writethrough_pmevtyper: counter ${idx}`);
  } else if (acc.dir === 'write') {
    const mask = kvmPmuEvtyperMask(w, getVm(w, ref.vm));
    w = updateShadow(w, ref, (r) => ({ ...r, typer: withAt(r.typer, idx, acc.value & mask) }));
  } else {
    value = getVcpu(w, ref).regs.typer[idx]!;
    // v6.1 access_pmu_evtyper(): `p->regval = __vcpu_sys_reg(vcpu, reg) & ARMV8_PMU_EVTYPE_MASK`
    // (P, U, NSH, the event number), which a value userspace stored unmasked needs.
    if (w.policy.kernel.vpmu === 'linux-6.1') value &= ARMV8_PMU_EVTYPE_MASK_61;
  }
  if (lazySwitchInSysRegs(w)) w = kvmPmuSetPhysicalAccess(w, ref, trace);
  return done(w, `access_pmu_evtyper: ${acc.dir} of counter ${idx}'s filter`, value);
}

/** `access_pmcnten()` / `access_pminten()`: writes set or clear within the accessible mask; reads the bitmap. */
function accessBitmap(
  world: World,
  ref: VcpuRef,
  acc: TrappedAccess,
  field: 'pmcntenset' | 'pmintenset',
): Handled {
  const el0Flags = field === 'pmcntenset' ? EL0_EN : 0n;
  if (checkPmuAccessDisabled(world, ref, acc, el0Flags))
    return injectUndef(world, `${acc.reg.name} refused at EL0`);
  if (acc.dir === 'read')
    return done(world, `access_${field.slice(0, 6)}: read`, getVcpu(world, ref).regs[field]);
  const mask = kvmPmuAccessibleCounterMask(world, ref, loadedCpu(world, ref));
  const w = updateShadow(world, ref, (r) => ({
    ...r,
    [field]: setClr(r[field], acc.reg.name, acc.value, mask),
  }));
  return done(w, `access_${field.slice(0, 6)}: write`);
}

/**
 * `access_pmovs()`: as the other bitmaps; when partitioned the write also goes to the hardware
 * PMOVSSET/PMOVSCLR (v5 13/24 writethrough_pmovs(); v6: the virtual register only). Then the lazy
 * switch (v5 19/24).
 */
function accessPmovs(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): Handled {
  if (checkPmuAccessDisabled(world, ref, acc, EL0_EN))
    return injectUndef(world, `${acc.reg.name} at EL0 with EN = 0`);
  const cpu = loadedCpu(world, ref);
  let w = world;
  let value: bigint | undefined;
  if (acc.dir === 'write') {
    const mask = kvmPmuAccessibleCounterMask(w, ref, cpu);
    w = updateShadow(w, ref, (r) => ({ ...r, pmovsset: setClr(r.pmovsset, acc.reg.name, acc.value, mask) }));
    if (kernelFamily(w) === 'v5' && kvmVcpuPmuIsPartitioned(w, ref, cpu)) {
      w = hwWrites(w, ref, [[acc.reg.name, acc.value & mask]], trace);
      trace.push('writethrough_pmovs');
    }
  } else value = getVcpu(w, ref).regs.pmovsset;
  if (lazySwitchInSysRegs(w)) w = kvmPmuSetPhysicalAccess(w, ref, trace);
  return done(w, `access_pmovs: ${acc.dir}`, value);
}

/** `access_pmswinc()`: write-only; EL0 needs SW or EN; kvm_pmu_software_increment() of the accessible counters. */
function accessPmswinc(world: World, ref: VcpuRef, acc: TrappedAccess): Handled {
  if (acc.dir === 'read') return injectUndef(world, 'read of write-only PMSWINC_EL0');
  if (checkPmuAccessDisabled(world, ref, acc, EL0_SW))
    return injectUndef(world, 'PMSWINC_EL0 at EL0 without SW or EN');
  const mask = kvmPmuAccessibleCounterMask(world, ref, loadedCpu(world, ref));
  return done(
    kvmPmuCounterIncrement(world, ref, acc.value & mask, PERFCTR_SW_INCR),
    'access_pmswinc: software increment',
  );
}

/** `access_pmuserenr()`: EL0 writes UNDEF; the value masked with EN|SW|CR|ER. */
function accessPmuserenr(world: World, ref: VcpuRef, acc: TrappedAccess): Handled {
  if (acc.dir === 'write') {
    if (acc.el === 0) return injectUndef(world, 'PMUSERENR_EL0 write at EL0');
    const w = updateShadow(world, ref, (r) => ({ ...r, pmuserenr: acc.value & ARMV8_PMU_USERENR_MASK }));
    return done(w, 'access_pmuserenr: write');
  }
  return done(world, 'access_pmuserenr: read', getVcpu(world, ref).regs.pmuserenr & ARMV8_PMU_USERENR_MASK);
}

// ---------------------------------------------------------------------------------------------
// The v8 accessors (v8 09/21 pmu_reg_read() / pmu_reg_write(), 15/21)
// ---------------------------------------------------------------------------------------------

/**
 * `kvm_pmu_direct_pmcr_write(vcpu, val)` (v8 09/21): P taken out and the rest written to the
 * hardware PMCR_EL0 (at EL2, so E, C, LC, LP, ... reach it); with P, the event counters of
 * kvm_pmu_implemented_counter_mask() (0..nr_pmu_counters-1; the hypervisor counters are
 * excluded only for a nested guest's vEL1, not modelled) written 0 one by one.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_direct_pmcr_write() (v8 09/21)
 */
function kvmPmuDirectPmcrWrite(world: World, ref: VcpuRef, value: bigint, trace: string[]): World {
  const resetP = (value & ARMV8_PMU_PMCR_P) !== 0n;
  const writes: [string, bigint][] = [['PMCR_EL0', value & ~ARMV8_PMU_PMCR_P]];
  if (resetP) {
    const mask = kvmPmuAccessibleCounterMask(world, ref, loadedCpu(world, ref)) & ~BIT_CYCLE;
    for (let i = 0; i < CYCLE_COUNTER_ID; i++)
      if (((mask >> BigInt(i)) & 1n) === 1n) writes.push([counterName(i), 0n]);
  }
  trace.push(`kvm_pmu_direct_pmcr_write: hardware PMCR_EL0 = 0x${(value & ~ARMV8_PMU_PMCR_P).toString(16)}`);
  return hwWrites(world, ref, writes, trace);
}

/**
 * `kvm_pmu_direct_pmcr_read(vcpu)` (v8 09/21): the hardware PMCR_EL0 (read at EL2, N the CPU's)
 * with N replaced by nr_pmu_counters.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_direct_pmcr_read() (v8 09/21)
 */
function kvmPmuDirectPmcrRead(world: World, ref: VcpuRef, trace: string[]): bigint {
  return put(hwReadOf(world, ref, 'PMCR_EL0', trace), PMCR_N, BigInt(getVm(world, ref.vm).nrPmuCounters));
}

/**
 * A trapped access of a vCPU that owns its partitioned PMU, as v8's sys_regs.c handlers reach the
 * hardware through pmu_reg_read() / pmu_reg_write() (09/21): PMCR_EL0 (access_pmcr() keeps bits
 * [7:0] of the guest's value over kvm_pmu_direct_pmcr_read(), adds LC without AArch32 EL0, and
 * writes through kvm_pmu_direct_pmcr_write(); reads drop P and C), PMSELR_EL0, PMCCNTR_EL0 and
 * PMEVCNTR<n>_EL0 / PMXEVCNTR_EL0 (index from the hardware PMSELR_EL0), PMCNTEN and PMINTEN
 * (writes masked by kvm_pmu_accessible_counter_mask(), reads by kvm_pmu_guest_counter_mask()) and
 * PMUSERENR_EL0 go to the hardware; PMEVTYPER<n>_EL0 / PMXEVTYPER_EL0 / PMCCFILTR_EL0 stay in the
 * virtual registers (val & kvm_pmu_evtyper_mask(), applied at the next vcpu_load, 12/21). The EL0
 * checks read PMUSERENR_EL0 through pmu_reg_read(), so from the hardware. Any other register
 * (PMOVS, PMCEIDn, PMSWINC, PMMIR) is left to the emulation: undefined.
 *
 * @see arch/arm64/kvm/sys_regs.c pmu_reg_read(), pmu_reg_write(), access_pmcr(), access_pmselr(),
 * access_pmu_evcntr(), access_pmu_evtyper(), access_pmcnten(), access_pminten(),
 * access_pmuserenr() (v8 09/21)
 */
function kvmPmuRegDirect(
  world: World,
  ref: VcpuRef,
  acc: TrappedAccess,
  trace: string[],
): Handled | undefined {
  const name = acc.reg.def.name;
  const isWrite = acc.dir === 'write';
  const val = acc.value;
  const cpu = loadedCpu(world, ref);
  const userenr = hwReadOf(world, ref, 'PMUSERENR_EL0', trace);
  const refused = (flags: bigint) => !((userenr & flags) !== 0n || acc.el === 1);
  const hwSel = () => Number(get(hwReadOf(world, ref, 'PMSELR_EL0', trace), PMSELR_SEL));
  const via = 'pmu_reg_' + (isWrite ? 'write' : 'read');
  switch (name) {
    case 'PMCR_EL0': {
      if (refused(EL0_EN)) return injectUndef(world, 'PMCR_EL0 at EL0 with PMUSERENR_EL0.EN = 0');
      const cur = kvmPmuDirectPmcrRead(world, ref, trace);
      if (!isWrite)
        return done(
          world,
          `access_pmcr: ${via}: kvm_pmu_direct_pmcr_read()`,
          cur & ~(ARMV8_PMU_PMCR_P | ARMV8_PMU_PMCR_C),
        );
      let v = (cur & ~ARMV8_PMU_PMCR_MASK) | (val & ARMV8_PMU_PMCR_MASK);
      if (!cpuFeatures(getHostCpu(world, cpu).pe.config.cpu).has('FEAT_AA32EL0')) v |= ARMV8_PMU_PMCR_LC;
      return done(
        kvmPmuDirectPmcrWrite(world, ref, v, trace),
        `access_pmcr: ${via}: kvm_pmu_direct_pmcr_write()`,
      );
    }
    case 'PMSELR_EL0':
      if (refused(EL0_ER)) return injectUndef(world, 'PMSELR_EL0 at EL0 without ER or EN');
      if (isWrite)
        return done(hwWrites(world, ref, [['PMSELR_EL0', val]], trace), `access_pmselr: ${via} (hardware)`);
      return done(
        world,
        `access_pmselr: ${via} (hardware)`,
        hwReadOf(world, ref, 'PMSELR_EL0', trace) & PMSELR_SEL.mask,
      );
    case 'PMCCNTR_EL0':
    case 'PMEVCNTR<n>_EL0':
    case 'PMXEVCNTR_EL0': {
      let idx: number;
      if (name === 'PMCCNTR_EL0') {
        if (refused(EL0_CR)) return injectUndef(world, 'PMCCNTR_EL0 at EL0 without CR or EN');
        idx = CYCLE_COUNTER_ID;
      } else {
        if (refused(EL0_ER)) return injectUndef(world, `${acc.reg.name} at EL0 without ER or EN`);
        idx = name === 'PMXEVCNTR_EL0' ? hwSel() : (acc.reg.n ?? 0);
      }
      if (!pmuCounterIdxValid(world, ref, idx))
        return injectUndef(world, `pmu_counter_idx_valid: counter ${idx} >= N`);
      if (isWrite) {
        if (refused(EL0_EN)) return injectUndef(world, 'counter write at EL0 with EN = 0');
        return done(
          hwWrites(world, ref, [[counterName(idx), val]], trace),
          `access_pmu_evcntr: ${via} of counter ${idx} (hardware)`,
        );
      }
      return done(
        world,
        `access_pmu_evcntr: ${via} of counter ${idx} (hardware)`,
        hwReadOf(world, ref, counterName(idx), trace),
      );
    }
    case 'PMEVTYPER<n>_EL0':
    case 'PMXEVTYPER_EL0':
    case 'PMCCFILTR_EL0': {
      if (refused(EL0_EN)) return injectUndef(world, `${acc.reg.name} at EL0 with EN = 0`);
      const idx =
        name === 'PMXEVTYPER_EL0' ? hwSel() : name === 'PMCCFILTR_EL0' ? CYCLE_COUNTER_ID : (acc.reg.n ?? 0);
      if (!pmuCounterIdxValid(world, ref, idx))
        return injectUndef(world, `pmu_counter_idx_valid: counter ${idx} >= N`);
      if (!isWrite)
        return done(world, `access_pmu_evtyper: ${via} (virtual)`, getVcpu(world, ref).regs.typer[idx]!);
      const mask = kvmPmuEvtyperMask(world, getVm(world, ref.vm));
      const w = updateShadow(world, ref, (r) => ({ ...r, typer: withAt(r.typer, idx, val & mask) }));
      return done(
        w,
        `access_pmu_evtyper: ${via} of counter ${idx} (virtual; the hardware gets it at the next vcpu_load)`,
      );
    }
    case 'PMCNTENSET_EL0':
    case 'PMCNTENCLR_EL0':
    case 'PMINTENSET_EL1':
    case 'PMINTENCLR_EL1': {
      const cnten = name.startsWith('PMCNTEN');
      if (refused(cnten ? EL0_EN : 0n)) return injectUndef(world, `${acc.reg.name} refused at EL0`);
      if (isWrite) {
        const masked = val & kvmPmuAccessibleCounterMask(world, ref, cpu);
        return done(
          hwWrites(world, ref, [[acc.reg.name, masked]], trace),
          `access_pm${cnten ? 'cnten' : 'inten'}: ${via} (hardware)`,
        );
      }
      const setName = cnten ? 'PMCNTENSET_EL0' : 'PMINTENSET_EL1';
      const v = hwReadOf(world, ref, setName, trace) & vmGuestCounterMask(world, getVm(world, ref.vm), cpu);
      return done(
        world,
        `access_pm${cnten ? 'cnten' : 'inten'}: ${via} (hardware & kvm_pmu_guest_counter_mask())`,
        v,
      );
    }
    case 'PMUSERENR_EL0':
      if (isWrite) {
        if (acc.el === 0) return injectUndef(world, 'PMUSERENR_EL0 write at EL0');
        return done(
          hwWrites(world, ref, [['PMUSERENR_EL0', val & ARMV8_PMU_USERENR_MASK]], trace),
          `access_pmuserenr: ${via} (hardware)`,
        );
      }
      return done(world, `access_pmuserenr: ${via} (hardware)`, userenr & ARMV8_PMU_USERENR_MASK);
    default:
      return undefined;
  }
}

/**
 * `kvm_handle_sys_reg()` for a PMU register: a vCPU without PMU_V3 sees the PMU registers hidden
 * (pmu_visibility(): UNDEF); PMMIR_EL1 is RAZ/WI; PMICNTR_EL0, PMICFILTR_EL0, PMUACR_EL1 and
 * PMZR_EL0 are UNDEFINED to guests (undef_access: KVM hides FEAT_PMUv3_ICNTR and PMUv3p9).
 *
 * @see arch/arm64/kvm/sys_regs.c emulate_sys_reg(), sys_reg_descs[]
 */
function emulateSysReg(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): Handled {
  if (!getVcpu(world, ref).pmuV3)
    return injectUndef(world, `${acc.reg.name} is hidden from a vCPU without PMU_V3`);
  switch (acc.reg.def.name) {
    case 'PMCR_EL0':
      return accessPmcr(world, ref, acc);
    case 'PMSELR_EL0':
      return accessPmselr(world, ref, acc);
    case 'PMCEID0_EL0':
    case 'PMCEID1_EL0':
      return accessPmceid(world, ref, acc);
    case 'PMCCNTR_EL0':
    case 'PMEVCNTR<n>_EL0':
    case 'PMXEVCNTR_EL0':
      return accessPmuEvcntr(world, ref, acc, trace);
    case 'PMEVTYPER<n>_EL0':
    case 'PMXEVTYPER_EL0':
    case 'PMCCFILTR_EL0':
      return accessPmuEvtyper(world, ref, acc, trace);
    case 'PMCNTENSET_EL0':
    case 'PMCNTENCLR_EL0':
      return accessBitmap(world, ref, acc, 'pmcntenset');
    case 'PMINTENSET_EL1':
    case 'PMINTENCLR_EL1':
      return accessBitmap(world, ref, acc, 'pmintenset');
    case 'PMOVSSET_EL0':
    case 'PMOVSCLR_EL0':
      return accessPmovs(world, ref, acc, trace);
    case 'PMSWINC_EL0':
      return accessPmswinc(world, ref, acc);
    case 'PMUSERENR_EL0':
      return accessPmuserenr(world, ref, acc);
    case 'PMMIR_EL1':
      return done(world, 'trap_raz_wi: PMMIR_EL1', acc.dir === 'read' ? 0n : undefined);
    default:
      return injectUndef(world, `undef_access: ${acc.reg.name}`);
  }
}

/**
 * KVM's handling of a PMU register access that trapped to EL2 (EC 0x18): the v5 fast path first
 * (v5 and review), then the sys_regs.c emulation; v6's fast path (09/19), then what it declines
 * to the emulation; for v7 the emulation followed by kvm_pmu_set_physical_access().
 *
 * @see arch/arm64/kvm/hyp/include/hyp/switch.h kvm_hyp_handle_sysreg(); arch/arm64/kvm/sys_regs.c
 * kvm_handle_sys_reg()
 */
export function kvmHandleSysReg(world: World, ref: VcpuRef, acc: TrappedAccess, trace: string[]): Handled {
  const family = kernelFamily(world);
  let w = world;
  if (w.policy.kernel.directTrappedAccess && getVcpu(w, ref).pmuV3) {
    // v8 15/21: every pmu_reg_read()/pmu_reg_write() starts with kvm_pmu_set_guest_owned(), and
    // the EL0 checks read PMUSERENR_EL0 through pmu_reg_read(), so the first trapped PMU access
    // hands the PMU to the guest before it is handled (the model's switch also loads the context,
    // as the v8 changelog's "ensuring guest state is loaded on transition to GUEST_OWNED" says).
    w = kvmPmuSetPhysicalAccess(w, ref, trace);
    if (getVcpu(w, ref).pmu.access === 'PHYSICAL') {
      const direct = kvmPmuRegDirect(w, ref, acc, trace);
      if (direct !== undefined) return direct;
    }
  }
  if (w.policy.kernel.vheFastPath && getVcpu(w, ref).pmuV3) {
    // v6: the fast path, then (declined) mainline's sys_regs.c handlers, with no lazy switch.
    const fast = kvmHypHandlePmuRegsV6(w, ref, acc, trace);
    if (fast.handled !== undefined) return fast.handled;
    return emulateSysReg(fast.world, ref, acc, trace);
  }
  if (family === 'v5') {
    const fast = kvmHypHandlePmuRegs(w, ref, acc, trace);
    if (fast.handled !== undefined) return fast.handled;
    w = fast.world;
    if (fast.injected !== undefined) {
      // The fast path returned false with an UNDEF pending; the exit still reaches the sys_regs.c
      // handler, whose effects stay, but the guest takes the pending exception (__kvm_adjust_pc()
      // prefers PENDING_EXCEPTION to INCREMENT_PC).
      const slow = emulateSysReg(w, ref, acc, trace);
      trace.push(`kvm_hyp_handle_pmu_regs: ${fast.injected} injected UNDEF; then ${slow.why}`);
      return injectUndef(slow.world, `kvm_hyp_handle_pmu_regs: ${fast.injected}`);
    }
  }
  const r = emulateSysReg(w, ref, acc, trace);
  if (family === 'v6' && r.outcome.kind === 'ok') {
    return { ...r, world: kvmPmuSetPhysicalAccess(r.world, ref, trace) };
  }
  return r;
}
