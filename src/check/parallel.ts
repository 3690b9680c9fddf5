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

/** The worker script next to this module (`.ts` when run from the sources through tsx). */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/** Runs the space on `workers` threads; `onProgress` is called once per configuration searched. */
export async function runCheckParallel(
  job: { readonly space: string; readonly depth: number; readonly filter: SpaceFilter },
  workers: number,
  onProgress?: () => void,
): Promise<CheckReport> {
  const reports = await Promise.all(
    Array.from({ length: workers }, (_, index) => {
      // Policies are functions, which cannot be posted: a worker compiles filter.kernel itself.
      const { extraPolicies: _extra, ...filter } = job.filter;
      const data: WorkerJob = { ...job, filter, shard: { index, count: workers } };
      return new Promise<CheckReport>((resolve, reject) => {
        const w = new Worker(workerUrl(), { workerData: data });
        w.on('message', (m: { progress?: number; report?: CheckReport }) => {
          if (m.report !== undefined) resolve(m.report);
          else onProgress?.();
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`verifier worker ${index} exited with ${code}`));
        });
      });
    }),
  );
  const merged = mergeReports(reports);
  return merged;
}
