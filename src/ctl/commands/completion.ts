/**
 * `completion bash|zsh`: a script to source for tab completion of verbs, nouns, flags, and the names of
 * connectors, contexts and loggers, which the script asks `tsconnect __complete <kind>` for (the cluster of the
 * current context, silently nothing when it cannot be reached).
 */
import type { LoggerLevel } from '../../herder/herder.ts'
import { UsageError } from '../usage.ts'
import type { Verb } from '../verb.ts'

const NOUNS: Record<string, string> = {
  config: 'set-context get-contexts use-context current-context remove-context',
  get: 'connectors plugins offsets loggers',
  describe: 'connector plugin',
  patch: 'connector offsets logger',
  restart: 'connector task',
  delete: 'connector offsets',
  completion: 'bash zsh',
}

function bashScript(verbs: readonly Verb[]): string {
  const flagsOf = verbs
    .map(
      (v) =>
        `    ${v.name}) flags="${Object.keys(v.flags)
          .map((f) => `--${f}`)
          .join(' ')}" ;;`,
    )
    .join('\n')
  const nounsOf = Object.entries(NOUNS)
    .map(([v, n]) => `    ${v}) nouns="${n}" ;;`)
    .join('\n')
  return `# tsconnect completion for bash: source <(tsconnect completion bash)
_tsconnect() {
  local cur prev verb noun flags nouns
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  verb="\${COMP_WORDS[1]}"
  noun="\${COMP_WORDS[2]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${verbs.map((v) => v.name).join(' ')}" -- "$cur") )
    return
  fi
  case "$prev" in
    -f|--file|--ca|--cert|--key) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    --context) COMPREPLY=( $(compgen -W "$(tsconnect __complete contexts 2>/dev/null)" -- "$cur") ); return ;;
    -o|--output) COMPREPLY=( $(compgen -W "table json yaml" -- "$cur") ); return ;;
    --wait) COMPREPLY=( $(compgen -W "RUNNING PAUSED STOPPED" -- "$cur") ); return ;;
    -t|--tasks) COMPREPLY=( $(compgen -W "all failed" -- "$cur") ); return ;;
  esac
  case "$verb" in
${flagsOf}
  esac
  case "$verb" in
${nounsOf}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags --context --cluster --output --help" -- "$cur") )
  elif [[ -n "$nouns" && $COMP_CWORD -eq 2 ]]; then
    COMPREPLY=( $(compgen -W "$nouns" -- "$cur") )
  elif [[ "$verb" == config ]]; then
    COMPREPLY=( $(compgen -W "$(tsconnect __complete contexts 2>/dev/null)" -- "$cur") )
  elif [[ "$noun" == logger || "$verb" == logs ]]; then
    COMPREPLY=( $(compgen -W "$(tsconnect __complete loggers 2>/dev/null)" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$(tsconnect __complete connectors 2>/dev/null)" -- "$cur") )
  fi
}
complete -F _tsconnect tsconnect
`
}

function zshScript(): string {
  // zsh runs bash completion functions through bashcompinit: one script for both shells.
  return `# tsconnect completion for zsh: source <(tsconnect completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
`
}

/** The `completion` verb, over the verbs it completes. */
export function completionVerb(verbs: () => readonly Verb[]): Verb {
  return {
    name: 'completion',
    summary: 'Print a bash or zsh completion script (verbs, flags, connector names)',
    usage: ['completion bash|zsh'],
    flags: {},
    examples: ['source <(tsconnect completion bash)', 'echo "source <(tsconnect completion zsh)" >> ~/.zshrc'],
    async run(inv) {
      const [shell, ...extra] = inv.args
      if (extra.length > 0 || (shell !== 'bash' && shell !== 'zsh'))
        throw new UsageError('completion takes bash or zsh')
      const bash = bashScript(verbs())
      inv.out.stream.write(shell === 'bash' ? bash : `${zshScript()}${bash.split('\n').slice(1).join('\n')}`)
      return 0
    },
  }
}

/** `__complete connectors|contexts|loggers`: names, one a line, for the completion scripts. */
export const completeVerb: Verb = {
  name: '__complete',
  summary: 'Names for shell completion (used by the completion scripts)',
  usage: ['__complete connectors|contexts|loggers'],
  flags: {},
  examples: ['tsconnect __complete connectors'],
  async run(inv) {
    const [kind] = inv.args
    let names: string[] = []
    try {
      if (kind === 'contexts') names = Object.keys(inv.contexts().contexts)
      else if (kind === 'connectors') names = await inv.client().get<string[]>('/connectors')
      else if (kind === 'loggers') {
        names = Object.keys(await inv.client().get<Record<string, LoggerLevel>>('/admin/loggers'))
      }
    } catch {
      // Completion prints nothing rather than an error in the middle of the command line.
    }
    for (const name of names.sort()) inv.out.line(name)
    return 0
  },
}
