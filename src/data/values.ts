/**
 * Values: strings to and from typed Connect values, as Java's org.apache.kafka.connect.data.Values. This is the
 * format of SimpleHeaderConverter (the default header converter) and of literals in SMT configs.
 *
 * convertToString writes a top-level string as is, numbers as Java prints them (FLOAT32 and FLOAT64 per the schema,
 * or a non-integer number as a double without one), bytes as base64, lists as `[a,b]`, maps and structs as
 * `{"k":v}` with embedded strings quoted (only `\` and `"` escaped), and Dates as `HH:mm:ss.SSS'Z'` (before the
 * first day ends), `yyyy-MM-dd` (at midnight) or `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, in UTC.
 */
import { DataError } from '../errors.ts'
import { javaDoubleToString, javaFloatToString } from '../util/java-format.ts'
import { BigDecimal } from './big-decimal.ts'
import { Schema } from './schema.ts'
import { SchemaAndValue } from './schema-and-value.ts'
import { SchemaBuilder } from './schema-builder.ts'
import { Struct } from './struct.ts'
import { describeType } from './validate.ts'
import { ValueParser } from './values-parser.ts'

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** Java's Values.dateFormatFor(date).format(date), in UTC. */
export function formatDate(date: Date): string {
  const ms = date.getTime()
  const time = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`
  if (ms < MILLIS_PER_DAY) return time
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
  if (ms % MILLIS_PER_DAY === 0) return day
  return `${day}T${time}`
}

/** Escapes `\` and `"` as Java's Values.escape does (and nothing else). */
function escapeString(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')
}

function childSchema(schema: Schema | null | undefined, which: 'key' | 'value'): Schema | undefined {
  if (schema == null) return undefined
  try {
    return which === 'key' ? schema.keySchema : schema.valueSchema
  } catch {
    return undefined
  }
}

function appendNumber(value: number, schema: Schema | null | undefined): string {
  if (schema?.type === 'FLOAT32') return javaFloatToString(value)
  if (schema?.type === 'FLOAT64' || (schema == null && !Number.isInteger(value))) return javaDoubleToString(value)
  return String(value)
}

function append(value: unknown, schema: Schema | null | undefined, embedded: boolean): string {
  if (value == null) return 'null'
  if (typeof value === 'number') return appendNumber(value, schema)
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof BigDecimal) return value.toString()
  if (typeof value === 'string') return embedded ? `"${escapeString(value)}"` : value
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    return embedded ? `"${b64}"` : b64
  }
  if (Array.isArray(value)) {
    const element = childSchema(schema, 'value')
    return `[${value.map((v) => append(v, element, true)).join(',')}]`
  }
  if (value instanceof Struct) {
    const fields = value.schema.fields.map(
      (f) => `${append(f.name, undefined, true)}:${append(value.get(f), f.schema, true)}`,
    )
    return `{${fields.join(',')}}`
  }
  if (value instanceof Date) return formatDate(value)
  if (typeof value === 'object') {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value)
    const k = childSchema(schema, 'key')
    const v = childSchema(schema, 'value')
    return `{${entries.map(([key, val]) => `${append(key, k, true)}:${append(val, v, true)}`).join(',')}}`
  }
  throw new DataError(`Failed to serialize unexpected value type ${describeType(value)}: ${String(value)}`)
}

/** Java's Values, the string side: convertToString, parseString and inferSchema. */
export const Values = Object.freeze({
  /** Escapes `\` and `"` (and nothing else), as embedded strings are written. */
  escape: escapeString,

  /** The string form of a value (see the file comment); null for null. */
  convertToString(schema: Schema | null, value: unknown): string | null {
    if (value == null) return null
    return append(value, schema, false)
  },

  /**
   * Parses a string into a typed value with its inferred schema. The empty string is an empty STRING; the literal
   * `null` gives SchemaAndValue.NULL; anything that does not parse as a whole stays a STRING.
   */
  parseString(value: string | null): SchemaAndValue {
    if (value == null) return SchemaAndValue.NULL
    if (value === '') return new SchemaAndValue(Schema.STRING_SCHEMA, value)
    return new ValueParser(value).parse(false) ?? SchemaAndValue.NULL
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
