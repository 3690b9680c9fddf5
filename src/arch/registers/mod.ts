// SPDX-License-Identifier: MIT
/**
 * The register catalogue: every register definition, as data. Behaviour that reads it lives in
 * ../catalogue.ts (lookup, completeness check), ../encoding.ts and ../fields.ts.
 *
 * @module
 */

import { MDCR_EL2 } from './mdcr_el2.js';
import type { RegisterDef } from './types.js';

// @imports-pmu-a (keep this marker; add imports above it)
// @imports-pmu-b (keep this marker; add imports above it)
// @imports-el2 (keep this marker; add imports above it)
// @imports-id (keep this marker; add imports above it)

export type { FieldDef, FieldValue, RegisterAccess, RegisterDef, SysregEncoding } from './types.js';

/** Every register the model knows, grouped as in the Arm ARM (D24.3, D24.2, D24.5). */
export const REGISTERS: readonly RegisterDef[] = [
  MDCR_EL2,
  // @list-el2 (keep this marker; add entries above it)
  // @list-id (keep this marker; add entries above it)
  // @list-pmu-a (keep this marker; add entries above it)
  // @list-pmu-b (keep this marker; add entries above it)
];
