// SPDX-License-Identifier: MIT
/**
 * `npm run test:qemu`: the differential suite. Installs qemu-system-arm, gcc-aarch64-linux-gnu
 * and binutils-aarch64-linux-gnu with apt when missing (as root; otherwise says what to install),
 * runs every scenarios/*.json on QEMU and on the model, and fails on an unclassified disagreement
 * or on a classification entry that no run shows (a stale or refuted entry).
 */

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadDivergences } from '../src/harness/qemu/divergences.js';
import { HarnessError, missingPackages, qemuVersion } from '../src/harness/qemu/qemu.js';
import { runSuite, suiteCounts, suitePairs, suiteText } from '../src/harness/qemu/suite.js';
import { loadScenarioFile } from '../src/scenario/load.js';

function ensureTools(): boolean {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  if (process.getuid?.() !== 0) {
    console.error(
      `test:qemu: missing ${missing.join(', ')}; install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
    return false;
  }
  console.error(`test:qemu: installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  return r.status === 0 && missingPackages().length === 0;
}

const t0 = performance.now();
if (!ensureTools()) process.exit(1);
const files = readdirSync('scenarios')
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => loadScenarioFile(`scenarios/${f}`));
const divergences = loadDivergences();
let status = 0;
try {
  const r = runSuite(suitePairs(files), divergences, 120);
  process.stdout.write(`QEMU ${qemuVersion()}; ${files.length} scenario files\n`);
  process.stdout.write(suiteText(r, false));
  const n = suiteCounts(r);
  if (n.unclassified > 0) {
    console.error(
      `test:qemu: ${n.unclassified} unclassified disagreements (classify them in harness/qemu/divergences.json or fix the model)`,
    );
    status = 1;
  }
  const shown = new Map<string, number>();
  for (const c of r.comparisons) {
    for (const v of c.verdicts) for (const d of v.classified) shown.set(d.id, (shown.get(d.id) ?? 0) + 1);
  }
  for (const d of divergences) {
    const k = shown.get(d.id) ?? 0;
    process.stdout.write(`divergence ${d.id}: ${k > 0 ? `confirmed by ${k} observations` : 'NOT SEEN'}\n`);
    if (k === 0) {
      console.error(`test:qemu: divergence ${d.id} is not shown by any run: refuted or stale`);
      status = 1;
    }
  }
} catch (e) {
  if (!(e instanceof HarnessError)) throw e;
  console.error(`test:qemu: the harness failed: ${e.message}`);
  status = 1;
}
process.stdout.write(`test:qemu: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
process.exit(status);
