/**
 * SetSchemaMetadata (`org.apache.kafka.connect.transforms.SetSchemaMetadata$Key` / `$Value`): sets the name, the
 * version or both of the key or value schema. A Struct value is rebuilt on the renamed schema, since a struct must
 * carry the schema the record names. A record without schema fails unless its key (or value) is null.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { ConnectSchema, type Schema } from '../data/schema.ts'
import { Struct } from '../data/struct.ts'
import { ConfigError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, replaceNullWithDefaultKey, simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireSchema } from './util/requirements.ts'

const SCHEMA_NAME = 'schema.name'
const SCHEMA_VERSION = 'schema.version'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: SCHEMA_NAME,
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema name to set.',
  })
  .define({
    name: SCHEMA_VERSION,
    type: 'INT',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema version to set.',
  })
  .define(replaceNullWithDefaultKey())

/** SetSchemaMetadata, on the key or the value. */
export class SetSchemaMetadata implements Transformation {
  readonly #part: RecordPart
  #schemaName: string | null = null
  #schemaVersion: number | null = null
  #replaceNullWithDefault = true

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
    this.#schemaName = config.getString(SCHEMA_NAME)
    this.#schemaVersion = config.getInt(SCHEMA_VERSION)
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    if (this.#schemaName === null && this.#schemaVersion === null) {
      throw new ConfigError('Neither schema name nor version configured')
    }
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.#part.value(record)
    const original = this.#part.schema(record)
    if (value == null && original === null) return record
    const schema = requireSchema(original, 'updating schema metadata')
    const updatedSchema = new ConnectSchema({
      type: schema.type,
      optional: schema.optional,
      defaultValue: schema.defaultValue,
      name: this.#schemaName ?? schema.name,
      version: this.#schemaVersion ?? schema.version,
      doc: schema.doc,
      parameters: schema.parameters,
      fields: schema.type === 'STRUCT' ? schema.fields : undefined,
      keySchema: schema.type === 'MAP' ? schema.keySchema : undefined,
      valueSchema: schema.type === 'MAP' || schema.type === 'ARRAY' ? schema.valueSchema : undefined,
    })
    return this.#part.with(record, updatedSchema, this.updateSchemaIn(value, updatedSchema))
  }

  /** The value with its schema references updated: only a Struct refers to its schema, others come back as they are. */
  updateSchemaIn(value: unknown, updatedSchema: Schema): unknown {
    if (!(value instanceof Struct)) return value
    const updated = new Struct(updatedSchema)
    for (const field of updatedSchema.fields) {
      updated.put(field, this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field))
    }
    return updated
  }

  close(): void {}
}

/** SetSchemaMetadata$Key: renames or re-versions the key schema. */
export class SetSchemaMetadataKey extends SetSchemaMetadata {
  constructor() {
    super(KEY)
  }
}

/** SetSchemaMetadata$Value: renames or re-versions the value schema. */
export class SetSchemaMetadataValue extends SetSchemaMetadata {
  constructor() {
    super(VALUE)
  }
}
