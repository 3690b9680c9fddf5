// SPDX-License-Identifier: MIT
/**
 * Running a compiled driver over many inputs in one process: every input line written to its
 * stdin at once, every result line read back, as columns.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import type { PolicyInputs } from '../policy.js';
import type { CompiledDriver } from './compile.js';
import { driverInput } from './driver.js';

/** What the compiled functions returned, one entry per input. */
export interface DriverResults {
  readonly count: number;
  /** kvm_pmu_guest_num_counters(), when compiled. */
  readonly guest?: Int32Array;
  /** Each HPMN function's value, by function name. */
  readonly hpmn: ReadonlyMap<string, Int32Array>;
  /** vcpu->arch.mdcr_el2 after kvm_arm_setup_mdcr_el2(), when compiled. */
  readonly mdcr?: BigUint64Array;
}

/** The compiled code crashed on one input: a finding about the code, not bad input. */
export class DriverCrash extends Error {
  override readonly name = 'DriverCrash';
  constructor(
    readonly inputs: PolicyInputs,
    readonly signal: number,
  ) {
    super(`the compiled functions crashed (signal ${signal}) on an input`);
  }
}

/** Runs `driver` on `inputs` (one process); throws DriverCrash when the code crashes on one. */
export function runDriver(driver: CompiledDriver, inputs: readonly PolicyInputs[]): DriverResults {
  const plan = driver.plan;
  const r = spawnSync(driver.exe, [], {
    input: driverInput(inputs),
    encoding: 'latin1',
    maxBuffer: 1 << 30,
  });
  const crash = /pmup-driver-crash (\d+) (\d+)/.exec(r.stderr ?? '');
  if (crash !== null) throw new DriverCrash(inputs[Number(crash[1])]!, Number(crash[2]));
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `internal: the kernel driver failed (${r.error?.message ?? `status ${r.status}`}): ${r.stderr}`,
    );
  }
  const guest = plan.guest === undefined ? undefined : new Int32Array(inputs.length);
  const hpmnCols = plan.hpmn.map(() => new Int32Array(inputs.length));
  const mdcr = plan.setup === undefined ? undefined : new BigUint64Array(inputs.length);
  const out = r.stdout;
  let pos = 0;
  for (let i = 0; i < inputs.length; i++) {
    const eol = out.indexOf('\n', pos);
    if (eol === -1) throw new Error(`internal: the kernel driver answered ${i} of ${inputs.length} inputs`);
    const cols = out.slice(pos, eol).split(' ');
    pos = eol + 1;
    let c = 0;
    if (guest !== undefined) guest[i] = Number(cols[c++]);
    for (const col of hpmnCols) col[i] = Number(cols[c++]);
    if (mdcr !== undefined) mdcr[i] = BigInt(`0x${cols[c++]}`);
  }
  return {
    count: inputs.length,
    ...(guest === undefined ? {} : { guest }),
    hpmn: new Map(plan.hpmn.map((f, i) => [f.fn.name, hpmnCols[i]!])),
    ...(mdcr === undefined ? {} : { mdcr }),
  };
}

/** The compiled functions' values for one input, named as PolicyResult names them. */
export interface CompiledValues {
  readonly guestPmcrN?: number;
  /** The value of the HPMN function that counts (DriverPlan.primaryHpmn). */
  readonly hpmn?: number;
  readonly mdcrEl2?: bigint;
}

/** The values of input `i`. */
export function valuesAt(driver: CompiledDriver, results: DriverResults, i: number): CompiledValues {
  const primary = driver.plan.primaryHpmn;
  const hpmn = primary === undefined ? undefined : results.hpmn.get(primary)?.[i];
  return {
    ...(results.guest === undefined ? {} : { guestPmcrN: results.guest[i]! }),
    ...(hpmn === undefined ? {} : { hpmn }),
    ...(results.mdcr === undefined ? {} : { mdcrEl2: results.mdcr[i]! }),
  };
}
