// SPDX-License-Identifier: MIT
/**
 * One line saying how a value partitions the PMU: which counters the guest (first range) and the
 * host (second range) own, what enables them, and what is counted at EL2. For `pmup decode`.
 *
 * @module
 */

const bit = (v: bigint, n: number): number => Number((v >> BigInt(n)) & 1n);
const field = (v: bigint, msb: number, lsb: number): number =>
  Number((v >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n));

/** `0..3`, `4`, or `4..N-1` when the end is unknown. */
function span(first: number, last: number | undefined): string {
  if (last === undefined) return `${first}..N-1`;
  return first === last ? `${first}` : `${first}..${last}`;
}

/** `counters 0..3: guest (PMCR_EL0.E), 4..5: host (HPME)`; N undefined when unknown. */
function countersText(hpmn: number, hpme: number, n: number | undefined): string {
  // Arm ARM D24.3.17 MDCR_EL2.HPMN: counters 0..HPMN-1 are the first range (EL1/EL0 may use
  // them, enabled by PMCR_EL0.E, D24.5.8), HPMN..N-1 the second range (enabled by MDCR_EL2.HPME).
  if (n !== undefined && hpmn > n) return `counters: HPMN = ${hpmn} > N = ${n} is reserved (see problems)`;
  const host = hpme === 1 ? 'host (HPME)' : 'host (HPME = 0: disabled)';
  const guest = hpmn === 0 ? 'none for the guest (HPMN = 0)' : `${span(0, hpmn - 1)}: guest (PMCR_EL0.E)`;
  if (n !== undefined && hpmn === n) return `counters ${guest}, none for the host`;
  const hostPart = `${span(hpmn, n === undefined ? undefined : n - 1)}: ${host}`;
  return hpmn === 0 ? `counters: ${guest}, ${hostPart}` : `counters ${guest}, ${hostPart}`;
}

/**
 * The MDCR_EL2 summary: `partition: counters 0..3: guest (PMCR_EL0.E), 4..5: host (HPME); cycle
 * counter: guest; HPMD: EL2 not counted by the guest's counters`. N is the CPU's, or undefined.
 */
export function mdcrSummary(value: bigint, n: number | undefined): string {
  const hpmn = field(value, 4, 0);
  // D24.3.17: HPME [7], HPMD [17] (FEAT_PMUv3p1), HCCD [23] (FEAT_PMUv3p5).
  const hpme = bit(value, 7);
  const hpmd = bit(value, 17);
  const hccd = bit(value, 23);
  const head = n === undefined ? 'partition (N unknown: give --cpu)' : 'partition';
  // D24.5.8 PMCR_EL0.E: PMCCNTR_EL0 is enabled by PMCR_EL0.E whatever HPMN is: it stays the guest's.
  const cycle = hccd === 1 ? 'cycle counter: guest, not counting at EL2 (HCCD)' : 'cycle counter: guest';
  // D24.3.17 HPMD: 1 prohibits event counting at EL2 by the first-range counters.
  const el2 =
    hpmd === 1
      ? "HPMD: EL2 not counted by the guest's counters"
      : "HPMD = 0: the guest's counters may count at EL2 (as their filters allow)";
  return `${head}: ${countersText(hpmn, hpme, n)}; ${cycle}; ${el2}`;
}

/**
 * The PMCR_EL0 summary, with the CPU's N: what N says, and what E enables (D24.5.8).
 */
export function pmcrSummary(value: bigint, cpuName: string, cpuN: number): string {
  // D24.5.8: N [15:11], D [3], E [0].
  const n = field(value, 15, 11);
  const e = bit(value, 0);
  const d = bit(value, 3);
  const nText =
    n === cpuN
      ? `N = ${n}, all of ${cpuName}'s counters`
      : `N = ${n} (${cpuName} has ${cpuN}: an EL1 read shows HPMN)`;
  // D24.5.8 E: enables the first-range event counters and PMCCNTR_EL0; the second range follows
  // MDCR_EL2.HPME (D24.3.17).
  const eText =
    e === 1
      ? 'E = 1: the first-range counters and the cycle counter count where PMCNTENSET_EL0 enables them'
      : 'E = 0: the first-range counters and the cycle counter do not count';
  // D24.5.8 D: 1 counts once every 64 clock cycles.
  const dText = d === 1 ? 'cycle counter: every 64th cycle (D)' : 'cycle counter: every cycle';
  return `partition: ${nText}; ${eText} (second range: MDCR_EL2.HPME); ${dText}`;
}
