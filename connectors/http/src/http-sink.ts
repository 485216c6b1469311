/**
 * HttpSinkConnector: sends records to an HTTP endpoint, under Aiven's class name
 * (`io.aiven.kafka.connect.http.HttpSinkConnector`, whose keys it takes) and Confluent's
 * (`io.confluent.connect.http.HttpSinkConnector`, whose request, null-value, error and retry keys it takes too).
 *
 * Delivery is at-least-once: put() returns only when every request of its batch was answered 2xx (or its records
 * went through the error policy), so the worker commits offsets only for records the endpoint accepted
 * (Invariant 2). A record sent again after a crash is a second request; with `http.idempotency.header` each request
 * carries `<topic>-<partition>-<first offset>-<last offset>`. Without batching that names one record, the same on
 * every redelivery, so an endpoint that honours the header keeps each record once. With batching a redelivered
 * batch has the same key only when it is cut at the same offsets, which a restart does not promise.
 */
import {
  AbstractConfig,
  ConfigDef,
  ConfigError,
  type ConfigKeyOptions,
  ConnectError,
  DataError,
  RetriableError,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  Validators,
} from 'tsconnect'
import { type BatchFormat, batchBody, bodyOf, runs } from './bodies.ts'
import { OAuth2Token } from './oauth2.ts'
import { parseStatusCodes, type StatusMatcher } from './status-codes.ts'
import { expand } from './templates.ts'

const VERSION = '1.0.0'

/** Defines `list` in `def` under `group`, numbered in order. */
function keys(def: ConfigDef, group: string, list: readonly Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[]) {
  for (const [i, k] of list.entries()) def.define({ ...k, group, orderInGroup: i + 1 })
  return def
}

/** The sink's keys. */
export function httpSinkConfigDef(): ConfigDef {
  const def = new ConfigDef()
  keys(def, 'Connection', [
    {
      name: 'http.url',
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      documentation:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the URL placeholders, written as users write them
        'The endpoint (Aiven). May hold `${topic}`, `${partition}`, `${offset}` and `${key}` (percent-encoded); batches are cut where the URL changes.',
    },
    {
      name: 'http.api.url',
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      documentation: "Confluent's name of `http.url`; one of the two is required.",
    },
    {
      name: 'request.method',
      type: 'STRING',
      defaultValue: 'POST',
      validator: Validators.inIgnoringCase('POST', 'PUT', 'PATCH'),
      importance: 'HIGH',
      documentation: 'The method of each request (Confluent).',
    },
    {
      name: 'http.timeout',
      type: 'INT',
      defaultValue: 30,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      documentation: 'Seconds a request may take; a timeout is retried like a retriable status.',
    },
    {
      name: 'http.headers.content.type',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        'The Content-Type header; by default `application/json` for JSON bodies and `text/plain` for strings.',
    },
    {
      name: 'http.headers.additional',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'More headers, `Name:value` separated by commas (Aiven).',
    },
    {
      name: 'headers',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'More headers, `Name:value` separated by `header.separator` (Confluent).',
    },
    {
      name: 'header.separator',
      type: 'STRING',
      defaultValue: '|',
      importance: 'LOW',
      documentation: 'Between the headers of `headers`.',
    },
    {
      name: 'http.idempotency.header',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation:
        'Beyond Aiven and Confluent: a header (e.g. `Idempotency-Key`) carrying `<topic>-<partition>-<first offset>-<last offset>` of the request, equal on redelivery.',
    },
  ])
  keys(def, 'Authorization', [
    {
      name: 'http.authorization.type',
      type: 'STRING',
      defaultValue: 'none',
      validator: Validators.inIgnoringCase('none', 'static', 'basic', 'oauth2'),
      importance: 'HIGH',
      documentation:
        "`none`; `static` (the `http.headers.authorization` value as the Authorization header, e.g. `Bearer <token>`); `basic` (`connection.user`, `connection.password`); `oauth2` (client credentials). Confluent's `auth.type` is read when this is left at none.",
    },
    {
      name: 'auth.type',
      type: 'STRING',
      defaultValue: 'none',
      validator: Validators.inIgnoringCase('none', 'basic', 'oauth2'),
      importance: 'LOW',
      documentation: "Confluent's authorization key: none, basic or oauth2.",
    },
    {
      name: 'http.headers.authorization',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The Authorization header of `static` (e.g. `Bearer abc`).',
    },
    {
      name: 'connection.user',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The user of `basic`.',
    },
    {
      name: 'connection.password',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The password of `basic`.',
    },
    {
      name: 'oauth2.access.token.url',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: "The token endpoint of `oauth2` (Confluent's `oauth2.token.url` is read too).",
    },
    {
      name: 'oauth2.token.url',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation: "Confluent's name of `oauth2.access.token.url`.",
    },
    {
      name: 'oauth2.client.id',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The OAuth2 client id.',
    },
    {
      name: 'oauth2.client.secret',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The OAuth2 client secret.',
    },
    {
      name: 'oauth2.client.scope',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'The scope asked for.',
    },
    {
      name: 'oauth2.client.authorization.mode',
      type: 'STRING',
      defaultValue: 'HEADER',
      validator: Validators.inIgnoringCase('HEADER', 'URL'),
      importance: 'LOW',
      documentation: 'HEADER: client id and secret as Basic authorization of the token request; URL: in its form.',
    },
    {
      name: 'oauth2.response.token.property',
      type: 'STRING',
      defaultValue: 'access_token',
      importance: 'LOW',
      documentation: 'The field of the token response holding the token.',
    },
  ])
  keys(def, 'Batching', [
    {
      name: 'batching.enabled',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Send up to `batch.max.size` records per request (Aiven); off, each record is a request.',
    },
    {
      name: 'batch.max.size',
      type: 'INT',
      defaultValue: 500,
      validator: Validators.between(1, 1_000_000),
      importance: 'MEDIUM',
      documentation:
        'Most records per request. Above 1 it turns batching on by itself (Confluent has no batching.enabled).',
    },
    {
      name: 'batch.prefix',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Before the bodies of a batch.',
    },
    {
      name: 'batch.suffix',
      type: 'STRING',
      defaultValue: '\n',
      importance: 'LOW',
      documentation: 'After the bodies of a batch.',
    },
    {
      name: 'batch.separator',
      type: 'STRING',
      defaultValue: '\n',
      importance: 'LOW',
      documentation: 'Between the bodies of a batch.',
    },
    {
      name: 'batch.json.as.array',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation: 'Send a batch as a JSON array (`[`, `,`, `]`), whatever prefix, separator and suffix say.',
    },
    {
      name: 'request.body.format',
      type: 'STRING',
      defaultValue: 'string',
      validator: Validators.inIgnoringCase('string', 'json'),
      importance: 'LOW',
      documentation:
        'string: a string value is sent as it is; json: as a JSON string. Structs and maps are always JSON.',
    },
  ])
  keys(def, 'Errors', [
    {
      name: 'max.retries',
      type: 'INT',
      defaultValue: 1,
      validator: Validators.atLeast(0),
      importance: 'MEDIUM',
      documentation: 'Retries of a request after a retriable answer or a network failure (Aiven default 1).',
    },
    {
      name: 'retry.backoff.ms',
      type: 'LONG',
      defaultValue: 3000,
      validator: Validators.atLeast(0),
      importance: 'MEDIUM',
      documentation: 'The first wait before a retry; each further retry waits twice as long, at most 60 s.',
    },
    {
      name: 'retry.on.status.codes',
      type: 'STRING',
      defaultValue: '400-',
      importance: 'MEDIUM',
      documentation: 'The statuses retried: codes and ranges such as `429,500-599`; `400-` is every error (Confluent).',
    },
    {
      name: 'behavior.on.null.values',
      type: 'STRING',
      defaultValue: 'ignore',
      validator: Validators.inIgnoringCase('ignore', 'fail', 'log', 'delete'),
      importance: 'MEDIUM',
      documentation:
        'Tombstones: ignore, fail (a data error, through the error policy), log, or delete (a DELETE request to the URL).',
    },
    {
      name: 'behavior.on.error',
      type: 'STRING',
      defaultValue: 'fail',
      validator: Validators.inIgnoringCase('fail', 'ignore', 'log'),
      importance: 'MEDIUM',
      documentation:
        "A request that failed for good: fail (its records go through the worker's error policy: errors.tolerance, the dead letter queue), log, or ignore.",
    },
  ])
  return def
}

const CONFIG = httpSinkConfigDef()

/** The settings the task sends with, read once from its config. */
export interface SinkSettings {
  url: string
  method: string
  headers: [string, string][]
  contentType: string | null
  auth: 'none' | 'static' | 'basic' | 'oauth2'
  batchMax: number
  format: BatchFormat
  bodyFormat: 'string' | 'json'
  maxRetries: number
  backoffMs: number
  retryOn: StatusMatcher
  onNull: 'ignore' | 'fail' | 'log' | 'delete'
  onError: 'fail' | 'ignore' | 'log'
  timeoutMs: number
  idempotencyHeader: string | null
}

function headerPairs(entries: readonly string[], key: string): [string, string][] {
  const out: [string, string][] = []
  for (const entry of entries) {
    if (entry.trim() === '') continue
    const at = entry.indexOf(':')
    if (at <= 0) throw new ConfigError(`Invalid value ${entry} for configuration ${key}: headers are Name:value`, key)
    out.push([entry.slice(0, at).trim(), entry.slice(at + 1).trim()])
  }
  return out
}

/** A string key as written: ConfigDef trims strings, which would turn the default newline into nothing. */
function untrimmed(config: AbstractConfig, key: string, fallback: string): string {
  const raw = config.originals()[key]
  return typeof raw === 'string' ? raw : fallback
}

/** Reads and checks a sink config (the URL is required under one of its two names). */
export function sinkSettings(config: AbstractConfig): SinkSettings {
  const url = config.getString('http.url') ?? config.getString('http.api.url')
  if (url === null || url === '') {
    throw new ConfigError(
      'Missing required configuration "http.url" (or "http.api.url") which has no default value.',
      'http.url',
    )
  }
  let auth = (config.getString('http.authorization.type') ?? 'none').toLowerCase() as SinkSettings['auth']
  if (auth === 'none') auth = (config.getString('auth.type') ?? 'none').toLowerCase() as SinkSettings['auth']
  const batchMax = config.getInt('batch.max.size') ?? 500
  // Aiven turns batching on with batching.enabled; Confluent's users turn it on by raising batch.max.size.
  const batching =
    config.getBoolean('batching.enabled') === true ||
    (config.originals()['batch.max.size'] !== undefined && batchMax > 1)
  const asArray = config.getBoolean('batch.json.as.array') === true
  return {
    url,
    method: (config.getString('request.method') ?? 'POST').toUpperCase(),
    headers: [
      ...headerPairs(config.getList('http.headers.additional') ?? [], 'http.headers.additional'),
      ...headerPairs((config.getString('headers') ?? '').split(config.getString('header.separator') ?? '|'), 'headers'),
    ],
    contentType: config.getString('http.headers.content.type'),
    auth,
    batchMax: batching ? batchMax : 1,
    format: asArray
      ? { prefix: '[', separator: ',', suffix: ']' }
      : batching
        ? {
            prefix: untrimmed(config, 'batch.prefix', ''),
            separator: untrimmed(config, 'batch.separator', '\n'),
            suffix: untrimmed(config, 'batch.suffix', '\n'),
          }
        : { prefix: '', separator: '', suffix: '' },
    bodyFormat: (config.getString('request.body.format') ?? 'string').toLowerCase() as 'string' | 'json',
    maxRetries: config.getInt('max.retries') ?? 1,
    backoffMs: config.getLong('retry.backoff.ms') ?? 3000,
    retryOn: parseStatusCodes(config.getString('retry.on.status.codes') ?? '400-'),
    onNull: (config.getString('behavior.on.null.values') ?? 'ignore').toLowerCase() as SinkSettings['onNull'],
    onError: (config.getString('behavior.on.error') ?? 'fail').toLowerCase() as SinkSettings['onError'],
    timeoutMs: (config.getInt('http.timeout') ?? 30) * 1000,
    idempotencyHeader: config.getString('http.idempotency.header'),
  }
}

/** The URL of one record: its placeholders filled, each value percent-encoded. */
export function recordUrl(
  template: string,
  r: Pick<SinkRecord, 'topic' | 'kafkaPartition' | 'kafkaOffset' | 'key'>,
): string {
  const key =
    r.key === null || r.key === undefined
      ? ''
      : r.key instanceof Uint8Array
        ? Buffer.from(r.key).toString('utf8')
        : String(r.key)
  return expand(
    template,
    { topic: r.topic, partition: String(r.kafkaPartition), offset: String(r.kafkaOffset), key },
    true,
  )
}

/** One request to send: the records it carries, the URL, method and body. */
export interface PlannedRequest {
  records: SinkRecord[]
  url: string
  method: string
  body: string | null
}

/**
 * The requests of a batch, in order: tombstones are dropped, failed or sent as DELETE (per
 * `behavior.on.null.values`), and the other records join requests of up to batchMax that share a URL and a
 * topic-partition (so an idempotency key names one partition's offset range).
 */
export function planRequests(
  settings: SinkSettings,
  records: readonly SinkRecord[],
): { requests: PlannedRequest[]; nullFailures: SinkRecord[] } {
  const requests: PlannedRequest[] = []
  const nullFailures: SinkRecord[] = []
  const pending: SinkRecord[] = []
  const flush = () => {
    for (const run of runs(
      pending,
      settings.batchMax,
      (r) => `${recordUrl(settings.url, r)}\u0000${r.topic}\u0000${r.kafkaPartition}`,
    )) {
      requests.push({
        records: run,
        url: recordUrl(settings.url, run[0] as SinkRecord),
        method: settings.method,
        body: batchBody(
          run.map((r) => bodyOf(r.value, settings.bodyFormat)),
          settings.format,
        ),
      })
    }
    pending.length = 0
  }
  for (const r of records) {
    if (r.value !== null && r.value !== undefined) {
      pending.push(r)
      continue
    }
    // A tombstone keeps its place: what came before it is sent first.
    flush()
    if (settings.onNull === 'delete')
      requests.push({ records: [r], url: recordUrl(settings.url, r), method: 'DELETE', body: null })
    else if (settings.onNull === 'fail') nullFailures.push(r)
  }
  flush()
  return { requests, nullFailures }
}

/** The connector: every task sends with the same settings. */
export class HttpSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    sinkSettings(new AbstractConfig(CONFIG, props))
    this.#props = props
  }

  taskClass() {
    return HttpSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** A request that failed for good: its status (null for a network failure) and what the server said. */
export class HttpRequestError extends ConnectError {
  override name = 'HttpRequestError'
  readonly status: number | null
  constructor(message: string, status: number | null, options?: { cause?: unknown }) {
    super('UNKNOWN', message, options)
    this.status = status
  }
}

/** The task: sends each batch in put(), retrying with backoff, then hands failures to the error policy. */
export class HttpSinkTask extends SinkTask {
  #settings: SinkSettings | null = null
  #staticAuth: string | null = null
  #oauth: OAuth2Token | null = null
  #stopping = new AbortController()

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(CONFIG, props)
    const s = sinkSettings(config)
    this.#settings = s
    this.#stopping = new AbortController()
    if (s.auth === 'static') {
      this.#staticAuth = config.getPassword('http.headers.authorization')?.value() ?? null
      if (this.#staticAuth === null) {
        throw new ConfigError(
          'http.authorization.type=static needs http.headers.authorization',
          'http.headers.authorization',
        )
      }
    } else if (s.auth === 'basic') {
      const user = config.getString('connection.user') ?? ''
      const password = config.getPassword('connection.password')?.value() ?? ''
      this.#staticAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    } else if (s.auth === 'oauth2') {
      const tokenUrl = config.getString('oauth2.access.token.url') ?? config.getString('oauth2.token.url')
      const clientId = config.getString('oauth2.client.id')
      const secret = config.getPassword('oauth2.client.secret')?.value()
      if (tokenUrl === null || clientId === null || secret === undefined) {
        throw new ConfigError(
          'oauth2 needs oauth2.access.token.url, oauth2.client.id and oauth2.client.secret',
          'oauth2.access.token.url',
        )
      }
      this.#oauth = new OAuth2Token({
        tokenUrl,
        clientId,
        clientSecret: secret,
        scope: config.getString('oauth2.client.scope'),
        mode:
          (config.getString('oauth2.client.authorization.mode') ?? 'HEADER').toUpperCase() === 'URL' ? 'URL' : 'HEADER',
        tokenProperty: config.getString('oauth2.response.token.property') ?? 'access_token',
        timeoutMs: s.timeoutMs,
      })
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const s = this.#settings
    if (s === null || records.length === 0) return
    const { requests, nullFailures } = planRequests(s, records)
    for (const r of nullFailures)
      await this.#failed(
        [r],
        new DataError(`a null value at ${r.topic}-${r.kafkaPartition}@${r.kafkaOffset} (behavior.on.null.values=fail)`),
        'fail',
      )
    for (const request of requests) {
      try {
        await this.#send(s, request)
      } catch (error) {
        if (this.#stopping.signal.aborted) throw new RetriableError('the task is stopping', { cause: error })
        if (error instanceof HttpRequestError && error.status === null) {
          // The endpoint is unreachable, not refusing: the worker gives the batch again later, nothing is dropped.
          this.context.timeout(Math.max(s.backoffMs, 1000))
          throw new RetriableError(error.message, { cause: error })
        }
        await this.#failed(request.records, error as Error, s.onError)
      }
    }
  }

  /** A request or record that failed for good goes where `behavior` says; fail means the worker's error policy. */
  async #failed(records: readonly SinkRecord[], error: Error, behavior: 'fail' | 'ignore' | 'log'): Promise<void> {
    if (behavior === 'ignore') return
    if (behavior === 'log') {
      console.warn(`HTTP sink: ${records.length} record(s) not delivered: ${error.message}`)
      return
    }
    const reporter = this.context.errantRecordReporter()
    if (reporter === null) throw error
    // With errors.tolerance=none reporting fails the task; with all, the records are logged or sent to the DLQ.
    for (const r of records) await reporter.report(r, error)
  }

  async #send(s: SinkSettings, request: PlannedRequest): Promise<void> {
    const headers: Record<string, string> = {}
    if (request.body !== null) {
      headers['content-type'] =
        s.contentType ??
        (request.records.every((r) => typeof r.value === 'string') && s.bodyFormat === 'string'
          ? 'text/plain'
          : 'application/json')
    }
    for (const [name, value] of s.headers) headers[name] = value
    if (s.idempotencyHeader !== null) {
      const first = request.records[0] as SinkRecord
      const last = request.records.at(-1) as SinkRecord
      headers[s.idempotencyHeader] = `${first.topic}-${first.kafkaPartition}-${first.kafkaOffset}-${last.kafkaOffset}`
    }
    let attempt = 0
    let refreshedToken = false
    for (;;) {
      if (this.#staticAuth !== null) headers.authorization = this.#staticAuth
      if (this.#oauth !== null) headers.authorization = `Bearer ${await this.#oauth.get(this.#stopping.signal)}`
      let status: number | null = null
      let detail: string
      try {
        const response = await fetch(request.url, {
          method: request.method,
          headers,
          body: request.body,
          signal: AbortSignal.any([this.#stopping.signal, AbortSignal.timeout(s.timeoutMs)]),
        })
        status = response.status
        detail = (await response.text()).slice(0, 500)
        if (response.ok) return
        if (status === 401 && this.#oauth !== null && !refreshedToken) {
          // An expired or revoked token: fetch a new one once, without counting it as a retry.
          this.#oauth.invalidate()
          refreshedToken = true
          continue
        }
      } catch (error) {
        if (this.#stopping.signal.aborted) throw error
        detail = (error as Error).message
      }
      const retriable = status === null || s.retryOn(status)
      if (!retriable || attempt >= s.maxRetries) {
        throw new HttpRequestError(
          `${request.method} ${request.url} ${status === null ? 'failed' : `answered ${status}`} after ${attempt + 1} attempt(s): ${detail}`,
          status,
        )
      }
      const waitMs = Math.min(s.backoffMs * 2 ** attempt, 60_000)
      attempt++
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs)
        this.#stopping.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            resolve()
          },
          { once: true },
        )
      })
      if (this.#stopping.signal.aborted) throw new RetriableError('the task is stopping')
    }
  }

  stop(): void {
    this.#stopping.abort()
  }
}

/**
 * The same sink under Confluent's class name (`io.confluent.connect.http.HttpSinkConnector`), so a Confluent
 * config finds it; it reads the same keys, Confluent's among them.
 */
export class ConfluentHttpSinkConnector extends HttpSinkConnector {}
