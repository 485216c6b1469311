/**
 * Index mappings from Connect schemas (Confluent's Mapping.buildMapping), put before the first document of an
 * index is written when schemas are not ignored: INT8 byte, INT16 short, INT32 integer, INT64 long, FLOAT32
 * float, FLOAT64 double, BOOLEAN boolean, STRING text, BYTES binary, Decimal double, Date and Timestamp date,
 * Time integer, STRUCT an object of properties, ARRAY its element's type, MAP an object of its values.
 */
import { ConnectDate, Decimal, type Schema, Time, Timestamp } from 'tsconnect'

/** The mapping of one field's schema. */
export function fieldMapping(schema: Schema): Record<string, unknown> {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return { type: 'double' }
    case ConnectDate.LOGICAL_NAME:
    case Timestamp.LOGICAL_NAME:
      return { type: 'date' }
    case Time.LOGICAL_NAME:
      return { type: 'integer' }
  }
  switch (schema.type) {
    case 'INT8':
      return { type: 'byte' }
    case 'INT16':
      return { type: 'short' }
    case 'INT32':
      return { type: 'integer' }
    case 'INT64':
      return { type: 'long' }
    case 'FLOAT32':
      return { type: 'float' }
    case 'FLOAT64':
      return { type: 'double' }
    case 'BOOLEAN':
      return { type: 'boolean' }
    case 'STRING':
      return { type: 'text' }
    case 'BYTES':
      return { type: 'binary' }
    case 'ARRAY':
      return fieldMapping(schema.valueSchema as Schema)
    case 'MAP':
      return { type: 'object' }
    case 'STRUCT':
      return { properties: Object.fromEntries(schema.fields.map((f) => [f.name, fieldMapping(f.schema)])) }
  }
  return {}
}

/** The mapping body of an index whose documents have this value schema. */
export function indexMapping(schema: Schema): Record<string, unknown> {
  const mapping = fieldMapping(schema)
  return 'properties' in mapping ? { properties: mapping.properties } : {}
}
