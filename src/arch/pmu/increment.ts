// SPDX-License-Identifier: MIT
/**
 * Incrementing counters one PE cycle at a time, as the ASL does: events accumulate per counter
 * (PMUEvent()), and at the end of the cycle every counter that counts takes its accumulated
 * increment, with 32- or 64-bit overflow and the CHAIN event (AArch64.PMUCycle(),
 * AArch64.IncrementEventCounter(), AArch64.IncrementCycleCounter(), IncrementInstructionCounter();
 * Arm ARM DDI0487 M.a.a J1.1.1.46-48, J1.3.1.104, J1.3.1.112).
 *
 * This is the literal reading, cost O(counters) per occurrence. Counting many occurrences at once
 * goes through batch.ts, which must leave the same state.
 *
 * Not modelled: the threshold function of FEAT_PMUv3_TH (PMUCountValue() returns the event's
 * increment, as with TC, TE, TLC and TH all zero), and the SyncCounterOverflowed flag of
 * FEAT_SEBEP (PSTATE.PPEND is not held).
 *
 * @module
 */

import { type Choices, type Constrained, constrainUnpredictable, type RuleName } from '../unpredictable.js';
import {
  evtCount,
  PMU_EVENT_CHAIN,
  PMU_EVENT_CPU_CYCLES,
  PMU_EVENT_INST_RETIRED,
  PMU_EVENT_SW_INCR,
} from './events.js';
import { countPMUEvents } from './filter.js';
import { pmuExceptionEnabled } from './overflow.js';
import { getPMUCounterRange } from './ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  type El,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
} from './state.js';

const PMCR_LP = bits('PMCR_EL0', 'LP');
const PMCR_LC = bits('PMCR_EL0', 'LC');
const PMCR_D = bits('PMCR_EL0', 'D');
const MDCR_EL2_HLP = bits('MDCR_EL2', 'HLP');

/** 2^64 - 1. */
export const MASK64 = (1n << 64n) - 1n;
/** 2^32 - 1. */
export const MASK32 = (1n << 32n) - 1n;

/**
 * The `lp` of AArch64.IncrementEventCounter(): TRUE when event counter `idx` overflows at bit 63.
 * With FEAT_PMUv3p5: TRUE if the PMU Profiling exception is enabled, else PMCR_EL0.LP for the
 * first range and MDCR_EL2.HLP for the second. Without it: FALSE (J1.1.1.47, D13.3).
 */
export function eventCounterLp(pe: PeState, idx: number, hpmn: number): boolean {
  if (!isFeatureImplemented(pe, 'FEAT_PMUv3p5')) return false;
  if (pmuExceptionEnabled(pe)) return true;
  return getPMUCounterRange(idx, hpmn) === 'R1'
    ? isSet(pe.regs.PMCR_EL0, PMCR_LP)
    : isSet(pe.regs.MDCR_EL2, MDCR_EL2_HLP);
}

/**
 * The Effective PMCR_EL0.LC: RES1 without AArch32 (D24.5.8), and '1' when the PMU Profiling
 * exception is enabled (J1.1.1.46).
 */
export function cycleCounterLc(pe: PeState): boolean {
  if (!isFeatureImplemented(pe, 'FEAT_AA32')) return true;
  return pmuExceptionEnabled(pe) || isSet(pe.regs.PMCR_EL0, PMCR_LC);
}

/**
 * The Effective PMCR_EL0.D: RES0 without AArch32 (D24.5.8), and '0' when the Effective LC is '1'
 * (J1.1.1.46).
 */
export function cycleCounterD(pe: PeState): boolean {
  if (cycleCounterLc(pe)) return false;
  return isFeatureImplemented(pe, 'FEAT_AA32') && isSet(pe.regs.PMCR_EL0, PMCR_D);
}

/** A state and, when a CONSTRAINED UNPREDICTABLE case was resolved by a choice, its rule. */
export interface Stepped {
  readonly pe: PeState;
  readonly via: RuleName | undefined;
}

function withOverflow(pe: PeState, idx: number): PeState {
  return { ...pe, regs: { ...pe.regs, PMOVSSET_EL0: pe.regs.PMOVSSET_EL0 | (1n << BigInt(idx)) } };
}

function withCount(pe: PeState, idx: number, value: bigint): PeState {
  const cnt = pe.cnt.slice();
  cnt[idx] = value;
  return { ...pe, cnt };
}

/**
 * PMUEvent(pmuevent, increment, idx): accumulate `increment` for event counter `idx` if it is set
 * to count `pmuevent` (J1.3.1.112). `acc` is PMUEventAccumulator[] of the current cycle.
 */
export function pmuEventFor(
  pe: PeState,
  pmuevent: number,
  increment: number,
  idx: number,
  acc: number[],
): void {
  if (evtCount(pe, idx) === pmuevent) acc[idx] = (acc[idx] ?? 0) + increment;
}

/**
 * PMUEvent(pmuevent, increment): accumulate for every event counter set to count `pmuevent`, and
 * count INST_RETIRED on the instruction counter at once (J1.3.1.112).
 */
export function pmuEvent(
  pe: PeState,
  pmuevent: number,
  increment: number,
  acc: number[],
  el: El,
  hpmn: number,
): PeState {
  for (let idx = 0; idx < pe.config.n; idx++) pmuEventFor(pe, pmuevent, increment, idx, acc);
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR') && pmuevent === PMU_EVENT_INST_RETIRED) {
    return incrementInstructionCounter(pe, increment, el, hpmn);
  }
  return pe;
}

/**
 * IncrementInstructionCounter(increment): PMICNTR_EL0 counts, overflowing at bit 63 into
 * PMOVSSET_EL0.F0; the Effective PMCR_EL0.LP is '1' for it (J1.3.1.104).
 */
export function incrementInstructionCounter(pe: PeState, increment: number, el: El, hpmn: number): PeState {
  if (!countPMUEvents(pe, INSTRUCTION_COUNTER_ID, el, hpmn)) return pe;
  const oldValue = pe.cnt[INSTRUCTION_COUNTER_ID]!;
  const newValue = oldValue + BigInt(increment);
  let next = withCount(pe, INSTRUCTION_COUNTER_ID, newValue & MASK64);
  if (oldValue >> 64n !== newValue >> 64n) next = withOverflow(next, INSTRUCTION_COUNTER_ID);
  return next;
}

/**
 * AArch64.IncrementEventCounter(idx, increment): add `increment` to PMEVCNTR<idx>_EL0, set its
 * overflow flag on a carry out of bit 31 or 63 (`lp`), and on a carry out of bit 31 of an even
 * counter send CHAIN to the odd counter above it (J1.1.1.47). When the two counters are in
 * different ranges, whether CHAIN is counted is CONSTRAINED UNPREDICTABLE (COUNT_CHAIN); we ask
 * `choices` only when the odd counter is set to count CHAIN, the one case where it matters.
 */
export function aarch64IncrementEventCounter(
  pe: PeState,
  idx: number,
  increment: number,
  hpmn: number,
  acc: number[],
  choices: Choices,
): Constrained<Stepped> {
  const oldValue = pe.cnt[idx]!;
  // PMUCountValue(): without the threshold function, the event's increment.
  const newValue = oldValue + BigInt(increment);
  let lp: boolean;
  let next: PeState;
  if (isFeatureImplemented(pe, 'FEAT_PMUv3p5')) {
    next = withCount(pe, idx, newValue & MASK64);
    lp = eventCounterLp(pe, idx, hpmn);
  } else {
    lp = false;
    next = withCount(pe, idx, newValue & MASK32);
  }
  let via: RuleName | undefined;
  const ovflw = lp ? 64n : 32n;
  if (oldValue >> ovflw !== newValue >> ovflw) {
    next = withOverflow(next, idx);
    // Check for the CHAIN event from an even counter.
    if (idx % 2 === 0 && idx + 1 < pe.config.n && !lp) {
      let chain = getPMUCounterRange(idx, hpmn) === getPMUCounterRange(idx + 1, hpmn);
      if (!chain && evtCount(pe, idx + 1) === PMU_EVENT_CHAIN) {
        // If PMU counters idx and idx+1 are not in same range, it is CONSTRAINED UNPREDICTABLE
        // if CHAIN event is counted.
        const c = constrainUnpredictable('COUNT_CHAIN', ['chain', 'no-chain'], choices);
        if (c.kind === 'unpredictable') return c;
        chain = c.behaviour === 'chain';
        via = 'COUNT_CHAIN';
      }
      if (chain) pmuEventFor(next, PMU_EVENT_CHAIN, 1, idx + 1, acc);
    }
  }
  return { kind: 'value', value: { pe: next, via } };
}

/**
 * HasElapsed64Cycles() (J1.3.1.102, no ASL body): we count the cycles that reach it, that is the
 * cycles on which PMCCNTR_EL0 counts with the Effective PMCR_EL0.D 1, in PeState.ccntPrescaler;
 * it is TRUE on every 64th. Returns the answer and the state with the divider advanced.
 */
export function hasElapsed64Cycles(pe: PeState): { elapsed: boolean; pe: PeState } {
  const seen = pe.ccntPrescaler + 1;
  const elapsed = seen === 64;
  return { elapsed, pe: { ...pe, ccntPrescaler: elapsed ? 0 : seen } };
}

/**
 * AArch64.IncrementCycleCounter(): PMCCNTR_EL0 counts one cycle, or one in 64 under PMCR_EL0.D,
 * overflowing at bit 31 (AArch32 implemented and LC 0) or bit 63 into PMOVSSET_EL0.C (J1.1.1.46).
 */
export function aarch64IncrementCycleCounter(pe: PeState, el: El, hpmn: number): PeState {
  if (!countPMUEvents(pe, CYCLE_COUNTER_ID, el, hpmn)) return pe;
  const lc = cycleCounterLc(pe);
  const d = cycleCounterD(pe);
  let next = pe;
  if (d) {
    const h = hasElapsed64Cycles(pe);
    if (!h.elapsed) return h.pe;
    next = h.pe;
  }
  const oldValue = pe.cnt[CYCLE_COUNTER_ID]!;
  const newValue = oldValue + 1n;
  next = withCount(next, CYCLE_COUNTER_ID, newValue & MASK64);
  const ovflw = isFeatureImplemented(pe, 'FEAT_AA32') && !lc ? 32n : 64n;
  if (oldValue >> ovflw !== newValue >> ovflw) next = withOverflow(next, CYCLE_COUNTER_ID);
  return next;
}

/**
 * The event-counter part of AArch64.PMUCycle(), run at the end of every cycle: each event counter
 * that counts now (CountPMUEvents()) takes its accumulated increment, in index order, so that the
 * CHAIN from an even counter reaches the odd counter above it in the same cycle; then every
 * accumulator is cleared (J1.1.1.48). `freezeFrom`, when given, is the state whose overflow flags
 * decide freeze-on-overflow (the FREEZE_OVERFLOW behaviours other than the ASL's order).
 */
export function pmuCycleEventCounters(
  pe: PeState,
  acc: number[],
  el: El,
  hpmn: number,
  choices: Choices,
  freezeFrom?: PeState,
): Constrained<Stepped> {
  let next = pe;
  let via: RuleName | undefined;
  for (let idx = 0; idx < pe.config.n; idx++) {
    // `freezeFrom`: decide on the overflow flags of that state (the cycle's start) instead of
    // those set so far in this cycle (FREEZE_OVERFLOW 'whole-occurrence', D13.5.2.1).
    if (countPMUEvents(freezeFrom ?? next, idx, el, hpmn)) {
      const r = aarch64IncrementEventCounter(next, idx, acc[idx] ?? 0, hpmn, acc, choices);
      if (r.kind === 'unpredictable') return r;
      next = r.value.pe;
      via = r.value.via ?? via;
    }
    acc[idx] = 0;
  }
  return { kind: 'value', value: { pe: next, via } };
}

/**
 * One occurrence of event `pmuevent` at `el`, one step at a time. CPU_CYCLES is one call of
 * AArch64.PMUCycle() (J1.1.1.48): PMUEvent(CPU_CYCLES), the event counters, then the cycle
 * counter. Any other event is PMUEvent(pmuevent) followed by the event-counter part of
 * AArch64.PMUCycle(): it happens in a cycle of its own that the model does not count as a
 * CPU_CYCLES occurrence. SW_INCR and CHAIN never happen on their own (PMSWINC_EL0 writes and
 * counter overflows generate them): an occurrence of either changes nothing.
 */
export function pmuOccurrence(
  pe: PeState,
  pmuevent: number,
  el: El,
  hpmn: number,
  choices: Choices,
): Constrained<Stepped> {
  if (pmuevent === PMU_EVENT_SW_INCR || pmuevent === PMU_EVENT_CHAIN)
    return { kind: 'value', value: { pe, via: undefined } };
  const acc: number[] = new Array(pe.config.n).fill(0);
  const afterEvent = pmuEvent(pe, pmuevent, 1, acc, el, hpmn);
  const r = pmuCycleEventCounters(afterEvent, acc, el, hpmn, choices);
  if (r.kind === 'unpredictable' || pmuevent !== PMU_EVENT_CPU_CYCLES) return r;
  return {
    kind: 'value',
    value: { pe: aarch64IncrementCycleCounter(r.value.pe, el, hpmn), via: r.value.via },
  };
}
