// SPDX-License-Identifier: MIT
/**
 * `pmup`: the command table and dispatch. Each subcommand returns its output and status;
 * main.ts alone writes to stdout/stderr, so output is never partial.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { didYouMean, InputError } from '../arch/errors.js';
import { accessCommand } from './access.js';
import { batchCommand } from './batch.js';
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { makeCompletionCommand } from './completion.js';
import { cpusCommand } from './cpus.js';
import { decodeCommand } from './decode.js';
import { demoCommand } from './demo.js';
import { diffCommand } from './diff.js';
import { encodeCommand } from './encode.js';
import { table } from './format.js';
import { insnCommand } from './insn.js';
import type { CommandResult } from './io.js';
import { kernelCommand } from './kernel.js';
import { kvmCommand } from './kvm.js';
import { policiesCommand } from './policies.js';
import { qemuCommand } from './qemu.js';
import { regsCommand } from './regs.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';

/** Every subcommand, in the order of the help text. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  regsCommand,
  cpusCommand,
  decodeCommand,
  encodeCommand,
  insnCommand,
  accessCommand,
  kvmCommand,
  checkCommand,
  kernelCommand,
  diffCommand,
  replayCommand,
  runCommand,
  qemuCommand,
  policiesCommand,
  batchCommand,
  makeCompletionCommand(() => COMMANDS),
];

const USAGE = `pmup: an executable model of Arm PMU counter partitioning (MDCR_EL2.HPMN)

Usage: pmup COMMAND [ARGS] [--help | -h]
       pmup help COMMAND
       pmup --version

Commands:
${table(COMMANDS.map((c) => [`  ${c.name}`, c.summary]))}

Run "pmup COMMAND --help" (or "pmup help COMMAND") for a command's arguments and examples.
Exit status: 0 success, 1 a counterexample or problem found, 2 bad input.`;

type PmupResult = CommandResult & { readonly stderr: string };

/** The version in package.json (two levels up from src/cli/ and from dist/cli/). */
export function pmupVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string') throw new Error('internal: package.json has no version');
  return version;
}

function unknownCommand(name: string): PmupResult {
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

/** `pmup help [COMMAND]`: the usage, or the command's --help. */
function helpCommand(rest: readonly string[]): PmupResult {
  if (rest.length > 1) {
    return { stdout: '', stderr: 'pmup: help: expected at most one COMMAND (see pmup --help)\n', status: 2 };
  }
  const name = rest[0];
  if (name === undefined) return { stdout: `${USAGE}\n`, stderr: '', status: 0 };
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) return unknownCommand(name);
  return { stdout: `${command.help}\n`, stderr: '', status: 0 };
}

/** Runs `pmup` on `argv` (without node and script) and returns what to print; never throws. */
export function runPmup(argv: readonly string[]): PmupResult {
  const [name, ...rest] = argv;
  if (name === undefined) return { stdout: `${USAGE}\n`, stderr: '', status: 2 };
  if (name === '--help' || name === '-h') return { stdout: `${USAGE}\n`, stderr: '', status: 0 };
  if (name === 'help') return helpCommand(rest);
  if (name === '--version') {
    if (rest.length > 0) return { stdout: '', stderr: 'pmup: --version takes no arguments\n', status: 2 };
    return { stdout: `pmup ${pmupVersion()}\n`, stderr: '', status: 0 };
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) return unknownCommand(name);
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

/** The one-line message and status for an error thrown by a command. */
export function errorResult(e: unknown): { readonly stderr: string; readonly status: number } {
  if (e instanceof InputError) return { stderr: `pmup: ${e.message}\n`, status: 2 };
  const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return { stderr: `pmup: internal error: ${msg}\n`, status: 70 };
}

/**
 * Runs a streaming command (batch) if `argv` names one without --help; undefined otherwise.
 * Output goes to `io.stdout` as it is produced; errors before any output give one line and 2.
 */
export async function runPmupStreaming(
  argv: readonly string[],
  io: { readonly stdin: Readable; readonly stdout: Writable; readonly stderr: Writable },
): Promise<number | undefined> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command?.stream === undefined || rest.includes('--help') || rest.includes('-h')) return undefined;
  try {
    return await command.stream(rest, io);
  } catch (e) {
    const r = errorResult(e);
    io.stderr.write(r.stderr);
    return r.status;
  }
}
