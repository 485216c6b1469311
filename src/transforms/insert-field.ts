/**
 * InsertField (`org.apache.kafka.connect.transforms.InsertField$Key` / `$Value`): adds fields holding the record's
 * topic, partition, offset (sink records only), timestamp, or a static string. A field name ending in `!` makes
 * the field required, `?` (the default) optional. A null key or value is left alone.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { invalidValue } from '../config/types.ts'
import { Timestamp } from '../data/logical-types.ts'
import { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { ConfigError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, replaceNullWithDefaultKey, simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireSinkRecord, requireStruct, toSameKind } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'

const TOPIC_FIELD = 'topic.field'
const PARTITION_FIELD = 'partition.field'
const OFFSET_FIELD = 'offset.field'
const TIMESTAMP_FIELD = 'timestamp.field'
const STATIC_FIELD = 'static.field'
const STATIC_VALUE = 'static.value'
const PURPOSE = 'field insertion'
const OPTIONALITY_DOC =
  'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).'
const OPTIONAL_TIMESTAMP_SCHEMA = Timestamp.builder().optional().build()

function optionalString(name: string, documentation: string) {
  return { name, type: 'STRING' as const, defaultValue: null, importance: 'MEDIUM' as const, documentation }
}

const CONFIG_DEF = new ConfigDef()
  .define(optionalString(TOPIC_FIELD, `Field name for Kafka topic. ${OPTIONALITY_DOC}`))
  .define(optionalString(PARTITION_FIELD, `Field name for Kafka partition. ${OPTIONALITY_DOC}`))
  .define(
    optionalString(
      OFFSET_FIELD,
      `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`,
    ),
  )
  .define(optionalString(TIMESTAMP_FIELD, `Field name for record timestamp. ${OPTIONALITY_DOC}`))
  .define(optionalString(STATIC_FIELD, `Field name for static data field. ${OPTIONALITY_DOC}`))
  .define(optionalString(STATIC_VALUE, 'Static field value, if field name configured.'))
  .define(replaceNullWithDefaultKey())

/** A field to insert: its name and whether it is optional. */
interface InsertionSpec {
  readonly name: string
  readonly optional: boolean
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true }
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false }
  return { name: spec, optional: true }
}

/** InsertField, on the key or the value. */
export class InsertField implements Transformation {
  readonly #part: RecordPart
  #topic: InsertionSpec | null = null
  #partition: InsertionSpec | null = null
  #offset: InsertionSpec | null = null
  #timestamp: InsertionSpec | null = null
  #static: InsertionSpec | null = null
  #staticValue: string | null = null
  #replaceNullWithDefault = true
  readonly #schemaCache = new SchemaCache()

  constructor(part: RecordPart) {
    this.#part = part
  }

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#topic = parseSpec(config.getString(TOPIC_FIELD))
    this.#partition = parseSpec(config.getString(PARTITION_FIELD))
    this.#offset = parseSpec(config.getString(OFFSET_FIELD))
    this.#timestamp = parseSpec(config.getString(TIMESTAMP_FIELD))
    this.#static = parseSpec(config.getString(STATIC_FIELD))
    this.#staticValue = config.getString(STATIC_VALUE)
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    if (!this.#topic && !this.#partition && !this.#offset && !this.#timestamp && !this.#static) {
      throw new ConfigError('No field insertion configured')
    }
    if (this.#static !== null && this.#staticValue === null) {
      // Java prints the InsertionSpec object itself here; its name is the useful part.
      throw invalidValue(STATIC_VALUE, null, `No value specified for static field: ${this.#static.name}`)
    }
    this.#schemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.#part.value(record)
    if (value == null) return record
    return this.#part.schema(record) === null
      ? this.#applySchemaless(record, value)
      : this.#applyWithSchema(record, value)
  }

  #applySchemaless<R extends ConnectRecord>(record: R, raw: unknown): R {
    const updated = new Map(requireMap(raw, PURPOSE))
    if (this.#topic) updated.set(this.#topic.name, record.topic)
    if (this.#partition && record.kafkaPartition !== null) updated.set(this.#partition.name, record.kafkaPartition)
    if (this.#offset) updated.set(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (this.#timestamp && record.timestamp !== null) updated.set(this.#timestamp.name, record.timestamp)
    if (this.#static && this.#staticValue !== null) updated.set(this.#static.name, this.#staticValue)
    return this.#part.with(record, null, toSameKind(updated, raw))
  }

  #applyWithSchema<R extends ConnectRecord>(record: R, raw: unknown): R {
    const value = requireStruct(raw, PURPOSE)
    const updatedSchema = this.#schemaCache.getOrCompute(value.schema, (s) => this.#updatedSchema(s))
    const updated = new Struct(updatedSchema)
    for (const field of value.schema.fields) {
      updated.put(field.name, this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field))
    }
    if (this.#topic) updated.put(this.#topic.name, record.topic)
    if (this.#partition && record.kafkaPartition !== null) updated.put(this.#partition.name, record.kafkaPartition)
    if (this.#offset) updated.put(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (this.#timestamp && record.timestamp !== null) updated.put(this.#timestamp.name, new Date(record.timestamp))
    if (this.#static && this.#staticValue !== null) updated.put(this.#static.name, this.#staticValue)
    return this.#part.with(record, updatedSchema, updated)
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields) builder.field(field.name, field.schema)
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec !== null) builder.field(spec.name, spec.optional ? optional : required)
    }
    add(this.#topic, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA)
    add(this.#partition, Schema.OPTIONAL_INT32_SCHEMA, Schema.INT32_SCHEMA)
    add(this.#offset, Schema.OPTIONAL_INT64_SCHEMA, Schema.INT64_SCHEMA)
    add(this.#timestamp, OPTIONAL_TIMESTAMP_SCHEMA, Timestamp.SCHEMA)
    add(this.#static, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA)
    return builder.build()
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** InsertField$Key: inserts fields into the record key. */
export class InsertFieldKey extends InsertField {
  constructor() {
    super(KEY)
  }
}

/** InsertField$Value: inserts fields into the record value. */
export class InsertFieldValue extends InsertField {
  constructor() {
    super(VALUE)
  }
}
