// SPDX-License-Identifier: MIT
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../arch/errors.js';
import {
  configurations,
  lookupSpaceCpu,
  type SpaceFilter,
  spaceDepth,
  spaceDescription,
  spaceNames,
} from '../check/config.js';
import { INVARIANTS } from '../check/invariants.js';
import { withKernelPolicy } from '../check/kernel.js';
import { Interrupted, runCheckParallel } from '../check/parallel.js';
import {
  type CheckReport,
  mergeReports,
  parseReport,
  type ReportCounterexample,
  reportOf,
} from '../check/report.js';
import { runCheck } from '../check/run.js';
import { lookupPolicy } from '../kvm/policy.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { table } from './format.js';
import type { CommandResult } from './io.js';

function stepText(s: ReportCounterexample['trace'][number]): string {
  const chosen = Object.entries(s.choices).map(([r, b]) => `${r} ${b}`);
  return chosen.length === 0 ? s.action : `${s.action}  [hardware: ${chosen.join(', ')}]`;
}

function cell(r: CheckReport, policy: string, invariant: string): string {
  const v = r.verdicts.find((x) => x.policy === policy && x.invariant === invariant);
  if (v?.checked === false) return 'n/a';
  if (v?.shortest === undefined) return 'holds';
  const n = v.shortest.trace.length;
  return `violated (${n} step${n === 1 ? '' : 's'})`;
}

/** The summary table: policy x invariant. */
export function checkTable(r: CheckReport): string {
  const head = ['policy', ...r.invariants.map((i) => i.name)];
  return table([head, ...r.policies.map((p) => [p, ...r.invariants.map((inv) => cell(r, p, inv.name))])]);
}

function headline(r: CheckReport): string {
  const shard = r.shard === undefined ? '' : ` (shard ${r.shard.index + 1}/${r.shard.count})`;
  return `pmup check: space ${r.space}${shard}, ${r.configurations} configurations, schedules of up to ${r.depth} steps`;
}

/** The summary table and the counterexamples, in words. */
export function checkText(r: CheckReport): string {
  const out = [headline(r), '', checkTable(r), ''];
  for (const v of r.verdicts) {
    if (v.shortest === undefined) continue;
    const c = v.shortest;
    out.push(`${v.policy} violates ${v.invariant} (in ${v.violatedIn} of the configurations): ${c.message}`);
    out.push(`  configuration: ${c.configuration}`);
    c.trace.forEach((s, i) => {
      out.push(`  ${i + 1}. ${stepText(s)}`);
    });
    out.push(`  replay: pmup replay ${c.replay}`, '');
  }
  out.push('invariants:');
  for (const inv of r.invariants) out.push(`  ${inv.name}: ${inv.description} (${inv.source})`);
  out.push('');
  const partial = r.incomplete === 0 ? '' : `; ${r.incomplete} configurations stopped at the state bound`;
  out.push(`${r.states} distinct states, ${r.transitions} transitions${partial}`);
  return `${out.join('\n')}\n`;
}

/**
 * The run as the generated part of docs/findings.md: the table, and per violated invariant its
 * shortest counterexample in words with its replay command.
 */
export function checkMarkdown(r: CheckReport, opts: { readonly invariants?: boolean } = {}): string {
  const head = ['policy', ...r.invariants.map((i) => `\`${i.name}\``)];
  const rows = r.policies.map((p) => [`\`${p}\``, ...r.invariants.map((inv) => cell(r, p, inv.name))]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `Space \`${r.space}\` (${r.configurations} configurations), schedules of up to ${r.depth} steps: ` +
      `${r.states} distinct states, ${r.transitions} transitions. Regenerate with \`npm run findings\`.`,
    '',
    line(head),
    line(head.map(() => '---')),
    ...rows.map(line),
    '',
  ];
  for (const v of r.verdicts) {
    if (v.shortest === undefined) continue;
    const c = v.shortest;
    out.push(`### \`${v.policy}\` violates \`${v.invariant}\``, '');
    out.push(`In ${v.violatedIn} configurations. Shortest: \`${c.configuration}\`: ${c.message}.`, '');
    c.trace.forEach((s, i) => {
      out.push(`${i + 1}. ${stepText(s)}`);
    });
    out.push('', `Replay: \`pmup replay ${c.replay}\``, '');
  }
  if (opts.invariants !== false) {
    out.push('Invariants:', '');
    for (const inv of r.invariants) out.push(`- \`${inv.name}\`: ${inv.description}. Source: ${inv.source}.`);
  }
  return `${out.join('\n')}\n`;
}

function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new InputError(`check: --shard must be I/N with 1 <= I <= N, got ${JSON.stringify(text)}`);
  }
  return { index: index - 1, count };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'the verifier: every configuration of a space, every vCPU schedule, every permitted behaviour',
  help: `Usage: pmup check [--space S] [--policy P...] [--cpu CPU...] [--n N...] [--depth D]
                  [--both-orders] [--shard I/N] [--workers W] [--json | --markdown]
                  [--output FILE]
                  [--kernel FILE [--kernel-base POLICY] [--kernel-function NAME]]
       pmup check --merge FILE... [--json | --markdown]

Explores, for every configuration of the space (host CPUs, arm_pmuv3.reserved_host_counters,
the counters the VMM asks for, the policy), every schedule of up to D steps (KVM_RUN on a CPU,
vcpu_put, a reschedule, guest MRS/MSR of PMU registers, the guest perf driver's set-up, guest
and host counting) breadth-first, with every CONSTRAINED UNPREDICTABLE behaviour of the hardware
as a successor of its own, and checks the invariants on every transition. Prints a table
policy x invariant (holds, or violated with the length of the shortest counterexample) and each
shortest counterexample step by step, with a token for pmup replay. --markdown prints the
generated part of docs/findings.md. Exit status 1 when an invariant is violated, 0 when all
hold, 2 on bad input.

Spaces:
${spaceNames()
  .map((s) => `  ${s}: ${spaceDescription(s)}`)
  .join('\n')}

Filters: --policy P keeps policy P's configurations, --cpu CPU the hosts with that CPU (a
catalogue name, or a synthetic one as the report spells it: PMUv3p4-n1+FGT), --n N the hosts
with a CPU of N counters (PMCR_EL0.N); each may be repeated. A filter that keeps nothing is an error.

--depth defaults to 4 (8 for the ioctls space). --both-orders also runs each configuration with the unsupported-CPU
check first (the reviewer's proposal for kvm_arch_vcpu_load()).

--workers W (default: one per core) searches on W worker threads; the output does not depend on
W. A progress line goes to stderr when it is a terminal. Ctrl-C stops the search, prints on
stderr how many configurations were checked and what was violated in them, prints no report, and
exits 130. --output FILE writes the report to FILE instead of stdout: whole, through a temporary
file renamed into place, so an interrupted or failed run leaves no partial FILE.

Real kernel code: --kernel FILE (a patch, mbox, C file or directory, as pmup kernel reads it)
compiles its policy functions and checks them as the policy "kernel" (alone, or next to the
--policy ones). What the C does not compute (the guest PMCR_EL0.N without
kvm_pmu_guest_num_counters(), MDCR_EL2 without kvm_arm_setup_mdcr_el2(), the FGT bits, the VM API
and load/put) comes from --kernel-base POLICY (default v5). --kernel-function NAME is pmup
kernel's --function. The compiled code runs over the policy input grid once, in one process, into a
table; an input off the grid (a CPU with more than 8 counters) runs the driver once and is
remembered. Each worker thread compiles the code for itself; the counterexamples of "kernel"
cannot be replayed.

Splitting a run: --shard I/N searches the configurations whose index in the space is I-1 modulo
N; --merge reads the --json reports of all N shards and prints what one run prints, byte for
byte. For example, on two machines or in a CI matrix:
  pmup check --shard 1/2 --json > a.json     (machine 1)
  pmup check --shard 2/2 --json > b.json     (machine 2)
  pmup check --merge a.json b.json`,
  run(argv) {
    const req = parseCheckArgs(argv);
    return deliver(req, runOnThisThread(req));
  },
  async stream(argv, io) {
    const req = parseCheckArgs(argv);
    if (req.kind === 'merge') {
      const r = deliver(req, runOnThisThread(req));
      io.stdout.write(r.stdout);
      return r.status;
    }
    // Compiled here too: bad kernel code is one line before any worker starts, and the count is right.
    const names = withKernelPolicy(req.filter, (filter) =>
      [...configurations(req.space, filter)].map((c) => c.policy.name),
    );
    const all = names.length;
    const total = req.shard === undefined ? all : shardSize(all, req.shard);
    const workers = req.shard === undefined ? Math.min(req.workers, Math.max(total, 1)) : 1;
    const tty = process.stderr.isTTY === true;
    // What an interrupted run prints: the configurations searched, the invariants violated so far.
    let done = 0;
    const violated = new Map<string, Set<string>>([...new Set(names)].map((p) => [p, new Set<string>()]));
    // The search runs on worker threads even with --workers 1 or --shard, so that this thread
    // can take Ctrl-C: stop the workers, say what was checked, exit 130, and write no report.
    const abort = new AbortController();
    const onInt = () => abort.abort();
    process.once('SIGINT', onInt);
    try {
      const report = await runCheckParallel(
        {
          space: req.space,
          depth: req.depth,
          filter: req.filter,
          ...(req.shard === undefined ? {} : { shard: req.shard }),
        },
        workers,
        (p) => {
          done++;
          const seen = violated.get(p.policy) ?? new Set<string>();
          for (const v of p.violated) seen.add(v);
          violated.set(p.policy, seen);
          if (tty) process.stderr.write(`\rpmup check: ${done}/${total} configurations`);
        },
        abort.signal,
      );
      if (tty) process.stderr.write('\r\x1b[K');
      const r = deliver(req, render({ ...req, report }));
      io.stdout.write(r.stdout);
      return r.status;
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(interruptedText(done, total, violated));
      return 130;
    } finally {
      process.removeListener('SIGINT', onInt);
    }
  },
};

/** The number of the `all` configurations (in space order) that shard I/N searches: index ≡ I-1 (mod N). */
function shardSize(all: number, shard: { readonly index: number; readonly count: number }): number {
  return Math.max(0, Math.ceil((all - shard.index) / shard.count));
}

/** What Ctrl-C prints (to stderr): how far the run got, and per policy what was violated so far. */
export function interruptedText(
  done: number,
  total: number,
  violated: ReadonlyMap<string, ReadonlySet<string>>,
): string {
  const lines = [`pmup check: interrupted after ${done} of ${total} configurations; no report written`];
  for (const [policy, invs] of violated) {
    // In the table's order, whatever order the workers found them in.
    const found = INVARIANTS.map((i) => i.name).filter((n) => invs.has(n));
    lines.push(
      `  ${policy}: ${found.length === 0 ? 'nothing violated so far' : `violated so far: ${found.join(', ')}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

type CheckArgs = (
  | { readonly kind: 'merge'; readonly files: readonly string[]; readonly format: Format }
  | {
      readonly kind: 'run';
      readonly space: string;
      readonly depth: number;
      readonly filter: SpaceFilter;
      readonly shard?: { readonly index: number; readonly count: number };
      readonly workers: number;
      readonly format: Format;
    }
) & {
  /** --output FILE: the report goes to FILE (written whole, then renamed into place). */
  readonly output?: string;
};

type Format = 'text' | 'json' | 'markdown';

function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const { values, positionals } = parseCommandArgs('check', argv, {
    space: { type: 'string' },
    policy: { type: 'string', multiple: true },
    cpu: { type: 'string', multiple: true },
    n: { type: 'string', multiple: true },
    depth: { type: 'string' },
    'both-orders': { type: 'boolean' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    merge: { type: 'boolean' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    kernel: { type: 'string' },
    'kernel-base': { type: 'string' },
    'kernel-function': { type: 'string' },
    output: { type: 'string' },
  });
  const format: Format = values.json === true ? 'json' : values.markdown === true ? 'markdown' : 'text';
  if (values.merge === true) {
    if (positionals.length === 0)
      throw new InputError('check --merge: give the --json reports of every shard');
    return { kind: 'merge', files: positionals, format, ...outputOf(values.output) };
  }
  expectPositionals('check', positionals, 0);
  const space = values.space ?? 'default';
  const depthText = values.depth ?? String(spaceDepth(space));
  if (!/^[0-9]+$/.test(depthText) || Number(depthText) < 1 || Number(depthText) > 12) {
    throw new InputError(`check: --depth must be an integer 1..12, got ${JSON.stringify(depthText)}`);
  }
  const workersText = values.workers ?? String(availableParallelism());
  if (!/^[0-9]+$/.test(workersText) || Number(workersText) < 1 || Number(workersText) > 256) {
    throw new InputError(`check: --workers must be an integer 1..256, got ${JSON.stringify(workersText)}`);
  }
  spaceDescription(space);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const policies = (values.policy ?? []).map((p) => lookupPolicy(p).name);
  if (values.kernel === undefined && (values['kernel-base'] ?? values['kernel-function']) !== undefined) {
    throw new InputError('check: --kernel-base and --kernel-function go with --kernel FILE');
  }
  const kernel =
    values.kernel === undefined
      ? undefined
      : {
          file: values.kernel,
          base: lookupPolicy(values['kernel-base'] ?? 'v5').name,
          ...(values['kernel-function'] === undefined ? {} : { function: values['kernel-function'] }),
        };
  // A CPU name must name a CPU (the catalogue's, or a synthetic one as the spaces spell it).
  const cpus = (values.cpu ?? []).map((c) => lookupSpaceCpu(c).name);
  const ns = (values.n ?? []).map((t) => {
    if (!/^[0-9]+$/.test(t) || Number(t) > 31)
      throw new InputError(`check: --n must be a counter count 0..31 (PMCR_EL0.N), got ${JSON.stringify(t)}`);
    return Number(t);
  });
  const filter: SpaceFilter = {
    policies,
    cpus,
    ns,
    bothOrders: values['both-orders'] === true,
    ...(kernel === undefined ? {} : { kernel }),
  };
  // A filter that leaves nothing is a mistake (a CPU or N the space lacks, a monitor in a space
  // without monitors); a shard may be empty. The kernel policy is added later, so it is not asked for.
  const asked = kernel === undefined ? filter : { ...filter, policies: [] };
  if (shard === undefined && configurations(space, asked).next().done === true) {
    const given = [
      ...policies.map((p) => `--policy ${p}`),
      ...cpus.map((c) => `--cpu ${c}`),
      ...ns.map((n) => `--n ${n}`),
    ];
    throw new InputError(`check: no configuration of space ${space} matches ${given.join(' ')}`);
  }
  const base = {
    kind: 'run' as const,
    space,
    depth: Number(depthText),
    filter,
    workers: Number(workersText),
    format,
  };
  const withOutput = { ...base, ...outputOf(values.output) };
  return shard === undefined ? withOutput : { ...withOutput, shard };
}

function outputOf(file: string | undefined): { readonly output?: string } {
  if (file === undefined) return {};
  if (file === '') throw new InputError('check: --output needs a file name');
  return { output: file };
}

/**
 * The result as the command delivers it: with --output, the report written to a temporary file
 * beside FILE and renamed over it, so FILE is never a partial report; nothing on stdout then.
 */
function deliver(req: CheckArgs, r: CommandResult): CommandResult {
  if (req.output === undefined) return r;
  const tmp = join(dirname(req.output), `.${basename(req.output)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, r.stdout);
    renameSync(tmp, req.output);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(
      `check: cannot write ${req.output} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  return { stdout: '', status: r.status };
}

/** The whole command on this thread, with --kernel's code compiled for the run. */
function runOnThisThread(req: CheckArgs): CommandResult {
  if (req.kind === 'merge') return render(reportFor(req));
  return withKernelPolicy(req.filter, (filter) => render(reportFor({ ...req, filter })));
}

/** The report a request asks for, computed on this thread. */
function reportFor(req: CheckArgs): { readonly format: Format; readonly report: CheckReport } {
  if (req.kind === 'merge') {
    const reports = req.files.map((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        throw new InputError(`check --merge: cannot read ${f}`);
      }
      return parseReport(text, f);
    });
    return { format: req.format, report: mergeReports(reports) };
  }
  const run = runCheck({
    space: req.space,
    depth: req.depth,
    filter: req.filter,
    ...(req.shard === undefined ? {} : { shard: req.shard }),
  });
  return { format: req.format, report: reportOf(run, req.shard) };
}

function render(r: { readonly format: Format; readonly report: CheckReport }): CommandResult {
  const stdout =
    r.format === 'json'
      ? `${JSON.stringify(r.report)}\n`
      : r.format === 'markdown'
        ? checkMarkdown(r.report)
        : checkText(r.report);
  return { stdout, status: r.report.verdicts.some((v) => !v.holds) ? 1 : 0 };
}
