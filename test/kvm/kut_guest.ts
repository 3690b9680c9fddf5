// SPDX-License-Identifier: MIT
// A kvm-unit-tests guest inside a VM of the KVM model: one vCPU on CPU 0 of a one-CPU host, the
// guest's MRS/MSR through guestAccess() and the events its code generates through guestRun(), with
// the pieces of the KVM run loop that a guest program meets between two instructions:
//  - after a trapped access (an exit to EL2), and whenever the physical PMUIRQ is asserted (the
//    host's PMU interrupt), KVM runs kvm_pmu_sync_hwstate()/kvm_pmu_flush_hwstate() before it
//    re-enters: guestRun() with no events takes the host interrupt (armv8pmu_handle_irq()) and
//    calls kvm_pmu_update_state();
//  - the guest's PMUIRQ handler (arm/pmu.c irq_handler()) runs when the vCPU's PMU interrupt level
//    is high and the guest has unmasked it;
//  - every report() of arm/pmu.c prints a line on the UART, an MMIO exit to the VMM: KVM_RUN
//    returns (kvm_arch_vcpu_put()) and the VMM calls KVM_RUN again (kvm_arch_vcpu_load()), so the
//    guest's PMU context goes through kvm_pmu_put()/kvm_pmu_load() between two checks.
// Every guest access must complete (ok): arm/pmu.c touches only registers of its own counters.
// The host's own perf events (pinned to CPU 0, on counters the guest never owns when partitioned)
// are snapshot before the VM runs and compared after every guest step (invariant I1).
import assert from 'node:assert/strict';
import type { CpuDef } from '../../src/arch/cpus.js';
import { pmuIrq } from '../../src/arch/pmu/count.js';
import { effectiveHPMN } from '../../src/arch/pmu/ranges.js';
import { guestAccess, guestRun, kvmPmuUpdateState } from '../../src/kvm/guest.js';
import { counterName, hwRead, hwWriteAll, typerName } from '../../src/kvm/hw.js';
import { kvmArchVcpuPut } from '../../src/kvm/lifecycle.js';
import { armv8pmuStart, perfEventOpen } from '../../src/kvm/perf.js';
import {
  getHostCpu,
  getVcpu,
  getVm,
  kernelFamily,
  type VcpuRef,
  type World,
  withPe,
} from '../../src/kvm/world.js';
import type { Activity, IrqStats } from '../kut/pmu_c.js';
import { host, must, run, vpmuVm } from './kvm_helpers.js';

const ALL_SET_32 = 0xffff_ffffn;
/** The physical CPU the vCPU runs on. */
const CPU = 0;
/** MDCR_EL2.HPME, bit [7] (D24.3.17): the host's enable of the second range. */
const MDCR_EL2_HPME = 1n << 7n;

/** How the VM is built. */
export interface VmSetup {
  /** The kernel: `mainline`, `v5` or `v6`. */
  readonly policy: string;
  readonly cpu: CpuDef;
  /** `arm_pmuv3.reserved_host_counters` (-1: no partition). */
  readonly reserved: number;
  /** Partition the vCPU (v5: the VM capability; v6: the ENABLE_PARTITION attribute). */
  readonly partition: boolean;
  /** KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS; undefined keeps the default (kvm_arm_set_pmu()). */
  readonly nr?: number;
  /**
   * Host perf events opened on CPU 0 before the VM exists, each with the value its counter is
   * preset to. Their events are ones the guest programs never generate, so their counters must
   * keep these values whatever the guest does.
   */
  readonly hostEvents: readonly { readonly event: number; readonly value: bigint }[];
}

/** The host's counters as EL2 reads them, and their enables. */
export interface HostView {
  readonly counters: Readonly<Record<string, bigint>>;
  /** PMCNTENSET_EL0, PMINTENSET_EL1 and PMOVSSET_EL0 bits of the host's counters. */
  readonly cnten: bigint;
  readonly inten: bigint;
  readonly ovs: bigint;
  /** MDCR_EL2.HPME (the live register: the guest's value while the vCPU is loaded). */
  readonly hpme: bigint;
}

/**
 * The VM and its running vCPU. `w` is replaced after every step; worlds are never mutated.
 */
export class KvmMachine {
  w: World;
  readonly ref: VcpuRef;
  /** The counters of the host's perf events. */
  readonly hostCounters: readonly number[];
  /** The host's view before the VM was created. */
  readonly hostBefore: HostView | undefined;
  /** The guest has installed its PMUIRQ handler and unmasked interrupts. */
  irqEnabled = false;
  readonly irq: IrqStats = { bitmap: 0n, interrupts: new Array<number>(32).fill(0) };
  private inHandler = false;

  constructor(readonly setup: VmSetup) {
    let w = host(setup.policy, [setup.cpu], setup.reserved);
    const counters: number[] = [];
    for (const e of setup.hostEvents) {
      const r = perfEventOpen(w, CPU, e.event);
      w = must(r, `perf event 0x${e.event.toString(16)}`);
      counters.push(r.ret);
      const faults: string[] = [];
      w = withPe(w, CPU, hwWriteAll(getHostCpu(w, CPU).pe, [[counterName(r.ret), e.value]], faults));
      assert.deepEqual(faults, []);
    }
    if (counters.length > 0) w = armv8pmuStart(w, CPU).world;
    this.hostCounters = counters;
    this.hostBefore = counters.length > 0 ? readHostView(w, counters) : undefined;
    const v = vpmuVm(w, {
      partition: setup.partition,
      cpu: CPU,
      ...(setup.nr === undefined ? {} : { nr: setup.nr }),
    });
    this.ref = v.ref;
    this.w = run(v.world, v.ref, CPU);
    this.checkHost('after KVM_RUN');
  }

  /** `kvm->arch.nr_pmu_counters`. */
  nrPmuCounters(): number {
    return getVm(this.w, this.ref.vm).nrPmuCounters;
  }

  /** Whether the vCPU is partitioned (the family is not mainline and partitioning was enabled). */
  partitioned(): boolean {
    return kernelFamily(this.w) !== 'mainline' && getVm(this.w, this.ref.vm).partitionPmuEnabled;
  }

  /** One guest MRS/MSR at EL1; it must complete. Returns the value read (0 for a write). */
  access(dir: 'read' | 'write', reg: string, value = 0n): bigint {
    const r = guestAccess(this.w, this.ref, { dir, reg, value });
    if (r.outcome.kind !== 'ok') {
      assert.fail(`guest ${dir} of ${reg}: expected it to complete, got ${r.outcome.kind} (${r.why})`);
    }
    this.w = r.world;
    this.boundary(r.by === 'kvm');
    return r.outcome.value ?? 0n;
  }

  /** MRS at EL1. */
  mrs(reg: string): bigint {
    return this.access('read', reg);
  }

  /** MSR at EL1. */
  msr(reg: string, value: bigint): void {
    this.access('write', reg, value);
  }

  /**
   * The instruction boundary after an access: after a trap to EL2 (`exited`), or with the
   * physical PMUIRQ asserted (the host's PMU interrupt is taken at EL2), KVM handles it and
   * updates the vCPU's interrupt level before re-entering; then the guest may take its interrupt.
   */
  private boundary(exited: boolean): void {
    if (exited || this.physicalIrq()) {
      const r = guestRun(this.w, this.ref, {});
      if (r.unpredictable !== undefined) assert.fail(`re-entry met ${r.unpredictable.rule}`);
      this.w = r.world;
    }
    this.checkHost('after a guest access');
    this.takeIrq();
  }

  /** Whether the physical PE asserts PMUIRQ now. */
  private physicalIrq(): boolean {
    const pe = getHostCpu(this.w, CPU).pe;
    const h = effectiveHPMN(pe, {});
    if (h.kind !== 'value') assert.fail(`MDCR_EL2.HPMN is reserved: ${h.rule}`);
    const irq = pmuIrq(pe, h.value, {});
    if (irq.kind !== 'value') assert.fail(`PMUIRQ met ${irq.rule}`);
    return irq.value;
  }

  private guestRun(world: World, events: Activity): World {
    const r = guestRun(world, this.ref, events);
    if (r.unpredictable !== undefined) assert.fail(`guestRun met ${r.unpredictable.rule}`);
    return r.world;
  }

  private level(world: World): boolean {
    return getVcpu(world, this.ref).pmu.irqLevel;
  }

  /**
   * The guest's code generates `events` at EL1, event number by event number. With the handler
   * installed, the guest takes its interrupt as soon as KVM raises the vCPU's PMU interrupt level
   * (found by bisection on the number of occurrences); otherwise the events count in one batch.
   */
  run(events: Activity): void {
    if (!this.irqEnabled) {
      this.w = this.guestRun(this.w, events);
      this.checkHost('after guest activity');
      return;
    }
    for (const [e, k] of Object.entries(events)) {
      const event = Number(e);
      let left = k;
      while (left > 0n) {
        const before = this.w;
        if (!this.level(this.guestRun(before, { [event]: left }))) {
          this.w = this.guestRun(before, { [event]: left });
          break;
        }
        let lo = 1n;
        let hi = left;
        while (lo < hi) {
          const mid = (lo + hi) / 2n;
          if (this.level(this.guestRun(before, { [event]: mid }))) hi = mid;
          else lo = mid + 1n;
        }
        this.w = this.guestRun(before, { [event]: lo });
        left -= lo;
        this.takeIrq();
      }
    }
    this.checkHost('after guest activity');
  }

  /**
   * report(): the line goes out through the UART, an MMIO exit to the VMM: KVM_RUN returns
   * (kvm_arch_vcpu_put()), the VMM emulates the write and calls KVM_RUN again
   * (kvm_arch_vcpu_load(), then kvm_pmu_flush_hwstate() → kvm_pmu_update_state() before entry).
   */
  exit(): void {
    this.w = kvmArchVcpuPut(this.w, this.ref).world;
    this.checkHost('with the vCPU put');
    this.w = run(this.w, this.ref, CPU);
    const trace: string[] = [];
    this.w = kvmPmuUpdateState(this.w, this.ref, trace);
    this.checkHost('after KVM_RUN');
    this.takeIrq();
  }

  /**
   * The guest's PMUIRQ handler, taken when the vCPU's PMU interrupt level is high and the guest
   * unmasked it: it reads PMOVSCLR_EL0, counts one interrupt for each flag set, and writes
   * ALL_SET_32 to PMOVSCLR_EL0 (arm/pmu.c irq_handler()). Interrupts are masked while it runs;
   * at its end (EOI) the level must be low, or the guest would take it again forever.
   */
  private takeIrq(): void {
    if (!this.irqEnabled || this.inHandler || !this.level(this.w)) return;
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
    if (this.level(this.w)) {
      assert.fail("the vCPU's PMU interrupt stays high after the guest cleared every flag it can see");
    }
  }

  /** gic_enable_defaults(), install_irq_handler(), local_irq_enable(), gic_enable_irq(23). */
  enableIrq(): void {
    this.irqEnabled = true;
    this.takeIrq();
  }

  /** pmu_reset_stats(). */
  resetIrqStats(): void {
    this.irq.bitmap = 0n;
    this.irq.interrupts.fill(0);
  }

  /** The host's counters now, as EL2 reads them. */
  hostView(): HostView | undefined {
    return this.hostCounters.length > 0 ? readHostView(this.w, this.hostCounters) : undefined;
  }

  /** I1: the host's counters keep their values, filters and enables, and no overflow. */
  checkHost(when: string): void {
    if (this.hostBefore === undefined) return;
    assert.deepEqual(this.hostView(), this.hostBefore, `I1, the host's counters ${when}`);
  }
}

/** The host's counters `idx` of CPU 0, read at EL2. */
function readHostView(w: World, idx: readonly number[]): HostView {
  const pe = getHostCpu(w, CPU).pe;
  const read = (name: string): bigint => {
    const r = hwRead(pe, name);
    if (r.fault !== undefined) assert.fail(r.fault);
    return r.value;
  };
  const counters: Record<string, bigint> = {};
  let bits = 0n;
  for (const i of idx) {
    counters[counterName(i)] = read(counterName(i));
    counters[typerName(i)] = read(typerName(i));
    bits |= 1n << BigInt(i);
  }
  return {
    counters,
    cnten: read('PMCNTENSET_EL0') & bits,
    inten: read('PMINTENSET_EL1') & bits,
    ovs: read('PMOVSSET_EL0') & bits,
    hpme: pe.regs.MDCR_EL2 & MDCR_EL2_HPME,
  };
}
