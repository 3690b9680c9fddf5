// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { CPUS, cpuFeatures, lookupCpu } from '../arch/cpus.js';
import { decodeValue } from '../arch/decode.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { cpusCommand } from './cpus.js';
import { decodedText } from './decode.js';
import { ok } from './io.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job on built-in defaults (what `npm start` runs)',
  help: `Usage: pmup demo

Prints the CPU catalogue, then explains an MDCR_EL2 value that partitions the PMU of a
Neoverse N2 between a guest (counters 0..3) and the host (counters 4..N-1), and the same
value on a core where it is not valid.`,
  run(argv) {
    const { positionals } = parseCommandArgs('demo', argv, {});
    expectPositionals('demo', positionals, 0);
    const out: string[] = [`CPU catalogue (${CPUS.length} cores):`, cpusCommand.run([]).stdout];
    const mdcr = lookupRegister('MDCR_EL2');
    // HPMN = 4, HPME, HPMD, HCCD: a guest owns counters 0..3, the host 4..N-1 (Arm ARM D24.3.17).
    const value = 0x820084n;
    for (const name of ['neoverse-n2', 'cortex-a53']) {
      const cpu = lookupCpu(name);
      const d = decodeValue(mdcr, value, { cpu, features: cpuFeatures(cpu) });
      out.push(`MDCR_EL2 partitioning the PMU of ${cpu.title} (N = ${cpu.n}):`);
      out.push(
        `  counters 0..3 are in the first range (guest: enabled by PMCR_EL0.E, guest reads PMCR_EL0.N = 4); ` +
          `counters 4..${cpu.n - 1} are in the second range (host: enabled by MDCR_EL2.HPME)`,
      );
      out.push(decodedText(d, cpu.name), '');
    }
    return ok(out.join('\n'));
  },
};
