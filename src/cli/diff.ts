// SPDX-License-Identifier: MIT
import { InputError } from '../arch/errors.js';
import { spaceDescription } from '../check/config.js';
import { diffPolicies } from '../check/diff.js';
import { lookupPolicy } from '../kvm/policy.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';

export const diffCommand: Command = {
  name: 'diff',
  summary:
    'two policies side by side: the configurations where their MDCR_EL2, promises or invariants differ',
  help: `Usage: pmup diff --policy A --policy B [--space S] [--cpu CPU...] [--depth D]

For every configuration of the space (default: default), sets the VM up under each policy, runs
the vCPU on each CPU of the host, and compares the ioctls refused, MDCR_EL2 as loaded, the
PMCR_EL0.N that KVM reports, whether the guest is entered, and the invariants pmup check finds
violated within D steps (default 3). Prints each configuration where they differ, field by field.
Exit status 1 when some configuration differs, 0 when none does, 2 on bad input.

Example:
  pmup diff --policy v5 --policy review --cpu cortex-a510`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('diff', argv, {
      policy: { type: 'string', multiple: true },
      space: { type: 'string' },
      cpu: { type: 'string', multiple: true },
      depth: { type: 'string' },
    });
    expectPositionals('diff', positionals, 0);
    const names = values.policy ?? [];
    if (names.length !== 2) throw new InputError(`diff: give exactly two --policy, got ${names.length}`);
    const [a, b] = names.map(lookupPolicy) as [
      ReturnType<typeof lookupPolicy>,
      ReturnType<typeof lookupPolicy>,
    ];
    const depthText = values.depth ?? '3';
    if (!/^[0-9]+$/.test(depthText) || Number(depthText) < 1 || Number(depthText) > 12) {
      throw new InputError(`diff: --depth must be an integer 1..12, got ${JSON.stringify(depthText)}`);
    }
    const space = values.space ?? 'default';
    spaceDescription(space);
    const r = diffPolicies(a, b, space, { cpus: values.cpu ?? [] }, Number(depthText));
    const out = [
      `pmup diff: ${a.name} against ${b.name}, space ${space}: ${r.differences.length} of ${r.compared} configurations differ`,
    ];
    for (const d of r.differences) {
      out.push('', d.configuration);
      out.push(table([['  field', a.name, b.name], ...d.fields.map((f) => [`  ${f.field}`, f.a, f.b])]));
    }
    return { stdout: `${out.join('\n')}\n`, status: r.differences.length > 0 ? 1 : 0 };
  },
};
