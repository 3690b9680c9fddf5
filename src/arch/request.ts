// SPDX-License-Identifier: MIT
/**
 * Checking what a caller gives the model, so that nothing it says is ignored: CONSTRAINED
 * UNPREDICTABLE choices must name a known rule and one of that rule's behaviours, and initial
 * registers must give each piece of storage one value. Used by the batch protocol and by
 * `pmup access`.
 *
 * @module
 */

import { didYouMean, InputError } from './errors.js';
import { storageOf } from './pmu/state.js';
import { type RuleName, UNPREDICTABLE_RULES, type UnpredictableRule } from './unpredictable.js';

const RULE_NAMES: readonly string[] = UNPREDICTABLE_RULES.map((r) => r.name);

/** Whether `name` is the name of a CONSTRAINED UNPREDICTABLE rule (`RES_HPMN`). */
export function isRuleName(name: string): name is RuleName {
  return RULE_NAMES.includes(name);
}

/**
 * Whether `name` is one of `pattern`'s names: the pattern itself, or for a pattern with `<k>`
 * (`hpmn-<k>`), the pattern with a decimal k in 0..31 written without leading zeros (`hpmn-4`).
 */
export function behaviourMatches(pattern: string, name: string): boolean {
  const at = pattern.indexOf('<k>');
  if (at < 0) return pattern === name;
  const before = pattern.slice(0, at);
  const after = pattern.slice(at + 3);
  if (!name.startsWith(before) || !name.endsWith(after) || name.length <= before.length + after.length)
    return false;
  const k = name.slice(before.length, name.length - after.length);
  return /^(0|[1-9][0-9]?)$/.test(k) && Number(k) <= 31;
}

/** The behaviour names of a rule as a user reads them: `hpmn-<k> (k 0..31), all-second-range`. */
function behaviourList(rule: UnpredictableRule): string {
  return rule.behaviours.map((b) => (b.name.includes('<k>') ? `${b.name} (k 0..31)` : b.name)).join(', ');
}

/**
 * Checks one choice, `rule` -> `behaviour`; `where` prefixes the message (`choose`, `--choose`).
 * Throws InputError for an unknown rule (listing the rules) or a behaviour the rule does not
 * have (listing its behaviours). Whether the behaviour is permitted in a given situation is the
 * model's business, step by step.
 */
export function checkChoice(rule: string, behaviour: string, where: string): RuleName {
  if (!isRuleName(rule)) {
    const hint = didYouMean(rule, RULE_NAMES);
    throw new InputError(
      `${where}: unknown rule ${JSON.stringify(rule)}${hint} (rules: ${RULE_NAMES.join(', ')})`,
    );
  }
  const r = UNPREDICTABLE_RULES.find((x) => x.name === rule)!;
  if (!r.behaviours.some((b) => behaviourMatches(b.name, behaviour))) {
    throw new InputError(
      `${where}: ${rule} has no behaviour ${JSON.stringify(behaviour)} (behaviours: ${behaviourList(r)})`,
    );
  }
  return rule;
}

/**
 * The initial registers from `entries` (canonical register name, value), keyed by name. Throws
 * InputError when two entries hold the same storage (`MDCR_EL2` twice, or `PMCNTENSET_EL0` and
 * `PMCNTENCLR_EL0`, one bitmap), or when a register has no storage; `where` prefixes the message.
 */
export function initialRegisters(
  entries: Iterable<readonly [string, bigint]>,
  where: string,
): Map<string, bigint> {
  const regs = new Map<string, bigint>();
  const owner = new Map<string, string>();
  for (const [name, value] of entries) {
    const key = storageKey(name);
    const other = owner.get(key);
    if (other !== undefined) {
      const what =
        other === name
          ? `${name} is given twice; give it once`
          : `${other} and ${name} are one register (the same storage); give one of them`;
      throw new InputError(`${where}: ${what}`);
    }
    owner.set(key, name);
    regs.set(name, value);
  }
  return regs;
}

const STORAGE_KEYS = new Map<string, string>();

/** A string naming a register's storage: equal for names of the same storage (one per name). */
function storageKey(name: string): string {
  let key = STORAGE_KEYS.get(name);
  if (key === undefined) {
    const s = storageOf(name);
    key = s.kind === 'reg' ? s.reg : `${s.kind} ${s.idx}`;
    if (STORAGE_KEYS.size < 4096) STORAGE_KEYS.set(name, key);
  }
  return key;
}
