// SPDX-License-Identifier: MIT
/**
 * The driver program: the found functions, each under `#line` directives that point back to the
 * file and line it was read from (so that compiler messages name them), and a main() that reads
 * one PolicyInputs a line from stdin, calls every function and writes one result line, in
 * buffered batches, until the input ends. One process runs a whole grid.
 *
 * Input line: the HARNESS_FIELDS as integers (booleans 0/1, pmuVer as its ID_AA64DFR0_EL1.PMUVer
 * encoding). Output line: the guest N (if found), each HPMN function's value, MDCR_EL2 in hex (if
 * kvm_arm_setup_mdcr_el2() was found), in plan order.
 *
 * @module
 */

import { PMUVER_ENCODING } from '../../arch/features.js';
import type { PolicyInputs } from '../policy.js';
import { type FoundFunction, setupBody } from './extract.js';
import type { DriverPlan } from './plan.js';
import type { SourceLine } from './source.js';
import { HARNESS_FIELDS } from './stubs.js';

/** The value the driver poisons vcpu->arch.mdcr_el2 with before the setup runs. */
export const MDCR_POISON = '0x5eed5eed5eed5eedULL';

/** `lines` with `#line` directives wherever the next line is not the one after the last. */
function withLineDirectives(file: string, lines: readonly SourceLine[]): string[] {
  const out: string[] = [];
  let next = -1;
  for (const l of lines) {
    if (l.line !== next) out.push(`#line ${l.line} ${JSON.stringify(file)}`);
    out.push(l.text);
    next = l.line + 1;
  }
  return out;
}

function renamedCalls(lines: readonly SourceLine[], from: readonly string[], to: string): SourceLine[] {
  if (from.length === 0) return [...lines];
  const re = new RegExp(`\\b(${from.join('|')})(\\s*\\()`, 'g');
  return lines.map((l) => ({ ...l, text: l.text.replace(re, `${to}$2`) }));
}

/** One definition as C: signature, brace, body, closing brace; the setup cut short gets the tail. */
function definition(f: FoundFunction, plan: DriverPlan): string[] {
  const head: SourceLine[] = [
    { text: f.signature, line: f.line },
    { text: '{', line: f.braceLine },
  ];
  if (f.fn.role !== 'mdcr') {
    return [...withLineDirectives(f.file, [...head, ...f.body]), '}'];
  }
  const { body, tail } = setupBody(f);
  const lines = renamedCalls(body, plan.redirect, plan.primaryHpmn ?? '');
  return [
    ...withLineDirectives(f.file, [...head, ...lines]),
    '#line 1 "<pmup: the debug tail of kvm_arm_setup_mdcr_el2()>"',
    ...(tail ? ['\tharness_mdcr_tail(vcpu);'] : []),
    '}',
  ];
}

/** The functions of a plan in the order they are compiled. */
export function planFunctions(plan: DriverPlan): FoundFunction[] {
  return [
    ...(plan.guest === undefined ? [] : [plan.guest]),
    ...plan.hpmn,
    ...(plan.setup === undefined ? [] : [plan.setup]),
  ];
}

/** A function's prototype, from its signature (`static` kept), so definitions may call each other. */
const prototype = (f: FoundFunction): string => `${f.signature.trim()};`;

const MAIN = (plan: DriverPlan): string => {
  const fields = HARNESS_FIELDS.map((f, i) => `\t\tharness.${f} = v[${i}];`).join('\n');
  const calls: string[] = [];
  const formats: string[] = [];
  if (plan.guest !== undefined) {
    calls.push(`\t\tlong long guest = (long long)${plan.guest.fn.name}(&vcpu);`);
    formats.push('%lld');
  }
  plan.hpmn.forEach((f, i) => {
    calls.push(`\t\tlong long hpmn${i} = (long long)${f.fn.name}(&vcpu);`);
    formats.push('%lld');
  });
  if (plan.setup !== undefined) {
    calls.push(`\t\tvcpu.arch.mdcr_el2 = ${MDCR_POISON};`);
    calls.push(`\t\t${plan.setup.fn.name}(&vcpu);`);
    formats.push('%llx');
  }
  const args = [
    ...(plan.guest === undefined ? [] : ['guest']),
    ...plan.hpmn.map((_, i) => `hpmn${i}`),
    ...(plan.setup === undefined ? [] : ['vcpu.arch.mdcr_el2']),
  ];
  return `
#line 1 "<pmup driver>"
static volatile long harness_line;

/* A crash (a NULL arm_pmu dereferenced, say) names the input line, then exits 3. */
static void harness_crash(int sig)
{
	char msg[64];
	int n = 0;
	long x = harness_line;
	char digits[24];
	int d = 0;
	const char *head = "pmup-driver-crash ";
	while (*head)
		msg[n++] = *head++;
	do { digits[d++] = (char)('0' + x % 10); x /= 10; } while (x > 0 && d < 23);
	while (d > 0)
		msg[n++] = digits[--d];
	msg[n++] = ' ';
	msg[n++] = (char)('0' + sig / 10 % 10);
	msg[n++] = (char)('0' + sig % 10);
	msg[n++] = '\\n';
	(void)!write(2, msg, (size_t)n);
	_exit(3);
}

int main(void)
{
	static char line[512];
	static char obuf[1 << 16];
	signal(SIGSEGV, harness_crash);
	signal(SIGFPE, harness_crash);
	signal(SIGBUS, harness_crash);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (harness_line = 0; fgets(line, sizeof(line), stdin) != NULL; harness_line++) {
		long v[${HARNESS_FIELDS.length}];
		char *p = line;
		for (int i = 0; i < ${HARNESS_FIELDS.length}; i++) {
			char *end;
			v[i] = strtol(p, &end, 10);
			if (end == p) {
				fprintf(stderr, "pmup-driver-bad-input %ld\\n", harness_line);
				return 2;
			}
			p = end;
		}
${fields}
		struct arm_pmu pmu = { .hpmn_max = (int)harness.hpmn_max };
		struct kvm kvm = { .arch = { .nr_pmu_counters = (unsigned int)harness.nr,
					     .arm_pmu = harness.arm_pmu ? &pmu : NULL } };
		struct kvm_vcpu vcpu = { .kvm = &kvm, .guest_debug = (u32)harness.guest_debug };
		/* With an arm_pmu the kernel reads arm_pmu->hpmn_max: poison the global (v5 07/24). */
		armv8pmu_hpmn_max = harness.arm_pmu ? -7 : (int)harness.hpmn_max;
		host_data.nr_event_counters = (unsigned int)harness.host;
${calls.join('\n')}
		printf("${formats.join(' ')}\\n"${args.map((a) => `, ${a}`).join('')});
	}
	return fflush(stdout) == 0 ? 0 : 4;
}
`;
};

/** The driver's C source. `userStubs` is the text of `--stubs FILE` (with its #line), or ''. */
export function driverSource(plan: DriverPlan, userStubs: string): string {
  const fns = planFunctions(plan);
  return [
    '/* Generated by pmu-partition (src/kvm/kernel_c/driver.ts). The functions below are read from the',
    ' * files named in the #line directives at run time; nothing of them is stored in pmu-partition. */',
    '#include <signal.h>',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <unistd.h>',
    '#include "stubs.h"',
    userStubs,
    '#line 1 "<pmup prototypes>"',
    ...fns.map(prototype),
    '',
    ...fns.flatMap((f) => [...definition(f, plan), '']),
    MAIN(plan),
  ].join('\n');
}

/** One input's HARNESS_FIELDS values, in order. */
export function driverInputValues(i: PolicyInputs): number[] {
  const b = (x: boolean): number => (x ? 1 : 0);
  return [
    i.nrPmuCounters,
    i.hpmnMax,
    i.hostCounters,
    b(i.armPmu),
    b(i.partitioned),
    b(i.useFgt),
    b(i.hasHpmn0),
    PMUVER_ENCODING[i.pmuVer],
    b(i.onUnsupportedCpu),
    b(i.guestDebug),
    b(i.guestOwnsDebug),
    b(i.hasFgt),
    b(i.hasFgt2),
    b(i.guestHasPmu),
  ];
}

/** The driver's stdin for `inputs`: one line each, written as bytes (a string per line is slower). */
export function driverInput(inputs: readonly PolicyInputs[]): Buffer {
  // At most 14 fields of "-1".."31" or a PMUVer encoding: 4 bytes each with the separator.
  const buf = Buffer.allocUnsafe(inputs.length * HARNESS_FIELDS.length * 4);
  let n = 0;
  for (const i of inputs) {
    for (const v of driverInputValues(i)) {
      let x = v;
      if (x < 0) {
        buf[n++] = 0x2d; // '-'
        x = -x;
      }
      if (x >= 10) buf[n++] = 0x30 + Math.floor(x / 10);
      buf[n++] = 0x30 + (x % 10);
      buf[n++] = 0x20;
    }
    buf[n - 1] = 0x0a;
  }
  return buf.subarray(0, n);
}
