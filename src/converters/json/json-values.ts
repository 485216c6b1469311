/**
 * Connect values to and from JsonConverter's JSON, as Java's JsonConverter.convertToJson and convertToConnect:
 *   - numbers as Java prints them for the schema type (FLOAT32 12.34 is `12.34`, FLOAT64 1 is `1.0`; without a
 *     schema an integer number is written as an integer, any other number as a double);
 *     NaN and the infinities as the strings "NaN", "Infinity", "-Infinity" (Jackson's default)
 *   - bytes as base64 strings; maps with STRING keys (or without a schema, all string keys) as objects, other maps
 *     as arrays of [key, value] pairs; structs as objects in field order
 *   - Decimal as base64 of its two's-complement bytes, or a JSON number with decimal.format=NUMERIC; Date, Time
 *     and Timestamp as their int encodings
 *   - null as the schema's default when replace.null.with.default is on
 *
 * Reading is stricter than Java in one way: a JSON node of the wrong kind for the schema (a string for INT32, a
 * fraction for INT8) is a DataError, where Java would silently read 0, false, null or a truncated value.
 */
import { BigDecimal } from '../../data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../data/logical-types.ts'
import type { Schema, SchemaType } from '../../data/schema.ts'
import { Struct } from '../../data/struct.ts'
import { describeType, matchesType } from '../../data/validate.ts'
import { DataError } from '../../errors.ts'
import { jacksonQuote, javaDoubleToString, javaFloatToString } from '../../util/java-format.ts'
import { type JsonNode, JsonNumber, nodeType } from './json-text.ts'

/** The JsonConverter settings that shape values. */
export interface JsonValueOptions {
  decimalFormat: 'BASE64' | 'NUMERIC'
  replaceNullWithDefault: boolean
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function fromBase64(text: string, what: string): Uint8Array {
  if (!BASE64.test(text)) throw new DataError(`Invalid ${what}: not base64`)
  return new Uint8Array(Buffer.from(text, 'base64'))
}

function floatText(text: string): string {
  return /^-?\d/.test(text) ? text : jacksonQuote(text)
}

function child(schema: Schema | null, which: 'key' | 'value'): Schema | null {
  if (schema === null) return null
  return (which === 'key' ? schema.keySchema : schema.valueSchema) ?? null
}

function schemalessType(value: unknown): SchemaType {
  if (typeof value === 'boolean') return 'BOOLEAN'
  if (typeof value === 'string') return 'STRING'
  if (typeof value === 'bigint') return 'INT64'
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64'
  if (value instanceof Uint8Array) return 'BYTES'
  if (Array.isArray(value)) return 'ARRAY'
  if (value instanceof Struct) return 'STRUCT'
  if (value instanceof Map || (typeof value === 'object' && value !== null && value.constructor === Object))
    return 'MAP'
  throw new DataError(`${describeType(value)} value ${String(value)} does not have corresponding schema type.`)
}

function logicalToJson(schema: Schema, value: unknown, options: JsonValueOptions): string | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) {
        throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${describeType(value)}`)
      }
      return options.decimalFormat === 'NUMERIC' ? value.toString() : `"${base64(Decimal.fromLogical(schema, value))}"`
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME:
    case Timestamp.LOGICAL_NAME: {
      const what = schema.name.slice(schema.name.lastIndexOf('.') + 1)
      if (!(value instanceof Date))
        throw new DataError(`Invalid type for ${what}, expected Date but was ${describeType(value)}`)
      if (schema.name === ConnectDate.LOGICAL_NAME) return String(ConnectDate.fromLogical(schema, value))
      if (schema.name === Time.LOGICAL_NAME) return String(Time.fromLogical(schema, value))
      return String(Timestamp.fromLogical(schema, value))
    }
    default:
      return undefined
  }
}

/** The JSON text of a value with its (possibly null) schema. */
export function toJson(schema: Schema | null, value: unknown, options: JsonValueOptions): string {
  if (value == null) {
    if (schema === null) return 'null'
    if (schema.defaultValue !== undefined && options.replaceNullWithDefault) {
      return toJson(schema, schema.defaultValue, options)
    }
    if (schema.optional) return 'null'
    throw new DataError('Conversion error: null value for field that is required and has no default value')
  }
  if (schema?.name !== undefined) {
    const logical = logicalToJson(schema, value, options)
    if (logical !== undefined) return logical
  }
  if (value instanceof BigDecimal && schema === null) {
    throw new DataError('BigDecimal value without a schema: a Decimal needs its schema (for its scale)')
  }
  const type = schema === null ? schemalessType(value) : schema.type
  if (!matchesType(type, value) && !(type === 'INT64' && typeof value === 'number' && Number.isInteger(value))) {
    throw new DataError(`Invalid type for ${schema === null ? 'unknown schema' : type}: ${describeType(value)}`)
  }
  switch (type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return typeof value === 'number' && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value)
    case 'FLOAT32':
      return floatText(javaFloatToString(value as number))
    case 'FLOAT64':
      return floatText(javaDoubleToString(value as number))
    case 'BOOLEAN':
      return String(value)
    case 'STRING':
      return jacksonQuote(value as string)
    case 'BYTES':
      return `"${base64(value as Uint8Array)}"`
    case 'ARRAY': {
      const element = child(schema, 'value')
      return `[${(value as unknown[]).map((v) => toJson(element, v, options)).join(',')}]`
    }
    case 'MAP':
      return mapToJson(schema, value as Map<unknown, unknown> | Record<string, unknown>, options)
    case 'STRUCT': {
      const struct = value as Struct
      if (schema === null || !struct.schema.equals(schema)) throw new DataError('Mismatching schema.')
      const fields = struct.schema.fields.map(
        (f) => `${jacksonQuote(f.name)}:${toJson(f.schema, struct.getWithoutDefault(f), options)}`,
      )
      return `{${fields.join(',')}}`
    }
  }
}

function mapToJson(
  schema: Schema | null,
  map: Map<unknown, unknown> | Record<string, unknown>,
  options: JsonValueOptions,
): string {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map)
  const keySchema = child(schema, 'key')
  const valueSchema = child(schema, 'value')
  const objectMode = schema === null ? entries.every(([k]) => typeof k === 'string') : keySchema?.type === 'STRING'
  if (objectMode) {
    return `{${entries.map(([k, v]) => `${jacksonQuote(String(k))}:${toJson(valueSchema, v, options)}`).join(',')}}`
  }
  return `[${entries.map(([k, v]) => `[${toJson(keySchema, k, options)},${toJson(valueSchema, v, options)}]`).join(',')}]`
}

// ---- reading ----

function expectNumber(node: JsonNode, type: string): JsonNumber {
  if (!(node instanceof JsonNumber))
    throw new DataError(`Invalid type for ${type}: expected a number but found ${nodeType(node)}`)
  return node
}

function integer(node: JsonNode, type: SchemaType, min: bigint, max: bigint): bigint {
  const n = expectNumber(node, type)
  if (!n.integral) throw new DataError(`Invalid value for ${type}: ${n.text} is not an integer`)
  const v = n.toBigInt()
  if (v < min || v > max) throw new DataError(`Invalid value for ${type}: ${n.text} is out of range`)
  return v
}

function int64Value(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

function isInt32(node: JsonNode): node is JsonNumber {
  if (!(node instanceof JsonNumber) || !node.integral) return false
  const v = node.toBigInt()
  return v >= -(2n ** 31n) && v < 2n ** 31n
}

function logicalToConnect(schema: Schema, node: JsonNode): { value: unknown } | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (node instanceof JsonNumber) return { value: BigDecimal.parse(node.text.replace(/^(-?)0+(?=\d)/, '$1')) }
      if (typeof node === 'string') {
        try {
          return { value: Decimal.toLogical(schema, fromBase64(node, 'bytes for Decimal field')) }
        } catch (e) {
          throw new DataError('Invalid bytes for Decimal field', { cause: e })
        }
      }
      throw new DataError(
        `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`,
      )
    case ConnectDate.LOGICAL_NAME:
      if (!isInt32(node)) {
        throw new DataError(
          `Invalid type for Date, underlying representation should be integer but was ${nodeType(node)}`,
        )
      }
      return { value: ConnectDate.toLogical(schema, node.toNumber()) }
    case Time.LOGICAL_NAME:
      if (!isInt32(node)) {
        throw new DataError(
          `Invalid type for Time, underlying representation should be integer but was ${nodeType(node)}`,
        )
      }
      return { value: Time.toLogical(schema, node.toNumber()) }
    case Timestamp.LOGICAL_NAME:
      if (!(node instanceof JsonNumber) || !node.integral) {
        throw new DataError(
          `Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`,
        )
      }
      return { value: Timestamp.toLogical(schema, node.toBigInt()) }
    default:
      return undefined
  }
}

function schemalessNodeType(node: JsonNode): SchemaType {
  if (typeof node === 'boolean') return 'BOOLEAN'
  if (typeof node === 'string') return 'STRING'
  if (node instanceof JsonNumber) return node.integral ? 'INT64' : 'FLOAT64'
  if (Array.isArray(node)) return 'ARRAY'
  return 'MAP'
}

/** The Connect value of a JSON node, read with the given (possibly null) schema. */
export function toConnect(schema: Schema | null, node: JsonNode | undefined, options: JsonValueOptions): unknown {
  if (node == null) {
    if (schema === null) return null
    if (schema.defaultValue !== undefined && options.replaceNullWithDefault) return schema.defaultValue
    if (schema.optional) return null
    throw new DataError(`Invalid null value for required ${schema.type} field`)
  }
  if (schema?.name !== undefined) {
    const logical = logicalToConnect(schema, node)
    if (logical !== undefined) return logical.value
  }
  const type = schema === null ? schemalessNodeType(node) : schema.type
  switch (type) {
    case 'BOOLEAN':
      if (typeof node !== 'boolean') throw new DataError(`Invalid type for BOOLEAN: found ${nodeType(node)}`)
      return node
    case 'INT8':
      return Number(integer(node, type, -128n, 127n))
    case 'INT16':
      return Number(integer(node, type, -32768n, 32767n))
    case 'INT32':
      return Number(integer(node, type, -(2n ** 31n), 2n ** 31n - 1n))
    case 'INT64':
      return int64Value(integer(node, type, -(2n ** 63n), 2n ** 63n - 1n))
    case 'FLOAT32':
      return Math.fround(expectNumber(node, type).toNumber())
    case 'FLOAT64':
      return expectNumber(node, type).toNumber()
    case 'STRING':
      if (typeof node !== 'string') throw new DataError(`Invalid type for STRING: found ${nodeType(node)}`)
      return node
    case 'BYTES':
      if (typeof node !== 'string') throw new DataError(`Invalid bytes field: found ${nodeType(node)}`)
      return fromBase64(node, 'bytes field')
    case 'ARRAY': {
      if (!Array.isArray(node))
        throw new DataError(`Arrays should be encoded as JSON arrays, but found ${nodeType(node)}`)
      const element = child(schema, 'value')
      return node.map((n) => toConnect(element, n, options))
    }
    case 'MAP':
      return mapToConnect(schema, node, options)
    case 'STRUCT': {
      if (!(node instanceof Map))
        throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`)
      const s = schema as Schema
      const struct = new Struct(s)
      for (const f of s.fields) struct.put(f, toConnect(f.schema, node.get(f.name), options))
      return struct
    }
  }
}

function mapToConnect(schema: Schema | null, node: JsonNode, options: JsonValueOptions): Map<unknown, unknown> {
  const keySchema = child(schema, 'key')
  const valueSchema = child(schema, 'value')
  const result = new Map<unknown, unknown>()
  if (schema === null || keySchema?.type === 'STRING') {
    if (!(node instanceof Map)) {
      throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`)
    }
    for (const [k, v] of node) result.set(k, toConnect(valueSchema, v, options))
    return result
  }
  if (!Array.isArray(node)) {
    throw new DataError(
      `Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`,
    )
  }
  for (const entry of node) {
    if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`)
    if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`)
    result.set(toConnect(keySchema, entry[0] ?? null, options), toConnect(valueSchema, entry[1] ?? null, options))
  }
  return result
}
