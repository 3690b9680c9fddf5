// SPDX-License-Identifier: MIT
/**
 * Completing a policy's result: the trapped PMU registers, and the architectural problems of the
 * configuration, computed from the MDCR_EL2 and FGT values alone so that every policy is judged
 * by the same rules.
 *
 * @module
 */

import { fieldMask } from '../arch/fields.js';
import type { Finding, PolicyInputs, PolicyResult } from './policy.js';
import {
  fieldGet,
  fieldOf,
  MDCR_EL2_HPMD,
  MDCR_EL2_HPMN,
  maskOf,
  mdcrEl2Value,
  registerDef,
} from './sysreg.js';
import {
  type FgtValues,
  fgtImplemented,
  fgtValue,
  guestPmuTraps,
  NEGATIVE_PMU_FGT_FIELDS,
  type RegisterTraps,
  trappedRegisters,
} from './traps.js';

/** The values a policy's kernel functions compute, before the shared analysis. */
export interface PolicyCore {
  readonly guestPmcrN: number;
  readonly hpmn: number;
  readonly mdcrEl2: bigint;
  readonly fgt: FgtValues;
}

/** How the shared analysis should read a policy. */
export interface CoreContext {
  /** The kernel function whose value `hpmn` is, for messages (`kvm_pmu_hpmn()`). */
  readonly hpmnFunction: string;
  /** Whether the policy partitions the PMU, so that `hpmnMax` marks host-owned counters. */
  readonly partitions: boolean;
}

/** The result of a policy: its core values, the trapped registers and the notes. */
export function completeResult(inputs: PolicyInputs, core: PolicyCore, ctx: CoreContext): PolicyResult {
  const features = { hasFgt: inputs.hasFgt, hasFgt2: inputs.hasFgt2 };
  const findings = architecturalFindings(inputs, core, ctx, guestPmuTraps(core.mdcrEl2, core.fgt, features));
  return {
    guestPmcrN: core.guestPmcrN,
    hpmn: core.hpmn,
    mdcrEl2: core.mdcrEl2,
    ...core.fgt,
    trapped: trappedRegisters(core.mdcrEl2, core.fgt, features),
    findings,
    notes: findings.map((f) => f.message),
    hpmnFunction: ctx.hpmnFunction,
  };
}

const MDCR_SECTION = registerDef('MDCR_EL2').section;
const PMCR_SECTION = registerDef('PMCR_EL0').section;
const PMCR_N = fieldOf('PMCR_EL0', 'N');
const HPMN_BITS = fieldOf('MDCR_EL2', 'HPMN').bits;
const PMCR_N_MAX = Number(maskOf('PMCR_EL0', 'N') >> BigInt(PMCR_N.bits[1]));

const RESERVED_HPMN_BEHAVIOUR =
  'CONSTRAINED UNPREDICTABLE: the PE behaves as if HPMN were an UNKNOWN nonzero value <= N, or puts every event counter in the second range';

function traps(all: readonly RegisterTraps[], name: string): RegisterTraps {
  const t = all.find((x) => x.name === name);
  if (t === undefined) throw new Error(`internal: no trap row for ${name}`);
  return t;
}

/** Whether MDCR_EL2.HPMN = `hpmn` is reserved on this CPU (D24.3.17 MDCR_EL2.HPMN). */
export function hpmnReserved(hpmn: number, inputs: PolicyInputs): boolean {
  return hpmn > inputs.hostCounters || (hpmn === 0 && !inputs.hasHpmn0);
}

/** The codes of architecturalFindings(), stable for `pmup kvm --json`. */
export type FindingCode =
  | 'hpmn-truncated'
  | 'hpmn-reserved'
  | 'guest-pmcr-n-too-wide'
  | 'guest-pmcr-n-untrapped'
  | 'fgt-negative-polarity'
  | 'fgt-res0-set'
  | 'host-counters-in-first-range';

/**
 * The architectural problems of a configuration, one line each: a reserved or truncated HPMN, a
 * guest PMCR_EL0.N that the hardware contradicts, negative-polarity FGT bits that un-trap, RES0
 * FGT bits set, and host-owned counters moved into the guest's range.
 */
export function architecturalFindings(
  inputs: PolicyInputs,
  core: PolicyCore,
  ctx: CoreContext,
  regTraps: readonly RegisterTraps[],
): Finding[] {
  const findings: Finding[] = [];
  const say = (code: FindingCode, message: string) => findings.push({ code, message });
  const hpmn = fieldGet(MDCR_EL2_HPMN, core.mdcrEl2);
  const reserved = hpmnReserved(hpmn, inputs);

  if (hpmn !== core.hpmn) {
    say(
      'hpmn-truncated',
      `${ctx.hpmnFunction} returns ${core.hpmn}, which does not fit MDCR_EL2.HPMN [${HPMN_BITS[0]}:${HPMN_BITS[1]}]: FIELD_PREP() keeps the low bits, MDCR_EL2.HPMN = ${hpmn}`,
    );
  }
  if (hpmn > inputs.hostCounters) {
    say(
      'hpmn-reserved',
      `MDCR_EL2.HPMN = ${hpmn} is reserved: this CPU has ${inputs.hostCounters} event counters; ${RESERVED_HPMN_BEHAVIOUR} (Arm ARM ${MDCR_SECTION} MDCR_EL2.HPMN)`,
    );
  } else if (hpmn === 0 && !inputs.hasHpmn0) {
    say(
      'hpmn-reserved',
      `MDCR_EL2.HPMN = 0 is reserved without FEAT_HPMN0; ${RESERVED_HPMN_BEHAVIOUR} (Arm ARM ${MDCR_SECTION} MDCR_EL2.HPMN)`,
    );
  }

  if (core.guestPmcrN > PMCR_N_MAX) {
    say(
      'guest-pmcr-n-too-wide',
      `KVM's guest PMCR_EL0.N = ${core.guestPmcrN} does not fit PMCR_EL0.N [${PMCR_N.bits[0]}:${PMCR_N.bits[1]}] (Arm ARM ${PMCR_SECTION} PMCR_EL0.N)`,
    );
  }
  if (!traps(regTraps, 'PMCR_EL0').read && core.guestPmcrN !== hpmn) {
    const value = reserved ? `, UNKNOWN while MDCR_EL2.HPMN = ${hpmn} is reserved` : ` = ${hpmn}`;
    say(
      'guest-pmcr-n-untrapped',
      `KVM reports guest PMCR_EL0.N = ${core.guestPmcrN}, but guest reads of PMCR_EL0 do not trap: the guest reads the hardware PMCR_EL0.N, the Effective MDCR_EL2.HPMN${value} (Arm ARM ${PMCR_SECTION} PMCR_EL0.N)`,
    );
  }

  const features = { hasFgt: inputs.hasFgt, hasFgt2: inputs.hasFgt2 };
  for (const f of NEGATIVE_PMU_FGT_FIELDS) {
    if (!fgtImplemented(f.reg, features) || (fgtValue(f.reg, core.fgt) & f.mask) === 0n) continue;
    say(
      'fgt-negative-polarity',
      `${f.reg}.${f.field} = 1 does not trap ${f.traps}: the field has negative polarity, 0 traps (Arm ARM ${registerDef(f.reg).section} ${f.reg})`,
    );
  }

  for (const reg of ['HDFGRTR_EL2', 'HDFGWTR_EL2', 'HDFGRTR2_EL2', 'HDFGWTR2_EL2'] as const) {
    if (!fgtImplemented(reg, features)) continue;
    const res0 = res0Bits(reg, fgtValue(reg, core.fgt));
    if (res0.length === 0) continue;
    const twin = reg.includes('GR') ? reg.replace('GR', 'GW') : reg.replace('GW', 'GR');
    const what = res0.map((b) => {
      const f = registerDef(twin).fields.find((x) => x.bits[0] >= b && x.bits[1] <= b);
      return f === undefined || f.name === 'RES0' ? `${b}` : `${b} (${twin}.${f.name})`;
    });
    say(
      'fgt-res0-set',
      `${reg} sets RES0 bit${res0.length === 1 ? '' : 's'} ${what.join(', ')} (Arm ARM ${registerDef(reg).section} ${reg})`,
    );
  }

  if (ctx.partitions && inputs.partitioned && inputs.hpmnMax >= 0 && !reserved && hpmn > inputs.hpmnMax) {
    const counters = hpmn - inputs.hpmnMax === 1 ? `${inputs.hpmnMax}` : `${inputs.hpmnMax}..${hpmn - 1}`;
    const effects = ['PMCR_EL0.E enables them instead of MDCR_EL2.HPME'];
    if ((core.mdcrEl2 & mdcrEl2Value(MDCR_EL2_HPMD)) !== 0n)
      effects.push('MDCR_EL2.HPMD stops them counting at EL2');
    const evcntr = traps(regTraps, 'PMEVCNTR<n>_EL0');
    if (!evcntr.read || !evcntr.write)
      effects.push('guest accesses to them through PMEVCNTR<n>_EL0 do not trap');
    say(
      'host-counters-in-first-range',
      `event counters ${counters} belong to the host (hpmn_max = ${inputs.hpmnMax}), but MDCR_EL2.HPMN = ${hpmn} puts them in the first range while the vCPU is loaded: ${effects.join('; ')} (Arm ARM ${MDCR_SECTION} MDCR_EL2.HPMN)`,
    );
  }
  return findings;
}

/** The bit positions, highest first, where `value` has a 1 in a RES0 field of `reg`. */
function res0Bits(reg: string, value: bigint): number[] {
  const out: number[] = [];
  for (const f of registerDef(reg).fields) {
    if (f.name !== 'RES0' || (value & fieldMask(f)) === 0n) continue;
    for (let b = f.bits[0]; b >= f.bits[1]; b--) if (((value >> BigInt(b)) & 1n) !== 0n) out.push(b);
  }
  return out;
}
