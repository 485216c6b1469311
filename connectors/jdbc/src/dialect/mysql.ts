/**
 * MySQL's and MariaDB's SQL: backquoted identifiers, `?` parameters, `INSERT ... ON DUPLICATE KEY UPDATE c =
 * VALUES(c)`, and the column types Confluent's MySqlDatabaseDialect and Debezium's MySqlDatabaseDialect create. A
 * key column needs a bounded type (TEXT and BLOB cannot be primary keys without a prefix length).
 */
import type { Schema } from 'tsconnect'
import type { Dialect, TableId } from './dialect.ts'
import { defaultLiteralOf, logicalKind } from './types.ts'

function quote(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``
}

function confluentType(schema: Schema, key: boolean): string {
  switch (logicalKind(schema)) {
    case 'decimal':
      return `DECIMAL(65,${schema.parameters?.scale ?? '0'})`
    case 'date':
      return 'DATE'
    case 'time':
      return 'TIME(3)'
    case 'timestamp':
      return 'DATETIME(3)'
    default:
      break
  }
  switch (schema.type) {
    case 'INT8':
      return 'TINYINT'
    case 'INT16':
      return 'SMALLINT'
    case 'INT32':
      return 'INT'
    case 'INT64':
      return 'BIGINT'
    case 'FLOAT32':
      return 'FLOAT'
    case 'FLOAT64':
      return 'DOUBLE'
    case 'BOOLEAN':
      return 'TINYINT'
    case 'STRING':
      return key ? 'VARCHAR(256)' : 'TEXT'
    case 'BYTES':
      return key ? 'VARBINARY(1024)' : 'BLOB'
    default:
      return 'JSON'
  }
}

function debeziumType(schema: Schema, key: boolean): string {
  switch (logicalKind(schema)) {
    case 'decimal': {
      const precision = schema.parameters?.['connect.decimal.precision'] ?? '65'
      return `decimal(${precision},${schema.parameters?.scale ?? '0'})`
    }
    case 'variable-decimal':
      return 'double'
    case 'date':
      return 'date'
    case 'time':
      return 'time(3)'
    case 'micro-time':
    case 'nano-time':
    case 'zoned-time':
      return 'time(6)'
    case 'timestamp':
      return 'datetime(3)'
    case 'micro-timestamp':
    case 'nano-timestamp':
      return 'datetime(6)'
    case 'zoned-timestamp':
      return 'timestamp(6)'
    case 'json':
      return 'json'
    case 'uuid':
      return 'varchar(36)'
    default:
      break
  }
  switch (schema.type) {
    case 'INT8':
      return 'tinyint'
    case 'INT16':
      return 'smallint'
    case 'INT32':
      return 'int'
    case 'INT64':
      return 'bigint'
    case 'FLOAT32':
      return 'float'
    case 'FLOAT64':
      return 'double'
    case 'BOOLEAN':
      return 'boolean'
    case 'STRING':
      return key ? 'varchar(255)' : 'longtext'
    case 'BYTES':
      return key ? 'varbinary(255)' : 'longblob'
    default:
      return 'json'
  }
}

/** MySQL and MariaDB. */
export const mysqlDialect: Dialect = {
  kind: 'mysql',
  name: 'MySqlDatabaseDialect',
  quote,
  placeholder: () => '?',
  tableName(table: TableId, quoted: boolean) {
    const q = (s: string) => (quoted ? quote(s) : s)
    return table.catalog === null ? q(table.table) : `${q(table.catalog)}.${q(table.table)}`
  },
  upsert(table, columns, keys, values) {
    const others = columns.filter((c) => !keys.includes(c))
    // With only key columns, a duplicate is left as it is: "update" the first key to itself.
    const updates = (others.length === 0 ? [keys[0] as string] : others).map((c) => `${c}=VALUES(${c})`)
    return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values} ON DUPLICATE KEY UPDATE ${updates.join(',')}`
  },
  columnType: (schema, key, flavour) =>
    flavour === 'debezium' ? debeziumType(schema, key) : confluentType(schema, key),
  defaultLiteral: (schema, value) => defaultLiteralOf(schema, value, (b) => (b ? '1' : '0')),
  describeColumns(table) {
    return {
      sql:
        'SELECT column_name AS name, data_type AS type_name, is_nullable AS nullable, ' +
        'numeric_precision AS `precision`, numeric_scale AS scale, ' +
        "(extra LIKE '%auto_increment%') AS auto_increment, column_type AS column_type " +
        'FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ' +
        'ORDER BY ordinal_position',
      params: [table.catalog, table.table],
    }
  },
  listTables() {
    return {
      sql:
        'SELECT table_schema AS catalog, NULL AS `schema`, table_name AS name, table_type AS type ' +
        'FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
      params: [],
    }
  },
  currentTimestampSql: "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f') AS now",
  defaultTableId: (database, table) => ({ catalog: database === '' ? null : database, schema: null, table }),
}
