// SPDX-License-Identifier: MIT
// Random PE states for property tests: a few CPU shapes and arbitrary register values, with
// MDCR_EL2.HPMN legal (1..N, or 0 with FEAT_HPMN0), any 5-bit value, or reserved.
import fc from 'fast-check';
import { type CpuDef, parseInlineCpu } from '../../src/arch/cpus.js';
import { makePeState } from '../../src/arch/pmu/state.js';

export interface Cpu {
  readonly cpu: CpuDef;
  readonly n: number;
  readonly hpmn0: boolean;
  readonly el3: boolean;
  readonly icntr: boolean;
  readonly v3p5: boolean;
}

function inline(pmuVer: string, n: number, features: string[]): Cpu {
  return {
    cpu: parseInlineCpu({ pmuVer, n, features }),
    n,
    hpmn0: features.includes('FEAT_HPMN0'),
    el3: features.includes('FEAT_EL3'),
    icntr: features.includes('FEAT_PMUv3_ICNTR'),
    v3p5: !['PMUv3', 'PMUv3p1', 'PMUv3p4'].includes(pmuVer),
  };
}

export const CPUS: readonly Cpu[] = [
  inline('PMUv3p1', 6, []),
  inline('PMUv3p5', 6, ['FEAT_FGT']),
  inline('PMUv3p5', 5, ['FEAT_FGT', 'FEAT_EL3', 'FEAT_VHE']),
  inline('PMUv3p9', 8, ['FEAT_FGT2', 'FEAT_PMUv3_ICNTR', 'FEAT_HPMN0', 'FEAT_EL3']),
  inline('PMUv3p7', 4, ['FEAT_FGT', 'FEAT_HPMN0', 'FEAT_NV', 'FEAT_NV2']),
  inline('PMUv3', 31, ['FEAT_FGT']),
  inline('PMUv3p9', 1, ['FEAT_FGT']),
  inline('PMUv3p9', 7, ['FEAT_FGT']),
];

export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bitsOf = (width: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n });
/** Sparse 64-bit values: a few set bits, so that single trap bits are often 0 and often 1. */
export const sparse = fc
  .array(fc.integer({ min: 0, max: 63 }), { maxLength: 6 })
  .map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n));

/** HCR_EL2 bits the accessors read: TID3 [18], TGE [27], E2H [34], NV [42], NV1 [43], NV2 [45] (D24.2.62). */
const hcr = fc.subarray([18, 27, 34, 42, 43, 45]).map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n));

export const COUNTER_NAMES = [
  ...Array.from({ length: 31 }, (_, i) => `PMEVCNTR${i}_EL0`),
  ...Array.from({ length: 31 }, (_, i) => `PMEVTYPER${i}_EL0`),
  'PMCCNTR_EL0',
  'PMICNTR_EL0',
  'PMCCFILTR_EL0',
  'PMICFILTR_EL0',
];

/** The reserved values of MDCR_EL2.HPMN for `c`: greater than N, and 0 without FEAT_HPMN0 (D24.3.17). */
export function reservedHpmns(c: Cpu): number[] {
  const out: number[] = c.hpmn0 ? [] : [0];
  for (let h = c.n + 1; h <= 31; h++) out.push(h);
  return out;
}

/**
 * A random PE state for `c`, with its HPMN: not reserved (default), any 5-bit value (`hpmnAny`)
 * or reserved (`reserved`).
 */
export function stateArb(c: Cpu, opts: { readonly hpmnAny?: boolean; readonly reserved?: boolean } = {}) {
  const hpmnArb =
    opts.reserved === true
      ? fc.constantFrom(...reservedHpmns(c))
      : opts.hpmnAny === true
        ? fc.integer({ min: 0, max: 31 })
        : fc.integer({ min: c.hpmn0 ? 0 : 1, max: c.n });
  return fc
    .record({
      hpmn: hpmnArb,
      mdcr: sparse,
      hcr,
      userenr: bitsOf(7),
      uacr: bitsOf(33),
      fgtR: sparse,
      fgtW: sparse,
      // FGT2 bits trap when 0: random words leave about half of them open.
      fgt2R: fc.oneof(sparse, u64),
      fgt2W: fc.oneof(sparse, u64),
      pmcr: bitsOf(10),
      cnten: bitsOf(33),
      inten: bitsOf(33),
      ovs: bitsOf(33),
      sel: fc.integer({ min: 0, max: 31 }),
      counters: fc.array(u64, { minLength: COUNTER_NAMES.length, maxLength: COUNTER_NAMES.length }),
      // SCR_EL3: NS [0], RW [10], TID3 [18], FGTEn [27], FGTEn2 [59]; MDCR_EL3: TPM [6], EnPM2 [7], TDA [9].
      scr: fc
        .subarray([18, 27, 59])
        .map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 1n | (1n << 10n))),
      mdcr3: fc.subarray([6, 7, 9]).map((bs) => bs.reduce((v, b) => v | (1n << BigInt(b)), 0n)),
    })
    .map((r) => {
      const regs: Record<string, bigint> = {
        MDCR_EL2: (r.mdcr & ~0x1fn) | BigInt(r.hpmn),
        HCR_EL2: r.hcr,
        PMUSERENR_EL0: r.userenr,
        PMUACR_EL1: r.uacr,
        HDFGRTR_EL2: r.fgtR,
        HDFGWTR_EL2: r.fgtW,
        HDFGRTR2_EL2: r.fgt2R,
        HDFGWTR2_EL2: r.fgt2W,
        PMCR_EL0: r.pmcr,
        PMCNTENSET_EL0: r.cnten,
        PMINTENSET_EL1: r.inten,
        PMOVSSET_EL0: r.ovs,
        PMSELR_EL0: BigInt(r.sel),
      };
      COUNTER_NAMES.forEach((name, i) => {
        // Without FEAT_PMUv3p5 an event counter holds 32 bits (D24.5.10 PMEVCNTR<n>_EL0 [63:32] RES0).
        const narrow = !c.v3p5 && name.startsWith('PMEVCNTR');
        regs[name] = narrow ? r.counters[i]! & 0xffff_ffffn : r.counters[i]!;
      });
      if (c.el3) {
        regs['SCR_EL3'] = r.scr;
        regs['MDCR_EL3'] = r.mdcr3;
      }
      return { pe: makePeState(c.cpu, regs), hpmn: r.hpmn, regs };
    });
}
