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

/** Parses a hex (0x...), binary (0b...) or decimal number as bigint; throws InputError when malformed. */
export function parseValue(text: string, what: string): bigint {
  const t = text.trim().replaceAll('_', '');
  if (/^0x[0-9a-f]+$/i.test(t) || /^0b[01]+$/i.test(t) || /^[0-9]+$/.test(t)) return BigInt(t.toLowerCase());
  throw new InputError(
    `Cannot read ${what} ${JSON.stringify(text)}: expected hex (0x...), binary (0b...) or decimal`,
  );
}
