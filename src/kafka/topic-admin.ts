/**
 * The few admin calls that setting up Connect's internal topics needs, in tsconnect's terms: create a topic,
 * count its partitions, read its cleanup.policy. Library errors come out as KafkaError (broker-errors.ts).
 */
import type { Admin } from '@platformatic/kafka'
import type { Logger } from '../util/log.ts'
import { BROKER_ERROR, toKafkaError } from './broker-errors.ts'
import { createAdmin } from './clients.ts'
import type { ClientProperties } from './properties.ts'

/** A topic to create: -1 partitions or replication factor means the broker's default. */
export interface NewTopicSpec {
  name: string
  partitions: number
  replicationFactor: number
  configs: Record<string, string>
}

/** What createTopic did: created it, found it existing, or was not allowed to (then assume it exists). */
export type CreateTopicOutcome = 'created' | 'exists' | 'not-authorized'

/** The admin operations of internal-topic set-up; KafkaTopicAdmin implements them on a broker. */
export interface TopicAdminClient {
  /** Creates the topic unless it exists. Rejects with KafkaError for other failures. */
  createTopic(spec: NewTopicSpec): Promise<CreateTopicOutcome>
  /** The topic's partition count, or 0 when the topic does not exist (yet). */
  partitionCount(topic: string): Promise<number>
  /** The topic's cleanup.policy value, or undefined when it cannot be described (no permission). */
  cleanupPolicy(topic: string): Promise<string | undefined>
  close(): Promise<void>
}

const TOPIC_RESOURCE = 2

/** TopicAdminClient on a real cluster. */
export class KafkaTopicAdmin implements TopicAdminClient {
  readonly #admin: Admin
  readonly #owned: boolean
  #closed = false

  /** Wraps an admin client; `owned` says whether close() closes it. */
  constructor(admin: Admin, owned = false) {
    this.#admin = admin
    this.#owned = owned
  }

  /** An admin client of its own, from Java-style properties. */
  static fromProperties(props: ClientProperties, logger?: Pick<Logger, 'warn'>): KafkaTopicAdmin {
    return new KafkaTopicAdmin(createAdmin(props, logger ? { logger } : {}), true)
  }

  async createTopic(spec: NewTopicSpec): Promise<CreateTopicOutcome> {
    try {
      await this.#admin.createTopics({
        topics: [spec.name],
        partitions: spec.partitions,
        replicas: spec.replicationFactor,
        configs: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })
      return 'created'
    } catch (error) {
      const mapped = toKafkaError(error, `creating topic ${spec.name}`)
      if (mapped.kafkaCode === BROKER_ERROR.TOPIC_ALREADY_EXISTS) return 'exists'
      if (
        mapped.kafkaCode === BROKER_ERROR.TOPIC_AUTHORIZATION_FAILED ||
        mapped.kafkaCode === BROKER_ERROR.CLUSTER_AUTHORIZATION_FAILED
      ) {
        return 'not-authorized'
      }
      throw mapped
    }
  }

  async partitionCount(topic: string): Promise<number> {
    try {
      const metadata = await this.#admin.metadata({ topics: [topic], forceUpdate: true })
      return metadata.topics.get(topic)?.partitionsCount ?? 0
    } catch (error) {
      const mapped = toKafkaError(error, `describing topic ${topic}`)
      if (mapped.kafkaCode === BROKER_ERROR.UNKNOWN_TOPIC_OR_PARTITION) return 0
      throw mapped
    }
  }

  async cleanupPolicy(topic: string): Promise<string | undefined> {
    try {
      const [described] = await this.#admin.describeConfigs({
        resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: ['cleanup.policy'] }],
      })
      return described?.configs.find((c) => c.name === 'cleanup.policy')?.value ?? undefined
    } catch {
      return undefined
    }
  }

  async close(): Promise<void> {
    if (!this.#owned || this.#closed) return
    this.#closed = true
    await this.#admin.close()
  }
}
