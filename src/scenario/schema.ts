// SPDX-License-Identifier: MIT
/**
 * Scenario files (`scenarios/*.json`, docs/scenarios.md): a CPU list, and scenarios each made of
 * an EL2 set-up, EL2 steps before and after, and a guest program of AArch64 instructions at EL1
 * (`mrs`/`msr` of PMU registers by name, `isb`, counted loops). The shape is checked with zod;
 * every error names the file and the line of the offending member (jsonc-parser gives the
 * offset of each JSON node) and is an InputError, so the CLI prints one line and exits 2.
 *
 * @module
 */

import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { z } from 'zod';
import { lookupRegister, type RegisterRef } from '../arch/catalogue.js';
import { type CpuDef, lookupCpu, parseInlineCpu } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';

/** One instruction of a program (or an EL2 step). */
export type ScenarioInsn =
  | { readonly kind: 'mrs'; readonly reg: RegisterRef; readonly label: string; readonly slack: bigint }
  | { readonly kind: 'msr'; readonly reg: RegisterRef; readonly value: bigint; readonly label: string }
  | { readonly kind: 'isb' }
  /** `loop` iterations of `subs; b.ne` after one `mov`: 2 * loop + 1 instructions. */
  | { readonly kind: 'loop'; readonly loop: number }
  /** The level of PMUIRQ (1 asserted), as the interrupt controller sees it. */
  | { readonly kind: 'pmuirq'; readonly label: string };

/** An instruction that gives an observation: an MRS, an MSR, or a look at PMUIRQ. */
export type ObservedInsn = Extract<ScenarioInsn, { readonly label: string }>;

/** Whether `i` gives an observation. */
export function isObserved(i: ScenarioInsn): i is ObservedInsn {
  return i.kind === 'mrs' || i.kind === 'msr' || i.kind === 'pmuirq';
}

/** Where a program runs. */
export type Part = 'el2' | 'before' | 'guest' | 'el0' | 'after';

/** One instruction with where it runs and its Exception level. */
export interface PlacedInsn {
  readonly part: Part;
  readonly el: 0 | 1 | 2;
  readonly insn: ScenarioInsn;
}

/** An expected observation: a hex value, `ok` (a write completed), `undefined`, `trap-el1`/`trap-el2`. */
export type Expected = { readonly kind: 'value'; readonly value: bigint } | { readonly kind: ExpectedWord };
export type ExpectedWord = 'ok' | 'undefined' | 'trap-el1' | 'trap-el2';

/** A parsed scenario. */
export interface Scenario {
  readonly name: string;
  readonly about: string;
  /** The CPUs it runs on (the file's, or the scenario's own subset). */
  readonly cpus: readonly CpuDef[];
  /** EL2 set-up, EL2 before, EL1 guest, EL0 program, EL2 after, in order. */
  readonly program: readonly PlacedInsn[];
  /** label -> expected observation (checked on the model by `pmup run`). */
  readonly expect: ReadonlyMap<string, Expected>;
  /** The file and line of the scenario, for messages. */
  readonly where: string;
}

/** A parsed scenario file. */
export interface ScenarioFile {
  readonly file: string;
  readonly description: string;
  readonly scenarios: readonly Scenario[];
}

const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const hexString = z.string().regex(HEX, 'expected a hex string of at most 64 bits such as "0x84"');
const label = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z0-9_.:<>=\-[\] ]+$/, 'labels use letters, digits, _.:-<>=[] and spaces');

const insnSchema = z.union([
  z.strictObject({
    mrs: z.string(),
    as: label.optional(),
    slack: z.number().int().min(0).max(1000).optional(),
  }),
  z.strictObject({ msr: z.string(), value: hexString, as: label.optional() }),
  z.strictObject({ isb: z.literal(true) }),
  z.strictObject({ pmuirq: z.literal(true), as: label.optional() }),
  z.strictObject({ loop: z.number().int().min(1).max(65535) }),
]);

const cpuSchema = z.union([z.string(), z.record(z.string(), z.unknown())]);

const expectSchema = z.record(
  z.string(),
  z.union([hexString, z.enum(['ok', 'undefined', 'trap-el1', 'trap-el2'])]),
);

const scenarioSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[a-z0-9][a-z0-9.-]*$/, 'names are lower case, digits, dots and dashes'),
  about: z.string().optional(),
  cpus: z.array(cpuSchema).min(1).optional(),
  el2: z.record(z.string(), hexString).optional(),
  before: z.array(insnSchema).optional(),
  guest: z.array(insnSchema),
  el0: z.array(insnSchema).optional(),
  after: z.array(insnSchema).optional(),
  expect: expectSchema.optional(),
});

const fileSchema = z.strictObject({
  description: z.string().optional(),
  cpus: z.array(cpuSchema).min(1),
  scenarios: z.array(scenarioSchema).min(1),
});

type RawInsn = z.infer<typeof insnSchema>;
type RawScenario = z.infer<typeof scenarioSchema>;

/** The 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line of the member at `path` in the JSON tree: the key's line for an object member (the
 * deepest node of the path that exists, so a missing member points at its object).
 */
function lineAt(root: Node | undefined, text: string, path: readonly (string | number)[]): number {
  if (root === undefined) return 1;
  for (let k = path.length; k >= 0; k--) {
    const node = findNodeAtLocation(root, path.slice(0, k) as (string | number)[]);
    if (node === undefined) continue;
    // A property's value node: its parent is the property, whose first child is the key.
    const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    return lineOf(text, at);
  }
  return 1;
}

export function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s;
}

/** A JSON text checked against a zod schema, with a way to name the line of any path in it. */
export interface CheckedJson<T> {
  readonly data: T;
  /** `file:line` of the member at `path`. */
  at(path: readonly (string | number)[]): string;
}

/**
 * Parses `text` as JSON and checks it against `schema`; throws an InputError `file:line: path:
 * message` for broken JSON or the first schema violation (the line of the offending member).
 */
export function parseJsonChecked<T>(text: string, file: string, schema: z.ZodType<T>): CheckedJson<T> {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const e0 = errors[0];
  if (e0 !== undefined || root === undefined) {
    const why = e0 === undefined ? 'empty file' : printParseErrorCode(e0.error);
    throw new InputError(`${file}:${lineOf(text, e0?.offset ?? 0)}: not valid JSON (${why})`);
  }
  const raw: unknown = JSON.parse(text);
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = path.length === 0 ? '' : `${pathText(path)}: `;
    // An unknown member is shown at its own key's line.
    const linePath =
      issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...path, issue.keys[0]] : path;
    throw new InputError(`${file}:${lineAt(root, text, linePath)}: ${where}${issueText(issue)}`);
  }
  return { data: r.data, at: (path) => `${file}:${lineAt(root, text, path)}` };
}

/** Parses and checks a scenario file's text; `file` names it in messages. */
export function parseScenarioFile(text: string, file: string): ScenarioFile {
  const { data, at } = parseJsonChecked(text, file, fileSchema);
  const r = { data };

  // Checks beyond the shape (register names, CPUs, labels), each naming its line.
  const checked = <T>(path: readonly (string | number)[], f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`${at(path)}: ${pathText(path)}: ${e.message}`);
      throw e;
    }
  };
  const fileCpus = r.data.cpus.map((c, i) => checked(['cpus', i], () => cpuOf(c)));
  const names = new Set<string>();
  const scenarios = r.data.scenarios.map((s, i) => {
    const base: (string | number)[] = ['scenarios', i];
    if (names.has(s.name)) {
      throw new InputError(`${at([...base, 'name'])}: scenario name "${s.name}" is used twice in the file`);
    }
    names.add(s.name);
    return scenarioOf(s, base, fileCpus, at, checked);
  });
  return { file, description: r.data.description ?? '', scenarios };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown member ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union') {
    return 'expected one of {"mrs": REG}, {"msr": REG, "value": "0x.."}, {"isb": true}, {"loop": N}, {"pmuirq": true}, or a CPU (name or inline object), a hex value or ok/undefined/trap-el1/trap-el2';
  }
  return issue.message;
}

function cpuOf(c: string | Record<string, unknown>): CpuDef {
  return typeof c === 'string' ? lookupCpu(c) : parseInlineCpu(c);
}

function scenarioOf(
  s: RawScenario,
  base: (string | number)[],
  fileCpus: readonly CpuDef[],
  at: (path: readonly (string | number)[]) => string,
  checked: <T>(path: readonly (string | number)[], f: () => T) => T,
): Scenario {
  const cpus =
    s.cpus === undefined ? fileCpus : s.cpus.map((c, i) => checked([...base, 'cpus', i], () => cpuOf(c)));
  const program: PlacedInsn[] = [];
  for (const [name, v] of Object.entries(s.el2 ?? {})) {
    const reg = checked([...base, 'el2', name], () => lookupRegister(name));
    program.push({
      part: 'el2',
      el: 2,
      insn: { kind: 'msr', reg, value: BigInt(v), label: `el2 ${reg.name}` },
    });
  }
  const parts: readonly [Part, 0 | 1 | 2, readonly RawInsn[] | undefined][] = [
    ['before', 2, s.before],
    ['guest', 1, s.guest],
    ['el0', 0, s.el0],
    ['after', 2, s.after],
  ];
  for (const [part, el, list] of parts) {
    (list ?? []).forEach((raw, i) => {
      const insn = checked([...base, part, i], () => insnOf(raw, `${part}[${i}]`));
      program.push({ part, el, insn });
    });
  }
  const labels = new Set<string>();
  program.forEach((p, i) => {
    if (!isObserved(p.insn)) return;
    if (labels.has(p.insn.label)) {
      throw new InputError(
        `${at([...base])}: label "${p.insn.label}" is given to two instructions (step ${i})`,
      );
    }
    labels.add(p.insn.label);
  });
  const expect = new Map<string, Expected>();
  for (const [name, v] of Object.entries(s.expect ?? {})) {
    if (!labels.has(name)) {
      throw new InputError(`${at([...base, 'expect', name])}: expect: no instruction is labelled "${name}"`);
    }
    expect.set(name, HEX.test(v) ? { kind: 'value', value: BigInt(v) } : { kind: v as ExpectedWord });
  }
  return { name: s.name, about: s.about ?? '', cpus, program, expect, where: at(base) };
}

function insnOf(raw: RawInsn, where: string): ScenarioInsn {
  if ('mrs' in raw) {
    const reg = lookupRegister(raw.mrs);
    return { kind: 'mrs', reg, label: raw.as ?? `${where} ${reg.name}`, slack: BigInt(raw.slack ?? 0) };
  }
  if ('msr' in raw) {
    const reg = lookupRegister(raw.msr);
    return { kind: 'msr', reg, value: BigInt(raw.value), label: raw.as ?? `${where} ${reg.name}` };
  }
  if ('isb' in raw) return { kind: 'isb' };
  if ('pmuirq' in raw) return { kind: 'pmuirq', label: raw.as ?? `${where} PMUIRQ` };
  return { kind: 'loop', loop: raw.loop };
}
