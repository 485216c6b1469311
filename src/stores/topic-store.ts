/**
 * What the three topic-backed stores (config, offset, status) share, as Java's KafkaTopicBasedBackingStore: an
 * internal topic set up before its log starts (topic-setup.ts), the KafkaBasedLog that follows it, and the admin
 * client closed with the store when the store owns it. Each store keeps only its record handling and writes.
 */
import type { TopicAdminClient } from '../kafka/topic-admin.ts'
import type { TopicLogTransport } from '../kafka/topic-log.ts'
import type { WaitOptions } from '../util/abort.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import { KafkaBasedLog, type LogRecord } from './kafka-based-log.ts'
import { ensureInternalTopic } from './topic-setup.ts'

/** What a kind of store's topic is: named in logs and errors. */
export interface TopicKind {
  /** The store's log component (e.g. stores.offsets), when no logger is given. */
  readonly component: string
  /** The worker setting that names the topic by default, e.g. config.storage.topic (errors name it). */
  readonly setting: string
  /** What the topic holds, for messages, e.g. "connector configurations". */
  readonly purpose: string
}

/** How a store's topic is created and read. */
export interface TopicStoreOptions {
  readonly transport: TopicLogTransport
  readonly admin: TopicAdminClient
  /** Partition count and replication factor when the topic is created (-1: broker default). */
  readonly partitions: number
  readonly replicationFactor: number
  readonly topicConfigs?: Record<string, string> | undefined
  /** Whether stop() closes `admin` too. */
  readonly closeAdmin?: boolean | undefined
  /** How long the log waits on the broker for new records once caught up. */
  readonly fetchMaxWaitMs?: number | undefined
  /** The setting that names the topic, when not the kind's (a connector's own offsets topic). */
  readonly setting?: string | undefined
  readonly logger?: Logger | undefined
}

/** What a store does around its start, besides setting up and reading the topic. */
export interface TopicStoreStartHooks {
  /** A check once the topic has been read (e.g. the config topic's single partition); throws to fail the start. */
  verify?(): void
  /** Closes the whole store when starting fails: a store that failed to start is not used again. */
  stopStore(): Promise<void>
}

/** A store's topic and log; see the file comment. */
export class TopicStore {
  /** The log that follows the topic. */
  readonly log: KafkaBasedLog
  /** The store's logger, naming its topic. */
  readonly logger: Logger
  readonly #o: TopicStoreOptions
  readonly #kind: TopicKind

  /** The topic of a store of `kind`, whose records go to `onRecord` in order per partition. */
  constructor(o: TopicStoreOptions, kind: TopicKind, onRecord: (record: LogRecord) => void) {
    this.#o = o
    this.#kind = kind
    this.logger = (o.logger ?? componentLogger(kind.component)).child({ topic: o.transport.topic })
    this.log = new KafkaBasedLog({
      transport: o.transport,
      onRecord,
      logger: this.logger,
      ...(o.fetchMaxWaitMs !== undefined ? { fetchMaxWaitMs: o.fetchMaxWaitMs } : {}),
    })
  }

  /** The topic's name. */
  get topic(): string {
    return this.#o.transport.topic
  }

  /** Sets up the topic and reads it to the end; on failure stops the store and rethrows. */
  async start(opts: WaitOptions, hooks: TopicStoreStartHooks): Promise<void> {
    const o = this.#o
    try {
      await ensureInternalTopic(
        o.admin,
        {
          spec: {
            name: o.transport.topic,
            partitions: o.partitions,
            replicationFactor: o.replicationFactor,
            configs: o.topicConfigs ?? {},
          },
          setting: o.setting ?? this.#kind.setting,
          purpose: this.#kind.purpose,
        },
        { logger: this.logger, ...(opts.signal ? { signal: opts.signal } : {}) },
      )
      await this.log.start(opts)
      hooks.verify?.()
    } catch (error) {
      await hooks.stopStore().catch(() => {})
      throw error
    }
  }

  /** Stops the log, then closes the admin client when the store owns it. */
  async stop(): Promise<void> {
    await this.log.stop()
    if (this.#o.closeAdmin) await this.#o.admin.close()
  }
}
