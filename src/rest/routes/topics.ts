/**
 * A connector's active topics (KIP-558): the topics it has used, and their reset; both refused with 403 when
 * topic.tracking.enable (or topic.tracking.allow.reset) is off.
 */
import type { FastifyInstance } from 'fastify'
import { RestError } from '../errors.ts'
import { pathParam } from '../params.ts'
import type { RouteContext } from './context.ts'

/** Registers the topics endpoints. */
export function topicRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/connectors/:connector/topics', async (request) => {
    if (!ctx.topicTrackingEnabled) throw new RestError(403, 'Topic tracking is disabled.')
    const name = pathParam(request, 'connector')
    const info = await handler.complete(() => herder.connectorActiveTopics(name))
    return { [info.connector]: { topics: info.topics } }
  })

  app.put('/connectors/:connector/topics/reset', async (request, reply) => {
    if (!ctx.topicTrackingEnabled) throw new RestError(403, 'Topic tracking is disabled.')
    if (!ctx.topicTrackingResetEnabled) throw new RestError(403, 'Topic tracking reset is disabled.')
    const name = pathParam(request, 'connector')
    await handler.complete(() => herder.resetConnectorActiveTopics(name))
    return reply.code(202).send()
  })
}
