// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { CPUS, cpuFeatures, lookupCpu } from '../arch/cpus.js';
import { decodeValue } from '../arch/decode.js';
import { makePeState } from '../arch/pmu/state.js';
import { type PeStep, stepOutcomes } from '../arch/step.js';
import { reportOf } from '../check/report.js';
import { runCheck } from '../check/run.js';
import { lookupPolicy } from '../kvm/policy.js';
import { kvmPartitionScenario } from '../kvm/scenario.js';
import { checkTable } from './check.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { cpusCommand } from './cpus.js';
import { decodedText } from './decode.js';
import { table } from './format.js';
import { ok } from './io.js';
import { outcomesInWords } from './outcomes.js';

/**
 * What the reserved HPMN of the seed's case lets happen: on a Cortex-A510 (N = 6) with
 * MDCR_EL2.HPMN = 8 and HPME = 1, the guest has cleared PMCR_EL0.E to stop its counters; every
 * counter counts INST_RETIRED; 1000 instructions run at EL1. Every permitted behaviour is
 * evaluated (D24.3.17: as if HPMN were 1..6, or all counters in the second range): the counters
 * below the HPMN taken stop (PMCR_EL0.E), the others keep counting (MDCR_EL2.HPME, D13.1.1).
 */
function reservedHpmnDemo(): string[] {
  const cpu = lookupCpu('cortex-a510');
  const regs: Record<string, bigint> = { MDCR_EL2: 0x88n, PMCR_EL0: 0n, PMCNTENSET_EL0: 0x3fn };
  for (let i = 0; i < cpu.n; i++) regs[`PMEVTYPER${i}_EL0`] = 0x08n;
  const pe = makePeState(cpu, regs);
  const step: PeStep = { kind: 'count', el: 1, events: new Map([[0x08, 1000n]]) };
  const words = outcomesInWords(pe, stepOutcomes(pe, step, {}));
  return [
    `With MDCR_EL2.HPMN = 8 on the ${cpu.title} (N = ${cpu.n}), HPME = 1, and the guest's PMCR_EL0.E = 0,`,
    '1000 instructions at EL1 on counters all counting INST_RETIRED: a conforming PE does one of these',
    `(Arm ARM D24.3.17 HPMN, D13.1.1): ${words.head}`,
    ...words.lines.map((l) => `  ${l}`),
  ];
}

/** The verifier on the default space at depth 3: the summary table (pmup check prints the rest). */
function verifierDemo(): string[] {
  return [
    `The verifier over the default space, schedules of up to 3 steps (pmup check --depth 3):`,
    '',
    checkTable(reportOf(runCheck({ space: 'default', depth: 3 }))),
    '',
    'Each violation with its shortest counterexample and a replay token: pmup check --depth 3 (docs/findings.md).',
  ];
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job on built-in defaults (what `npm start` runs)',
  help: `Usage: pmup demo

Prints the CPU catalogue, then explains an MDCR_EL2 value that partitions the PMU of a
Neoverse N2 between a guest (counters 0..3) and the host (counters 4..N-1), and the same
value on a core where it is not valid; then runs the seed's question through the KVM model: a
vCPU of a VM pinned to a Cortex-A710 PMU (N = 20, 14 host counters, 8 guest counters) loaded on
a Cortex-A510 (N = 6) under each policy, with the unsupported-CPU check where mainline has it
(last in kvm_arch_vcpu_load) and where the reviewer proposes it (first); and what the reserved
HPMN that one of them programs lets happen, under every behaviour the Arm ARM permits; then the
verifier's table over the default space (pmup check --depth 3).`,
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
    out.push(table(rows), '', ...reservedHpmnDemo(), '', ...verifierDemo(), '');
    out.push('Details: pmup kvm --help. The architecture model: pmup access --help, docs/protocol.md.');
    return ok(out.join('\n'));
  },
};
