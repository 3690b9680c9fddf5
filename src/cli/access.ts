// SPDX-License-Identifier: MIT
import { lookupRegister, type RegisterRef } from '../arch/catalogue.js';
import { parseCpu } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import { parseRegisterValue } from '../arch/fields.js';
import { type El, makePeState } from '../arch/pmu/state.js';
import { checkChoice, initialRegisters } from '../arch/request.js';
import { type PeStep, stepOutcomes } from '../arch/step.js';
import type { Choices, RuleName } from '../arch/unpredictable.js';
import { stepOutcomesJson } from '../protocol/arch.js';
import type { Command } from './command.js';
import { parseCommandArgs, VALUE_RULE } from './command.js';
import { hex } from './format.js';
import { ok } from './io.js';
import { outcomesInWords } from './outcomes.js';

function pairs(list: readonly string[] | undefined, what: string): [string, string][] {
  return (list ?? []).map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InputError(`${what}: expected NAME=VALUE, got ${JSON.stringify(p)}`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

/** The --set registers, each once (a SET/CLR pair is one register), with their values as read. */
function setRegisters(list: readonly string[] | undefined): Record<string, bigint> {
  const entries = pairs(list, '--set').map(([name, v]): [string, bigint] => {
    const ref = lookupRegister(name);
    return [ref.name, parseRegisterValue(v, `--set ${ref.name}`)];
  });
  return Object.fromEntries(initialRegisters(entries, '--set'));
}

/** The --choose choices: known rules, each once, with one of its behaviours. */
function chooseOptions(list: readonly string[] | undefined): Choices {
  const choices: Partial<Record<RuleName, string>> = {};
  for (const [rule, b] of pairs(list, '--choose')) {
    const name = checkChoice(rule, b, '--choose');
    if (choices[name] !== undefined) throw new InputError(`--choose: ${name} is given twice; give it once`);
    choices[name] = b;
  }
  return choices;
}

/** `EL1 write of REG = VALUE on CPU (REG = VALUE, ...)`: the access with every value as read. */
function accessHead(
  step: { readonly el: number; readonly reg: RegisterRef; readonly value?: bigint },
  regs: Readonly<Record<string, bigint>>,
  cpuName: string,
): string {
  const what =
    step.value === undefined
      ? `read of ${step.reg.name}`
      : `write of ${step.reg.name} = ${hex(step.value, 16)}`;
  const given = Object.entries(regs).map(([name, v]) => `${name} = ${hex(v, 16)}`);
  return `EL${step.el} ${what} on ${cpuName}${given.length === 0 ? '' : ` (${given.join(', ')})`}`;
}

export const accessCommand: Command = {
  name: 'access',
  summary: 'one MRS/MSR from EL0/EL1/EL2 through the model: outcome and the rule that decided it',
  help: `Usage: pmup access --cpu CPU [--el 0|1|2] [--set REG=VALUE...] [--choose RULE=BEHAVIOUR...]
                   (read REG | write REG VALUE) [--json]

Runs one system-register access against a PE whose registers are 0 except those given with
--set (a SET/CLR pair is one register: --set PMCNTENSET_EL0=0x3), and prints the outcome (ok
with the value read, UNDEFINED, or a trap with its target EL, EC and ISS) and the rule that
decided it. --el defaults to 1. Each register is given once. Without --set MDCR_EL2, MDCR_EL2.HPMN
is N, as firmware and Linux leave it at boot (every other MDCR_EL2 bit 0); the batch protocol keeps
"registers not given are 0".

Where the Arm ARM says CONSTRAINED UNPREDICTABLE (a reserved MDCR_EL2.HPMN, a counter index out
of range without FEAT_FGT, ...), the access is evaluated under every permitted behaviour: when
they agree that is the answer ("met:" names the case); when a read differs only in some bits,
those bits are UNKNOWN; otherwise each distinct outcome is listed with the behaviours that give
it. --choose RULE=BEHAVIOUR follows one behaviour where it is permitted; RULE and BEHAVIOUR are
names of UNPREDICTABLE_RULES (src/arch/unpredictable.ts, docs/protocol.md), e.g. RES_HPMN=hpmn-2,
each rule once.
${VALUE_RULE}

Examples:
  pmup access --cpu neoverse-n2 --el 1 --set MDCR_EL2=0x84 read PMEVCNTR5_EL0
  pmup access --cpu neoverse-n2 --el 1 --set MDCR_EL2=0x4 read PMCR_EL0
  pmup access --cpu '{"pmuVer":"PMUv3p5","n":6,"features":["FEAT_FGT"]}' --set MDCR_EL2=0x4 read PMEVCNTR4_EL0
  pmup access --cpu neoverse-n2 --set MDCR_EL2=0x1f read PMCNTENSET_EL0`,
  run(argv) {
    const { values, positionals } = parseCommandArgs('access', argv, {
      cpu: { type: 'string' },
      el: { type: 'string' },
      set: { type: 'string', multiple: true },
      choose: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (values.cpu === undefined) throw new InputError('access: --cpu is required (see pmup cpus)');
    const cpu = parseCpu(values.cpu);
    const elText = values.el ?? '1';
    if (!/^[012]$/.test(elText))
      throw new InputError(`access: --el must be 0, 1 or 2, got ${JSON.stringify(elText)}`);
    const el = Number(elText) as El;
    const regs = setRegisters(values.set);
    const choices = chooseOptions(values.choose);
    const [dir, regName, valueText, ...extra] = positionals;
    if ((dir !== 'read' && dir !== 'write') || regName === undefined || extra.length > 0) {
      throw new InputError('access: expected "read REG" or "write REG VALUE" (see pmup access --help)');
    }
    if ((dir === 'read') !== (valueText === undefined)) {
      throw new InputError(dir === 'read' ? 'access: read takes no VALUE' : 'access: write needs a VALUE');
    }
    const reg = lookupRegister(regName);
    // Without --set MDCR_EL2 the PE has MDCR_EL2.HPMN = N, as firmware and Linux leave it at boot
    // (TF-A lib/extensions/pmuv3 init_mdcr_el2_hpmn(): "its hardware reset value", PMCR_EL0.N;
    // Linux arch/arm64/include/asm/el2_setup.h __init_el2_debug); every other register is 0.
    const bootHpmn = regs['MDCR_EL2'] === undefined;
    const pe = makePeState(cpu, bootHpmn ? { ...regs, MDCR_EL2: BigInt(cpu.n) } : regs);
    const step: PeStep =
      dir === 'read'
        ? { kind: 'read', el, reg, rt: 0 }
        : { kind: 'write', el, reg, value: parseRegisterValue(valueText ?? '', `${reg.name} value`), rt: 0 };
    const r = stepOutcomes(pe, step, choices);
    const why = r.kind === 'unpredictable' ? r.why : r.rule;
    if (values.json) return ok(JSON.stringify({ ...stepOutcomesJson(r), rule: why }));
    const words = outcomesInWords(pe, r);
    const lines = [`${accessHead(step, regs, cpu.name)}: ${words.head}`];
    for (const l of words.lines) lines.push(`  ${l}`);
    lines.push(`why: ${why}`);
    if (r.kind === 'determined' && r.via !== undefined) {
      lines.push(`(CONSTRAINED UNPREDICTABLE ${r.via}, resolved by --choose)`);
    }
    if (r.met.length > 0 && r.kind === 'determined') {
      lines.push(`met: ${r.met.join(', ')} (every permitted behaviour gives this answer)`);
    }
    if (bootHpmn) lines.push(`(MDCR_EL2.HPMN = ${cpu.n} = N, as at boot; --set MDCR_EL2=VALUE to change it)`);
    return ok(lines.join('\n'));
  },
};
