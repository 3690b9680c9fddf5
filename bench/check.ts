// SPDX-License-Identifier: MIT
/**
 * The verifier's benchmark (part of npm run bench): the built `pmup check` over every policy on
 * the default space at depth 4, on one worker and on one per core, with distinct states,
 * transitions, states/s and wall time, and the speed-up of the workers against the one worker
 * (both runs in the same invocation). Goal (issue 9): <= 60 s wall on a 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

interface Run {
  readonly ms: number;
  readonly stdout: string;
}

function pmupCheck(workers: number): Run {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      'dist/cli/main.js',
      'check',
      '--space',
      'default',
      '--depth',
      '4',
      '--workers',
      String(workers),
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  // 1: a violation was found, which the default space has.
  if (r.status !== 0 && r.status !== 1) throw new Error(`pmup check exited ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

export function benchCheck(): void {
  const workers = Math.max(availableParallelism(), 2);
  const one = pmupCheck(1);
  const many = pmupCheck(workers);
  if (many.stdout !== one.stdout) throw new Error('pmup check on several workers printed another report');
  const r = JSON.parse(one.stdout) as {
    configurations: number;
    states: number;
    transitions: number;
    policies: string[];
  };
  const perS = (ms: number) => Math.round(r.states / (ms / 1000));
  console.log(
    `verifier: space default, depth 4, ${r.policies.length} policies, ${r.configurations} configurations, ` +
      `${r.states} distinct states, ${r.transitions} transitions`,
  );
  console.log(`  --workers 1: ${(one.ms / 1000).toFixed(1)} s wall, ${perS(one.ms)} states/s`);
  console.log(
    `  --workers ${workers}: ${(many.ms / 1000).toFixed(1)} s wall, ${perS(many.ms)} states/s; speed-up ${(one.ms / many.ms).toFixed(2)} (goal: <= 60 s wall)`,
  );
}
