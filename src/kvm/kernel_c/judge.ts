// SPDX-License-Identifier: MIT
/**
 * Judging compiled kernel functions on their own, without a model policy: over a set of inputs,
 * the inputs on which the MDCR_EL2.HPMN they program is reserved on the CPU, the guest's
 * PMCR_EL0.N is not the count the VMM asked for, or HPMN hands host-owned counters to the guest;
 * for each rule the number of violating inputs and the minimal one.
 *
 * @module
 */

import type { PolicyInputs } from '../policy.js';
import { hpmnReserved } from '../result.js';
import { fieldGet, fieldPrep, MDCR_EL2_HPMN, registerDef } from '../sysreg.js';
import type { CompiledDriver } from './compile.js';
import { consistentInputs, inputWeight } from './grid.js';
import { type CompiledValues, type DriverResults, valuesAt } from './run.js';

/** What a rule reads of one input. */
interface Case {
  readonly inputs: PolicyInputs;
  readonly values: CompiledValues;
  /** MDCR_EL2.HPMN as programmed: the field of MDCR_EL2, else FIELD_PREP() of the HPMN value. */
  readonly hpmnField?: number;
}

/** One rule the compiled functions are judged by. */
export interface JudgeRule {
  readonly code: 'hpmn-reserved' | 'guest-pmcr-n' | 'host-counters-in-first-range';
  /** The rule in one line, with its source. */
  readonly description: string;
  /** Whether the rule can be judged: the functions compute what it reads. */
  readonly applies: (driver: CompiledDriver) => boolean;
  /** Whether the rule is judged on this input (some choice satisfies it there). */
  readonly judged: (c: Case) => boolean;
  /** Whether the input violates the rule; its message when it does. */
  readonly violation: (c: Case) => string | undefined;
}

const MDCR_SECTION = registerDef('MDCR_EL2').section;
const PMCR_SECTION = registerDef('PMCR_EL0').section;

/** Some HPMN value is not reserved on this CPU: N > 0, or FEAT_HPMN0 allows 0 (MDCR_EL2.HPMN). */
const someHpmnLegal = (i: PolicyInputs): boolean => i.hostCounters > 0 || i.hasHpmn0;

const hasHpmn = (d: CompiledDriver): boolean =>
  d.plan.primaryHpmn !== undefined || d.plan.setup !== undefined;

/** The rules, in report order. */
export const JUDGE_RULES: readonly JudgeRule[] = [
  {
    code: 'hpmn-reserved',
    // Arm ARM D24.3.17 MDCR_EL2.HPMN: values above PMCR_EL0.N are reserved, and 0 is reserved
    // without FEAT_HPMN0; a reserved value is CONSTRAINED UNPREDICTABLE. Judged where some value is
    // legal (not on a CPU with N = 0 and no FEAT_HPMN0).
    description: `MDCR_EL2.HPMN is not reserved on the CPU: at most its PMCR_EL0.N, and 0 only with FEAT_HPMN0 (Arm ARM ${MDCR_SECTION} MDCR_EL2.HPMN)`,
    applies: hasHpmn,
    judged: (c) => someHpmnLegal(c.inputs),
    violation: (c) => {
      const h = c.hpmnField;
      if (h === undefined || !hpmnReserved(h, c.inputs)) return undefined;
      return h > c.inputs.hostCounters
        ? `MDCR_EL2.HPMN = ${h} on a CPU with N = ${c.inputs.hostCounters}`
        : 'MDCR_EL2.HPMN = 0 without FEAT_HPMN0';
    },
  },
  {
    code: 'guest-pmcr-n',
    // Documentation/virt/kvm/devices/vcpu.rst KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS: the VMM sets the
    // number of counters the guest sees in PMCR_EL0.N. Judged where the request fits this CPU.
    description: `the guest's PMCR_EL0.N is nr_pmu_counters, the count the VMM set with KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, whenever it fits the CPU (Arm ARM ${PMCR_SECTION} PMCR_EL0.N; KVM vcpu.rst)`,
    applies: (d) => d.plan.guest !== undefined,
    judged: (c) => c.inputs.nrPmuCounters <= c.inputs.hostCounters,
    violation: (c) =>
      c.values.guestPmcrN === undefined || c.values.guestPmcrN === c.inputs.nrPmuCounters
        ? undefined
        : `guest PMCR_EL0.N = ${c.values.guestPmcrN}; nr_pmu_counters = ${c.inputs.nrPmuCounters}`,
  },
  {
    code: 'host-counters-in-first-range',
    // Arm ARM D24.3.17 MDCR_EL2.HPMN: counters below HPMN are in the first range, the guest's.
    // hpmn_max (v5 07/24) is where the host's reserved counters start. Judged for a partitioned
    // vCPU on a CPU of its VM's PMU (elsewhere hpmn_max describes another PMU) whose request fits
    // hpmn_max (the ioctl check of v6 10/19), where a legal HPMN <= hpmn_max exists (hpmn_max > 0,
    // or FEAT_HPMN0).
    description: `a partitioned vCPU's MDCR_EL2.HPMN leaves the host's counters (from hpmn_max up) in the second range (Arm ARM ${MDCR_SECTION} MDCR_EL2.HPMN)`,
    applies: hasHpmn,
    judged: (c) =>
      c.inputs.partitioned &&
      !c.inputs.onUnsupportedCpu &&
      c.inputs.hpmnMax >= 0 &&
      c.inputs.nrPmuCounters <= c.inputs.hpmnMax &&
      (c.inputs.hpmnMax > 0 || c.inputs.hasHpmn0) &&
      someHpmnLegal(c.inputs),
    violation: (c) => {
      const h = c.hpmnField;
      if (h === undefined || hpmnReserved(h, c.inputs) || h <= c.inputs.hpmnMax) return undefined;
      const counters =
        h - 1 === c.inputs.hpmnMax ? `counter ${h - 1}` : `counters ${c.inputs.hpmnMax}..${h - 1}`;
      return `MDCR_EL2.HPMN = ${h} puts host ${counters} (hpmn_max = ${c.inputs.hpmnMax}) in the guest's range`;
    },
  },
];

/** One rule's verdict. */
export interface RuleVerdict {
  readonly code: JudgeRule['code'];
  readonly description: string;
  /** False when the functions do not compute what the rule reads. */
  readonly applies: boolean;
  /** Inputs the rule was judged on. */
  readonly judged: number;
  readonly violated: number;
  /** The minimal violating input (fewest switches on, then the smallest counts), with its message. */
  readonly minimal?: {
    readonly index: number;
    readonly inputs: PolicyInputs;
    readonly values: CompiledValues;
    readonly message: string;
  };
}

/**
 * MDCR_EL2.HPMN as the functions program it: the field of MDCR_EL2, or the HPMN value through
 * FIELD_PREP(), which keeps its low bits (include/linux/bitfield.h; HPMN is MDCR_EL2[4:0]).
 */
function hpmnFieldOf(v: CompiledValues): number | undefined {
  if (v.mdcrEl2 !== undefined) return fieldGet(MDCR_EL2_HPMN, v.mdcrEl2);
  if (v.hpmn !== undefined) return fieldGet(MDCR_EL2_HPMN, fieldPrep(MDCR_EL2_HPMN, v.hpmn));
  return undefined;
}

/** Judges `results` (the driver run on `inputs`) by JUDGE_RULES, on the consistent inputs. */
export function judge(
  driver: CompiledDriver,
  results: DriverResults,
  inputs: readonly PolicyInputs[],
): RuleVerdict[] {
  const rules = JUDGE_RULES.filter((r) => r.applies(driver));
  const judged = rules.map(() => 0);
  const violated = rules.map(() => 0);
  const minimal: (RuleVerdict['minimal'] & { w: number })[] = [];
  for (let i = 0; i < inputs.length; i++) {
    if (!consistentInputs(inputs[i]!)) continue;
    const values = valuesAt(driver, results, i);
    const hpmnField = hpmnFieldOf(values);
    const c: Case = { inputs: inputs[i]!, values, ...(hpmnField === undefined ? {} : { hpmnField }) };
    rules.forEach((rule, r) => {
      if (!rule.judged(c)) return;
      judged[r]!++;
      const message = rule.violation(c);
      if (message === undefined) return;
      violated[r]!++;
      const w = inputWeight(c.inputs);
      const cur = minimal[r];
      if (cur === undefined || w < cur.w) minimal[r] = { index: i, inputs: c.inputs, values, message, w };
    });
  }
  return JUDGE_RULES.map((rule) => {
    const r = rules.indexOf(rule);
    const base = { code: rule.code, description: rule.description, applies: r !== -1 };
    if (r === -1) return { ...base, judged: 0, violated: 0 };
    const m = minimal[r];
    return {
      ...base,
      judged: judged[r]!,
      violated: violated[r]!,
      ...(m === undefined
        ? {}
        : { minimal: { index: m.index, inputs: m.inputs, values: m.values, message: m.message } }),
    };
  });
}
