/**
 * The worker settings of the three internal topics, read from Java-style worker properties as DistributedConfig
 * reads them: `<prefix>.topic` (required), `.partitions`, `.replication.factor`, and every other `<prefix>.<key>`
 * passed through as a topic config when the worker creates the topic. cleanup.policy is always compact, so a
 * user value is ignored with a warning; the config topic always has exactly one partition.
 *
 * Also the properties of the internal clients: every worker key that Java's clients know (so security and
 * timeouts carry over), with client ids `<group.id>-[<client.id>-]configs|offsets|statuses` as Java names them.
 */

import { WorkerConfig, workerConfigValue } from '../config/connect/worker-config.ts'
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

/** The settings of one internal topic; throws ConfigError naming the key for a missing topic or a bad number. */
export function internalTopicSettings(
  props: WorkerConfig | WorkerProperties,
  kind: InternalTopicKind,
  logger?: Pick<Logger, 'warn'>,
): InternalTopicSettings {
  const raw = props instanceof WorkerConfig ? props.props : props
  const prefix = PREFIX[kind]
  const setting = `${prefix}topic`
  const topic = workerConfigValue(props, setting) as string
  if (topic === '')
    throw new ConfigError(`Missing required configuration "${setting}" which has no default value.`, setting)
  let partitions = 1
  if (kind !== 'config') partitions = workerConfigValue(props, `${prefix}partitions`) as number
  else if (raw[`${prefix}partitions`] !== undefined) {
    logger?.warn(
      `Ignoring '${prefix}partitions=${raw[`${prefix}partitions`]}': the config topic always has 1 partition`,
    )
  }
  const replicationFactor = workerConfigValue(props, `${prefix}replication.factor`) as number
  const configs: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
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
export function exactlyOnceSourceSupport(props: WorkerConfig | WorkerProperties): ExactlyOnceSourceSupport {
  return (workerConfigValue(props, 'exactly.once.source.support') as string).toLowerCase() as ExactlyOnceSourceSupport
}

/** `<group.id>-` or `<group.id>-<client.id>-`: the base of internal client ids. */
export function internalClientIdBase(props: WorkerConfig | WorkerProperties): string {
  const groupId = workerConfigValue(props, 'group.id') as string
  if (groupId === '') {
    throw new ConfigError('Missing required configuration "group.id" which has no default value.', 'group.id')
  }
  const clientId = workerConfigValue(props, 'client.id') as string
  return clientId !== '' ? `${groupId}-${clientId}-` : `${groupId}-`
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
