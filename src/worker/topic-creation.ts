/**
 * Automatic topic creation for source tasks (KIP-158, Java's TopicCreation and TopicCreationGroup): on with the worker's
 * topic.creation.enable=true (the default) and any topic.creation.* key in the connector config. Groups are tried in
 * topic.creation.groups order, the first whose include matches (and exclude does not) wins, else the default group.
 * A task checks each topic the first time it sends to it and remembers the answer.
 */

import type { RawConfig } from '../config/config-def.ts'
import {
  DEFAULT_TOPIC_CREATION_GROUP,
  TOPIC_CREATION_PREFIX,
  topicCreationGroupConfigDef,
  topicCreationGroupNames,
} from '../config/connect/topic-creation-config.ts'
import { type WorkerConfig, workerConfigValue } from '../config/connect/worker-config.ts'
import type { NewTopicSpec, TopicAdminClient } from '../kafka/topic-admin.ts'
import type { ConfigMap } from '../stores/config-store.ts'
import { withoutNulls } from '../util/config-map.ts'

interface Group {
  name: string
  include: RegExp | null
  exclude: RegExp | null
  partitions: number
  replicationFactor: number
  configs: Record<string, string>
}

const GROUP_KEYS = new Set(['include', 'exclude', 'partitions', 'replication.factor'])

function fullMatch(patterns: readonly string[]): RegExp | null {
  const nonEmpty = patterns.filter((p) => p !== '')
  return nonEmpty.length === 0 ? null : new RegExp(`^(?:${nonEmpty.join('|')})$`)
}

/**
 * The groups of a connector config, each parsed with TopicCreationConfig's keys, or null when topic creation is
 * off for it (the worker's topic.creation.enable, or no topic.creation.* key in the connector config).
 */
export function topicCreationGroups(
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: WorkerConfig | RawConfig,
): Group[] | null {
  const props = withoutNulls(connectorConfig)
  const enabled = workerConfigValue(workerConfig, 'topic.creation.enable') === true
  if (!enabled || !Object.keys(props).some((k) => k.startsWith(TOPIC_CREATION_PREFIX))) return null
  const parse = (name: string, defaults?: { partitions: number; replicationFactor: number }) => {
    const p = `${TOPIC_CREATION_PREFIX}${name}.`
    const values = topicCreationGroupConfigDef(name, defaults).parse(props)
    const configs: Record<string, string> = {}
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith(p) && !GROUP_KEYS.has(k.slice(p.length))) configs[k.slice(p.length)] = v
    }
    return {
      name,
      include: fullMatch(values[`${p}include`] as readonly string[]),
      exclude: fullMatch(values[`${p}exclude`] as readonly string[]),
      partitions: values[`${p}partitions`] as number,
      replicationFactor: values[`${p}replication.factor`] as number,
      configs,
    }
  }
  const fallback = parse(DEFAULT_TOPIC_CREATION_GROUP)
  const groups = topicCreationGroupNames(props).map((name) => parse(name, fallback))
  // The default group takes every topic no other group matched.
  return [...groups, { ...fallback, include: /^.*$/, exclude: null }]
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
