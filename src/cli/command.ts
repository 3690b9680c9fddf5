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
export const VALUE_RULE = `Register values are hex with or without 0x (86, 0x86, 0000000000000086), decimal with 0d
(0d134), binary with 0b (0b1000_0110).`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** `-1`, `-0x10`: an argument that is a (negative) number, so a value and never an option. */
function isNegativeNumber(arg: string): boolean {
  return /^-\d/.test(arg);
}

/**
 * argv rewritten so that node:util parseArgs takes negative numbers as values: `--opt -1`
 * becomes `--opt=-1` for an option that takes a value, and every positional (`-1` among them)
 * goes after a `--`, in its order. parseArgs alone rejects both ("argument is ambiguous"). An
 * option that takes a value and is last, or is followed by another option, is an InputError.
 */
export function normaliseArgv(command: string, argv: readonly string[], options: Options): string[] {
  const opts: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (isNegativeNumber(a) || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    opts.push(a);
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    const takesValue = name !== undefined && options[name]?.type === 'string';
    if (!takesValue) continue;
    if (next === undefined || (next.startsWith('-') && !isNegativeNumber(next))) {
      const got = next === undefined ? '' : ` (got ${next}; write --${name}=${next} if that is the value)`;
      throw new InputError(`${command}: --${name} needs a value${got}`);
    }
    opts[opts.length - 1] = `--${name}=${next}`;
    i++;
  }
  return [...opts, '--', ...positionals];
}

/**
 * node:util parseArgs with strict checking, turning its errors into one-line InputErrors, on
 * argv as normaliseArgv() rewrites it; an option that takes one value given twice is an error.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O) {
  const parsed = strictParse(command, normaliseArgv(command, argv, options), options);
  rejectRepeatedOptions(command, parsed.tokens, options);
  return { values: parsed.values, positionals: parsed.positionals };
}

function strictParse<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError(`${command}: ${msg}`);
  }
}

/** Throws InputError when an option that takes one value (not `multiple`) is given twice. */
function rejectRepeatedOptions(
  command: string,
  tokens: readonly { readonly kind: string; readonly name?: string }[],
  options: Options,
): void {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined || options[t.name]?.multiple === true) continue;
    if (seen.has(t.name)) throw new InputError(`${command}: --${t.name} is given twice; give it once`);
    seen.add(t.name);
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
