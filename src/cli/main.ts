#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The `pmup` executable: run the command, then write its whole output at once (batch streams).
import { runPmup, runPmupStreaming } from './pmup.js';

// A reader that stops reading (`pmup batch big.jsonl | head -1`) closes the pipe: the next write
// fails with EPIPE. That ends pmup quietly, with the status decided so far, never a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

const argv = process.argv.slice(2);
const streamed = await runPmupStreaming(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
if (streamed !== undefined) {
  process.exitCode = streamed;
} else {
  const result = runPmup(argv);
  process.exitCode = result.status;
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
}
