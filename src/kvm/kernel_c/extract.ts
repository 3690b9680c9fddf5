// SPDX-License-Identifier: MIT
/**
 * Finding the policy functions in code views by name: each definition from its signature to its
 * closing brace (kernel style: the brace alone at the start of a line), which definition counts
 * when there are several, and the MDCR_EL2 part of a kvm_arm_setup_mdcr_el2() that a diff hunk
 * cuts short.
 *
 * @module
 */

import { InputError } from '../../arch/errors.js';
import type { CodeView, SourceLine } from './source.js';

/** What a policy function computes, and so how the driver calls it. */
export type FunctionRole = 'guest-n' | 'hpmn' | 'mdcr';

/** A function the tool looks for by name. */
export interface PolicyFunction {
  readonly name: string;
  readonly role: FunctionRole;
  /** Where the function comes from. */
  readonly source: string;
}

/** The functions looked for by default, in the order they are reported. */
export const POLICY_FUNCTIONS: readonly PolicyFunction[] = [
  {
    name: 'kvm_pmu_guest_num_counters',
    role: 'guest-n',
    source: 'arch/arm64/kvm/pmu-direct.c, the guest PMCR_EL0.N (v5 15/24)',
  },
  {
    name: 'kvm_pmu_hpmn',
    role: 'hpmn',
    source: 'arch/arm64/kvm/pmu-direct.c, MDCR_EL2.HPMN (v5 15/24, v6 10/19, v7 09/20)',
  },
  {
    name: 'kvm_mdcr_hpmn',
    role: 'hpmn',
    source: "MDCR_EL2.HPMN as Oliver Upton's review of v5 15/24 proposes it",
  },
  {
    name: 'kvm_arm_setup_mdcr_el2',
    role: 'mdcr',
    source: 'arch/arm64/kvm/debug.c, MDCR_EL2 (mainline; v5 15/24, v7 09/20; v8 10/21 open-codes HPMN)',
  },
];

/**
 * The comment where kvm_arm_setup_mdcr_el2() leaves its PMU part for the debug tail that no
 * revision changes (arch/arm64/kvm/debug.c): a hunk that stops after it may be completed with
 * that tail.
 */
export const SETUP_TAIL_MARKER = '/* Is the VM being debugged by userspace? */';

/** One definition found. */
export interface FoundFunction {
  readonly fn: PolicyFunction;
  readonly file: string;
  /** The diff path or C file it belongs to, when known. */
  readonly path?: string;
  /** Line of the signature in `file`. */
  readonly line: number;
  /** The signature line, e.g. `u8 kvm_pmu_hpmn(struct kvm_vcpu *vcpu)`. */
  readonly signature: string;
  /** The lines after the opening brace, up to (not including) the closing brace or the cut. */
  readonly body: readonly SourceLine[];
  /** The line of the opening brace. */
  readonly braceLine: number;
  /** False when the view ends (a hunk cut short) before the closing brace. */
  readonly complete: boolean;
  /**
   * True when a hunk starts inside the function (its header names it, as git's function context
   * does): the body is read from the hunk's first line, the signature from the header.
   */
  readonly startsInside?: boolean;
}

const regexpQuote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every definition of `fn` in `view`. */
function definitionsIn(view: CodeView, fn: PolicyFunction): FoundFunction[] {
  const sig = new RegExp(
    `^(?:[A-Za-z_][\\w ]*[\\s*])?${regexpQuote(fn.name)}\\s*\\(([^)]*)\\)\\s*(\\{)?\\s*$`,
  );
  const out: FoundFunction[] = [];
  const lines = view.lines;
  for (let i = 0; i < lines.length; i++) {
    const m = sig.exec(lines[i]!.text);
    if (m === null) continue;
    const sameLine = m[2] !== undefined;
    if (!sameLine && lines[i + 1]?.text.trim() !== '{') continue;
    const bodyStart = sameLine ? i + 1 : i + 2;
    let end = bodyStart;
    while (end < lines.length && lines[end]!.text !== '}') end++;
    out.push({
      fn,
      file: view.file,
      ...(view.path === undefined ? {} : { path: view.path }),
      line: lines[i]!.line,
      signature: lines[i]!.text.replace(/\s*\{\s*$/, ''),
      body: lines.slice(bodyStart, end),
      braceLine: lines[sameLine ? i : i + 1]!.line,
      complete: end < lines.length,
    });
    i = end;
  }
  return out.length > 0 || fn.role !== 'mdcr' ? out : insideHunks(view, fn, sig);
}

/**
 * kvm_arm_setup_mdcr_el2() from hunks that start inside it (v8 10/21's does): the header's
 * context is the signature, the body the hunk's lines after any comment the hunk starts in.
 * Mainline has only preempt_disable() and a comment before the MDCR_EL2 lines
 * (arch/arm64/kvm/debug.c), so nothing that sets MDCR_EL2 is missed.
 */
function insideHunks(view: CodeView, fn: PolicyFunction, sig: RegExp): FoundFunction[] {
  const lines = view.lines;
  const hunks = view.hunks ?? [];
  return hunks.flatMap((h, k) => {
    if (!sig.test(h.context.trim())) return [];
    const stop = hunks[k + 1]?.at ?? lines.length;
    let start = h.at;
    // A hunk that starts inside a comment: skip to the line after its "*/".
    if (/^\s*\*/.test(lines[start]?.text ?? '')) {
      while (start < stop && !lines[start]!.text.includes('*/')) start++;
      start++;
    }
    let end = start;
    while (end < stop && lines[end]!.text !== '}') end++;
    return [
      {
        fn,
        file: view.file,
        ...(view.path === undefined ? {} : { path: view.path }),
        line: h.line,
        signature: h.context.trim().replace(/\s*\{\s*$/, ''),
        body: lines.slice(start, end),
        braceLine: h.line,
        complete: end < stop,
        startsInside: true,
      },
    ];
  });
}

/** Where a definition is, for messages: `file:line`. */
export function whereOf(f: { readonly file: string; readonly line: number }): string {
  return `${f.file}:${f.line}`;
}

/** The definitions chosen, and those passed over, for one function. */
export interface FunctionChoice {
  /** Undefined when only header stubs define the function. */
  readonly chosen?: FoundFunction;
  /** Other definitions, with why they were passed over. */
  readonly ignored: readonly { readonly found: FoundFunction; readonly why: string }[];
}

const inHeader = (f: FoundFunction): boolean => (f.path ?? f.file).endsWith('.h');

/**
 * The definition of `fn` that counts among the views: never a header's (a header defines the
 * `static inline` stubs for kernels built without the feature, as v5 15/24's and v7 09/20's
 * kvm_pmu.h and arm_pmu.h do, even for a function the series then drops), and of the others the
 * last read (a later patch of a series, or a reply, replaces an earlier one). Undefined when
 * nothing defines it; without `chosen` when only header stubs do.
 */
export function chooseDefinition(views: readonly CodeView[], fn: PolicyFunction): FunctionChoice | undefined {
  // A cheap test first: a tree has many files, few of which name the function.
  const all = views
    .filter(
      (v) =>
        v.lines.some((l) => l.text.includes(fn.name)) ||
        (v.hunks ?? []).some((h) => h.context.includes(fn.name)),
    )
    .flatMap((v) => definitionsIn(v, fn));
  const real = all.filter((f) => !inHeader(f));
  const chosen = real[real.length - 1];
  const ignored = all
    .filter((f) => f !== chosen)
    .map((found) => ({
      found,
      why: inHeader(found)
        ? 'a header stub'
        : `replaced by the one at ${chosen === undefined ? '?' : whereOf(chosen)}`,
    }));
  if (chosen === undefined) return ignored.length === 0 ? undefined : { ignored };
  return { chosen, ignored };
}

/** A definition's parameter list must be the one the driver passes: `(struct kvm_vcpu *vcpu)`. */
export function checkSignature(f: FoundFunction): void {
  const params = /\(([^)]*)\)/.exec(f.signature)?.[1]?.replace(/\s+/g, ' ').trim();
  if (params !== 'struct kvm_vcpu *vcpu') {
    throw new InputError(
      `kernel: ${f.fn.name}() at ${whereOf(f)} takes (${params ?? ''}); the driver calls it as ${f.fn.name}(struct kvm_vcpu *vcpu)`,
    );
  }
}

/**
 * The body of kvm_arm_setup_mdcr_el2() the driver compiles, and whether the driver appends the
 * unchanged debug tail: the whole body when the definition is complete; when a hunk cuts it short
 * (as the seed's quote does), the lines before SETUP_TAIL_MARKER, completed with the tail.
 */
export function setupBody(f: FoundFunction): {
  readonly body: readonly SourceLine[];
  readonly tail: boolean;
} {
  if (f.complete) return { body: f.body, tail: false };
  const stop = f.body.findIndex((l) => l.text.trim() === SETUP_TAIL_MARKER);
  if (stop === -1) {
    const last = f.body[f.body.length - 1]?.line ?? f.braceLine;
    throw new InputError(
      `kernel: kvm_arm_setup_mdcr_el2() at ${whereOf(f)} is cut off at line ${last} before its closing brace and before "${SETUP_TAIL_MARKER}"; give the whole function`,
    );
  }
  return { body: f.body.slice(0, stop), tail: true };
}

/** Throws InputError for a function other than kvm_arm_setup_mdcr_el2() that a hunk cuts short. */
export function requireComplete(f: FoundFunction): void {
  if (f.complete || f.fn.role === 'mdcr') return;
  throw new InputError(
    `kernel: ${f.fn.name}() at ${whereOf(f)} has no closing brace in ${f.path ?? f.file} (a diff hunk or quote cut it short); give the whole function`,
  );
}
