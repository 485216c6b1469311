/**
 * Cast (`org.apache.kafka.connect.transforms.Cast$Key` / `$Value`): casts fields, or the whole key or value, to
 * another primitive type. `spec` is `field:type,...` or a single type for the whole value; types are int8, int16,
 * int32, int64, float32, float64, boolean and string. Numbers narrow as Java's casts do (a double to int32
 * saturates, an int64 to int8 wraps), strings parse as Java's Integer.parseInt and friends, bytes and Dates cast
 * only to string (base64, and Values' date text). Only top-level fields can be cast, as in Java.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { invalidValue } from '../config/types.ts'
import { Validators } from '../config/validators.ts'
import { BigDecimal } from '../data/big-decimal.ts'
import { ConnectDate, Time, Timestamp } from '../data/logical-types.ts'
import type { Schema, SchemaType } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { asLong } from '../data/values-convert.ts'
import { formatDate } from '../data/values-format.ts'
import { ConfigError, DataError } from '../errors.ts'
import { javaDoubleToString, javaFloatToString } from '../util/java-format.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, replaceNullWithDefaultKey, simpleConfig } from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStruct, schemaTypeOf, toSameKind, typeNameOf } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'

const SPEC_CONFIG = 'spec'
const PURPOSE = 'cast types'
const INPUT_TYPES: readonly SchemaType[] = [
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT32',
  'FLOAT64',
  'BOOLEAN',
  'STRING',
  'BYTES',
]
const OUTPUT_TYPES: readonly SchemaType[] = INPUT_TYPES.slice(0, -1)
const ALL_TYPES = new Set<string>([...INPUT_TYPES, 'ARRAY', 'MAP', 'STRUCT'])

/** Java's String.split: trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator)
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

function outputType(name: string): SchemaType {
  const upper = name.trim().toUpperCase()
  if (!ALL_TYPES.has(upper)) {
    // Java builds this ConfigException with its (name, value) constructor by mistake, hence the odd wording.
    throw new ConfigError(
      `Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${upper} for configuration Invalid type found in casting spec: ${name.trim()}`,
    )
  }
  const type = upper as SchemaType
  if (!OUTPUT_TYPES.includes(type)) {
    throw new ConfigError(
      `Cast transformation does not support casting to ${type}; supported types are [${OUTPUT_TYPES.join(', ')}]`,
    )
  }
  return type
}

/** The casts of a spec: field name to type, with the key null for a whole-value cast. */
function parseFieldTypes(mappings: readonly string[]): Map<string | null, SchemaType> {
  const casts = new Map<string | null, SchemaType>()
  let wholeValue = false
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':')
    if (parts.length > 2) throw invalidValue('renames', mappings, `Invalid rename mapping: ${mapping}`)
    if (parts.length <= 1) {
      casts.set(null, outputType(parts[0] ?? ''))
      wholeValue = true
    } else {
      casts.set((parts[0] as string).trim(), outputType(parts[1] as string))
    }
  }
  if (wholeValue && mappings.length > 1) {
    throw new ConfigError(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    )
  }
  return casts
}

const CONFIG_DEF = new ConfigDef()
  .define({
    name: SPEC_CONFIG,
    type: 'LIST',
    validator: Validators.of((_name, value) => {
      const list = value as readonly string[] | null
      if (list == null || list.length === 0) throw new ConfigError('Must specify at least one field to cast.')
      parseFieldTypes(list)
    }, 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>'),
    importance: 'HIGH',
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
  })
  .define(replaceNullWithDefaultKey())

function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value
  switch (schema.name) {
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(schema, value)
    case Time.LOGICAL_NAME:
      return Time.fromLogical(schema, value)
    case Timestamp.LOGICAL_NAME:
      return Timestamp.fromLogical(schema, value)
    default:
      return value
  }
}

const INTEGER_TEXT = /^[+-]?\d+$/
const FLOAT_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?$/

class OutOfRange extends Error {}

/** Java's Number.longValue of a non-integer double: truncation, saturating at the long range, NaN as 0. */
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n
  if (d >= 9.223372036854776e18) return 2n ** 63n - 1n
  if (d <= -9.223372036854776e18) return -(2n ** 63n)
  return BigInt(Math.trunc(d))
}

/** Java's (int) cast of a double: truncation, saturating at the int range, NaN as 0. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(d)))
}

function castToInteger(value: unknown, bits: 8 | 16 | 32 | 64, floating = false): number | bigint {
  let n: bigint
  if (typeof value === 'boolean') n = value ? 1n : 0n
  else if (typeof value === 'bigint') n = value
  else if (typeof value === 'number') {
    // A FLOAT32/FLOAT64 value narrows as a Java double does even when it holds a whole number (1e10 to int32 is
    // Integer.MAX_VALUE, not 1e10 wrapped).
    if (Number.isInteger(value) && !floating) n = BigInt(value)
    // Java narrows a double to int first (byteValue is (byte)(int)d), to long for int64.
    else n = bits === 64 ? doubleToLong(value) : BigInt(doubleToInt(value))
  } else if (value instanceof BigDecimal) n = asLong(value, null)
  else if (typeof value === 'string') {
    if (!INTEGER_TEXT.test(value)) throw new OutOfRange()
    n = BigInt(value)
    if (n !== BigInt.asIntN(bits, n)) throw new OutOfRange()
  } else throw new DataError(`Unexpected type in Cast transformation: ${typeNameOf(value)}`)
  const wrapped = BigInt.asIntN(bits, n)
  if (bits < 64) return Number(wrapped)
  return wrapped >= BigInt(Number.MIN_SAFE_INTEGER) && wrapped <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(wrapped)
    : wrapped
}

function castToFloat(value: unknown, single: boolean): number {
  let d: number
  if (typeof value === 'boolean') d = value ? 1 : 0
  else if (typeof value === 'number' || typeof value === 'bigint') d = Number(value)
  else if (value instanceof BigDecimal) d = value.toNumber()
  else if (typeof value === 'string') {
    const t = value.trim()
    if (!FLOAT_TEXT.test(t)) throw new OutOfRange()
    d = Number(t.replace(/[fFdD]$/, ''))
  } else throw new DataError(`Unexpected type in Cast transformation: ${typeNameOf(value)}`)
  return single ? Math.fround(d) : d
}

function castToBoolean(value: unknown, floating: boolean): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value.toLowerCase() === 'true'
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof BigDecimal) {
    // Java's Number.longValue() != 0: 0.5 is false.
    return BigInt(castToInteger(value, 64, floating)) !== 0n
  }
  throw new DataError(`Unexpected type in Cast transformation: ${typeNameOf(value)}`)
}

function castToString(value: unknown, type: SchemaType): string {
  if (value instanceof Date) return formatDate(value)
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  if (typeof value === 'number') {
    if (type === 'FLOAT32') return javaFloatToString(value)
    if (type === 'FLOAT64') return javaDoubleToString(value)
  }
  return String(value)
}

/** Casts one value (with its schema, or null when schemaless) to the target type; null stays null. */
export function castValueToType(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value == null) return null
  const inferred = schema === null ? schemaTypeOf(value) : schema.type
  if (inferred === undefined) {
    throw new DataError(
      `Cast transformation was passed a value of type ${typeNameOf(value)} which is not supported by Connect's data API`,
    )
  }
  if (!INPUT_TYPES.includes(inferred)) {
    throw new DataError(
      `Cast transformation does not support casting from ${inferred}; supported types are [${INPUT_TYPES.join(', ')}]`,
    )
  }
  const v = schema !== null && schema.name !== undefined && target !== 'STRING' ? encodeLogical(schema, value) : value
  try {
    const floating = inferred === 'FLOAT32' || inferred === 'FLOAT64'
    switch (target) {
      case 'INT8':
        return castToInteger(v, 8, floating)
      case 'INT16':
        return castToInteger(v, 16, floating)
      case 'INT32':
        return castToInteger(v, 32, floating)
      case 'INT64':
        return castToInteger(v, 64, floating)
      case 'FLOAT32':
        return castToFloat(v, true)
      case 'FLOAT64':
        return castToFloat(v, false)
      case 'BOOLEAN':
        return castToBoolean(v, floating)
      case 'STRING':
        return castToString(v, inferred)
      default:
        throw new DataError(`${target} is not supported in the Cast transformation.`)
    }
  } catch (e) {
    if (e instanceof OutOfRange) {
      throw new DataError(`Value (${String(value)}) was out of range for requested data type`, { cause: e })
    }
    throw e
  }
}

/** Cast, on the key or the value. */
export class Cast implements Transformation {
  readonly #part: RecordPart
  #casts = new Map<string | null, SchemaType>()
  #wholeValueType: SchemaType | undefined
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
    this.#casts = parseFieldTypes(config.getList(SPEC_CONFIG) ?? [])
    this.#wholeValueType = this.#casts.get(null)
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    this.#schemaCache.clear()
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.#part.value(record)
    if (value == null) return record
    const schema = this.#part.schema(record)
    return schema === null ? this.#applySchemaless(record, value) : this.#applyWithSchema(record, schema, value)
  }

  #applySchemaless<R extends ConnectRecord>(record: R, raw: unknown): R {
    if (this.#wholeValueType !== undefined) {
      return this.#part.with(record, null, castValueToType(null, raw, this.#wholeValueType))
    }
    const value = requireMap(raw, PURPOSE)
    const updated = new Map(value)
    for (const [field, type] of this.#casts) {
      // Java puts the key even when the field is absent, with a null value.
      updated.set(field as string, castValueToType(null, value.get(field as string) ?? null, type))
    }
    return this.#part.with(record, null, toSameKind(updated, raw))
  }

  #applyWithSchema<R extends ConnectRecord>(record: R, schema: Schema, raw: unknown): R {
    const updatedSchema = this.#schemaCache.getOrCompute(schema, (s) => this.#buildSchema(s))
    if (this.#wholeValueType !== undefined) {
      return this.#part.with(record, updatedSchema, castValueToType(schema, raw, this.#wholeValueType))
    }
    const value = requireStruct(raw, PURPOSE)
    const updated = new Struct(updatedSchema)
    for (const field of value.schema.fields) {
      const orig = this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field)
      const target = this.#casts.get(field.name)
      updated.put(field.name, target === undefined ? orig : castValueToType(field.schema, orig, target))
    }
    return this.#part.with(record, updatedSchema, updated)
  }

  #buildSchema(schema: Schema): Schema {
    let builder: SchemaBuilder
    if (this.#wholeValueType !== undefined) {
      builder = copySchemaBasics(schema, SchemaBuilder.type(this.#wholeValueType))
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct())
      for (const field of schema.fields) {
        const target = this.#casts.get(field.name)
        if (target === undefined) {
          builder.field(field.name, field.schema)
          continue
        }
        const fieldBuilder = SchemaBuilder.type(target)
        if (field.schema.optional) fieldBuilder.optional()
        if (field.schema.defaultValue != null) {
          fieldBuilder.defaultValue(castValueToType(field.schema, field.schema.defaultValue, target))
        }
        builder.field(field.name, fieldBuilder.build())
      }
    }
    if (schema.optional) builder.optional()
    if (schema.defaultValue != null) builder.defaultValue(castValueToType(schema, schema.defaultValue, builder.type))
    return builder.build()
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** Cast$Key: casts the record key. */
export class CastKey extends Cast {
  constructor() {
    super(KEY)
  }
}

/** Cast$Value: casts the record value. */
export class CastValue extends Cast {
  constructor() {
    super(VALUE)
  }
}
