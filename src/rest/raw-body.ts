/**
 * The JSON body parser of the REST server. It keeps each request's exact body bytes, which signature checks need
 * (a signature covers the bytes, not the parsed value), and treats an empty body as no body, as JAX-RS does for
 * endpoints that take none (clients often send `Content-Type: application/json` with PUT .../pause).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

const bodies = new WeakMap<FastifyRequest, Buffer>()
const EMPTY = Buffer.alloc(0)

/** The request's body bytes as received; empty when it had none. */
export function rawBody(request: FastifyRequest): Buffer {
  return bodies.get(request) ?? EMPTY
}

/** Replaces the application/json parser with one that keeps raw bytes (and fastify's prototype-poisoning checks). */
export function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer
    bodies.set(request, bytes)
    if (bytes.length === 0) {
      done(null, undefined)
      return
    }
    parseJson(request, bytes.toString('utf8'), done)
  })
}
