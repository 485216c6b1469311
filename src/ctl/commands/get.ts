/**
 * `get` (lists: connectors, plugins, offsets, loggers) and `describe` (one connector or plugin in full). Every read
 * prints a table for people, or with -o json|yaml the same data whole for scripts.
 */
import type {
  ActiveTopicsInfo,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  LoggerLevel,
  PluginInfo,
  TaskInfo,
} from '../../herder/herder.ts'
import { connectorPath, REGEXP_FLAG, selectConnectors, taskSummary, traceHead } from '../connectors.ts'
import type { Cell } from '../output.ts'
import { CommandFailed, UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'
import { stringFlag } from '../verb.ts'

const PLUGIN_TYPES = ['source', 'sink', 'transformation', 'converter', 'header_converter', 'predicate']

/** A connector in `get connectors`' answer. */
export interface ConnectorRow {
  name: string
  type: string
  state: string
  worker_id: string
  tasks: { id: number; state: string; worker_id: string }[]
}

/** The `get` verb. */
export const getVerb: Verb = {
  name: 'get',
  summary: 'List connectors, plugins, a connector’s offsets, or loggers',
  usage: [
    'get connectors [-o table|json|yaml]',
    'get plugins [-t source,sink,...]',
    'get offsets NAME...',
    'get loggers [NAME]',
  ],
  flags: {
    types: {
      type: 'string',
      short: 't',
      value: 'TYPES',
      description: `plugin types, comma-separated: ${PLUGIN_TYPES.join(', ')}`,
    },
  },
  reads: true,
  examples: [
    'tsconnect get connectors',
    'tsconnect get connectors -o json | jq -r ".[].name"',
    'tsconnect get plugins -t source,sink',
    'tsconnect get offsets my-source -o yaml',
  ],
  async run(inv) {
    const [what, ...names] = inv.args
    switch (what) {
      case 'connector':
      case 'connectors':
        return getConnectors(inv, names)
      case 'plugin':
      case 'plugins':
        return getPlugins(inv)
      case 'offsets':
        return getOffsets(inv, names)
      case 'logger':
      case 'loggers':
        return getLoggers(inv, names)
      default:
        throw new UsageError('get takes connectors, plugins, offsets or loggers')
    }
  },
}

async function getConnectors(inv: Invocation, names: string[]): Promise<number> {
  const expanded = await inv.client().get<Record<string, { status: ConnectorStateInfo }>>('/connectors?expand=status')
  const wanted = new Set(names)
  const rows: ConnectorRow[] = Object.entries(expanded)
    .filter(([name]) => wanted.size === 0 || wanted.has(name))
    .map(([name, { status }]) => ({
      name,
      type: status.type,
      state: status.connector.state,
      worker_id: status.connector.worker_id,
      tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, worker_id: t.worker_id })),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  if (inv.format !== 'table') {
    inv.out.document(rows, inv.format)
    return 0
  }
  inv.out.table(
    ['NAME', 'TYPE', 'STATE', 'TASKS', 'WORKER'],
    rows.map((r) => [r.name, r.type, inv.out.state(r.state), inv.out.states(r.tasks), r.worker_id]),
  )
  return 0
}

async function getPlugins(inv: Invocation): Promise<number> {
  const types = (stringFlag(inv.flags, 'types') ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '')
  for (const t of types) if (!PLUGIN_TYPES.includes(t)) throw new UsageError(`unknown plugin type '${t}'`)
  const plugins = (await inv.client().get<PluginInfo[]>('/connector-plugins?connectorsOnly=false')).filter(
    (p) => types.length === 0 || types.includes(p.type),
  )
  if (inv.format !== 'table') {
    inv.out.document(plugins, inv.format)
    return 0
  }
  inv.out.table(
    ['TYPE', 'CLASS', 'VERSION'],
    plugins.map((p) => [p.type, p.class, p.version ?? '']),
  )
  return 0
}

async function getOffsets(inv: Invocation, args: string[]): Promise<number> {
  const names = await selectConnectors(inv, args, 'get offsets')
  const all: Record<string, ConnectorOffsets> = {}
  for (const name of names) all[name] = await inv.client().get<ConnectorOffsets>(connectorPath(name, '/offsets'))
  if (inv.format !== 'table') {
    inv.out.document(names.length === 1 ? all[names[0] as string] : all, inv.format)
    return 0
  }
  inv.out.table(
    ['CONNECTOR', 'PARTITION', 'OFFSET'],
    names.flatMap((n) =>
      (all[n]?.offsets ?? []).map((o) => [n, JSON.stringify(o.partition), JSON.stringify(o.offset)]),
    ),
  )
  return 0
}

async function getLoggers(inv: Invocation, names: string[]): Promise<number> {
  let loggers: Record<string, LoggerLevel>
  if (names.length === 0) loggers = await inv.client().get<Record<string, LoggerLevel>>('/admin/loggers')
  else {
    loggers = {}
    for (const name of names) {
      const level = await inv.client().find<LoggerLevel>(`/admin/loggers/${encodeURIComponent(name)}`)
      if (level === undefined) throw new CommandFailed(`logger ${name} not found`)
      loggers[name] = level
    }
  }
  if (inv.format !== 'table') {
    inv.out.document(loggers, inv.format)
    return 0
  }
  inv.out.table(
    ['LOGGER', 'LEVEL', 'LAST MODIFIED'],
    Object.entries(loggers).map(([name, l]) => [
      name,
      l.level,
      l.last_modified === null || l.last_modified === undefined ? '-' : new Date(l.last_modified).toISOString(),
    ]),
  )
  return 0
}

/** A connector described in full. */
export interface ConnectorDescription {
  name: string
  type: string
  state: string
  worker_id: string
  trace?: string
  config: Record<string, string>
  tasks: { id: number; state: string; worker_id: string; trace?: string; config?: Record<string, string> }[]
  topics: string[]
}

/** The `describe` verb. */
export const describeVerb: Verb = {
  name: 'describe',
  summary: 'Show a connector (config, status, tasks, topics) or a plugin’s config definitions',
  usage: ['describe connector NAME... [-e] [--tasks-config]', 'describe plugin CLASS [--search REGEX]'],
  flags: {
    ...REGEXP_FLAG,
    'tasks-config': { type: 'boolean', description: 'include each task’s config' },
    search: { type: 'string', value: 'REGEX', description: 'only plugin configs whose name or documentation match' },
  },
  reads: true,
  examples: [
    'tsconnect describe connector my-sink',
    'tsconnect describe connector "orders-.*" -e -o json',
    'tsconnect describe plugin FileStreamSource --search file',
  ],
  async run(inv) {
    const [what, ...args] = inv.args
    if (what === 'connector' || what === 'connectors') return describeConnectors(inv, args)
    if (what === 'plugin') return describePlugin(inv, args)
    throw new UsageError('describe takes connector or plugin')
  },
}

async function describeConnectors(inv: Invocation, args: string[]): Promise<number> {
  const client = inv.client()
  const names = await selectConnectors(inv, args, 'describe connector')
  const described: ConnectorDescription[] = []
  for (const name of names) {
    // The connector first: a missing one fails with the REST message for it, whichever call would answer first.
    const info = await client.get<ConnectorInfo>(connectorPath(name))
    const [status, topics] = await Promise.all([
      client.get<ConnectorStateInfo>(connectorPath(name, '/status')),
      client.find<Record<string, ActiveTopicsInfo>>(connectorPath(name, '/topics')),
    ])
    const taskConfigs =
      inv.flags['tasks-config'] === true ? await client.get<TaskInfo[]>(connectorPath(name, '/tasks')) : []
    described.push({
      name,
      type: status.type,
      state: status.connector.state,
      worker_id: status.connector.worker_id,
      ...(status.connector.trace ? { trace: status.connector.trace } : {}),
      config: info.config,
      tasks: status.tasks.map((t) => {
        const config = taskConfigs.find((c) => c.id.task === t.id)?.config
        return {
          id: t.id,
          state: t.state,
          worker_id: t.worker_id,
          ...(t.trace ? { trace: t.trace } : {}),
          ...(config ? { config } : {}),
        }
      }),
      topics: topics?.[name]?.topics ?? [],
    })
  }
  if (inv.format !== 'table') {
    inv.out.document(args.length === 1 && inv.flags['reg-exp'] !== true ? described[0] : described, inv.format)
    return 0
  }
  for (const [i, d] of described.entries()) {
    if (i > 0) inv.out.line()
    inv.out.fields([
      ['Name', d.name],
      ['Type', d.type],
      ['State', inv.out.state(d.state)],
      ['Worker ID', d.worker_id],
      ...(d.trace ? ([['Error', traceHead(d.trace)]] as [string, Cell][]) : []),
      ['Topics', d.topics.length > 0 ? d.topics.join(', ') : '-'],
      ['Tasks', taskSummary({ tasks: d.tasks } as ConnectorStateInfo)],
    ])
    inv.out.line()
    inv.out.table(
      ['CONFIG', 'VALUE'],
      Object.keys(d.config)
        .sort()
        .map((k) => [k, d.config[k] ?? '']),
    )
    if (d.tasks.length > 0) {
      inv.out.line()
      inv.out.table(
        ['TASK', 'STATE', 'WORKER', 'ERROR'],
        d.tasks.map((t) => [String(t.id), inv.out.state(t.state), t.worker_id, traceHead(t.trace)]),
      )
    }
    for (const t of d.tasks.filter((x) => x.config !== undefined)) {
      inv.out.line()
      inv.out.table(
        [`TASK ${t.id} CONFIG`, 'VALUE'],
        Object.entries(t.config ?? {}).map(([k, v]) => [k, v]),
      )
    }
  }
  return 0
}

async function describePlugin(inv: Invocation, args: string[]): Promise<number> {
  const [plugin, ...extra] = args
  if (plugin === undefined || extra.length > 0) throw new UsageError('describe plugin takes one plugin class or alias')
  const search = stringFlag(inv.flags, 'search')
  let pattern: RegExp | undefined
  try {
    pattern = search === undefined ? undefined : new RegExp(search, 'i')
  } catch (error) {
    throw new UsageError(`--search: ${(error as Error).message}`)
  }
  const keys = (
    await inv.client().get<ConfigKeyInfo[]>(`/connector-plugins/${encodeURIComponent(plugin)}/config`)
  ).filter((k) => pattern === undefined || pattern.test(k.name) || pattern.test(k.documentation ?? ''))
  if (inv.format !== 'table') {
    inv.out.document(keys, inv.format)
    return 0
  }
  inv.out.table(
    ['NAME', 'TYPE', 'REQUIRED', 'DEFAULT', 'IMPORTANCE', 'DOCUMENTATION'],
    keys.map((k) => [
      k.name,
      k.type,
      k.required ? 'yes' : 'no',
      k.default_value ?? '',
      k.importance,
      (k.documentation ?? '').split('\n')[0] ?? '',
    ]),
  )
  return 0
}
