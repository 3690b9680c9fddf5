// SPDX-License-Identifier: MIT
// kvm-unit-tests arm/pmu.c (github kvm-unit-tests/kvm-unit-tests @1da1819e), re-expressed over the
// architecture model. The guest's register sequences run as EL1 MRS/MSR through accessSysreg();
// "the guest runs a loop" becomes countEvents() at EL1 of the exact number of instructions,
// memory accesses and cycles the loop is taken to generate (below). Each test runs twice:
//  - HPMN = N: EL2 does not partition the PMU (MDCR_EL2.HPMN = N = 6, HPME = 0);
//  - N = 6, HPMN = 4, HPME = 1: EL2 keeps counters 4 and 5, configured to count at EL2 only. The
//    guest sees PMCR_EL0.N = 4 and must observe exactly what it observes without the partition
//    for its counters 0..3 and the cycle counter, and must leave the host's counters, filters and
//    enable/interrupt/overflow bits untouched.
// Expected values are the original test's, made exact where it asserts >= or a margin, and worked
// out from the Arm ARM DDI0487 M.a.a text cited on each test, never from running the model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CpuDef, lookupCpu, parseInlineCpu } from '../../../src/arch/cpus.js';
import {
  ALL_SET_32,
  ALL_SET_64,
  CHAIN,
  COUNT,
  COUNT_INT,
  CPU_CYCLES,
  ID_DFR0_PMU_V3_8_1,
  ID_DFR0_PMU_V3_8_5,
  INST_PREC,
  INST_RETIRED,
  MEM_ACCESS,
  NR_SAMPLES,
  type Overflow,
  PMEVTYPER_EXCLUDE_EL0,
  PMU_CYCLE_IDX,
  PMU_PMCR_C,
  PMU_PMCR_E,
  PMU_PMCR_LC,
  PMU_PMCR_P,
  PmuGuest,
  PRE_OVERFLOW_32,
  PRE_OVERFLOW2_32,
  PRE_OVERFLOW2_64,
  pmcrLp,
  preOverflow,
  STALL_BACKEND,
  STALL_FRONTEND,
  SW_INCR,
} from '../../kut/pmu_c.js';
import { Machine } from './scenario.js';

// PMCR_EL0 bits (D24.5.8), as arm/pmu.c names them.

// Common events (D14.2, D14.3).

// PMEVTYPER<n>_EL0 (D24.5.12): U [30] (EL0 filter); P [31], NSH [27] for the host's counters.
const FILTER_P = 1n << 31n;
const FILTER_U = 1n << 30n;
const FILTER_NSH = 1n << 27n;

// ID_AA64DFR0_EL1.PMUVer encodings (D24.2.80), as arm/pmu.c names them.
const PMUVER_V3P8 = 0b1000;

// arm/pmu.c constants.

const MDCR_HPME = 1n << 7n; // MDCR_EL2.HPME, bit [7]; HPMN is bits [4:0] (D24.3.17)

const n1 = lookupCpu('neoverse-n1'); // PMUv3p1: 32-bit event counters, N = 6, AArch32 at EL0
const n2 = lookupCpu('neoverse-n2'); // PMUv3p5: 64-bit event counters, N = 6, AArch32 at EL0
/** PMUv3p8: a written evtCount always reads back (D24.5.12). */
const v3p8 = parseInlineCpu({ pmuVer: 'PMUv3p8', n: 6, features: ['FEAT_EL3', 'FEAT_AA32EL0'] });

/** ID_AA64DFR0_EL1.PMUVer each CPU must show (D24.2.80). */
const PMUVER: ReadonlyMap<CpuDef, number> = new Map([
  [n1, ID_DFR0_PMU_V3_8_1],
  [n2, ID_DFR0_PMU_V3_8_5],
  [v3p8, PMUVER_V3P8],
]);

// ---------------------------------------------------------------------------------------------
// The two layouts
// ---------------------------------------------------------------------------------------------

/** The host's counters 4 and 5 in the partitioned layout: they count at EL2 only (P = U = 1, NSH = 1). */
const HOST_COUNTERS: Readonly<Record<string, bigint>> = {
  PMEVTYPER4_EL0: FILTER_P | FILTER_U | FILTER_NSH | BigInt(INST_RETIRED),
  PMEVTYPER5_EL0: FILTER_P | FILTER_U | FILTER_NSH | BigInt(CPU_CYCLES),
  PMEVCNTR4_EL0: 0xffff_fff8n, // 8 short of a 32-bit overflow: any leak of guest activity shows
  PMEVCNTR5_EL0: 0x1234_5678n,
};
const HOST_BITS = 0x30n; // counters 4 and 5 in PMCNTENSET_EL0 / PMINTENSET_EL1
const PARTITION_MDCR = 4n | MDCR_HPME;

interface Layout {
  readonly name: string;
  /** PMCR_EL0.N as the guest reads it at EL1: the Effective MDCR_EL2.HPMN (D24.5.8 N). */
  readonly guestN: number;
  readonly regs: Readonly<Record<string, bigint>>;
}

function plain(cpu: CpuDef): Layout {
  return { name: `HPMN = N = ${cpu.n}`, guestN: cpu.n, regs: { MDCR_EL2: BigInt(cpu.n) } };
}

const PARTITION: Layout = {
  name: 'N = 6, HPMN = 4, HPME = 1',
  guestN: 4,
  regs: {
    MDCR_EL2: PARTITION_MDCR,
    ...HOST_COUNTERS,
    PMCNTENSET_EL0: HOST_BITS,
    PMINTENSET_EL1: HOST_BITS,
  },
};

/**
 * The host's counters after the guest ran: second-range counters are not reset by an EL1 write
 * of PMCR_EL0.P (D24.5.8 P), their bits in PMCNTEN*, PMINTEN*, PMOVS* and PMSWINC_EL0 are RAZ/WI
 * at EL1 (D24.5.6, .7, .17, .18, .20, .21, .24: "When m >= GetNumEventCountersAccessible()"),
 * and with P = U = 1 they count nothing at EL1 (D24.5.12 P, U; J1.3.1.93 filtering).
 */
function assertHostUntouched(m: Machine): void {
  for (const [name, value] of Object.entries(HOST_COUNTERS)) {
    assert.equal(m.hostMrs(name), value, `host ${name}`);
  }
  assert.equal(m.hostMrs('PMCNTENSET_EL0') & HOST_BITS, HOST_BITS, 'host PMCNTENSET_EL0 bits 4, 5');
  assert.equal(m.hostMrs('PMINTENSET_EL1') & HOST_BITS, HOST_BITS, 'host PMINTENSET_EL1 bits 4, 5');
  assert.equal(m.hostMrs('PMOVSSET_EL0') & HOST_BITS, 0n, 'host PMOVSSET_EL0 bits 4, 5');
  assert.equal(m.hostMrs('MDCR_EL2') & 0xffn, PARTITION_MDCR, 'MDCR_EL2.{HPME, HPMN}');
}

// The guest: arm/pmu.c's helpers (test/kut/pmu_c.ts) on the bare PE.
type Guest = PmuGuest<Machine>;

// ---------------------------------------------------------------------------------------------
// The tests of arm/pmu.c
// ---------------------------------------------------------------------------------------------

/**
 * cycle-counter: check_cycles_increase() and check_cpi(cpi). The cycle counter counts every
 * cycle while PMCR_EL0.E and PMCNTENSET_EL0.C are 1 (D13.5.1.2) and PMCCFILTR_EL0 = 0 does not
 * filter EL1 (D24.5.1 P, NSK); PMCR_EL0.C zeroes it (D24.5.8 C); PMCR_EL0.D = 0 so each cycle
 * counts (J1.1.1.46). The original asserts a < b and, with cpi > 0, cycles == instrs * cpi; the
 * guest here takes `cpi` cycles per instruction, so both are exact.
 */
function cycleCounter(g: Guest): void {
  const { m } = g;
  // check_cycles_increase()
  g.reset();
  m.msr('PMCNTENSET_EL0', 1n << PMU_CYCLE_IDX);
  m.msr('PMCCFILTR_EL0', 0n);
  m.msr('PMCR_EL0', g.getPmcr() | PMU_PMCR_LC | PMU_PMCR_C | PMU_PMCR_E);
  for (let i = 0; i < NR_SAMPLES; i++) {
    const a = m.mrs('PMCCNTR_EL0');
    g.exec(1n); // the second MRS
    const b = m.mrs('PMCCNTR_EL0');
    assert.ok(a < b, 'Monotonically increasing cycle count');
    assert.equal(b, a + g.cpi, 'one instruction later');
    g.exec(3n); // the loop around the samples
  }
  m.msr('PMCR_EL0', g.getPmcr() & ~PMU_PMCR_E);

  // check_cpi(cpi)
  const pmcr = g.getPmcr() | PMU_PMCR_LC | PMU_PMCR_C | PMU_PMCR_E;
  g.reset();
  m.msr('PMCNTENSET_EL0', 1n << PMU_CYCLE_IDX);
  m.msr('PMCCFILTR_EL0', 0n);
  for (let i = 4; i < 300; i += 32) {
    for (let j = 0; j < NR_SAMPLES; j++) {
      m.msr('PMCCNTR_EL0', 0n);
      g.measureInstrs(i, pmcr);
      const cycles = m.mrs('PMCCNTR_EL0');
      assert.notEqual(cycles, 0n, 'cycles not incrementing');
      assert.equal(cycles, BigInt(i) * g.cpi, `Cycle/instruction ratio: ${i} instructions`);
      assert.equal(cycles >> 32n, 0n, 'cycle count bigger than 32bit');
    }
  }
}

/**
 * pmu-event-introspection: test_event_introspection(). D14.6 "Required events": with at least one
 * event counter, SW_INCR (0x00) and CPU_CYCLES (0x11) are implemented, INST_RETIRED (0x08) or
 * INST_SPEC (0x1B), and from FEAT_PMUv3p1 STALL_FRONTEND (0x23) and STALL_BACKEND (0x24);
 * PMCEID0_EL0/PMCEID1_EL0 ID<n> is 1 exactly when common event n is implemented and counted
 * (D24.5.4, D24.5.5). These reads are not trapped, so the guest sees the PE's values.
 */
function eventIntrospection(g: Guest): void {
  assert.ok(g.pmu.nbImplementedCounters >= 1, 'No event counter, skip ...');
  let requiredEvents =
    g.isEventSupported(SW_INCR) &&
    g.isEventSupported(CPU_CYCLES) &&
    (g.isEventSupported(INST_RETIRED) || g.isEventSupported(INST_PREC));
  if (g.pmu.version >= ID_DFR0_PMU_V3_8_1) {
    requiredEvents =
      requiredEvents && g.isEventSupported(STALL_FRONTEND) && g.isEventSupported(STALL_BACKEND);
  }
  assert.ok(requiredEvents, 'Check required events are implemented');
}

/**
 * pmu-event-counter-config: test_event_counter_config(). PMXEVTYPER_EL0/PMXEVCNTR_EL0 access
 * PMEVTYPER<SEL>_EL0/PMEVCNTR<SEL>_EL0 (D24.5.27, D24.5.28). 0xEA lies in the IMPLEMENTATION
 * DEFINED event range; D24.5.12 evtCount: with FEAT_PMUv3p8 an unsupported event number reads back
 * as written, before FEAT_PMUv3p8 it reads back UNKNOWN unless the PE implements event 0xEA, so
 * that check is made with FEAT_PMUv3p8 only. The second half writes the first unsupported common
 * event number i to PMXEVCNTR_EL0 (sic) and reads it back; i depends on the PE's PMCEID values, so
 * every candidate 0..0x3F is tried: a counter holds whatever is written to it (D24.5.10).
 */
function eventCounterConfig(g: Guest): void {
  const { m } = g;
  assert.ok(g.pmu.nbImplementedCounters >= 1, 'No event counter, skip ...');
  g.reset();
  m.msr('PMSELR_EL0', 0n);
  m.msr('PMXEVTYPER_EL0', 0xean);
  m.msr('PMXEVCNTR_EL0', 0xdead_beefn);
  if (g.pmu.version >= PMUVER_V3P8) {
    assert.equal(m.mrs('PMEVTYPER0_EL0') & 0xfffn, 0xean, 'PMESELR/PMXEVTYPER/PMEVTYPERn');
  }
  assert.equal(g.cnt(0), 0xdead_beefn, 'PMESELR/PMXEVCNTR/PMEVCNTRn');
  for (let i = 0n; i <= 0x3fn; i++) {
    m.msr('PMSELR_EL0', 0n);
    m.msr('PMXEVCNTR_EL0', i);
    m.mrs('PMXEVCNTR_EL0');
    assert.equal(m.mrs('PMXEVCNTR_EL0'), i, 'read of a counter programmed with unsupported event');
  }
}

/**
 * pmu-basic-event-count: test_basic_event_count(). PMCR_EL0.P and C read as zero (D24.5.8 P, C:
 * WO/RAZ), LC reads as written with FEAT_AA32 and LP with FEAT_PMUv3p5 (D24.5.8 LC, LP); bits of
 * counters >= PMCR_EL0.N as EL1 reads it are RAZ/WI in PMCNTENSET/CLR, PMINTENSET/CLR (D24.5.6, .7,
 * .17, .18). precise_instrs_loop(20) writes pmcr_ro | E, which clears LP even in the 64-bit run:
 * counter 0 (CPU_CYCLES) then overflows at bit 31 (J1.1.1.47, lp == '0'), and PRE_OVERFLOW_64
 * also wraps [63:0]; counter 1 (INST_RETIRED) counts the loop's 42 instructions.
 */
function basicEventCount(g: Guest, ovf: Overflow): void {
  const { m, pmu } = g;
  const pre = preOverflow(ovf);
  const lp = pmcrLp(ovf);
  const implemented = (1n << BigInt(pmu.nbImplementedCounters)) - 1n;
  const nonImplemented = ~((1n << 31n) | implemented) & ALL_SET_32;
  const counterMask = implemented | nonImplemented;

  g.setType(0, BigInt(CPU_CYCLES) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(INST_RETIRED) | PMEVTYPER_EXCLUDE_EL0);

  m.msr('PMCNTENCLR_EL0', ALL_SET_32);
  assert.equal(m.mrs('PMCNTENCLR_EL0'), 0n, 'pmcntenclr: disable all counters');
  assert.equal(m.mrs('PMCNTENSET_EL0'), 0n, 'pmcntenclr: disable all counters');

  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_LC | PMU_PMCR_C | PMU_PMCR_P | lp);
  assert.equal(g.getPmcr(), pmu.pmcrRo | PMU_PMCR_LC | lp, 'pmcr: reset counters');

  g.setCnt(0, pre);
  assert.equal(g.cnt(0), pre, 'counter #0 preset to pre-overflow value');
  assert.equal(g.cnt(1), 0n, 'counter #1 is 0');

  m.msr('PMCNTENSET_EL0', counterMask);
  assert.equal(m.mrs('PMCNTENSET_EL0'), m.mrs('PMCNTENCLR_EL0'), 'pmcntenset: enabled implemented_counters');
  assert.equal(m.mrs('PMCNTENSET_EL0'), implemented, 'pmcntenset: enabled implemented_counters');

  m.msr('PMCNTENCLR_EL0', ~0x3n & ALL_SET_64); // write_sysreg_s(~0x3, ...): a 64-bit -4
  assert.equal(m.mrs('PMCNTENSET_EL0'), m.mrs('PMCNTENCLR_EL0'), 'pmcntenset: just enabled #0 and #1');
  assert.equal(m.mrs('PMCNTENSET_EL0'), 0x3n, 'pmcntenset: just enabled #0 and #1');

  m.msr('PMOVSCLR_EL0', ALL_SET_32);
  assert.equal(g.ovs(), 0n, 'check overflow reg is 0');

  m.msr('PMINTENCLR_EL1', ALL_SET_32);
  assert.equal(m.mrs('PMINTENCLR_EL1'), 0n, 'pmintenclr_el1=0, all interrupts disabled');

  m.msr('PMINTENSET_EL1', implemented | nonImplemented);
  assert.equal(
    m.mrs('PMINTENSET_EL1'),
    implemented,
    'overflow interrupts enabled on all implemented counters',
  );

  g.preciseInstrsLoop(20, pmu.pmcrRo | PMU_PMCR_E);
  const instrs = 2n + 2n * 20n;
  // report_info() values, exact here.
  assert.equal(g.cnt(0), (pre + instrs * g.cpi) & g.pmevcntrMask(), 'counter #0 (CPU_CYCLES)');
  assert.equal(g.cnt(1), instrs, 'counter #1 (INST_RETIRED)');
  assert.equal(g.ovs(), 0x1n, 'check overflow happened on #0 only');
}

/**
 * pmu-mem-access: test_mem_access(). Two counters of MEM_ACCESS count the same accesses
 * (J1.3.1.112 PMUEvent() feeds every counter of the event); the original's ">= 20" is exactly 20
 * for a loop of exactly 20 accesses. From PRE_OVERFLOW both overflow at bit 31 (LP = 0) or 63
 * (LP = 1) (D24.5.8 LP; J1.1.1.47).
 */
function memAccess(g: Guest, ovf: Overflow): void {
  const { m, pmu } = g;
  const pre = preOverflow(ovf);
  const lp = pmcrLp(ovf);
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.memAccessLoop(20, pmu.pmcrRo | PMU_PMCR_E | lp);
  assert.equal(g.cnt(0), g.cnt(1), 'Ran 20 mem accesses');
  assert.equal(g.cnt(0), 20n, 'Ran 20 mem accesses');
  assert.equal(g.ovs(), 0n, 'Ran 20 mem accesses');

  g.reset();
  g.setCnt(0, pre);
  g.setCnt(1, pre);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.memAccessLoop(20, pmu.pmcrRo | PMU_PMCR_E | lp);
  assert.equal(g.ovs(), 0x3n, 'Ran 20 mem accesses with expected overflows on both counters');
  assert.equal(g.cnt(0), (pre + 20n) & g.pmevcntrMask(), 'cnt#0');
  assert.equal(g.cnt(1), (pre + 20n) & g.pmevcntrMask(), 'cnt#1');
}

/**
 * pmu-mem-access-reliability: test_mem_access_reliability(). 100 runs of a COUNT-access loop from
 * PRE_OVERFLOW2 = ALL_SET - COUNT - MARGIN: the original accepts up to MARGIN extra accesses; the
 * exact count COUNT never reaches the overflow (J1.1.1.47).
 */
function memAccessReliability(g: Guest, ovf: Overflow): void {
  const { m, pmu } = g;
  const pre2 = ovf === 64 ? PRE_OVERFLOW2_64 : PRE_OVERFLOW2_32;
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  for (let i = 0; i < 100; i++) {
    g.reset();
    g.setCnt(0, pre2);
    m.msr('PMCNTENSET_EL0', 0x1n);
    g.memAccessLoop(COUNT, pmu.pmcrRo | PMU_PMCR_E | pmcrLp(ovf));
    const cntrVal = g.cnt(0);
    assert.ok(cntrVal >= pre2, `iter=${i}: mem_access count is reliable (no overflow)`);
    assert.equal(cntrVal - pre2, BigInt(COUNT), `iter=${i}: num_events`);
    assert.equal(g.ovs(), 0n, `iter=${i}: no overflow flag`);
  }
}

/**
 * pmu-sw-incr: test_sw_incr(). A PMSWINC_EL0 write generates SW_INCR (J1.3.1.114) but a counter
 * counts it only while enabled, PMCR_EL0.E included for the first range (D13.5.1.1 Table D13-4;
 * J1.3.1.93). Then 100 increments: counter 0 from PRE_OVERFLOW overflows once, counter 1 from 0
 * reaches 100; event counters keep 64 bits from FEAT_PMUv3p5 (pmevcntr_mask(); J1.1.1.47).
 */
function swIncr(g: Guest, ovf: Overflow): void {
  const { m, pmu } = g;
  const pre = preOverflow(ovf);
  const cntr0 = (pre + 100n) & g.pmevcntrMask();
  g.reset();
  g.setType(0, BigInt(SW_INCR) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(SW_INCR) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.setCnt(0, pre);
  g.swIncr(100, 0x1n);
  assert.equal(g.cnt(0), pre, 'PWSYNC does not increment if PMCR.E is unset');

  g.reset();
  g.setCnt(0, pre);
  m.msr('PMCNTENSET_EL0', 0x3n);
  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_E | pmcrLp(ovf));
  g.swIncr(100, 0x3n);
  assert.equal(g.cnt(0), cntr0, 'counter #0 after + 100 SW_INCR');
  assert.equal(g.cnt(1), 100n, 'counter #1 after + 100 SW_INCR');
  assert.equal(g.ovs(), 0x1n, 'overflow on counter #0 after 100 SW_INCR');
}

/**
 * pmu-chained-counters: test_chained_counters(). With LP = 0, an overflow of even counter 0 at
 * bit 31 is a CHAIN event for counter 1 (J1.1.1.47 "Check for the CHAIN event from an even
 * counter"; D14 CHAIN 0x1E), which sets counter 1's own flag when it overflows at bit 31 (from
 * all-ones, 32 or 64 bits wide). The loop of 22 is 46 instructions, 46 cycles at CPI 1: 16 of them
 * take counter 0 from PRE_OVERFLOW_32 past 2^32.
 */
function chainedCounters(g: Guest): void {
  const { pmu } = g;
  const allSet = g.pmevcntrMask();
  g.reset();
  g.setType(0, BigInt(CPU_CYCLES) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  g.setCnt(0, PRE_OVERFLOW_32);
  g.enableChainCounter(0);
  g.preciseInstrsLoop(22, pmu.pmcrRo | PMU_PMCR_E);
  assert.equal(g.cnt(1), 1n, 'CHAIN counter #1 incremented');
  assert.equal(g.ovs(), 0x1n, 'overflow recorded for chained incr #1');

  g.reset();
  g.setCnt(0, PRE_OVERFLOW_32);
  g.setCnt(1, 0x1n);
  g.enableChainCounter(0);
  g.preciseInstrsLoop(22, pmu.pmcrRo | PMU_PMCR_E);
  assert.equal(g.cnt(1), 2n, 'CHAIN counter #1 set to 2');
  assert.equal(g.ovs(), 0x1n, 'overflow recorded for chained incr #2');

  g.setCnt(0, PRE_OVERFLOW_32);
  g.setCnt(1, allSet);
  g.preciseInstrsLoop(22, pmu.pmcrRo | PMU_PMCR_E);
  assert.equal(g.cnt(1), 0n, 'CHAIN counter #1 wrapped');
  assert.equal(g.ovs(), 0x3n, 'overflow on even and odd counters');
}

/**
 * pmu-chained-sw-incr: test_chained_sw_incr(). As pmu-chained-counters with SW_INCR on counter 0:
 * the increment that overflows counter 0 at bit 31 sends CHAIN to counter 1 (J1.3.1.114,
 * J1.1.1.47). From ALL_SET_32, counter 1 overflows at bit 31 too.
 */
function chainedSwIncr(g: Guest): void {
  const { m, pmu } = g;
  const cntr0 = (PRE_OVERFLOW_32 + 100n) & g.pmevcntrMask();
  const cntr1 = (ALL_SET_32 + 1n) & g.pmevcntrMask();
  g.reset();
  g.setType(0, BigInt(SW_INCR) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  g.enableChainCounter(0);
  g.setCnt(0, PRE_OVERFLOW_32);
  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_E);
  g.swIncr(100, 0x1n);
  assert.equal(g.ovs(), 0x1n, 'overflow and chain counter incremented after 100 SW_INCR/CHAIN');
  assert.equal(g.cnt(1), 1n, 'overflow and chain counter incremented after 100 SW_INCR/CHAIN');

  g.reset();
  g.setCnt(0, PRE_OVERFLOW_32);
  g.setCnt(1, ALL_SET_32);
  g.enableChainCounter(0);
  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_E);
  g.swIncr(100, 0x1n);
  assert.equal(g.ovs(), 0x3n, 'expected overflows and values after 100 SW_INCR/CHAIN');
  assert.equal(g.cnt(0), cntr0, 'expected overflows and values after 100 SW_INCR/CHAIN');
  assert.equal(g.cnt(1), cntr1, 'expected overflows and values after 100 SW_INCR/CHAIN');
}

/**
 * pmu-chain-promotion: test_chain_promotion(), subtests 1-6. A counter counts only when enabled
 * (D13.5.1.1); the CHAIN event reaches counter 1 only while counter 1 is enabled and set to count
 * CHAIN (J1.1.1.47 PMUEvent(PMU_EVENT_CHAIN, 1, idx + 1); J1.1.1.48 counting through
 * CountPMUEvents()). Each loop is COUNT = 250 accesses; PRE_OVERFLOW2_32 + 250 stays below 2^32
 * and a second loop crosses it.
 */
function chainPromotion(g: Guest): void {
  const { m, pmu } = g;
  const pmcr = pmu.pmcrRo | PMU_PMCR_E;

  // subtest1: only the CHAIN counter enabled.
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x2n);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.cnt(0), 0n, 'subtest1: chain counter not counting if even counter is disabled');

  // subtest2: only the even counter enabled.
  g.reset();
  g.setCnt(0, PRE_OVERFLOW_32);
  m.msr('PMCNTENSET_EL0', 0x1n);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.cnt(1), 0n, 'subtest2: odd counter did not increment on overflow if disabled');
  assert.equal(g.ovs(), 0x1n, 'subtest2: odd counter did not increment on overflow if disabled');

  // subtest3: first COUNT chained, next COUNT with CHAIN disabled.
  g.reset();
  g.setCnt(0, PRE_OVERFLOW2_32);
  g.enableChainCounter(0);
  g.memAccessLoop(COUNT, pmcr);
  g.disableChainCounter(0);
  m.msr('PMCNTENSET_EL0', 0x1n);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.ovs(), 0x1n, 'subtest3: should have triggered an overflow on #0');
  assert.equal(g.cnt(1), 0n, "subtest3: CHAIN counter #1 shouldn't have incremented");

  // subtest4: first COUNT with CHAIN disabled, next COUNT chained.
  g.reset();
  m.msr('PMCNTENSET_EL0', 0x1n);
  g.setCnt(0, PRE_OVERFLOW2_32);
  g.memAccessLoop(COUNT, pmcr);
  m.msr('PMCNTENCLR_EL0', 0x1n);
  g.enableChainCounter(0);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.cnt(1), 1n, 'subtest4: CHAIN counter enabled: CHAIN counter was incremented and overflow');
  assert.equal(g.ovs(), 0x1n, 'subtest4: CHAIN counter enabled: CHAIN counter was incremented and overflow');

  // subtest5: MEM_ACCESS/CPU_CYCLES, then counter 1 becomes CHAIN.
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(CPU_CYCLES) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.setCnt(0, PRE_OVERFLOW2_32);
  g.memAccessLoop(COUNT, pmcr);
  m.msr('PMCNTENCLR_EL0', 0x3n);
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  g.setCnt(1, 0x0n);
  g.enableChainCounter(0);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.cnt(1), 1n, 'subtest5: 32b->64b: CHAIN counter incremented and overflow');
  assert.equal(g.ovs(), 0x1n, 'subtest5: 32b->64b: CHAIN counter incremented and overflow');

  // subtest6: CHAIN/MEM_ACCESS, then counter 1 becomes CPU_CYCLES.
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  g.setCnt(0, PRE_OVERFLOW2_32);
  g.enableChainCounter(0);
  g.memAccessLoop(COUNT, pmcr);
  g.disableChainCounter(0);
  g.setType(1, BigInt(CPU_CYCLES) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.memAccessLoop(COUNT, pmcr);
  assert.equal(g.ovs(), 0x1n, 'subtest6: overflow is expected on counter 0');
}

/**
 * pmu-overflow-interrupt: test_overflow_interrupt(). PMUIRQ is asserted while, for some counter,
 * its global enable (PMCR_EL0.E for the first range), PMOVSSET and PMINTENSET bits are all 1
 * (D13.3.1; J1.3.1.90, J1.3.1.91): with PMINTENSET_EL1 = 0 no interrupt, with it set one
 * interrupt per overflow, which the handler acknowledges by clearing PMOVSCLR_EL0. CHAIN only
 * with LP = 0 (J1.1.1.47): in the 64-bit run the odd counter keeps its all-ones value.
 */
function overflowInterrupt(g: Guest, ovf: Overflow): void {
  const { m, pmu } = g;
  const pre = preOverflow(ovf);
  const allSet = g.pmevcntrMask();
  const lp = pmcrLp(ovf);

  m.enableIrq(); // gic_enable_defaults(), install_irq_handler(), local_irq_enable(), gic_enable_irq(23)
  g.reset();
  g.setType(0, BigInt(MEM_ACCESS) | PMEVTYPER_EXCLUDE_EL0);
  g.setType(1, BigInt(SW_INCR) | PMEVTYPER_EXCLUDE_EL0);
  m.msr('PMCNTENSET_EL0', 0x3n);
  g.setCnt(0, pre);
  g.setCnt(1, pre);

  // interrupts are disabled (PMINTENSET_EL1 == 0)
  g.memAccessLoop(COUNT_INT, pmu.pmcrRo | PMU_PMCR_E | lp);
  assert.ok(g.expectInterrupts(0n), 'no overflow interrupt after preset');
  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_E | lp);
  g.swIncr(100, 0x2n);
  m.msr('PMCR_EL0', pmu.pmcrRo);
  assert.ok(g.expectInterrupts(0n), 'no overflow interrupt after counting');

  // enable interrupts (PMINTENSET_EL1 <= ALL_SET_32)
  m.resetIrqStats();
  g.setCnt(0, pre);
  g.setCnt(1, pre);
  m.msr('PMOVSCLR_EL0', ALL_SET_32);
  m.msr('PMINTENSET_EL1', ALL_SET_32);
  g.memAccessLoop(COUNT_INT, pmu.pmcrRo | PMU_PMCR_E | lp);
  m.msr('PMCR_EL0', pmu.pmcrRo | PMU_PMCR_E | lp);
  g.swIncr(100, 0x3n);
  g.memAccessLoop(COUNT_INT, pmu.pmcrRo);
  assert.ok(g.expectInterrupts(0x3n), 'overflow interrupts expected on #0 and #1');

  // promote to 64-b
  m.resetIrqStats();
  g.setType(1, BigInt(CHAIN) | PMEVTYPER_EXCLUDE_EL0);
  g.setCnt(0, pre);
  g.memAccessLoop(COUNT_INT, pmu.pmcrRo | PMU_PMCR_E | lp);
  assert.ok(g.expectInterrupts(0x1n), 'expect overflow interrupt');

  // overflow on odd counter
  m.resetIrqStats();
  g.setCnt(0, pre);
  g.setCnt(1, allSet);
  g.memAccessLoop(COUNT_INT, pmu.pmcrRo | PMU_PMCR_E | lp);
  if (ovf === 64) {
    assert.ok(g.expectInterrupts(0x1n), 'expect overflow interrupt on even counter');
    assert.equal(g.cnt(1), allSet, 'Odd counter did not change');
  } else {
    assert.ok(g.expectInterrupts(0x3n), 'expect overflow interrupt on even and odd counter');
    assert.notEqual(g.cnt(1), allSet, 'Odd counter wrapped');
    assert.equal(g.cnt(1), 0n, 'Odd counter wrapped to 0');
  }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface Row {
  /** The kvm-unit-tests test (unittests.cfg test_args) and run_event_test's prefix, if any. */
  readonly name: string;
  readonly cpus: readonly CpuDef[];
  /** Cycles per instruction of the guest's loops. */
  readonly cpi: bigint;
  readonly play: (g: Guest) => void;
  readonly todo?: string;
}

const BOTH: readonly CpuDef[] = [n1, n2];
const V3P5: readonly CpuDef[] = [n2];

const ROWS: readonly Row[] = [
  { name: 'cycle-counter (cpi 1)', cpus: BOTH, cpi: 1n, play: cycleCounter },
  { name: 'cycle-counter (cpi 3)', cpus: BOTH, cpi: 3n, play: cycleCounter },
  { name: 'pmu-event-introspection', cpus: BOTH, cpi: 1n, play: eventIntrospection },
  { name: 'pmu-event-counter-config', cpus: [n1, n2, v3p8], cpi: 1n, play: eventCounterConfig },
  {
    name: 'pmu-basic-event-count: 32-bit overflows',
    cpus: BOTH,
    cpi: 1n,
    play: (g) => basicEventCount(g, 32),
  },
  {
    name: 'pmu-basic-event-count: 64-bit overflows',
    cpus: V3P5,
    cpi: 1n,
    play: (g) => basicEventCount(g, 64),
  },
  { name: 'pmu-mem-access: 32-bit overflows', cpus: BOTH, cpi: 1n, play: (g) => memAccess(g, 32) },
  { name: 'pmu-mem-access: 64-bit overflows', cpus: V3P5, cpi: 1n, play: (g) => memAccess(g, 64) },
  {
    name: 'pmu-mem-access-reliability: 32-bit overflows',
    cpus: BOTH,
    cpi: 1n,
    play: (g) => memAccessReliability(g, 32),
  },
  {
    name: 'pmu-mem-access-reliability: 64-bit overflows',
    cpus: V3P5,
    cpi: 1n,
    play: (g) => memAccessReliability(g, 64),
  },
  { name: 'pmu-sw-incr: 32-bit overflows', cpus: BOTH, cpi: 1n, play: (g) => swIncr(g, 32) },
  { name: 'pmu-sw-incr: 64-bit overflows', cpus: V3P5, cpi: 1n, play: (g) => swIncr(g, 64) },
  { name: 'pmu-chained-counters: 32-bit overflows', cpus: BOTH, cpi: 1n, play: chainedCounters },
  { name: 'pmu-chained-sw-incr: 32-bit overflows', cpus: BOTH, cpi: 1n, play: chainedSwIncr },
  { name: 'pmu-chain-promotion: 32-bit overflows', cpus: BOTH, cpi: 1n, play: chainPromotion },
  {
    name: 'pmu-overflow-interrupt: 32-bit overflows',
    cpus: BOTH,
    cpi: 1n,
    play: (g) => overflowInterrupt(g, 32),
  },
  {
    name: 'pmu-overflow-interrupt: 64-bit overflows',
    cpus: V3P5,
    cpi: 1n,
    play: (g) => overflowInterrupt(g, 64),
  },
];

/** What the guest sees of its counters 0..3 and the cycle counter, and its interrupt count. */
function guestView(m: Machine): Record<string, bigint> {
  const view: Record<string, bigint> = {};
  for (let i = 0; i < 4; i++) {
    view[`PMEVCNTR${i}_EL0`] = m.mrs(`PMEVCNTR${i}_EL0`);
    view[`PMEVTYPER${i}_EL0`] = m.mrs(`PMEVTYPER${i}_EL0`);
  }
  for (const name of ['PMCCNTR_EL0', 'PMCCFILTR_EL0', 'PMSELR_EL0']) view[name] = m.mrs(name);
  const own = 0xfn | (1n << PMU_CYCLE_IDX);
  for (const name of ['PMCNTENSET_EL0', 'PMINTENSET_EL1', 'PMOVSSET_EL0']) view[name] = m.mrs(name) & own;
  view['PMCR_EL0[7:0]'] = m.mrs('PMCR_EL0') & 0xffn;
  m.irq.interrupts.forEach((k, i) => {
    if (k !== 0) view[`interrupts[${i}]`] = BigInt(k);
  });
  return view;
}

/** Builds the machine for `layout`, probes as pmu_probe() does, and plays `row` on it. */
function play(row: Row, cpu: CpuDef, layout: Layout): Machine {
  const m = new Machine(cpu, layout.regs);
  const g = new PmuGuest(m, row.cpi);
  assert.equal(g.pmu.version, PMUVER.get(cpu), 'pmu_probe(): ID_AA64DFR0_EL1.PMUVer');
  assert.equal(g.pmu.nbImplementedCounters, layout.guestN, 'pmu_probe(): PMCR_EL0.N at EL1 is HPMN');
  row.play(g);
  return m;
}

describe('kvm-unit-tests arm/pmu.c', () => {
  describe('pmu_probe()', () => {
    // D24.2.80 PMUVer; D24.5.8 N: "reads of this field from EL1 and EL0 return the Effective
    // value of MDCR_EL2.HPMN"; IMP/IDCODE are the CPU's (IMPLEMENTATION DEFINED, from its TRM).
    const rows: [CpuDef, Layout, number, bigint][] = [
      [n1, plain(n1), ID_DFR0_PMU_V3_8_1, 0x410c_0000n | (6n << 11n)],
      [n1, PARTITION, ID_DFR0_PMU_V3_8_1, 0x410c_0000n | (4n << 11n)],
      [n2, plain(n2), ID_DFR0_PMU_V3_8_5, 6n << 11n],
      [n2, PARTITION, ID_DFR0_PMU_V3_8_5, 4n << 11n],
    ];
    for (const [cpu, layout, version, pmcrRo] of rows) {
      test(`${cpu.name}, ${layout.name}`, () => {
        const g = new PmuGuest(new Machine(cpu, layout.regs), 1n);
        assert.deepEqual(g.pmu, { version, pmcrRo, nbImplementedCounters: layout.guestN });
      });
    }
    test('check_overflow_prerequisites(): no 64-bit overflows before FEAT_PMUv3p5 (neoverse-n1)', () => {
      const g = new PmuGuest(new Machine(n1, plain(n1).regs), 1n);
      assert.ok(g.pmu.version < ID_DFR0_PMU_V3_8_5);
    });
  });

  for (const row of ROWS) {
    describe(row.name, () => {
      for (const cpu of row.cpus) {
        const opts = row.todo === undefined ? {} : { todo: row.todo };
        test(`${cpu.name}, ${plain(cpu).name}`, opts, () => {
          play(row, cpu, plain(cpu));
        });
        test(`${cpu.name}, ${PARTITION.name}: same guest view, host counters 4, 5 untouched`, opts, () => {
          const partitioned = play(row, cpu, PARTITION);
          assertHostUntouched(partitioned);
          assert.deepEqual(guestView(partitioned), guestView(play(row, cpu, plain(cpu))));
        });
      }
    });
  }
});
