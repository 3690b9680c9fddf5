// SPDX-License-Identifier: MIT
/**
 * Whether a counter counts an event happening now: the global and per-counter enables, the
 * prohibition of counting at EL2, freeze-on-overflow, the cycle counter's PMCR_EL0.DP and
 * MDCR_EL2.HCCD, and the Exception-level filters of PMEVTYPER<n>_EL0, PMCCFILTR_EL0 and
 * PMICFILTR_EL0 (Arm ARM DDI0487 M.a.a J1.3.1.93 CountPMUEvents(); D13.4, D13.5).
 *
 * The model's PE is in Non-secure state at EL0, EL1 or EL2 and is never halted. The clauses of
 * CountPMUEvents() that apply only in Secure state, in Realm state or at EL3 (MDCR_EL3.SPME,
 * MPMX, SCCD, MCCD; the SH, RLK, RLU, RLH and M filters) therefore never apply and are left out;
 * the NSK and NSU filters, which apply in Non-secure state when EL3 is implemented, are kept.
 *
 * @module
 */

import { evtCount, isSupportingPMUSynchronousMode } from './events.js';
import { shouldPMUFreeze } from './overflow.js';
import { getPMUCounterRange } from './ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  type El,
  get,
  haveEL3,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
} from './state.js';

const PMCR_E = bits('PMCR_EL0', 'E');
const PMCR_DP = bits('PMCR_EL0', 'DP');
const PMCR_FZO = bits('PMCR_EL0', 'FZO');
const MDCR_EL2_HPME = bits('MDCR_EL2', 'HPME');
const MDCR_EL2_HPMD = bits('MDCR_EL2', 'HPMD');
const MDCR_EL2_HCCD = bits('MDCR_EL2', 'HCCD');
const MDCR_EL2_HPMFZO = bits('MDCR_EL2', 'HPMFZO');
const PMEVTYPER_SYNC = bits('PMEVTYPER<n>_EL0', 'SYNC');
const FILTER_P = bits('PMEVTYPER<n>_EL0', 'P');
const FILTER_U = bits('PMEVTYPER<n>_EL0', 'U');
const FILTER_NSK = bits('PMEVTYPER<n>_EL0', 'NSK');
const FILTER_NSU = bits('PMEVTYPER<n>_EL0', 'NSU');
const FILTER_NSH = bits('PMEVTYPER<n>_EL0', 'NSH');
const FILTER_VS = bits('PMEVTYPER<n>_EL0', 'VS');

// PMCCFILTR_EL0 and PMICFILTR_EL0 hold P, U, NSK, NSU, NSH and VS where PMEVTYPER<n>_EL0 does
// (D24.5.1, D24.5.14, D24.5.12); checked once when the module loads.
for (const reg of ['PMCCFILTR_EL0', 'PMICFILTR_EL0']) {
  for (const [name, b] of [
    ['P', FILTER_P],
    ['U', FILTER_U],
    ['NSK', FILTER_NSK],
    ['NSU', FILTER_NSU],
    ['NSH', FILTER_NSH],
    ['VS', FILTER_VS],
  ] as const) {
    if (bits(reg, name).mask !== b.mask)
      throw new Error(`internal: ${reg}.${name} is not where PMEVTYPER has it`);
  }
}

/**
 * PMCR_EL0.DP is implemented when EL3 is, or FEAT_PMUv3p1 and EL2 (always in the model), or
 * FEAT_PMUv3p7, or FEAT_SPE_DPFZS; otherwise it is RES0 (D24.5.8 PMCR_EL0.DP).
 */
function pmcrDP(pe: PeState): boolean {
  const implemented =
    haveEL3(pe) ||
    isFeatureImplemented(pe, 'FEAT_PMUv3p1') ||
    isFeatureImplemented(pe, 'FEAT_PMUv3p7') ||
    isFeatureImplemented(pe, 'FEAT_SPE_DPFZS');
  return implemented && isSet(pe.regs.PMCR_EL0, PMCR_DP);
}

/**
 * ExternalSecureNoninvasiveDebugEnabled(): IMPLEMENTATION DEFINED without FEAT_Debugv8p4, in the
 * recommended interface (DBGEN OR NIDEN) AND (SPIDEN OR SPNIDEN) (J1.3). We model a PE whose
 * debug authentication signals are all LOW, as on a production part: FALSE. It matters only for
 * a CPU without FEAT_Debugv8p2, where it would otherwise lift the HPMD prohibition.
 */
function externalSecureNoninvasiveDebugEnabled(_pe: PeState): boolean {
  return false;
}

/**
 * CountPMUEvents(idx): whether counter `idx` (event counter 0..N-1, CYCLE_COUNTER_ID 31 or
 * INSTRUCTION_COUNTER_ID 32) counts an event that happens now at `el`. `hpmn` is the Effective
 * HPMN (ranges.ts effectiveHPMN()). Follows Arm ARM J1.3.1.93 CountPMUEvents() check by check.
 */
export function countPMUEvents(pe: PeState, idx: number, el: El, hpmn: number): boolean {
  return countPMUEventsAssuming(pe, idx, el, hpmn, undefined);
}

/**
 * CountPMUEvents(idx) with the answer of ShouldPMUFreeze() for the counter's range given as
 * `shouldFreeze` instead of read from PMOVSSET_EL0 (`undefined`: read it). Batch counting uses it
 * to ask how a counter behaves before and after its range's freeze trigger.
 */
export function countPMUEventsAssuming(
  pe: PeState,
  idx: number,
  el: El,
  hpmn: number,
  shouldFreeze: boolean | undefined,
): boolean {
  const counters = pe.config.n;
  if (
    !(
      idx === CYCLE_COUNTER_ID ||
      (idx >= 0 && idx < counters) ||
      (idx === INSTRUCTION_COUNTER_ID && isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR'))
    )
  ) {
    throw new Error(`internal: CountPMUEvents(${idx}) with N = ${counters}`);
  }
  const regs = pe.regs;
  // Event counting is disabled in Debug state; the model's PE is never halted.
  const debug = false;
  // Software can reserve some counters.
  const counterRange = getPMUCounterRange(idx, hpmn);

  // Main enable controls.
  const globalEn = counterRange === 'R1' ? isSet(regs.PMCR_EL0, PMCR_E) : isSet(regs.MDCR_EL2, MDCR_EL2_HPME);
  // PMCNTENSET_EL0.F0 is bit 32, PMCNTENSET_EL0.C bit 31, P<n> bit n.
  let counterEn = ((regs.PMCNTENSET_EL0 >> BigInt(idx)) & 1n) === 1n;
  // Event counter <n> does not count when FEAT_SEBEP is implemented, PMEVTYPER<n>_EL0.SYNC is 1,
  // and the counter is configured to count an event that is not a synchronous event.
  if (
    idx !== CYCLE_COUNTER_ID &&
    idx !== INSTRUCTION_COUNTER_ID &&
    isFeatureImplemented(pe, 'FEAT_SEBEP') &&
    isSet(pe.typer[idx]!, PMEVTYPER_SYNC) &&
    !isSupportingPMUSynchronousMode(pe, evtCount(pe, idx))
  ) {
    counterEn = false;
  }
  let enabled = globalEn && counterEn;

  // Event counting is allowed unless it is prohibited by any rule below.
  let prohibited = false;
  // (The rules for Secure state and EL3, MDCR_EL3.SPME and MPMX, do not apply in Non-secure state
  // below EL3.)
  // Event counting at EL2 is prohibited if FEAT_PMUv3p1 is implemented, the counter is not
  // reserved for EL2, and MDCR_EL2.HPMD is 1.
  if (!prohibited && el === 2 && isFeatureImplemented(pe, 'FEAT_PMUv3p1') && counterRange === 'R1') {
    prohibited = isSet(regs.MDCR_EL2, MDCR_EL2_HPMD);
  }
  // The IMPLEMENTATION DEFINED authentication interface might override software.
  if (prohibited && !isFeatureImplemented(pe, 'FEAT_Debugv8p2')) {
    prohibited = !externalSecureNoninvasiveDebugEnabled(pe);
  }

  // If FEAT_PMUv3p7 is implemented, event counting can be frozen.
  let frozen: boolean;
  if (isFeatureImplemented(pe, 'FEAT_PMUv3p7')) {
    const fz = counterRange === 'R1' ? isSet(regs.PMCR_EL0, PMCR_FZO) : isSet(regs.MDCR_EL2, MDCR_EL2_HPMFZO);
    frozen = fz && (shouldFreeze ?? shouldPMUFreeze(pe, counterRange, hpmn));
    // SPEFreezeOnEvent(idx) is FALSE: the model holds no SPE state (D13.5.2.2).
  } else {
    frozen = false;
  }

  // PMCR_EL0.DP disables the cycle counter when event counting is prohibited or frozen;
  // otherwise whether event counting is prohibited or frozen does not affect the cycle counter.
  if ((prohibited || frozen) && idx === CYCLE_COUNTER_ID) {
    enabled = enabled && !pmcrDP(pe);
    prohibited = false;
    frozen = false;
  }
  // If FEAT_PMUv3p5 is implemented, cycle counting can be prohibited at EL2 by MDCR_EL2.HCCD.
  // This is not overridden by PMCR_EL0.DP. (MDCR_EL3.SCCD and MCCD apply in Secure state or at EL3.)
  if (isFeatureImplemented(pe, 'FEAT_PMUv3p5') && idx === CYCLE_COUNTER_ID) {
    if (el === 2 && isSet(regs.MDCR_EL2, MDCR_EL2_HCCD)) prohibited = true;
  }

  // Event counting can be filtered by the {P, U, NSK, NSU, NSH} bits (Non-secure state).
  const filter = pe.typer[idx]! & 0xffff_ffffn;
  const p = isSet(filter, FILTER_P);
  const u = isSet(filter, FILTER_U);
  const nsk = haveEL3(pe) ? isSet(filter, FILTER_NSK) : false;
  const nsu = haveEL3(pe) ? isSet(filter, FILTER_NSU) : false;
  const nsh = isSet(filter, FILTER_NSH); // HaveEL(EL2) is TRUE in the model.
  let filtered: boolean;
  switch (el) {
    case 0:
      filtered = u !== nsu;
      break;
    case 1:
      filtered = p !== nsk;
      break;
    case 2:
      filtered = !nsh;
      break;
  }
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_SME')) {
    // PSTATE.SM is not modelled: the PE is not in Streaming SVE mode. VS == 0b11 is reserved
    // (ConstrainUnpredictableBool(Unpredictable_RES_PMU_VS)); we choose the bitwise reading,
    // which filters, as VS<1> == 1 does.
    const vs = get(pe.typer[idx]!, FILTER_VS);
    filtered = filtered || (vs & 0b10n) !== 0n;
  }
  return !debug && enabled && !prohibited && !filtered && !frozen;
}
