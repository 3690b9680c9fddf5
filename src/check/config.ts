// SPDX-License-Identifier: MIT
/**
 * The configuration space of the verifier: which host (one CPU type, or two for a migration),
 * which `arm_pmuv3.reserved_host_counters`, how many counters userspace asks for, and which
 * policy. Enumerated lazily, in a fixed order, so that a run is reproducible.
 *
 * @module
 */

import { CPUS, type CpuDef, lookupCpu, parseInlineCpu } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import { PMU_VERSIONS } from '../arch/features.js';
import { POLICIES, type Policy } from '../kvm/policy.js';
import type { KernelPolicySpec } from './kernel.js';

/** One hardware and VMM configuration under one policy. */
export interface Configuration {
  readonly policy: Policy;
  /** The CPU type the VM's PMU is pinned to: the host's CPU 0. */
  readonly cpu: CpuDef;
  /** A second CPU type (the host's CPU 1), for runs on another core; undefined: one CPU. */
  readonly other?: CpuDef;
  /** `arm_pmuv3.reserved_host_counters`, -1 for none. */
  readonly reservedHostCounters: number;
  /** KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS; undefined keeps the default. */
  readonly nr?: number;
  /** The reviewer's order: ON_UNSUPPORTED_CPU set before MDCR_EL2 is computed. */
  readonly unsupportedCheckFirst: boolean;
  /** A second VM, set up the same way, whose vCPU the schedules run on the host's CPUs too. */
  readonly secondVm?: boolean;
  /**
   * The VMM's vCPU ioctls are schedule steps, in any order, instead of a fixed set-up: the search
   * starts after KVM_CREATE_VCPU (and v5's KVM_ENABLE_CAP, which must come before it).
   */
  readonly ioctlOrder?: boolean;
}

/** The configuration in one line: `v5 cortex-a710+cortex-a510 reserved=14 nr=8`. */
export function configurationText(c: Configuration): string {
  const cpus = c.other === undefined ? c.cpu.name : `${c.cpu.name}+${c.other.name}`;
  const nr = c.nr === undefined ? 'default' : String(c.nr);
  const order = c.unsupportedCheckFirst ? ' check-first' : '';
  const vm2 = c.secondVm === true ? ' +vm' : '';
  const ioctls = c.ioctlOrder === true ? ' ioctls-any-order' : '';
  return `${c.policy.name} ${cpus} reserved=${c.reservedHostCounters} nr=${nr}${order}${vm2}${ioctls}`;
}

/** The hosts of a space: one CPU type, or [VM's CPU type, another] (catalogue names or CPUs). */
type HostShape = readonly [string | CpuDef] | readonly [string | CpuDef, string | CpuDef];

/**
 * Synthetic CPUs: every PMU version, each N of `ns`, without FEAT_FGT, with it, and with FEAT_FGT
 * and FEAT_HPMN0 (which needs it, A2.2.7), and FEAT_PMUv3_ICNTR on the PMUv3p9 ones too; all with
 * FEAT_VHE (the KVM model's host runs VHE) and EL3. The feature rules close each set (features.ts).
 * With N = 0 only the sets with FEAT_HPMN0: the Arm ARM permits zero event counters with EL2 only
 * when FEAT_HPMN0 is implemented (D13.1).
 */
function syntheticCpus(ns: readonly number[]): CpuDef[] {
  const out: CpuDef[] = [];
  for (const pmuVer of PMU_VERSIONS) {
    for (const n of ns) {
      const sets: string[][] = [[], ['FEAT_FGT'], ['FEAT_FGT', 'FEAT_HPMN0']];
      if (pmuVer === 'PMUv3p9') sets.push(['FEAT_FGT', 'FEAT_HPMN0', 'FEAT_PMUv3_ICNTR']);
      for (const extra of sets) {
        // No PE with EL2 has N = 0 without FEAT_HPMN0 (D13.1; parseInlineCpu() refuses it).
        if (n === 0 && !extra.includes('FEAT_HPMN0')) continue;
        const cpu = parseInlineCpu({ pmuVer, n, features: ['FEAT_VHE', 'FEAT_EL3', ...extra] });
        const tag = extra.length === 0 ? '' : `+${extra.map((f) => f.slice(5)).join('+')}`;
        out.push({ ...cpu, name: `${pmuVer}-n${n}${tag}`, title: `synthetic ${pmuVer}, N = ${n}${tag}` });
      }
    }
  }
  return out;
}

const cpuOf = (c: string | CpuDef): CpuDef => (typeof c === 'string' ? lookupCpu(c) : c);

/**
 * A CPU of the spaces by name: a catalogue CPU, or a synthetic one (`PMUv3p5-n6+FGT`), as a replay
 * token names it.
 *
 * @throws InputError for a name that is neither.
 */
export function lookupSpaceCpu(name: string): CpuDef {
  if (CPUS.some((c) => c.name === name)) return lookupCpu(name);
  const n = /^PMUv3(?:p\d)?-n(\d+)(?:\+|$)/.exec(name);
  if (n === null) return lookupCpu(name);
  const same = syntheticCpus([Number(n[1])]);
  const synthetic = same.find((c) => c.name === name);
  if (synthetic === undefined)
    throw new InputError(
      `Unknown synthetic CPU "${name}"; with N = ${n[1]}: ${same.length === 0 ? 'none' : same.map((c) => c.name).join(', ')}`,
    );
  return synthetic;
}
const nameOf = (c: string | CpuDef): string => (typeof c === 'string' ? c : c.name);

/** A named space: its hosts, and the counts tried on each. */
interface SpaceDef {
  readonly description: string;
  readonly hosts: () => readonly HostShape[];
  /** reserved_host_counters for a CPU with N counters. */
  readonly reserved: (n: number) => readonly number[];
  /** SET_NR_COUNTERS values for a CPU with N counters (undefined: not called). */
  readonly nr: (n: number) => readonly (number | undefined)[];
  /** Whether each configuration has a second VM. */
  readonly secondVm?: boolean;
  /** Whether the vCPU ioctls are schedule steps (Configuration.ioctlOrder). */
  readonly ioctlOrder?: boolean;
  /** The depth bound when none is given (default 4). */
  readonly depth?: number;
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

const SPACES: Readonly<Record<string, SpaceDef>> = {
  default: {
    description:
      'the seed (Cortex-A710 VM on a Cortex-A510), a core without FEAT_FGT (Neoverse N2), QEMU max with FEAT_FGT and FEAT_HPMN0; no reservation, none, 2 and every counter reserved; nr default, 0, 1, N - 2, N',
    hosts: () => [['cortex-a710', 'cortex-a510'], ['neoverse-n2'], ['qemu-max-8-2']],
    reserved: (n) => uniq([-1, 0, 2, n]),
    nr: (n) => uniq([undefined, 0, 1, Math.max(n - 2, 0), n]),
  },
  catalogue: {
    description:
      'every catalogue CPU alone and the seed pair; reservations -1, 0, 1, N/2, N; nr default, 0, 1, N/2, N',
    hosts: () => [...CPUS.map((c): HostShape => [c.name]), ['cortex-a710', 'cortex-a510']],
    reserved: (n) => uniq([-1, 0, 1, Math.floor(n / 2), n]),
    nr: (n) => uniq([undefined, 0, 1, Math.floor(n / 2), n]),
  },
  synthetic: {
    description:
      'synthetic CPUs: every PMU version x N in 1, 2, 6, 31 x (no FGT, FGT, FGT+HPMN0, and ICNTR on PMUv3p9); reservations -1, 0, 1, N/2, N; nr default, 0, 1, N/2, N',
    hosts: () => syntheticCpus([1, 2, 6, 31]).map((c): HostShape => [c]),
    reserved: (n) => uniq([-1, 0, 1, Math.floor(n / 2), n]),
    nr: (n) => uniq([undefined, 0, 1, Math.floor(n / 2), n]),
  },
  full: {
    description:
      'the synthetic CPUs with every N 0..31 (N = 0 only with FEAT_HPMN0, D13.1), every catalogue CPU and the seed pair; reservations -1, 0, 1, N/2, N-1, N; nr default, 0, 1, N/2, N, N+1 (large: split it with --shard)',
    hosts: () => [
      ...syntheticCpus(Array.from({ length: 32 }, (_, i) => i)).map((c): HostShape => [c]),
      ...CPUS.map((c): HostShape => [c.name]),
      ['cortex-a710', 'cortex-a510'],
    ],
    reserved: (n) => uniq([-1, 0, 1, Math.floor(n / 2), Math.max(n - 1, 0), n]),
    nr: (n) => uniq([undefined, 0, 1, Math.floor(n / 2), n, n + 1]),
  },
  smp: {
    description:
      'two QEMU max 8.2 CPUs (one PMU) and two VMs, one vCPU each; reservations -1, 2; nr default, 4',
    hosts: () => [['qemu-max-8-2', 'qemu-max-8-2']],
    reserved: () => [-1, 2],
    nr: () => [undefined, 4],
    secondVm: true,
  },
  ioctls: {
    description:
      'the vCPU ioctls in any order (KVM_ARM_VCPU_INIT, PMU_V3 IRQ, ENABLE_PARTITION, SET_PMU to each PMU, SET_NR_COUNTERS, INIT) before and between KVM_RUNs: the seed pair, QEMU max 8.2, Neoverse N2; reservations -1, 2; SET_NR_COUNTERS 1 or N (default depth 8)',
    hosts: () => [['cortex-a710', 'cortex-a510'], ['qemu-max-8-2'], ['neoverse-n2']],
    reserved: () => [-1, 2],
    nr: (n) => uniq([1, n]),
    ioctlOrder: true,
    depth: 8,
  },
  small: {
    description: 'the seed pair only, with the seed reservation and request (for quick runs and tests)',
    hosts: () => [['cortex-a710', 'cortex-a510']],
    reserved: () => [14],
    nr: () => [8],
  },
};

/** The names of the spaces, for --help. */
export function spaceNames(): string[] {
  return Object.keys(SPACES);
}

/** A space's description. */
export function spaceDescription(name: string): string {
  return lookupSpace(name).description;
}

/** The depth bound a run of space `name` takes when none is given. */
export function spaceDepth(name: string): number {
  return lookupSpace(name).depth ?? 4;
}

function lookupSpace(name: string): SpaceDef {
  const s = SPACES[name];
  if (s === undefined) throw new InputError(`Unknown space "${name}"; spaces: ${spaceNames().join(', ')}`);
  return s;
}

/** Filters on a space. */
export interface SpaceFilter {
  /** Policy names to keep (all when empty). */
  readonly policies?: readonly string[];
  /** CPU names: keep hosts that contain one of them. */
  readonly cpus?: readonly string[];
  /** Counter counts (PMCR_EL0.N): keep hosts with a CPU that has one of them. */
  readonly ns?: readonly number[];
  /** Both review orders of the unsupported-CPU check (default: mainline's order only). */
  readonly bothOrders?: boolean;
  /** Extra policies (defined outside the registry, e.g. by a test). */
  readonly extraPolicies?: readonly Policy[];
  /** Kernel code to compile as the policy "kernel" (withKernelPolicy(), check/kernel.ts). */
  readonly kernel?: KernelPolicySpec;
}

/** Every configuration of space `name` that passes `filter`, in order. */
export function* configurations(name: string, filter: SpaceFilter = {}): Generator<Configuration> {
  const space = lookupSpace(name);
  // A monitor with its own scenario (TF-RMM) is driven through its own calls (monitor.ts), with its
  // variants (the newer rec.c); it has no ioctls and no second VM, and ignores the host's
  // reserved_host_counters and the unsupported-CPU order.
  const monitors = POLICIES.filter((p) => p.scenario !== undefined).flatMap((p) => [
    p,
    ...(p.variants ?? []),
  ]);
  const kvm = POLICIES.filter((p) => p.scenario === undefined);
  const usable = space.ioctlOrder === true || space.secondVm === true ? kvm : [...kvm, ...monitors];
  const all = [...usable, ...(filter.extraPolicies ?? [])];
  const wanted = filter.policies ?? [];
  const policies = wanted.length === 0 ? all : all.filter((p) => wanted.includes(p.name));
  for (const host of space.hosts()) {
    if (
      filter.cpus !== undefined &&
      filter.cpus.length > 0 &&
      !host.some((h) => filter.cpus?.includes(nameOf(h)))
    )
      continue;
    if (filter.ns !== undefined && filter.ns.length > 0 && !host.some((h) => filter.ns?.includes(cpuOf(h).n)))
      continue;
    const cpu = cpuOf(host[0]);
    const other = host[1] === undefined ? undefined : cpuOf(host[1]);
    for (const policy of policies) {
      const monitor = policy.scenario !== undefined;
      for (const reservedHostCounters of monitor ? [-1] : space.reserved(cpu.n)) {
        for (const nr of space.nr(cpu.n)) {
          for (const first of filter.bothOrders === true && !monitor ? [false, true] : [false]) {
            const base = {
              policy,
              cpu,
              reservedHostCounters,
              unsupportedCheckFirst: first,
              ...(space.secondVm === true ? { secondVm: true } : {}),
              ...(space.ioctlOrder === true ? { ioctlOrder: true } : {}),
            };
            const withOther = other === undefined ? base : { ...base, other };
            yield nr === undefined ? withOther : { ...withOther, nr };
          }
        }
      }
    }
  }
}
