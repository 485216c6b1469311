/**
 * Connect schemas and values to and from Avro, by the rules of Confluent's io.confluent.connect.avro.AvroData
 * (schema-registry's avro-data module), so that the schemas registered here are the ones a Java worker registers
 * and records read back as Java reads them. Implemented from AvroData's documented behaviour; the rules:
 *
 * - INT8 and INT16 are Avro `int` with `connect.type` `int8`/`int16`; INT32 `int`, INT64 `long`, FLOAT32 `float`,
 *   FLOAT64 `double`, BOOLEAN, STRING, BYTES as themselves; ARRAY `array`; MAP with (required) string keys `map`,
 *   other maps an array of `MapEntry` records {key, value} (namespace io.confluent.connect.avro, or the map's name).
 * - STRUCT is a record named after the schema (`a.b.C` is namespace `a.b`, name `C`), or
 *   io.confluent.connect.avro.ConnectDefault, ConnectDefault2, ... in order for unnamed ones. A struct named
 *   io.confluent.connect.avro.Union is an Avro union of its fields' schemas.
 * - Optional schemas are unions with null: `[null, T]`, or `[T, null]` when the schema has a default (Avro's
 *   default must match the first branch). Optional fields default to null.
 * - With connect.meta.data (the default) every non-union schema carries, in this order: `connect.doc`,
 *   `connect.version`, `connect.parameters`, `connect.default`, `connect.name`, `connect.type`.
 * - Decimal is `bytes` with `scale` and `precision` (connect.decimal.precision, else 64) and logicalType
 *   `decimal` (not added when the scale is negative or above the precision, unless the parameter is set);
 *   Date `int` + `date`, Time `int` + `time-millis`, Timestamp `long` + `timestamp-millis`.
 * - Reading: `connect.*` properties restore what was written; records and enums from other writers keep their full
 *   name, field docs become io.confluent.connect.avro.field.doc.* parameters, enums become strings with
 *   io.confluent.connect.avro.Enum parameters, unions other than with null become io.confluent.connect.avro.Union
 *   structs; the registry's version is the top-level schema's version when it has no `connect.version`.
 *
 * Encoders and decoders are compiled per schema pair into closures: a warm record is one pass over its value.
 */
import {
  BigDecimal,
  ConnectDate,
  DataError,
  Decimal,
  type Field,
  type Schema,
  SchemaBuilder,
  Struct,
  Time,
  Timestamp,
} from 'tsconnect'
import type { AvroReader, AvroWriter } from './avro-binary.ts'
import {
  type AvroField,
  type AvroSchema,
  addProp,
  fullName,
  JsonNumber,
  type JsonValue,
  type NamedSchema,
  type Props,
  primitive,
  stringProp,
} from './avro-schema.ts'

/** The namespace of AvroData's own names. */
export const NAMESPACE = 'io.confluent.connect.avro'
const DEFAULT_SCHEMA_NAME = 'ConnectDefault'
const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`
const MAP_ENTRY_TYPE_NAME = 'MapEntry'
const CONNECT_NAME_PROP = 'connect.name'
const CONNECT_DOC_PROP = 'connect.doc'
const CONNECT_VERSION_PROP = 'connect.version'
const CONNECT_DEFAULT_VALUE_PROP = 'connect.default'
const CONNECT_PARAMETERS_PROP = 'connect.parameters'
const CONNECT_TYPE_PROP = 'connect.type'
const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type'
const AVRO_TYPE_UNION = `${NAMESPACE}.Union`
const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`
const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`
const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`
const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`
const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`
const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`
const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision'
const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64
const CONNECT_AVRO_FIXED_SIZE_PROP = 'connect.fixed.size'
const LOGICAL_TYPE_PROP = 'logicalType'
const MILLIS_PER_DAY = 86_400_000

/** The AvroData options of AvroDataConfig that this implementation honours. */
export interface AvroDataOptions {
  /** connect.meta.data: write and read the connect.* properties. Default true. */
  connectMetaData: boolean
  /** enhanced.avro.schema.support: enums from strings with enum parameters, full names in unions. Default false. */
  enhancedSchemaSupport: boolean
  /** scrub.invalid.names: replace characters Avro names do not allow. Default false. */
  scrubInvalidNames: boolean
}

/** AvroDataConfig's defaults. */
export const DEFAULT_AVRO_DATA_OPTIONS: AvroDataOptions = Object.freeze({
  connectMetaData: true,
  enhancedSchemaSupport: false,
  scrubInvalidNames: false,
})

// ---- Java's number text --------------------------------------------------------------------------------

function javaDecimalText(n: number, exponential: string): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const negative = n < 0
  const [mantissa = '', exp = '0'] = exponential.replace(/^-/, '').split('e')
  const digits = mantissa.replace('.', '')
  const e = Number(exp)
  const abs = Math.abs(n)
  let text: string
  if (abs >= 1e-3 && abs < 1e7) {
    if (e >= 0) {
      const whole = digits.slice(0, e + 1).padEnd(e + 1, '0')
      text = `${whole}.${digits.slice(e + 1) || '0'}`
    } else text = `0.${'0'.repeat(-e - 1)}${digits}`
  } else {
    text = `${digits[0]}.${digits.slice(1) || '0'}E${e}`
  }
  return negative ? `-${text}` : text
}

/** A double as Java's Double.toString prints it (JDK 19+: the shortest text that reads back). */
export function javaDoubleText(n: number): string {
  return javaDecimalText(n, n.toExponential())
}

/** A float as Java's Float.toString prints it. */
export function javaFloatText(n: number): string {
  const f = Math.fround(n)
  if (!Number.isFinite(f) || f === 0) return javaDecimalText(f, '0e0')
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p))
    if (Math.fround(candidate) === f) return javaDecimalText(candidate, candidate.toExponential())
  }
  return javaDoubleText(f)
}

// ---- names ----------------------------------------------------------------------------------------------

function isNameChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95
}

/** AvroData's doScrubName: URL-encodes a name Avro would refuse, then replaces what is left with `_`. */
export function scrubName(name: string): string {
  if (name.length === 0) return name
  let ok = true
  for (let i = 0; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) ok = false
  const first = name.charCodeAt(0)
  if (ok && !(first >= 48 && first <= 57)) return name
  // Java's URLEncoder: space is '+', unreserved characters stay; the rest is %XX of the UTF-8 bytes.
  let encoded = encodeURIComponent(name)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  if (encoded.charCodeAt(0) >= 48 && encoded.charCodeAt(0) <= 57) encoded = `x${encoded}`
  let out = ''
  for (let i = 0; i < encoded.length; i++) out += isNameChar(encoded.charCodeAt(i)) ? encoded[i] : '_'
  return out
}

function splitName(full: string, scrub: boolean): [string | undefined, string] {
  const parts = full.split('.').map((p) => (scrub ? scrubName(p) : p))
  if (parts.length <= 1) return [undefined, parts[0] ?? full]
  return [parts.slice(0, -1).join('.'), parts[parts.length - 1] as string]
}

function isUnionSchema(schema: Schema): boolean {
  return schema.name === AVRO_TYPE_UNION
}

function isEnumSchema(schema: Schema): boolean {
  return schema.type === 'STRING' && schema.parameters !== undefined && AVRO_TYPE_ENUM in schema.parameters
}

function isFixedSchema(schema: Schema): boolean {
  return schema.type === 'BYTES' && schema.parameters !== undefined && CONNECT_AVRO_FIXED_SIZE_PROP in schema.parameters
}

function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema
  const b = new SchemaBuilder(schema.type)
  copyInto(b, schema)
  return b.build()
}

function copyInto(b: SchemaBuilder, schema: Schema): void {
  if (schema.name !== undefined) b.name(schema.name)
  if (schema.version !== undefined) b.version(schema.version)
  if (schema.doc !== undefined) b.doc(schema.doc)
  if (schema.parameters !== undefined) b.parameters(schema.parameters)
  if (schema.type === 'STRUCT') for (const f of schema.fields) b.field(f.name, f.schema)
  if (schema.defaultValue !== undefined) b.defaultValue(schema.defaultValue)
}

// ---- Connect schema to Avro schema ------------------------------------------------------------------------

interface FromConnectContext {
  /** Required schemas already converted, so that a reused named type is written once and referred to after. */
  seen: { connect: Schema; avro: AvroSchema }[]
  nameIndex: number
}

function unionMemberFieldName(schema: Schema, opts: AvroDataOptions): string {
  if (schema.type === 'STRUCT' || isEnumSchema(schema) || isFixedSchema(schema)) {
    const name = schema.name ?? ''
    return opts.enhancedSchemaSupport ? name : splitName(name, false)[1]
  }
  return AVRO_PRIMITIVE_OF[schema.type] ?? schema.type.toLowerCase()
}

const AVRO_PRIMITIVE_OF: Partial<Record<Schema['type'], string>> = {
  INT32: 'int',
  INT64: 'long',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BOOLEAN: 'boolean',
  STRING: 'string',
  BYTES: 'bytes',
  ARRAY: 'array',
  MAP: 'map',
}

/** The Avro schema AvroData.fromConnectSchema builds for a Connect schema. */
export function fromConnectSchema(schema: Schema, opts: AvroDataOptions = DEFAULT_AVRO_DATA_OPTIONS): AvroSchema {
  return fromConnect(schema, { seen: [], nameIndex: 0 }, false, opts)
}

function nameOrDefault(ctx: FromConnectContext, name: string | undefined, opts: AvroDataOptions) {
  if (name !== undefined) return splitName(name, opts.scrubInvalidNames)
  ctx.nameIndex++
  return [NAMESPACE, DEFAULT_SCHEMA_NAME + (ctx.nameIndex > 1 ? ctx.nameIndex : '')] as const
}

function fromConnect(
  schema: Schema,
  ctx: FromConnectContext,
  ignoreOptional: boolean,
  opts: AvroDataOptions,
): AvroSchema {
  if (!isUnionSchema(schema) && !schema.optional) {
    const cached = ctx.seen.find((s) => s.connect === schema || s.connect.equals(schema))
    if (cached) return cached.avro
  }
  let connectType: string | undefined
  let base: AvroSchema
  const params = schema.parameters
  switch (schema.type) {
    case 'INT8':
      connectType = 'int8'
      base = primitive('int')
      break
    case 'INT16':
      connectType = 'int16'
      base = primitive('int')
      break
    case 'INT32':
      base = primitive('int')
      break
    case 'INT64':
      base = primitive('long')
      break
    case 'FLOAT32':
      base = primitive('float')
      break
    case 'FLOAT64':
      base = primitive('double')
      break
    case 'BOOLEAN':
      base = primitive('boolean')
      break
    case 'STRING':
      if (opts.enhancedSchemaSupport && params !== undefined && AVRO_TYPE_ENUM in params) {
        const symbols = Object.keys(params)
          .filter((k) => k.startsWith(`${AVRO_TYPE_ENUM}.`))
          .map((k) => k.slice(AVRO_TYPE_ENUM.length + 1))
        const [, name] = nameOrDefault(ctx, schema.name, opts)
        const [enumNamespace, enumName] = splitName(params[AVRO_TYPE_ENUM] as string, false)
        base = {
          type: 'enum',
          name: enumName,
          namespace: enumNamespace,
          doc: params[AVRO_ENUM_DOC_PREFIX_PROP + name],
          symbols,
          defaultSymbol: params[AVRO_ENUM_DEFAULT_PREFIX_PROP + name],
          props: new Map(),
        }
      } else base = primitive('string')
      break
    case 'BYTES': {
      if (isFixedSchema(schema)) {
        const [namespace, name] = nameOrDefault(ctx, schema.name, opts)
        base = {
          type: 'fixed',
          name,
          namespace,
          size: Number(params?.[CONNECT_AVRO_FIXED_SIZE_PROP]),
          props: new Map(),
        }
      } else base = primitive('bytes')
      if (schema.name?.toLowerCase() === Decimal.LOGICAL_NAME.toLowerCase()) {
        base.props.set('scale', new JsonNumber(String(Number(params?.scale))))
        const precision = params?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP]
        base.props.set(
          'precision',
          new JsonNumber(String(precision === undefined ? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number(precision))),
        )
      }
      break
    }
    case 'ARRAY':
      base = { type: 'array', items: fromConnect(schema.valueSchema as Schema, ctx, false, opts), props: new Map() }
      break
    case 'MAP': {
      const keySchema = schema.keySchema as Schema
      const valueSchema = schema.valueSchema as Schema
      if (keySchema.type === 'STRING' && !keySchema.optional) {
        base = { type: 'map', values: fromConnect(valueSchema, ctx, false, opts), props: new Map() }
      } else {
        let entry: NamedSchema & { type: 'record' }
        if (schema.name === undefined) {
          entry = { type: 'record', name: MAP_ENTRY_TYPE_NAME, namespace: NAMESPACE, fields: [], props: new Map() }
        } else {
          const [namespace, name] = nameOrDefault(ctx, schema.name, opts)
          entry = {
            type: 'record',
            name,
            namespace,
            fields: [],
            props: new Map([[CONNECT_INTERNAL_TYPE_NAME, MAP_ENTRY_TYPE_NAME]]),
          }
        }
        entry.fields.push(recordField('key', keySchema, undefined, ctx, opts))
        entry.fields.push(recordField('value', valueSchema, undefined, ctx, opts))
        base = { type: 'array', items: entry, props: new Map() }
      }
      break
    }
    case 'STRUCT': {
      if (isUnionSchema(schema)) {
        const types: AvroSchema[] = schema.optional ? [primitive('null')] : []
        for (const f of schema.fields) types.push(fromConnect(nonOptional(f.schema), ctx, true, opts))
        base = { type: 'union', types, props: new Map() }
      } else if (schema.optional) {
        base = {
          type: 'union',
          types: [primitive('null'), fromConnect(nonOptional(schema), ctx, false, opts)],
          props: new Map(),
        }
      } else {
        const [namespace, name] = nameOrDefault(ctx, schema.name, opts)
        const record: AvroSchema = {
          type: 'record',
          name,
          namespace,
          doc: params?.[AVRO_RECORD_DOC_PROP],
          fields: [],
          props: new Map(),
        }
        for (const f of schema.fields) {
          const fieldName = opts.scrubInvalidNames ? scrubName(f.name) : f.name
          record.fields.push(recordField(fieldName, f.schema, params?.[AVRO_FIELD_DOC_PREFIX_PROP + f.name], ctx, opts))
        }
        base = record
      }
      break
    }
    default:
      throw new DataError(`Unknown schema type: ${String(schema.type)}`)
  }

  let result = base
  if (base.type !== 'union') {
    const props = base.props
    if (opts.connectMetaData) {
      if (schema.doc !== undefined) addProp(props, CONNECT_DOC_PROP, schema.doc)
      if (schema.version !== undefined) addProp(props, CONNECT_VERSION_PROP, new JsonNumber(String(schema.version)))
      if (params !== undefined) {
        const p: Record<string, JsonValue> = {}
        for (const [k, v] of Object.entries(params)) if (k !== AVRO_FIELD_DEFAULT_FLAG_PROP) p[k] = v
        if (Object.keys(p).length > 0) addProp(props, CONNECT_PARAMETERS_PROP, p)
      }
      if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
        if (params === undefined || !(AVRO_FIELD_DEFAULT_FLAG_PROP in params))
          addProp(props, CONNECT_DEFAULT_VALUE_PROP, defaultToJson(schema, schema.defaultValue, opts))
      }
      if (schema.name !== undefined) addProp(props, CONNECT_NAME_PROP, schema.name)
      if (connectType !== undefined) addProp(props, CONNECT_TYPE_PROP, connectType)
    }
    const lower = schema.name?.toLowerCase()
    let legacyDecimal = false
    if (lower === Decimal.LOGICAL_NAME.toLowerCase()) {
      const precisionText = params?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP]
      const precision = precisionText === undefined ? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number(precisionText)
      const scale = params?.scale === undefined ? 0 : Number(params.scale)
      if (scale < 0 || scale > precision) legacyDecimal = true
      else {
        addProp(props, LOGICAL_TYPE_PROP, 'decimal')
        addProp(props, 'precision', new JsonNumber(String(precision)))
        addProp(props, 'scale', new JsonNumber(String(scale)))
      }
      if (precisionText !== undefined || legacyDecimal) addProp(props, LOGICAL_TYPE_PROP, 'decimal')
    } else if (lower === Time.LOGICAL_NAME.toLowerCase()) addProp(props, LOGICAL_TYPE_PROP, 'time-millis')
    else if (lower === Timestamp.LOGICAL_NAME.toLowerCase()) addProp(props, LOGICAL_TYPE_PROP, 'timestamp-millis')
    else if (lower === ConnectDate.LOGICAL_NAME.toLowerCase()) addProp(props, LOGICAL_TYPE_PROP, 'date')
    if (params !== undefined)
      for (const [k, v] of Object.entries(params)) if (k.startsWith('avro')) addProp(props, k, v)
    if (!ignoreOptional) result = maybeOptional(schema, base)
  }
  if (!schema.optional) ctx.seen.push({ connect: schema, avro: result })
  return result
}

function maybeOptional(schema: Schema, base: AvroSchema): AvroSchema {
  if (!schema.optional) return base
  const types = schema.defaultValue != null ? [base, primitive('null')] : [primitive('null'), base]
  return { type: 'union', types, props: new Map() }
}

function recordField(
  name: string,
  fieldSchema: Schema,
  doc: string | undefined,
  ctx: FromConnectContext,
  opts: AvroDataOptions,
): AvroField {
  const type = fromConnect(fieldSchema, ctx, false, opts)
  let defaultValue: JsonValue | undefined
  if (fieldSchema.defaultValue != null) defaultValue = defaultToJson(fieldSchema, fieldSchema.defaultValue, opts)
  else if (fieldSchema.optional) defaultValue = null
  // Avro refuses a default that does not match the field's (first union) type; AvroData then drops it.
  if (defaultValue !== undefined && !defaultFits(type, defaultValue)) defaultValue = undefined
  return { name, type, doc, defaultValue, props: new Map() }
}

function defaultFits(type: AvroSchema, value: JsonValue): boolean {
  const t = type.type === 'union' ? type.types[0] : type
  if (t === undefined) return false
  if (value === null) return t.type === 'null'
  if (t.type === 'null') return false
  if (t.type === 'array') return Array.isArray(value)
  return true
}

/** A Connect default value as the JSON AvroData writes for it (defaultValueFromConnect). */
function defaultToJson(schema: Schema, value: unknown, opts: AvroDataOptions): JsonValue {
  if (value === null || value === undefined) return null
  const logical = toAvroLogical(schema, value)
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return new JsonNumber(String(logical))
    case 'FLOAT32':
      return new JsonNumber(javaFloatText(logical as number))
    case 'FLOAT64':
      return new JsonNumber(javaDoubleText(logical as number))
    case 'BOOLEAN':
      return logical as boolean
    case 'STRING':
      return logical as string
    case 'BYTES':
      return Buffer.from(logical as Uint8Array).toString('latin1')
    case 'ARRAY':
      return (logical as unknown[]).map((e) => defaultToJson(schema.valueSchema as Schema, e, opts))
    case 'MAP': {
      const entries = logical instanceof Map ? [...logical.entries()] : Object.entries(logical as object)
      const keySchema = schema.keySchema as Schema
      if (keySchema.type === 'STRING' && !keySchema.optional) {
        const out: Record<string, JsonValue> = {}
        for (const [k, v] of entries) out[String(k)] = defaultToJson(schema.valueSchema as Schema, v, opts)
        return out
      }
      return entries.map(([k, v]) => [
        defaultToJson(keySchema, k, opts),
        defaultToJson(schema.valueSchema as Schema, v, opts),
      ])
    }
    case 'STRUCT': {
      const struct = logical as Struct
      const out: Record<string, JsonValue> = {}
      for (const f of schema.fields) {
        const v = defaultToJson(f.schema, struct.get(f), opts)
        if (isUnionSchema(schema)) return v
        out[opts.scrubInvalidNames ? scrubName(f.name) : f.name] = v
      }
      return out
    }
  }
  return null
}

function toAvroLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) throw new DataError('Invalid type for Decimal, expected BigDecimal')
      return Decimal.fromLogical(schema, value)
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(schema, asDate(value, 'Date'))
    case Time.LOGICAL_NAME:
      return Time.fromLogical(schema, asDate(value, 'Time'))
    case Timestamp.LOGICAL_NAME:
      return Timestamp.fromLogical(schema, asDate(value, 'Timestamp'))
  }
  return value
}

function asDate(value: unknown, what: string): Date {
  if (!(value instanceof Date)) throw new DataError(`Invalid type for ${what}, expected Date but was ${typeof value}`)
  return value
}

// ---- Avro schema to Connect schema ------------------------------------------------------------------------

/** The Connect schema AvroData.toConnectSchema builds; `version` is the registry's, used without connect.version. */
export function toConnectSchema(
  avro: AvroSchema,
  version?: number,
  opts: AvroDataOptions = DEFAULT_AVRO_DATA_OPTIONS,
): Schema {
  return toConnect(avro, false, undefined, version, opts, new Set())
}

function numberProp(props: Props, key: string): number | undefined {
  const v = props.get(key)
  return v === undefined || v === null
    ? undefined
    : typeof v === 'number' || v instanceof JsonNumber
      ? Number(v)
      : Number.NaN
}

function toConnect(
  avro: AvroSchema,
  forceOptional: boolean,
  fieldDefault: JsonValue | undefined,
  version: number | undefined,
  opts: AvroDataOptions,
  visiting: Set<AvroSchema>,
): Schema {
  if (visiting.has(avro)) throw new DataError('Recursive Avro schemas are not supported by this converter')
  const connectType = stringProp(avro, CONNECT_TYPE_PROP)
  const logicalType = stringProp(avro, LOGICAL_TYPE_PROP)
  let b: SchemaBuilder
  switch (avro.type) {
    case 'boolean':
      b = SchemaBuilder.bool()
      break
    case 'bytes':
    case 'fixed':
      if (logicalType?.toLowerCase() === 'decimal') {
        b = Decimal.builder(numberProp(avro.props, 'scale') ?? 0)
        const precision = numberProp(avro.props, 'precision')
        if (precision !== undefined) {
          if (Number.isNaN(precision)) throw new DataError('precision property must be a JSON Integer.')
          if (precision !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT)
            b.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(precision))
        }
      } else b = SchemaBuilder.bytes()
      if (avro.type === 'fixed') b.parameter(CONNECT_AVRO_FIXED_SIZE_PROP, String(avro.size))
      break
    case 'double':
      b = SchemaBuilder.float64()
      break
    case 'float':
      b = SchemaBuilder.float32()
      break
    case 'int':
      if (connectType === undefined && logicalType === undefined) b = SchemaBuilder.int32()
      else if (logicalType !== undefined) {
        if (logicalType.toLowerCase() === 'date') b = ConnectDate.builder()
        else if (logicalType.toLowerCase() === 'time-millis') b = Time.builder()
        else b = SchemaBuilder.int32()
      } else if (connectType === 'int8') b = SchemaBuilder.int8()
      else if (connectType === 'int16') b = SchemaBuilder.int16()
      else throw new DataError('Connect type annotation for Avro int field is null')
      break
    case 'long':
      b = logicalType?.toLowerCase() === 'timestamp-millis' ? Timestamp.builder() : SchemaBuilder.int64()
      break
    case 'string':
      b = SchemaBuilder.string()
      break
    case 'array': {
      const items = avro.items
      if (isMapEntry(items)) {
        const key = items.fields.find((f) => f.name === 'key')
        const value = items.fields.find((f) => f.name === 'value')
        if (items.fields.length !== 2 || !key || !value)
          throw new DataError(
            'Found map encoded as array of key-value pairs, but array elements do not match the expected format.',
          )
        b = SchemaBuilder.map(
          toConnect(key.type, false, undefined, undefined, opts, visiting),
          toConnect(value.type, false, undefined, undefined, opts, visiting),
        )
      } else b = SchemaBuilder.array(toConnect(items, false, undefined, undefined, opts, visiting))
      break
    }
    case 'map':
      b = SchemaBuilder.map(
        SchemaBuilder.string().build(),
        toConnect(avro.values, false, undefined, undefined, opts, visiting),
      )
      break
    case 'record': {
      b = SchemaBuilder.struct()
      visiting.add(avro)
      if (opts.connectMetaData && avro.doc !== undefined) b.parameter(AVRO_RECORD_DOC_PROP, avro.doc)
      for (const f of avro.fields) {
        if (opts.connectMetaData && f.doc !== undefined) b.parameter(AVRO_FIELD_DOC_PREFIX_PROP + f.name, f.doc)
        b.field(f.name, toConnect(f.type, false, f.defaultValue, undefined, opts, visiting))
      }
      visiting.delete(avro)
      break
    }
    case 'enum':
      b = SchemaBuilder.string()
      if (opts.connectMetaData) {
        if (avro.doc !== undefined) b.parameter(AVRO_ENUM_DOC_PREFIX_PROP + avro.name, avro.doc)
        if (avro.defaultSymbol !== undefined) b.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + avro.name, avro.defaultSymbol)
      }
      b.parameter(AVRO_TYPE_ENUM, fullName(avro))
      for (const symbol of avro.symbols) b.parameter(`${AVRO_TYPE_ENUM}.${symbol}`, symbol)
      break
    case 'union': {
      const types = avro.types
      if (types.length === 1) return toConnect(types[0] as AvroSchema, false, undefined, undefined, opts, visiting)
      if (types.length === 2) {
        const other = types.find((t) => t.type !== 'null')
        if (other !== undefined && types.some((t) => t.type === 'null' && t.props.size === 0))
          return toConnect(other, true, undefined, undefined, opts, visiting)
      }
      b = SchemaBuilder.struct().name(AVRO_TYPE_UNION)
      const names = new Set<string>()
      for (const member of types) {
        if (member.type === 'null') {
          b.optional()
          continue
        }
        const name =
          member.type === 'record' || member.type === 'enum' || member.type === 'fixed'
            ? opts.enhancedSchemaSupport
              ? fullName(member)
              : member.name
            : member.type
        if (names.has(name)) throw new DataError('Multiple union schemas map to the Connect union field name')
        names.add(name)
        b.field(name, toConnect(member, true, undefined, undefined, opts, visiting))
      }
      break
    }
    case 'null':
      throw new DataError('Standalone null schemas are not supported by this converter')
  }

  const doc = stringProp(avro, CONNECT_DOC_PROP)
  if (opts.connectMetaData && doc !== undefined) b.doc(doc)
  const versionProp = avro.props.get(CONNECT_VERSION_PROP)
  let v = -1
  if (versionProp !== undefined && versionProp !== null) {
    if (typeof versionProp !== 'number' && !(versionProp instanceof JsonNumber))
      throw new DataError(`Invalid Connect version found: ${JSON.stringify(versionProp)}`)
    v = Number(versionProp)
  } else if (version !== undefined) v = version
  if (v >= 0 && b.schema().version === undefined) b.version(v)
  const parameters = avro.props.get(CONNECT_PARAMETERS_PROP)
  if (opts.connectMetaData && parameters !== undefined && parameters !== null) {
    if (typeof parameters !== 'object' || Array.isArray(parameters) || parameters instanceof JsonNumber)
      throw new DataError(`Expected JSON object for schema parameters but found: ${JSON.stringify(parameters)}`)
    for (const [k, value] of Object.entries(parameters)) {
      if (typeof value !== 'string')
        throw new DataError(`Expected schema parameter values to be strings but found: ${JSON.stringify(value)}`)
      b.parameter(k, value)
    }
  }
  for (const [k, value] of avro.props)
    if (k.startsWith('avro')) b.parameter(k, typeof value === 'string' ? value : JSON.stringify(value))

  const connectDefault = avro.props.get(CONNECT_DEFAULT_VALUE_PROP)
  let defaultJson = fieldDefault
  if (defaultJson === undefined) defaultJson = connectDefault
  else if (opts.connectMetaData && connectDefault === undefined) b.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true')
  const connectName = avro.props.get(CONNECT_NAME_PROP)
  let name: string | undefined
  if (connectName !== undefined) {
    if (typeof connectName !== 'string') throw new DataError(`Invalid schema name: ${JSON.stringify(connectName)}`)
    name = connectName
  } else if (avro.type === 'record' || avro.type === 'enum') name = fullName(avro)
  else if (avro.type === 'fixed' && b.schema().name !== Decimal.LOGICAL_NAME) name = fullName(avro)
  if (name !== undefined && !name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
    const current = b.schema().name
    if (current !== undefined && current !== name)
      throw new DataError(
        `Mismatched names: name already added to SchemaBuilder (${current}) differs from name in source schema (${name})`,
      )
    if (current === undefined) b.name(name)
  }
  if (forceOptional) b.optional()
  if (defaultJson !== undefined && defaultJson !== null) {
    try {
      b.defaultValue(defaultFromJson(b.schema(), defaultJson))
    } catch {
      // AvroData logs and ignores a default it cannot read.
    }
  }
  return b.build()
}

function isMapEntry(schema: AvroSchema): schema is Extract<AvroSchema, { type: 'record' }> {
  if (schema.type !== 'record') return false
  return (
    (schema.namespace === NAMESPACE && schema.name === MAP_ENTRY_TYPE_NAME) ||
    stringProp(schema, CONNECT_INTERNAL_TYPE_NAME) === MAP_ENTRY_TYPE_NAME
  )
}

/** A default from schema JSON as the Connect value (defaultValueFromAvro). */
function defaultFromJson(schema: Schema, json: JsonValue): unknown {
  if (json === null) return null
  const n = () => Number(json as number)
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (schema.name === ConnectDate.LOGICAL_NAME) return new Date(n() * MILLIS_PER_DAY)
      if (schema.name === Time.LOGICAL_NAME) return new Date(n())
      return n()
    case 'INT64':
      if (schema.name === Timestamp.LOGICAL_NAME) return new Date(n())
      return n()
    case 'FLOAT32':
    case 'FLOAT64':
      return n()
    case 'BOOLEAN':
      if (typeof json !== 'boolean') throw new DataError('not a boolean')
      return json
    case 'STRING':
      if (typeof json !== 'string') throw new DataError('not a string')
      return json
    case 'BYTES': {
      if (typeof json !== 'string') throw new DataError('not bytes')
      const bytes = new Uint8Array(Buffer.from(json, 'latin1'))
      return schema.name === Decimal.LOGICAL_NAME ? Decimal.toLogical(schema, bytes) : bytes
    }
    case 'ARRAY':
      if (!Array.isArray(json)) throw new DataError('not an array')
      return json.map((e) => defaultFromJson(schema.valueSchema as Schema, e))
    case 'MAP': {
      const out = new Map<unknown, unknown>()
      if (Array.isArray(json)) {
        for (const e of json) {
          const entry = e as Record<string, JsonValue>
          out.set(
            defaultFromJson(schema.keySchema as Schema, entry.key ?? null),
            defaultFromJson(schema.valueSchema as Schema, entry.value ?? null),
          )
        }
      } else
        for (const [k, v] of Object.entries(json as object))
          out.set(k, defaultFromJson(schema.valueSchema as Schema, v as JsonValue))
      return out
    }
    case 'STRUCT': {
      if (typeof json !== 'object' || Array.isArray(json)) throw new DataError('not a record')
      const struct = new Struct(schema)
      const o = json as Record<string, JsonValue>
      for (const f of schema.fields)
        if (Object.hasOwn(o, f.name)) struct.put(f, defaultFromJson(f.schema, o[f.name] ?? null))
      return struct
    }
  }
  return null
}

// ---- compiled encoders -------------------------------------------------------------------------------------

/** Writes one Connect value of a fixed schema as Avro binary. */
export type ValueWriter = (w: AvroWriter, value: unknown) => void

/** Reads one Avro value of a fixed writer schema as its Connect value. */
export type ValueReader = (r: AvroReader) => unknown

function typeError(schema: Schema, value: unknown): DataError {
  const got = value === null ? 'null' : value instanceof Object ? value.constructor.name : typeof value
  return new DataError(`Invalid Java object for schema with type ${schema.type}: class ${got}`)
}

/** Compiles the writer of values of `schema` into the Avro `avro` that fromConnectSchema built for it. */
export function compileWriter(
  schema: Schema,
  avro: AvroSchema,
  opts: AvroDataOptions = DEFAULT_AVRO_DATA_OPTIONS,
): ValueWriter {
  if (avro.type === 'union') {
    if (isUnionSchema(schema)) {
      const branches = schema.fields.map((f) => {
        const index = avro.types.findIndex(
          (t) => t.type !== 'null' && unionMemberFieldNameOfAvro(t, opts) === unionMemberFieldName(f.schema, opts),
        )
        return { field: f, index, write: compileWriter(nonOptional(f.schema), avro.types[index] as AvroSchema, opts) }
      })
      const nullIndex = avro.types.findIndex((t) => t.type === 'null')
      return (w, value) => {
        if (value == null) {
          if (nullIndex < 0) throw new DataError('Found null value for non-optional schema')
          w.long(nullIndex)
          return
        }
        const struct = value as Struct
        for (const b of branches) {
          const v = struct.get(b.field)
          if (v != null) {
            w.long(b.index)
            b.write(w, v)
            return
          }
        }
        throw new DataError('Union value has no branch set')
      }
    }
    const nullIndex = avro.types.findIndex((t) => t.type === 'null')
    const valueIndex = nullIndex === 0 ? 1 : 0
    const inner = compileWriter(nonOptional(schema), avro.types[valueIndex] as AvroSchema, opts)
    const fallback = schema.defaultValue
    return (w, value) => {
      const v = value ?? fallback
      if (v == null) w.long(nullIndex)
      else {
        w.long(valueIndex)
        inner(w, v)
      }
    }
  }
  const required = (write: ValueWriter): ValueWriter => {
    const fallback = schema.defaultValue
    return (w, value) => {
      const v = value ?? fallback
      if (v == null) throw new DataError('Found null value for non-optional schema')
      write(w, v)
    }
  }
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (avro.type === 'fixed') {
        const size = avro.size
        return required((w, v) => {
          const bytes = toAvroLogical(schema, v) as Uint8Array
          const padded = new Uint8Array(size).fill(bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0 ? 0xff : 0)
          padded.set(bytes, size - bytes.length)
          w.raw(padded)
        })
      }
      return required((w, v) => w.bytes(toAvroLogical(schema, v) as Uint8Array))
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME:
      return required((w, v) => w.int(toAvroLogical(schema, v) as number))
    case Timestamp.LOGICAL_NAME:
      return required((w, v) => w.long(toAvroLogical(schema, v) as number))
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return required((w, v) => {
        if (typeof v !== 'number') throw typeError(schema, v)
        w.int(v)
      })
    case 'INT64':
      return required((w, v) => {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw typeError(schema, v)
        w.long(v)
      })
    case 'FLOAT32':
      return required((w, v) => {
        if (typeof v !== 'number') throw typeError(schema, v)
        w.float(v)
      })
    case 'FLOAT64':
      return required((w, v) => {
        if (typeof v !== 'number') throw typeError(schema, v)
        w.double(v)
      })
    case 'BOOLEAN':
      return required((w, v) => {
        if (typeof v !== 'boolean') throw typeError(schema, v)
        w.byte(v ? 1 : 0)
      })
    case 'STRING':
      if (avro.type === 'enum') {
        const symbols = avro.symbols
        return required((w, v) => {
          const i = symbols.indexOf(v as string)
          if (i < 0) throw new DataError(`Not an enum symbol of ${fullName(avro)}: ${String(v)}`)
          w.int(i)
        })
      }
      return required((w, v) => {
        if (typeof v !== 'string') throw typeError(schema, v)
        w.string(v)
      })
    case 'BYTES':
      if (avro.type === 'fixed') {
        const size = avro.size
        return required((w, v) => {
          if (!(v instanceof Uint8Array) || v.length !== size) throw typeError(schema, v)
          w.raw(v)
        })
      }
      return required((w, v) => {
        if (!(v instanceof Uint8Array)) throw typeError(schema, v)
        w.bytes(v)
      })
    case 'ARRAY': {
      if (avro.type !== 'array') break
      const item = compileWriter(schema.valueSchema as Schema, avro.items, opts)
      return required((w, v) => {
        if (!Array.isArray(v)) throw typeError(schema, v)
        if (v.length > 0) {
          w.long(v.length)
          for (const e of v) item(w, e)
        }
        w.long(0)
      })
    }
    case 'MAP': {
      if (avro.type === 'map') {
        const value = compileWriter(schema.valueSchema as Schema, avro.values, opts)
        return required((w, v) => {
          const entries = mapEntries(schema, v)
          if (entries.length > 0) {
            w.long(entries.length)
            for (const [k, e] of entries) {
              w.string(k as string)
              value(w, e)
            }
          }
          w.long(0)
        })
      }
      if (avro.type !== 'array' || avro.items.type !== 'record') break
      const [keyField, valueField] = avro.items.fields as [AvroField, AvroField]
      const key = compileWriter(schema.keySchema as Schema, keyField.type, opts)
      const value = compileWriter(schema.valueSchema as Schema, valueField.type, opts)
      return required((w, v) => {
        const entries = mapEntries(schema, v)
        if (entries.length > 0) {
          w.long(entries.length)
          for (const [k, e] of entries) {
            key(w, k)
            value(w, e)
          }
        }
        w.long(0)
      })
    }
    case 'STRUCT': {
      if (avro.type !== 'record') break
      const fields = schema.fields.map((f, i) => ({
        field: f,
        write: compileWriter(f.schema, (avro.fields[i] as AvroField).type, opts),
      }))
      return required((w, v) => {
        if (!(v instanceof Struct)) throw typeError(schema, v)
        for (const f of fields) f.write(w, v.get(f.field))
      })
    }
  }
  throw new DataError(`Cannot write Connect ${schema.type} as Avro ${avro.type}`)
}

function unionMemberFieldNameOfAvro(member: AvroSchema, opts: AvroDataOptions): string {
  if (member.type === 'record' || member.type === 'enum' || member.type === 'fixed')
    return opts.enhancedSchemaSupport ? fullName(member) : member.name
  return member.type
}

function mapEntries(schema: Schema, v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()]
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.entries(v)
  throw typeError(schema, v)
}

/** Compiles the reader of values written with `avro`, as values of `schema` (toConnectSchema's result). */
export function compileReader(avro: AvroSchema, schema: Schema): ValueReader {
  switch (avro.type) {
    case 'null':
      return () => null
    case 'boolean':
      return (r) => r.byte() !== 0
    case 'int':
      if (schema.name === ConnectDate.LOGICAL_NAME) return (r) => new Date(r.int() * MILLIS_PER_DAY)
      if (schema.name === Time.LOGICAL_NAME) return (r) => new Date(r.int())
      return (r) => r.int()
    case 'long':
      if (schema.name === Timestamp.LOGICAL_NAME) return (r) => new Date(Number(r.long()))
      return (r) => r.long()
    case 'float':
      return (r) => r.float()
    case 'double':
      return (r) => r.double()
    case 'string':
      return (r) => r.string()
    case 'bytes':
      if (schema.name === Decimal.LOGICAL_NAME) return (r) => Decimal.toLogical(schema, r.bytes())
      return (r) => r.bytes()
    case 'fixed': {
      const size = avro.size
      if (schema.name === Decimal.LOGICAL_NAME) return (r) => Decimal.toLogical(schema, r.fixed(size))
      return (r) => r.fixed(size)
    }
    case 'enum': {
      const symbols = avro.symbols
      return (r) => {
        const i = r.int()
        const s = symbols[i]
        if (s === undefined) throw new DataError(`Enum index ${i} out of range for ${fullName(avro)}`)
        return s
      }
    }
    case 'array': {
      if (schema.type === 'MAP' && avro.items.type === 'record') {
        const [keyField, valueField] = avro.items.fields as [AvroField, AvroField]
        const key = compileReader(keyField.type, schema.keySchema as Schema)
        const value = compileReader(valueField.type, schema.valueSchema as Schema)
        return (r) => {
          const out = new Map<unknown, unknown>()
          for (let n = r.blockCount(); n > 0; n = r.blockCount()) for (let i = 0; i < n; i++) out.set(key(r), value(r))
          return out
        }
      }
      const item = compileReader(avro.items, schema.valueSchema as Schema)
      return (r) => {
        const out: unknown[] = []
        for (let n = r.blockCount(); n > 0; n = r.blockCount()) for (let i = 0; i < n; i++) out.push(item(r))
        return out
      }
    }
    case 'map': {
      const value = compileReader(avro.values, schema.valueSchema as Schema)
      return (r) => {
        const out = new Map<string, unknown>()
        for (let n = r.blockCount(); n > 0; n = r.blockCount())
          for (let i = 0; i < n; i++) {
            const k = r.string()
            out.set(k, value(r))
          }
        return out
      }
    }
    case 'record': {
      const fields: { field: Field; read: ValueReader }[] = avro.fields.map((f, i) => {
        const field = schema.fields[i] as Field
        return { field, read: compileReader(f.type, field.schema) }
      })
      return (r) => {
        const struct = new Struct(schema)
        for (const f of fields) struct.put(f.field, f.read(r))
        return struct
      }
    }
    case 'union': {
      if (isUnionSchema(schema)) {
        const branches = avro.types.map((t) => {
          if (t.type === 'null') return null
          const field = schema.fields.find(
            (f) =>
              f.name === (t.type === 'record' || t.type === 'enum' || t.type === 'fixed' ? t.name : t.type) ||
              f.name === (t.type === 'record' || t.type === 'enum' || t.type === 'fixed' ? fullName(t) : t.type),
          ) as Field
          return { field, read: compileReader(t, field.schema) }
        })
        return (r) => {
          const b = branches[Number(r.long())]
          if (b === undefined) throw new DataError('Union index out of range')
          if (b === null) return null
          return new Struct(schema).put(b.field, b.read(r))
        }
      }
      const readers = avro.types.map((t) => (t.type === 'null' ? () => null : compileReader(t, schema)))
      return (r) => {
        const read = readers[Number(r.long())]
        if (read === undefined) throw new DataError('Union index out of range')
        return read(r)
      }
    }
  }
}
