// SPDX-License-Identifier: MIT
// accessSysreg(): MRS/MSR of the PMU registers and their neighbours, one row per architectural
// rule. Each row cites the Arm ARM DDI0487 M.a.a text it checks; the expected outcome, ISS and
// values are worked out by hand from that text (encodings from the "Accessing ..." tables, the ISS
// layout from D24.2.46), never by running the model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AccessOutcome, accessSysreg } from '../../src/arch/access.js';
import { lookupRegister } from '../../src/arch/catalogue.js';
import { type CpuDef, parseInlineCpu } from '../../src/arch/cpus.js';
import { type El, makePeState, type PeState } from '../../src/arch/pmu/state.js';
import type { Choices, RuleName } from '../../src/arch/unpredictable.js';

/**
 * The ISS of EC 0x18 (D24.2.46 "ISS encoding for an exception from MSR, MRS, or System instruction
 * execution in AArch64 state"): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
 * CRm [4:1], Direction [0] (1 = read).
 */
function iss(
  op0: number,
  op1: number,
  crn: number,
  crm: number,
  op2: number,
  rt: number,
  read: boolean,
): number {
  return (
    op0 * 2 ** 20 + op2 * 2 ** 17 + op1 * 2 ** 14 + crn * 2 ** 10 + rt * 2 ** 5 + crm * 2 + (read ? 1 : 0)
  );
}

function trap(toEl: 1 | 2 | 3, issValue: number): AccessOutcome {
  return { kind: 'trap', toEl, ec: 0x18, iss: issValue };
}

const UNDEF: AccessOutcome = { kind: 'undefined' };

// Inline CPUs: N = 6 event counters throughout.
/** FEAT_FGT, PMUv3p5 (64-bit counters), no EL3. */
const FGT = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT'] });
/** No FEAT_FGT, PMUv3p1 (32-bit counters), no EL3. */
const NO_FGT = parseInlineCpu({ pmuVer: 'PMUv3p1', n: 6, features: [] });
/** PMUv3p9 with the instruction counter and FEAT_FGT2 (FEAT_PMUv3_ICNTR), no EL3. */
const V3P9 = parseInlineCpu({ pmuVer: 'PMUv3p9', n: 6, features: ['FEAT_FGT2', 'FEAT_PMUv3_ICNTR'] });
/** FEAT_FGT and EL3 (SCR_EL3.FGTEn = FGTEn2 = 1 and MDCR_EL3.EnPM2 = 1 by default). */
const EL3 = parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT', 'FEAT_EL3'] });

// Register values used below (bit positions from the field headings of the cited sections).
const HPMN4 = 4n; // MDCR_EL2.HPMN [4:0] = 4 (D24.3.17)
const MDCR_TPM = 1n << 6n; // MDCR_EL2.TPM, bit [6] (D24.3.17)
const MDCR_TPMCR = 1n << 5n; // MDCR_EL2.TPMCR, bit [5] (D24.3.17)
const MDCR3_TPM = 1n << 6n; // MDCR_EL3.TPM, bit [6] (D24.3.18)
const HCR_TGE = 1n << 27n; // HCR_EL2.TGE, bit [27] (D24.2.62)
const USERENR_EN = 1n; // PMUSERENR_EL0.EN, bit [0] (D24.5.26)
const USERENR_UEN = 1n << 4n; // PMUSERENR_EL0.UEN, bit [4] (D24.5.26)
const FGT_PMEVCNTRN = 1n << 12n; // HDFGRTR_EL2.PMEVCNTRn_EL0, bit [12] (D24.2.67)
const FGT2_NPMICNTR = 1n << 2n; // HDFGRTR2_EL2.nPMICNTR_EL0, bit [2] (D24.2.66)

/** Encodings (op0, op1, CRn, CRm, op2) from each register's "Accessing" table. */
const ENC = {
  PMCR_EL0: [3, 3, 9, 12, 0], // D24.5.8
  PMCNTENSET_EL0: [3, 3, 9, 12, 1], // D24.5.7
  PMEVCNTR0_EL0: [3, 3, 14, 8, 0], // D24.5.10, m = 0: CRm 0b10:m[4:3], op2 m[2:0]
  PMEVCNTR4_EL0: [3, 3, 14, 8, 4], // D24.5.10, m = 4
  PMICNTR_EL0: [3, 3, 9, 4, 0], // D24.5.15
} as const;

function issOf(reg: keyof typeof ENC, rt: number, read: boolean): number {
  const [op0, op1, crn, crm, op2] = ENC[reg];
  return iss(op0, op1, crn, crm, op2, rt, read);
}

interface Row {
  readonly name: string;
  readonly cpu: CpuDef;
  readonly regs?: Readonly<Record<string, bigint>>;
  readonly el: El;
  readonly dir: 'read' | 'write';
  readonly reg: string;
  readonly value?: bigint;
  readonly rt?: number;
  readonly choices?: Choices;
  /** The whole outcome, or, for a read whose value has bits the row does not pin, a check. */
  readonly expect: AccessOutcome | ((o: AccessOutcome) => void);
  readonly via?: RuleName;
  /** What the rule text must name (the check that decided). */
  readonly ruleMentions?: string;
  readonly after?: (pe: PeState) => void;
}

function field(value: bigint | undefined, lsb: number, width: number): bigint {
  assert.notEqual(value, undefined, 'the read produced no value');
  return ((value ?? 0n) >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n);
}

function readsN(n: number): (o: AccessOutcome) => void {
  return (o) => {
    assert.equal(o.kind, 'ok');
    // PMCR_EL0.N is bits [15:11] (D24.5.8).
    assert.equal(field(o.kind === 'ok' ? o.value : undefined, 11, 5), BigInt(n));
  };
}

const ROWS: readonly Row[] = [
  // --- Partition of the bitmap registers (D24.5.6/.7 P<m>: RAZ/WI when m >= GetNumEventCountersAccessible())
  {
    name: 'guest PMCNTENCLR_EL0 of all ones keeps the EL2 counters enabled (D24.5.6 P<m> RAZ/WI for m >= HPMN)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMCNTENSET_EL0: 0x8000003fn },
    el: 1,
    dir: 'write',
    reg: 'PMCNTENCLR_EL0',
    value: 0xffff_ffff_ffff_ffffn,
    expect: { kind: 'ok' },
    // P0..P3 and C (bit 31, never masked by HPMN) cleared; P4, P5 (second range) kept.
    after: (pe) => assert.equal(pe.regs.PMCNTENSET_EL0, 0x30n),
  },
  {
    name: 'EL2 PMCNTENCLR_EL0 of all ones clears every enable (D24.5.6: W1C; EL2 accesses all N counters)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMCNTENSET_EL0: 0x8000003fn },
    el: 2,
    dir: 'write',
    reg: 'PMCNTENCLR_EL0',
    value: 0xffff_ffff_ffff_ffffn,
    expect: { kind: 'ok' },
    after: (pe) => assert.equal(pe.regs.PMCNTENSET_EL0, 0n),
  },
  {
    name: 'guest PMCNTENSET_EL0 read hides the EL2 counters (D24.5.7 P<m> RAZ for m >= HPMN)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMCNTENSET_EL0: 0x8000003fn },
    el: 1,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: { kind: 'ok', value: 0x8000000fn },
  },
  {
    name: 'EL2 PMCNTENSET_EL0 read shows every counter (D24.5.7; J1.3 GetNumEventCountersAccessible() = N at EL2)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMCNTENSET_EL0: 0x8000003fn },
    el: 2,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: { kind: 'ok', value: 0x8000003fn },
  },
  {
    name: 'guest PMINTENSET_EL1 write cannot enable an EL2 counter interrupt (D24.5.18 P<m> RAZ/WI)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'write',
    reg: 'PMINTENSET_EL1',
    value: 0x3fn,
    expect: { kind: 'ok' },
    after: (pe) => assert.equal(pe.regs.PMINTENSET_EL1, 0x0fn),
  },
  {
    name: 'guest PMOVSCLR_EL0 cannot clear an EL2 counter overflow flag (D24.5.20 P<m> RAZ/WI)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMOVSSET_EL0: 0x30n },
    el: 1,
    dir: 'write',
    reg: 'PMOVSCLR_EL0',
    value: 0x3fn,
    expect: { kind: 'ok' },
    after: (pe) => assert.equal(pe.regs.PMOVSSET_EL0, 0x30n),
  },
  // --- PMCR_EL0.N (D24.5.8 N: "reads of this field from EL1 and EL0 return the Effective value of MDCR_EL2.HPMN")
  {
    name: 'guest reads PMCR_EL0.N as HPMN (D24.5.8 N)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: readsN(4),
  },
  {
    name: 'EL0 reads PMCR_EL0.N as HPMN too (D24.5.8 N; PMUSERENR_EL0.EN = 1)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMUSERENR_EL0: USERENR_EN },
    el: 0,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: readsN(4),
  },
  {
    name: 'EL2 reads PMCR_EL0.N as the number of counters (D24.5.8 N)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 2,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: readsN(6),
  },
  {
    name: 'PMCR_EL0.P and C read as zero (D24.5.8 P, C: WO)',
    cpu: FGT,
    regs: { PMCR_EL0: 0x7n },
    el: 2,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: (o) => {
      assert.equal(o.kind, 'ok');
      assert.equal(field(o.kind === 'ok' ? o.value : undefined, 0, 3), 1n); // E kept, C and P zero
    },
  },
  {
    name: 'PMCR_EL0 IMP/IDCODE come from the CPU (D24.5.8 IMP, IDCODE: IMPLEMENTATION DEFINED)',
    cpu: parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, impdef: { PMCR_EL0: '0x41030000' } }),
    el: 2,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: (o) => {
      assert.equal(o.kind, 'ok');
      assert.equal(field(o.kind === 'ok' ? o.value : undefined, 16, 16), 0x4103n);
    },
  },
  // --- PMEVCNTR<n>_EL0 and the HPMN range check (D24.5.10 "Accessing PMEVCNTR<n>_EL0")
  {
    name: 'PMEVCNTR<HPMN>_EL0 from EL1 traps to EL2 with FEAT_FGT (D24.5.10)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    rt: 7,
    expect: trap(2, issOf('PMEVCNTR4_EL0', 7, true)),
  },
  {
    name: 'MSR PMEVCNTR<HPMN>_EL0 from EL1 traps to EL2 with FEAT_FGT, Direction 0 (D24.5.10; D24.2.46)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'write',
    reg: 'PMEVCNTR4_EL0',
    value: 1n,
    rt: 30,
    expect: trap(2, issOf('PMEVCNTR4_EL0', 30, false)),
  },
  {
    name: 'PMEVCNTR<HPMN>_EL0 from EL1 without FEAT_FGT is CONSTRAINED UNPREDICTABLE (D24.5.10)',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    // UNDEFINED; RAZ/WI; NOP; as if n were an UNKNOWN value <= the highest accessible index (0..3);
    // trapped to EL2 (n < N, access from EL1).
    expect: {
      kind: 'unpredictable',
      rule: 'PMUEVENTCOUNTER',
      allowed: [
        'undefined',
        'raz-wi',
        'nop',
        'as-index-0',
        'as-index-1',
        'as-index-2',
        'as-index-3',
        'trap-el2',
      ],
    },
  },
  {
    name: 'a chosen RAZ/WI behaviour completes the read as zero (D24.5.10 "behave as RAZ/WI")',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR4_EL0: 9n },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    choices: { PMUEVENTCOUNTER: 'raz-wi' },
    expect: { kind: 'ok', value: 0n },
    via: 'PMUEVENTCOUNTER',
  },
  {
    name: 'a chosen "as if n were 2" reads PMEVCNTR2_EL0 (D24.5.10 UNKNOWN accessible index)',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR2_EL0: 0x22n, PMEVCNTR4_EL0: 0x44n },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    choices: { PMUEVENTCOUNTER: 'as-index-2' },
    expect: { kind: 'ok', value: 0x22n },
    via: 'PMUEVENTCOUNTER',
  },
  {
    name: 'PMEVCNTR<HPMN>_EL0 at EL2 is a plain access (D24.5.10: no range check in the EL2 branch)',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR4_EL0: 0x44n },
    el: 2,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    expect: { kind: 'ok', value: 0x44n },
  },
  {
    name: 'PMEVCNTR<n>_EL0 with n >= N is UNDEFINED with FEAT_FGT, at EL1 (D24.5.10; D13.11 SRPKH)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR6_EL0',
    expect: UNDEF,
  },
  {
    name: 'PMEVCNTR<n>_EL0 with n >= N is UNDEFINED with FEAT_FGT, at EL2 too (D24.5.10)',
    cpu: FGT,
    el: 2,
    dir: 'write',
    reg: 'PMEVCNTR30_EL0',
    value: 1n,
    expect: UNDEF,
  },
  {
    name: 'n >= N beats the PMUSERENR_EL0 gate: UNDEFINED at EL0 with EN = 0 (D24.5.10 check order)',
    cpu: FGT,
    el: 0,
    dir: 'read',
    reg: 'PMEVCNTR7_EL0',
    expect: UNDEF,
  },
  {
    name: 'PMEVTYPER<n>_EL0 with n >= N at EL2 without FEAT_FGT: CONSTRAINED UNPREDICTABLE, no trap to EL2 (D24.5.12)',
    cpu: NO_FGT,
    el: 2,
    dir: 'read',
    reg: 'PMEVTYPER6_EL0',
    expect: {
      kind: 'unpredictable',
      rule: 'PMUEVENTCOUNTER',
      allowed: [
        'undefined',
        'raz-wi',
        'nop',
        'as-index-0',
        'as-index-1',
        'as-index-2',
        'as-index-3',
        'as-index-4',
        'as-index-5',
      ],
    },
  },
  // --- PMXEVCNTR_EL0 / PMXEVTYPER_EL0 (D24.5.27, D24.5.28)
  {
    name: 'PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31 is UNDEFINED with FEAT_FGT (D24.5.27; D24.5.22 SEL)',
    cpu: FGT,
    regs: { PMSELR_EL0: 31n },
    el: 1,
    dir: 'read',
    reg: 'PMXEVCNTR_EL0',
    expect: UNDEF,
  },
  {
    name: 'PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31 is UNDEFINED with FEAT_FGT at EL2 (D24.5.27)',
    cpu: FGT,
    regs: { PMSELR_EL0: 31n },
    el: 2,
    dir: 'write',
    reg: 'PMXEVCNTR_EL0',
    value: 5n,
    expect: UNDEF,
  },
  {
    name: 'PMXEVCNTR_EL0 with SEL = HPMN from EL1 traps to EL2 with FEAT_FGT, ISS of PMXEVCNTR_EL0 (D24.5.27)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMSELR_EL0: 4n },
    el: 1,
    dir: 'read',
    reg: 'PMXEVCNTR_EL0',
    rt: 2,
    expect: trap(2, iss(3, 3, 9, 13, 2, 2, true)), // D24.5.27: 0b11 0b011 0b1001 0b1101 0b010
  },
  {
    name: 'PMXEVTYPER_EL0 with SEL = 31 accesses PMCCFILTR_EL0 (D24.5.28; D24.5.22 SEL)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMSELR_EL0: 31n, PMCCFILTR_EL0: 0x8000_0000n },
    el: 1,
    dir: 'read',
    reg: 'PMXEVTYPER_EL0',
    expect: { kind: 'ok', value: 0x8000_0000n }, // PMCCFILTR_EL0.P, bit [31]
  },
  {
    name: 'PMXEVTYPER_EL0 with SEL = 31 is not trapped by HDFGRTR_EL2.PMCCFILTR_EL0 (D24.2.67 bit 14)',
    cpu: FGT,
    regs: { PMSELR_EL0: 31n, HDFGRTR_EL2: 1n << 14n },
    el: 1,
    dir: 'read',
    reg: 'PMXEVTYPER_EL0',
    expect: { kind: 'ok', value: 0n },
  },
  // --- EL0: PMUSERENR_EL0 comes before every EL2 trap (D24.5.7 accessor; D24.3.17 TPMCR)
  {
    name: 'PMUSERENR_EL0.EN = 0 traps EL0 to EL1 even with MDCR_EL2.TPM = 1 (D24.5.7)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM },
    el: 0,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    rt: 1,
    expect: trap(1, issOf('PMCNTENSET_EL0', 1, true)),
  },
  {
    name: 'PMUSERENR_EL0.EN = 0 traps EL0 to EL2 when HCR_EL2.TGE = 1 (D24.5.7; D24.5.26 EN)',
    cpu: FGT,
    regs: { HCR_EL2: HCR_TGE },
    el: 0,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: trap(2, issOf('PMCNTENSET_EL0', 0, true)),
  },
  {
    name: 'with PMUSERENR_EL0.EN = 1, MDCR_EL2.TPM traps EL0 to EL2 (D24.5.7)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM, PMUSERENR_EL0: USERENR_EN },
    el: 0,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: trap(2, issOf('PMCNTENSET_EL0', 0, true)),
    ruleMentions: 'MDCR_EL2.TPM',
  },
  {
    name: 'PMUSERENR_EL0.EN = 0 traps EL0 PMEVCNTR<HPMN>_EL0 to EL1 before the HPMN check (D24.5.10)',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4 },
    el: 0,
    dir: 'write',
    reg: 'PMEVCNTR4_EL0',
    value: 1n,
    expect: trap(1, issOf('PMEVCNTR4_EL0', 0, false)),
  },
  // --- Priorities among the EL2 traps (D24.5.10 accessor: FGT, then TPM, then the HPMN check)
  {
    name: 'MDCR_EL2.TPM beats the HPMN check: a trap, not CONSTRAINED UNPREDICTABLE, without FEAT_FGT (D24.5.10)',
    cpu: NO_FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR4_EL0',
    expect: trap(2, issOf('PMEVCNTR4_EL0', 0, true)),
    ruleMentions: 'MDCR_EL2.TPM',
  },
  {
    name: 'the fine-grained trap beats MDCR_EL2.TPM (D24.5.10: HDFGRTR_EL2.PMEVCNTRn_EL0 is tested first)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM, HDFGRTR_EL2: FGT_PMEVCNTRN },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR0_EL0',
    expect: trap(2, issOf('PMEVCNTR0_EL0', 0, true)),
    ruleMentions: 'HDFGRTR_EL2.PMEVCNTRn_EL0',
  },
  {
    name: 'HDFGRTR_EL2 does not apply to EL0 in the EL2&0 host regime (D24.5.10: !ELIsInHost(EL0))',
    cpu: parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT', 'FEAT_VHE'] }),
    // HCR_EL2.E2H is bit [34] (D24.2.62).
    regs: {
      MDCR_EL2: HPMN4,
      HDFGRTR_EL2: FGT_PMEVCNTRN,
      HCR_EL2: HCR_TGE | (1n << 34n),
      PMUSERENR_EL0: USERENR_EN,
    },
    el: 0,
    dir: 'read',
    reg: 'PMEVCNTR0_EL0',
    expect: { kind: 'ok', value: 0n },
  },
  {
    name: 'MDCR_EL2.TPMCR traps PMCR_EL0 at EL1 (D24.5.8; D24.3.17 TPMCR)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPMCR },
    el: 1,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: trap(2, issOf('PMCR_EL0', 0, true)),
  },
  {
    name: 'MDCR_EL2.TPMCR does not trap other PMU registers (D24.3.17 TPMCR: PMCR_EL0 only)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPMCR, PMCNTENSET_EL0: 1n },
    el: 1,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: { kind: 'ok', value: 1n },
  },
  {
    name: 'EL2 traps beat MDCR_EL3.TPM (D24.5.8: MDCR_EL2.TPM is tested before MDCR_EL3.TPM)',
    cpu: EL3,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM, MDCR_EL3: MDCR3_TPM },
    el: 1,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: trap(2, issOf('PMCR_EL0', 0, true)),
  },
  {
    name: 'MDCR_EL3.TPM traps EL2 PMU accesses to EL3 (D24.5.8 EL2 branch)',
    cpu: EL3,
    regs: { MDCR_EL2: HPMN4, MDCR_EL3: MDCR3_TPM },
    el: 2,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: trap(3, issOf('PMCR_EL0', 0, true)),
  },
  {
    name: 'SCR_EL3.FGTEn = 0 switches the fine-grained traps off (D24.5.10: (!HaveEL(EL3) || SCR_EL3.FGTEn == 1))',
    cpu: EL3,
    regs: { MDCR_EL2: HPMN4, HDFGRTR_EL2: FGT_PMEVCNTRN, SCR_EL3: 1n | (1n << 10n), PMEVCNTR0_EL0: 3n },
    el: 1,
    dir: 'read',
    reg: 'PMEVCNTR0_EL0',
    expect: { kind: 'ok', value: 3n },
  },
  // --- EL-specific UNDEFINED, direction
  {
    name: 'PMINTENSET_EL1 is UNDEFINED at EL0, whatever PMUSERENR_EL0 says (D24.5.18)',
    cpu: FGT,
    regs: { PMUSERENR_EL0: 0xfn },
    el: 0,
    dir: 'read',
    reg: 'PMINTENSET_EL1',
    expect: UNDEF,
  },
  {
    name: 'MSR PMUSERENR_EL0 is UNDEFINED at EL0 (D24.5.26)',
    cpu: FGT,
    el: 0,
    dir: 'write',
    reg: 'PMUSERENR_EL0',
    value: 1n,
    expect: UNDEF,
  },
  {
    name: 'MRS PMUSERENR_EL0 at EL0 is not gated by PMUSERENR_EL0 (D24.5.26)',
    cpu: FGT,
    regs: { PMUSERENR_EL0: 0x8n },
    el: 0,
    dir: 'read',
    reg: 'PMUSERENR_EL0',
    expect: { kind: 'ok', value: 0x8n },
  },
  {
    name: 'PMSWINC_EL0 has no MRS encoding: UNDEFINED (D24.5.24)',
    cpu: FGT,
    el: 2,
    dir: 'read',
    reg: 'PMSWINC_EL0',
    expect: UNDEF,
  },
  {
    name: 'PMCEID0_EL0 has no MSR encoding: UNDEFINED (D24.5.4)',
    cpu: FGT,
    el: 1,
    dir: 'write',
    reg: 'PMCEID0_EL0',
    value: 1n,
    expect: UNDEF,
  },
  {
    name: 'PMZR_EL0 is UNDEFINED without FEAT_PMUv3p9 (D24.5.29 Configuration)',
    cpu: FGT,
    el: 2,
    dir: 'write',
    reg: 'PMZR_EL0',
    value: 1n,
    expect: UNDEF,
  },
  {
    name: 'PMUACR_EL1 is UNDEFINED at EL0 (D24.5.25)',
    cpu: V3P9,
    el: 0,
    dir: 'read',
    reg: 'PMUACR_EL1',
    expect: UNDEF,
  },
  {
    name: 'MDCR_EL2 is UNDEFINED at EL1 without FEAT_NV (D24.3.17)',
    cpu: FGT,
    el: 1,
    dir: 'read',
    reg: 'MDCR_EL2',
    expect: UNDEF,
  },
  {
    name: 'MDCR_EL2 at EL2 is a plain register (D24.3.17)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4 | MDCR_TPM },
    el: 2,
    dir: 'read',
    reg: 'MDCR_EL2',
    expect: { kind: 'ok', value: HPMN4 | MDCR_TPM },
  },
  {
    name: 'HDFGRTR_EL2 is UNDEFINED without FEAT_FGT (D24.2.67)',
    cpu: NO_FGT,
    el: 2,
    dir: 'read',
    reg: 'HDFGRTR_EL2',
    expect: UNDEF,
  },
  // --- FGT2 negative-polarity bits (D24.5.15; D24.2.66 nPMICNTR_EL0)
  {
    name: 'HDFGRTR2_EL2.nPMICNTR_EL0 = 0 traps PMICNTR_EL0 at EL1 (D24.5.15)',
    cpu: V3P9,
    el: 1,
    dir: 'read',
    reg: 'PMICNTR_EL0',
    rt: 4,
    expect: trap(2, issOf('PMICNTR_EL0', 4, true)),
  },
  {
    name: 'HDFGRTR2_EL2.nPMICNTR_EL0 = 1 lets EL1 read PMICNTR_EL0 (D24.5.15)',
    cpu: V3P9,
    regs: { HDFGRTR2_EL2: FGT2_NPMICNTR, PMICNTR_EL0: 0x123n },
    el: 1,
    dir: 'read',
    reg: 'PMICNTR_EL0',
    expect: { kind: 'ok', value: 0x123n },
  },
  // --- EL0 with PMUSERENR_EL0.UEN = 1 (FEAT_PMUv3p9): PMUACR_EL1 filters after every trap (D24.5.10)
  {
    name: 'UEN = 1 and PMUACR_EL1.P0 = 0: EL0 reads of PMEVCNTR0_EL0 are RAZ (D24.5.10 "Permitted reads ... RAZ/WI")',
    cpu: V3P9,
    regs: { MDCR_EL2: HPMN4, PMUSERENR_EL0: USERENR_UEN, PMEVCNTR0_EL0: 7n },
    el: 0,
    dir: 'read',
    reg: 'PMEVCNTR0_EL0',
    expect: { kind: 'ok', value: 0n },
  },
  {
    name: 'UEN = 1 and PMUACR_EL1.P0 = 1: EL0 reads PMEVCNTR0_EL0 (D24.5.10)',
    cpu: V3P9,
    regs: { MDCR_EL2: HPMN4, PMUSERENR_EL0: USERENR_UEN, PMUACR_EL1: 1n, PMEVCNTR0_EL0: 7n },
    el: 0,
    dir: 'read',
    reg: 'PMEVCNTR0_EL0',
    expect: { kind: 'ok', value: 7n },
  },
  {
    name: 'UEN = 1 traps EL0 PMCR_EL0 accesses even with EN = 1 (D24.5.8)',
    cpu: V3P9,
    regs: { PMUSERENR_EL0: USERENR_UEN | USERENR_EN },
    el: 0,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: trap(1, issOf('PMCR_EL0', 0, true)),
  },
  // --- Values
  {
    name: 'event counters are 32-bit without FEAT_PMUv3p5: bits [63:32] of a write are dropped (D24.5.10 EVCNT)',
    cpu: NO_FGT,
    el: 2,
    dir: 'write',
    reg: 'PMEVCNTR0_EL0',
    value: 0x1_0000_0005n,
    expect: { kind: 'ok' },
    after: (pe) => assert.equal(pe.cnt[0], 5n),
  },
  {
    name: 'event counters are 64-bit with FEAT_PMUv3p5 (D24.5.10 EVCNT [63:0])',
    cpu: FGT,
    el: 2,
    dir: 'write',
    reg: 'PMEVCNTR0_EL0',
    value: 0x1_0000_0005n,
    expect: { kind: 'ok' },
    after: (pe) => assert.equal(pe.cnt[0], 0x1_0000_0005n),
  },
  {
    name: 'PMSELR_EL0.SEL >= N (not 31) without FEAT_FGT reads as UNKNOWN (D24.5.22 SEL)',
    cpu: NO_FGT,
    regs: { PMSELR_EL0: 7n },
    el: 2,
    dir: 'read',
    reg: 'PMSELR_EL0',
    expect: (o) => {
      assert.equal(o.kind, 'unpredictable');
      assert.equal(o.kind === 'unpredictable' ? o.rule : '', 'PMSELR_SEL');
    },
  },
  {
    name: 'PMSELR_EL0.SEL >= N reads back with FEAT_FGT (D24.5.22 SEL: the UNKNOWN case needs !FEAT_FGT)',
    cpu: FGT,
    regs: { PMSELR_EL0: 7n },
    el: 2,
    dir: 'read',
    reg: 'PMSELR_EL0',
    expect: { kind: 'ok', value: 7n },
  },
  // --- Reserved HPMN (D24.3.17 HPMN: values > N, or 0 without FEAT_HPMN0)
  {
    name: 'a reserved HPMN leaves guest PMCR_EL0.N to a choice (D24.3.17 HPMN; J1.3 EffectiveHPMN())',
    cpu: FGT,
    regs: { MDCR_EL2: 7n },
    el: 1,
    dir: 'read',
    reg: 'PMCR_EL0',
    expect: (o) => {
      assert.equal(o.kind, 'unpredictable');
      assert.equal(o.kind === 'unpredictable' ? o.rule : '', 'RES_HPMN');
    },
  },
  {
    name: 'with "as if HPMN were 3" chosen, guest PMCR_EL0.N reads 3 (D24.3.17 HPMN)',
    cpu: FGT,
    regs: { MDCR_EL2: 7n },
    el: 1,
    dir: 'read',
    reg: 'PMCR_EL0',
    choices: { RES_HPMN: 'hpmn-3' },
    expect: readsN(3),
    via: 'RES_HPMN',
  },
  {
    name: 'a direct read of a reserved MDCR_EL2.HPMN at EL2 is UNKNOWN (D24.3.17 HPMN)',
    cpu: FGT,
    regs: { MDCR_EL2: 0n },
    el: 2,
    dir: 'read',
    reg: 'MDCR_EL2',
    expect: (o) => {
      assert.equal(o.kind, 'unpredictable');
      assert.equal(o.kind === 'unpredictable' ? o.rule : '', 'RES_HPMN_READ');
    },
  },
  {
    name: 'EL2 accesses do not need the Effective HPMN: PMCNTENSET_EL0 read with a reserved HPMN (D24.5.7)',
    cpu: FGT,
    regs: { MDCR_EL2: 7n, PMCNTENSET_EL0: 0x3fn },
    el: 2,
    dir: 'read',
    reg: 'PMCNTENSET_EL0',
    expect: { kind: 'ok', value: 0x3fn },
  },
  {
    name: 'PMUSERENR_EL0.TID = 1 traps EL0 PMCEID0_EL0 reads to EL1 even with EN = 1 (D24.5.4)',
    cpu: V3P9,
    regs: { PMUSERENR_EL0: USERENR_EN | (1n << 6n) }, // PMUSERENR_EL0.TID, bit [6] (D24.5.26)
    el: 0,
    dir: 'read',
    reg: 'PMCEID0_EL0',
    expect: trap(1, iss(3, 3, 9, 12, 6, 0, true)), // D24.5.4: 0b11 0b011 0b1001 0b1100 0b110
  },
  {
    name: 'PMICFILTR_EL0.evtCount reads as 0x0008 (D24.5.14 evtCount)',
    cpu: V3P9,
    el: 2,
    dir: 'read',
    reg: 'PMICFILTR_EL0',
    expect: { kind: 'ok', value: 0x8n },
  },
  // --- Registers around the PMU
  {
    name: 'HCR_EL2.TID3 = 1 traps EL1 reads of ID_AA64DFR0_EL1 to EL2 (D24.2.80)',
    cpu: FGT,
    regs: { HCR_EL2: 1n << 18n }, // HCR_EL2.TID3, bit [18] (D24.2.62)
    el: 1,
    dir: 'read',
    reg: 'ID_AA64DFR0_EL1',
    rt: 9,
    expect: trap(2, iss(3, 0, 0, 5, 0, 9, true)), // D24.2.80: 0b11 0b000 0b0000 0b0101 0b000
  },
  {
    name: 'ID_AA64DFR0_EL1.PMUVer reads 0b0110 on a PMUv3p5 CPU (D24.2.80 PMUVer [11:8])',
    cpu: FGT,
    el: 1,
    dir: 'read',
    reg: 'ID_AA64DFR0_EL1',
    expect: (o) => {
      assert.equal(o.kind, 'ok');
      assert.equal(field(o.kind === 'ok' ? o.value : undefined, 8, 4), 0b0110n);
    },
  },
  {
    name: 'ID_AA64MMFR0_EL1.FGT reads 0b0001 with FEAT_FGT (D24.2.88 FGT [59:56])',
    cpu: FGT,
    el: 2,
    dir: 'read',
    reg: 'ID_AA64MMFR0_EL1',
    expect: (o) => {
      assert.equal(o.kind, 'ok');
      assert.equal(field(o.kind === 'ok' ? o.value : undefined, 56, 4), 0b0001n);
    },
  },
  {
    name: 'ID registers have no MSR encoding: UNDEFINED (D24.2.80)',
    cpu: FGT,
    el: 2,
    dir: 'write',
    reg: 'ID_AA64DFR0_EL1',
    value: 0n,
    expect: UNDEF,
  },
  {
    name: 'HCR_EL2.NV = 1 traps EL1 accesses to MDCR_EL2 to EL2 (D24.3.17; J1 EffectiveHCR_EL2_NVx())',
    cpu: parseInlineCpu({ pmuVer: 'PMUv3p5', n: 6, features: ['FEAT_FGT', 'FEAT_NV'] }),
    regs: { HCR_EL2: 1n << 42n }, // HCR_EL2.NV, bit [42] (D24.2.62)
    el: 1,
    dir: 'write',
    reg: 'MDCR_EL2',
    value: 0x80n,
    expect: trap(2, iss(3, 4, 1, 1, 1, 0, false)), // D24.3.17: 0b11 0b100 0b0001 0b0001 0b001
  },
  {
    name: 'SCR_EL3.FGTEn = 0 traps EL2 accesses to HDFGRTR_EL2 to EL3 (D24.2.67)',
    cpu: EL3,
    regs: { SCR_EL3: 1n | (1n << 10n) },
    el: 2,
    dir: 'read',
    reg: 'HDFGRTR_EL2',
    expect: trap(3, iss(3, 4, 3, 1, 4, 0, true)), // D24.2.67: 0b11 0b100 0b0011 0b0001 0b100
  },
  {
    name: 'MDCR_EL3 is UNDEFINED below EL3 (D24.3.18)',
    cpu: EL3,
    el: 2,
    dir: 'read',
    reg: 'MDCR_EL3',
    expect: UNDEF,
  },
  // --- Writes through count.ts (PMCR_EL0.P, PMZR_EL0): ZeroPMUCounters() with GetPMUWriteMask(TRUE)
  {
    name: 'guest PMCR_EL0.P = 1 zeroes the first range only (D24.5.8 P: second range only at EL2)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR0_EL0: 1n, PMEVCNTR3_EL0: 3n, PMEVCNTR4_EL0: 4n, PMEVCNTR5_EL0: 5n },
    el: 1,
    dir: 'write',
    reg: 'PMCR_EL0',
    value: 0b10n,
    expect: { kind: 'ok' },
    after: (pe) => assert.deepEqual(pe.cnt.slice(0, 6), [0n, 0n, 0n, 0n, 4n, 5n]),
  },
  {
    name: 'EL2 PMCR_EL0.P = 1 zeroes every event counter, not PMCCNTR_EL0 (D24.5.8 P)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR0_EL0: 1n, PMEVCNTR5_EL0: 5n, PMCCNTR_EL0: 9n },
    el: 2,
    dir: 'write',
    reg: 'PMCR_EL0',
    value: 0b10n,
    expect: { kind: 'ok' },
    after: (pe) => {
      assert.deepEqual(pe.cnt.slice(0, 6), [0n, 0n, 0n, 0n, 0n, 0n]);
      assert.equal(pe.cnt[31], 9n);
    },
  },
  {
    name: 'PMCR_EL0.C = 1 zeroes PMCCNTR_EL0 only (D24.5.8 C)',
    cpu: FGT,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR0_EL0: 1n, PMCCNTR_EL0: 9n },
    el: 1,
    dir: 'write',
    reg: 'PMCR_EL0',
    value: 0b100n,
    expect: { kind: 'ok' },
    after: (pe) => {
      assert.equal(pe.cnt[31], 0n);
      assert.equal(pe.cnt[0], 1n);
      assert.equal(field(pe.regs.PMCR_EL0, 2, 1), 0n); // C is not stored (WO)
    },
  },
  {
    name: 'HDFGWTR2_EL2.nPMZR_EL0 = 0 traps guest PMZR_EL0 writes to EL2 (D24.5.29)',
    cpu: V3P9,
    regs: { MDCR_EL2: HPMN4, PMEVCNTR1_EL0: 1n, PMEVCNTR4_EL0: 4n, PMCCNTR_EL0: 9n },
    el: 1,
    dir: 'write',
    reg: 'PMZR_EL0',
    value: 0xffff_ffff_ffff_ffffn,
    // HDFGWTR2_EL2.nPMZR_EL0 is 0: the FGT2 trap comes first. PMZR_EL0: 0b11 0b011 0b1001 0b1101 0b100.
    expect: trap(2, iss(3, 3, 9, 13, 4, 0, false)),
  },
  {
    name: 'guest PMZR_EL0 with nPMZR_EL0 = 1 zeroes counters below HPMN and PMCCNTR_EL0 (D24.5.29)',
    cpu: V3P9,
    regs: {
      MDCR_EL2: HPMN4,
      HDFGWTR2_EL2: 1n << 21n, // HDFGWTR2_EL2.nPMZR_EL0, bit [21] (D24.2.68)
      PMEVCNTR1_EL0: 1n,
      PMEVCNTR4_EL0: 4n,
      PMCCNTR_EL0: 9n,
    },
    el: 1,
    dir: 'write',
    reg: 'PMZR_EL0',
    value: 0xffff_ffff_ffff_ffffn,
    expect: { kind: 'ok' },
    after: (pe) => {
      assert.equal(pe.cnt[1], 0n);
      assert.equal(pe.cnt[4], 4n);
      assert.equal(pe.cnt[31], 0n);
    },
  },
];

describe('accessSysreg()', () => {
  for (const row of ROWS) {
    test(row.name, () => {
      const pe = makePeState(row.cpu, row.regs ?? {});
      const reg = lookupRegister(row.reg);
      const r = accessSysreg(
        pe,
        { el: row.el, dir: row.dir, reg, value: row.value, rt: row.rt },
        row.choices ?? {},
      );
      const inputs = `${row.reg} EL${row.el} ${row.dir} regs=${JSON.stringify(row.regs ?? {}, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}; rule: ${r.rule}`;
      if (typeof row.expect === 'function') row.expect(r.outcome);
      else assert.deepEqual(r.outcome, row.expect, inputs);
      assert.equal(r.via, row.via, inputs);
      if (row.ruleMentions !== undefined)
        assert.match(r.rule, new RegExp(row.ruleMentions.replaceAll('.', '\\.')), inputs);
      if (r.outcome.kind !== 'ok')
        assert.equal(r.state, pe, `a step that does not complete keeps the state: ${inputs}`);
      row.after?.(r.state);
    });
  }
});
