// SPDX-License-Identifier: MIT
/**
 * `pmup kernel FILE... [--against POLICY] [--function NAME] [--stubs FILE] [--json]`: the policy
 * functions of a patch, mbox, C file or tree, compiled and run over the policy input grid, then
 * compared with a model policy or judged by the rules. Formatting only.
 *
 * @module
 */

import { JUDGE_RULES } from '../kvm/kernel_c/judge.js';
import { type KernelReport, kernelReport, reportFails } from '../kvm/kernel_c/report.js';
import type { CompiledValues } from '../kvm/kernel_c/run.js';
import { STUBBED_SYMBOLS } from '../kvm/kernel_c/stubs.js';
import { INPUT_DEFAULTS, type PolicyInputs } from '../kvm/policy.js';
import type { Command } from './command.js';
import { parseCommandArgs } from './command.js';
import { table, wrap } from './format.js';
import type { CommandResult } from './io.js';

/** The inputs as a KVM policy request's `inputs`: the optional ones only when not their default. */
export function requestInputs(i: PolicyInputs): Record<string, unknown> {
  const { hasFgt, hasFgt2, guestHasPmu, ...rest } = i;
  const optional = { hasFgt, hasFgt2, guestHasPmu };
  return {
    ...rest,
    ...Object.fromEntries(
      Object.entries(optional).filter(([k, v]) => v !== INPUT_DEFAULTS[k as keyof typeof optional]),
    ),
  };
}

/** A line for `pmup batch`. */
function requestLine(id: string, policy: string, i: PolicyInputs): string {
  return JSON.stringify({ id, policy, inputs: requestInputs(i) });
}

function valuesText(v: CompiledValues): string {
  const parts: string[] = [];
  if (v.guestPmcrN !== undefined) parts.push(`guestPmcrN ${v.guestPmcrN}`);
  if (v.hpmn !== undefined) parts.push(`hpmn ${v.hpmn}`);
  if (v.mdcrEl2 !== undefined) parts.push(`mdcrEl2 0x${v.mdcrEl2.toString(16)}`);
  return parts.join(', ');
}

function foundText(r: KernelReport): string[] {
  const rows = r.found.map((f) => {
    const notes: string[] = [f.path === undefined ? 'mail text' : f.path === f.file ? 'C file' : f.path];
    if (f.name === r.primaryHpmn) notes.push('the HPMN that counts');
    if (f.startsInside) notes.push('its hunk starts inside it: read from the hunk header on');
    if (!f.complete) notes.push('cut short by its hunk: compiled up to the debug tail, then the tail');
    if (r.redirected.length > 0 && f.role === 'mdcr') {
      notes.push(`its ${r.redirected.map((n) => `${n}()`).join(', ')} call made a ${r.primaryHpmn}() call`);
    }
    return [`  ${f.name}()`, `${f.file}:${f.line}`, notes.join('; ')];
  });
  const ignored = [
    ...r.found.flatMap((f) => f.ignored.map((i) => `  passed over: ${f.name}() at ${i}`)),
    ...r.headerOnly.map((h) => `  passed over: ${h} (a header stub, and no other definition)`),
  ];
  return [`found ${r.found.length} function${r.found.length === 1 ? '' : 's'}:`, table(rows), ...ignored];
}

function comparisonText(r: KernelReport): string[] {
  const c = r.comparison!;
  const names = c.compared.join(', ');
  if (c.differing === 0)
    return [`against ${c.policy}: the C and ${c.policy} agree on ${names} for all ${c.inputs} inputs`];
  const per = c.compared.map((v) => `${v} ${c.byValue[v]}`).join(', ');
  const out = [
    `against ${c.policy}: ${c.differing} of ${c.inputs} inputs differ (${per}); the ${c.first.length} smallest, as requests for pmup batch:`,
  ];
  c.first.forEach((d, k) => {
    out.push(requestLine(`diff-${k + 1}`, c.policy, d.inputs));
    out.push(`  C: ${valuesText(d.c)}; ${c.policy}: ${valuesText(d.model)}`);
  });
  return out;
}

function verdictsText(r: KernelReport): string[] {
  const out = [
    'judged without a model policy (partitioned inputs with hpmn_max = -1 are skipped: no kernel meets them):',
  ];
  for (const v of r.verdicts ?? []) {
    if (!v.applies) {
      out.push(`  ${v.code}: not judged (the functions found do not compute what it reads)`);
      continue;
    }
    if (v.minimal === undefined) {
      out.push(`  ${v.code}: holds on all ${v.judged} inputs judged`);
      continue;
    }
    out.push(
      `  ${v.code}: violated on ${v.violated} of ${v.judged} inputs judged; minimal: ${v.minimal.message}`,
    );
    out.push(`    inputs: ${JSON.stringify(requestInputs(v.minimal.inputs))}`);
    out.push(`    C: ${valuesText(v.minimal.values)}`);
  }
  out.push('rules:');
  for (const rule of JUDGE_RULES) out.push(`  ${rule.code}: ${rule.description}`);
  return out;
}

/** The report as text. */
export function kernelText(r: KernelReport): string {
  const out = [
    `pmup kernel: ${r.files.join(', ')}`,
    ...foundText(r),
    // The compiler's version is in --json only, so that the text is the same on every machine.
    `compiled with gcc; ${r.inputs} inputs through one driver process`,
    '',
  ];
  if (r.crash !== undefined) {
    out.push(
      `the compiled functions crash (signal ${r.crash.signal}) on inputs ${JSON.stringify(requestInputs(r.crash.inputs))}`,
    );
  } else if (r.comparison !== undefined) {
    out.push(...comparisonText(r));
  } else {
    out.push(...verdictsText(r));
  }
  return `${out.join('\n')}\n`;
}

/** The report as JSON: register values in hex, inputs as request inputs. */
export function kernelJson(r: KernelReport): string {
  return `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}\n`;
}

export const kernelCommand: Command = {
  name: 'kernel',
  summary: 'compile the policy functions of a patch, mail or tree and check them over the input grid',
  help: `Usage: pmup kernel FILE... [--against POLICY] [--function NAME] [--stubs FILE] [--json]

Reads each FILE: a patch or mbox (the new side of every diff hunk, hunks quoted with "> " in a
reply included, and the mail text, where a reviewer writes code inline), a C file, or a
directory (its .c, .h, .patch, .diff, .mbox, .eml and .txt files). Finds the policy functions by
name: kvm_pmu_guest_num_counters() (the guest's PMCR_EL0.N), kvm_pmu_hpmn() and kvm_mdcr_hpmn()
(MDCR_EL2.HPMN) and kvm_arm_setup_mdcr_el2() (MDCR_EL2; a hunk that stops at its debug tail is
completed with it; a hunk that starts inside it is read from its header's function context), and
says where each was found. A header's definition (the static inline stub for kernels without the
feature) is passed over, and of several definitions the last counts.

Compiles them with gcc against stubs generated from the register catalogue (MDCR_EL2_*, PMUVer
values) and the KVM model's inputs, into one driver process, and runs the 345,600 inputs of the
policy input grid through it. The stubs:
${wrap(Object.keys(STUBBED_SYMBOLS).join(', '), 96)
  .map((l) => `  ${l}`)
  .join('\n')}

--against POLICY compares the values the C computes (guestPmcrN, hpmn, mdcrEl2) with a model
policy, and prints the first differing inputs as requests to paste into pmup batch. Without it
the functions are judged by the rules: MDCR_EL2.HPMN is not reserved on the CPU, the guest's
PMCR_EL0.N is nr_pmu_counters, host counters stay out of the guest's range; each violated rule
with its minimal inputs.

--function NAME takes NAME(struct kvm_vcpu *vcpu) as the HPMN function that counts (and points
kvm_arm_setup_mdcr_el2()'s HPMN call at it). --stubs FILE adds a header of your own after the
generated stubs, for a symbol pmup kernel does not stub.

Exit status 1 when the C differs from the policy, violates a rule or crashes; 0 when it agrees
or holds; 2 on bad input (no function found, code that does not compile, an unknown policy).

Examples:
  pmup kernel ../shared/seeds/000_d2b14fcbc558833d.txt --against v5
  pmup kernel ../shared/seeds/000_d2b14fcbc558833d.txt --function kvm_mdcr_hpmn --against review
  pmup kernel linux/arch/arm64/kvm/ --json`,
  run(argv): CommandResult {
    const { values, positionals } = parseCommandArgs('kernel', argv, {
      against: { type: 'string' },
      function: { type: 'string' },
      stubs: { type: 'string' },
      json: { type: 'boolean' },
    });
    const r = kernelReport({
      files: positionals,
      ...(values.against === undefined ? {} : { against: values.against }),
      ...(values.function === undefined ? {} : { function: values.function }),
      ...(values.stubs === undefined ? {} : { stubs: values.stubs }),
    });
    return { stdout: values.json === true ? kernelJson(r) : kernelText(r), status: reportFails(r) ? 1 : 0 };
  },
};
