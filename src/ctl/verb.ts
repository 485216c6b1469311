/**
 * What a verb is (name, help, flags, run) and what it is given to run: its arguments, the output printers, the
 * chosen output format, and the cluster of the selected context. main.ts parses the command line into this.
 */
import type { Clock } from '../util/clock.ts'
import type { ConnectClient } from './connect-client.ts'
import type { Context, ContextFile } from './contexts.ts'
import type { OutputFormat, Printer } from './output.ts'

/** One flag of a verb, as util.parseArgs declares it, with its help line. */
export interface Flag {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** The value's name in help, e.g. `STATE`. */
  value?: string
  description: string
}

/** One verb of the command line, e.g. `get`. */
export interface Verb {
  name: string
  /** One line for `tsconnect --help`. */
  summary: string
  /** Usage lines after `tsconnect `, e.g. `get connectors [-o table|json|yaml]`. */
  usage: string[]
  flags: Record<string, Flag>
  /** Example command lines, shown by --help. */
  examples: string[]
  /** Whether the verb reads and prints data (takes -o). */
  reads?: boolean
  /** Runs the verb; answers the exit code (0 when nothing is answered). */
  run(invocation: Invocation): Promise<number | undefined>
}

/** The values of parsed flags. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>

/** Everything a verb runs with. */
export interface Invocation {
  /** Positional arguments after the verb. */
  args: string[]
  flags: FlagValues
  out: Printer
  err: Printer
  format: OutputFormat
  env: NodeJS.ProcessEnv
  clock: Clock
  /** Aborted on Ctrl-C: watches and waits stop. */
  signal: AbortSignal
  /** Reads standard input whole (`apply -f -`). */
  readStdin(): Promise<string>
  /** The contexts file's path and content. */
  contextPath: string
  contexts(): ContextFile
  /** The context in use, after command-line overrides. */
  context(): Context
  /** A client of the context's cluster. */
  client(): ConnectClient
}

/** A string flag's value. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name]
  return typeof value === 'string' ? value : undefined
}

/** A repeatable string flag's values. */
export function listFlag(flags: FlagValues, name: string): string[] {
  const value = flags[name]
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
}
