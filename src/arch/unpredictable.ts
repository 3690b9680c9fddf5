// SPDX-License-Identifier: MIT
/**
 * Every CONSTRAINED UNPREDICTABLE case the model can meet, with the behaviours the Arm ARM
 * permits for it. The model never picks one silently: a step that meets a case answers
 * `unpredictable` with the permitted behaviours, unless the caller chose one (`Choices`).
 *
 * @module
 */

/** The names of the cases, after the ASL's Unpredictable_* identifiers where there is one. */
export type RuleName =
  | 'RES_HPMN'
  | 'PMUEVENTCOUNTER'
  | 'PMSELR_SEL'
  | 'COUNT_CHAIN'
  | 'RES_HPMN_READ'
  | 'FREEZE_OVERFLOW'
  | 'NVNV1'
  | 'RES_PMEE';

/** One CONSTRAINED UNPREDICTABLE case. */
export interface UnpredictableRule {
  readonly name: RuleName;
  /** The ASL identifier, where the case has one. */
  readonly asl?: string;
  /** The Arm ARM text that makes the case CONSTRAINED UNPREDICTABLE. */
  readonly source: string;
  /** When the case arises, in words. */
  readonly when: string;
  /**
   * The permitted behaviours. `<k>` stands for a number the caller picks within the range given
   * in the meaning (the set offered in an answer lists each concrete name).
   */
  readonly behaviours: readonly { readonly name: string; readonly meaning: string }[];
}

/** The table. */
export const UNPREDICTABLE_RULES: readonly UnpredictableRule[] = [
  {
    name: 'RES_HPMN',
    asl: 'Unpredictable_RES_HPMN',
    source: 'Arm ARM D24.3.17 MDCR_EL2.HPMN; D13.1.1; J1.3 EffectiveHPMN()',
    when: 'MDCR_EL2.HPMN is greater than N, or is 0 and FEAT_HPMN0 is not implemented (FEAT_PMUv3_EXTPMN not implemented)',
    behaviours: [
      { name: 'hpmn-<k>', meaning: 'The PE behaves as if MDCR_EL2.HPMN were k, a nonzero value <= N' },
      { name: 'all-second-range', meaning: 'All event counters are in the second range, none in the first' },
    ],
  },
  {
    name: 'RES_HPMN_READ',
    source:
      'Arm ARM D24.3.17 MDCR_EL2.HPMN: "The value returned by a direct read of MDCR_EL2.HPMN is UNKNOWN"',
    when: 'A direct read of MDCR_EL2 while HPMN holds a reserved value',
    behaviours: [
      { name: 'value-written', meaning: 'HPMN reads as the value written (one permitted UNKNOWN value)' },
      { name: 'hpmn-<k>', meaning: 'HPMN reads as k, 0..31 (any UNKNOWN value)' },
    ],
  },
  {
    name: 'PMUEVENTCOUNTER',
    asl: 'Unpredictable_PMUEVENTCOUNTER',
    source:
      'Arm ARM D24.5.10 PMEVCNTR<n>_EL0, D24.5.12 PMEVTYPER<n>_EL0, D24.5.27 PMXEVCNTR_EL0, D24.5.28 PMXEVTYPER_EL0 ("Accessing ...")',
    when: 'FEAT_FGT not implemented, and the counter index (n, or PMSELR_EL0.SEL) is >= N, or is >= HPMN for an EL1 or EL0 access',
    behaviours: [
      { name: 'undefined', meaning: 'The access is UNDEFINED' },
      { name: 'raz-wi', meaning: 'The access behaves as RAZ/WI' },
      { name: 'nop', meaning: 'The access executes as a NOP' },
      {
        name: 'as-index-<k>',
        meaning:
          'The access behaves as if the index were k, an UNKNOWN value <= the highest accessible counter index',
      },
      {
        name: 'trap-el2',
        meaning: 'Trapped to EL2 (only for an EL1 or permitted EL0 access when the index is < N)',
      },
    ],
  },
  {
    name: 'PMSELR_SEL',
    source:
      'Arm ARM D24.5.22 PMSELR_EL0.SEL: a value >= N other than 31 without FEAT_FGT: direct reads return UNKNOWN',
    when: 'A direct read of PMSELR_EL0 while SEL holds a value >= N that is not 31, FEAT_FGT not implemented',
    behaviours: [
      { name: 'value-written', meaning: 'SEL reads as the value written (one permitted UNKNOWN value)' },
      { name: 'sel-<k>', meaning: 'SEL reads as k, 0..31 (any UNKNOWN value)' },
    ],
  },
  {
    name: 'COUNT_CHAIN',
    asl: 'Unpredictable_COUNT_CHAIN',
    source: 'Arm ARM J1.1.1.47 AArch64.IncrementEventCounter(): counters idx and idx+1 in different ranges',
    when: 'An even counter overflows (32-bit) and the odd counter above it, counting CHAIN, is in another range',
    behaviours: [
      { name: 'chain', meaning: 'The CHAIN event is counted by the odd counter' },
      { name: 'no-chain', meaning: 'The CHAIN event is not counted' },
    ],
  },
  {
    name: 'FREEZE_OVERFLOW',
    source:
      'Arm ARM D13.5.2.1: with PMCR_EL0.FZO or MDCR_EL2.HPMFZO 1, "it is CONSTRAINED UNPREDICTABLE whether any event happening at or about the same time as the event that caused the overflow is counted"; ITLHSZ (CHAIN)',
    when: 'A counter of a range whose freeze-on-overflow control (FZO, HPMFZO) is 1 overflows, and another counter of that range counts the overflowing occurrence or a later one of the same step',
    behaviours: [
      {
        name: 'sequential',
        meaning:
          'Counters are updated in the ASL order (PMICNTR, PMEVCNTR0..N-1, PMCCNTR): those before the overflowing counter in the same occurrence count it, those after it (and its CHAIN) do not',
      },
      {
        name: 'whole-occurrence',
        meaning:
          'Every counter of the range counts the occurrence that overflows (an event at the same time); none counts a later one',
      },
      {
        name: 'one-later',
        meaning:
          'The range freezes one occurrence late: its counters count the overflowing occurrence and the next one (an event about the same time)',
      },
    ],
  },
  {
    name: 'NVNV1',
    asl: 'Unpredictable_NVNV1',
    source: 'Arm ARM J1.3 EffectiveHCR_EL2_NVx(); D24.2 HCR_EL2.NV1',
    when: 'An EL1 access to an EL2 register with FEAT_NV and HCR_EL2.{NV,NV1} = {0,1}',
    behaviours: [
      {
        name: 'nvnv1-00',
        meaning: 'Effective {NV,NV1} = {0,0} (Constraint_NVNV1_00): the access is UNDEFINED',
      },
      {
        name: 'nvnv1-01',
        meaning: 'Effective {NV,NV1} = {0,1} (Constraint_NVNV1_01): the access is UNDEFINED',
      },
      {
        name: 'nvnv1-11',
        meaning: 'Effective {NV,NV1} = {1,1} (Constraint_NVNV1_11): the access traps to EL2',
      },
    ],
  },
  {
    name: 'RES_PMEE',
    asl: 'Unpredictable_RESPMEE',
    source:
      'Arm ARM J1.1.1.34 EffectivePMEE(); D24.3.17 MDCR_EL2.PMEE, D24.3.18 MDCR_EL3.PMEE (0b10 reserved)',
    when: 'FEAT_EBEP and MDCR_EL2.PMEE or MDCR_EL3.PMEE holds the reserved value 0b10, when counting or asking PMUIRQ',
    behaviours: [
      {
        name: 'disabled',
        meaning: 'Constraint_DISABLED: PMUIRQ and the PMU Profiling exception are both disabled',
      },
      { name: 'pmee-00', meaning: 'As if PMEE were 0b00 (an UNKNOWN defined value)' },
      { name: 'pmee-01', meaning: 'As if PMEE were 0b01 (an UNKNOWN defined value)' },
      { name: 'pmee-11', meaning: 'As if PMEE were 0b11 (an UNKNOWN defined value)' },
    ],
  },
];

/** The behaviour a caller chose for each case it wants the model to go through. */
export type Choices = Readonly<Partial<Record<RuleName, string>>>;

/** The answer of a step that meets a case with no choice. */
export interface Unpredictable {
  readonly kind: 'unpredictable';
  readonly rule: RuleName;
  /** The concrete names of the permitted behaviours in this situation. */
  readonly allowed: readonly string[];
}

/** A value, or a case that needs a choice. `via` names the case a chosen behaviour resolved. */
export type Constrained<T> =
  | { readonly kind: 'value'; readonly value: T; readonly via?: RuleName }
  | Unpredictable;

/** Looks up the rule for a name. */
export function unpredictableRule(name: RuleName): UnpredictableRule {
  const r = UNPREDICTABLE_RULES.find((x) => x.name === name);
  if (r === undefined) throw new Error(`internal: no rule ${name}`);
  return r;
}

/**
 * ConstrainUnpredictable(): the chosen behaviour for `rule` if the caller chose one of `allowed`,
 * else the `unpredictable` answer. A choice outside `allowed` also answers `unpredictable`. A
 * case with a single permitted behaviour is no choice: that behaviour is taken (K1.2.1: the PE
 * follows one of the permitted behaviours).
 */
export function constrainUnpredictable(
  rule: RuleName,
  allowed: readonly string[],
  choices: Choices,
): { readonly kind: 'chosen'; readonly behaviour: string } | Unpredictable {
  if (allowed.length === 1) return { kind: 'chosen', behaviour: allowed[0]! };
  const chosen = choices[rule];
  if (chosen !== undefined && allowed.includes(chosen)) return { kind: 'chosen', behaviour: chosen };
  return { kind: 'unpredictable', rule, allowed };
}
