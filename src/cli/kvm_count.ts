// SPDX-License-Identifier: MIT
/**
 * `pmup kvm --host-events K`: what the guest's events count on the hardware, under every
 * behaviour the Arm ARM permits, and which host events see them (formatting only; the scenario
 * computes it with stepOutcomes()).
 *
 * @module
 */

import type { Choices } from '../arch/unpredictable.js';
import type { GuestCountReport, GuestRead } from '../kvm/scenario.js';

/** The behaviours of one group, by case: `RES_HPMN: hpmn-1, hpmn-2`; `every behaviour` when none arose. */
export function behavioursText(list: readonly Choices[]): string {
  const byRule = new Map<string, string[]>();
  for (const c of list) {
    const entries = Object.entries(c);
    if (entries.length === 0) continue;
    const key = entries.map(([rule]) => rule).join('+');
    const value = entries.map(([, b]) => b).join('+');
    byRule.set(key, [...(byRule.get(key) ?? []), value]);
  }
  if (byRule.size === 0) return 'no CONSTRAINED UNPREDICTABLE case';
  return [...byRule].map(([rule, bs]) => `${rule}: ${bs.join(', ')}`).join('; ');
}

function counterIdx(reg: string): number {
  if (reg === 'PMCCNTR_EL0') return 31;
  if (reg === 'PMICNTR_EL0') return 32;
  return Number(/\d+/.exec(reg)?.[0] ?? -1);
}

function countedText(g: GuestCountReport, group: GuestCountReport['groups'][number]): string {
  if (group.counted.length === 0) return 'nothing counts';
  return group.counted
    .map((c) => {
      const host = g.hostCounters.findIndex((h) => h.idx === counterIdx(c.reg));
      const who =
        host < 0
          ? 'no host event'
          : `host event ${host}, event 0x${g.hostCounters[host]!.event.toString(16)}`;
      return `${c.reg} +${c.by} (${who})`;
    })
    .join(', ');
}

/** The guest's PMCR_EL0 write, when the scenario made one. */
export function guestWriteText(w: GuestRead | undefined): string[] {
  if (w === undefined) return [];
  const how = w.outcome.kind === 'ok' ? 'ok' : w.outcome.kind;
  return [
    '',
    `guest ${w.when} at EL1: ${how}, by ${w.by === 'kvm' ? 'KVM after a trap to EL2' : 'the hardware'}`,
  ];
}

/** The report's lines, or none when the scenario opened no host event. */
export function guestCountText(g: GuestCountReport | undefined): string[] {
  if (g === undefined) return [];
  const placed = g.hostCounters
    .map((h, i) => `${i} (0x${h.event.toString(16)}) ${h.idx < 0 ? 'on no counter' : `on counter ${h.idx}`}`)
    .join(', ');
  const out = [
    '',
    `host events now: ${placed}`,
    `what the guest's events count on the hardware (${g.what}), under every permitted behaviour:`,
  ];
  for (const group of g.groups) out.push(`  ${behavioursText(group.behaviours)}: ${countedText(g, group)}`);
  return out;
}

/** The report as JSON. */
export function guestCountJson(g: GuestCountReport | undefined): object | null {
  if (g === undefined) return null;
  return {
    what: g.what,
    hostEvents: g.hostCounters.map((h) => ({ event: `0x${h.event.toString(16)}`, counter: h.idx })),
    groups: g.groups.map((group) => ({
      behaviours: group.behaviours,
      counted: group.counted.map((c) => ({ reg: c.reg, by: c.by.toString() })),
    })),
  };
}
