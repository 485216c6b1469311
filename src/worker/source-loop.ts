/**
 * The source task loop (Java's AbstractWorkerSourceTask and WorkerSourceTask, composed rather than inherited):
 * poll, transform, convert, produce, and commit the offsets of acknowledged records every offset.flush.interval.ms.
 *
 * One async loop owns the task's state. Sends are pipelined: the loop polls again while earlier batches are in
 * flight, until `maxInFlightRecords` records are unacknowledged (backpressure when Kafka is slow). Offsets follow
 * Invariant 1 (submitted-records.ts). On the soft stop the loop stops polling, waits for in-flight sends and
 * commits (Invariant 4); the hard stop abandons the wait.
 */

import type { RecordMetadata } from '../api/contexts.ts'
import type { SourceRecord } from '../api/records.ts'
import type { SourceTask } from '../api/task.ts'
import { toError } from '../errors.ts'
import { encodeOffsetKey, encodeOffsetValue, type OffsetMap } from '../protocol/offset-records.ts'
import type { OffsetEntry } from '../stores/offset-store.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { ErrorContext } from './error-handling.ts'
import { type RecordPipeline, settleOutcome, sourceToOutgoing } from './record-pipeline.ts'
import type { OutgoingRecord, RecordSender, SentRecord } from './record-sender.ts'
import { pauseGate, pollSource, yieldEvery } from './source-polling.ts'
import { type SubmittedBatch, SubmittedRecords } from './submitted-records.ts'
import type { TaskControl } from './task-control.ts'
import type { SourceTaskMetrics } from './task-metrics.ts'
import type { TopicCreator } from './topic-creation.ts'

/** What the source loop needs. */
export interface SourceLoopOptions {
  connector: string
  task: SourceTask
  pipeline: RecordPipeline
  sender: RecordSender
  /** Writes offsets (resolves once acknowledged); the worker's offset store. */
  writeOffsets: (entries: OffsetEntry[], timeoutMs: number) => Promise<void>
  topicCreator: TopicCreator | null
  control: TaskControl
  offsetFlushIntervalMs: number
  offsetFlushTimeoutMs: number
  maxInFlightRecords: number
  clock: Clock
  log: Logger
  /** Told of each topic the task produced to (KIP-558 topic tracking); cheap to call again. */
  trackTopic?: (topic: string) => void
  /** The task's source-task-metrics (none: not measured). */
  metrics?: SourceTaskMetrics | undefined
}

/** Counters of one source task, for metrics and tests. */
export interface SourceLoopStats {
  polled: number
  sent: number
  dropped: number
  skipped: number
  commits: number
}

/** Runs a started source task until the stop; rejects when the task fails (the worker marks it FAILED). */
export async function runSourceLoop(o: SourceLoopOptions, stats: SourceLoopStats = newStats()): Promise<void> {
  const submitted = new SubmittedRecords()
  let sendFailure: Error | null = null
  let lastCommit = o.clock.now()

  const commit = async (): Promise<void> => {
    const offsets = submitted.committable()
    lastCommit = o.clock.now()
    if (offsets.size === 0) return
    const entries: OffsetEntry[] = []
    for (const { partition, offset } of offsets.values()) {
      entries.push({
        key: encodeOffsetKey(o.connector, partition as OffsetMap | null),
        value: encodeOffsetValue(offset as OffsetMap | null),
      })
    }
    const started = o.clock.now()
    try {
      await o.writeOffsets(entries, o.offsetFlushTimeoutMs)
    } catch (error) {
      // Not fatal, as in Java: the same offsets (or later ones) are written at the next commit.
      submitted.restore(offsets)
      o.metrics?.task.commit(o.clock.now() - started, false)
      o.log.warn({ err: error }, 'committing source offsets failed; will retry at the next commit')
      return
    }
    o.metrics?.task.commit(o.clock.now() - started, true)
    stats.commits++
    try {
      await o.task.commit()
    } catch (error) {
      o.log.error({ err: error }, 'the task threw from commit()')
    }
  }

  const commitRecord = async (record: SourceRecord, metadata: RecordMetadata | null): Promise<void> => {
    try {
      await o.task.commitRecord(record, metadata)
    } catch (error) {
      o.log.error({ err: error }, 'the task threw from commitRecord()')
    }
  }

  /**
   * Resolves once the last batch was handed to the producer. A batch waiting for its topics to be created holds the
   * later ones back, as Java's send creates topics inline: a later batch sent first would put a topic's records out
   * of order. Batches are still acknowledged in parallel; only the hand-over is in order.
   */
  let handedOver: Promise<void> = Promise.resolve()

  const send = (batch: SubmittedBatch, records: SourceRecord[], outgoing: OutgoingRecord[], polled: number): void => {
    submitted.sent(batch, outgoing.length)
    const topics = new Set<string>()
    for (const r of outgoing) topics.add(r.topic)
    const previous = handedOver
    let handed = () => {}
    handedOver = new Promise<void>((resolve) => {
      handed = resolve
    })
    const sending = (async () => {
      try {
        await previous
        if (o.topicCreator) await o.topicCreator.ensure(topics)
        return o.sender.send(outgoing)
      } finally {
        handed()
      }
    })()
    sending.then(
      async (sent: SentRecord[]) => {
        submitted.ack(batch)
        if (o.trackTopic) for (const t of topics) o.trackTopic(t)
        stats.sent += outgoing.length
        o.metrics?.write(polled, polled - outgoing.length)
        // Java calls commitRecord only when a task overrides it; calling the no-op costs little.
        for (let i = 0; i < records.length; i++) {
          const s = sent[i] as SentRecord
          await commitRecord(records[i] as SourceRecord, {
            topic: s.topic,
            partition: s.partition,
            offset: s.offset,
            timestamp: s.timestamp,
          })
        }
      },
      (error: unknown) => {
        // The producer retried what it could (delivery is bounded by its own timeouts): the task fails, and the
        // batch's offsets are never committed.
        sendFailure ??= toError(error)
        submitted.fail(batch)
        o.control.wake()
      },
    )
  }

  const yieldNow = yieldEvery(o.clock)
  const holdWhilePaused = pauseGate(o.control, o.offsetFlushIntervalMs, commit)
  try {
    while (!o.control.stopping) {
      await yieldNow()
      if (sendFailure) throw sendFailure
      if (o.clock.now() - lastCommit >= o.offsetFlushIntervalMs) await commit()
      if (await holdWhilePaused()) continue
      if (submitted.inFlight >= o.maxInFlightRecords) {
        // Backpressure: Kafka is slower than the source; wait for acknowledgements before polling more.
        await Promise.race([submitted.drained(), o.control.waitForChange(100)])
        continue
      }
      const pollStarted = o.clock.now()
      const records = await pollSource(o.task, o.control, o.log)
      if (records === null || records.length === 0) continue
      // Java records polls that answered records (a task's null is not recorded; poll() here maps it to []).
      o.metrics?.poll(records.length, o.clock.now() - pollStarted)
      stats.polled += records.length
      const batch = submitted.newBatch()
      const toSend: SourceRecord[] = []
      const outgoing: OutgoingRecord[] = []
      const failures: ErrorContext[] = []
      for (const record of records) {
        submitted.add(batch, record.sourcePartition, record.sourceOffset)
        let first = sourceToOutgoing(o.pipeline, record)
        if ('retry' in first) first = await settleOutcome(o.pipeline, first, () => sourceToOutgoing(o.pipeline, record))
        const outcome = first
        if ('ok' in outcome) {
          toSend.push(record)
          outgoing.push(outcome.ok)
        } else {
          if ('failed' in outcome) failures.push(outcome.failed)
          else stats.dropped++
          await commitRecord(record, null)
        }
      }
      // Tolerated failures are reported (log, DLQ) before their offsets can be committed with the batch.
      for (const f of failures) await o.pipeline.errors.report(f)
      stats.skipped += failures.length
      if (outgoing.length === 0) {
        submitted.ack(batch)
        o.metrics?.write(records.length, records.length)
      } else send(batch, toSend, outgoing, records.length)
    }
  } finally {
    // Invariant 4: drain in-flight sends and commit, unless the hard stop (or a failure) says otherwise.
    if (!o.control.hardSignal.aborted) {
      await Promise.race([
        submitted.drained(),
        new Promise<void>((resolve) => o.control.hardSignal.addEventListener('abort', () => resolve(), { once: true })),
      ])
    }
    await commit()
  }
  if (sendFailure) throw sendFailure
}

/** Fresh counters. */
export function newStats(): SourceLoopStats {
  return { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
}
