// SPDX-License-Identifier: MIT
import { InputError } from '../arch/errors.js';
import { loadDivergences } from '../harness/qemu/divergences.js';
import { HarnessError, missingPackages, qemuVersion } from '../harness/qemu/qemu.js';
import { runSuite, suiteCounts, suitePairs, suiteText } from '../harness/qemu/suite.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';

export const qemuCommand: Command = {
  name: 'qemu',
  summary: 'run a scenario file on QEMU (real AArch64 code from EL2) and on the model, and show the diff',
  help: `Usage: pmup qemu FILE [--cpu NAME] [--scenario NAME] [--all]

Runs each scenario of FILE (see pmup run) on its QEMU CPUs (qemu-virt-max, qemu-virt-cortex-a57,
qemu-virt-neoverse-n1, qemu-virt-a64fx: QEMU's -cpu max, cortex-a57, neoverse-n1, a64fx) as a
bare-metal AArch64 program that boots at EL2 (qemu-system-aarch64 -M virt,virtualization=on
-icount shift=0 -semihosting; all the scenarios of one CPU in one boot), and on the model, and
compares every observation: agree; permitted (the model answers a CONSTRAINED UNPREDICTABLE set
and QEMU took one of its behaviours, named); or DISAGREE, with the classification of
harness/qemu/divergences.json (docs/qemu-divergences.md) or UNCLASSIFIED. --all shows every
observation, not only the permitted and disagreeing ones.

Needs qemu-system-aarch64 and aarch64-linux-gnu-gcc (Debian: apt-get install qemu-system-arm
gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu). Exit 1 on an unclassified disagreement.

Example:
  pmup qemu scenarios/hpmn.json --cpu qemu-virt-cortex-a57`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('qemu', argv, {
      cpu: { type: 'string' },
      scenario: { type: 'string' },
      all: { type: 'boolean' },
    });
    expectPositionals('qemu', positionals, 1);
    const file = loadScenarioFile(positionals[0]!);
    const pairs = suitePairs([file], values.cpu?.toLowerCase(), values.scenario);
    if (pairs.length === 0)
      throw new InputError(`qemu: ${file.file} has no scenario on a QEMU CPU (qemu-virt-*) to run`);
    const missing = missingPackages();
    if (missing.length > 0) {
      throw new InputError(`qemu: needs ${missing.join(', ')} (apt-get install ${missing.join(' ')})`);
    }
    try {
      const r = runSuite(pairs, loadDivergences());
      const head = `QEMU ${qemuVersion()}\n`;
      return {
        stdout: head + suiteText(r, values.all === true),
        status: suiteCounts(r).unclassified > 0 ? 1 : 0,
      };
    } catch (e) {
      if (e instanceof HarnessError)
        return { stdout: `pmup qemu: the harness failed: ${e.message}\n`, status: 1 };
      throw e;
    }
  },
};
