/**
 * The declarations of a connector config's `transforms` and `predicates` keys and the per-alias key names, as
 * Java's ConnectorConfig declares them. They live here, below the transforms, so that the connector ConfigDef
 * (connector-config.ts) can declare them without importing transforms/; transforms/enrich.ts adds the per-alias
 * keys on top.
 */
import type { ConfigKeyOptions } from '../config-def.ts'
import { invalidValue } from '../types.ts'
import { Validators } from '../validators.ts'

/** The list of transform aliases. */
export const TRANSFORMS_CONFIG = 'transforms'
/** The list of predicate aliases. */
export const PREDICATES_CONFIG = 'predicates'
/** The implicit per-transform key naming its predicate's alias. */
export const PREDICATE_CONFIG = 'predicate'
/** The implicit per-transform key inverting its predicate. */
export const NEGATE_CONFIG = 'negate'
/** The per-alias key naming the plugin class. */
export const TYPE_CONFIG = 'type'
/** The per-alias key naming the plugin version (Kafka 4.1+, KIP-891). */
export const PLUGIN_VERSION_CONFIG = 'plugin.version'

/** The validate answer's group of the transform keys. */
export const TRANSFORMS_GROUP = 'Transforms'
/** The validate answer's group of the predicate keys. */
export const PREDICATES_GROUP = 'Predicates'

/** Java's alias validator: not null, and no alias twice ("Duplicate alias provided."). */
function aliasValidator(kind: string) {
  return Validators.all(
    Validators.nonNull(),
    Validators.of((name, value) => {
      const aliases = (value as readonly string[] | null) ?? []
      if (new Set(aliases).size < aliases.length) throw invalidValue(name, value, 'Duplicate alias provided.')
    }, `unique ${kind} aliases`),
  )
}

/** The declaration of `transforms`, at the given order in the connector's definition. */
export function transformsConfigKey(orderInGroup: number): ConfigKeyOptions {
  return {
    name: TRANSFORMS_CONFIG,
    type: 'LIST',
    defaultValue: [],
    validator: aliasValidator('transformation'),
    importance: 'LOW',
    documentation: 'Aliases for the transformations to be applied to records.',
    group: TRANSFORMS_GROUP,
    orderInGroup,
    width: 'LONG',
    displayName: 'Transforms',
  }
}

/** The declaration of `predicates`, at the given order in the connector's definition. */
export function predicatesConfigKey(orderInGroup: number): ConfigKeyOptions {
  return {
    name: PREDICATES_CONFIG,
    type: 'LIST',
    defaultValue: [],
    validator: aliasValidator('predicate'),
    importance: 'LOW',
    documentation: 'Aliases for the predicates used by transformations.',
    group: PREDICATES_GROUP,
    orderInGroup,
    width: 'LONG',
    displayName: 'Predicates',
  }
}
