// SPDX-License-Identifier: MIT
/** Observations as text and JSON, for `pmup run` and `pmup qemu`. @module */

import type { Choices } from '../arch/unpredictable.js';
import type { ModelObservation, Observation, ObservationOption } from './model.js';
import type { Expected } from './schema.js';

function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

/** `0x41011000`, `ok`, `UNDEFINED`, `trap to EL2 (EC 0x18, ISS 0x...)`, `nop (Xt unchanged)`. */
export function observationText(o: Observation): string {
  switch (o.kind) {
    case 'value':
      return hex(o.value);
    case 'nop':
      return 'nop (Xt unchanged)';
    case 'done':
      return 'ok';
    case 'undefined':
      return 'UNDEFINED';
    case 'trap':
      return `trap to EL${o.toEl} (EC ${hex(o.ec)}, ISS ${hex(o.iss)})`;
  }
}

/** The observation as JSON (hex strings). */
export function observationJson(o: Observation): Record<string, string | number> {
  switch (o.kind) {
    case 'value':
      return { outcome: 'value', value: hex(o.value) };
    case 'trap':
      return { outcome: 'trap', toEl: o.toEl, ec: hex(o.ec), iss: hex(o.iss) };
    default:
      return { outcome: o.kind };
  }
}

/** `RES_HPMN=hpmn-2, PMUEVENTCOUNTER=raz-wi`; `{}` gives ''. */
export function choicesText(c: Choices): string {
  return Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The behaviours giving an option, at most `max` combinations then `+k more`. */
export function behavioursText(o: ObservationOption, max = 3): string {
  const named = o.behaviours.map(choicesText).filter((t) => t !== '');
  if (named.length === 0) return '';
  const shown = named.slice(0, max).join('; ');
  return named.length > max ? `${shown}; +${named.length - max} more` : shown;
}

/** The model's answer at an observation: one outcome, or `one of: A [behaviours] | B [...]`. */
export function modelAnswerText(m: ModelObservation): string {
  const slack = m.slack > 0n ? ` (+/- ${m.slack})` : '';
  if (m.options.length === 1) {
    const o = m.options[0]!;
    const b = behavioursText(o);
    return `${observationText(o.obs)}${slack}${b === '' ? '' : ` [every permitted behaviour: ${b}]`}`;
  }
  const parts = m.options.map((o) => {
    const b = behavioursText(o);
    return b === '' ? observationText(o.obs) : `${observationText(o.obs)} [${b}]`;
  });
  return `one of: ${parts.join(' | ')}${slack}`;
}

/** Whether the model's answer at `m` is exactly the expected outcome. */
export function meetsExpectation(m: ModelObservation, e: Expected): boolean {
  if (m.options.length !== 1) return false;
  const o = m.options[0]!.obs;
  switch (e.kind) {
    case 'value':
      return o.kind === 'value' && o.value === e.value;
    case 'ok':
      return o.kind === 'done';
    case 'undefined':
      return o.kind === 'undefined';
    case 'trap-el1':
      return o.kind === 'trap' && o.toEl === 1;
    case 'trap-el2':
      return o.kind === 'trap' && o.toEl === 2;
  }
}

/** The expectation as text. */
export function expectedText(e: Expected): string {
  return e.kind === 'value' ? hex(e.value) : e.kind;
}
