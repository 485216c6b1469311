/**
 * The Confluent Schema Registry REST calls the converters make (Confluent's RestService), over node:http(s):
 *
 *   POST /subjects/{subject}/versions   {schema, schemaType?}  → {id}                     register (auto.register.schemas)
 *   POST /subjects/{subject}            {schema, schemaType?}  → {subject, id, version}   look up a registered schema
 *   GET  /subjects/{subject}/versions/latest                   → {subject, id, version, schema, schemaType?}
 *   GET  /schemas/ids/{id}                                      → {schema, schemaType?}
 *
 * Several URLs are tried in turn, starting from a random one as Java's UrlList does, moving on when one cannot be
 * reached. Basic auth (USER_INFO or URL credentials) and bearer tokens (STATIC_TOKEN) go in the Authorization
 * header. TLS takes PEM files (or a PKCS12 key store) through node:https. Errors: a registry that cannot be reached,
 * times out or answers 5xx/429 is a RetriableError; other answers are a RegistryError with the registry's
 * error_code and message.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { ConfigError, ConnectError, RetriableError } from 'tsconnect'

/** How to reach the registry. */
export interface RegistryClientOptions {
  urls: string[]
  /** The Authorization header value, if any. */
  authorization?: string | undefined
  /** TLS options for https URLs. */
  tls?: https.AgentOptions | undefined
  connectTimeoutMs: number
  readTimeoutMs: number
}

/** A registry answer other than success: its HTTP status, Confluent error_code and message. */
export class RegistryError extends ConnectError {
  override name = 'RegistryError'
  readonly status: number
  readonly errorCode: number

  constructor(status: number, errorCode: number, message: string) {
    super('DATA_ERROR', `${message}; error code: ${errorCode}`)
    this.status = status
    this.errorCode = errorCode
  }
}

/** A schema as the registry returns it. */
export interface RegisteredSchema {
  schema: string
  schemaType?: string
  id?: number
  version?: number
  subject?: string
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

/** A REST client of one registry (one or more URLs of the same cluster). */
export class RegistryRestClient {
  readonly #opts: RegistryClientOptions
  readonly #agents: { http: http.Agent; https: https.Agent }
  #next: number

  constructor(opts: RegistryClientOptions) {
    if (opts.urls.length === 0) throw new ConfigError('schema.registry.url: at least one URL is required')
    this.#opts = opts
    this.#agents = {
      http: new http.Agent({ keepAlive: true }),
      https: new https.Agent({ keepAlive: true, ...opts.tls }),
    }
    this.#next = Math.floor(Math.random() * opts.urls.length)
  }

  /** Registers a schema under a subject; answers its id. */
  async register(subject: string, schema: string, schemaType: string): Promise<number> {
    const body = await this.#call(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      schemaBody(schema, schemaType),
    )
    return (body as { id: number }).id
  }

  /** The id and version of a schema already registered under a subject. */
  async lookup(subject: string, schema: string, schemaType: string): Promise<{ id: number; version: number }> {
    const body = await this.#call('POST', `/subjects/${encodeURIComponent(subject)}`, schemaBody(schema, schemaType))
    return body as { id: number; version: number }
  }

  /** The latest version registered under a subject. */
  async latest(subject: string): Promise<RegisteredSchema> {
    return (await this.#call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`)) as RegisteredSchema
  }

  /** The schema with a global id. */
  async byId(id: number): Promise<RegisteredSchema> {
    return (await this.#call('GET', `/schemas/ids/${id}`)) as RegisteredSchema
  }

  /** Releases kept-alive connections. */
  close(): void {
    this.#agents.http.destroy()
    this.#agents.https.destroy()
  }

  async #call(method: string, path: string, body?: string): Promise<unknown> {
    const urls = this.#opts.urls
    let lastError: Error | undefined
    for (let i = 0; i < urls.length; i++) {
      const index = (this.#next + i) % urls.length
      const base = urls[index] as string
      try {
        const result = await this.#request(base, method, path, body)
        this.#next = index
        return result
      } catch (error) {
        if (!(error instanceof RetriableError)) throw error
        lastError = error
      }
    }
    throw lastError as Error
  }

  #request(base: string, method: string, path: string, body: string | undefined): Promise<unknown> {
    const url = new URL(base.replace(/\/+$/, '') + path)
    const secure = url.protocol === 'https:'
    const headers: Record<string, string> = { accept: `${CONTENT_TYPE}, application/json` }
    if (body !== undefined) {
      headers['content-type'] = CONTENT_TYPE
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const authorization =
      this.#opts.authorization ??
      (url.username
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : undefined)
    if (authorization) headers.authorization = authorization
    const where = `${url.protocol}//${url.host}`
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: secure ? this.#agents.https : this.#agents.http,
          timeout: this.#opts.connectTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.setTimeout(this.#opts.readTimeoutMs, () =>
            req.destroy(new Error(`no answer within ${this.#opts.readTimeoutMs} ms`)),
          )
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', (e) => reject(unreachable(where, e)))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let json: unknown
            try {
              json = text.length > 0 ? JSON.parse(text) : null
            } catch {
              json = null
            }
            const status = res.statusCode ?? 0
            if (status >= 200 && status < 300) return resolve(json)
            const e = (json ?? {}) as { error_code?: number; message?: string }
            const message = e.message ?? (text || `HTTP ${status}`)
            if (status >= 500 || status === 429)
              return reject(new RetriableError(`Schema Registry at ${where} answered ${status}: ${message}`))
            reject(new RegistryError(status, e.error_code ?? status, message))
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error(`could not connect within ${this.#opts.connectTimeoutMs} ms`)))
      req.on('error', (e) => reject(unreachable(where, e)))
      if (body !== undefined) req.write(body)
      req.end()
    })
  }
}

function unreachable(where: string, e: Error): RetriableError {
  return new RetriableError(`Schema Registry at ${where} could not be reached: ${e.message}`, { cause: e })
}

function schemaBody(schema: string, schemaType: string): string {
  return JSON.stringify(schemaType === 'AVRO' ? { schema } : { schema, schemaType })
}

/** TLS options from the converter's `schema.registry.ssl.*` keys (PEM files, or a PKCS12 key store). */
export function tlsOptions(get: (key: string) => string | undefined): https.AgentOptions | undefined {
  const opts: https.AgentOptions = {}
  const truststore = get('schema.registry.ssl.truststore.location')
  const truststoreType = (get('schema.registry.ssl.truststore.type') ?? 'JKS').toUpperCase()
  const trustedPem = get('schema.registry.ssl.truststore.certificates')
  if (trustedPem) opts.ca = trustedPem
  else if (truststore) {
    if (truststoreType !== 'PEM')
      throw new ConfigError(
        `schema.registry.ssl.truststore.type=${truststoreType} is not supported here: give the CA certificates as a PEM file (schema.registry.ssl.truststore.type=PEM)`,
      )
    opts.ca = readFileSync(truststore)
  }
  const keystore = get('schema.registry.ssl.keystore.location')
  const keystoreType = (get('schema.registry.ssl.keystore.type') ?? 'JKS').toUpperCase()
  if (keystore) {
    if (keystoreType === 'PKCS12') {
      opts.pfx = readFileSync(keystore)
      const password = get('schema.registry.ssl.keystore.password')
      if (password) opts.passphrase = password
    } else if (keystoreType === 'PEM') {
      const pem = readFileSync(keystore)
      opts.cert = pem
      opts.key = pem
      const password = get('schema.registry.ssl.key.password')
      if (password) opts.passphrase = password
    } else
      throw new ConfigError(
        `schema.registry.ssl.keystore.type=${keystoreType} is not supported here: use PKCS12 or PEM`,
      )
  }
  if (get('schema.registry.ssl.endpoint.identification.algorithm') === '') opts.checkServerIdentity = () => undefined
  return Object.keys(opts).length > 0 ? opts : undefined
}
