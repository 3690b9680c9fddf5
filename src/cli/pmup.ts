// SPDX-License-Identifier: MIT
/**
 * `pmup`: the command table and dispatch. Each subcommand returns its output and status;
 * main.ts alone writes to stdout/stderr, so output is never partial.
 *
 * @module
 */

import { didYouMean, InputError } from '../arch/errors.js';
import type { Command } from './command.js';
import { cpusCommand } from './cpus.js';
import { decodeCommand } from './decode.js';
import { demoCommand } from './demo.js';
import { encodeCommand } from './encode.js';
import { table } from './format.js';
import { insnCommand } from './insn.js';
import type { CommandResult } from './io.js';
import { regsCommand } from './regs.js';

const COMMANDS: readonly Command[] = [
  demoCommand,
  regsCommand,
  cpusCommand,
  decodeCommand,
  encodeCommand,
  insnCommand,
];

const USAGE = `pmup: an executable model of Arm PMU counter partitioning (MDCR_EL2.HPMN)

Usage: pmup COMMAND [ARGS] [--help]

Commands:
${table(COMMANDS.map((c) => [`  ${c.name}`, c.summary]))}

Run "pmup COMMAND --help" for a command's arguments and examples.
Exit status: 0 success, 1 a counterexample or problem found, 2 bad input.`;

/** Runs `pmup` on `argv` (without node and script) and returns what to print; never throws. */
export function runPmup(argv: readonly string[]): CommandResult & { readonly stderr: string } {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    return { stdout: `${USAGE}\n`, stderr: '', status: name === undefined ? 2 : 0 };
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    const hint = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    );
    return {
      stdout: '',
      stderr: `pmup: unknown command ${JSON.stringify(name)}${hint}; see pmup --help\n`,
      status: 2,
    };
  }
  if (rest.includes('--help') || rest.includes('-h'))
    return { stdout: `${command.help}\n`, stderr: '', status: 0 };
  try {
    return { ...command.run(rest), stderr: '' };
  } catch (e) {
    if (e instanceof InputError) return { stdout: '', stderr: `pmup: ${e.message}\n`, status: 2 };
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { stdout: '', stderr: `pmup: internal error: ${msg}\n`, status: 70 };
  }
}
