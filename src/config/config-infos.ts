/**
 * The REST answer of `PUT /connector-plugins/{name}/config/validate`, as Java's ConfigInfos, ConfigInfo,
 * ConfigKeyInfo and ConfigValueInfo, field names and order included:
 *
 *   {"name", "error_count", "groups", "configs": [{"definition": {"name","type","required","default_value",
 *     "importance","documentation","group","order_in_group","width","display_name","dependents"},
 *     "value": {"name","value","recommended_values","errors","visible"}}]}
 *
 * This is what Kafka 4.3 writes (ConfigKeyInfo became a Java record, checked against the reference worker's
 * jars); Kafka 4.0 and earlier wrote the order as "order", after "dependents".
 *
 * Values and defaults are shown as strings (lists joined with ",", passwords as "[hidden]"). A validated value that
 * no definition covers appears with `"definition": null`, before the defined ones (Java's generateResult order).
 */
import type { ConfigDef, ConfigKey, ConfigValue } from './config-def.ts'
import { type ConfigType, convertToString } from './types.ts'

/** One config's declaration, as REST shows it. */
export interface ConfigKeyInfo {
  name: string
  type: ConfigType
  required: boolean
  default_value: string | null
  importance: string
  documentation: string | null
  group: string | null
  order_in_group: number
  width: string
  display_name: string
  dependents: string[]
}

/** One config's validation outcome, as REST shows it. */
export interface ConfigValueInfo {
  name: string
  value: string | null
  recommended_values: string[]
  errors: string[]
  visible: boolean
}

/** A declaration and its outcome; either may be null. */
export interface ConfigInfo {
  definition: ConfigKeyInfo | null
  value: ConfigValueInfo | null
}

/** The whole validate answer. */
export interface ConfigInfos {
  name: string
  error_count: number
  groups: string[]
  configs: ConfigInfo[]
}

/** A declaration as REST shows it; `prefix` is put before the name (e.g. "producer.override."). */
export function convertConfigKey(key: ConfigKey, prefix = ''): ConfigKeyInfo {
  return {
    name: prefix + key.name,
    type: key.type,
    required: !key.hasDefault,
    default_value: key.hasDefault ? convertToString(key.defaultValue, key.type) : null,
    importance: key.importance,
    documentation: key.documentation,
    group: key.group,
    order_in_group: key.orderInGroup,
    width: key.width,
    display_name: key.displayName,
    dependents: [...key.dependents],
  }
}

/** A validation outcome as REST shows it; `type` is the declared type, when there is a declaration. */
export function convertConfigValue(value: ConfigValue, type?: ConfigType): ConfigValueInfo {
  const recommendedType = type === 'LIST' ? 'STRING' : type
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, recommendedType) ?? 'null'),
    errors: [...value.errorMessages],
    visible: value.visible,
  }
}

/** Java's AbstractHerder.generateResult: merges declarations and outcomes into the validate answer. */
export function generateResult(
  name: string,
  configKeys: ReadonlyMap<string, ConfigKey>,
  configValues: readonly ConfigValue[],
  groups: readonly string[],
): ConfigInfos {
  let errorCount = 0
  const configs: ConfigInfo[] = []
  const byName = new Map<string, ConfigValue>()
  for (const v of configValues) {
    byName.set(v.name, v)
    if (!configKeys.has(v.name)) {
      configs.push({ definition: null, value: convertConfigValue(v) })
      errorCount += v.errorMessages.length
    }
  }
  for (const [configName, key] of configKeys) {
    const v = byName.get(configName)
    if (v !== undefined) errorCount += v.errorMessages.length
    configs.push({ definition: convertConfigKey(key), value: v === undefined ? null : convertConfigValue(v, key.type) })
  }
  return { name, error_count: errorCount, groups: [...groups], configs }
}

/** Validates `props` against one ConfigDef and shapes the outcome as the REST validate answer. */
export function validateToConfigInfos(
  name: string,
  def: ConfigDef,
  props: Readonly<Record<string, string>>,
): ConfigInfos {
  return generateResult(name, def.configKeys, def.validate(props), def.groups)
}

/**
 * Java's AbstractHerder.prefixedConfigInfos: the outcomes of a plugin's or client's own validation, named with
 * `prefix` (e.g. "value.converter.", "producer.override."), each with its declaration when `configKeys` has one.
 * Unlike generateResult, a value with errors counts once, whatever its number of messages, and declarations
 * without a value are left out.
 */
export function prefixedConfigInfos(
  configKeys: ReadonlyMap<string, ConfigKey>,
  configValues: readonly ConfigValue[],
  prefix: string,
): ConfigInfos {
  let errorCount = 0
  const groups = new Set<string>()
  const configs: ConfigInfo[] = []
  for (const v of configValues) {
    const key = configKeys.get(v.name)
    if (key?.group) groups.add(key.group)
    if (v.errorMessages.length > 0) errorCount++
    configs.push({
      definition: key === undefined ? null : convertConfigKey(key, prefix),
      value: { ...convertConfigValue(v, key?.type), name: prefix + v.name },
    })
  }
  return { name: '', error_count: errorCount, groups: [...groups], configs }
}

/** Java's AbstractHerder.mergeConfigInfos: one answer named `name` from several, in order; absent ones skipped. */
export function mergeConfigInfos(name: string, ...parts: ReadonlyArray<ConfigInfos | undefined>): ConfigInfos {
  let errorCount = 0
  const groups = new Set<string>()
  const configs: ConfigInfo[] = []
  for (const part of parts) {
    if (part === undefined) continue
    errorCount += part.error_count
    for (const g of part.groups) groups.add(g)
    configs.push(...part.configs)
  }
  return { name, error_count: errorCount, groups: [...groups], configs }
}
