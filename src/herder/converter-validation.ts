/**
 * Validation of the converters a connector config names itself (key.converter, value.converter,
 * header.converter), as Java's AbstractHerder.validateConverterConfig: the class must be a converter of that kind,
 * and the converter's own keys, given under the same prefix (value.converter.schemas.enable, ...), are validated
 * against its ConfigDef, with converter.type set as the worker sets it. A converter inherited from the worker
 * config is not validated here (the worker checked it at start).
 */
import type { ConfigDef, ConfigValue } from '../config/config-def.ts'
import { type ConfigInfos, prefixedConfigInfos } from '../config/config-infos.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigMap } from './herder.ts'

/** Which converter of a connector. */
export type ConverterRole = 'key' | 'value' | 'header'

function describe(error: unknown): string {
  return error instanceof Error && error.message ? `: ${error.message}` : ''
}

/**
 * Checks that a connector's `<role>.converter` names a converter of the right kind, adding Java's message to the
 * key's value otherwise: the class is unknown, or it is another kind of plugin.
 */
export function checkConverterClass(
  plugins: PluginRegistry,
  role: ConverterRole,
  className: string | undefined,
  value: ConfigValue | undefined,
): void {
  if (className === undefined || value === undefined || value.errorMessages.length > 0) return
  const kind = role === 'header' ? 'header_converter' : 'converter'
  const name = className.trim()
  if (plugins.find(kind, name) !== undefined) return
  const other = plugins.plugins().find((p) => p.className === name || p.javaClassName === name)
  value.addErrorMessage(
    other === undefined
      ? `Invalid value ${className} for configuration ${role}.converter: Class ${className} could not be found.`
      : `Class class ${name} does not implement the ${role === 'header' ? 'HeaderConverter' : 'Converter'} interface`,
  )
}

/**
 * The validate answer of the converter a connector config names for `role`, its keys named with their prefix;
 * undefined when the config names none, or when `value` (the converter key's own outcome) already has errors.
 * A converter that cannot be created or validated adds the reason to `value`, as Java's does.
 */
export function validateConverterConfig(
  plugins: PluginRegistry,
  role: ConverterRole,
  connectorConfig: Readonly<ConfigMap>,
  value: ConfigValue | undefined,
): ConfigInfos | undefined {
  const property = `${role}.converter`
  const className = connectorConfig[property]
  if (className === undefined || value === undefined || value.errorMessages.length > 0) return undefined
  const pluginName = `${role} converter`
  let converter: { config(): ConfigDef | undefined; close?(): void }
  try {
    converter = plugins.newInstance(role === 'header' ? 'header_converter' : 'converter', className)
  } catch (e) {
    value.addErrorMessage(`Failed to load class ${className}${describe(e)}`)
    return undefined
  }
  try {
    let def: ConfigDef | undefined
    try {
      def = converter.config()
    } catch (e) {
      value.addErrorMessage(`Failed to load ConfigDef from ${pluginName}${describe(e)}`)
      return undefined
    }
    // Java tolerates a converter without a ConfigDef (older converters): nothing more to check then.
    if (def === undefined || def === null) return undefined
    const prefix = `${property}.`
    const own: Record<string, string> = {}
    for (const [k, v] of Object.entries(connectorConfig)) if (k.startsWith(prefix)) own[k.slice(prefix.length)] = v
    own['converter.type'] ??= role
    let values: ConfigValue[]
    try {
      values = def.validate(own)
    } catch (e) {
      value.addErrorMessage(`Failed to perform config validation for ${pluginName}${describe(e)}`)
      return undefined
    }
    return prefixedConfigInfos(def.configKeys, values, prefix)
  } finally {
    try {
      converter.close?.()
    } catch {
      // Java closes it quietly too.
    }
  }
}
