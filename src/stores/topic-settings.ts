/**
 * The worker settings of the three internal topics, read from Java-style worker properties as DistributedConfig
 * reads them: `<prefix>.topic` (required), `.partitions`, `.replication.factor`, and every other `<prefix>.<key>`
 * passed through as a topic config when the worker creates the topic. cleanup.policy is always compact, so a
 * user value is ignored with a warning; the config topic always has exactly one partition.
 *
 * Also the properties of the internal clients: every worker key that Java's clients know (so security and
 * timeouts carry over), with client ids `<group.id>-[<client.id>-]configs|offsets|statuses` as Java names them.
 */
import { ConfigError } from '../errors.ts'
import { type ClientProperties, isClientProperty } from '../kafka/properties.ts'
import type { Logger } from '../util/log.ts'

/** Worker properties as read from worker.properties. */
export type WorkerProperties = Record<string, string | number | boolean | undefined>

/** Which internal topic. */
export type InternalTopicKind = 'config' | 'offset' | 'status'

/** exactly.once.source.support */
export type ExactlyOnceSourceSupport = 'disabled' | 'preparing' | 'enabled'

/** Where and how an internal topic is created. */
export interface InternalTopicSettings {
  topic: string
  /** The setting that names it, e.g. config.storage.topic. */
  setting: string
  partitions: number
  replicationFactor: number
  configs: Record<string, string>
}

const PREFIX: Record<InternalTopicKind, string> = {
  config: 'config.storage.',
  offset: 'offset.storage.',
  status: 'status.storage.',
}
const DEFAULT_PARTITIONS: Record<InternalTopicKind, number> = { config: 1, offset: 25, status: 5 }

function stringOf(props: WorkerProperties, key: string): string | undefined {
  const value = props[key]
  return value === undefined ? undefined : String(value).trim()
}

function countOf(props: WorkerProperties, key: string, fallback: number, max: number): number {
  const raw = stringOf(props, key)
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n > max || (n < 1 && n !== -1)) {
    throw new ConfigError(
      `Invalid value ${raw} for configuration ${key}: must be at least 1, or -1 for the broker default`,
      key,
    )
  }
  return n
}

/** The settings of one internal topic; throws ConfigError naming the key for a missing topic or a bad number. */
export function internalTopicSettings(
  props: WorkerProperties,
  kind: InternalTopicKind,
  logger?: Pick<Logger, 'warn'>,
): InternalTopicSettings {
  const prefix = PREFIX[kind]
  const setting = `${prefix}topic`
  const topic = stringOf(props, setting)
  if (!topic) throw new ConfigError(`Missing required configuration "${setting}" which has no default value.`, setting)
  let partitions = countOf(props, `${prefix}partitions`, DEFAULT_PARTITIONS[kind], 2 ** 31 - 1)
  if (kind === 'config' && props[`${prefix}partitions`] !== undefined) {
    logger?.warn(
      `Ignoring '${prefix}partitions=${props[`${prefix}partitions`]}': the config topic always has 1 partition`,
    )
    partitions = 1
  }
  const replicationFactor = countOf(props, `${prefix}replication.factor`, 3, 32767)
  const configs: Record<string, string> = {}
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith(prefix) || value === undefined) continue
    const name = key.slice(prefix.length)
    if (name === 'topic' || name === 'partitions' || name === 'replication.factor') continue
    if (name === 'cleanup.policy') {
      logger?.warn(`Ignoring '${key}=${value}': internal topics are always compacted`)
      continue
    }
    configs[name] = String(value)
  }
  return { topic, setting, partitions, replicationFactor, configs }
}

/** exactly.once.source.support, validated. */
export function exactlyOnceSourceSupport(props: WorkerProperties): ExactlyOnceSourceSupport {
  const value = (stringOf(props, 'exactly.once.source.support') ?? 'disabled').toLowerCase()
  if (value === 'disabled' || value === 'preparing' || value === 'enabled') return value
  throw new ConfigError(
    `Invalid value ${value} for configuration exactly.once.source.support: must be one of disabled, preparing, enabled`,
    'exactly.once.source.support',
  )
}

/** `<group.id>-` or `<group.id>-<client.id>-`: the base of internal client ids. */
export function internalClientIdBase(props: WorkerProperties): string {
  const groupId = stringOf(props, 'group.id')
  if (!groupId)
    throw new ConfigError('Missing required configuration "group.id" which has no default value.', 'group.id')
  const clientId = stringOf(props, 'client.id')
  return clientId ? `${groupId}-${clientId}-` : `${groupId}-`
}

// Keys the internal clients set themselves: the worker's group is the Connect group, not a consumer group.
const OWN_KEYS = new Set(['group.id', 'group.instance.id', 'transactional.id', 'isolation.level', 'client.id'])

/** The worker's client keys, for an internal client named `clientId`. */
export function internalClientProperties(props: WorkerProperties, clientId: string): ClientProperties {
  const client: ClientProperties = {}
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined && isClientProperty(key) && !OWN_KEYS.has(key)) client[key] = value
  }
  client['client.id'] = clientId
  return client
}
