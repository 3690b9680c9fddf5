// SPDX-License-Identifier: MIT
// Shared set-up for the KVM model tests: a host, a VM, vCPUs, and the ioctls a VMM makes.
import assert from 'node:assert/strict';
import { lookupRegister } from '../../src/arch/catalogue.js';
import { type CpuDef, lookupCpu, parseCpu } from '../../src/arch/cpus.js';
import { field, fieldMask } from '../../src/arch/fields.js';
import { kvmArmPmuV3SetAttr, kvmArmVcpuInit, kvmRun, type PmuAttr } from '../../src/kvm/api.js';
import { errnoText, type IoctlResult } from '../../src/kvm/errno.js';
import { guestAccess } from '../../src/kvm/guest.js';
import { lookupPolicy, type PolicyInputs } from '../../src/kvm/policy.js';
import {
  type CreateVmOptions,
  KVM_CAP_ARM_PARTITION_PMU,
  kvmCreateVcpu,
  kvmCreateVm,
  kvmVmIoctlEnableCap,
} from '../../src/kvm/vm.js';
import { kernelFamily, makeWorld, type VcpuRef, type World } from '../../src/kvm/world.js';

/** `count` CPUs named `name` (catalogue name or inline JSON). */
export function cpus(name: string, count = 1): CpuDef[] {
  const cpu = name.startsWith('{') ? parseCpu(name) : lookupCpu(name);
  return Array.from({ length: count }, () => cpu);
}

/** A booted host running `policy`. */
export function host(policy: string, cpuList: readonly CpuDef[], reserved = -1): World {
  return makeWorld(lookupPolicy(policy), { cpus: cpuList, reservedHostCounters: reserved });
}

/** Asserts that an ioctl succeeded and returns its world. */
export function must(r: IoctlResult<World>, what = r.why): World {
  assert.ok(r.ret >= 0, `${what}: ${errnoText(r)} ${r.why}`);
  return r.world;
}

/** A VM (enabling the v5 capability when `partition` and the kernel has it) with `count` vCPUs, none initialised. */
export function vmWithVcpus(
  w0: World,
  count: number,
  opts: CreateVmOptions & { readonly partition?: boolean } = {},
): { world: World; vm: number; vcpus: VcpuRef[] } {
  const c = kvmCreateVm(w0, opts);
  let w = c.world;
  if (opts.partition === true && kernelFamily(w) === 'v5')
    w = must(kvmVmIoctlEnableCap(w, c.vm, KVM_CAP_ARM_PARTITION_PMU, true));
  const vcpus: VcpuRef[] = [];
  for (let i = 0; i < count; i++) {
    const r = kvmCreateVcpu(w, c.vm);
    w = r.world;
    vcpus.push(r.vcpu);
  }
  return { world: w, vm: c.vm, vcpus };
}

/** KVM_SET_DEVICE_ATTR that must succeed. */
export function attr(w: World, ref: VcpuRef, a: PmuAttr): World {
  return must(kvmArmPmuV3SetAttr(w, ref, a), `set_attr ${String(a.attr)}`);
}

/**
 * The selftest's create_vpmu_vm() plus test_create_vpmu_vm_with_nr_counters(): VM (partitioned
 * when asked: v5 capability before the vCPU, v6 attribute after the IRQ), one PMU vCPU initialised
 * on CPU `cpu`, IRQ = PPI 23, [SET_PMU], [SET_NR_COUNTERS], INIT. Not run.
 */
export function vpmuVm(
  w0: World,
  opts: {
    readonly partition?: boolean;
    readonly nr?: number;
    readonly setPmu?: number;
    readonly cpu?: number;
  } = {},
): { world: World; ref: VcpuRef } {
  const v = vmWithVcpus(w0, 1, { partition: opts.partition === true });
  const ref = v.vcpus[0]!;
  let w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true, cpu: opts.cpu ?? 0 }));
  w = attr(w, ref, { attr: 'IRQ', irq: 23 });
  if (opts.partition === true && w.policy.kernel.attr5 !== 'none')
    w = attr(w, ref, { attr: 'ENABLE_PARTITION', enable: true });
  if (opts.setPmu !== undefined) w = attr(w, ref, { attr: 'SET_PMU', pmuId: opts.setPmu });
  if (opts.nr !== undefined) w = attr(w, ref, { attr: 'SET_NR_COUNTERS', n: opts.nr });
  w = attr(w, ref, { attr: 'INIT' });
  return { world: w, ref };
}

/** KVM_RUN that must enter the guest on `cpu`. */
export function run(w: World, ref: VcpuRef, cpu = 0): World {
  const r = kvmRun(w, ref, { cpu });
  assert.equal(r.exit, 'GUEST_ENTERED', `KVM_RUN on CPU ${cpu}: ${r.why}`);
  return r.world;
}

/** A guest read that must complete; returns the world and the value. */
export function gread(w: World, ref: VcpuRef, reg: string, el: 0 | 1 = 1): { world: World; value: bigint } {
  const r = guestAccess(w, ref, { el, dir: 'read', reg });
  assert.equal(r.outcome.kind, 'ok', `guest read of ${reg}: ${r.outcome.kind} (${r.why})`);
  return { world: r.world, value: r.outcome.kind === 'ok' ? (r.outcome.value ?? 0n) : 0n };
}

/** A guest write that must complete. */
export function gwrite(w: World, ref: VcpuRef, reg: string, value: bigint, el: 0 | 1 = 1): World {
  const r = guestAccess(w, ref, { el, dir: 'write', reg, value });
  assert.equal(
    r.outcome.kind,
    'ok',
    `guest write of ${reg} = 0x${value.toString(16)}: ${r.outcome.kind} (${r.why})`,
  );
  return r.world;
}

/** PMCR_EL0.N of a value. */
export function pmcrN(v: bigint): number {
  return Number((v >> 11n) & 0x1fn);
}

/** MDCR_EL2.HPMN of a value. */
export function hpmnOf(v: bigint): number {
  return Number(v & 0x1fn);
}

/** The DESIGN.md example inputs: 4 guest counters on a 6-counter CPU whose driver reserved 2 for the host. */
export const DESIGN_INPUTS: PolicyInputs = {
  nrPmuCounters: 4,
  armPmu: true,
  hpmnMax: 4,
  hostCounters: 6,
  partitioned: true,
  useFgt: true,
  hasHpmn0: false,
  pmuVer: 'PMUv3p5',
  onUnsupportedCpu: false,
  guestDebug: false,
  hasFgt: true,
  hasFgt2: false,
  guestOwnsDebug: false,
  guestHasPmu: true,
};

/** A register value from field names: `NAME` sets a one-bit field, `NAME=v` a wider one. */
export function fieldsValue(reg: string, fields: readonly string[]): bigint {
  const def = lookupRegister(reg).def;
  let v = 0n;
  for (const spec of fields) {
    const [name, x] = spec.split('=');
    const f = field(def, name!);
    v |= (BigInt(x ?? 1) << BigInt(f.bits[1])) & fieldMask(f);
  }
  return v;
}
