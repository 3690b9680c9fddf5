// SPDX-License-Identifier: MIT
/**
 * The comparison of a harness log with the model's prediction: the VMM's lines and the model's,
 * matched per scenario in order (lines the model does not predict, such as KVM_CREATE_VM's file
 * descriptor, are left out), and each pair judged.
 *
 * @module
 */

import type { KvmLog, Observation } from './log.js';
import type { Predicted } from './model.js';

/** One matched pair and whether it agrees. */
export interface Compared {
  readonly predicted: Predicted;
  readonly observed: Observation | undefined;
  readonly agrees: boolean;
  /** Not compared (unmodelled). */
  readonly skipped: boolean;
}

/** The key a line is matched by: scenario, kind and what. */
function key(o: { scenario: string; kind: string; what: string }): string {
  return `${o.scenario}\t${o.kind}\t${o.what}`;
}

function agrees(p: Predicted, o: Observation): boolean {
  if (p.result === 'unpredictable') {
    const seen = o.result === 'esr' ? 'undefined' : o.result;
    return (p.unpredictable ?? []).some((a) => a.toLowerCase().includes(seen));
  }
  if (p.result !== o.result) return false;
  if (p.value === undefined) return true;
  if (o.value === undefined) return false;
  if (p.field !== undefined) {
    const [lsb, width] = p.field;
    const f = (BigInt(o.value) >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n);
    return f === BigInt(p.value);
  }
  if (p.approx === true) return (BigInt(p.value) === 0n) === (BigInt(o.value) === 0n);
  if (p.result === 'esr' && p.value.startsWith('EC '))
    return BigInt(o.value) >> 26n === BigInt(p.value.slice(3));
  return BigInt(p.value) === BigInt(o.value);
}

/** Pairs every predicted line with the observed line of the same scenario and text, in order. */
export function compare(log: KvmLog, predicted: readonly Predicted[]): Compared[] {
  const queues = new Map<string, Observation[]>();
  for (const o of log.observations) {
    // KVM_RUN's -EINTR for a device line change under a userspace irqchip is not modelled
    // (docs/kvm-divergences.md); the VMM re-enters, and the run's closing line is compared.
    if (o.what === 'KVM_RUN' && o.result === '-EINTR' && o.value?.startsWith('device_irq_level=') === true)
      continue;
    const k = key(o);
    const q = queues.get(k) ?? [];
    q.push(o);
    queues.set(k, q);
  }
  return predicted.map((p) => {
    const observed = queues.get(key(p))?.shift();
    const skipped = p.unmodelled !== undefined;
    return {
      predicted: p,
      observed,
      skipped,
      agrees: skipped || (observed !== undefined && agrees(p, observed)),
    };
  });
}

/** A compared pair in one line: scenario, what, predicted and observed. */
export function describe(c: Compared): string {
  const p = c.predicted;
  const pv = p.value === undefined ? '' : ` ${p.value}${p.approx === true ? ' (approx)' : ''}`;
  const o = c.observed;
  const ov = o === undefined ? 'missing' : `${o.result}${o.value === undefined ? '' : ` ${o.value}`}`;
  return `${p.scenario}: ${p.what}: model ${p.result}${pv}${p.unpredictable ? ` [${p.unpredictable.join('|')}]` : ''}, kernel ${ov}`;
}
