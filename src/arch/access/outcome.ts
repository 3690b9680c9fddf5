// SPDX-License-Identifier: MIT
/**
 * The shapes of a system-register access and its answer, and the helpers every accessor uses to
 * build an answer: UNDEFINED, a trap with its ESR_ELx syndrome, a CONSTRAINED UNPREDICTABLE case,
 * or completion.
 *
 * @module
 */

import { encodingOf, type RegisterRef } from '../catalogue.js';
import type { El, PeState } from '../pmu/state.js';
import type { Choices, RuleName, Unpredictable } from '../unpredictable.js';

/**
 * What an access does: completes (`value` for a read that produces one), is UNDEFINED, traps to
 * an Exception level with an exception class and syndrome, or meets a CONSTRAINED UNPREDICTABLE
 * case that needs a choice (DESIGN.md "Core shapes").
 */
export type AccessOutcome =
  | { readonly kind: 'ok'; readonly value?: bigint }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'trap'; readonly toEl: 1 | 2 | 3; readonly ec: number; readonly iss: number }
  | Unpredictable;

/** One MRS (`read`) or MSR (`write`) of `reg` at `el`. */
export interface AccessRequest {
  readonly el: El;
  readonly dir: 'read' | 'write';
  readonly reg: RegisterRef;
  /** The value of Xt for a write (0 when absent). */
  readonly value?: bigint;
  /** The transfer register, 0..31 (0 when absent); it appears in a trap's ISS. */
  readonly rt?: number;
}

/** The answer to an access, and the state after it (unchanged unless it completed). */
export interface AccessResult {
  readonly outcome: AccessOutcome;
  readonly state: PeState;
  /** Which check decided, in one line, naming the Arm ARM source. */
  readonly rule: string;
  /** The CONSTRAINED UNPREDICTABLE case that a chosen behaviour resolved on the way. */
  readonly via?: RuleName;
}

/** An access in progress: the request, normalised, with the state and the caller's choices. */
export interface Ctx {
  readonly pe: PeState;
  readonly el: El;
  readonly dir: 'read' | 'write';
  /** The register instance the instruction names (its encoding goes into a trap's ISS). */
  readonly reg: RegisterRef;
  readonly value: bigint;
  readonly rt: number;
  readonly choices: Choices;
}

/** EC 0x18: trapped MSR, MRS or System instruction execution in AArch64 state (D24.2.46 ESR_EL2.EC). */
export const EC_SYSREG = 0x18;

/**
 * The ISS of EC 0x18 for an access to `reg` through Xt (Arm ARM D24.2.46, "ISS encoding for an
 * exception from MSR, MRS, or System instruction execution in AArch64 state"): Op0 [21:20],
 * Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read).
 */
export function sysregIss(reg: RegisterRef, rt: number, dir: 'read' | 'write'): number {
  const e = encodingOf(reg.def, reg.n);
  return (
    (e.op0 << 20) |
    (e.op2 << 17) |
    (e.op1 << 14) |
    (e.crn << 10) |
    (rt << 5) |
    (e.crm << 1) |
    (dir === 'read' ? 1 : 0)
  );
}

/** "EL1 reads of PMEVCNTR5_EL0", for the rule texts. */
export function accessText(ctx: Ctx): string {
  return `EL${ctx.el} ${ctx.dir === 'read' ? 'reads' : 'writes'} of ${ctx.reg.name}`;
}

/** "D24.5.10 accessor": the section whose "Accessing ..." pseudocode decides. */
export function accessorText(ctx: Ctx): string {
  return `${ctx.reg.def.section} accessor`;
}

function withVia(r: Omit<AccessResult, 'via'>, via: RuleName | undefined): AccessResult {
  return via === undefined ? r : { outcome: r.outcome, state: r.state, rule: r.rule, via };
}

/** The access is UNDEFINED; the state is unchanged. */
export function undefinedResult(ctx: Ctx, rule: string, via?: RuleName): AccessResult {
  return withVia({ outcome: { kind: 'undefined' }, state: ctx.pe, rule }, via);
}

/** AArch64.SystemAccessTrap(toEl, 0x18); the state is unchanged. */
export function trapResult(ctx: Ctx, toEl: 1 | 2 | 3, rule: string, via?: RuleName): AccessResult {
  const outcome: AccessOutcome = {
    kind: 'trap',
    toEl,
    ec: EC_SYSREG,
    iss: sysregIss(ctx.reg, ctx.rt, ctx.dir),
  };
  return withVia({ outcome, state: ctx.pe, rule }, via);
}

/** A CONSTRAINED UNPREDICTABLE case without a choice; the state is unchanged. */
export function unpredictableResult(ctx: Ctx, u: Unpredictable, rule: string): AccessResult {
  return { outcome: { kind: 'unpredictable', rule: u.rule, allowed: u.allowed }, state: ctx.pe, rule };
}

/** The access completes, leaving `state` (and producing `value` for a read). */
export function okResult(state: PeState, rule: string, value?: bigint, via?: RuleName): AccessResult {
  const outcome: AccessOutcome = value === undefined ? { kind: 'ok' } : { kind: 'ok', value };
  return withVia({ outcome, state, rule }, via);
}
