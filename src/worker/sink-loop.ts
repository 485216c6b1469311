/**
 * The sink task loop (Java's WorkerSinkTask): poll the consumer, convert and transform, put, and commit offsets
 * every offset.flush.interval.ms (or on context.requestCommit()).
 *
 * Invariant 2: a sink offset is committed only after put and flush succeeded. Offsets of a put batch become
 * "current" once put() returned; a commit asks preCommit() (which flushes) what may be committed, waits for
 * the errant-record reports of the records before it, and commits that through the group. A failing preCommit skips
 * the commit and rewinds the consumer to the last committed offsets, so nothing unflushed is lost.
 *
 * put() throwing RetriableError pauses every partition and hands the same batch again after context.timeout();
 * any other error fails the task. Rebalances run from the consumer's poll() on this loop (sink-consumer.ts):
 * revoked partitions are committed and closed, new ones opened, never while put() runs.
 */
import type { ErrantRecordReporter, SinkTaskContext, TopicPartition, TopicPartitionOffset } from '../api/contexts.ts'
import type { SinkRecord } from '../api/records.ts'
import type { SinkTask } from '../api/task.ts'
import type { FetchedRecord } from '../kafka/fetch.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { type ErrorContext, isRetriable, ToleranceExceededError } from './error-handling.ts'
import { PauseReasons } from './pause-reasons.ts'
import { consumedToSink, type RecordPipeline, rawOf, settleOutcome } from './record-pipeline.ts'
import type { SinkConsumer } from './sink-consumer.ts'
import { SinkOffsets } from './sink-offsets.ts'
import type { TaskControl } from './task-control.ts'
import type { SinkTaskMetrics } from './task-metrics.ts'

/** What the sink loop needs. */
export interface SinkLoopOptions {
  task: SinkTask
  taskConfig: Readonly<Record<string, string>>
  /** Starts the task (after initialize(), before the consumer joins its group). */
  start: () => Promise<void> | void
  consumer: SinkConsumer
  pipeline: RecordPipeline
  /** Whether the connector has a DLQ or errors.log.enable (else errantRecordReporter() is null). */
  hasErrantReporter: boolean
  control: TaskControl
  offsetFlushIntervalMs: number
  clock: Clock
  log: Logger
  /** Told of each topic the task read from (KIP-558 topic tracking); cheap to call again. */
  trackTopic?: (topic: string) => void
  /** The task's sink-task-metrics (none: not measured). */
  metrics?: SinkTaskMetrics | undefined
}

/** Counters of one sink task. */
export interface SinkLoopStats {
  read: number
  put: number
  skipped: number
  commits: number
}

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/** Runs a started sink task until the stop; rejects when the task fails. Calls task.stop() at the end. */
export async function runSinkLoop(o: SinkLoopOptions, stats: SinkLoopStats = newSinkStats()): Promise<void> {
  const offsets = new SinkOffsets()
  const pauses = new PauseReasons(o.consumer)
  const seek = (tp: TopicPartition, offset: number) => o.consumer.seek(tp, offset)
  const pendingReports: Promise<void>[] = []
  const originals = new WeakMap<SinkRecord, FetchedRecord>()
  let commitRequested = false
  let timeoutMs = 0
  let batch: SinkRecord[] = []
  let lastCommit = o.clock.now()
  let commitSeqNo = 0
  const m = o.metrics

  const reporter: ErrantRecordReporter = {
    report(record: SinkRecord, error: Error): Promise<void> {
      if (!o.pipeline.errors.toleratesAll) {
        return Promise.reject(new ToleranceExceededError('Tolerance exceeded in error handler', error))
      }
      const original = originals.get(record)
      const ctx: ErrorContext = {
        stage: 'TASK_PUT',
        className: o.task.constructor.name,
        error,
        raw: original ? rawOf(original) : null,
        record,
        attempts: 1,
      }
      const done = o.pipeline.errors.report(ctx)
      pendingReports.push(done.catch(() => {}))
      return done
    },
  }

  const context: SinkTaskContext = {
    configs: () => o.taskConfig,
    offset(requested) {
      for (const off of requested) offsets.requestRewind(off)
    },
    timeout(ms) {
      timeoutMs = ms
    },
    assignment: () => o.consumer.assignment(),
    pause(...partitions) {
      pauses.pauseByTask(partitions)
    },
    resume(...partitions) {
      pauses.resumeByTask(partitions)
    },
    requestCommit() {
      commitRequested = true
    },
    errantRecordReporter: () => (o.hasErrantReporter ? reporter : null),
  }
  o.task.initialize(context)

  const commit = async (partitions?: readonly TopicPartition[]): Promise<void> => {
    lastCommit = o.clock.now()
    commitRequested = false
    const current = offsets.current(partitions)
    if (current.length === 0) return
    const started = o.clock.now()
    const seqNo = ++commitSeqNo
    let toCommit: readonly TopicPartitionOffset[]
    try {
      await Promise.all(pendingReports.splice(0))
      toCommit = await o.task.preCommit(current)
    } catch (error) {
      // Invariant 2: what was not flushed must be read again, so go back to the last committed offsets.
      o.log.error({ err: error }, 'Commit of offsets threw an unexpected exception; rewinding to the last commit')
      offsets.rewindToCommitted(seek, partitions)
      m?.commit(seqNo, o.clock.now() - started, false)
      return
    }
    const changed = offsets.changed(toCommit)
    if (changed.length === 0) {
      // Java counts a commit with nothing new as a completed one.
      m?.commit(seqNo, o.clock.now() - started, true)
      return
    }
    try {
      await o.consumer.commit(changed)
      offsets.committed(changed)
      stats.commits++
      m?.commit(seqNo, o.clock.now() - started, true)
      m?.active(batch.length + offsets.uncommitted())
    } catch (error) {
      m?.commit(seqNo, o.clock.now() - started, false)
      o.log.warn({ err: error }, 'committing sink offsets failed; will retry at the next commit')
    }
  }

  const startConsumer = () => {
    o.consumer.start({
      async onAssigned(partitions) {
        for (const p of partitions) {
          const position = o.consumer.position(p)
          if (position !== undefined) offsets.assigned(p, position)
        }
        await o.task.open(partitions)
        pauses.assigned(partitions)
        m?.partitions(o.consumer.assignment().length)
      },
      async onRevoked(partitions) {
        // Commit what was flushed, then let the task release the partitions, before the member rejoins.
        await commit(partitions)
        await o.task.close(partitions)
        offsets.revoked(partitions)
        pauses.revoked(partitions)
        batch = batch.filter(
          (r) => !partitions.some((p) => p.topic === r.originalTopic && p.partition === r.originalKafkaPartition),
        )
        m?.partitions(o.consumer.assignment().length - partitions.length)
      },
    })
  }

  const deliver = async (): Promise<void> => {
    const started = o.clock.now()
    try {
      await o.task.put(batch)
    } catch (error) {
      if (isRetriable(error)) {
        o.log.warn({ err: error }, `put() threw a retriable error; the batch is given again after ${timeoutMs} ms`)
        pauses.setRedelivery(true)
        return
      }
      throw error
    }
    stats.put += batch.length
    m?.put(batch.length, o.clock.now() - started)
    offsets.afterPut(batch)
    batch = []
    pauses.setRedelivery(false)
  }

  /**
   * Waits out context.timeout() (still running rebalances through poll), then gives the same batch again; false
   * when the stop came first.
   */
  const redeliver = async (): Promise<boolean> => {
    const until = o.clock.now() + timeoutMs
    while (o.clock.now() < until && !o.control.stopping) {
      const unexpected = await o.consumer.poll(o.control.softSignal)
      // Every partition is paused, so nothing should come; if something does, read it again later.
      const first = new Map<string, FetchedRecord>()
      for (const r of unexpected) if (!first.has(key(r))) first.set(key(r), r)
      for (const r of first.values()) o.consumer.seek(r, r.offset)
    }
    if (o.control.stopping) return false
    await deliver()
    return true
  }

  /**
   * Converts and transforms what was fetched into the batch; failures are reported, skipped records counted. A
   * converter waiting for its registry holds the batch here, in order.
   */
  const take = async (fetched: readonly FetchedRecord[]): Promise<void> => {
    stats.read += fetched.length
    m?.read(fetched.length)
    if (o.trackTopic) {
      let last = ''
      for (const r of fetched) {
        if (r.topic !== last) o.trackTopic(r.topic)
        last = r.topic
      }
    }
    const failures: ErrorContext[] = []
    for (const record of fetched) {
      let first = consumedToSink(o.pipeline, record)
      if ('retry' in first) first = await settleOutcome(o.pipeline, first, () => consumedToSink(o.pipeline, record))
      const outcome = first
      if ('ok' in outcome) {
        // Only the errant record reporter needs the raw record; a WeakMap entry per record costs the GC dearly.
        if (o.hasErrantReporter) originals.set(outcome.ok, record)
        batch.push(outcome.ok)
        continue
      }
      if ('failed' in outcome) failures.push(outcome.failed)
      // Skipped and dropped records are done once the records before them are put (Invariant 2).
      offsets.skip(record, record.offset + 1)
    }
    // Reporters log their own failures; a rejection here must not go unhandled before the next commit awaits it.
    for (const f of failures) pendingReports.push(o.pipeline.errors.report(f).catch(() => {}))
    stats.skipped += failures.length
    m?.active(batch.length + offsets.uncommitted())
  }

  try {
    await o.start()
    startConsumer()
    while (!o.control.stopping) {
      pauses.setTargetPaused(o.control.paused)
      if (commitRequested || o.clock.now() - lastCommit >= o.offsetFlushIntervalMs) await commit()
      if (pauses.redelivering) {
        if (!(await redeliver())) break
        offsets.applyRewinds(seek)
        continue
      }
      const fetched = await o.consumer.poll(o.control.softSignal)
      offsets.applyRewinds(seek)
      if (fetched.length === 0) {
        // Java calls put() with an empty batch too, so that tasks can flush on a timer.
        if (!pauses.targetPaused) await deliver()
        continue
      }
      await take(fetched)
      await deliver()
      offsets.applyRewinds(seek)
    }
  } finally {
    // Invariant 4: on a clean stop, commit what was flushed and close the partitions; then stop the task.
    try {
      if (!o.control.hardSignal.aborted) {
        const assigned = o.consumer.assignment()
        await commit()
        // A failing close() is logged: it must not hide why the loop ended.
        await (async () => o.task.close(assigned))().catch((err: unknown) =>
          o.log.error({ err }, 'the task threw from close()'),
        )
      }
    } finally {
      await (async () => o.task.stop())().catch((err: unknown) => o.log.error({ err }, 'the task threw from stop()'))
      await o.consumer.close().catch((err: unknown) => o.log.warn({ err }, 'closing the sink consumer failed'))
    }
  }
}

/** Fresh counters. */
export function newSinkStats(): SinkLoopStats {
  return { read: 0, put: 0, skipped: 0, commits: 0 }
}
