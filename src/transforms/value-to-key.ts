/**
 * ValueToKey (`org.apache.kafka.connect.transforms.ValueToKey`): replaces the key with a Struct (or schemaless map)
 * of the listed fields of the value.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import {
  nonDuplicateList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  replaceNullWithDefaultKey,
  simpleConfig,
} from './util/config.ts'
import { requireMap, requireStruct, toSameKind } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'

const FIELDS_CONFIG = 'fields'
const PURPOSE = 'copying fields from value to key'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_CONFIG,
    type: 'LIST',
    validator: nonDuplicateList(false, false),
    importance: 'HIGH',
    documentation: 'Field names on the record value to extract as the record key.',
  })
  .define(replaceNullWithDefaultKey())

/** Replaces the record key with a new key formed from a subset of fields in the record value. */
export class ValueToKey implements Transformation {
  #fields: readonly string[] = []
  #replaceNullWithDefault = true
  readonly #schemaCache = new SchemaCache()

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#fields = config.getList(FIELDS_CONFIG) ?? []
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    this.#schemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE)
      const key = new Map<string, unknown>()
      for (const field of this.#fields) key.set(field, value.get(field) ?? null)
      return record.newRecord({ keySchema: null, key: toSameKind(key, record.value) })
    }
    const value = requireStruct(record.value, PURPOSE)
    const keySchema = this.#schemaCache.getOrCompute(value.schema, (schema) => {
      const builder = SchemaBuilder.struct()
      for (const name of this.#fields) {
        const field = schema.field(name)
        if (field === undefined) throw new DataError(`Field does not exist: ${name}`)
        builder.field(name, field.schema)
      }
      return builder.build()
    })
    const key = new Struct(keySchema)
    for (const field of this.#fields) {
      key.put(field, this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field))
    }
    return record.newRecord({ keySchema, key, valueSchema: value.schema, value })
  }

  close(): void {
    this.#schemaCache.clear()
  }
}
