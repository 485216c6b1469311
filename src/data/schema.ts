/**
 * Schema: the type of a Connect value, as Java's org.apache.kafka.connect.data.Schema and ConnectSchema.
 *
 * JavaScript values stand for Java's as follows (the converters and Struct check them):
 *   INT8, INT16, INT32  number, an integer in the type's range
 *   INT64               number (a safe integer) or bigint (any 64-bit value); converters give bigint only when the
 *                       value does not fit a safe integer
 *   FLOAT32, FLOAT64    number (FLOAT32 values are rounded to 32 bits when written)
 *   BOOLEAN, STRING     boolean, string
 *   BYTES               Uint8Array (a Buffer is one)
 *   ARRAY               an array
 *   MAP                 a Map; a plain object is accepted as a map with string keys
 *   STRUCT              a Struct whose schema equals this one
 * Logical types: Decimal is a BigDecimal; Date, Time and Timestamp are JavaScript Dates.
 *
 * A schema is immutable; build one with SchemaBuilder, or use the constants on `Schema` (Schema.INT32_SCHEMA, ...).
 */
import { DataError } from '../errors.ts'
import { valuesEqual } from './equality.ts'

/** The Connect types, named as Java's Schema.Type. */
export const SCHEMA_TYPES = [
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT32',
  'FLOAT64',
  'BOOLEAN',
  'STRING',
  'BYTES',
  'ARRAY',
  'MAP',
  'STRUCT',
] as const

/** One Connect type. */
export type SchemaType = (typeof SCHEMA_TYPES)[number]

/** Whether a type holds a single value (every type but ARRAY, MAP and STRUCT). */
export function isPrimitiveType(type: SchemaType): boolean {
  return type !== 'ARRAY' && type !== 'MAP' && type !== 'STRUCT'
}

/** A named, ordered member of a STRUCT schema. */
export class Field {
  /** The field's name, unique in its struct. */
  readonly name: string
  /** The field's position in its struct, from 0. */
  readonly index: number
  /** The field's schema. */
  readonly schema: Schema

  constructor(name: string, index: number, schema: Schema) {
    this.name = name
    this.index = index
    this.schema = schema
  }

  /** Same name, index and schema. */
  equals(other: unknown): boolean {
    return (
      other instanceof Field &&
      other.name === this.name &&
      other.index === this.index &&
      schemasEqual(this.schema, other.schema)
    )
  }

  toString(): string {
    return `Field{name=${this.name}, index=${this.index}, schema=${String(this.schema)}}`
  }
}

/** The type of a Connect value: what every schema (ConnectSchema and SchemaBuilder) offers. */
export interface Schema {
  /** The Connect type. */
  readonly type: SchemaType
  /** Whether null is a valid value. */
  readonly optional: boolean
  /** The value used in place of null, or undefined when there is none. */
  readonly defaultValue: unknown
  /** The schema's name, e.g. a logical type's `org.apache.kafka.connect.data.Decimal`. */
  readonly name: string | undefined
  /** The schema's version. */
  readonly version: number | undefined
  /** Human-readable documentation. */
  readonly doc: string | undefined
  /** String parameters, e.g. a Decimal's `scale`; undefined when none were set. */
  readonly parameters: Readonly<Record<string, string>> | undefined
  /** The fields of a STRUCT schema, in order; throws DataError for other types. */
  readonly fields: readonly Field[]
  /** The named field of a STRUCT schema, or undefined; throws DataError for other types. */
  field(name: string): Field | undefined
  /** The key schema of a MAP; throws DataError for other types. */
  readonly keySchema: Schema | undefined
  /** The element schema of an ARRAY or the value schema of a MAP; throws DataError for other types. */
  readonly valueSchema: Schema | undefined
  /** The concrete, immutable schema. */
  schema(): ConnectSchema
  /** Deep equality in Java's sense (type, optional, default, name, version, doc, parameters, children). */
  equals(other: unknown): boolean
}

/** What a ConnectSchema is made of. */
export interface SchemaParts {
  type: SchemaType
  optional?: boolean
  defaultValue?: unknown
  name?: string | undefined
  version?: number | undefined
  doc?: string | undefined
  parameters?: Readonly<Record<string, string>> | undefined
  fields?: readonly Field[] | undefined
  keySchema?: Schema | undefined
  valueSchema?: Schema | undefined
}

/** An immutable schema. */
export class ConnectSchema implements Schema {
  readonly type: SchemaType
  readonly optional: boolean
  readonly defaultValue: unknown
  readonly name: string | undefined
  readonly version: number | undefined
  readonly doc: string | undefined
  readonly parameters: Readonly<Record<string, string>> | undefined
  readonly #fields: readonly Field[] | undefined
  readonly #fieldsByName: ReadonlyMap<string, Field> | undefined
  readonly #keySchema: Schema | undefined
  readonly #valueSchema: Schema | undefined

  constructor(parts: SchemaParts) {
    this.type = parts.type
    this.optional = parts.optional ?? false
    this.defaultValue = parts.defaultValue ?? undefined
    this.name = parts.name
    this.version = parts.version
    this.doc = parts.doc
    this.parameters = parts.parameters === undefined ? undefined : Object.freeze({ ...parts.parameters })
    if (this.type === 'STRUCT') {
      this.#fields = Object.freeze([...(parts.fields ?? [])])
      this.#fieldsByName = new Map(this.#fields.map((f) => [f.name, f]))
    }
    this.#keySchema = parts.keySchema
    this.#valueSchema = parts.valueSchema
    Object.freeze(this)
  }

  get fields(): readonly Field[] {
    if (this.#fields === undefined) throw new DataError('Cannot list fields on non-struct type')
    return this.#fields
  }

  field(name: string): Field | undefined {
    if (this.#fieldsByName === undefined) throw new DataError('Cannot look up fields on non-struct type')
    return this.#fieldsByName.get(name)
  }

  get keySchema(): Schema | undefined {
    if (this.type !== 'MAP') throw new DataError('Cannot look up key schema on non-map type')
    return this.#keySchema
  }

  get valueSchema(): Schema | undefined {
    if (this.type !== 'MAP' && this.type !== 'ARRAY') {
      throw new DataError('Cannot look up value schema on non-array and non-map type')
    }
    return this.#valueSchema
  }

  schema(): ConnectSchema {
    return this
  }

  /** Deep equality, as Java's ConnectSchema.equals (type, optional, default, name, version, doc, parameters, children). */
  equals(other: unknown): boolean {
    return schemasEqual(this, other as Schema | null | undefined)
  }

  toString(): string {
    return this.name === undefined ? `Schema{${this.type}}` : `Schema{${this.name}:${this.type}}`
  }
}

function childOrUndefined(get: () => Schema | undefined): Schema | undefined {
  try {
    return get()
  } catch {
    return undefined
  }
}

function fieldsOrUndefined(schema: Schema): readonly Field[] | undefined {
  return schema.type === 'STRUCT' ? schema.fields : undefined
}

function parametersEqual(a: Readonly<Record<string, string>> | undefined, b: typeof a): boolean {
  if (a === undefined || b === undefined) return a === b
  const ak = Object.keys(a)
  if (ak.length !== Object.keys(b).length) return false
  return ak.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
}

/** Whether two schemas (or nulls) are equal in Java's sense. */
export function schemasEqual(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true
  if (a == null || b == null) return a == null && b == null
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !parametersEqual(a.parameters, b.parameters) ||
    !valuesEqual(a.defaultValue, b.defaultValue)
  ) {
    return false
  }
  const af = fieldsOrUndefined(a)
  const bf = fieldsOrUndefined(b)
  if (af !== undefined && bf !== undefined) {
    if (af.length !== bf.length || !af.every((f, i) => f.equals(bf[i]))) return false
  }
  if (
    a.type === 'MAP' &&
    !schemasEqual(
      childOrUndefined(() => a.keySchema),
      childOrUndefined(() => b.keySchema),
    )
  ) {
    return false
  }
  if (a.type === 'MAP' || a.type === 'ARRAY') {
    return schemasEqual(
      childOrUndefined(() => a.valueSchema),
      childOrUndefined(() => b.valueSchema),
    )
  }
  return true
}

function primitive(type: SchemaType, optional: boolean): ConnectSchema {
  return new ConnectSchema({ type, optional })
}

/**
 * The predefined schemas, as Java's Schema constants: `Schema.INT32_SCHEMA`, `Schema.OPTIONAL_STRING_SCHEMA`, ...
 * (Declared with the same name as the Schema interface, so both read as in Java.)
 */
export const Schema = Object.freeze({
  INT8_SCHEMA: primitive('INT8', false),
  INT16_SCHEMA: primitive('INT16', false),
  INT32_SCHEMA: primitive('INT32', false),
  INT64_SCHEMA: primitive('INT64', false),
  FLOAT32_SCHEMA: primitive('FLOAT32', false),
  FLOAT64_SCHEMA: primitive('FLOAT64', false),
  BOOLEAN_SCHEMA: primitive('BOOLEAN', false),
  STRING_SCHEMA: primitive('STRING', false),
  BYTES_SCHEMA: primitive('BYTES', false),
  OPTIONAL_INT8_SCHEMA: primitive('INT8', true),
  OPTIONAL_INT16_SCHEMA: primitive('INT16', true),
  OPTIONAL_INT32_SCHEMA: primitive('INT32', true),
  OPTIONAL_INT64_SCHEMA: primitive('INT64', true),
  OPTIONAL_FLOAT32_SCHEMA: primitive('FLOAT32', true),
  OPTIONAL_FLOAT64_SCHEMA: primitive('FLOAT64', true),
  OPTIONAL_BOOLEAN_SCHEMA: primitive('BOOLEAN', true),
  OPTIONAL_STRING_SCHEMA: primitive('STRING', true),
  OPTIONAL_BYTES_SCHEMA: primitive('BYTES', true),
})
