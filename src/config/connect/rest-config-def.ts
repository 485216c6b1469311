/**
 * The REST server's worker keys (Java's RestServerConfig, plus tsconnect's rest.basic.auth.file): declared once
 * here, below rest/, so that the worker's ConfigDef (worker-config.ts: parsing, validation, generated docs) and the
 * REST server's settings (rest/config.ts) read the same names, types and defaults.
 *
 * The ssl.* keys of HTTPS listeners are read by rest/tls.ts with their listeners.https. / admin.listeners.https.
 * prefixes, as Java's, and are not declared here (ssl.client.auth aside, for the docs).
 */

import { ConfigError } from '../../errors.ts'
import { ConfigDef, type ConfigKeyOptions } from '../config-def.ts'
import { Validators } from '../validators.ts'

/** Java's RestServerConfig.ListenersValidator: at least one URL, none blank (each URL is parsed by rest/). */
const listenersValidator = Validators.of((name, value) => {
  const items = Array.isArray(value) ? (value as unknown[]) : []
  if (items.length === 0) {
    throw new ConfigError(
      'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
      name,
    )
  }
  if (items.some((item) => String(item).trim() === '')) {
    throw new ConfigError('Empty URL found when parsing listeners list.', name)
  }
}, 'List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443.')

const REST: Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[] = [
  {
    name: 'listeners',
    type: 'LIST',
    defaultValue: 'http://:8083',
    validator: listenersValidator,
    importance: 'LOW',
    documentation: 'Comma-separated URIs the REST API listens on, e.g. http://:8083,https://0.0.0.0:8443.',
  },
  {
    name: 'rest.advertised.host.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'The host name given to other workers to reach this one, when it differs from the listener.',
  },
  {
    name: 'rest.advertised.port',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'The port given to other workers to reach this one, when it differs from the listener.',
  },
  {
    name: 'rest.advertised.listener',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Which listener (http or https) other workers reach this one through.',
  },
  {
    name: 'admin.listeners',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Listeners of the admin endpoints (/admin/loggers); unset: the main listeners; empty: admin endpoints off.',
  },
  {
    name: 'rest.extension.classes',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Accepted for Java compatibility; tsconnect has no REST extensions.',
  },
  {
    name: 'access.control.allow.origin',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'The Access-Control-Allow-Origin of REST answers (CORS); empty disables CORS.',
  },
  {
    name: 'access.control.allow.methods',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'The methods allowed in cross-origin requests.',
  },
  {
    name: 'response.http.headers.config',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Rules for REST response headers: [set|add|setDate|addDate] Name: Value, comma-separated.',
  },
  {
    name: 'ssl.client.auth',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.inIgnoringCase('required', 'requested', 'none'),
    importance: 'LOW',
    documentation: 'Whether HTTPS listeners ask clients for certificates: required, requested or none.',
  },
  {
    name: 'topic.tracking.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether the topics connectors use are tracked (GET /connectors/{name}/topics).',
  },
  {
    name: 'topic.tracking.allow.reset',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether tracked topics may be reset through REST.',
  },
  {
    name: 'rest.basic.auth.file',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'tsconnect: an htpasswd-style file of users; when set, the REST API requires basic authentication.',
  },
  {
    name: 'tsconnect.metrics.listeners',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      "tsconnect only. Listeners (e.g. http://:9404, Strimzi's metrics port) that serve GET /metrics alone, besides the REST listeners; basic authentication applies as on the REST API. Empty: /metrics on the REST listeners only. See docs/monitoring.md.",
  },
]

/** The REST keys, in the worker ConfigDef's "REST" group. */
export const REST_CONFIG_KEYS: readonly ConfigKeyOptions[] = REST.map((k, i) => ({
  ...k,
  group: 'REST',
  orderInGroup: i + 1,
}))

/** A ConfigDef of the REST keys alone, for reading the REST settings from worker properties. */
export const REST_CONFIG_DEF: ConfigDef = (() => {
  const def = new ConfigDef()
  for (const k of REST_CONFIG_KEYS) def.define(k)
  return def
})()
