/**
 * Batches bulk actions into `_bulk` requests (Confluent's BulkProcessor): a batch is sent once it holds
 * batch.size actions or bulk.size.bytes, or its first action waited linger.ms; at most max.in.flight.requests are
 * in flight, after which adding waits. A request answered 429 or 5xx, or not answered at all, is sent again after
 * retry.backoff.ms doubling with jitter; of an answered request only the items answered 429 or 5xx are sent again.
 * Items rejected as malformed follow behavior.on.malformed.documents. After max.retries the failure is kept and
 * thrown from the next add() or flush(), which fails the task (or, from a flush, makes the worker read again from
 * the last committed offsets): no action is ever dropped silently.
 */
import { ConnectError, DataError, type ErrantRecordReporter } from 'tsconnect'
import type { SearchSinkSettings } from './config.ts'
import { type BulkAction, bulkLines } from './documents.ts'
import { NoAnswerError, type SearchHttpClient } from './http-client.ts'

const MAX_BACKOFF_MS = 86_400_000
const MALFORMED = new Set([
  'mapper_parsing_exception',
  'illegal_argument_exception',
  'action_request_validation_exception',
  'document_parsing_exception',
])

interface Pending {
  action: BulkAction
  lines: string
}

interface ItemAnswer {
  status?: number
  error?: { type?: string; reason?: string }
}

/** Counts of what the processor did, for logs and tests. */
export interface BulkStats {
  requests: number
  retries: number
  written: number
  malformed: number
}

/** The bulk writer of one task. */
export class BulkProcessor {
  readonly #client: SearchHttpClient
  readonly #settings: SearchSinkSettings
  readonly #reporter: ErrantRecordReporter | null
  readonly #now: () => number
  #pending: Pending[] = []
  #pendingBytes = 0
  #oldestAt = 0
  readonly #inFlight = new Set<Promise<void>>()
  #failure: Error | null = null
  readonly stats: BulkStats = { requests: 0, retries: 0, written: 0, malformed: 0 }

  constructor(
    client: SearchHttpClient,
    settings: SearchSinkSettings,
    reporter: ErrantRecordReporter | null,
    now: () => number,
  ) {
    this.#client = client
    this.#settings = settings
    this.#reporter = reporter
    this.#now = now
  }

  /** Actions buffered or in flight. */
  get buffered(): number {
    return this.#pending.length
  }

  /** Adds an action and sends what is due; throws the failure of an earlier request. */
  async add(action: BulkAction): Promise<void> {
    this.#throwIfFailed()
    if (this.#pending.length === 0) this.#oldestAt = this.#now()
    const lines = bulkLines(action)
    this.#pending.push({ action, lines })
    this.#pendingBytes += Buffer.byteLength(lines)
    await this.sendDue()
    if (this.#pending.length >= this.#settings.maxBuffered) await this.#sendAll()
  }

  /** Sends the batches that are due (full, or lingered long enough). */
  async sendDue(): Promise<void> {
    const s = this.#settings
    while (
      this.#pending.length > 0 &&
      (this.#pending.length >= s.batchSize ||
        (s.bulkSizeBytes > 0 && this.#pendingBytes >= s.bulkSizeBytes) ||
        this.#now() - this.#oldestAt >= s.lingerMs)
    ) {
      await this.#sendBatch()
    }
    this.#throwIfFailed()
  }

  /** Sends everything and waits until every request is done, at most flush.timeout.ms. */
  async flush(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectError('TIMEOUT', `Flush timeout expired with unflushed records: ${this.buffered}`)),
        this.#settings.flushTimeoutMs,
      )
    })
    try {
      await Promise.race([this.#sendAll(), timeout])
    } finally {
      clearTimeout(timer)
    }
    this.#throwIfFailed()
  }

  /** Waits for the requests in flight (at stop); keeps no failure. */
  async close(): Promise<void> {
    this.#pending = []
    await Promise.allSettled([...this.#inFlight])
  }

  async #sendAll(): Promise<void> {
    while (this.#pending.length > 0) await this.#sendBatch()
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
  }

  #throwIfFailed(): void {
    if (this.#failure !== null) throw this.#failure
  }

  /** Takes one batch off the buffer and starts its request, once fewer than max.in.flight are in flight. */
  async #sendBatch(): Promise<void> {
    while (this.#inFlight.size >= this.#settings.maxInFlight) await Promise.race([...this.#inFlight])
    const batch: Pending[] = []
    let bytes = 0
    const limit = this.#settings.bulkSizeBytes
    while (this.#pending.length > 0 && batch.length < this.#settings.batchSize) {
      const next = this.#pending[0] as Pending
      const size = Buffer.byteLength(next.lines)
      if (batch.length > 0 && limit > 0 && bytes + size > limit) break
      batch.push(next)
      bytes += size
      this.#pending.shift()
    }
    this.#pendingBytes -= bytes
    this.#oldestAt = this.#now()
    const request: Promise<void> = this.#write(batch)
      .catch((error: unknown) => {
        this.#failure ??= error instanceof Error ? error : new Error(String(error))
      })
      .finally(() => this.#inFlight.delete(request))
    this.#inFlight.add(request)
  }

  /** One batch, with its retries. */
  async #write(batch: Pending[]): Promise<void> {
    let todo = batch
    for (let attempt = 0; ; attempt++) {
      const retry: Pending[] = []
      let reason = ''
      try {
        this.stats.requests++
        const answer = await this.#client.request(
          'POST',
          '_bulk',
          todo.map((p) => p.lines).join(''),
          'application/x-ndjson',
        )
        if (answer.status === 429 || answer.status >= 500) {
          retry.push(...todo)
          reason = `HTTP ${answer.status}`
        } else if (answer.status >= 300) {
          throw new ConnectError(
            'UNKNOWN',
            `Bulk request failed with HTTP ${answer.status}: ${JSON.stringify(answer.body)}`,
          )
        } else {
          const items = ((answer.body as { items?: Record<string, ItemAnswer>[] } | undefined)?.items ?? []).map(
            (item) => Object.values(item)[0] ?? {},
          )
          for (const [i, p] of todo.entries()) {
            const item = items[i] ?? { status: 500 }
            const status = item.status ?? 500
            if (status < 300 || (status === 404 && p.action.kind === 'delete')) {
              this.stats.written++
            } else if (status === 429 || status >= 500) {
              retry.push(p)
              reason = `item status ${status}`
            } else if (item.error?.type !== undefined && MALFORMED.has(item.error.type)) {
              await this.#malformed(p, item)
            } else if (item.error?.type === 'version_conflict_engine_exception') {
              this.stats.written++
            } else {
              throw new ConnectError(
                'UNKNOWN',
                `Bulk request failed for ${p.action.index}/${p.action.id}: ${JSON.stringify(item.error ?? status)}`,
              )
            }
          }
        }
      } catch (error) {
        if (!(error instanceof NoAnswerError)) throw error
        retry.push(...todo)
        reason = error.message
      }
      if (retry.length === 0) return
      if (attempt >= this.#settings.maxRetries) {
        throw new ConnectError(
          'UNKNOWN',
          `Failed to execute bulk request after ${attempt + 1} attempts (${reason}); ${retry.length} actions not written`,
        )
      }
      this.stats.retries++
      const ceiling = Math.min(MAX_BACKOFF_MS, this.#settings.retryBackoffMs * 2 ** attempt)
      await new Promise((r) => setTimeout(r, ceiling / 2 + Math.random() * (ceiling / 2)))
      todo = retry
    }
  }

  async #malformed(p: Pending, item: ItemAnswer): Promise<void> {
    const where = `${p.action.record.topic}/${p.action.record.kafkaPartition}/${p.action.record.kafkaOffset}`
    const error = new DataError(
      `Encountered a malformed document at ${where}: ${item.error?.type}: ${item.error?.reason}`,
    )
    if (this.#settings.malformed === 'fail') throw error
    this.stats.malformed++
    if (this.#settings.malformed === 'warn')
      console.warn(`${error.message} (behavior.on.malformed.documents=warn: skipped)`)
    if (this.#reporter !== null) await this.#reporter.report(p.action.record, error)
  }
}
