// SPDX-License-Identifier: MIT
import type { Readable, Writable } from 'node:stream';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError } from '../arch/errors.js';
import type { CommandResult } from './io.js';

/** One `pmup` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  run(argv: readonly string[]): CommandResult;
  /** For commands that stream (batch): reads stdin, writes stdout as it goes, returns the exit status. */
  stream?(
    argv: readonly string[],
    io: { readonly stdin: Readable; readonly stdout: Writable },
  ): Promise<number>;
}

/** How a register value is read (parseRegisterValue), for the --help texts. */
export const VALUE_RULE =
  'Register values are hex with or without 0x (86, 0x86, 0000000000000086); 0d134 is decimal, 0b.. binary.';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with strict checking, turning its errors into one-line InputErrors. */
export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError(`${command}: ${msg}`);
  }
}

/** Throws InputError unless exactly `count` positionals (or between min and max) were given. */
export function expectPositionals(
  command: string,
  positionals: readonly string[],
  min: number,
  max = min,
): void {
  if (positionals.length < min || positionals.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new InputError(
      `${command}: expected ${want} argument${max === 1 ? '' : 's'}, got ${positionals.length} (see pmup ${command} --help)`,
    );
  }
}
