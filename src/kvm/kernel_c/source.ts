// SPDX-License-Identifier: MIT
/**
 * Reading kernel code from what an engineer points at: a patch or an mbox (the new side of every
 * diff hunk, hunks quoted with `> ` in a reply included, and the mail text itself, where a
 * reviewer writes code inline), a C source file, or a directory of them. Every line keeps the
 * file and line number it came from, for messages and for `#line` in the compiled driver.
 *
 * @module
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../arch/errors.js';

/** One line of code with where it came from. */
export interface SourceLine {
  readonly text: string;
  /** 1-based line number in `file`. */
  readonly line: number;
}

/**
 * A run of lines that can hold function definitions: a C file, the new side of one diff of a
 * patch, or the text of a mail outside its diffs.
 */
export interface CodeView {
  /** The file read. */
  readonly file: string;
  /** The path the code belongs to: the C file itself, a diff's `b/` path, or undefined for mail text. */
  readonly path?: string;
  readonly kind: 'c' | 'new-side' | 'text';
  readonly lines: readonly SourceLine[];
  /** For the new side of a diff: where each hunk starts in `lines`, and its header's context. */
  readonly hunks?: readonly Hunk[];
}

/** A hunk of a diff: its first line in the view, and the function its header names. */
export interface Hunk {
  readonly at: number;
  /** The text after the header's second `@@` (git's function context), `''` when none. */
  readonly context: string;
  /** The header's line in the file. */
  readonly line: number;
}

/** File names a directory walk reads: C sources and headers, patches and mail. */
const READ_EXTENSIONS = ['.c', '.h', '.patch', '.diff', '.mbox', '.eml', '.txt'];

/** The files under `paths` (directories walked in name order, `.git` and `node_modules` skipped). */
export function listSourceFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean): void => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`kernel: cannot read ${p}`);
    }
    if (st.isDirectory()) {
      const names = readdirSync(p).sort();
      for (const n of names) {
        if (n === '.git' || n === 'node_modules') continue;
        const child = path.join(p, n);
        const cst = statSync(child, { throwIfNoEntry: false });
        if (cst === undefined) continue;
        if (cst.isDirectory() || READ_EXTENSIONS.includes(path.extname(n))) walk(child, false);
      }
    } else if (st.isFile() || top) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** A line with its `>` quote markers (`> `, `> > `, `>>`) removed. */
function unquote(text: string): string {
  return text.replace(/^(?:> ?)+/, '');
}

const isQuoted = (text: string): boolean => text.startsWith('>');

/**
 * The new side of a unified diff, from the hunk header at `lines[start]`: context and added lines
 * without their marker, until the header's counts are used up or a line that cannot belong to a
 * hunk (a quote cut by `<snip>`, the next `diff --git`). Returns the lines and where it stopped.
 */
function hunkNewSide(lines: readonly SourceLine[], start: number): { out: SourceLine[]; end: number } {
  const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[start]!.text);
  let oldLeft = m?.[1] === undefined ? 1 : Number(m[1]);
  let newLeft = m?.[2] === undefined ? 1 : Number(m[2]);
  const out: SourceLine[] = [];
  let i = start + 1;
  for (; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
    const l = lines[i]!;
    const c = l.text[0];
    if (l.text.startsWith('@@') || l.text.startsWith('diff --git ')) break;
    if (c === '\\') continue; // "\ No newline at end of file"
    if (c === '-') {
      oldLeft--;
    } else if (c === '+') {
      newLeft--;
      out.push({ text: l.text.slice(1), line: l.line });
    } else if (c === ' ' || l.text === '') {
      oldLeft--;
      newLeft--;
      out.push({ text: l.text.slice(1), line: l.line });
    } else {
      break;
    }
  }
  return { out, end: i };
}

/**
 * The views of one stream of mail or patch lines (all quoted at the same level, markers
 * removed): the new side of each diff, by its `b/` path, and everything outside the diffs.
 */
function streamViews(file: string, lines: readonly SourceLine[]): CodeView[] {
  const diffs = new Map<string, SourceLine[]>();
  const hunks = new Map<string, Hunk[]>();
  const text: SourceLine[] = [];
  let current: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.text;
    const diff = /^diff --git a\/\S+ b\/(\S+)/.exec(t);
    if (diff !== null) {
      current = diff[1]!;
      continue;
    }
    const plus = /^\+\+\+ (?:b\/)?(\S+)/.exec(t);
    if (plus !== null && i > 0 && lines[i - 1]!.text.startsWith('--- ')) {
      if (plus[1] !== '/dev/null') current = plus[1]!;
      continue;
    }
    if (t.startsWith('@@') && current !== undefined) {
      const { out, end } = hunkNewSide(lines, i);
      const into = diffs.get(current) ?? [];
      const context = /^@@ [^@]* @@ ?(.*)$/.exec(t)?.[1] ?? '';
      hunks.set(current, [...(hunks.get(current) ?? []), { at: into.length, context, line: lines[i]!.line }]);
      into.push(...out);
      diffs.set(current, into);
      i = end - 1;
      continue;
    }
    if (
      current !== undefined &&
      /^(index |--- |new file mode |deleted file mode |similarity |rename )/.test(t)
    )
      continue;
    text.push(lines[i]!);
  }
  return [
    ...[...diffs].map(
      ([p, l]): CodeView => ({ file, path: p, kind: 'new-side', lines: l, hunks: hunks.get(p) ?? [] }),
    ),
    { file, kind: 'text', lines: text },
  ];
}

/** Whether `text` is a patch or mail (it has a diff, quoted or not) rather than C. */
function isPatch(text: string): boolean {
  return /^(?:> ?)*(?:diff --git |@@ -\d)/m.test(text);
}

/** The code views of one file's text: a C file whole, a patch or mail per diff and its text. */
export function viewsOfText(file: string, text: string): CodeView[] {
  const all = text.split(/\r?\n/);
  // The newline that ends the last line does not start another.
  if (all[all.length - 1] === '') all.pop();
  const lines = all.map((t, i): SourceLine => ({ text: t, line: i + 1 }));
  if (!isPatch(text)) return [{ file, path: file, kind: 'c', lines }];
  const quoted = lines.filter((l) => isQuoted(l.text)).map((l) => ({ ...l, text: unquote(l.text) }));
  const plain = lines.filter((l) => !isQuoted(l.text));
  return [...streamViews(file, plain), ...streamViews(file, quoted)];
}

/** The code views of every file under `paths`. */
export function readCodeViews(paths: readonly string[]): CodeView[] {
  return listSourceFiles(paths).flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      throw new InputError(`kernel: cannot read ${f}`);
    }
    return viewsOfText(f, text);
  });
}
