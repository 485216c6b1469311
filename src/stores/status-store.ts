/**
 * The status store: what every connector and task is doing, on the status topic (status.storage.topic), readable
 * by every worker. Record kinds and bytes: protocol/status-records.ts.
 *
 * Rules, as Java's KafkaStatusBackingStore has them:
 * - DESTROYED is written as a tombstone; reading one forgets the connector (with its tasks) or the task.
 * - A "safe" write (shutting down on revocation, failures) is skipped when another worker wrote the current status
 *   at a later generation: a worker that lost a task must not overwrite the new owner's status.
 * - A task UNASSIGNED read while another worker has the task RUNNING at the same or a later generation is ignored:
 *   during fast rebalances the old owner's UNASSIGNED can arrive after the new owner's RUNNING. (Java ignores it
 *   whoever wrote it; an UNASSIGNED from the worker that wrote the RUNNING is that worker releasing the task, e.g.
 *   on a clean stop, and the leader reads it as "released, not lost": docs/failover.md.)
 * - Writes are retried on retriable errors until they pass, unless the entry was deleted meanwhile, a newer
 *   generation was written, or (safe writes) another write to the same entry came after.
 * A record that cannot be read is logged with its partition and offset and skipped.
 */
import { CorruptDataError, KafkaError } from '../errors.ts'
import {
  type ConnectState,
  connectorStatusKey,
  decodeStatusValue,
  decodeTopicStatusValue,
  encodeStatusValue,
  encodeTopicStatusValue,
  parseStatusKey,
  type StatusValue,
  type TopicStatusValue,
  taskStatusKey,
  topicStatusKey,
} from '../protocol/status-records.ts'
import { abortReason, type WaitOptions } from '../util/abort.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { LogRecord } from './kafka-based-log.ts'
import { TopicStore, type TopicStoreOptions } from './topic-store.ts'

export type { ConnectState, StatusValue, TopicStatusValue }

/** A connector's status. */
export interface ConnectorStatus extends StatusValue {
  connector: string
}

/** A task's status. */
export interface TaskStatus extends StatusValue {
  connector: string
  task: number
}

/** What the herder and worker need of a status store. */
export interface StatusStore {
  start(opts?: WaitOptions): Promise<void>
  stop(): Promise<void>
  /** Writes a status (DESTROYED as a tombstone); resolves true once written, false if given up (see file comment). */
  put(status: ConnectorStatus | TaskStatus): Promise<boolean>
  /** Like put, but skipped when another worker holds the entry at a later generation. */
  putSafe(status: ConnectorStatus | TaskStatus): Promise<boolean>
  /** Records that a connector's task used a topic. */
  putTopic(status: TopicStatusValue): Promise<boolean>
  /** Forgets that a connector used a topic (a tombstone). */
  deleteTopic(connector: string, topic: string): Promise<boolean>
  connector(connector: string): ConnectorStatus | undefined
  task(connector: string, task: number): TaskStatus | undefined
  /** The statuses of a connector's tasks, by task number. */
  tasks(connector: string): TaskStatus[]
  topic(connector: string, topic: string): TopicStatusValue | undefined
  topics(connector: string): TopicStatusValue[]
  /** Connectors with a status of their own or of a task (Java's leader cleans both up after a deletion). */
  connectors(): string[]
  /** Reads to the end of the topic. */
  refresh(opts?: WaitOptions): Promise<void>
}

/** Options of a KafkaStatusStore: its topic's (the setting defaults to status.storage.topic), and write retries. */
export interface KafkaStatusStoreOptions extends TopicStoreOptions {
  /** Backoff between retries of a failed write (default 100 ms, doubling to 5 s). */
  retryBackoffMs?: number
}

const STATUS_TOPIC = {
  component: 'stores.status',
  setting: 'status.storage.topic',
  purpose: 'connector and task statuses',
} as const

class Entry<T extends StatusValue> {
  value: T | undefined
  sequence = 0
  deleted = false

  canWriteSafely(status: StatusValue, sequence?: number): boolean {
    const ok =
      this.value === undefined || this.value.workerId === status.workerId || this.value.generation <= status.generation
    return ok && (sequence === undefined || sequence === this.sequence)
  }
}

/** The status store on a (real or in-memory) status topic; see the file comment. */
export class KafkaStatusStore implements StatusStore {
  readonly #opts: KafkaStatusStoreOptions
  readonly #log: Logger
  readonly #topic: TopicStore
  readonly #connectors = new Map<string, Entry<ConnectorStatus>>()
  readonly #tasks = new Map<string, Map<number, Entry<TaskStatus>>>()
  readonly #topics = new Map<string, Map<string, TopicStatusValue>>()
  readonly #stopping = new AbortController()
  #generation = -1

  constructor(opts: KafkaStatusStoreOptions) {
    this.#opts = opts
    this.#topic = new TopicStore(opts, STATUS_TOPIC, (record) => this.#onRecord(record))
    this.#log = this.#topic.logger
  }

  async start(opts: WaitOptions = {}): Promise<void> {
    await this.#topic.start(opts, { stopStore: () => this.stop() })
  }

  async stop(): Promise<void> {
    this.#stopping.abort(abortReason('the status store is stopping'))
    await this.#topic.stop()
  }

  refresh(opts: WaitOptions = {}): Promise<void> {
    return this.#topic.log.readToEnd(opts)
  }

  put(status: ConnectorStatus | TaskStatus): Promise<boolean> {
    return this.#send(status, false)
  }

  putSafe(status: ConnectorStatus | TaskStatus): Promise<boolean> {
    return this.#send(status, true)
  }

  putTopic(status: TopicStatusValue): Promise<boolean> {
    return this.#write(topicStatusKey(status.topic, status.connector), encodeTopicStatusValue(status), () => true)
  }

  deleteTopic(connector: string, topic: string): Promise<boolean> {
    return this.#write(topicStatusKey(topic, connector), null, () => true)
  }

  connector(connector: string): ConnectorStatus | undefined {
    return this.#connectors.get(connector)?.value
  }

  task(connector: string, task: number): TaskStatus | undefined {
    return this.#tasks.get(connector)?.get(task)?.value
  }

  tasks(connector: string): TaskStatus[] {
    const entries = [...(this.#tasks.get(connector)?.values() ?? [])]
    return entries
      .map((e) => e.value)
      .filter((v): v is TaskStatus => v !== undefined)
      .sort((a, b) => a.task - b.task)
  }

  topic(connector: string, topic: string): TopicStatusValue | undefined {
    return this.#topics.get(connector)?.get(topic)
  }

  topics(connector: string): TopicStatusValue[] {
    return [...(this.#topics.get(connector)?.values() ?? [])]
  }

  connectors(): string[] {
    const out = new Set(this.#connectors.keys())
    // A task status written after its connector's tombstone (a late UNASSIGNED) must still be found and tombstoned.
    for (const connector of this.#tasks.keys()) if (this.tasks(connector).length > 0) out.add(connector)
    return [...out]
  }

  #entryOf(status: ConnectorStatus | TaskStatus): Entry<StatusValue> {
    if ('task' in status) {
      let tasks = this.#tasks.get(status.connector)
      if (!tasks) {
        tasks = new Map()
        this.#tasks.set(status.connector, tasks)
      }
      let entry = tasks.get(status.task)
      if (!entry) {
        entry = new Entry()
        tasks.set(status.task, entry)
      }
      return entry
    }
    let entry = this.#connectors.get(status.connector)
    if (!entry) {
      entry = new Entry()
      this.#connectors.set(status.connector, entry)
    }
    return entry
  }

  #send(status: ConnectorStatus | TaskStatus, safe: boolean): Promise<boolean> {
    const entry = this.#entryOf(status)
    this.#generation = status.generation
    if (safe && !entry.canWriteSafely(status)) return Promise.resolve(false)
    const sequence = ++entry.sequence
    const key = 'task' in status ? taskStatusKey(status.connector, status.task) : connectorStatusKey(status.connector)
    const value = status.state === 'DESTROYED' ? null : encodeStatusValue(status)
    const stillWanted = () =>
      !entry.deleted && status.generation === this.#generation && (!safe || entry.canWriteSafely(status, sequence))
    return this.#write(key, value, stillWanted)
  }

  /** Sends one record, retrying retriable failures while `stillWanted()`; never rejects. */
  async #write(key: string, value: Buffer | null, stillWanted: () => boolean): Promise<boolean> {
    const initialWait = this.#opts.retryBackoffMs ?? 100
    for (let failures = 1; ; failures++) {
      try {
        await this.#topic.log.send(key, value)
        return true
      } catch (error) {
        const retriable = error instanceof KafkaError && error.retriable
        if (!retriable || this.#stopping.signal.aborted) {
          this.#log.error({ err: error, key }, 'failed to write a status update')
          return false
        }
        try {
          await systemClock.sleep(exponentialBackoff(failures, initialWait, 5_000), this.#stopping.signal)
        } catch {
          return false
        }
        if (!stillWanted()) return false
      }
    }
  }

  #onRecord(record: LogRecord): void {
    const key = record.key?.toString('utf8') ?? ''
    try {
      const parsed = parseStatusKey(key)
      if (parsed.kind === 'connector') this.#readConnector(parsed.connector, record.value)
      else if (parsed.kind === 'task') this.#readTask(parsed.connector, parsed.task, record.value)
      else this.#readTopic(parsed.topic, parsed.connector, record.value)
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error
      // Invariant 5: a record that does not parse is logged and skipped; the key keeps its previous state.
      this.#log.error(
        { partition: record.partition, offset: record.offset.toString(), key, reason: error.message },
        'skipped a status record that cannot be read',
      )
    }
  }

  #readConnector(connector: string, value: Buffer | null): void {
    if (value === null) {
      const removed = this.#connectors.get(connector)
      if (removed) removed.deleted = true
      this.#connectors.delete(connector)
      for (const entry of this.#tasks.get(connector)?.values() ?? []) entry.deleted = true
      this.#tasks.delete(connector)
      return
    }
    const status = { connector, ...decodeStatusValue(value) }
    this.#entryOf(status).value = status
  }

  #readTask(connector: string, task: number, value: Buffer | null): void {
    if (value === null) {
      const entry = this.#tasks.get(connector)?.get(task)
      if (entry) entry.deleted = true
      this.#tasks.get(connector)?.delete(task)
      return
    }
    const status = { connector, task, ...decodeStatusValue(value) }
    const entry = this.#entryOf(status)
    const current = entry.value
    if (
      status.state === 'UNASSIGNED' &&
      current?.state === 'RUNNING' &&
      current.workerId !== status.workerId &&
      current.generation >= status.generation
    ) {
      return
    }
    entry.value = status
  }

  #readTopic(topic: string, connector: string, value: Buffer | null): void {
    if (value === null) {
      this.#topics.get(connector)?.delete(topic)
      return
    }
    const status = decodeTopicStatusValue(value)
    let topics = this.#topics.get(connector)
    if (!topics) {
      topics = new Map()
      this.#topics.set(connector, topics)
    }
    topics.set(topic, status)
  }
}
