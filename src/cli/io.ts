// SPDX-License-Identifier: MIT
/** What a command returns: its output text and exit status. Commands never print or exit. */
export interface CommandResult {
  readonly stdout: string;
  readonly status: number;
}

/** A successful command result. */
export function ok(stdout: string): CommandResult {
  return { stdout: stdout.endsWith('\n') || stdout === '' ? stdout : `${stdout}\n`, status: 0 };
}
