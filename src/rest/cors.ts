/**
 * CORS from `access.control.allow.origin` and `access.control.allow.methods`, as Jetty's CrossOriginFilter applies
 * them in Java Connect: off unless origins are set; origins comma-separated, `*` for any, `*` inside an origin as a
 * wildcard (`https://*.example.com`); methods default to GET,POST,HEAD; credentials allowed; preflights cached 1800 s.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

const DEFAULT_METHODS = 'GET,POST,HEAD'
const ALLOWED_HEADERS = 'X-Requested-With,Content-Type,Accept,Origin'

/** A fastify onRequest hook that adds CORS headers and answers preflight requests; undefined when CORS is off. */
export function corsHook(
  allowedOrigins: string,
  allowedMethods: string,
): ((request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>) | undefined {
  if (allowedOrigins.trim() === '') return undefined
  const origins = allowedOrigins
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
  const anyOrigin = origins.includes('*')
  const patterns = origins.map((o) => new RegExp(`^${o.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`))
  const methods = (allowedMethods.trim() || DEFAULT_METHODS).split(',').map((m) => m.trim().toUpperCase())
  const allowed = (origin: string) => anyOrigin || patterns.some((p) => p.test(origin))

  return async (request, reply) => {
    const origin = request.headers.origin
    const requestedMethod = request.headers['access-control-request-method']
    const preflight = request.method === 'OPTIONS' && typeof requestedMethod === 'string'
    if (typeof origin === 'string' && allowed(origin)) {
      void reply.header('Vary', 'Origin')
      if (!preflight || methods.includes(requestedMethod.toUpperCase())) {
        void reply.header('Access-Control-Allow-Origin', origin).header('Access-Control-Allow-Credentials', 'true')
      }
      if (preflight && methods.includes(requestedMethod.toUpperCase())) {
        void reply
          .header('Access-Control-Max-Age', '1800')
          .header('Access-Control-Allow-Methods', methods.join(','))
          .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      }
    }
    // No resource serves OPTIONS: the preflight is answered here, with or without permission headers.
    if (preflight) return reply.code(204).send()
    return undefined
  }
}
