/**
 * `apply` (create or update connectors from files, a folder of files, or stdin) and `validate` (check configs
 * against the plugin's definitions without applying). Connector files are connect-standalone's (a flat JSON
 * config, a POST /connectors body, or .properties). `${env:VAR}` in a value is replaced by the variable before
 * anything is sent.
 *
 * Every config is validated first (PUT /connector-plugins/{class}/config/validate); when any is invalid, each key's
 * errors are printed and nothing is applied, so a folder is applied whole or not at all as far as validation can
 * tell.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { ConfigError } from '../../errors.ts'
import { type ConnectorRequest, parseConnectorFileText } from '../../herder/connector-files.ts'
import type { ConfigInfos } from '../../herder/herder.ts'
import { connectorPath } from '../connectors.ts'
import { CommandFailed, UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'
import { listFlag, stringFlag } from '../verb.ts'
import { WAIT_FLAGS, waitFor, waitState } from '../wait.ts'

const FILE_FLAGS = {
  file: {
    type: 'string',
    short: 'f',
    multiple: true,
    value: 'FILE|DIR|-',
    description: 'a connector file (.json or .properties), a folder of them, or - for stdin; repeatable',
  },
  name: { type: 'string', short: 'n', value: 'NAME', description: 'the connector name, for a file without one' },
} as const

/** A connector file read and resolved. */
export interface AppliedFile extends ConnectorRequest {
  /** Where it came from, for messages. */
  source: string
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Replaces `${env:VAR}` in each value by the variable.
 * @throws CommandFailed naming every variable that is not set (nothing is replaced then)
 */
export function substituteEnv(config: Record<string, string>, env: NodeJS.ProcessEnv, source: string) {
  const missing = new Set<string>()
  const resolved: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    resolved[key] = value.replace(ENV_REFERENCE, (reference, name: string) => {
      const found = env[name]
      if (found === undefined) missing.add(name)
      return found ?? reference
    })
  }
  if (missing.size > 0) {
    throw new CommandFailed(
      `${source}: environment variable${missing.size > 1 ? 's' : ''} not set: ${[...missing].join(', ')}`,
    )
  }
  return resolved
}

/** The files -f names: files as they are, a folder's .json and .properties files in name order. */
function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) => {
    if (path === '-') return [path]
    let isDir: boolean
    try {
      isDir = statSync(path).isDirectory()
    } catch (error) {
      throw new CommandFailed(`cannot read ${path}: ${(error as Error).message}`)
    }
    if (!isDir) return [path]
    const files = readdirSync(path)
      .filter((f) => ['.json', '.properties'].includes(extname(f)))
      .sort()
      .map((f) => join(path, f))
    if (files.length === 0) throw new CommandFailed(`${path} holds no .json or .properties connector files`)
    return files
  })
}

/** Reads, parses and resolves the connector files of -f. */
export async function readConnectorFiles(inv: Invocation): Promise<AppliedFile[]> {
  const paths = listFlag(inv.flags, 'file')
  if (paths.length === 0) throw new UsageError('-f FILE|DIR|- is required')
  const name = stringFlag(inv.flags, 'name')
  const files = expandPaths(paths)
  if (name !== undefined && files.length > 1) throw new UsageError('--name applies to one file only')
  const read: AppliedFile[] = []
  for (const path of files) {
    const source = path === '-' ? '<stdin>' : path
    const text = path === '-' ? await inv.readStdin() : readFileSync(path, 'utf8')
    let request: ConnectorRequest
    try {
      request = parseWithName(text, source, name)
    } catch (error) {
      if (error instanceof ConfigError) throw new CommandFailed(error.message)
      throw error
    }
    const duplicate = read.find((r) => r.name === request.name)
    if (duplicate) throw new CommandFailed(`connector ${request.name} is in both ${duplicate.source} and ${source}`)
    read.push({ ...request, config: substituteEnv(request.config, inv.env, source), source })
  }
  return read
}

function parseWithName(text: string, source: string, name: string | undefined): ConnectorRequest {
  if (name === undefined) return parseConnectorFileText(text, source)
  try {
    const flat = JSON.parse(text) as unknown
    if (typeof flat === 'object' && flat !== null && !('config' in flat)) {
      return parseConnectorFileText(JSON.stringify({ ...flat, name }), source)
    }
    const request = parseConnectorFileText(text, source)
    return { ...request, name, config: { ...request.config, name } }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    return parseConnectorFileText(`name=${name}\n${text}`, source)
  }
}

/** The per-key errors of a validate answer, as `key: error` lines. */
export function validationErrors(infos: ConfigInfos): string[] {
  return infos.configs.flatMap((c) => (c.value?.errors ?? []).map((e) => `${c.value?.name ?? '?'}: ${e}`))
}

/** Validates one connector's config through the cluster. */
async function validate(inv: Invocation, file: AppliedFile): Promise<ConfigInfos> {
  const connectorClass = file.config['connector.class']
  if (connectorClass === undefined)
    throw new CommandFailed(`${file.source}: connector ${file.name} has no connector.class`)
  return inv
    .client()
    .request<ConfigInfos>(
      'PUT',
      `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`,
      file.config,
    )
}

/** Validates every file; fails with each invalid key's errors when any is invalid. */
async function validateAll(inv: Invocation, files: AppliedFile[]): Promise<ConfigInfos[]> {
  const answers: ConfigInfos[] = []
  const details: string[] = []
  for (const file of files) {
    const infos = await validate(inv, file)
    answers.push(infos)
    if (infos.error_count > 0) {
      details.push(`${file.name} (${file.source}):`, ...validationErrors(infos).map((e) => `  ${e}`))
    }
  }
  const invalid = answers.filter((a) => a.error_count > 0).length
  if (invalid > 0) {
    const errors = answers.reduce((n, a) => n + a.error_count, 0)
    throw new CommandFailed(
      `${invalid} connector config${invalid > 1 ? 's are' : ' is'} invalid (${errors} error${errors > 1 ? 's' : ''}); nothing was applied`,
      details,
    )
  }
  return answers
}

/** The `apply` verb. */
export const applyVerb: Verb = {
  name: 'apply',
  summary: 'Create or update connectors from files, a folder or stdin (validated first)',
  usage: ['apply -f FILE|DIR|- [-f ...] [--name NAME] [--dry-run] [--wait STATE]'],
  flags: {
    ...FILE_FLAGS,
    'dry-run': { type: 'boolean', description: 'only validate, and say what would be created or updated' },
    ...WAIT_FLAGS,
  },
  examples: [
    'tsconnect apply -f connectors/ --wait RUNNING',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's syntax, shown as it is
    'DB_PASSWORD=s3cret tsconnect apply -f orders-sink.json   # "${env:DB_PASSWORD}" in the file',
    'cat source.properties | tsconnect apply -f - --name my-source --dry-run',
  ],
  async run(inv) {
    const state = waitState(inv)
    const files = await readConnectorFiles(inv)
    await validateAll(inv, files)
    const client = inv.client()
    for (const file of files) {
      const exists = (await client.find(connectorPath(file.name))) !== undefined
      if (inv.flags['dry-run'] === true) {
        inv.out.line(`connector ${file.name} is valid; would be ${exists ? 'updated' : 'created'} (dry run)`)
        continue
      }
      if (exists) {
        await client.request('PUT', connectorPath(file.name, '/config'), file.config)
        inv.out.line(`connector ${file.name} updated`)
      } else {
        const initial =
          file.initialState === undefined
            ? {}
            : { initial_state: file.initialState === 'STARTED' ? 'RUNNING' : file.initialState }
        await client.request('POST', '/connectors', { name: file.name, config: file.config, ...initial })
        inv.out.line(`connector ${file.name} created`)
      }
    }
    if (state !== undefined && inv.flags['dry-run'] !== true) {
      await waitFor(
        inv,
        files.map((f) => f.name),
        state,
      )
    }
    return 0
  },
}

/** The `validate` verb. */
export const validateVerb: Verb = {
  name: 'validate',
  summary: 'Check connector files against their plugin’s config definitions; exit 1 when invalid',
  usage: ['validate -f FILE|DIR|- [--name NAME]'],
  flags: { ...FILE_FLAGS },
  reads: true,
  examples: ['tsconnect validate -f orders-sink.json', 'tsconnect validate -f connectors/ -o json'],
  async run(inv) {
    const files = await readConnectorFiles(inv)
    const answers: ConfigInfos[] = []
    for (const file of files) answers.push(await validate(inv, file))
    if (inv.format !== 'table') {
      inv.out.document(files.length === 1 ? answers[0] : answers, inv.format)
    } else {
      for (const [i, file] of files.entries()) {
        const infos = answers[i] as ConfigInfos
        if (infos.error_count === 0) {
          inv.out.line(`${file.name}: ${inv.out.style('green', 'valid')} (${file.source})`)
          continue
        }
        inv.out.line(
          `${file.name}: ${inv.out.style('red', `${infos.error_count} error${infos.error_count > 1 ? 's' : ''}`)} (${file.source})`,
        )
        inv.out.table(
          ['KEY', 'ERROR'],
          infos.configs.flatMap((c) => (c.value?.errors ?? []).map((e) => [c.value?.name ?? '?', e])),
        )
      }
    }
    return answers.some((a) => a.error_count > 0) ? 1 : 0
  },
}
