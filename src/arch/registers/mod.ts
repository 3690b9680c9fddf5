// SPDX-License-Identifier: MIT
/**
 * The register catalogue: every register definition, as data. Behaviour that reads it lives in
 * ../catalogue.ts (lookup, completeness check), ../encoding.ts and ../fields.ts.
 *
 * @module
 */

// @imports-el2 (keep this marker; add imports above it)
import { HCR_EL2 } from './hcr_el2.js';
// @imports-pmu-b (keep this marker; add imports above it)
import { HDFGRTR_EL2 } from './hdfgrtr_el2.js';
import { HDFGRTR2_EL2 } from './hdfgrtr2_el2.js';
import { HDFGWTR_EL2 } from './hdfgwtr_el2.js';
import { HDFGWTR2_EL2 } from './hdfgwtr2_el2.js';
import { ID_AA64DFR0_EL1 } from './id_aa64dfr0_el1.js';
import { ID_AA64DFR1_EL1 } from './id_aa64dfr1_el1.js';
import { ID_AA64MMFR0_EL1 } from './id_aa64mmfr0_el1.js';
import { ID_AA64PFR0_EL1 } from './id_aa64pfr0_el1.js';
import { MDCR_EL2 } from './mdcr_el2.js';
import { MDCR_EL3 } from './mdcr_el3.js';
import { PMCCFILTR_EL0 } from './pmccfiltr_el0.js';
// @imports-pmu-a (keep this marker; add imports above it)
import { PMCCNTR_EL0 } from './pmccntr_el0.js';
import { PMCEID0_EL0, PMCEID1_EL0 } from './pmceid_el0.js';
import { PMCNTENCLR_EL0, PMCNTENSET_EL0 } from './pmcnten_el0.js';
import { PMCR_EL0 } from './pmcr_el0.js';
import { PMEVCNTR_EL0 } from './pmevcntr_el0.js';
import { PMEVTYPER_EL0 } from './pmevtyper_el0.js';
import { PMICFILTR_EL0 } from './pmicfiltr_el0.js';
import { PMICNTR_EL0 } from './pmicntr_el0.js';
import { PMINTENCLR_EL1, PMINTENSET_EL1 } from './pminten_el1.js';
import { PMMIR_EL1 } from './pmmir_el1.js';
import { PMOVSCLR_EL0, PMOVSSET_EL0 } from './pmovs_el0.js';
import { PMSELR_EL0 } from './pmselr_el0.js';
import { PMSWINC_EL0 } from './pmswinc_el0.js';
import { PMUACR_EL1 } from './pmuacr_el1.js';
import { PMUSERENR_EL0 } from './pmuserenr_el0.js';
import { PMXEVCNTR_EL0 } from './pmxevcntr_el0.js';
import { PMXEVTYPER_EL0 } from './pmxevtyper_el0.js';
import { PMZR_EL0 } from './pmzr_el0.js';
import { SCR_EL3 } from './scr_el3.js';
import type { RegisterDef } from './types.js';

// @imports-id (keep this marker; add imports above it)

export type { FieldDef, FieldValue, RegisterAccess, RegisterDef, SysregEncoding } from './types.js';

/** Every register the model knows, grouped as in the Arm ARM (D24.3, D24.2, D24.5). */
export const REGISTERS: readonly RegisterDef[] = [
  MDCR_EL2,
  MDCR_EL3,
  SCR_EL3,
  HDFGRTR_EL2,
  HDFGWTR_EL2,
  HDFGRTR2_EL2,
  HDFGWTR2_EL2,
  // @list-el2 (keep this marker; add entries above it)
  HCR_EL2,
  ID_AA64DFR0_EL1,
  ID_AA64DFR1_EL1,
  ID_AA64MMFR0_EL1,
  ID_AA64PFR0_EL1,
  // @list-id (keep this marker; add entries above it)
  PMCCFILTR_EL0,
  PMCEID0_EL0,
  PMCEID1_EL0,
  PMCR_EL0,
  PMEVTYPER_EL0,
  PMICFILTR_EL0,
  PMMIR_EL1,
  PMUSERENR_EL0,
  PMXEVTYPER_EL0,
  // @list-pmu-a (keep this marker; add entries above it)
  PMCCNTR_EL0,
  PMCNTENSET_EL0,
  PMCNTENCLR_EL0,
  PMEVCNTR_EL0,
  PMICNTR_EL0,
  PMINTENSET_EL1,
  PMINTENCLR_EL1,
  PMOVSSET_EL0,
  PMOVSCLR_EL0,
  PMSELR_EL0,
  PMSWINC_EL0,
  PMUACR_EL1,
  PMXEVCNTR_EL0,
  PMZR_EL0,
  // @list-pmu-b (keep this marker; add entries above it)
];
