// SPDX-License-Identifier: MIT
/**
 * System-register instruction encodings: MRS/MSR (register) words from a register and back.
 *
 * Arm ARM DDI0487 M.a.a C6.2 "MRS" and "MSR (register)": bits [31:22] = 0b1101010100, L [21]
 * (1 = MRS, 0 = MSR), bit [20] = 1 (op0 is 0b1x), o0 [19] = op0<0>, op1 [18:16], CRn [15:12],
 * CRm [11:8], op2 [7:5], Rt [4:0]. Rt = 31 is XZR.
 *
 * @module
 */

import { encodingOf, lookupRegister, type RegisterRef, registerAtEncoding } from './catalogue.js';
import { InputError } from './errors.js';
import type { SysregEncoding } from './registers/types.js';

/** MRS reads a system register into Xt; MSR writes Xt to it. */
export type Direction = 'mrs' | 'msr';

/** A decoded MRS/MSR instruction. */
export interface SysregInsn {
  readonly dir: Direction;
  /** Transfer register, 0..30, or 31 for XZR. */
  readonly rt: number;
  readonly encoding: SysregEncoding;
}

const FIXED_MASK = 0xffd00000;
const FIXED_BITS = 0xd5100000;

/** The 32-bit instruction word of `dir` on the register with `encoding`, transfer register `rt`. */
export function sysregInsnWord(insn: SysregInsn): number {
  const { op0, op1, crn, crm, op2 } = insn.encoding;
  if (op0 !== 2 && op0 !== 3) throw new InputError(`Cannot encode op0 = ${op0}: MRS/MSR take op0 = 2 or 3`);
  if (!Number.isInteger(insn.rt) || insn.rt < 0 || insn.rt > 31) {
    throw new InputError(`Cannot encode transfer register ${insn.rt}: expected 0..31`);
  }
  const l = insn.dir === 'mrs' ? 1 : 0;
  const word =
    FIXED_BITS |
    (l << 21) |
    ((op0 & 1) << 19) |
    (op1 << 16) |
    (crn << 12) |
    (crm << 8) |
    (op2 << 5) |
    insn.rt;
  return word >>> 0;
}

/** Decodes an MRS or MSR (register) word; undefined for any other instruction. */
export function decodeSysregInsn(word: number): SysregInsn | undefined {
  if (!Number.isInteger(word) || word < 0 || word > 0xffffffff) return undefined;
  if ((word & FIXED_MASK) >>> 0 !== FIXED_BITS) return undefined;
  return {
    dir: (word >>> 21) & 1 ? 'mrs' : 'msr',
    rt: word & 0x1f,
    encoding: {
      op0: 2 + ((word >>> 19) & 1),
      op1: (word >>> 16) & 0b111,
      crn: (word >>> 12) & 0xf,
      crm: (word >>> 8) & 0xf,
      op2: (word >>> 5) & 0b111,
    },
  };
}

/** The catalogue register at `encoding`, or undefined when the catalogue has none there. */
export function registerAt(encoding: SysregEncoding): RegisterRef | undefined {
  return registerAtEncoding(encoding);
}

/** The generic name of an encoding, as assemblers accept it: `S3_3_C9_C12_0`. */
export function genericName(e: SysregEncoding): string {
  return `S${e.op0}_${e.op1}_C${e.crn}_C${e.crm}_${e.op2}`;
}

/** Assembler text for a decoded instruction, e.g. `mrs x0, PMCR_EL0`. */
export function sysregInsnText(insn: SysregInsn): string {
  const reg = registerAt(insn.encoding)?.name ?? genericName(insn.encoding);
  const xt = insn.rt === 31 ? 'xzr' : `x${insn.rt}`;
  return insn.dir === 'mrs' ? `mrs ${xt}, ${reg}` : `msr ${reg}, ${xt}`;
}

function parseXt(text: string, whole: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'xzr') return 31;
  const m = /^x(\d+)$/.exec(t);
  if (m !== null && Number(m[1]) <= 30) return Number(m[1]);
  throw new InputError(
    `Cannot assemble ${JSON.stringify(whole)}: ${JSON.stringify(text.trim())} is not x0..x30 or xzr`,
  );
}

/** Parses `mrs x0, pmcr_el0` or `msr pmcr_el0, x1` (generic S3_3_C9_C12_0 names accepted). */
export function parseSysregInsn(text: string): SysregInsn & { readonly reg: RegisterRef } {
  const m = /^\s*(mrs|msr)\s+([^,\s]+)\s*,\s*([^,\s]+)\s*$/i.exec(text);
  if (m === null) {
    throw new InputError(`Cannot assemble ${JSON.stringify(text)}: expected "mrs xN, REG" or "msr REG, xN"`);
  }
  const dir = m[1]!.toLowerCase() as Direction;
  const [regText, xtText] = dir === 'mrs' ? [m[3]!, m[2]!] : [m[2]!, m[3]!];
  const rt = parseXt(xtText, text);
  const reg = lookupRegister(regText);
  return { dir, rt, encoding: encodingOf(reg.def, reg.n), reg };
}
