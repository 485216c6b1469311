/**
 * The connector-plugins resource: installed plugins (connectors only by default), a plugin's config definition,
 * and config validation.
 */
import type { FastifyInstance } from 'fastify'
import { RestError } from '../errors.ts'
import { booleanQuery, configBody, pathParam } from '../params.ts'
import { redactValidation } from '../redact.ts'
import type { RouteContext } from './context.ts'

const ALIAS_SUFFIX = 'Connector'

/** Registers the connector-plugins resource. */
export function pluginRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { herder, handler } = ctx

  app.get('/connector-plugins', async (request) => {
    const connectorsOnly = booleanQuery(request, 'connectorsOnly') ?? true
    const plugins = await handler.complete(() => herder.connectorPlugins())
    return plugins
      .filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink')
      .map((p) => (p.version === 'undefined' || p.version === undefined ? { class: p.class, type: p.type } : p))
  })

  app.get('/connector-plugins/:plugin/config', async (request) => {
    const plugin = pathParam(request, 'plugin')
    return handler.complete(() => herder.connectorPluginConfig(plugin))
  })

  app.put('/connector-plugins/:plugin/config/validate', async (request) => {
    const plugin = pathParam(request, 'plugin')
    const config = configBody(request.body)
    const included = config['connector.class']
    if (typeof included === 'string' && !normalized(included).endsWith(normalized(plugin))) {
      throw new RestError(400, `Included connector type ${included} does not match request type ${plugin}`)
    }
    const infos = await handler.complete(() => herder.validateConnectorConfig(config))
    return redactValidation(infos, config)
  })
}

/** A class name without its Connector suffix, so that full names, simple names and aliases compare (Java's rule). */
function normalized(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name
}
