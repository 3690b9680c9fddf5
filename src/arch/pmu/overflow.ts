// SPDX-License-Identifier: MIT
/**
 * The overflow condition and what it drives: the freeze-on-overflow test of each range, the
 * overflow interrupt request PMUIRQ, and whether the PMU Profiling exception (FEAT_EBEP) replaces
 * it. Each function follows the ASL function of the same name in the Arm ARM DDI0487 M.a.a
 * (J1.3 shared/debug/pmu, J1.1 aarch64/debug/pmu).
 *
 * FEAT_PMUv3_EXTPMN's third range is not modelled, so `include_r3` is dropped. PMECR_EL1 is not
 * held by the model: it reads as 0 (PMEE = 0b00) as every register not given does (DESIGN.md).
 *
 * @module
 */

import { type Choices, type Constrained, constrainUnpredictable } from '../unpredictable.js';
import { getPMUCounterRange, type PMUCounterRange } from './ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  get,
  haveEL3,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
  put,
} from './state.js';

const PMCR_E = bits('PMCR_EL0', 'E');
const MDCR_EL2_HPME = bits('MDCR_EL2', 'HPME');
const MDCR_EL2_PMEE = bits('MDCR_EL2', 'PMEE');
const MDCR_EL3_PMEE = bits('MDCR_EL3', 'PMEE');
const PMEVTYPER_SYNC = bits('PMEVTYPER<n>_EL0', 'SYNC');
const PMICFILTR_SYNC = bits('PMICFILTR_EL0', 'SYNC');

const BIT_CYCLE = 1n << BigInt(CYCLE_COUNTER_ID);
const BIT_INSTR = 1n << BigInt(INSTRUCTION_COUNTER_ID);

/** J1.3 PMUOverflowCondition: why the overflow condition is evaluated. */
export type PMUOverflowCondition = 'PMUException' | 'BRBEFreeze' | 'Freeze' | 'IRQ' | 'EDBGRQ';

/**
 * CheckPMUOverflowCondition(reason, include_r1, include_r2): whether any overflow flag in
 * PMOVSSET_EL0 counts for `reason`. `include_r1` covers the first range, PMCCNTR_EL0 and
 * PMICNTR_EL0; `include_r2` the second range (Arm ARM J1.3.1.91).
 */
export function checkPMUOverflowCondition(
  pe: PeState,
  reason: PMUOverflowCondition,
  includeR1: boolean,
  includeR2: boolean,
  hpmn: number,
): boolean {
  // 'reason' is decoded into check_e (the range's global enable), check_inten (PMINTENSET_EL1),
  // exclude_cyc (PMCCNTR_EL0 not checked) and exclude_sync (counters in synchronous mode not checked).
  let checkE: boolean;
  let checkInten: boolean;
  let excludeCyc: boolean;
  let excludeSync: boolean;
  switch (reason) {
    case 'PMUException':
      checkE = true;
      checkInten = true;
      excludeCyc = false;
      excludeSync = isFeatureImplemented(pe, 'FEAT_SEBEP');
      break;
    case 'BRBEFreeze':
    case 'Freeze':
      checkE = false;
      checkInten = false;
      excludeCyc = true;
      excludeSync = isFeatureImplemented(pe, 'FEAT_SEBEP');
      break;
    case 'IRQ':
    case 'EDBGRQ':
      checkE = true;
      checkInten = true;
      excludeCyc = false;
      excludeSync = false;
      break;
  }
  const pmcrE = isSet(pe.regs.PMCR_EL0, PMCR_E);
  const hpme = isSet(pe.regs.MDCR_EL2, MDCR_EL2_HPME);
  const icntr = isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR');
  // ovsf<63:33> = Zeros(31); bit 32 only with FEAT_PMUv3_ICNTR.
  let ovsf = pe.regs.PMOVSSET_EL0 & ((1n << 33n) - 1n);
  if (!icntr) ovsf &= ~BIT_INSTR;
  // Remove unimplemented counters: these fields are RES0.
  const counters = pe.config.n;
  ovsf &= ~(((1n << 31n) - 1n) & ~((1n << BigInt(counters)) - 1n));
  for (let idx = 0; idx < counters; idx++) {
    const bit = 1n << BigInt(idx);
    if ((ovsf & bit) === 0n) continue;
    let globalEn: boolean;
    let include: boolean;
    if (getPMUCounterRange(idx, hpmn) === 'R1') {
      globalEn = pmcrE;
      include = includeR1;
    } else {
      globalEn = hpme;
      include = includeR2;
    }
    let keep = include;
    if (excludeSync && isSet(pe.typer[idx]!, PMEVTYPER_SYNC)) keep = false;
    if (checkE && !globalEn) keep = false;
    if (!keep) ovsf &= ~bit;
  }
  // Cycle counter.
  if (excludeCyc || !includeR1) ovsf &= ~BIT_CYCLE;
  if (checkE && !pmcrE) ovsf &= ~BIT_CYCLE;
  // Instruction counter.
  if (icntr) {
    if (!includeR1) ovsf &= ~BIT_INSTR;
    if (excludeSync && isSet(pe.typer[INSTRUCTION_COUNTER_ID]!, PMICFILTR_SYNC)) ovsf &= ~BIT_INSTR;
    if (checkE && !pmcrE) ovsf &= ~BIT_INSTR;
  }
  // PMINTENCLR_EL1 and PMINTENSET_EL1 are one storage.
  if (checkInten) ovsf &= pe.regs.PMINTENSET_EL1;
  return ovsf !== 0n;
}

/**
 * ShouldPMUFreeze(r): whether an overflow flag of range `r` is set, its counters in synchronous
 * mode and the cycle counter aside; the first range includes PMICNTR_EL0 (J1.3.1.118, D13.5.2.1).
 * The caller checks PMCR_EL0.FZO or MDCR_EL2.HPMFZO.
 */
export function shouldPMUFreeze(pe: PeState, r: PMUCounterRange, hpmn: number): boolean {
  const includeR1 = r === 'R1';
  const includeR2 = r === 'R2';
  return checkPMUOverflowCondition(pe, 'Freeze', includeR1, includeR2, hpmn);
}

/**
 * EffectivePMEE(el, for_interrupt): MDCR_EL3.PMEE, MDCR_EL2.PMEE or PMECR_EL1.PMEE (J1.1.1.34).
 * The reserved encodings (0b10, and 0b01 for PMECR_EL1) are CONSTRAINED UNPREDICTABLE
 * (Unpredictable_RESPMEE): Constraint_DISABLED or an UNKNOWN defined value. This function gives
 * Constraint_DISABLED (PMUIRQ and the PMU Profiling exception both disabled); callers reach it with
 * a reserved value only after resolvePMEE() has asked the caller's choice (rule RES_PMEE).
 */
export function effectivePMEE(pe: PeState, el: 1 | 2 | 3, forInterrupt: boolean): number {
  let val: number;
  if (el === 1)
    val = 0; // PMECR_EL1 is not held by the model: it reads as 0.
  else if (el === 2) val = Number(get(pe.regs.MDCR_EL2, MDCR_EL2_PMEE));
  else val = Number(get(pe.regs.MDCR_EL3, MDCR_EL3_PMEE));
  if (val === 0b10 || (el === 1 && val === 0b01)) val = forInterrupt ? 0b11 : 0b00;
  return val;
}

/**
 * PMUInterruptEnabled(): whether PMUIRQ may be asserted, i.e. FEAT_EBEP is not implemented or the
 * Effective PMEE of the highest controlling Exception level is 0b00 (J1.1.1.39).
 */
export function pmuInterruptEnabled(pe: PeState): boolean {
  if (!isFeatureImplemented(pe, 'FEAT_EBEP')) return true;
  const forInterrupt = true;
  if (haveEL3(pe) && effectivePMEE(pe, 3, forInterrupt) !== 0b01) {
    return effectivePMEE(pe, 3, forInterrupt) === 0b00;
  }
  // EL2Enabled() is TRUE in the model.
  if (effectivePMEE(pe, 2, forInterrupt) !== 0b01) return effectivePMEE(pe, 2, forInterrupt) === 0b00;
  return effectivePMEE(pe, 1, forInterrupt) === 0b00;
}

/**
 * The first result of PMUExceptionEnabled(): whether the PMU Profiling exception is enabled
 * (FEAT_EBEP, Effective PMEE 0b11). It forces the 64-bit overflow of every counter
 * (J1.1.1.37; J1.1.1.46 and .47 use it for LC and LP).
 */
export function pmuExceptionEnabled(pe: PeState): boolean {
  if (!isFeatureImplemented(pe, 'FEAT_EBEP')) return false;
  const forInterrupt = false;
  if (haveEL3(pe) && effectivePMEE(pe, 3, forInterrupt) !== 0b01) {
    return effectivePMEE(pe, 3, forInterrupt) === 0b11;
  }
  if (effectivePMEE(pe, 2, forInterrupt) !== 0b01) return effectivePMEE(pe, 2, forInterrupt) === 0b11;
  return effectivePMEE(pe, 1, forInterrupt) === 0b11;
}

/**
 * Resolves a reserved MDCR_EL2.PMEE or MDCR_EL3.PMEE (0b10) with FEAT_EBEP, which is CONSTRAINED
 * UNPREDICTABLE (J1.1.1.34 EffectivePMEE(): Unpredictable_RESPMEE; D24.3.17 MDCR_EL2.PMEE): the
 * state to compute with, in which the reserved field holds the chosen defined value ('pmee-00',
 * 'pmee-01', 'pmee-11'), or is kept for 'disabled' (Constraint_DISABLED), or the case unresolved.
 * The caller computes with the returned state and keeps the stored PMEE fields as they were.
 */
export function resolvePMEE(pe: PeState, choices: Choices): Constrained<PeState> {
  if (!isFeatureImplemented(pe, 'FEAT_EBEP')) return { kind: 'value', value: pe };
  const el2Reserved = get(pe.regs.MDCR_EL2, MDCR_EL2_PMEE) === 0b10n;
  const el3Reserved = haveEL3(pe) && get(pe.regs.MDCR_EL3, MDCR_EL3_PMEE) === 0b10n;
  if (!el2Reserved && !el3Reserved) return { kind: 'value', value: pe };
  const c = constrainUnpredictable('RES_PMEE', ['disabled', 'pmee-00', 'pmee-01', 'pmee-11'], choices);
  if (c.kind === 'unpredictable') return c;
  if (c.behaviour === 'disabled') return { kind: 'value', value: pe, via: 'RES_PMEE' };
  const v = BigInt(Number.parseInt(c.behaviour.slice('pmee-'.length), 2));
  let regs = pe.regs;
  if (el2Reserved) regs = { ...regs, MDCR_EL2: put(regs.MDCR_EL2, MDCR_EL2_PMEE, v) };
  if (el3Reserved) regs = { ...regs, MDCR_EL3: put(regs.MDCR_EL3, MDCR_EL3_PMEE, v) };
  return { kind: 'value', value: { ...pe, regs }, via: 'RES_PMEE' };
}

/** `computed` with the PMEE fields of `stored` put back (a resolution never changes the registers). */
export function restorePMEE(stored: PeState, computed: PeState): PeState {
  if (stored.regs.MDCR_EL2 === computed.regs.MDCR_EL2 && stored.regs.MDCR_EL3 === computed.regs.MDCR_EL3) {
    return computed;
  }
  const regs = {
    ...computed.regs,
    MDCR_EL2: put(computed.regs.MDCR_EL2, MDCR_EL2_PMEE, get(stored.regs.MDCR_EL2, MDCR_EL2_PMEE)),
    MDCR_EL3: put(computed.regs.MDCR_EL3, MDCR_EL3_PMEE, get(stored.regs.MDCR_EL3, MDCR_EL3_PMEE)),
  };
  return { ...computed, regs };
}
