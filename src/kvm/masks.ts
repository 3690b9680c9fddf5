// SPDX-License-Identifier: MIT
/**
 * The counter masks of the partitioned PMU (v5 09/24, arch/arm64/kvm/pmu-direct.c): which bits of
 * the PMCNTEN/PMINTEN/PMOVS bitmaps the host driver keeps, and which belong to the guest. They
 * are built with the kernel's GENMASK(), evaluated here as it is at run time, so the edge cases
 * show what the kernel really computes.
 *
 * @module
 */

import { CYCLE_COUNTER_ID, INSTRUCTION_COUNTER_ID } from '../arch/pmu/state.js';

const ALL_ONES = (1n << 64n) - 1n;

/**
 * `GENMASK(h, l)` for `unsigned long` (64 bits), as computed at run time:
 * `(~0UL << l) & (~0UL >> (63 - h))`. Its input check (`h >= l`) fires only for compile-time
 * constants, so with `h < l` the two halves do not overlap and the result is 0. A shift by 64 or
 * more, or by a negative amount (h = -1 gives `>> 64`), is undefined behaviour in C; we take what
 * arm64's LSL/LSR with a register amount do, which use the amount modulo 64, so GENMASK(-1, 0) is
 * all ones.
 *
 * @see include/linux/bits.h GENMASK()
 */
export function genmask(h: number, l: number): bigint {
  const mod64 = (x: number) => BigInt(((x % 64) + 64) % 64);
  const low = (ALL_ONES << mod64(l)) & ALL_ONES;
  const high = ALL_ONES >> mod64(63 - h);
  return low & high;
}

/** `ARMV8_PMU_CNT_MASK_P`: the event counters' bits 0..30 (v5 08/24). */
export const ARMV8_PMU_CNT_MASK_P = genmask(30, 0);
/** `ARMV8_PMU_CNT_MASK_C`: the cycle counter's bit. */
export const ARMV8_PMU_CNT_MASK_C = 1n << BigInt(CYCLE_COUNTER_ID);
/** `ARMV8_PMU_CNT_MASK_F`: the instruction counter's bit. */
export const ARMV8_PMU_CNT_MASK_F = 1n << BigInt(INSTRUCTION_COUNTER_ID);
/** `ARMV8_PMU_CNT_MASK_ALL`: every counter the bitmaps can name. */
export const ARMV8_PMU_CNT_MASK_ALL = ARMV8_PMU_CNT_MASK_P | ARMV8_PMU_CNT_MASK_C | ARMV8_PMU_CNT_MASK_F;

/** What the masks read: the VM's PMU, its partition pivot, and this CPU's counters. */
export interface PartitionInputs {
  /** Whether there is an `arm_pmu` (a NULL pmu is never partitioned). */
  readonly armPmu: boolean;
  /** `pmu->hpmn_max`: N - reserved_host_counters, or -1 when not partitioned. */
  readonly hpmnMax: number;
  /** `*host_data_ptr(nr_event_counters)`: this CPU's PMCR_EL0.N. */
  readonly hostCounters: number;
}

/**
 * `kvm_pmu_is_partitioned(pmu)`: `pmu && pmu->hpmn_max >= 0 && pmu->hpmn_max <= nr_event_counters`.
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_is_partitioned() (v5 09/24)
 */
export function kvmPmuIsPartitioned(p: PartitionInputs): boolean {
  return p.armPmu && p.hpmnMax >= 0 && p.hpmnMax <= p.hostCounters;
}

/**
 * The counters the host driver may use: all of them when the PMU is not partitioned, else
 * `GENMASK(nr_counters - 1, hpmn_max)`: counters hpmn_max..N-1 and neither the cycle nor the
 * instruction counter. With no counter reserved for the host (hpmn_max = N) this is
 * GENMASK(N-1, N) = 0, and with N = 0 it is GENMASK(-1, 0), undefined behaviour (see genmask()).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_host_counter_mask() (v5 09/24)
 */
export function kvmPmuHostCounterMask(p: PartitionInputs): bigint {
  if (!kvmPmuIsPartitioned(p)) return ARMV8_PMU_CNT_MASK_ALL;
  const nrCounters = p.hostCounters;
  return genmask(nrCounters - 1, p.hpmnMax);
}

/**
 * The counters that belong to the guest: `ARMV8_PMU_CNT_MASK_ALL & ~host_mask`, so counters
 * 0..hpmn_max-1 plus the cycle and instruction counters, and also every bit from N to 30 (the
 * unimplemented counters the host mask does not cover).
 *
 * @see arch/arm64/kvm/pmu-direct.c kvm_pmu_guest_counter_mask() (v5 09/24)
 */
export function kvmPmuGuestCounterMask(p: PartitionInputs): bigint {
  return ARMV8_PMU_CNT_MASK_ALL & ~kvmPmuHostCounterMask(p);
}
