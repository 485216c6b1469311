/**
 * Automatic topic creation for source tasks (KIP-158, Java's TopicCreation and TopicCreationGroup): on with the worker's
 * topic.creation.enable=true (the default) and any topic.creation.* key in the connector config. Groups are tried in
 * topic.creation.groups order, the first whose include matches (and exclude does not) wins, else the default group.
 * A task checks each topic the first time it sends to it and remembers the answer.
 */

import { ConfigError } from '../errors.ts'
import type { NewTopicSpec, TopicAdminClient } from '../kafka/topic-admin.ts'
import type { ConfigMap } from '../stores/config-store.ts'

interface Group {
  name: string
  include: RegExp | null
  exclude: RegExp | null
  partitions: number
  replicationFactor: number
  configs: Record<string, string>
}

const PREFIX = 'topic.creation.'

function list(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function fullMatch(patterns: string[]): RegExp | null {
  return patterns.length === 0 ? null : new RegExp(`^(?:${patterns.join('|')})$`)
}

function int(config: Readonly<ConfigMap>, key: string, fallback?: number): number {
  const raw = config[key]
  if (raw == null || raw.trim() === '') {
    if (fallback === undefined)
      throw new ConfigError(`Missing required configuration "${key}" which has no default value.`, key)
    return fallback
  }
  const n = Number(raw)
  if (!Number.isInteger(n) || (n < 1 && n !== -1))
    throw new ConfigError(`Invalid value ${raw} for configuration ${key}`, key)
  return n
}

/** The groups of a connector config, or null when topic creation is off for it. */
export function topicCreationGroups(
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): Group[] | null {
  const enabled = (workerConfig['topic.creation.enable'] ?? 'true').trim().toLowerCase() === 'true'
  if (!enabled || !Object.keys(connectorConfig).some((k) => k.startsWith(PREFIX))) return null
  const defaultPartitions = int(connectorConfig, `${PREFIX}default.partitions`)
  const defaultReplication = int(connectorConfig, `${PREFIX}default.replication.factor`)
  const names = [...new Set(list(connectorConfig[`${PREFIX}groups`]).filter((g) => g !== 'default')), 'default']
  return names.map((name) => {
    const p = `${PREFIX}${name}.`
    const configs: Record<string, string> = {}
    for (const [k, v] of Object.entries(connectorConfig)) {
      if (!k.startsWith(p)) continue
      const rest = k.slice(p.length)
      if (v !== null && !['include', 'exclude', 'partitions', 'replication.factor'].includes(rest)) configs[rest] = v
    }
    return {
      name,
      include: name === 'default' ? /^.*$/ : fullMatch(list(connectorConfig[`${p}include`])),
      exclude: name === 'default' ? null : fullMatch(list(connectorConfig[`${p}exclude`])),
      partitions: int(connectorConfig, `${p}partitions`, defaultPartitions),
      replicationFactor: int(connectorConfig, `${p}replication.factor`, defaultReplication),
      configs,
    }
  })
}

/** The spec a topic is created with: the first matching group's. */
export function topicSpecFor(groups: readonly Group[], topic: string): NewTopicSpec {
  const group = groups.find((g) => g.include?.test(topic) && !g.exclude?.test(topic)) ?? (groups.at(-1) as Group)
  return {
    name: topic,
    partitions: group.partitions,
    replicationFactor: group.replicationFactor,
    configs: group.configs,
  }
}

/** Creates topics on first use; remembers which topics it has seen. */
export class TopicCreator {
  readonly #admin: TopicAdminClient
  readonly #groups: readonly Group[]
  readonly #seen = new Map<string, Promise<void>>()

  constructor(admin: TopicAdminClient, groups: readonly Group[]) {
    this.#admin = admin
    this.#groups = groups
  }

  /** Makes sure each topic exists (creating it when missing). */
  async ensure(topics: Iterable<string>): Promise<void> {
    const waits: Promise<void>[] = []
    for (const topic of topics) {
      let seen = this.#seen.get(topic)
      if (!seen) {
        seen = this.#create(topic)
        this.#seen.set(topic, seen)
        // A failed creation is tried again at the next send.
        seen.catch(() => this.#seen.delete(topic))
      }
      waits.push(seen)
    }
    await Promise.all(waits)
  }

  async #create(topic: string): Promise<void> {
    // createTopic answers 'exists' for an existing topic: one request either way.
    await this.#admin.createTopic(topicSpecFor(this.#groups, topic))
  }

  close(): Promise<void> {
    return this.#admin.close()
  }
}
