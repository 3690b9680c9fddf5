// SPDX-License-Identifier: MIT
// What the two re-expressions of kvm-unit-tests arm/pmu.c share (github kvm-unit-tests/
// kvm-unit-tests @1da1819e): its constants and its guest-side helpers (pmu_probe(), pmu_reset(),
// the measured loops, chain enable/disable, expect_interrupts()), over any machine that runs the
// guest's MRS/MSR and loops: the bare PE (test/arch/pmu/scenario.ts) or a vCPU of the KVM model
// (test/kvm/kut_guest.ts). The tests themselves, and how they check, stay in each file.
import assert from 'node:assert/strict';

// PMCR_EL0 bits (D24.5.8), as arm/pmu.c names them.
export const PMU_PMCR_E = 1n << 0n;
export const PMU_PMCR_P = 1n << 1n;
export const PMU_PMCR_C = 1n << 2n;
export const PMU_PMCR_LC = 1n << 6n;
export const PMU_PMCR_LP = 1n << 7n;
export const PMU_CYCLE_IDX = 31n;

// Common events (D14.2, D14.3).
export const SW_INCR = 0x00;
export const INST_RETIRED = 0x08;
export const CPU_CYCLES = 0x11;
export const MEM_ACCESS = 0x13;
export const INST_PREC = 0x1b;
export const CHAIN = 0x1e;
export const STALL_FRONTEND = 0x23;
export const STALL_BACKEND = 0x24;

/** PMEVTYPER<n>_EL0.U [30] (D24.5.12): PMEVTYPER_EXCLUDE_EL0 for a guest at EL1 (NSH only at EL2). */
export const PMEVTYPER_EXCLUDE_EL0 = 1n << 30n;

// ID_AA64DFR0_EL1.PMUVer encodings (D24.2.80), as arm/pmu.c names them.
export const ID_DFR0_PMU_V3_8_1 = 0b0100;
export const ID_DFR0_PMU_V3_8_5 = 0b0110;

// arm/pmu.c constants.
export const ALL_SET_32 = 0x0000_0000_ffff_ffffn;
export const ALL_SET_64 = 0xffff_ffff_ffff_ffffn;
export const PRE_OVERFLOW_32 = 0x0000_0000_ffff_fff0n;
export const PRE_OVERFLOW_64 = 0xffff_ffff_ffff_fff0n;
export const COUNT = 250;
export const MARGIN = 100n;
export const COUNT_INT = 1000;
export const PRE_OVERFLOW2_32 = ALL_SET_32 - BigInt(COUNT) - MARGIN;
export const PRE_OVERFLOW2_64 = ALL_SET_64 - BigInt(COUNT) - MARGIN;
export const NR_SAMPLES = 10;

/** Which overflow width a run of a "(x2)" test exercises (run_event_test's overflow_at_64bits). */
export type Overflow = 32 | 64;

export function preOverflow(ovf: Overflow): bigint {
  return ovf === 64 ? PRE_OVERFLOW_64 : PRE_OVERFLOW_32;
}

export function pmcrLp(ovf: Overflow): bigint {
  return ovf === 64 ? PMU_PMCR_LP : 0n;
}

/** Event number -> occurrences. */
export type Activity = Readonly<Record<number, bigint>>;

/** What the guest's PMUIRQ handler saw: per counter, how many interrupts found its flag set. */
export interface IrqStats {
  /** Bits of the counters that interrupted at least once. */
  bitmap: bigint;
  /** Interrupts seen per counter 0..31. */
  readonly interrupts: number[];
}

/** A machine the guest runs on: its MRS/MSR at EL1, its loops, its interrupt statistics. */
export interface PmuMachine {
  mrs(reg: string): bigint;
  msr(reg: string, value: bigint): void;
  run(events: Activity): void;
  readonly irq: IrqStats;
  resetIrqStats(): void;
}

/** struct pmu, as pmu_probe() fills it. */
export interface Pmu {
  readonly version: number;
  readonly nbImplementedCounters: number;
  readonly pmcrRo: bigint;
}

/** arm/pmu.c's guest-side helpers on machine `m`. */
export class PmuGuest<M extends PmuMachine> {
  readonly pmu: Pmu;

  /** `cpi`: cycles per instruction of every loop the guest runs. */
  constructor(
    readonly m: M,
    readonly cpi: bigint,
  ) {
    // pmu_probe(): PMUVer from ID_AA64DFR0_EL1[11:8]; pmcr_ro = PMCR & 0xFFFFFF00; N = PMCR[15:11].
    const version = Number((m.mrs('ID_AA64DFR0_EL1') >> 8n) & 0xfn);
    const pmcr = this.getPmcr();
    this.pmu = { version, pmcrRo: pmcr & 0xffff_ff00n, nbImplementedCounters: Number((pmcr >> 11n) & 0x1fn) };
  }

  /** get_pmcr(): a uint32_t. */
  getPmcr(): bigint {
    return this.m.mrs('PMCR_EL0') & ALL_SET_32;
  }

  /** pmevcntr_mask(): event counters are 64 bits from FEAT_PMUv3p5 (J1.1.1.47), else 32. */
  pmevcntrMask(): bigint {
    return this.pmu.version >= ID_DFR0_PMU_V3_8_5 ? ALL_SET_64 : ALL_SET_32;
  }

  /** pmu_reset(). */
  reset(): void {
    this.m.msr('PMCR_EL0', this.pmu.pmcrRo | PMU_PMCR_LC | PMU_PMCR_C | PMU_PMCR_P);
    this.m.msr('PMCNTENCLR_EL0', ALL_SET_32);
    this.m.msr('PMOVSCLR_EL0', ALL_SET_32);
    this.m.msr('PMINTENCLR_EL1', ALL_SET_32);
    this.m.resetIrqStats();
  }

  /** is_event_supported(n): PMCEID0/1 low halves for events 0..0x3F, high halves for 0x4000.. */
  isEventSupported(n: number): boolean {
    const pmceid0 = this.m.mrs('PMCEID0_EL0');
    const pmceid1 = this.m.mrs('PMCEID1_EL0');
    const reg =
      n <= 0x3f
        ? (pmceid0 & ALL_SET_32) | ((pmceid1 & ALL_SET_32) << 32n)
        : (pmceid0 >> 32n) | ((pmceid1 >> 32n) << 32n);
    return ((reg >> BigInt(n & 0x3f)) & 1n) === 1n;
  }

  /** `instrs` instructions at EL1, taking cpi cycles each. */
  exec(instrs: bigint, extra: Activity = {}): void {
    this.m.run({ [INST_RETIRED]: instrs, [CPU_CYCLES]: instrs * this.cpi, ...extra });
  }

  /**
   * precise_instrs_loop(loop, pmcr): MSR PMCR_EL0 = pmcr, then "Total instrs = isb + msr +
   * 2*loop = 2 + 2*loop" while counting, then MSR PMCR_EL0 = XZR.
   */
  preciseInstrsLoop(loop: number, pmcr: bigint): void {
    this.m.msr('PMCR_EL0', pmcr);
    this.exec(2n + 2n * BigInt(loop));
    this.m.msr('PMCR_EL0', 0n);
  }

  /** measure_instrs(num, pmcr): precise_instrs_loop((num - 2) / 2, pmcr). */
  measureInstrs(num: number, pmcr: bigint): void {
    assert.ok(num >= 4 && (num - 2) % 2 === 0);
    this.preciseInstrsLoop((num - 2) / 2, pmcr);
  }

  /**
   * mem_access_loop(addr, loop, pmcr): MSR PMCR_EL0 = pmcr, then exactly `loop` memory accesses
   * (one LDR per iteration) in isb, dsb, mov, loop x (sub, ldr, cmp, b.gt), dsb, msr = 4*loop + 5
   * instructions, then MSR PMCR_EL0 = XZR.
   */
  memAccessLoop(loop: number, pmcr: bigint): void {
    this.m.msr('PMCR_EL0', pmcr);
    this.exec(4n * BigInt(loop) + 5n, { [MEM_ACCESS]: BigInt(loop) });
    this.m.msr('PMCR_EL0', 0n);
  }

  /** enable_chain_counter(even): the odd (high) counter first, then the even one. */
  enableChainCounter(even: number): void {
    this.m.msr('PMCNTENSET_EL0', 1n << BigInt(even + 1));
    this.m.msr('PMCNTENSET_EL0', 1n << BigInt(even));
  }

  /** disable_chain_counter(even): the even (low) counter first, then the odd one. */
  disableChainCounter(even: number): void {
    this.m.msr('PMCNTENCLR_EL0', 1n << BigInt(even));
    this.m.msr('PMCNTENCLR_EL0', 1n << BigInt(even + 1));
  }

  /** `count` writes of `value` to PMSWINC_EL0. */
  swIncr(count: number, value: bigint): void {
    for (let i = 0; i < count; i++) this.m.msr('PMSWINC_EL0', value);
  }

  /** expect_interrupts(bitmap): exactly one interrupt on each counter of `bitmap`, none else. */
  expectInterrupts(bitmap: bigint): boolean {
    const irq = this.m.irq;
    if (irq.bitmap !== bitmap) return false;
    for (let i = 0; i < 32; i++) {
      const bit = 1n << BigInt(i);
      if ((irq.bitmap & bit) !== 0n) {
        irq.bitmap &= ~bit;
        if (irq.interrupts[i] !== 1) return false;
      }
    }
    return true;
  }

  cnt(n: number): bigint {
    return this.m.mrs(`PMEVCNTR${n}_EL0`);
  }

  setCnt(n: number, value: bigint): void {
    this.m.msr(`PMEVCNTR${n}_EL0`, value);
  }

  setType(n: number, value: bigint | number): void {
    this.m.msr(`PMEVTYPER${n}_EL0`, BigInt(value));
  }

  ovs(): bigint {
    return this.m.mrs('PMOVSCLR_EL0');
  }
}
