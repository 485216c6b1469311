/**
 * The `tsconnect` command: kcctl's verbs and flags for any Connect REST API (tsconnect's or Java's), with output
 * for people and for scripts. Parses the command line (util.parseArgs: global flags, then the verb's), runs the
 * verb, and maps failures to one line on stderr and an exit code (usage.ts: 0 done, 1 failed, 2 usage).
 */
import { parseArgs } from 'node:util'
import { type Clock, systemClock } from '../util/clock.ts'
import { ConnectClient } from './connect-client.ts'
import { type Context, contextFilePath, contextOverrides, DEFAULT_CLUSTER, readContexts } from './contexts.ts'
import { type OutputStream, outputFormat, Printer } from './output.ts'
import { CommandFailed, EXIT, UsageError } from './usage.ts'
import type { Flag, FlagValues, Invocation, Verb } from './verb.ts'
import { stringFlag } from './verb.ts'
import { VERBS } from './verbs.ts'

/** What the command runs with: streams, environment, clock (tests give their own). */
export interface CtlIo {
  stdout: OutputStream
  stderr: OutputStream
  env: NodeJS.ProcessEnv
  readStdin(): Promise<string>
  clock?: Clock
  signal?: AbortSignal
}

/** Flags every verb takes: which cluster, how to reach it, how to print. */
export const GLOBAL_FLAGS: Record<string, Flag> = {
  context: { type: 'string', value: 'NAME', description: 'use this context instead of the current one' },
  cluster: { type: 'string', value: 'URL', description: `the REST URL of a worker (default ${DEFAULT_CLUSTER})` },
  username: { type: 'string', value: 'USER', description: 'basic authentication user' },
  password: {
    type: 'string',
    value: 'PASSWORD',
    description: 'basic authentication password (or TSCONNECT_PASSWORD; never printed)',
  },
  token: { type: 'string', value: 'TOKEN', description: 'bearer token (or TSCONNECT_TOKEN; never printed)' },
  ca: { type: 'string', value: 'FILE', description: 'PEM file of the CA certificates to trust (private CAs)' },
  cert: { type: 'string', value: 'FILE', description: 'PEM client certificate (mutual TLS)' },
  key: { type: 'string', value: 'FILE', description: 'PEM key of the client certificate' },
  insecure: { type: 'boolean', description: 'do not check the server certificate' },
  output: { type: 'string', short: 'o', value: 'FORMAT', description: 'table (default), json or yaml' },
  'no-color': { type: 'boolean', description: 'no colours even on a terminal (also NO_COLOR=1)' },
  'request-timeout': { type: 'string', value: 'MS', description: 'give up on a REST request after this long (30000)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options']

function parseOptions(flags: Record<string, Flag>): ParseOptions {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [
      name,
      { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  )
}

/** Runs the command line `argv` (without node and the script); answers the exit code. */
export async function main(argv: string[], io: CtlIo): Promise<number> {
  const noColor = argv.includes('--no-color') || (io.env.NO_COLOR ?? '') !== ''
  const colorOf = (s: OutputStream) =>
    !noColor && ((io.env.FORCE_COLOR ?? '') !== '' && io.env.FORCE_COLOR !== '0' ? true : s.isTTY === true)
  const out = new Printer(io.stdout, colorOf(io.stdout))
  const err = new Printer(io.stderr, colorOf(io.stderr))
  let verb: Verb | undefined
  try {
    verb = findVerb(argv)
    if (verb === undefined) {
      out.line(generalHelp())
      const asked = argv.length === 0 || argv.includes('-h') || argv.includes('--help') || argv.includes('help')
      return asked ? EXIT.OK : EXIT.USAGE
    }
    const invocation = parse(verb, argv, io, out, err)
    if (invocation.flags.help === true) {
      out.line(verbHelp(verb))
      return EXIT.OK
    }
    return (await verb.run(invocation)) ?? EXIT.OK
  } catch (error) {
    if (error instanceof UsageError) {
      err.line(`${err.style('red', 'error:')} ${error.message}`)
      err.line(
        verb === undefined ? "Run 'tsconnect --help' for the verbs." : `Usage: ${usageLines(verb).join('\n       ')}`,
      )
      return EXIT.USAGE
    }
    if (error instanceof CommandFailed) {
      err.line(`${err.style('red', 'error:')} ${error.message}`)
      for (const line of error.details) err.line(`  ${line}`)
      return EXIT.FAILED
    }
    if ((error as Error).name === 'AbortError' || io.signal?.aborted) return EXIT.FAILED
    err.line(`${err.style('red', 'error:')} ${(error as Error).message}`)
    return EXIT.FAILED
  }
}

/** The verb named by the first argument that is not a global flag or its value. */
function findVerb(argv: string[]): Verb | undefined {
  const { tokens } = parseArgs({
    args: argv,
    options: parseOptions(GLOBAL_FLAGS),
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  const first = tokens.find((t) => t.kind === 'positional')
  if (first === undefined || first.kind !== 'positional') return undefined
  const name = first.value === 'help' ? tokens.filter((t) => t.kind === 'positional')[1]?.value : first.value
  if (first.value === 'help' && name === undefined) return undefined
  const verb = VERBS.find((v) => v.name === name)
  if (verb === undefined) throw new UsageError(`unknown verb '${name}'`)
  return verb
}

function parse(verb: Verb, argv: string[], io: CtlIo, out: Printer, err: Printer): Invocation {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      options: parseOptions({ ...GLOBAL_FLAGS, ...verb.flags }),
      strict: true,
      allowPositionals: true,
    })
  } catch (error) {
    // parseArgs words it well ("Unknown option '--x'"); the usage follows.
    throw new UsageError((error as Error).message)
  }
  const positionals = [...parsed.positionals]
  if (positionals[0] === 'help') {
    positionals.shift()
    parsed.values.help = true
  }
  positionals.shift()
  const flags = parsed.values as FlagValues
  const format = outputFormat(stringFlag(flags, 'output'))
  if (format !== 'table' && verb.reads !== true && flags.help !== true) {
    throw new UsageError(`'${verb.name}' prints no data: -o ${format} does not apply`)
  }
  const timeout = Number(stringFlag(flags, 'request-timeout') ?? '30000')
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--request-timeout takes milliseconds')
  const contextPath = contextFilePath(io.env)
  let file: ReturnType<typeof readContexts> | undefined
  const contexts = () => {
    file ??= readContexts(contextPath)
    return file
  }
  let context: Context | undefined
  const resolve = () => {
    context ??= resolveContext(flags, io.env, contexts())
    return context
  }
  let client: ConnectClient | undefined
  return {
    args: positionals,
    flags,
    out,
    err,
    format,
    env: io.env,
    clock: io.clock ?? systemClock,
    signal: io.signal ?? new AbortController().signal,
    readStdin: io.readStdin,
    contextPath,
    contexts,
    context: resolve,
    client: () => {
      client ??= new ConnectClient(resolve(), timeout)
      return client
    },
  }
}

/** The selected context (--context, TSCONNECT_CONTEXT, the current one), with the command line's overrides. */
function resolveContext(flags: FlagValues, env: NodeJS.ProcessEnv, file: ReturnType<typeof readContexts>): Context {
  const name = stringFlag(flags, 'context') ?? (env.TSCONNECT_CONTEXT || undefined) ?? file.currentContext
  let base: Context = { cluster: DEFAULT_CLUSTER }
  if (name !== undefined) {
    const found = file.contexts[name]
    if (found === undefined) throw new CommandFailed(`no context named '${name}' (see 'tsconnect config get-contexts')`)
    base = found
  }
  return { ...base, ...contextOverrides(flags, env) }
}

function usageLines(verb: Verb): string[] {
  return verb.usage.map((u) => `tsconnect ${u}`)
}

function flagLines(flags: Record<string, Flag>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => [
    `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`,
    f.description,
  ])
  const width = Math.max(...rows.map(([l]) => (l ?? '').length))
  return rows.map(([l, d]) => `  ${(l ?? '').padEnd(width)}  ${d}`)
}

/** `tsconnect <verb> --help`: usage, flags and examples. */
export function verbHelp(verb: Verb): string {
  const globals = Object.fromEntries(
    Object.entries(GLOBAL_FLAGS).filter(([name]) => verb.reads === true || name !== 'output'),
  )
  return [
    verb.summary,
    '',
    `Usage: ${usageLines(verb).join('\n       ')}`,
    ...(Object.keys(verb.flags).length > 0 ? ['', 'Flags:', ...flagLines(verb.flags)] : []),
    '',
    'Global flags:',
    ...flagLines(globals),
    '',
    'Examples:',
    ...verb.examples.map((e) => `  ${e}`),
  ].join('\n')
}

/** `tsconnect --help`: every verb in one line. */
export function generalHelp(): string {
  const listed = VERBS.filter((v) => !v.name.startsWith('__'))
  const width = Math.max(...listed.map((v) => v.name.length))
  return [
    'tsconnect: a command line for Kafka Connect clusters (tsconnect or Java Connect, through their REST API)',
    '',
    'Usage: tsconnect <verb> [arguments] [flags]',
    '',
    'Verbs:',
    ...listed.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    "Run 'tsconnect <verb> --help' for a verb's flags and examples.",
    'Exit codes: 0 done, 1 failed, 2 wrong command line.',
  ].join('\n')
}
