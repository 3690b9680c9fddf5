// SPDX-License-Identifier: MIT
/** Reading a scenario file from disk, with a one-line error naming the file. @module */

import { readFileSync } from 'node:fs';
import type { CpuDef } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import { parseScenarioFile, type Scenario, type ScenarioFile } from './schema.js';

/** Reads and parses `path`. */
export function loadScenarioFile(path: string): ScenarioFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`${path}: cannot read the scenario file (${code})`);
  }
  return parseScenarioFile(text, path);
}

/** Every (scenario, CPU) pair of a file, optionally only on the CPU called `cpu` and the scenario called `only`. */
export function scenarioRuns(
  file: ScenarioFile,
  cpu?: string,
  only?: string,
): { readonly scenario: Scenario; readonly cpu: CpuDef }[] {
  const runs: { scenario: Scenario; cpu: CpuDef }[] = [];
  if (only !== undefined && !file.scenarios.some((s) => s.name === only)) {
    throw new InputError(`${file.file}: no scenario is called "${only}"`);
  }
  for (const s of file.scenarios) {
    if (only !== undefined && s.name !== only) continue;
    for (const c of s.cpus)
      if (cpu === undefined || c.name === cpu.toLowerCase()) runs.push({ scenario: s, cpu: c });
  }
  if (runs.length === 0 && cpu !== undefined) {
    throw new InputError(`${file.file}: no scenario runs on CPU "${cpu}"`);
  }
  return runs;
}
