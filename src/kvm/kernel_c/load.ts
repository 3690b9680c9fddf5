// SPDX-License-Identifier: MIT
/**
 * Kernel code from files to a compiled driver: read the files, find the policy functions, compile
 * them against the stubs.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { InputError } from '../../arch/errors.js';
import { type CompiledDriver, compileDriver } from './compile.js';
import { planDriver } from './plan.js';
import { readCodeViews } from './source.js';
import { userStubs } from './stubs.js';

/** What to read and compile. */
export interface KernelCodeOptions {
  /** Patches, mbox files, C files or directories. */
  readonly files: readonly string[];
  /** `--function NAME`: the HPMN function by another name. */
  readonly function?: string;
  /** `--stubs FILE`: a header of the user's, included after the generated stubs. */
  readonly stubs?: string;
}

/** Reads, finds and compiles; throws InputError (one line) on bad input. */
export function loadKernelCode(o: KernelCodeOptions): CompiledDriver {
  if (o.files.length === 0)
    throw new InputError('kernel: give at least one FILE (a patch, mbox, C file or directory)');
  const plan = planDriver(readCodeViews(o.files), o.files, o.function);
  let stubsText: string | undefined;
  if (o.stubs !== undefined) {
    try {
      stubsText = readFileSync(o.stubs, 'utf8');
    } catch {
      throw new InputError(`kernel: cannot read --stubs ${o.stubs}`);
    }
  }
  return compileDriver(plan, userStubs(stubsText, o.stubs));
}
