// SPDX-License-Identifier: MIT
/**
 * VM-scoped ioctls: KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_CHECK_EXTENSION and KVM_ENABLE_CAP for
 * the partitioned PMU's VM capability (v5 22/24 KVM_CAP_ARM_PARTITION_PMU). A failed call
 * returns the world it was given.
 *
 * @module
 */

import { fail, type IoctlResult, succeed } from './errno.js';
import { kvmPmuPartitionReady, kvmSupportsGuestPmuv3 } from './vpmu.js';
import {
  EMPTY_SHADOW,
  getVm,
  type Irqchip,
  kernelFamily,
  updateVm,
  type Vcpu,
  type VcpuRef,
  type Vm,
  type World,
} from './world.js';

/** `KVM_CAP_ARM_PMU_V3`. */
export const KVM_CAP_ARM_PMU_V3 = 112;
/** `KVM_CAP_ARM_PARTITION_PMU` (v5 22/24). */
export const KVM_CAP_ARM_PARTITION_PMU = 245;

/** Options of KVM_CREATE_VM as the model sees them. */
export interface CreateVmOptions {
  /**
   * The interrupt controller the VMM sets up: an in-kernel vGIC that is initialised before the
   * vPMU (`vgic`, default), one not yet initialised, or none (`userspace`).
   */
  readonly irqchip?: Irqchip;
}

/**
 * KVM_CREATE_VM: a VM with no vCPU, no PMU, no filter, every CPU supported
 * (`kvm->arch.supported_cpus` starts as cpu_possible_mask), partitioning not enabled. Returns the
 * new VM's index as `ret`.
 *
 * @see arch/arm64/kvm/arm.c kvm_arch_init_vm()
 */
export function kvmCreateVm(
  world: World,
  options: CreateVmOptions = {},
): IoctlResult<World> & { vm: number } {
  const id = world.vms.length;
  const vm: Vm = {
    id,
    irqchip: options.irqchip ?? 'vgic',
    armPmu: undefined,
    nrPmuCounters: 0,
    pmuFilter: undefined,
    supportedCpus: world.host.cpus.map((c) => c.id),
    partitionPmuEnabled: false,
    fixedCountersOnly: false,
    explicitPmu: false,
    hasRanOnce: false,
    createdVcpus: 0,
    vcpuFeatures: undefined,
    vcpus: [],
  };
  return { ...succeed({ ...world, vms: [...world.vms, vm] }, `KVM_CREATE_VM: VM ${id}`, id), vm: id };
}

/**
 * KVM_CREATE_VCPU: a vCPU with no features yet (they come with KVM_ARM_VCPU_INIT), counted in
 * `kvm->created_vcpus`. Returns its index as `ret` and its reference.
 *
 * @see virt/kvm/kvm_main.c kvm_vm_ioctl_create_vcpu()
 */
export function kvmCreateVcpu(world: World, vmId: number): IoctlResult<World> & { vcpu: VcpuRef } {
  const vm = getVm(world, vmId);
  const id = vm.vcpus.length;
  const vcpu: Vcpu = {
    id,
    initialized: false,
    pmuV3: false,
    pmu: { irqNum: 0, created: false, irqLevel: false, access: 'UNSET' },
    regs: EMPTY_SHADOW,
    mdcrEl2: 0n,
    fgt: { hdfgrtr: 0n, hdfgwtr: 0n, hdfgrtr2: 0n, hdfgwtr2: 0n },
    cpu: -1,
    lastCpu: -1,
    onUnsupportedCpu: false,
    guestDebug: false,
    hasRunOnce: false,
  };
  const next = updateVm(world, vmId, (v) => ({
    ...v,
    vcpus: [...v.vcpus, vcpu],
    createdVcpus: v.createdVcpus + 1,
  }));
  return { ...succeed(next, `KVM_CREATE_VCPU: vCPU ${id} of VM ${vmId}`, id), vcpu: { vm: vmId, vcpu: id } };
}

/**
 * KVM_CHECK_EXTENSION: KVM_CAP_ARM_PMU_V3 is kvm_supports_guest_pmuv3(); KVM_CAP_ARM_PARTITION_PMU
 * (v5 and review only) is kvm_pmu_partition_ready(); any other capability 0.
 *
 * @see arch/arm64/kvm/arm.c kvm_vm_ioctl_check_extension() (v5 22/24)
 */
export function kvmVmIoctlCheckExtension(world: World, cap: number): number {
  if (cap === KVM_CAP_ARM_PMU_V3) return kvmSupportsGuestPmuv3(world) ? 1 : 0;
  if (cap === KVM_CAP_ARM_PARTITION_PMU && kernelFamily(world) === 'v5')
    return kvmPmuPartitionReady(world) ? 1 : 0;
  return 0;
}

/**
 * KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU, args[0] = enable), v5 and review only: -EBUSY once
 * the VM has created a vCPU (`kvm->created_vcpus`), -EPERM unless kvm_pmu_partition_ready(), else
 * the VM's partition flag is set or cleared. Any other capability (or this one in mainline, v6,
 * v7): -EINVAL.
 *
 * @see arch/arm64/kvm/arm.c kvm_vm_ioctl_enable_cap() (v5 22/24)
 */
export function kvmVmIoctlEnableCap(
  world: World,
  vmId: number,
  cap: number,
  arg0: boolean,
): IoctlResult<World> {
  const vm = getVm(world, vmId);
  if (cap !== KVM_CAP_ARM_PARTITION_PMU || kernelFamily(world) !== 'v5') {
    return fail(world, 'EINVAL', `kvm_vm_ioctl_enable_cap: capability ${cap} is not enabled by this kernel`);
  }
  if (vm.createdVcpus > 0) {
    return fail(world, 'EBUSY', `KVM_CAP_ARM_PARTITION_PMU: the VM has created ${vm.createdVcpus} vCPU(s)`);
  }
  if (!kvmPmuPartitionReady(world)) {
    return fail(
      world,
      'EPERM',
      `KVM_CAP_ARM_PARTITION_PMU: kvm_pmu_partition_ready() is false (VHE ${world.host.vhe}, armv8pmu_hpmn_max = ${world.host.armv8pmuHpmnMax})`,
    );
  }
  const next = updateVm(world, vmId, (v) => ({ ...v, partitionPmuEnabled: arg0 }));
  return succeed(next, `KVM_CAP_ARM_PARTITION_PMU: partitioning ${arg0 ? 'enabled' : 'disabled'}`);
}
