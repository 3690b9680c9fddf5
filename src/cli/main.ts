#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The `pmup` executable: run the command, then write its whole output at once.
import { runPmup } from './pmup.js';

const result = runPmup(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.status;
