// SPDX-License-Identifier: MIT
/**
 * The `pmup kvm` options that choose the order of the VMM's ioctls and the CPUs they and KVM_RUN
 * run on (kept apart from kvm.ts, which only wires them in).
 *
 * @module
 */

import { InputError } from '../arch/errors.js';

/** The help text of these options. */
export const SCENARIO_OPTIONS_HELP = `--enable-partition-last sends attribute 5 (ENABLE_PARTITION) after SET_PMU and SET_NR_COUNTERS
instead of right after the IRQ. --ioctl-cpu C makes the VMM's vCPU ioctls on CPU C (0, or 1 with
--on; default 0): the per-CPU checks of the kernel see that CPU. --run-cpu C runs the vCPU on CPU C
(default: the --on CPU, else 0). --host-events K opens K host perf events on that CPU before
KVM_RUN (CPU_CYCLES, then INST_RETIRED; no exclusions) and shows what 1000 guest instructions and
cycles at EL1 count on the hardware under every permitted CONSTRAINED UNPREDICTABLE behaviour.
--guest-writes-pmcr V makes the guest write V to PMCR_EL0 at EL1 after its reads (0 clears E).`;

function cpuIndex(text: string | undefined, name: string, two: boolean): number | undefined {
  if (text === undefined) return undefined;
  const max = two ? 1 : 0;
  if (!/^\d+$/.test(text.trim()) || Number(text) > max)
    throw new InputError(
      `kvm: ${name} must be ${two ? '0 or 1' : '0 (give --on for a CPU 1)'}, got ${JSON.stringify(text)}`,
    );
  return Number(text);
}

/** The scenario options of these flags; `two`: the host has a CPU 1 (--on given). */
export function scenarioCpuOptions(
  values: {
    readonly 'enable-partition-last'?: boolean | undefined;
    readonly 'ioctl-cpu'?: string | undefined;
    readonly 'run-cpu'?: string | undefined;
    readonly 'host-events'?: string | undefined;
    readonly 'guest-writes-pmcr'?: string | undefined;
  },
  two: boolean,
): {
  enablePartitionLast?: boolean;
  ioctlCpu?: number;
  runCpu?: number;
  hostEvents?: number;
  guestPmcrWrite?: bigint;
} {
  const pmcr = values['guest-writes-pmcr']?.trim();
  if (pmcr !== undefined && !/^(0x[0-9a-f]+|\d+)$/i.test(pmcr))
    throw new InputError(`kvm: --guest-writes-pmcr must be a number, got ${JSON.stringify(pmcr)}`);
  const guestPmcrWrite = pmcr === undefined ? undefined : BigInt(pmcr);
  if (guestPmcrWrite !== undefined && guestPmcrWrite >= 1n << 64n)
    throw new InputError(`kvm: --guest-writes-pmcr must fit 64 bits, got ${pmcr}`);
  const ioctlCpu = cpuIndex(values['ioctl-cpu'], '--ioctl-cpu', two);
  const runCpu = cpuIndex(values['run-cpu'], '--run-cpu', two);
  const events = values['host-events'];
  if (events !== undefined && (!/^\d+$/.test(events.trim()) || Number(events) > 8))
    throw new InputError(`kvm: --host-events must be 0..8, got ${JSON.stringify(events)}`);
  return {
    ...(guestPmcrWrite === undefined ? {} : { guestPmcrWrite }),
    ...(events === undefined ? {} : { hostEvents: Number(events) }),
    ...(values['enable-partition-last'] === true ? { enablePartitionLast: true } : {}),
    ...(ioctlCpu === undefined ? {} : { ioctlCpu }),
    ...(runCpu === undefined ? {} : { runCpu }),
  };
}
