// SPDX-License-Identifier: MIT
/**
 * Evaluating an architecture request of the batch protocol: build the PE state, run the steps
 * through the architecture model, read the final registers with EL2's full view.
 *
 * @module
 */

import { type AccessOutcome, accessSysreg } from '../arch/access.js';
import { countEvents } from '../arch/pmu/count.js';
import { effectiveHPMN } from '../arch/pmu/ranges.js';
import { bits, makePeState, type PeState, put, storageOf, storedValue } from '../arch/pmu/state.js';
import type { RuleName } from '../arch/unpredictable.js';
import type { ArchRequest, ArchStep } from './schema.js';

/** The answer to one step, as JSON. */
export type StepAnswer =
  | { readonly outcome: 'ok'; readonly value?: string; readonly unpredictable?: RuleName }
  | { readonly outcome: 'undefined' }
  | { readonly outcome: 'trap'; readonly toEl: number; readonly ec: string; readonly iss: string }
  | { readonly outcome: 'unpredictable'; readonly rule: RuleName; readonly allowed: readonly string[] };

/** The answer to an architecture request, as JSON. */
export interface ArchAnswer {
  readonly id: string | number | null;
  readonly results: readonly StepAnswer[];
  readonly final: Readonly<Record<string, string>>;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** The JSON form of an access outcome. */
export function outcomeJson(o: AccessOutcome, via?: RuleName): StepAnswer {
  switch (o.kind) {
    case 'ok': {
      const base: { outcome: 'ok'; value?: string; unpredictable?: RuleName } = { outcome: 'ok' };
      if (o.value !== undefined) base.value = hex(o.value);
      if (via !== undefined) base.unpredictable = via;
      return base;
    }
    case 'undefined':
      return { outcome: 'undefined' };
    case 'trap':
      return { outcome: 'trap', toEl: o.toEl, ec: hex(BigInt(o.ec)), iss: hex(BigInt(o.iss)) };
    case 'unpredictable':
      return { outcome: 'unpredictable', rule: o.rule, allowed: o.allowed };
  }
}

const HCR_E2H = bits('HCR_EL2', 'E2H');
const HCR_TGE = bits('HCR_EL2', 'TGE');

/** The initial state of a request: its `regs`, with `hcr` applied to HCR_EL2. */
export function initialState(req: ArchRequest): PeState {
  const regs: Record<string, bigint> = Object.fromEntries(req.regs);
  let hcr = regs['HCR_EL2'] ?? 0n;
  if (req.hcr.E2H) hcr = put(hcr, HCR_E2H, 1n);
  if (req.hcr.TGE) hcr = put(hcr, HCR_TGE, 1n);
  if (hcr !== 0n) regs['HCR_EL2'] = hcr;
  return makePeState(req.cpu, regs);
}

/** Runs one step; returns its answer and the state after it (unchanged unless it completed). */
export function runStep(
  pe: PeState,
  step: ArchStep,
  req: ArchRequest,
): { answer: StepAnswer; state: PeState } {
  if (step.kind === 'count') {
    const hpmn = effectiveHPMN(pe, req.choices);
    if (hpmn.kind === 'unpredictable') {
      return { answer: { outcome: 'unpredictable', rule: hpmn.rule, allowed: hpmn.allowed }, state: pe };
    }
    const r = countEvents(pe, step.events, step.el, hpmn.value, req.choices);
    if (r.kind === 'unpredictable') {
      return { answer: { outcome: 'unpredictable', rule: r.rule, allowed: r.allowed }, state: pe };
    }
    const via = r.via ?? hpmn.via;
    return {
      answer: via === undefined ? { outcome: 'ok' } : { outcome: 'ok', unpredictable: via },
      state: r.value,
    };
  }
  const r = accessSysreg(
    pe,
    step.kind === 'read'
      ? { el: step.el, dir: 'read', reg: step.reg, rt: step.rt }
      : { el: step.el, dir: 'write', reg: step.reg, value: step.value, rt: step.rt },
    req.choices,
  );
  return { answer: outcomeJson(r.outcome, r.via), state: r.state };
}

const PMCR_N = bits('PMCR_EL0', 'N');

/** Evaluates a parsed request. */
export function evaluateArchRequest(req: ArchRequest): ArchAnswer {
  // Validate `final` before running anything: every name must have storage of its own.
  for (const r of req.final) storageOf(r.name);
  let pe = initialState(req);
  const results: StepAnswer[] = [];
  for (const step of req.steps) {
    const { answer, state } = runStep(pe, step, req);
    results.push(answer);
    pe = state;
  }
  const final: Record<string, string> = {};
  for (const r of req.final) {
    let v = storedValue(pe, r.name);
    // EL2's view of PMCR_EL0: N is NUM_PMU_COUNTERS, IMP/IDCODE are the CPU's (D24.5.8).
    if (r.def.name === 'PMCR_EL0') v = put(v, PMCR_N, BigInt(pe.config.n)) | pe.config.pmcrImpdef;
    final[r.name] = hex(v);
  }
  return { id: req.id, results, final };
}
