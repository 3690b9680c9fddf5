// SPDX-License-Identifier: MIT
/**
 * System-register access rules: what an MRS or MSR of a register in the catalogue does at EL0,
 * EL1 or EL2, as the Arm ARM DDI0487 M.a.a "Accessing ..." pseudocode of each register orders its
 * checks (D24.5 for the PMU registers, D24.3.17 MDCR_EL2, D24.2 for HCR_EL2, the fine-grained
 * trap registers and the ID registers). The answer is an AccessOutcome value, never an exception:
 * the access completes, is UNDEFINED, traps (EC 0x18, with its ISS), or meets a CONSTRAINED
 * UNPREDICTABLE case that the caller's `choices` may resolve.
 *
 * The model's PE is not in Debug state, so EL3SDDUndef() and EL3SDDUndefPriority() are FALSE and
 * their checks never fire. EL2 is implemented and enabled, Non-secure, AArch64 (DESIGN.md).
 *
 * @example
 * const pe = makePeState(lookupCpu('neoverse-n2'), { MDCR_EL2: 4n });
 * accessSysreg(pe, { el: 1, dir: 'read', reg: lookupRegister('PMCR_EL0') }, {}).outcome;
 * // { kind: 'ok', value: ... } with PMCR_EL0.N = 4
 *
 * @module
 */

import { type AccessRequest, type AccessResult, type Ctx, undefinedResult } from './access/outcome.js';
import { pmuAccess } from './access/pmu.js';
import { systemAccess } from './access/system.js';
import { InputError } from './errors.js';
import type { PeState } from './pmu/state.js';
import type { Choices } from './unpredictable.js';

export type { AccessOutcome, AccessRequest, AccessResult } from './access/outcome.js';
export { EC_SYSREG, sysregIss } from './access/outcome.js';
export { idRegisterValue } from './access/system.js';

const MAX64 = (1n << 64n) - 1n;

/**
 * Performs one MRS (`dir: 'read'`) or MSR (`dir: 'write'`) of `req.reg` at `req.el` on `pe`.
 * Returns the outcome, the state after it (the same state unless the access completed), a
 * one-line `rule` naming the check that decided and its Arm ARM source, and `via`, the
 * CONSTRAINED UNPREDICTABLE case a chosen behaviour resolved on the way.
 *
 * @throws InputError when Xt is not a 64-bit value or the transfer register is not 0..31.
 */
export function accessSysreg(pe: PeState, req: AccessRequest, choices: Choices): AccessResult {
  const value = req.value ?? 0n;
  const rt = req.rt ?? 0;
  if (value < 0n || value > MAX64) {
    throw new InputError(`Cannot write 0x${value.toString(16)} to ${req.reg.name}: wider than 64 bits`);
  }
  if (!Number.isInteger(rt) || rt < 0 || rt > 31) {
    throw new InputError(`Cannot access ${req.reg.name} through X${rt}: the transfer register is 0..31`);
  }
  const ctx: Ctx = { pe, el: req.el, dir: req.dir, reg: req.reg, value, rt, choices };
  return (
    pmuAccess(ctx) ??
    systemAccess(ctx) ??
    undefinedResult(ctx, `The model has no accessor for ${req.reg.name}; taken as UNDEFINED`)
  );
}
