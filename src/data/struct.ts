/**
 * Struct: a value of a STRUCT schema, as Java's org.apache.kafka.connect.data.Struct. Every put is checked against
 * the field's schema; validate() checks that required fields without defaults are set.
 */
import { DataError } from '../errors.ts'
import type { BigDecimal } from './big-decimal.ts'
import { valuesEqual } from './equality.ts'
import type { Field, Schema, SchemaType } from './schema.ts'
import { schemasEqual } from './schema.ts'
import { STRUCT_MARK, validateValue } from './validate.ts'

/** A structured value: a fixed, ordered set of named fields, each checked against its schema. */
export class Struct {
  /** The STRUCT schema this value follows. */
  readonly schema: Schema
  readonly #values: unknown[]

  /** Marks a struct for validate.ts, which cannot import this class (struct.ts imports it). */
  get [STRUCT_MARK](): true {
    return true
  }

  /** An empty struct of `schema`, which must be a STRUCT schema. */
  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw new DataError(`Not a struct schema: ${String(schema)}`)
    this.schema = schema
    this.#values = new Array(schema.fields.length).fill(undefined)
  }

  #field(name: string): Field {
    const field = this.schema.field(name)
    if (field === undefined) throw new DataError(`${name} is not a valid field name`)
    return field
  }

  #checked(name: string, type: SchemaType): unknown {
    const field = this.#field(name)
    if (field.schema.type !== type) throw new DataError(`Field '${name}' is not of type ${type}`)
    return this.get(field)
  }

  /** The field's value, or its schema's default when the value is null. */
  get(field: string | Field): unknown {
    const f = typeof field === 'string' ? this.#field(field) : field
    const value = this.#values[f.index]
    return value == null && f.schema.defaultValue !== undefined ? f.schema.defaultValue : (value ?? null)
  }

  /** The field's value as set, null when unset (no default applied). */
  getWithoutDefault(field: string | Field): unknown {
    const f = typeof field === 'string' ? this.#field(field) : field
    return this.#values[f.index] ?? null
  }

  /** An INT8 field. */
  getInt8(name: string): number | null {
    return this.#checked(name, 'INT8') as number | null
  }
  /** An INT16 field. */
  getInt16(name: string): number | null {
    return this.#checked(name, 'INT16') as number | null
  }
  /** An INT32 field. */
  getInt32(name: string): number | null {
    return this.#checked(name, 'INT32') as number | null
  }
  /** An INT64 field: a number, or a bigint when it was set as one. */
  getInt64(name: string): number | bigint | null {
    return this.#checked(name, 'INT64') as number | bigint | null
  }
  /** A FLOAT32 field. */
  getFloat32(name: string): number | null {
    return this.#checked(name, 'FLOAT32') as number | null
  }
  /** A FLOAT64 field. */
  getFloat64(name: string): number | null {
    return this.#checked(name, 'FLOAT64') as number | null
  }
  /** A BOOLEAN field. */
  getBoolean(name: string): boolean | null {
    return this.#checked(name, 'BOOLEAN') as boolean | null
  }
  /** A STRING field. */
  getString(name: string): string | null {
    return this.#checked(name, 'STRING') as string | null
  }
  /** A BYTES field (for a Decimal field, the BigDecimal). */
  getBytes(name: string): Uint8Array | BigDecimal | null {
    return this.#checked(name, 'BYTES') as Uint8Array | BigDecimal | null
  }
  /** An ARRAY field. */
  getArray<T = unknown>(name: string): T[] | null {
    return this.#checked(name, 'ARRAY') as T[] | null
  }
  /** A MAP field. */
  getMap<K = unknown, V = unknown>(name: string): Map<K, V> | null {
    const v = this.#checked(name, 'MAP')
    if (v == null || v instanceof Map) return v as Map<K, V> | null
    return new Map(Object.entries(v as object)) as Map<K, V>
  }
  /** A STRUCT field. */
  getStruct(name: string): Struct | null {
    return this.#checked(name, 'STRUCT') as Struct | null
  }

  /** Sets a field after checking the value against the field's schema; returns this struct for chaining. */
  put(field: string | Field, value: unknown): this {
    const f = typeof field === 'string' ? this.#field(field) : field
    if (f == null) throw new DataError('field cannot be null.')
    validateValue(f.schema, value, f.name)
    this.#values[f.index] = value ?? undefined
    return this
  }

  /** Throws DataError when a required field without a default has no value. */
  validate(): void {
    for (const field of this.schema.fields) {
      const value = this.#values[field.index]
      if (value == null && (field.schema.optional || field.schema.defaultValue !== undefined)) continue
      validateValue(field.schema, value, field.name)
    }
  }

  /** Same schema and equal field values. */
  equals(other: unknown): boolean {
    if (!(other instanceof Struct) || !schemasEqual(this.schema, other.schema)) return false
    return this.schema.fields.every((f) => valuesEqual(this.#values[f.index], other.#values[f.index]))
  }

  /** Java's form: `Struct{a=1,b=x}`, fields without values left out. */
  toString(): string {
    const parts = this.schema.fields
      .filter((f) => this.#values[f.index] != null)
      .map((f) => `${f.name}=${String(this.#values[f.index])}`)
    return `Struct{${parts.join(',')}}`
  }
}
