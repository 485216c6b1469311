/**
 * What a sink record's value becomes in a request body, and how records share one request (batching).
 *
 * A string value is sent as it is; bytes as they are; a struct, map, array, number or boolean as JSON (structs
 * by field name, 64-bit integers exactly). With `request.body.format=json` a string value is sent as a JSON
 * string. A batch is `prefix + body + separator + body ... + suffix`; `batch.json.as.array` makes it `[a,b]`.
 */
import { BigDecimal, Struct } from 'tsconnect'

/** JSON.rawJSON (Node 21+), typed here because TypeScript's lib does not declare it yet. */
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON

/** A Connect value as JSON-able data. */
function plain(value: unknown): unknown {
  if (value instanceof Struct) return Object.fromEntries(value.schema.fields.map((f) => [f.name, plain(value.get(f))]))
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]))
  if (Array.isArray(value)) return value.map(plain)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value instanceof Date) return value.getTime()
  // A decimal's exact digits, as a JSON number (not its fields).
  if (value instanceof BigDecimal) return rawJSON(value.toString())
  return value
}

/** JSON text of a Connect value. */
export function jsonOf(value: unknown): string {
  return JSON.stringify(plain(value), (_k, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v)) ?? 'null'
}

/** The body text of one record's value. */
export function bodyOf(value: unknown, format: 'string' | 'json'): string {
  if (typeof value === 'string') return format === 'json' ? JSON.stringify(value) : value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return jsonOf(value)
}

/** How bodies are joined into one request. */
export interface BatchFormat {
  readonly prefix: string
  readonly separator: string
  readonly suffix: string
}

/** One request's body from the bodies of its records. */
export function batchBody(bodies: readonly string[], format: BatchFormat): string {
  return format.prefix + bodies.join(format.separator) + format.suffix
}

/** Splits items into runs of at most `max` that share a group key, keeping their order. */
export function runs<T>(items: readonly T[], max: number, groupOf: (item: T) => string): T[][] {
  const out: T[][] = []
  let current: T[] = []
  let group: string | null = null
  for (const item of items) {
    const g = groupOf(item)
    if (current.length > 0 && (g !== group || current.length >= max)) {
      out.push(current)
      current = []
    }
    group = g
    current.push(item)
  }
  if (current.length > 0) out.push(current)
  return out
}
