// SPDX-License-Identifier: MIT
/**
 * Building and running a harness program: aarch64-linux-gnu-gcc assembles and links it,
 * qemu-system-aarch64 runs it (`-M virt,virtualization=on -cpu MODEL -icount shift=0
 * -semihosting -nographic`, with a timeout; semihosting SYS_EXIT ends it), and the UART lines
 * ("S id", "O id j EL ESR Xt", "D") are read back as observations.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CpuDef } from '../../arch/cpus.js';
import type { Observation } from '../../scenario/model.js';
import type { Scenario } from '../../scenario/schema.js';
import { generateProgram, linkerScript, observedInsns, SENTINEL } from './generate.js';

/** The tools the harness runs, and the Debian packages that have them. */
export const TOOLS = [
  { command: 'qemu-system-aarch64', pkg: 'qemu-system-arm' },
  { command: 'aarch64-linux-gnu-gcc', pkg: 'gcc-aarch64-linux-gnu' },
  { command: 'aarch64-linux-gnu-as', pkg: 'binutils-aarch64-linux-gnu' },
] as const;

/** The packages whose commands are missing. */
export function missingPackages(): string[] {
  return TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t.command}`]).status !== 0).map(
    (t) => t.pkg,
  );
}

/** The QEMU -cpu model of a catalogue CPU `qemu-virt-<model>`, or undefined. */
export function qemuModel(cpu: CpuDef): string | undefined {
  return cpu.name.startsWith('qemu-virt-') ? cpu.name.slice('qemu-virt-'.length) : undefined;
}

/** `qemu-system-aarch64 --version`'s first line's version, e.g. `7.2.22`. */
export function qemuVersion(): string {
  const r = spawnSync('qemu-system-aarch64', ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

/** What QEMU did at one MRS or MSR. */
export interface QemuRecord {
  /** 0 when no exception was taken, else the EL it was taken to. */
  readonly el: number;
  readonly esr: bigint;
  /** Xt after the instruction. */
  readonly xt: bigint;
}

/** A failure of the harness itself (tool missing, assembler error, timeout, garbled output). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}

/** The observation a record gives, for an MRS (`read`) or an MSR. */
export function recordObservation(r: QemuRecord, read: boolean): Observation {
  if (r.el === 0) {
    if (!read) return { kind: 'done' };
    return r.xt === SENTINEL ? { kind: 'nop' } : { kind: 'value', value: r.xt };
  }
  // ESR_ELx: EC [31:26], IL [25], ISS [24:0] (D24.2.45); EC 0x00 is an Unknown reason exception,
  // how an UNDEFINED instruction is reported.
  const ec = Number((r.esr >> 26n) & 0x3fn);
  if (ec === 0) return { kind: 'undefined' };
  return { kind: 'trap', toEl: r.el, ec, iss: Number(r.esr & 0x1ffffffn) };
}

/** The result of one boot: per scenario, its records in program order. */
export interface QemuRun {
  readonly records: readonly (readonly QemuRecord[])[];
  readonly seconds: number;
  readonly command: string;
}

/** Parses the UART text of a run of `scenarios`. */
export function parseUart(text: string, scenarios: readonly Scenario[]): QemuRecord[][] {
  const records: QemuRecord[][] = scenarios.map(() => []);
  let done = false;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '') continue;
    if (t === 'D') {
      done = true;
      continue;
    }
    if (t.startsWith('X '))
      throw new HarnessError(`an unexpected exception (vector ${t.slice(2)}) stopped the program`);
    if (t.startsWith('S ')) continue;
    const m = /^O ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})$/.exec(t);
    if (m === null) throw new HarnessError(`unexpected UART line ${JSON.stringify(t.slice(0, 80))}`);
    const sid = Number.parseInt(m[1]!, 16);
    const list = records[sid];
    if (list === undefined) throw new HarnessError(`UART line for unknown scenario ${sid}`);
    list.push({ el: Number.parseInt(m[3]!, 16), esr: BigInt(`0x${m[4]}`), xt: BigInt(`0x${m[5]}`) });
  }
  if (!done) throw new HarnessError('the program did not finish (no "D" line)');
  scenarios.forEach((s, k) => {
    const want = observedInsns(s).length;
    if (records[k]!.length !== want) {
      throw new HarnessError(
        `scenario ${s.name}: ${records[k]!.length} observations printed, ${want} expected`,
      );
    }
  });
  return records;
}

/** Assembles, links and runs `scenarios` on `cpu` under QEMU; `timeoutSeconds` bounds the run. */
export function runOnQemu(scenarios: readonly Scenario[], cpu: CpuDef, timeoutSeconds = 60): QemuRun {
  const model = qemuModel(cpu);
  if (model === undefined) throw new HarnessError(`CPU ${cpu.name} is not a QEMU model (qemu-virt-<model>)`);
  const dir = mkdtempSync(join(tmpdir(), 'pmup-qemu-'));
  try {
    const src = join(dir, 'prog.S');
    const elf = join(dir, 'prog.elf');
    writeFileSync(src, generateProgram(scenarios, cpu));
    const cc = spawnSync(
      'aarch64-linux-gnu-gcc',
      ['-nostdlib', '-static', '-Wl,--no-warn-rwx-segments', '-T', linkerScript(), '-o', elf, src],
      { encoding: 'utf8' },
    );
    if (cc.error !== undefined) throw new HarnessError(`aarch64-linux-gnu-gcc: ${cc.error.message}`);
    if (cc.status !== 0)
      throw new HarnessError(`assembling failed: ${(cc.stderr ?? '').split('\n').slice(0, 3).join(' / ')}`);
    const args = [
      '-M',
      'virt,virtualization=on',
      '-cpu',
      model,
      '-icount',
      'shift=0',
      '-semihosting',
      '-nographic',
      '-kernel',
      elf,
    ];
    const t0 = performance.now();
    const q = spawnSync('qemu-system-aarch64', args, {
      encoding: 'utf8',
      timeout: timeoutSeconds * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (q.error !== undefined) {
      const why =
        (q.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
          ? `timed out after ${timeoutSeconds} s`
          : q.error.message;
      throw new HarnessError(`qemu-system-aarch64 -cpu ${model}: ${why}`);
    }
    const records = parseUart(q.stdout ?? '', scenarios);
    return { records, seconds, command: `qemu-system-aarch64 ${args.join(' ')}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
