/**
 * Column defaults in schemas, as Debezium's PostgresDefaultValueConverter derives them from the default expression:
 * a literal (`'abc'::text`, `42`, `'2024-01-01'::date`) becomes the field's default; a default computed by a
 * function (`nextval(...)`, `now()`, `CURRENT_TIMESTAMP`) gets the type's placeholder (0, epoch, ...); `NULL::type`
 * and types without a mapper give no default.
 */
import type { CatalogColumn } from './catalog.ts'

const LITERAL = /'(.*?)'/
const FUNCTION = /^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)/
const CURRENT_DATE_TIMES = new Set(['current_timestamp', 'current_time', 'current_date', 'localtime', 'localtimestamp'])
const TRIMMED = new Set([
  'bit',
  'varbit',
  'bool',
  'numeric',
  'float4',
  'float8',
  'int2',
  'int4',
  'serial',
  'int8',
  'bigserial',
  'smallserial',
  'uuid',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
])

function literal(expression: string): string | null {
  if (!expression.includes("'")) return expression.startsWith('NULL::') ? null : expression
  return LITERAL.exec(expression)?.[1] ?? null
}

function withPlaceholder(expression: string, placeholder: string): string | null {
  if (FUNCTION.test(expression) || CURRENT_DATE_TIMES.has(expression.toLowerCase())) return placeholder
  return literal(expression)
}

/** Placeholders in the text PostgreSQL would print for a value, so the column's converter reads them as values. */
const PLACEHOLDERS: Record<string, string> = {
  bool: 'false',
  bpchar: '',
  varchar: '',
  text: '',
  numeric: '0.0',
  float4: '0.0',
  float8: '0.0',
  int2: '0',
  int4: '0',
  int8: '0',
  json: '{}',
  jsonb: '{}',
  xml: '',
  uuid: '00000000-0000-0000-0000-000000000000',
  date: '1970-01-01',
  time: '00:00',
  timestamp: '1970-01-01',
  timestamptz: '1970-01-01',
  interval: 'epoch',
}

/** Types whose defaults may not be NULL::type-parsed (Debezium's parseNullDefault wraps only these). */
const NULL_AWARE = new Set(['bool', 'numeric', 'float4', 'float8', 'int2', 'int4', 'int8'])

/** PostgreSQL-style text of the column's default, for its converter; null when Debezium gives no default. */
export function defaultText(column: CatalogColumn): string | null {
  let expression = column.defaultExpression
  if (expression === null) return null
  const type = column.type.typeName
  if (column.type.typeKind === 'e') {
    const cast = expression.lastIndexOf('::')
    if (cast < 0) return null
    const value = expression.slice(0, cast)
    return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : null
  }
  const placeholder = PLACEHOLDERS[type]
  if (placeholder === undefined) return null
  if (TRIMMED.has(type)) expression = expression.trim()
  if (NULL_AWARE.has(type) && expression.startsWith('NULL::')) return null
  const text = withPlaceholder(expression, placeholder)
  if (text === null) return null
  switch (type) {
    case 'bool':
      return text.toLowerCase() === 'true' ? 't' : 'f'
    case 'time':
      return text.length === 5 ? `${text}:00` : text
    case 'timestamp':
      return text.length === 10 ? `${text} 00:00:00` : text
    case 'timestamptz':
      return text.length === 10 ? `${text} 00:00:00+00` : text
    case 'interval':
      return text === 'epoch' ? '00:00:00' : text
    default:
      return text
  }
}
