/**
 * Values: strings to and from typed Connect values, as Java's org.apache.kafka.connect.data.Values. This is the
 * format of SimpleHeaderConverter (the default header converter) and of literals in SMT configs.
 *
 * convertToString writes a top-level string as is, numbers as Java prints them (FLOAT32 and FLOAT64 per the schema,
 * or a non-integer number as a double without one), bytes as base64, lists as `[a,b]`, maps and structs as
 * `{"k":v}` with embedded strings quoted (only `\` and `"` escaped), and Dates as `HH:mm:ss.SSS'Z'` (before the
 * first day ends), `yyyy-MM-dd` (at midnight) or `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, in UTC.
 */
import { Schema } from './schema.ts'
import type { SchemaAndValue } from './schema-and-value.ts'
import { SchemaBuilder } from './schema-builder.ts'
import { Struct } from './struct.ts'
import { CONVERSIONS } from './values-convert.ts'
import { convertToString, escapeString } from './values-format.ts'
import { parseString } from './values-parser.ts'

/**
 * Java's Values: convertToString, parseString, inferSchema, and the convertTo* conversions between types
 * (values-convert.ts) that SMTs such as Cast use.
 */
export const Values = Object.freeze({
  ...CONVERSIONS,
  /** Escapes `\` and `"` (and nothing else), as embedded strings are written. */
  escape: escapeString,

  /** The string form of a value (see the file comment); null for null. */
  convertToString(schema: Schema | null, value: unknown): string | null {
    return convertToString(schema, value)
  },

  /**
   * Parses a string into a typed value with its inferred schema. The empty string is an empty STRING; the literal
   * `null` gives SchemaAndValue.NULL; anything that does not parse as a whole stays a STRING.
   */
  parseString(value: string | null): SchemaAndValue {
    return parseString(value)
  },

  /**
   * A schema for a schemaless value, or null when none can be inferred (empty or mixed collections, null).
   * Integers that fit 32 bits are INT32, other integers INT64, other numbers FLOAT64.
   */
  inferSchema(value: unknown): Schema | null {
    return inferSchema(value)
  },
})

function inferSchema(value: unknown): Schema | null {
  if (typeof value === 'string') return Schema.STRING_SCHEMA
  if (typeof value === 'boolean') return Schema.BOOLEAN_SCHEMA
  if (typeof value === 'bigint') return Schema.INT64_SCHEMA
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return Schema.FLOAT64_SCHEMA
    return value >= -2147483648 && value <= 2147483647 ? Schema.INT32_SCHEMA : Schema.INT64_SCHEMA
  }
  if (value instanceof Uint8Array) return Schema.BYTES_SCHEMA
  if (value instanceof Struct) return value.schema
  if (Array.isArray(value)) {
    const element = commonSchema(value)
    return element === null ? null : SchemaBuilder.array(element).build()
  }
  if (value instanceof Map || (typeof value === 'object' && value !== null && !(value instanceof Date))) {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value)
    const k = commonSchema(entries.map(([key]) => key))
    const v = commonSchema(entries.map(([, val]) => val))
    return k === null || v === null ? null : SchemaBuilder.map(k, v).build()
  }
  return null
}

/** Java's SchemaDetector: one primitive type for all non-null values (optional if any is null), or null. */
function commonSchema(values: readonly unknown[]): Schema | null {
  if (values.length === 0) return null
  let type: Schema['type'] | undefined
  let optional = false
  for (const v of values) {
    if (v == null) {
      optional = true
      continue
    }
    const s = inferSchema(v)
    if (s === null || (type !== undefined && type !== s.type)) return null
    type = s.type
  }
  if (type === undefined) return null
  const b = SchemaBuilder.type(type)
  return (optional ? b.optional() : b).build()
}
