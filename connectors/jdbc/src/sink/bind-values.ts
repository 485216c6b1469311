/**
 * Connect values as statement parameters: what `pg` and `mysql2` send without loss. 64-bit integers and decimals
 * go as text, dates and times as wall-clock text in the session's zone, bytes as Buffers, structs, maps and
 * arrays as JSON text (Debezium writes them to json columns). Debezium's time types (days, micro- and nanoseconds
 * since the epoch, ISO-8601 zoned text) are read by their schema names.
 */
import { BigDecimal, DataError, type Schema, Struct } from 'tsconnect'
import { logicalKind } from '../dialect/types.ts'
import type { DatabaseKind } from '../jdbc-url.ts'
import { dateText, parseWallTime, timeText, wallTime } from '../time.ts'

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(Math.trunc(value))
  throw new DataError(`Expected an integer, got ${typeof value}`)
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString()
    if (v instanceof Struct) return Object.fromEntries(v.schema.fields.map((f) => [f.name, v.get(f)]))
    if (v instanceof Map) return Object.fromEntries(v)
    if (v instanceof BigDecimal) return Number(v.toString())
    return v
  })
}

function epochMicrosText(micros: bigint, timeZone: string): string {
  const ms = micros / 1000n
  const rest = Number(micros - ms * 1000n)
  // Negative remainders (before 1970) borrow a millisecond.
  return rest < 0 ? wallTime(Number(ms) - 1, timeZone, rest + 1000) : wallTime(Number(ms), timeZone, rest)
}

/** The parameter for one value of a column with this schema. */
export function bindValue(value: unknown, schema: Schema, kind: DatabaseKind, timeZone: string): unknown {
  if (value === null || value === undefined) return null
  switch (logicalKind(schema)) {
    case 'decimal':
      return (value as BigDecimal).toString()
    case 'variable-decimal': {
      const s = value as Struct
      const bytes = s.get('value') as Uint8Array
      let unscaled = 0n
      for (const b of bytes) unscaled = (unscaled << 8n) | BigInt(b)
      if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8)
      return new BigDecimal(unscaled, Number(s.get('scale'))).toString()
    }
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : dateText(Number(value))
    case 'time':
      return value instanceof Date ? timeText((value.getTime() % 86_400_000) * 1000) : timeText(Number(value) * 1000)
    case 'micro-time':
      return timeText(Number(value))
    case 'nano-time':
      return timeText(Number(toBigInt(value) / 1000n))
    case 'timestamp':
      return value instanceof Date ? wallTime(value.getTime(), timeZone) : wallTime(Number(value), timeZone)
    case 'micro-timestamp':
      return epochMicrosText(toBigInt(value), timeZone)
    case 'nano-timestamp':
      return epochMicrosText(toBigInt(value) / 1000n, timeZone)
    case 'zoned-timestamp': {
      if (kind === 'postgresql') return String(value)
      // MySQL takes no offset in a literal: the instant as wall time in the session's zone.
      const { epochMs, nanos } = parseWallTime(String(value).replace('T', ' '), 'UTC')
      return wallTime(epochMs, timeZone, Math.floor(nanos / 1000) % 1000)
    }
    case 'zoned-time':
      return String(value)
    default:
      break
  }
  switch (schema.type) {
    case 'INT64':
      return typeof value === 'bigint' ? value.toString() : value
    case 'BOOLEAN':
      return kind === 'mysql' ? (value ? 1 : 0) : value === true
    case 'BYTES':
      return Buffer.from(value as Uint8Array)
    case 'STRUCT':
    case 'MAP':
    case 'ARRAY':
      return jsonText(value)
    default:
      return value
  }
}
