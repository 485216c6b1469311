/**
 * The connectors resource: list (with expand=status / expand=info), create, info, config GET/PUT/PATCH, status,
 * restart, stop, pause, resume, delete. Writes that need the leader (or the owner, for restarts) are forwarded by
 * the request handler; reads are served from this worker's snapshot.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { NotFoundError } from '../../errors.ts'
import type { ConfigInput, ConnectorInfo, ConnectorStateInfo, Created, TargetState } from '../../herder/herder.ts'
import type { InboundResponse } from '../client.ts'
import { RestError } from '../errors.ts'
import {
  authorization,
  booleanQuery,
  configBody,
  connectorLocation,
  forwardQuery,
  pathParam,
  queryValues,
  segment,
} from '../params.ts'
import type { RouteContext } from './context.ts'

const INITIAL_STATES: Record<string, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' }

/** Registers the connectors resource. */
export function connectorRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/connectors', async (request) => {
    const names = await handler.complete(() => herder.connectors())
    if (!Object.hasOwn(request.query as object, 'expand')) return names
    const expansions = queryValues(request, 'expand')
    return handler.complete(async () => {
      const entries = await Promise.all(names.map((name) => expand(ctx, name, expansions)))
      return Object.fromEntries(entries.filter((e) => e !== undefined))
    })
  })

  app.post('/connectors', async (request, reply) => {
    const body = request.body
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RestError(400, 'The request body must be a JSON object with name and config')
    }
    const { name: rawName, config: rawConfig, initial_state: rawState } = body as Record<string, unknown>
    // Java trims the name and lets the herder's validation refuse an empty or missing one.
    const name = typeof rawName === 'string' ? rawName.trim() : ''
    const config = configBody(rawConfig)
    const initialState = parseInitialState(rawState)
    checkAndPutName(name, config)
    const created = await handler.completeOrForward(
      () => herder.putConnectorConfig(name, config, { allowReplace: false, initialState }),
      {
        method: 'POST',
        path: '/connectors',
        body: { name: rawName ?? null, config, initial_state: rawState ?? null },
        forward: forwardQuery(request),
        authorization: authorization(request),
        translate: createdFrom,
      },
    )
    return reply.code(201).header('Location', connectorLocation(request, name)).send(created.result)
  })

  app.get('/connectors/:connector', async (request) => {
    const name = pathParam(request, 'connector')
    return handler.complete(() => herder.connectorInfo(name))
  })

  app.get('/connectors/:connector/config', async (request) => {
    const name = pathParam(request, 'connector')
    return handler.complete(() => herder.connectorConfig(name))
  })

  app.put('/connectors/:connector/config', async (request, reply) => {
    const name = pathParam(request, 'connector')
    const config = configBody(request.body)
    checkAndPutName(name, config)
    const created = await handler.completeOrForward(
      () => herder.putConnectorConfig(name, config, { allowReplace: true }),
      {
        method: 'PUT',
        path: `/connectors/${segment(name)}/config`,
        body: config,
        forward: forwardQuery(request),
        authorization: authorization(request),
        translate: createdFrom,
      },
    )
    return sendCreated(request, reply, name, created)
  })

  app.patch('/connectors/:connector/config', async (request) => {
    const name = pathParam(request, 'connector')
    const patch = configBody(request.body, 'connector configuration patch')
    return handler.completeOrForward(() => herder.patchConnectorConfig(name, patch), {
      method: 'PATCH',
      path: `/connectors/${segment(name)}/config`,
      body: patch,
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: (response) => response.body as ConnectorInfo,
    })
  })

  app.get('/connectors/:connector/status', async (request) => {
    const name = pathParam(request, 'connector')
    return handler.complete(() => herder.connectorStatus(name))
  })

  app.post('/connectors/:connector/restart', async (request, reply) => {
    const name = pathParam(request, 'connector')
    const includeTasks = booleanQuery(request, 'includeTasks') ?? false
    const onlyFailed = booleanQuery(request, 'onlyFailed') ?? false
    const path = `/connectors/${segment(name)}/restart`
    const common = { method: 'POST', path, forward: forwardQuery(request), authorization: authorization(request) }
    if (!includeTasks && !onlyFailed) {
      // KIP-745 back-compat: the Connector instance only, answered 204 without a body.
      await handler.completeOrForward(() => herder.restartConnector(name), { ...common, translate: () => undefined })
      return reply.code(204).send()
    }
    const planned = await handler.completeOrForward(
      () => herder.restartConnectorAndTasks({ connector: name, includeTasks, onlyFailed }),
      {
        ...common,
        query: { includeTasks: String(includeTasks), onlyFailed: String(onlyFailed) },
        translate: (response) => response.body as ConnectorStateInfo,
      },
    )
    return reply.code(202).send(planned)
  })

  app.put('/connectors/:connector/stop', async (request, reply) => {
    const name = pathParam(request, 'connector')
    await handler.completeOrForward(() => herder.stopConnector(name), {
      method: 'PUT',
      path: `/connectors/${segment(name)}/stop`,
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: () => undefined,
    })
    return reply.code(204).send()
  })

  app.put('/connectors/:connector/pause', async (request, reply) => {
    const name = pathParam(request, 'connector')
    await handler.complete(() => herder.pauseConnector(name))
    return reply.code(202).send()
  })

  app.put('/connectors/:connector/resume', async (request, reply) => {
    const name = pathParam(request, 'connector')
    await handler.complete(() => herder.resumeConnector(name))
    return reply.code(202).send()
  })

  app.delete('/connectors/:connector', async (request, reply) => {
    const name = pathParam(request, 'connector')
    await handler.completeOrForward(() => herder.deleteConnectorConfig(name), {
      method: 'DELETE',
      path: `/connectors/${segment(name)}`,
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: () => undefined,
    })
    return reply.code(204).send()
  })
}

/** One connector's expansions; undefined when it disappeared meanwhile (Java leaves it out). */
async function expand(
  ctx: RouteContext,
  name: string,
  expansions: string[],
): Promise<[string, Record<string, unknown>] | undefined> {
  try {
    const entry: Record<string, unknown> = {}
    for (const expansion of expansions) {
      if (expansion === 'status') entry.status = await ctx.herder.connectorStatus(name)
      else if (expansion === 'info') entry.info = await ctx.herder.connectorInfo(name)
      else ctx.log.debug({ expansion }, 'Ignoring unknown expansion type')
    }
    return [name, entry]
  } catch (error) {
    if (error instanceof NotFoundError) return undefined
    throw error
  }
}

/**
 * The config's `name` must be the connector's; it is added when missing (Java's checkAndPutConnectorConfigName).
 * @throws RestError 400 on a mismatch
 */
function checkAndPutName(name: string, config: ConfigInput): void {
  const included = config.name
  if (included === undefined || included === null) {
    config.name = name
  } else if (included !== name) {
    throw new RestError(
      400,
      `Connector name configuration (${included}) doesn't match connector name in the URL (${name})`,
    )
  }
}

/** POST's initial_state: RUNNING, PAUSED or STOPPED in any case; absent or null means the herder's default. */
function parseInitialState(value: unknown): TargetState | undefined {
  if (value === undefined || value === null) return undefined
  const state = typeof value === 'string' ? INITIAL_STATES[value.toUpperCase()] : undefined
  if (state === undefined) {
    throw new RestError(400, `Invalid initial_state ${JSON.stringify(value)}: must be one of RUNNING, PAUSED, STOPPED`)
  }
  return state
}

/** A forwarded create-or-update's result: 201 from the target means created. */
function createdFrom(response: InboundResponse): Created<ConnectorInfo> {
  return { created: response.status === 201, result: response.body as ConnectorInfo }
}

function sendCreated(request: FastifyRequest, reply: FastifyReply, name: string, created: Created<ConnectorInfo>) {
  if (created.created) return reply.code(201).header('Location', connectorLocation(request, name)).send(created.result)
  return reply.code(200).send(created.result)
}
