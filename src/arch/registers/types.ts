// SPDX-License-Identifier: MIT
/**
 * The shapes of register definitions. Register files in this folder hold data only, in the
 * manner of Linux arch/arm64/tools/sysreg: name, encoding, then fields from msb to lsb, every bit
 * described exactly once (RES0/RES1 runs included). Behaviour lives elsewhere and reads this data.
 *
 * @module
 */

import type { FeatureName } from '../features.js';

/** System register encoding, as in MRS/MSR: op0, op1, CRn, CRm, op2. */
export interface SysregEncoding {
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
}

/**
 * What an access at one Exception level does when no trap applies: `RW`, read-only, write-only,
 * or UNDEFINED at that level.
 */
export type ElAccess = 'RW' | 'RO' | 'WO' | 'UNDEFINED';

/** Access per Exception level, before any trap (traps are behaviour, in access.ts). */
export interface RegisterAccess {
  readonly el0: ElAccess;
  readonly el1: ElAccess;
  readonly el2: ElAccess;
  readonly el3: ElAccess;
}

/** A value of a field that the Arm ARM names. */
export interface FieldValue {
  readonly value: number;
  /** A short name (Linux sysreg enumerator style) when the Arm ARM or Linux gives one. */
  readonly name?: string;
  readonly meaning: string;
}

/** One field, or one RES0/RES1 run. */
export interface FieldDef {
  /** Architectural field name, or `RES0` / `RES1` for reserved runs. */
  readonly name: string;
  /** Bit range `[msb, lsb]`, inclusive. A one-bit field has msb == lsb. */
  readonly bits: readonly [number, number];
  /** The feature that adds the field ("When FEAT_x is implemented"); absent when always present. */
  readonly feature?: FeatureName;
  /**
   * What the bits are when `feature` is not implemented: RES0 unless stated (`RES1` for
   * PMCR_EL0.LC without AArch32, `RAO/WI` for HCR_EL2.RW and SCR_EL3.RW without AArch32 at EL1).
   */
  readonly whenAbsent?: 'RES1' | 'RAO/WI';
  /** A further presence condition the feature alone does not capture, in words. */
  readonly condition?: string;
  /** Field-level access where it differs from the register's (PMCR_EL0.N is RO, P and C are WO). */
  readonly access?: 'RO' | 'WO';
  /** The enumerated values the Arm ARM names, where it names them. */
  readonly values?: readonly FieldValue[];
  /** One line: what the field does. */
  readonly description: string;
}

/**
 * An indexed register family such as PMEVCNTR<n>_EL0: instance n has the base encoding with
 * CRm<1:0> = n<4:3> and op2 = n<2:0> (Arm ARM D24.5.10 PMEVCNTR<n>_EL0, D24.5.12 PMEVTYPER<n>_EL0).
 */
export interface RegisterIndex {
  /** The highest instance number, n = 0..max. */
  readonly max: number;
}

/** One system register. */
export interface RegisterDef {
  /** Architectural name; an indexed family is written with `<n>`, e.g. `PMEVCNTR<n>_EL0`. */
  readonly name: string;
  /** Encoding; for an indexed family the encoding of instance 0. */
  readonly encoding: SysregEncoding;
  /** Present for indexed families only. */
  readonly index?: RegisterIndex;
  readonly width: 64;
  /** The feature that adds the register. */
  readonly feature: FeatureName;
  readonly access: RegisterAccess;
  /** Arm ARM DDI0487 M.a.a section of the register description, e.g. `D24.3.17`. */
  readonly section: string;
  /** One line: what the register is for. */
  readonly description: string;
  /** Fields from bit 63 down to bit 0. */
  readonly fields: readonly FieldDef[];
}
