// SPDX-License-Identifier: MIT
/** Deterministic generator of architecture requests for the benchmarks. */

const CPUS = ['neoverse-n2', 'neoverse-n1', 'cortex-a53', 'cortex-a76', 'qemu-max'];
const REGS = [
  'PMCR_EL0',
  'PMCNTENSET_EL0',
  'PMCNTENCLR_EL0',
  'PMOVSSET_EL0',
  'PMINTENSET_EL1',
  'PMSELR_EL0',
  'PMEVCNTR0_EL0',
  'PMEVCNTR3_EL0',
  'PMEVCNTR5_EL0',
  'PMEVTYPER1_EL0',
  'PMCCNTR_EL0',
  'PMXEVCNTR_EL0',
  'PMUSERENR_EL0',
];

/** A small xorshift PRNG, so every run measures the same requests. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** The i-th request line of a deterministic stream. */
export function requestLine(r: () => number, i: number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const hpmn = 1 + Math.floor(r() * 6);
  const steps: object[] = [];
  const nsteps = 1 + Math.floor(r() * 8);
  for (let s = 0; s < nsteps; s++) {
    const k = r();
    const el = Math.floor(r() * 3);
    if (k < 0.4) steps.push({ el, read: pick(REGS) });
    else if (k < 0.7)
      steps.push({ el, write: pick(REGS), value: `0x${Math.floor(r() * 0xffffffff).toString(16)}` });
    else
      steps.push({
        count: { event: pick(['0x08', '0x11', '0x00', '0x1e']), el, times: Math.floor(r() * 1e9) },
      });
  }
  return JSON.stringify({
    id: i,
    cpu: pick(CPUS),
    regs: {
      MDCR_EL2: `0x${(0x80 | hpmn).toString(16)}`,
      PMCR_EL0: '0x1',
      PMCNTENSET_EL0: '0x8000003f',
      PMEVTYPER0_EL0: '0x8',
      PMEVTYPER1_EL0: '0x11',
    },
    steps,
    final: ['PMEVCNTR0_EL0', 'PMCCNTR_EL0', 'PMOVSSET_EL0'],
  });
}
