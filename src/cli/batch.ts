// SPDX-License-Identifier: MIT
import { createReadStream, statSync } from 'node:fs';
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
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (isRequestLine(line)) reply(line);
    if (out.length >= 1024) await flush();
  }
  if (isRequestLine(rest)) reply(rest);
  await flush();
  return { answers, errors };
}

export const batchCommand: Command = {
  name: 'batch',
  summary: 'answer JSON Lines requests (architecture model) from FILE or stdin',
  help: `Usage: pmup batch [FILE|-]

Reads one JSON request per line (from FILE, or stdin when FILE is - or absent) and writes one
JSON answer per line, in order. Blank lines and lines starting with # are skipped. A line that
is not a valid request (malformed JSON, an unknown member, rule or behaviour, ...) is answered
{"id": ..., "error": "..."} and the batch goes on. The protocol is documented in
docs/protocol.md.

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
    let input: Readable = io.stdin;
    if (file !== undefined && file !== '-') {
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
      } catch {
        throw new InputError(`batch: cannot read ${file}: no such file`);
      }
      input = createReadStream(file);
    }
    const { errors } = await streamBatch(input, io.stdout);
    return errors === 0 ? 0 : 2;
  },
};
