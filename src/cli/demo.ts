// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { CPUS, cpuFeatures, lookupCpu } from '../arch/cpus.js';
import { decodeValue } from '../arch/decode.js';
import { lookupPolicy } from '../kvm/policy.js';
import { kvmPartitionScenario } from '../kvm/scenario.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { cpusCommand } from './cpus.js';
import { decodedText } from './decode.js';
import { table } from './format.js';
import { ok } from './io.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job on built-in defaults (what `npm start` runs)',
  help: `Usage: pmup demo

Prints the CPU catalogue, then explains an MDCR_EL2 value that partitions the PMU of a
Neoverse N2 between a guest (counters 0..3) and the host (counters 4..N-1), and the same
value on a core where it is not valid; then runs the seed's question through the KVM model: a
vCPU of a VM pinned to a Cortex-A710 PMU (N = 20, 14 host counters, 8 guest counters) loaded on
a Cortex-A510 (N = 6) under each policy, with the unsupported-CPU check where mainline has it
(last in kvm_arch_vcpu_load) and where the reviewer proposes it (first).`,
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
    out.push(
      'The seed: a vCPU of a Cortex-A710 VM (nr_pmu_counters = 8, reserved_host_counters = 14) loaded on a Cortex-A510 (N = 6):',
    );
    const rows: string[][] = [['policy', 'unsupported-CPU check', 'MDCR_EL2.HPMN at load', 'problems']];
    for (const [policy, first] of [
      ['mainline', false],
      ['v5', false],
      ['review', false],
      ['review', true],
      ['v6', false],
    ] as const) {
      const r = kvmPartitionScenario({
        policy: lookupPolicy(policy),
        cpu: lookupCpu('cortex-a710'),
        on: lookupCpu('cortex-a510'),
        reservedHostCounters: 14,
        nr: 8,
        unsupportedCheckFirst: first,
      });
      const hpmn = r.mdcrEl2AtLoad === undefined ? '-' : String(Number(r.mdcrEl2AtLoad & 0x1fn));
      rows.push([
        policy,
        first ? 'first' : 'last (mainline)',
        hpmn,
        r.problems.length === 0 ? 'none' : r.problems[0]!.message,
      ]);
    }
    out.push(
      table(rows),
      '',
      'Details: pmup kvm --help. The architecture model: pmup access --help, docs/protocol.md.',
    );
    return ok(out.join('\n'));
  },
};
