/**
 * Converters from configs, as Java's Plugins.newConverter and newHeaderConverter with Worker's precedence: a
 * connector that names its own `key.converter` / `value.converter` / `header.converter` gets that class, configured
 * with the connector's keys under the same prefix (prefix removed); otherwise the worker's class and prefixed keys.
 * `converter.type` is set to key, value or header. The header converter defaults to SimpleHeaderConverter.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import { ConfigError } from '../errors.ts'
import type { PluginRegistry } from './registry.ts'

/** Which converter of a record. */
export type ConverterRole = 'key' | 'value' | 'header'

const DEFAULT_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter'

function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
  return out
}

/** The config that decides a role's converter: the connector's when it names a class, else the worker's. */
function source(
  role: ConverterRole,
  connectorConfig: Readonly<Record<string, string>>,
  workerConfig: Readonly<Record<string, string>>,
): { className: string; configs: Record<string, string> } | undefined {
  const key = `${role}.converter`
  for (const config of [connectorConfig, workerConfig]) {
    const className = config[key]?.trim()
    if (className) return { className, configs: withPrefix(config, `${key}.`) }
  }
  return undefined
}

/** A configured key or value converter; a ConfigError when neither config names one. */
export function newConverter(
  registry: PluginRegistry,
  role: 'key' | 'value',
  connectorConfig: Readonly<Record<string, string>>,
  workerConfig: Readonly<Record<string, string>>,
): Converter {
  const found = source(role, connectorConfig, workerConfig)
  if (found === undefined) {
    throw new ConfigError(
      `Missing required configuration "${role}.converter" which has no default value.`,
      `${role}.converter`,
    )
  }
  const converter = registry.newInstance('converter', found.className)
  converter.configure({ ...found.configs, 'converter.type': role }, role === 'key')
  return converter
}

/** A configured header converter (SimpleHeaderConverter unless a config names another). */
export function newHeaderConverter(
  registry: PluginRegistry,
  connectorConfig: Readonly<Record<string, string>>,
  workerConfig: Readonly<Record<string, string>>,
): HeaderConverter {
  const found = source('header', connectorConfig, workerConfig) ?? { className: DEFAULT_HEADER_CONVERTER, configs: {} }
  const converter = registry.newInstance('header_converter', found.className)
  converter.configure({ ...found.configs, 'converter.type': 'header' })
  return converter
}
