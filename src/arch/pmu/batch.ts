// SPDX-License-Identifier: MIT
/**
 * Counting k occurrences of one event at once, in O(counters) whatever k is (k up to 2^64), to
 * the state that k single occurrences (increment.ts pmuOccurrence()) would leave.
 *
 * How. Within one occurrence the ASL updates the counters in a fixed order: the instruction
 * counter (in PMUEvent()), the event counters 0..N-1, the cycle counter (J1.1.1.48
 * AArch64.PMUCycle()). Call a counter's place in that order its position. Everything that decides
 * whether a counter counts is fixed for the batch except freeze-on-overflow: overflow flags are
 * only ever set, so once a range freezes it stays frozen. Each counter therefore counts on a
 * prefix 1..c of the occurrences, and a range that freezes (PMCR_EL0.FZO, MDCR_EL2.HPMFZO) does so
 * at the first (occurrence, position) at which one of its trigger counters overflows. Before that
 * point no counter of the range is frozen, so the first overflow of each trigger follows from its
 * value alone: 2^w - (v mod 2^w) occurrences for a counter counting the event, and for an odd
 * counter counting CHAIN the occurrence at which its even partner's wraps (every 2^32
 * occurrences) carry it over. Only the CHAIN from the last first-range counter to the first
 * second-range one crosses ranges, so the first range is settled before the second.
 *
 * @module
 */

import {
  type Choices,
  type Constrained,
  constrainUnpredictable,
  type RuleName,
  type Unpredictable,
} from '../unpredictable.js';
import {
  evtCount,
  PMU_EVENT_CHAIN,
  PMU_EVENT_CPU_CYCLES,
  PMU_EVENT_INST_RETIRED,
  PMU_EVENT_SW_INCR,
} from './events.js';
import { countPMUEventsAssuming } from './filter.js';
import { cycleCounterD, cycleCounterLc, eventCounterLp, MASK32, MASK64, type Stepped } from './increment.js';
import { shouldPMUFreeze } from './overflow.js';
import { getPMUCounterRange, type PMUCounterRange } from './ranges.js';
import {
  bits,
  CYCLE_COUNTER_ID,
  type El,
  INSTRUCTION_COUNTER_ID,
  isFeatureImplemented,
  isSet,
  type PeState,
} from './state.js';

const PMCR_FZO = bits('PMCR_EL0', 'FZO');
const MDCR_EL2_HPMFZO = bits('MDCR_EL2', 'HPMFZO');
const PMEVTYPER_SYNC = bits('PMEVTYPER<n>_EL0', 'SYNC');
const PMICFILTR_SYNC = bits('PMICFILTR_EL0', 'SYNC');

const TWO32 = 1n << 32n;
const TWO64 = 1n << 64n;
/** The position of the instruction counter within an occurrence: before the event counters. */
const POS_INSTR = -1;

/** An (occurrence, position) point of a batch; occurrences count from 1. */
interface Point {
  readonly j: bigint;
  readonly pos: number;
}

function earlier(a: Point | undefined, b: Point): Point {
  return a === undefined || b.j < a.j || (b.j === a.j && b.pos < a.pos) ? b : a;
}

/** How a range's freeze plays out in the batch. */
interface RangeFreeze {
  /** PMCR_EL0.FZO or MDCR_EL2.HPMFZO in effect (FEAT_PMUv3p7). */
  readonly on: boolean;
  /** Frozen before the first occurrence (an overflow flag of the range already set). */
  readonly atStart: boolean;
  /** The point at which the range freezes within the batch, if it does. */
  at: Point | undefined;
}

/** What an event counter does on each occurrence. */
type Role = 'event' | 'chain' | 'none';

/** One batch: its inputs and what is worked out about each counter (by index 0..32). */
interface Batch {
  readonly pe: PeState;
  readonly k: bigint;
  readonly el: El;
  readonly hpmn: number;
  readonly sebep: boolean;
  readonly freeze: { readonly R1: RangeFreeze; readonly R2: RangeFreeze };
  /** 'event': counts the event; 'chain': an odd counter taking CHAIN from the even one below. */
  readonly role: Role[];
  /** `lp` (overflow at bit 63, AArch64.IncrementEventCounter()) of the counters with a role. */
  readonly lp: boolean[];
  /** Counts while its range is not frozen; undefined for counters left out of the batch. */
  readonly live0: (boolean | undefined)[];
  /** Counts while its range is frozen. */
  readonly live1: boolean[];
  /** The FREEZE_OVERFLOW behaviour, once a freeze makes it matter. */
  mode: FreezeMode;
  /** Whether FREEZE_OVERFLOW was asked. */
  freezeAsked: boolean;
}

function minOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Multiples of `m` in (v, v + c]: the carries out of the counter's top bit. */
function wraps(v: bigint, c: bigint, m: bigint): bigint {
  return ((v % m) + c) / m;
}

/** The position of counter `idx` within an occurrence. */
function positionOf(idx: number): number {
  return idx === INSTRUCTION_COUNTER_ID ? POS_INSTR : idx;
}

function rangeFreeze(pe: PeState, r: PMUCounterRange, hpmn: number): RangeFreeze {
  const on =
    isFeatureImplemented(pe, 'FEAT_PMUv3p7') &&
    (r === 'R1' ? isSet(pe.regs.PMCR_EL0, PMCR_FZO) : isSet(pe.regs.MDCR_EL2, MDCR_EL2_HPMFZO));
  return { on, atStart: on && shouldPMUFreeze(pe, r, hpmn), at: undefined };
}

/** Works out live0 and live1 of counter idx. */
function liveness(b: Batch, idx: number): void {
  const l0 = countPMUEventsAssuming(b.pe, idx, b.el, b.hpmn, false);
  b.live0[idx] = l0;
  const on = b.freeze[getPMUCounterRange(idx, b.hpmn)].on;
  b.live1[idx] = l0 && on ? countPMUEventsAssuming(b.pe, idx, b.el, b.hpmn, true) : l0;
}

/**
 * When a freezing range stops counting, relative to the occurrence whose overflow freezes it: the
 * behaviours of FREEZE_OVERFLOW (Arm ARM D13.5.2.1: whether events "at or about the same time" as
 * the overflowing one are counted is CONSTRAINED UNPREDICTABLE). 'sequential' is the ASL's order
 * within the occurrence; 'whole-occurrence' lets every counter of the range count the overflowing
 * occurrence; 'one-later' also lets the range count the next occurrence.
 */
export type FreezeMode = 'sequential' | 'whole-occurrence' | 'one-later';

/** The FREEZE_OVERFLOW behaviours, in the order the rule table lists them. */
export const FREEZE_MODES: readonly FreezeMode[] = ['sequential', 'whole-occurrence', 'one-later'];

/** The number of leading occurrences in which counter idx counts, under freeze mode `mode`. */
function span(b: Batch, idx: number, mode: FreezeMode = b.mode): bigint {
  const f = b.freeze[getPMUCounterRange(idx, b.hpmn)];
  if (b.live1[idx]) return b.k;
  if (f.atStart || b.live0[idx] !== true) return 0n;
  if (f.at === undefined) return b.k;
  if (mode === 'whole-occurrence') return f.at.j;
  if (mode === 'one-later') return minOf(b.k, f.at.j + 1n);
  return positionOf(idx) <= f.at.pos ? f.at.j : f.at.j - 1n;
}

/**
 * Settles the freeze mode once range r's freeze point is known: when the FREEZE_OVERFLOW
 * behaviours give some counter of r a different span, the caller's choice (held for the whole
 * step); when they all agree, nothing is asked. Returns the case when no choice resolves it.
 */
function settleMode(b: Batch, r: PMUCounterRange, choices: Choices): Unpredictable | undefined {
  if (b.freeze[r].at === undefined) return undefined;
  let differs = false;
  for (let idx = 0; idx <= INSTRUCTION_COUNTER_ID && !differs; idx++) {
    if (b.live0[idx] === undefined || getPMUCounterRange(idx, b.hpmn) !== r) continue;
    const s = span(b, idx, 'sequential');
    differs = FREEZE_MODES.some((m) => span(b, idx, m) !== s);
  }
  if (!differs) return undefined;
  const c = constrainUnpredictable('FREEZE_OVERFLOW', FREEZE_MODES, choices);
  if (c.kind === 'unpredictable') return c;
  b.mode = c.behaviour as FreezeMode;
  b.freezeAsked = true;
  return undefined;
}

/** Whether an overflow of counter idx is a freeze trigger (ShouldPMUFreeze(): SYNC aside). */
function triggers(b: Batch, idx: number): boolean {
  const sync = idx === INSTRUCTION_COUNTER_ID ? PMICFILTR_SYNC : PMEVTYPER_SYNC;
  return !(b.sebep && isSet(b.pe.typer[idx]!, sync));
}

/** 2^64 or 2^32: where event counter idx overflows. */
function width(b: Batch, idx: number): bigint {
  return b.lp[idx] ? TWO64 : TWO32;
}

/**
 * The first overflow of odd counter o counting CHAIN from e = o - 1, when e counts on
 * occurrences 1..spanE: the occurrence of the even counter's wrap that carries o over.
 */
function firstChainedOverflow(b: Batch, o: number, spanE: bigint): bigint | undefined {
  const v = b.pe.cnt;
  const firstWrap = TWO32 - (v[o - 1]! % TWO32);
  const m = width(b, o);
  const needed = m - (v[o]! % m);
  const j = firstWrap + (needed - 1n) * TWO32;
  return j <= spanE ? j : undefined;
}

/**
 * Finds the point at which range r freezes: the first overflow of one of its trigger counters,
 * none of them frozen before it. `crossSpanE` is the span of the first-range counter whose CHAIN
 * reaches the second range, when it does.
 */
function settle(b: Batch, r: PMUCounterRange, icntr: boolean, crossSpanE: bigint | undefined): void {
  const f = b.freeze[r];
  if (!f.on || f.atStart) return;
  const v = b.pe.cnt;
  let at: Point | undefined;
  if (r === 'R1' && icntr && b.live0[INSTRUCTION_COUNTER_ID] && triggers(b, INSTRUCTION_COUNTER_ID)) {
    const j = TWO64 - v[INSTRUCTION_COUNTER_ID]!;
    if (j <= b.k) at = earlier(at, { j, pos: POS_INSTR });
  }
  for (let idx = 0; idx < b.pe.config.n; idx++) {
    if (b.live0[idx] !== true || getPMUCounterRange(idx, b.hpmn) !== r || !triggers(b, idx)) continue;
    if (b.role[idx] === 'event') {
      const m = width(b, idx);
      const j = m - (v[idx]! % m);
      if (j <= b.k) at = earlier(at, { j, pos: idx });
    } else if (b.role[idx] === 'chain' && b.live0[idx - 1] === true) {
      const spanE = getPMUCounterRange(idx - 1, b.hpmn) === r ? b.k : crossSpanE;
      if (spanE === undefined) continue;
      const j = firstChainedOverflow(b, idx, spanE);
      if (j !== undefined) at = earlier(at, { j, pos: idx });
    }
  }
  f.at = at;
}

/**
 * `k` occurrences of event `pmuevent` at `el`, one after the other; see the module comment.
 * Same meaning as k calls of pmuOccurrence(), CONSTRAINED UNPREDICTABLE COUNT_CHAIN included.
 */
export function countEventBatch(
  pe: PeState,
  pmuevent: number,
  k: bigint,
  el: El,
  hpmn: number,
  choices: Choices,
): Constrained<Stepped> {
  if (k === 0n || pmuevent === PMU_EVENT_SW_INCR || pmuevent === PMU_EVENT_CHAIN) {
    return { kind: 'value', value: { pe, via: undefined } };
  }
  const n = pe.config.n;
  const p5 = isFeatureImplemented(pe, 'FEAT_PMUv3p5');
  const b: Batch = {
    pe,
    k,
    el,
    hpmn,
    sebep: isFeatureImplemented(pe, 'FEAT_SEBEP'),
    freeze: { R1: rangeFreeze(pe, 'R1', hpmn), R2: rangeFreeze(pe, 'R2', hpmn) },
    role: [],
    lp: [],
    live0: [],
    live1: [],
    mode: 'sequential',
    freezeAsked: false,
  };
  const v = pe.cnt;
  for (let idx = 0; idx < n; idx++) {
    const evt = evtCount(pe, idx);
    let role: Role = 'none';
    if (evt === pmuevent) {
      role = 'event';
      b.lp[idx] = eventCounterLp(pe, idx, hpmn);
    } else if (evt === PMU_EVENT_CHAIN && idx % 2 === 1 && b.role[idx - 1] === 'event' && !b.lp[idx - 1]) {
      // The even counter overflows at bit 31 and sends CHAIN (within the first or the second
      // range; across them, COUNT_CHAIN decides below).
      role = 'chain';
      b.lp[idx] = eventCounterLp(pe, idx, hpmn);
    }
    b.role.push(role);
    // Without FEAT_PMUv3p5 any counting counter is stored in 32 bits, even when incremented by 0.
    if (role !== 'none' || (!p5 && v[idx]! >> 32n !== 0n)) liveness(b, idx);
  }
  const icntr = pmuevent === PMU_EVENT_INST_RETIRED && isFeatureImplemented(pe, 'FEAT_PMUv3_ICNTR');
  const cycle = pmuevent === PMU_EVENT_CPU_CYCLES;
  if (icntr) liveness(b, INSTRUCTION_COUNTER_ID);
  if (cycle) liveness(b, CYCLE_COUNTER_ID);

  // The first range, then the CHAIN across the boundary, then the second range.
  settle(b, 'R1', icntr, undefined);
  const u1 = settleMode(b, 'R1', choices);
  if (u1 !== undefined) return u1;
  let via: RuleName | undefined;
  let crossSpanE: bigint | undefined;
  if (hpmn % 2 === 1 && hpmn < n && b.role[hpmn] === 'chain') {
    const spanE = span(b, hpmn - 1);
    if (wraps(v[hpmn - 1]!, spanE, TWO32) > 0n) {
      // If PMU counters idx and idx+1 are not in same range, it is CONSTRAINED UNPREDICTABLE if
      // CHAIN event is counted (J1.1.1.47).
      const c = constrainUnpredictable('COUNT_CHAIN', ['chain', 'no-chain'], choices);
      if (c.kind === 'unpredictable') return c;
      via = 'COUNT_CHAIN';
      if (c.behaviour === 'chain') crossSpanE = spanE;
    }
  }
  settle(b, 'R2', icntr, crossSpanE);
  const u2 = settleMode(b, 'R2', choices);
  if (u2 !== undefined) return u2;
  if (b.freezeAsked) via = via ?? 'FREEZE_OVERFLOW';

  // Apply the spans.
  const cnt = pe.cnt.slice();
  let ovs = pe.regs.PMOVSSET_EL0;
  for (let idx = 0; idx < n; idx++) {
    if (b.live0[idx] === undefined) continue;
    const c = span(b, idx);
    if (c === 0n) continue;
    let inc = 0n;
    if (b.role[idx] === 'event') {
      inc = c;
    } else if (b.role[idx] === 'chain') {
      const cross = getPMUCounterRange(idx - 1, hpmn) !== getPMUCounterRange(idx, hpmn);
      if (!cross || crossSpanE !== undefined) inc = wraps(v[idx - 1]!, minOf(span(b, idx - 1), c), TWO32);
    }
    cnt[idx] = (v[idx]! + inc) & (p5 ? MASK64 : MASK32);
    if (inc > 0n && wraps(v[idx]!, inc, width(b, idx)) > 0n) ovs |= 1n << BigInt(idx);
  }
  if (icntr) {
    const inc = span(b, INSTRUCTION_COUNTER_ID);
    const old = v[INSTRUCTION_COUNTER_ID]!;
    cnt[INSTRUCTION_COUNTER_ID] = (old + inc) & MASK64;
    if (old + inc > MASK64) ovs |= 1n << BigInt(INSTRUCTION_COUNTER_ID);
  }
  let ccntPrescaler = pe.ccntPrescaler;
  if (cycle) {
    const c = span(b, CYCLE_COUNTER_ID);
    let inc = c;
    if (cycleCounterD(pe)) {
      // HasElapsed64Cycles() is TRUE on every 64th counted cycle.
      const seen = BigInt(ccntPrescaler) + c;
      inc = seen / 64n;
      ccntPrescaler = Number(seen % 64n);
    }
    const old = v[CYCLE_COUNTER_ID]!;
    cnt[CYCLE_COUNTER_ID] = (old + inc) & MASK64;
    const ovflw = isFeatureImplemented(pe, 'FEAT_AA32') && !cycleCounterLc(pe) ? TWO32 : TWO64;
    if (wraps(old, inc, ovflw) > 0n) ovs |= 1n << BigInt(CYCLE_COUNTER_ID);
  }
  const next: PeState = { ...pe, cnt, regs: { ...pe.regs, PMOVSSET_EL0: ovs }, ccntPrescaler };
  return { kind: 'value', value: { pe: next, via } };
}
