// SPDX-License-Identifier: MIT

import { expectedText, meetsExpectation, modelAnswerText, observationJson } from '../scenario/format.js';
import { loadScenarioFile, scenarioRuns } from '../scenario/load.js';
import { runScenarioOnModel } from '../scenario/model.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario file (EL2 set-up, guest program) on the model and print its observations',
  help: `Usage: pmup run FILE [--cpu NAME] [--scenario NAME] [--json]

FILE is a scenario file (scenarios/*.json, docs/scenarios.md): CPUs, and scenarios each with an
EL2 set-up (MSRs at EL2, in order), EL2 instructions before and after, and a guest program at
EL1 of mrs/msr of PMU registers by name, isb and counted loops. Every scenario runs on each of its
CPUs (--cpu: only that one; --scenario: only that scenario), starting from the harness reset (PMU
registers 0, MDCR_EL2.HPMN = N), and every MRS and MSR is an observation: the value read, ok for
a write, UNDEFINED, or a trap with its EC and ISS. Where the Arm ARM leaves a choice (CONSTRAINED
UNPREDICTABLE) the answer is the set of permitted outcomes with the behaviours giving each.
Expected values in the file are checked: exit 1 when one is not met.

Example:
  pmup run scenarios/hpmn.json --cpu qemu-virt-cortex-a57 --scenario hpmn-2-pmcr-n`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      cpu: { type: 'string' },
      scenario: { type: 'string' },
      json: { type: 'boolean' },
    });
    expectPositionals('run', positionals, 1);
    const file = loadScenarioFile(positionals[0]!);
    const runs = scenarioRuns(file, values.cpu, values.scenario).map((r) =>
      runScenarioOnModel(r.scenario, r.cpu),
    );
    let failed = 0;
    if (values.json === true) {
      const lines = runs.map((r) =>
        JSON.stringify({
          scenario: r.scenario.name,
          cpu: r.cpu.name,
          observations: r.observations.map((o) => ({
            label: o.label,
            options: o.options.map((x) => ({ ...observationJson(x.obs), behaviours: x.behaviours })),
          })),
        }),
      );
      for (const r of runs)
        for (const o of r.observations) {
          const e = r.scenario.expect.get(o.label);
          if (e !== undefined && !meetsExpectation(o, e)) failed++;
        }
      return { stdout: `${lines.join('\n')}\n`, status: failed > 0 ? 1 : 0 };
    }
    const out: string[] = [];
    for (const r of runs) {
      out.push(`${r.scenario.name} on ${r.cpu.name} (${r.scenario.where})`);
      const rows = r.observations.map((o) => {
        const e = r.scenario.expect.get(o.label);
        let mark = '';
        if (e !== undefined) {
          const met = meetsExpectation(o, e);
          if (!met) failed++;
          mark = met ? '  (as expected)' : `  EXPECTED ${expectedText(e)}`;
        }
        return [`  ${o.label}`, `${modelAnswerText(o)}${mark}`];
      });
      out.push(table(rows));
      if (r.truncated) out.push('  (more than 64 states arose; the answers follow the first 64)');
    }
    if (failed > 0) out.push(`${failed} expected value${failed === 1 ? '' : 's'} not met`);
    return { stdout: `${out.join('\n')}\n`, status: failed > 0 ? 1 : 0 };
  },
};
