/**
 * validateValue: whether a JavaScript value is a valid value of a schema, as Java's ConnectSchema.validateValue.
 * Messages follow Java's ("Invalid value: null used for required field: \"x\", schema type: INT32"), naming the
 * JavaScript type where Java names a Java class.
 *
 * Struct (struct.ts) checks every put with validateValue, so this file must not import it: a struct value is
 * recognised by the STRUCT_MARK its class carries, and checked through the two members named by StructValue.
 */
import { DataError } from '../errors.ts'
import { BigDecimal } from './big-decimal.ts'
import { LOGICAL_NAMES } from './logical-names.ts'
import { type Schema, type SchemaType, schemasEqual } from './schema.ts'

/** Carried by data/struct.ts's Struct (on its prototype): how this file knows a struct value without importing it. */
export const STRUCT_MARK: unique symbol = Symbol('tsconnect.data.Struct')

/** What validation needs of a Struct. */
interface StructValue {
  readonly schema: Schema
  validate(): void
}

function isStruct(value: unknown): value is StructValue {
  return typeof value === 'object' && value !== null && STRUCT_MARK in value
}

const INT_RANGES = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
} as const
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** A short description of a JavaScript value's type, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  if (Array.isArray(value)) return 'array'
  return (value as object).constructor?.name ?? 'object'
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Whether `value` has the JavaScript shape of `type` (see schema.ts), ignoring logical types and children. */
export function matchesType(type: SchemaType, value: unknown): boolean {
  switch (type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const [min, max] = INT_RANGES[type]
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    }
    case 'INT64':
      if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof value === 'number'
    case 'BOOLEAN':
      return typeof value === 'boolean'
    case 'STRING':
      return typeof value === 'string'
    case 'BYTES':
      return value instanceof Uint8Array
    case 'ARRAY':
      return Array.isArray(value)
    case 'MAP':
      return value instanceof Map || isPlainObject(value)
    case 'STRUCT':
      return isStruct(value)
  }
}

function matchesLogical(name: string | undefined, value: unknown): boolean | undefined {
  switch (name) {
    case LOGICAL_NAMES.DECIMAL:
      return value instanceof BigDecimal
    case LOGICAL_NAMES.DATE:
    case LOGICAL_NAMES.TIME:
    case LOGICAL_NAMES.TIMESTAMP:
      return value instanceof Date
    default:
      return undefined
  }
}

function notNull(schema: Schema | undefined, location: string): Schema {
  if (schema === undefined) throw new DataError(`No schema defined for ${location}`)
  return schema
}

function check(schema: Schema, value: unknown, location: string): void {
  if (value == null) {
    if (!schema.optional) {
      throw new DataError(`Invalid value: null used for required ${location}, schema type: ${schema.type}`)
    }
    return
  }
  if (!(matchesLogical(schema.name, value) ?? matchesType(schema.type, value))) {
    const named = schema.name === undefined ? '' : ` "${schema.name}"`
    throw new DataError(
      `Invalid value for schema${named} with type ${schema.type}: ${describeType(value)} ${String(value)} for ${location}`,
    )
  }
  switch (schema.type) {
    case 'STRUCT': {
      const struct = value as StructValue
      if (!schemasEqual(struct.schema, schema)) throw new DataError('Struct schemas do not match.')
      struct.validate()
      break
    }
    case 'ARRAY': {
      const where = `element of array ${location}`
      const elementSchema = notNull(schema.valueSchema, where)
      for (const element of value as unknown[]) check(elementSchema, element, where)
      break
    }
    case 'MAP': {
      const keyWhere = `key of map ${location}`
      const valueWhere = `value of map ${location}`
      const keySchema = notNull(schema.keySchema, keyWhere)
      const valueSchema = notNull(schema.valueSchema, valueWhere)
      const entries = value instanceof Map ? value.entries() : Object.entries(value as object)
      for (const [k, v] of entries) {
        check(keySchema, k, keyWhere)
        check(valueSchema, v, valueWhere)
      }
      break
    }
  }
}

/**
 * Throws DataError unless `value` is valid for `schema`; `field` names the struct field being checked, if any.
 */
export function validateValue(schema: Schema, value: unknown, field?: string): void {
  check(schema, value, field === undefined ? 'value' : `field: "${field}"`)
}
