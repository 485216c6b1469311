/**
 * The logical types a sink meets (Connect's and Debezium's), named once so each dialect maps them to a column type
 * and the value binder turns their values into parameters.
 */
import { BigDecimal, type Schema } from 'tsconnect'

/** A schema's logical kind, or 'plain' for a schema that is only its Connect type. */
export type LogicalKind =
  | 'plain'
  | 'decimal'
  | 'variable-decimal'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'micro-time'
  | 'nano-time'
  | 'zoned-time'
  | 'micro-timestamp'
  | 'nano-timestamp'
  | 'zoned-timestamp'
  | 'debezium-date'
  | 'debezium-time'
  | 'debezium-timestamp'
  | 'json'
  | 'uuid'

const BY_NAME: Record<string, LogicalKind> = {
  'org.apache.kafka.connect.data.Decimal': 'decimal',
  'org.apache.kafka.connect.data.Date': 'date',
  'org.apache.kafka.connect.data.Time': 'time',
  'org.apache.kafka.connect.data.Timestamp': 'timestamp',
  'io.debezium.data.VariableScaleDecimal': 'variable-decimal',
  'io.debezium.time.Date': 'debezium-date',
  'io.debezium.time.Time': 'debezium-time',
  'io.debezium.time.MicroTime': 'micro-time',
  'io.debezium.time.NanoTime': 'nano-time',
  'io.debezium.time.ZonedTime': 'zoned-time',
  'io.debezium.time.Timestamp': 'debezium-timestamp',
  'io.debezium.time.MicroTimestamp': 'micro-timestamp',
  'io.debezium.time.NanoTimestamp': 'nano-timestamp',
  'io.debezium.time.ZonedTimestamp': 'zoned-timestamp',
  'io.debezium.data.Json': 'json',
  'io.debezium.data.Uuid': 'uuid',
}

/** The logical kind of a schema, by its name. */
export function logicalKind(schema: Schema): LogicalKind {
  const kind = schema.name === undefined ? undefined : BY_NAME[schema.name]
  // Debezium's date/time types reuse Connect's shapes: their column is the Connect kind's.
  if (kind === 'debezium-date') return 'date'
  if (kind === 'debezium-time') return 'time'
  if (kind === 'debezium-timestamp') return 'timestamp'
  return kind ?? 'plain'
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/**
 * A DEFAULT literal for a primitive schema's default value; null for types whose defaults we do not write
 * (bytes, logical types other than decimal, structs).
 */
export function defaultLiteralOf(schema: Schema, value: unknown, bool: (b: boolean) => string): string | null {
  if (value === null || value === undefined) return null
  if (logicalKind(schema) === 'decimal' && value instanceof BigDecimal) return value.toString()
  if (logicalKind(schema) !== 'plain') return null
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'FLOAT32':
    case 'FLOAT64':
      return String(value)
    case 'BOOLEAN':
      return bool(value === true)
    case 'STRING':
      return quoteString(String(value))
    default:
      return null
  }
}
