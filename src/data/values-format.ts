/**
 * Values.convertToString: the string form of Connect values (see values.ts for the format).
 */
import { DataError } from '../errors.ts'
import { javaDoubleToString, javaFloatToString } from '../util/java-format.ts'
import { BigDecimal } from './big-decimal.ts'
import type { Schema } from './schema.ts'
import { Struct } from './struct.ts'
import { describeType } from './validate.ts'

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
export function escapeString(value: string): string {
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

/** The string form of a value; null for null. */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value == null) return null
  return append(value, schema, false)
}
