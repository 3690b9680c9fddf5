// SPDX-License-Identifier: MIT
// A PE with a guest at EL1 and a host at EL2, for tests that replay a guest's PMU register
// sequence (MRS/MSR through accessSysreg()) and the events its code generates (countEvents() at
// EL1), with an optional guest interrupt handler on PMUIRQ. Every access must complete: a trap,
// UNDEFINED or CONSTRAINED UNPREDICTABLE answer fails the test, since the guests replayed here
// only touch registers of their own counters.
import assert from 'node:assert/strict';
import { accessSysreg } from '../../../src/arch/access.js';
import { lookupRegister } from '../../../src/arch/catalogue.js';
import type { CpuDef } from '../../../src/arch/cpus.js';
import { countEvents, pmuIrq } from '../../../src/arch/pmu/count.js';
import { effectiveHPMN } from '../../../src/arch/pmu/ranges.js';
import { type El, makePeState, type PeState } from '../../../src/arch/pmu/state.js';
import type { Activity, IrqStats } from '../../kut/pmu_c.js';

const ALL_SET_32 = 0xffff_ffffn;

/**
 * The PE, driven from EL1 (the guest) or EL2 (the host). `pe` is replaced after every step; the
 * states themselves are never mutated.
 */
export class Machine {
  pe: PeState;
  /** The guest has installed its PMUIRQ handler and unmasked interrupts. */
  irqEnabled = false;
  readonly irq: IrqStats = { bitmap: 0n, interrupts: new Array<number>(32).fill(0) };
  private inHandler = false;

  constructor(cpu: CpuDef, regs: Readonly<Record<string, bigint>>) {
    this.pe = makePeState(cpu, regs);
  }

  /** One MRS/MSR at `el`; it must complete. Returns the value read (0 for a write). */
  access(el: El, dir: 'read' | 'write', name: string, value = 0n): bigint {
    const r = accessSysreg(this.pe, { el, dir, reg: lookupRegister(name), value }, {});
    if (r.outcome.kind !== 'ok') {
      assert.fail(`EL${el} ${dir} of ${name}: expected it to complete, got ${r.outcome.kind} (${r.rule})`);
    }
    this.pe = r.state;
    if (dir === 'write') this.takeIrq();
    return r.outcome.value ?? 0n;
  }

  /** MRS at EL1 (the guest). */
  mrs(name: string): bigint {
    return this.access(1, 'read', name);
  }

  /** MSR at EL1 (the guest). */
  msr(name: string, value: bigint): void {
    this.access(1, 'write', name, value);
  }

  /** MRS at EL2 (the host). */
  hostMrs(name: string): bigint {
    return this.access(2, 'read', name);
  }

  /** The Effective HPMN (MDCR_EL2.HPMN must not hold a reserved value). */
  hpmn(): number {
    const h = effectiveHPMN(this.pe, {});
    if (h.kind !== 'value') assert.fail(`MDCR_EL2.HPMN is reserved: ${h.rule}`);
    return h.value;
  }

  /**
   * The guest's code generates `events` at EL1, event number by event number. With the interrupt
   * handler installed, PMUIRQ is checked after every occurrence that sets an overflow flag
   * (CheckForPMUOverflow() runs before every instruction, J1.3.1.90) and the handler taken there;
   * otherwise the events are counted in one batch.
   */
  run(events: Activity): void {
    const entries = Object.entries(events).map(([e, k]) => [Number(e), k] as const);
    if (!this.irqEnabled) {
      this.count(new Map(entries));
      return;
    }
    for (const [event, k] of entries) {
      let left = k;
      while (left > 0n) {
        // Overflow flags are only ever set while counting, so if the whole batch leaves
        // PMOVSSET_EL0 as it was, PMUIRQ stayed as it was (deasserted: takeIrq() ran last).
        // Otherwise find the first occurrence that sets a flag and take the interrupt there.
        const before = this.pe;
        if (this.flagsAfter(before, event, left) === before.regs.PMOVSSET_EL0) {
          this.count(new Map([[event, left]]));
          break;
        }
        let lo = 1n;
        let hi = left;
        while (lo < hi) {
          const mid = (lo + hi) / 2n;
          if (this.flagsAfter(before, event, mid) === before.regs.PMOVSSET_EL0) lo = mid + 1n;
          else hi = mid;
        }
        this.count(new Map([[event, lo]]));
        left -= lo;
        this.takeIrq();
      }
    }
  }

  /** PMOVSSET_EL0 after `k` occurrences of `event` from `from` (the state is not kept). */
  private flagsAfter(from: PeState, event: number, k: bigint): bigint {
    const r = countEvents(from, new Map([[event, k]]), 1, this.hpmn(), {});
    if (r.kind !== 'value') assert.fail(`counting met ${r.rule} (allowed: ${r.allowed.join(', ')})`);
    return r.value.regs.PMOVSSET_EL0;
  }

  /** Whether PMUIRQ is asserted now. */
  pmuIrq(): boolean {
    const r = pmuIrq(this.pe, this.hpmn(), {});
    if (r.kind !== 'value') assert.fail(`PMUIRQ met ${r.rule} (allowed: ${r.allowed.join(', ')})`);
    return r.value;
  }

  private count(events: ReadonlyMap<number, bigint>): void {
    const r = countEvents(this.pe, events, 1, this.hpmn(), {});
    if (r.kind !== 'value') assert.fail(`counting met ${r.rule} (allowed: ${r.allowed.join(', ')})`);
    this.pe = r.value;
  }

  /**
   * The guest's PMUIRQ handler, taken when PMUIRQ is asserted and the guest has unmasked it: it
   * reads PMOVSCLR_EL0, counts one interrupt for each flag set, and writes ALL_SET_32 to
   * PMOVSCLR_EL0 (kvm-unit-tests arm/pmu.c irq_handler()). Interrupts are masked while it runs.
   */
  private takeIrq(): void {
    if (!this.irqEnabled || this.inHandler || !this.pmuIrq()) return;
    this.inHandler = true;
    const overflows = this.mrs('PMOVSCLR_EL0');
    for (let i = 0; i < 32; i++) {
      if (((overflows >> BigInt(i)) & 1n) === 1n) {
        this.irq.interrupts[i] = this.irq.interrupts[i]! + 1;
        this.irq.bitmap |= 1n << BigInt(i);
      }
    }
    this.msr('PMOVSCLR_EL0', ALL_SET_32);
    this.inHandler = false;
    if (this.pmuIrq()) assert.fail('PMUIRQ stays asserted after the guest cleared every flag it can see');
  }

  /** The guest installs its PMUIRQ handler and unmasks the interrupt (GIC PPI 23, PSTATE.I). */
  enableIrq(): void {
    this.irqEnabled = true;
    this.takeIrq();
  }

  /** pmu_reset_stats(). */
  resetIrqStats(): void {
    this.irq.bitmap = 0n;
    this.irq.interrupts.fill(0);
  }
}
