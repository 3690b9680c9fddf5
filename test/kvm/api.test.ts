// SPDX-License-Identifier: MIT
// The vPMU uAPI over the model: each KVM_ARM_VCPU_PMU_V3_CTRL attribute's checks in the kernel's
// order with its errno (arch/arm64/kvm/pmu-emul.c kvm_arm_pmu_v3_set_attr(), has_attr(), get_attr();
// Documentation/virt/kvm/devices/vcpu.rst), KVM_ARM_VCPU_INIT and its default PMU, KVM_RUN's
// first-run checks, the partition switches (v5 KVM_CAP_ARM_PARTITION_PMU, v6 ENABLE_PARTITION),
// and the legacy KVM_SET_ONE_REG(PMCR_EL0). Expected values are read off the kernel code as the
// research digest (sections 3.1, 3.13, 4.4, 4.5) quotes it; errno numbers from errno-base.h.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  KVM_PMU_EVENT_ALLOW,
  KVM_PMU_EVENT_DENY,
  kvmArmPmuV3GetAttr,
  kvmArmPmuV3HasAttr,
  kvmArmPmuV3SetAttr,
  kvmArmVcpuInit,
  kvmGetOneRegPmcr,
  kvmRun,
  kvmSetOneRegPmcr,
  type PmuAttr,
} from '../../src/kvm/api.js';
import { ERRNO } from '../../src/kvm/errno.js';
import { kvmArchVcpuPut } from '../../src/kvm/lifecycle.js';
import {
  KVM_CAP_ARM_PARTITION_PMU,
  KVM_CAP_ARM_PMU_V3,
  kvmCreateVcpu,
  kvmVmIoctlCheckExtension,
  kvmVmIoctlEnableCap,
} from '../../src/kvm/vm.js';
import { pmuFilterAllows } from '../../src/kvm/vpmu.js';
import { getVcpu, getVm, type VcpuRef, type World } from '../../src/kvm/world.js';
import { attr, cpus, host, must, pmcrN, run, vmWithVcpus, vpmuVm } from './kvm_helpers.js';

/** A mainline host of 1 Neoverse N2 (N = 6, no FEAT_FGT), PMU type 8. */
const N2 = () => host('mainline', cpus('neoverse-n2'));

/** A VM with one vCPU initialised with PMU_V3 (default PMU), nothing else set. */
function pmuVcpu(w0: World, opts: Parameters<typeof vmWithVcpus>[2] = {}): { world: World; ref: VcpuRef } {
  const v = vmWithVcpus(w0, 1, opts);
  return { world: must(kvmArmVcpuInit(v.world, v.vcpus[0]!, { pmuV3: true })), ref: v.vcpus[0]! };
}

function expectErr(
  r: { ret: number; errno?: string; world: World },
  w: World,
  errno: keyof typeof ERRNO,
  what: string,
): void {
  assert.equal(r.errno, errno, `${what}: errno`);
  assert.equal(r.ret, -ERRNO[errno], `${what}: ret`);
  // A failed ioctl changes nothing: the very same world object comes back.
  assert.equal(r.world, w, `${what}: world unchanged`);
}

describe('errno values', () => {
  test('as include/uapi/asm-generic/errno-base.h numbers them', () => {
    assert.deepEqual(
      {
        EPERM: ERRNO.EPERM,
        ENXIO: ERRNO.ENXIO,
        EBUSY: ERRNO.EBUSY,
        ENODEV: ERRNO.ENODEV,
        EINVAL: ERRNO.EINVAL,
      },
      { EPERM: 1, ENXIO: 6, EBUSY: 16, ENODEV: 19, EINVAL: 22 },
    );
  });
});

describe('kvm_arm_pmu_v3_set_attr(): pre-checks before the attribute switch', () => {
  const every: PmuAttr[] = [
    { attr: 'IRQ', irq: 23 },
    { attr: 'INIT' },
    { attr: 'FILTER', baseEvent: 0, nevents: 1, action: 0 },
    { attr: 'SET_PMU', pmuId: 8 },
    { attr: 'SET_NR_COUNTERS', n: 1 },
    { attr: 99 },
  ];
  test('a vCPU without PMU_V3 answers -ENODEV for every attribute, known or not', () => {
    const v = vmWithVcpus(N2(), 1);
    const ref = v.vcpus[0]!;
    // Not initialised: no features, so !kvm_vcpu_has_pmu().
    for (const a of every)
      expectErr(kvmArmPmuV3SetAttr(v.world, ref, a), v.world, 'ENODEV', `uninitialised, ${String(a.attr)}`);
    const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: false }));
    for (const a of every)
      expectErr(kvmArmPmuV3SetAttr(w, ref, a), w, 'ENODEV', `no PMU_V3, ${String(a.attr)}`);
  });
  test('after PMU_V3_INIT every attribute, an unknown one included, answers -EBUSY (INIT twice too)', () => {
    const { world: w0, ref } = pmuVcpu(N2());
    const w = attr(attr(w0, ref, { attr: 'IRQ', irq: 23 }), ref, { attr: 'INIT' });
    for (const a of every)
      expectErr(kvmArmPmuV3SetAttr(w, ref, a), w, 'EBUSY', `after INIT, ${String(a.attr)}`);
  });
  test('an unknown attribute of a PMU vCPU before INIT answers -ENXIO', () => {
    const { world: w, ref } = pmuVcpu(N2());
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 99 }), w, 'ENXIO', 'attribute 99');
    // ENABLE_PARTITION does not exist before v6.
    expectErr(
      kvmArmPmuV3SetAttr(w, ref, { attr: 'ENABLE_PARTITION', enable: true }),
      w,
      'ENXIO',
      'ENABLE_PARTITION in mainline',
    );
  });
});

describe('PMU_V3_IRQ', () => {
  test('no in-kernel irqchip -> -EINVAL, checked before the IRQ number', () => {
    const { world: w, ref } = pmuVcpu(N2(), { irqchip: 'userspace' });
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'IRQ', irq: 23 }), w, 'EINVAL', 'userspace irqchip');
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'IRQ', irq: 3 }), w, 'EINVAL', 'userspace irqchip, SGI');
  });
  test('neither a PPI (16..31) nor an SPI (32..1019) -> -EINVAL', () => {
    const { world: w, ref } = pmuVcpu(N2());
    for (const irq of [0, 15, 1020, 4096])
      expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'IRQ', irq }), w, 'EINVAL', `irq ${irq}`);
    for (const irq of [16, 31, 32, 1019])
      assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'IRQ', irq }).ret, 0, `irq ${irq}`);
  });
  test('pmu_irq_is_valid(): all vCPUs share one PPI, no two share an SPI; then a second set -> -EBUSY', () => {
    const v = vmWithVcpus(N2(), 2);
    const [a, b] = v.vcpus as [VcpuRef, VcpuRef];
    let w = must(kvmArmVcpuInit(v.world, a, { pmuV3: true }));
    w = must(kvmArmVcpuInit(w, b, { pmuV3: true }));
    const ppi = attr(w, a, { attr: 'IRQ', irq: 23 });
    expectErr(kvmArmPmuV3SetAttr(ppi, b, { attr: 'IRQ', irq: 22 }), ppi, 'EINVAL', 'a different PPI');
    assert.equal(kvmArmPmuV3SetAttr(ppi, b, { attr: 'IRQ', irq: 23 }).ret, 0, 'the same PPI');
    const spi = attr(w, a, { attr: 'IRQ', irq: 40 });
    expectErr(kvmArmPmuV3SetAttr(spi, b, { attr: 'IRQ', irq: 40 }), spi, 'EINVAL', 'the same SPI');
    assert.equal(kvmArmPmuV3SetAttr(spi, b, { attr: 'IRQ', irq: 41 }).ret, 0, 'another SPI');
    // The same PPI again on vCPU a passes pmu_irq_is_valid() and is refused as already set.
    expectErr(kvmArmPmuV3SetAttr(ppi, a, { attr: 'IRQ', irq: 23 }), ppi, 'EBUSY', 'IRQ set twice');
    // An invalid number on a vCPU whose IRQ is set: -EINVAL comes first.
    expectErr(kvmArmPmuV3SetAttr(ppi, a, { attr: 'IRQ', irq: 5 }), ppi, 'EINVAL', 'invalid before busy');
  });
});

describe('PMU_V3_INIT (kvm_arm_pmu_v3_init())', () => {
  test('vGIC not initialised -> -ENODEV, before the IRQ check', () => {
    const { world: w, ref } = pmuVcpu(N2(), { irqchip: 'vgic-uninitialized' });
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'INIT' }), w, 'ENODEV', 'uninitialised vGIC, no IRQ');
  });
  test('in-kernel vGIC without an IRQ -> -ENXIO; with one -> created', () => {
    const { world: w, ref } = pmuVcpu(N2());
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'INIT' }), w, 'ENXIO', 'no IRQ');
    const done = attr(attr(w, ref, { attr: 'IRQ', irq: 23 }), ref, { attr: 'INIT' });
    assert.equal(getVcpu(done, ref).pmu.created, true);
  });
  test('userspace irqchip: no IRQ needed', () => {
    const { world: w, ref } = pmuVcpu(N2(), { irqchip: 'userspace' });
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'INIT' }).ret, 0);
  });
  test('the partitioned series moves the PMU access state UNSET -> VIRTUAL (v5 19/24 kvm_pmu_register_init())', () => {
    const w = host('v5', cpus('qemu-max-8-2'), 2);
    const { world, ref } = vpmuVm(w, { partition: true });
    assert.equal(getVcpu(world, ref).pmu.access, 'VIRTUAL');
  });
});

describe('PMU_V3_FILTER', () => {
  // Every catalogue CPU here is PMUv3p1 or later: __kvm_pmu_event_mask() = 0xffff, 0x10000 events.
  test('range beyond the event space, or an action other than ALLOW/DENY -> -EINVAL, before the has-run check', () => {
    const { world: w, ref } = pmuVcpu(N2());
    const bad = [
      { attr: 'FILTER', baseEvent: 0xffff, nevents: 2, action: 0 },
      { attr: 'FILTER', baseEvent: 0, nevents: 1, action: 2 },
    ] as const;
    for (const a of bad) expectErr(kvmArmPmuV3SetAttr(w, ref, a), w, 'EINVAL', JSON.stringify(a));
    assert.equal(
      kvmArmPmuV3SetAttr(w, ref, { attr: 'FILTER', baseEvent: 0xffff, nevents: 1, action: 0 }).ret,
      0,
    );
    // After the VM has run, on a second vCPU not yet initialised as a vPMU: EINVAL still first, then EBUSY.
    const v = vmWithVcpus(N2(), 2);
    const [a, b] = v.vcpus as [VcpuRef, VcpuRef];
    let x = must(kvmArmVcpuInit(v.world, a, { pmuV3: true }));
    x = must(kvmArmVcpuInit(x, b, { pmuV3: true }));
    x = attr(attr(x, a, { attr: 'IRQ', irq: 23 }), a, { attr: 'INIT' });
    x = run(x, a);
    x = kvmArchVcpuPut(x, a).world;
    expectErr(kvmArmPmuV3SetAttr(x, b, bad[1]), x, 'EINVAL', 'bad action after run');
    expectErr(
      kvmArmPmuV3SetAttr(x, b, { attr: 'FILTER', baseEvent: 0, nevents: 1, action: 0 }),
      x,
      'EBUSY',
      'after run',
    );
  });
  test('the default is the opposite of the first action; later calls set or clear their range', () => {
    const { world: w0, ref } = pmuVcpu(N2());
    const allow = attr(w0, ref, { attr: 'FILTER', baseEvent: 0x11, nevents: 1, action: KVM_PMU_EVENT_ALLOW });
    const f1 = getVm(allow, 0).pmuFilter;
    assert.equal(pmuFilterAllows(f1, 0x11), true);
    assert.equal(pmuFilterAllows(f1, 0x08), false, 'ALLOW first: default deny');
    const deny = attr(allow, ref, {
      attr: 'FILTER',
      baseEvent: 0x10,
      nevents: 4,
      action: KVM_PMU_EVENT_DENY,
    });
    assert.equal(pmuFilterAllows(getVm(deny, 0).pmuFilter, 0x11), false, 'cleared by the later DENY');
    const d = attr(w0, ref, { attr: 'FILTER', baseEvent: 0x08, nevents: 1, action: KVM_PMU_EVENT_DENY });
    assert.equal(pmuFilterAllows(getVm(d, 0).pmuFilter, 0x11), true, 'DENY first: default allow');
    assert.equal(pmuFilterAllows(getVm(d, 0).pmuFilter, 0x08), false);
  });
});

describe('PMU_V3_SET_PMU (kvm_arm_pmu_v3_set_pmu())', () => {
  // 4x Cortex-A710 (N = 20) + 4x Cortex-A510 (N = 6): PMU types 8 (A710, CPUs 0-3) and 9 (A510, CPUs 4-7).
  const bigLittle = () => host('mainline', [...cpus('cortex-a710', 4), ...cpus('cortex-a510', 4)]);
  test('no PMU of that type -> -ENXIO', () => {
    const { world: w, ref } = pmuVcpu(bigLittle());
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_PMU', pmuId: 7 }), w, 'ENXIO', 'type 7');
  });
  test('sets the PMU, nr_pmu_counters = its counters, and narrows supported_cpus to its CPUs', () => {
    const { world: w0, ref } = pmuVcpu(bigLittle());
    // The default PMU (VCPU_INIT on CPU 0) is the A710's, and supported_cpus stays every CPU.
    assert.equal(getVm(w0, 0).armPmu, 0);
    assert.equal(getVm(w0, 0).nrPmuCounters, 20);
    assert.deepEqual(getVm(w0, 0).supportedCpus, [0, 1, 2, 3, 4, 5, 6, 7]);
    const w = attr(w0, ref, { attr: 'SET_PMU', pmuId: 9 });
    assert.equal(getVm(w, 0).armPmu, 1);
    assert.equal(getVm(w, 0).nrPmuCounters, 6);
    assert.deepEqual(getVm(w, 0).supportedCpus, [4, 5, 6, 7]);
  });
  test('a filter and another PMU -> -EBUSY; the same PMU is fine', () => {
    const { world: w0, ref } = pmuVcpu(bigLittle());
    const w = attr(w0, ref, { attr: 'FILTER', baseEvent: 0x11, nevents: 1, action: 0 });
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_PMU', pmuId: 9 }), w, 'EBUSY', 'filter, other PMU');
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_PMU', pmuId: 8 }).ret, 0);
    // An unknown type is -ENXIO even with a filter: the search fails before the busy check.
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_PMU', pmuId: 42 }), w, 'ENXIO', 'unknown with filter');
  });
  test('VCPU_INIT on an A510 CPU picks the A510 PMU as default (kvm_arm_set_default_pmu())', () => {
    const v = vmWithVcpus(bigLittle(), 1);
    const w = must(kvmArmVcpuInit(v.world, v.vcpus[0]!, { pmuV3: true, cpu: 5 }));
    assert.equal(getVm(w, 0).armPmu, 1);
    assert.equal(getVm(w, 0).nrPmuCounters, 6);
  });
});

describe('PMU_V3_SET_NR_COUNTERS (kvm_arm_pmu_v3_set_nr_counters())', () => {
  test('mainline: n > popcount(cntr_mask) = N -> -EINVAL; n = N accepted; unsigned, so -1 is huge', () => {
    const { world: w, ref } = pmuVcpu(N2());
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 7 }), w, 'EINVAL', 'n = 7 > 6');
    expectErr(
      kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: -1 }),
      w,
      'EINVAL',
      'n = (unsigned)-1',
    );
    assert.equal(getVm(attr(w, ref, { attr: 'SET_NR_COUNTERS', n: 6 }), 0).nrPmuCounters, 6);
  });
  test('v5 (as modelled): the partitioned cntr_mask holds only the 2 host counters, so the limit is 2', () => {
    // qemu-max-8-2, N = 6, reserved_host_counters = 2: hpmn_max = 4, cntr_mask = bits 4, 5 (cycle cleared).
    const w0 = host('v5', cpus('qemu-max-8-2'), 2);
    const { world: w, ref } = pmuVcpu(w0);
    assert.equal(getVm(w, 0).nrPmuCounters, 2, 'default = max');
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 3 }), w, 'EINVAL', 'n = 3 > 2');
  });
  test('v6: the limit is max_guest_counters (hpmn_max = 4) when the PMU is partitioned', () => {
    const w0 = host('v6', cpus('qemu-max-8-2'), 2);
    const { world: w, ref } = pmuVcpu(w0);
    assert.equal(getVm(w, 0).nrPmuCounters, 4);
    expectErr(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 5 }), w, 'EINVAL', 'n = 5 > 4');
    assert.equal(kvmArmPmuV3SetAttr(w, ref, { attr: 'SET_NR_COUNTERS', n: 4 }).ret, 0);
  });
  test('after the vCPU ran: -EBUSY (its vPMU is initialised); a vCPU not yet initialised can still set it', () => {
    const v = vmWithVcpus(N2(), 2);
    const [a, b] = v.vcpus as [VcpuRef, VcpuRef];
    let w = must(kvmArmVcpuInit(v.world, a, { pmuV3: true }));
    w = must(kvmArmVcpuInit(w, b, { pmuV3: true }));
    w = attr(attr(w, a, { attr: 'IRQ', irq: 23 }), a, { attr: 'INIT' });
    w = kvmArchVcpuPut(run(w, a), a).world;
    expectErr(kvmArmPmuV3SetAttr(w, a, { attr: 'SET_NR_COUNTERS', n: 2 }), w, 'EBUSY', 'after run');
    // The code checks only that a PMU is set and n <= max: no "has run" check of its own.
    assert.equal(kvmArmPmuV3SetAttr(w, b, { attr: 'SET_NR_COUNTERS', n: 2 }).ret, 0);
  });
});

describe('the partition switches', () => {
  test('v5 KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU): -EBUSY once a vCPU exists, before -EPERM', () => {
    const none = host('v5', cpus('qemu-max-8-2')); // reserved_host_counters = -1: not ready
    const v = vmWithVcpus(none, 1);
    expectErr(
      kvmVmIoctlEnableCap(v.world, v.vm, KVM_CAP_ARM_PARTITION_PMU, true),
      v.world,
      'EBUSY',
      'vCPU exists, not ready',
    );
    const empty = vmWithVcpus(none, 0);
    expectErr(
      kvmVmIoctlEnableCap(empty.world, empty.vm, KVM_CAP_ARM_PARTITION_PMU, true),
      empty.world,
      'EPERM',
      'not ready',
    );
    assert.equal(kvmVmIoctlCheckExtension(none, KVM_CAP_ARM_PARTITION_PMU), 0);
    const ready = host('v5', cpus('qemu-max-8-2'), 2);
    assert.equal(kvmVmIoctlCheckExtension(ready, KVM_CAP_ARM_PARTITION_PMU), 1);
    assert.equal(kvmVmIoctlCheckExtension(ready, KVM_CAP_ARM_PMU_V3), 1);
    const r = vmWithVcpus(ready, 0);
    const on = must(kvmVmIoctlEnableCap(r.world, r.vm, KVM_CAP_ARM_PARTITION_PMU, true));
    assert.equal(getVm(on, r.vm).partitionPmuEnabled, true);
    assert.equal(
      getVm(must(kvmVmIoctlEnableCap(on, r.vm, KVM_CAP_ARM_PARTITION_PMU, false)), r.vm).partitionPmuEnabled,
      false,
    );
  });
  test('the capability does not exist in mainline or v6: -EINVAL', () => {
    for (const p of ['mainline', 'v6']) {
      const v = vmWithVcpus(host(p, cpus('qemu-max-8-2'), 2), 0);
      expectErr(kvmVmIoctlEnableCap(v.world, v.vm, KVM_CAP_ARM_PARTITION_PMU, true), v.world, 'EINVAL', p);
      assert.equal(kvmVmIoctlCheckExtension(v.world, KVM_CAP_ARM_PARTITION_PMU), 0);
    }
  });
  test('v6 ENABLE_PARTITION: -EPERM without a host partition; -EBUSY after INIT; has_attr lists it', () => {
    const { world: none, ref: r1 } = pmuVcpu(host('v6', cpus('qemu-max-8-2')));
    expectErr(
      kvmArmPmuV3SetAttr(none, r1, { attr: 'ENABLE_PARTITION', enable: true }),
      none,
      'EPERM',
      'no partition',
    );
    const { world: w, ref } = pmuVcpu(host('v6', cpus('qemu-max-8-2'), 2));
    assert.equal(
      getVm(attr(w, ref, { attr: 'ENABLE_PARTITION', enable: true }), 0).partitionPmuEnabled,
      true,
    );
    const inited = attr(attr(w, ref, { attr: 'IRQ', irq: 23 }), ref, { attr: 'INIT' });
    expectErr(
      kvmArmPmuV3SetAttr(inited, ref, { attr: 'ENABLE_PARTITION', enable: true }),
      inited,
      'EBUSY',
      'after INIT',
    );
    assert.equal(kvmArmPmuV3HasAttr(w, ref, 'ENABLE_PARTITION'), 0);
    assert.equal(
      kvmArmPmuV3HasAttr(host('v5', cpus('qemu-max-8-2'), 2), ref, 'ENABLE_PARTITION'),
      -ERRNO.ENXIO,
    );
  });
});

describe('has_attr and get_attr', () => {
  test('has_attr: 0 for the five attributes of a PMU vCPU; -ENXIO otherwise', () => {
    const { world: w, ref } = pmuVcpu(N2());
    for (const a of ['IRQ', 'INIT', 'FILTER', 'SET_PMU', 'SET_NR_COUNTERS'] as const)
      assert.equal(kvmArmPmuV3HasAttr(w, ref, a), 0, a);
    assert.equal(kvmArmPmuV3HasAttr(w, ref, 99), -ERRNO.ENXIO);
    const v = vmWithVcpus(N2(), 1);
    assert.equal(kvmArmPmuV3HasAttr(v.world, v.vcpus[0]!, 'IRQ'), -ERRNO.ENXIO, 'no PMU_V3');
  });
  test('get_attr(IRQ): -EINVAL without an in-kernel irqchip, -ENODEV without PMU_V3, -ENXIO before it is set', () => {
    const u = pmuVcpu(N2(), { irqchip: 'userspace' });
    expectErr(kvmArmPmuV3GetAttr(u.world, u.ref, 'IRQ'), u.world, 'EINVAL', 'userspace');
    const v = vmWithVcpus(N2(), 1);
    expectErr(kvmArmPmuV3GetAttr(v.world, v.vcpus[0]!, 'IRQ'), v.world, 'ENODEV', 'no PMU');
    const { world: w, ref } = pmuVcpu(N2());
    expectErr(kvmArmPmuV3GetAttr(w, ref, 'IRQ'), w, 'ENXIO', 'not set');
    expectErr(kvmArmPmuV3GetAttr(w, ref, 'INIT'), w, 'ENXIO', 'INIT is not readable');
    assert.equal(kvmArmPmuV3GetAttr(attr(w, ref, { attr: 'IRQ', irq: 23 }), ref, 'IRQ').value, 23);
  });
});

describe('KVM_ARM_VCPU_INIT and KVM_RUN', () => {
  test('INIT: PMU_V3 features must match the VM and the first init; a re-init resets and keeps N', () => {
    const v = vmWithVcpus(N2(), 2);
    const [a, b] = v.vcpus as [VcpuRef, VcpuRef];
    const w = must(kvmArmVcpuInit(v.world, a, { pmuV3: true }));
    expectErr(kvmArmVcpuInit(w, a, { pmuV3: false }), w, 'EINVAL', 'changed features');
    expectErr(kvmArmVcpuInit(w, b, { pmuV3: false }), w, 'EINVAL', "differs from the VM's");
    const n4 = attr(w, a, { attr: 'SET_NR_COUNTERS', n: 4 });
    assert.equal(pmcrN(kvmGetOneRegPmcr(must(kvmArmVcpuInit(n4, a, { pmuV3: true })), a)), 4);
  });
  test('KVM_RUN: -ENOEXEC before init; -EINVAL (kvm_arm_pmu_v3_enable()) before PMU_V3_INIT; then HAS_RAN_ONCE', () => {
    const v = vmWithVcpus(N2(), 1);
    const ref = v.vcpus[0]!;
    const e1 = kvmRun(v.world, ref);
    expectErr(e1, v.world, 'ENOEXEC', 'not initialised');
    const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true }));
    expectErr(kvmRun(w, ref), w, 'EINVAL', 'vPMU not created');
    const ok = run(attr(attr(w, ref, { attr: 'IRQ', irq: 23 }), ref, { attr: 'INIT' }), ref);
    assert.equal(getVm(ok, 0).hasRanOnce, true);
    // A vCPU without PMU_V3 runs without any vPMU set-up.
    const np = vmWithVcpus(N2(), 1);
    assert.equal(
      kvmRun(must(kvmArmVcpuInit(np.world, np.vcpus[0]!, { pmuV3: false })), np.vcpus[0]!).exit,
      'GUEST_ENTERED',
    );
  });
  test('KVM_RUN: an SPI beyond the vGIC is refused at the first run', () => {
    const { world: w0, ref } = pmuVcpu(N2());
    // 900 is an SPI number the attribute accepts (32..1019), but the model's vGIC has 256 SPIs (32..287).
    const w = attr(attr(w0, ref, { attr: 'IRQ', irq: 900 }), ref, { attr: 'INIT' });
    expectErr(kvmRun(w, ref), w, 'EINVAL', 'SPI 900');
  });
});

describe('KVM_SET_ONE_REG(PMCR_EL0): the legacy way to set N (set_pmcr())', () => {
  test('mainline: N taken when <= max before the VM runs; silently ignored (ret 0) otherwise', () => {
    const { world: w, ref } = pmuVcpu(N2());
    const n4 = kvmSetOneRegPmcr(w, ref, 4n << 11n);
    assert.equal(n4.ret, 0);
    assert.equal(getVm(n4.world, 0).nrPmuCounters, 4);
    const n7 = kvmSetOneRegPmcr(w, ref, 7n << 11n);
    assert.equal(n7.ret, 0);
    assert.equal(getVm(n7.world, 0).nrPmuCounters, 6, 'above max: ignored');
    const ran = kvmArchVcpuPut(
      run(attr(attr(w, ref, { attr: 'IRQ', irq: 23 }), ref, { attr: 'INIT' }), ref),
      ref,
    ).world;
    assert.equal(
      getVm(kvmSetOneRegPmcr(ran, ref, 2n << 11n).world, 0).nrPmuCounters,
      6,
      'after run: ignored',
    );
    // Only bits [7:0] are kept (and N lives in nr_pmu_counters).
    assert.equal(getVcpu(kvmSetOneRegPmcr(w, ref, 0xffff_ffffn).world, ref).regs.pmcr, 0xffn);
  });
  test('no AArch32 EL0 on some CPU: LC is forced (kvm_supports_32bit_el0() false with a Cortex-A510)', () => {
    const w0 = host('mainline', [...cpus('cortex-a710'), ...cpus('cortex-a510')]);
    const { world: w, ref } = pmuVcpu(w0);
    assert.equal(getVcpu(kvmSetOneRegPmcr(w, ref, 0x1n).world, ref).regs.pmcr, 0x41n);
    // reset_pmcr() sets LC as well.
    assert.equal(getVcpu(w, ref).regs.pmcr, 0x40n);
  });
  test('v5 (16/24): the limit is kvm_pmu_hpmn(), not the ioctl maximum', () => {
    // qemu-max-8-2, reserved 2, partitioned, nr = 2 (the default): kvm_pmu_hpmn() = 2 on CPU 0.
    const v = vmWithVcpus(host('v5', cpus('qemu-max-8-2'), 2), 1, { partition: true });
    const ref = v.vcpus[0]!;
    const w = must(kvmArmVcpuInit(v.world, ref, { pmuV3: true }));
    assert.equal(getVm(kvmSetOneRegPmcr(w, ref, 1n << 11n).world, 0).nrPmuCounters, 1);
    assert.equal(getVm(kvmSetOneRegPmcr(w, ref, 3n << 11n).world, 0).nrPmuCounters, 2, '3 > 2: ignored');
  });
});

describe('creating vCPUs counts them', () => {
  test('kvm->created_vcpus goes up with each KVM_CREATE_VCPU', () => {
    const v = vmWithVcpus(N2(), 0);
    const w = kvmCreateVcpu(kvmCreateVcpu(v.world, v.vm).world, v.vm).world;
    assert.equal(getVm(w, v.vm).createdVcpus, 2);
  });
});
