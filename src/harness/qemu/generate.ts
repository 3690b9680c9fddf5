// SPDX-License-Identifier: MIT
/**
 * A list of scenarios on one CPU becomes one bare-metal AArch64 program (GNU assembler text): the
 * runtime (harness/qemu/runtime.S: vectors at EL1 and EL2 that record an exception's EL and ESR
 * and skip the instruction, UART output, semihosting exit) followed by, for each scenario, the
 * harness reset of the PMU at EL2, the EL2 set-up and `before` instructions, an ERET to the guest
 * program at EL1 that ends with HVC, and the `after` instructions at EL2. Each MRS and MSR stores
 * (EL, ESR, Xt) in a buffer; EL2 prints the buffer after the scenario, so that the printing does
 * not run while the guest's counters count.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { encodingOf, type RegisterRef } from '../../arch/catalogue.js';
import type { CpuDef } from '../../arch/cpus.js';
import { genericName } from '../../arch/encoding.js';
import { isObserved, type PlacedInsn, type Scenario } from '../../scenario/schema.js';

/**
 * GICD_ISPENDR0 of the -M virt GICv2 distributor (0x08000000 + 0x200, GIC architecture
 * specification IHI 0048B 4.3.7): bit 23 is INTID 23, PPI 7, the PMU interrupt of -M virt
 * (QEMU hw/arm/virt.c VIRTUAL_PMU_IRQ 7). A level-sensitive PPI reads pending while asserted.
 */
const GICD_ISPENDR0 = 0x08000200n;
const PMU_INTID = 23;

/** The value Xt holds before each MRS: a read that executes as a NOP leaves it. */
export const SENTINEL = 0x5e5e5e5e5e5e5e5en;

/** The runtime's text (our own assembly, harness/qemu/runtime.S). */
export function runtimeText(): string {
  return readFileSync(new URL('../../../harness/qemu/runtime.S', import.meta.url), 'utf8');
}

/** Where the linker script is. */
export function linkerScript(): string {
  return new URL('../../../harness/qemu/link.ld', import.meta.url).pathname;
}

/** The assembler's name for a register instance: its generic encoding, which every assembler takes. */
function asmName(reg: RegisterRef): string {
  return genericName(encodingOf(reg.def, reg.n));
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** The MRS and MSR instructions of a scenario, in program order: the observations QEMU prints. */
export function observedInsns(s: Scenario): PlacedInsn[] {
  return s.program.filter((p) => isObserved(p.insn));
}

/**
 * The harness reset, at EL2, before every scenario: the state the model starts from
 * (src/scenario/model.ts scenarioStart): MDCR_EL2.HPMN = N and nothing else; every counter 0
 * (PMCR_EL0.P and C written at EL2 reset every event counter and PMCCNTR_EL0, D24.5.8), PMCR_EL0
 * 0, the enable, interrupt-enable and overflow bitmaps cleared, PMSELR_EL0, PMUSERENR_EL0,
 * PMCCFILTR_EL0 and every PMEVTYPER<n>_EL0 0.
 */
function resetText(cpu: CpuDef): string[] {
  const w = (reg: string, v: bigint) => [`        ldr     x0, =${hex(v)}`, `        msr     ${reg}, x0`];
  const out = [
    ...w('mdcr_el2', BigInt(cpu.n)),
    '        isb',
    ...w('pmcr_el0', 0x6n),
    ...w('pmcr_el0', 0n),
    ...w('pmcntenclr_el0', 0xffffffffn),
    ...w('pmintenclr_el1', 0xffffffffn),
    ...w('pmovsclr_el0', 0xffffffffn),
    ...w('pmselr_el0', 0n),
    ...w('pmuserenr_el0', 0n),
    ...w('pmccfiltr_el0', 0n),
  ];
  for (let n = 0; n < cpu.n; n++) out.push(`        msr     pmevtyper${n}_el0, xzr`);
  out.push('        isb');
  return out;
}

function insnText(p: PlacedInsn): string[] {
  const i = p.insn;
  switch (i.kind) {
    case 'isb':
      return ['        isb'];
    case 'loop':
      return [`        mov     x9, #${i.loop}`, '1:      subs    x9, x9, #1', '        b.ne    1b'];
    case 'mrs':
      return [
        `        mov     x0, x23`,
        `        mov     x27, xzr`,
        `        mrs     x0, ${asmName(i.reg)}            // ${i.reg.name}`,
        '        stp     x27, x28, [x24], #16',
        '        str     x0, [x24], #8',
      ];
    case 'pmuirq':
      return [
        `        ldr     x1, =${hex(GICD_ISPENDR0)}`,
        `        mov     x27, xzr`,
        '        ldr     w0, [x1]',
        `        ubfx    x0, x0, #${PMU_INTID}, #1          // PMUIRQ level`,
        '        stp     x27, x28, [x24], #16',
        '        str     x0, [x24], #8',
      ];
    case 'msr':
      return [
        `        ldr     x0, =${hex(i.value)}`,
        `        mov     x27, xzr`,
        `        msr     ${asmName(i.reg)}, x0            // ${i.reg.name}`,
        '        stp     x27, x28, [x24], #16',
        '        str     x0, [x24], #8',
      ];
  }
}

/**
 * From EL`from`, an exception return to `target` at the mode `spsr` (M[3:0] and DAIF masked, as
 * SPSR_ELx encodes them, D24.2), after keeping in `link` where to continue when the lower level
 * comes back (HVC or SVC).
 */
function eretTo(
  from: 1 | 2,
  link: string,
  back: string,
  target: string,
  spsr: number,
  mode: string,
): string[] {
  return [
    `        adr     ${link}, ${back}`,
    `        adr     x0, ${target}`,
    `        msr     elr_el${from}, x0`,
    `        mov     x0, #0x${spsr.toString(16)}                    // SPSR_EL${from}: ${mode}, DAIF masked`,
    `        msr     spsr_el${from}, x0`,
    '        isb',
    '        eret',
  ];
}

/**
 * The EL0 program, when the scenario has one: EL1 ERETs to it (SPSR_EL1 EL0t, DAIF masked) and
 * it returns with SVC, which the EL1 vector for synchronous exceptions from a lower EL turns into
 * a branch to x22.
 */
function el0Text(s: Scenario, l: string): string[] {
  const insns = s.program.filter((p) => p.part === 'el0');
  if (insns.length === 0) return [];
  return [
    ...eretTo(1, 'x22', `${l}_el0_back`, `${l}_el0`, 0x3c0, 'EL0t'),
    `${l}_el0:`,
    ...insns.flatMap(insnText),
    '        svc     #0',
    `${l}_el0_back:`,
  ];
}

/** One scenario's program, with id `sid`. */
function scenarioText(s: Scenario, cpu: CpuDef, sid: number): string[] {
  const l = `s${sid}`;
  const out = [
    `// scenario ${sid}: ${s.name} (${s.where})`,
    `${l}:`,
    ...resetText(cpu),
    '        ldr     x24, =obs_buffer',
  ];
  const part = (name: string) => s.program.filter((p) => p.part === name).flatMap(insnText);
  out.push(...part('el2'), ...part('before'));
  out.push(
    ...eretTo(2, 'x25', `${l}_after`, `${l}_guest`, 0x3c5, 'EL1h'),
    `${l}_guest:`,
    ...part('guest'),
    ...el0Text(s, l),
    '        hvc     #0',
    `${l}_after:`,
    ...part('after'),
    `        mov     x1, #${sid}`,
    `        mov     x2, #${observedInsns(s).length}`,
    '        bl      report',
    `        b       ${l}_end`,
    '        .ltorg',
    `${l}_end:`,
  );
  return out;
}

/** The whole program for `scenarios` on `cpu`: scenario k has id k. */
export function generateProgram(scenarios: readonly Scenario[], cpu: CpuDef): string {
  const body = scenarios.flatMap((s, k) => scenarioText(s, cpu, k));
  return `${runtimeText()}\n${body.join('\n')}\n        b       finish\n        .ltorg\n`;
}
