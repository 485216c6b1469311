/**
 * Flatten (`org.apache.kafka.connect.transforms.Flatten$Key` / `$Value`): turns nested structs (or schemaless maps)
 * into one level, naming each field by joining the names along its path with `delimiter` ("." by default). Arrays
 * are kept as they are. A flattened field is optional when any struct above it is, and takes its default from the
 * nearest default above it.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import type { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStructOrNull, schemaTypeOf, toSameKind, typeNameOf } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'

const DELIMITER_CONFIG = 'delimiter'
const PURPOSE = 'flattening'

const CONFIG_DEF = new ConfigDef().define({
  name: DELIMITER_CONFIG,
  type: 'STRING',
  defaultValue: '.',
  importance: 'MEDIUM',
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
})

/** Flatten, on the key or the value. */
export class Flatten implements Transformation {
  readonly #part: RecordPart
  #delimiter = '.'
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
    this.#delimiter = simpleConfig(CONFIG_DEF, props).getString(DELIMITER_CONFIG) ?? '.'
    this.#schemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.#part.value(record)
    if (value == null) return record
    const schema = this.#part.schema(record)
    if (schema === null) {
      const flat = new Map<string, unknown>()
      this.#flattenSchemaless(requireMap(value, PURPOSE), '', flat)
      return this.#part.with(record, null, toSameKind(flat, value))
    }
    const struct = requireStructOrNull(value, PURPOSE)
    const updatedSchema = this.#schemaCache.getOrCompute(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct())
      this.#buildSchema(s, '', builder, s.optional, (s.defaultValue as Struct | undefined) ?? null)
      return builder.build()
    })
    if (struct === null) return this.#part.with(record, updatedSchema, null)
    const updated = new Struct(updatedSchema)
    this.#flattenStruct(struct, '', updated)
    return this.#part.with(record, updatedSchema, updated)
  }

  #name(prefix: string, name: string): string {
    return prefix === '' ? name : prefix + this.#delimiter + name
  }

  #flattenSchemaless(map: Map<string, unknown>, prefix: string, out: Map<string, unknown>): void {
    for (const [key, value] of map) {
      const name = this.#name(prefix, key)
      if (value == null) {
        out.set(name, null)
        continue
      }
      const type = schemaTypeOf(value)
      if (type === undefined) {
        throw new DataError(
          `Flatten transformation was passed a value of type ${typeNameOf(value)} which is not supported by Connect's data API`,
        )
      }
      if (type === 'MAP') this.#flattenSchemaless(requireMap(value, PURPOSE), name, out)
      else if (type === 'STRUCT') {
        throw new DataError(
          `Flatten transformation does not support ${typeNameOf(value)} for record without schemas (for field ${name}).`,
        )
      } else out.set(name, value)
    }
  }

  #buildSchema(
    schema: Schema,
    prefix: string,
    builder: SchemaBuilder,
    optional: boolean,
    defaultFromParent: Struct | null,
  ): void {
    for (const field of schema.fields) {
      const name = this.#name(prefix, field.name)
      const fieldOptional = optional || field.schema.optional
      let fieldDefault: unknown = null
      if (field.schema.defaultValue != null) fieldDefault = field.schema.defaultValue
      else if (defaultFromParent !== null) fieldDefault = defaultFromParent.get(field)
      if (field.schema.type === 'STRUCT') {
        this.#buildSchema(field.schema, name, builder, fieldOptional, (fieldDefault as Struct | null) ?? null)
      } else if (field.schema.type === 'MAP') {
        throw new DataError(
          `Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`,
        )
      } else {
        const b = copySchemaBasics(field.schema)
        if (fieldOptional) b.optional()
        if (fieldDefault != null) b.defaultValue(fieldDefault)
        builder.field(name, b.build())
      }
    }
  }

  #flattenStruct(struct: Struct | null, prefix: string, out: Struct): void {
    if (struct === null) return
    for (const field of struct.schema.fields) {
      const name = this.#name(prefix, field.name)
      if (field.schema.type === 'STRUCT') this.#flattenStruct(struct.getStruct(field.name), name, out)
      else if (field.schema.type === 'MAP') {
        throw new DataError(
          `Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`,
        )
      } else out.put(name, struct.get(field))
    }
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** Flatten$Key: flattens the record key. */
export class FlattenKey extends Flatten {
  constructor() {
    super(KEY)
  }
}

/** Flatten$Value: flattens the record value. */
export class FlattenValue extends Flatten {
  constructor() {
    super(VALUE)
  }
}
