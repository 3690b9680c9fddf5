// SPDX-License-Identifier: MIT
/**
 * Counting: whether a counter counts (CountPMUEvents), incrementing counters by batches of event
 * occurrences with 32/64-bit overflow, CHAIN and freeze-on-overflow, PMSWINC and PMZR/PMCR.P/C
 * resets, and the overflow interrupt request (Arm ARM DDI0487 M.a.a J1.1 aarch64/debug, J1.3
 * shared/debug/pmu).
 *
 * The pieces live next to this file: filter.ts (CountPMUEvents()), overflow.ts (the overflow
 * condition, freeze and PMUIRQ), increment.ts (one cycle at a time, as the ASL), batch.ts (many
 * occurrences at once).
 *
 * @module
 */

import { InputError } from '../errors.js';
import { type Choices, type Constrained, constrainUnpredictable, type RuleName } from '../unpredictable.js';
import { countEventBatch, FREEZE_MODES } from './batch.js';
import { PMU_EVENT_SW_INCR } from './events.js';
import { pmuCycleEventCounters, pmuEventFor } from './increment.js';
import { checkPMUOverflowCondition, pmuInterruptEnabled, resolvePMEE, restorePMEE } from './overflow.js';
import { getNumEventCountersAccessible, getPMUWriteMask } from './ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  type El,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
  samePeState,
} from './state.js';

export { countPMUEvents } from './filter.js';
export { checkPMUOverflowCondition, shouldPMUFreeze } from './overflow.js';

const PMUSERENR_UEN = bits('PMUSERENR_EL0', 'UEN');
const PMUSERENR_SW = bits('PMUSERENR_EL0', 'SW');
const PMCR_FZO = bits('PMCR_EL0', 'FZO');
const MDCR_EL2_HPMFZO = bits('MDCR_EL2', 'HPMFZO');

const MAX_OCCURRENCES = 1n << 64n;

/**
 * `events` (architectural event number -> occurrences, each >= 0, up to 2^64) happen at `el`.
 * Returns the new state, exactly as that many single occurrences would leave it, or the
 * CONSTRAINED UNPREDICTABLE case met (COUNT_CHAIN) when `choices` does not resolve it; then no
 * event is counted.
 *
 * Order: the events are taken in ascending event number, and each event's occurrences one after
 * the other. (The order matters only where freeze-on-overflow stops a range part way.)
 *
 * One occurrence of CPU_CYCLES (0x11) is one PE cycle, AArch64.PMUCycle() (J1.1.1.48): the event
 * counters set to count CPU_CYCLES, then the cycle counter PMCCNTR_EL0 (with the PMCR_EL0.D
 * divider). One occurrence of any other event is PMUEvent() (J1.3.1.112), which for INST_RETIRED
 * (0x08) also counts on PMICNTR_EL0, followed by the event-counter update of AArch64.PMUCycle().
 * SW_INCR (0x00) and CHAIN (0x1E) do not happen on their own: PMSWINC_EL0 writes
 * (pmuSwIncrement()) and even-counter overflows generate them; occurrences given for them count
 * nothing. Costs O(counters) per event, whatever the number of occurrences.
 *
 * Freeze-on-overflow (PMCR_EL0.FZO, MDCR_EL2.HPMFZO): whether events "at or about the same time"
 * as the overflowing one are counted is CONSTRAINED UNPREDICTABLE (D13.5.2.1; ITLHSZ for CHAIN).
 * The FREEZE_OVERFLOW behaviours are the ASL's order within the occurrence ('sequential':
 * PMICNTR_EL0, event counters 0..N-1, PMCCNTR_EL0, so a counter updated after the overflowing one
 * does not count it), every counter of the range counting that occurrence ('whole-occurrence'),
 * and the range counting the next occurrence too ('one-later'). The case is met only when these
 * give different results: another counter of the freezing range counts the overflowing
 * occurrence, or counts a later occurrence of the same step. One behaviour holds for the whole
 * step.
 *
 * @throws InputError for an event number outside 0..0xFFFF or a count outside 0..2^64.
 */
export function countEvents(
  pe: PeState,
  events: ReadonlyMap<number, bigint>,
  el: El,
  hpmn: number,
  choices: Choices,
): Constrained<PeState> {
  // A reserved PMEE decides LP/LC (PMUExceptionEnabled()): resolve it before counting (RES_PMEE).
  const pmee = resolvePMEE(pe, choices);
  if (pmee.kind === 'unpredictable') return pmee;
  const order = [...events.keys()].sort((a, b) => a - b);
  let next = pmee.value;
  let via: RuleName | undefined = pmee.via;
  for (const event of order) {
    const k = events.get(event)!;
    if (!Number.isInteger(event) || event < 0 || event > 0xffff) {
      throw new InputError(`Cannot count event ${event}: event numbers are 16 bits, 0..0xffff`);
    }
    if (k < 0n || k > MAX_OCCURRENCES) {
      throw new InputError(`Cannot count ${k} occurrences of event 0x${event.toString(16)}: must be 0..2^64`);
    }
    const r = countEventBatch(next, event, k, el, hpmn, choices);
    if (r.kind === 'unpredictable') return r;
    next = r.value.pe;
    via = r.value.via ?? via;
  }
  const after = restorePMEE(pe, next);
  return via === undefined ? { kind: 'value', value: after } : { kind: 'value', value: after, via };
}

/**
 * PMUSwIncrement(value): a write of `value` to PMSWINC_EL0 at `el` (J1.3.1.114). SW_INCR is
 * generated for each counter whose bit is set, among the counters accessible at `el`
 * (GetNumEventCountersAccessible(): below HPMN at EL1 and EL0) and, at EL0 with PMUSERENR_EL0.UEN
 * 1 and SW 0 (FEAT_PMUv3p9), those PMUACR_EL1 allows. A counter set to count SW_INCR counts it at
 * the end of the cycle, if it counts at all (AArch64.PMUCycle(), CountPMUEvents()).
 */
export function pmuSwIncrement(
  pe: PeState,
  value: bigint,
  el: El,
  hpmn: number,
  choices: Choices,
): Constrained<PeState> {
  let mask = 0n;
  const counters = getNumEventCountersAccessible(pe, el, hpmn);
  if (counters > 0) mask = (1n << BigInt(counters)) - 1n;
  const userenr = pe.regs.PMUSERENR_EL0;
  if (
    isFeatureImplemented(pe, 'FEAT_PMUv3p9') &&
    el === 0 &&
    isSet(userenr, PMUSERENR_UEN) &&
    !isSet(userenr, PMUSERENR_SW)
  ) {
    mask &= pe.regs.PMUACR_EL1 & ((1n << 31n) - 1n);
  }
  const swIncr = value & mask;
  const acc: number[] = new Array(pe.config.n).fill(0);
  for (let idx = 0; idx <= 30 && idx < pe.config.n; idx++) {
    if (((swIncr >> BigInt(idx)) & 1n) === 1n) pmuEventFor(pe, PMU_EVENT_SW_INCR, 1, idx, acc);
  }
  const pmee = resolvePMEE(pe, choices);
  if (pmee.kind === 'unpredictable') return pmee;
  // FREEZE_OVERFLOW: 'sequential' asks CountPMUEvents() as each counter's turn comes, so a counter
  // after one that overflows (in a freezing range) does not count; the other behaviours let every
  // counter of the range count this write's SW_INCR (they are one occurrence: 'one-later' has no
  // later occurrence here, D13.5.2.1).
  const seq = pmuCycleEventCounters(pmee.value, acc.slice(), el, hpmn, choices);
  if (seq.kind === 'unpredictable') return seq;
  let r = seq.value;
  let via = seq.value.via ?? pmee.via;
  // Only a range that can freeze (FEAT_PMUv3p7 and PMCR_EL0.FZO or MDCR_EL2.HPMFZO, D13.5.2.1)
  // makes the order matter; otherwise the other behaviours give the same result.
  const canFreeze =
    isFeatureImplemented(pe, 'FEAT_PMUv3p7') &&
    (isSet(pe.regs.PMCR_EL0, PMCR_FZO) || isSet(pe.regs.MDCR_EL2, MDCR_EL2_HPMFZO));
  const whole = canFreeze
    ? pmuCycleEventCounters(pmee.value, acc.slice(), el, hpmn, choices, pmee.value)
    : seq;
  if (whole.kind === 'unpredictable') return whole;
  if (!samePeState(seq.value.pe, whole.value.pe)) {
    const c = constrainUnpredictable('FREEZE_OVERFLOW', FREEZE_MODES, choices);
    if (c.kind === 'unpredictable') return c;
    if (c.behaviour !== 'sequential') r = whole.value;
    via = via ?? 'FREEZE_OVERFLOW';
  }
  const after = restorePMEE(pe, r.pe);
  return via === undefined ? { kind: 'value', value: after } : { kind: 'value', value: after, via };
}

/**
 * ZeroPMUCounters(val): zero the counters set in `val` AND GetPMUWriteMask(TRUE), as a write of
 * `val` to PMZR_EL0 at `el` does (J1.3.1.120). Without FEAT_PMUv3p5 an event counter's bits
 * [31:0] are zeroed. Overflow flags are unchanged.
 */
export function zeroPMUCounters(pe: PeState, val: bigint, el: El, hpmn: number): PeState {
  const maskedVal = val & getPMUWriteMask(pe, el, hpmn, true);
  if (maskedVal === 0n) return pe;
  const cnt = pe.cnt.slice();
  for (let idx = 0; idx <= INSTRUCTION_COUNTER_ID; idx++) {
    if (((maskedVal >> BigInt(idx)) & 1n) === 0n) continue;
    if (idx === INSTRUCTION_COUNTER_ID || idx === CYCLE_COUNTER_ID) cnt[idx] = 0n;
    else if (isFeatureImplemented(pe, 'FEAT_PMUv3p5')) cnt[idx] = 0n;
    else cnt[idx] = cnt[idx]! & ~((1n << 32n) - 1n);
  }
  return { ...pe, cnt };
}

/**
 * ClearEventCounters(): a write of PMCR_EL0.P = 1 at `el`, ZeroPMUCounters(Zeros(33):Ones(31))
 * (J1.3.1.92). Through GetPMUWriteMask() it zeroes only the counters below HPMN at EL1 and EL0,
 * and every event counter at EL2 (D24.5.8 PMCR_EL0.P).
 */
export function clearEventCounters(pe: PeState, el: El, hpmn: number): PeState {
  return zeroPMUCounters(pe, (1n << 31n) - 1n, el, hpmn);
}

/**
 * ZeroCycleCounter(): a write of PMCR_EL0.C = 1 at `el`, ZeroPMUCounters() of bit 31 only
 * (J1.3.1.119). The PMCR_EL0.D divider is left as it is: the ASL does not reset it.
 */
export function zeroCycleCounter(pe: PeState, el: El, hpmn: number): PeState {
  return zeroPMUCounters(pe, 1n << BigInt(CYCLE_COUNTER_ID), el, hpmn);
}

/**
 * Whether PMUIRQ is asserted, as CheckForPMUOverflow() sets it (J1.3.1.90): PMUInterruptEnabled()
 * (FEAT_EBEP) and CheckPMUOverflowCondition(PMUOverflowCondition_IRQ, TRUE, TRUE, TRUE), i.e.
 * some counter has its PMOVSSET_EL0 and PMINTENSET_EL1 bits set and its range's global enable
 * (PMCR_EL0.E, or MDCR_EL2.HPME for the second range) is 1 (D13.3.1).
 */
export function pmuIrq(pe: PeState, hpmn: number, choices: Choices = {}): Constrained<boolean> {
  // A reserved PMEE makes whether PMUIRQ is enabled CONSTRAINED UNPREDICTABLE (RES_PMEE).
  const pmee = resolvePMEE(pe, choices);
  if (pmee.kind === 'unpredictable') return pmee;
  const level =
    pmuInterruptEnabled(pmee.value) && checkPMUOverflowCondition(pmee.value, 'IRQ', true, true, hpmn);
  return pmee.via === undefined
    ? { kind: 'value', value: level }
    : { kind: 'value', value: level, via: pmee.via };
}
