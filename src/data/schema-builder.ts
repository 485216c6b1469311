/**
 * SchemaBuilder: fluent construction of schemas, as Java's SchemaBuilder. Each property may be set once (Java's
 * "Invalid SchemaBuilder call: optional has already been set."); a default value is checked against the schema as
 * built so far. Unlike Java's, the builder is not itself a Schema: wherever a schema is expected (fields, array
 * elements, map keys and values) a builder is accepted too and built on the spot.
 */
import { DataError } from '../errors.ts'
import { ConnectSchema, Field, type Schema, type SchemaType } from './schema.ts'
import { validateValue } from './validate.ts'

/** A schema, or a builder that will be built where it is used. */
export type SchemaLike = Schema | SchemaBuilder

/** Builds the schema out of a SchemaLike. */
export function toSchema(s: SchemaLike): ConnectSchema {
  return s instanceof SchemaBuilder ? s.build() : s.schema()
}

function checkCanSet(property: string, current: unknown, next: unknown): void {
  if (current !== undefined && current !== next) {
    throw new DataError(`Invalid SchemaBuilder call: ${property} has already been set.`)
  }
}

/** A mutable description of a schema; build() makes the immutable ConnectSchema. */
export class SchemaBuilder {
  readonly type: SchemaType
  #optional: boolean | undefined
  #defaultValue: unknown
  #name: string | undefined
  #version: number | undefined
  #doc: string | undefined
  #parameters: Record<string, string> | undefined
  #fields: Map<string, Field> | undefined
  #keySchema: Schema | undefined
  #valueSchema: Schema | undefined

  constructor(type: SchemaType) {
    this.type = type
    if (type === 'STRUCT') this.#fields = new Map()
  }

  /** A builder of the given type. */
  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type)
  }
  /** An INT8 builder. */
  static int8(): SchemaBuilder {
    return new SchemaBuilder('INT8')
  }
  /** An INT16 builder. */
  static int16(): SchemaBuilder {
    return new SchemaBuilder('INT16')
  }
  /** An INT32 builder. */
  static int32(): SchemaBuilder {
    return new SchemaBuilder('INT32')
  }
  /** An INT64 builder. */
  static int64(): SchemaBuilder {
    return new SchemaBuilder('INT64')
  }
  /** A FLOAT32 builder. */
  static float32(): SchemaBuilder {
    return new SchemaBuilder('FLOAT32')
  }
  /** A FLOAT64 builder. */
  static float64(): SchemaBuilder {
    return new SchemaBuilder('FLOAT64')
  }
  /** A BOOLEAN builder. */
  static bool(): SchemaBuilder {
    return new SchemaBuilder('BOOLEAN')
  }
  /** A STRING builder. */
  static string(): SchemaBuilder {
    return new SchemaBuilder('STRING')
  }
  /** A BYTES builder. */
  static bytes(): SchemaBuilder {
    return new SchemaBuilder('BYTES')
  }
  /** A STRUCT builder; add fields with field(). */
  static struct(): SchemaBuilder {
    return new SchemaBuilder('STRUCT')
  }
  /** An ARRAY builder with the given element schema. */
  static array(valueSchema: SchemaLike): SchemaBuilder {
    if (valueSchema == null) throw new DataError('valueSchema cannot be null.')
    const b = new SchemaBuilder('ARRAY')
    b.#valueSchema = toSchema(valueSchema)
    return b
  }
  /** A MAP builder with the given key and value schemas. */
  static map(keySchema: SchemaLike, valueSchema: SchemaLike): SchemaBuilder {
    if (keySchema == null) throw new DataError('keySchema cannot be null.')
    if (valueSchema == null) throw new DataError('valueSchema cannot be null.')
    const b = new SchemaBuilder('MAP')
    b.#keySchema = toSchema(keySchema)
    b.#valueSchema = toSchema(valueSchema)
    return b
  }
  /**
   * An ARRAY or MAP whose element (or key, or value) schemas are unknown, as Values infers for lists and maps
   * of nulls or of mixed types. Not for connector code: such schemas cannot validate values.
   */
  static withUnknownChildren(type: 'ARRAY' | 'MAP', keySchema?: Schema, valueSchema?: Schema): SchemaBuilder {
    const b = new SchemaBuilder(type)
    b.#keySchema = keySchema
    b.#valueSchema = valueSchema
    return b
  }

  /** Whether null is allowed (false unless optional() was called). */
  get isOptional(): boolean {
    return this.#optional ?? false
  }
  /** The default value set so far. */
  get defaultValueSet(): unknown {
    return this.#defaultValue
  }

  /** Allows null values. */
  optional(): this {
    checkCanSet('optional', this.#optional, true)
    this.#optional = true
    return this
  }

  /** Disallows null values (the default). */
  required(): this {
    checkCanSet('optional', this.#optional, false)
    this.#optional = false
    return this
  }

  /** Sets the value used in place of null; it must be valid for the schema as built so far. */
  defaultValue(value: unknown): this {
    checkCanSet('default', this.#defaultValue, value)
    if (value == null) return this
    try {
      validateValue(this.build(), value)
    } catch (e) {
      throw new DataError('Invalid default value', { cause: e })
    }
    this.#defaultValue = value
    return this
  }

  /** Sets the schema's name. */
  name(name: string): this {
    checkCanSet('name', this.#name, name)
    this.#name = name
    return this
  }

  /** Sets the schema's version. */
  version(version: number): this {
    checkCanSet('version', this.#version, version)
    this.#version = version
    return this
  }

  /** Sets the schema's documentation. */
  doc(doc: string): this {
    checkCanSet('doc', this.#doc, doc)
    this.#doc = doc
    return this
  }

  /** Adds one string parameter. */
  parameter(name: string, value: string): this {
    this.#parameters ??= {}
    this.#parameters[name] = value
    return this
  }

  /** Adds string parameters. */
  parameters(params: Readonly<Record<string, string>>): this {
    this.#parameters ??= {}
    Object.assign(this.#parameters, params)
    return this
  }

  /** Adds a field to a STRUCT builder. */
  field(name: string, schema: SchemaLike): this {
    if (this.#fields === undefined) throw new DataError(`Cannot create fields on type ${this.type}`)
    if (name == null) throw new DataError('fieldName cannot be null.')
    if (schema == null) throw new DataError(`fieldSchema for field ${name} cannot be null.`)
    if (this.#fields.has(name)) throw new DataError(`Cannot create field because of field name duplication ${name}`)
    this.#fields.set(name, new Field(name, this.#fields.size, toSchema(schema)))
    return this
  }

  /** The fields added so far. */
  get fields(): readonly Field[] {
    if (this.#fields === undefined) throw new DataError('Cannot list fields on non-struct type')
    return [...this.#fields.values()]
  }

  /** The immutable schema. */
  build(): ConnectSchema {
    return new ConnectSchema({
      type: this.type,
      optional: this.#optional ?? false,
      defaultValue: this.#defaultValue,
      name: this.#name,
      version: this.#version,
      doc: this.#doc,
      parameters: this.#parameters,
      fields: this.#fields === undefined ? undefined : [...this.#fields.values()],
      keySchema: this.#keySchema,
      valueSchema: this.#valueSchema,
    })
  }

  /** The same as build(), as Java's SchemaBuilder.schema(). */
  schema(): ConnectSchema {
    return this.build()
  }
}
