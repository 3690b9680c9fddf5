// SPDX-License-Identifier: MIT
import { actionText } from '../check/actions.js';
import { configurationText } from '../check/config.js';
import { parseReplayToken, replay } from '../check/replay.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { hex } from './format.js';
import { ok } from './io.js';
import { outcomeText } from './kvm.js';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'run a counterexample of pmup check again, step by step, with what each step changed',
  help: `Usage: pmup replay TOKEN

TOKEN is the replay token pmup check prints under each counterexample. The configuration is set
up again and every step runs under the CONSTRAINED UNPREDICTABLE behaviours recorded in the
token; each step shows the guest's view, the hardware registers it changed on each CPU, the vCPU
fields it changed, and the invariants it breaks.`,
  run(argv) {
    const { positionals } = parseCommandArgs('replay', argv, {});
    expectPositionals('replay', positionals, 1);
    const { configuration, trace } = parseReplayToken(positionals[0] ?? '');
    const steps = replay(configuration, trace);
    const out = [`configuration: ${configurationText(configuration)}`];
    steps.forEach((s, i) => {
      const chosen = Object.entries(s.step.choices).map(([r, b]) => `${r} ${b}`);
      out.push(
        `${i + 1}. ${actionText(s.step.action)}${chosen.length === 0 ? '' : `  [hardware: ${chosen.join(', ')}]`}`,
      );
      if (s.outcome !== undefined) out.push(`   guest sees: ${outcomeText(s.outcome)}`);
      if (s.vcpu.length > 0) out.push(`   vCPU: ${s.vcpu.join(', ')}`);
      for (const h of s.hardware) {
        if (h.changes.size === 0) continue;
        out.push(`   CPU ${h.cpu}: ${[...h.changes].map(([n, v]) => `${n} = ${hex(v)}`).join(', ')}`);
      }
      for (const b of s.broken) out.push(`   breaks ${b.invariant}: ${b.message}`);
    });
    return ok(out.join('\n'));
  },
};
