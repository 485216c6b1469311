/**
 * Contexts: named clusters with how to reach them (URL, credentials, TLS files), as kcctl's `config set-context`
 * keeps them. They live in one JSON file under the user's config folder ($TSCONNECT_CONFIG, else
 * $XDG_CONFIG_HOME/tsconnect/contexts.json, else ~/.config/tsconnect/contexts.json), written with mode 0600
 * because it may hold passwords and tokens. Nothing here prints a credential: `describeAuth` says which kind is set.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { CommandFailed } from './usage.ts'

/** How to reach one cluster. */
export interface Context {
  /** The REST base URL of any worker of the cluster. */
  cluster: string
  username?: string
  password?: string
  /** A bearer token (sent as `Authorization: Bearer <token>`). */
  token?: string
  /** PEM file of the CA certificates to trust (a private CA). */
  ca?: string
  /** PEM files of a client certificate and its key (mutual TLS). */
  cert?: string
  key?: string
  /** Skip the server certificate check. */
  insecure?: boolean
}

/** The file's content. */
export interface ContextFile {
  currentContext?: string
  contexts: Record<string, Context>
}

/** The default cluster when no context is set (Connect's default listener). */
export const DEFAULT_CLUSTER = 'http://localhost:8083'

/** Where the contexts file is, for this environment. */
export function contextFilePath(env: NodeJS.ProcessEnv): string {
  if (env.TSCONNECT_CONFIG) return env.TSCONNECT_CONFIG
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(base, 'tsconnect', 'contexts.json')
}

/**
 * Reads the contexts file; a missing file is an empty one.
 * @throws CommandFailed when the file is not a contexts file (it is left as it is)
 */
export function readContexts(path: string): ContextFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} }
    throw new CommandFailed(`cannot read the contexts file ${path}: ${(error as Error).message}`)
  }
  try {
    const parsed = JSON.parse(text) as Partial<ContextFile>
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.contexts !== 'object') throw new Error()
    return { ...(parsed.currentContext ? { currentContext: parsed.currentContext } : {}), contexts: parsed.contexts }
  } catch {
    throw new CommandFailed(
      `the contexts file ${path} is not valid: expected {"currentContext": ..., "contexts": {...}}`,
    )
  }
}

/** Writes the contexts file readable by its owner only, replacing it whole (no half-written file on a crash). */
export function writeContexts(path: string, file: ContextFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
  chmodSync(temp, 0o600)
  renameSync(temp, path)
}

/** The kind of authentication a context uses, without its secret: `basic (user alice)`, `bearer`, `none`. */
export function describeAuth(context: Context): string {
  if (context.token !== undefined) return 'bearer'
  if (context.username !== undefined) return `basic (user ${context.username})`
  return 'none'
}

/** The TLS settings a context uses, in words. */
export function describeTls(context: Context): string {
  if (!context.cluster.startsWith('https:')) return '-'
  const parts = [context.insecure ? 'insecure' : context.ca ? `ca ${context.ca}` : 'system CAs']
  if (context.cert !== undefined) parts.push(`cert ${context.cert}`)
  return parts.join(', ')
}

/** The context fields the command line (and TSCONNECT_PASSWORD / TSCONNECT_TOKEN) sets. */
export function contextOverrides(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Partial<Context> {
  const overrides: Partial<Context> = {}
  for (const key of ['cluster', 'username', 'password', 'token', 'ca', 'cert', 'key'] as const) {
    const value = flags[key]
    if (typeof value === 'string') overrides[key] = value
  }
  if (overrides.password === undefined && env.TSCONNECT_PASSWORD) overrides.password = env.TSCONNECT_PASSWORD
  if (overrides.token === undefined && env.TSCONNECT_TOKEN) overrides.token = env.TSCONNECT_TOKEN
  if (flags.insecure === true) overrides.insecure = true
  return overrides
}
