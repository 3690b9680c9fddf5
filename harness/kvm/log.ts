// SPDX-License-Identifier: MIT
/**
 * The harness's console log, parsed: the VMM's `PMUP` lines (see harness/kvm/vmm.c) and the
 * kernel's `DMESG` lines.
 *
 * @module
 */

/** One VMM line: `PMUP <TAB> scenario <TAB> kind <TAB> what <TAB> result [<TAB> value]`. */
export interface Observation {
  readonly scenario: string;
  readonly kind: string;
  readonly what: string;
  readonly result: string;
  readonly value?: string;
}

/** A parsed log. */
export interface KvmLog {
  readonly observations: readonly Observation[];
  readonly dmesg: readonly string[];
  /** The host-ID program's registers (`HOSTID NAME 0xVALUE`), by name. */
  readonly hostId: Readonly<Record<string, bigint>>;
  /** The VMM printed its closing line. */
  readonly complete: boolean;
}

/** Parses a boot's console output (QEMU's serial console: CR LF line ends). */
export function parseLog(text: string): KvmLog {
  const observations: Observation[] = [];
  const dmesg: string[] = [];
  const hostId: Record<string, bigint> = {};
  let complete = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('DMESG ')) dmesg.push(line.slice(6));
    const h = /^HOSTID (\S+) (0x[0-9a-f]+)$/.exec(line);
    if (h !== null) hostId[h[1]!] = BigInt(h[2]!);
    if (!line.startsWith('PMUP\t')) continue;
    const [, scenario = '', kind = '', what = '', result = '', value] = line.split('\t');
    if (kind === 'end') {
      complete = true;
      continue;
    }
    observations.push(
      value === undefined ? { scenario, kind, what, result } : { scenario, kind, what, result, value },
    );
  }
  return { observations, dmesg, hostId, complete };
}

/** The observations of one scenario. */
export function scenarioObservations(log: KvmLog, scenario: string): Observation[] {
  return log.observations.filter((o) => o.scenario === scenario);
}

/** Only the `PMUP`, `DMESG` and `HOSTID` lines of a console log (what the harness records). */
export function harnessLines(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.startsWith('PMUP') || l.startsWith('DMESG ') || l.startsWith('HOSTID '))
      .join('\n') + '\n'
  );
}
