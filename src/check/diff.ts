// SPDX-License-Identifier: MIT
/**
 * Two policies side by side over a space: for every configuration, what each one programs and
 * promises (the ioctls refused, MDCR_EL2 as loaded on each CPU, the N KVM reports, whether the
 * guest is entered) and which invariants each violates; the configurations where they differ.
 *
 * @module
 */

import { kvmRun } from '../kvm/api.js';
import type { Policy } from '../kvm/policy.js';
import { kvmVcpuPmcrN } from '../kvm/vpmu.js';
import { getVcpu } from '../kvm/world.js';
import { initialState } from './actions.js';
import { type Configuration, configurations, configurationText, type SpaceFilter } from './config.js';
import { searchConfiguration } from './search.js';

/** What a policy does in one configuration, as comparable lines: field -> value. */
export function policyProfile(c: Configuration, depth: number): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const init = initialState(c);
  out.set('ioctls refused', init.refused.length === 0 ? 'none' : init.refused.join('; '));
  for (const hc of init.state.world.host.cpus) {
    const r = kvmRun(init.state.world, init.state.vcpu, {
      cpu: hc.id,
      unsupportedCheckFirst: c.unsupportedCheckFirst,
    });
    if (r.errno !== undefined) {
      out.set(`KVM_RUN on CPU ${hc.id}`, `-${r.errno}`);
      continue;
    }
    const v = getVcpu(r.world, init.state.vcpu);
    out.set(`KVM_RUN on CPU ${hc.id}`, r.exit === 'GUEST_ENTERED' ? 'guest entered' : 'KVM_EXIT_FAIL_ENTRY');
    out.set(`MDCR_EL2 on CPU ${hc.id}`, `0x${v.mdcrEl2.toString(16)}`);
    out.set(`PMCR_EL0.N KVM reports on CPU ${hc.id}`, String(kvmVcpuPmcrN(r.world, init.state.vcpu, hc.id)));
  }
  const violated = searchConfiguration(c, { depth }).violations.map((v) => v.invariant);
  out.set('invariants violated', violated.length === 0 ? 'none' : violated.join(', '));
  return out;
}

/** One configuration where the policies differ, with the fields that differ. */
export interface Difference {
  /** The configuration, without its policy. */
  readonly configuration: string;
  readonly fields: readonly { readonly field: string; readonly a: string; readonly b: string }[];
}

/** The configurations of `space` where `a` and `b` differ, in the space's order. */
export function diffPolicies(
  a: Policy,
  b: Policy,
  space: string,
  filter: SpaceFilter,
  depth: number,
): { readonly compared: number; readonly differences: readonly Difference[] } {
  const differences: Difference[] = [];
  let compared = 0;
  for (const c of configurations(space, { ...filter, policies: [a.name] })) {
    compared++;
    const pa = policyProfile(c, depth);
    const pb = policyProfile({ ...c, policy: b }, depth);
    const fields: { field: string; a: string; b: string }[] = [];
    for (const field of new Set([...pa.keys(), ...pb.keys()])) {
      const va = pa.get(field) ?? '-';
      const vb = pb.get(field) ?? '-';
      if (va !== vb) fields.push({ field, a: va, b: vb });
    }
    if (fields.length > 0) {
      differences.push({ configuration: configurationText(c).slice(a.name.length + 1), fields });
    }
  }
  return { compared, differences };
}
