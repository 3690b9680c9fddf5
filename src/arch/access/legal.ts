// SPDX-License-Identifier: MIT
/**
 * What a direct read shows and a direct write keeps of a register, by the catalogue's field data:
 * a field is present when it has no feature or its feature is implemented; absent fields are RES0
 * (or RES1 / RAO/WI where the data says so); RO fields ignore writes; WO fields read as zero.
 *
 * @module
 */

import type { FeatureName } from '../features.js';
import { fieldMask } from '../fields.js';
import { isFeatureImplemented, type PeState } from '../pmu/state.js';
import type { FieldDef, RegisterDef } from '../registers/types.js';

/** Whether `feature` is implemented; EL2 and AArch64 always are in the model (DESIGN.md). */
export function implemented(pe: PeState, feature: FeatureName): boolean {
  return feature === 'FEAT_EL2' || feature === 'FEAT_AA64' || isFeatureImplemented(pe, feature);
}

function isPresent(pe: PeState, f: FieldDef): boolean {
  return f.name !== 'RES0' && f.name !== 'RES1' && (f.feature === undefined || implemented(pe, f.feature));
}

interface Masks {
  /** Bits of present fields. */
  readonly present: bigint;
  /** Bits of present fields that a write sets (neither RO nor WO). */
  readonly writable: bigint;
  /** Bits of present WO fields (read as zero). */
  readonly writeOnly: bigint;
  /** Bits that read as one: RES1 runs and absent fields that are RES1 or RAO/WI. */
  readonly one: bigint;
}

const CACHE = new WeakMap<RegisterDef, WeakMap<ReadonlySet<FeatureName>, Masks>>();

/** The masks of `def` on this PE (cached per register and feature set). */
export function masksOf(pe: PeState, def: RegisterDef): Masks {
  let byFeatures = CACHE.get(def);
  if (byFeatures === undefined) {
    byFeatures = new WeakMap();
    CACHE.set(def, byFeatures);
  }
  const cached = byFeatures.get(pe.config.features);
  if (cached !== undefined) return cached;
  let present = 0n;
  let writable = 0n;
  let writeOnly = 0n;
  let one = 0n;
  for (const f of def.fields) {
    const m = fieldMask(f);
    if (f.name === 'RES1') one |= m;
    else if (isPresent(pe, f)) {
      present |= m;
      if (f.access === 'WO') writeOnly |= m;
      else if (f.access !== 'RO') writable |= m;
    } else if (f.whenAbsent !== undefined) one |= m;
  }
  const masks = { present, writable, writeOnly, one };
  byFeatures.set(pe.config.features, masks);
  return masks;
}

/** A direct read of `stored` as `def`: absent and WO fields read as zero, RES1 bits as one. */
export function readView(pe: PeState, def: RegisterDef, stored: bigint): bigint {
  const m = masksOf(pe, def);
  return (stored & m.present & ~m.writeOnly) | m.one;
}

/** The stored value after a direct write of `value` over `old`: only writable fields change. */
export function writeView(pe: PeState, def: RegisterDef, old: bigint, value: bigint): bigint {
  const w = masksOf(pe, def).writable;
  return (old & ~w) | (value & w);
}
