/**
 * The logical types: Decimal, Date, Time and Timestamp, as Java's classes of the same names in
 * org.apache.kafka.connect.data. Each is a named schema (version 1) over a primitive type, with conversions between
 * the logical value (BigDecimal, Date) and the encoded one (bytes, int32, int64).
 *
 * Java's `Date` is exported as `ConnectDate`, so that importing it does not hide JavaScript's Date.
 */
import { DataError } from '../errors.ts'
import { BigDecimal } from './big-decimal.ts'
import { LOGICAL_NAMES } from './logical-names.ts'
import type { ConnectSchema, Schema } from './schema.ts'
import { SchemaBuilder } from './schema-builder.ts'

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000

function decimalScale(schema: Schema): number {
  const text = schema.parameters?.scale
  if (text === undefined) throw new DataError('Invalid Decimal schema: scale parameter not found.')
  if (!/^[+-]?\d+$/.test(text.trim())) throw new DataError(`Invalid scale parameter found in Decimal schema: ${text}`)
  return Number(text)
}

/** Arbitrary-precision decimals: BYTES holding the unscaled value's two's-complement bytes; `scale` parameter. */
export const Decimal = Object.freeze({
  LOGICAL_NAME: LOGICAL_NAMES.DECIMAL,
  SCALE_FIELD: 'scale',
  /** A builder for decimals of the given scale. */
  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(LOGICAL_NAMES.DECIMAL).parameter('scale', String(scale)).version(1)
  },
  /** The schema of decimals of the given scale. */
  schema(scale: number): ConnectSchema {
    return Decimal.builder(scale).build()
  },
  /** The scale a Decimal schema declares. */
  scale(schema: Schema): number {
    return decimalScale(schema)
  },
  /** Encodes a decimal; its scale must be the schema's. */
  fromLogical(schema: Schema, value: BigDecimal): Uint8Array {
    const scale = decimalScale(schema)
    if (value.scale !== scale) {
      throw new DataError(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`,
      )
    }
    return value.toTwosComplement()
  },
  /** Decodes a decimal from its bytes. */
  toLogical(schema: Schema, value: Uint8Array): BigDecimal {
    return BigDecimal.fromTwosComplement(value, decimalScale(schema))
  },
})

function checkName(schema: Schema, name: string, what: string): void {
  if (schema.name !== name) throw new DataError(`Requested conversion of ${what} object but the schema does not match.`)
}

/** Days since the Unix epoch: INT32; the value is a Date at midnight UTC. */
export const ConnectDate = Object.freeze({
  LOGICAL_NAME: LOGICAL_NAMES.DATE,
  /** A builder for dates. */
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LOGICAL_NAMES.DATE).version(1)
  },
  /** The date schema. */
  SCHEMA: SchemaBuilder.int32().name(LOGICAL_NAMES.DATE).version(1).build(),
  /** Days since the epoch; the Date must be at midnight UTC. */
  fromLogical(schema: Schema, value: Date): number {
    checkName(schema, LOGICAL_NAMES.DATE, 'Date')
    const ms = value.getTime()
    if (ms % MILLIS_PER_DAY !== 0) {
      throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.')
    }
    return ms / MILLIS_PER_DAY
  },
  /** The Date at midnight UTC of the given day. */
  toLogical(schema: Schema, value: number): Date {
    checkName(schema, LOGICAL_NAMES.DATE, 'Date')
    return new Date(value * MILLIS_PER_DAY)
  },
})

/** Milliseconds since midnight: INT32; the value is a Date on 1970-01-01 UTC. */
export const Time = Object.freeze({
  LOGICAL_NAME: LOGICAL_NAMES.TIME,
  /** A builder for times. */
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LOGICAL_NAMES.TIME).version(1)
  },
  /** The time schema. */
  SCHEMA: SchemaBuilder.int32().name(LOGICAL_NAMES.TIME).version(1).build(),
  /** Milliseconds since midnight; the Date must be on the epoch day. */
  fromLogical(schema: Schema, value: Date): number {
    checkName(schema, LOGICAL_NAMES.TIME, 'Time')
    const ms = value.getTime()
    if (ms < 0 || ms > MILLIS_PER_DAY) {
      throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.')
    }
    return ms
  },
  /** The Date on the epoch day at the given milliseconds. */
  toLogical(schema: Schema, value: number): Date {
    checkName(schema, LOGICAL_NAMES.TIME, 'Date')
    if (value < 0 || value > MILLIS_PER_DAY) {
      throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000')
    }
    return new Date(value)
  },
})

/** Milliseconds since the Unix epoch: INT64; the value is a Date. */
export const Timestamp = Object.freeze({
  LOGICAL_NAME: LOGICAL_NAMES.TIMESTAMP,
  /** A builder for timestamps. */
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(LOGICAL_NAMES.TIMESTAMP).version(1)
  },
  /** The timestamp schema. */
  SCHEMA: SchemaBuilder.int64().name(LOGICAL_NAMES.TIMESTAMP).version(1).build(),
  /** Milliseconds since the epoch. */
  fromLogical(schema: Schema, value: Date): number {
    checkName(schema, LOGICAL_NAMES.TIMESTAMP, 'Timestamp')
    return value.getTime()
  },
  /** The Date at the given milliseconds since the epoch. */
  toLogical(schema: Schema, value: number | bigint): Date {
    checkName(schema, LOGICAL_NAMES.TIMESTAMP, 'Timestamp')
    return new Date(Number(value))
  },
})
