// SPDX-License-Identifier: MIT
import {
  decodeSysregInsn,
  genericName,
  parseSysregInsn,
  registerAt,
  sysregInsnText,
  sysregInsnWord,
} from '../arch/encoding.js';
import { InputError } from '../arch/errors.js';
import { parseRegisterValue } from '../arch/fields.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs, VALUE_RULE } from './command.js';
import { hex } from './format.js';
import { ok } from './io.js';

export const insnCommand: Command = {
  name: 'insn',
  summary: 'MRS/MSR instruction word <-> assembler text',
  help: `Usage: pmup insn WORD | "mrs xN, REG" | "msr REG, xN" [--json]

Decodes a 32-bit MRS/MSR (register) instruction word to its assembler text and register, or
assembles the text to its word (Arm ARM C6.2 MRS, MSR (register)). A word that is not an
MRS/MSR (register) is an error; a register outside the catalogue is named by its encoding
(S3_0_C0_C0_0). WORD is read as a register value.
${VALUE_RULE}

Examples:
  pmup insn 0xd53b9c00                 # mrs x0, PMCR_EL0
  pmup insn d53b9c00                   # the same: bare hex
  pmup insn "mrs x0, pmcr_el0"         # 0xd53b9c00
  pmup insn "msr pmevcntr5_el0, x3"`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('insn', argv, { json: { type: 'boolean' } });
    expectPositionals('insn', positionals, 1);
    const input = positionals[0]!.trim();
    if (/^(mrs|msr)\b/i.test(input)) {
      const insn = parseSysregInsn(input);
      const word = sysregInsnWord(insn);
      if (values.json) {
        return ok(
          JSON.stringify({ word: hex(word, 8), text: sysregInsnText(insn), register: insn.reg.name }),
        );
      }
      return ok(`${hex(word, 8)}  ${sysregInsnText(insn)}  (${genericName(insn.encoding)})`);
    }
    const word = parseRegisterValue(input, 'instruction word');
    if (word > 0xffffffffn) throw new InputError(`Cannot decode ${input}: an instruction word is 32 bits`);
    const insn = decodeSysregInsn(Number(word));
    if (insn === undefined)
      throw new InputError(`Cannot decode ${hex(word, 8)}: not an MRS or MSR (register) instruction`);
    const reg = registerAt(insn.encoding);
    const text = sysregInsnText(insn);
    if (reg === undefined) {
      // A register outside the catalogue is named by its encoding (op0_op1_Cn_Cm_op2).
      if (values.json) {
        return ok(
          JSON.stringify({ word: hex(word, 8), text, register: null, direction: insn.dir, rt: insn.rt }),
        );
      }
      return ok(`${text}  (not a register of the catalogue)`);
    }
    if (values.json)
      return ok(
        JSON.stringify({ word: hex(word, 8), text, register: reg.name, direction: insn.dir, rt: insn.rt }),
      );
    return ok(`${text}  (${genericName(insn.encoding)}, Arm ARM ${reg.def.section})`);
  },
};
