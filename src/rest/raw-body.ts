/**
 * The JSON body parser of the REST server. It keeps each request's exact body bytes, which signature checks need
 * (a signature covers the bytes, not the parsed value), and treats an empty body as no body, as JAX-RS does for
 * endpoints that take none (clients often send `Content-Type: application/json` with PUT .../pause). Integers
 * beyond 2^53 (a 64-bit source offset in PATCH .../offsets) are read as bigint instead of rounded.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseWithLongs } from './json-longs.ts'

const bodies = new WeakMap<FastifyRequest, Buffer>()
const EMPTY = Buffer.alloc(0)

/** The request's body bytes as received; empty when it had none. */
export function rawBody(request: FastifyRequest): Buffer {
  return bodies.get(request) ?? EMPTY
}

const LONG_DIGITS = /\d{16}/

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
    const text = bytes.toString('utf8')
    if (!LONG_DIGITS.test(text)) {
      parseJson(request, text, done)
      return
    }
    // The checked parse first (it refuses __proto__ and constructor keys), then one that keeps long integers.
    parseJson(request, text, (error, body) =>
      error ? done(error, undefined) : done(null, parseWithLongs(text) ?? body),
    )
  })
}
