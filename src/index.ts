/**
 * The public entry of the tsconnect package: what connector authors and embedders import.
 * Connector API (api/), data model (data/), config declarations (config/), the built-in converters, transforms and
 * predicates, the transformation chain, the plugin registry, and the connector kit (kit/: offsets in Java's HashMap
 * order, 64-bit offset values). Plugin packages import from here; at run time they get the worker's own copy (see plugins/loader.ts).
 */

export type { ConfigData, ConfigProvider } from './api/config-provider.ts'
export {
  Connector,
  type ConnectorTransactionBoundaries,
  type ExactlyOnceSupport,
  SinkConnector,
  type SinkOffsetChange,
  SourceConnector,
} from './api/connector.ts'
export type {
  ConnectorContext,
  ErrantRecordReporter,
  OffsetStorageReader,
  RecordMetadata,
  SinkConnectorContext,
  SinkTaskContext,
  SourceConnectorContext,
  SourcePartitionOffset,
  SourceTaskContext,
  TopicPartition,
  TopicPartitionOffset,
  TransactionContext,
} from './api/contexts.ts'
export type { Converter, ConverterType, HeaderConverter } from './api/converter.ts'
export { ConversionPendingError } from './api/converter.ts'
export {
  isPluginDescriptor,
  PLUGIN_TYPES,
  type PluginDescriptor,
  type PluginDescriptorOf,
  type PluginInstances,
  type PluginType,
} from './api/plugin.ts'
export {
  ConnectRecord,
  type ConnectRecordInit,
  type OrderedSourceMap,
  SinkRecord,
  type SinkRecordInit,
  type SourceOffset,
  type SourcePartition,
  SourceRecord,
  type SourceRecordInit,
  type TimestampType,
} from './api/records.ts'
export {
  type MaybePromise,
  SinkTask,
  SourceTask,
  type Task,
  type TaskClass,
  type TransactionBoundary,
} from './api/task.ts'
export type { Predicate, Transformation } from './api/transformation.ts'
export { AbstractConfig } from './config/abstract-config.ts'
export { ConfigDef, ConfigKey, type ConfigKeyOptions, ConfigValue, type RawConfig } from './config/config-def.ts'
export {
  type ConfigInfo,
  type ConfigInfos,
  type ConfigKeyInfo,
  type ConfigValueInfo,
  convertConfigKey,
  convertConfigValue,
  generateResult,
  validateToConfigInfos,
} from './config/config-infos.ts'
export {
  NEGATE_CONFIG,
  PREDICATE_CONFIG,
  PREDICATES_CONFIG,
  predicatesConfigKey,
  TRANSFORMS_CONFIG,
  transformsConfigKey,
} from './config/connect/transform-keys.ts'
export {
  CONFIG_TYPES,
  type ConfigType,
  type ConfigValueType,
  convertToString,
  type Importance,
  Password,
  parseType,
  type Width,
} from './config/types.ts'
export { type Recommender, type Validator, Validators } from './config/validators.ts'
export { ByteArrayConverter } from './converters/byte-array-converter.ts'
export { JSON_CONVERTER_CONFIGS, JsonConverter } from './converters/json/json-converter.ts'
export {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './converters/number-converters.ts'
export { builtinConverterPlugins } from './converters/plugins.ts'
export { SimpleHeaderConverter } from './converters/simple-header-converter.ts'
export { StringConverter } from './converters/string-converter.ts'
export { BigDecimal } from './data/big-decimal.ts'
export { Header, Headers, type HeaderTransform } from './data/headers.ts'
export { ConnectDate, Decimal, Time, Timestamp } from './data/logical-types.ts'
export { ConnectSchema, Field, isPrimitiveType, SCHEMA_TYPES, Schema, type SchemaType } from './data/schema.ts'
export { SchemaAndValue } from './data/schema-and-value.ts'
export { SchemaBuilder, type SchemaLike } from './data/schema-builder.ts'
export { Struct } from './data/struct.ts'
export { validateValue } from './data/validate.ts'
export { Values } from './data/values.ts'
export {
  ConfigError,
  ConnectError,
  CorruptDataError,
  DataError,
  ERROR_CODES,
  type ErrorCode,
  KafkaError,
  RetriableError,
  TimeoutError,
} from './errors.ts'
export { javaHashMapOrder, javaStringHashCode } from './kit/java-hash-map.ts'
export { offsetLong } from './kit/offset-values.ts'
export { payloadOf, RecordTemplate, valueText } from './kit/record-template.ts'
export { type ConverterRole, newConverter, newHeaderConverter } from './plugins/converter-factory.ts'
export { loadPluginPath, type PluginLoadResult, shareApiWithPlugins } from './plugins/loader.ts'
export {
  type PluginInfo,
  type PluginKind,
  PluginRegistry,
  prunedName,
  RegisteredPlugin,
  simpleName,
} from './plugins/registry.ts'
export {
  type AsyncStageRunner,
  buildTransformationChain,
  type StageRunner,
  TransformationChain,
  TransformationError,
} from './transforms/chain.ts'
export { enrichConnectorConfigDef } from './transforms/enrich.ts'
export type { LookedUpPlugin, PluginLookup } from './transforms/plugin-lookup.ts'
export { builtinTransformPlugins, registerBuiltinTransforms } from './transforms/plugins.ts'
export { type StageInfo, type StageInit, TransformationStage } from './transforms/stage.ts'
