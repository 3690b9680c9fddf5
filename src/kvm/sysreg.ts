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
import { u64 } from './c_int.js';

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
 * `FIELD_PREP(mask, val)` as include/linux/bitfield.h evaluates it at run time: `val` converted
 * to the mask's 64-bit type, shifted to the mask's lowest set bit, and ANDed with the mask. A value
 * too wide for the field loses its high bits silently; the compile-time check applies to
 * constants only.
 */
export function fieldPrep(mask: bigint, val: number | bigint): bigint {
  return (u64(val) << lowBit(mask)) & mask;
}

/** `FIELD_GET(mask, reg)`. */
export function fieldGet(mask: bigint, reg: bigint): bigint {
  return (reg & mask) >> lowBit(mask);
}

/** The position of a mask's lowest set bit (`__builtin_ctzll`), computed once per mask. */
const LOW_BITS = new Map<bigint, bigint>();
function lowBit(mask: bigint): bigint {
  let shift = LOW_BITS.get(mask);
  if (shift === undefined) {
    shift = 0n;
    while (((mask >> shift) & 1n) === 0n) shift++;
    LOW_BITS.set(mask, shift);
  }
  return shift;
}

export const MDCR_EL2_HPMN = maskOf('MDCR_EL2', 'HPMN');
export const MDCR_EL2_TPMCR = maskOf('MDCR_EL2', 'TPMCR');
export const MDCR_EL2_TPM = maskOf('MDCR_EL2', 'TPM');
export const MDCR_EL2_HPME = maskOf('MDCR_EL2', 'HPME');
export const MDCR_EL2_TDE = maskOf('MDCR_EL2', 'TDE');
export const MDCR_EL2_TDA = maskOf('MDCR_EL2', 'TDA');
export const MDCR_EL2_TDOSA = maskOf('MDCR_EL2', 'TDOSA');
export const MDCR_EL2_TDRA = maskOf('MDCR_EL2', 'TDRA');
export const MDCR_EL2_TPMS = maskOf('MDCR_EL2', 'TPMS');
export const MDCR_EL2_HPMD = maskOf('MDCR_EL2', 'HPMD');
export const MDCR_EL2_TTRF = maskOf('MDCR_EL2', 'TTRF');
export const MDCR_EL2_HCCD = maskOf('MDCR_EL2', 'HCCD');

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
