// SPDX-License-Identifier: MIT
/**
 * `pmup kvm ... --policy all`: the scenario of `pmup kvm` run under every registered policy for
 * one configuration, as one table (MDCR_EL2 and HPMN as the guest runs after its first PMU access,
 * the guest's PMCR_EL0.N against what KVM reports, the number of problems) followed by each
 * policy's problems. Formatting only.
 *
 * @module
 */

import { POLICIES } from '../kvm/policy.js';
import { kvmPartitionScenario, type ScenarioOptions, type ScenarioReport } from '../kvm/scenario.js';
import { fieldGet, MDCR_EL2_HPMN } from '../kvm/sysreg.js';
import { hex, table } from './format.js';
import type { CommandResult } from './io.js';

/** One policy's line of the comparison. */
export interface ComparisonRow {
  readonly policy: string;
  /** MDCR_EL2 as the guest runs after its first PMU access (as loaded when it never ran). */
  readonly mdcrEl2?: bigint;
  readonly hpmn?: number;
  /** PMCR_EL0.N as the guest's last read returned it (undefined: the read did not complete or N is UNKNOWN). */
  readonly guestN?: number;
  /** The guest's last read when it did not complete with a known N. */
  readonly guestRead?: string;
  /** What KVM (or the monitor) reports as the guest's N. */
  readonly reportedN?: number;
  readonly exit?: string;
  readonly problems: readonly string[];
}

/** The comparison row of one report. */
export function comparisonRow(r: ScenarioReport): ComparisonRow {
  const mdcr = r.mdcrEl2After ?? r.mdcrEl2AtLoad;
  const last = r.guestReads[r.guestReads.length - 1];
  return {
    policy: r.world.policy.name,
    ...(mdcr === undefined ? {} : { mdcrEl2: mdcr, hpmn: fieldGet(MDCR_EL2_HPMN, mdcr) }),
    ...(last?.n === undefined ? {} : { guestN: last.n }),
    ...(last !== undefined && last.n === undefined
      ? { guestRead: last.outcome.kind === 'ok' ? 'N UNKNOWN' : last.outcome.kind.toUpperCase() }
      : {}),
    ...(r.kvmPmcrN === undefined ? {} : { reportedN: r.kvmPmcrN }),
    ...(r.exit === undefined ? {} : { exit: r.exit }),
    problems: r.problems.map((f) => f.message),
  };
}

/** The scenario under every registered policy (variants excluded). */
export function compareAllPolicies(o: Omit<ScenarioOptions, 'policy'>): readonly ComparisonRow[] {
  return POLICIES.map((policy) => comparisonRow(kvmPartitionScenario({ ...o, policy })));
}

const dash = (v: number | undefined) => (v === undefined ? '-' : String(v));

/** The comparison as text. */
export function comparisonText(rows: readonly ComparisonRow[]): string {
  const out = [
    'pmup kvm --policy all: the same configuration under every policy',
    '',
    table([
      ['  policy', 'MDCR_EL2', 'HPMN', 'guest N', 'reported N', 'problems'],
      ...rows.map((r) => [
        `  ${r.policy}`,
        r.mdcrEl2 === undefined ? '-' : hex(r.mdcrEl2),
        dash(r.hpmn),
        r.guestN === undefined ? (r.guestRead ?? (r.exit === undefined ? 'not run' : '-')) : String(r.guestN),
        dash(r.reportedN),
        String(r.problems.length),
      ]),
    ]),
    '',
    "  (MDCR_EL2 and HPMN after the guest's first PMU access; guest N from its second PMCR_EL0 read;",
    "   reported N: kvm_vcpu_read_pmcr(), or the monitor's promise)",
  ];
  for (const r of rows) {
    if (r.problems.length === 0) continue;
    out.push('', `${r.policy}:`, ...r.problems.map((p) => `  - ${p}`));
  }
  return out.join('\n');
}

/** The comparison as JSON. */
export function comparisonJson(rows: readonly ComparisonRow[]): object {
  return rows.map((r) => ({
    policy: r.policy,
    mdcrEl2: r.mdcrEl2 === undefined ? null : hex(r.mdcrEl2),
    hpmn: r.hpmn ?? null,
    guestN: r.guestN ?? null,
    guestRead: r.guestRead ?? null,
    reportedN: r.reportedN ?? null,
    exit: r.exit ?? null,
    problems: r.problems,
  }));
}

/** `pmup kvm --policy all`: exit 1 when any policy has a problem. */
export function kvmCompare(o: Omit<ScenarioOptions, 'policy'>, json: boolean): CommandResult {
  const rows = compareAllPolicies(o);
  const text = json ? JSON.stringify(comparisonJson(rows), null, 2) : comparisonText(rows);
  return { stdout: `${text}\n`, status: rows.some((r) => r.problems.length > 0) ? 1 : 0 };
}
