// SPDX-License-Identifier: MIT
/**
 * The architectural PMU event numbers the counting model gives a meaning of its own, and the
 * event a counter is set to count (Arm ARM DDI0487 M.a.a D14 "PMU events and event numbers",
 * J1.3 PMUEvent()).
 *
 * @module
 */

import { bits, get, isFeatureImplemented, type PeState } from './state.js';

/** SW_INCR: generated only by writes to PMSWINC_EL0 (J1.3 PMUSwIncrement()). */
export const PMU_EVENT_SW_INCR = 0x0000;
/** INST_RETIRED: also counted by the instruction counter (J1.3 PMUEvent()). */
export const PMU_EVENT_INST_RETIRED = 0x0008;
/** CPU_CYCLES: one occurrence is one PE cycle, counted by the cycle counter (J1.1 AArch64.PMUCycle()). */
export const PMU_EVENT_CPU_CYCLES = 0x0011;
/** CHAIN: generated only by the overflow of an even counter (J1.1 AArch64.IncrementEventCounter()). */
export const PMU_EVENT_CHAIN = 0x001e;
/** BRB_FILTRATE: a synchronous event when FEAT_BRBE is implemented (D14.7). */
export const PMU_EVENT_BRB_FILTRATE = 0x811f;

const EVTCOUNT = bits('PMEVTYPER<n>_EL0', 'evtCount');

/**
 * PMEVTYPER<n>_EL0.evtCount of event counter `idx`: 16 bits with FEAT_PMUv3p1, else 10 bits,
 * bits [15:10] being RES0 (Arm ARM D24.5.12 PMEVTYPER<n>_EL0.evtCount).
 */
export function evtCount(pe: PeState, idx: number): number {
  const value = Number(get(pe.typer[idx]!, EVTCOUNT));
  return isFeatureImplemented(pe, 'FEAT_PMUv3p1') ? value : value & 0x3ff;
}

/**
 * IsSupportingPMUSynchronousMode(pmuevent): IMPLEMENTATION DEFINED (D13.3.3 RXLMVX). We model
 * exactly the events that D14.7 "Synchronous events" requires to support synchronous mode when
 * FEAT_SEBEP is implemented: SW_INCR, INST_RETIRED, PC_WRITE_RETIRED, BR_RETIRED,
 * BR_MIS_PRED_RETIRED, and BRB_FILTRATE with FEAT_BRBE; none of the events Arm only recommends.
 */
export function isSupportingPMUSynchronousMode(pe: PeState, pmuevent: number): boolean {
  if (pmuevent === PMU_EVENT_BRB_FILTRATE) return isFeatureImplemented(pe, 'FEAT_BRBE');
  return [PMU_EVENT_SW_INCR, PMU_EVENT_INST_RETIRED, 0x000c, 0x0021, 0x0022].includes(pmuevent);
}
