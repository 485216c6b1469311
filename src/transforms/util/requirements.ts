/**
 * The checks SMTs make on the shape of what they are given, with Java's Requirements messages, e.g.
 * "Only Struct objects supported for [field insertion], found: java.util.HashMap" (JavaScript type names stand in for
 * Java's class names).
 *
 * Schemaless values are maps: a Map, or a plain object read as a map with string keys. SMTs work on a Map copy and
 * give back the kind they were given (see toSameKind), so a source task that emits plain objects gets plain objects.
 */
import { ConnectRecord, SinkRecord } from '../../api/records.ts'
import type { Schema, SchemaType } from '../../data/schema.ts'
import { Struct } from '../../data/struct.ts'
import { DataError } from '../../errors.ts'

/** A schemaless map value, as a Map or a plain object. */
export type MapValue = Map<string, unknown> | Record<string, unknown>

/** The class name Java would print for a value: a JavaScript type name here. */
export function typeNameOf(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value !== 'object') return typeof value
  if (Array.isArray(value)) return 'Array'
  return (value as object).constructor?.name ?? 'Object'
}

/** Whether a value is a schemaless map (a Map or a plain object). */
export function isMapValue(value: unknown): value is MapValue {
  if (value instanceof Map) return true
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Throws DataError unless there is a schema. */
export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null) throw new DataError(`Schema required for [${purpose}]`)
  return schema
}

/** The value as a Map (the same Map, or a new one over a plain object's entries); DataError for anything else. */
export function requireMap(value: unknown, purpose: string): Map<string, unknown> {
  if (value instanceof Map) return value as Map<string, unknown>
  if (isMapValue(value)) return new Map(Object.entries(value))
  throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${typeNameOf(value)}`)
}

/** requireMap, passing null through. */
export function requireMapOrNull(value: unknown, purpose: string): Map<string, unknown> | null {
  return value == null ? null : requireMap(value, purpose)
}

/** The value as a Struct; DataError for anything else. */
export function requireStruct(value: unknown, purpose: string): Struct {
  if (value instanceof Struct) return value
  throw new DataError(`Only Struct objects supported for [${purpose}], found: ${typeNameOf(value)}`)
}

/** requireStruct, passing null through. */
export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value == null ? null : requireStruct(value, purpose)
}

/** The record as a SinkRecord; DataError for source records. */
export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (record instanceof SinkRecord) return record
  throw new DataError(`Only SinkRecord supported for [${purpose}], found: ${typeNameOf(record)}`)
}

/** A new Map, or a plain object when `like` was one: the schemaless result in the kind the SMT was given. */
export function toSameKind(map: Map<string, unknown>, like: unknown): MapValue {
  return like instanceof Map ? map : Object.fromEntries(map)
}

/** Whether the record is any ConnectRecord (for predicates handed foreign objects). */
export function isRecord(value: unknown): value is ConnectRecord {
  return value instanceof ConnectRecord
}

/**
 * The schema type Java's ConnectSchema.schemaType gives a schemaless value's class, or undefined (Dates, decimals
 * and other objects have none). An integer number is INT32 when it fits, else INT64; other numbers are FLOAT64.
 */
export function schemaTypeOf(value: unknown): SchemaType | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'FLOAT64'
    return value >= -2147483648 && value <= 2147483647 ? 'INT32' : 'INT64'
  }
  if (typeof value === 'bigint') return 'INT64'
  if (typeof value === 'boolean') return 'BOOLEAN'
  if (typeof value === 'string') return 'STRING'
  if (value instanceof Uint8Array) return 'BYTES'
  if (Array.isArray(value)) return 'ARRAY'
  if (value instanceof Struct) return 'STRUCT'
  if (isMapValue(value)) return 'MAP'
  return undefined
}
