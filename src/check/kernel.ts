// SPDX-License-Identifier: MIT
/**
 * Compiled kernel code as a policy of the verifier (`pmup check --kernel FILE`). The filter
 * names the code as data (KernelPolicySpec), so that it reaches worker threads; each thread
 * compiles it and registers the compiled policy, named "kernel", for its run.
 *
 * @module
 */

import { loadKernelCode } from '../kvm/kernel_c/load.js';
import { compiledPolicy } from '../kvm/kernel_c/policy.js';
import { lookupPolicy } from '../kvm/policy.js';
import type { SpaceFilter } from './config.js';

/** The name compiled code runs under. */
export const KERNEL_POLICY = 'kernel';

/** What to compile: pmup kernel's FILE and --function, and the policy for the rest. */
export interface KernelPolicySpec {
  readonly file: string;
  /** The policy for what the C does not compute (FGT, VM API, load/put; v5 by default). */
  readonly base: string;
  readonly function?: string;
}

/**
 * Runs `f` with `filter.kernel` compiled and registered as the policy "kernel" (checked alone,
 * or next to the filter's policies when it names some); removes the compiled driver afterwards.
 * Throws InputError when the code cannot be found or compiled.
 */
export function withKernelPolicy<T>(filter: SpaceFilter, f: (filter: SpaceFilter) => T): T {
  const k = filter.kernel;
  if (k === undefined) return f(filter);
  const driver = loadKernelCode({
    files: [k.file],
    ...(k.function === undefined ? {} : { function: k.function }),
  });
  try {
    const policy = compiledPolicy(driver, lookupPolicy(k.base), KERNEL_POLICY, k.file);
    return f({
      ...filter,
      policies: [...(filter.policies ?? []), KERNEL_POLICY],
      extraPolicies: [...(filter.extraPolicies ?? []), policy],
    });
  } finally {
    driver.dispose();
  }
}
