// SPDX-License-Identifier: MIT
// countPMUEvents(), countEvents(), pmuSwIncrement(), zeroPMUCounters(), clearEventCounters(),
// zeroCycleCounter() and pmuIrq() on rows whose expected values are worked out from the Arm ARM
// DDI0487 M.a.a text named on each row (D13 prose, D24 field descriptions, J1 pseudocode), not
// from running the model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CpuDef, cpuFeatures, lookupCpu, parseInlineCpu } from '../../../src/arch/cpus.js';
import {
  clearEventCounters,
  countEvents,
  countPMUEvents,
  pmuIrq,
  pmuSwIncrement,
  zeroCycleCounter,
  zeroPMUCounters,
} from '../../../src/arch/pmu/count.js';
import { type El, makePeState, type PeState } from '../../../src/arch/pmu/state.js';
import type { Choices } from '../../../src/arch/unpredictable.js';

// Field bits, from the D24 register descriptions.
// MDCR_EL2 (D24.3.17): 0x84 is HPME (bit [7]) with HPMN (bits [4:0]) 4; 0x04 is HPMN 4 alone.
const HPMD = 1n << 17n; // MDCR_EL2.HPMD, bit [17]
const HCCD = 1n << 23n; // MDCR_EL2.HCCD, bit [23]
const HLP = 1n << 26n; // MDCR_EL2.HLP, bit [26]
const HPMFZO = 1n << 29n; // MDCR_EL2.HPMFZO, bit [29]
const E = 1n; // PMCR_EL0.E, bit [0] (D24.5.8)
const D = 1n << 3n; // PMCR_EL0.D, bit [3]
const DP = 1n << 5n; // PMCR_EL0.DP, bit [5]
const LC = 1n << 6n; // PMCR_EL0.LC, bit [6]
const LP = 1n << 7n; // PMCR_EL0.LP, bit [7]
const FZO = 1n << 9n; // PMCR_EL0.FZO, bit [9]
const P = 1n << 31n; // PMEVTYPER<n>_EL0.P, bit [31] (D24.5.12; same place in PMCCFILTR_EL0, PMICFILTR_EL0)
const U = 1n << 30n; // .U, bit [30]
const NSK = 1n << 29n; // .NSK, bit [29]
const NSU = 1n << 28n; // .NSU, bit [28]
const NSH = 1n << 27n; // .NSH, bit [27]
const SYNC = 1n << 58n; // PMEVTYPER<n>_EL0.SYNC, bit [58]
const C = 1n << 31n; // PMCNTENSET_EL0.C / PMOVSSET_EL0.C / PMINTENSET_EL1.C, bit [31]
const F0 = 1n << 32n; // ... .F0, bit [32]

// Event numbers (D14): SW_INCR 0x00, INST_RETIRED 0x08, CPU_CYCLES 0x11, CHAIN 0x1E.
const SW_INCR = 0x00n;
const INST_RETIRED = 0x08n;
const CPU_CYCLES = 0x11n;
const CHAIN = 0x1en;

const n2 = lookupCpu('neoverse-n2'); // PMUv3p5, N = 6, EL3, AArch32 at EL0
const a53 = lookupCpu('cortex-a53'); // PMUv3, N = 6
const v3p1 = parseInlineCpu({ pmuVer: 'PMUv3p1', n: 6, features: ['FEAT_EL3', 'FEAT_Debugv8p2'] });
const v3p5NoEl3 = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_Debugv8p2'] });
const v3p5NoAa32 = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_EL3', 'FEAT_Debugv8p2'] });
const v3p7 = parseInlineCpu({ pmuVer: 'PMUv3p7', n: 6, features: ['FEAT_EL3', 'FEAT_Debugv8p2'] });
const v3p9 = parseInlineCpu({
  pmuVer: 'PMUv3p9',
  n: 6,
  features: ['FEAT_EL3', 'FEAT_Debugv8p2', 'FEAT_PMUv3_ICNTR', 'FEAT_FGT2', 'FEAT_SEBEP'],
});

function pe(cpu: CpuDef, regs: Record<string, bigint>): PeState {
  return makePeState(cpu, regs);
}

function counted(r: ReturnType<typeof countEvents>): PeState {
  if (r.kind !== 'value') assert.fail(`expected a value, got ${r.kind} ${r.rule}`);
  return r.value;
}

function hex(regs: Record<string, bigint>): string {
  return Object.entries(regs)
    .map(([k, v]) => `${k}=0x${v.toString(16)}`)
    .join(' ');
}

test('the catalogue CPUs used here are as assumed', () => {
  assert.equal(n2.pmuVer, 'PMUv3p5');
  assert.equal(n2.n, 6);
  assert.ok(cpuFeatures(n2).has('FEAT_EL3'));
  assert.ok(cpuFeatures(n2).has('FEAT_AA32'));
  assert.equal(a53.pmuVer, 'PMUv3');
  assert.equal(a53.n, 6);
});

/** [what, rule, cpu, regs, idx, el, hpmn, expected]. */
type CountRow = [string, string, CpuDef, Record<string, bigint>, number, El, number, boolean];

// Counters enabled, counting at EL2 too (NSH = 1), HPMN = 4 unless stated.
const ALL_ON = { PMCNTENSET_EL0: 0x3fn | C, PMEVTYPER0_EL0: NSH, PMEVTYPER4_EL0: NSH, PMCCFILTR_EL0: NSH };

// biome-ignore format: one row per line reads as a table
const COUNT_ROWS: CountRow[] = [
  // D13.5.4 RMMZLZ: counting at EL2 is prohibited by HDCR.HPMD unless FEAT_PMUv3p1 is not
  // implemented or the counter is in the second range; J1.3.1.93 (HPMD only for PMUCounterRange_R1).
  ['HPMD stops a first-range counter at EL2', 'D13.5.4 RMMZLZ', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 0, 2, 4, false],
  ['HPMD leaves a second-range counter at EL2', 'D13.5.4 RMMZLZ', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 4, 2, 4, true],
  ['HPMD does not apply at EL1', 'D24.3.17 HPMD', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 0, 1, 4, true],
  ['HPMD is ignored without FEAT_PMUv3p1', 'D13.5.4 RMMZLZ', a53, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 0, 2, 4, true],
  ['HPMD at EL2 from FEAT_PMUv3p1', 'D13.5.4 RMMZLZ', v3p1, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 0, 2, 4, false],
  // PMCCNTR: prohibited/frozen only with PMCR_EL0.DP = 1 (D24.5.8 DP; J1.3.1.93).
  ['HPMD with DP = 0 leaves the cycle counter', 'D24.5.8 DP', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMD }, 31, 2, 4, true],
  ['HPMD with DP = 1 stops the cycle counter at EL2', 'D24.5.8 DP', n2, { ...ALL_ON, PMCR_EL0: E | DP, MDCR_EL2: 0x84n | HPMD }, 31, 2, 4, false],
  // D24.3.17 HCCD: "prohibited at EL2 ... This control is not overridden by PMCR_EL0.DP" (PMUv3p5).
  ['HCCD stops the cycle counter at EL2 with DP = 0', 'D24.3.17 HCCD', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HCCD }, 31, 2, 4, false],
  ['HCCD does not apply at EL1', 'D24.3.17 HCCD', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HCCD }, 31, 1, 4, true],
  ['HCCD does not exist before FEAT_PMUv3p5', 'D24.3.17 HCCD', v3p1, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HCCD }, 31, 2, 4, true],
  // D13.5.1.1 Table D13-4: first range enabled by PMCR.E, second by HDCR.HPME, at every EL.
  ['HPME = 0 stops a second-range counter at EL0', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 4, 0, 4, false],
  ['HPME = 0 stops a second-range counter at EL1', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 4, 1, 4, false],
  ['HPME = 0 stops a second-range counter at EL2', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 4, 2, 4, false],
  ['HPME = 0, PMCR_EL0.E = 1: first range counts at EL0', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 0, 0, 4, true],
  ['HPME = 0, PMCR_EL0.E = 1: first range counts at EL1', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 0, 1, 4, true],
  ['HPME = 0, PMCR_EL0.E = 1: first range counts at EL2', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x04n }, 0, 2, 4, true],
  ['PMCR_EL0.E = 0 stops the first range', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: 0n, MDCR_EL2: 0x84n }, 0, 1, 4, false],
  ['PMCR_EL0.E = 0 stops the cycle counter', 'D13.5.1.2', n2, { ...ALL_ON, PMCR_EL0: 0n, MDCR_EL2: 0x84n }, 31, 1, 4, false],
  ['PMCR_EL0.E = 0 leaves the second range with HPME = 1', 'D13.5.1.1 Table D13-4', n2, { ...ALL_ON, PMCR_EL0: 0n, MDCR_EL2: 0x84n }, 4, 1, 4, true],
  ['PMCNTENSET_EL0 bit 0 clear stops counter 0', 'D13.5.1.1', n2, { ...ALL_ON, PMCNTENSET_EL0: 0x3en, PMCR_EL0: E, MDCR_EL2: 0x84n }, 0, 1, 4, false],
  ['HPMN = 0: counter 0 is in the second range (HPME)', 'D13.1.1', n2, { ...ALL_ON, PMCR_EL0: 0n, MDCR_EL2: 0x80n }, 0, 1, 0, true],
  // Filters in Non-secure state (J1.3.1.93; D24.5.12): EL0 u != nsu, EL1 p != nsk, EL2 nsh == 0;
  // NSK and NSU read as 0 when EL3 is not implemented.
  ['P = 1 filters EL1 (EL3, NSK = 0)', 'D24.5.12 P, NSK', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: P }, 0, 1, 4, false],
  ['P = 1, NSK = 1 counts at EL1 (EL3)', 'D24.5.12 NSK', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: P | NSK }, 0, 1, 4, true],
  ['P = 0, NSK = 1 filters EL1 (EL3)', 'D24.5.12 NSK', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: NSK }, 0, 1, 4, false],
  ['P = 1, NSK = 1 filters EL1 without EL3', 'D24.5.12 NSK', v3p5NoEl3, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: P | NSK }, 0, 1, 4, false],
  ['NSK = 1 alone is ignored without EL3', 'D24.5.12 NSK', v3p5NoEl3, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: NSK }, 0, 1, 4, true],
  ['U = 1 filters EL0 (EL3, NSU = 0)', 'D24.5.12 U, NSU', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: U }, 0, 0, 4, false],
  ['U = 1, NSU = 1 counts at EL0 (EL3)', 'D24.5.12 NSU', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: U | NSU }, 0, 0, 4, true],
  ['U = 1, NSU = 1 filters EL0 without EL3', 'D24.5.12 NSU', v3p5NoEl3, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: U | NSU }, 0, 0, 4, false],
  ['NSH = 0 filters EL2 (second range too)', 'D24.5.12 NSH', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER4_EL0: 0n }, 4, 2, 4, false],
  ['PMCCFILTR_EL0.NSH = 0 filters the cycle counter at EL2', 'D24.5.1 NSH', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMCCFILTR_EL0: 0n }, 31, 2, 4, false],
  ['PMCCFILTR_EL0.P = 1 filters the cycle counter at EL1', 'D24.5.1 P', n2, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMCCFILTR_EL0: P }, 31, 1, 4, false],
  // D13.5.2.1: FZO freezes the first range while a first-range overflow flag is set; HPMFZO the
  // second; PMCCNTR only with DP = 1 (FEAT_PMUv3p7).
  ['FZO: first-range flag freezes the first range', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n }, 0, 1, 4, false],
  ['FZO: first-range flag leaves the second range', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n }, 4, 1, 4, true],
  ['FZO: second-range flag leaves the first range', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b100000n }, 0, 1, 4, true],
  ['FZO with DP = 0 leaves the cycle counter', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n }, 31, 1, 4, true],
  ['FZO with DP = 1 freezes the cycle counter', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO | DP, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n }, 31, 1, 4, false],
  ['the cycle counter flag freezes nothing', 'J1.3.1.91 exclude_cyc', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO | DP, MDCR_EL2: 0x84n, PMOVSSET_EL0: C }, 0, 1, 4, true],
  ['HPMFZO: second-range flag freezes the second range', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMFZO, PMOVSSET_EL0: 0b100000n }, 4, 1, 4, false],
  ['HPMFZO: second-range flag leaves the first range', 'D13.5.2.1', v3p7, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n | HPMFZO, PMOVSSET_EL0: 0b100000n }, 0, 1, 4, true],
  ['FZO is ignored before FEAT_PMUv3p7', 'D24.5.8 FZO', n2, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n }, 0, 1, 4, true],
  ['SEBEP: a SYNC counter flag does not freeze', 'D13.5.2.1 IDKYFT', v3p9, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: 0b10n, PMEVTYPER1_EL0: SYNC | INST_RETIRED, }, 0, 1, 4, true],
  ['SEBEP: F0 freezes the first range', 'D13.5.2.1', v3p9, { ...ALL_ON, PMCR_EL0: E | FZO, MDCR_EL2: 0x84n, PMOVSSET_EL0: F0 }, 0, 1, 4, false],
  // J1.3.1.93: SYNC = 1 on an event that is not a synchronous event disables the counter (D14.7:
  // INST_RETIRED is one, CPU_CYCLES is not).
  ['SEBEP: SYNC on INST_RETIRED counts', 'D14.7', v3p9, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: SYNC | INST_RETIRED }, 0, 1, 4, true],
  ['SEBEP: SYNC on CPU_CYCLES does not count', 'D13.3.3 RSSVKV', v3p9, { ...ALL_ON, PMCR_EL0: E, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: SYNC | CPU_CYCLES }, 0, 1, 4, false],
  // The instruction counter: PMCR_EL0.E and F0 (D13.5.1.3), HPMD at EL2 (first range), no DP.
  ['the instruction counter counts with E and F0', 'D13.5.1.3', v3p9, { PMCNTENSET_EL0: F0, PMCR_EL0: E, MDCR_EL2: 0x84n, PMICFILTR_EL0: NSH }, 32, 1, 4, true],
  ['HPMD stops the instruction counter at EL2', 'D13.5.4', v3p9, { PMCNTENSET_EL0: F0, PMCR_EL0: E | DP, MDCR_EL2: 0x84n | HPMD, PMICFILTR_EL0: NSH }, 32, 2, 4, false],
];

describe('countPMUEvents()', () => {
  for (const [what, rule, cpu, regs, idx, el, hpmn, expected] of COUNT_ROWS) {
    test(`${what} (${rule})`, () => {
      const got = countPMUEvents(pe(cpu, regs), idx, el, hpmn);
      assert.equal(got, expected, `${cpu.name} idx ${idx} EL${el} HPMN ${hpmn} ${hex(regs)}`);
    });
  }
});

function count(state: PeState, events: Record<number, bigint>, el: El, hpmn: number, choices: Choices = {}) {
  return countEvents(
    state,
    new Map(Object.entries(events).map(([e, k]) => [Number(e), k])),
    el,
    hpmn,
    choices,
  );
}

describe('countEvents(): overflow width', () => {
  // Counter 4 in the second range counts INST_RETIRED; MDCR_EL2.HLP (D24.3.17, FEAT_PMUv3p5):
  // 0 overflows at bit 31 (the counter keeps 64 bits, AArch64.IncrementEventCounter), 1 at bit 63.
  const base = { PMCR_EL0: E, PMCNTENSET_EL0: 0x10n, PMEVTYPER4_EL0: INST_RETIRED };
  const rows: [string, bigint, bigint, bigint, boolean][] = [
    ['HLP = 0: 0xffffffff + 1 overflows at bit 31', 0x84n, 0xffff_ffffn, 0x1_0000_0000n, true],
    ['HLP = 1: 0xffffffff + 1 does not overflow', 0x84n | HLP, 0xffff_ffffn, 0x1_0000_0000n, false],
    ['HLP = 1: 2^64 - 1 + 1 overflows at bit 63', 0x84n | HLP, (1n << 64n) - 1n, 0n, true],
    ['HLP = 0: 2^64 - 1 + 1 overflows (bit 31 carries too)', 0x84n, (1n << 64n) - 1n, 0n, true],
    ['PMCR_EL0.LP does not apply to the second range', 0x84n, 0xffff_ffffn, 0x1_0000_0000n, true],
  ];
  for (const [what, mdcr, start, value, ovf] of rows) {
    test(`${what} (D24.3.17 HLP, J1.1.1.47)`, () => {
      const lp = what.includes('LP does not') ? LP : 0n;
      const s = counted(
        count(pe(n2, { ...base, PMCR_EL0: E | lp, MDCR_EL2: mdcr, PMEVCNTR4_EL0: start }), { 8: 1n }, 1, 4),
      );
      assert.equal(s.cnt[4], value);
      assert.equal((s.regs.PMOVSSET_EL0 >> 4n) & 1n, ovf ? 1n : 0n);
    });
  }
  test('PMCR_EL0.LP = 1: a first-range counter overflows at bit 63 only (D24.5.8 LP)', () => {
    const s = counted(
      count(
        pe(n2, {
          PMCR_EL0: E | LP,
          MDCR_EL2: 0x84n,
          PMCNTENSET_EL0: 1n,
          PMEVTYPER0_EL0: INST_RETIRED,
          PMEVCNTR0_EL0: 0xffff_fff0n,
        }),
        { 8: 0x20n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[0], 0x1_0000_0010n);
    assert.equal(s.regs.PMOVSSET_EL0, 0n);
  });
  test('without FEAT_PMUv3p5 counters are 32 bits and overflow at bit 31 (J1.1.1.47)', () => {
    const s = counted(
      count(
        pe(a53, {
          PMCR_EL0: E,
          MDCR_EL2: 0x84n,
          PMCNTENSET_EL0: 0x10n,
          PMEVTYPER4_EL0: INST_RETIRED,
          PMEVCNTR4_EL0: 0xffff_fffen,
        }),
        { 8: 3n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[4], 1n);
    assert.equal(s.regs.PMOVSSET_EL0, 0x10n);
  });
  test('the instruction counter overflows at bit 63 into F0 (J1.3.1.104)', () => {
    const s = counted(
      count(
        pe(v3p9, { PMCR_EL0: E, MDCR_EL2: 0x84n, PMCNTENSET_EL0: F0, PMICNTR_EL0: (1n << 64n) - 2n }),
        { 8: 3n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[32], 1n);
    assert.equal(s.regs.PMOVSSET_EL0, F0);
  });
  test('the cycle counter overflows at bit 31 with AArch32 and LC = 0, sets C (J1.1.1.46)', () => {
    const s = counted(
      count(
        pe(n2, { PMCR_EL0: E, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C, PMCCNTR_EL0: 0xffff_ffffn }),
        { 17: 1n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[31], 0x1_0000_0000n);
    assert.equal(s.regs.PMOVSSET_EL0, C);
  });
  test('the cycle counter overflows at bit 63 with LC = 1 (D24.5.8 LC)', () => {
    const s = counted(
      count(
        pe(n2, { PMCR_EL0: E | LC, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C, PMCCNTR_EL0: 0xffff_ffffn }),
        { 17: 1n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[31], 0x1_0000_0000n);
    assert.equal(s.regs.PMOVSSET_EL0, 0n);
  });
  test('without AArch32 LC is RES1: the cycle counter overflows at bit 63 (D24.5.8 LC)', () => {
    const s = counted(
      count(
        pe(v3p5NoAa32, { PMCR_EL0: E, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C, PMCCNTR_EL0: 0xffff_ffffn }),
        { 17: 1n },
        1,
        4,
      ),
    );
    assert.equal(s.cnt[31], 0x1_0000_0000n);
    assert.equal(s.regs.PMOVSSET_EL0, 0n);
  });
});

describe('countEvents(): PMCR_EL0.D', () => {
  // D24.5.8 D: "PMCCNTR_EL0 counts once every 64 clock cycles"; ignored when LC is 1.
  test('D = 1, LC = 0: 200 cycles count 3, the divider keeps 8', () => {
    const s = counted(
      count(pe(n2, { PMCR_EL0: E | D, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C }), { 17: 200n }, 1, 4),
    );
    assert.equal(s.cnt[31], 3n);
    assert.equal(s.ccntPrescaler, 8);
    const t = counted(count(s, { 17: 56n }, 1, 4));
    assert.equal(t.cnt[31], 4n);
    assert.equal(t.ccntPrescaler, 0);
  });
  test('D = 1, LC = 1: every cycle counts', () => {
    const s = counted(
      count(pe(n2, { PMCR_EL0: E | D | LC, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C }), { 17: 200n }, 1, 4),
    );
    assert.equal(s.cnt[31], 200n);
  });
  test('D is RES0 without AArch32', () => {
    const s = counted(
      count(pe(v3p5NoAa32, { PMCR_EL0: E | D, MDCR_EL2: 0x84n, PMCNTENSET_EL0: C }), { 17: 200n }, 1, 4),
    );
    assert.equal(s.cnt[31], 200n);
  });
});

describe('countEvents(): second-range overflow and PMUIRQ', () => {
  // D13.3.1: PMUIRQ for PMEVCNTR<n>, n >= HPMN, needs HDCR.HPME = 1, PMOVSSET<n> and PMINTENSET<n>.
  const regs = {
    PMCR_EL0: E,
    PMCNTENSET_EL0: 0x10n,
    PMEVTYPER4_EL0: INST_RETIRED,
    PMEVCNTR4_EL0: 0xffff_ffffn,
  };
  test('overflow of counter 4 with HPME = 1 and PMINTENSET bit 4 raises PMUIRQ', () => {
    const s = counted(count(pe(n2, { ...regs, MDCR_EL2: 0x84n, PMINTENSET_EL1: 0x10n }), { 8: 1n }, 1, 4));
    assert.equal(s.regs.PMOVSSET_EL0, 0x10n);
    assert.deepEqual(pmuIrq(s, 4), { kind: 'value', value: true });
  });
  test('... without PMINTENSET bit 4 does not', () => {
    const s = counted(count(pe(n2, { ...regs, MDCR_EL2: 0x84n, PMINTENSET_EL1: 0n }), { 8: 1n }, 1, 4));
    assert.equal(s.regs.PMOVSSET_EL0, 0x10n);
    assert.deepEqual(pmuIrq(s, 4), { kind: 'value', value: false });
  });
  const irqRows: [string, bigint, bigint, bigint, boolean][] = [
    // [what, PMCR_EL0, MDCR_EL2, PMOVSSET_EL0 (= PMINTENSET_EL1), PMUIRQ]
    ['second-range flag, HPME = 0', E, 0x04n, 0x10n, false],
    ['second-range flag, HPME = 1, PMCR_EL0.E = 0', 0n, 0x84n, 0x10n, true],
    ['first-range flag, PMCR_EL0.E = 0, HPME = 1', 0n, 0x84n, 0x1n, false],
    ['first-range flag, PMCR_EL0.E = 1', E, 0x04n, 0x1n, true],
    ['cycle counter flag, PMCR_EL0.E = 1', E, 0x04n, C, true],
    ['cycle counter flag, PMCR_EL0.E = 0', 0n, 0x84n, C, false],
    ['flag of an unimplemented counter 7', E, 0x84n, 0x80n, false],
  ];
  for (const [what, pmcr, mdcr, flags, irq] of irqRows) {
    test(`pmuIrq(): ${what} (D13.3.1, J1.3.1.91)`, () => {
      const s = pe(n2, { PMCR_EL0: pmcr, MDCR_EL2: mdcr, PMOVSSET_EL0: flags, PMINTENSET_EL1: flags });
      assert.deepEqual(pmuIrq(s, 4), { kind: 'value', value: irq });
    });
  }
  test('pmuIrq(): FEAT_EBEP with MDCR_EL2.PMEE = 0b11 deasserts PMUIRQ (J1.1.1.39)', () => {
    const ebep = parseInlineCpu({ pmuVer: 'PMUv3p9', n: 6, features: ['FEAT_EBEP'] });
    const on = pe(ebep, { PMCR_EL0: E, MDCR_EL2: 0x84n, PMOVSSET_EL0: 1n, PMINTENSET_EL1: 1n });
    assert.deepEqual(pmuIrq(on, 4), { kind: 'value', value: true });
    const off = pe(ebep, {
      PMCR_EL0: E,
      MDCR_EL2: 0x84n | (0b11n << 40n),
      PMOVSSET_EL0: 1n,
      PMINTENSET_EL1: 1n,
    });
    assert.deepEqual(pmuIrq(off, 4), { kind: 'value', value: false });
  });
  test('pmuIrq(): a reserved MDCR_EL2.PMEE (0b10) is RES_PMEE, resolved only by a choice (J1.1.1.34)', () => {
    const ebep = parseInlineCpu({ pmuVer: 'PMUv3p9', n: 6, features: ['FEAT_EBEP'] });
    const s = pe(ebep, {
      PMCR_EL0: E,
      MDCR_EL2: 0x84n | (0b10n << 40n),
      PMOVSSET_EL0: 1n,
      PMINTENSET_EL1: 1n,
    });
    assert.deepEqual(pmuIrq(s, 4), {
      kind: 'unpredictable',
      rule: 'RES_PMEE',
      allowed: ['disabled', 'pmee-00', 'pmee-01', 'pmee-11'],
    });
    // Constraint_DISABLED: PMUIRQ not asserted. As if 0b00: PMUIRQ asserted (MDCR_EL2.PMEE 0b00).
    assert.deepEqual(pmuIrq(s, 4, { RES_PMEE: 'disabled' }), {
      kind: 'value',
      value: false,
      via: 'RES_PMEE',
    });
    assert.deepEqual(pmuIrq(s, 4, { RES_PMEE: 'pmee-00' }), { kind: 'value', value: true, via: 'RES_PMEE' });
    // Counting keeps the stored reserved value.
    const c = countEvents(s, new Map([[0x08, 1n]]), 1, 4, { RES_PMEE: 'pmee-00' });
    assert.ok(c.kind === 'value');
    assert.equal(c.value.regs.MDCR_EL2, 0x84n | (0b10n << 40n));
  });
});

describe('countEvents(): freeze on overflow', () => {
  // D13.5.2.1: whether events at about the time of the overflow count is CONSTRAINED
  // UNPREDICTABLE; these rows take the ASL's sequential order (rule FREEZE_OVERFLOW).
  const SEQ: Choices = { FREEZE_OVERFLOW: 'sequential' };
  // D13.5.2.1 and J1.3.1.93: with FZO, first-range counters stop once a first-range overflow flag
  // is set. Counters 0, 1 (first range) and 4 (second range) count INST_RETIRED; counter 0 is
  // 10 short of 2^32. At the 10th occurrence counter 0 overflows; counter 1, updated after it in
  // the same cycle (AArch64.PMUCycle() index order), is already frozen, so it counts 9.
  const regs = {
    MDCR_EL2: 0x84n,
    PMCNTENSET_EL0: 0x13n,
    PMEVTYPER0_EL0: INST_RETIRED,
    PMEVTYPER1_EL0: INST_RETIRED,
    PMEVTYPER4_EL0: INST_RETIRED,
    PMEVCNTR0_EL0: 0xffff_fff6n,
    PMEVCNTR4_EL0: 0xffff_fff6n,
  };
  test('FZO stops the first range at the overflow, not the second', () => {
    const s = counted(count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO }), { 8: 100n }, 1, 4, SEQ));
    assert.deepEqual([s.cnt[0], s.cnt[1], s.cnt[4]], [0x1_0000_0000n, 9n, 0xffff_fff6n + 100n]);
    assert.equal(s.regs.PMOVSSET_EL0, 0x11n);
  });
  test('HPMFZO stops the second range at the overflow, not the first', () => {
    const s = counted(
      count(pe(v3p7, { ...regs, PMCR_EL0: E, MDCR_EL2: 0x84n | HPMFZO }), { 8: 100n }, 1, 4, SEQ),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1], s.cnt[4]], [0xffff_fff6n + 100n, 100n, 0x1_0000_0000n]);
  });
  test('without a choice, an overflow that freezes its range answers FREEZE_OVERFLOW and counts nothing', () => {
    const r = count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO }), { 8: 100n }, 1, 4);
    assert.deepEqual(r, {
      kind: 'unpredictable',
      rule: 'FREEZE_OVERFLOW',
      allowed: ['sequential', 'whole-occurrence', 'one-later'],
    });
  });
  test('"whole-occurrence": counter 1 also counts the occurrence that overflows counter 0 (D13.5.2.1 "at the same time")', () => {
    const s = counted(
      count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO }), { 8: 100n }, 1, 4, {
        FREEZE_OVERFLOW: 'whole-occurrence',
      }),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1], s.cnt[4]], [0x1_0000_0000n, 10n, 0xffff_fff6n + 100n]);
  });
  test('"one-later": the first range counts the next occurrence too (D13.5.2.1 "about the same time")', () => {
    const s = counted(
      count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO }), { 8: 100n }, 1, 4, { FREEZE_OVERFLOW: 'one-later' }),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1], s.cnt[4]], [0x1_0000_0001n, 11n, 0xffff_fff6n + 100n]);
  });
  test('no choice when nothing else of the range counts at or after the overflow: the 10th of 10 occurrences', () => {
    // Only counter 0 (first range) and 4 (second range) are enabled; counter 0 overflows on the
    // last occurrence of the step, so no event of the freezing range is "at or about the same time".
    const r = count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO, PMCNTENSET_EL0: 0x11n }), { 8: 10n }, 1, 4);
    const s = counted(r);
    assert.equal(r.kind === 'value' ? r.via : 'x', undefined);
    assert.deepEqual([s.cnt[0], s.cnt[4]], [0x1_0000_0000n, 0xffff_fff6n + 10n]);
  });
  test('an overflow in the other range needs no choice (HPMFZO = 0)', () => {
    const r = count(pe(v3p7, { ...regs, PMCR_EL0: E | FZO, PMEVCNTR0_EL0: 0n }), { 8: 100n }, 1, 4);
    assert.equal(r.kind, 'value');
  });
  test('without FZO nothing stops', () => {
    const s = counted(count(pe(v3p7, { ...regs, PMCR_EL0: E }), { 8: 100n }, 1, 4, SEQ));
    assert.deepEqual([s.cnt[0], s.cnt[1], s.cnt[4]], [0xffff_fff6n + 100n, 100n, 0xffff_fff6n + 100n]);
  });
  test('FZO with DP = 1 stops the cycle counter when a first-range counter of CPU_CYCLES overflows', () => {
    // Counter 0 counts CPU_CYCLES and overflows at the 10th cycle; the cycle counter is updated
    // after the event counters in that cycle (J1.1.1.48), so it counts 9.
    const s = counted(
      count(
        pe(v3p7, {
          ...regs,
          PMCNTENSET_EL0: 1n | C,
          PMEVTYPER0_EL0: CPU_CYCLES,
          PMCR_EL0: E | FZO | DP | LC,
        }),
        { 17: 100n },
        1,
        4,
        SEQ,
      ),
    );
    assert.deepEqual([s.cnt[0], s.cnt[31]], [0x1_0000_0000n, 9n]);
  });
  test('events are applied in ascending number: INST_RETIRED freezes before CPU_CYCLES', () => {
    const s = counted(
      count(
        pe(v3p7, { ...regs, PMCNTENSET_EL0: 0x3n, PMEVTYPER1_EL0: CPU_CYCLES, PMCR_EL0: E | FZO }),
        { 17: 50n, 8: 20n },
        1,
        4,
        SEQ,
      ),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1]], [0x1_0000_0000n, 0n]);
  });
});

describe('countEvents(): CHAIN', () => {
  // J1.1.1.47: an even counter's overflow at bit 31 (lp = 0) sends CHAIN to the odd one above.
  const regs = {
    PMCR_EL0: E,
    PMCNTENSET_EL0: 0xfn,
    PMEVTYPER0_EL0: INST_RETIRED,
    PMEVTYPER1_EL0: CHAIN,
    PMEVTYPER2_EL0: INST_RETIRED,
    PMEVTYPER3_EL0: CHAIN,
  };
  test('counter 1 counts the overflow of counter 0 (same range)', () => {
    const s = counted(
      count(pe(n2, { ...regs, MDCR_EL2: 0x84n, PMEVCNTR0_EL0: 0xffff_ffffn }), { 8: 1n }, 1, 4),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1]], [0x1_0000_0000n, 1n]);
  });
  test('counter 1 counts every 2^32 of counter 0 over a large batch', () => {
    const s = counted(count(pe(n2, { ...regs, MDCR_EL2: 0x84n }), { 8: 5n << 32n }, 1, 4));
    assert.deepEqual([s.cnt[0], s.cnt[1]], [5n << 32n, 5n]);
  });
  test('no CHAIN with PMCR_EL0.LP = 1', () => {
    const s = counted(
      count(
        pe(n2, { ...regs, PMCR_EL0: E | LP, MDCR_EL2: 0x84n, PMEVCNTR0_EL0: 0xffff_ffffn }),
        { 8: 1n },
        1,
        4,
      ),
    );
    assert.deepEqual([s.cnt[0], s.cnt[1]], [0x1_0000_0000n, 0n]);
  });
  test('across the HPMN boundary without a choice: COUNT_CHAIN, nothing changes', () => {
    const start = pe(n2, { ...regs, MDCR_EL2: 0x83n, PMEVCNTR2_EL0: 0xffff_ffffn });
    const r = count(start, { 8: 1n }, 1, 3);
    assert.deepEqual(r, { kind: 'unpredictable', rule: 'COUNT_CHAIN', allowed: ['chain', 'no-chain'] });
  });
  test("across the HPMN boundary with 'chain'", () => {
    const r = count(pe(n2, { ...regs, MDCR_EL2: 0x83n, PMEVCNTR2_EL0: 0xffff_ffffn }), { 8: 1n }, 1, 3, {
      COUNT_CHAIN: 'chain',
    });
    assert.equal(r.kind, 'value');
    if (r.kind !== 'value') return;
    assert.equal(r.via, 'COUNT_CHAIN');
    assert.deepEqual([r.value.cnt[2], r.value.cnt[3]], [0x1_0000_0000n, 1n]);
  });
  test("across the HPMN boundary with 'no-chain'", () => {
    const r = count(pe(n2, { ...regs, MDCR_EL2: 0x83n, PMEVCNTR2_EL0: 0xffff_ffffn }), { 8: 1n }, 1, 3, {
      COUNT_CHAIN: 'no-chain',
    });
    assert.equal(r.kind, 'value');
    if (r.kind !== 'value') return;
    assert.equal(r.via, 'COUNT_CHAIN');
    assert.deepEqual([r.value.cnt[2], r.value.cnt[3]], [0x1_0000_0000n, 0n]);
  });
  test('across the boundary but no overflow: no case met', () => {
    const r = count(pe(n2, { ...regs, MDCR_EL2: 0x83n }), { 8: 5n }, 1, 3);
    assert.deepEqual(r.kind === 'value' ? [r.value.cnt[2], r.via] : r, [5n, undefined]);
  });
  test('SW_INCR and CHAIN given as occurrences count nothing', () => {
    const start = pe(n2, { ...regs, MDCR_EL2: 0x84n, PMEVTYPER0_EL0: SW_INCR });
    assert.deepEqual(counted(count(start, { 0: 5n, 30: 5n }, 1, 4)), start);
  });
});

describe('pmuSwIncrement()', () => {
  // J1.3.1.114: PMSWINC_EL0 bits beyond GetNumEventCountersAccessible() are ignored; at EL1 with
  // EL2 enabled that is HPMN (D24.5.26 PMSWINC_EL0: bits >= HPMN RAZ/WI at EL1).
  const regs = {
    PMCR_EL0: E,
    MDCR_EL2: 0x84n,
    PMCNTENSET_EL0: 0x3fn,
    PMEVTYPER0_EL0: NSH,
    PMEVTYPER1_EL0: NSH,
    PMEVTYPER2_EL0: NSH,
    PMEVTYPER3_EL0: NSH,
    PMEVTYPER4_EL0: NSH,
    PMEVTYPER5_EL0: NSH,
  };
  test('a guest write of all ones increments only counters < HPMN', () => {
    const r = pmuSwIncrement(pe(n2, regs), (1n << 64n) - 1n, 1, 4, {});
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 6), [1n, 1n, 1n, 1n, 0n, 0n]);
  });
  test('at EL2 all counters', () => {
    const r = pmuSwIncrement(pe(n2, regs), (1n << 64n) - 1n, 2, 4, {});
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 6), [1n, 1n, 1n, 1n, 1n, 1n]);
  });
  test('FZO: a SW_INCR that overflows counter 0 freezes counter 1 only in the ASL order (D13.5.2.1)', () => {
    // Counter 0 at 0xffffffff overflows on this write's SW_INCR (32-bit, LP = 0). In the ASL's order
    // (AArch64.PMUCycle(): counter 0 first) counter 1 is then frozen; the other behaviours count the
    // same write's SW_INCR on counter 1 ("at the same time"). PMUv3p7 for FZO (D24.5.8 FZO).
    const s = pe(v3p7, { ...regs, PMCR_EL0: E | FZO, PMEVCNTR0_EL0: 0xffff_ffffn });
    const open = pmuSwIncrement(s, 0b11n, 1, 4, {});
    assert.deepEqual(open, {
      kind: 'unpredictable',
      rule: 'FREEZE_OVERFLOW',
      allowed: ['sequential', 'whole-occurrence', 'one-later'],
    });
    const seq = pmuSwIncrement(s, 0b11n, 1, 4, { FREEZE_OVERFLOW: 'sequential' });
    assert.ok(seq.kind === 'value');
    // With FEAT_PMUv3p5 the counter holds 64 bits and overflows at bit 31 with LP = 0 (D24.5.10, D13.3).
    assert.deepEqual(seq.value.cnt.slice(0, 2), [0x1_0000_0000n, 0n]);
    const whole = pmuSwIncrement(s, 0b11n, 1, 4, { FREEZE_OVERFLOW: 'whole-occurrence' });
    assert.ok(whole.kind === 'value');
    assert.deepEqual(whole.value.cnt.slice(0, 2), [0x1_0000_0000n, 1n]);
    // Only counter 0 incremented: nothing else of the range counts, so no case arises.
    const alone = pmuSwIncrement(s, 0b01n, 1, 4, {});
    assert.ok(alone.kind === 'value' && alone.via === undefined);
    assert.equal(alone.value.regs.PMOVSSET_EL0 & 1n, 1n);
  });
  test('only counters set to count SW_INCR', () => {
    const r = pmuSwIncrement(pe(n2, { ...regs, PMEVTYPER1_EL0: NSH | INST_RETIRED }), 0b11n, 1, 4, {});
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 2), [1n, 0n]);
  });
  test('a disabled counter does not count it', () => {
    const r = pmuSwIncrement(pe(n2, { ...regs, PMCNTENSET_EL0: 0x3en }), 0b11n, 1, 4, {});
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 2), [0n, 1n]);
  });
  // J1.3.1.114: at EL0 with PMUSERENR_EL0.{UEN, SW} = {1, 0} (FEAT_PMUv3p9, D24.5.24 UEN bit [4],
  // SW bit [1]) only the counters PMUACR_EL1 (D24.5.25) allows are incremented.
  test('EL0 with UEN = 1, SW = 0: PMUACR_EL1 selects the counters', () => {
    const r = pmuSwIncrement(
      pe(v3p9, { ...regs, PMUSERENR_EL0: 1n << 4n, PMUACR_EL1: 0b110101n }),
      (1n << 31n) - 1n,
      0,
      4,
      {},
    );
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 6), [1n, 0n, 1n, 0n, 0n, 0n]);
  });
  test('EL0 with UEN = 1, SW = 1: PMUACR_EL1 does not apply', () => {
    const userenr = (1n << 4n) | (1n << 1n);
    const r = pmuSwIncrement(
      pe(v3p9, { ...regs, PMUSERENR_EL0: userenr, PMUACR_EL1: 0b110101n }),
      (1n << 31n) - 1n,
      0,
      4,
      {},
    );
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 6), [1n, 1n, 1n, 1n, 0n, 0n]);
  });
  test('an overflow from SW_INCR chains in the same write', () => {
    const r = pmuSwIncrement(
      pe(n2, { ...regs, PMEVTYPER1_EL0: CHAIN, PMEVCNTR0_EL0: 0xffff_ffffn }),
      0b1n,
      1,
      4,
      {},
    );
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') assert.deepEqual(r.value.cnt.slice(0, 2), [0x1_0000_0000n, 1n]);
  });
});

describe('zeroPMUCounters(), clearEventCounters(), zeroCycleCounter()', () => {
  // D24.5.8 PMCR_EL0.P: at EL1/EL0 with EL2 enabled only counters < HPMN are reset; at EL2 all.
  // J1.3.1.92 ClearEventCounters(), J1.3.1.120 ZeroPMUCounters() through GetPMUWriteMask().
  const values: Record<string, bigint> = { PMCCNTR_EL0: 77n };
  for (let i = 0; i < 6; i++) values[`PMEVCNTR${i}_EL0`] = BigInt(i + 10);
  test('PMCR_EL0.P written at EL1 keeps counters >= HPMN', () => {
    const s = clearEventCounters(pe(n2, { ...values, MDCR_EL2: 0x84n }), 1, 4);
    assert.deepEqual(s.cnt.slice(0, 6), [0n, 0n, 0n, 0n, 14n, 15n]);
    assert.equal(s.cnt[31], 77n);
  });
  test('PMCR_EL0.P written at EL2 clears every event counter', () => {
    const s = clearEventCounters(pe(n2, { ...values, MDCR_EL2: 0x84n }), 2, 4);
    assert.deepEqual(s.cnt.slice(0, 6), [0n, 0n, 0n, 0n, 0n, 0n]);
    assert.equal(s.cnt[31], 77n);
  });
  test('PMCR_EL0.C clears the cycle counter only, and not its overflow flag', () => {
    const s = zeroCycleCounter(pe(n2, { ...values, MDCR_EL2: 0x84n, PMOVSSET_EL0: C }), 1, 4);
    assert.deepEqual(s.cnt.slice(0, 6), [10n, 11n, 12n, 13n, 14n, 15n]);
    assert.equal(s.cnt[31], 0n);
    assert.equal(s.regs.PMOVSSET_EL0, C);
  });
  test('PMZR_EL0 at EL1 ignores bits >= HPMN', () => {
    const s = zeroPMUCounters(pe(n2, { ...values, MDCR_EL2: 0x84n }), 0b110001n, 1, 4);
    assert.deepEqual(s.cnt.slice(0, 6), [0n, 11n, 12n, 13n, 14n, 15n]);
  });
  test('without FEAT_PMUv3p5 counters are 32 bits: bits [31:0] are zeroed, [63:32] cannot be set', () => {
    // J1.3.1.120 ZeroPMUCounters(): PMEVCNTR_EL0[idx]<31:0> = Zeros(32); D24.5.10: [63:32] RES0.
    const s = zeroPMUCounters(pe(a53, { PMEVCNTR0_EL0: 0xffff_fff7n, MDCR_EL2: 0x84n }), 1n, 2, 4);
    assert.equal(s.cnt[0], 0n);
    assert.throws(() => pe(a53, { PMEVCNTR0_EL0: 0x5_0000_0007n }), /event counters are 32 bits/);
  });
});
