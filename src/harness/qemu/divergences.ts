// SPDX-License-Identifier: MIT
/**
 * The classification of the disagreements between the model and QEMU
 * (harness/qemu/divergences.json, explained in docs/qemu-divergences.md): each entry is a QEMU
 * deviation from the Arm ARM, with the rule, the Arm ARM citation, the QEMU code and the release
 * that changed it where known, and the scenarios (and observation labels) where it shows.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseJsonChecked } from '../../scenario/schema.js';

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /**
   * `qemu`: QEMU deviates from the Arm ARM. `impdef`: both behaviours are permitted (an
   * IMPLEMENTATION DEFINED choice the model makes one way and QEMU the other). A model bug is fixed
   * in src/arch, never listed.
   */
  kind: z.enum(['qemu', 'impdef']),
  register: z.string().min(1),
  rule: z.string().min(1),
  armArm: z.string().min(1),
  qemuCode: z.string().min(1),
  changedIn: z.string().min(1),
  /** Glob patterns (`*` any text) of the scenario names where it shows. */
  scenarios: z.array(z.string().min(1)).min(1),
  /** Glob patterns of the observation labels; every label when absent. */
  labels: z.array(z.string().min(1)).optional(),
  /** CPU names where it shows; every CPU when absent. */
  cpus: z.array(z.string().min(1)).optional(),
});

const fileSchema = z.strictObject({
  qemu: z.string().min(1),
  divergences: z.array(entrySchema),
});

export type Divergence = z.infer<typeof entrySchema>;

/** Where the classification is. */
export const DIVERGENCES_FILE = new URL('../../../harness/qemu/divergences.json', import.meta.url);

/** Reads the classification (file and line in any error). */
export function loadDivergences(path: URL | string = DIVERGENCES_FILE): readonly Divergence[] {
  const name = typeof path === 'string' ? path : 'harness/qemu/divergences.json';
  return parseJsonChecked(readFileSync(path, 'utf8'), name, fileSchema).data.divergences;
}

function glob(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(text);
}

/** The entries explaining a disagreement at `label` of `scenario` on `cpu`. */
export function classify(
  entries: readonly Divergence[],
  scenario: string,
  label: string,
  cpu: string,
): readonly Divergence[] {
  return entries.filter(
    (d) =>
      d.scenarios.some((p) => glob(p, scenario)) &&
      (d.labels === undefined || d.labels.some((p) => glob(p, label))) &&
      (d.cpus === undefined || d.cpus.includes(cpu)),
  );
}
