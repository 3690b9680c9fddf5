// SPDX-License-Identifier: MIT
/**
 * A verifier run on several worker threads: shard i of n on worker i, the reports merged
 * (mergeReports()), so the result is the one a single thread gives.
 *
 * @module
 */

import { Worker } from 'node:worker_threads';
import type { SpaceFilter } from './config.js';
import { type CheckReport, mergeReports } from './report.js';
import type { WorkerJob } from './worker.js';

/**
 * A worker running worker.js next to this module. Run from the sources (`node --import tsx`), the
 * worker does not inherit tsx's loader, so it registers it first (tsx/esm/api) and then imports
 * worker.ts.
 */
function startWorker(workerData: WorkerJob): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const script = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  const boot = `import(${api}).then((tsx) => { tsx.register(); return import(${script}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** One configuration searched by a worker: its policy and the invariants violated in it. */
export interface Progress {
  readonly policy: string;
  readonly violated: readonly string[];
}

/** What runCheckParallel() rejects with when `signal` aborts the run: the workers are stopped. */
export class Interrupted extends Error {}

/**
 * Runs the space on `workers` threads, or, with `shard`, that shard of the space on one thread
 * (its report as one run of the shard writes it). `onProgress` is called once per configuration
 * searched. Aborting `signal` terminates the workers; the promise then rejects with Interrupted.
 */
export async function runCheckParallel(
  job: {
    readonly space: string;
    readonly depth: number;
    readonly filter: SpaceFilter;
    readonly shard?: { readonly index: number; readonly count: number };
  },
  workers: number,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<CheckReport> {
  const shards =
    job.shard === undefined
      ? Array.from({ length: workers }, (_, index) => ({ index, count: workers }))
      : [job.shard];
  const started: Worker[] = [];
  const stop = () => {
    for (const w of started) void w.terminate();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const reports = await Promise.all(
      shards.map((shard) => {
        // Policies are functions, which cannot be posted: a worker compiles filter.kernel itself.
        const { extraPolicies: _extra, ...filter } = job.filter;
        const data: WorkerJob = { space: job.space, depth: job.depth, filter, shard };
        return new Promise<CheckReport>((resolve, reject) => {
          const w = startWorker(data);
          started.push(w);
          w.on('message', (m: { report?: CheckReport } & Partial<Progress>) => {
            if (m.report !== undefined) resolve(m.report);
            else onProgress?.({ policy: m.policy ?? '', violated: m.violated ?? [] });
          });
          w.on('error', reject);
          w.on('exit', (code) => {
            if (signal?.aborted === true) reject(new Interrupted('interrupted'));
            else if (code !== 0) reject(new Error(`verifier worker ${shard.index} exited with ${code}`));
          });
        });
      }),
    );
    return job.shard === undefined ? mergeReports(reports) : reports[0]!;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
