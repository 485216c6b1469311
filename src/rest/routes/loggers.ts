/**
 * The admin/loggers resource: log levels of this worker, or of the whole cluster with scope=cluster (KIP-976).
 * Served on admin.listeners when those are set.
 */
import type { FastifyInstance } from 'fastify'
import { RestError } from '../errors.ts'
import { pathParam, queryValues } from '../params.ts'
import type { RouteContext } from './context.ts'

// The levels log4j's Level.toLevel knows.
const LEVELS = new Set(['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'])

/** Registers the loggers resource. */
export function loggerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/admin/loggers', async () => handler.complete(() => herder.allLoggerLevels()))

  app.get('/admin/loggers/:logger', async (request) => {
    const name = pathParam(request, 'logger')
    const level = await handler.complete(() => herder.loggerLevel(name))
    if (level === undefined) throw new RestError(404, `Logger ${name} not found.`)
    return level
  })

  app.put('/admin/loggers/:logger', async (request, reply) => {
    const namespace = pathParam(request, 'logger')
    const body = request.body
    const level = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).level : undefined
    if (level === undefined || level === null) {
      throw new RestError(400, "Desired 'level' parameter was not specified in request.")
    }
    if (typeof level !== 'string' || !LEVELS.has(level.toUpperCase())) {
      throw new RestError(404, `invalid log level '${String(level)}'.`)
    }
    const scope = (queryValues(request, 'scope')[0] ?? 'worker').toLowerCase()
    if (scope === 'cluster') {
      await handler.complete(() => herder.setClusterLoggerLevel(namespace, level))
      return reply.code(204).send()
    }
    if (scope !== 'worker') {
      ctx.log.warn({ scope }, "Received invalid scope in request to adjust logging level; will default to 'worker'")
    }
    return reply.code(200).send(await handler.complete(() => herder.setWorkerLoggerLevel(namespace, level)))
  })
}
