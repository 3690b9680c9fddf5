// SPDX-License-Identifier: MIT
/**
 * Which PMU registers a guest (EL1 or EL0, EL2 enabled, HCR_EL2.{E2H,TGE} != {1,1}) traps to EL2
 * on, given the MDCR_EL2 and fine-grained trap values KVM programs. Only KVM's configured traps
 * are counted here; the architectural trap of PMEVCNTR<n>_EL0 / PMEVTYPER<n>_EL0 with n >= HPMN
 * (FEAT_FGT) and PMUSERENR_EL0's EL0 controls are not.
 *
 * Sources: Arm ARM DDI0487 M.a.a D24.3.17 MDCR_EL2 (TPM traps every Performance Monitors register,
 * TPMCR traps PMCR_EL0), D24.2.66-69 HDFGRTR2_EL2, HDFGWTR2_EL2, HDFGRTR_EL2, HDFGWTR_EL2 (one bit
 * per register or register group; fields named nXXX trap when 0, the others when 1).
 *
 * @module
 */

import { fieldMask } from '../arch/fields.js';
import { fieldOf, registerDef } from './sysreg.js';

/** The four fine-grained trap registers KVM programs for the PMU. */
export interface FgtValues {
  readonly hdfgrtr: bigint;
  readonly hdfgwtr: bigint;
  readonly hdfgrtr2: bigint;
  readonly hdfgwtr2: bigint;
}

/** The CPU features that make the FGT registers exist. */
export interface FgtFeatures {
  /** FEAT_FGT: HDFGRTR_EL2 and HDFGWTR_EL2. */
  readonly hasFgt: boolean;
  /** FEAT_FGT2: HDFGRTR2_EL2 and HDFGWTR2_EL2. */
  readonly hasFgt2: boolean;
}

/** The name of an FGT register. */
export type FgtRegister = 'HDFGRTR_EL2' | 'HDFGWTR_EL2' | 'HDFGRTR2_EL2' | 'HDFGWTR2_EL2';

/** A field of an FGT register that traps one PMU register (or register group). */
interface FgtRef {
  readonly reg: FgtRegister;
  readonly field: string;
}

/** One PMU register and every control that can trap the guest's accesses to it. */
interface PmuTrapRow {
  readonly name: string;
  /** The MDCR_EL2 fields that trap it, each when 1. */
  readonly mdcr: readonly string[];
  readonly read?: FgtRef;
  readonly write?: FgtRef;
}

function rw(field: string, fgt2 = false): { read: FgtRef; write: FgtRef } {
  return fgt2
    ? { read: { reg: 'HDFGRTR2_EL2', field }, write: { reg: 'HDFGWTR2_EL2', field } }
    : { read: { reg: 'HDFGRTR_EL2', field }, write: { reg: 'HDFGWTR_EL2', field } };
}

const TPM = ['TPM'];

/** The PMU registers reachable from EL1/EL0 and their trap controls, in catalogue order. */
const PMU_TRAP_TABLE: readonly PmuTrapRow[] = [
  { name: 'PMCCFILTR_EL0', mdcr: TPM, ...rw('PMCCFILTR_EL0') },
  { name: 'PMCEID0_EL0', mdcr: TPM, read: { reg: 'HDFGRTR_EL2', field: 'PMCEIDn_EL0' } },
  { name: 'PMCEID1_EL0', mdcr: TPM, read: { reg: 'HDFGRTR_EL2', field: 'PMCEIDn_EL0' } },
  // PMCR_EL0 has a write trap only (HDFGRTR_EL2 bits [21:20] are RES0).
  { name: 'PMCR_EL0', mdcr: ['TPM', 'TPMCR'], write: { reg: 'HDFGWTR_EL2', field: 'PMCR_EL0' } },
  { name: 'PMEVTYPER<n>_EL0', mdcr: TPM, ...rw('PMEVTYPERn_EL0') },
  { name: 'PMICFILTR_EL0', mdcr: TPM, ...rw('nPMICFILTR_EL0', true) },
  { name: 'PMMIR_EL1', mdcr: TPM, read: { reg: 'HDFGRTR_EL2', field: 'PMMIR_EL1' } },
  { name: 'PMUSERENR_EL0', mdcr: TPM, ...rw('PMUSERENR_EL0') },
  { name: 'PMXEVTYPER_EL0', mdcr: TPM, ...rw('PMEVTYPERn_EL0') },
  { name: 'PMCCNTR_EL0', mdcr: TPM, ...rw('PMCCNTR_EL0') },
  { name: 'PMCNTENSET_EL0', mdcr: TPM, ...rw('PMCNTEN') },
  { name: 'PMCNTENCLR_EL0', mdcr: TPM, ...rw('PMCNTEN') },
  { name: 'PMEVCNTR<n>_EL0', mdcr: TPM, ...rw('PMEVCNTRn_EL0') },
  { name: 'PMICNTR_EL0', mdcr: TPM, ...rw('nPMICNTR_EL0', true) },
  { name: 'PMINTENSET_EL1', mdcr: TPM, ...rw('PMINTEN') },
  { name: 'PMINTENCLR_EL1', mdcr: TPM, ...rw('PMINTEN') },
  { name: 'PMOVSSET_EL0', mdcr: TPM, ...rw('PMOVS') },
  { name: 'PMOVSCLR_EL0', mdcr: TPM, ...rw('PMOVS') },
  { name: 'PMSELR_EL0', mdcr: TPM, ...rw('PMSELR_EL0') },
  { name: 'PMSWINC_EL0', mdcr: TPM, write: { reg: 'HDFGWTR_EL2', field: 'PMSWINC_EL0' } },
  { name: 'PMUACR_EL1', mdcr: TPM, ...rw('nPMUACR_EL1', true) },
  { name: 'PMXEVCNTR_EL0', mdcr: TPM, ...rw('PMEVCNTRn_EL0') },
  { name: 'PMZR_EL0', mdcr: TPM, write: { reg: 'HDFGWTR2_EL2', field: 'nPMZR_EL0' } },
];

/** A trap row resolved against the catalogue: masks and polarity, and what EL1 may do. */
interface ResolvedRow {
  readonly name: string;
  readonly mdcrMask: bigint;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly read?: ResolvedFgt;
  readonly write?: ResolvedFgt;
}

interface ResolvedFgt {
  readonly reg: FgtRegister;
  readonly field: string;
  readonly mask: bigint;
  /** True for nXXX fields: 0 traps. */
  readonly negative: boolean;
}

function resolveFgt(ref: FgtRef | undefined): ResolvedFgt | undefined {
  if (ref === undefined) return undefined;
  return {
    ...ref,
    mask: fieldMask(fieldOf(ref.reg, ref.field)),
    negative: /^n[A-Z]/.test(ref.field),
  };
}

const ROWS: readonly ResolvedRow[] = PMU_TRAP_TABLE.map((row) => {
  const access = registerDef(row.name).access.el1;
  let mdcrMask = 0n;
  for (const f of row.mdcr) mdcrMask |= fieldMask(fieldOf('MDCR_EL2', f));
  const read = resolveFgt(row.read);
  const write = resolveFgt(row.write);
  return {
    name: row.name,
    mdcrMask,
    readable: access === 'RW' || access === 'RO',
    writable: access === 'RW' || access === 'WO',
    ...(read === undefined ? {} : { read }),
    ...(write === undefined ? {} : { write }),
  };
});

/** A negative-polarity PMU field of an FGT register (0 traps). */
export interface NegativeFgtField {
  readonly reg: FgtRegister;
  readonly field: string;
  readonly mask: bigint;
  /** What it traps when 0, e.g. `reads of PMICNTR_EL0`. */
  readonly traps: string;
}

/** The negative-polarity PMU fields of the FGT registers, in trap-table order. */
export const NEGATIVE_PMU_FGT_FIELDS: readonly NegativeFgtField[] = ROWS.flatMap((r) =>
  [r.read, r.write]
    .filter((f): f is ResolvedFgt => f?.negative === true)
    .map((f) => ({
      reg: f.reg,
      field: f.field,
      mask: f.mask,
      traps: `${f.reg.startsWith('HDFGR') ? 'reads' : 'writes'} of ${r.name}`,
    })),
);

/** The value of FGT register `reg` among `fgt`. */
export function fgtValue(reg: FgtRegister, fgt: FgtValues): bigint {
  switch (reg) {
    case 'HDFGRTR_EL2':
      return fgt.hdfgrtr;
    case 'HDFGWTR_EL2':
      return fgt.hdfgwtr;
    case 'HDFGRTR2_EL2':
      return fgt.hdfgrtr2;
    case 'HDFGWTR2_EL2':
      return fgt.hdfgwtr2;
  }
}

/** Whether the CPU implements FGT register `reg`. */
export function fgtImplemented(reg: FgtRegister, features: FgtFeatures): boolean {
  return reg.endsWith('2_EL2') ? features.hasFgt2 : features.hasFgt;
}

function fgtTraps(f: ResolvedFgt | undefined, fgt: FgtValues, features: FgtFeatures): boolean {
  if (f === undefined || !fgtImplemented(f.reg, features)) return false;
  const set = (fgtValue(f.reg, fgt) & f.mask) !== 0n;
  return f.negative ? !set : set;
}

/** How the guest's accesses to one PMU register fare. */
export interface RegisterTraps {
  readonly name: string;
  /** Guest reads trap to EL2 (false for a write-only register). */
  readonly read: boolean;
  /** Guest writes trap to EL2 (false for a read-only register). */
  readonly write: boolean;
}

/** For every PMU register, whether the guest's reads and writes trap to EL2. */
export function guestPmuTraps(mdcrEl2: bigint, fgt: FgtValues, features: FgtFeatures): RegisterTraps[] {
  return ROWS.map((r) => {
    const coarse = (mdcrEl2 & r.mdcrMask) !== 0n;
    return {
      name: r.name,
      read: r.readable && (coarse || fgtTraps(r.read, fgt, features)),
      write: r.writable && (coarse || fgtTraps(r.write, fgt, features)),
    };
  });
}

/**
 * The PMU registers whose guest accesses trap to EL2: the name when every access the register
 * supports traps, `NAME (reads)` / `NAME (writes)` when only one direction does.
 */
export function trappedRegisters(mdcrEl2: bigint, fgt: FgtValues, features: FgtFeatures): string[] {
  const out: string[] = [];
  guestPmuTraps(mdcrEl2, fgt, features).forEach((t, i) => {
    const row = ROWS[i]!;
    if (!t.read && !t.write) return;
    if (row.readable && row.writable && t.read !== t.write)
      out.push(`${t.name} (${t.read ? 'reads' : 'writes'})`);
    else out.push(t.name);
  });
  return out;
}
