/**
 * How Connect values become Redis strings and fields (the sink's side), in one place so every data type writes
 * them alike. Redis stores bytes; text is written as UTF-8.
 */
import { BigDecimal, DataError, Struct } from 'tsconnect'

/** A Connect value as plain JSON-able data (structs and maps as objects, bigints as numbers' text). */
export function plainValue(value: unknown): unknown {
  if (value instanceof Struct) {
    return Object.fromEntries(value.schema.fields.map((f) => [f.name, plainValue(value.get(f))]))
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainValue(v)]))
  if (Array.isArray(value)) return value.map(plainValue)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value instanceof Date) return value.getTime()
  // A decimal's exact digits, as a JSON number (not its fields).
  if (value instanceof BigDecimal) return rawJSON(value.toString())
  return value
}

/** JSON.rawJSON (Node 21+), typed here because TypeScript's lib does not declare it yet. */
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON

/** JSON text, with 64-bit integers written as their digits (JSON.stringify refuses bigints). */
export function jsonText(value: unknown): string {
  return JSON.stringify(plainValue(value), (_k, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v))
}

/**
 * A key, member or string value as Redis bytes: strings and bytes as they are, numbers and booleans as their text,
 * structs, maps and arrays as JSON. Null has no bytes: `what` names the part in the DataError.
 */
export function redisBytes(value: unknown, what: string): Buffer {
  if (value === null || value === undefined) throw new DataError(`The record's ${what} is null`)
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return Buffer.from(String(value), 'utf8')
  }
  return Buffer.from(jsonText(value), 'utf8')
}

/** A field's value as text, as Java's String.valueOf writes it for the common types. */
function fieldText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  if (value instanceof Date) return String(value.getTime())
  if (typeof value === 'object') return jsonText(value)
  return String(value)
}

/**
 * The field/value pairs of a struct or map value (HASH fields, STREAM message bodies). Null fields are left out:
 * Redis has no null field value.
 */
export function fieldsOf(value: unknown): [string, string][] {
  const fields: [string, string][] = []
  if (value instanceof Struct) {
    for (const f of value.schema.fields) {
      const v = value.get(f)
      if (v !== null && v !== undefined) fields.push([f.name, fieldText(v)])
    }
  } else if (value instanceof Map) {
    for (const [k, v] of value) if (v !== null && v !== undefined) fields.push([String(k), fieldText(v)])
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) fields.push([k, fieldText(v)])
  } else {
    throw new DataError('The record value must be a struct or a map to become Redis fields')
  }
  return fields
}

/** A sorted-set score: the record value as a double. */
export function scoreOf(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string'
          ? Number(value)
          : Number.NaN
  if (!Number.isFinite(n)) throw new DataError('The record value must be a number to become a sorted-set score')
  return n
}
