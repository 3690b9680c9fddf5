// SPDX-License-Identifier: MIT
/**
 * Which definitions the driver compiles and what each output column is: the guest PMCR_EL0.N
 * function, every HPMN function found (one of them the HPMN that counts), and
 * kvm_arm_setup_mdcr_el2().
 *
 * @module
 */

import { InputError } from '../../arch/errors.js';
import {
  checkSignature,
  chooseDefinition,
  type FoundFunction,
  type FunctionChoice,
  POLICY_FUNCTIONS,
  type PolicyFunction,
  requireComplete,
} from './extract.js';
import type { CodeView } from './source.js';

/** What the driver compiles. */
export interface DriverPlan {
  /** kvm_pmu_guest_num_counters(), when found. */
  readonly guest?: FoundFunction;
  /** Every HPMN function found, in POLICY_FUNCTIONS order, then `--function`. */
  readonly hpmn: readonly FoundFunction[];
  /** The name of the HPMN function whose value is the policy's `hpmn`, when any was found. */
  readonly primaryHpmn?: string;
  /** kvm_arm_setup_mdcr_el2(), when found. */
  readonly setup?: FoundFunction;
  /** HPMN functions the setup calls that the driver points at primaryHpmn instead (`--function`). */
  readonly redirect: readonly string[];
  /** Every definition found, in report order, with the ones passed over. */
  readonly choices: readonly (FunctionChoice & { readonly chosen: FoundFunction })[];
  /** Functions that only header stubs define (passed over, so not compiled). */
  readonly headerOnly: readonly FoundFunction[];
}

const callsOf = (f: FoundFunction, name: string): boolean =>
  f.body.some((l) => new RegExp(`\\b${name}\\s*\\(`).test(l.text));

/**
 * The plan for `views`: the default functions, and `extra` (`--function NAME`) as the HPMN
 * function that counts. Throws InputError when none is found, or `extra` is not.
 */
export function planDriver(views: readonly CodeView[], files: readonly string[], extra?: string): DriverPlan {
  const wanted: PolicyFunction[] = [...POLICY_FUNCTIONS];
  if (extra !== undefined && !wanted.some((f) => f.name === extra)) {
    if (!/^[A-Za-z_]\w*$/.test(extra)) throw new InputError(`kernel: --function ${extra} is not a C name`);
    wanted.push({ name: extra, role: 'hpmn', source: 'named by --function' });
  }
  const all = wanted.flatMap((fn) => {
    const c = chooseDefinition(views, fn);
    return c === undefined ? [] : [c];
  });
  const choices = all.flatMap((c) => (c.chosen === undefined ? [] : [{ ...c, chosen: c.chosen }]));
  const headerOnly = all.flatMap((c) => (c.chosen === undefined ? c.ignored.map((i) => i.found) : []));
  const found = choices.map((c) => c.chosen);
  if (found.length === 0) {
    throw new InputError(
      `kernel: none of ${wanted.map((f) => `${f.name}()`).join(', ')} is defined in ${files.join(', ')}; name another function with --function NAME`,
    );
  }
  if (extra !== undefined && !found.some((f) => f.fn.name === extra)) {
    throw new InputError(`kernel: --function ${extra}: no definition of ${extra}() in ${files.join(', ')}`);
  }
  for (const f of found) {
    checkSignature(f);
    requireComplete(f);
  }
  const guest = found.find((f) => f.fn.role === 'guest-n');
  const setup = found.find((f) => f.fn.role === 'mdcr');
  const hpmn = found.filter((f) => f.fn.role === 'hpmn');
  // The HPMN that counts: --function's; else the one kvm_arm_setup_mdcr_el2() calls; else the first.
  const called = setup === undefined ? undefined : hpmn.find((f) => callsOf(setup, f.fn.name));
  const primary = extra ?? called?.fn.name ?? hpmn[0]?.fn.name;
  const redirect =
    setup === undefined || primary === undefined
      ? []
      : POLICY_FUNCTIONS.filter((f) => f.role === 'hpmn' && f.name !== primary && callsOf(setup, f.name)).map(
          (f) => f.name,
        );
  return {
    ...(guest === undefined ? {} : { guest }),
    hpmn,
    ...(primary === undefined ? {} : { primaryHpmn: primary }),
    ...(setup === undefined ? {} : { setup }),
    redirect,
    choices,
    headerOnly,
  };
}
