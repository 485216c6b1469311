/**
 * WebhookSourceConnector: listens for HTTP requests and writes one record per request, answering the caller
 * 200 only once Kafka acknowledged the record (commitRecord), so a caller that retries until it sees 200 gets
 * at-least-once delivery into Kafka: no Java webhook connector offers that. A request the task cannot hand over
 * in time (`webhook.response.timeout.ms`), or that arrives while it stops, is answered 503 and not acknowledged.
 *
 * Record: key = the value of `webhook.key.header` (null when unset or absent); value = the body as a string
 * (UTF-8); headers = the request's `content-type` and the headers listed in `webhook.forward.headers`;
 * timestamp = arrival time. Source partition and offset are null: there is nothing to resume from, the caller
 * holds what was not acknowledged.
 *
 * Checks: with `webhook.secret` the header `webhook.secret.header` must hold it; with `webhook.hmac.secret` the
 * header `webhook.hmac.header` must hold the HMAC of the body (`sha256=<hex>`). A failed check is answered 401.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  AbstractConfig,
  ConfigDef,
  type ConfigKeyOptions,
  Headers,
  type RecordMetadata,
  Schema,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Validators,
} from 'tsconnect'
import { hmacMatches, secretMatches } from './signature.ts'

const VERSION = '1.0.0'

/** The webhook source's keys. */
export function webhookSourceConfigDef(): ConfigDef {
  const def = new ConfigDef()
  const list: Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[] = [
    {
      name: 'topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      documentation: 'The topic to write to.',
    },
    {
      name: 'webhook.port',
      type: 'INT',
      validator: Validators.between(1, 65535),
      importance: 'HIGH',
      documentation:
        'The port to listen on (on whichever worker runs the task, so put a load balancer or fixed host in front).',
    },
    {
      name: 'webhook.host',
      type: 'STRING',
      defaultValue: '0.0.0.0',
      importance: 'MEDIUM',
      documentation: 'The address to listen on.',
    },
    {
      name: 'webhook.path',
      type: 'STRING',
      defaultValue: '/',
      importance: 'MEDIUM',
      documentation: 'The path requests must use; others are answered 404.',
    },
    {
      name: 'webhook.key.header',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'A request header whose value becomes the record key.',
    },
    {
      name: 'webhook.forward.headers',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Request headers copied into Connect headers (content-type always is).',
    },
    {
      name: 'webhook.secret',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'A shared secret the caller must send.',
    },
    {
      name: 'webhook.secret.header',
      type: 'STRING',
      defaultValue: 'X-Webhook-Secret',
      importance: 'LOW',
      documentation: 'The header carrying `webhook.secret`.',
    },
    {
      name: 'webhook.hmac.secret',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The key of an HMAC of the body the caller must send.',
    },
    {
      name: 'webhook.hmac.header',
      type: 'STRING',
      defaultValue: 'X-Hub-Signature-256',
      importance: 'LOW',
      documentation: 'The header carrying the HMAC, as `sha256=<hex>`.',
    },
    {
      name: 'webhook.hmac.algorithm',
      type: 'STRING',
      defaultValue: 'sha256',
      validator: Validators.in('sha1', 'sha256', 'sha512'),
      importance: 'LOW',
      documentation: 'The HMAC algorithm.',
    },
    {
      name: 'webhook.max.body.bytes',
      type: 'INT',
      defaultValue: 1_048_576,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      documentation: 'Larger bodies are answered 413.',
    },
    {
      name: 'webhook.response.timeout.ms',
      type: 'LONG',
      defaultValue: 30_000,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      documentation:
        'How long a caller waits for its record to reach Kafka before it is answered 503 (and should retry).',
    },
  ]
  for (const [i, k] of list.entries()) def.define({ ...k, group: 'Webhook', orderInGroup: i + 1 })
  return def
}

const CONFIG = webhookSourceConfigDef()

/** The connector: one task, since one port is listened on. */
export class WebhookSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(CONFIG, props)
    this.#props = props
  }

  taskClass() {
    return WebhookSourceTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }]
  }

  stop(): void {}
}

/** A caller waiting for its record to reach Kafka. */
interface Waiting {
  response: ServerResponse
  timer: ReturnType<typeof setTimeout>
}

/** The task: the HTTP server queues records; poll() hands them over; commitRecord() answers their callers. */
export class WebhookSourceTask extends SourceTask {
  #server: Server | null = null
  #topic = ''
  #path = '/'
  #keyHeader: string | null = null
  #forward: string[] = []
  #secret: string | null = null
  #secretHeader = 'x-webhook-secret'
  #hmacSecret: string | null = null
  #hmacHeader = 'x-hub-signature-256'
  #hmacAlgorithm = 'sha256'
  #maxBody = 1_048_576
  #timeoutMs = 30_000
  #queue: SourceRecord[] = []
  #waiting = new Map<SourceRecord, Waiting>()
  #wake: (() => void) | null = null
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#topic = config.getString('topic') ?? ''
    this.#path = config.getString('webhook.path') ?? '/'
    this.#keyHeader = config.getString('webhook.key.header')?.toLowerCase() ?? null
    this.#forward = (config.getList('webhook.forward.headers') ?? []).map((h) => h.toLowerCase())
    this.#secret = config.getPassword('webhook.secret')?.value() ?? null
    this.#secretHeader = (config.getString('webhook.secret.header') ?? 'X-Webhook-Secret').toLowerCase()
    this.#hmacSecret = config.getPassword('webhook.hmac.secret')?.value() ?? null
    this.#hmacHeader = (config.getString('webhook.hmac.header') ?? 'X-Hub-Signature-256').toLowerCase()
    this.#hmacAlgorithm = config.getString('webhook.hmac.algorithm') ?? 'sha256'
    this.#maxBody = config.getInt('webhook.max.body.bytes') ?? 1_048_576
    this.#timeoutMs = config.getLong('webhook.response.timeout.ms') ?? 30_000
    const server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end()
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.getInt('webhook.port') ?? 0, config.getString('webhook.host') ?? '0.0.0.0', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#server = server
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://webhook').pathname
    if (path !== this.#path) return void res.writeHead(404).end()
    if (req.method !== 'POST' && req.method !== 'PUT') return void res.writeHead(405, { allow: 'POST, PUT' }).end()
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > this.#maxBody) return void res.writeHead(413).end()
      chunks.push(chunk as Buffer)
    }
    const body = Buffer.concat(chunks)
    const header = (name: string) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    }
    if (this.#secret !== null && !secretMatches(header(this.#secretHeader), this.#secret)) {
      return void res.writeHead(401).end('bad secret')
    }
    if (
      this.#hmacSecret !== null &&
      !hmacMatches(header(this.#hmacHeader), body, this.#hmacSecret, this.#hmacAlgorithm)
    ) {
      return void res.writeHead(401).end('bad signature')
    }
    if (this.#stopped) return void res.writeHead(503).end('stopping')
    const headers = new Headers()
    const contentType = header('content-type')
    if (contentType !== undefined) headers.addString('content-type', contentType)
    for (const name of this.#forward) {
      const v = header(name)
      if (v !== undefined) headers.addString(name, v)
    }
    const key = this.#keyHeader === null ? undefined : header(this.#keyHeader)
    const record = new SourceRecord({
      sourcePartition: null,
      sourceOffset: null,
      topic: this.#topic,
      keySchema: Schema.OPTIONAL_STRING_SCHEMA,
      key: key ?? null,
      valueSchema: Schema.STRING_SCHEMA,
      value: body.toString('utf8'),
      timestamp: Date.now(),
      headers,
    })
    const timer = setTimeout(() => this.#answer(record, 503, 'not in Kafka in time; retry'), this.#timeoutMs)
    this.#waiting.set(record, { response: res, timer })
    // A caller that gives up is not answered; its record may still reach Kafka (it will retry: at-least-once).
    res.on('close', () => {
      const w = this.#waiting.get(record)
      if (w !== undefined && !res.writableEnded) {
        clearTimeout(w.timer)
        this.#waiting.delete(record)
      }
    })
    this.#queue.push(record)
    this.#wake?.()
  }

  #answer(record: SourceRecord, status: number, text: string): void {
    const w = this.#waiting.get(record)
    if (w === undefined) return
    this.#waiting.delete(record)
    clearTimeout(w.timer)
    if (!w.response.writableEnded) w.response.writeHead(status, { 'content-type': 'text/plain' }).end(text)
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#stopped) return null
    if (this.#queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = null
    }
    // Records of callers that timed out meanwhile are still sent: they may have retried, and duplicates are allowed.
    return this.#queue.splice(0)
  }

  /** Kafka acknowledged the record (metadata), or a transform dropped it (null): either way its caller is done. */
  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    this.#answer(record, 200, 'ok')
  }

  /**
   * Answers every waiting caller 503 (a record in flight may still reach Kafka: the caller's retry is then a
   * duplicate, never a loss), then closes the listener.
   */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    this.#queue = []
    for (const record of [...this.#waiting.keys()]) this.#answer(record, 503, 'stopping; retry')
    const server = this.#server
    this.#server = null
    if (server !== null) {
      const closed = new Promise((resolve) => server.close(resolve))
      server.closeAllConnections()
      await closed
    }
  }
}
