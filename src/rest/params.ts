/**
 * Reading path, query and body values the way JAX-RS and Jackson read them in Java Connect, so that clients see
 * the same leniency and the same refusals.
 */
import type { FastifyRequest } from 'fastify'
import type { ConfigInput } from '../herder/herder.ts'
import { RestError } from './errors.ts'

/** The query parameters of a request, each as the list of its values. */
export function queryValues(request: FastifyRequest, name: string): string[] {
  const value = (request.query as Record<string, string | string[] | undefined>)[name]
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** A Boolean query parameter: undefined when absent, true for "true" (any case), else false (Boolean.valueOf). */
export function booleanQuery(request: FastifyRequest, name: string): boolean | undefined {
  const value = queryValues(request, name)[0]
  return value === undefined ? undefined : value.toLowerCase() === 'true'
}

/** The `forward` query parameter of forwarded requests. */
export function forwardQuery(request: FastifyRequest): boolean | undefined {
  return booleanQuery(request, 'forward')
}

/** The client's Authorization header, which is all that forwarding passes on. */
export function authorization(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization
  return typeof value === 'string' ? value : undefined
}

/** A path parameter. */
export function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? ''
}

/** A task number path parameter; anything but an int is Jersey's 404, as a path that no resource serves. */
export function taskParam(request: FastifyRequest): number {
  const raw = pathParam(request, 'task')
  const n = Number(raw)
  if (!/^[-+]?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) {
    throw new RestError(404, 'HTTP 404 Not Found')
  }
  return n
}

/** A connector name as a path segment of a forwarded request. */
export function segment(name: string): string {
  return encodeURIComponent(name)
}

/**
 * A JSON object of config values, as Jackson reads Map<String, String>: scalars become strings, null stays null
 * (validation reports it); nested objects and arrays are refused with 400.
 */
export function configBody(body: unknown, what = 'connector configuration'): ConfigInput {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RestError(400, `The request body must be a JSON object with the ${what}`)
  }
  const entries = Object.entries(body as Record<string, unknown>).map(([key, value]): [string, string | null] => {
    if (value === null) return [key, null]
    if (typeof value === 'string') return [key, value]
    if (typeof value === 'number' || typeof value === 'boolean') return [key, String(value)]
    throw new RestError(400, `The value of '${key}' in the ${what} must be a string, not ${JSON.stringify(value)}`)
  })
  // fromEntries defines own properties, so a "__proto__" key stays a key and never becomes a prototype.
  return Object.fromEntries(entries)
}

/** The response's Location for a new connector, absolute as Jersey makes it. */
export function connectorLocation(request: FastifyRequest, name: string): string {
  return `${request.protocol}://${request.host}/connectors/${segment(name)}`
}
