/**
 * JsonConverter (org.apache.kafka.connect.json.JsonConverter; also a header converter): Connect data as JSON,
 * byte for byte as Java's. Configs: schemas.enable (true: the {"schema":..,"payload":..} envelope), schemas.cache.size,
 * decimal.format (BASE64 or NUMERIC, case-insensitive) and replace.null.with.default.
 *
 * A null value without a schema is written as Kafka null (a tombstone), and Kafka null reads as SchemaAndValue.NULL.
 * With schemas enabled, input that is not exactly {schema, payload} is a DataError that suggests
 * schemas.enable=false. Schema translations are cached both ways (up to schemas.cache.size each), as in Java.
 */
import type { Converter, HeaderConverter } from '../../api/converter.ts'
import { AbstractConfig } from '../../config/abstract-config.ts'
import type { ConfigDef } from '../../config/config-def.ts'
import { Validators } from '../../config/validators.ts'
import type { Schema } from '../../data/schema.ts'
import { SchemaAndValue } from '../../data/schema-and-value.ts'
import { DataError } from '../../errors.ts'
import { BUILTIN_VERSION, newConverterConfigDef, withConverterType } from '../converter-config.ts'
import { asConnectSchema, asJsonSchema } from './json-schema.ts'
import { type Envelope, type JsonNode, parseEnvelope, parseJson } from './json-text.ts'
import { type JsonValueOptions, toConnect, toJson } from './json-values.ts'

/** JsonConverter's config keys. */
export const JSON_CONVERTER_CONFIGS = Object.freeze({
  SCHEMAS_ENABLE: 'schemas.enable',
  SCHEMAS_CACHE_SIZE: 'schemas.cache.size',
  DECIMAL_FORMAT: 'decimal.format',
  REPLACE_NULL_WITH_DEFAULT: 'replace.null.with.default',
})

const CONFIG_DEF: ConfigDef = newConverterConfigDef()
  .define({
    name: JSON_CONVERTER_CONFIGS.SCHEMAS_ENABLE,
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'HIGH',
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Enable Schemas',
  })
  .define({
    name: JSON_CONVERTER_CONFIGS.SCHEMAS_CACHE_SIZE,
    type: 'INT',
    defaultValue: 1000,
    importance: 'HIGH',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Schema Cache Size',
  })
  .define({
    name: JSON_CONVERTER_CONFIGS.DECIMAL_FORMAT,
    type: 'STRING',
    defaultValue: 'BASE64',
    validator: Validators.inIgnoringCase('BASE64', 'NUMERIC'),
    importance: 'LOW',
    documentation:
      "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    group: 'Serialization',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Decimal Format',
  })
  .define({
    name: JSON_CONVERTER_CONFIGS.REPLACE_NULL_WITH_DEFAULT,
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    group: 'Serialization',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Replace null with default',
  })

/** A bounded map that forgets the least recently used entry. */
class LruCache<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()

  constructor(max: number) {
    this.#max = max
  }

  get size(): number {
    return this.#map.size
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key)
    if (v !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, v)
    }
    return v
  }

  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K)
  }
}

const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.'

/** Connect data as JSON, with or without an embedded schema. */
export class JsonConverter implements Converter, HeaderConverter {
  #schemasEnabled = true
  #options: JsonValueOptions = { decimalFormat: 'BASE64', replaceNullWithDefault: true }
  // Schemas are keyed by identity one way (connectors reuse schema objects) and by their JSON text the other,
  // so a cached schema is not even parsed again.
  #fromConnectCache = new LruCache<Schema, string>(1000)
  #toConnectCache = new LruCache<string, Schema | null>(1000)

  version(): string {
    return BUILTIN_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  /** Configures; with `isKey` given, sets converter.type as Java's configure(configs, isKey) does. */
  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    const all = isKey === undefined ? configs : withConverterType(configs, isKey ? 'key' : 'value')
    const c = new AbstractConfig(CONFIG_DEF, all)
    this.#schemasEnabled = c.getBoolean(JSON_CONVERTER_CONFIGS.SCHEMAS_ENABLE) ?? true
    const cacheSize = c.getInt(JSON_CONVERTER_CONFIGS.SCHEMAS_CACHE_SIZE) ?? 1000
    this.#options = {
      decimalFormat: (c.getString(JSON_CONVERTER_CONFIGS.DECIMAL_FORMAT) ?? 'BASE64').toUpperCase() as
        | 'BASE64'
        | 'NUMERIC',
      replaceNullWithDefault: c.getBoolean(JSON_CONVERTER_CONFIGS.REPLACE_NULL_WITH_DEFAULT) ?? true,
    }
    this.#fromConnectCache = new LruCache(cacheSize)
    this.#toConnectCache = new LruCache(cacheSize)
  }

  /** How many schemas are cached for writing (for tests). */
  get fromConnectSchemaCacheSize(): number {
    return this.#fromConnectCache.size
  }

  /** How many schemas are cached for reading (for tests). */
  get toConnectSchemaCacheSize(): number {
    return this.#toConnectCache.size
  }

  #jsonSchema(schema: Schema | null): string {
    if (schema === null) return 'null'
    let text = this.#fromConnectCache.get(schema)
    if (text === undefined) {
      text = asJsonSchema(schema, this.#options)
      this.#fromConnectCache.set(schema, text)
    }
    return text
  }

  /** The schema of an envelope, cached by its literal text (as Java caches by the JSON node). */
  #connectSchema(schemaText: string): Schema | null {
    let schema = this.#toConnectCache.get(schemaText)
    if (schema === undefined) {
      schema = asConnectSchema(parseJson(schemaText) ?? null, this.#options)
      this.#toConnectCache.set(schemaText, schema)
    }
    return schema
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema == null && value == null) return null
    const payload = toJson(schema ?? null, value, this.#options)
    const text = this.#schemasEnabled ? `{"schema":${this.#jsonSchema(schema ?? null)},"payload":${payload}}` : payload
    return Buffer.from(text, 'utf8')
  }

  toConnectData(_topic: string, value: Uint8Array | null): SchemaAndValue {
    if (value == null) return SchemaAndValue.NULL
    if (!this.#schemasEnabled) {
      const json = this.#read(() => parseJson(value))
      return json === undefined ? SchemaAndValue.NULL : new SchemaAndValue(null, toConnect(null, json, this.#options))
    }
    const envelope = this.#read(() => parseEnvelope(value))
    if (envelope === undefined) throw new DataError(ENVELOPE_ERROR)
    const schema = this.#connectSchema(envelope.schemaText)
    return new SchemaAndValue(schema, toConnect(schema, envelope.payload, this.#options))
  }

  #read<T extends JsonNode | Envelope | undefined>(parse: () => T): T {
    try {
      return parse()
    } catch (e) {
      throw new DataError(
        `Converting byte[] to Kafka Connect data failed due to serialization error: ${(e as Error).message}`,
        { cause: e },
      )
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, value)
  }

  close(): void {}
}
