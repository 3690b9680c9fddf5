// SPDX-License-Identifier: MIT
/**
 * Protected KVM (pKVM): the MDCR_EL2 the nVHE hypervisor gives a protected VM's vCPU.
 * pkvm_vcpu_init_traps() (arch/arm64/kvm/hyp/nvhe/pkvm.c) starts from `vcpu->arch.mdcr_el2 = 0`
 * and, for a protected VM, pvm_init_traps_mdcr() sets the traps of every debug feature the VM's ID
 * registers do not show. For the PMU: when the VM lacks PMUVer (`!kvm_has_feat(kvm,
 * ID_AA64DFR0_EL1, PMUVer, IMP)`, a vCPU without KVM_ARM_VCPU_PMU_V3), TPM and TPMCR are set and
 * HPME, MTPME and HPMN cleared: HPMN = 0, with no test for FEAT_HPMN0, so on a CPU without it the
 * value is reserved. With a PMU nothing PMU-related is set, and HPMN stays 0 as well.
 *
 * Assumptions, not read in the source: the other ID_AA64DFR0_EL1 features of a protected VM
 * (DoubleLock, PMSVer, TraceFilt, ExtTrcBuff) are taken as not shown, so TDOSA, TPMS (E2PB
 * cleared), TTRF and E2TB are set; DebugVer is always at least the Armv8 debug architecture, so
 * TDRA and TDA are not; ID_AA64MMFR0_EL1.FGT is the CPU's, so TDCC is set without FEAT_FGT. The
 * hypervisor's FGT values for protected VMs are not modelled (0): with TPM set they add nothing.
 *
 * The variant `pkvm:flush-hyp-vcpu` follows an unverified claim (research digest, third-party
 * notes): flush_hyp_vcpu() (arch/arm64/kvm/hyp/nvhe/hyp-main.c) copies the host's
 * `vcpu->arch.mdcr_el2` over the hypervisor's on every entry, so the guest runs with the host
 * KVM's value (mainline kvm_arm_setup_mdcr_el2(): HPMN = this CPU's counters, TPM, TPMCR). The
 * unconditional copy is visible as a context line of hyp-main.c in Kristina Martsenko's "[PATCH
 * 1/3] KVM: arm64: Configure HCRX_EL2 dynamically" (2023-09-15, Message-ID
 * 20230915124840.474888-2-kristina.martsenko@arm.com); whether the current tree still copies it
 * for protected VMs is not verified. Off by default.
 *
 * @module
 */

import { MAINLINE_KERNEL } from '../kernel.js';
import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import {
  fieldGet,
  MDCR_EL2_HPME,
  MDCR_EL2_HPMN,
  MDCR_EL2_TDOSA,
  MDCR_EL2_TPM,
  MDCR_EL2_TPMCR,
  MDCR_EL2_TPMS,
  MDCR_EL2_TTRF,
  type MdcrEl2,
  mdcrEl2Value,
  mdcrMaskOf,
} from '../sysreg.js';
import { kvmArmSetupMdcrEl2, kvmVcpuReadPmcrN, NO_PMU_FGT } from './mainline.js';

const MDCR_EL2_MTPME = mdcrMaskOf('MTPME');
const MDCR_EL2_E2PB_MASK = mdcrMaskOf('E2PB');
const MDCR_EL2_E2TB_MASK = mdcrMaskOf('E2TB');
const MDCR_EL2_TDCC = mdcrMaskOf('TDCC');

/**
 * `pvm_init_traps_mdcr(vcpu)` after `vcpu->arch.mdcr_el2 = 0` (pkvm_vcpu_init_traps()), for a
 * protected VM whose features are as the module comment assumes.
 *
 * @see arch/arm64/kvm/hyp/nvhe/pkvm.c pvm_init_traps_mdcr(), pkvm_vcpu_init_traps()
 */
export function pvmInitTrapsMdcr(inputs: PolicyInputs): MdcrEl2 {
  // pkvm_vcpu_init_traps(): vcpu->arch.mdcr_el2 = 0.
  let val = 0;
  // No PMUVer: trap the PMU; HPME, MTPME and the whole HPMN field cleared (HPMN = 0).
  if (!inputs.guestHasPmu) {
    val |= MDCR_EL2_TPM | MDCR_EL2_TPMCR;
    val &= ~(MDCR_EL2_HPME | MDCR_EL2_MTPME | MDCR_EL2_HPMN);
  }
  // DebugVer is always implemented (assumption above): no TDRA | TDA.
  // No DoubleLock (assumed): TDOSA.
  val |= MDCR_EL2_TDOSA;
  // No PMSVer (assumed): TPMS, and E2PB cleared.
  val |= MDCR_EL2_TPMS;
  val &= ~MDCR_EL2_E2PB_MASK;
  // No TraceFilt (assumed): TTRF.
  val |= MDCR_EL2_TTRF;
  // No ExtTrcBuff (assumed): E2TB mask set.
  val |= MDCR_EL2_E2TB_MASK;
  // "Trap Debug Communications Channel registers" without ID_AA64MMFR0_EL1.FGT.
  if (!inputs.hasFgt) val |= MDCR_EL2_TDCC;
  return val;
}

/** The pKVM policy; with `flushHypVcpuMdcr` the host's MDCR_EL2 replaces it at every entry. */
export function pkvmPolicy(flushHypVcpuMdcr: boolean): Policy {
  const evaluate = (inputs: PolicyInputs): PolicyResult => {
    const mdcrEl2 = flushHypVcpuMdcr ? kvmArmSetupMdcrEl2(inputs) : pvmInitTrapsMdcr(inputs);
    return completeResult(
      inputs,
      {
        guestPmcrN: kvmVcpuReadPmcrN(inputs),
        hpmn: fieldGet(MDCR_EL2_HPMN, mdcrEl2),
        mdcrEl2: mdcrEl2Value(mdcrEl2),
        fgt: NO_PMU_FGT,
      },
      {
        hpmnFunction: flushHypVcpuMdcr ? 'kvm_arm_setup_mdcr_el2()' : 'pvm_init_traps_mdcr()',
        partitions: false,
      },
    );
  };
  return {
    name: flushHypVcpuMdcr ? 'pkvm:flush-hyp-vcpu' : 'pkvm',
    summary: flushHypVcpuMdcr
      ? "pKVM protected VM, if flush_hyp_vcpu() copies the host's MDCR_EL2 (unverified): mainline's value"
      : 'pKVM protected VM: without a PMU TPM|TPMCR set, HPME, MTPME and HPMN cleared (HPMN = 0, no FEAT_HPMN0 check)',
    source: flushHypVcpuMdcr
      ? 'arch/arm64/kvm/hyp/nvhe/hyp-main.c flush_hyp_vcpu() (as in Message-ID 20230915124840.474888-2-kristina.martsenko@arm.com; not verified for the current tree); arch/arm64/kvm/debug.c kvm_arm_setup_mdcr_el2()'
      : 'arch/arm64/kvm/hyp/nvhe/pkvm.c pvm_init_traps_mdcr(), pkvm_vcpu_init_traps() (torvalds/linux, as stored)',
    date: flushHypVcpuMdcr ? '2023-09-15' : '2026-12-03',
    // pKVM runs the host nVHE; the scenario's protected VM has no PMU.
    kernel: { ...MAINLINE_KERNEL, vhe: false, guestPmu: false },
    evaluate,
  };
}

export const PKVM: Policy = { ...pkvmPolicy(false), variants: [pkvmPolicy(true)] };
