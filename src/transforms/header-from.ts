/**
 * HeaderFrom (`org.apache.kafka.connect.transforms.HeaderFrom$Key` / `$Value`): copies or moves fields of the key
 * or value into headers; the i-th name of `fields` goes to the i-th name of `headers`. With a schema the header
 * gets the field's schema; a moved field leaves the schema too.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Validators } from '../config/validators.ts'
import type { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { ConfigError, DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import {
  nonEmptyList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  replaceNullWithDefaultKey,
  simpleConfig,
} from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStruct, toSameKind } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'

const FIELDS_FIELD = 'fields'
const HEADERS_FIELD = 'headers'
const OPERATION_FIELD = 'operation'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_FIELD,
    type: 'LIST',
    validator: nonEmptyList(),
    importance: 'HIGH',
    documentation: 'Field names in the record whose values are to be copied or moved to headers.',
  })
  .define({
    name: HEADERS_FIELD,
    type: 'LIST',
    validator: nonEmptyList(),
    importance: 'HIGH',
    documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
  })
  .define({
    name: OPERATION_FIELD,
    type: 'STRING',
    validator: Validators.in('move', 'copy'),
    importance: 'HIGH',
    documentation:
      'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
  })
  .define(replaceNullWithDefaultKey())

/** HeaderFrom, on the key or the value. */
export class HeaderFrom implements Transformation {
  readonly #part: RecordPart
  #fields: readonly string[] = []
  #headers: readonly string[] = []
  #move = false
  #replaceNullWithDefault = true
  readonly #moveSchemaCache = new SchemaCache()

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
    this.#fields = config.getList(FIELDS_FIELD) ?? []
    this.#headers = config.getList(HEADERS_FIELD) ?? []
    if (this.#headers.length !== this.#fields.length) {
      throw new ConfigError(
        `'${FIELDS_FIELD}' config must have the same number of elements as '${HEADERS_FIELD}' config.`,
      )
    }
    this.#move = config.getString(OPERATION_FIELD) === 'move'
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    this.#moveSchemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.#part.schema(record)
    const value = this.#part.value(record)
    const headers = record.headers.duplicate()
    const purpose = `header ${this.#move ? 'move' : 'copy'}`
    if (schema === null) {
      const map = requireMap(value, purpose)
      const updated = new Map(map)
      this.#fields.forEach((field, i) => {
        if (this.#move) updated.delete(field)
        headers.add(this.#headers[i] as string, map.get(field) ?? null, null)
      })
      return this.#part.with(record, null, toSameKind(updated, value), headers)
    }
    const struct = requireStruct(value, purpose)
    let updatedSchema: Schema = schema
    let updated = struct
    if (this.#move) {
      updatedSchema = this.#moveSchemaCache.getOrCompute(schema, (s) => this.#moveSchema(s))
      updated = new Struct(updatedSchema)
      for (const field of updatedSchema.fields) updated.put(field, this.#get(struct, field.name))
    }
    this.#fields.forEach((fieldName, i) => {
      const field = struct.schema.field(fieldName)
      const fieldValue = field === undefined ? null : this.#get(struct, fieldName)
      // Java fails the record (a NullPointerException) when the schema has no such field.
      const fieldSchema = schema.field(fieldName)?.schema
      if (fieldSchema === undefined) throw new DataError(`Unknown field: ${fieldName}`)
      headers.add(this.#headers[i] as string, fieldValue, fieldSchema)
    })
    return this.#part.with(record, updatedSchema, updated, headers)
  }

  #get(struct: Struct, name: string): unknown {
    return this.#replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name)
  }

  #moveSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields) if (!this.#fields.includes(field.name)) builder.field(field.name, field.schema)
    return builder.build()
  }

  close(): void {
    this.#moveSchemaCache.clear()
  }
}

/** HeaderFrom$Key: fields of the record key to headers. */
export class HeaderFromKey extends HeaderFrom {
  constructor() {
    super(KEY)
  }
}

/** HeaderFrom$Value: fields of the record value to headers. */
export class HeaderFromValue extends HeaderFrom {
  constructor() {
    super(VALUE)
  }
}
