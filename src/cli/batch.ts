// SPDX-License-Identifier: MIT
import { createReadStream, openSync, statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { InputError } from '../arch/errors.js';
import { answer, isRequestLine } from '../protocol/batch.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';

/** How many lines a batch answered, and how many of them were error answers. */
export interface BatchCount {
  readonly answers: number;
  readonly errors: number;
}

/** Streams requests from `input` to answers on `output`; returns how many lines it answered. */
export async function streamBatch(input: Readable, output: Writable): Promise<BatchCount> {
  let rest = '';
  let out: string[] = [];
  let answers = 0;
  let errors = 0;
  const reply = (line: string) => {
    const a = answer(line);
    out.push(a.text);
    answers++;
    if (a.error) errors++;
  };
  const flush = async () => {
    if (out.length === 0) return;
    const ok = output.write(`${out.join('\n')}\n`);
    out = [];
    if (!ok) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
  };
  input.setEncoding('utf8');
  let first = true;
  for await (const piece of input as AsyncIterable<string>) {
    // A UTF-8 byte order mark, as some editors write one, is not part of the first request.
    const chunk = first && piece.startsWith('\uFEFF') ? piece.slice(1) : piece;
    if (piece !== '') first = false;
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (isRequestLine(line)) reply(line);
    if (out.length >= 1024) await flush();
  }
  if (isRequestLine(rest)) reply(rest);
  await flush();
  return { answers, errors };
}

/** A stream of `file`; InputError with the reason in words when it cannot be read. */
function openBatchFile(file: string): Readable {
  let fd: number;
  try {
    if (statSync(file).isDirectory()) throw new InputError(`batch: cannot read ${file}: is a directory`);
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`batch: cannot read ${file}: ${openFailure(e)}`);
  }
  return createReadStream(file, { fd });
}

function openFailure(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? (e.message.split('\n')[0] ?? String(code)) : String(e);
}

export const batchCommand: Command = {
  name: 'batch',
  summary: 'answer JSON Lines requests (architecture model) from FILE or stdin',
  help: `Usage: pmup batch [FILE|-]

Reads one JSON request per line (from FILE, or stdin when FILE is - or absent) and writes one
JSON answer per line, in order. A UTF-8 byte order mark at the start is skipped. Blank lines
and lines starting with # are skipped. A line that is not a valid request (malformed JSON, an
unknown member, rule or behaviour, ...) is answered {"id": ..., "error": "..."} and the batch
goes on. The protocol is documented in docs/protocol.md.

Exit status: 0 every line answered, 2 some line was an error answer (every line is still
answered), or the input cannot be read.

Example:
  echo '{"id":"c1","cpu":"neoverse-n2","regs":{"MDCR_EL2":"0x84"},"steps":[{"el":1,"read":"PMCR_EL0"}]}' | pmup batch`,
  run() {
    throw new InputError('batch: internal: use stream()');
  },
  async stream(argv, io) {
    const { positionals } = parseCommandArgs('batch', argv, {});
    expectPositionals('batch', positionals, 0, 1);
    const file = positionals[0];
    const input = file === undefined || file === '-' ? io.stdin : openBatchFile(file);
    const { errors } = await streamBatch(input, io.stdout);
    return errors === 0 ? 0 : 2;
  },
};
