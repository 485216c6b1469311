/**
 * Retry and tolerance of failures in a task's record pipeline (Java's RetryWithToleranceOperator), with the
 * connector's errors.* keys (KIP-298).
 *
 * Each operation runs in a stage. Retriable failures (RetriableError, retriable Kafka errors) are retried until
 * errors.retry.timeout has passed, with a backoff that starts at 300 ms, doubles, and is capped by
 * errors.retry.delay.max.ms. What is left then is tolerated or not:
 * - converter and transformation stages tolerate any error, the other stages only retriable ones;
 * - errors.tolerance=none tolerates nothing: the first failure fails the task ("Tolerance exceeded in error
 *   handler"); with `all` the record is reported (log, dead letter queue) and skipped.
 */
import { ConversionPendingError } from '../api/converter.ts'
import { AbstractConfig } from '../config/abstract-config.ts'
import type { RawConfig } from '../config/config-def.ts'
import { errorHandlingConfigDef } from '../config/connect/connector-config.ts'
import { ConnectError, toError } from '../errors.ts'
import { abortable, signalError } from '../util/abort.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { type Clock, systemClock } from '../util/clock.ts'

/** Where in the pipeline an operation runs; the names are Java's (the DLQ `stage` header). */
export type ErrorStage =
  | 'TASK_POLL'
  | 'TASK_PUT'
  | 'TRANSFORMATION'
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'KAFKA_PRODUCE'
  | 'KAFKA_CONSUME'

const TOLERATES_ANY: ReadonlySet<ErrorStage> = new Set([
  'TRANSFORMATION',
  'KEY_CONVERTER',
  'VALUE_CONVERTER',
  'HEADER_CONVERTER',
])

/** The connector's errors.* settings, parsed. */
export interface ErrorHandlingConfig {
  retryTimeoutMs: number
  retryDelayMaxMs: number
  tolerance: 'none' | 'all'
  logEnable: boolean
  logIncludeMessages: boolean
  dlqTopic: string
  dlqReplicationFactor: number
  dlqContextHeaders: boolean
}

/**
 * The errors.* settings of a connector config: from the config a task start parsed, or parsed from raw properties
 * with the connector ConfigDef's errors.* keys (errorHandlingConfigDef), so that defaults and messages are its own.
 */
export function errorHandlingConfig(config: AbstractConfig | RawConfig): ErrorHandlingConfig {
  const c = config instanceof AbstractConfig ? config : new AbstractConfig(errorHandlingConfigDef(), config)
  const declares = (key: string) => c.definition.configKeys.has(key)
  return {
    retryTimeoutMs: c.getLong('errors.retry.timeout') ?? 0,
    retryDelayMaxMs: c.getLong('errors.retry.delay.max.ms') ?? 0,
    tolerance: c.getString('errors.tolerance') === 'all' ? 'all' : 'none',
    logEnable: c.getBoolean('errors.log.enable') ?? false,
    logIncludeMessages: c.getBoolean('errors.log.include.messages') ?? false,
    dlqTopic: declares('errors.deadletterqueue.topic.name')
      ? (c.getString('errors.deadletterqueue.topic.name') ?? '')
      : '',
    dlqReplicationFactor: declares('errors.deadletterqueue.topic.replication.factor')
      ? (c.getShort('errors.deadletterqueue.topic.replication.factor') ?? 0)
      : 0,
    dlqContextHeaders: declares('errors.deadletterqueue.context.headers.enable')
      ? (c.getBoolean('errors.deadletterqueue.context.headers.enable') ?? false)
      : false,
  }
}

/** The bytes of a record as read from Kafka (sinks) or as far as they were converted (sources). */
export interface RawRecord {
  topic: string
  partition: number | null
  offset: number | null
  timestamp: bigint | null
  key: Buffer | null
  value: Buffer | null
  headers: [Buffer, Buffer | null][]
}

/** What a reporter gets about a failure it must record. */
export interface ErrorContext {
  stage: ErrorStage
  /** The class that failed: the converter's, the transform's or the task's. */
  className: string
  error: Error
  /** The record's bytes, when there are any (a sink's consumed record; a source record after conversion). */
  raw: RawRecord | null
  /** The record in Connect form, for logs. */
  record: unknown
  attempts: number
}

/** Somewhere failures are recorded: the log, a dead letter queue. */
export interface ErrorReporter {
  report(context: ErrorContext): Promise<void>
  close?(): Promise<void>
}

/** The task fails: a failure was not tolerated. The cause is the operation's error. */
export class ToleranceExceededError extends ConnectError {
  override name = 'ToleranceExceededError'
  constructor(message: string, cause: unknown) {
    super('UNKNOWN', message, { cause })
  }
}

/** Whether an error may pass when tried again (Java's RetriableException and retriable Kafka errors). */
export function isRetriable(error: unknown): boolean {
  return error instanceof ConnectError && error.retriable && error.code !== 'TIMEOUT'
}

/**
 * A converter failure that the synchronous path hands back to its async caller instead of deciding on it: the
 * converter is waiting for I/O (ConversionPendingError), or its error is retriable and errors.retry.timeout allows
 * retries. `giveUp` applies the tolerance once retrying is over: it answers the failure to report, or throws.
 */
export interface DeferredRetry {
  error: Error
  giveUp(attempts: number): { failed: ErrorContext }
}

/** Consecutive ConversionPendingErrors without a real failure after which the waits back off like retries. */
const PENDING_WITHOUT_BACKOFF = 8

/** What `execute` answers for a record it skipped (a tolerated failure). */
export const SKIPPED: unique symbol = Symbol('skipped')

/** Options of a RetryWithTolerance. */
export interface RetryWithToleranceOptions {
  config: ErrorHandlingConfig
  reporters?: readonly ErrorReporter[]
  clock?: Clock
  /** Aborts retries (the task is stopping). */
  signal?: AbortSignal
  /** For tests: a source of randomness in [0, 1). */
  random?: () => number
}

/** The retry-and-tolerance operator of one task; see the file comment. */
export class RetryWithTolerance {
  readonly #config: ErrorHandlingConfig
  readonly #reporters: readonly ErrorReporter[]
  readonly #clock: Clock
  readonly #signal: AbortSignal | undefined
  readonly #random: () => number
  /** Failures seen, tolerated or not (task-error-metrics total-record-failures). */
  failures = 0
  /** Records skipped because of a tolerated failure. */
  skipped = 0
  /** Retries made. */
  retries = 0
  /** Failures that were not tolerated (task-error-metrics total-record-errors). */
  errors = 0
  /** When the last failure happened (epoch ms; 0 before any; task-error-metrics last-error-timestamp). */
  lastFailureTime = 0

  constructor(opts: RetryWithToleranceOptions) {
    this.#config = opts.config
    this.#reporters = opts.reporters ?? []
    this.#clock = opts.clock ?? systemClock
    this.#signal = opts.signal
    this.#random = opts.random ?? Math.random
  }

  /** Whether failures are tolerated at all (errors.tolerance=all). */
  get toleratesAll(): boolean {
    return this.#config.tolerance === 'all'
  }

  /** The backoff before retry number `attempt` (1-based), as Java computes it. */
  backoffMs(attempt: number): number {
    const delay = exponentialBackoff(attempt, 300, Number.POSITIVE_INFINITY)
    if (delay <= this.#config.retryDelayMaxMs) return delay
    return Math.floor(this.#random() * this.#config.retryDelayMaxMs)
  }

  /**
   * Runs `op` in `stage`, retrying and tolerating as configured. Answers its result, or SKIPPED when a failure was
   * tolerated (and reported). Throws ToleranceExceededError when it was not.
   */
  async execute<T>(
    stage: ErrorStage,
    className: string,
    op: () => T | Promise<T>,
    describe: () => { raw: RawRecord | null; record: unknown } = () => ({ raw: null, record: null }),
  ): Promise<T | typeof SKIPPED> {
    const started = this.#clock.now()
    let attempts = 0
    for (;;) {
      attempts++
      try {
        return await op()
      } catch (error) {
        const err = toError(error)
        if (isRetriable(err) && (await this.#waitToRetry(started, attempts))) continue
        return this.#handle(stage, className, err, attempts, describe)
      }
    }
  }

  /** The synchronous form for converters and transforms (no retry waits): the hot path stays free of awaits. */
  executeSync<T>(
    stage: ErrorStage,
    className: string,
    op: () => T,
    describe: () => { raw: RawRecord | null; record: unknown },
  ): T | { failed: ErrorContext }
  /**
   * With `defer`, a converter that waits for I/O or fails retriably (and errors.retry.timeout allows retries) is
   * answered as `{ retry }`, for the caller to settle with `settle` off the hot path.
   */
  executeSync<T>(
    stage: ErrorStage,
    className: string,
    op: () => T,
    describe: () => { raw: RawRecord | null; record: unknown },
    defer: true,
  ): T | { failed: ErrorContext } | { retry: DeferredRetry }
  executeSync<T>(
    stage: ErrorStage,
    className: string,
    op: () => T,
    describe: () => { raw: RawRecord | null; record: unknown },
    defer = false,
  ): T | { failed: ErrorContext } | { retry: DeferredRetry } {
    try {
      return op()
    } catch (error) {
      const err = toError(error)
      const giveUp = (attempts = 1) => this.#giveUpSync(stage, className, err, attempts, describe)
      if (defer && (err instanceof ConversionPendingError || (isRetriable(err) && this.#config.retryTimeoutMs !== 0)))
        return { retry: { error: err, giveUp } }
      return giveUp()
    }
  }

  #giveUpSync(
    stage: ErrorStage,
    className: string,
    err: Error,
    attempts: number,
    describe: () => { raw: RawRecord | null; record: unknown },
  ): { failed: ErrorContext } {
    this.#failed()
    if (!this.#tolerated(stage, err)) throw this.#unhandled(err)
    if (this.#config.tolerance !== 'all') throw this.#exceeded(err)
    this.skipped++
    return { failed: { stage, className, error: err, attempts, ...describe() } }
  }

  /**
   * Settles a deferred converter failure (Java's retry of a converter stage): waits for a pending converter's I/O,
   * or backs off as errors.retry.* says, then runs `again` (the record's whole conversion) until it answers
   * something other than a retry. When the retry timeout runs out, the last failure goes through the tolerance
   * (`giveUp`). A stop of the task aborts the wait with ConnectError('ABORTED').
   */
  async settle<T>(
    first: DeferredRetry,
    again: () => T | { retry: DeferredRetry },
  ): Promise<T | { failed: ErrorContext }> {
    const started = this.#clock.now()
    let attempts = 1
    let pendingInARow = 0
    let deferred = first
    for (;;) {
      const err = deferred.error
      if (err instanceof ConversionPendingError && pendingInARow < PENDING_WITHOUT_BACKOFF) {
        pendingInARow++
        await (this.#signal ? abortable(err.ready, this.#signal) : err.ready)
      } else {
        pendingInARow = 0
        if (!(await this.#waitToRetry(started, attempts))) {
          if (this.#signal?.aborted) throw signalError(this.#signal)
          return deferred.giveUp(attempts)
        }
        attempts++
      }
      const next = again()
      if (typeof next !== 'object' || next === null || !('retry' in next)) return next
      deferred = next.retry
    }
  }

  /** Sends a tolerated failure to every reporter (log, DLQ); the record's offset may be committed once it resolves. */
  async report(context: ErrorContext): Promise<void> {
    await Promise.all(this.#reporters.map((r) => r.report(context)))
  }

  async #handle(
    stage: ErrorStage,
    className: string,
    err: Error,
    attempts: number,
    describe: () => { raw: RawRecord | null; record: unknown },
  ): Promise<typeof SKIPPED> {
    this.#failed()
    if (!this.#tolerated(stage, err)) throw this.#unhandled(err)
    if (this.#config.tolerance !== 'all') throw this.#exceeded(err)
    this.skipped++
    await this.report({ stage, className, error: err, attempts, ...describe() })
    return SKIPPED
  }

  /** Java's recordFailure and recordErrorTimestamp. */
  #failed(): void {
    this.failures++
    this.lastFailureTime = this.#clock.now()
  }

  /** Java's recordError: a failure beyond the tolerance. */
  #exceeded(err: Error): ToleranceExceededError {
    this.errors++
    return new ToleranceExceededError('Tolerance exceeded in error handler', err)
  }

  #tolerated(stage: ErrorStage, err: Error): boolean {
    return TOLERATES_ANY.has(stage) || isRetriable(err)
  }

  #unhandled(err: Error): Error {
    this.errors++
    // Failures outside the tolerable stages keep their own error, so the task's trace names the real cause.
    return err
  }

  async #waitToRetry(started: number, attempts: number): Promise<boolean> {
    const timeout = this.#config.retryTimeoutMs
    if (timeout === 0) return false
    const elapsed = this.#clock.now() - started
    if (timeout > 0 && elapsed >= timeout) return false
    let delay = this.backoffMs(attempts)
    if (timeout > 0) delay = Math.min(delay, timeout - elapsed)
    this.retries++
    try {
      await this.#clock.sleep(delay, this.#signal)
    } catch {
      return false
    }
    return true
  }
}
