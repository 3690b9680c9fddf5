#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The `pmup` executable: run the command, then write its whole output at once (batch streams).
import { runPmup, runPmupStreaming } from './pmup.js';

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
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.status;
}
