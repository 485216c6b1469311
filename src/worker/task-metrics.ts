/**
 * The metric groups of one task, measured where Java measures them: connector-task-metrics (WorkerTask's
 * TaskMetricsGroup: status, running and pause ratios, commit times, batch sizes), source-task-metrics
 * (AbstractWorkerSourceTask's SourceTaskMetricsGroup) or sink-task-metrics (WorkerSinkTask's SinkTaskMetricsGroup),
 * and task-error-metrics (ErrorHandlingMetrics, read from the task's RetryWithTolerance and reporters).
 *
 * The loops call these once per batch (a poll, a put, an acknowledgement, a commit), never per record; nothing
 * here allocates on those calls.
 */
import type { MetricGroup, MetricsRegistry, Sensor, Tags } from '../metrics/registry.ts'
import { Avg, BooleanFrequencies, CumulativeSum, LastValue, Max, Min, Rate } from '../metrics/stats.ts'
import type { ConnectState } from '../stores/status-store.ts'
import type { TaskId } from './worker-api.ts'

/** The domain of every Connect group. */
export const CONNECT_DOMAIN = 'kafka.connect'

/** Tags of a task's groups, in Java's order. */
export const taskTags = (id: TaskId): Tags => [
  ['connector', id.connector],
  ['task', String(id.task)],
]

/** Java's StateTracker: the current state and the time spent in each since the task started. */
class StateTracker {
  #state: ConnectState
  #since: number
  readonly #started: number
  readonly #spent = new Map<ConnectState, number>()

  constructor(state: ConnectState, now: number) {
    this.#state = state
    this.#since = now
    this.#started = now
  }

  get state(): ConnectState {
    return this.#state
  }

  change(state: ConnectState, now: number): void {
    this.#spent.set(this.#state, (this.#spent.get(this.#state) ?? 0) + (now - this.#since))
    this.#state = state
    this.#since = now
  }

  /** The share of the time since the start spent in `state` (Java's durationRatio). */
  ratio(state: ConnectState, now: number): number {
    const total = now - this.#started
    if (total <= 0) return state === this.#state ? 1 : 0
    const spent = (this.#spent.get(state) ?? 0) + (state === this.#state ? now - this.#since : 0)
    return spent / total
  }
}

/** What the error group reads (RetryWithTolerance and the reporters own these counters). */
export interface ErrorCounters {
  readonly failures: number
  readonly errors: number
  readonly skipped: number
  readonly retries: number
  /** Epoch ms of the last failure, 0 before any. */
  readonly lastFailureTime: number
  readonly logged: () => number
  readonly dlqRequests: () => number
  readonly dlqFailures: () => number
}

/** connector-task-metrics, and the task's error group; see the file comment. */
export class TaskMetrics {
  readonly #groups: MetricGroup[] = []
  readonly #tracker: StateTracker
  readonly #commitTime: Sensor
  readonly #commitAttempts: Sensor
  readonly #batchSize: Sensor
  readonly #registry: MetricsRegistry

  constructor(registry: MetricsRegistry, id: TaskId, initial: ConnectState) {
    this.#registry = registry
    const g = this.group('connector-task-metrics', id)
    this.#tracker = new StateTracker(initial, registry.clock.now())
    g.info('status', () => this.#tracker.state.toLowerCase())
    g.gauge('running-ratio', (now) => this.#tracker.ratio('RUNNING', now))
    g.gauge('pause-ratio', (now) => this.#tracker.ratio('PAUSED', now))
    const c = g.sampleConfig
    this.#commitTime = g
      .sensor()
      .add('offset-commit-max-time-ms', new Max(c))
      .add('offset-commit-avg-time-ms', new Avg(c))
    const commits = new BooleanFrequencies(c)
    this.#commitAttempts = g.sensor().feed(commits)
    g.add('offset-commit-success-percentage', commits.trueRatio)
    g.add('offset-commit-failure-percentage', commits.falseRatio)
    this.#batchSize = g.sensor().add('batch-size-max', new Max(c)).add('batch-size-avg', new Avg(c))
  }

  /** A group of this task, closed with it. */
  group(type: string, id: TaskId): MetricGroup {
    const g = this.#registry.group(CONNECT_DOMAIN, type, taskTags(id))
    this.#groups.push(g)
    return g
  }

  /** The task's status changed (Java's TaskMetricsGroup listener). */
  state(state: ConnectState): void {
    this.#tracker.change(state, this.#registry.clock.now())
  }

  /** An offset commit finished (Java's recordCommitSuccess / recordCommitFailure). */
  commit(durationMs: number, success: boolean): void {
    if (success) this.#commitTime.record(durationMs)
    this.#commitAttempts.record(success ? 1 : 0)
  }

  /** A batch went to the task or came from it (Java's recordBatch). */
  batch(size: number): void {
    this.#batchSize.record(size)
  }

  /** task-error-metrics over the task's counters (Java's ErrorHandlingMetrics). */
  errors(id: TaskId, c: ErrorCounters): void {
    this.group('task-error-metrics', id)
      .gauge('total-record-failures', () => c.failures)
      .gauge('total-record-errors', () => c.errors)
      .gauge('total-records-skipped', () => c.skipped)
      .gauge('total-retries', () => c.retries)
      .gauge('total-errors-logged', () => c.logged())
      .gauge('deadletterqueue-produce-requests', () => c.dlqRequests())
      .gauge('deadletterqueue-produce-failures', () => c.dlqFailures())
      .gauge('last-error-timestamp', () => c.lastFailureTime)
  }

  /** Removes every group of the task (it stopped). */
  close(): void {
    for (const g of this.#groups) g.close()
  }
}

/** source-task-metrics (Java's SourceTaskMetricsGroup). */
export class SourceTaskMetrics {
  readonly task: TaskMetrics
  readonly #poll: Sensor
  readonly #write: Sensor
  readonly #pollTime: Sensor
  readonly #active: Sensor
  readonly #transactionSize: Sensor
  #activeCount = 0

  constructor(task: TaskMetrics, id: TaskId) {
    this.task = task
    const g = task.group('source-task-metrics', id)
    const c = g.sampleConfig
    this.#poll = g
      .sensor()
      .add('source-record-poll-rate', new Rate(c))
      .add('source-record-poll-total', new CumulativeSum())
    this.#write = g
      .sensor()
      .add('source-record-write-rate', new Rate(c))
      .add('source-record-write-total', new CumulativeSum())
    this.#pollTime = g.sensor().add('poll-batch-max-time-ms', new Max(c)).add('poll-batch-avg-time-ms', new Avg(c))
    this.#active = g
      .sensor()
      .add('source-record-active-count', new LastValue())
      .add('source-record-active-count-max', new Max(c))
      .add('source-record-active-count-avg', new Avg(c))
    this.#transactionSize = g
      .sensor()
      .add('transaction-size-min', new Min(c))
      .add('transaction-size-max', new Max(c))
      .add('transaction-size-avg', new Avg(c))
  }

  /** poll() answered `size` records after `durationMs` (Java's recordPoll; the batch too, as recordBatch). */
  poll(size: number, durationMs: number): void {
    this.#poll.record(size)
    this.#pollTime.record(durationMs)
    this.task.batch(size)
    this.#activeCount += size
    this.#active.record(this.#activeCount)
  }

  /**
   * `count` records of a batch are done: `skipped` of them were dropped or tolerated, the rest written (Java's
   * recordWrite, once per batch when every record is acknowledged).
   */
  write(count: number, skipped: number): void {
    this.#write.record(count - skipped)
    this.#activeCount = Math.max(0, this.#activeCount - count)
    this.#active.record(this.#activeCount)
  }

  /** A transaction committed `size` records (exactly-once source tasks). */
  transaction(size: number): void {
    this.#transactionSize.record(size)
  }
}

/** sink-task-metrics (Java's SinkTaskMetricsGroup). */
export class SinkTaskMetrics {
  readonly task: TaskMetrics
  readonly #read: Sensor
  readonly #send: Sensor
  readonly #putTime: Sensor
  readonly #partitions: Sensor
  readonly #seqNo: Sensor
  readonly #completion: Sensor
  readonly #skip: Sensor
  readonly #active: Sensor

  constructor(task: TaskMetrics, id: TaskId) {
    this.task = task
    const g = task.group('sink-task-metrics', id)
    const c = g.sampleConfig
    this.#read = g.sensor().add('sink-record-read-rate', new Rate(c)).add('sink-record-read-total', new CumulativeSum())
    this.#send = g.sensor().add('sink-record-send-rate', new Rate(c)).add('sink-record-send-total', new CumulativeSum())
    this.#active = g
      .sensor()
      .add('sink-record-active-count', new LastValue())
      .add('sink-record-active-count-max', new Max(c))
      .add('sink-record-active-count-avg', new Avg(c))
    this.#partitions = g.sensor().add('partition-count', new LastValue())
    this.#seqNo = g.sensor().add('offset-commit-seq-no', new LastValue())
    this.#completion = g
      .sensor()
      .add('offset-commit-completion-rate', new Rate(c))
      .add('offset-commit-completion-total', new CumulativeSum())
    this.#skip = g
      .sensor()
      .add('offset-commit-skip-rate', new Rate(c))
      .add('offset-commit-skip-total', new CumulativeSum())
    this.#putTime = g.sensor().add('put-batch-max-time-ms', new Max(c)).add('put-batch-avg-time-ms', new Avg(c))
  }

  /** The consumer answered `size` records (Java's recordRead). */
  read(size: number): void {
    this.#read.record(size)
  }

  /** put() took a batch of `size` in `durationMs` (Java's recordBatch, recordSend and recordPut). */
  put(size: number, durationMs: number): void {
    this.task.batch(size)
    this.#send.record(size)
    this.#putTime.record(durationMs)
  }

  /** The number of assigned partitions changed. */
  partitions(count: number): void {
    this.#partitions.record(count)
  }

  /** A commit with sequence number `seqNo` finished (Java records completion only for successes). */
  commit(seqNo: number, durationMs: number, success: boolean): void {
    this.#seqNo.record(seqNo)
    this.task.commit(durationMs, success)
    if (success) this.#completion.record(1)
  }

  /** A commit's answer came for an older sequence number (never here: commits are awaited in order). */
  commitSkipped(): void {
    this.#skip.record(1)
  }

  /** Records read but not yet committed (Java's computeSinkRecordLag: consumed minus committed offsets). */
  active(count: number): void {
    this.#active.record(count)
  }
}
