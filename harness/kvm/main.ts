// SPDX-License-Identifier: MIT
// npm run test:kvm: install what the harness needs, build, boot Debian's 6.1 kernel once under
// QEMU with every scenario, save the log, then run the comparison with the model's linux-6.1
// (test/kvm/real_kvm.test.ts) on that log. `--record` also copies the log to
// harness/kvm/recorded/, the log that plain `npm test` compares.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  boot,
  buildBinaries,
  buildInitramfs,
  cacheDir,
  ensurePackages,
  HARNESS_DIR,
  hostId,
} from './boot.js';
import { harnessLines, parseLog } from './log.js';
import { renderScenarios, SCENARIOS } from './scenarios.js';

const t0 = Date.now();
const say = (s: string): void => console.log(`test:kvm: ${s}`);
const pkgs = ensurePackages(say);
say(`kernel ${pkgs.release} (${pkgs.version})`);
const out = join(cacheDir(), 'build');
const bins = buildBinaries(out);
const initrd = buildInitramfs(out, pkgs, bins, renderScenarios());
const h = hostId(bins.hostid);
say(`host ID program: ${h.seconds.toFixed(1)} s`);
const b = boot(pkgs.vmlinuz, initrd);
const lines = `# kernel ${pkgs.release} ${pkgs.version}\n` + harnessLines(h.output + b.output);
const logFile = join(cacheDir(), 'last.log');
writeFileSync(logFile, lines);
writeFileSync(join(cacheDir(), 'console.log'), b.output);
const log = parseLog(lines);
say(
  `boot: ${b.seconds.toFixed(1)} s${b.timedOut ? ' (TIMED OUT)' : ''}, ${SCENARIOS.length} scenarios, ` +
    `${log.observations.length} observations, log ${logFile}`,
);
if (b.timedOut || !log.complete) {
  console.error(b.output.split('\n').slice(-40).join('\n'));
  throw new Error('test:kvm: the boot did not finish the scenarios');
}
if (process.argv.includes('--record')) {
  writeFileSync(join(HARNESS_DIR, 'recorded', 'linux-6.1.txt'), lines);
  say('recorded harness/kvm/recorded/linux-6.1.txt');
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/kvm/real_kvm.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PMUP_KVM_LOG: logFile },
});
say(`wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
