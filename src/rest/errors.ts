/**
 * The REST edge's error mapping: the one place where errors become HTTP statuses and Java's error body
 * `{"error_code": <int>, "message": "<text>"}`.
 *
 * Typed errors from the herder map by code (Java's ConnectExceptionMapper: NotFound 404, AlreadyExists 409,
 * BadRequest and invalid config 400, anything else 500). Errors that only the HTTP layer knows (a bad signature,
 * tracking disabled, an error answered by a worker we forwarded to) are RestErrors carrying their own status.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ConnectError, type ErrorCode } from '../errors.ts'
import type { Logger } from '../util/log.ts'

/** Java's error body. */
export interface ErrorBody {
  error_code: number
  message: string
}

/** An error with an explicit HTTP status (Java's ConnectRestException); `errorCode` is usually the status. */
export class RestError extends Error {
  override name = 'RestError'
  /** The HTTP status to answer. */
  readonly status: number
  /** The body's error_code. */
  readonly errorCode: number

  constructor(status: number, message: string, errorCode = status, options?: { cause?: unknown }) {
    super(message, options)
    this.status = status
    this.errorCode = errorCode
  }
}

/** Statuses of herder error codes; codes not listed answer 500 (as Java's mapper does for other exceptions). */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  INVALID_CONFIG: 400,
  BAD_REQUEST: 400,
}

/** The status and body an error answers with. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof RestError) {
    return { status: error.status, body: { error_code: error.errorCode, message: error.message } }
  }
  if (error instanceof ConnectError) {
    const status = STATUS_OF_CODE[error.code] ?? 500
    return { status, body: { error_code: status, message: error.message } }
  }
  // Fastify's own errors (unparsable JSON, unsupported media type, body too large) carry their status.
  const fastifyStatus = (error as Partial<FastifyError> | undefined)?.statusCode
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 600) {
    return { status: fastifyStatus, body: { error_code: fastifyStatus, message: (error as Error).message } }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { status: 500, body: { error_code: 500, message } }
}

/** A fastify error handler that answers every error with Java's body; unexpected ones are logged. */
export function errorHandler(log: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = errorResponse(error)
    if (status >= 500) {
      log.error({ err: error, method: request.method, url: request.url }, 'REST request failed')
    } else {
      log.debug({ err: error, method: request.method, url: request.url }, 'REST request refused')
    }
    void reply.code(status).type('application/json').send(body)
  }
}

/**
 * Jersey's answers to a request that no route serves: 405 when the path exists for other methods, else 404.
 * Routes are learnt as they are registered (an onRoute hook), so the answer follows the routes of each app.
 */
export function unmatchedRequests(app: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => void {
  const routes: Array<{ method: string; pattern: RegExp }> = []
  app.addHook('onRoute', (route) => {
    const source = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')
    for (const method of [route.method].flat()) routes.push({ method, pattern: new RegExp(`^${source}/?$`) })
  })
  return (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? ''
    const known = routes.some((r) => r.method !== request.method && r.pattern.test(path))
    const status = known ? 405 : 404
    const message = known ? 'HTTP 405 Method Not Allowed' : 'HTTP 404 Not Found'
    void reply.code(status).type('application/json').send({ error_code: status, message })
  }
}
