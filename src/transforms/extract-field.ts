/**
 * ExtractField (`org.apache.kafka.connect.transforms.ExtractField$Key` / `$Value`): replaces the key or value with
 * one of its fields, from a Struct (the schema becomes the field's) or a schemaless map. Nested fields are reached
 * with `field.syntax.version=V2` (see field/field-path.ts). A null key or value stays null.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import {
  appendFieldSyntaxVersion,
  FIELD_SYNTAX_VERSION_CONFIG,
  fieldSyntaxVersionOf,
  SingleFieldPath,
} from './field/field-path.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, replaceNullWithDefaultKey, simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMapOrNull, requireStructOrNull } from './util/requirements.ts'

const FIELD_CONFIG = 'field'
const PURPOSE = 'field extraction'

const CONFIG_DEF = appendFieldSyntaxVersion(
  new ConfigDef()
    .define({ name: FIELD_CONFIG, type: 'STRING', importance: 'MEDIUM', documentation: 'Field name to extract.' })
    .define(replaceNullWithDefaultKey()),
)

/** ExtractField, on the key or the value. */
export class ExtractField implements Transformation {
  readonly #part: RecordPart
  #path = new SingleFieldPath('', 'V1')
  #originalPath = ''
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
    this.#originalPath = config.getString(FIELD_CONFIG) ?? ''
    this.#path = new SingleFieldPath(
      this.#originalPath,
      fieldSyntaxVersionOf(config.getString(FIELD_SYNTAX_VERSION_CONFIG)),
    )
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.#part.schema(record)
    const raw = this.#part.value(record)
    if (schema === null) {
      const value = requireMapOrNull(raw, PURPOSE)
      return this.#part.with(record, null, value === null ? null : this.#path.valueFromMap(value))
    }
    const value = requireStructOrNull(raw, PURPOSE)
    const field = this.#path.fieldFrom(schema)
    // Java throws IllegalArgumentException here; any error in a transform is handled alike by the worker.
    if (field === undefined) throw new DataError(`Unknown field: ${this.#originalPath}`)
    return this.#part.with(
      record,
      field.schema,
      value === null ? null : this.#path.valueFromStruct(value, this.#replaceNullWithDefault),
    )
  }

  close(): void {}
}

/** ExtractField$Key: extracts a field of the record key. */
export class ExtractFieldKey extends ExtractField {
  constructor() {
    super(KEY)
  }
}

/** ExtractField$Value: extracts a field of the record value. */
export class ExtractFieldValue extends ExtractField {
  constructor() {
    super(VALUE)
  }
}
