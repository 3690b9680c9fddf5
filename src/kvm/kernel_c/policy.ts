// SPDX-License-Identifier: MIT
/**
 * Compiled kernel functions as a Policy, for the verifier (`pmup check --kernel FILE`), which
 * calls evaluate() synchronously and many times. The driver runs the whole grid once, in one
 * process, into a table; evaluate() looks an input up there, and runs the driver on an input off
 * the grid (a CPU with more than 8 counters, say) once, remembering the answer.
 *
 * What the C does not compute comes from a base policy (the revision the code belongs to): the
 * guest PMCR_EL0.N without kvm_pmu_guest_num_counters(); MDCR_EL2 without
 * kvm_arm_setup_mdcr_el2(), as the base sets it with the compiled HPMN in its HPMN field (as v5,
 * v6 and v7 feed kvm_pmu_hpmn() into kvm_arm_setup_mdcr_el2()); the FGT values; and the kernel
 * traits (VM API, load/put).
 *
 * @module
 */

import type { Policy, PolicyInputs, PolicyResult } from '../policy.js';
import { completeResult } from '../result.js';
import { fieldGet, fieldPrep, MDCR_EL2_HPMN, mdcrEl2Value } from '../sysreg.js';
import type { CompiledDriver } from './compile.js';
import { gridIndex, gridInputs } from './grid.js';
import { type CompiledValues, runDriver, valuesAt } from './run.js';

/** The values for every grid input, and a lookup that runs the driver off the grid. */
export function compiledLookup(driver: CompiledDriver): (inputs: PolicyInputs) => CompiledValues {
  const grid = runDriver(driver, gridInputs());
  const offGrid = new Map<string, CompiledValues>();
  return (inputs) => {
    const i = gridIndex(inputs);
    if (i !== -1) return valuesAt(driver, grid, i);
    const key = JSON.stringify(inputs);
    let v = offGrid.get(key);
    if (v === undefined) {
      v = valuesAt(driver, runDriver(driver, [inputs]), 0);
      offGrid.set(key, v);
    }
    return v;
  };
}

/** The policy `name` that evaluates the compiled functions, the rest from `base`. */
export function compiledPolicy(driver: CompiledDriver, base: Policy, name: string, files: string): Policy {
  const lookup = compiledLookup(driver);
  const hpmnFunction =
    driver.plan.primaryHpmn === undefined ? 'kvm_arm_setup_mdcr_el2()' : `${driver.plan.primaryHpmn}()`;
  return {
    name,
    summary: `the kernel functions compiled from ${files}; the rest as ${base.name}`,
    source: `${files} (compiled at run time), with ${base.name} for what the functions do not compute`,
    date: base.date,
    kernel: base.kernel,
    evaluate(inputs: PolicyInputs): PolicyResult {
      const c = lookup(inputs);
      const b = base.evaluate(inputs);
      const hpmn = c.hpmn ?? (c.mdcrEl2 === undefined ? b.hpmn : fieldGet(MDCR_EL2_HPMN, c.mdcrEl2));
      const mdcrEl2 =
        c.mdcrEl2 ??
        (b.mdcrEl2 & ~mdcrEl2Value(MDCR_EL2_HPMN)) | mdcrEl2Value(fieldPrep(MDCR_EL2_HPMN, hpmn));
      return completeResult(
        inputs,
        {
          guestPmcrN: c.guestPmcrN ?? b.guestPmcrN,
          hpmn,
          mdcrEl2,
          fgt: { hdfgrtr: b.hdfgrtr, hdfgwtr: b.hdfgwtr, hdfgrtr2: b.hdfgrtr2, hdfgwtr2: b.hdfgwtr2 },
        },
        { hpmnFunction, partitions: true },
      );
    },
  };
}
