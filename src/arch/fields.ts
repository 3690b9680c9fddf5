// SPDX-License-Identifier: MIT
/**
 * Reading and writing register fields on 64-bit values (bigint), by the catalogue's data.
 *
 * @module
 */

import { didYouMean, InputError } from './errors.js';
import type { FieldDef, RegisterDef } from './registers/types.js';

/** The mask of a field's bits within the register. */
export function fieldMask(f: FieldDef): bigint {
  const [msb, lsb] = f.bits;
  return ((1n << BigInt(msb - lsb + 1)) - 1n) << BigInt(lsb);
}

/** The value of field `f` in register value `value`. */
export function fieldValue(f: FieldDef, value: bigint): bigint {
  return (value & fieldMask(f)) >> BigInt(f.bits[1]);
}

/** `value` with field `f` set to `v`; throws InputError when `v` does not fit the field. */
export function withField(def: RegisterDef, f: FieldDef, value: bigint, v: bigint): bigint {
  const width = f.bits[0] - f.bits[1] + 1;
  if (v < 0n || v >= 1n << BigInt(width)) {
    throw new InputError(
      `Cannot set ${def.name}.${f.name} to 0x${v.toString(16)}: the field is ${width} bit${width === 1 ? '' : 's'} wide`,
    );
  }
  return (value & ~fieldMask(f)) | (v << BigInt(f.bits[1]));
}

/** The named (non-reserved) fields of a register, msb first. */
export function namedFields(def: RegisterDef): FieldDef[] {
  return def.fields.filter((f) => f.name !== 'RES0' && f.name !== 'RES1');
}

/** Looks a field up by name, case-insensitively; throws InputError naming the closest fields. */
export function lookupField(def: RegisterDef, name: string): FieldDef {
  const want = name.trim().toUpperCase();
  const f = namedFields(def).find((x) => x.name.toUpperCase() === want);
  if (f !== undefined) return f;
  const names = namedFields(def).map((x) => x.name);
  throw new InputError(`Unknown field ${def.name}.${name}${didYouMean(want, names)}`);
}

/** The field of `def` named `name`; for use by behaviour code with names known to exist. */
export function field(def: RegisterDef, name: string): FieldDef {
  const f = def.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`internal: ${def.name} has no field ${name}`);
  return f;
}

/**
 * Reads a register value (a 64-bit pattern, an instruction word) as the user typed it. A bare
 * value is hex, as traces print it (`86`, `0000000000000086`); `0x86` is hex too, `0d134` is
 * decimal and `0b1000_0110` binary. A prefix wins over bare hex: `0d10` is ten, `0b1` is one,
 * `0d12a` is an error (write `0x0b1` or `0x0d12a` for those hex values). `_` may separate digits. Throws InputError naming `what` when the
 * text is none of these, or is negative.
 */
export function parseRegisterValue(text: string, what: string): bigint {
  const t = text.trim().replaceAll('_', '');
  if (t.startsWith('-')) {
    throw new InputError(
      `Cannot read ${what} ${JSON.stringify(text)}: a register value cannot be negative (all ones is 0xffffffffffffffff)`,
    );
  }
  const prefix = t.slice(0, 2).toLowerCase();
  if (prefix === '0x' && /^[0-9a-f]+$/i.test(t.slice(2))) return BigInt(`0x${t.slice(2)}`);
  if (prefix === '0d' && /^[0-9]+$/.test(t.slice(2))) return BigInt(t.slice(2));
  if (prefix === '0b' && /^[01]+$/.test(t.slice(2))) return BigInt(`0b${t.slice(2)}`);
  const prefixed = prefix === '0x' || prefix === '0d' || prefix === '0b';
  if (!prefixed && /^[0-9a-f]+$/i.test(t)) return BigInt(`0x${t}`);
  throw new InputError(
    `Cannot read ${what} ${JSON.stringify(text)}: expected hex (86 or 0x86), decimal with 0d (0d134) or binary (0b...)`,
  );
}

/**
 * Reads a count (a number of counters, a field value) as the user typed it: decimal (`4`), or
 * hex with `0x` or binary with `0b`. `_` may separate digits. Throws InputError naming `what`
 * when the text is none of these, or is negative.
 */
export function parseCount(text: string, what: string): bigint {
  const t = text.trim().replaceAll('_', '');
  if (t.startsWith('-')) {
    throw new InputError(`Cannot read ${what} ${JSON.stringify(text)}: a count cannot be negative`);
  }
  if (/^[0-9]+$/.test(t) || /^0x[0-9a-f]+$/i.test(t) || /^0b[01]+$/i.test(t)) return BigInt(t.toLowerCase());
  throw new InputError(
    `Cannot read ${what} ${JSON.stringify(text)}: expected a decimal count such as 4 (or 0x... hex)`,
  );
}
