/**
 * The cluster's HTTP API, as the sink uses it: JSON requests to the connection.url entries in turn, with basic
 * auth, TLS trusting the configured CAs, keep-alive connections, and connection.timeout.ms / read.timeout.ms.
 * Node's http and https modules, so no client library is needed and the same code talks to OpenSearch and
 * Elasticsearch (the bulk, index and mapping APIs the sink uses are common to both).
 */
import http from 'node:http'
import https from 'node:https'
import type { SearchSinkSettings } from './config.ts'

/** An answer: the status and the parsed JSON body (undefined when empty or not JSON). */
export interface HttpAnswer {
  status: number
  body: unknown
}

/** A request that got no answer (refused, reset, timed out): worth retrying. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError'
}

/** A client of one cluster. */
export class SearchHttpClient {
  readonly #settings: SearchSinkSettings
  readonly #httpAgent = new http.Agent({ keepAlive: true })
  readonly #httpsAgent: https.Agent
  #next = 0

  constructor(settings: SearchSinkSettings) {
    this.#settings = settings
    this.#httpsAgent = new https.Agent({
      keepAlive: true,
      ...(settings.tls.ca === null ? {} : { ca: settings.tls.ca }),
      ...(settings.tls.checkHostname ? {} : { checkServerIdentity: () => undefined }),
    })
  }

  /** Sends a request to the next URL; `body` is JSON text, or NDJSON for the bulk API. */
  request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<HttpAnswer> {
    const base = this.#settings.urls[this.#next++ % this.#settings.urls.length] as string
    const url = new URL(path, `${base}/`)
    const secure = url.protocol === 'https:'
    const headers: Record<string, string | number> = { accept: 'application/json' }
    if (body !== undefined) {
      headers['content-type'] = contentType
      headers['content-length'] = Buffer.byteLength(body)
    }
    const auth = this.#settings.auth
    if (auth !== null) {
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    }
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = (secure ? https : http).request(
        url,
        {
          method,
          headers,
          agent: secure ? this.#httpsAgent : this.#httpAgent,
          timeout: this.#settings.connectTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', (e) => reject(new NoAnswerError(e.message)))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown
            try {
              parsed = text === '' ? undefined : JSON.parse(text)
            } catch {
              parsed = text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed })
          })
        },
      )
      req.on('socket', (socket) => {
        // The connect timeout until connected, then the read timeout.
        socket.once(secure ? 'secureConnect' : 'connect', () => req.setTimeout(this.#settings.readTimeoutMs))
      })
      req.on('timeout', () => req.destroy(new NoAnswerError(`no answer from ${url.origin} in time`)))
      req.on('error', (e) => reject(e instanceof NoAnswerError ? e : new NoAnswerError(`${url.origin}: ${e.message}`)))
      req.end(body)
    })
  }

  close(): void {
    this.#httpAgent.destroy()
    this.#httpsAgent.destroy()
  }
}
