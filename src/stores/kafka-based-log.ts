/**
 * KafkaBasedLog: one topic read from the beginning, forever, without a consumer group.
 *
 * Every record of every partition is handed to `onRecord` in offset order per partition; after start() has read
 * to the end, the log keeps following new records. readToEnd() asks the brokers for the end offsets at that moment
 * and resolves once every partition's position has reached them, so "write, then read to the end" means "my
 * write, and everything before it, has been applied".
 *
 * One loop owns the positions (a single async function started by start() and awaited by stop()); readers and
 * writers only wait on it. Broker trouble never loses a record: a partition whose fetch fails keeps its position
 * and is retried with backoff and fresh metadata, which covers broker restarts and leader moves; an offset that
 * fell out of the log (retention, DeleteRecords) restarts the partition at the log's start, as Java's
 * auto.offset.reset=earliest does.
 */
import { ConnectError, KafkaError } from '../errors.ts'
import { BROKER_ERROR } from '../kafka/broker-errors.ts'
import type { FetchedRecord } from '../kafka/fetch.ts'
import type { RecordToSend, TopicLogTransport } from '../kafka/topic-log.ts'
import { abortedError, abortReason, bounded, type WaitOptions } from '../util/abort.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'

/** A record read from the log. */
export type LogRecord = FetchedRecord

/** Options of a KafkaBasedLog. */
export interface KafkaBasedLogOptions {
  /** Reads and writes the topic. */
  transport: TopicLogTransport
  /** Receives every record, synchronously, in order per partition. A throw is logged and the record skipped. */
  onRecord: (record: LogRecord) => void
  logger?: Logger
  /** How long start() waits for the topic's partitions to show up (default 30 s, as Java). */
  partitionsTimeoutMs?: number
  /** How long a fetch may wait on the broker for new records once caught up (default 500 ms). */
  fetchMaxWaitMs?: number
  /** First and largest backoff after a failed round (default 100 ms and 5 s). */
  retryBackoffMs?: number
  retryBackoffMaxMs?: number
  /** Time for backoffs and the partition wait (default: the system clock). */
  clock?: Clock
}

type State = 'new' | 'running' | 'stopping' | 'stopped'

interface EndWaiter {
  ends: ReadonlyMap<number, bigint>
  resolve: () => void
}

/** One topic, read from the beginning and followed; see the file comment. */
export class KafkaBasedLog {
  readonly #transport: TopicLogTransport
  readonly #onRecord: (record: LogRecord) => void
  readonly #log: Logger
  readonly #partitionsTimeoutMs: number
  readonly #fetchMaxWaitMs: number
  readonly #backoffMin: number
  readonly #backoffMax: number
  readonly #clock: Clock
  readonly #positions = new Map<number, bigint>()
  readonly #highWatermarks = new Map<number, bigint>()
  readonly #waiters = new Set<EndWaiter>()
  readonly #stopping = new AbortController()
  #state: State = 'new'
  #loop: Promise<void> | undefined

  constructor(opts: KafkaBasedLogOptions) {
    this.#transport = opts.transport
    this.#onRecord = opts.onRecord
    this.#log = (opts.logger ?? componentLogger('stores.log')).child({ topic: opts.transport.topic })
    this.#partitionsTimeoutMs = opts.partitionsTimeoutMs ?? 30_000
    this.#fetchMaxWaitMs = opts.fetchMaxWaitMs ?? 500
    this.#backoffMin = opts.retryBackoffMs ?? 100
    this.#backoffMax = opts.retryBackoffMaxMs ?? 5_000
    this.#clock = opts.clock ?? systemClock
  }

  /** The topic. */
  get topic(): string {
    return this.#transport.topic
  }

  /** The number of partitions read (known once start() resolved). */
  get partitionCount(): number {
    return this.#positions.size
  }

  /** The next offset to read of each partition. */
  positions(): ReadonlyMap<number, bigint> {
    return new Map(this.#positions)
  }

  /**
   * Finds the partitions, starts the read loop at the beginning of each, and resolves once everything that was
   * in the topic at the time has been handed to onRecord.
   */
  async start(opts: WaitOptions = {}): Promise<void> {
    if (this.#state !== 'new') throw new Error(`the log of ${this.topic} was started already`)
    this.#state = 'running'
    const signal = this.#signal(opts.signal)
    const partitions = await this.#findPartitions(signal)
    const starts = await this.#retrying('finding where the partitions start', () =>
      this.#transport.startOffsets(partitions),
    )(signal)
    for (const partition of partitions) this.#positions.set(partition, starts.get(partition) ?? 0n)
    this.#loop = this.#run()
    await this.readToEnd(opts)
    this.#log.info({ partitions: partitions.length }, 'read the log to its end')
  }

  /**
   * Resolves once every record that is in the topic now has been handed to onRecord. Rejects with a TimeoutError
   * after `timeoutMs`, or an ABORTED ConnectError when `signal` aborts or the log stops.
   */
  readToEnd(opts: WaitOptions = {}): Promise<void> {
    if (this.#state !== 'running') {
      return Promise.reject(new ConnectError('ABORTED', `the log of ${this.topic} is not running`))
    }
    const done = new AbortController()
    const signal = this.#signal(opts.signal, done.signal)
    const work = this.#readToEnd(signal)
    return bounded(work, `reading ${this.topic} to its end`, opts).finally(() =>
      done.abort(abortReason('the read to the end is over')),
    )
  }

  /** Appends one record; resolves when it is acknowledged (not yet read back: use readToEnd for that). */
  send(key: Buffer | string | null, value: Buffer | null): Promise<void> {
    return this.sendAll([{ key: typeof key === 'string' ? Buffer.from(key, 'utf8') : key, value }])
  }

  /** Appends records in order; resolves when all are acknowledged. */
  sendAll(records: readonly RecordToSend[]): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      return Promise.reject(new ConnectError('ABORTED', `the log of ${this.topic} is stopped`))
    }
    return this.#transport.send(records)
  }

  /** Stops the loop (within one fetch wait), fails pending reads to the end, and closes the transport. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return
    this.#state = 'stopping'
    this.#stopping.abort(abortReason(`the log of ${this.topic} is stopping`))
    await this.#loop
    await this.#transport.close()
    this.#state = 'stopped'
  }

  /** A backoff that ends early, with an ABORTED error, when `signal` aborts. */
  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.#clock.sleep(ms, signal)
    } catch (error) {
      if (signal.aborted) throw abortedError(`waiting to retry on ${this.topic}`, signal)
      throw error
    }
  }

  #signal(...signals: (AbortSignal | undefined)[]): AbortSignal {
    return AbortSignal.any([this.#stopping.signal, ...signals.filter((s): s is AbortSignal => s !== undefined)])
  }

  async #findPartitions(signal: AbortSignal): Promise<number[]> {
    // The topic was just created or is still being created by another worker: wait for its metadata.
    const deadline = this.#clock.now() + this.#partitionsTimeoutMs
    for (let tries = 1; ; tries++) {
      const count = await this.#retrying('looking up partitions', () => this.#transport.partitionCount())(signal)
      if (count > 0) return Array.from({ length: count }, (_, i) => i)
      if (this.#clock.now() >= deadline) {
        throw new ConnectError(
          'KAFKA_RETRIABLE',
          `Could not look up partition metadata for topic '${this.topic}' in the allotted period. This could ` +
            'indicate a connectivity issue, unavailable topic partitions, or if this is your first use of the ' +
            'topic it may have taken too long to create.',
        )
      }
      await this.#sleep(exponentialBackoff(tries, this.#backoffMin, 1_000), signal)
    }
  }

  /** Wraps a round trip so that retriable failures are retried with backoff until `signal` aborts. */
  #retrying<T>(what: string, call: () => Promise<T>): (signal: AbortSignal) => Promise<T> {
    return async (signal) => {
      for (let failures = 1; ; failures++) {
        if (signal.aborted) throw abortedError(what, signal)
        try {
          return await call()
        } catch (error) {
          if (error instanceof KafkaError && !error.retriable) throw error
          const wait = exponentialBackoff(failures, this.#backoffMin, this.#backoffMax)
          this.#log.warn({ err: error, retryInMs: wait }, `${what} failed; retrying`)
          await this.#sleep(wait, signal)
        }
      }
    }
  }

  async #readToEnd(signal: AbortSignal): Promise<void> {
    const partitions = [...this.#positions.keys()]
    const ends = await this.#retrying('reading end offsets', () => this.#transport.endOffsets(partitions))(signal)
    if (this.#reached(ends)) return
    if (signal.aborted) throw abortedError(`reading ${this.topic} to its end`, signal)
    await new Promise<void>((resolve, reject) => {
      const waiter: EndWaiter = {
        ends,
        resolve: () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = () => {
        this.#waiters.delete(waiter)
        reject(abortedError(`reading ${this.topic} to its end`, signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#waiters.add(waiter)
    })
  }

  #reached(ends: ReadonlyMap<number, bigint>): boolean {
    for (const [partition, end] of ends) {
      if ((this.#positions.get(partition) ?? 0n) < end) return false
    }
    return true
  }

  #wakeWaiters(): void {
    for (const waiter of this.#waiters) {
      if (this.#reached(waiter.ends)) {
        this.#waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }

  #caughtUp(): boolean {
    for (const [partition, position] of this.#positions) {
      const hw = this.#highWatermarks.get(partition)
      if (hw === undefined || position < hw) return false
    }
    return true
  }

  /** The read loop: the only code that moves positions. Never throws; ends when the log stops. */
  async #run(): Promise<void> {
    const signal = this.#stopping.signal
    let failures = 0
    let refreshMetadata = false
    while (!signal.aborted) {
      let failed: KafkaError | undefined
      try {
        const fetching = this.#transport.fetch(this.#positions, {
          maxWaitMs: this.#caughtUp() ? this.#fetchMaxWaitMs : 0,
          refreshMetadata,
        })
        // stop() need not wait for a long poll: its answer is not needed any more.
        const results = await bounded(fetching, 'fetching', { signal }).catch((error: unknown) => {
          if (signal.aborted) return undefined
          throw error
        })
        if (!results || signal.aborted) break
        for (const [partition, result] of [...results].sort(([a], [b]) => a - b)) {
          if (result instanceof KafkaError) {
            if (result.kafkaCode === BROKER_ERROR.OFFSET_OUT_OF_RANGE) await this.#restartAtLogStart(partition)
            else failed ??= result
            continue
          }
          this.#deliver(result.records)
          this.#positions.set(partition, result.nextOffset)
          if (result.highWatermark >= 0n) this.#highWatermarks.set(partition, result.highWatermark)
        }
        this.#wakeWaiters()
      } catch (error) {
        failed = error instanceof KafkaError ? error : new KafkaError(true, String(error), undefined, { cause: error })
      }
      if (!failed) {
        failures = 0
        refreshMetadata = false
        continue
      }
      const wait = exponentialBackoff(++failures, this.#backoffMin, this.#backoffMax)
      this.#log.warn({ err: failed, retryInMs: wait }, 'reading the log failed; retrying from the same positions')
      refreshMetadata = true
      try {
        await this.#sleep(wait, signal)
      } catch {
        break
      }
    }
  }

  #deliver(records: readonly LogRecord[]): void {
    for (const record of records) {
      try {
        this.#onRecord(record)
      } catch (error) {
        this.#log.error(
          { err: error, partition: record.partition, offset: record.offset.toString() },
          'a record could not be applied; skipped',
        )
      }
    }
  }

  async #restartAtLogStart(partition: number): Promise<void> {
    const start = (await this.#transport.startOffsets([partition])).get(partition) ?? 0n
    this.#log.warn(
      { partition, from: this.#positions.get(partition)?.toString(), to: start.toString() },
      'position is out of the log; reading the partition again from its start',
    )
    this.#positions.set(partition, start)
  }
}
