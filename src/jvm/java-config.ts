/**
 * A Java plugin's ConfigDef and its validate() answer, rebuilt on the worker's side from what the host sends
 * (Wire.configKey/configValue in the host), so GET /connector-plugins/{p}/config and the validate endpoint show the
 * Java class's own keys. Validators and recommenders stay in Java: validation of a Java connector is its own
 * validate(), run in the host.
 */
import { ConfigDef, ConfigKey, ConfigValue } from '../config/config-def.ts'
import { CONFIG_TYPES, type ConfigType, type Importance, Password, type Width } from '../config/types.ts'

/** One key as the host describes it. */
export interface JavaConfigKey {
  name: string
  type: string
  /** The default as Java's convertToString writes it; absent when the key is required, null for a null default. */
  default?: string | null
  required: boolean
  importance: string
  documentation: string | null
  group: string | null
  orderInGroup: number
  width: string
  displayName: string
  dependents: string[]
  internal: boolean
}

/** One validated value as the host describes it. */
export interface JavaConfigValue {
  name: string
  value: unknown
  recommended: unknown[]
  errors: string[]
  visible: boolean
}

function configType(type: string): ConfigType {
  return (CONFIG_TYPES as readonly string[]).includes(type) ? (type as ConfigType) : 'STRING'
}

/** The ConfigDef the host described; a default that tsconnect cannot parse is shown as text. */
export function javaConfigDef(keys: readonly JavaConfigKey[] | undefined): ConfigDef {
  const def = new ConfigDef()
  for (const k of keys ?? []) {
    if (def.configKeys.has(k.name)) continue
    const options = {
      name: k.name,
      type: configType(k.type),
      importance: k.importance as Importance,
      documentation: k.documentation ?? '',
      ...(k.group === null ? {} : { group: k.group }),
      orderInGroup: k.orderInGroup,
      width: k.width as Width,
      displayName: k.displayName,
      dependents: k.dependents,
      internal: k.internal,
      ...(k.required ? {} : { defaultValue: k.default ?? null }),
    }
    try {
      def.define(new ConfigKey(options))
    } catch {
      def.define(new ConfigKey({ ...options, type: 'STRING' }))
    }
  }
  return def
}

/** The host's validate() answer as ConfigValues. */
export function javaConfigValues(values: readonly JavaConfigValue[]): ConfigValue[] {
  return values.map((v) => {
    const out = new ConfigValue(v.name)
    out.value =
      v.value === '[hidden]'
        ? new Password('[hidden]')
        : Array.isArray(v.value)
          ? v.value.map(String)
          : (v.value as string | number | boolean | null)
    out.recommendedValues = [...v.recommended]
    for (const m of v.errors) out.addErrorMessage(m)
    out.visible = v.visible
    return out
  })
}
