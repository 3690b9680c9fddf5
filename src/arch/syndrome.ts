// SPDX-License-Identifier: MIT
/**
 * Exception syndromes: ESR_EL1 and ESR_EL2 values split into EC, IL and ISS, and the ISS of a
 * trapped MSR/MRS/System instruction (EC 0x18) turned back into the instruction. A KVM
 * "Unsupported guest sys_reg access" log line is read into the same shape.
 *
 * Arm ARM DDI0487 M.a.a D24.2.46 ESR_EL2 (ESR_EL1 has the same layout): bits [63:56] RES0,
 * ISS2 [55:32], EC [31:26], IL [25], ISS [24:0].
 *
 * @module
 */

import { registerAtEncoding } from './catalogue.js';
import { InputError } from './errors.js';
import type { SysregEncoding } from './registers/types.js';

/** The fields of an ESR_ELx value. */
export interface Syndrome {
  readonly ec: number;
  readonly il: number;
  readonly iss: number;
  readonly iss2: number;
  /** Bits [63:56], RES0. */
  readonly res0: number;
}

/** The instruction an EC 0x18 ISS describes. Rt is undefined when unknown (a KVM log line). */
export interface SysregTrap {
  readonly encoding: SysregEncoding;
  readonly rt?: number;
  /** Direction: true for a read (MRS, SYSL), false for a write (MSR, SYS). */
  readonly read: boolean;
}

/** EC of a trapped MSR, MRS or System instruction in AArch64 state (D24.2.46 ESR_EL2.EC). */
export const EC_SYSREG_TRAP = 0x18;

const MAX64 = (1n << 64n) - 1n;

const bits = (v: bigint, msb: number, lsb: number): number =>
  Number((v >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n));

/** Splits an ESR_ELx value into its fields (D24.2.46). InputError for a value over 64 bits. */
export function splitSyndrome(value: bigint): Syndrome {
  if (value < 0n || value > MAX64)
    throw new InputError(`Cannot decode 0x${value.toString(16)}: wider than 64 bits`);
  return {
    res0: bits(value, 63, 56),
    iss2: bits(value, 55, 32),
    ec: bits(value, 31, 26),
    il: bits(value, 25, 25),
    iss: bits(value, 24, 0),
  };
}

/**
 * The Exception Classes of D24.2.46 ESR_EL2.EC, in words; values absent here are unallocated
 * (or not named by this model). Checked against the EC table of D24.2.45 ESR_EL1 (M.a.a), which
 * has every value here but those only EL2 takes: 0x12, 0x13 (HVC, SMC from AArch32) and 0x16,
 * 0x17 (HVC, SMC from AArch64), taken from the ESR_EL2 description.
 */
const EC_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'Unknown reason (includes UNDEFINED instructions)'],
  [0x01, 'Trapped WFI, WFE, WFIT or WFET instruction'],
  [0x03, 'Trapped MCR or MRC access (coproc 0b1111), AArch32'],
  [0x04, 'Trapped MCRR or MRRC access (coproc 0b1111), AArch32'],
  [0x05, 'Trapped MCR or MRC access (coproc 0b1110), AArch32'],
  [0x06, 'Trapped LDC or STC access, AArch32'],
  [0x07, 'Trapped access to SME, SVE, Advanced SIMD or floating-point functionality'],
  [0x08, 'Trapped VMRS access (ID group trap), AArch32'],
  [0x09, 'Trapped pointer authentication instruction'],
  [0x0c, 'Trapped MRRC access (coproc 0b1110), AArch32'],
  [0x0d, 'Branch Target Exception'],
  [0x0e, 'Illegal Execution state'],
  [0x11, 'SVC instruction, AArch32'],
  [0x12, 'HVC instruction, AArch32'],
  [0x13, 'SMC instruction, AArch32'],
  [0x15, 'SVC instruction, AArch64'],
  [0x16, 'HVC instruction, AArch64'],
  [0x17, 'SMC instruction, AArch64'],
  [EC_SYSREG_TRAP, 'Trapped MSR, MRS or System instruction execution in AArch64 state'],
  [0x19, 'Trapped access to SVE functionality'],
  [0x1a, 'Trapped ERET, ERETAA or ERETAB instruction'],
  [0x1c, 'Pointer authentication failure (FEAT_FPAC)'],
  [0x1d, 'Trapped access to SME functionality'],
  [0x20, 'Instruction Abort from a lower Exception level'],
  [0x21, 'Instruction Abort taken without a change in Exception level'],
  [0x22, 'PC alignment fault'],
  [0x24, 'Data Abort from a lower Exception level'],
  [0x25, 'Data Abort taken without a change in Exception level'],
  [0x26, 'SP alignment fault'],
  [0x27, 'Memory Operation exception (FEAT_MOPS)'],
  [0x28, 'Trapped floating-point exception, AArch32'],
  [0x2c, 'Trapped floating-point exception, AArch64'],
  [0x2f, 'SError exception'],
  [0x30, 'Breakpoint from a lower Exception level'],
  [0x31, 'Breakpoint taken without a change in Exception level'],
  [0x32, 'Software Step from a lower Exception level'],
  [0x33, 'Software Step taken without a change in Exception level'],
  [0x34, 'Watchpoint from a lower Exception level'],
  [0x35, 'Watchpoint taken without a change in Exception level'],
  [0x38, 'BKPT instruction, AArch32'],
  [0x3c, 'BRK instruction, AArch64'],
  [0x3d, 'PMU exception (FEAT_EBEP)'],
]);

/** The Exception Class in words (D24.2.46 ESR_EL2.EC). */
export function ecMeaning(ec: number): string {
  return EC_NAMES.get(ec) ?? 'Unallocated, or not named by this model';
}

/** IL [25] in words (D24.2.46 ESR_EL2.IL): the length of the trapped instruction. */
export function ilMeaning(il: number): string {
  return il === 1 ? '32-bit instruction trapped' : '16-bit instruction trapped (or IL not meaningful)';
}

/**
 * The ISS of EC 0x18 (D24.2.46, "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution in AArch64 state"): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1 = read).
 */
export function sysregTrapOfIss(iss: number): SysregTrap {
  const v = BigInt(iss);
  return {
    encoding: {
      op0: bits(v, 21, 20),
      op2: bits(v, 19, 17),
      op1: bits(v, 16, 14),
      crn: bits(v, 13, 10),
      crm: bits(v, 4, 1),
    },
    rt: bits(v, 9, 5),
    read: bits(v, 0, 0) === 1,
  };
}

const KVM_LINE =
  /\{\s*Op0\(\s*(\d+)\),\s*Op1\(\s*(\d+)\),\s*CRn\(\s*(\d+)\),\s*CRm\(\s*(\d+)\),\s*Op2\(\s*(\d+)\),\s*func_(read|write)\s*\}/;

/** Whether `text` looks like KVM's "{ Op0( 3), ..., func_read }" (so is not a number). */
export function isKvmSysregLine(text: string): boolean {
  return /\{\s*Op0\(/.test(text);
}

/**
 * Reads KVM's report of a sys_reg access it does not handle (Linux arch/arm64/kvm/sys_regs.c
 * print_sys_reg_msg(): "{ Op0(%2u), Op1(%2u), CRn(%2u), CRm(%2u), Op2(%2u), func_%s }"). The
 * line does not give Rt.
 */
export function parseKvmSysregLine(text: string): SysregTrap {
  const m = KVM_LINE.exec(text);
  if (m === null) {
    throw new InputError(
      'Cannot read the KVM line: expected "{ Op0( 3), Op1( 3), CRn( 9), CRm(12), Op2( 0), func_read }"',
    );
  }
  const [op0, op1, crn, crm, op2] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // The field widths of a system instruction encoding (C5.1.2 / C6.2 MRS): op0 2 bits, op1 and
  // op2 3 bits, CRn and CRm 4 bits.
  if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7) {
    throw new InputError('Cannot read the KVM line: Op0 0..3, Op1 0..7, CRn 0..15, CRm 0..15, Op2 0..7');
  }
  return { encoding: { op0, op1, crn, crm, op2 }, read: m[6] === 'read' };
}

/** The catalogue name of an encoding, or its generic name S<op0>_<op1>_C<n>_C<m>_<op2>. */
export function encodingName(e: SysregEncoding): string {
  return registerAtEncoding(e)?.name ?? `S${e.op0}_${e.op1}_C${e.crn}_C${e.crm}_${e.op2}`;
}

function xt(rt: number | undefined): string {
  if (rt === undefined) return 'x?';
  return rt === 31 ? 'xzr' : `x${rt}`;
}

/**
 * The trapped instruction as assembler: op0 2 or 3 is MRS/MSR (C6.2), op0 1 is SYSL/SYS
 * (C6.2 SYS, SYSL: op0 = 0b01), op0 0 is an MSR (immediate), hint or barrier encoding.
 */
export function trapInsnText(t: SysregTrap): string {
  const e = t.encoding;
  if (e.op0 >= 2) {
    const reg = encodingName(e);
    return t.read ? `mrs ${xt(t.rt)}, ${reg}` : `msr ${reg}, ${xt(t.rt)}`;
  }
  if (e.op0 === 1) {
    const ops = `#${e.op1}, C${e.crn}, C${e.crm}, #${e.op2}`;
    return t.read ? `sysl ${xt(t.rt)}, ${ops}` : `sys ${ops}, ${xt(t.rt)}`;
  }
  return `op0 0 instruction S0_${e.op1}_C${e.crn}_C${e.crm}_${e.op2}`;
}

/** `mrs x3, PMEVCNTR5_EL0 (Op0 3 Op1 3 CRn 14 CRm 8 Op2 5), read`. */
export function trapText(t: SysregTrap): string {
  const e = t.encoding;
  const ops = `Op0 ${e.op0} Op1 ${e.op1} CRn ${e.crn} CRm ${e.crm} Op2 ${e.op2}`;
  return `${trapInsnText(t)} (${ops}), ${t.read ? 'read' : 'write'}`;
}

/** `mrs x0, PMEVCNTR5_EL0, read`: the short form, after an ISS. */
export function trapShortText(t: SysregTrap): string {
  return `${trapInsnText(t)}, ${t.read ? 'read' : 'write'}`;
}
