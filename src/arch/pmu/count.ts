// SPDX-License-Identifier: MIT
/**
 * Counting: whether a counter counts (CountPMUEvents), incrementing counters by batches of event
 * occurrences with 32/64-bit overflow, CHAIN and freeze-on-overflow, PMSWINC and PMZR/PMCR.P/C
 * resets (Arm ARM DDI0487 M.a.a J1.1 aarch64/debug, J1.3 shared/debug/pmu).
 *
 * INTERFACE ONLY for now: the lead engineer fixed these signatures so access.ts can be written
 * in parallel; the implementation is being written.
 *
 * @module
 */

import type { Choices, Constrained } from '../unpredictable.js';
import type { El, PeState } from './state.js';

/** CountPMUEvents(idx): whether counter idx (0..32) counts an event occurring at `el` now. */
export function countPMUEvents(_pe: PeState, _idx: number, _el: El, _hpmn: number): boolean {
  throw new Error('internal: countPMUEvents not implemented yet');
}

/**
 * `events` (architectural event number -> occurrences, each >= 0, up to 2^64) happen at `el`.
 * Returns the new state, exactly as that many single occurrences would leave it, or the
 * CONSTRAINED UNPREDICTABLE case met (COUNT_CHAIN) when `choices` does not resolve it.
 */
export function countEvents(
  _pe: PeState,
  _events: ReadonlyMap<number, bigint>,
  _el: El,
  _hpmn: number,
  _choices: Choices,
): Constrained<PeState> {
  throw new Error('internal: countEvents not implemented yet');
}

/** PMUSwIncrement(value): a write of `value` to PMSWINC_EL0 at `el` (J1.3 PMUSwIncrement()). */
export function pmuSwIncrement(
  _pe: PeState,
  _value: bigint,
  _el: El,
  _hpmn: number,
  _choices: Choices,
): Constrained<PeState> {
  throw new Error('internal: pmuSwIncrement not implemented yet');
}

/** ZeroPMUCounters(val): zero the counters set in `val` AND GetPMUWriteMask(TRUE) (J1.3). */
export function zeroPMUCounters(_pe: PeState, _val: bigint, _el: El, _hpmn: number): PeState {
  throw new Error('internal: zeroPMUCounters not implemented yet');
}

/**
 * CheckForPMUOverflow() for the interrupt: whether PMUIRQ is asserted (J1.3
 * CheckPMUOverflowCondition(PMUOverflowCondition_IRQ, TRUE, TRUE, TRUE) and PMUInterruptEnabled()).
 */
export function pmuIrq(_pe: PeState, _hpmn: number): boolean {
  throw new Error('internal: pmuIrq not implemented yet');
}
