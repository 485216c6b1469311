/**
 * GET / (worker version, commit, Kafka cluster id) and GET /health (KIP-1017: 200 healthy, 503 while starting,
 * 500 when the herder does not answer within the health check timeout). A browser asking for / is sent to the UI.
 */
import type { FastifyInstance } from 'fastify'
import { stageSummary } from '../request-handler.ts'
import type { RouteContext } from './context.ts'
import { wantsHtml } from './ui.ts'

const HEALTHY = 'Worker has completed startup and is ready to handle requests.'

/** Registers the root resource. */
export function rootRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/', async (request, reply) => {
    // A browser opening the worker's address gets the UI; every API client gets Java's answer.
    if (wantsHtml(request.headers.accept)) return reply.redirect('/ui/')
    const kafkaClusterId = await ctx.handler.complete(() => ctx.herder.kafkaClusterId())
    return { version: ctx.version, commit: ctx.commit, kafka_cluster_id: kafkaClusterId }
  })

  app.get('/health', async (_request, reply) => {
    const timedOut = Symbol('timed out')
    let cancel = () => {}
    const timer = new Promise<typeof timedOut>((resolve) => {
      cancel = ctx.clock.setTimer(ctx.healthCheckTimeoutMs, () => resolve(timedOut))
    })
    let outcome: unknown
    try {
      outcome = await Promise.race([ctx.herder.healthCheck(), timer])
    } finally {
      cancel()
    }
    if (outcome !== timedOut) return reply.code(200).send({ status: 'healthy', message: HEALTHY })
    const stage = await ctx.herder.stage()
    const details = stage === undefined ? '' : ` ${stageSummary(stage)}`
    if (!(await ctx.herder.isReady())) {
      return reply.code(503).send({ status: 'starting', message: `Worker is still starting up.${details}` })
    }
    return reply.code(500).send({
      status: 'unhealthy',
      message: `Worker was unable to handle this request and may be unable to handle other requests.${details}`,
    })
  })
}
