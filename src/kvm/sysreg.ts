// SPDX-License-Identifier: MIT
/**
 * The MDCR_EL2 and fine-grained trap bits that the KVM policies set, located by the register
 * catalogue and never hard-coded. The constants carry the names Linux generates from
 * arch/arm64/tools/sysreg (`MDCR_EL2_TPM`, `HDFGRTR_EL2_PMOVS`, ...), so the policies read like
 * the kernel code they model.
 *
 * @module
 */

import { lookupRegister } from '../arch/catalogue.js';
import { field, fieldMask } from '../arch/fields.js';
import type { FieldDef, RegisterDef } from '../arch/registers/types.js';

/** The catalogue's definition of register `name` (an indexed family by its `<n>` name). */
export function registerDef(name: string): RegisterDef {
  return lookupRegister(name.replace('<n>', '0')).def;
}

/** The catalogue's field `reg.name`; throws when the catalogue lacks it (a bug in this module). */
export function fieldOf(reg: string, name: string): FieldDef {
  return field(registerDef(reg), name);
}

/** The mask of field `reg.name`, as Linux's `REG_FIELD` / `REG_FIELD_MASK` constants. */
export function maskOf(reg: string, name: string): bigint {
  return fieldMask(fieldOf(reg, name));
}

/**
 * MDCR_EL2 as the policies compute it: the register's bits [31:0], in a number. Every MDCR_EL2
 * field a modelled hypervisor writes lies there (mdcrMaskOf() checks each when it is made), so
 * JavaScript's 32-bit bitwise operators compute what the kernel's `u64` arithmetic computes, bit
 * for bit, without allocating a BigInt at each operation (the policy grid's 345,600 inputs run at
 * a small multiple of a C loop: `npm run bench`). mdcrEl2Value() widens it to the 64-bit register
 * value that PolicyResult and the PE state hold; bits [63:32] are 0 by construction.
 */
export type MdcrEl2 = number;

/**
 * The mask of MDCR_EL2 field `name` as a number (a bit 31 field reads as a negative `int32`, which
 * the bitwise operators treat alike). Throws when the catalogue puts the field above bit 31: a
 * policy that needs such a field must compute that part in BigInt.
 */
export function mdcrMaskOf(name: string): number {
  const mask = maskOf('MDCR_EL2', name);
  if (mask >> 32n !== 0n) throw new Error(`internal: MDCR_EL2.${name} lies above bit 31`);
  return Number(mask) | 0;
}

/** The 64-bit MDCR_EL2 value of the policies' `MdcrEl2`. */
export function mdcrEl2Value(mdcr: MdcrEl2): bigint {
  return BigInt(mdcr >>> 0);
}

/** The position of a 32-bit mask's lowest set bit (`__builtin_ctz`). */
function lowBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/**
 * `FIELD_PREP(mask, val)` for an MDCR_EL2 field, as include/linux/bitfield.h evaluates it at run
 * time: `val` converted to the mask's 64-bit type, shifted to the mask's lowest set bit, and ANDed
 * with the mask. A value too wide for the field loses its high bits silently (the compile-time check
 * applies to constants only). For an integer `val` (an `int` or `u8` of the kernel code) the low
 * 32 bits of `(u64)val << shift` are those of `val << shift`, and the mask keeps nothing above.
 */
export function fieldPrep(mask: number, val: number): MdcrEl2 {
  return (val << lowBit(mask)) & mask;
}

/** `FIELD_GET(mask, reg)` for an MDCR_EL2 field, of a policy's value or the 64-bit register's. */
export function fieldGet(mask: number, reg: MdcrEl2 | bigint): number {
  const low = typeof reg === 'bigint' ? Number(BigInt.asUintN(32, reg)) : reg;
  return (low & mask) >>> lowBit(mask);
}

export const MDCR_EL2_HPMN = mdcrMaskOf('HPMN');
export const MDCR_EL2_TPMCR = mdcrMaskOf('TPMCR');
export const MDCR_EL2_TPM = mdcrMaskOf('TPM');
export const MDCR_EL2_HPME = mdcrMaskOf('HPME');
export const MDCR_EL2_TDE = mdcrMaskOf('TDE');
export const MDCR_EL2_TDA = mdcrMaskOf('TDA');
export const MDCR_EL2_TDOSA = mdcrMaskOf('TDOSA');
export const MDCR_EL2_TDRA = mdcrMaskOf('TDRA');
export const MDCR_EL2_TPMS = mdcrMaskOf('TPMS');
export const MDCR_EL2_HPMD = mdcrMaskOf('HPMD');
export const MDCR_EL2_TTRF = mdcrMaskOf('TTRF');
export const MDCR_EL2_HCCD = mdcrMaskOf('HCCD');

export const HDFGRTR_EL2_PMOVS = maskOf('HDFGRTR_EL2', 'PMOVS');
export const HDFGRTR_EL2_PMCCFILTR_EL0 = maskOf('HDFGRTR_EL2', 'PMCCFILTR_EL0');
export const HDFGRTR_EL2_PMEVTYPERn_EL0 = maskOf('HDFGRTR_EL2', 'PMEVTYPERn_EL0');
export const HDFGRTR_EL2_PMCEIDn_EL0 = maskOf('HDFGRTR_EL2', 'PMCEIDn_EL0');
export const HDFGRTR_EL2_PMMIR_EL1 = maskOf('HDFGRTR_EL2', 'PMMIR_EL1');

export const HDFGWTR_EL2_PMOVS = maskOf('HDFGWTR_EL2', 'PMOVS');
export const HDFGWTR_EL2_PMCCFILTR_EL0 = maskOf('HDFGWTR_EL2', 'PMCCFILTR_EL0');
export const HDFGWTR_EL2_PMEVTYPERn_EL0 = maskOf('HDFGWTR_EL2', 'PMEVTYPERn_EL0');

export const HDFGRTR2_EL2_nPMICFILTR_EL0 = maskOf('HDFGRTR2_EL2', 'nPMICFILTR_EL0');
export const HDFGRTR2_EL2_nPMICNTR_EL0 = maskOf('HDFGRTR2_EL2', 'nPMICNTR_EL0');
export const HDFGWTR2_EL2_nPMICFILTR_EL0 = maskOf('HDFGWTR2_EL2', 'nPMICFILTR_EL0');
export const HDFGWTR2_EL2_nPMICNTR_EL0 = maskOf('HDFGWTR2_EL2', 'nPMICNTR_EL0');
