/**
 * The exactly-once source task loop (KIP-618; Java's ExactlyOnceWorkerSourceTask): poll, transform, convert, and
 * send through the task's transactional producer; a transaction ends at the transaction.boundary (after each
 * poll, every transaction.boundary.interval.ms, or when the task asks through its TransactionContext), and its
 * source offsets are written to the offsets topic in the same transaction just before the commit. A reader with
 * isolation.level=read_committed thus sees a task's records exactly when their offsets are stored: a task that
 * dies mid-transaction leaves nothing visible, and its successor restarts from the last committed offsets.
 *
 * Unlike the at-least-once loop, sends are not pipelined across polls: a transaction's sends are awaited before
 * its commit, and a failed send, commit or abort fails the task (a fenced zombie fails here and commits nothing).
 */
import type { TransactionContext } from '../api/contexts.ts'
import type { SourceRecord } from '../api/records.ts'
import type { SourceTask, TransactionBoundary } from '../api/task.ts'
import { ConnectError } from '../errors.ts'
import { encodeOffsetKey, encodeOffsetValue, type OffsetMap, sourcePartitionText } from '../protocol/offset-records.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { type RecordPipeline, sourceToOutgoing } from './record-pipeline.ts'
import type { OutgoingRecord, SentRecord, SourceTransaction, TransactionalRecordSender } from './record-sender.ts'
import type { SourceLoopStats } from './source-loop.ts'
import { pauseGate, pollSource, yieldEvery } from './source-polling.ts'
import type { TaskControl } from './task-control.ts'
import type { TopicCreator } from './topic-creation.ts'

/** What the exactly-once loop needs. */
export interface ExactlyOnceSourceLoopOptions {
  connector: string
  task: SourceTask
  pipeline: RecordPipeline
  /** The task's transactional producer, already initialized (it claimed its transactional id). */
  sender: TransactionalRecordSender
  /** Where the task's offsets go, in its transactions: the connector's offsets topic, or the worker's. */
  offsetsTopic: string
  boundary: TransactionBoundary
  /** For boundary=interval. */
  boundaryIntervalMs: number
  /** For boundary=connector: the context the task was given. */
  transactionContext: WorkerTransactionContext | null
  topicCreator: TopicCreator | null
  control: TaskControl
  clock: Clock
  log: Logger
  trackTopic?: (topic: string) => void
}

type Request = 'commit' | 'abort'
/** A record and what it became, to send. */
type SegmentEntry = { record: SourceRecord; out: OutgoingRecord }
type Segment = SegmentEntry[]

/** The TransactionContext of a task with transaction.boundary=connector; the loop takes its requests. */
export class WorkerTransactionContext implements TransactionContext {
  #batch: Request | undefined
  readonly #records = new Map<SourceRecord, Request>()

  commitTransaction(record?: SourceRecord): void {
    this.#request('commit', record)
  }

  abortTransaction(record?: SourceRecord): void {
    this.#request('abort', record)
  }

  #request(request: Request, record: SourceRecord | undefined): void {
    const previous = record ? this.#records.get(record) : this.#batch
    if (previous !== undefined && previous !== request) {
      throw new ConnectError('UNKNOWN', 'The task requested both a commit and an abort of the same transaction')
    }
    if (record) this.#records.set(record, request)
    else this.#batch = request
  }

  /** The request made for this record, once. */
  takeForRecord(record: SourceRecord): Request | undefined {
    const request = this.#records.get(record)
    if (request !== undefined) this.#records.delete(record)
    return request
  }

  /** The request made for the current batch, once. */
  takeForBatch(): Request | undefined {
    const request = this.#batch
    this.#batch = undefined
    return request
  }
}

const partitionKey = (partition: SourceRecord['sourcePartition']) => sourcePartitionText(partition as OffsetMap | null)

/** Runs a started source task with exactly-once delivery until the stop; rejects when the task fails. */
export async function runExactlyOnceSourceLoop(o: ExactlyOnceSourceLoopOptions, stats: SourceLoopStats): Promise<void> {
  let transaction: SourceTransaction | null = null
  let transactionStartedAt = o.clock.now()
  /** The last offset per source partition of the records of the open transaction. */
  const offsets = new Map<
    string,
    { partition: SourceRecord['sourcePartition']; offset: SourceRecord['sourceOffset'] }
  >()
  /** Records sent in the open transaction, told to the task (commitRecord) once it commits. */
  let sent: { record: SourceRecord; metadata: SentRecord }[] = []
  let failed = false
  // Read through a function: the closures below assign it, which the compiler's narrowing does not see.
  const current = (): SourceTransaction | null => transaction

  /**
   * The end of the previous transaction (EndTxn, then the task's commit callbacks), still in flight while the
   * next batch is polled and converted (transaction.boundary=poll); settled before anything else touches Kafka.
   */
  let ending: Promise<void> | null = null
  let endingError: unknown = null
  const settle = async (): Promise<void> => {
    const previous = ending
    if (!previous) return
    await previous
    ending = null
    if (endingError !== null) {
      const error = endingError
      endingError = null
      throw error
    }
  }

  const begin = async (): Promise<SourceTransaction> => {
    await settle()
    if (!transaction) {
      transaction = await o.sender.begin()
      transactionStartedAt = o.clock.now()
    }
    return transaction
  }

  /**
   * Sends `last` (records not sent yet) and the offsets of the open transaction in one call, and answers how to
   * end it: the returned function commits and then tells the task.
   */
  const flush = async (last: Segment): Promise<(() => Promise<void>) | null> => {
    await settle()
    if (!transaction && offsets.size === 0 && last.length === 0) return null
    const topics = new Set(last.map((s) => s.out.topic))
    if (o.topicCreator && topics.size > 0) await o.topicCreator.ensure(topics)
    const t = await begin()
    const records: OutgoingRecord[] = last.map((s) => s.out)
    if (records.length > 0 || offsets.size > 0) {
      for (const { partition, offset } of offsets.values()) {
        records.push({
          topic: o.offsetsTopic,
          partition: null,
          key: encodeOffsetKey(o.connector, partition as OffsetMap | null),
          value: encodeOffsetValue(offset as OffsetMap | null),
          headers: [],
          timestamp: null,
        })
      }
      // One produce call (and one AddPartitionsToTxn) for the records and their offsets.
      const metadata = await t.send(records)
      for (let i = 0; i < last.length; i++) {
        sent.push({ record: (last[i] as SegmentEntry).record, metadata: metadata[i] as SentRecord })
      }
      stats.sent += last.length
      if (o.trackTopic) for (const topic of topics) o.trackTopic(topic)
    }
    // What follows belongs to the next transaction.
    transaction = null
    offsets.clear()
    const done = sent
    sent = []
    return async () => {
      await t.commit()
      stats.commits++
      for (const { record, metadata } of done) {
        try {
          await o.task.commitRecord(record, {
            topic: metadata.topic,
            partition: metadata.partition,
            offset: metadata.offset,
            timestamp: metadata.timestamp,
          })
        } catch (error) {
          o.log.error({ err: error }, 'the task threw from commitRecord()')
        }
      }
      try {
        await o.task.commit()
      } catch (error) {
        o.log.error({ err: error }, 'the task threw from commit()')
      }
    }
  }

  /** Commits the open transaction (after sending `last` and the offsets) and waits for the end. */
  const commit = async (last: Segment = []): Promise<void> => {
    const end = await flush(last)
    if (end) await end()
  }

  /** Commits like commit(), but lets the end run while the loop polls the next batch. */
  const commitInBackground = async (last: Segment): Promise<void> => {
    const end = await flush(last)
    if (!end) return
    ending = end().catch((error: unknown) => {
      endingError = error
    })
  }

  /** The task asked to abort: its records so far are dropped, but their offsets are committed, as Java does. */
  const abortThenCommitOffsets = async (): Promise<void> => {
    await settle()
    if (transaction) {
      o.log.info('Aborting the transaction as the task requested')
      await transaction.abort()
      transaction = null
      sent = []
    } else {
      o.log.warn('Ignoring the request by the task to abort the transaction: the current transaction is empty')
    }
    await commit()
  }

  const sendSegment = async (segment: Segment): Promise<void> => {
    if (segment.length === 0) return
    const topics = new Set(segment.map((s) => s.out.topic))
    if (o.topicCreator) await o.topicCreator.ensure(topics)
    const t = await begin()
    const metadata = await t.send(segment.map((s) => s.out))
    for (let i = 0; i < segment.length; i++) {
      sent.push({ record: (segment[i] as SegmentEntry).record, metadata: metadata[i] as SentRecord })
    }
    stats.sent += segment.length
    if (o.trackTopic) for (const topic of topics) o.trackTopic(topic)
  }

  const context = o.boundary === 'connector' ? o.transactionContext : null
  const yieldNow = yieldEvery(o.clock)
  // A transaction left open while paused would time out, or get the task fenced once resumed.
  const holdWhilePaused = pauseGate(o.control, 1000, () => commit())
  try {
    while (!o.control.stopping) {
      await yieldNow()
      if (o.boundary === 'interval' && o.clock.now() - transactionStartedAt >= o.boundaryIntervalMs) {
        await commit()
        transactionStartedAt = o.clock.now()
      }
      if (await holdWhilePaused()) continue
      const records = await pollSource(o.task, o.control, o.log)
      if (records === null) continue
      if (records.length === 0) {
        if (context) await applyRequest(context.takeForBatch())
        continue
      }
      stats.polled += records.length
      let segment: Segment = []
      for (const record of records) {
        if (record.sourcePartition !== null || record.sourceOffset !== null) {
          offsets.set(partitionKey(record.sourcePartition), {
            partition: record.sourcePartition,
            offset: record.sourceOffset,
          })
        }
        const outcome = sourceToOutgoing(o.pipeline, record)
        if ('ok' in outcome) {
          segment.push({ record, out: outcome.ok })
        } else {
          if ('failed' in outcome) {
            await o.pipeline.errors.report(outcome.failed)
            stats.skipped++
          } else {
            stats.dropped++
          }
          try {
            await o.task.commitRecord(record, null)
          } catch (error) {
            o.log.error({ err: error }, 'the task threw from commitRecord()')
          }
        }
        const request = context?.takeForRecord(record)
        if (request !== undefined) {
          await sendSegment(segment)
          segment = []
          await applyRequest(request)
        }
      }
      if (o.boundary === 'poll') {
        await commitInBackground(segment)
        continue
      }
      await sendSegment(segment)
      if (context) await applyRequest(context.takeForBatch())
    }
  } catch (error) {
    failed = true
    throw error
  } finally {
    if (failed || o.control.hardSignal.aborted) {
      await settle().catch(() => {})
      // Nothing of an unfinished transaction may become visible; the successor re-polls from committed offsets.
      const open = current()
      if (open) await open.abort().catch(() => {})
    } else if (o.boundary !== 'connector') {
      await commit()
    } else {
      // The task defines the transactions: commit only if it asked to; otherwise drop what it left open.
      await applyRequest(context?.takeForBatch())
      const open = current()
      if (open) await open.abort().catch(() => {})
    }
  }

  async function applyRequest(request: Request | undefined): Promise<void> {
    if (request === 'commit') await commit()
    else if (request === 'abort') await abortThenCommitOffsets()
  }
}
