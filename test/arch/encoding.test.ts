// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { encodingOf, instanceName } from '../../src/arch/catalogue.js';
import {
  type Direction,
  decodeSysregInsn,
  parseSysregInsn,
  registerAt,
  sysregInsnText,
  sysregInsnWord,
} from '../../src/arch/encoding.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';
import type { RegisterDef } from '../../src/arch/registers/types.js';

// Arm ARM C6.2 MRS / MSR (register): 1101010100 L 1 o0 op1 CRn CRm op2 Rt.
describe('sysregInsnWord()', () => {
  const cases: [string, number][] = [
    ['mrs x0, pmcr_el0', 0xd53b9c00], // PMCR_EL0 = S3_3_C9_C12_0, D24.5.8
    ['msr pmcr_el0, x1', 0xd51b9c01],
    ['mrs x2, mdcr_el2', 0xd53c1122], // MDCR_EL2 = S3_4_C1_C1_1, D24.3.17
    ['mrs x3, pmevcntr5_el0', 0xd53be8a3], // PMEVCNTR<n>: CRn 14, CRm 0b10:n<4:3>, op2 n<2:0>, D24.5.10
    ['msr pmevcntr30_el0, xzr', 0xd51bebdf],
  ];
  for (const [text, word] of cases) {
    test(`${text} is 0x${word.toString(16)}`, () => {
      assert.equal(sysregInsnWord(parseSysregInsn(text)), word);
      const back = decodeSysregInsn(word);
      assert.ok(back !== undefined);
      assert.equal(sysregInsnText(back).toLowerCase(), text.replace(/\s+/g, ' '));
    });
  }
  test('decodeSysregInsn() rejects words that are not MRS/MSR (register)', () => {
    for (const w of [0xd503201f /* nop */, 0xd500401f /* msr spsel, #0 */, 0x8b020020 /* add */]) {
      assert.equal(decodeSysregInsn(w), undefined, `0x${w.toString(16)}`);
    }
  });
  test('decode inverts encode for every word of the MRS/MSR space (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          dir: fc.constantFrom<Direction>('mrs', 'msr'),
          rt: fc.integer({ min: 0, max: 31 }),
          encoding: fc.record({
            op0: fc.integer({ min: 2, max: 3 }),
            op1: fc.integer({ min: 0, max: 7 }),
            crn: fc.integer({ min: 0, max: 15 }),
            crm: fc.integer({ min: 0, max: 15 }),
            op2: fc.integer({ min: 0, max: 7 }),
          }),
        }),
        (insn) =>
          assert.deepEqual(decodeSysregInsn(sysregInsnWord(insn)), {
            ...insn,
            encoding: { ...insn.encoding },
          }),
      ),
    );
  });
  test('every register instance decodes back to itself', () => {
    for (const { def, n } of instances()) {
      assert.equal(registerAt(encodingOf(def, n))?.name, instanceName(def, n));
    }
  });
});

function* instances(): Generator<{ def: RegisterDef; n: number | undefined }> {
  for (const def of REGISTERS) {
    if (def.index === undefined) yield { def, n: undefined };
    else for (let n = 0; n <= def.index.max; n++) yield { def, n };
  }
}

function readable(def: RegisterDef): boolean {
  return Object.values(def.access).some((a) => a === 'RW' || a === 'RO');
}
function writable(def: RegisterDef): boolean {
  return Object.values(def.access).some((a) => a === 'RW' || a === 'WO');
}

/**
 * Registers newer than GNU as 2.40 (Debian bookworm's binutils-aarch64-linux-gnu): it rejects
 * their names. Their words are still checked above through the generic S<op0>_... form.
 */
const NEWER_THAN_BINUTILS_2_40 = new Set([
  'PMICNTR_EL0',
  'PMICFILTR_EL0',
  'PMZR_EL0',
  'PMUACR_EL1',
  'HDFGRTR2_EL2',
  'HDFGWTR2_EL2',
]);

const AS = 'aarch64-linux-gnu-as';
const OBJDUMP = 'aarch64-linux-gnu-objdump';
const haveAs = spawnSync(AS, ['--version']).status === 0 && spawnSync(OBJDUMP, ['--version']).status === 0;
// In CI the assembler is installed by .ci/run: a missing one is a failure there, not a skip.
if (!haveAs && process.env.CI)
  throw new Error(`${AS} is missing in CI: .ci/run must install binutils-aarch64-linux-gnu`);

describe('GNU as cross-check', { skip: haveAs ? false : `${AS} is not installed (CI installs it)` }, () => {
  test('every MRS/MSR of every register instance assembles to the same word', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmup-as-'));
    try {
      const lines: { text: string; word: number; name: string }[] = [];
      for (const { def, n } of instances()) {
        const name = instanceName(def, n);
        const encoding = encodingOf(def, n);
        for (const rt of [0, 17, 30]) {
          if (readable(def)) {
            const insn = { dir: 'mrs' as const, rt, encoding };
            lines.push({ text: `mrs x${rt}, ${name.toLowerCase()}`, word: sysregInsnWord(insn), name });
          }
          if (writable(def)) {
            const insn = { dir: 'msr' as const, rt, encoding };
            lines.push({ text: `msr ${name.toLowerCase()}, x${rt}`, word: sysregInsnWord(insn), name });
          }
        }
      }
      // First pass: which names does this assembler not know?
      const src = join(dir, 'all.s');
      writeFileSync(src, lines.map((l) => l.text).join('\n') + '\n');
      const first = spawnSync(AS, ['-march=armv9.3-a', src, '-o', join(dir, 'all.o')], { encoding: 'utf8' });
      const rejected = new Set<string>();
      for (const m of first.stderr.matchAll(/all\.s:(\d+): Error: (.*)/g)) {
        const line = lines[Number(m[1]) - 1];
        assert.ok(line !== undefined);
        assert.match(m[2]!, /unknown or missing system register name/, line.text);
        rejected.add(line.name);
      }
      for (const name of rejected) {
        assert.ok(NEWER_THAN_BINUTILS_2_40.has(name), `GNU as rejects ${name}, which it should know`);
      }
      const kept = lines.filter((l) => !rejected.has(l.name));
      assert.ok(kept.length > 0.8 * lines.length, `only ${kept.length} of ${lines.length} lines assembled`);
      writeFileSync(src, kept.map((l) => l.text).join('\n') + '\n');
      execFileSync(AS, ['-march=armv9.3-a', src, '-o', join(dir, 'all.o')], { stdio: 'pipe' });
      const dump = execFileSync(OBJDUMP, ['-d', join(dir, 'all.o')], { encoding: 'utf8' });
      const words = [...dump.matchAll(/^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s/gm)].map((m) =>
        Number.parseInt(m[1]!, 16),
      );
      assert.equal(words.length, kept.length);
      kept.forEach((l, i) => {
        assert.equal(
          words[i],
          l.word,
          `${l.text}: as gives 0x${words[i]?.toString(16)}, model 0x${l.word.toString(16)}`,
        );
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
