// SPDX-License-Identifier: MIT
/** Text formatting for the CLI: hex, tables. Nothing below cli/ prints. */

/** `0x` and the value in lower-case hex, zero-padded to `digits`. */
export function hex(v: bigint | number, digits = 0): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The bit range of a field as `[msb:lsb]` or `[bit]`. */
export function bitsText(bits: readonly [number, number]): string {
  return bits[0] === bits[1] ? `[${bits[0]}]` : `[${bits[0]}:${bits[1]}]`;
}
