/**
 * TimestampConverter (`org.apache.kafka.connect.transforms.TimestampConverter$Key` / `$Value`): converts a
 * timestamp field (or, with `field` empty, the whole key or value) between Unix time (int64 in `unix.precision`),
 * strings (`format`, a SimpleDateFormat pattern in UTC) and Connect's Date, Time and Timestamp. The input kind comes
 * from the schema, or schemaless from the value: a Date is a Timestamp, an integer Unix time, a string text.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Validators } from '../config/validators.ts'
import { ConnectDate, Time, Timestamp } from '../data/logical-types.ts'
import { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { ConfigError, DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, replaceNullWithDefaultKey, simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStructOrNull, toSameKind, typeNameOf } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'
import { SimpleDateFormat } from './util/simple-date-format.ts'

const FIELD_CONFIG = 'field'
const TARGET_TYPE_CONFIG = 'target.type'
const FORMAT_CONFIG = 'format'
const UNIX_PRECISION_CONFIG = 'unix.precision'
const PURPOSE = 'converting timestamp formats'
const MILLIS_PER_DAY = 86_400_000

/** The timestamp kinds, named as the `target.type` values. */
type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp'
type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds'

const OPTIONAL_DATE_SCHEMA = ConnectDate.builder().optional().build()
const OPTIONAL_TIME_SCHEMA = Time.builder().optional().build()
const OPTIONAL_TIMESTAMP_SCHEMA = Timestamp.builder().optional().build()

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELD_CONFIG,
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
  })
  .define({
    name: TARGET_TYPE_CONFIG,
    type: 'STRING',
    validator: Validators.in('string', 'unix', 'Date', 'Time', 'Timestamp'),
    importance: 'HIGH',
    documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
  })
  .define({
    name: FORMAT_CONFIG,
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
  })
  .define({
    name: UNIX_PRECISION_CONFIG,
    type: 'STRING',
    defaultValue: 'milliseconds',
    validator: Validators.in('nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
    importance: 'LOW',
    documentation:
      'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
  })
  .define(replaceNullWithDefaultKey())

const UNIX_FACTORS: Record<UnixPrecision, bigint> = {
  seconds: 1n,
  milliseconds: 1000n,
  microseconds: 1_000_000n,
  nanoseconds: 1_000_000_000n,
}

function int64(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/** Java's TimeUnit conversions: truncating toward zero, saturating at the long range. */
function convertUnits(value: bigint, from: bigint, to: bigint): bigint {
  const max = 2n ** 63n - 1n
  const result = to >= from ? value * (to / from) : value / (from / to)
  if (result > max) return max
  if (result < -max - 1n) return -max - 1n
  return result
}

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA
    case 'unix':
      return optional ? Schema.OPTIONAL_INT64_SCHEMA : Schema.INT64_SCHEMA
    case 'Date':
      return optional ? OPTIONAL_DATE_SCHEMA : ConnectDate.SCHEMA
    case 'Time':
      return optional ? OPTIONAL_TIME_SCHEMA : Time.SCHEMA
    case 'Timestamp':
      return optional ? OPTIONAL_TIMESTAMP_SCHEMA : Timestamp.SCHEMA
  }
}

/** The timestamp kind a schema stands for; Java's ConnectException when it stands for none. */
function typeFromSchema(schema: Schema): TimestampType {
  if (schema.name === Timestamp.LOGICAL_NAME) return 'Timestamp'
  if (schema.name === ConnectDate.LOGICAL_NAME) return 'Date'
  if (schema.name === Time.LOGICAL_NAME) return 'Time'
  if (schema.type === 'STRING') return 'string'
  if (schema.type === 'INT64') return 'unix'
  throw new DataError(`Schema ${String(schema)} does not correspond to a known timestamp type format`)
}

function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp'
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix'
  if (typeof value === 'string') return 'string'
  throw new DataError(`TimestampConverter does not support ${typeNameOf(value)} objects as timestamps`)
}

/** TimestampConverter, on the key or the value. */
export class TimestampConverter implements Transformation {
  readonly #part: RecordPart
  #field = ''
  #type: TimestampType = 'Timestamp'
  #format: SimpleDateFormat | null = null
  #unixPrecision: UnixPrecision = 'milliseconds'
  #replaceNullWithDefault = true
  readonly #schemaCache = new SchemaCache()

  constructor(part: RecordPart) {
    this.#part = part
  }

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#field = config.getString(FIELD_CONFIG) ?? ''
    this.#type = config.getString(TARGET_TYPE_CONFIG) as TimestampType
    const pattern = config.getString(FORMAT_CONFIG) ?? ''
    this.#unixPrecision = (config.getString(UNIX_PRECISION_CONFIG) ?? 'milliseconds') as UnixPrecision
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    this.#schemaCache.clear()
    if (this.#type === 'string' && pattern.trim() === '') {
      throw new ConfigError('TimestampConverter requires format option to be specified when using string timestamps')
    }
    this.#format = null
    if (pattern.trim() !== '') {
      try {
        this.#format = new SimpleDateFormat(pattern)
      } catch (e) {
        // Java's (name, value) constructor used by mistake: the cause becomes the "value".
        throw new ConfigError(
          `Invalid value java.lang.IllegalArgumentException: ${(e as Error).message} for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`,
          FORMAT_CONFIG,
          { cause: e },
        )
      }
    }
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.#part.schema(record)
    const raw = this.#part.value(record)
    if (schema === null) {
      if (raw == null || this.#field === '') return this.#part.with(record, null, this.#convert(raw, undefined))
      const updated = new Map(requireMap(raw, PURPOSE))
      updated.set(this.#field, this.#convert(updated.get(this.#field), undefined))
      return this.#part.with(record, null, toSameKind(updated, raw))
    }
    if (this.#field === '') {
      return this.#part.with(
        record,
        typeSchema(this.#type, schema.optional),
        this.#convert(raw, typeFromSchema(schema)),
      )
    }
    const value = requireStructOrNull(raw, PURPOSE)
    const updatedSchema = this.#schemaCache.getOrCompute(schema, (s) => this.#updatedSchema(s))
    return this.#part.with(record, updatedSchema, this.#convertStruct(value, updatedSchema))
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields) {
      builder.field(
        field.name,
        field.name === this.#field ? typeSchema(this.#type, field.schema.optional) : field.schema,
      )
    }
    if (schema.optional) builder.optional()
    if (schema.defaultValue != null) {
      builder.defaultValue(this.#convertStruct(schema.defaultValue as Struct, builder.build()))
    }
    return builder.build()
  }

  #convertStruct(value: Struct | null, updatedSchema: Schema): Struct | null {
    if (value === null) return null
    const updated = new Struct(updatedSchema)
    for (const field of value.schema.fields) {
      const v = this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field)
      updated.put(field.name, field.name === this.#field ? this.#convert(v, typeFromSchema(field.schema)) : v)
    }
    return updated
  }

  #convert(timestamp: unknown, from: TimestampType | undefined): unknown {
    if (timestamp == null) return null
    return this.#toType(this.#toRaw(timestamp, from ?? inferType(timestamp)))
  }

  /** The timestamp as milliseconds since the epoch. */
  #toRaw(orig: unknown, from: TimestampType): number {
    switch (from) {
      case 'string': {
        if (typeof orig !== 'string') {
          throw new DataError(`Expected string timestamp to be a String, but found ${typeNameOf(orig)}`)
        }
        const format = this.#format
        if (format === null) throw new DataError('TimestampConverter requires a format to parse string timestamps')
        try {
          return format.parse(orig).getTime()
        } catch (e) {
          throw new DataError(
            `Could not parse timestamp: value (${orig}) does not match pattern (${format.toPattern()})`,
            { cause: e },
          )
        }
      }
      case 'unix': {
        if (typeof orig !== 'bigint' && !(typeof orig === 'number' && Number.isInteger(orig))) {
          throw new DataError(`Expected Unix timestamp to be a Long, but found ${typeNameOf(orig)}`)
        }
        return Number(convertUnits(BigInt(orig), UNIX_FACTORS[this.#unixPrecision], 1000n))
      }
      default:
        if (!(orig instanceof Date)) {
          throw new DataError(`Expected ${from} to be a java.util.Date, but found ${typeNameOf(orig)}`)
        }
        return orig.getTime()
    }
  }

  #toType(millis: number): unknown {
    switch (this.#type) {
      case 'string':
        return (this.#format as SimpleDateFormat).format(new Date(millis))
      case 'unix':
        return int64(convertUnits(BigInt(millis), 1000n, UNIX_FACTORS[this.#unixPrecision]))
      case 'Date':
        return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY)
      case 'Time':
        return new Date(((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY)
      case 'Timestamp':
        return new Date(millis)
    }
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** TimestampConverter$Key: converts a timestamp in the record key. */
export class TimestampConverterKey extends TimestampConverter {
  constructor() {
    super(KEY)
  }
}

/** TimestampConverter$Value: converts a timestamp in the record value. */
export class TimestampConverterValue extends TimestampConverter {
  constructor() {
    super(VALUE)
  }
}
