// SPDX-License-Identifier: MIT
import { InputError } from '../arch/errors.js';
import { actionText } from '../check/actions.js';
import { configurationText, spaceDescription, spaceNames } from '../check/config.js';
import { replayToken } from '../check/replay.js';
import { type CheckRun, runCheck } from '../check/run.js';
import type { TraceStep } from '../check/search.js';
import { lookupPolicy } from '../kvm/policy.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';

function stepText(s: TraceStep): string {
  const chosen = Object.entries(s.choices).map(([r, b]) => `${r} ${b}`);
  return chosen.length === 0
    ? actionText(s.action)
    : `${actionText(s.action)}  [hardware: ${chosen.join(', ')}]`;
}

/** The summary table and the counterexamples, in words. */
export function checkText(run: CheckRun): string {
  const head = ['policy', ...run.invariants.map((i) => i.name)];
  const rows = run.policies.map((p) => [
    p,
    ...run.invariants.map((inv) => {
      const v = run.verdicts.find((x) => x.policy === p && x.invariant === inv.name);
      if (v?.shortest === undefined) return 'holds';
      const n = v.shortest.violation.trace.length;
      return `violated (${n} step${n === 1 ? '' : 's'})`;
    }),
  ]);
  const out = [
    `pmup check: space ${run.space}, ${run.configurations} configurations, schedules of up to ${run.depth} steps`,
    '',
    table([head, ...rows]),
    '',
  ];
  for (const v of run.verdicts) {
    if (v.shortest === undefined) continue;
    const { configuration, violation } = v.shortest;
    out.push(
      `${v.policy} violates ${v.invariant} (in ${v.violatedIn} of the configurations): ${violation.message}`,
    );
    out.push(`  configuration: ${configurationText(configuration)}`);
    violation.trace.forEach((s, i) => {
      out.push(`  ${i + 1}. ${stepText(s)}`);
    });
    out.push(`  replay: pmup replay ${replayToken(configuration, violation.trace)}`, '');
  }
  out.push('invariants:');
  for (const inv of run.invariants) out.push(`  ${inv.name}: ${inv.description} (${inv.source})`);
  out.push('');
  const partial = run.incomplete === 0 ? '' : `; ${run.incomplete} configurations stopped at the state bound`;
  out.push(`${run.states} distinct states, ${run.transitions} transitions${partial}`);
  return `${out.join('\n')}\n`;
}

/**
 * The run as the generated part of docs/findings.md: the table, and per violated invariant its
 * shortest counterexample in words with its replay command.
 */
export function checkMarkdown(run: CheckRun): string {
  const head = ['policy', ...run.invariants.map((i) => `\`${i.name}\``)];
  const rows = run.policies.map((p) => [
    `\`${p}\``,
    ...run.invariants.map((inv) => {
      const v = run.verdicts.find((x) => x.policy === p && x.invariant === inv.name);
      if (v?.shortest === undefined) return 'holds';
      const n = v.shortest.violation.trace.length;
      return `violated (${n} step${n === 1 ? '' : 's'})`;
    }),
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `Space \`${run.space}\` (${run.configurations} configurations), schedules of up to ${run.depth} steps: ` +
      `${run.states} distinct states, ${run.transitions} transitions. Regenerate with \`npm run findings\`.`,
    '',
    line(head),
    line(head.map(() => '---')),
    ...rows.map(line),
    '',
  ];
  for (const v of run.verdicts) {
    if (v.shortest === undefined) continue;
    const { configuration, violation } = v.shortest;
    out.push(`### \`${v.policy}\` violates \`${v.invariant}\``, '');
    out.push(
      `In ${v.violatedIn} configurations. Shortest: \`${configurationText(configuration)}\`: ${violation.message}.`,
      '',
    );
    violation.trace.forEach((s, i) => {
      out.push(`${i + 1}. ${stepText(s)}`);
    });
    out.push('', `Replay: \`pmup replay ${replayToken(configuration, violation.trace)}\``, '');
  }
  out.push('Invariants:', '');
  for (const inv of run.invariants) out.push(`- \`${inv.name}\`: ${inv.description}. Source: ${inv.source}.`);
  return `${out.join('\n')}\n`;
}

/** The run as JSON (bigints as hex strings). */
export function checkJson(run: CheckRun): string {
  return JSON.stringify({
    space: run.space,
    depth: run.depth,
    configurations: run.configurations,
    states: run.states,
    transitions: run.transitions,
    incomplete: run.incomplete,
    invariants: run.invariants.map((i) => ({ name: i.name, description: i.description, source: i.source })),
    verdicts: run.verdicts.map((v) => ({
      policy: v.policy,
      invariant: v.invariant,
      holds: v.shortest === undefined,
      violatedIn: v.violatedIn,
      ...(v.shortest === undefined
        ? {}
        : {
            configuration: configurationText(v.shortest.configuration),
            message: v.shortest.violation.message,
            replay: replayToken(v.shortest.configuration, v.shortest.violation.trace),
            trace: v.shortest.violation.trace.map((s) => ({
              action: actionText(s.action),
              choices: s.choices,
            })),
          }),
    })),
  });
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'the verifier: every configuration of a space, every vCPU schedule, every permitted behaviour',
  help: `Usage: pmup check [--space S] [--policy P...] [--cpu CPU...] [--depth D] [--both-orders]
                  [--json | --markdown]

Explores, for every configuration of the space (host CPUs, arm_pmuv3.reserved_host_counters,
the counters the VMM asks for, the policy), every schedule of up to D steps (KVM_RUN on a CPU,
vcpu_put, guest MRS/MSR of PMU registers, guest and host counting) breadth-first, with every
CONSTRAINED UNPREDICTABLE behaviour of the hardware as a successor of its own, and checks the
invariants on every transition. Prints a table policy x invariant (holds, or violated with the
length of the shortest counterexample) and each shortest counterexample step by step, with a
token for pmup replay. --markdown prints the generated part of docs/findings.md.
Exit status 1 when an invariant is violated, 0 when all hold, 2 on bad input.

Spaces:
${spaceNames()
  .map((s) => `  ${s}: ${spaceDescription(s)}`)
  .join('\n')}

--depth defaults to 4. --both-orders also runs each configuration with the unsupported-CPU
check first (the reviewer's proposal for kvm_arch_vcpu_load()).`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('check', argv, {
      space: { type: 'string' },
      policy: { type: 'string', multiple: true },
      cpu: { type: 'string', multiple: true },
      depth: { type: 'string' },
      'both-orders': { type: 'boolean' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
    });
    expectPositionals('check', positionals, 0);
    const depthText = values.depth ?? '4';
    if (!/^[0-9]+$/.test(depthText) || Number(depthText) < 1 || Number(depthText) > 12) {
      throw new InputError(`check: --depth must be an integer 1..12, got ${JSON.stringify(depthText)}`);
    }
    const space = values.space ?? 'default';
    spaceDescription(space);
    const policies = (values.policy ?? []).map((p) => lookupPolicy(p).name);
    const run = runCheck({
      space,
      depth: Number(depthText),
      filter: { policies, cpus: values.cpu ?? [], bothOrders: values['both-orders'] === true },
    });
    const violated = run.verdicts.some((v) => v.shortest !== undefined);
    const stdout =
      values.json === true
        ? `${checkJson(run)}\n`
        : values.markdown === true
          ? checkMarkdown(run)
          : checkText(run);
    return { stdout, status: violated ? 1 : 0 };
  },
};
