// SPDX-License-Identifier: MIT
/**
 * The explicit state of one PE as far as the PMU and its EL2 partition are concerned, and the
 * plain accessors over it. A state is never mutated: every change returns a new state.
 *
 * EL2 is implemented and enabled, the PE is in Non-secure state and uses AArch64 (DESIGN.md);
 * EL3 exists only with FEAT_EL3. Counter indices follow the ASL: event counters 0..30,
 * CYCLE_COUNTER_ID = 31, INSTRUCTION_COUNTER_ID = 32 (Arm ARM J1.3 shared/debug/pmu).
 *
 * @module
 */

import { lookupRegister } from '../catalogue.js';
import { type CpuDef, cpuFeatures } from '../cpus.js';
import { InputError } from '../errors.js';
import type { FeatureName } from '../features.js';
import { field, fieldMask } from '../fields.js';
import type { RegisterDef } from '../registers/types.js';

/** J1.3 CYCLE_COUNTER_ID. */
export const CYCLE_COUNTER_ID = 31;
/** J1.3 INSTRUCTION_COUNTER_ID. */
export const INSTRUCTION_COUNTER_ID = 32;

/** An Exception level at which software runs in the model. */
export type El = 0 | 1 | 2;

/**
 * The registers held as single storage. A SET/CLR pair is held once, under its SET name
 * (PMCNTENSET_EL0 is the enable bitmap for both PMCNTENSET_EL0 and PMCNTENCLR_EL0).
 * Counters and their filters are held in `cnt` and `typer` below.
 */
export const STORED_REGS = [
  'MDCR_EL2',
  'MDCR_EL3',
  'SCR_EL3',
  'HCR_EL2',
  'HDFGRTR_EL2',
  'HDFGWTR_EL2',
  'HDFGRTR2_EL2',
  'HDFGWTR2_EL2',
  'PMCR_EL0',
  'PMCNTENSET_EL0',
  'PMINTENSET_EL1',
  'PMOVSSET_EL0',
  'PMSELR_EL0',
  'PMUSERENR_EL0',
  'PMUACR_EL1',
] as const;

/** The name of a register held as single storage. */
export type StoredReg = (typeof STORED_REGS)[number];

/** What does not change while the PE runs: the CPU and the features it implements. */
export interface PeConfig {
  readonly cpu: CpuDef;
  /** NUM_PMU_COUNTERS. */
  readonly n: number;
  readonly features: ReadonlySet<FeatureName>;
  /** PMCR_EL0 IMP/IDCODE bits (IMPLEMENTATION DEFINED), shown on reads. */
  readonly pmcrImpdef: bigint;
}

/** The state of the PE. */
export interface PeState {
  readonly config: PeConfig;
  readonly regs: Readonly<Record<StoredReg, bigint>>;
  /** Counter values by index: PMEVCNTR<n>_EL0 (0..30), PMCCNTR_EL0 (31), PMICNTR_EL0 (32). */
  readonly cnt: readonly bigint[];
  /** Filters by index: PMEVTYPER<n>_EL0 (0..30), PMCCFILTR_EL0 (31), PMICFILTR_EL0 (32). */
  readonly typer: readonly bigint[];
  /**
   * Hidden state of the PMCR_EL0.D divider: the cycles PMCCNTR_EL0 has seen under D since it last
   * counted, 0..63 (Arm ARM J1.3.1.102 HasElapsed64Cycles(), J1.1.1.46). Starts at 0.
   */
  readonly ccntPrescaler: number;
}

/** A bit field located by the catalogue, for fast reads and writes. */
export interface Bits {
  readonly shift: bigint;
  readonly mask: bigint;
}

/** The bits of `reg.fieldName`, taken from the register catalogue. */
export function bits(reg: string, fieldName: string): Bits {
  const def: RegisterDef = lookupRegister(reg.replace('<n>', '0')).def;
  const f = field(def, fieldName);
  return { shift: BigInt(f.bits[1]), mask: fieldMask(f) };
}

/** The value of field `b` in `value`. */
export function get(value: bigint, b: Bits): bigint {
  return (value & b.mask) >> b.shift;
}

/** True when the one-bit field `b` is 1 in `value`. */
export function isSet(value: bigint, b: Bits): boolean {
  return (value & b.mask) !== 0n;
}

/** `value` with field `b` set to `v`. */
export function put(value: bigint, b: Bits, v: bigint): bigint {
  return (value & ~b.mask) | ((v << b.shift) & b.mask);
}

/** Whether the CPU implements `feature` (IsFeatureImplemented()). */
export function isFeatureImplemented(pe: PeState, feature: FeatureName): boolean {
  return pe.config.features.has(feature);
}

/** HaveEL(EL3). EL2 is always implemented in the model. */
export function haveEL3(pe: PeState): boolean {
  return pe.config.features.has('FEAT_EL3');
}

/** A register value held by the state. */
export function reg(pe: PeState, name: StoredReg): bigint {
  return pe.regs[name];
}

/** A new state with register `name` set to `value`. */
export function withReg(pe: PeState, name: StoredReg, value: bigint): PeState {
  return { ...pe, regs: { ...pe.regs, [name]: value } };
}

/** A new state with counter `idx` (0..32) set to `value`. */
export function withCounter(pe: PeState, idx: number, value: bigint): PeState {
  const cnt = pe.cnt.slice();
  cnt[idx] = value;
  return { ...pe, cnt };
}

/** A new state with filter `idx` (0..32) set to `value`. */
export function withTyper(pe: PeState, idx: number, value: bigint): PeState {
  const typer = pe.typer.slice();
  typer[idx] = value;
  return { ...pe, typer };
}

const SCR_NS = bits('SCR_EL3', 'NS');
const SCR_RW = bits('SCR_EL3', 'RW');
const SCR_FGTEN = bits('SCR_EL3', 'FGTEn');
const SCR_FGTEN2 = bits('SCR_EL3', 'FGTEn2');
const MDCR_EL3_ENPM2 = bits('MDCR_EL3', 'EnPM2');

const CONFIGS = new WeakMap<CpuDef, PeConfig>();

/** The PE configuration for a CPU (computed once per CpuDef object). */
export function peConfig(cpu: CpuDef): PeConfig {
  let config = CONFIGS.get(cpu);
  if (config === undefined) {
    config = { cpu, n: cpu.n, features: cpuFeatures(cpu), pmcrImpdef: cpu.pmcrImpdef ?? 0n };
    CONFIGS.set(cpu, config);
  }
  return config;
}

/**
 * A fresh PE state: every register 0, except, when EL3 is implemented, SCR_EL3, which selects
 * Non-secure state with AArch64 EL2 and enables the fine-grained traps (NS, RW, FGTEn, FGTEn2),
 * as DESIGN.md fixes, and MDCR_EL3.EnPM2 = 1 (EL3 lets lower ELs reach the FEAT_PMUv3p9 registers). `regs` then overrides any stored register, counter or filter by name
 * (`PMEVCNTR3_EL0`, `PMCCFILTR_EL0`, `PMCNTENCLR_EL0` for the enable bitmap, ...).
 */
export function makePeState(cpu: CpuDef, regs: Readonly<Record<string, bigint>> = {}): PeState {
  const config = peConfig(cpu);
  const stored: Record<StoredReg, bigint> = { ...ZERO_REGS };
  if (config.features.has('FEAT_EL3')) {
    stored.SCR_EL3 = SCR_NS.mask | SCR_RW.mask | SCR_FGTEN.mask | SCR_FGTEN2.mask;
    // EL3 firmware that does not get in the way: PMICNTR/PMICFILTR/PMUACR not trapped to EL3.
    stored.MDCR_EL3 = MDCR_EL3_ENPM2.mask;
  }
  const cnt: bigint[] = ZERO_33.slice();
  const typer: bigint[] = ZERO_33.slice();
  for (const name in regs) {
    const value = regs[name]!;
    const target = storageOf(name);
    if (value < 0n || value >> 64n !== 0n) {
      throw new InputError(`Cannot set ${name} to 0x${value.toString(16)}: wider than 64 bits`);
    }
    // Without FEAT_PMUv3p5 an event counter holds 32 bits: PMEVCNTR<n>_EL0 [63:32] are RES0 (D24.5.10).
    if (
      target.kind === 'cnt' &&
      target.idx < 31 &&
      value >> 32n !== 0n &&
      !config.features.has('FEAT_PMUv3p5')
    ) {
      throw new InputError(
        `Cannot set ${name} to 0x${value.toString(16)}: without FEAT_PMUv3p5 event counters are 32 bits (D24.5.10)`,
      );
    }
    if (target.kind === 'reg') stored[target.reg] = value;
    else if (target.kind === 'cnt') cnt[target.idx] = value;
    else typer[target.idx] = value;
  }
  return { config, regs: stored, cnt, typer, ccntPrescaler: 0 };
}

const ZERO_REGS = Object.fromEntries(STORED_REGS.map((r) => [r, 0n])) as Record<StoredReg, bigint>;
const ZERO_33: readonly bigint[] = new Array(33).fill(0n);

/** Where a register's value is held in a PeState. */
export type Storage =
  | { readonly kind: 'reg'; readonly reg: StoredReg }
  | { readonly kind: 'cnt'; readonly idx: number }
  | { readonly kind: 'typer'; readonly idx: number };

const ALIASES: Readonly<Record<string, StoredReg>> = {
  PMCNTENCLR_EL0: 'PMCNTENSET_EL0',
  PMINTENCLR_EL1: 'PMINTENSET_EL1',
  PMOVSCLR_EL0: 'PMOVSSET_EL0',
};

/**
 * The storage behind a register name for the initial state (`regs`) and for `final` reads:
 * stored registers, their CLR aliases, counters and filters. Throws InputError for names that
 * are not registers, and for registers without storage of their own (PMXEVCNTR_EL0, PMSWINC_EL0,
 * PMZR_EL0, ID registers, PMCEID*).
 */
export function storageOf(name: string): Storage {
  const cached = STORAGE_CACHE.get(name);
  if (cached !== undefined) return cached;
  const s = storageUncached(name);
  if (STORAGE_CACHE.size < 4096) STORAGE_CACHE.set(name, s);
  return s;
}

const STORAGE_CACHE = new Map<string, Storage>();

function storageUncached(name: string): Storage {
  const ref = lookupRegister(name);
  const base = ref.def.name;
  if ((STORED_REGS as readonly string[]).includes(base)) return { kind: 'reg', reg: base as StoredReg };
  const alias = ALIASES[base];
  if (alias !== undefined) return { kind: 'reg', reg: alias };
  if (base === 'PMEVCNTR<n>_EL0') return { kind: 'cnt', idx: ref.n ?? 0 };
  if (base === 'PMEVTYPER<n>_EL0') return { kind: 'typer', idx: ref.n ?? 0 };
  if (base === 'PMCCNTR_EL0') return { kind: 'cnt', idx: CYCLE_COUNTER_ID };
  if (base === 'PMICNTR_EL0') return { kind: 'cnt', idx: INSTRUCTION_COUNTER_ID };
  if (base === 'PMCCFILTR_EL0') return { kind: 'typer', idx: CYCLE_COUNTER_ID };
  if (base === 'PMICFILTR_EL0') return { kind: 'typer', idx: INSTRUCTION_COUNTER_ID };
  throw new InputError(
    `${ref.name} has no state of its own in the model (it is an alias, write-only, or an ID register)`,
  );
}

/** The raw stored value behind a register name (EL2's full view; PMCR_EL0.N from the CPU). */
export function storedValue(pe: PeState, name: string): bigint {
  const s = storageOf(name);
  if (s.kind === 'cnt') return pe.cnt[s.idx]!;
  if (s.kind === 'typer') return pe.typer[s.idx]!;
  return pe.regs[s.reg];
}

/** Whether two states hold the same values in every register, counter, filter and the divider. */
export function samePeState(a: PeState, b: PeState): boolean {
  if (a === b) return true;
  if (a.ccntPrescaler !== b.ccntPrescaler) return false;
  // A step copies only what it changes: shared parts are equal by reference.
  if (a.regs !== b.regs) for (const r of STORED_REGS) if (a.regs[r] !== b.regs[r]) return false;
  if (a.cnt !== b.cnt) for (let i = 0; i < a.cnt.length; i++) if (a.cnt[i] !== b.cnt[i]) return false;
  if (a.typer !== b.typer)
    for (let i = 0; i < a.typer.length; i++) if (a.typer[i] !== b.typer[i]) return false;
  return true;
}

/** The storage name of counter or filter `idx` (0..32). */
function counterName(idx: number, typer: boolean): string {
  if (idx === CYCLE_COUNTER_ID) return typer ? 'PMCCFILTR_EL0' : 'PMCCNTR_EL0';
  if (idx === INSTRUCTION_COUNTER_ID) return typer ? 'PMICFILTR_EL0' : 'PMICNTR_EL0';
  return typer ? `PMEVTYPER${idx}_EL0` : `PMEVCNTR${idx}_EL0`;
}

/**
 * What differs from `before` in `after`: storage name -> new value, in STORED_REGS order, then
 * counters and filters by index. The PMCR_EL0.D divider is not architecturally visible and is
 * left out.
 */
export function peStateChanges(before: PeState, after: PeState): ReadonlyMap<string, bigint> {
  const out = new Map<string, bigint>();
  if (before === after) return out;
  if (before.regs !== after.regs) {
    for (const r of STORED_REGS) if (before.regs[r] !== after.regs[r]) out.set(r, after.regs[r]);
  }
  if (before.cnt !== after.cnt) {
    for (let i = 0; i < after.cnt.length; i++) {
      if (before.cnt[i] !== after.cnt[i]) out.set(counterName(i, false), after.cnt[i]!);
    }
  }
  if (before.typer !== after.typer) {
    for (let i = 0; i < after.typer.length; i++) {
      if (before.typer[i] !== after.typer[i]) out.set(counterName(i, true), after.typer[i]!);
    }
  }
  return out;
}
