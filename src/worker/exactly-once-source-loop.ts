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
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { type RecordPipeline, settleOutcome, sourceToOutgoing } from './record-pipeline.ts'
import type { TransactionalRecordSender } from './record-sender.ts'
import type { SourceLoopStats } from './source-loop.ts'
import { pauseGate, pollSource, yieldEvery } from './source-polling.ts'
import { type Segment, SourceTransactions } from './source-transactions.ts'
import type { TaskControl } from './task-control.ts'
import type { SourceTaskMetrics } from './task-metrics.ts'
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
  /** The task's source-task-metrics (none: not measured). */
  metrics?: SourceTaskMetrics | undefined
}

type Request = 'commit' | 'abort'

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

/** Runs a started source task with exactly-once delivery until the stop; rejects when the task fails. */
export async function runExactlyOnceSourceLoop(o: ExactlyOnceSourceLoopOptions, stats: SourceLoopStats): Promise<void> {
  const transactions = new SourceTransactions({
    connector: o.connector,
    task: o.task,
    sender: o.sender,
    offsetsTopic: o.offsetsTopic,
    topicCreator: o.topicCreator,
    clock: o.clock,
    log: o.log,
    stats,
    trackTopic: o.trackTopic,
    metrics: o.metrics,
  })
  const context = o.boundary === 'connector' ? o.transactionContext : null
  let failed = false
  const yieldNow = yieldEvery(o.clock)
  // A transaction left open while paused would time out, or get the task fenced once resumed.
  const holdWhilePaused = pauseGate(o.control, 1000, () => transactions.commit())
  const applyRequest = async (request: Request | undefined): Promise<void> => {
    if (request === 'commit') await transactions.commit()
    else if (request === 'abort') await transactions.abortThenCommitOffsets()
  }
  try {
    while (!o.control.stopping) {
      await yieldNow()
      if (o.boundary === 'interval' && o.clock.now() - transactions.startedAt >= o.boundaryIntervalMs) {
        await transactions.commit()
        transactions.restartInterval()
      }
      if (await holdWhilePaused()) continue
      const pollStarted = o.clock.now()
      const records = await pollSource(o.task, o.control, o.log)
      if (records === null) continue
      if (records.length === 0) {
        if (context) await applyRequest(context.takeForBatch())
        continue
      }
      o.metrics?.poll(records.length, o.clock.now() - pollStarted)
      stats.polled += records.length
      let notSent = 0
      let segment: Segment = []
      for (const record of records) {
        transactions.track(record)
        let first = sourceToOutgoing(o.pipeline, record)
        if ('retry' in first) first = await settleOutcome(o.pipeline, first, () => sourceToOutgoing(o.pipeline, record))
        const outcome = first
        if ('ok' in outcome) {
          segment.push({ record, out: outcome.ok })
        } else {
          if ('failed' in outcome) {
            await o.pipeline.errors.report(outcome.failed)
            stats.skipped++
          } else {
            stats.dropped++
          }
          notSent++
          try {
            await o.task.commitRecord(record, null)
          } catch (error) {
            o.log.error({ err: error }, 'the task threw from commitRecord()')
          }
        }
        const request = context?.takeForRecord(record)
        if (request !== undefined) {
          await transactions.send(segment)
          segment = []
          await applyRequest(request)
        }
      }
      if (notSent > 0) o.metrics?.write(notSent, notSent)
      if (o.boundary === 'poll') {
        await transactions.commitInBackground(segment)
        continue
      }
      await transactions.send(segment)
      if (context) await applyRequest(context.takeForBatch())
    }
  } catch (error) {
    failed = true
    throw error
  } finally {
    if (failed || o.control.hardSignal.aborted) {
      await transactions.settle().catch(() => {})
      // Nothing of an unfinished transaction may become visible; the successor re-polls from committed offsets.
      await transactions.abortOpen()
    } else if (o.boundary !== 'connector') {
      await transactions.commit()
    } else {
      // The task defines the transactions: commit only if it asked to; otherwise drop what it left open.
      await applyRequest(context?.takeForBatch())
      await transactions.abortOpen()
    }
  }
}
