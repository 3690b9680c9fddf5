// SPDX-License-Identifier: MIT
/**
 * Explaining a register value field by field, and flagging what the architecture does not allow:
 * set RES0 bits, clear RES1 bits, nonzero fields the CPU does not implement, reserved field
 * values, and reserved values with CONSTRAINED UNPREDICTABLE effects (MDCR_EL2.HPMN).
 *
 * @module
 */

import type { RegisterRef } from './catalogue.js';
import type { CpuDef } from './cpus.js';
import { InputError } from './errors.js';
import type { FeatureName } from './features.js';
import { fieldMask, fieldValue } from './fields.js';
import type { FieldDef } from './registers/types.js';

/** One field of a decoded value. */
export interface DecodedField {
  readonly field: FieldDef;
  readonly value: bigint;
  /** The Arm ARM's meaning of this value, when the field enumerates its values. */
  readonly meaning?: string;
  /** False when a CPU was given and it does not implement the field's feature. */
  readonly implemented: boolean;
}

/** What kind of problem a decoded value has; stable, for scripts. */
export type DecodeProblemCode =
  /** RES0 bits set. */
  | 'res0-set'
  /** RES1 bits clear. */
  | 'res1-clear'
  /** A nonzero field whose feature the CPU does not implement (its bits are RES0 there). */
  | 'field-not-implemented'
  /** A field value the Arm ARM lists as reserved. */
  | 'reserved-value'
  /** MDCR_EL2.HPMN greater than N, or 0 without FEAT_HPMN0 (CONSTRAINED UNPREDICTABLE). */
  | 'hpmn-reserved'
  /** PMCR_EL0.N greater than the CPU's event counters. */
  | 'pmcr-n-too-large'
  /** PMSELR_EL0.SEL selecting no event counter. */
  | 'pmselr-sel-no-counter';

/** One problem of a decoded value. */
export interface DecodeProblem {
  readonly code: DecodeProblemCode;
  /** One line naming the field, the bits and the Arm ARM rule. */
  readonly message: string;
  /** The field the problem is about, when it is about one field. */
  readonly field?: string;
}

/** A decoded value with the problems found in it. */
export interface DecodedValue {
  readonly reg: RegisterRef;
  readonly value: bigint;
  readonly fields: readonly DecodedField[];
  readonly problems: readonly DecodeProblem[];
}

/** What the decoder knows of the CPU: its features and N. */
export interface DecodeContext {
  readonly cpu: CpuDef;
  readonly features: ReadonlySet<FeatureName>;
}

const MAX64 = (1n << 64n) - 1n;

function bitsText(f: FieldDef): string {
  return f.bits[0] === f.bits[1] ? `[${f.bits[0]}]` : `[${f.bits[0]}:${f.bits[1]}]`;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/**
 * Decodes `value` as register `reg`, field by field. With a CPU context, fields whose feature the
 * CPU lacks are marked unimplemented, and a nonzero value in one is a problem.
 */
export function decodeValue(reg: RegisterRef, value: bigint, ctx?: DecodeContext): DecodedValue {
  if (value < 0n || value > MAX64) {
    throw new InputError(`Cannot decode ${hex(value)} as ${reg.name}: the value is wider than 64 bits`);
  }
  const problems: DecodeProblem[] = [];
  const fields: DecodedField[] = [];
  for (const f of reg.def.fields) {
    const v = fieldValue(f, value);
    if (f.name === 'RES0') {
      if (v !== 0n)
        problems.push({
          code: 'res0-set',
          message: `RES0 bits ${bitsText(f)} are set (${hex(value & fieldMask(f))})`,
        });
      continue;
    }
    if (f.name === 'RES1') {
      if (v !== fieldMask(f) >> BigInt(f.bits[1]))
        problems.push({ code: 'res1-clear', message: `RES1 bits ${bitsText(f)} are not all set` });
      continue;
    }
    const implemented = ctx === undefined || f.feature === undefined || ctx.features.has(f.feature);
    const named = f.values?.find((x) => BigInt(x.value) === v);
    // A field whose feature is absent is RES0 there, unless the register says otherwise (RES1, RAO/WI).
    const absentValue = f.whenAbsent === undefined ? 0n : fieldMask(f) >> BigInt(f.bits[1]);
    if (!implemented && v !== absentValue) {
      problems.push({
        code: 'field-not-implemented',
        message: `${reg.name}.${f.name} ${bitsText(f)} = ${hex(v)}, but ${ctx?.cpu.name} does not implement ${f.feature}: the bits are ${f.whenAbsent ?? 'RES0'} there`,
        field: f.name,
      });
    }
    if (named !== undefined && /^reserved/i.test(named.meaning)) {
      problems.push({
        code: 'reserved-value',
        message: `${reg.name}.${f.name} ${bitsText(f)} = ${hex(v)} is a reserved value`,
        field: f.name,
      });
    }
    fields.push(
      named === undefined
        ? { field: f, value: v, implemented }
        : { field: f, value: v, meaning: named.meaning, implemented },
    );
  }
  problems.push(...valueRules(reg, value, ctx));
  return { reg, value, fields, problems };
}

/** Register-specific rules on field values, each citing the Arm ARM. */
function valueRules(reg: RegisterRef, value: bigint, ctx?: DecodeContext): DecodeProblem[] {
  const out: DecodeProblem[] = [];
  const say = (code: DecodeProblemCode, field: string, message: string) => out.push({ code, message, field });
  if (reg.def.name === 'MDCR_EL2') {
    // Arm ARM D24.3.17 MDCR_EL2.HPMN: "Values greater than GetNumEventCountersSelfHosted() are
    // reserved. If FEAT_HPMN0 is not implemented, then the value 0 is reserved." A reserved value is
    // CONSTRAINED UNPREDICTABLE (J1.3 EffectiveHPMN(): ConstrainUnpredictableBits(Unpredictable_RES_HPMN)).
    const hpmn = Number(value & 0x1fn);
    const cu =
      'CONSTRAINED UNPREDICTABLE: the PE behaves as if HPMN were an UNKNOWN nonzero value <= N, or as if all counters were in the second range (D24.3.17)';
    if (hpmn === 0) {
      if (ctx === undefined)
        say(
          'hpmn-reserved',
          'HPMN',
          `MDCR_EL2.HPMN = 0 is reserved unless FEAT_HPMN0 is implemented; without it, ${cu}`,
        );
      else if (!ctx.features.has('FEAT_HPMN0'))
        say(
          'hpmn-reserved',
          'HPMN',
          `MDCR_EL2.HPMN = 0 is reserved: ${ctx.cpu.name} does not implement FEAT_HPMN0; ${cu}`,
        );
    } else if (ctx !== undefined && hpmn > ctx.cpu.n) {
      say(
        'hpmn-reserved',
        'HPMN',
        `MDCR_EL2.HPMN = ${hpmn} is reserved: greater than N = ${ctx.cpu.n} on ${ctx.cpu.name}; ${cu}`,
      );
    }
  }
  if (reg.def.name === 'PMCR_EL0' && ctx !== undefined) {
    // Arm ARM D24.5.8 PMCR_EL0.N: the number of event counters implemented (read at EL2/EL3).
    const n = Number((value >> 11n) & 0x1fn);
    if (n > ctx.cpu.n)
      say(
        'pmcr-n-too-large',
        'N',
        `PMCR_EL0.N = ${n} exceeds the ${ctx.cpu.n} event counters of ${ctx.cpu.name} (D24.5.8)`,
      );
  }
  if (reg.def.name === 'PMSELR_EL0' && ctx !== undefined) {
    // Arm ARM D24.5.22 PMSELR_EL0.SEL: 31 selects PMCCFILTR_EL0 for PMXEVTYPER_EL0; a value >= N
    // that is not 31 selects no counter (UNDEFINED with FEAT_FGT, else CONSTRAINED UNPREDICTABLE).
    const sel = Number(value & 0x1fn);
    if (sel !== 31 && sel >= ctx.cpu.n) {
      say(
        'pmselr-sel-no-counter',
        'SEL',
        `PMSELR_EL0.SEL = ${sel} selects no event counter of ${ctx.cpu.name} (N = ${ctx.cpu.n}); PMXEV* accesses are ${ctx.features.has('FEAT_FGT') ? 'UNDEFINED' : 'CONSTRAINED UNPREDICTABLE'} (D24.5.22)`,
      );
    }
  }
  return out;
}
