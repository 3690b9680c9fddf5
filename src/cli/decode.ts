// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { cpuFeatures, parseCpu } from '../arch/cpus.js';
import { type DecodeContext, type DecodedField, type DecodedValue, decodeValue } from '../arch/decode.js';
import { InputError } from '../arch/errors.js';
import { parseRegisterValue } from '../arch/fields.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs, VALUE_RULE } from './command.js';
import { decodeSyndromeCommand, syndromeRegister } from './esr.js';
import { bitsText, hangingWrap, hex, hexAndBinary, TEXT_WIDTH, wrappedTable } from './format.js';
import { mdcrSummary, pmcrSummary } from './partition_summary.js';

/** The decoded value as JSON: hex strings for values, problems as lines (unless `withProblems` is false). */
export function decodedJson(d: DecodedValue, withProblems = true): object {
  return {
    register: d.reg.name,
    value: hex(d.value),
    section: d.reg.def.section,
    fields: d.fields.map((f) => ({
      name: f.field.name,
      bits: f.field.bits,
      value: hex(f.value),
      ...(f.meaning === undefined ? {} : { meaning: f.meaning }),
      description: f.field.description,
      ...(f.field.feature === undefined ? {} : { feature: f.field.feature }),
      implemented: f.implemented,
    })),
    ...(withProblems ? { problems: d.problems.map((p) => p.message) } : {}),
  };
}

/** What decodedText() shows besides the fields. */
export interface DecodedTextOptions {
  /** A summary line (the partition) to print after the head. */
  readonly summary?: string;
  /** Hide fields whose value is 0. */
  readonly nonzero?: boolean;
}

/** Fields up to this width also show their value in binary; wider ones (counters) hex only. */
const MAX_BINARY_BITS = 16;

/** The value column: hex, and binary for a field of 2..16 bits: `0x4 (0b00100)`. */
function valueText(f: DecodedField): string {
  const width = f.field.bits[0] - f.field.bits[1] + 1;
  return width > 1 && width <= MAX_BINARY_BITS ? hexAndBinary(f.value, width) : hex(f.value);
}

/** `Trap ...` as `trap ...`, to follow "when 1: ". */
function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * The meaning column: the Arm ARM's meaning of the value when the register data enumerates it;
 * for a one-bit field without one, its description when 1 and "off" (with what 1 would do) when 0.
 */
function meaningText(f: DecodedField): string {
  if (f.meaning !== undefined) return f.meaning;
  const oneBit = f.field.bits[0] === f.field.bits[1];
  if (oneBit && f.value === 0n) return `0: off (when 1: ${lowerFirst(f.field.description)})`;
  return f.field.description;
}

/** The decoded value as text: a line per field, then the problems (unless `withProblems` is false). */
export function decodedText(
  d: DecodedValue,
  cpuName?: string,
  withProblems = true,
  opts: DecodedTextOptions = {},
): string {
  const head = `${d.reg.name} = ${hex(d.value, 16)}  (Arm ARM ${d.reg.def.section}${cpuName ? `, on ${cpuName}` : ''})`;
  const rows: string[][] = [['bits', 'field', 'value', 'meaning']];
  const absent: string[] = [];
  for (const f of d.fields) {
    // Fields the CPU does not implement, holding their architected value, are summarised in one line.
    const flagged = d.problems.some((p) => p.field === f.field.name);
    if (!f.implemented && !flagged) {
      absent.push(f.field.name);
      continue;
    }
    if (opts.nonzero === true && f.value === 0n && !flagged) continue;
    const note = f.implemented ? '' : ` [not implemented: ${f.field.feature}]`;
    rows.push([bitsText(f.field.bits), f.field.name, valueText(f), meaningText(f) + note]);
  }
  const out = [head];
  if (opts.summary !== undefined) out.push(...hangingWrap(opts.summary, TEXT_WIDTH, 2));
  out.push(wrappedTable(rows, TEXT_WIDTH));
  if (absent.length > 0)
    out.push(
      ...hangingWrap(
        `not implemented on ${cpuName} (reserved, as they should be): ${absent.join(', ')}`,
        TEXT_WIDTH,
        2,
      ),
    );
  if (withProblems && d.problems.length > 0)
    out.push('', 'problems:', ...d.problems.flatMap((p) => hangingWrap(p.message, TEXT_WIDTH, 4, '  - ')));
  return out.join('\n');
}

/** The partition summary of MDCR_EL2 (N from the CPU when given) or of PMCR_EL0 with a CPU. */
function summaryOf(d: DecodedValue, ctx: DecodeContext | undefined): string | undefined {
  if (d.reg.def.name === 'MDCR_EL2') return mdcrSummary(d.value, ctx?.cpu.n);
  if (d.reg.def.name === 'PMCR_EL0' && ctx !== undefined)
    return pmcrSummary(d.value, ctx.cpu.name, ctx.cpu.n);
  return undefined;
}

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'explain a register value field by field',
  help: `Usage: pmup decode REG VALUE [--cpu CPU] [--nonzero] [--json]

Prints every field of REG in VALUE with its bits, value (multi-bit fields also in binary) and the
meaning of that value, and lists problems: set
RES0 bits, fields the CPU does not implement (with --cpu), reserved values, and values whose
behaviour is CONSTRAINED UNPREDICTABLE (MDCR_EL2.HPMN > N, or HPMN = 0 without FEAT_HPMN0). CPU
is a catalogue name (pmup cpus) or inline JSON such as
'{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_FGT"]}'. MDCR_EL2 (and PMCR_EL0 with --cpu) starts
with the partition in one line: the guest's and the host's counters and what enables them.
--nonzero hides the fields that are 0.
${VALUE_RULE}

ESR_EL1 and ESR_EL2 decode as syndromes (Arm ARM D24.2.46): EC [31:26], IL [25], ISS [24:0], and
for EC 0x18 (a trapped MSR/MRS) the instruction the ISS describes. VALUE may also be KVM's log
line, quoted: 'Unsupported guest sys_reg access at: ... { Op0( 3), Op1( 3), CRn( 9), CRm(12),
Op2( 0), func_read }'.

Exit status: 0 no problem, 1 problems listed (so "pmup decode MDCR_EL2 $v --cpu CPU && echo
valid" is right), 2 bad input.

Examples:
  pmup decode MDCR_EL2 0x4e0
  pmup decode MDCR_EL2 0000000000000086       # bare hex, as %016llx prints it
  pmup decode PMCR_EL0 0x41013001 --cpu neoverse-n1
  pmup decode MDCR_EL2 0x20086 --cpu neoverse-n2 --json
  pmup decode ESR_EL2 0x623af871`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('decode', argv, {
      cpu: { type: 'string' },
      json: { type: 'boolean' },
      nonzero: { type: 'boolean' },
    });
    expectPositionals('decode', positionals, 2);
    const syndrome = syndromeRegister(positionals[0]!);
    if (syndrome !== undefined) {
      if (values.cpu !== undefined) throw new InputError(`decode: --cpu does not apply to ${syndrome}`);
      return decodeSyndromeCommand(syndrome, positionals[1]!, values.json === true);
    }
    const ref = lookupRegister(positionals[0]!);
    const value = parseRegisterValue(positionals[1]!, `${ref.name} value`);
    let ctx: DecodeContext | undefined;
    if (values.cpu !== undefined) {
      const cpu = parseCpu(values.cpu);
      ctx = { cpu, features: cpuFeatures(cpu) };
    }
    const d = decodeValue(ref, value, ctx);
    const opts = { summary: summaryOf(d, ctx), nonzero: values.nonzero === true };
    const text = values.json
      ? JSON.stringify(decodedJson(d), null, 2)
      : decodedText(d, ctx?.cpu.name, true, opts);
    return { stdout: `${text}\n`, status: d.problems.length === 0 ? 0 : 1 };
  },
};
