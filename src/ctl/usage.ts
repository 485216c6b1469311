/**
 * The CLI's two kinds of failure and their exit codes: a command line the CLI cannot understand (exit 2, with the
 * verb's usage), and a command that ran and failed (exit 1: a REST error, invalid config, a wait that timed out).
 */
import { ConnectError } from '../errors.ts'

/** Exit codes a script can rely on. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const

/** The command line is wrong: unknown verb or flag, missing argument, bad value. Exit code 2. */
export class UsageError extends ConnectError {
  override name = 'UsageError'

  constructor(message: string) {
    super('BAD_REQUEST', message)
  }
}

/** The command ran and failed for a reason already worded for the user (no stack, no prefix). Exit code 1. */
export class CommandFailed extends ConnectError {
  override name = 'CommandFailed'
  /** Lines printed after the message, e.g. one per invalid config key. */
  readonly details: string[]

  constructor(message: string, details: string[] = []) {
    super('UNKNOWN', message)
    this.details = details
  }
}
