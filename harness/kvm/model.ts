// SPDX-License-Identifier: MIT
/**
 * The model's answer to a harness scenario: the scenario's commands (harness/kvm/scenarios.ts) run
 * against the KVM model (src/kvm/) on the harness's host (QEMU 7.2 `-cpu max`, one CPU), giving
 * for each line the VMM prints the line the model predicts, in the VMM's words (result `0`,
 * `-ENAME`, `ok`, `esr`; values in hex), so that the comparison is line by line.
 *
 * What the model cannot say is marked: counter values after a counting loop are `approx` (TCG
 * counts are not the Arm ARM's: only zero against non-zero is compared); an access whose outcome
 * the Arm ARM leaves CONSTRAINED UNPREDICTABLE lists the behaviours it allows.
 *
 * @module
 */

import { lookupCpu } from '../../src/arch/cpus.js';
import {
  isOneRegPmu,
  kvmArmPmuV3GetAttr,
  kvmArmPmuV3HasAttr,
  kvmArmPmuV3SetAttr,
  kvmArmVcpuInit,
  kvmGetOneReg,
  kvmRun,
  kvmSetOneReg,
  type PmuAttr,
  type PmuAttrName,
} from '../../src/kvm/api.js';
import type { IoctlResult } from '../../src/kvm/errno.js';
import { guestAccess, guestRun } from '../../src/kvm/guest.js';
import { kvmArchVcpuPut } from '../../src/kvm/lifecycle.js';
import { lookupPolicy } from '../../src/kvm/policy.js';
import { kvmCreateVcpu, kvmCreateVm } from '../../src/kvm/vm.js';
import { kvmGuestPmuVerField, PERFCTR_CPU_CYCLES } from '../../src/kvm/vpmu.js';
import { makeWorld, updateVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import type { Scenario } from './scenarios.js';

/** One predicted line. */
export interface Predicted {
  readonly scenario: string;
  readonly kind: 'ioctl' | 'guest';
  readonly what: string;
  readonly result: string;
  readonly value?: string;
  /** A counter read after a counting loop: compare zero against non-zero only. */
  readonly approx?: boolean;
  /** The Arm ARM allows these results (CONSTRAINED UNPREDICTABLE); the model chose none. */
  readonly unpredictable?: readonly string[];
  /** An ID register field compared instead of the whole value: [lsb, width]. */
  readonly field?: readonly [number, number];
  /** Not modelled: the line is listed, not compared. */
  readonly unmodelled?: string;
}

const PMU_ATTRS: readonly PmuAttrName[] = ['IRQ', 'INIT', 'FILTER', 'SET_PMU', 'SET_NR_COUNTERS'];

/** The host the harness boots: one QEMU 7.2 `-cpu max` CPU (src/arch/cpus.ts `qemu-max`). */
export function harnessWorld(policy = 'mainline:linux-6.1'): World {
  return makeWorld(lookupPolicy(policy), { cpus: [lookupCpu('qemu-max')] });
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function ret(r: IoctlResult<World>): string {
  return r.errno === undefined ? String(r.ret) : `-${r.errno}`;
}

function attrOf(
  args: readonly string[],
  fault: boolean,
  hostPmuType: number,
): PmuAttr | PmuAttrName | number {
  const name = args[0] ?? '';
  const num = (i: number): number => Number(args[i] ?? 0);
  const f = fault ? { fault: true } : {};
  switch (name) {
    case 'IRQ':
      return { attr: 'IRQ', irq: num(1), ...f };
    case 'INIT':
      return { attr: 'INIT' };
    case 'FILTER':
      return { attr: 'FILTER', baseEvent: num(1), nevents: num(2), action: num(3), ...f };
    case 'SET_PMU':
      return { attr: 'SET_PMU', pmuId: args[1] === 'host' ? hostPmuType : num(1), ...f };
    case 'SET_NR_COUNTERS':
      return { attr: 'SET_NR_COUNTERS', n: num(1), ...f };
    default:
      return { attr: Number(name) };
  }
}

/** ID registers whose PMU field the guest reads: [lsb, width] (Arm ARM D24.2.80 ID_AA64DFR0_EL1.PMUVer; ID_DFR0_EL1.PerfMon). */
const ID_FIELDS: Readonly<Record<string, readonly [number, number]>> = {
  ID_AA64DFR0_EL1: [8, 4],
  ID_DFR0_EL1: [24, 4],
};

/** Counter registers whose values under TCG are approximate once the guest has counted. */
function isCounter(reg: string): boolean {
  return /^PMEVCNTR\d+_EL0$|^PMCCNTR_EL0$|^PMXEVCNTR_EL0$/.test(reg);
}

/** The events one iteration of the guest's counting loop (`subs`, `b.ne`) causes, for guestRun(). */
const LOOP_CYCLES_PER_ITERATION = 2;

/** Runs `scenarios` through the model and predicts every line the VMM prints. */
export function predict(scenarios: readonly Scenario[], policy = 'mainline:linux-6.1'): Predicted[] {
  const out: Predicted[] = [];
  for (const s of scenarios) out.push(...predictScenario(s, policy));
  return out;
}

function predictScenario(s: Scenario, policy: string): Predicted[] {
  const out: Predicted[] = [];
  let scenario = s.name;
  let w = harnessWorld(policy);
  const hostPmuType = w.host.pmus[0]!.type;
  let vm = -1;
  let ref: VcpuRef | undefined;
  let refs: VcpuRef[] = [];
  let script: string[][] = [];
  const emit = (
    kind: 'ioctl' | 'guest',
    what: string,
    result: string,
    extra: Partial<Predicted> = {},
  ): void => {
    out.push({ scenario, kind, what, result, ...extra });
  };
  for (const line of s.commands) {
    const [cmd = '', ...args] = line.split(' ');
    const what = line;
    switch (cmd) {
      case 'scenario':
        scenario = args[0] ?? scenario;
        w = harnessWorld(policy);
        script = [];
        refs = [];
        break;
      case 'vm': {
        const c = kvmCreateVm(w, { irqchip: 'userspace' });
        w = c.world;
        vm = c.vm;
        break;
      }
      case 'vgic':
        // KVM_CREATE_DEVICE(vgic-v3): an in-kernel irqchip, not yet initialised.
        w = updateVm(w, vm, (v) => ({ ...v, irqchip: 'vgic-uninitialized' }));
        break;
      case 'vgic-init':
        // KVM_DEV_ARM_VGIC_CTRL_INIT.
        w = updateVm(w, vm, (v) => ({ ...v, irqchip: 'vgic' }));
        emit('ioctl', 'KVM_DEV_ARM_VGIC_CTRL_INIT', '0');
        break;
      case 'vcpu': {
        const c = kvmCreateVcpu(w, vm);
        w = c.world;
        ref = c.vcpu;
        refs.push(c.vcpu);
        break;
      }
      case 'select':
        ref = refs[Number(args[0])] ?? ref;
        break;
      case 'init': {
        const r = kvmArmVcpuInit(w, ref!, { pmuV3: args[0] === 'pmu' });
        w = r.world;
        emit('ioctl', args[0] === 'pmu' ? 'KVM_ARM_VCPU_INIT PMU_V3' : 'KVM_ARM_VCPU_INIT', ret(r));
        break;
      }
      case 'has': {
        const a = args[0] ?? '';
        const name = (PMU_ATTRS as readonly string[]).includes(a) ? (a as PmuAttrName) : Number(a);
        const r = kvmArmPmuV3HasAttr(w, ref!, name);
        emit('ioctl', what, r === 0 ? '0' : '-ENXIO');
        break;
      }
      case 'get': {
        const a = args[0] ?? '';
        const name = (PMU_ATTRS as readonly string[]).includes(a) ? (a as PmuAttrName) : Number(a);
        const r = kvmArmPmuV3GetAttr(w, ref!, name);
        emit('ioctl', what, ret(r), r.value === undefined ? {} : { value: String(r.value) });
        break;
      }
      case 'set':
      case 'set-fault': {
        const a = attrOf(args, cmd === 'set-fault', hostPmuType);
        const r = kvmArmPmuV3SetAttr(w, ref!, typeof a === 'object' ? a : { attr: Number(a) });
        w = r.world;
        emit('ioctl', what, ret(r));
        break;
      }
      case 'getreg': {
        const reg = args[0] ?? '';
        if (reg in ID_FIELDS) {
          emit('ioctl', what, '0', {
            value: String(kvmGuestPmuVerField(w, ref!)),
            field: ID_FIELDS[reg]!,
          });
        } else if (isOneRegPmu(reg)) {
          const r = kvmGetOneReg(w, ref!, reg);
          emit('ioctl', what, ret(r), r.value === undefined ? {} : { value: hex(r.value) });
        } else {
          emit('ioctl', what, '0', {
            unmodelled: `KVM_GET_ONE_REG(${reg}): the model's ONE_REG has PMCR_EL0 and the bitmaps`,
          });
        }
        break;
      }
      case 'setreg': {
        const reg = args[0] ?? '';
        const value = BigInt(args[1] ?? '0');
        if (!isOneRegPmu(reg)) {
          emit('ioctl', what, '0', { unmodelled: `KVM_SET_ONE_REG(${reg}): not a PMU register` });
          break;
        }
        const r = kvmSetOneReg(w, ref!, reg, value);
        w = r.world;
        emit('ioctl', what, ret(r));
        break;
      }
      case 'run': {
        const r = kvmRun(w, ref!);
        if (r.errno !== undefined || r.exit !== 'GUEST_ENTERED') {
          emit('ioctl', 'KVM_RUN', ret(r));
          break;
        }
        w = r.world;
        w = runScript(w, ref!, script, (what, result, extra) => emit('guest', what, result, extra));
        emit('ioctl', 'KVM_RUN', 'done');
        w = kvmArchVcpuPut(w, ref!).world;
        script = [];
        break;
      }
      default:
        if (cmd.startsWith('g-')) script.push([cmd.slice(2), ...args]);
    }
  }
  return out;
}

/** Runs the guest script on the loaded vCPU, predicting one `guest` line per operation. */
function runScript(
  world: World,
  ref: VcpuRef,
  script: readonly string[][],
  emit: (what: string, result: string, extra?: Partial<Predicted>) => void,
): World {
  let w = world;
  let el: 0 | 1 = 1;
  let counted = false;
  script.forEach(([op = '', reg = '', val], i) => {
    const what = `${i} ${op === 'read' ? 'r' : op === 'write' ? 'w' : op}${reg === '' ? '' : ` ${reg}`}${val === undefined ? '' : ` ${val}`}`;
    if (op === 'el0' || op === 'el1' || op === 'isb') {
      if (op !== 'isb') el = op === 'el0' ? 0 : 1;
      emit(what, 'ok');
      return;
    }
    if (op === 'loop') {
      const n = Number(reg);
      const g = guestRun(w, ref, { [PERFCTR_CPU_CYCLES]: n * LOOP_CYCLES_PER_ITERATION }, { el });
      w = g.world;
      counted = true;
      emit(what, 'ok');
      return;
    }
    if (op === 'read' && reg in ID_FIELDS) {
      // An ID register read traps (HCR_EL2.TID3) to read_id_reg(): the PMU field is KVM's.
      emit(what, 'ok', { value: String(kvmGuestPmuVerField(w, ref)), field: ID_FIELDS[reg]! });
      return;
    }
    if (op === 'read' && reg === 'MIDR_EL1') {
      emit(what, 'ok', { unmodelled: 'MIDR_EL1 is not a PMU register' });
      return;
    }
    const acc = guestAccess(w, ref, {
      el,
      dir: op === 'read' ? 'read' : 'write',
      reg,
      ...(val === undefined ? {} : { value: BigInt(val) }),
    });
    const o = acc.outcome;
    switch (o.kind) {
      case 'ok':
        w = acc.world;
        if (op === 'read' && o.value !== undefined) {
          emit(what, 'ok', { value: hex(o.value), ...(counted && isCounter(reg) ? { approx: true } : {}) });
        } else emit(what, 'ok');
        break;
      case 'undefined':
        // An Undefined Instruction exception: ESR_EL1.EC = 0x00, IL = 1 (Arm ARM D24.2.45).
        emit(what, 'esr', { value: '0x2000000' });
        break;
      case 'trap':
        emit(what, 'esr', { value: o.toEl === 1 ? 'EC 0x18' : 'EL3' });
        break;
      case 'unpredictable':
        emit(what, 'unpredictable', { unpredictable: o.allowed.map(String) });
        break;
    }
  });
  return w;
}
