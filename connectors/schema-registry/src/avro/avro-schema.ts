/**
 * Avro schemas as data: the model, a parser for schema JSON, and a printer that writes a schema as Apache Avro's
 * Java `Schema.toString()` does, since that text is what Confluent's serializers register (AvroSchema's canonical
 * string) and what the registry compares.
 *
 * Printing follows Avro 1.11's Schema.toJson: a primitive without properties is its bare name; objects list
 * `type`, then a named type's `name` and `namespace` (only where it differs from the enclosing one), `doc`, the
 * body (`fields`, `symbols` and `default`, `size`, `items`, `values`), then the properties in insertion order. A
 * named type written a second time is a reference: its short name inside its own namespace, else its full name.
 * Strings are escaped as Jackson does (upper-case `\u00XX` for control characters).
 */

/** A JSON value, with numbers whose text is kept exactly as Java would print them (see JsonNumber). */
export type JsonValue = null | boolean | string | number | JsonNumber | JsonValue[] | { [key: string]: JsonValue }

/** A number with its Java text (`38`, `1.0`, `1.0E10`), for defaults and properties printed as Jackson does. */
export class JsonNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  /** The number's value as a JavaScript number. */
  valueOf(): number {
    return Number(this.text)
  }
}

/** Properties of a schema or field, in the order they were added (Avro's LinkedHashMap). */
export type Props = Map<string, JsonValue>

/** Avro's primitive type names. */
export type PrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

const PRIMITIVES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
])

/** A record field. `defaultValue` undefined: no default; null: a null default. */
export interface AvroField {
  name: string
  type: AvroSchema
  doc?: string | undefined
  defaultValue?: JsonValue | undefined
  props: Props
}

/** An Avro schema. Named types (record, enum, fixed) carry their namespace apart from their name. */
export type AvroSchema =
  | { type: PrimitiveName; props: Props }
  | {
      type: 'record'
      name: string
      namespace: string | undefined
      doc?: string | undefined
      fields: AvroField[]
      props: Props
    }
  | {
      type: 'enum'
      name: string
      namespace: string | undefined
      doc?: string | undefined
      symbols: string[]
      defaultSymbol?: string | undefined
      props: Props
    }
  | { type: 'fixed'; name: string; namespace: string | undefined; doc?: string | undefined; size: number; props: Props }
  | { type: 'array'; items: AvroSchema; props: Props }
  | { type: 'map'; values: AvroSchema; props: Props }
  | { type: 'union'; types: AvroSchema[]; props: Props }

/** A named Avro schema. */
export type NamedSchema = Extract<AvroSchema, { name: string }>

/** The full name of a named schema. */
export function fullName(schema: NamedSchema): string {
  return schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name
}

/** A primitive schema without properties. */
export function primitive(type: PrimitiveName): AvroSchema {
  return { type, props: new Map() }
}

/** Adds a property as Avro's JsonProperties.addProp: a property already set keeps its value and position. */
export function addProp(props: Props, key: string, value: JsonValue): void {
  if (!props.has(key)) props.set(key, value)
}

/** The text of a string property, or undefined. */
export function stringProp(schema: { props: Props }, key: string): string | undefined {
  const v = schema.props.get(key)
  return typeof v === 'string' ? v : undefined
}

// ---- printing ----------------------------------------------------------------------------------------------

function jsonString(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, (_m, hex: string) => `\\u00${hex.toUpperCase()}`)
}

/** A JSON value as Jackson writes it (no spaces, keys in order). */
export function printJson(value: JsonValue): string {
  if (value === null) return 'null'
  if (value instanceof JsonNumber) return value.text
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      return String(value)
    case 'string':
      return jsonString(value)
  }
  if (Array.isArray(value)) return `[${value.map(printJson).join(',')}]`
  return `{${Object.entries(value)
    .map(([k, v]) => `${jsonString(k)}:${printJson(v)}`)
    .join(',')}}`
}

function printProps(props: Props): string {
  let out = ''
  for (const [k, v] of props) out += `,${jsonString(k)}:${printJson(v)}`
  return out
}

/** The schema as Avro's Java `Schema.toString()` prints it. */
export function printSchema(schema: AvroSchema): string {
  const seen = new Set<NamedSchema>()
  const write = (s: AvroSchema, space: string | undefined): string => {
    switch (s.type) {
      case 'union':
        return `[${s.types.map((t) => write(t, space)).join(',')}]`
      case 'array':
        return `{"type":"array","items":${write(s.items, space)}${printProps(s.props)}}`
      case 'map':
        return `{"type":"map","values":${write(s.values, space)}${printProps(s.props)}}`
      case 'record':
      case 'enum':
      case 'fixed': {
        if (seen.has(s)) return jsonString(s.namespace === space || !s.namespace ? s.name : fullName(s))
        seen.add(s)
        let out = `{"type":"${s.type}","name":${jsonString(s.name)}`
        if (s.namespace !== undefined) {
          if (s.namespace !== space) out += `,"namespace":${jsonString(s.namespace)}`
        } else if (space !== undefined) out += ',"namespace":""'
        if (s.doc !== undefined) out += `,"doc":${jsonString(s.doc)}`
        if (s.type === 'record') {
          const fields = s.fields.map((f) => {
            let field = `{"name":${jsonString(f.name)},"type":${write(f.type, s.namespace)}`
            if (f.doc !== undefined) field += `,"doc":${jsonString(f.doc)}`
            if (f.defaultValue !== undefined) field += `,"default":${printJson(f.defaultValue)}`
            return `${field}${printProps(f.props)}}`
          })
          out += `,"fields":[${fields.join(',')}]`
        } else if (s.type === 'enum') {
          out += `,"symbols":[${s.symbols.map(jsonString).join(',')}]`
          if (s.defaultSymbol !== undefined) out += `,"default":${jsonString(s.defaultSymbol)}`
        } else {
          out += `,"size":${s.size}`
        }
        return `${out}${printProps(s.props)}}`
      }
      default:
        return s.props.size === 0 ? `"${s.type}"` : `{"type":"${s.type}"${printProps(s.props)}}`
    }
  }
  return write(schema, undefined)
}

// ---- parsing -----------------------------------------------------------------------------------------------

/** Raised for schema JSON that is not a valid Avro schema. */
export class AvroSchemaError extends Error {
  override name = 'AvroSchemaError'
}

const RESERVED: Record<string, ReadonlySet<string>> = {
  record: new Set(['type', 'name', 'namespace', 'doc', 'fields', 'aliases']),
  error: new Set(['type', 'name', 'namespace', 'doc', 'fields', 'aliases']),
  enum: new Set(['type', 'name', 'namespace', 'doc', 'symbols', 'aliases', 'default']),
  fixed: new Set(['type', 'name', 'namespace', 'doc', 'size', 'aliases']),
  array: new Set(['type', 'items']),
  map: new Set(['type', 'values']),
}
const FIELD_RESERVED: ReadonlySet<string> = new Set(['name', 'type', 'doc', 'default', 'order', 'aliases'])

function propsOf(node: Record<string, unknown>, reserved: ReadonlySet<string>): Props {
  const props: Props = new Map()
  for (const [k, v] of Object.entries(node)) if (!reserved.has(k)) props.set(k, v as JsonValue)
  return props
}

/** Parses Avro schema JSON (the text a registry stores) into the model, resolving named references. */
export function parseSchema(text: string): AvroSchema {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new AvroSchemaError(`Invalid Avro schema JSON: ${(e as Error).message}`)
  }
  const names = new Map<string, NamedSchema>()
  const parse = (node: unknown, space: string | undefined): AvroSchema => {
    if (typeof node === 'string') {
      if (PRIMITIVES.has(node)) return primitive(node as PrimitiveName)
      const named = names.get(node.includes('.') || !space ? node : `${space}.${node}`) ?? names.get(node)
      if (named === undefined) throw new AvroSchemaError(`Undefined name: "${node}"`)
      return named
    }
    if (Array.isArray(node)) return { type: 'union', types: node.map((n) => parse(n, space)), props: new Map() }
    if (typeof node !== 'object' || node === null) throw new AvroSchemaError(`No type: ${JSON.stringify(node)}`)
    const o = node as Record<string, unknown>
    const type = o.type
    if (typeof type !== 'string') {
      // {"type": {...}} or {"type": [...]}: the inner schema (Avro allows this nesting).
      return parse(type, space)
    }
    if (PRIMITIVES.has(type)) return { type: type as PrimitiveName, props: propsOf(o, new Set(['type'])) }
    if (type === 'array')
      return { type, items: parse(o.items, space), props: propsOf(o, RESERVED.array as Set<string>) }
    if (type === 'map') return { type, values: parse(o.values, space), props: propsOf(o, RESERVED.map as Set<string>) }
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      const rawName = o.name
      if (typeof rawName !== 'string') throw new AvroSchemaError(`No name in schema: ${JSON.stringify(o)}`)
      const dot = rawName.lastIndexOf('.')
      const namespace =
        dot >= 0 ? rawName.slice(0, dot) : typeof o.namespace === 'string' ? o.namespace || undefined : space
      const name = dot >= 0 ? rawName.slice(dot + 1) : rawName
      const doc = typeof o.doc === 'string' ? o.doc : undefined
      const reserved = RESERVED[type] as ReadonlySet<string>
      let schema: NamedSchema
      if (type === 'enum') {
        schema = {
          type,
          name,
          namespace,
          doc,
          symbols: (o.symbols as string[]) ?? [],
          defaultSymbol: typeof o.default === 'string' ? o.default : undefined,
          props: propsOf(o, reserved),
        }
      } else if (type === 'fixed') {
        schema = { type, name, namespace, doc, size: Number(o.size), props: propsOf(o, reserved) }
      } else {
        schema = { type: 'record', name, namespace, doc, fields: [], props: propsOf(o, reserved) }
      }
      names.set(fullName(schema), schema)
      if (schema.type === 'record') {
        for (const f of (o.fields as Record<string, unknown>[]) ?? []) {
          schema.fields.push({
            name: String(f.name),
            type: parse(f.type, namespace),
            doc: typeof f.doc === 'string' ? f.doc : undefined,
            defaultValue: Object.hasOwn(f, 'default') ? (f.default as JsonValue) : undefined,
            props: propsOf(f, FIELD_RESERVED),
          })
        }
      }
      return schema
    }
    // A named type referred to in the {"type": "name"} form.
    return parse(type, space)
  }
  return parse(json, undefined)
}
