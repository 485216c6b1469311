/**
 * The transactions of an exactly-once source task (KIP-618; the bookkeeping of Java's ExactlyOnceWorkerSourceTask):
 * the open transaction, the last source offset per partition of its records, and the records it sent, which the
 * task is told of (commitRecord) once it commits. A commit sends the not yet sent records and the offsets in one
 * produce call, then ends the transaction; with transaction.boundary=poll the end may run in the background while
 * the loop polls the next batch, and is settled before anything else touches Kafka.
 */
import type { SourceRecord } from '../api/records.ts'
import type { SourceTask } from '../api/task.ts'
import { encodeOffsetKey, encodeOffsetValue, type OffsetMap, sourcePartitionText } from '../protocol/offset-records.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { OutgoingRecord, SentRecord, SourceTransaction, TransactionalRecordSender } from './record-sender.ts'
import type { SourceLoopStats } from './source-loop.ts'
import type { SourceTaskMetrics } from './task-metrics.ts'
import type { TopicCreator } from './topic-creation.ts'

/** A record and what it became, to send. */
export type SegmentEntry = { record: SourceRecord; out: OutgoingRecord }
/** Records to send together. */
export type Segment = SegmentEntry[]

/** What the transactions of one task need. */
export interface SourceTransactionsOptions {
  connector: string
  task: SourceTask
  sender: TransactionalRecordSender
  /** Where the task's offsets go, in its transactions. */
  offsetsTopic: string
  topicCreator: TopicCreator | null
  clock: Clock
  log: Logger
  stats: SourceLoopStats
  trackTopic?: ((topic: string) => void) | undefined
  metrics?: SourceTaskMetrics | undefined
}

const partitionKey = (partition: SourceRecord['sourcePartition']) => sourcePartitionText(partition as OffsetMap | null)

/** The transactions of one exactly-once source task; see the file comment. Owned by its loop. */
export class SourceTransactions {
  readonly #o: SourceTransactionsOptions
  #transaction: SourceTransaction | null = null
  #startedAt: number
  /** The last offset per source partition of the records of the open transaction. */
  readonly #offsets = new Map<
    string,
    { partition: SourceRecord['sourcePartition']; offset: SourceRecord['sourceOffset'] }
  >()
  /** Records sent in the open transaction, told to the task (commitRecord) once it commits. */
  #sent: { record: SourceRecord; metadata: SentRecord }[] = []
  /** The end of the previous transaction (EndTxn, then the task's commit callbacks), when still in flight. */
  #ending: Promise<void> | null = null
  #endingError: unknown = null

  constructor(o: SourceTransactionsOptions) {
    this.#o = o
    this.#startedAt = o.clock.now()
  }

  /** When the open transaction began (or the interval was last restarted). */
  get startedAt(): number {
    return this.#startedAt
  }

  /** Starts the next transaction.boundary.interval.ms period now. */
  restartInterval(): void {
    this.#startedAt = this.#o.clock.now()
  }

  /** A polled record's source offset belongs to the open transaction. */
  track(record: SourceRecord): void {
    if (record.sourcePartition === null && record.sourceOffset === null) return
    this.#offsets.set(partitionKey(record.sourcePartition), {
      partition: record.sourcePartition,
      offset: record.sourceOffset,
    })
  }

  /** Waits for the end of the previous transaction; throws what it failed with. */
  async settle(): Promise<void> {
    const previous = this.#ending
    if (!previous) return
    await previous
    this.#ending = null
    if (this.#endingError !== null) {
      const error = this.#endingError
      this.#endingError = null
      throw error
    }
  }

  /** Sends `segment` in the open transaction (beginning one if needed). */
  async send(segment: Segment): Promise<void> {
    if (segment.length === 0) return
    const topics = new Set(segment.map((s) => s.out.topic))
    if (this.#o.topicCreator) await this.#o.topicCreator.ensure(topics)
    const t = await this.#begin()
    const metadata = await t.send(segment.map((s) => s.out))
    this.#remember(segment, metadata)
    if (this.#o.trackTopic) for (const topic of topics) this.#o.trackTopic(topic)
  }

  /** Commits the open transaction (after sending `last` and the offsets) and waits for the end. */
  async commit(last: Segment = []): Promise<void> {
    const end = await this.#flush(last)
    if (end) await end()
  }

  /** Commits like commit(), but lets the end run while the loop polls the next batch. */
  async commitInBackground(last: Segment): Promise<void> {
    const end = await this.#flush(last)
    if (!end) return
    this.#ending = end().catch((error: unknown) => {
      this.#endingError = error
    })
  }

  /** The task asked to abort: its records so far are dropped, but their offsets are committed, as Java does. */
  async abortThenCommitOffsets(): Promise<void> {
    await this.settle()
    if (this.#transaction) {
      this.#o.log.info('Aborting the transaction as the task requested')
      await this.#transaction.abort()
      this.#transaction = null
      this.#sent = []
    } else {
      this.#o.log.warn('Ignoring the request by the task to abort the transaction: the current transaction is empty')
    }
    await this.commit()
  }

  /** Aborts what is open, ignoring failures: nothing of an unfinished transaction may become visible. */
  async abortOpen(): Promise<void> {
    const open = this.#transaction
    if (open) await open.abort().catch(() => {})
  }

  async #begin(): Promise<SourceTransaction> {
    await this.settle()
    if (!this.#transaction) {
      this.#transaction = await this.#o.sender.begin()
      this.#startedAt = this.#o.clock.now()
    }
    return this.#transaction
  }

  #remember(segment: Segment, metadata: SentRecord[]): void {
    for (let i = 0; i < segment.length; i++) {
      this.#sent.push({ record: (segment[i] as SegmentEntry).record, metadata: metadata[i] as SentRecord })
    }
    this.#o.stats.sent += segment.length
    this.#o.metrics?.write(segment.length, 0)
  }

  /**
   * Sends `last` (records not sent yet) and the offsets of the open transaction in one call, and answers how to
   * end it: the returned function commits and then tells the task.
   */
  async #flush(last: Segment): Promise<(() => Promise<void>) | null> {
    await this.settle()
    if (!this.#transaction && this.#offsets.size === 0 && last.length === 0) return null
    const topics = new Set(last.map((s) => s.out.topic))
    if (this.#o.topicCreator && topics.size > 0) await this.#o.topicCreator.ensure(topics)
    const t = await this.#begin()
    const records: OutgoingRecord[] = last.map((s) => s.out)
    if (records.length > 0 || this.#offsets.size > 0) {
      for (const { partition, offset } of this.#offsets.values()) {
        records.push({
          topic: this.#o.offsetsTopic,
          partition: null,
          key: encodeOffsetKey(this.#o.connector, partition as OffsetMap | null),
          value: encodeOffsetValue(offset as OffsetMap | null),
          headers: [],
          timestamp: null,
        })
      }
      // One produce call (and one AddPartitionsToTxn) for the records and their offsets.
      const metadata = await t.send(records)
      this.#remember(last, metadata)
      if (this.#o.trackTopic) for (const topic of topics) this.#o.trackTopic(topic)
    }
    // What follows belongs to the next transaction.
    this.#transaction = null
    this.#offsets.clear()
    const done = this.#sent
    this.#sent = []
    return async () => {
      const started = this.#o.clock.now()
      try {
        await t.commit()
      } catch (error) {
        this.#o.metrics?.task.commit(this.#o.clock.now() - started, false)
        throw error
      }
      this.#o.metrics?.task.commit(this.#o.clock.now() - started, true)
      this.#o.metrics?.transaction(done.length)
      this.#o.stats.commits++
      for (const { record, metadata } of done) {
        try {
          await this.#o.task.commitRecord(record, {
            topic: metadata.topic,
            partition: metadata.partition,
            offset: metadata.offset,
            timestamp: metadata.timestamp,
          })
        } catch (error) {
          this.#o.log.error({ err: error }, 'the task threw from commitRecord()')
        }
      }
      try {
        await this.#o.task.commit()
      } catch (error) {
        this.#o.log.error({ err: error }, 'the task threw from commit()')
      }
    }
  }
}
