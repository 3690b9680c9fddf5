// SPDX-License-Identifier: MIT
import { CPUS, cpuFeatures, parseCpu } from '../arch/cpus.js';
import { PMU_FEATURES } from '../arch/features.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';
import { ok } from './io.js';

const PMU_FEATURE_NAMES: ReadonlySet<string> = new Set(PMU_FEATURES.map((f) => f.name));

export const cpusCommand: Command = {
  name: 'cpus',
  summary: 'list the CPU catalogue, or one CPU with all its features',
  help: `Usage: pmup cpus [CPU] [--json]

Without CPU, lists the catalogue: name, PMU version, number of event counters N, the
partitioning features (FEAT_FGT, FEAT_HPMN0, ...) and the TRM each entry cites. With CPU (a
catalogue name or inline JSON), prints that CPU with every feature it implements, implied
ones included.

Examples:
  pmup cpus
  pmup cpus neoverse-n2
  pmup cpus '{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_FGT"]}' --json`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('cpus', argv, { json: { type: 'boolean' } });
    expectPositionals('cpus', positionals, 0, 1);
    if (positionals.length === 1) {
      const cpu = parseCpu(positionals[0]!);
      const features = [...cpuFeatures(cpu)].sort();
      if (values.json) return ok(JSON.stringify({ ...cpu, pmcrImpdef: undefined, features }, null, 2));
      return ok(
        [
          `${cpu.name}: ${cpu.title} (${cpu.arch})`,
          `PMU ${cpu.pmuVer}, N = ${cpu.n} event counters`,
          `features: ${features.join(', ')}`,
          `source: ${cpu.source}`,
        ].join('\n'),
      );
    }
    if (values.json) {
      return ok(
        JSON.stringify(
          CPUS.map((c) => ({ ...c, pmcrImpdef: undefined, features: [...cpuFeatures(c)].sort() })),
          null,
          2,
        ),
      );
    }
    const rows = CPUS.map((c) => [
      c.name,
      c.pmuVer,
      String(c.n),
      [...cpuFeatures(c)]
        .filter((f) => PMU_FEATURE_NAMES.has(f) && !/^FEAT_(PMUv3(p\d)?|EL[23])$/.test(f))
        .sort()
        .join(' ') || '-',
      c.title,
    ]);
    return ok(table([['cpu', 'pmu', 'N', 'partitioning features', 'title'], ...rows]));
  },
};
