// SPDX-License-Identifier: MIT
/**
 * MRS/MSR of the PMU registers (Arm ARM DDI0487 M.a.a D24.5, "Accessing ..."). Every accessor
 * of D24.5 has the same shape; this file holds it once (`pmuAccess`) and, per register, the data
 * that differs (`PMU_SPECS`): which PMUSERENR_EL0 bits enable EL0, which fine-grained trap bit
 * applies, whether a counter index is range-checked, whether MDCR_EL3.EnPM2 applies, and what the
 * access does once no check stops it.
 *
 * The order of checks, as every accessor writes it (EL3SDDUndefPriority() is FALSE: the PE is
 * not in Debug state):
 *  1. the register is not implemented, or has no encoding in this direction: UNDEFINED;
 *  2. a counter index (n, or PMSELR_EL0.SEL) >= N: UNDEFINED with FEAT_FGT, else CONSTRAINED
 *     UNPREDICTABLE (PMXEVTYPER_EL0 exempts SEL = 31, which selects PMCCFILTR_EL0);
 *  3. EL0: UNDEFINED for EL1 registers; the PMUSERENR_EL0 gate traps to EL1, or to EL2 when
 *     HCR_EL2.TGE is 1;
 *  4. EL0/EL1: the fine-grained trap (HDFGRTR_EL2/HDFGWTR_EL2 bit 1, or an FGT2 n-bit 0);
 *  5. EL0/EL1: MDCR_EL2.TPM; 6. MDCR_EL2.TPMCR (PMCR_EL0 only);
 *  7. EL0/EL1: the index >= GetNumEventCountersAccessible(): trap to EL2 with FEAT_FGT, else
 *     CONSTRAINED UNPREDICTABLE;
 *  8. MDCR_EL3.EnPM2 = 0 (PMICNTR_EL0, PMICFILTR_EL0, PMUACR_EL1) and 9. MDCR_EL3.TPM = 1: trap
 *     to EL3;
 *  10. EL0 with PMUSERENR_EL0.UEN = 1: RAZ/WI by PMUACR_EL1 (and WI by ER/CR/IR); then the access.
 *
 * @module
 */

import { lookupRegister } from '../catalogue.js';
import { clearEventCounters, pmuSwIncrement, zeroCycleCounter, zeroPMUCounters } from '../pmu/count.js';
import { requiredCommonEvents } from '../pmu/events.js';
import {
  effectiveHPMN,
  el2Enabled,
  elIsInHost,
  getNumEventCountersAccessible,
  getPMUReadMask,
  getPMUWriteMask,
} from '../pmu/ranges.js';
import {
  type Bits,
  bits,
  CYCLE_COUNTER_ID,
  get,
  haveEL3,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
  put,
  type Storage,
  type StoredReg,
  withCounter,
  withReg,
  withTyper,
} from '../pmu/state.js';
import type { RegisterDef } from '../registers/types.js';
import {
  type Constrained,
  constrainUnpredictable,
  type RuleName,
  type Unpredictable,
} from '../unpredictable.js';
import { implemented, masksOf, readView, writeView } from './legal.js';
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

/** The PMUSERENR_EL0 condition that traps an EL0 access, as each accessor writes it. */
type El0Gate =
  /** `EN == '0' && (!FEAT_PMUv3p9 || UEN == '0')` */
  | 'EN'
  /** `<UEN,ER,EN> == '000'` (FEAT_PMUv3p9), else `<ER,EN> == '00'` */
  | 'ER'
  /** `<UEN,CR,EN> == '000'` (FEAT_PMUv3p9), else `<CR,EN> == '00'` */
  | 'CR'
  /** `<UEN,SW,EN> == '000'` (FEAT_PMUv3p9), else `<SW,EN> == '00'` */
  | 'SW'
  /** PMCR_EL0: `EN == '0' || (FEAT_PMUv3p9 && UEN == '1')` */
  | 'PMCR'
  /** PMICNTR_EL0, PMICFILTR_EL0: `UEN == '0'` */
  | 'UEN'
  /** Not gated (MRS PMUSERENR_EL0). */
  | 'NONE'
  /** The register is UNDEFINED at EL0. */
  | 'UNDEFINED';

/** A fine-grained trap bit: HDFG{R,W}TR_EL2 bits trap when 1, HDFG{R,W}TR2_EL2 n-bits when 0. */
interface FgtBit {
  readonly reg: 'HDFGRTR_EL2' | 'HDFGWTR_EL2' | 'HDFGRTR2_EL2' | 'HDFGWTR2_EL2';
  readonly field: string;
  /** The field's bits, looked up once. */
  readonly bits: Bits;
}

/** The checks of one direction of one accessor. */
interface DirSpec {
  readonly el0: El0Gate;
  /** PMCEID<n>_EL0: PMUSERENR_EL0.TID = 1 (FEAT_PMUv3p9) also traps EL0 reads. */
  readonly tid?: true;
  readonly fgt?: FgtBit;
  /** PMCR_EL0: MDCR_EL2.TPMCR traps EL0/EL1 accesses. */
  readonly tpmcr?: true;
}

/** What the access does once no check stopped it: `idx` is the counter index, if any. */
type Perform = (ctx: Ctx, idx: number, via: RuleName | undefined) => AccessResult;

/** One PMU register's accessor, as data. */
interface PmuSpec {
  /** MRS; absent when the register has no MRS encoding (write-only). */
  readonly read?: DirSpec;
  /** MSR; absent when the register has no MSR encoding (read-only). */
  readonly write?: DirSpec;
  /** The counter index the accessor range-checks: n of the name, or PMSELR_EL0.SEL. */
  readonly index?: 'n' | 'sel' | 'sel-typer';
  /** MDCR_EL3.EnPM2 = 0 traps the access to EL3. */
  readonly enPM2?: true;
  readonly perform: Perform;
}

const USERENR_EN = bits('PMUSERENR_EL0', 'EN');
const USERENR_SW = bits('PMUSERENR_EL0', 'SW');
const USERENR_CR = bits('PMUSERENR_EL0', 'CR');
const USERENR_ER = bits('PMUSERENR_EL0', 'ER');
const USERENR_UEN = bits('PMUSERENR_EL0', 'UEN');
const USERENR_IR = bits('PMUSERENR_EL0', 'IR');
const USERENR_TID = bits('PMUSERENR_EL0', 'TID');
const HCR_TGE = bits('HCR_EL2', 'TGE');
const MDCR_EL2_TPM = bits('MDCR_EL2', 'TPM');
const MDCR_EL2_TPMCR = bits('MDCR_EL2', 'TPMCR');
const MDCR_EL2_HPMN = bits('MDCR_EL2', 'HPMN');
const MDCR_EL3_TPM = bits('MDCR_EL3', 'TPM');
const MDCR_EL3_ENPM2 = bits('MDCR_EL3', 'EnPM2');
const SCR_FGTEN = bits('SCR_EL3', 'FGTEn');
const SCR_FGTEN2 = bits('SCR_EL3', 'FGTEn2');
const PMSELR_SEL = bits('PMSELR_EL0', 'SEL');
const PMCR_N = bits('PMCR_EL0', 'N');
const PMCR_IMP = bits('PMCR_EL0', 'IMP');
const PMCR_IDCODE = bits('PMCR_EL0', 'IDCODE');
const PMCR_P = bits('PMCR_EL0', 'P');
const PMCR_C = bits('PMCR_EL0', 'C');

const DEF = (name: string): RegisterDef => lookupRegister(name).def;
const PMCR_DEF = DEF('PMCR_EL0');
const PMEVCNTR_DEF = DEF('PMEVCNTR0_EL0');
const PMEVTYPER_DEF = DEF('PMEVTYPER0_EL0');
const PMCCNTR_DEF = DEF('PMCCNTR_EL0');
const PMCCFILTR_DEF = DEF('PMCCFILTR_EL0');
const PMICNTR_DEF = DEF('PMICNTR_EL0');
const PMICFILTR_DEF = DEF('PMICFILTR_EL0');
const PMSELR_DEF = DEF('PMSELR_EL0');
const PMUSERENR_DEF = DEF('PMUSERENR_EL0');
const PMUACR_DEF = DEF('PMUACR_EL1');

const ONES_31 = (1n << 31n) - 1n;

function ones(count: number): bigint {
  return count > 0 ? (1n << BigInt(count)) - 1n : 0n;
}

function mergeVia(first: RuleName | undefined, second: RuleName | undefined): RuleName | undefined {
  return first ?? second;
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/** FEAT_PMUv3p9 && PMUSERENR_EL0.UEN == '1' (UEN is RES0 without FEAT_PMUv3p9). */
function uen(pe: PeState): boolean {
  return isFeatureImplemented(pe, 'FEAT_PMUv3p9') && isSet(pe.regs.PMUSERENR_EL0, USERENR_UEN);
}

/** Why the PMUSERENR_EL0 gate traps an EL0 access, or undefined when it lets it through. */
function el0GateTraps(pe: PeState, gate: El0Gate): string | undefined {
  const u = pe.regs.PMUSERENR_EL0;
  const v3p9 = isFeatureImplemented(pe, 'FEAT_PMUv3p9');
  const en = isSet(u, USERENR_EN);
  const ue = v3p9 && isSet(u, USERENR_UEN);
  const bitGate = (b: Bits, name: string): string | undefined => {
    if (en || ue || isSet(u, b)) return undefined;
    return v3p9 ? `PMUSERENR_EL0.{UEN,${name},EN} = {0,0,0}` : `PMUSERENR_EL0.{${name},EN} = {0,0}`;
  };
  switch (gate) {
    case 'EN':
      if (en || ue) return undefined;
      return v3p9 ? 'PMUSERENR_EL0.{UEN,EN} = {0,0}' : 'PMUSERENR_EL0.EN = 0';
    case 'ER':
      return bitGate(USERENR_ER, 'ER');
    case 'CR':
      return bitGate(USERENR_CR, 'CR');
    case 'SW':
      return bitGate(USERENR_SW, 'SW');
    case 'PMCR':
      if (!en) return 'PMUSERENR_EL0.EN = 0';
      return ue ? 'PMUSERENR_EL0.UEN = 1' : undefined;
    case 'UEN':
      return ue ? undefined : 'PMUSERENR_EL0.UEN = 0';
    case 'NONE':
    case 'UNDEFINED':
      return undefined;
  }
}

/** Where a PMUSERENR_EL0 trap goes: EL2 when EL2 is enabled and HCR_EL2.TGE is 1, else EL1. */
function el0TrapTarget(pe: PeState): { toEl: 1 | 2; why: string } {
  if (el2Enabled(pe) && isSet(pe.regs.HCR_EL2, HCR_TGE)) return { toEl: 2, why: 'to EL2 (HCR_EL2.TGE = 1)' };
  return { toEl: 1, why: 'to EL1' };
}

/**
 * Why the fine-grained trap `f` traps this EL0/EL1 access, or undefined. HDFGRTR_EL2/HDFGWTR_EL2
 * apply with FEAT_FGT when EL3 is absent or SCR_EL3.FGTEn is 1; the FGT2 n-bits apply with
 * FEAT_FGT2 and trap when 0, or always when EL3 has SCR_EL3.FGTEn2 = 0. At EL0 neither applies
 * in the EL2&0 host regime (ELIsInHost(EL0)). (Arm ARM D24.2.66-D24.2.69; every D24.5 accessor.)
 */
function fgtTraps(pe: PeState, ctx: Ctx, f: FgtBit): string | undefined {
  if (!el2Enabled(pe) || (ctx.el === 0 && elIsInHost(pe, 0))) return undefined;
  const bit = isSet(pe.regs[f.reg], f.bits);
  if (f.reg === 'HDFGRTR_EL2' || f.reg === 'HDFGWTR_EL2') {
    if (!isFeatureImplemented(pe, 'FEAT_FGT')) return undefined;
    if (haveEL3(pe) && !isSet(pe.regs.SCR_EL3, SCR_FGTEN)) return undefined;
    return bit ? `${f.reg}.${f.field} = 1` : undefined;
  }
  if (!isFeatureImplemented(pe, 'FEAT_FGT2')) return undefined;
  if (haveEL3(pe) && !isSet(pe.regs.SCR_EL3, SCR_FGTEN2)) {
    return `SCR_EL3.FGTEn2 = 0 (${f.reg}.${f.field} is treated as 0)`;
  }
  return bit ? undefined : `${f.reg}.${f.field} = 0`;
}

/** The answer of an access that needs the Effective HPMN while MDCR_EL2.HPMN is reserved. */
function hpmnUnpredictable(ctx: Ctx, u: Unpredictable): AccessResult {
  const hpmn = get(ctx.pe.regs.MDCR_EL2, MDCR_EL2_HPMN);
  const n = ctx.pe.config.n;
  const why = hpmn > BigInt(n) ? `greater than N = ${n}` : '0 without FEAT_HPMN0';
  return unpredictableResult(
    ctx,
    u,
    `MDCR_EL2.HPMN = ${hpmn} is reserved (${why}) and ${accessText(ctx)} depend on the Effective HPMN: ` +
      'CONSTRAINED UNPREDICTABLE (D24.3.17 HPMN; J1.3 EffectiveHPMN())',
  );
}

/**
 * The number of event counters the access can reach, GetNumEventCountersAccessible(): the
 * Effective HPMN at EL0/EL1 (which may need a choice), N at EL2.
 */
function accessibleCounters(ctx: Ctx): Constrained<number> {
  if (ctx.el === 2) return { kind: 'value', value: ctx.pe.config.n };
  const h = effectiveHPMN(ctx.pe, ctx.choices);
  if (h.kind === 'unpredictable') return h;
  const value = getNumEventCountersAccessible(ctx.pe, ctx.el, h.value);
  return h.via === undefined ? { kind: 'value', value } : { kind: 'value', value, via: h.via };
}

/** The counter index an indexed accessor uses: n of the register name, or PMSELR_EL0.SEL. */
function indexOf(ctx: Ctx, spec: PmuSpec): number {
  if (spec.index === 'n') return ctx.reg.n ?? 0;
  if (spec.index === 'sel' || spec.index === 'sel-typer')
    return Number(get(ctx.pe.regs.PMSELR_EL0, PMSELR_SEL));
  return 0;
}

function indexText(spec: PmuSpec, idx: number): string {
  return spec.index === 'n' ? `index ${idx}` : `PMSELR_EL0.SEL = ${idx}`;
}

const PMUEVENTCOUNTER_LISTS = new Map<number, readonly string[]>();

/**
 * The PMUEVENTCOUNTER behaviours: UNDEFINED, RAZ/WI, NOP, as if the index were 0..reach-1 (and
 * 31, PMCCFILTR_EL0, for PMXEVTYPER_EL0), and a trap to EL2 where permitted. Each list is built
 * once.
 */
function pmuEventCounterBehaviours(reach: number, typer: boolean, trap: boolean): readonly string[] {
  const key = reach * 4 + (typer ? 2 : 0) + (trap ? 1 : 0);
  let list = PMUEVENTCOUNTER_LISTS.get(key);
  if (list === undefined) {
    const l = ['undefined', 'raz-wi', 'nop'];
    for (let k = 0; k < reach; k++) l.push(`as-index-${k}`);
    if (typer) l.push('as-index-31');
    if (trap) l.push('trap-el2');
    list = l;
    PMUEVENTCOUNTER_LISTS.set(key, list);
  }
  return list;
}

/**
 * Unpredictable_PMUEVENTCOUNTER: the permitted behaviours of D24.5.10/.12/.27/.28 "Accessing":
 * UNDEFINED, RAZ/WI, NOP, as if the index were an UNKNOWN accessible one (and, for
 * PMXEVTYPER_EL0, as if SEL were 31), and, when the index is below N and the access comes from
 * EL1 or a permitted EL0, a trap to EL2. A chosen behaviour completes the step.
 */
function pmuEventCounter(ctx: Ctx, spec: PmuSpec, belowN: boolean, why: string): AccessResult {
  // "as if <n> is an UNKNOWN value less-than-or-equal-to the index of the highest accessible event
  // counter": with a reserved HPMN and no choice for it, the union over its permitted values
  // (as if HPMN were N at most). A combination that is not permitted (an index not accessible
  // under the HPMN behaviour taken) is cut off where the access as that index meets it.
  const acc = accessibleCounters(ctx);
  const reach = acc.kind === 'unpredictable' ? ctx.pe.config.n : acc.value;
  const allowed = pmuEventCounterBehaviours(reach, spec.index === 'sel-typer', belowN && ctx.el !== 2);
  const c = constrainUnpredictable('PMUEVENTCOUNTER', allowed, ctx.choices);
  if (c.kind === 'unpredictable') return unpredictableResult(ctx, c, why);
  const rule = `${why}; chosen behaviour: ${c.behaviour}`;
  const v: RuleName = 'PMUEVENTCOUNTER';
  switch (c.behaviour) {
    case 'undefined':
      return undefinedResult(ctx, rule, v);
    case 'raz-wi':
      return okResult(ctx.pe, rule, ctx.dir === 'read' ? 0n : undefined, v);
    case 'nop':
      return okResult(ctx.pe, rule, undefined, v);
    case 'trap-el2':
      return trapResult(ctx, 2, rule, v);
    default: {
      const k = Number(c.behaviour.slice('as-index-'.length));
      const r = run(ctx, spec, k, v);
      return { ...r, rule: `${rule}: ${r.rule}` };
    }
  }
}

/** The accessor of `spec`, in the order of the ASL; `override` replaces the counter index. */
function run(ctx: Ctx, spec: PmuSpec, override: number | undefined, via: RuleName | undefined): AccessResult {
  const { pe, el } = ctx;
  const def = ctx.reg.def;
  const where = accessorText(ctx);
  // 1. The register, and an encoding in this direction.
  if (!implemented(pe, def.feature)) {
    return undefinedResult(
      ctx,
      `${ctx.reg.name} is not implemented without ${def.feature}: UNDEFINED (${where})`,
    );
  }
  const d = ctx.dir === 'read' ? spec.read : spec.write;
  if (d === undefined) {
    const kind = ctx.dir === 'read' ? 'write-only: there is no MRS' : 'read-only: there is no MSR';
    return undefinedResult(
      ctx,
      `${ctx.reg.name} is ${kind} encoding, so the instruction is UNDEFINED (${def.section})`,
    );
  }
  const idx = override ?? indexOf(ctx, spec);
  const ranged = spec.index !== undefined && !(spec.index === 'sel-typer' && idx === CYCLE_COUNTER_ID);
  const n = pe.config.n;
  // 2. The index names an event counter that is not implemented.
  if (ranged && idx >= n) {
    const what = `${ctx.reg.name}: ${indexText(spec, idx)} >= N = ${n}`;
    if (isFeatureImplemented(pe, 'FEAT_FGT')) {
      return undefinedResult(ctx, `${what} with FEAT_FGT: UNDEFINED (${where}; D13.11 SRPKH)`, via);
    }
    return pmuEventCounter(
      ctx,
      spec,
      false,
      `${what} without FEAT_FGT: CONSTRAINED UNPREDICTABLE (${where})`,
    );
  }
  // 3. EL0: EL1 registers, then PMUSERENR_EL0.
  if (el === 0) {
    if (d.el0 === 'UNDEFINED')
      return undefinedResult(ctx, `${ctx.reg.name} is UNDEFINED at EL0 (${where})`, via);
    const gate = el0GateTraps(pe, d.el0);
    if (gate !== undefined) {
      const t = el0TrapTarget(pe);
      return trapResult(ctx, t.toEl, `${gate} traps ${accessText(ctx)} ${t.why} (${where})`, via);
    }
    if (
      d.tid === true &&
      isFeatureImplemented(pe, 'FEAT_PMUv3p9') &&
      isSet(pe.regs.PMUSERENR_EL0, USERENR_TID)
    ) {
      const t = el0TrapTarget(pe);
      return trapResult(
        ctx,
        t.toEl,
        `PMUSERENR_EL0.TID = 1 traps ${accessText(ctx)} ${t.why} (${where})`,
        via,
      );
    }
  }
  let v = via;
  if (el !== 2) {
    // 4. Fine-grained traps.
    if (d.fgt !== undefined) {
      const why = fgtTraps(pe, ctx, d.fgt);
      if (why !== undefined)
        return trapResult(ctx, 2, `${why} traps ${accessText(ctx)} to EL2 (${where})`, v);
    }
    // 5-6. MDCR_EL2.TPM, then MDCR_EL2.TPMCR.
    if (el2Enabled(pe) && isSet(pe.regs.MDCR_EL2, MDCR_EL2_TPM)) {
      return trapResult(ctx, 2, `MDCR_EL2.TPM = 1 traps ${accessText(ctx)} to EL2 (${where})`, v);
    }
    if (d.tpmcr === true && el2Enabled(pe) && isSet(pe.regs.MDCR_EL2, MDCR_EL2_TPMCR)) {
      return trapResult(ctx, 2, `MDCR_EL2.TPMCR = 1 traps ${accessText(ctx)} to EL2 (${where})`, v);
    }
    // 7. The index is at or above the counters EL1 and EL0 can access (MDCR_EL2.HPMN).
    if (ranged && el2Enabled(pe)) {
      const acc = accessibleCounters(ctx);
      if (acc.kind === 'unpredictable') return hpmnUnpredictable(ctx, acc);
      v = mergeVia(v, acc.via);
      if (idx >= acc.value) {
        const what = `${ctx.reg.name}: ${indexText(spec, idx)} >= ${acc.value}, the Effective MDCR_EL2.HPMN`;
        if (isFeatureImplemented(pe, 'FEAT_FGT')) {
          return trapResult(ctx, 2, `${what}: with FEAT_FGT ${accessText(ctx)} trap to EL2 (${where})`, v);
        }
        return pmuEventCounter(
          ctx,
          spec,
          true,
          `${what}, without FEAT_FGT: CONSTRAINED UNPREDICTABLE (${where})`,
        );
      }
    }
  }
  // 8-9. EL3.
  if (spec.enPM2 === true && haveEL3(pe) && !isSet(pe.regs.MDCR_EL3, MDCR_EL3_ENPM2)) {
    return trapResult(ctx, 3, `MDCR_EL3.EnPM2 = 0 traps ${accessText(ctx)} to EL3 (${where})`, v);
  }
  if (haveEL3(pe) && isSet(pe.regs.MDCR_EL3, MDCR_EL3_TPM)) {
    return trapResult(ctx, 3, `MDCR_EL3.TPM = 1 traps ${accessText(ctx)} to EL3 (${where})`, v);
  }
  // 10. The access.
  return spec.perform(ctx, idx, v);
}

/** MRS/MSR of a PMU register (D24.5) whose accessor the model holds; undefined for others. */
export function pmuAccess(ctx: Ctx): AccessResult | undefined {
  const spec = PMU_SPECS.get(ctx.reg.def.name);
  return spec === undefined ? undefined : run(ctx, spec, undefined, undefined);
}

// ---------------------------------------------------------------------------------------------
// The accesses
// ---------------------------------------------------------------------------------------------

function load(pe: PeState, s: Storage): bigint {
  if (s.kind === 'cnt') return pe.cnt[s.idx]!;
  if (s.kind === 'typer') return pe.typer[s.idx]!;
  return pe.regs[s.reg];
}

function store(pe: PeState, s: Storage, value: bigint): PeState {
  if (s.kind === 'cnt') return withCounter(pe, s.idx, value);
  if (s.kind === 'typer') return withTyper(pe, s.idx, value);
  return withReg(pe, s.reg, value);
}

function acrFieldName(idx: number): string {
  if (idx === CYCLE_COUNTER_ID) return 'C';
  if (idx === INSTRUCTION_COUNTER_ID) return 'F0';
  return `P${idx}`;
}

/** A counter or a filter: where it is held, its layout, its PMUACR_EL1 bit and its EL0 RO bit. */
interface Single {
  readonly storage: Storage;
  readonly def: RegisterDef;
  /** PMUACR_EL1 bit: m, 31 (C) or 32 (F0). */
  readonly acr: number;
  /** PMUSERENR_EL0 bit that makes the register read-only at EL0 with UEN = 1 (ER, CR or IR). */
  readonly ro: Bits;
  readonly roName: string;
  /** A field that reads as a fixed value (PMICFILTR_EL0.evtCount "Reads as 0x0008", D24.5.14). */
  readonly fixed?: { readonly bits: Bits; readonly value: bigint };
}

/**
 * A counter or filter access. At EL0 with PMUSERENR_EL0.UEN = 1 (FEAT_PMUv3p9), reads are zero
 * and writes ignored when the PMUACR_EL1 bit is 0, and writes are ignored when ER/CR/IR is 1
 * (the "Permitted reads and writes ... are RAZ/WI" paragraphs of D24.5.1, .2, .10, .12, .14, .15,
 * .27, .28). A write keeps only the fields the PE implements (32-bit event counters without
 * FEAT_PMUv3p5, D24.5.10).
 */
function performSingle(ctx: Ctx, s: Single, via: RuleName | undefined): AccessResult {
  const { pe } = ctx;
  const where = accessorText(ctx);
  const userenr = ctx.el === 0 && uen(pe);
  const acrOff = userenr && (pe.regs.PMUACR_EL1 >> BigInt(s.acr)) % 2n === 0n;
  const acr = `PMUSERENR_EL0.UEN = 1 and PMUACR_EL1.${acrFieldName(s.acr)} = 0`;
  if (ctx.dir === 'read') {
    if (acrOff) return okResult(pe, `${acr}: ${accessText(ctx)} read as zero (${where})`, 0n, via);
    let value = readView(pe, s.def, load(pe, s.storage));
    if (s.fixed !== undefined) value = put(value, s.fixed.bits, s.fixed.value);
    return okResult(pe, `${accessText(ctx)} complete (${where})`, value, via);
  }
  if (acrOff) return okResult(pe, `${acr}: ${accessText(ctx)} are ignored (${where})`, undefined, via);
  if (userenr && isSet(pe.regs.PMUSERENR_EL0, s.ro)) {
    const why = `PMUSERENR_EL0.{UEN,${s.roName}} = {1,1}`;
    return okResult(pe, `${why}: ${accessText(ctx)} are ignored (${where})`, undefined, via);
  }
  const next = store(pe, s.storage, writeView(pe, s.def, load(pe, s.storage), ctx.value));
  return okResult(next, `${accessText(ctx)} complete (${where})`, undefined, via);
}

function eventCounter(idx: number): Single {
  return { storage: { kind: 'cnt', idx }, def: PMEVCNTR_DEF, acr: idx, ro: USERENR_ER, roName: 'ER' };
}

function eventTyper(idx: number): Single {
  return { storage: { kind: 'typer', idx }, def: PMEVTYPER_DEF, acr: idx, ro: USERENR_ER, roName: 'ER' };
}

const CYCLE_COUNTER: Single = {
  storage: { kind: 'cnt', idx: CYCLE_COUNTER_ID },
  def: PMCCNTR_DEF,
  acr: CYCLE_COUNTER_ID,
  ro: USERENR_CR,
  roName: 'CR',
};
const CYCLE_FILTER: Single = {
  ...CYCLE_COUNTER,
  storage: { kind: 'typer', idx: CYCLE_COUNTER_ID },
  def: PMCCFILTR_DEF,
};
const INSTR_COUNTER: Single = {
  storage: { kind: 'cnt', idx: INSTRUCTION_COUNTER_ID },
  def: PMICNTR_DEF,
  acr: INSTRUCTION_COUNTER_ID,
  ro: USERENR_IR,
  roName: 'IR',
};
const INSTR_FILTER: Single = {
  ...INSTR_COUNTER,
  storage: { kind: 'typer', idx: INSTRUCTION_COUNTER_ID },
  def: PMICFILTR_DEF,
  fixed: { bits: bits('PMICFILTR_EL0', 'evtCount'), value: 0x0008n },
};

/**
 * The Effective HPMN for an access whose effect depends on the counter ranges at every
 * Exception level (PMSWINC_EL0: whether each counter counts).
 */
function rangeHpmn(ctx: Ctx): Constrained<number> {
  return effectiveHPMN(ctx.pe, ctx.choices);
}

/**
 * The HPMN to hand to the range helpers for an access whose effect depends on the counters the
 * current EL can access: the Effective HPMN at EL0/EL1; at EL2 GetNumEventCountersAccessible() is
 * N whatever HPMN holds, so N is passed and a reserved HPMN needs no choice.
 */
function accessHpmn(ctx: Ctx): Constrained<number> {
  return ctx.el === 2 ? { kind: 'value', value: ctx.pe.config.n } : effectiveHPMN(ctx.pe, ctx.choices);
}

/**
 * A SET/CLR bitmap access (PMCNTEN*, PMINTEN*, PMOVS*): one storage under the SET name; reads
 * AND GetPMUReadMask(), writes set (W1S) or clear (W1C) the bits of Xt AND GetPMUWriteMask(FALSE).
 * Bits of counters >= GetNumEventCountersAccessible() are RAZ/WI (D24.5.5 etc. P<m>; J1.3).
 */
function performBitmap(reg: StoredReg, op: 'set' | 'clr'): Perform {
  return (ctx, _idx, via) => {
    const h = accessHpmn(ctx);
    if (h.kind === 'unpredictable') return hpmnUnpredictable(ctx, h);
    const v = mergeVia(via, h.via);
    const { pe, el } = ctx;
    const where = `${accessorText(ctx)}; J1.3 GetPMU${ctx.dir === 'read' ? 'Read' : 'Write'}Mask()`;
    const limit = el === 2 ? `all ${pe.config.n} counters` : `counters below the Effective HPMN = ${h.value}`;
    if (ctx.dir === 'read') {
      const value = pe.regs[reg] & getPMUReadMask(pe, el, h.value);
      return okResult(pe, `${accessText(ctx)} show the bits of ${limit}, C and F0 (${where})`, value, v);
    }
    const bitsToChange = ctx.value & getPMUWriteMask(pe, el, h.value, false);
    const old = pe.regs[reg];
    const next = op === 'set' ? old | bitsToChange : old & ~bitsToChange;
    const how = op === 'set' ? 'set (W1S)' : 'clear (W1C)';
    return okResult(
      withReg(pe, reg, next),
      `${accessText(ctx)} ${how} bits of ${limit} (${where})`,
      undefined,
      v,
    );
  };
}

/**
 * PMCR_EL0 (D24.5.8). A read shows N as NUM_PMU_COUNTERS at EL2 and as the Effective
 * MDCR_EL2.HPMN at EL0/EL1 ("When EL2 is implemented and enabled for the current Security state,
 * reads of this field from EL1 and EL0 return the Effective value of MDCR_EL2.HPMN"), IMP and
 * IDCODE as the CPU's (IMP RAZ with FEAT_PMUv3p7; IDCODE RES0 when IMP is 0), and P and C as 0.
 * A write keeps the writable fields, then C = 1 zeroes PMCCNTR_EL0 (ZeroCycleCounter()) and P = 1
 * zeroes the event counters the current EL can access (ClearEventCounters():
 * ZeroPMUCounters(Zeros(33):Ones(31)), masked by GetPMUWriteMask(TRUE); J1.3.1.92, J1.3.1.119).
 */
const performPmcr: Perform = (ctx, _idx, via) => {
  const { pe, el } = ctx;
  const where = accessorText(ctx);
  if (ctx.dir === 'read') {
    let n = pe.config.n;
    let v = via;
    if (el !== 2) {
      const h = effectiveHPMN(pe, ctx.choices);
      if (h.kind === 'unpredictable') return hpmnUnpredictable(ctx, h);
      n = h.value;
      v = mergeVia(v, h.via);
    }
    let value = readView(pe, PMCR_DEF, pe.regs.PMCR_EL0) & ~(PMCR_N.mask | PMCR_IMP.mask | PMCR_IDCODE.mask);
    value = put(value, PMCR_N, BigInt(n));
    const impdef = pe.config.pmcrImpdef;
    if (!isFeatureImplemented(pe, 'FEAT_PMUv3p7') && get(impdef, PMCR_IMP) !== 0n) {
      value |= impdef & (PMCR_IMP.mask | PMCR_IDCODE.mask);
    }
    const nText =
      el === 2 ? `N = ${n}, the number of event counters` : `N = ${n}, the Effective MDCR_EL2.HPMN`;
    return okResult(pe, `${accessText(ctx)} show ${nText} (D24.5.8 N)`, value, v);
  }
  let next = withReg(pe, 'PMCR_EL0', writeView(pe, PMCR_DEF, pe.regs.PMCR_EL0, ctx.value));
  let v = via;
  const effects: string[] = [];
  if (isSet(ctx.value, PMCR_C)) {
    // ZeroCycleCounter(): bit 31 of GetPMUWriteMask(TRUE) does not depend on HPMN, so N is passed.
    next = zeroCycleCounter(next, el, pe.config.n);
    effects.push('C = 1 zeroes PMCCNTR_EL0');
  }
  if (isSet(ctx.value, PMCR_P)) {
    const h = accessHpmn(ctx);
    if (h.kind === 'unpredictable') return hpmnUnpredictable(ctx, h);
    v = mergeVia(v, h.via);
    next = clearEventCounters(next, el, h.value);
    effects.push(
      el === 2
        ? 'P = 1 zeroes every event counter'
        : `P = 1 zeroes the event counters below the Effective HPMN = ${h.value}`,
    );
  }
  const what = effects.length === 0 ? '' : `: ${effects.join(', ')}`;
  return okResult(next, `${accessText(ctx)} complete${what} (${where}; D24.5.8 P, C)`, undefined, v);
};

/**
 * PMSELR_EL0 (D24.5.22). Without FEAT_FGT, a SEL >= N other than 31 reads as an UNKNOWN value
 * ("direct reads of this field return an UNKNOWN value"): the PMSELR_SEL case.
 */
const performPmselr: Perform = (ctx, _idx, via) => {
  const { pe } = ctx;
  const where = accessorText(ctx);
  if (ctx.dir === 'write') {
    const next = withReg(pe, 'PMSELR_EL0', writeView(pe, PMSELR_DEF, pe.regs.PMSELR_EL0, ctx.value));
    return okResult(next, `${accessText(ctx)} complete (${where})`, undefined, via);
  }
  const value = readView(pe, PMSELR_DEF, pe.regs.PMSELR_EL0);
  const sel = Number(get(value, PMSELR_SEL));
  if (isFeatureImplemented(pe, 'FEAT_FGT') || sel < pe.config.n || sel === CYCLE_COUNTER_ID) {
    return okResult(pe, `${accessText(ctx)} complete (${where})`, value, via);
  }
  const allowed = ['value-written'];
  for (let k = 0; k <= 31; k++) allowed.push(`sel-${k}`);
  const why =
    `PMSELR_EL0.SEL = ${sel} >= N = ${pe.config.n} (not 31) without FEAT_FGT: ` +
    'a direct read returns an UNKNOWN value (D24.5.22 SEL)';
  const c = constrainUnpredictable('PMSELR_SEL', allowed, ctx.choices);
  if (c.kind === 'unpredictable') return unpredictableResult(ctx, c, why);
  const shown =
    c.behaviour === 'value-written' ? value : put(value, PMSELR_SEL, BigInt(c.behaviour.slice(4)));
  return okResult(pe, `${why}; chosen behaviour: ${c.behaviour}`, shown, 'PMSELR_SEL');
};

/** PMSWINC_EL0 (D24.5.24): PMUSwIncrement(X[t]). Whether a counter counts depends on its range. */
const performPmswinc: Perform = (ctx, _idx, via) => {
  const h = rangeHpmn(ctx);
  if (h.kind === 'unpredictable') return hpmnUnpredictable(ctx, h);
  const r = pmuSwIncrement(ctx.pe, ctx.value, ctx.el, h.value, ctx.choices);
  const where = `${accessorText(ctx)}; J1.3 PMUSwIncrement()`;
  if (r.kind === 'unpredictable') {
    return unpredictableResult(ctx, r, `${accessText(ctx)} meet ${r.rule} while incrementing (${where})`);
  }
  const v = mergeVia(via, mergeVia(r.via, h.via));
  return okResult(
    r.value,
    `${accessText(ctx)} increment the enabled accessible counters (${where})`,
    undefined,
    v,
  );
};

/** PMZR_EL0 (D24.5.29): ZeroPMUCounters(X[t]), masked by GetPMUWriteMask(TRUE). */
const performPmzr: Perform = (ctx, _idx, via) => {
  const h = accessHpmn(ctx);
  if (h.kind === 'unpredictable') return hpmnUnpredictable(ctx, h);
  const next = zeroPMUCounters(ctx.pe, ctx.value, ctx.el, h.value);
  const where = `${accessorText(ctx)}; J1.3 ZeroPMUCounters()`;
  return okResult(
    next,
    `${accessText(ctx)} zero the accessible counters named (${where})`,
    undefined,
    mergeVia(via, h.via),
  );
};

/** PMUSERENR_EL0 (D24.5.26): a plain register. */
const performPmuserenr: Perform = (ctx, _idx, via) => {
  const { pe } = ctx;
  const where = accessorText(ctx);
  if (ctx.dir === 'read') {
    return okResult(
      pe,
      `${accessText(ctx)} complete (${where})`,
      readView(pe, PMUSERENR_DEF, pe.regs.PMUSERENR_EL0),
      via,
    );
  }
  const next = withReg(pe, 'PMUSERENR_EL0', writeView(pe, PMUSERENR_DEF, pe.regs.PMUSERENR_EL0, ctx.value));
  return okResult(next, `${accessText(ctx)} complete (${where})`, undefined, via);
};

/**
 * PMUACR_EL1 (D24.5.25): P<m> is RAZ/WI when m >= GetNumEventCountersAccessible(); C and F0 are
 * RW.
 */
const performPmuacr: Perform = (ctx, _idx, via) => {
  const acc = accessibleCounters(ctx);
  if (acc.kind === 'unpredictable') return hpmnUnpredictable(ctx, acc);
  const { pe } = ctx;
  const v = mergeVia(via, acc.via);
  const where = `${accessorText(ctx)} P<m>`;
  const m = masksOf(pe, PMUACR_DEF).writable & ~(ONES_31 & ~ones(acc.value));
  if (ctx.dir === 'read') {
    const value = pe.regs.PMUACR_EL1 & m;
    return okResult(pe, `${accessText(ctx)} show P<m> for m < ${acc.value}, C and F0 (${where})`, value, v);
  }
  const next = withReg(pe, 'PMUACR_EL1', (pe.regs.PMUACR_EL1 & ~m) | (ctx.value & m));
  return okResult(
    next,
    `${accessText(ctx)} keep P<m> for m < ${acc.value}, C and F0 (${where})`,
    undefined,
    v,
  );
};

/**
 * A register whose value the CPU fixes and the model does not know: PMCEID0_EL0, PMCEID1_EL0
 * (which common events the CPU implements) and PMMIR_EL1. The CPU catalogue gives no value for
 * them, so they read as zero.
 */
const performUnknownId: Perform = (ctx, _idx, via) =>
  okResult(
    ctx.pe,
    `${accessText(ctx)} complete; the model holds no IMPLEMENTATION DEFINED value for ${ctx.reg.name} and reads 0 (${accessorText(ctx)})`,
    0n,
    via,
  );

/** PMCEID0_EL0 / PMCEID1_EL0 read the events the Arm ARM requires of every PMU (D14.6). */
const performPmceid =
  (which: 'pmceid0' | 'pmceid1'): Perform =>
  (ctx, _idx, via) =>
    okResult(
      ctx.pe,
      `${accessText(ctx)} complete: the common events D14.6 requires of this CPU's features (${accessorText(ctx)})`,
      requiredCommonEvents((f) => isFeatureImplemented(ctx.pe, f))[which],
      via,
    );

const fgtBit = (reg: FgtBit['reg'], field: string): FgtBit => ({ reg, field, bits: bits(reg, field) });
const R_FGT = (field: string): FgtBit => fgtBit('HDFGRTR_EL2', field);
const W_FGT = (field: string): FgtBit => fgtBit('HDFGWTR_EL2', field);
const R_FGT2 = (field: string): FgtBit => fgtBit('HDFGRTR2_EL2', field);
const W_FGT2 = (field: string): FgtBit => fgtBit('HDFGWTR2_EL2', field);

/** The accessors of D24.5, one row per register (family), each read off its "Accessing" ASL. */
const PMU_SPECS: ReadonlyMap<string, PmuSpec> = new Map<string, PmuSpec>([
  [
    'PMCCFILTR_EL0', // D24.5.1
    {
      read: { el0: 'EN', fgt: R_FGT('PMCCFILTR_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMCCFILTR_EL0') },
      perform: (ctx, _i, via) => performSingle(ctx, CYCLE_FILTER, via),
    },
  ],
  [
    'PMCCNTR_EL0', // D24.5.2
    {
      read: { el0: 'CR', fgt: R_FGT('PMCCNTR_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMCCNTR_EL0') },
      perform: (ctx, _i, via) => performSingle(ctx, CYCLE_COUNTER, via),
    },
  ],
  [
    'PMCEID0_EL0',
    { read: { el0: 'EN', tid: true, fgt: R_FGT('PMCEIDn_EL0') }, perform: performPmceid('pmceid0') },
  ], // D24.5.4
  [
    'PMCEID1_EL0',
    { read: { el0: 'EN', tid: true, fgt: R_FGT('PMCEIDn_EL0') }, perform: performPmceid('pmceid1') },
  ], // D24.5.5
  [
    'PMCNTENCLR_EL0', // D24.5.6
    {
      read: { el0: 'EN', fgt: R_FGT('PMCNTEN') },
      write: { el0: 'EN', fgt: W_FGT('PMCNTEN') },
      perform: performBitmap('PMCNTENSET_EL0', 'clr'),
    },
  ],
  [
    'PMCNTENSET_EL0', // D24.5.7
    {
      read: { el0: 'EN', fgt: R_FGT('PMCNTEN') },
      write: { el0: 'EN', fgt: W_FGT('PMCNTEN') },
      perform: performBitmap('PMCNTENSET_EL0', 'set'),
    },
  ],
  [
    'PMCR_EL0', // D24.5.8: no read FGT (HDFGRTR_EL2 bits [21:20] are RES0)
    {
      read: { el0: 'PMCR', tpmcr: true },
      write: { el0: 'PMCR', fgt: W_FGT('PMCR_EL0'), tpmcr: true },
      perform: performPmcr,
    },
  ],
  [
    'PMEVCNTR<n>_EL0', // D24.5.10
    {
      read: { el0: 'ER', fgt: R_FGT('PMEVCNTRn_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMEVCNTRn_EL0') },
      index: 'n',
      perform: (ctx, idx, via) => performSingle(ctx, eventCounter(idx), via),
    },
  ],
  [
    'PMEVTYPER<n>_EL0', // D24.5.12
    {
      read: { el0: 'EN', fgt: R_FGT('PMEVTYPERn_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMEVTYPERn_EL0') },
      index: 'n',
      perform: (ctx, idx, via) => performSingle(ctx, eventTyper(idx), via),
    },
  ],
  [
    'PMICFILTR_EL0', // D24.5.14
    {
      read: { el0: 'UEN', fgt: R_FGT2('nPMICFILTR_EL0') },
      write: { el0: 'UEN', fgt: W_FGT2('nPMICFILTR_EL0') },
      enPM2: true,
      perform: (ctx, _i, via) => performSingle(ctx, INSTR_FILTER, via),
    },
  ],
  [
    'PMICNTR_EL0', // D24.5.15
    {
      read: { el0: 'UEN', fgt: R_FGT2('nPMICNTR_EL0') },
      write: { el0: 'UEN', fgt: W_FGT2('nPMICNTR_EL0') },
      enPM2: true,
      perform: (ctx, _i, via) => performSingle(ctx, INSTR_COUNTER, via),
    },
  ],
  [
    'PMINTENCLR_EL1', // D24.5.17
    {
      read: { el0: 'UNDEFINED', fgt: R_FGT('PMINTEN') },
      write: { el0: 'UNDEFINED', fgt: W_FGT('PMINTEN') },
      perform: performBitmap('PMINTENSET_EL1', 'clr'),
    },
  ],
  [
    'PMINTENSET_EL1', // D24.5.18
    {
      read: { el0: 'UNDEFINED', fgt: R_FGT('PMINTEN') },
      write: { el0: 'UNDEFINED', fgt: W_FGT('PMINTEN') },
      perform: performBitmap('PMINTENSET_EL1', 'set'),
    },
  ],
  ['PMMIR_EL1', { read: { el0: 'UNDEFINED', fgt: R_FGT('PMMIR_EL1') }, perform: performUnknownId }], // D24.5.19
  [
    'PMOVSCLR_EL0', // D24.5.20
    {
      read: { el0: 'EN', fgt: R_FGT('PMOVS') },
      write: { el0: 'EN', fgt: W_FGT('PMOVS') },
      perform: performBitmap('PMOVSSET_EL0', 'clr'),
    },
  ],
  [
    'PMOVSSET_EL0', // D24.5.21
    {
      read: { el0: 'EN', fgt: R_FGT('PMOVS') },
      write: { el0: 'EN', fgt: W_FGT('PMOVS') },
      perform: performBitmap('PMOVSSET_EL0', 'set'),
    },
  ],
  [
    'PMSELR_EL0', // D24.5.22
    {
      read: { el0: 'ER', fgt: R_FGT('PMSELR_EL0') },
      write: { el0: 'ER', fgt: W_FGT('PMSELR_EL0') },
      perform: performPmselr,
    },
  ],
  ['PMSWINC_EL0', { write: { el0: 'SW', fgt: W_FGT('PMSWINC_EL0') }, perform: performPmswinc }], // D24.5.24
  [
    'PMUACR_EL1', // D24.5.25
    {
      read: { el0: 'UNDEFINED', fgt: R_FGT2('nPMUACR_EL1') },
      write: { el0: 'UNDEFINED', fgt: W_FGT2('nPMUACR_EL1') },
      enPM2: true,
      perform: performPmuacr,
    },
  ],
  [
    'PMUSERENR_EL0', // D24.5.26: EL0 reads are not gated by PMUSERENR_EL0; MSR at EL0 is UNDEFINED
    {
      read: { el0: 'NONE', fgt: R_FGT('PMUSERENR_EL0') },
      write: { el0: 'UNDEFINED', fgt: W_FGT('PMUSERENR_EL0') },
      perform: performPmuserenr,
    },
  ],
  [
    'PMXEVCNTR_EL0', // D24.5.27
    {
      read: { el0: 'ER', fgt: R_FGT('PMEVCNTRn_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMEVCNTRn_EL0') },
      index: 'sel',
      perform: (ctx, idx, via) => performSingle(ctx, eventCounter(idx), via),
    },
  ],
  [
    'PMXEVTYPER_EL0', // D24.5.28: SEL = 31 selects PMCCFILTR_EL0 (its own FGT bit does not apply)
    {
      read: { el0: 'EN', fgt: R_FGT('PMEVTYPERn_EL0') },
      write: { el0: 'EN', fgt: W_FGT('PMEVTYPERn_EL0') },
      index: 'sel-typer',
      perform: (ctx, idx, via) =>
        performSingle(ctx, idx === CYCLE_COUNTER_ID ? CYCLE_FILTER : eventTyper(idx), via),
    },
  ],
  ['PMZR_EL0', { write: { el0: 'EN', fgt: W_FGT2('nPMZR_EL0') }, perform: performPmzr }], // D24.5.29
]);

/** The names of the registers `pmuAccess` handles (for tests that walk the catalogue). */
export const PMU_ACCESSOR_NAMES: readonly string[] = [...PMU_SPECS.keys()];
