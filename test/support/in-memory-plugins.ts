/**
 * The plugins the in-memory herder knows and its connector config validation: required keys, INT values, names and
 * nulls, after resolving `${vault:path:key}` references from a map, as Java's herder resolves config providers
 * before validating. Values are echoed as validation sees them: hiding secrets is left to REST, which tests check.
 */
import { BadRequestError, ConnectError } from '../../src/errors.ts'
import type { ConfigInfo, ConfigInfos, ConfigInput, ConfigKeyInfo, PluginInfo } from '../../src/herder/herder.ts'

function key(
  name: string,
  type: ConfigKeyInfo['type'],
  options: { required?: boolean; defaultValue?: string | null; group?: string; order?: number } = {},
): ConfigKeyInfo {
  return {
    name,
    type,
    required: options.required ?? false,
    default_value: options.defaultValue ?? null,
    importance: 'HIGH',
    documentation: `The ${name}.`,
    group: options.group ?? null,
    order_in_group: options.order ?? -1,
    width: 'NONE',
    display_name: name,
    dependents: [],
  }
}

export const FRAMEWORK_KEYS = [
  key('name', 'STRING', { required: true, group: 'Common', order: 1 }),
  key('connector.class', 'STRING', { required: true, group: 'Common', order: 2 }),
  key('tasks.max', 'INT', { defaultValue: '1', group: 'Common', order: 3 }),
]

export interface Plugin {
  info: PluginInfo
  keys: ConfigKeyInfo[]
}

/** The plugins the double knows. */
export const PLUGINS: Plugin[] = [
  {
    info: { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '4.0.0' },
    keys: [key('file', 'STRING'), key('topics', 'LIST')],
  },
  {
    info: { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.0.0' },
    keys: [key('file', 'STRING'), key('topic', 'STRING', { required: true }), key('batch.size', 'INT')],
  },
  {
    info: { class: 'org.example.DatabaseSourceConnector', type: 'source', version: 'undefined' },
    keys: [key('db.user', 'STRING'), key('db.password', 'PASSWORD', { required: true })],
  },
  { info: { class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '4.0.0' }, keys: [] },
]

export function findPlugin(name: string): Plugin | undefined {
  const simple = (c: string) => c.slice(c.lastIndexOf('.') + 1)
  return PLUGINS.find(
    (p) => p.info.class === name || simple(p.info.class) === name || simple(p.info.class) === `${name}Connector`,
  )
}

/** Validates a connector config as the herder would (Java's ConfigInfos shape). */
export function validateConfig(raw: ConfigInput, secrets: Record<string, string>): ConfigInfos {
  // Java's herder resolves config providers before validating.
  const config: ConfigInput = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [
      k,
      v === null
        ? null
        : v.replace(
            /\$\{vault:([^}:]*):([^}]*)\}/g,
            (_m, path: string, key: string) => secrets[`${path}:${key}`] ?? '',
          ),
    ]),
  ) as ConfigInput
  const className = config['connector.class']
  if (className === undefined || className === null)
    throw new BadRequestError('Connector config contains no connector type')
  const plugin = findPlugin(className)
  if (plugin === undefined || (plugin.info.type !== 'source' && plugin.info.type !== 'sink')) {
    throw new ConnectError(
      'UNKNOWN',
      `Failed to find any class that implements Connector and which name matches ${className}`,
    )
  }
  const definitions = [...FRAMEWORK_KEYS, ...plugin.keys]
  const configs: ConfigInfo[] = definitions.map((definition) => {
    const value = config[definition.name]
    const errors: string[] = []
    if (value === undefined && definition.required) {
      errors.push(`Missing required configuration "${definition.name}" which has no default value.`)
    } else if (value === null) {
      errors.push('Null value can not be supplied as the configuration value.')
    } else if (definition.type === 'INT' && value !== undefined && !/^-?\d+$/.test(value.trim())) {
      errors.push(`Invalid value ${value} for configuration ${definition.name}: Not a number of type INT`)
    } else if (definition.name === 'name' && value?.trim() === '') {
      errors.push('String may not be empty')
    }
    return {
      definition,
      value: {
        name: definition.name,
        value: value ?? definition.default_value,
        recommended_values: [],
        errors,
        visible: true,
      },
    }
  })
  for (const [name, value] of Object.entries(config)) {
    if (definitions.some((d) => d.name === name)) continue
    const errors = value === null ? ['Null value can not be supplied as the configuration value.'] : []
    configs.push({ definition: null, value: { name, value, recommended_values: [], errors, visible: true } })
  }
  return {
    name: plugin.info.class,
    error_count: configs.reduce((n, c) => n + (c.value?.errors.length ?? 0), 0),
    groups: ['Common'],
    configs,
  }
}
