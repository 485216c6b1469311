/**
 * The internal endpoints that workers call on each other: task configs sent to the leader, and zombie fencing
 * requests. Under the sessioned protocol each must carry a valid KIP-507 signature of its exact body bytes; a
 * request forwarded on to the leader is signed again with this worker's session key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ConfigMap } from '../../herder/herder.ts'
import { RestError } from '../errors.ts'
import { authorization, configBody, forwardQuery, pathParam, segment } from '../params.ts'
import { rawBody } from '../raw-body.ts'
import { verifySignature } from '../signature.ts'
import type { RouteContext } from './context.ts'

/** Registers the internal endpoints. */
export function internalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.post('/connectors/:connector/tasks', async (request, reply) => {
    await verify(ctx, request)
    const name = pathParam(request, 'connector')
    const configs = taskConfigsBody(request.body)
    await handler.completeOrForward(() => herder.putTaskConfigs(name, configs), {
      method: 'POST',
      path: `/connectors/${segment(name)}/tasks`,
      body: configs,
      forward: forwardQuery(request),
      authorization: authorization(request),
      signed: true,
      translate: () => undefined,
    })
    return reply.code(204).send()
  })

  app.put('/connectors/:connector/fence', async (request, reply) => {
    await verify(ctx, request)
    const name = pathParam(request, 'connector')
    await handler.completeOrForward(() => herder.fenceZombieSourceTasks(name), {
      method: 'PUT',
      path: `/connectors/${segment(name)}/fence`,
      forward: forwardQuery(request),
      authorization: authorization(request),
      signed: true,
      translate: () => undefined,
    })
    return reply.code(204).send()
  })
}

async function verify(ctx: RouteContext, request: FastifyRequest): Promise<void> {
  const security = await ctx.herder.internalRequestSecurity()
  const header = (name: string) => {
    const value = request.headers[name.toLowerCase()]
    return typeof value === 'string' ? value : undefined
  }
  verifySignature(header, rawBody(request), security)
}

/** A JSON list of task config maps. */
function taskConfigsBody(body: unknown): ConfigMap[] {
  if (!Array.isArray(body)) throw new RestError(400, 'The request body must be a JSON list of task configs')
  return body.map((entry) => {
    const config = configBody(entry, 'task configuration')
    for (const [key, value] of Object.entries(config)) {
      if (value === null) throw new RestError(400, `Task config value of '${key}' must not be null`)
    }
    return config as ConfigMap
  })
}
