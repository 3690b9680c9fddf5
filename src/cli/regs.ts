// SPDX-License-Identifier: MIT
import { encodingOf, lookupRegisterOrFamily, type RegisterRef } from '../arch/catalogue.js';
import { genericName } from '../arch/encoding.js';
import { REGISTERS } from '../arch/registers/mod.js';
import type { RegisterDef } from '../arch/registers/types.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { bitsText, table } from './format.js';
import { ok } from './io.js';

/**
 * The generic name of a register's encoding; for a family without an instance, with the index
 * bits shown: `S3_3_C14_C8+n<4:3>_n<2:0>` (CRm<1:0> = n<4:3>, op2 = n<2:0>, D24.5.10).
 */
function encodingText(def: RegisterDef, n: number | undefined): string {
  const generic = genericName(encodingOf(def, n));
  return def.index !== undefined && n === undefined
    ? generic.replace(/_C(\d+)_(\d)$/, '_C$1+n<4:3>_n<2:0>')
    : generic;
}

function registerText(ref: RegisterRef): string {
  const def = ref.def;
  const access = Object.entries(def.access)
    .map(([el, a]) => `${el.toUpperCase()} ${a}`)
    .join(', ');
  const lines = [
    `${ref.name}  ${encodingText(def, ref.n)}  (Arm ARM ${def.section})`,
    def.description,
    `added by ${def.feature}; access before traps: ${access}`,
    '',
  ];
  const rows: string[][] = [['bits', 'field', 'feature', 'description']];
  for (const f of def.fields) {
    rows.push([
      bitsText(f.bits),
      f.name,
      f.feature ?? '',
      f.description + (f.access ? ` (${f.access})` : ''),
    ]);
    for (const v of f.values ?? []) {
      rows.push([
        '',
        '',
        '',
        `  0b${v.value.toString(2).padStart(f.bits[0] - f.bits[1] + 1, '0')}${v.name ? ` ${v.name}` : ''}: ${v.meaning}`,
      ]);
    }
  }
  lines.push(table(rows));
  return lines.join('\n');
}

export const regsCommand: Command = {
  name: 'regs',
  summary: 'list the register catalogue, or one register field by field',
  help: `Usage: pmup regs [REG] [--json]

Without REG, lists every register of the catalogue: name, encoding, the feature that adds it,
its Arm ARM section and what it is for. With REG (e.g. MDCR_EL2, PMEVCNTR5_EL0, the family
PMEVCNTR<n>_EL0, or by encoding S3_4_C1_C1_1), lists its fields from bit 63 down with the
feature that adds each and their enumerated values.

Examples:
  pmup regs
  pmup regs MDCR_EL2
  pmup regs PMEVTYPER3_EL0 --json
  pmup regs 'PMEVCNTR<n>_EL0'
  pmup regs S3_3_C9_C12_0               # PMCR_EL0`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('regs', argv, { json: { type: 'boolean' } });
    expectPositionals('regs', positionals, 0, 1);
    if (positionals.length === 0) {
      if (values.json) {
        return ok(JSON.stringify(REGISTERS, null, 2));
      }
      const rows = REGISTERS.map((r) => [
        r.name,
        encodingText(r, undefined),
        r.feature,
        r.section,
        r.description,
      ]);
      return ok(table([['register', 'encoding', 'feature', 'section', 'description'], ...rows]));
    }
    const ref = lookupRegisterOrFamily(positionals[0]!);
    if (values.json)
      return ok(
        JSON.stringify({ ...ref.def, name: ref.name, encoding: encodingOf(ref.def, ref.n) }, null, 2),
      );
    return ok(registerText(ref));
  },
};
