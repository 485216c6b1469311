/**
 * Outbound REST requests to other workers of the cluster: forwarded client requests, and internal requests
 * (task configs to the leader, fencing) that the herder sends itself.
 *
 * Behaves as Java's RestClient: JSON in and out, user agent `kafka-connect`, only the client's Authorization header
 * carried over, optional KIP-507 signing of the exact body bytes; an error answer is rethrown with the remote's
 * status, error_code and message, so a forwarded request fails the way it failed on the worker that ran it.
 * A connection is opened per request (forwarding is rare; no pooled sockets outlive a request).
 */
import http from 'node:http'
import https from 'node:https'
import type { SessionKey } from '../herder/herder.ts'
import type { Logger } from '../util/log.ts'
import { RestError } from './errors.ts'
import { parseWithLongs, stringifyWithLongs } from './json-longs.ts'
import { signatureHeaders } from './signature.ts'

/** One outbound request. */
export interface OutboundRequest {
  method: string
  /** Sent as JSON; no body when undefined. */
  body?: unknown
  /** The client's Authorization header, passed on unchanged. */
  authorization?: string
  /** Sign the body with this key and algorithm (internal requests under the sessioned protocol). */
  sign?: { key: SessionKey; algorithm: string }
  /** Give up after this long; no limit when undefined. */
  timeoutMs?: number
}

/** A successful answer; `body` is the parsed JSON, or undefined for 204 and empty bodies. */
export interface InboundResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: unknown
}

/** TLS settings for https:// targets: trusted CAs, a client certificate, hostname checking. */
export type ClientTlsOptions = Pick<
  https.RequestOptions,
  | 'ca'
  | 'cert'
  | 'key'
  | 'pfx'
  | 'passphrase'
  | 'rejectUnauthorized'
  | 'checkServerIdentity'
  | 'minVersion'
  | 'maxVersion'
>

/** Sends requests to other workers' REST APIs. */
export class RestClient {
  readonly #tls: ClientTlsOptions
  readonly #log: Logger | undefined

  constructor(options: { tls?: ClientTlsOptions; log?: Logger } = {}) {
    this.#tls = options.tls ?? {}
    this.#log = options.log
  }

  /**
   * Sends one request and answers the parsed response.
   * @throws RestError with the remote's status and message for 4xx/5xx answers; 500 for I/O failures and
   *   unexpected statuses.
   */
  async request(url: string, request: OutboundRequest): Promise<InboundResponse> {
    const payload = request.body === undefined ? undefined : Buffer.from(stringifyWithLongs(request.body), 'utf8')
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kafka-connect' }
    if (payload !== undefined) headers['content-type'] = 'application/json'
    if (request.authorization !== undefined) headers.authorization = request.authorization
    if (request.sign !== undefined) {
      Object.assign(headers, signatureHeaders(payload ?? Buffer.alloc(0), request.sign.key, request.sign.algorithm))
    }
    this.#log?.debug({ method: request.method, url }, 'Forwarding REST request')
    const { status, headers: responseHeaders, text } = await this.#send(url, request, headers, payload)
    if (status === 204) return { status, headers: responseHeaders, body: undefined }
    if (status >= 400) throw remoteError(status, text)
    if (status >= 200 && status < 300) {
      try {
        return { status, headers: responseHeaders, body: text === '' ? undefined : parseWithLongs(text) }
      } catch (error) {
        throw new RestError(500, `Error trying to forward REST request: ${(error as Error).message}`, 500, {
          cause: error,
        })
      }
    }
    throw new RestError(500, `Unexpected status code when handling forwarded request: ${status}`)
  }

  #send(
    url: string,
    request: OutboundRequest,
    headers: Record<string, string>,
    payload: Buffer | undefined,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
    return new Promise((resolve, reject) => {
      const ioError = (error: Error) => reject(new ForwardingIoError(error))
      let target: URL
      try {
        target = new URL(url)
      } catch (error) {
        ioError(error as Error)
        return
      }
      const secure = target.protocol === 'https:'
      const options: https.RequestOptions = {
        method: request.method,
        headers,
        agent: false,
        ...(secure ? this.#tls : {}),
      }
      const req = (secure ? https : http).request(target, options, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', ioError)
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        )
      })
      req.on('error', ioError)
      if (request.timeoutMs !== undefined) {
        req.setTimeout(Math.max(1, request.timeoutMs), () => {
          req.destroy(new Error(`no answer from ${target.origin} within ${request.timeoutMs} ms`))
        })
      }
      req.end(payload)
    })
  }
}

// Connection failures that happen before any byte of the request is sent: retrying cannot run a request twice.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/** The target worker could not be reached or did not answer (it may have just left the group). */
export class ForwardingIoError extends RestError {
  override name = 'ForwardingIoError'
  /** Whether the request surely never reached the target (connection refused, host unknown), so a retry is safe. */
  readonly notSent: boolean

  constructor(cause: Error) {
    super(500, `IO Error trying to forward REST request: ${cause.message}`, 500, { cause })
    this.notSent = NOT_SENT_CODES.has((cause as NodeJS.ErrnoException).code ?? '')
  }
}

/** The error a remote worker answered, with its own status, error_code and message. */
function remoteError(status: number, text: string): RestError {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown }
    if (typeof body.message === 'string' || body.message === null) {
      const code = typeof body.error_code === 'number' ? body.error_code : status
      return new RestError(status, body.message ?? '', code)
    }
  } catch {
    // not Java's error body: pass the text on
  }
  return new RestError(status, text || `HTTP ${status}`)
}
