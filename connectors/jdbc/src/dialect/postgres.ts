/**
 * PostgreSQL's SQL: double-quoted identifiers, `$n` parameters, `INSERT ... ON CONFLICT (keys) DO UPDATE SET c =
 * EXCLUDED.c`, and the column types Confluent's PostgreSqlDatabaseDialect and Debezium's PostgresDatabaseDialect
 * create.
 */
import type { Schema } from 'tsconnect'
import type { Dialect, TableId } from './dialect.ts'
import { defaultLiteralOf, logicalKind } from './types.ts'

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`
}

function confluentType(schema: Schema): string {
  switch (logicalKind(schema)) {
    case 'decimal':
      return 'DECIMAL'
    case 'date':
      return 'DATE'
    case 'time':
      return 'TIME'
    case 'timestamp':
      return 'TIMESTAMP'
    default:
      break
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
      return 'SMALLINT'
    case 'INT32':
      return 'INT'
    case 'INT64':
      return 'BIGINT'
    case 'FLOAT32':
      return 'REAL'
    case 'FLOAT64':
      return 'DOUBLE PRECISION'
    case 'BOOLEAN':
      return 'BOOLEAN'
    case 'STRING':
      return 'TEXT'
    case 'BYTES':
      return 'BYTEA'
    default:
      return 'JSONB'
  }
}

function debeziumType(schema: Schema): string {
  switch (logicalKind(schema)) {
    case 'decimal': {
      const precision = schema.parameters?.['connect.decimal.precision']
      const scale = schema.parameters?.scale ?? '0'
      return precision === undefined ? 'numeric' : `numeric(${precision},${scale})`
    }
    case 'variable-decimal':
      return 'numeric'
    case 'date':
      return 'date'
    case 'time':
      return 'time(6)'
    case 'micro-time':
    case 'nano-time':
      return 'time(6)'
    case 'zoned-time':
      return 'time(6) with time zone'
    // Debezium 3.6 gives Connect's millisecond Timestamp a microsecond column (seen side by side).
    case 'timestamp':
      return 'timestamp(6)'
    case 'micro-timestamp':
    case 'nano-timestamp':
      return 'timestamp(6)'
    case 'zoned-timestamp':
      return 'timestamp(6) with time zone'
    case 'json':
      return 'json'
    case 'uuid':
      return 'uuid'
    default:
      break
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
      return 'smallint'
    case 'INT32':
      return 'integer'
    case 'INT64':
      return 'bigint'
    case 'FLOAT32':
      return 'real'
    case 'FLOAT64':
      return 'double precision'
    case 'BOOLEAN':
      return 'boolean'
    case 'STRING':
      return 'text'
    case 'BYTES':
      return 'bytea'
    default:
      return 'jsonb'
  }
}

/** PostgreSQL. */
export const postgresDialect: Dialect = {
  kind: 'postgresql',
  name: 'PostgreSqlDatabaseDialect',
  quote,
  placeholder: (index) => `$${index}`,
  tableName(table: TableId, quoted: boolean) {
    const q = (s: string) => (quoted ? quote(s) : s)
    return table.schema === null ? q(table.table) : `${q(table.schema)}.${q(table.table)}`
  },
  upsert(table, columns, keys, values) {
    const others = columns.filter((c) => !keys.includes(c))
    const action =
      others.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${others.map((c) => `${c}=EXCLUDED.${c}`).join(',')}`
    return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values} ON CONFLICT (${keys.join(',')}) ${action}`
  },
  columnType: (schema, _key, flavour) => (flavour === 'debezium' ? debeziumType(schema) : confluentType(schema)),
  defaultLiteral: (schema, value) => defaultLiteralOf(schema, value, (b) => (b ? 'TRUE' : 'FALSE')),
  describeColumns(table) {
    return {
      sql:
        'SELECT c.column_name AS name, c.udt_name AS type_name, c.is_nullable AS nullable, ' +
        'c.numeric_precision AS precision, c.numeric_scale AS scale, ' +
        "(c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES') AS auto_increment " +
        'FROM information_schema.columns c WHERE c.table_schema = COALESCE($1, current_schema()) AND c.table_name = $2 ' +
        'ORDER BY c.ordinal_position',
      params: [table.schema, table.table],
    }
  },
  listTables() {
    return {
      sql:
        'SELECT table_catalog AS catalog, table_schema AS schema, table_name AS name, table_type AS type ' +
        "FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') " +
        'ORDER BY table_schema, table_name',
      params: [],
    }
  },
  currentTimestampSql: "SELECT to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS now",
  defaultTableId: (database, table) => ({ catalog: database, schema: null, table }),
}
