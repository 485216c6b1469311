/**
 * HoistField (`org.apache.kafka.connect.transforms.HoistField$Key` / `$Value`): wraps the key or value in a Struct
 * (or, schemaless, a map) with one field of the given name.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { SchemaCache } from './util/schema-cache.ts'

const FIELD_CONFIG = 'field'

const CONFIG_DEF = new ConfigDef().define({
  name: FIELD_CONFIG,
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
})

/** HoistField, on the key or the value. */
export class HoistField implements Transformation {
  readonly #part: RecordPart
  #fieldName = ''
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
    this.#fieldName = simpleConfig(CONFIG_DEF, props).getString(FIELD_CONFIG) ?? ''
    this.#schemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.#part.schema(record)
    const value = this.#part.value(record)
    if (schema === null) return this.#part.with(record, null, new Map([[this.#fieldName, value]]))
    const updatedSchema = this.#schemaCache.getOrCompute(schema, (s) =>
      SchemaBuilder.struct().field(this.#fieldName, s).build(),
    )
    return this.#part.with(record, updatedSchema, new Struct(updatedSchema).put(this.#fieldName, value))
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** HoistField$Key: wraps the record key. */
export class HoistFieldKey extends HoistField {
  constructor() {
    super(KEY)
  }
}

/** HoistField$Value: wraps the record value. */
export class HoistFieldValue extends HoistField {
  constructor() {
    super(VALUE)
  }
}
