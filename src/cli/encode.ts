// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { didYouMean, InputError } from '../arch/errors.js';
import { lookupField, parseCount, parseRegisterValue, withField } from '../arch/fields.js';
import type { FieldDef } from '../arch/registers/types.js';
import type { Command } from './command.js';
import { parseCommandArgs, VALUE_RULE } from './command.js';
import { hex } from './format.js';
import { ok } from './io.js';

/**
 * The value `text` gives field `f`: the name of one of its enumerated values (any case), or a
 * count. A name the field does not have is an InputError listing the names it has.
 */
function fieldValueOf(regName: string, f: FieldDef, text: string): bigint {
  const want = text.trim().toUpperCase();
  const names = (f.values ?? []).flatMap((v) => (v.name === undefined ? [] : [v.name]));
  const named = f.values?.find((v) => v.name !== undefined && v.name.toUpperCase() === want);
  if (named !== undefined) return BigInt(named.value);
  if (names.length === 0 || /^[0-9]/.test(want)) return parseCount(text, `${regName}.${f.name}`);
  throw new InputError(
    `Unknown value ${JSON.stringify(text)} for ${regName}.${f.name}${didYouMean(want, names)}; its names are ${names.join(', ')} (or give a number)`,
  );
}

export const encodeCommand: Command = {
  name: 'encode',
  summary: 'build a register value from FIELD=VALUE pairs',
  help: `Usage: pmup encode REG FIELD=VALUE... [--base VALUE]

Prints the 64-bit value of REG with each named field set (other bits from --base, default 0).
A field value is a decimal number (0x.. hex and 0b.. binary are accepted too) or the name of an
enumerated value. A field that does not exist, a field given twice or a value wider than the
field is an error. --base is a register value.
${VALUE_RULE}

Examples:
  pmup encode MDCR_EL2 HPMN=4 HPME=1 HPMD=1      # 0x20084
  pmup encode PMCR_EL0 E=1 LP=1 --base 0x41000000
  pmup encode ID_AA64DFR0_EL1 PMUVer=V3P5`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('encode', argv, { base: { type: 'string' } });
    if (positionals.length < 1)
      throw new InputError('encode: expected REG FIELD=VALUE... (see pmup encode --help)');
    const ref = lookupRegister(positionals[0]!);
    let value = values.base === undefined ? 0n : parseRegisterValue(values.base, '--base');
    if (value >> 64n !== 0n) throw new InputError(`Cannot use --base ${values.base}: wider than 64 bits`);
    const given = new Set<string>();
    for (const pair of positionals.slice(1)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new InputError(`Cannot read ${JSON.stringify(pair)}: expected FIELD=VALUE`);
      const f = lookupField(ref.def, pair.slice(0, eq));
      if (given.has(f.name))
        throw new InputError(`encode: ${ref.name}.${f.name} is given twice; give it once`);
      given.add(f.name);
      value = withField(ref.def, f, value, fieldValueOf(ref.name, f, pair.slice(eq + 1)));
    }
    return ok(hex(value));
  },
};
