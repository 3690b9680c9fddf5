// SPDX-License-Identifier: MIT
/**
 * The policy input grid: every combination of the values the policy functions read, over the
 * ranges where their behaviour changes (counts 0..8 and the largest request, 31; hpmn_max -1..8,
 * whose -1 means "not partitioned"), 345,600 inputs. The optional inputs keep their defaults
 * (INPUT_DEFAULTS), as a KVM policy request that leaves them out does.
 *
 * The grid is data and an index: gridInputs() lists it in a fixed order, gridIndex() finds an
 * input's place in that order (or -1), so a table over the grid can be looked up.
 *
 * @module
 */

import { PMU_VERSIONS, type PmuVersion } from '../../arch/features.js';
import { INPUT_DEFAULTS, type PolicyInputs } from '../policy.js';

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const BOOLS = [false, true] as const;

/** The values of each grid axis, outermost first. */
export const GRID_AXES = {
  nrPmuCounters: [...range(0, 8), 31],
  hpmnMax: range(-1, 8),
  hostCounters: range(0, 8),
  armPmu: BOOLS,
  partitioned: BOOLS,
  useFgt: BOOLS,
  hasHpmn0: BOOLS,
  // is_pmuv3p1() and is_pmuv3p5() (arch/arm64/include/asm/arm_pmuv3.h) split the versions here.
  pmuVer: ['PMUv3', 'PMUv3p1', 'PMUv3p5'] as readonly PmuVersion[],
  onUnsupportedCpu: BOOLS,
  guestDebug: BOOLS,
  guestOwnsDebug: BOOLS,
} as const;

type Axis = keyof typeof GRID_AXES;
const AXES = Object.keys(GRID_AXES) as Axis[];

/** The number of inputs in the grid. */
export const GRID_SIZE = AXES.reduce((n, a) => n * GRID_AXES[a].length, 1);

/** The grid, in order: the last axis varies fastest. */
export function gridInputs(): PolicyInputs[] {
  const out: PolicyInputs[] = [];
  const A = GRID_AXES;
  for (const nrPmuCounters of A.nrPmuCounters)
    for (const hpmnMax of A.hpmnMax)
      for (const hostCounters of A.hostCounters)
        for (const armPmu of A.armPmu)
          for (const partitioned of A.partitioned)
            for (const useFgt of A.useFgt)
              for (const hasHpmn0 of A.hasHpmn0)
                for (const pmuVer of A.pmuVer)
                  for (const onUnsupportedCpu of A.onUnsupportedCpu)
                    for (const guestDebug of A.guestDebug)
                      for (const guestOwnsDebug of A.guestOwnsDebug)
                        out.push({
                          nrPmuCounters,
                          hpmnMax,
                          hostCounters,
                          armPmu,
                          partitioned,
                          useFgt,
                          hasHpmn0,
                          pmuVer,
                          onUnsupportedCpu,
                          guestDebug,
                          guestOwnsDebug,
                          // Spelled out rather than spread: a spread per input costs ~30 times more.
                          hasFgt: INPUT_DEFAULTS.hasFgt,
                          hasFgt2: INPUT_DEFAULTS.hasFgt2,
                          guestHasPmu: INPUT_DEFAULTS.guestHasPmu,
                        });
  return out;
}

/** The position of `inputs` in gridInputs(), or -1 when an input is off the grid. */
export function gridIndex(inputs: PolicyInputs): number {
  if (
    inputs.hasFgt !== INPUT_DEFAULTS.hasFgt ||
    inputs.hasFgt2 !== INPUT_DEFAULTS.hasFgt2 ||
    inputs.guestHasPmu !== INPUT_DEFAULTS.guestHasPmu
  )
    return -1;
  let index = 0;
  for (const a of AXES) {
    const values: readonly unknown[] = GRID_AXES[a];
    const i = values.indexOf(inputs[a]);
    if (i === -1) return -1;
    index = index * values.length + i;
  }
  return index;
}

const FLAGS = [
  'armPmu',
  'partitioned',
  'useFgt',
  'hasHpmn0',
  'onUnsupportedCpu',
  'guestDebug',
  'guestOwnsDebug',
] as const;

/**
 * The order in which inputs are shown, smallest first ("minimal" inputs): fewer switches on, then
 * smaller counts, then an older PMU.
 */
export function inputWeight(i: PolicyInputs): number {
  const flags = FLAGS.filter((f) => i[f]).length;
  const counts = i.nrPmuCounters + (i.hpmnMax + 1) + i.hostCounters;
  return (flags * 128 + counts) * 16 + PMU_VERSIONS.indexOf(i.pmuVer);
}

/**
 * Whether an input is one a kernel can meet: a partitioned vCPU has hpmn_max >= 0 (v5 07/24:
 * -1 means the host driver did not partition).
 */
export function consistentInputs(i: PolicyInputs): boolean {
  return !(i.partitioned && i.hpmnMax < 0);
}
