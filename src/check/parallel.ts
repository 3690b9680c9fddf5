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
        const w = startWorker(data);
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
