// SPDX-License-Identifier: MIT
/**
 * A worker thread of a parallel verifier run: searches one shard of the space and posts its
 * report; posts `{ progress: index, policy, violated }` after each configuration (the invariants
 * violated in it, for what an interrupted run prints).
 *
 * @module
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { SpaceFilter } from './config.js';
import { withKernelPolicy } from './kernel.js';
import { reportOf } from './report.js';
import { runCheck } from './run.js';

/** What the main thread sends a worker. */
export interface WorkerJob {
  readonly space: string;
  readonly depth: number;
  readonly filter: SpaceFilter;
  readonly shard: { readonly index: number; readonly count: number };
}

const job = workerData as WorkerJob;
// Kernel code (--kernel) comes as its file name: this thread compiles it for itself.
const run = withKernelPolicy(job.filter, (filter) =>
  runCheck({
    space: job.space,
    depth: job.depth,
    filter,
    shard: job.shard,
    onResult: (r, index, c) =>
      parentPort?.postMessage({
        progress: index,
        policy: c.policy.name,
        violated: [...new Set(r.violations.map((v) => v.invariant))],
      }),
  }),
);
parentPort?.postMessage({ report: reportOf(run, job.shard) });
