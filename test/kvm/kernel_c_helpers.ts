// SPDX-License-Identifier: MIT
// Shared by the tests of src/kvm/kernel_c/ and `pmup kernel`: the fixtures (our own code, MIT,
// test/fixtures/kernel/), the seed, and skipping without gcc or the seed (failing in CI instead).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilerVersion } from '../../src/kvm/kernel_c/compile.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED = path.resolve(REPO_ROOT, '..', 'shared', 'seeds', '000_d2b14fcbc558833d.txt');
export const inCi =
  process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

/** A fixture's path, relative to the repository (as a user would type it from there). */
export function fixture(name: string): string {
  return path.join('test', 'fixtures', 'kernel', name);
}

/** Skips (in CI: fails) when gcc is missing; true when the test may run. */
export function needsCompiler(t: { skip(message: string): void }): boolean {
  if (compilerVersion() !== undefined) return true;
  if (inCi) assert.fail('gcc is required for the kernel-code tests in CI, and was not found');
  t.skip('gcc not found: compiling kernel code needs a C compiler');
  return false;
}

/** Skips (in CI: fails) when the seed is missing; true when the test may run. */
export function needsSeed(t: { skip(message: string): void }): boolean {
  if (existsSync(SEED)) return true;
  if (inCi) assert.fail(`the seed is missing: ${SEED}`);
  t.skip(`the seed is missing: ${SEED} (a clone without ../shared skips the seed tests)`);
  return false;
}

/** The 1-based line of the first line of `text` that is exactly `line` (or starts the line). */
export function lineOf(text: string, line: string): number {
  const i = text.split('\n').findIndex((l) => l === line || l.startsWith(line));
  assert.notEqual(i, -1, `no line ${JSON.stringify(line)}`);
  return i + 1;
}
