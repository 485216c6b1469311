/** SchemaAndValue: a value together with its schema, as converters return it (Java's SchemaAndValue). */
import { valuesEqual } from './equality.ts'
import { type Schema, schemasEqual } from './schema.ts'

/** A value and its schema; either may be null (a schemaless value, or no value at all). */
export class SchemaAndValue {
  /** Neither schema nor value: what a converter returns for a null (tombstone) record. */
  static readonly NULL = new SchemaAndValue(null, null)

  readonly schema: Schema | null
  readonly value: unknown

  constructor(schema: Schema | null, value: unknown) {
    this.schema = schema
    this.value = value ?? null
    Object.freeze(this)
  }

  /** Equal schemas and equal values. */
  equals(other: unknown): boolean {
    return (
      other instanceof SchemaAndValue && schemasEqual(this.schema, other.schema) && valuesEqual(this.value, other.value)
    )
  }

  toString(): string {
    return `SchemaAndValue{schema=${String(this.schema)}, value=${String(this.value)}}`
  }
}
