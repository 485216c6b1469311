/**
 * The config store on the config topic (config.storage.topic): one partition, compacted, read with a KafkaBasedLog.
 *
 * Record kinds and their bytes: protocol/config-records.ts. How records become state (deferred task configs,
 * inconsistent connectors, the config offset): config-state.ts. This file adds the topic's set-up (created with
 * exactly 1 partition; refused when it has more, or is not compacted), the write protocols, and the listeners.
 *
 * Write protocols, as Java's leader runs them, each bounded by 30 s in total:
 * - connector config: [target-state-<c>,] connector-<c> in one send, then read to the end;
 * - task configs: read to the end; task-<c>-0..N-1; read to the end (when N > 0); commit-<c>; read to the end.
 *   The commit goes out only after the task records are known to be in the log, so a reader never applies a
 *   commit whose task records come later;
 * - delete: tombstones for connector-<c> and target-state-<c> (task and commit records stay);
 * - target states and logger levels may come from any worker and are not read back.
 * A record that cannot be read is logged with its partition and offset and skipped; the store keeps going.
 */
import { ConfigError, CorruptDataError } from '../errors.ts'
import type { TopicAdminClient } from '../kafka/topic-admin.ts'
import type { RecordToSend, TopicLogTransport } from '../kafka/topic-log.ts'
import type { TransactionalTopicWriter } from '../kafka/transactional-writer.ts'
import {
  type ConfigMap,
  commitKey,
  connectorKey,
  encodeCommitValue,
  encodeConfigValue,
  encodeLoggerLevelValue,
  encodeRestartValue,
  encodeSessionKeyValue,
  encodeTargetStateValue,
  encodeTaskCountValue,
  loggerKey,
  type RestartRequest,
  restartKey,
  type SessionKey,
  type TargetState,
  targetStateKey,
  taskCountKey,
  taskKey,
} from '../protocol/config-records.ts'
import { bounded, type WaitOptions } from '../util/abort.ts'
import type { Logger } from '../util/log.ts'
import { ConfigState } from './config-state.ts'
import type { ClusterConfigSnapshot, ConfigStore, ConfigUpdate } from './config-store.ts'
import type { LogRecord } from './kafka-based-log.ts'
import { PlainPrivilegedWriter, type PrivilegedWriter, TransactionalPrivilegedWriter } from './privileged-writer.ts'
import { TopicStore } from './topic-store.ts'

/** Options of a KafkaConfigStore. */
export interface KafkaConfigStoreOptions {
  /** Reads and writes the config topic. */
  transport: TopicLogTransport
  /** Creates and checks the topic. */
  admin: TopicAdminClient
  /** Replication factor when the store creates the topic (-1: broker default). */
  replicationFactor: number
  /** Extra topic configs when the store creates the topic. */
  topicConfigs?: Record<string, string>
  /** A fencing writer for privileged records (exactly-once source support); plain writes through the log without. */
  transactionalWriter?: () => TransactionalTopicWriter
  /** Whether stop() closes `admin` too. */
  closeAdmin?: boolean
  /** Bound of each write protocol, sends and reads to the end together (default 30 s, as Java). */
  writeTimeoutMs?: number
  /** The worker setting that names the topic, for errors (default config.storage.topic). */
  setting?: string
  /** How long the log waits on the broker for new records (default 500 ms). */
  fetchMaxWaitMs?: number
  logger?: Logger
}

/** The config store on a (real or in-memory) config topic; see the file comment. */
export class KafkaConfigStore implements ConfigStore {
  readonly #opts: KafkaConfigStoreOptions
  readonly #log: Logger
  readonly #state = new ConfigState()
  readonly #topic: TopicStore
  readonly #writer: PrivilegedWriter
  readonly #listeners = new Set<(update: ConfigUpdate) => void>()
  readonly #setting: string

  constructor(opts: KafkaConfigStoreOptions) {
    this.#opts = opts
    this.#setting = opts.setting ?? 'config.storage.topic'
    this.#topic = new TopicStore(
      // Java's KafkaConfigBackingStore: one partition, so that every worker reads the records in one order.
      { ...opts, partitions: 1 },
      { component: 'stores.config', setting: this.#setting, purpose: 'connector configurations' },
      (record) => this.#onRecord(record),
    )
    this.#log = this.#topic.logger
    this.#writer = opts.transactionalWriter
      ? new TransactionalPrivilegedWriter(opts.transactionalWriter)
      : new PlainPrivilegedWriter((records) => this.#topic.log.sendAll(records))
  }

  async start(opts: WaitOptions = {}): Promise<void> {
    const topic = this.#topic.topic
    await this.#topic.start(opts, {
      verify: () => {
        const partitions = this.#topic.log.partitionCount
        if (partitions > 1) {
          throw new ConfigError(
            `Topic '${topic}' supplied via the '${this.#setting}' property is required to have a single partition in ` +
              `order to guarantee consistency of connector configurations, but found ${partitions} partitions.`,
            this.#setting,
          )
        }
      },
      stopStore: () => this.stop(),
    })
    this.#state.started = true
    this.#log.info({ offset: this.#state.offset }, 'started the config store')
  }

  async stop(): Promise<void> {
    await this.#writer.relinquish()
    await this.#topic.stop()
  }

  snapshot(): ClusterConfigSnapshot {
    return this.#state.snapshot()
  }

  contains(connector: string): boolean {
    return this.#state.contains(connector)
  }

  refresh(opts: WaitOptions = {}): Promise<void> {
    return this.#topic.log.readToEnd(opts)
  }

  onUpdate(listener: (update: ConfigUpdate) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  claimWritePrivileges(): Promise<void> {
    return this.#writer.claim()
  }

  putConnectorConfig(connector: string, properties: ConfigMap, targetState?: TargetState): Promise<void> {
    const records: RecordToSend[] = []
    if (targetState) records.push(record(targetStateKey(connector), encodeTargetStateValue(targetState)))
    records.push(record(connectorKey(connector), encodeConfigValue(properties)))
    return this.#privileged(`writing the configuration of connector ${connector}`, [records])
  }

  removeConnectorConfig(connector: string): Promise<void> {
    return this.#privileged(`removing connector ${connector}`, [
      [record(connectorKey(connector), null), record(targetStateKey(connector), null)],
    ])
  }

  putTaskConfigs(connector: string, configs: readonly ConfigMap[]): Promise<void> {
    const tasks = configs.map((config, task) => record(taskKey(connector, task), encodeConfigValue(config)))
    const commit = [record(commitKey(connector), encodeCommitValue(configs.length))]
    return this.#privileged(`writing task configurations of connector ${connector}`, [tasks, commit], true)
  }

  putSessionKey(sessionKey: SessionKey): Promise<void> {
    return this.#privileged('writing a session key', [[record('session-key', encodeSessionKeyValue(sessionKey))]])
  }

  putRestartRequest(request: RestartRequest): Promise<void> {
    return this.#privileged(`writing a restart request for connector ${request.connector}`, [
      [record(restartKey(request.connector), encodeRestartValue(request))],
    ])
  }

  putTaskCountRecord(connector: string, taskCount: number): Promise<void> {
    return this.#privileged(`writing the task count record of connector ${connector}`, [
      [record(taskCountKey(connector), encodeTaskCountValue(taskCount))],
    ])
  }

  putTargetState(connector: string, state: TargetState): Promise<void> {
    const write = this.#topic.log.send(targetStateKey(connector), encodeTargetStateValue(state))
    return bounded(write, `writing target state ${state} of connector ${connector}`, this.#writeBound())
  }

  putLoggerLevel(namespace: string, level: string): Promise<void> {
    const write = this.#topic.log.send(loggerKey(namespace), encodeLoggerLevelValue(level))
    return bounded(write, `writing logging level ${level} of ${namespace}`, this.#writeBound())
  }

  #writeBound(): WaitOptions {
    return { timeoutMs: this.#opts.writeTimeoutMs ?? 30_000 }
  }

  /**
   * Runs a privileged write protocol: each group of records is written (one transaction each with a fencing
   * writer) and read back before the next; with `readFirst` the log is read to its end before anything is written.
   */
  #privileged(what: string, groups: readonly (readonly RecordToSend[])[], readFirst = false): Promise<void> {
    const deadline = Date.now() + (this.#opts.writeTimeoutMs ?? 30_000)
    const remaining = (): WaitOptions => ({ timeoutMs: Math.max(0, deadline - Date.now()) })
    const run = async () => {
      if (readFirst) await this.#topic.log.readToEnd(remaining())
      for (const group of groups) {
        if (group.length === 0) continue
        await bounded(this.#writer.write(group), what, remaining())
        await this.#topic.log.readToEnd(remaining())
      }
    }
    return run()
  }

  #onRecord(logRecord: LogRecord): void {
    const key = logRecord.key?.toString('utf8') ?? null
    let updates: ConfigUpdate[]
    try {
      updates = this.#state.apply(key, logRecord.value, BigInt(logRecord.offset))
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error
      // Invariant 5: a record that does not parse is logged and skipped; the key keeps its previous state.
      this.#log.error(
        { partition: logRecord.partition, offset: logRecord.offset.toString(), key, reason: error.message },
        'skipped a config record that cannot be read',
      )
      return
    }
    for (const update of updates) {
      for (const listener of this.#listeners) {
        try {
          listener(update)
        } catch (error) {
          this.#log.error({ err: error, update: update.type }, 'a config update listener failed')
        }
      }
    }
  }
}

function record(key: string, value: Buffer | null): RecordToSend {
  return { key: Buffer.from(key, 'utf8'), value }
}
