// SPDX-License-Identifier: MIT
/**
 * The counter partition: the Effective HPMN, the range of each counter, how many counters the
 * current Exception level can see, and the masks applied to the bitmap registers. Each function
 * follows the ASL function of the same name in the Arm ARM DDI0487 M.a.a, J1.3 shared/debug/pmu.
 *
 * FEAT_PMUv3_EXTPMN's third range is not modelled: EffectiveEPMN() is N (PMCCR is an external
 * register the model does not hold).
 *
 * @module
 */

import { type Choices, type Constrained, constrainUnpredictable } from '../unpredictable.js';
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

const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');
const MDCR_EL3_ENPM2 = bits('MDCR_EL3', 'EnPM2');
const HCR_E2H = bits('HCR_EL2', 'E2H');
const HCR_TGE = bits('HCR_EL2', 'TGE');
const SCR_FGTEN2 = bits('SCR_EL3', 'FGTEn2');
const PMUSERENR_UEN = bits('PMUSERENR_EL0', 'UEN');
const PMUSERENR_IR = bits('PMUSERENR_EL0', 'IR');
const PMUSERENR_CR = bits('PMUSERENR_EL0', 'CR');
const PMUSERENR_ER = bits('PMUSERENR_EL0', 'ER');
const HDFGRTR2_NPMICFILTR = bits('HDFGRTR2_EL2', 'nPMICFILTR_EL0');
const HDFGWTR2_NPMICFILTR = bits('HDFGWTR2_EL2', 'nPMICFILTR_EL0');
const HDFGWTR2_NPMICNTR = bits('HDFGWTR2_EL2', 'nPMICNTR_EL0');

/** The first range (guest) or the second range (reserved for EL2). J1.3 PMUCounterRange. */
export type PMUCounterRange = 'R1' | 'R2';

/**
 * EL2Enabled(): always TRUE in the model, which places the PE in Non-secure state with EL2
 * implemented and enabled (DESIGN.md). Kept as a function so each rule reads as the ASL does.
 */
export function el2Enabled(_pe: PeState): boolean {
  return true;
}

/** ELIsInHost(EL0): EL2 enabled and HCR_EL2.{E2H, TGE} == {1, 1}. Arm ARM J1.1 ELIsInHost(). */
export function elIsInHost(pe: PeState, el: El): boolean {
  if (el !== 0 && el !== 2) return false;
  const hcr = pe.regs.HCR_EL2;
  if (el === 2) return isFeatureImplemented(pe, 'FEAT_VHE') && isSet(hcr, HCR_E2H);
  return el2Enabled(pe) && isSet(hcr, HCR_E2H) && isSet(hcr, HCR_TGE);
}

const RES_HPMN_LISTS: (readonly string[])[] = [];

/** The RES_HPMN behaviours for N counters: all in the second range, or as if HPMN were 1..N. */
function resHpmnBehaviours(n: number): readonly string[] {
  let list = RES_HPMN_LISTS[n];
  if (list === undefined) {
    list = ['all-second-range', ...Array.from({ length: n }, (_, i) => `hpmn-${i + 1}`)];
    RES_HPMN_LISTS[n] = list;
  }
  return list;
}

/**
 * EffectiveHPMN(): MDCR_EL2.HPMN, or, when it holds a reserved value (greater than N, or 0
 * without FEAT_HPMN0), the caller's choice of the permitted behaviours (Arm ARM D24.3.17
 * MDCR_EL2.HPMN; J1.3 EffectiveHPMN() ConstrainUnpredictableBits(Unpredictable_RES_HPMN)).
 * The value 0 stands for "all counters in the second range".
 */
export function effectiveHPMN(pe: PeState, choices: Choices): Constrained<number> {
  const n = pe.config.n;
  let hpmn = Number(get(pe.regs.MDCR_EL2, MDCR_EL2_HPMN));
  // "When FEAT_PMUv3_EXTPMN is implemented, out of range values are capped" (EffectiveEPMN() = N here).
  if (hpmn > n && isFeatureImplemented(pe, 'FEAT_PMUv3_EXTPMN')) hpmn = n;
  if (hpmn > n || (hpmn === 0 && !isFeatureImplemented(pe, 'FEAT_HPMN0'))) {
    // With no event counters the only permitted behaviour is "all counters in the second range",
    // and the first and second ranges are both empty whatever HPMN holds: no choice arises
    // (K1.2.6.3 applies the case only when NUM_PMU_COUNTERS is nonzero).
    if (n === 0) return { kind: 'value', value: 0 };
    const c = constrainUnpredictable('RES_HPMN', resHpmnBehaviours(n), choices);
    if (c.kind === 'unpredictable') return c;
    const value = c.behaviour === 'all-second-range' ? 0 : Number(c.behaviour.slice('hpmn-'.length));
    return { kind: 'value', value, via: 'RES_HPMN' };
  }
  return { kind: 'value', value: hpmn };
}

/**
 * GetPMUCounterRange(): first range for n < HPMN and for the cycle and instruction counters,
 * second range for HPMN <= n < N. `hpmn` is the Effective HPMN. Independent of the current EL
 * (Arm ARM D13.1.1 "Event counter ranges"; J1.3 GetPMUCounterRange()).
 */
export function getPMUCounterRange(idx: number, hpmn: number): PMUCounterRange {
  if (idx === CYCLE_COUNTER_ID || idx === INSTRUCTION_COUNTER_ID) return 'R1';
  return idx < hpmn ? 'R1' : 'R2';
}

/**
 * GetNumEventCountersAccessible(): HPMN at EL1 and EL0 when EL2 is enabled (the EL2&0 host EL0
 * included), else N (J1.3 GetNumEventCountersAccessible()).
 */
export function getNumEventCountersAccessible(pe: PeState, el: El, hpmn: number): number {
  return (el === 0 || el === 1) && el2Enabled(pe) ? hpmn : pe.config.n;
}

function ones(count: number): bigint {
  return count > 0 ? (1n << BigInt(count)) - 1n : 0n;
}

const BIT_CYCLE = 1n << BigInt(CYCLE_COUNTER_ID);
const BIT_INSTR = 1n << BigInt(INSTRUCTION_COUNTER_ID);

/** GetPMUAccessMask(): the counters accessible at `el` (J1.3 GetPMUAccessMask()). */
export function getPMUAccessMask(pe: PeState, el: El, hpmn: number): bigint {
  let mask = 0n;
  const uen = isFeatureImplemented(pe, 'FEAT_PMUv3p9') && isSet(pe.regs.PMUSERENR_EL0, PMUSERENR_UEN);
  // PMICNTR_EL0 is only accessible at EL0 when PMUSERENR_EL0.UEN is 1.
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR') && (el !== 0 || uen)) mask |= BIT_INSTR;
  // PMCCNTR_EL0 is always implemented and accessible.
  mask |= BIT_CYCLE;
  mask |= ones(getNumEventCountersAccessible(pe, el, hpmn));
  // EL0 with UEN: PMUACR_EL1 filters the accessible counters.
  if (el === 0 && uen) mask &= pe.regs.PMUACR_EL1;
  return mask;
}

/** Whether an EL1/EL0 control access to the instruction counter's bits is cut off by EL3 or EL2. */
function icntrControlBlocked(pe: PeState, el: El, fgt2Bit: bigint): boolean {
  // Trap to EL3: MDCR_EL3.EnPM2 == 0.
  if (haveEL3(pe) && get(pe.regs.MDCR_EL3, MDCR_EL3_ENPM2) === 0n) return true;
  // Trap to EL2: FGT2 n-bit 0, or EL3 has not set SCR_EL3.FGTEn2 (the n-bits are then treated as 0).
  const hcr = pe.regs.HCR_EL2;
  if (el2Enabled(pe) && (el === 0 || el === 1) && !(isSet(hcr, HCR_E2H) && isSet(hcr, HCR_TGE))) {
    if (!isFeatureImplemented(pe, 'FEAT_FGT2')) return false;
    return (haveEL3(pe) && !isSet(pe.regs.SCR_EL3, SCR_FGTEN2)) || fgt2Bit === 0n;
  }
  return false;
}

/**
 * GetPMUReadMask(): masks reads of PMCNTENSET/CLR_EL0, PMINTENSET/CLR_EL1, PMOVSSET/CLR_EL0.
 * The instruction counter's bit reads as zero if a read of PMICFILTR_EL0 would trap (J1.3).
 */
export function getPMUReadMask(pe: PeState, el: El, hpmn: number): bigint {
  let mask = getPMUAccessMask(pe, el, hpmn);
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR') && (mask & BIT_INSTR) !== 0n) {
    const nbit = get(pe.regs.HDFGRTR2_EL2, HDFGRTR2_NPMICFILTR);
    if (icntrControlBlocked(pe, el, nbit)) mask &= ~BIT_INSTR;
  }
  return mask;
}

/**
 * GetPMUWriteMask(write_counter): masks writes of the bitmap registers and PMZR_EL0
 * (`writeCounter` TRUE for PMZR_EL0). At EL0 with UEN, PMUSERENR_EL0.IR/CR/ER make the
 * instruction, cycle and event counters read-only (J1.3 GetPMUWriteMask()).
 */
export function getPMUWriteMask(pe: PeState, el: El, hpmn: number, writeCounter: boolean): bigint {
  let mask = getPMUAccessMask(pe, el, hpmn);
  const userenr = pe.regs.PMUSERENR_EL0;
  if (isFeatureImplemented(pe, 'FEAT_PMUv3p9') && el === 0 && isSet(userenr, PMUSERENR_UEN)) {
    if (isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR') && isSet(userenr, PMUSERENR_IR)) mask &= ~BIT_INSTR;
    if (isSet(userenr, PMUSERENR_CR)) mask &= ~BIT_CYCLE;
    if (isSet(userenr, PMUSERENR_ER)) mask &= ~ones(31);
  }
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR') && (mask & BIT_INSTR) !== 0n) {
    const nbit = get(pe.regs.HDFGWTR2_EL2, writeCounter ? HDFGWTR2_NPMICNTR : HDFGWTR2_NPMICFILTR);
    if (icntrControlBlocked(pe, el, nbit)) mask &= ~BIT_INSTR;
  }
  return mask;
}
