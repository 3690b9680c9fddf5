// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { InputError } from '../arch/errors.js';
import { lookupField, parseCount, parseRegisterValue, withField } from '../arch/fields.js';
import type { Command } from './command.js';
import { parseCommandArgs, VALUE_RULE } from './command.js';
import { hex } from './format.js';
import { ok } from './io.js';

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
    for (const pair of positionals.slice(1)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new InputError(`Cannot read ${JSON.stringify(pair)}: expected FIELD=VALUE`);
      const f = lookupField(ref.def, pair.slice(0, eq));
      const text = pair.slice(eq + 1);
      const named = f.values?.find(
        (v) => v.name !== undefined && v.name.toUpperCase() === text.toUpperCase(),
      );
      const v = named === undefined ? parseCount(text, `${ref.name}.${f.name}`) : BigInt(named.value);
      value = withField(ref.def, f, value, v);
    }
    return ok(hex(value));
  },
};
