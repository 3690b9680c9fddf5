// SPDX-License-Identifier: MIT
/**
 * `pmup kernel` as data: the functions found, the compiled driver run once over the policy input
 * grid, and either the comparison with a model policy or the judgement by the rules.
 *
 * @module
 */

import { lookupPolicy, type PolicyInputs } from '../policy.js';
import { type Comparison, compareWithPolicy } from './compare.js';
import type { FoundFunction } from './extract.js';
import { gridInputs } from './grid.js';
import { judge, type RuleVerdict } from './judge.js';
import { type KernelCodeOptions, loadKernelCode } from './load.js';
import { DriverCrash, runDriver } from './run.js';

/** One function found, for the report. */
export interface FoundEntry {
  readonly name: string;
  readonly role: FoundFunction['fn']['role'];
  readonly file: string;
  readonly line: number;
  /** The diff path or C file, when known; undefined for mail text. */
  readonly path?: string;
  /** False when a hunk cut it short (kvm_arm_setup_mdcr_el2() completed with the debug tail). */
  readonly complete: boolean;
  /** True when read from a hunk that starts inside it (signature from the hunk header). */
  readonly startsInside: boolean;
  /** Definitions passed over, as `file:line (why)`. */
  readonly ignored: readonly string[];
}

/** The whole report. */
export interface KernelReport {
  readonly files: readonly string[];
  readonly found: readonly FoundEntry[];
  /** The HPMN function whose value counts, when any. */
  readonly primaryHpmn?: string;
  /** Functions that only header stubs define, as `name() at file:line`: passed over. */
  readonly headerOnly: readonly string[];
  /** HPMN functions kvm_arm_setup_mdcr_el2() calls that were pointed at primaryHpmn (--function). */
  readonly redirected: readonly string[];
  readonly compiler: string;
  readonly inputs: number;
  readonly comparison?: Comparison;
  readonly verdicts?: readonly RuleVerdict[];
  /** The compiled code crashed on an input. */
  readonly crash?: { readonly inputs: PolicyInputs; readonly signal: number };
}

/** Whether the report found a difference, a violation or a crash (exit status 1). */
export function reportFails(r: KernelReport): boolean {
  return (
    r.crash !== undefined ||
    (r.comparison?.differing ?? 0) > 0 ||
    (r.verdicts ?? []).some((v) => v.violated > 0)
  );
}

/** Runs `pmup kernel`; throws InputError (one line) on bad input. */
export function kernelReport(o: KernelCodeOptions & { readonly against?: string }): KernelReport {
  const policy = o.against === undefined ? undefined : lookupPolicy(o.against);
  const driver = loadKernelCode(o);
  try {
    const plan = driver.plan;
    const inputs = gridInputs();
    const base = {
      files: o.files,
      found: plan.choices.map(
        (c): FoundEntry => ({
          name: c.chosen.fn.name,
          role: c.chosen.fn.role,
          file: c.chosen.file,
          line: c.chosen.line,
          ...(c.chosen.path === undefined ? {} : { path: c.chosen.path }),
          complete: c.chosen.complete,
          startsInside: c.chosen.startsInside === true,
          ignored: c.ignored.map((i) => `${i.found.file}:${i.found.line} (${i.why})`),
        }),
      ),
      ...(plan.primaryHpmn === undefined ? {} : { primaryHpmn: plan.primaryHpmn }),
      headerOnly: plan.headerOnly.map((f) => `${f.fn.name}() at ${f.file}:${f.line}`),
      redirected: plan.redirect,
      compiler: driver.compiler,
      inputs: inputs.length,
    };
    let results: ReturnType<typeof runDriver>;
    try {
      results = runDriver(driver, inputs);
    } catch (e) {
      if (!(e instanceof DriverCrash)) throw e;
      return { ...base, crash: { inputs: e.inputs, signal: e.signal } };
    }
    if (policy !== undefined) {
      return { ...base, comparison: compareWithPolicy(driver, results, inputs, policy) };
    }
    return { ...base, verdicts: judge(driver, results, inputs) };
  } finally {
    driver.dispose();
  }
}
