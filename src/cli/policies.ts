// SPDX-License-Identifier: MIT
/**
 * `pmup policies [--json]`: every registered KVM policy (and monitor) with its variants, the date
 * of the modelled code, what attribute 5 of KVM_ARM_VCPU_PMU_V3_CTRL means to it, what it is, and
 * where its code comes from. Formatting only.
 *
 * @module
 */

import { ATTR5_MEANINGS } from '../kvm/api.js';
import { POLICIES, type Policy } from '../kvm/policy.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';
import type { CommandResult } from './io.js';

/** Every policy, each followed by its variants. */
function everyPolicy(): readonly { readonly policy: Policy; readonly variant: boolean }[] {
  return POLICIES.flatMap((p) => [
    { policy: p, variant: false },
    ...(p.variants ?? []).map((v) => ({ policy: v, variant: true })),
  ]);
}

function attr5(p: Policy): string {
  return p.kernel.attr5 === 'none' ? '-' : p.kernel.attr5;
}

function policiesText(): string {
  const list = everyPolicy();
  const rows = list.map(({ policy: p, variant }) => [
    `  ${variant ? '  ' : ''}${p.name}`,
    p.date,
    attr5(p),
    p.summary,
  ]);
  const out = [
    table([['  policy', 'date', 'attribute 5', 'summary'], ...rows]),
    '',
    'attribute 5 of KVM_ARM_VCPU_PMU_V3_CTRL:',
    ...Object.entries(ATTR5_MEANINGS).map(([k, v]) => `  ${k}: ${v}`),
    '',
    'sources:',
    ...list.map(({ policy: p }) => `  ${p.name}: ${p.source}`),
  ];
  return out.join('\n');
}

function policiesJson(): object {
  return everyPolicy().map(({ policy: p, variant }) => ({
    name: p.name,
    variant,
    date: p.date,
    summary: p.summary,
    source: p.source,
    attr5: p.kernel.attr5,
    kernel: p.kernel,
    monitor: p.scenario !== undefined,
  }));
}

export const policiesCommand: Command = {
  name: 'policies',
  summary: 'the KVM policies and monitors the model has, with their source and date',
  help: `Usage: pmup policies [--json]

Lists every policy pmup kvm --policy and the batch protocol's KVM requests accept (variants,
named POLICY:OPTION, indented under their policy), with the date of the modelled code, what
attribute 5 of KVM_ARM_VCPU_PMU_V3_CTRL means to it (ENABLE_PARTITION in the partitioned-PMU
series, FIXED_COUNTERS_ONLY in Akihiko Odaki's), a summary, and the kernel files, functions and
patches each one follows.

Examples:
  pmup policies
  pmup policies --json`,
  run(argv): CommandResult {
    const { values, positionals } = parseCommandArgs('policies', argv, { json: { type: 'boolean' } });
    expectPositionals('policies', positionals, 0);
    const text = values.json ? JSON.stringify(policiesJson(), null, 2) : policiesText();
    return { stdout: `${text}\n`, status: 0 };
  },
};
