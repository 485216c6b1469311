/**
 * `tsconnect config`: kcctl's context verbs. A context is saved with the global flags given (--cluster,
 * --username, --password, --token, --ca, --cert, --key, --insecure); listing shows the kind of auth, never a secret.
 */
import { resolve } from 'node:path'
import {
  type Context,
  contextOverrides,
  DEFAULT_CLUSTER,
  describeAuth,
  describeTls,
  writeContexts,
} from '../contexts.ts'
import { CommandFailed, UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'

const SUBCOMMANDS = ['set-context', 'get-contexts', 'use-context', 'current-context', 'remove-context'] as const

/** The `config` verb. */
export const configVerb: Verb = {
  name: 'config',
  summary: 'Manage contexts: named clusters with their URL, credentials and TLS files',
  usage: [
    'config set-context NAME [--cluster URL] [--username U --password P | --token T] [--ca FILE] [--insecure]',
    'config get-contexts | current-context',
    'config use-context NAME | remove-context NAME',
  ],
  flags: {},
  reads: true,
  examples: [
    'tsconnect config set-context prod --cluster https://connect.example:8443 --ca ca.pem --username ops --password s3cret',
    'tsconnect config use-context prod',
    'tsconnect config get-contexts -o json',
  ],
  async run(inv) {
    const [sub, name, ...extra] = inv.args
    if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new UsageError(`config takes one of ${SUBCOMMANDS.join(', ')}`)
    }
    const needsName = sub === 'set-context' || sub === 'use-context' || sub === 'remove-context'
    if (needsName && name === undefined) throw new UsageError(`config ${sub} takes a context name`)
    if (extra.length > 0 || (!needsName && name !== undefined))
      throw new UsageError(`too many arguments for config ${sub}`)
    switch (sub) {
      case 'set-context':
        return setContext(inv, name as string)
      case 'get-contexts':
        return getContexts(inv)
      case 'current-context':
        return currentContext(inv)
      case 'use-context':
        return useContext(inv, name as string)
      default:
        return removeContext(inv, name as string)
    }
  },
}

function setContext(inv: Invocation, name: string): number {
  const file = inv.contexts()
  const overrides = contextOverrides(inv.flags, {})
  // Files are kept as absolute paths: the context is used from any folder.
  for (const key of ['ca', 'cert', 'key'] as const) if (overrides[key]) overrides[key] = resolve(overrides[key])
  const existing = file.contexts[name]
  const context: Context = { ...(existing ?? { cluster: DEFAULT_CLUSTER }), ...overrides }
  if (overrides.token !== undefined) {
    delete context.username
    delete context.password
  } else if (overrides.username !== undefined) delete context.token
  try {
    new URL(context.cluster)
  } catch {
    throw new UsageError(`--cluster ${context.cluster} is not a URL (e.g. http://localhost:8083)`)
  }
  file.contexts[name] = context
  file.currentContext ??= name
  writeContexts(inv.contextPath, file)
  inv.out.line(
    `Context '${name}' ${existing ? 'updated' : 'created'} (${context.cluster}, auth ${describeAuth(context)})`,
  )
  return 0
}

function getContexts(inv: Invocation): number {
  const file = inv.contexts()
  const rows = Object.entries(file.contexts).map(([name, c]) => ({
    name,
    current: name === file.currentContext,
    cluster: c.cluster,
    auth: describeAuth(c),
    tls: describeTls(c),
  }))
  if (inv.format !== 'table') {
    inv.out.document(rows, inv.format)
    return 0
  }
  inv.out.table(
    ['CURRENT', 'NAME', 'CLUSTER', 'AUTH', 'TLS'],
    rows.map((r) => [r.current ? '*' : '', r.name, r.cluster, r.auth, r.tls]),
  )
  return 0
}

function currentContext(inv: Invocation): number {
  const current = inv.contexts().currentContext
  if (current === undefined) throw new CommandFailed("no current context (set one with 'tsconnect config use-context')")
  if (inv.format !== 'table') inv.out.document({ currentContext: current }, inv.format)
  else inv.out.line(current)
  return 0
}

function useContext(inv: Invocation, name: string): number {
  const file = inv.contexts()
  if (file.contexts[name] === undefined) throw new CommandFailed(`no context named '${name}'`)
  file.currentContext = name
  writeContexts(inv.contextPath, file)
  inv.out.line(`Using context '${name}'`)
  return 0
}

function removeContext(inv: Invocation, name: string): number {
  const file = inv.contexts()
  if (file.contexts[name] === undefined) throw new CommandFailed(`no context named '${name}'`)
  delete file.contexts[name]
  if (file.currentContext === name) delete file.currentContext
  writeContexts(inv.contextPath, file)
  inv.out.line(`Context '${name}' removed`)
  return 0
}
