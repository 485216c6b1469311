/**
 * Values.convertTo*: converting a value of one type to another, as Java's Values does for SMTs such as Cast.
 * Strings are parsed first (Values.parseString); numbers convert as Java's casts do (a double to a long truncates,
 * a long to INT8 wraps); Dates convert through their logical encodings when the source schema says which one.
 */
import { DataError } from '../errors.ts'
import { BigDecimal } from './big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from './logical-types.ts'
import type { Schema } from './schema.ts'
import { Struct } from './struct.ts'
import { describeType } from './validate.ts'
import { convertToString } from './values-format.ts'
import { parseString } from './values-parser.ts'

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000

function cannot(value: unknown, target: string, cause?: unknown): DataError {
  return new DataError(`Unable to convert ${String(value)} (${describeType(value)}) to ${target}`, { cause })
}

function truncate(text: string): bigint {
  const d = BigDecimal.parse(text)
  if (d.scale <= 0) return d.unscaled * 10n ** BigInt(-d.scale)
  return d.unscaled / 10n ** BigInt(d.scale) // bigint division truncates toward zero, as Java's longValue
}

/** Java's Values.asLong: the value as a 64-bit integer. */
export function asLong(value: unknown, fromSchema: Schema | null): bigint {
  if (typeof value === 'bigint') return BigInt.asIntN(64, value)
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt.asIntN(64, BigInt(Math.trunc(value))) : 0n
  if (value instanceof BigDecimal) return BigInt.asIntN(64, truncate(value.toString()))
  let error: unknown
  if (typeof value === 'string') {
    try {
      return BigInt.asIntN(64, truncate(value.trim()))
    } catch (e) {
      error = e
    }
  }
  if (fromSchema !== null) {
    if (value instanceof Date) {
      if (fromSchema.name === ConnectDate.LOGICAL_NAME) return BigInt(ConnectDate.fromLogical(fromSchema, value))
      if (fromSchema.name === Time.LOGICAL_NAME) return BigInt(Time.fromLogical(fromSchema, value))
      if (fromSchema.name === Timestamp.LOGICAL_NAME) return BigInt(Timestamp.fromLogical(fromSchema, value))
    }
    throw cannot(value, String(fromSchema), error)
  }
  throw cannot(value, 'a number', error)
}

/** Java's Values.asDouble. */
export function asDouble(value: unknown, fromSchema: Schema | null): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof BigDecimal) return value.toNumber()
  if (typeof value === 'string') {
    try {
      return BigDecimal.parse(value.trim()).toNumber()
    } catch {
      // fall through to the integer conversions
    }
  }
  return Number(asLong(value, fromSchema))
}

function int64(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

const parsed = (value: unknown): unknown => (typeof value === 'string' ? parseString(value).value : value)

const toBoolean = (schema: Schema | null, value: unknown): boolean | null => {
  if (value == null) return null
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const p = parseString(value).value
    if (typeof p === 'boolean') return p
  }
  return asLong(value, schema) !== 0n
}
const toInt =
  (bits: number) =>
  (schema: Schema | null, value: unknown): number | null =>
    value == null ? null : Number(BigInt.asIntN(bits, asLong(value, schema)))
const toLong = (schema: Schema | null, value: unknown): number | bigint | null =>
  value == null ? null : int64(asLong(value, schema))
const toFloat = (schema: Schema | null, value: unknown): number | null =>
  value == null ? null : Math.fround(asDouble(value, schema))
const toDouble = (schema: Schema | null, value: unknown): number | null =>
  value == null ? null : asDouble(value, schema)

const toDateLike = (target: Schema, fromSchema: Schema | null, raw: unknown): Date => {
  const value = parsed(raw)
  if (value instanceof Date) {
    if (fromSchema === null) return value
    const from = fromSchema.name
    if (from === target.name) return value
    if (from === Timestamp.LOGICAL_NAME && target.name === ConnectDate.LOGICAL_NAME) {
      return ConnectDate.toLogical(target, Math.trunc(value.getTime() / MILLIS_PER_DAY))
    }
    if (from === Timestamp.LOGICAL_NAME && target.name === Time.LOGICAL_NAME) {
      return Time.toLogical(target, ((value.getTime() % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY)
    }
    if (target.name === Timestamp.LOGICAL_NAME && from === ConnectDate.LOGICAL_NAME) {
      return new Date(ConnectDate.fromLogical(fromSchema, value) * MILLIS_PER_DAY)
    }
    if (target.name === Timestamp.LOGICAL_NAME && from === Time.LOGICAL_NAME) {
      return new Date(Time.fromLogical(fromSchema, value))
    }
  }
  const n = Number(asLong(value, fromSchema))
  if (target.name === ConnectDate.LOGICAL_NAME) return ConnectDate.toLogical(target, n)
  if (target.name === Time.LOGICAL_NAME) return Time.toLogical(target, n)
  return Timestamp.toLogical(target, n)
}

const required = (value: unknown): void => {
  if (value == null) throw new DataError('Unable to convert a null value to a schema that requires a value')
}

const toDecimal = (target: Schema, value: unknown): BigDecimal => {
  if (value instanceof Uint8Array) return Decimal.toLogical(target, value)
  if (value instanceof BigDecimal) return value
  if (typeof value === 'number') return BigDecimal.fromNumber(value)
  if (typeof value === 'bigint') return new BigDecimal(value, 0)
  if (typeof value === 'string') return BigDecimal.parse(value.trim())
  throw cannot(value, String(target))
}

const toList = (value: unknown): unknown[] => {
  required(value)
  const v = parsed(value)
  if (Array.isArray(v)) return v
  throw cannot(v, 'Schema{ARRAY}')
}
const toMap = (value: unknown): Map<unknown, unknown> => {
  required(value)
  const v = parsed(value)
  if (v instanceof Map) return v
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
    return new Map(Object.entries(v))
  throw cannot(v, 'Schema{MAP}')
}
const toStruct = (value: unknown): Struct => {
  required(value)
  if (value instanceof Struct) return value
  throw cannot(value, 'Schema{STRUCT}')
}

const convertTo = (toSchema: Schema, fromSchema: Schema | null, value: unknown): unknown => {
  if (value == null) {
    if (toSchema.optional) return null
    throw new DataError('Unable to convert a null value to a schema that requires a value')
  }
  switch (toSchema.type) {
    case 'BYTES':
      if (toSchema.name === Decimal.LOGICAL_NAME) return toDecimal(toSchema, value)
      if (value instanceof Uint8Array) return value
      if (value instanceof BigDecimal) return Decimal.fromLogical(toSchema, value)
      throw cannot(value, String(toSchema))
    case 'STRING':
      return convertToString(fromSchema, value)
    case 'BOOLEAN':
      return toBoolean(fromSchema, value)
    case 'INT8':
      return toInt(8)(fromSchema, value)
    case 'INT16':
      return toInt(16)(fromSchema, value)
    case 'INT32':
      if (toSchema.name === ConnectDate.LOGICAL_NAME || toSchema.name === Time.LOGICAL_NAME) {
        return toDateLike(toSchema, fromSchema, value)
      }
      return toInt(32)(fromSchema, value)
    case 'INT64':
      if (toSchema.name === Timestamp.LOGICAL_NAME) return toDateLike(toSchema, fromSchema, value)
      return toLong(fromSchema, value)
    case 'FLOAT32':
      return toFloat(fromSchema, value)
    case 'FLOAT64':
      return toDouble(fromSchema, value)
    case 'ARRAY':
      return toList(value)
    case 'MAP':
      return toMap(value)
    case 'STRUCT':
      return toStruct(value)
  }
}

/** The typed conversions of Java's Values, for the Values facade. */
export const CONVERSIONS = Object.freeze({
  convertToBoolean: toBoolean,
  convertToByte: toInt(8),
  convertToShort: toInt(16),
  convertToInteger: toInt(32),
  convertToLong: toLong,
  convertToFloat: toFloat,
  convertToDouble: toDouble,
  convertToList: (_schema: Schema | null, value: unknown): unknown[] => toList(value),
  convertToMap: (_schema: Schema | null, value: unknown): Map<unknown, unknown> => toMap(value),
  convertToStruct: (_schema: Schema | null, value: unknown): Struct => toStruct(value),
  convertToDate: (schema: Schema | null, value: unknown): Date => {
    required(value)
    return toDateLike(ConnectDate.SCHEMA, schema, value)
  },
  convertToTime: (schema: Schema | null, value: unknown): Date => {
    required(value)
    return toDateLike(Time.SCHEMA, schema, value)
  },
  convertToTimestamp: (schema: Schema | null, value: unknown): Date => {
    required(value)
    return toDateLike(Timestamp.SCHEMA, schema, value)
  },
  convertToDecimal: (_schema: Schema | null, value: unknown, scale: number): BigDecimal => {
    required(value)
    return toDecimal(Decimal.schema(scale), value)
  },
  /** Converts a value to the type of `toSchema` (null only when toSchema is optional). */
  convertTo,
})
