/**
 * AvroConverter (io.confluent.connect.avro.AvroConverter): Connect data as Avro binary in the Confluent wire
 * format, with the schemas in a schema registry:
 *
 *   byte 0       magic byte 0
 *   bytes 1-4    the schema's registry id, big-endian int32
 *   bytes 5-     the value in Avro binary, written with that schema
 *
 * Writing, a Connect schema becomes an Avro schema by AvroData's rules (avro-data.ts), is registered under the
 * subject its strategy names (auto.register.schemas) or looked up, and the value is written by an encoder compiled
 * for that schema. Reading, the id's schema is fetched, becomes a Connect schema (with the subject's version of it
 * when it has no connect.version, as Java's deserializer asks), and a compiled decoder reads the value. Everything
 * is cached: Connect schemas by identity and by their Avro text (schemas.cache.config entries), ids per subject,
 * schemas per id; once warm a record makes no registry call. A null value is a null record (a tombstone).
 */
import {
  AbstractConfig,
  ConfigDef,
  ConnectError,
  type Converter,
  DataError,
  type HeaderConverter,
  type Schema,
  SchemaAndValue,
  Validators,
} from 'tsconnect'
import { Lru } from '../lru.ts'
import { CachedRegistry } from '../registry/cached-registry.ts'
import { defineSerdeConfigs, type SerdeSettings, serdeSettings, subjectName } from '../registry/serde-config.ts'
import { AvroReader, AvroWriter } from './avro-binary.ts'
import {
  type AvroDataOptions,
  compileReader,
  compileWriter,
  fromConnectSchema,
  toConnectSchema,
  type ValueReader,
  type ValueWriter,
} from './avro-data.ts'
import { type AvroSchema, fullName, parseSchema, printSchema } from './avro-schema.ts'

/** The converter's own keys (AvroDataConfig's), beside the shared registry keys. */
export const AVRO_CONVERTER_CONFIGS = Object.freeze({
  SCHEMAS_CACHE_SIZE: 'schemas.cache.config',
  CONNECT_META_DATA: 'connect.meta.data',
  ENHANCED_AVRO_SCHEMA_SUPPORT: 'enhanced.avro.schema.support',
  SCRUB_INVALID_NAMES: 'scrub.invalid.names',
})

/** This package's version, reported as the converters' version. */
export const PACKAGE_VERSION = '1.0.0'

const MAGIC_BYTE = 0

// converter.type, as every Connect converter declares it (Java's ConverterConfig), then the registry keys.
const CONFIG_DEF: ConfigDef = defineSerdeConfigs(
  new ConfigDef().define({
    name: 'converter.type',
    type: 'STRING',
    validator: Validators.in('key', 'value', 'header'),
    importance: 'LOW',
    documentation: 'How this converter will be used.',
  }),
)
  .define({
    name: AVRO_CONVERTER_CONFIGS.SCHEMAS_CACHE_SIZE,
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    documentation: 'Size of the converted schemas cache',
  })
  .define({
    name: AVRO_CONVERTER_CONFIGS.CONNECT_META_DATA,
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Toggle for enabling/disabling connect converter to add its meta data to the output schema or not',
  })
  .define({
    name: AVRO_CONVERTER_CONFIGS.ENHANCED_AVRO_SCHEMA_SUPPORT,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation:
      'Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness',
  })
  .define({
    name: AVRO_CONVERTER_CONFIGS.SCRUB_INVALID_NAMES,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation: 'Whether to scrub invalid names by replacing invalid characters with valid characters',
  })

/** What one Connect schema compiles to for writing. */
interface WriteEntry {
  avro: AvroSchema
  text: string
  recordName: string
  write: ValueWriter
}

/** What one registry id compiles to for reading. */
interface ReadEntry {
  schema: Schema
  read: ValueReader
}

/** Connect data as Confluent-framed Avro with a schema registry. */
export class AvroConverter implements Converter, HeaderConverter {
  #isKey = false
  #settings: SerdeSettings | undefined
  #registry: CachedRegistry | undefined
  #options: AvroDataOptions = { connectMetaData: true, enhancedSchemaSupport: false, scrubInvalidNames: false }
  #byIdentity = new Lru<Schema, WriteEntry>(1000)
  #byText = new Lru<string, WriteEntry>(1000)
  #byId = new Lru<string, ReadEntry>(1000)
  readonly #writer = new AvroWriter()

  version(): string {
    return PACKAGE_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    const all = isKey === undefined ? configs : { ...configs, 'converter.type': isKey ? 'key' : 'value' }
    this.#isKey = all['converter.type'] === 'key'
    const c = new AbstractConfig(CONFIG_DEF, all)
    this.#settings?.client.close()
    this.#settings = serdeSettings(c, configs)
    this.#registry = new CachedRegistry(this.#settings.client, this.#settings)
    this.#options = {
      connectMetaData: c.getBoolean(AVRO_CONVERTER_CONFIGS.CONNECT_META_DATA) ?? true,
      enhancedSchemaSupport: c.getBoolean(AVRO_CONVERTER_CONFIGS.ENHANCED_AVRO_SCHEMA_SUPPORT) ?? false,
      scrubInvalidNames: c.getBoolean(AVRO_CONVERTER_CONFIGS.SCRUB_INVALID_NAMES) ?? false,
    }
    const size = c.getInt(AVRO_CONVERTER_CONFIGS.SCHEMAS_CACHE_SIZE) ?? 1000
    this.#byIdentity = new Lru(size)
    this.#byText = new Lru(size)
    this.#byId = new Lru(size)
  }

  #configured(): { settings: SerdeSettings; registry: CachedRegistry } {
    if (this.#settings === undefined || this.#registry === undefined)
      throw new ConnectError('INVALID_CONFIG', 'AvroConverter used before configure()')
    return { settings: this.#settings, registry: this.#registry }
  }

  #writeEntry(schema: Schema): WriteEntry {
    let entry = this.#byIdentity.get(schema)
    if (entry !== undefined) return entry
    const avro = fromConnectSchema(schema, this.#options)
    const text = printSchema(avro)
    entry = this.#byText.get(text)
    if (entry === undefined) {
      const recordName =
        avro.type === 'record' || avro.type === 'enum' || avro.type === 'fixed' ? fullName(avro) : avro.type
      entry = { avro, text, recordName, write: compileWriter(schema, avro, this.#options) }
      this.#byText.set(text, entry)
    }
    this.#byIdentity.set(schema, entry)
    return entry
  }

  #subject(topic: string, recordName: string): string {
    const { settings } = this.#configured()
    const strategy = this.#isKey ? settings.keySubjectNameStrategy : settings.valueSubjectNameStrategy
    return subjectName(strategy, topic, this.#isKey, recordName)
  }

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null
    if (schema === null)
      throw new DataError('AvroConverter needs a schema: schemaless values are not supported by tsconnect yet')
    const { settings, registry } = this.#configured()
    let entry: WriteEntry
    try {
      entry = this.#writeEntry(schema)
    } catch (e) {
      throw new DataError(`Failed to serialize Avro data from topic ${topic}: ${(e as Error).message}`, { cause: e })
    }
    const subject = this.#subject(topic, entry.recordName)
    let id: number
    if (settings.useLatestVersion) {
      const latest = registry.latest(subject)
      if (settings.latestCompatibilityStrict && printSchema(parseSchema(latest.schema)) !== entry.text)
        throw new DataError(
          `use.latest.version: the latest version ${latest.version} of subject "${subject}" is not the record's schema`,
        )
      id = latest.id as number
    } else id = registry.id(subject, entry.text, 'AVRO', settings.autoRegister)
    const w = this.#writer
    w.reset()
    w.byte(MAGIC_BYTE)
    w.int32BE(id)
    try {
      entry.write(w, value)
    } catch (e) {
      throw new DataError(`Failed to serialize Avro data from topic ${topic}: ${(e as Error).message}`, { cause: e })
    }
    return w.toBytes()
  }

  toConnectData(topic: string, value: Uint8Array | null): SchemaAndValue {
    if (value === null || value === undefined) return SchemaAndValue.NULL
    const { registry } = this.#configured()
    if (value.length < 5 || value[0] !== MAGIC_BYTE)
      throw new DataError(`Failed to deserialize data for topic ${topic} to Avro: Unknown magic byte!`)
    const r = new AvroReader(value, 1)
    const id = r.int32BE()
    const registered = registry.byId(id)
    const key = `${id}`
    let entry = this.#byId.get(key)
    if (entry === undefined) {
      const avro = parseSchema(registered.schema)
      const recordName =
        avro.type === 'record' || avro.type === 'enum' || avro.type === 'fixed' ? fullName(avro) : avro.type
      const subject = this.#subject(topic, recordName)
      const version = avro.props.has('connect.version')
        ? undefined
        : registry.version(subject, registered.schema, 'AVRO')
      try {
        const schema = toConnectSchema(avro, version, this.#options)
        entry = { schema, read: compileReader(avro, schema) }
      } catch (e) {
        throw new DataError(`Failed to deserialize data for topic ${topic} to Avro: ${(e as Error).message}`, {
          cause: e,
        })
      }
      this.#byId.set(key, entry)
    }
    try {
      const v = entry.read(r)
      return new SchemaAndValue(entry.schema, v)
    } catch (e) {
      throw new DataError(`Failed to deserialize data for topic ${topic} to Avro: ${(e as Error).message}`, {
        cause: e,
      })
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, value)
  }

  close(): void {
    this.#settings?.client.close()
  }
}
