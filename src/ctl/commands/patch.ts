/**
 * `patch` (change some keys of connector configs, a stopped connector's offsets (KIP-875), or a logger's level)
 * and `logs`, which sets a level on every worker of the cluster at once (KIP-976's scope=cluster).
 */
import type { ConnectorOffsets, LoggerLevel, Message } from '../../herder/herder.ts'
import { connectorPath, REGEXP_FLAG, selectConnectors } from '../connectors.ts'
import { UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'
import { listFlag, stringFlag } from '../verb.ts'

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF']

/** The `patch` verb. */
export const patchVerb: Verb = {
  name: 'patch',
  summary: 'Change config keys of connectors, offsets of a stopped connector, or a logger’s level',
  usage: [
    'patch connector NAME... [-e] -s KEY=VALUE... -r KEY...',
    'patch offsets NAME --kafka-topic T --kafka-partition P --kafka-offset O        (sink)',
    "patch offsets NAME --source-partition '{...}' --source-offset '{...}'            (source)",
    'patch logger NAME --level LEVEL [--scope worker|cluster]',
  ],
  flags: {
    ...REGEXP_FLAG,
    set: { type: 'string', short: 's', multiple: true, value: 'KEY=VALUE', description: 'set a config key' },
    remove: { type: 'string', short: 'r', multiple: true, value: 'KEY', description: 'remove a config key' },
    'kafka-topic': { type: 'string', value: 'TOPIC', description: 'sink offsets: the topic' },
    'kafka-partition': { type: 'string', value: 'N', description: 'sink offsets: the partition' },
    'kafka-offset': { type: 'string', value: 'N', description: 'sink offsets: the next offset to consume' },
    'source-partition': { type: 'string', value: 'JSON', description: 'source offsets: the source partition' },
    'source-offset': { type: 'string', value: 'JSON', description: 'source offsets: the offset (null deletes it)' },
    level: { type: 'string', short: 'l', value: 'LEVEL', description: `logger level: ${LEVELS.join(', ')}` },
    scope: { type: 'string', value: 'worker|cluster', description: 'logger scope (default worker)' },
  },
  examples: [
    'tsconnect patch connector my-sink -s tasks.max=4 -r errors.tolerance',
    'tsconnect patch offsets my-sink --kafka-topic orders --kafka-partition 0 --kafka-offset 100',
    'tsconnect patch offsets my-source --source-partition \'{"filename":"/data/in.txt"}\' --source-offset \'{"position":0}\'',
    'tsconnect patch logger org.apache.kafka.connect --level DEBUG --scope cluster',
  ],
  async run(inv) {
    const [what, ...args] = inv.args
    if (what === 'connector' || what === 'connectors') return patchConnectors(inv, args)
    if (what === 'offsets') return patchOffsets(inv, args)
    if (what === 'logger') {
      const [name, ...extra] = args
      if (name === undefined || extra.length > 0) throw new UsageError('patch logger takes one logger name')
      const level = stringFlag(inv.flags, 'level')
      if (level === undefined) throw new UsageError('patch logger needs --level')
      return setLevel(inv, name, level, stringFlag(inv.flags, 'scope') ?? 'worker')
    }
    throw new UsageError('patch takes connector, offsets or logger')
  },
}

async function patchConnectors(inv: Invocation, args: string[]): Promise<number> {
  const set = listFlag(inv.flags, 'set').map((kv) => {
    const at = kv.indexOf('=')
    if (at <= 0) throw new UsageError(`--set takes KEY=VALUE, not '${kv}'`)
    return [kv.slice(0, at), kv.slice(at + 1)] as const
  })
  const remove = listFlag(inv.flags, 'remove')
  if (set.length === 0 && remove.length === 0) throw new UsageError('patch connector needs --set or --remove')
  for (const name of await selectConnectors(inv, args, 'patch connector')) {
    const config = await inv.client().get<Record<string, string>>(connectorPath(name, '/config'))
    for (const [k, v] of set) config[k] = v
    for (const k of remove) delete config[k]
    await inv.client().request('PUT', connectorPath(name, '/config'), config)
    inv.out.line(`connector ${name} patched`)
  }
  return 0
}

function json(flag: string, text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown
    if (value === null || (typeof value === 'object' && !Array.isArray(value))) {
      return value as Record<string, unknown> | null
    }
  } catch {
    // worded below
  }
  throw new UsageError(`--${flag} takes a JSON object, not ${text}`)
}

async function patchOffsets(inv: Invocation, args: string[]): Promise<number> {
  const [name, ...extra] = args
  if (name === undefined || extra.length > 0) throw new UsageError('patch offsets takes one connector name')
  const f = (k: string) => stringFlag(inv.flags, k)
  let body: ConnectorOffsets
  if (f('kafka-topic') !== undefined || f('kafka-partition') !== undefined || f('kafka-offset') !== undefined) {
    const partition = Number(f('kafka-partition'))
    const offset = f('kafka-offset')
    if (f('kafka-topic') === undefined || !Number.isInteger(partition) || offset === undefined) {
      throw new UsageError('sink offsets need --kafka-topic, --kafka-partition and --kafka-offset')
    }
    if (offset !== 'null' && !/^\d+$/.test(offset)) throw new UsageError('--kafka-offset takes a number (or null)')
    body = {
      offsets: [
        {
          partition: { kafka_topic: f('kafka-topic'), kafka_partition: partition },
          offset: offset === 'null' ? null : { kafka_offset: Number(offset) },
        },
      ],
    }
  } else {
    const partition = f('source-partition')
    const offset = f('source-offset')
    if (partition === undefined || offset === undefined) {
      throw new UsageError(
        'give sink offsets (--kafka-topic ...) or source offsets (--source-partition, --source-offset)',
      )
    }
    body = {
      offsets: [{ partition: json('source-partition', partition) ?? {}, offset: json('source-offset', offset) }],
    }
  }
  const answer = await inv.client().request<Message>('PATCH', connectorPath(name, '/offsets'), body)
  inv.out.line(`connector ${name}: ${answer?.message ?? 'offsets altered'}`)
  return 0
}

async function setLevel(inv: Invocation, name: string, level: string, scope: string): Promise<number> {
  const upper = level.toUpperCase()
  if (!LEVELS.includes(upper)) throw new UsageError(`unknown level '${level}': use ${LEVELS.join(', ')}`)
  if (scope !== 'worker' && scope !== 'cluster') throw new UsageError('--scope takes worker or cluster')
  const path = `/admin/loggers/${encodeURIComponent(name)}?scope=${scope}`
  const changed = await inv.client().request<string[] | undefined>('PUT', path, { level: upper })
  if (scope === 'cluster') inv.out.line(`logger ${name} set to ${upper} on every worker of the cluster`)
  else
    inv.out.line(
      `logger ${name} set to ${upper} on ${inv.client().url}${changed?.length ? ` (${changed.join(', ')})` : ''}`,
    )
  return 0
}

/** The `logs` verb. */
export const logsVerb: Verb = {
  name: 'logs',
  summary: 'Show logger levels, or set one on every worker of the cluster',
  usage: ['logs [NAME]', 'logs NAME LEVEL [--worker]'],
  flags: { worker: { type: 'boolean', description: 'set the level on the one worker of --cluster only' } },
  reads: true,
  examples: [
    'tsconnect logs',
    'tsconnect logs org.apache.kafka.connect.runtime.WorkerSinkTask DEBUG',
    'tsconnect logs root WARN --worker',
  ],
  async run(inv) {
    const [name, level, ...extra] = inv.args
    if (extra.length > 0) throw new UsageError('logs takes a logger name and a level')
    if (level !== undefined)
      return setLevel(inv, name as string, level, inv.flags.worker === true ? 'worker' : 'cluster')
    const loggers =
      name === undefined
        ? await inv.client().get<Record<string, LoggerLevel>>('/admin/loggers')
        : { [name]: await inv.client().get<LoggerLevel>(`/admin/loggers/${encodeURIComponent(name)}`) }
    if (inv.format !== 'table') inv.out.document(loggers, inv.format)
    else {
      inv.out.table(
        ['LOGGER', 'LEVEL'],
        Object.entries(loggers).map(([n, l]) => [n, l.level]),
      )
    }
    return 0
  },
}
