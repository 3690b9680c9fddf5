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

/** The column width decode's text keeps to. */
export const TEXT_WIDTH = 100;

/**
 * `text` broken at spaces into lines of at most `width` characters (a word longer than that
 * gets a line of its own).
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * `lead` and `text` wrapped to `width`, continuation lines indented by `indent` spaces:
 * ("  - ", message, 100, 4) gives a list item.
 */
export function hangingWrap(text: string, width: number, indent: number, lead = ''): string[] {
  const [head = '', ...rest] = wrap(text, width - lead.length);
  const tail = rest.length === 0 ? [] : wrap(rest.join(' '), width - indent);
  return [`${lead}${head}`, ...tail.map((l) => `${' '.repeat(indent)}${l}`)];
}

/** `0x4 (0b00100)`: hex, and binary padded to `width` bits. */
export function hexAndBinary(v: bigint, width: number): string {
  return `${hex(v)} (0b${v.toString(2).padStart(width, '0')})`;
}

/**
 * Rows as table() lays them out, but with the last column wrapped so that each line fits in
 * `width`; continuation lines start under the last column.
 */
export function wrappedTable(rows: readonly (readonly string[])[], width: number): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.slice(0, -1).forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  const indent = widths.reduce((a, w) => a + w + 2, 0);
  const room = Math.max(30, width - indent);
  const out: string[] = [];
  for (const r of rows) {
    const lead = r
      .slice(0, -1)
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ');
    const [first = '', ...more] = wrap(r[r.length - 1] ?? '', room);
    out.push(`${lead}  ${first}`.trimEnd());
    for (const m of more) out.push(`${' '.repeat(indent)}${m}`);
  }
  return out.join('\n');
}
