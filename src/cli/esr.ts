// SPDX-License-Identifier: MIT
/** `pmup decode ESR_EL2 VALUE`: a syndrome value, or a pasted KVM sys_reg log line. */

import { parseRegisterValue } from '../arch/fields.js';
import {
  EC_SYSREG_TRAP,
  ecMeaning,
  ilMeaning,
  isKvmSysregLine,
  parseKvmSysregLine,
  type Syndrome,
  type SysregTrap,
  splitSyndrome,
  sysregTrapOfIss,
  trapText,
} from '../arch/syndrome.js';
import { hex, table } from './format.js';
import type { CommandResult } from './io.js';

/** The syndrome registers `decode` explains with this module rather than the catalogue. */
export const SYNDROME_REGISTERS: readonly string[] = ['ESR_EL1', 'ESR_EL2'];

/** The syndrome register `name` names (any case), or undefined. */
export function syndromeRegister(name: string): string | undefined {
  const upper = name.trim().toUpperCase();
  return SYNDROME_REGISTERS.includes(upper) ? upper : undefined;
}

function trapJson(t: SysregTrap): object {
  return { ...t.encoding, ...(t.rt === undefined ? {} : { rt: t.rt }), read: t.read, text: trapText(t) };
}

function syndromeRows(s: Syndrome, trap: SysregTrap | undefined): string[][] {
  const rows: string[][] = [['bits', 'field', 'value', 'meaning']];
  if (s.res0 !== 0) rows.push(['[63:56]', 'RES0', hex(s.res0), 'Reserved, RES0 (set: a problem)']);
  if (s.iss2 !== 0) rows.push(['[55:32]', 'ISS2', hex(s.iss2), 'Further syndrome for some ECs']);
  rows.push(['[31:26]', 'EC', hex(s.ec), ecMeaning(s.ec)]);
  rows.push(['[25]', 'IL', hex(s.il), ilMeaning(s.il)]);
  rows.push([
    '[24:0]',
    'ISS',
    hex(s.iss),
    trap === undefined ? 'Instruction Specific Syndrome' : trapText(trap),
  ]);
  return rows;
}

/** Decodes `text` as the syndrome register `reg`: a value (D24.2.46), or a KVM log line. */
export function decodeSyndromeCommand(reg: string, text: string, json: boolean): CommandResult {
  if (isKvmSysregLine(text)) {
    const trap = parseKvmSysregLine(text);
    const out = json
      ? JSON.stringify(
          { register: reg, ec: hex(EC_SYSREG_TRAP), kvm: true, instruction: trapJson(trap) },
          null,
          2,
        )
      : `${reg}.EC ${hex(EC_SYSREG_TRAP)} (${ecMeaning(EC_SYSREG_TRAP)}), from KVM's log line: ${trapText(trap)}`;
    return { stdout: `${out}\n`, status: 0 };
  }
  const value = parseRegisterValue(text, `${reg} value`);
  const s = splitSyndrome(value);
  const trap = s.ec === EC_SYSREG_TRAP ? sysregTrapOfIss(s.iss) : undefined;
  // D24.2.46: bits [63:56] are RES0.
  const problems = s.res0 === 0 ? [] : [`RES0 bits [63:56] are set (${hex(s.res0)})`];
  if (json) {
    const body = {
      register: reg,
      value: hex(value),
      section: 'D24.2.46',
      ec: hex(s.ec),
      ecMeaning: ecMeaning(s.ec),
      il: s.il,
      iss: hex(s.iss),
      iss2: hex(s.iss2),
      ...(trap === undefined ? {} : { instruction: trapJson(trap) }),
      problems,
    };
    return { stdout: `${JSON.stringify(body, null, 2)}\n`, status: problems.length === 0 ? 0 : 1 };
  }
  const head = `${reg} = ${hex(value, 16)}  (Arm ARM D24.2.46 ESR_EL2; ESR_EL1 has the same layout)`;
  const out = [head, table(syndromeRows(s, trap))];
  if (problems.length > 0) out.push('', 'problems:', ...problems.map((p) => `  - ${p}`));
  return { stdout: `${out.join('\n')}\n`, status: problems.length === 0 ? 0 : 1 };
}
