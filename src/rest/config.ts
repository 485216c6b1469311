/**
 * The REST server's settings from worker properties: Java's RestServerConfig keys (listeners, rest.advertised.*,
 * admin.listeners, CORS, response headers, ssl.*, topic tracking) plus tsconnect's `rest.basic.auth.file`, with
 * Java's defaults, as declared once in herder/rest-config-def.ts. Invalid values stop the worker with a ConfigError
 * naming the key.
 */
import { AbstractConfig } from '../config/abstract-config.ts'
import { REST_CONFIG_DEF } from '../config/connect/rest-config-def.ts'
import { ConfigError } from '../errors.ts'
import { type Listener, parseListeners } from './listeners.ts'
import { type HeaderRule, parseHeaderRules } from './response-headers.ts'
import { type SslSettings, sslSettings } from './tls.ts'

/** Java's default REST request timeout (RestServer.DEFAULT_REST_REQUEST_TIMEOUT_MS). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000
/** Java's default health check timeout. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 10_000

/** Everything the REST server reads from the worker config. */
export interface RestConfig {
  listeners: Listener[]
  /** The `listeners` value as written (for the advertised protocol). */
  rawListeners: string
  /** undefined: admin endpoints on the main listeners; empty: admin endpoints off; else their own listeners. */
  adminListeners: Listener[] | undefined
  advertisedHostName: string | undefined
  advertisedPort: number | undefined
  advertisedListener: string | undefined
  allowedOrigins: string
  allowedMethods: string
  responseHeaders: HeaderRule[]
  /** ssl.* settings for the main HTTPS listeners (and the forwarding client). */
  ssl: SslSettings
  /** ssl.* settings for admin HTTPS listeners. */
  adminSsl: SslSettings
  topicTrackingEnabled: boolean
  topicTrackingResetEnabled: boolean
  /** The htpasswd-style credentials file; basic authentication is off when undefined. */
  basicAuthFile: string | undefined
  /** tsconnect.metrics.listeners: where GET /metrics is served besides the REST listeners (none by default). */
  metricsListeners: Listener[]
}

/**
 * Reads the REST settings from worker properties, through the keys' declaration (herder/rest-config-def.ts): the
 * same defaults, types and validation as the worker config's.
 * @throws ConfigError naming the key at fault
 */
export function restConfigFromProperties(props: Record<string, string>): RestConfig {
  const config = new AbstractConfig(REST_CONFIG_DEF, props)
  const string = (key: string) => nonEmpty(config.getString(key) ?? undefined)
  // Listeners are parsed from the text as written, for Java's per-URL messages and the advertised protocol.
  const rawListeners = props.listeners ?? (config.getList('listeners') ?? []).join(',')
  const admin = props['admin.listeners']
  const advertisedListener = string('rest.advertised.listener')
  if (advertisedListener !== undefined && !['http', 'https'].includes(advertisedListener.toLowerCase())) {
    throw new ConfigError(
      `Invalid value ${advertisedListener} for configuration rest.advertised.listener: must be http or https`,
      'rest.advertised.listener',
    )
  }
  return {
    listeners: parseListeners(rawListeners, 'listeners'),
    rawListeners,
    adminListeners: admin === undefined ? undefined : parseListeners(admin, 'admin.listeners', true),
    advertisedHostName: string('rest.advertised.host.name'),
    advertisedPort: config.getInt('rest.advertised.port') ?? undefined,
    advertisedListener,
    allowedOrigins: config.getString('access.control.allow.origin') ?? '',
    allowedMethods: config.getString('access.control.allow.methods') ?? '',
    responseHeaders: parseHeaderRules(config.getString('response.http.headers.config') ?? ''),
    ssl: sslSettings(props, 'listeners.https.'),
    adminSsl: sslSettings(props, 'admin.listeners.https.'),
    topicTrackingEnabled: config.getBoolean('topic.tracking.enable') ?? true,
    topicTrackingResetEnabled: config.getBoolean('topic.tracking.allow.reset') ?? true,
    basicAuthFile: string('rest.basic.auth.file'),
    metricsListeners: parseListeners(props['tsconnect.metrics.listeners'] ?? '', 'tsconnect.metrics.listeners', true),
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
