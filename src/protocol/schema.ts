// SPDX-License-Identifier: MIT
/**
 * The architecture request of the batch protocol (docs/protocol.md), parsed and validated from
 * JSON into typed values. Every violation is an InputError with a one-line message.
 *
 * @module
 */

import { lookupRegister, type RegisterRef } from '../arch/catalogue.js';
import { type CpuDef, lookupCpu, parseInlineCpu } from '../arch/cpus.js';
import { didYouMean, InputError } from '../arch/errors.js';
import type { El } from '../arch/pmu/state.js';
import { checkChoice, initialRegisters } from '../arch/request.js';
import type { Choices, RuleName } from '../arch/unpredictable.js';

/** One step of an architecture request. */
export type ArchStep =
  | { readonly kind: 'read'; readonly el: El; readonly reg: RegisterRef; readonly rt: number }
  | {
      readonly kind: 'write';
      readonly el: El;
      readonly reg: RegisterRef;
      readonly value: bigint;
      readonly rt: number;
    }
  | { readonly kind: 'count'; readonly el: El; readonly events: ReadonlyMap<number, bigint> };

/** A parsed architecture request. */
export interface ArchRequest {
  readonly id: string | number | null;
  readonly cpu: CpuDef;
  readonly regs: ReadonlyMap<string, bigint>;
  readonly hcr: { readonly E2H: boolean; readonly TGE: boolean };
  readonly steps: readonly ArchStep[];
  readonly final: readonly RegisterRef[];
  readonly choices: Choices;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX64 = (1n << 64n) - 1n;

/** A 64-bit value given as a hex string ("0x..."); numbers are accepted when they are safe integers. */
export function parseHex64(v: unknown, what: string): bigint {
  let x: bigint;
  if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v.trim())) x = BigInt(v.trim());
  else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) x = BigInt(v);
  else throw new InputError(`${what}: expected a hex string such as "0x84", got ${JSON.stringify(v)}`);
  if (x > MAX64) throw new InputError(`${what}: ${JSON.stringify(v)} is wider than 64 bits`);
  return x;
}

function parseEl(v: unknown, what: string): El {
  if (v === 0 || v === 1 || v === 2) return v;
  throw new InputError(`${what}: "el" must be 0, 1 or 2, got ${JSON.stringify(v)}`);
}

function parseRt(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 30) return v;
  throw new InputError(`${what}: "rt" must be an integer 0..30, got ${JSON.stringify(v)}`);
}

/** A count of occurrences: a non-negative integer (number up to 2^53, or a decimal/hex string up to 2^64). */
function parseTimes(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-f]+|[0-9]+)$/i.test(v)) {
    const x = BigInt(v);
    if (x <= 1n << 64n) return x;
  }
  throw new InputError(
    `${what}: "times" must be a non-negative integer (at most 2^64), got ${JSON.stringify(v)}`,
  );
}

function parseEvent(v: unknown, what: string): number {
  const x = parseHex64(v, what);
  if (x > 0xffffn) throw new InputError(`${what}: event number ${JSON.stringify(v)} is wider than 16 bits`);
  return Number(x);
}

/** Throws InputError for a member of `v` not in `known`, naming it, `where` it is and the members. */
function rejectUnknown(v: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k in v) {
    if (known.includes(k)) continue;
    const hint = didYouMean(k, known);
    throw new InputError(
      `${where}: unknown member ${JSON.stringify(k)}${hint} (members: ${known.join(', ')})`,
    );
  }
}

function parseCountStep(c: unknown, what: string): ArchStep {
  if (!isObject(c)) throw new InputError(`${what}: "count" must be an object`);
  const where = `${what}.count`;
  const el = parseEl(c['el'], where);
  const events = new Map<number, bigint>();
  if ('events' in c) {
    rejectUnknown(c, ['el', 'events'], where);
    const ev = c['events'];
    if (!isObject(ev)) throw new InputError(`${where}: "events" must be an object of event -> times`);
    for (const [k, t] of Object.entries(ev)) {
      const e = parseEvent(k, `${where}.events`);
      events.set(e, (events.get(e) ?? 0n) + parseTimes(t, `${where}.events["${k}"]`));
    }
  } else {
    rejectUnknown(c, ['el', 'event', 'times'], where);
    events.set(parseEvent(c['event'], `${where}.event`), parseTimes(c['times'], where));
  }
  return { kind: 'count', el, events };
}

function registerName(v: unknown, member: string, what: string): RegisterRef {
  if (typeof v !== 'string') throw new InputError(`${what}: "${member}" must be a register name`);
  return lookupRegister(v);
}

function parseStep(s: unknown, i: number): ArchStep {
  const what = `steps[${i}]`;
  if (!isObject(s)) throw new InputError(`${what}: expected an object`);
  if ('count' in s) {
    rejectUnknown(s, ['count'], what);
    return parseCountStep(s['count'], what);
  }
  if ('read' in s && 'write' in s) throw new InputError(`${what}: a step has "read" or "write", not both`);
  if ('read' in s) {
    if ('value' in s) throw new InputError(`${what}: "value" is for a write; a read takes none`);
    rejectUnknown(s, ['el', 'read', 'rt'], what);
    const reg = registerName(s['read'], 'read', what);
    return { kind: 'read', el: parseEl(s['el'], what), reg, rt: parseRt(s['rt'], what) };
  }
  if ('write' in s) {
    rejectUnknown(s, ['el', 'write', 'value', 'rt'], what);
    const reg = registerName(s['write'], 'write', what);
    const el = parseEl(s['el'], what);
    return {
      kind: 'write',
      el,
      reg,
      value: parseHex64(s['value'], `${what} value`),
      rt: parseRt(s['rt'], what),
    };
  }
  throw new InputError(`${what}: expected "read", "write" or "count"`);
}

/** A CPU as the protocol gives it: a catalogue name, or an inline `{pmuVer, n, features}` object. */
function parseCpuValue(v: unknown): CpuDef {
  return typeof v === 'string' ? lookupCpu(v) : parseInlineCpu(v);
}

const REQUEST_MEMBERS = ['id', 'cpu', 'regs', 'hcr', 'choose', 'steps', 'final'];

function parseRegs(v: unknown): Map<string, bigint> {
  if (v === undefined) return new Map();
  if (!isObject(v)) throw new InputError('"regs" must be an object of register -> hex value');
  const entries: [string, bigint][] = [];
  for (const name in v) entries.push([lookupRegister(name).name, parseHex64(v[name], `regs.${name}`)]);
  return initialRegisters(entries, 'regs');
}

function parseHcr(h: unknown): { E2H: boolean; TGE: boolean } {
  const hcr = { E2H: false, TGE: false };
  if (h === undefined) return hcr;
  if (!isObject(h)) throw new InputError('"hcr" must be an object such as {"E2H": 1, "TGE": 0}');
  for (const [k, b] of Object.entries(h)) {
    if (k !== 'E2H' && k !== 'TGE') throw new InputError(`hcr: unknown member "${k}" (E2H, TGE)`);
    if (b !== 0 && b !== 1 && b !== true && b !== false) throw new InputError(`hcr.${k}: must be 0 or 1`);
    hcr[k] = b === 1 || b === true;
  }
  return hcr;
}

function parseChoose(v: unknown): Choices {
  const choices: Partial<Record<RuleName, string>> = {};
  if (v === undefined) return choices;
  if (!isObject(v)) throw new InputError('"choose" must be an object of rule -> behaviour');
  for (const [rule, b] of Object.entries(v)) {
    if (typeof b !== 'string') throw new InputError(`choose.${rule}: the behaviour must be a string`);
    choices[checkChoice(rule, b, 'choose')] = b;
  }
  return choices;
}

/** Parses an architecture request from a JSON value; throws InputError naming the bad member. */
export function parseArchRequest(v: Json | unknown): ArchRequest {
  if (!isObject(v)) throw new InputError('a request must be a JSON object');
  rejectUnknown(v, REQUEST_MEMBERS, 'request');
  const id = v['id'] === undefined ? null : v['id'];
  if (id !== null && typeof id !== 'string' && typeof id !== 'number') {
    throw new InputError('"id" must be a string or a number');
  }
  if (v['cpu'] === undefined) throw new InputError('"cpu" is missing');
  const cpu = parseCpuValue(v['cpu']);
  const regs = parseRegs(v['regs']);
  const hcr = parseHcr(v['hcr']);
  if (!Array.isArray(v['steps'] ?? [])) throw new InputError('"steps" must be an array');
  const steps = ((v['steps'] ?? []) as unknown[]).map(parseStep);
  if (!Array.isArray(v['final'] ?? [])) throw new InputError('"final" must be an array of register names');
  const final = ((v['final'] ?? []) as unknown[]).map((r, i) => {
    if (typeof r !== 'string') throw new InputError(`final[${i}]: expected a register name`);
    return lookupRegister(r);
  });
  return { id, cpu, regs, hcr, steps, final, choices: parseChoose(v['choose']) };
}
