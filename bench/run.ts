// SPDX-License-Identifier: MIT
/**
 * Benchmarks (npm run bench). Figures are ratios against a baseline run in the same invocation,
 * since the machines are shared and noisy.
 *
 * 1. `pmup batch` on N architecture requests (default 1,000,000, each up to 8 steps) against a
 *    plain Node script that only parses and re-serialises the same lines. Target: ratio <= 3.
 * 2. Counting k events for k = 1 and k = 2^40: the batch count must cost the same.
 * 3. stepOutcomes() with a reserved HPMN against a legal one: N + 1 evaluations a step (one per
 *    permitted behaviour) and the first run that meets the case; the time ratio is reported.
 * 4. The verifier on the default space (bench/check.ts).
 * 5. The policy-only grid: v5's policy functions in TypeScript against a C loop of them (bench/policy_grid.ts).
 * 6. `pmup kernel`: the 345,600-input policy grid through compiled kernel functions (one driver
 *    process: the fixture test/fixtures/kernel/v5-clamp.patch, and the seed when ../shared has it)
 *    against the model policy they mirror (v5) on the same grid, in inputs/s; the whole
 *    `pmup kernel FILE --against v5` as a command, too. Skipped without gcc.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lookupRegister } from '../src/arch/catalogue.js';
import { lookupCpu } from '../src/arch/cpus.js';
import { countEvents } from '../src/arch/pmu/count.js';
import { makePeState, type PeState } from '../src/arch/pmu/state.js';
import { type PeStep, stepLeaves, stepOutcomes } from '../src/arch/step.js';
import { compilerVersion } from '../src/kvm/kernel_c/compile.js';
import { gridInputs } from '../src/kvm/kernel_c/grid.js';
import { loadKernelCode } from '../src/kvm/kernel_c/load.js';
import { runDriver } from '../src/kvm/kernel_c/run.js';
import { lookupPolicy } from '../src/kvm/policy.js';
import { benchCheck } from './check.js';
import { requestLine, rng } from './gen.js';
import { benchPolicyGrid } from './policy_grid.js';

const count = Number(process.env['BENCH_REQUESTS'] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'pmup-bench-'));

async function writeRequests(file: string): Promise<void> {
  const out = createWriteStream(file);
  const r = rng(12345);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(requestLine(r, i));
    if (chunk.length === 10000) {
      if (!out.write(`${chunk.join('\n')}\n`))
        await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = [];
    }
  }
  out.write(chunk.length ? `${chunk.join('\n')}\n` : '');
  await new Promise<void>((res) => out.end(res));
}

function time(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

try {
  const file = join(dir, 'requests.jsonl');
  await writeRequests(file);
  const baseline = join(dir, 'baseline.mjs');
  writeFileSync(
    baseline,
    `import { createReadStream } from 'node:fs';
let rest = '', out = [];
for await (const chunk of createReadStream(process.argv[2], 'utf8')) {
  const lines = (rest + chunk).split('\\n'); rest = lines.pop();
  for (const l of lines) if (l) out.push(JSON.stringify(JSON.parse(l)));
  if (out.length >= 1024) { process.stdout.write(out.join('\\n') + '\\n'); out = []; }
}
if (rest) out.push(JSON.stringify(JSON.parse(rest)));
process.stdout.write(out.join('\\n') + '\\n');
`,
  );
  const tBase = time(process.execPath, [baseline, file]);
  const tPmup = time(process.execPath, ['dist/cli/main.js', 'batch', file]);
  console.log(
    `batch: ${count} requests; baseline parse+serialise ${tBase.toFixed(0)} ms; pmup batch ${tPmup.toFixed(0)} ms`,
  );
  console.log(`batch ratio (pmup / baseline): ${(tPmup / tBase).toFixed(2)} (target <= 3)`);

  // Counting cost independent of k.
  const pe = makePeState(lookupCpu('neoverse-n2'), {
    MDCR_EL2: 0x84n,
    PMCR_EL0: 0x1n,
    PMCNTENSET_EL0: 0x8000003fn,
    PMEVTYPER0_EL0: 0x8n,
    PMEVTYPER1_EL0: 0x1en,
    PMEVTYPER4_EL0: 0x8n,
  });
  const per = (k: bigint) => {
    const events = new Map([[0x08, k]]);
    const reps = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) countEvents(pe, events, 1, 4, {});
    return (performance.now() - t0) / reps;
  };
  per(1n);
  const t1 = per(1n);
  const t40 = per(1n << 40n);
  console.log(
    `count: k = 1 ${(t1 * 1000).toFixed(2)} us; k = 2^40 ${(t40 * 1000).toFixed(2)} us; ratio ${(t40 / t1).toFixed(2)} (target ~1)`,
  );

  // A step under every permitted behaviour: a reserved HPMN (N = 6: seven behaviours) against the
  // same step with a legal HPMN, an EL1 PMCR_EL0 write with P = 1 and a count.
  const cpu = lookupCpu('neoverse-n2');
  const regs = { PMCR_EL0: 0x1n, PMCNTENSET_EL0: 0x3fn, PMEVTYPER0_EL0: 0x8n, PMEVCNTR0_EL0: 5n };
  const legal = makePeState(cpu, { ...regs, MDCR_EL2: 0x84n });
  const reserved = makePeState(cpu, { ...regs, MDCR_EL2: 0x9fn });
  const steps: PeStep[] = [
    { kind: 'write', el: 1, reg: lookupRegister('PMCR_EL0'), value: 0x3n },
    { kind: 'count', el: 1, events: new Map([[0x08, 1000n]]) },
  ];
  const outcomes = (s: PeState) => {
    const reps = 100_000;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) for (const step of steps) stepOutcomes(s, step, {});
    return (performance.now() - t0) / reps;
  };
  outcomes(legal);
  const tLegal = outcomes(legal);
  const tReserved = outcomes(reserved);
  // Evaluations per step: one per leaf of the walk, plus the first run that meets the case.
  const evaluations = steps.map((step) => stepLeaves(reserved, step, {}).leaves.length + 1);
  console.log(
    `stepOutcomes: reserved HPMN evaluates each step ${evaluations.join(' and ')} times (N + 1 = 7 behaviours, plus the first run); ` +
      `time: legal ${(tLegal * 1000).toFixed(2)} us, reserved ${(tReserved * 1000).toFixed(2)} us, ratio ${(tReserved / tLegal).toFixed(2)}`,
  );

  // Compiled kernel functions against the model policy, on the same grid.
  if (compilerVersion() === undefined) {
    console.log('kernel: skipped (gcc not found)');
  } else {
    const grid = gridInputs();
    const v5 = lookupPolicy('v5');
    const seed = join('..', 'shared', 'seeds', '000_d2b14fcbc558833d.txt');
    const files = [join('test', 'fixtures', 'kernel', 'v5-clamp.patch'), ...(existsSync(seed) ? [seed] : [])];
    for (const file of files) {
      const driver = loadKernelCode({ files: [file] });
      try {
        runDriver(driver, grid.slice(0, 1000));
        const t0 = performance.now();
        runDriver(driver, grid);
        const tC = performance.now() - t0;
        const t1 = performance.now();
        for (const i of grid) v5.evaluate(i);
        const tModel = performance.now() - t1;
        const rate = (ms: number) =>
          `${Math.round(grid.length / (ms / 1000)).toLocaleString('en-US')} inputs/s`;
        console.log(
          `kernel: ${file}: ${grid.length} inputs through the compiled functions (one process) ${tC.toFixed(0)} ms, ${rate(tC)}; ` +
            `the v5 policy on the same grid ${tModel.toFixed(0)} ms, ${rate(tModel)}; ratio (model / compiled) ${(tModel / tC).toFixed(2)}`,
        );
      } finally {
        driver.dispose();
      }
      const tCmd = time(process.execPath, ['dist/cli/main.js', 'kernel', file, '--against', 'v5']);
      console.log(`kernel: pmup kernel ${file} --against v5: ${tCmd.toFixed(0)} ms (compile, grid, compare)`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
benchCheck();
benchPolicyGrid();
