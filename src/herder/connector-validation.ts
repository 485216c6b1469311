/**
 * Connector config validation, as Java's AbstractHerder.validateConnectorConfig: the framework keys (sink or
 * source), enriched with the keys of every transform and predicate alias, then the connector's own keys and its
 * validate(), merged into the REST validate answer. Creating or updating a connector refuses a config with errors,
 * with Java's message.
 *
 * Secrets: values are validated as written (provider references unresolved) unless a resolver is given; either
 * way the answer shows the raw value of a key whose raw value holds a reference, and PASSWORD values as "[hidden]".
 */
import type { Connector, SourceConnector } from '../api/connector.ts'
import { ConfigDef, ConfigValue } from '../config/config-def.ts'
import { convertConfigKey, generateResult, mergeConfigInfos } from '../config/config-infos.ts'
import {
  type FrameworkDefaults,
  sinkConnectorConfigDef,
  sourceConnectorConfigDef,
} from '../config/connect/connector-config.ts'
import { BadRequestError, ConfigError, NotFoundError } from '../errors.ts'
import type { ConfigResolver } from '../plugins/config-providers/worker-config-providers.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { enrichConnectorConfigDef } from '../transforms/enrich.ts'
import { withoutNulls } from '../util/config-map.ts'
import { checkConverterClass, validateConverterConfig } from './converter-validation.ts'
import { checkSourceExactlyOnce } from './exactly-once-validation.ts'
import type { ConfigInfos, ConfigInput, ConfigKeyInfo, ConfigMap } from './herder.ts'
import { validateClientOverrides } from './override-validation.ts'

/** What validation needs beyond the config. */
export interface ValidationContext {
  readonly plugins: PluginRegistry
  /** The worker's group.id: a sink's consumer group must differ from it. */
  readonly workerGroupId: string
  /** The worker's key.converter, value.converter and header.converter: the defaults validation shows. */
  readonly workerConverters?: Readonly<Partial<Record<'key' | 'value' | 'header', string>>>
  /** Resolves config provider references (validation then sees real values); raw values are validated without. */
  readonly resolve?: ConfigResolver
  /** The worker's properties: its client override policy and exactly-once support; none means Java's defaults. */
  readonly workerConfig?: Readonly<ConfigMap>
  /** Distributed workers only: whether exactly.once.source.support=enabled (for the exactly-once preflight checks). */
  readonly exactlyOnceSourceEnabled?: boolean
}

const CONVERTER_ROLES = ['header', 'key', 'value'] as const

const NULL_VALUE = 'Null value can not be supplied as the configuration value.'
const REFERENCE = /\$\{[^}]*?:[^}]*?\}/

/**
 * Validates a connector config.
 * @throws BadRequestError when the config names no connector class, or one that is not installed
 */
export async function validateConnectorConfig(ctx: ValidationContext, input: ConfigInput): Promise<ConfigInfos> {
  const connectorClass = input['connector.class']
  if (connectorClass === undefined || connectorClass === null) {
    throw new BadRequestError(`Connector config ${javaMapString(input)} contains no connector type`)
  }
  const raw: ConfigMap = {}
  const nullKeys: string[] = []
  for (const [k, v] of Object.entries(input)) {
    if (v === null) nullKeys.push(k)
    else raw[k] = v
  }
  const plugin = ctx.plugins.find('connector', connectorClass)
  if (plugin === undefined) {
    throw new BadRequestError(
      `Failed to find any class that implements Connector and which name matches ${connectorClass}, available connectors are: ${ctx.plugins
        .plugins('connector')
        .map(String)
        .join(', ')}`,
    )
  }
  const props = ctx.resolve ? withoutNulls(await ctx.resolve(raw)) : raw
  const isSink = plugin.type === 'sink'
  const defaults = frameworkDefaults(ctx, plugin.version ?? null, props)
  const base = isSink ? sinkConnectorConfigDef(defaults) : sourceConnectorConfigDef(defaults)
  const def = enrichConnectorConfigDef(ctx.plugins, base, props, false)
  const values = def.validateAll(props)
  if (isSink) checkSink(values, props, ctx.workerGroupId)
  for (const role of CONVERTER_ROLES) {
    checkConverterClass(ctx.plugins, role, props[`${role}.converter`], values.get(`${role}.converter`))
  }

  const connector = plugin.newInstance() as Connector
  if (!isSink && ctx.exactlyOnceSourceEnabled !== undefined) {
    checkSourceExactlyOnce(values, connector as SourceConnector, props, ctx.exactlyOnceSourceEnabled)
  }
  const own = connector.config()
  const combined = new ConfigDef(def)
  for (const key of own.configKeys.values()) if (!combined.configKeys.has(key.name)) combined.define(key)
  for (const v of await connector.validate(props)) {
    const existing = values.get(v.name)
    if (existing === undefined) values.set(v.name, v)
    else for (const m of v.errorMessages) if (!existing.errorMessages.includes(m)) existing.addErrorMessage(m)
  }
  for (const k of nullKeys) {
    const v = values.get(k) ?? new ConfigValue(k)
    v.addErrorMessage(NULL_VALUE)
    values.set(k, v)
  }
  // As Java's: the connector's converters are validated before the answer is made, so that a converter that
  // cannot be created or validated shows on its key; their own keys and the client overrides come after.
  const converters = CONVERTER_ROLES.map((role) =>
    validateConverterConfig(ctx.plugins, role, props, values.get(`${role}.converter`)),
  )
  // Java names the result after connector.class as the user wrote it (an alias stays an alias).
  const infos = mergeConfigInfos(
    connectorClass,
    generateResult(connectorClass, combined.configKeys, [...values.values()], combined.groups),
    ...validateClientOverrides(plugin.type === 'sink' ? 'sink' : 'source', props, ctx.workerConfig ?? {}),
    ...converters,
  )
  return {
    ...infos,
    configs: infos.configs.map((c) => {
      const name = c.value?.name ?? ''
      const reference = REFERENCE.test(raw[name] ?? '') ? raw[name] : undefined
      if (c.value === null || reference === undefined) return c
      // A value read through a config provider is shown as its reference, never resolved, errors included.
      return {
        definition: c.definition,
        value: {
          ...c.value,
          value: reference,
          errors: c.value.errors.map((m) => hideResolved(m, name, props[name], reference)),
        },
      }
    }),
  }
}

/** Java's message for a create or update refused by validation; `key` names the first key at fault. */
export function invalidConfigError(infos: ConfigInfos): ConfigError {
  const errors = infos.configs.flatMap((c) => c.value?.errors ?? [])
  const first = infos.configs.find((c) => (c.value?.errors.length ?? 0) > 0)?.value?.name
  return new ConfigError(
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n` +
      `${errors.join('\n')}\n` +
      'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    first,
  )
}

/** The plugin's own keys, then (for connectors) the framework's (GET /connector-plugins/{plugin}/config). */
export function pluginConfigKeys(plugins: PluginRegistry, name: string): ConfigKeyInfo[] {
  const plugin = plugins
    .plugins()
    .find((p) => p.type !== 'configprovider' && matches(plugins, p.type, name, p.className))
  if (plugin === undefined) throw new NotFoundError(`Unknown plugin ${name}.`)
  const instance = plugin.newInstance() as { config?: () => ConfigDef }
  const own = typeof instance.config === 'function' ? instance.config() : new ConfigDef()
  const keys = [...own.configKeys.values()]
  const defaults = { connectorVersion: plugin.version ?? null }
  if (plugin.type === 'sink') keys.push(...sinkConnectorConfigDef(defaults).configKeys.values())
  else if (plugin.type === 'source') keys.push(...sourceConnectorConfigDef(defaults).configKeys.values())
  const def = new ConfigDef()
  for (const k of keys) if (!def.configKeys.has(k.name)) def.define(k)
  return [...def.configKeys.values()].map((k) => convertConfigKey(k))
}

/**
 * What Java 4.3 fills in when validating: the connector's version, and per converter key the worker's class, every
 * installed converter class (Java's names, sorted) and the version of the converter in effect.
 */
function frameworkDefaults(
  ctx: ValidationContext,
  connectorVersion: string | null,
  props: ConfigMap,
): FrameworkDefaults {
  const converters: NonNullable<FrameworkDefaults['converters']> = {}
  for (const kind of ['key', 'value', 'header'] as const) {
    const type = kind === 'header' ? 'header_converter' : 'converter'
    const classes = [...new Set(ctx.plugins.plugins(type).map((p) => p.displayName))].sort()
    const worker = ctx.workerConverters?.[kind]
    const className = worker === undefined ? null : (lookUp(ctx.plugins, type, worker)?.displayName ?? worker)
    const inEffect = props[`${kind}.converter`] ?? className
    const version = inEffect === null ? null : (lookUp(ctx.plugins, type, inEffect)?.version ?? null)
    converters[kind] = { className, classes, version }
  }
  return { connectorVersion, converters }
}

/** The plugin of that type and name; undefined when none (or the name is ambiguous): its own validation says so. */
function lookUp(plugins: PluginRegistry, type: 'converter' | 'header_converter', name: string) {
  try {
    return plugins.find(type, name)
  } catch {
    return undefined
  }
}

function matches(
  plugins: PluginRegistry,
  type: Parameters<PluginRegistry['find']>[0],
  name: string,
  className: string,
) {
  try {
    return plugins.find(type, name)?.className === className
  } catch {
    return false
  }
}

function checkSink(values: Map<string, ConfigValue>, props: ConfigMap, workerGroupId: string): void {
  const hasTopics = (props.topics ?? '').trim() !== ''
  const hasRegex = (props['topics.regex'] ?? '').trim() !== ''
  const message =
    hasTopics && hasRegex
      ? 'topics and topics.regex are mutually exclusive options, but both are set.'
      : !hasTopics && !hasRegex
        ? 'Must configure one of topics or topics.regex'
        : undefined
  if (message !== undefined) {
    for (const k of ['topics', 'topics.regex']) values.get(k)?.addErrorMessage(message)
  }
  const groupKey = 'consumer.override.group.id'
  const groupId = props[groupKey] ?? `connect-${props.name ?? ''}`
  if (groupId === workerGroupId) {
    const key = props[groupKey] === undefined ? 'name' : groupKey
    const v = values.get(key) ?? new ConfigValue(key)
    v.addErrorMessage(`Consumer group ${groupId} conflicts with Connect worker group ${workerGroupId}`)
    values.set(key, v)
  }
}

/** A map as Java's AbstractMap.toString prints it: {k=v, k2=v2}. */
function javaMapString(config: ConfigInput): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`
}

/** An error message with a resolved value put back as its reference. */
function hideResolved(message: string, name: string, resolved: string | undefined, reference: string): string {
  if (resolved === undefined || resolved === reference) return message
  const java = `Invalid value ${resolved} for configuration ${name}`
  let out = message.replaceAll(java, `Invalid value ${reference} for configuration ${name}`)
  // Short values ("0") may be part of other words; longer ones (secrets) are hidden wherever they appear.
  if (resolved.length >= 4) out = out.replaceAll(resolved, reference)
  return out
}
