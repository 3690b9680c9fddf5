// SPDX-License-Identifier: MIT
// The KVM model against a real Linux KVM (issue 13): the log of one boot of Debian's 6.1 kernel
// under QEMU (harness/kvm/), compared with the model's linux-6.1 reading. Plain `npm test` reads
// the recorded log (harness/kvm/recorded/linux-6.1.txt); `npm run test:kvm` boots the kernel and
// runs this file on the fresh log ($PMUP_KVM_LOG).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseLog } from '../../harness/kvm/log.js';
import { SCENARIOS } from '../../harness/kvm/scenarios.js';

const LIVE = process.env['PMUP_KVM_LOG'];
const FILE = LIVE ?? new URL('../../harness/kvm/recorded/linux-6.1.txt', import.meta.url).pathname;
const log = parseLog(readFileSync(FILE, 'utf8'));
if (LIVE === undefined) {
  console.log(
    '# real KVM: comparing the recorded log; `npm run test:kvm` boots the kernel and compares a fresh one',
  );
}

describe(`real KVM log ${LIVE === undefined ? '(recorded)' : '(live)'}`, () => {
  test('KVM came up at EL2 in VHE mode, and the VMM ran to its end', () => {
    assert.ok(log.dmesg.some((l) => l.includes('kvm [1]: VHE mode initialized successfully')));
    assert.ok(log.complete);
  });
  test('every scenario ran', () => {
    const ran = new Set(log.observations.map((o) => o.scenario));
    for (const s of SCENARIOS) assert.ok(ran.has(s.name), s.name);
  });
  test('the emulated host ran the host-ID program at EL2', () => {
    // CurrentEL.EL is bits [3:2] (Arm ARM D24.3.1): 2.
    assert.equal((log.hostId['CurrentEL'] ?? 0n) >> 2n, 2n);
  });
});
