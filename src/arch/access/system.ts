// SPDX-License-Identifier: MIT
/**
 * MRS/MSR of the registers around the PMU: MDCR_EL2 (D24.3.17), HCR_EL2 (D24.2.62), the
 * fine-grained trap registers HDFGRTR_EL2, HDFGWTR_EL2, HDFGRTR2_EL2, HDFGWTR2_EL2
 * (D24.2.66-D24.2.69), the EL3 registers MDCR_EL3 and SCR_EL3, and the ID registers
 * ID_AA64DFR0_EL1, ID_AA64DFR1_EL1, ID_AA64MMFR0_EL1, ID_AA64PFR0_EL1 (D24.2.80, .81, .88, .93).
 *
 * @module
 */

import { FEATURES } from '../features.js';
import { field, fieldMask } from '../fields.js';
import { el2Enabled } from '../pmu/ranges.js';
import {
  bits,
  get,
  haveEL3,
  isFeatureImplemented,
  isSet,
  type PeState,
  put,
  type StoredReg,
  withReg,
} from '../pmu/state.js';
import type { RegisterDef } from '../registers/types.js';
import { constrainUnpredictable, type RuleName } from '../unpredictable.js';
import { implemented, readView, writeView } from './legal.js';
import {
  type AccessResult,
  accessorText,
  accessText,
  type Ctx,
  okResult,
  trapResult,
  undefinedResult,
  unpredictableResult,
} from './outcome.js';

const HCR_NV = bits('HCR_EL2', 'NV');
const HCR_NV1 = bits('HCR_EL2', 'NV1');
const HCR_NV2 = bits('HCR_EL2', 'NV2');
const HCR_TID3 = bits('HCR_EL2', 'TID3');
const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');
const MDCR_EL3_TDA = bits('MDCR_EL3', 'TDA');
const SCR_FGTEN = bits('SCR_EL3', 'FGTEn');
const SCR_FGTEN2 = bits('SCR_EL3', 'FGTEn2');
const SCR_TID3 = bits('SCR_EL3', 'TID3');

/**
 * An EL1 access to an EL2 register (EffectiveHCR_EL2_NVx(), J1): with FEAT_NV and HCR_EL2.NV = 1
 * it traps to EL2, or with FEAT_NV2 and HCR_EL2.NV2 = 1 it becomes a memory access (NVMem[]);
 * otherwise it is UNDEFINED.
 */
function el1ToEl2Register(ctx: Ctx): AccessResult {
  const { pe } = ctx;
  const where = accessorText(ctx);
  const hcr = pe.regs.HCR_EL2;
  if (!isFeatureImplemented(pe, 'FEAT_NV') || !el2Enabled(pe)) {
    return undefinedResult(ctx, `${ctx.reg.name} is UNDEFINED at EL1 without FEAT_NV (${where})`);
  }
  let nv = isSet(hcr, HCR_NV);
  let via: RuleName | undefined;
  if (!nv && isSet(hcr, HCR_NV1)) {
    // HCR_EL2.{NV,NV1} = {0,1} is CONSTRAINED UNPREDICTABLE (J1.3 EffectiveHCR_EL2_NVx():
    // Unpredictable_NVNV1): the Effective <NV1,NV> is 00, 10 or 11 (Constraint_NVNV1_00/_01/_11).
    const c = constrainUnpredictable('NVNV1', ['nvnv1-00', 'nvnv1-01', 'nvnv1-11'], ctx.choices);
    const rule = `HCR_EL2.{NV,NV1} = {0,1} is CONSTRAINED UNPREDICTABLE (J1.3 EffectiveHCR_EL2_NVx())`;
    if (c.kind === 'unpredictable') return unpredictableResult(ctx, c, rule);
    nv = c.behaviour === 'nvnv1-11';
    via = 'NVNV1';
  }
  if (!nv) {
    return undefinedResult(
      ctx,
      `Effective HCR_EL2.NV = 0: ${ctx.reg.name} is UNDEFINED at EL1 (${where})`,
      via,
    );
  }
  if (isFeatureImplemented(pe, 'FEAT_NV2') && isSet(hcr, HCR_NV2)) {
    // The access goes to memory at VNCR_EL2 + offset, which the model does not hold: a read gives
    // a value the model does not know, a write changes no register.
    return okResult(
      pe,
      `HCR_EL2.{NV,NV2} = {1,1}: ${accessText(ctx)} go to memory (NVMem[]), which the model does not hold (${where})`,
    );
  }
  return trapResult(
    ctx,
    2,
    `HCR_EL2.NV = 1 traps ${accessText(ctx)} to EL2 (${where}; J1 EffectiveHCR_EL2_NVx())`,
    via,
  );
}

/** A plain read or write of a stored register, keeping only implemented, writable fields. */
function plain(ctx: Ctx, reg: StoredReg, rule: string): AccessResult {
  const { pe } = ctx;
  const def = ctx.reg.def;
  if (ctx.dir === 'read') return okResult(pe, rule, readView(pe, def, pe.regs[reg]));
  return okResult(withReg(pe, reg, writeView(pe, def, pe.regs[reg], ctx.value)), rule);
}

/**
 * MDCR_EL2 (D24.3.17 "Accessing MDCR_EL2"). At EL2 MDCR_EL3.TDA = 1 traps to EL3. A direct read
 * of a reserved HPMN (greater than N, or 0 without FEAT_HPMN0) returns an UNKNOWN value
 * (RES_HPMN_READ); with FEAT_PMUv3_EXTPMN it returns the Effective PMCCR.EPMN, N in the model.
 */
function mdcrEl2(ctx: Ctx): AccessResult {
  const { pe } = ctx;
  const where = accessorText(ctx);
  if (ctx.el === 0) return undefinedResult(ctx, `MDCR_EL2 is UNDEFINED at EL0 (${where})`);
  if (ctx.el === 1) return el1ToEl2Register(ctx);
  if (haveEL3(pe) && isSet(pe.regs.MDCR_EL3, MDCR_EL3_TDA)) {
    return trapResult(ctx, 3, `MDCR_EL3.TDA = 1 traps ${accessText(ctx)} to EL3 (${where})`);
  }
  if (ctx.dir === 'write') return plain(ctx, 'MDCR_EL2', `${accessText(ctx)} complete (${where})`);
  const value = readView(pe, ctx.reg.def, pe.regs.MDCR_EL2);
  const hpmn = Number(get(value, MDCR_EL2_HPMN));
  const n = pe.config.n;
  if (hpmn <= n && (hpmn !== 0 || isFeatureImplemented(pe, 'FEAT_HPMN0'))) {
    return okResult(pe, `${accessText(ctx)} complete (${where})`, value);
  }
  const why = `MDCR_EL2.HPMN = ${hpmn} is reserved (${hpmn > n ? `greater than N = ${n}` : '0 without FEAT_HPMN0'})`;
  if (isFeatureImplemented(pe, 'FEAT_PMUv3_EXTPMN')) {
    return okResult(
      pe,
      `${why}: with FEAT_PMUv3_EXTPMN a direct read returns the Effective PMCCR.EPMN = N (D24.3.17 HPMN)`,
      put(value, MDCR_EL2_HPMN, BigInt(n)),
    );
  }
  const allowed = ['value-written'];
  for (let k = 0; k <= 31; k++) allowed.push(`hpmn-${k}`);
  const rule = `${why}: a direct read of HPMN returns an UNKNOWN value (D24.3.17 HPMN)`;
  const c = constrainUnpredictable('RES_HPMN_READ', allowed, ctx.choices);
  if (c.kind === 'unpredictable') return unpredictableResult(ctx, c, rule);
  const shown =
    c.behaviour === 'value-written'
      ? value
      : put(value, MDCR_EL2_HPMN, BigInt(c.behaviour.slice('hpmn-'.length)));
  return okResult(pe, `${rule}; chosen behaviour: ${c.behaviour}`, shown, 'RES_HPMN_READ');
}

/** HCR_EL2 (D24.2.62): plain at EL2, nested virtualization at EL1, UNDEFINED at EL0. */
function hcrEl2(ctx: Ctx): AccessResult {
  const where = accessorText(ctx);
  if (ctx.el === 0) return undefinedResult(ctx, `HCR_EL2 is UNDEFINED at EL0 (${where})`);
  if (ctx.el === 1) return el1ToEl2Register(ctx);
  return plain(ctx, 'HCR_EL2', `${accessText(ctx)} complete (${where})`);
}

/**
 * HDFGRTR_EL2/HDFGWTR_EL2 (FEAT_FGT) and HDFGRTR2_EL2/HDFGWTR2_EL2 (FEAT_FGT2): at EL2, when EL3
 * is implemented, SCR_EL3.FGTEn (FGTEn2) = 0 traps the access to EL3 (D24.2.66-D24.2.69).
 */
function fgtRegister(ctx: Ctx, reg: StoredReg, enable: 'FGTEn' | 'FGTEn2'): AccessResult {
  const { pe } = ctx;
  const def = ctx.reg.def;
  const where = accessorText(ctx);
  if (!implemented(pe, def.feature)) {
    return undefinedResult(
      ctx,
      `${def.name} is not implemented without ${def.feature}: UNDEFINED (${where})`,
    );
  }
  if (ctx.el === 0) return undefinedResult(ctx, `${def.name} is UNDEFINED at EL0 (${where})`);
  if (ctx.el === 1) return el1ToEl2Register(ctx);
  const en = enable === 'FGTEn' ? SCR_FGTEN : SCR_FGTEN2;
  if (haveEL3(pe) && !isSet(pe.regs.SCR_EL3, en)) {
    return trapResult(ctx, 3, `SCR_EL3.${enable} = 0 traps ${accessText(ctx)} to EL3 (${where})`);
  }
  return plain(ctx, reg, `${accessText(ctx)} complete (${where})`);
}

/** MDCR_EL3, SCR_EL3: EL3 registers, UNDEFINED below EL3 (D24.3.18, D24.2.169). */
function el3Register(ctx: Ctx): AccessResult {
  return undefinedResult(ctx, `${ctx.reg.name} is UNDEFINED below EL3 (${accessorText(ctx)})`);
}

/**
 * The value of an ID register as far as the model's features determine it: each feature that an
 * ID field reports (FEATURES `id`) sets its field to at least its minimum value; the EL0 to EL3
 * fields of ID_AA64PFR0_EL1 say AArch64, or AArch64 and AArch32 (FEAT_AA32EL0/EL1). Every other
 * field reads as 0: the catalogue gives no value for it.
 */
export function idRegisterValue(pe: PeState, def: RegisterDef): bigint {
  let value = 0n;
  const raise = (name: string, min: number): void => {
    const f = field(def, name);
    const shift = BigInt(f.bits[1]);
    const cur = (value & fieldMask(f)) >> shift;
    if (BigInt(min) > cur) value = (value & ~fieldMask(f)) | (BigInt(min) << shift);
  };
  const features: ReadonlySet<string> = pe.config.features;
  for (const f of FEATURES) {
    if (f.id === undefined || f.id.register !== def.name) continue;
    if (features.has(f.name) || f.name === 'FEAT_EL2') raise(f.id.field, f.id.min);
  }
  if (def.name === 'ID_AA64PFR0_EL1') {
    raise('EL0', isFeatureImplemented(pe, 'FEAT_AA32EL0') ? 0b0010 : 0b0001);
    raise('EL1', isFeatureImplemented(pe, 'FEAT_AA32EL1') ? 0b0010 : 0b0001);
    raise('EL2', 0b0001);
  }
  return value;
}

/**
 * The ID registers (ID group 3): EL0 reads are UNDEFINED (FEAT_IDST is not in the model's
 * feature list), EL1 reads trap to EL2 when HCR_EL2.TID3 is 1 and to EL3 when FEAT_IDTE3 and
 * SCR_EL3.TID3 is 1; there is no MSR encoding (D24.2.80 "Accessing ID_AA64DFR0_EL1" and its
 * siblings).
 */
function idRegister(ctx: Ctx): AccessResult {
  const { pe } = ctx;
  const where = accessorText(ctx);
  if (ctx.dir === 'write') {
    return undefinedResult(
      ctx,
      `${ctx.reg.name} is read-only: there is no MSR encoding, so the instruction is UNDEFINED (${where})`,
    );
  }
  if (ctx.el === 0) {
    return undefinedResult(ctx, `${ctx.reg.name} is UNDEFINED at EL0 without FEAT_IDST (${where})`);
  }
  if (ctx.el === 1 && el2Enabled(pe) && isSet(pe.regs.HCR_EL2, HCR_TID3)) {
    return trapResult(ctx, 2, `HCR_EL2.TID3 = 1 traps ${accessText(ctx)} to EL2 (${where})`);
  }
  if (haveEL3(pe) && isFeatureImplemented(pe, 'FEAT_IDTE3') && isSet(pe.regs.SCR_EL3, SCR_TID3)) {
    return trapResult(ctx, 3, `SCR_EL3.TID3 = 1 traps ${accessText(ctx)} to EL3 (${where})`);
  }
  return okResult(
    pe,
    `${accessText(ctx)} complete; the value holds the fields the CPU's features determine (${where})`,
    readView(pe, ctx.reg.def, idRegisterValue(pe, ctx.reg.def)),
  );
}

/** MRS/MSR of a non-PMU register of the catalogue; undefined for a register not handled here. */
export function systemAccess(ctx: Ctx): AccessResult | undefined {
  switch (ctx.reg.def.name) {
    case 'MDCR_EL2':
      return mdcrEl2(ctx);
    case 'HCR_EL2':
      return hcrEl2(ctx);
    case 'HDFGRTR_EL2':
      return fgtRegister(ctx, 'HDFGRTR_EL2', 'FGTEn');
    case 'HDFGWTR_EL2':
      return fgtRegister(ctx, 'HDFGWTR_EL2', 'FGTEn');
    case 'HDFGRTR2_EL2':
      return fgtRegister(ctx, 'HDFGRTR2_EL2', 'FGTEn2');
    case 'HDFGWTR2_EL2':
      return fgtRegister(ctx, 'HDFGWTR2_EL2', 'FGTEn2');
    case 'MDCR_EL3':
    case 'SCR_EL3':
      return el3Register(ctx);
    case 'ID_AA64DFR0_EL1':
    case 'ID_AA64DFR1_EL1':
    case 'ID_AA64MMFR0_EL1':
    case 'ID_AA64PFR0_EL1':
      return idRegister(ctx);
    default:
      return undefined;
  }
}
