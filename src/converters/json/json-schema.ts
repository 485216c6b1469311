/**
 * Connect schemas to and from the JSON schema of JsonConverter's envelope, as Java's asJsonSchema and
 * asConnectSchema. Written properties, in order: `type`; `items`, or `keys` and `values`, or `fields` (each a field
 * schema with `"field": "<name>"` last); `optional` (always); then `name`, `version`, `doc`, `parameters` and
 * `default` when set. Type names: boolean, int8, int16, int32, int64, float (FLOAT32), double (FLOAT64), bytes,
 * string, array, map, struct.
 */
import type { Schema, SchemaType } from '../../data/schema.ts'
import { SchemaBuilder } from '../../data/schema-builder.ts'
import { DataError } from '../../errors.ts'
import { jacksonQuote } from '../../util/java-format.ts'
import { type JsonNode, JsonNumber } from './json-text.ts'
import { type JsonValueOptions, toConnect, toJson } from './json-values.ts'

const TYPE_NAMES: Record<SchemaType, string> = {
  BOOLEAN: 'boolean',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BYTES: 'bytes',
  STRING: 'string',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
}

const TYPES_BY_NAME = new Map(Object.entries(TYPE_NAMES).map(([t, n]) => [n, t as SchemaType]))

function required(s: Schema | undefined, what: string): Schema {
  if (s === undefined) throw new DataError(`Couldn't translate schema with no ${what} schema`)
  return s
}

/** The members (without braces) of a schema's JSON object. */
function schemaMembers(schema: Schema, options: JsonValueOptions): string[] {
  const m = [`"type":"${TYPE_NAMES[schema.type]}"`]
  switch (schema.type) {
    case 'ARRAY':
      m.push(`"items":${asJsonSchema(required(schema.valueSchema, 'element'), options)}`)
      break
    case 'MAP':
      m.push(`"keys":${asJsonSchema(required(schema.keySchema, 'key'), options)}`)
      m.push(`"values":${asJsonSchema(required(schema.valueSchema, 'value'), options)}`)
      break
    case 'STRUCT': {
      const fields = schema.fields.map(
        (f) => `{${[...schemaMembers(f.schema, options), `"field":${jacksonQuote(f.name)}`].join(',')}}`,
      )
      m.push(`"fields":[${fields.join(',')}]`)
      break
    }
  }
  m.push(`"optional":${schema.optional}`)
  if (schema.name !== undefined) m.push(`"name":${jacksonQuote(schema.name)}`)
  if (schema.version !== undefined) m.push(`"version":${schema.version}`)
  if (schema.doc !== undefined) m.push(`"doc":${jacksonQuote(schema.doc)}`)
  if (schema.parameters !== undefined) {
    const params = Object.entries(schema.parameters).map(([k, v]) => `${jacksonQuote(k)}:${jacksonQuote(v)}`)
    m.push(`"parameters":{${params.join(',')}}`)
  }
  if (schema.defaultValue !== undefined) m.push(`"default":${toJson(schema, schema.defaultValue, options)}`)
  return m
}

/** The JSON text of a schema. */
export function asJsonSchema(schema: Schema, options: JsonValueOptions): string {
  return `{${schemaMembers(schema, options).join(',')}}`
}

function member(node: Map<string, JsonNode>, name: string): JsonNode | undefined {
  return node.get(name)
}

/** The Connect schema of a JSON schema node; null for a JSON null. */
export function asConnectSchema(node: JsonNode, options: JsonValueOptions): Schema | null {
  if (node === null) return null
  if (!(node instanceof Map)) throw new DataError("Schema must contain 'type' field")
  const typeNode = member(node, 'type')
  if (typeof typeNode !== 'string') throw new DataError("Schema must contain 'type' field")
  const type = TYPES_BY_NAME.get(typeNode)
  let builder: SchemaBuilder
  switch (type) {
    case undefined:
      throw new DataError(`Unknown schema type: ${typeNode}`)
    case 'ARRAY': {
      const items = member(node, 'items')
      if (items == null) throw new DataError('Array schema did not specify the element type')
      builder = SchemaBuilder.array(asConnectSchema(items, options) as Schema)
      break
    }
    case 'MAP': {
      const keys = member(node, 'keys')
      if (keys === undefined) throw new DataError('Map schema did not specify the key type')
      const values = member(node, 'values')
      if (values === undefined) throw new DataError('Map schema did not specify the value type')
      builder = SchemaBuilder.map(asConnectSchema(keys, options) as Schema, asConnectSchema(values, options) as Schema)
      break
    }
    case 'STRUCT': {
      builder = SchemaBuilder.struct()
      const fields = member(node, 'fields')
      if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.')
      for (const field of fields) {
        const name = field instanceof Map ? field.get('field') : undefined
        if (typeof name !== 'string') throw new DataError("Struct schema's field name not specified properly")
        builder.field(name, asConnectSchema(field, options) as Schema)
      }
      break
    }
    default:
      builder = SchemaBuilder.type(type)
  }
  if (member(node, 'optional') === true) builder.optional()
  else builder.required()
  const name = member(node, 'name')
  if (typeof name === 'string') builder.name(name)
  const version = member(node, 'version')
  if (version instanceof JsonNumber && version.integral) builder.version(version.toNumber())
  const doc = member(node, 'doc')
  if (typeof doc === 'string') builder.doc(doc)
  const params = member(node, 'parameters')
  if (params instanceof Map) {
    for (const [k, v] of params) {
      if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.')
      builder.parameter(k, v)
    }
  }
  const dflt = member(node, 'default')
  if (dflt !== undefined) builder.defaultValue(toConnect(builder.build(), dflt, options))
  return builder.build()
}
