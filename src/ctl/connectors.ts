/**
 * Connector names on the command line (kcctl's: names, or regular expressions with -e), and the status reads that
 * several verbs share.
 */
import type { ConnectorStateInfo } from '../herder/herder.ts'
import type { ConnectClient } from './connect-client.ts'
import { CommandFailed, UsageError } from './usage.ts'
import type { Flag, Invocation } from './verb.ts'

/** -e: the names are regular expressions. */
export const REGEXP_FLAG: Record<string, Flag> = {
  'reg-exp': { type: 'boolean', short: 'e', description: 'treat the names as regular expressions over all connectors' },
}

/** The path of one connector's resource. */
export const connectorPath = (name: string, rest = '') => `/connectors/${encodeURIComponent(name)}${rest}`

/**
 * The arguments after an optional leading noun (`pause connector a b` and `pause a b` alike).
 * @throws UsageError when another noun than `nouns` leads
 */
export function withoutNoun(args: string[], nouns: readonly string[], verb: string): string[] {
  const [first, ...rest] = args
  if (first !== undefined && nouns.includes(first)) return rest
  if (first !== undefined && /^(connectors?|tasks?|offsets|plugins?|loggers?)$/.test(first)) {
    throw new UsageError(`${verb} does not take '${first}' (use ${nouns.join(' or ')})`)
  }
  return args
}

/**
 * The connectors the arguments name: the names themselves, or with -e every connector matching one of them.
 * @throws UsageError when none is named; CommandFailed when a pattern matches nothing
 */
export async function selectConnectors(inv: Invocation, args: string[], verb: string): Promise<string[]> {
  if (args.length === 0) throw new UsageError(`${verb} takes connector names`)
  if (inv.flags['reg-exp'] !== true) return args
  const patterns = args.map((a) => {
    try {
      return new RegExp(`^(?:${a})$`)
    } catch (error) {
      throw new UsageError(`'${a}' is not a regular expression: ${(error as Error).message}`)
    }
  })
  const all = await inv.client().get<string[]>('/connectors')
  const names = all.filter((n) => patterns.some((p) => p.test(n))).sort()
  if (names.length === 0) throw new CommandFailed(`no connector matches ${args.join(', ')}`)
  return names
}

/** One connector's status. */
export function connectorStatus(client: ConnectClient, name: string): Promise<ConnectorStateInfo> {
  return client.get<ConnectorStateInfo>(connectorPath(name, '/status'))
}

/** The tasks of a status in a few words: `2 RUNNING`, `1 RUNNING, 1 FAILED`, `-` without tasks. */
export function taskSummary(status: ConnectorStateInfo): string {
  if (status.tasks.length === 0) return '-'
  const counts = new Map<string, number>()
  for (const t of status.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1)
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ')
}

/** The first line of a failure's trace, for tables. */
export function traceHead(trace: string | undefined): string {
  return trace?.split('\n')[0]?.trim() ?? ''
}
