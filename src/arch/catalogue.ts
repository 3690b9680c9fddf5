// SPDX-License-Identifier: MIT
/**
 * Behaviour over the register catalogue: looking registers up by name (including instances of
 * indexed families such as PMEVCNTR5_EL0) and checking the data for completeness, as Linux's
 * gen-sysreg.awk does ("Unspecified bits in REG", "REG.FIELD starts at MSB not NEXT").
 *
 * @module
 */

import { didYouMean, InputError } from './errors.js';
import { FEATURES } from './features.js';
import { REGISTERS } from './registers/mod.js';
import type { RegisterDef, SysregEncoding } from './registers/types.js';

/** A register as named by the user: the definition and, for an indexed family, the instance. */
export interface RegisterRef {
  readonly def: RegisterDef;
  /** Instance number for an indexed family (PMEVCNTR<n>_EL0), else undefined. */
  readonly n?: number;
  /** The instance's name, e.g. `PMEVCNTR5_EL0`. */
  readonly name: string;
}

const BY_NAME = new Map(REGISTERS.map((r) => [r.name, r]));

/** The name of instance `n` of an indexed family (`PMEVCNTR<n>_EL0`, 5 -> `PMEVCNTR5_EL0`). */
export function instanceName(def: RegisterDef, n: number | undefined): string {
  return n === undefined ? def.name : def.name.replace('<n>', String(n));
}

/** Every name a user may type: plain registers, and each instance of each indexed family. */
export function allRegisterNames(): string[] {
  const names: string[] = [];
  for (const def of REGISTERS) {
    if (def.index === undefined) names.push(def.name);
    else for (let n = 0; n <= def.index.max; n++) names.push(instanceName(def, n));
  }
  return names;
}

/**
 * Looks a register up by name, case-insensitively: `PMCR_EL0`, an instance of an indexed family
 * (`PMEVCNTR5_EL0` resolves to the family `PMEVCNTR<n>_EL0` with n = 5), or the generic name of
 * its encoding as `pmup regs` prints it and assemblers take it (`S3_3_C9_C12_0`,
 * op0_op1_Cn_Cm_op2). Throws InputError naming the closest registers when unknown, the valid
 * range when the instance number is out of range, and an instance to name for a family
 * (`PMEVCNTR<n>_EL0`).
 */
export function lookupRegister(name: string): RegisterRef {
  const cached = LOOKUP_CACHE.get(name);
  if (cached !== undefined) return cached;
  const ref = lookupUncached(name);
  // Names are few (the catalogue's, in a few spellings); the bound keeps odd input from growing it.
  if (LOOKUP_CACHE.size < 4096) LOOKUP_CACHE.set(name, ref);
  return ref;
}

const LOOKUP_CACHE = new Map<string, RegisterRef>();

/**
 * As lookupRegister(), but a family's own name (`PMEVCNTR<n>_EL0`) gives the family, with no
 * instance (`n` undefined), for commands that describe registers rather than access them.
 */
export function lookupRegisterOrFamily(name: string): RegisterRef {
  const family = BY_NAME.get(familyKey(name));
  return family?.index === undefined ? lookupRegister(name) : { def: family, name: family.name };
}

/** The catalogue key a family's name has: upper case but for `<n>`. */
function familyKey(name: string): string {
  return name.trim().toUpperCase().replace('<N>', '<n>');
}

function lookupUncached(name: string): RegisterRef {
  const upper = name.trim().toUpperCase();
  const generic = lookupGeneric(upper);
  if (generic !== undefined) return generic;
  const family = BY_NAME.get(familyKey(name));
  if (family?.index !== undefined) {
    throw new InputError(`${family.name} is a family: name an instance, e.g. ${instanceName(family, 0)}`);
  }
  const plain = BY_NAME.get(upper);
  if (plain !== undefined && plain.index === undefined) return { def: plain, name: plain.name };
  const m = /^([A-Z]+?)(\d+)(_EL\d)$/.exec(upper);
  if (m !== null) {
    const family = BY_NAME.get(`${m[1]}<N>${m[3]}`.replace('<N>', '<n>'));
    if (family?.index !== undefined) {
      const n = Number(m[2]);
      if (n > family.index.max) {
        throw new InputError(
          `Cannot use ${name}: ${family.name} has instances n = 0..${family.index.max}, got n = ${n}`,
        );
      }
      return { def: family, n, name: instanceName(family, n) };
    }
  }
  throw new InputError(`Unknown register ${name}${didYouMean(upper, [...BY_NAME.keys()])}`);
}

const GENERIC = /^S(\d)_(\d)_C(\d{1,2})_C(\d{1,2})_(\d)$/;

/**
 * The register with generic name `upper` (`S3_3_C9_C12_0`), undefined when `upper` is not a
 * generic name; InputError when it is one that names no register of the catalogue.
 */
function lookupGeneric(upper: string): RegisterRef | undefined {
  const g = GENERIC.exec(upper);
  if (g === null) return undefined;
  const [op0, op1, crn, crm, op2] = g.slice(1).map(Number) as [number, number, number, number, number];
  if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7) {
    throw new InputError(
      `Cannot read ${upper}: a system register encoding has op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7`,
    );
  }
  const ref = registerAtEncoding({ op0, op1, crn, crm, op2 });
  if (ref === undefined) throw new InputError(`No register of the catalogue is encoded as ${upper}`);
  return ref;
}

function encodingKey(e: SysregEncoding): string {
  return `${e.op0},${e.op1},${e.crn},${e.crm},${e.op2}`;
}

const BY_ENCODING = new Map<string, RegisterRef>();
for (const def of REGISTERS) {
  const count = def.index === undefined ? 1 : def.index.max + 1;
  for (let i = 0; i < count; i++) {
    const n = def.index === undefined ? undefined : i;
    const ref: RegisterRef =
      n === undefined ? { def, name: def.name } : { def, n, name: instanceName(def, n) };
    BY_ENCODING.set(encodingKey(encodingOf(def, n)), ref);
  }
}

/** The catalogue register (or family instance) at `encoding`, or undefined when there is none. */
export function registerAtEncoding(encoding: SysregEncoding): RegisterRef | undefined {
  return BY_ENCODING.get(encodingKey(encoding));
}

/** The encoding of a register instance: CRm<1:0> = n<4:3>, op2 = n<2:0> for indexed families (D24.5.10). */
export function encodingOf(def: RegisterDef, n?: number): SysregEncoding {
  if (def.index === undefined) return def.encoding;
  const i = n ?? 0;
  return { ...def.encoding, crm: def.encoding.crm | ((i >> 3) & 0b11), op2: i & 0b111 };
}

const FEATURE_NAMES = new Set(FEATURES.map((f) => f.name));

/**
 * Checks one register definition and returns every problem found, each naming register and bit:
 * fields must run from bit 63 down to bit 0 without gap or overlap, name known features, give
 * enumerated values that fit, and carry a description; the encoding must be in range.
 */
export function checkRegister(def: RegisterDef): string[] {
  const problems: string[] = [];
  const say = (msg: string) => problems.push(`${def.name}: ${msg}`);
  if (!FEATURE_NAMES.has(def.feature)) say(`unknown feature ${def.feature}`);
  const e = def.encoding;
  const ranges: [keyof SysregEncoding, number, number][] = [
    ['op0', 2, 3],
    ['op1', 0, 7],
    ['crn', 0, 15],
    ['crm', 0, 15],
    ['op2', 0, 7],
  ];
  for (const [k, lo, hi] of ranges) {
    if (!Number.isInteger(e[k]) || e[k] < lo || e[k] > hi)
      say(`encoding ${k} = ${e[k]} is outside ${lo}..${hi}`);
  }
  if (def.index !== undefined) {
    if ((e.crm & 0b11) !== 0 || e.op2 !== 0) say('an indexed family must give the encoding of n = 0');
    if (def.index.max < 0 || def.index.max > 31) say(`index max ${def.index.max} is outside 0..31`);
  }
  if (def.description.trim() === '') say('no description');
  let next = def.width - 1;
  const seen = new Set<string>();
  for (const f of def.fields) {
    const [msb, lsb] = f.bits;
    const where = `${f.name} [${msb}:${lsb}]`;
    if (msb !== next) {
      if (msb > next) say(`field ${where} overlaps bit ${msb}, already described (expected msb ${next})`);
      else
        say(`bits [${next}:${msb + 1}] are not described (field ${where} starts at bit ${msb}, not ${next})`);
    }
    if (lsb > msb) say(`field ${where} has lsb above msb`);
    if (f.name !== 'RES0' && f.name !== 'RES1') {
      if (seen.has(f.name)) say(`field ${f.name} is described twice`);
      seen.add(f.name);
    }
    if (f.feature !== undefined && !FEATURE_NAMES.has(f.feature))
      say(`field ${where}: unknown feature ${f.feature}`);
    if (f.description.trim() === '') say(`field ${where}: no description`);
    const width = msb - lsb + 1;
    for (const v of f.values ?? []) {
      if (!Number.isInteger(v.value) || v.value < 0 || v.value >= 2 ** width) {
        say(`field ${where}: value ${v.value} does not fit in ${width} bits`);
      }
    }
    next = lsb - 1;
  }
  if (next !== -1) say(`bits [${next}:0] are not described`);
  return problems;
}

/** Checks the whole catalogue: every register, unique names, and no two instances sharing an encoding. */
export function checkCatalogue(registers: readonly RegisterDef[] = REGISTERS): string[] {
  const problems = registers.flatMap(checkRegister);
  const names = new Set<string>();
  const encodings = new Map<string, string>();
  for (const def of registers) {
    if (names.has(def.name)) problems.push(`${def.name}: register is defined twice`);
    names.add(def.name);
    const count = def.index === undefined ? 1 : def.index.max + 1;
    for (let i = 0; i < count; i++) {
      const n = def.index === undefined ? undefined : i;
      const e = encodingOf(def, n);
      const key = `${e.op0},${e.op1},${e.crn},${e.crm},${e.op2}`;
      const other = encodings.get(key);
      const me = instanceName(def, n);
      if (other !== undefined) problems.push(`${me}: encoding S${key.replaceAll(',', '_')} is also ${other}`);
      encodings.set(key, me);
    }
  }
  return problems;
}
