/**
 * Connect schemas and values across the JVM plugin host's boundary, losslessly (the host's DataCodec.java is the
 * other half).
 *
 * A schema is `{t: type, o?: optional, n?: name, ver?: version, doc?, p?: parameters, d?: default, f?: [[name,
 * schema]...], k?: key schema, v?: value/element schema}`, the type in Java's lower case (`int64`, `struct`).
 * A value with a schema: int8/16/32 and floats as JSON numbers, int64 as a decimal string (bigint beyond 2^53, as
 * kit/offset-values.ts describes), bytes as base64, a struct as the array of its field values, a map as an array
 * of [key, value] pairs (keys of any type, as Java's Map allows), logical types as their physical values; NaN and
 * the infinities as the strings "NaN", "Infinity", "-Infinity". A value without a schema is tagged: null, booleans
 * and strings are themselves, anything else `{$: tag, v: value}` (int8 ... float64, bytes, decimal, timestamp,
 * array, map, struct with its schema in `s`), so a Java Long stays a Long and an Integer an Integer.
 *
 * In one batch each schema is sent once: records name their schemas by index into the batch's `schemas`.
 */
import { BigDecimal } from '../data/big-decimal.ts'
import { LOGICAL_NAMES } from '../data/logical-names.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../data/logical-types.ts'
import { ConnectSchema, Field, type Schema, type SchemaType } from '../data/schema.ts'
import { Struct } from '../data/struct.ts'
import { DataError } from '../errors.ts'

/** A schema as it crosses the boundary. */
export interface WireSchema {
  t: string
  o?: boolean
  n?: string
  ver?: number
  doc?: string
  p?: Record<string, string>
  d?: unknown
  f?: [string, WireSchema][]
  k?: WireSchema | null
  v?: WireSchema | null
}

/** Numbers the schemas of one outgoing batch by identity. */
export class SchemaTable {
  readonly #ids = new Map<Schema, number>()
  /** The batch's schemas, by index. */
  readonly schemas: WireSchema[] = []

  /** The index of `schema` in this batch (-1 for none). */
  id(schema: Schema | null | undefined): number {
    if (schema === null || schema === undefined) return -1
    let id = this.#ids.get(schema)
    if (id === undefined) {
      id = this.schemas.length
      this.#ids.set(schema, id)
      this.schemas.push(schemaToWire(schema))
    }
    return id
  }
}

/** The schemas of an incoming batch, decoded once each. */
export function schemasFrom(list: readonly WireSchema[] | undefined): Schema[] {
  return (list ?? []).map((s) => schemaFromWire(s))
}

/** The schema at `index` of a batch, or null for -1. */
export function schemaAt(schemas: readonly Schema[], index: number | undefined | null): Schema | null {
  if (index === undefined || index === null || index < 0) return null
  const s = schemas[index]
  if (s === undefined) throw new DataError(`The JVM plugin host named schema ${index} of ${schemas.length}`)
  return s
}

/** A schema in the wire form. */
export function schemaToWire(s: Schema): WireSchema {
  const o: WireSchema = { t: s.type.toLowerCase() }
  if (s.optional) o.o = true
  if (s.name !== undefined) o.n = s.name
  if (s.version !== undefined) o.ver = s.version
  if (s.doc !== undefined) o.doc = s.doc
  if (s.parameters !== undefined) o.p = { ...s.parameters }
  if (s.type === 'STRUCT') o.f = s.fields.map((f) => [f.name, schemaToWire(f.schema)])
  if (s.type === 'MAP') o.k = s.keySchema ? schemaToWire(s.keySchema) : null
  if (s.type === 'MAP' || s.type === 'ARRAY') o.v = s.valueSchema ? schemaToWire(s.valueSchema) : null
  if (s.defaultValue !== undefined && s.defaultValue !== null) o.d = encodeValue(s, s.defaultValue)
  return o
}

/** A schema from the wire form. */
export function schemaFromWire(o: WireSchema): ConnectSchema {
  const type = o.t.toUpperCase() as SchemaType
  const parts = {
    type,
    optional: o.o === true,
    name: o.n,
    version: o.ver,
    doc: o.doc,
    parameters: o.p,
    fields: type === 'STRUCT' ? (o.f ?? []).map(([name, s], i) => new Field(name, i, schemaFromWire(s))) : undefined,
    keySchema: o.k ? schemaFromWire(o.k) : undefined,
    valueSchema: o.v ? schemaFromWire(o.v) : undefined,
  }
  if (o.d === undefined || o.d === null) return new ConnectSchema(parts)
  // The default is decoded against the same schema without one.
  return new ConnectSchema({ ...parts, defaultValue: decodeValue(new ConnectSchema(parts), o.d) })
}

function number(n: number): number | string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  return n
}

function toNumber(v: unknown): number {
  return typeof v === 'string' ? Number(v) : (v as number)
}

function long(v: unknown): number | bigint {
  const big = BigInt(v as string)
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function fromBase64(text: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(String(text), 'base64'))
}

/** A value with its schema in the wire form (see the file comment). */
export function encodeValue(s: Schema | null, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (s === null) return encodeAny(v)
  if (s.name === LOGICAL_NAMES.DECIMAL && v instanceof BigDecimal) return base64(Decimal.fromLogical(s, v))
  if (s.name === LOGICAL_NAMES.DATE && v instanceof Date) return ConnectDate.fromLogical(s, v)
  if (s.name === LOGICAL_NAMES.TIME && v instanceof Date) return Time.fromLogical(s, v)
  if (s.name === LOGICAL_NAMES.TIMESTAMP && v instanceof Date) return String(Timestamp.fromLogical(s, v))
  switch (s.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'BOOLEAN':
    case 'STRING':
      return v
    case 'INT64':
      return String(v)
    case 'FLOAT32':
    case 'FLOAT64':
      return number(v as number)
    case 'BYTES':
      return base64(v as Uint8Array)
    case 'ARRAY':
      return (v as unknown[]).map((item) => encodeValue(s.valueSchema ?? null, item))
    case 'MAP': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>)
      return entries.map(([k, item]) => [encodeValue(s.keySchema ?? null, k), encodeValue(s.valueSchema ?? null, item)])
    }
    case 'STRUCT': {
      const struct = v as Struct
      return s.fields.map((f) => encodeValue(f.schema, struct.getWithoutDefault(f.name)))
    }
  }
}

/** A value the host encoded with its schema. */
export function decodeValue(s: Schema | null, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (s === null) return decodeAny(v)
  let physical: unknown
  switch (s.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'BOOLEAN':
    case 'STRING':
      physical = v
      break
    case 'INT64':
      physical = long(v)
      break
    case 'FLOAT32':
    case 'FLOAT64':
      physical = toNumber(v)
      break
    case 'BYTES':
      physical = fromBase64(v)
      break
    case 'ARRAY':
      return (v as unknown[]).map((item) => decodeValue(s.valueSchema ?? null, item))
    case 'MAP':
      return new Map(
        (v as [unknown, unknown][]).map(([k, item]) => [
          decodeValue(s.keySchema ?? null, k),
          decodeValue(s.valueSchema ?? null, item),
        ]),
      )
    case 'STRUCT': {
      const struct = new Struct(s)
      const values = v as unknown[]
      s.fields.forEach((f, i) => {
        struct.put(f, decodeValue(f.schema, values[i]))
      })
      return struct
    }
  }
  switch (s.name) {
    case LOGICAL_NAMES.DECIMAL:
      return Decimal.toLogical(s, physical as Uint8Array)
    case LOGICAL_NAMES.DATE:
      return ConnectDate.toLogical(s, physical as number)
    case LOGICAL_NAMES.TIME:
      return Time.toLogical(s, physical as number)
    case LOGICAL_NAMES.TIMESTAMP:
      return Timestamp.toLogical(s, physical as number | bigint)
    default:
      return physical
  }
}

/** A tagged value (a value without a schema). */
interface Tagged {
  $: string
  v: unknown
  scale?: number
  s?: WireSchema
}

function tagged(tag: string, v: unknown): Tagged {
  return { $: tag, v }
}

/**
 * A value without a schema. JS numbers have no Java type: an integer is sent as an int64 (Java Connect's
 * JsonConverter reads schemaless integers as Long too), any other number as a float64.
 */
export function encodeAny(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'bigint') return tagged('int64', v.toString())
  if (typeof v === 'number') return Number.isInteger(v) ? tagged('int64', String(v)) : tagged('float64', number(v))
  if (v instanceof Uint8Array) return tagged('bytes', base64(v))
  if (v instanceof BigDecimal) return { $: 'decimal', v: v.unscaled.toString(), scale: v.scale }
  if (v instanceof Date) return tagged('timestamp', String(v.getTime()))
  if (Array.isArray(v)) return tagged('array', v.map(encodeAny))
  if (v instanceof Struct) return { $: 'struct', v: encodeValue(v.schema, v), s: schemaToWire(v.schema) }
  if (v instanceof Map)
    return tagged(
      'map',
      [...v.entries()].map(([k, item]) => [encodeAny(k), encodeAny(item)]),
    )
  if (typeof v === 'object') {
    return tagged(
      'map',
      Object.entries(v).map(([k, item]) => [k, encodeAny(item)]),
    )
  }
  throw new DataError(`A value of type ${typeof v} has no Connect type`)
}

/** A tagged value from the host. */
export function decodeAny(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  const t = v as Tagged
  switch (t.$) {
    case 'int8':
    case 'int16':
    case 'int32':
      return t.v
    case 'int64':
      return long(t.v)
    case 'float32':
    case 'float64':
      return toNumber(t.v)
    case 'bytes':
      return fromBase64(t.v)
    case 'decimal':
      return new BigDecimal(BigInt(String(t.v)), t.scale ?? 0)
    case 'timestamp':
      return new Date(Number(t.v))
    case 'array':
      return (t.v as unknown[]).map(decodeAny)
    case 'map':
      return new Map((t.v as [unknown, unknown][]).map(([k, item]) => [decodeAny(k), decodeAny(item)]))
    case 'struct':
      return decodeValue(schemaFromWire(t.s as WireSchema), t.v)
    default:
      throw new DataError(`The JVM plugin host sent a value tagged ${String(t.$)}`)
  }
}
