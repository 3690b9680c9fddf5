// SPDX-License-Identifier: MIT
/**
 * Errors of the user's making (bad hex, unknown register or field, index out of range). The CLI
 * prints the message as one line and exits 2; a batch answers it as `{"id", "error"}`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** The known names closest to `input` (edit distance, case-insensitive), best first, at most `max`. */
export function closestNames(input: string, known: Iterable<string>, max = 3): string[] {
  const want = input.toUpperCase();
  const scored: { name: string; d: number }[] = [];
  for (const name of known) {
    const d = editDistance(want, name.toUpperCase());
    if (d <= Math.max(2, Math.floor(want.length / 3))) scored.push({ name, d });
  }
  scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

/** " (did you mean A, B?)" or "" when nothing is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const near = closestNames(input, known);
  return near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
