// SPDX-License-Identifier: MIT
/**
 * The architectural PMU event numbers the counting model gives a meaning of its own, and the
 * event a counter is set to count (Arm ARM DDI0487 M.a.a D14 "PMU events and event numbers",
 * J1.3 PMUEvent()).
 *
 * @module
 */

import type { FeatureName } from '../features.js';
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

/**
 * The common events every PMU with at least one event counter implements, as PMCEID0_EL0 and
 * PMCEID1_EL0 report them (Arm ARM D14.6 "Required events"; D24.5.4, D24.5.5: PMCEID0_EL0 ID<n> is
 * event n for n = 0..31 and IDhi<n> event 0x4000 + n; PMCEID1_EL0 the events 0x20..0x3F and
 * 0x4020..0x403F). The CPUs' full event lists are IMPLEMENTATION DEFINED and not in the catalogue,
 * so the model reports this lower bound. It assumes a Level 1 data cache and program-flow
 * prediction (every core of the catalogue has both), and takes INST_RETIRED (0x08) where D14.6
 * asks for INST_RETIRED or INST_SPEC (Arm "strongly recommends" 0x08).
 */
export function requiredCommonEvents(has: (f: FeatureName) => boolean): { pmceid0: bigint; pmceid1: bigint } {
  const events = [0x00, 0x03, 0x04, 0x08, 0x10, 0x11, 0x12];
  if (has('FEAT_PMUv3p1')) events.push(0x23, 0x24); // STALL_FRONTEND, STALL_BACKEND
  if (has('FEAT_SPE')) events.push(0x4000, 0x4001, 0x4002, 0x4003); // SAMPLE_POP .. SAMPLE_COLLISION
  if (has('FEAT_PMUv3p4')) events.push(0x3c, 0x39, 0x4006); // STALL, L1D_CACHE_LMISS_RD, L1I_CACHE_LMISS
  if (has('FEAT_ETE')) events.push(0x4010, 0x4011, 0x4012, 0x4013); // TRCEXTOUT0..3
  if (has('FEAT_PMUv3p9')) events.push(0x14); // L1I_CACHE
  let pmceid0 = 0n;
  let pmceid1 = 0n;
  for (const e of events) {
    const hi = e >= 0x4000;
    const n = hi ? e - 0x4000 : e;
    const bit = 1n << BigInt((n & 0x1f) + (hi ? 32 : 0));
    if (n < 0x20) pmceid0 |= bit;
    else if (n < 0x40) pmceid1 |= bit;
  }
  return { pmceid0, pmceid1 };
}
