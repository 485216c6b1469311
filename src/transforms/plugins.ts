/**
 * The built-in transforms and predicates as plugin descriptors, each under its Java twin's class name, so that
 * connector configs written for Java Connect (`transforms.a.type=org.apache.kafka.connect.transforms.InsertField$Value`)
 * find them. Java's unique aliases work too (`Filter`, `RegexRouter`, `TopicNameMatches`); the `$Key` and `$Value`
 * variants share the simple names Key and Value, so, as in Java, they have no short alias beyond our own class
 * names (`InsertFieldValue`). Our own names live under `tsconnect.transforms.` so that a third-party plugin with a
 * class of the same simple name (a `Filter` of its own) registers beside ours instead of clashing.
 *
 * Nothing registers itself: the worker calls registerBuiltinTransforms on its registry.
 */
import type { PluginDescriptor } from '../api/plugin.ts'
import type { Predicate, Transformation } from '../api/transformation.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { CastKey, CastValue } from './cast.ts'
import { DropHeaders } from './drop-headers.ts'
import { ExtractFieldKey, ExtractFieldValue } from './extract-field.ts'
import { Filter } from './filter.ts'
import { FlattenKey, FlattenValue } from './flatten.ts'
import { HeaderFromKey, HeaderFromValue } from './header-from.ts'
import { HoistFieldKey, HoistFieldValue } from './hoist-field.ts'
import { InsertFieldKey, InsertFieldValue } from './insert-field.ts'
import { InsertHeader } from './insert-header.ts'
import { MaskFieldKey, MaskFieldValue } from './mask-field.ts'
import { HasHeaderKey } from './predicates/has-header-key.ts'
import { RecordIsTombstone } from './predicates/record-is-tombstone.ts'
import { TopicNameMatches } from './predicates/topic-name-matches.ts'
import { RegexRouter } from './regex-router.ts'
import { ReplaceFieldKey, ReplaceFieldValue } from './replace-field.ts'
import { SetSchemaMetadataKey, SetSchemaMetadataValue } from './set-schema-metadata.ts'
import { TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.ts'
import { TimestampRouter } from './timestamp-router.ts'
import { ValueToKey } from './value-to-key.ts'

const PACKAGE = 'org.apache.kafka.connect.transforms'

function transform(plugin: new () => Transformation, javaName: string): PluginDescriptor {
  return {
    type: 'transformation',
    plugin,
    className: `tsconnect.transforms.${plugin.name}`,
    javaClassName: `${PACKAGE}.${javaName}`,
    version: TSCONNECT_VERSION,
  }
}

function predicate(plugin: new () => Predicate, javaName: string): PluginDescriptor {
  return {
    type: 'predicate',
    plugin,
    className: `tsconnect.transforms.predicates.${plugin.name}`,
    javaClassName: `${PACKAGE}.predicates.${javaName}`,
    version: TSCONNECT_VERSION,
  }
}

/**
 * Java's abstract transforms, whose concrete classes are the `$Key` and `$Value` variants: naming one in
 * `transforms.<alias>.type` is an error that suggests the variants.
 */
export const ABSTRACT_TRANSFORMS: ReadonlyMap<string, readonly string[]> = new Map(
  [
    'Cast',
    'ExtractField',
    'Flatten',
    'HeaderFrom',
    'HoistField',
    'InsertField',
    'MaskField',
    'ReplaceField',
    'SetSchemaMetadata',
    'TimestampConverter',
  ].map((name) => [`${PACKAGE}.${name}`, [`${PACKAGE}.${name}$Key`, `${PACKAGE}.${name}$Value`]]),
)

/** The built-in transform and predicate plugins. */
export function builtinTransformPlugins(): PluginDescriptor[] {
  return [
    transform(CastKey, 'Cast$Key'),
    transform(CastValue, 'Cast$Value'),
    transform(DropHeaders, 'DropHeaders'),
    transform(ExtractFieldKey, 'ExtractField$Key'),
    transform(ExtractFieldValue, 'ExtractField$Value'),
    transform(Filter, 'Filter'),
    transform(FlattenKey, 'Flatten$Key'),
    transform(FlattenValue, 'Flatten$Value'),
    transform(HeaderFromKey, 'HeaderFrom$Key'),
    transform(HeaderFromValue, 'HeaderFrom$Value'),
    transform(HoistFieldKey, 'HoistField$Key'),
    transform(HoistFieldValue, 'HoistField$Value'),
    transform(InsertFieldKey, 'InsertField$Key'),
    transform(InsertFieldValue, 'InsertField$Value'),
    transform(InsertHeader, 'InsertHeader'),
    transform(MaskFieldKey, 'MaskField$Key'),
    transform(MaskFieldValue, 'MaskField$Value'),
    transform(RegexRouter, 'RegexRouter'),
    transform(ReplaceFieldKey, 'ReplaceField$Key'),
    transform(ReplaceFieldValue, 'ReplaceField$Value'),
    transform(SetSchemaMetadataKey, 'SetSchemaMetadata$Key'),
    transform(SetSchemaMetadataValue, 'SetSchemaMetadata$Value'),
    transform(TimestampConverterKey, 'TimestampConverter$Key'),
    transform(TimestampConverterValue, 'TimestampConverter$Value'),
    transform(TimestampRouter, 'TimestampRouter'),
    transform(ValueToKey, 'ValueToKey'),
    predicate(HasHeaderKey, 'HasHeaderKey'),
    predicate(RecordIsTombstone, 'RecordIsTombstone'),
    predicate(TopicNameMatches, 'TopicNameMatches'),
  ]
}

/** Adds the built-in transforms and predicates to a registry (anything with registerAll, e.g. PluginRegistry). */
export function registerBuiltinTransforms(registry: {
  registerAll(descriptors: Iterable<PluginDescriptor>): void
}): void {
  registry.registerAll(builtinTransformPlugins())
}
