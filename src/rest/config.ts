/**
 * The REST server's settings from worker properties: Java's RestServerConfig keys (listeners, rest.advertised.*,
 * admin.listeners, CORS, response headers, ssl.*, topic tracking) plus tsconnect's `rest.basic.auth.file`, with
 * Java's defaults. Invalid values stop the worker with a ConfigError naming the key.
 */
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
}

/**
 * Reads the REST settings from worker properties.
 * @throws ConfigError naming the key at fault
 */
export function restConfigFromProperties(props: Record<string, string>): RestConfig {
  const rawListeners = props.listeners ?? 'http://:8083'
  const admin = props['admin.listeners']
  const advertisedListener = nonEmpty(props['rest.advertised.listener'])
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
    advertisedHostName: nonEmpty(props['rest.advertised.host.name']),
    advertisedPort: int(props, 'rest.advertised.port'),
    advertisedListener,
    allowedOrigins: props['access.control.allow.origin'] ?? '',
    allowedMethods: props['access.control.allow.methods'] ?? '',
    responseHeaders: parseHeaderRules(props['response.http.headers.config'] ?? ''),
    ssl: sslSettings(props, 'listeners.https.'),
    adminSsl: sslSettings(props, 'admin.listeners.https.'),
    topicTrackingEnabled: bool(props, 'topic.tracking.enable', true),
    topicTrackingResetEnabled: bool(props, 'topic.tracking.allow.reset', true),
    basicAuthFile: nonEmpty(props['rest.basic.auth.file']),
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

function int(props: Record<string, string>, key: string): number | undefined {
  const value = nonEmpty(props[key])
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n))
    throw new ConfigError(`Invalid value ${value} for configuration ${key}: Not a number of type INT`, key)
  return n
}

function bool(props: Record<string, string>, key: string, fallback: boolean): boolean {
  const value = nonEmpty(props[key])
  if (value === undefined) return fallback
  if (value.toLowerCase() === 'true') return true
  if (value.toLowerCase() === 'false') return false
  throw new ConfigError(
    `Invalid value ${value} for configuration ${key}: Expected value to be either true or false`,
    key,
  )
}
