// SPDX-License-Identifier: MIT
/**
 * The batch protocol: one JSON request per line in, one JSON answer per line out, in order
 * (docs/protocol.md). A line that cannot be answered gives `{"id", "error"}` and the batch goes on.
 *
 * @module
 */

import { InputError } from '../arch/errors.js';
import { evaluateArchRequest } from './arch.js';
import { evaluateKvmRequest, isKvmRequest, parseKvmRequest } from './kvm.js';
import { parseArchRequest } from './schema.js';

function idOf(v: unknown): string | number | null {
  if (typeof v === 'object' && v !== null && 'id' in v) {
    const id = (v as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

/** The answer line (without newline) for one request line; never throws for bad input. */
export function answerLine(line: string): string {
  return answer(line).text;
}

/** The answer line (without newline) for one request line, and whether it is an error answer. */
export function answer(line: string): { readonly text: string; readonly error: boolean } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { text: JSON.stringify({ id: null, error: `malformed JSON: ${msg}` }), error: true };
  }
  try {
    // A request with a "policy" member asks a KVM policy; any other asks the architecture model.
    if (isKvmRequest(v))
      return { text: JSON.stringify(evaluateKvmRequest(parseKvmRequest(v))), error: false };
    return { text: JSON.stringify(evaluateArchRequest(parseArchRequest(v))), error: false };
  } catch (e) {
    if (e instanceof InputError)
      return { text: JSON.stringify({ id: idOf(v), error: e.message }), error: true };
    throw e;
  }
}

/** Whether a line carries a request (blank lines and lines starting with `#` are skipped). */
export function isRequestLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}
