// SPDX-License-Identifier: MIT
/**
 * The kernel's own accesses to PMU registers (`read_sysreg()` / `write_sysreg()`, read_pmcr(),
 * write_pmevcntrn(), ...), made at EL2 by a VHE host through the architecture model, so that the
 * Arm ARM decides what they do (PMCR_EL0.P written at EL2 zeroes every event counter; a counter
 * index >= N is UNDEFINED). An access that does not complete is a kernel fault: it is reported,
 * and the state is left as it was.
 *
 * A read of PMSELR_EL0 whose SEL is out of range without FEAT_FGT returns an UNKNOWN value; we
 * take the value written (`value-written`), one of the permitted ones.
 *
 * @module
 */

import { accessSysreg } from '../arch/access.js';
import { lookupRegister } from '../arch/catalogue.js';
import type { PeState } from '../arch/pmu/state.js';
import type { Choices } from '../arch/unpredictable.js';

const KERNEL_CHOICES: Choices = { PMSELR_SEL: 'value-written' };

/** The result of a kernel access: the state after it, the value read, or the fault. */
export interface HwResult {
  readonly pe: PeState;
  readonly value: bigint;
  /** Set when the access did not complete: what the CPU did instead. */
  readonly fault?: string;
}

function run(pe: PeState, dir: 'read' | 'write', name: string, value: bigint, what: string): HwResult {
  const r = accessSysreg(pe, { el: 2, dir, reg: lookupRegister(name), value }, KERNEL_CHOICES);
  const o = r.outcome;
  if (o.kind === 'ok') return { pe: r.state, value: o.value ?? 0n };
  const how = o.kind === 'unpredictable' ? `CONSTRAINED UNPREDICTABLE (${o.rule})` : o.kind.toUpperCase();
  return { pe, value: 0n, fault: `kernel fault: ${what} at EL2 is ${how}: ${r.rule}` };
}

/** `read_sysreg(name)` at EL2. */
export function hwRead(pe: PeState, name: string): HwResult {
  return run(pe, 'read', name, 0n, `read of ${name}`);
}

/** `write_sysreg(value, name)` at EL2. */
export function hwWrite(pe: PeState, name: string, value: bigint): HwResult {
  return run(pe, 'write', name, value, `write of ${name}`);
}

/**
 * Applies a sequence of kernel writes, collecting faults into `faults`; returns the final state.
 */
export function hwWriteAll(
  pe: PeState,
  writes: readonly (readonly [string, bigint])[],
  faults: string[],
): PeState {
  let s = pe;
  for (const [name, value] of writes) {
    const r = hwWrite(s, name, value);
    if (r.fault !== undefined) faults.push(r.fault);
    s = r.pe;
  }
  return s;
}

/** Reads `name` at EL2, recording a fault in `faults` (the value is then 0). */
export function hwReadInto(pe: PeState, name: string, faults: string[]): bigint {
  const r = hwRead(pe, name);
  if (r.fault !== undefined) faults.push(r.fault);
  return r.value;
}

/** The name of event counter `idx` (PMEVCNTR<idx>_EL0), or PMCCNTR_EL0 for 31. */
export function counterName(idx: number): string {
  return idx === 31 ? 'PMCCNTR_EL0' : `PMEVCNTR${idx}_EL0`;
}

/** The name of the filter of counter `idx` (PMEVTYPER<idx>_EL0), or PMCCFILTR_EL0 for 31. */
export function typerName(idx: number): string {
  return idx === 31 ? 'PMCCFILTR_EL0' : `PMEVTYPER${idx}_EL0`;
}
