/**
 * The transform and predicate keys of a connector's config, as Java's ConnectorConfig.enrich adds them: for every
 * alias in `transforms` (and `predicates`), `<prefix>type` (a class, required), `<prefix>plugin.version` (Kafka
 * 4.1+), and the plugin's own configs embedded under the prefix in the group "Transforms: <alias>". Every transform
 * also gets `predicate` and `negate`, which hide transform-defined keys of those names. This is what the REST
 * validate answer lists and what building a chain checks.
 *
 * The base definition (the framework keys, with `transforms` and `predicates` themselves) belongs to the worker's
 * connector config (config/connect/transform-keys.ts declares those two as Java does).
 */
import { PLUGIN_TYPES, type PluginType } from '../api/plugin.ts'
import type { Predicate, Transformation } from '../api/transformation.ts'
import { ConfigDef, type RawConfig } from '../config/config-def.ts'
import {
  NEGATE_CONFIG,
  PLUGIN_VERSION_CONFIG,
  PREDICATE_CONFIG,
  PREDICATES_CONFIG,
  PREDICATES_GROUP,
  TRANSFORMS_CONFIG,
  TRANSFORMS_GROUP,
  TYPE_CONFIG,
} from '../config/connect/transform-keys.ts'
import { invalidValue, parseType } from '../config/types.ts'
import { type Recommender, Validators } from '../config/validators.ts'
import { ConfigError, ConnectError } from '../errors.ts'
import type { PluginLookup } from './plugin-lookup.ts'
import { ABSTRACT_TRANSFORMS } from './plugins.ts'

/** The aliases listed under `key`, in order, without repeats. */
export function aliasesOf(props: RawConfig, key: string): string[] {
  const parsed = parseType(key, props[key], 'LIST')
  return Array.isArray(parsed) ? [...new Set(parsed as string[])] : []
}

interface Kind {
  type: 'transformation' | 'predicate'
  /** Java's base class simple name. */
  base: 'Transformation' | 'Predicate'
  aliasConfig: string
  group: string
}

const TRANSFORM_KIND: Kind = {
  type: 'transformation',
  base: 'Transformation',
  aliasConfig: TRANSFORMS_CONFIG,
  group: TRANSFORMS_GROUP,
}
const PREDICATE_KIND: Kind = {
  type: 'predicate',
  base: 'Predicate',
  aliasConfig: PREDICATES_CONFIG,
  group: PREDICATES_GROUP,
}

/**
 * The config definition of the plugin named `name`: it must be a concrete plugin of the kind (Java's messages for
 * an abstract transform, a plugin of another type, or an unknown class).
 */
function pluginConfigDef(lookup: PluginLookup, kind: Kind, key: string, name: unknown): ConfigDef {
  if (name == null) throw invalidValue(key, null, `Not a ${kind.base}`)
  const className = String(name).trim()
  const plugin = lookup.find(kind.type, className)
  if (plugin === undefined) {
    const variants = kind.type === 'transformation' ? ABSTRACT_TRANSFORMS.get(className) : undefined
    if (variants !== undefined) {
      throw new ConfigError(`This class is abstract and cannot be created. Did you mean ${variants.join(', ')}?`, key)
    }
    const other = PLUGIN_TYPES.filter((t) => t !== kind.type)
      .map((t: PluginType) => lookup.find(t, className))
      .find((p) => p !== undefined)
    if (other !== undefined) {
      throw new ConfigError(`Class class ${other.displayName} does not implement the ${kind.base} interface`, key)
    }
    throw invalidValue(key, className, `Class ${className} could not be found.`)
  }
  let instance: Transformation | Predicate
  try {
    instance = plugin.newInstance() as Transformation | Predicate
  } catch (e) {
    throw invalidValue(
      key,
      `class ${plugin.displayName}`,
      `Error getting config definition from ${kind.base}: ${(e as Error).message}`,
    )
  }
  const def = instance.config() as ConfigDef | null | undefined
  if (def == null)
    throw new ConnectError('UNKNOWN', `${plugin.displayName}.config() must return a ConfigDef that is not null.`)
  return def
}

function classRecommender(lookup: PluginLookup, kind: Kind): Recommender {
  return {
    validValues: () => [...new Set(lookup.plugins(kind.type).map((p) => p.displayName))],
    visible: () => true,
  }
}

function versionRecommender(lookup: PluginLookup, kind: Kind, typeConfig: string): Recommender {
  return {
    validValues: (_name, parsed) => {
      const type = parsed[typeConfig]
      const version = typeof type === 'string' ? lookup.find(kind.type, type)?.version : undefined
      return version === undefined ? [] : [version]
    },
    visible: () => true,
  }
}

function enrichKind(
  lookup: PluginLookup,
  kind: Kind,
  def: ConfigDef,
  props: RawConfig,
  requireFullConfig: boolean,
): void {
  for (const alias of aliasesOf(props, kind.aliasConfig)) {
    const prefix = `${kind.aliasConfig}.${alias}.`
    const group = `${kind.group}: ${alias}`
    const typeConfig = `${prefix}${TYPE_CONFIG}`
    const kindWord = kind.base.toLowerCase()
    def.define({
      name: typeConfig,
      type: 'CLASS',
      validator: Validators.of((name, value) => {
        if (kind.type === 'transformation') checkNegateHasPredicate(props, prefix)
        if (value != null) pluginConfigDef(lookup, kind, name, value)
      }, `valid configs for ${alias} ${kindWord}`),
      importance: 'HIGH',
      documentation: `Class for the '${alias}' ${kindWord}.`,
      group,
      orderInGroup: 0,
      width: 'LONG',
      displayName: `${kind.base} type for ${alias}`,
      dependents: [],
      recommender: classRecommender(lookup, kind),
    })
    const typeName = props[typeConfig]
    const resolved = typeof typeName === 'string' ? lookup.find(kind.type, typeName.trim()) : undefined
    def.define({
      name: `${prefix}${PLUGIN_VERSION_CONFIG}`,
      type: 'STRING',
      defaultValue: resolved?.version ?? null,
      importance: 'HIGH',
      documentation: `Version of the '${alias}' ${kindWord}.`,
      group,
      orderInGroup: 1,
      width: 'LONG',
      displayName: `${kind.base} version for ${alias}`,
      dependents: [],
      recommender: versionRecommender(lookup, kind, typeConfig),
    })
    const child = pluginDef(lookup, kind, typeConfig, props[typeConfig], requireFullConfig)
    if (child !== null) def.embed(prefix, group, 2, child)
  }
}

function pluginDef(
  lookup: PluginLookup,
  kind: Kind,
  typeConfig: string,
  typeName: unknown,
  requireFullConfig: boolean,
): ConfigDef | null {
  const def = new ConfigDef()
  if (kind.type === 'transformation') {
    def
      .define({
        name: PREDICATE_CONFIG,
        type: 'STRING',
        defaultValue: null,
        importance: 'MEDIUM',
        documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
      })
      .define({
        name: NEGATE_CONFIG,
        type: 'BOOLEAN',
        defaultValue: false,
        importance: 'MEDIUM',
        documentation: 'Whether the configured predicate should be negated.',
      })
  }
  try {
    for (const key of pluginConfigDef(lookup, kind, typeConfig, typeName).configKeys.values()) {
      // The implicit keys mask a transform's own keys of the same names, as in Java.
      if (kind.type === 'transformation' && (key.name === PREDICATE_CONFIG || key.name === NEGATE_CONFIG)) continue
      def.define(key)
    }
  } catch (e) {
    if (requireFullConfig || !(e instanceof ConfigError)) throw e
    return null
  }
  return def
}

function checkNegateHasPredicate(props: RawConfig, prefix: string): void {
  const negate = `${prefix}${NEGATE_CONFIG}`
  const predicate = `${prefix}${PREDICATE_CONFIG}`
  if (Object.hasOwn(props, negate) && !Object.hasOwn(props, predicate)) {
    throw new ConfigError(
      `Config '${negate}' was provided but there is no config '${predicate}' defining a predicate to be negated.`,
      negate,
    )
  }
}

/**
 * A copy of `base` with the keys of every transform and predicate alias in `props` (Java's ConnectorConfig.enrich).
 * With requireFullConfig, a transform or predicate whose class cannot be resolved throws ConfigError; without it
 * (REST validate), its `type` key is still declared and reports the problem, and its own keys are left out.
 */
export function enrichConnectorConfigDef(
  lookup: PluginLookup,
  base: ConfigDef,
  props: RawConfig,
  requireFullConfig: boolean,
): ConfigDef {
  const def = new ConfigDef(base)
  enrichKind(lookup, TRANSFORM_KIND, def, props, requireFullConfig)
  enrichKind(lookup, PREDICATE_KIND, def, props, requireFullConfig)
  return def
}
