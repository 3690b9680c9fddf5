// SPDX-License-Identifier: MIT
import { lookupRegister } from '../arch/catalogue.js';
import { type CpuDef, cpuFeatures, parseCpu } from '../arch/cpus.js';
import { decodeValue } from '../arch/decode.js';
import { InputError } from '../arch/errors.js';
import { parseCount } from '../arch/fields.js';
import { errnoText } from '../kvm/errno.js';
import type { GuestOutcome } from '../kvm/guest.js';
import { lookupPolicy, policyNames } from '../kvm/policy.js';
import { kvmPartitionScenario, type ScenarioReport } from '../kvm/scenario.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { decodedJson, decodedText } from './decode.js';
import { hex, table } from './format.js';
import type { CommandResult } from './io.js';
import { kvmCompare } from './kvm_compare.js';
import { guestCountJson, guestCountText, guestWriteText } from './kvm_count.js';
import { SCENARIO_OPTIONS_HELP, scenarioCpuOptions } from './kvm_options.js';

/**
 * A count option in `min..max` (decimal; a negative count only as -N in decimal, for
 * --reserved-host -1), or InputError naming the option and the range.
 */
function intOption(text: string, name: string, min: number, max: number, why: string): number {
  const t = text.trim();
  const v = /^-\d+$/.test(t) ? -Number(t.slice(1)) : Number(parseCount(t, name));
  if (v < min || v > max) throw new InputError(`kvm: ${name} must be ${min}..${max} (${why}), got ${v}`);
  return v;
}

/** A guest access's outcome in words (also pmup replay's). */
export function outcomeText(o: GuestOutcome): string {
  switch (o.kind) {
    case 'ok':
      if (o.value === undefined) return 'ok';
      return o.unknown === undefined
        ? `ok, ${hex(o.value)}`
        : `ok, ${hex(o.value)} with bits ${hex(o.unknown)} UNKNOWN`;
    case 'undefined':
      return 'UNDEFINED';
    case 'trap':
      return `trap to EL${o.toEl}`;
    case 'unpredictable':
      return `CONSTRAINED UNPREDICTABLE (${o.rule}); permitted: ${o.allowed.join(', ')}`;
  }
}

function mdcrText(value: bigint, cpu: CpuDef): string {
  const d = decodeValue(lookupRegister('MDCR_EL2'), value, { cpu, features: cpuFeatures(cpu) });
  // The problems and notes of these values are the report's, listed at its end.
  return decodedText(d, cpu.name, false);
}

function reportText(r: ScenarioReport, cpuOf: (id: number) => CpuDef): string {
  const w = r.world;
  const out: string[] = [`pmup kvm: ${w.policy.name} (${w.policy.summary})`, ''];
  out.push('host:');
  out.push(
    table(
      w.host.cpus.map((c) => {
        const p = w.host.pmus[c.pmu]!;
        return [
          `  CPU ${c.id}`,
          c.pe.config.cpu.name,
          `PMU ${p.name} (type ${p.type})`,
          `N = ${p.n}`,
          p.hpmnMax < 0 ? 'hpmn_max = -1 (not partitioned)' : `hpmn_max = ${p.hpmnMax}`,
          `cntr_mask ${hex(p.cntrMask)}`,
        ];
      }),
    ),
  );
  const globalMax = w.host.armv8pmuHpmnMax;
  out.push(
    `  VHE ${w.host.vhe}, armv8pmu_hpmn_max = ${globalMax}${globalMax < 0 ? ' (no PMU partitioned)' : ''}`,
  );
  for (const l of w.log) out.push(`  dmesg: ${l}`);
  out.push('', 'ioctls:');
  out.push(
    table(
      r.ioctls.map((i) => [
        `  ${i.call}`,
        i.status ?? (i.errno === undefined ? String(i.ret) : errnoText(i)),
        i.why,
      ]),
    ),
  );
  if (r.loadTrace.length > 0)
    out.push('', `kvm_arch_vcpu_load on CPU ${r.cpu}:`, ...r.loadTrace.map((l) => `  ${l}`));
  if (r.mdcrEl2AtLoad !== undefined) {
    out.push('', `MDCR_EL2 as loaded on CPU ${r.cpu}:`, mdcrText(r.mdcrEl2AtLoad, cpuOf(r.cpu)));
  }
  if (r.exit === 'FAIL_ENTRY_CPU_UNSUPPORTED') {
    out.push(
      '',
      `KVM_RUN: KVM_EXIT_FAIL_ENTRY (CPU_UNSUPPORTED): CPU ${r.cpu} is outside the VM's supported_cpus; the guest does not run`,
    );
  }
  if (r.kvmPmcrN !== undefined) {
    out.push('', 'guest view:');
    out.push(
      `  nr_pmu_counters = ${r.nrPmuCounters}; KVM reports PMCR_EL0.N = ${r.kvmPmcrN} (kvm_vcpu_read_pmcr())`,
    );
    for (const g of r.guestReads) {
      const n = g.n === undefined ? '' : ` (N = ${g.n})`;
      out.push(
        `  ${g.when} at EL1: ${outcomeText(g.outcome)}${n}, by ${g.by === 'kvm' ? 'KVM after a trap to EL2' : 'the hardware'}`,
      );
    }
  }
  if (r.mdcrEl2After !== undefined && r.mdcrEl2AtLoad !== undefined && r.mdcrEl2After !== r.mdcrEl2AtLoad) {
    out.push(
      '',
      `MDCR_EL2 after the first guest PMU access (kvm_pmu_set_physical_access()): ${hex(r.mdcrEl2After)}, changed:`,
      ...mdcrDiff(r.mdcrEl2AtLoad, r.mdcrEl2After).map((l) => `  ${l}`),
    );
  }
  if (r.atLoad !== undefined) {
    out.push('', `traps at vcpu_load: ${r.atLoad.trapped.join(', ') || 'none'}`);
    if (r.guestReads.length > 0) {
      out.push(`traps after the first access: ${r.trappedAfter.join(', ') || 'none'}`);
      out.push(
        '  (FGT values as kvm_vcpu_load_fgt() computed them at vcpu_load; the switch does not recompute them)',
      );
    }
  }
  out.push(...guestWriteText(r.guestWrite), ...guestCountText(r.guestCount));
  const next = vmmNextSteps(r);
  if (next.length > 0) out.push('', 'what a VMM would do next:', ...next.map((l) => `  - ${l}`));
  const readings = modelReadings(r);
  if (readings.length > 0)
    out.push(
      '',
      "the model's readings (inferences, not the kernel's text):",
      ...readings.map((l) => `  - ${l}`),
    );
  out.push(
    '',
    r.problems.length === 0 ? 'problems found: none' : 'problems found (exit status 1):',
    ...r.problems.map((p) => `  - ${p.message}`),
  );
  if (r.notes.length > 0) out.push('', 'notes (harmless):', ...r.notes.map((n) => `  - ${n.message}`));
  return out.join('\n');
}

function outcomeJson(o: GuestOutcome): object {
  if (o.kind === 'ok') {
    if (o.value === undefined) return { outcome: 'ok' };
    return o.unknown === undefined
      ? { outcome: 'ok', value: hex(o.value) }
      : { outcome: 'ok', value: hex(o.value), unknown: hex(o.unknown) };
  }
  if (o.kind === 'trap') return { outcome: 'trap', toEl: o.toEl };
  if (o.kind === 'unpredictable') return { outcome: 'unpredictable', rule: o.rule, allowed: o.allowed };
  return { outcome: 'undefined' };
}

function reportJson(r: ScenarioReport, cpuOf: (id: number) => CpuDef): object {
  const w = r.world;
  const decoded = (v: bigint | undefined) =>
    v === undefined
      ? undefined
      : decodedJson(
          decodeValue(lookupRegister('MDCR_EL2'), v, {
            cpu: cpuOf(r.cpu),
            features: cpuFeatures(cpuOf(r.cpu)),
          }),
          false,
        );
  return {
    policy: w.policy.name,
    host: {
      vhe: w.host.vhe,
      armv8pmuHpmnMax: w.host.armv8pmuHpmnMax,
      cpus: w.host.cpus.map((c) => ({ id: c.id, cpu: c.pe.config.cpu.name, pmu: w.host.pmus[c.pmu]!.name })),
      pmus: w.host.pmus.map((p) => ({
        name: p.name,
        type: p.type,
        n: p.n,
        hpmnMax: p.hpmnMax,
        cntrMask: hex(p.cntrMask),
      })),
      log: w.log,
    },
    ioctls: r.ioctls,
    cpu: r.cpu,
    /** How KVM_RUN returned (null: it was refused); the process's exit status is `status`. */
    kvmExit: r.exit ?? null,
    status: r.problems.length === 0 ? 0 : 1,
    loadTrace: r.loadTrace,
    mdcrEl2: decoded(r.mdcrEl2AtLoad) ?? null,
    mdcrEl2After: r.mdcrEl2After === undefined ? null : hex(r.mdcrEl2After),
    hpmn: r.atLoad?.hpmn ?? null,
    nrPmuCounters: r.nrPmuCounters,
    kvmPmcrN: r.kvmPmcrN ?? null,
    guestReads: r.guestReads.map((g) => ({
      when: g.when,
      by: g.by,
      ...outcomeJson(g.outcome),
      n: g.n ?? null,
      why: g.why,
    })),
    trapped: r.atLoad?.trapped ?? [],
    trappedAfter: r.trappedAfter,
    guestCount: guestCountJson(r.guestCount),
    guestWrite:
      r.guestWrite === undefined
        ? null
        : { when: r.guestWrite.when, by: r.guestWrite.by, ...outcomeJson(r.guestWrite.outcome) },
    problems: r.problems,
    notes: r.notes,
  };
}

/** The MDCR_EL2 fields that differ between two values, one line each: `TPM 1 -> 0`. */
function mdcrDiff(before: bigint, after: bigint): string[] {
  const def = lookupRegister('MDCR_EL2').def;
  const out: string[] = [];
  for (const f of def.fields) {
    if (f.name === 'RES0' || f.name === 'RES1') continue;
    const [hi, lo] = f.bits;
    const mask = ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
    const a = (before & mask) >> BigInt(lo);
    const b = (after & mask) >> BigInt(lo);
    if (a !== b) out.push(`${f.name} ${hex(a)} -> ${hex(b)}`);
  }
  return out;
}

/** For each refused ioctl, what a VMM does next, in one line. */
function vmmNextSteps(r: ScenarioReport): string[] {
  const out: string[] = [];
  for (const i of r.ioctls) {
    if (i.errno === undefined) continue;
    if (i.call.includes('SET_NR_COUNTERS')) {
      out.push(
        `${i.call} was refused (${i.errno}): keep the default nr_pmu_counters (${r.nrPmuCounters}) or ask for no more than the limit the message names`,
      );
    } else if (i.call.includes('ENABLE_PARTITION') || i.call.includes('PARTITION_PMU')) {
      out.push(
        `${i.call} was refused (${i.errno}): the kernel offers no partition here; a VMM falls back to the emulated vPMU`,
      );
    } else if (i.call.startsWith('KVM_RUN')) {
      out.push(`${i.call} was refused (${i.errno}): the vCPU cannot run; fix the set-up it names`);
    } else {
      out.push(`${i.call} was refused (${i.errno}): ${i.why}`);
    }
  }
  if (r.exit === 'FAIL_ENTRY_CPU_UNSUPPORTED')
    out.push(
      `KVM_RUN returned KVM_EXIT_FAIL_ENTRY on CPU ${r.cpu}: pin the vCPU thread to the VM's supported CPUs`,
    );
  return out;
}

/** Where this report rests on a reading of the kernel that the sources do not settle. */
function modelReadings(r: ScenarioReport): string[] {
  const name = r.world.policy.name;
  if (name !== 'v5' && name !== 'review') return [];
  return [
    "v5's kvm_arm_pmu_get_max_counters() is read literally as the popcount of the host-only cntr_mask (the counters reserved for the host); no v5 patch corrects it (src/kvm/vpmu.ts)",
  ];
}

export const kvmCommand: Command = {
  name: 'kvm',
  summary:
    'a VM with a partitioned PMU under a KVM policy: MDCR_EL2, what the guest sees, what traps, problems',
  help: `Usage: pmup kvm --cpu CPU [--policy POLICY] [--reserved-host K] [--nr N] [--on CPU]
                [--unsupported-check-first] [--json]

Boots a host whose CPU 0 is CPU (and CPU 1 is the --on CPU, when given) with
arm_pmuv3.reserved_host_counters = K (default -1: no partition; --reserved-host -1 says so),
then, as a VMM would: creates a VM with a partitioned vPMU (v5/review:
KVM_ENABLE_CAP(KVM_CAP_ARM_PARTITION_PMU); v6/v7: the vCPU attribute PMU_V3_ENABLE_PARTITION;
mainline: none), a vCPU with PMU_V3, sets the PMU interrupt (PPI 23), pins the VM's PMU to
CPU's PMU (SET_PMU), sets N counters (SET_NR_COUNTERS, when given), initialises the vPMU and
runs the vCPU on CPU 0, or on the --on CPU.

Prints every ioctl with its result, the kernel functions kvm_arch_vcpu_load() called, MDCR_EL2
field by field, what the guest sees (PMCR_EL0.N read at EL1 through the architecture model,
first while its PMU context is VIRTUAL, then after the switch to PHYSICAL) against what KVM
reports, the PMU registers that trap, and every problem: ioctls the kernel refuses, a reserved
MDCR_EL2.HPMN on that CPU, a guest PMCR_EL0.N other than the one KVM promised, host-owned counters
in the guest's range, kernel faults. What is harmless is listed as a note and does not change the
exit status: MDCR_EL2 trap bits KVM sets that are RES0 on the CPU (TTRF without FEAT_TRF, TPMS
without FEAT_SPE). With --json, "problems" and "notes" are lists of {"code", "message"}; the codes
are stable (hpmn-reserved, fgt-res0-set, ioctl-refused, mdcr-el2-res0-bit-set, ...).

POLICY is one of ${policyNames().join(', ')} (default v5; pmup policies lists them with
their variants), in any case, or all: one comparison table of every policy (src/cli/kvm_compare.ts).
CPU is a catalogue name (pmup cpus) or inline JSON such as
'{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_FGT","FEAT_VHE"]}'.
--unsupported-check-first sets the unsupported-CPU flag before MDCR_EL2 is computed (the reviewer's
proposal) instead of at the end of kvm_arch_vcpu_load() as mainline does.
${SCENARIO_OPTIONS_HELP}

Exit status: 0 no problem, 1 a problem found, 2 bad input.

Examples:
  pmup kvm --cpu neoverse-n2 --reserved-host 2 --nr 2 --policy v5
  pmup kvm --cpu qemu-max-8-2 --reserved-host -1 --policy mainline
  pmup kvm --cpu qemu-max-8-2 --reserved-host 2 --nr 4 --policy v6
  pmup kvm --cpu cortex-a710 --on cortex-a510 --reserved-host 14 --nr 8 --policy review
  pmup kvm --cpu cortex-a710 --on cortex-a510 --reserved-host 14 --nr 8 --policy review --unsupported-check-first`,
  run(argv): CommandResult {
    const { values, positionals } = parseCommandArgs('kvm', argv, {
      cpu: { type: 'string' },
      on: { type: 'string' },
      policy: { type: 'string' },
      'reserved-host': { type: 'string' },
      nr: { type: 'string' },
      'unsupported-check-first': { type: 'boolean' },
      'enable-partition-last': { type: 'boolean' },
      'ioctl-cpu': { type: 'string' },
      'run-cpu': { type: 'string' },
      'host-events': { type: 'string' },
      'guest-writes-pmcr': { type: 'string' },
      json: { type: 'boolean' },
    });
    expectPositionals('kvm', positionals, 0);
    if (values.cpu === undefined) throw new InputError('kvm: --cpu is required (see pmup cpus)');
    const all = values.policy === 'all';
    const policy = lookupPolicy(all ? 'v5' : (values.policy ?? 'v5'));
    const cpu = parseCpu(values.cpu);
    const on = values.on === undefined ? undefined : parseCpu(values.on);
    const reserved =
      values['reserved-host'] === undefined
        ? -1
        : intOption(
            values['reserved-host'],
            '--reserved-host',
            -1,
            cpu.n,
            `-1 for none, else at most N = ${cpu.n} of ${cpu.name}`,
          );
    const nr =
      values.nr === undefined
        ? undefined
        : intOption(values.nr, '--nr', 0, 31, 'PMCR_EL0.N has 5 bits, counters 0..30');
    const options = {
      cpu,
      ...(on === undefined ? {} : { on }),
      reservedHostCounters: reserved,
      ...(nr === undefined ? {} : { nr }),
      unsupportedCheckFirst: values['unsupported-check-first'] === true,
      ...scenarioCpuOptions(values, on !== undefined),
    };
    if (all) return kvmCompare(options, values.json === true);
    const report = kvmPartitionScenario({ policy, ...options });
    const cpuOf = (id: number) => report.world.host.cpus[id]!.pe.config.cpu;
    const text = values.json ? JSON.stringify(reportJson(report, cpuOf), null, 2) : reportText(report, cpuOf);
    return { stdout: `${text}\n`, status: report.problems.length === 0 ? 0 : 1 };
  },
};
