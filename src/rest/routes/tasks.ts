/**
 * A connector's tasks: their configs (and the deprecated tasks-config map), a task's status, and task restart,
 * which runs on the worker that owns the task (forwarded through the leader when needed).
 */
import type { FastifyInstance } from 'fastify'
import { authorization, forwardQuery, pathParam, segment, taskParam } from '../params.ts'
import type { RouteContext } from './context.ts'

/** Registers the task endpoints of the connectors resource. */
export function taskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/connectors/:connector/tasks', async (request) => {
    const name = pathParam(request, 'connector')
    return handler.complete(() => herder.taskConfigs(name))
  })

  app.get('/connectors/:connector/tasks-config', async (request) => {
    const name = pathParam(request, 'connector')
    ctx.log.warn(
      "The 'GET /connectors/{connector}/tasks-config' endpoint is deprecated and will be removed in the next major " +
        "release. Please use the 'GET /connectors/{connector}/tasks' endpoint instead.",
    )
    return handler.complete(() => herder.tasksConfig(name))
  })

  app.get('/connectors/:connector/tasks/:task/status', async (request) => {
    const connector = pathParam(request, 'connector')
    const task = taskParam(request)
    return handler.complete(() => herder.taskStatus({ connector, task }))
  })

  app.post('/connectors/:connector/tasks/:task/restart', async (request, reply) => {
    const connector = pathParam(request, 'connector')
    const task = taskParam(request)
    await handler.completeOrForward(() => herder.restartTask({ connector, task }), {
      method: 'POST',
      path: `/connectors/${segment(connector)}/tasks/${task}/restart`,
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: () => undefined,
    })
    return reply.code(204).send()
  })
}
