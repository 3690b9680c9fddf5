// SPDX-License-Identifier: MIT
/**
 * The KVM policy request of the batch protocol (docs/protocol.md): which MDCR_EL2, HPMN, guest
 * PMCR_EL0.N and PMU fine-grained traps a KVM policy chooses for one vCPU, from the values its
 * kernel functions read.
 *
 * ```json
 * {"id": "k1", "policy": "v5",
 *  "inputs": {"nrPmuCounters": 4, "armPmu": true, "hpmnMax": 4, "hostCounters": 6,
 *             "partitioned": true, "useFgt": true, "hasHpmn0": false, "pmuVer": "PMUv3p5",
 *             "onUnsupportedCpu": false, "guestDebug": false}}
 * ```
 *
 * Optional inputs: `hasFgt` (default true), `hasFgt2` (default false), `guestOwnsDebug` (default
 * false), `guestHasPmu` (default true). Every violation is an InputError with a one-line message.
 *
 * @module
 */

import { didYouMean, InputError } from '../arch/errors.js';
import { PMU_VERSIONS, type PmuVersion } from '../arch/features.js';
import { INPUT_DEFAULTS, lookupPolicy, type Policy, type PolicyInputs } from '../kvm/policy.js';

/** A parsed KVM policy request. */
export interface KvmRequest {
  readonly id: string | number | null;
  readonly policy: Policy;
  readonly inputs: PolicyInputs;
}

/** The answer to a KVM policy request, as JSON. */
export interface KvmAnswer {
  readonly id: string | number | null;
  readonly policy: string;
  readonly guestPmcrN: number;
  readonly hpmn: number;
  readonly mdcrEl2: string;
  readonly hdfgrtr: string;
  readonly hdfgwtr: string;
  readonly hdfgrtr2: string;
  readonly hdfgwtr2: string;
  readonly trapped: readonly string[];
  readonly notes: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a parsed JSON line is a KVM policy request (it has a `policy` member). */
export function isKvmRequest(v: unknown): boolean {
  return isObject(v) && 'policy' in v;
}

type CountName = 'nrPmuCounters' | 'hpmnMax' | 'hostCounters';
type FlagName =
  | 'armPmu'
  | 'partitioned'
  | 'useFgt'
  | 'hasHpmn0'
  | 'onUnsupportedCpu'
  | 'guestDebug'
  | 'hasFgt'
  | 'hasFgt2'
  | 'guestOwnsDebug'
  | 'guestHasPmu';

/** The counts and their ranges: only hpmn_max, an `int`, may be -1 ("not partitioned"). */
const COUNTS: Readonly<Record<CountName, readonly [number, number]>> = {
  nrPmuCounters: [0, 31],
  hpmnMax: [-1, 31],
  hostCounters: [0, 31],
};

const REQUIRED_FLAGS: readonly FlagName[] = [
  'armPmu',
  'partitioned',
  'useFgt',
  'hasHpmn0',
  'onUnsupportedCpu',
  'guestDebug',
];
const OPTIONAL_FLAGS = Object.keys(INPUT_DEFAULTS) as (keyof typeof INPUT_DEFAULTS)[];

const INPUT_NAMES: readonly string[] = [
  ...Object.keys(COUNTS),
  ...REQUIRED_FLAGS.slice(0, 3),
  'pmuVer',
  ...REQUIRED_FLAGS.slice(3),
  ...OPTIONAL_FLAGS,
];
const REQUEST_MEMBERS = ['id', 'policy', 'inputs'];

function parseCount(v: unknown, name: CountName): number {
  const [lo, hi] = COUNTS[name];
  if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) return v;
  throw new InputError(`inputs.${name}: expected an integer ${lo}..${hi}, got ${JSON.stringify(v)}`);
}

function parseFlag(v: unknown, name: FlagName): boolean {
  if (typeof v === 'boolean') return v;
  throw new InputError(`inputs.${name}: expected true or false, got ${JSON.stringify(v)}`);
}

function parsePmuVer(v: unknown): PmuVersion {
  const known: readonly string[] = PMU_VERSIONS;
  if (typeof v === 'string' && known.includes(v)) return v as PmuVersion;
  const hint = typeof v === 'string' ? didYouMean(v, PMU_VERSIONS) : '';
  throw new InputError(
    `inputs.pmuVer: expected one of ${PMU_VERSIONS.join(', ')}, got ${JSON.stringify(v)}${hint}`,
  );
}

function rejectUnknown(v: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) {
      const hint = didYouMean(k, known);
      throw new InputError(
        `${where}unknown member ${JSON.stringify(k)}${hint === '' ? ` (members: ${known.join(', ')})` : hint}`,
      );
    }
  }
}

/** Parses the `inputs` object of a KVM policy request. */
export function parsePolicyInputs(v: unknown): PolicyInputs {
  if (!isObject(v)) throw new InputError('"inputs" must be an object of kernel inputs');
  rejectUnknown(v, INPUT_NAMES, 'inputs: ');
  const need = (name: string): unknown => {
    if (v[name] === undefined) throw new InputError(`inputs.${name} is missing`);
    return v[name];
  };
  const optional = (name: keyof typeof INPUT_DEFAULTS): boolean =>
    v[name] === undefined ? INPUT_DEFAULTS[name] : parseFlag(v[name], name);
  return {
    nrPmuCounters: parseCount(need('nrPmuCounters'), 'nrPmuCounters'),
    armPmu: parseFlag(need('armPmu'), 'armPmu'),
    hpmnMax: parseCount(need('hpmnMax'), 'hpmnMax'),
    hostCounters: parseCount(need('hostCounters'), 'hostCounters'),
    partitioned: parseFlag(need('partitioned'), 'partitioned'),
    useFgt: parseFlag(need('useFgt'), 'useFgt'),
    hasHpmn0: parseFlag(need('hasHpmn0'), 'hasHpmn0'),
    pmuVer: parsePmuVer(need('pmuVer')),
    onUnsupportedCpu: parseFlag(need('onUnsupportedCpu'), 'onUnsupportedCpu'),
    guestDebug: parseFlag(need('guestDebug'), 'guestDebug'),
    hasFgt: optional('hasFgt'),
    hasFgt2: optional('hasFgt2'),
    guestOwnsDebug: optional('guestOwnsDebug'),
    guestHasPmu: optional('guestHasPmu'),
  };
}

/** Parses a KVM policy request from a JSON value; throws InputError naming the bad member. */
export function parseKvmRequest(json: unknown): KvmRequest {
  if (!isObject(json)) throw new InputError('a request must be a JSON object');
  rejectUnknown(json, REQUEST_MEMBERS, 'KVM policy request: ');
  const id = json['id'] === undefined ? null : json['id'];
  if (id !== null && typeof id !== 'string' && typeof id !== 'number') {
    throw new InputError('"id" must be a string or a number');
  }
  const name = json['policy'];
  if (typeof name !== 'string')
    throw new InputError(`"policy" must be a string, got ${JSON.stringify(name)}`);
  const policy = lookupPolicy(name);
  if (json['inputs'] === undefined) throw new InputError('"inputs" is missing');
  return { id, policy, inputs: parsePolicyInputs(json['inputs']) };
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** Evaluates a parsed KVM policy request: the policy's choices as JSON, registers in hex. */
export function evaluateKvmRequest(req: KvmRequest): KvmAnswer {
  const r = req.policy.evaluate(req.inputs);
  return {
    id: req.id,
    policy: req.policy.name,
    guestPmcrN: r.guestPmcrN,
    hpmn: r.hpmn,
    mdcrEl2: hex(r.mdcrEl2),
    hdfgrtr: hex(r.hdfgrtr),
    hdfgwtr: hex(r.hdfgwtr),
    hdfgrtr2: hex(r.hdfgrtr2),
    hdfgwtr2: hex(r.hdfgwtr2),
    trapped: r.trapped,
    notes: r.notes,
  };
}
