// SPDX-License-Identifier: MIT
/**
 * The architecture request of the batch protocol (docs/protocol.md), parsed and validated from
 * JSON into typed values. Every violation is an InputError with a one-line message.
 *
 * @module
 */

import { lookupRegister, type RegisterRef } from '../arch/catalogue.js';
import { type CpuDef, lookupCpu, parseInlineCpu } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import type { El } from '../arch/pmu/state.js';
import { type Choices, type RuleName, UNPREDICTABLE_RULES } from '../arch/unpredictable.js';

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

function parseStep(s: unknown, i: number): ArchStep {
  const what = `steps[${i}]`;
  if (!isObject(s)) throw new InputError(`${what}: expected an object`);
  if ('count' in s) {
    const c = s['count'];
    if (!isObject(c)) throw new InputError(`${what}: "count" must be an object`);
    const el = parseEl(c['el'], `${what}.count`);
    const events = new Map<number, bigint>();
    if ('events' in c) {
      const ev = c['events'];
      if (!isObject(ev)) throw new InputError(`${what}.count: "events" must be an object of event -> times`);
      for (const [k, t] of Object.entries(ev)) {
        const e = parseEvent(k, `${what}.count.events`);
        events.set(e, (events.get(e) ?? 0n) + parseTimes(t, `${what}.count.events["${k}"]`));
      }
    } else {
      events.set(parseEvent(c['event'], `${what}.count.event`), parseTimes(c['times'], `${what}.count`));
    }
    return { kind: 'count', el, events };
  }
  const el = parseEl(s['el'], what);
  const rt = parseRt(s['rt'], what);
  if (typeof s['read'] === 'string') return { kind: 'read', el, reg: lookupRegister(s['read']), rt };
  if (typeof s['write'] === 'string') {
    const reg = lookupRegister(s['write']);
    return { kind: 'write', el, reg, value: parseHex64(s['value'], `${what} value`), rt };
  }
  throw new InputError(`${what}: expected "read", "write" or "count"`);
}

/** A CPU as the protocol gives it: a catalogue name, or an inline `{pmuVer, n, features}` object. */
function parseCpuValue(v: unknown): CpuDef {
  return typeof v === 'string' ? lookupCpu(v) : parseInlineCpu(v);
}

const RULES = new Set<string>(UNPREDICTABLE_RULES.map((r) => r.name));

/** Parses an architecture request from a JSON value; throws InputError naming the bad member. */
export function parseArchRequest(v: Json | unknown): ArchRequest {
  if (!isObject(v)) throw new InputError('a request must be a JSON object');
  const id = v['id'] === undefined ? null : v['id'];
  if (id !== null && typeof id !== 'string' && typeof id !== 'number') {
    throw new InputError('"id" must be a string or a number');
  }
  if (v['cpu'] === undefined) throw new InputError('"cpu" is missing');
  const cpu = parseCpuValue(v['cpu']);
  const regs = new Map<string, bigint>();
  if (v['regs'] !== undefined) {
    if (!isObject(v['regs'])) throw new InputError('"regs" must be an object of register -> hex value');
    for (const [name, value] of Object.entries(v['regs'])) {
      regs.set(lookupRegister(name).name, parseHex64(value, `regs.${name}`));
    }
  }
  const hcr = { E2H: false, TGE: false };
  if (v['hcr'] !== undefined) {
    const h = v['hcr'];
    if (!isObject(h)) throw new InputError('"hcr" must be an object such as {"E2H": 1, "TGE": 0}');
    for (const [k, b] of Object.entries(h)) {
      if (k !== 'E2H' && k !== 'TGE') throw new InputError(`hcr: unknown member "${k}" (E2H, TGE)`);
      if (b !== 0 && b !== 1 && b !== true && b !== false) throw new InputError(`hcr.${k}: must be 0 or 1`);
      hcr[k] = b === 1 || b === true;
    }
  }
  if (!Array.isArray(v['steps'] ?? [])) throw new InputError('"steps" must be an array');
  const steps = ((v['steps'] ?? []) as unknown[]).map(parseStep);
  if (!Array.isArray(v['final'] ?? [])) throw new InputError('"final" must be an array of register names');
  const final = ((v['final'] ?? []) as unknown[]).map((r, i) => {
    if (typeof r !== 'string') throw new InputError(`final[${i}]: expected a register name`);
    return lookupRegister(r);
  });
  const choices: Partial<Record<RuleName, string>> = {};
  if (v['choose'] !== undefined) {
    if (!isObject(v['choose'])) throw new InputError('"choose" must be an object of rule -> behaviour');
    for (const [rule, b] of Object.entries(v['choose'])) {
      if (!RULES.has(rule)) throw new InputError(`choose: unknown rule "${rule}" (${[...RULES].join(', ')})`);
      if (typeof b !== 'string') throw new InputError(`choose.${rule}: the behaviour must be a string`);
      choices[rule as RuleName] = b;
    }
  }
  return { id, cpu, regs, hcr, steps, final, choices };
}
