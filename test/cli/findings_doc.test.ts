// SPDX-License-Identifier: MIT
// docs/findings.md: every `$ pmup kvm` command in it runs, and every line it quotes from the
// output (split at "...", where the document leaves text out) is in the output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';

const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');

/** The inline CPUs of the document's table, by name. */
const CPUS = new Map<string, string>();
for (const m of doc.matchAll(/^\| (\w+) +\| `(\{[^`]+\})`/gm)) CPUS.set(m[1]!, m[2]!);

/** The fenced blocks that start with `$ pmup`. */
const blocks = [...doc.matchAll(/```\n\$ pmup ([^\n]+)\n([\s\S]*?)```/g)].map((m) => ({
  command: m[1]!,
  quoted: m[2]!.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...'),
}));

describe('docs/findings.md', () => {
  test('names its inline CPUs and has commands', () => {
    assert.deepEqual([...CPUS.keys()], ['NOFGT', 'N8', 'N4', 'R8', 'R6']);
    assert.ok(blocks.length >= 8, `${blocks.length} commands`);
  });
  for (const b of blocks) {
    test(`pmup ${b.command}`, () => {
      const args = b.command.split(/\s+/).map((a) => CPUS.get(a) ?? a);
      const r = runPmup(args);
      assert.equal(r.stderr, '');
      for (const line of b.quoted) {
        for (const part of line.split('...').map((p) => p.trim())) {
          if (part === '' || part === '(' || part === ')') continue;
          assert.ok(r.stdout.includes(part), `missing: ${part}\n--- output:\n${r.stdout}`);
        }
      }
    });
  }
});
