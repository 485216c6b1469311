/**
 * A connector's offsets (KIP-875): GET reads them; PATCH alters and DELETE resets them, on the leader, and only
 * while the connector is STOPPED (the herder checks that).
 */
import type { FastifyInstance } from 'fastify'
import type { ConnectorOffset, Message } from '../../herder/herder.ts'
import { RestError } from '../errors.ts'
import { stringifyWithLongs } from '../json-longs.ts'
import { authorization, forwardQuery, pathParam, segment } from '../params.ts'
import type { RouteContext } from './context.ts'

/** Registers the offsets endpoints. */
export function offsetRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/connectors/:connector/offsets', async (request, reply) => {
    const name = pathParam(request, 'connector')
    const offsets = await handler.complete(() => herder.connectorOffsets(name))
    // Offsets may hold 64-bit values as bigints, which the default serializer refuses.
    return reply.type('application/json').serializer(stringifyWithLongs).send(offsets)
  })

  app.patch('/connectors/:connector/offsets', async (request) => {
    const name = pathParam(request, 'connector')
    const offsets = offsetsBody(request.body)
    return handler.completeOrForward(() => herder.alterConnectorOffsets(name, offsets), {
      method: 'PATCH',
      path: `/connectors/${segment(name)}/offsets`,
      body: { offsets },
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: (response) => response.body as Message,
    })
  })

  app.delete('/connectors/:connector/offsets', async (request) => {
    const name = pathParam(request, 'connector')
    return handler.completeOrForward(() => herder.resetConnectorOffsets(name), {
      method: 'DELETE',
      path: `/connectors/${segment(name)}/offsets`,
      forward: forwardQuery(request),
      authorization: authorization(request),
      translate: (response) => response.body as Message,
    })
  })
}

/**
 * The `offsets` list of an alter request.
 * @throws RestError 400 when it is missing or empty (Java's message), or not a list of {partition, offset}
 */
function offsetsBody(body: unknown): ConnectorOffset[] {
  const offsets = body !== null && typeof body === 'object' ? (body as { offsets?: unknown }).offsets : undefined
  if (offsets === undefined || offsets === null || (Array.isArray(offsets) && offsets.length === 0)) {
    throw new RestError(400, 'Partitions / offsets need to be provided for an alter offsets request')
  }
  if (!Array.isArray(offsets)) throw new RestError(400, "'offsets' must be a list of {partition, offset} objects")
  return offsets.map((entry: unknown) => {
    const { partition, offset } = (entry ?? {}) as { partition?: unknown; offset?: unknown }
    if (!isObject(partition) || (offset !== null && offset !== undefined && !isObject(offset))) {
      throw new RestError(400, 'Each entry of \'offsets\' must be {"partition": {...}, "offset": {...} or null}')
    }
    return { partition, offset: offset ?? null }
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
