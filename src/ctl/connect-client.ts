/**
 * The CLI's REST client of a Connect cluster (tsconnect's or Java's: the same API). It sends through rest/'s
 * RestClient (JSON in and out, TLS options) with the context's credentials, and turns every failure into one line
 * for people: the status and the REST message, or why the cluster could not be reached.
 */
import { readFileSync } from 'node:fs'
import { ForwardingIoError, RestClient } from '../rest/client.ts'
import { RestError } from '../rest/errors.ts'
import type { Context } from './contexts.ts'
import { CommandFailed } from './usage.ts'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
}

/** Failures of TLS set-up that a private CA (--ca) or --insecure fixes. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Requests to one cluster, as one context describes it. */
export class ConnectClient {
  readonly url: string
  readonly #client: RestClient
  readonly #authorization: string | undefined
  readonly #timeoutMs: number

  constructor(context: Context, timeoutMs: number) {
    this.url = context.cluster.replace(/\/+$/, '')
    this.#timeoutMs = timeoutMs
    const read = (what: string, file: string | undefined) => {
      if (file === undefined) return undefined
      try {
        return readFileSync(file, 'utf8')
      } catch (error) {
        throw new CommandFailed(`cannot read the ${what} file ${file}: ${(error as Error).message}`)
      }
    }
    const ca = read('CA', context.ca)
    const cert = read('certificate', context.cert)
    const key = read('key', context.key)
    this.#client = new RestClient({
      tls: {
        ...(ca !== undefined ? { ca } : {}),
        ...(cert !== undefined ? { cert } : {}),
        ...(key !== undefined ? { key } : {}),
        rejectUnauthorized: context.insecure !== true,
      },
    })
    if (context.token !== undefined) this.#authorization = `Bearer ${context.token}`
    else if (context.username !== undefined) {
      const basic = Buffer.from(`${context.username}:${context.password ?? ''}`).toString('base64')
      this.#authorization = `Basic ${basic}`
    }
  }

  /** GET `path`; answers the parsed body. */
  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }

  /**
   * Sends one request; answers the parsed body (undefined for 204).
   * @throws CommandFailed with the status and the REST message, or why the cluster was not reached
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return (await this.#send(method, path, body)) as T
    } catch (error) {
      throw this.#failure(method, path, error)
    }
  }

  /** GET `path`, where 404 answers undefined (the connector or logger does not exist). */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return (await this.#send('GET', path, undefined)) as T
    } catch (error) {
      if (error instanceof RestError && !(error instanceof ForwardingIoError) && error.status === 404) return undefined
      throw this.#failure('GET', path, error)
    }
  }

  async #send(method: string, path: string, body: unknown): Promise<unknown> {
    const response = await this.#client.request(`${this.url}${path}`, {
      method,
      ...(body !== undefined ? { body } : {}),
      ...(this.#authorization !== undefined ? { authorization: this.#authorization } : {}),
      timeoutMs: this.#timeoutMs,
    })
    return response.body
  }

  #failure(method: string, path: string, error: unknown): CommandFailed {
    if (error instanceof ForwardingIoError) {
      const cause = error.cause as NodeJS.ErrnoException | undefined
      const reason = cause?.message ?? error.message
      const hint = CERTIFICATE_CODES.has(cause?.code ?? '')
        ? ' (name the CA that signed it with --ca, or skip the check with --insecure)'
        : ''
      return new CommandFailed(`cannot reach ${this.url}: ${reason}${hint}`)
    }
    if (error instanceof RestError) {
      const [first = '', ...rest] = error.message.split('\n')
      const status = `${error.status} ${STATUS_TEXT[error.status] ?? ''}`.trimEnd()
      if (error.status === 401) {
        return new CommandFailed(
          `${status} from ${this.url}: ${first || 'authentication failed'} (check the context's username and password, or token)`,
        )
      }
      return new CommandFailed(
        `${method} ${path}: ${status}: ${first}`,
        rest.filter((l) => l.trim() !== ''),
      )
    }
    return new CommandFailed(`${method} ${path}: ${(error as Error).message}`)
  }
}
