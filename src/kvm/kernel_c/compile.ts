// SPDX-License-Identifier: MIT
/**
 * Compiling the driver with the system's C compiler (gcc), and turning its first error into one
 * line: a symbol the stubs lack is named with the function that uses it and how to stub it.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../arch/errors.js';
import { driverSource, planFunctions } from './driver.js';
import { type FoundFunction, POLICY_FUNCTIONS } from './extract.js';
import type { DriverPlan } from './plan.js';
import { stubsHeader } from './stubs.js';

/** A compiled driver on disk; dispose() removes it. */
export interface CompiledDriver {
  readonly plan: DriverPlan;
  readonly exe: string;
  /** The compiler's first version line, for reports. */
  readonly compiler: string;
  dispose(): void;
}

/** The compiler: `gcc`, the system's C compiler here and in CI. */
export const C_COMPILER = 'gcc';

/** The compiler's version line, or undefined when it is not installed. */
export function compilerVersion(): string | undefined {
  const r = spawnSync(C_COMPILER, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

const FLAGS = [
  '-std=gnu11',
  '-O2',
  // The kernel's own code-generation choices (Makefile: KBUILD_CFLAGS).
  '-fno-strict-overflow',
  '-fno-strict-aliasing',
  '-Werror=implicit-function-declaration',
  '-Werror=implicit-int',
  '-Werror=int-conversion',
  '-Werror=return-type',
];

/** The found function whose lines hold `file:line`, for messages. */
function functionAt(plan: DriverPlan, file: string, line: number): FoundFunction | undefined {
  return planFunctions(plan).find((f) => {
    const last = f.body[f.body.length - 1]?.line ?? f.braceLine;
    return f.file === file && line >= f.line && line <= last + 1;
  });
}

/** How to stub `symbol`, for the message. */
function stubHint(symbol: string, kind: 'function' | 'identifier' | 'type' | 'member'): string {
  const policy = POLICY_FUNCTIONS.find((f) => f.name === symbol);
  if (policy !== undefined)
    return `none of the files defines it: give the file that does too (${policy.source})`;
  const example =
    kind === 'function'
      ? `static inline bool ${symbol}(struct kvm_vcpu *vcpu) { (void)vcpu; return false; }`
      : kind === 'identifier'
        ? `#define ${symbol} 0`
        : kind === 'type'
          ? `typedef int ${symbol};`
          : 'the stubs model only the fields the policy functions read (src/kvm/kernel_c/stubs.ts)';
  return kind === 'member'
    ? example
    : `pmup kernel does not stub it: write a header with, for example, "${example}" and pass --stubs FILE`;
}

/** The first compiler error as one InputError line. */
function compileError(plan: DriverPlan, stderr: string): InputError {
  const lines = stderr.split('\n');
  const first = lines.find((l) => /: (?:fatal )?error: /.test(l)) ?? lines.find((l) => l.trim() !== '') ?? '';
  const m = /^(.*?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$/.exec(first);
  if (m === null) return new InputError(`kernel: the C compiler failed: ${first.trim()}`);
  const [, file, lineText, message] = m as unknown as [string, string, string, string];
  const fn = functionAt(plan, file, Number(lineText));
  const who = fn === undefined ? `${file}:${lineText}` : `${fn.fn.name}() at ${file}:${lineText}`;
  const symbol = (re: RegExp): string | undefined => re.exec(message)?.[1];
  const call = symbol(/implicit declaration of function '(\w+)'/);
  if (call !== undefined)
    return new InputError(`kernel: ${who} calls ${call}(); ${stubHint(call, 'function')}`);
  const ident = symbol(/'(\w+)' undeclared/);
  if (ident !== undefined)
    return new InputError(`kernel: ${who} uses ${ident}; ${stubHint(ident, 'identifier')}`);
  const type = symbol(/unknown type name '(\w+)'/);
  if (type !== undefined)
    return new InputError(`kernel: ${who} uses the type ${type}; ${stubHint(type, 'type')}`);
  const member = /'(struct \w+)'.* has no member named '(\w+)'/.exec(message);
  if (member !== null) {
    return new InputError(
      `kernel: ${who} reads ${member[1]}.${member[2]}, which the stubs lack; ${stubHint(member[2]!, 'member')}`,
    );
  }
  return new InputError(`kernel: ${who} does not compile: ${message}`);
}

/**
 * Compiles the plan's functions with the driver into a temporary directory. Throws InputError
 * (one line) when the compiler is missing or the code does not compile.
 */
export function compileDriver(plan: DriverPlan, userStubs = ''): CompiledDriver {
  const compiler = compilerVersion();
  if (compiler === undefined) {
    throw new InputError(
      `kernel: the C compiler ${C_COMPILER} was not found; install it to compile kernel code`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pmup-kernel-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(path.join(dir, 'stubs.h'), stubsHeader());
    writeFileSync(path.join(dir, 'driver.c'), driverSource(plan, userStubs));
    const exe = path.join(dir, 'driver');
    const cc = spawnSync(C_COMPILER, [...FLAGS, '-o', exe, 'driver.c'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
    });
    if (cc.status !== 0) throw compileError(plan, cc.stderr);
    return { plan, exe, compiler, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
