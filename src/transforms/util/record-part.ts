/**
 * The part of a record an SMT works on: Java's `$Key` and `$Value` variants differ only in which schema and value
 * they read and which they replace, so each SMT takes one of these two objects instead of being subclassed twice.
 */
import type { ConnectRecord } from '../../api/records.ts'
import type { Headers } from '../../data/headers.ts'
import type { Schema } from '../../data/schema.ts'

/** Reads and replaces the key or the value of a record. */
export interface RecordPart {
  /** "key" or "value", for messages. */
  readonly name: 'key' | 'value'
  schema(record: ConnectRecord): Schema | null
  value(record: ConnectRecord): unknown
  /** A copy of the record with this part replaced (and the headers, when given). */
  with<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown, headers?: Headers): R
}

/** The record's key. */
export const KEY: RecordPart = Object.freeze({
  name: 'key' as const,
  schema: (r: ConnectRecord) => r.keySchema,
  value: (r: ConnectRecord) => r.key,
  with<R extends ConnectRecord>(r: R, schema: Schema | null, value: unknown, headers?: Headers): R {
    return headers === undefined
      ? r.newRecord({ keySchema: schema, key: value })
      : r.newRecord({ keySchema: schema, key: value, headers })
  },
})

/** The record's value. */
export const VALUE: RecordPart = Object.freeze({
  name: 'value' as const,
  schema: (r: ConnectRecord) => r.valueSchema,
  value: (r: ConnectRecord) => r.value,
  with<R extends ConnectRecord>(r: R, schema: Schema | null, value: unknown, headers?: Headers): R {
    return headers === undefined
      ? r.newRecord({ valueSchema: schema, value })
      : r.newRecord({ valueSchema: schema, value, headers })
  },
})
