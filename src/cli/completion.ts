// SPDX-License-Identifier: MIT
/** `pmup completion bash|zsh`: a shell completion script for the commands, flags and names. */

import { allRegisterNames } from '../arch/catalogue.js';
import { CPU_NAMES } from '../arch/cpus.js';
import { InputError } from '../arch/errors.js';
import { policyNames } from '../kvm/policy.js';
import type { Command } from './command.js';
import { expectPositionals, parseCommandArgs } from './command.js';
import { SYNDROME_REGISTERS } from './esr.js';
import { ok } from './io.js';

/** The words a script completes: commands with their flags, registers, CPUs and policies. */
interface Words {
  readonly commands: readonly { readonly name: string; readonly flags: readonly string[] }[];
  readonly registers: readonly string[];
  readonly cpus: readonly string[];
  readonly policies: readonly string[];
}

/** A command's flags, as its --help text names them (`--cpu`, `--json`, ...). */
function flagsOf(c: Command): string[] {
  return [...new Set([...c.help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))].sort();
}

function wordsOf(commands: readonly Command[]): Words {
  return {
    commands: commands.map((c) => ({ name: c.name, flags: [...flagsOf(c), '--help'] })),
    registers: [...allRegisterNames(), ...SYNDROME_REGISTERS],
    cpus: CPU_NAMES,
    policies: policyNames(),
  };
}

/** The bash script: registered with `complete -F _pmup pmup`. */
export function bashScript(w: Words): string {
  const cases = w.commands.map((c) => `    ${c.name}) flags="${c.flags.join(' ')}" ;;`).join('\n');
  return `# bash completion for pmup: eval "$(pmup completion bash)"
_pmup() {
  local cur prev cmd flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  local commands="${w.commands.map((c) => c.name).join(' ')} help"
  local registers="${w.registers.join(' ')}"
  local cpus="${w.cpus.join(' ')}"
  local policies="${w.policies.join(' ')} all"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --cpu|--on) COMPREPLY=($(compgen -W "$cpus" -- "$cur")); return ;;
    --policy|--against|--kernel-base) COMPREPLY=($(compgen -W "$policies" -- "$cur")); return ;;
    --kernel|--stubs) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case "$cmd" in
${cases}
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    *) flags="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [ "$cmd" = kernel ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$registers" -- "$cur"))
  fi
}
complete -F _pmup pmup
`;
}

/** The zsh script: `compdef _pmup pmup`. */
export function zshScript(w: Words): string {
  const cases = w.commands.map((c) => `    ${c.name}) flags=(${c.flags.join(' ')}) ;;`).join('\n');
  return `#compdef pmup
# zsh completion for pmup: source <(pmup completion zsh)
_pmup() {
  local -a commands registers cpus policies flags
  commands=(${w.commands.map((c) => c.name).join(' ')} help)
  registers=(${w.registers.join(' ')})
  cpus=(${w.cpus.join(' ')})
  policies=(${w.policies.join(' ')} all)
  if (( CURRENT == 2 )); then
    compadd -- $commands --help --version
    return
  fi
  case "\${words[CURRENT-1]}" in
    --cpu|--on) compadd -- $cpus; return ;;
    --policy|--against|--kernel-base) compadd -- $policies; return ;;
    --kernel|--stubs) _files; return ;;
  esac
  case "\${words[2]}" in
${cases}
    help) compadd -- $commands; return ;;
    *) flags=() ;;
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    compadd -- $flags
  elif [[ "\${words[2]}" == kernel ]]; then
    _files
  else
    compadd -- $registers
  fi
}
if (( $+functions[compdef] )); then compdef _pmup pmup; fi
`;
}

/** The completion command over `commands()` (a function: the table includes this command). */
export function makeCompletionCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print a bash or zsh completion script',
    help: `Usage: pmup completion bash|zsh

Prints a completion script for the commands, their flags, register names, CPU names (after
--cpu and --on), policy names (after --policy, --against and --kernel-base) and file names
(after --kernel and --stubs, and for pmup kernel's FILEs).

Examples:
  eval "$(pmup completion bash)"
  source <(pmup completion zsh)`,
    run(argv) {
      const { positionals } = parseCommandArgs('completion', argv, {});
      expectPositionals('completion', positionals, 1);
      const shell = positionals[0];
      const words = wordsOf(commands());
      if (shell === 'bash') return ok(bashScript(words).trimEnd());
      if (shell === 'zsh') return ok(zshScript(words).trimEnd());
      throw new InputError(`completion: expected bash or zsh, got ${JSON.stringify(shell)}`);
    },
  };
}
