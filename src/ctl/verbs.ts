/** Every verb of the `tsconnect` command, in the order --help lists them. */
import { applyVerb, validateVerb } from './commands/apply.ts'
import { completeVerb, completionVerb } from './commands/completion.ts'
import { configVerb } from './commands/config.ts'
import { describeVerb, getVerb } from './commands/get.ts'
import { deleteVerb, pauseVerb, restartVerb, resumeVerb, stopVerb } from './commands/lifecycle.ts'
import { logsVerb, patchVerb } from './commands/patch.ts'
import { infoVerb, statusVerb } from './commands/status.ts'
import type { Verb } from './verb.ts'

/** The verbs; `__complete` is last and left out of --help. */
export const VERBS: readonly Verb[] = [
  configVerb,
  infoVerb,
  getVerb,
  describeVerb,
  statusVerb,
  applyVerb,
  validateVerb,
  patchVerb,
  restartVerb,
  pauseVerb,
  resumeVerb,
  stopVerb,
  deleteVerb,
  logsVerb,
  completionVerb(() => VERBS),
  completeVerb,
]
