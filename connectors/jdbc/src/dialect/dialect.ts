/**
 * What differs between PostgreSQL and MySQL/MariaDB in the SQL the connectors write: quoting, parameters, upsert
 * syntax, DDL and the column type each Connect type becomes (Confluent's GenericDatabaseDialect and its
 * PostgreSqlDatabaseDialect / MySqlDatabaseDialect; Debezium's DatabaseDialect). Pure text: no connection here.
 */
import type { Schema } from 'tsconnect'
import type { DatabaseKind } from '../jdbc-url.ts'

/** A table's name parts (Confluent's TableId): catalog (the database), schema (PostgreSQL only), table. */
export interface TableId {
  readonly catalog: string | null
  readonly schema: string | null
  readonly table: string
}

/** The column-type conventions of the connector whose keys the user wrote. */
export type TypeFlavour = 'confluent' | 'debezium'

/** A column to create or add. */
export interface ColumnDefinition {
  readonly name: string
  readonly schema: Schema
  readonly key: boolean
}

/** What the source reads about a table column from the catalog. */
export interface CatalogColumn {
  readonly name: string
  /** The type name, lower case, as information_schema's data_type (PostgreSQL: udt_name) says it. */
  readonly typeName: string
  readonly nullable: boolean
  readonly precision: number | null
  readonly scale: number | null
  readonly autoIncrement: boolean
}

/** A database's SQL. */
export interface Dialect {
  readonly kind: DatabaseKind
  /** Confluent's dialect class name (dialect.name). */
  readonly name: string
  /** The identifier quoted, its quote characters doubled inside. */
  quote(identifier: string): string
  /** The parameter marker for the index-th (1-based) parameter of a statement. */
  placeholder(index: number): string
  /** The table name as SQL: each part quoted when `quote` (else as written). */
  tableName(table: TableId, quote: boolean): string
  /**
   * An upsert: `INSERT INTO table (columns) VALUES values` that updates the other columns on a key conflict.
   * Table and column names come as SQL (quoted or not), keys first in `columns`.
   */
  upsert(table: string, columns: readonly string[], keys: readonly string[], values: string): string
  /** The column type of a Connect schema (the key columns of MySQL need a bounded type). */
  columnType(schema: Schema, key: boolean, flavour: TypeFlavour): string
  /** A DEFAULT clause literal for a schema default, or null when the type has none we can write. */
  defaultLiteral(schema: Schema, value: unknown): string | null
  /** The SQL and parameters listing a table's columns in order (CatalogColumn's fields as columns). */
  describeColumns(table: TableId): { sql: string; params: unknown[] }
  /** The SQL and parameters listing the tables (catalog, schema, table, type) of the current database. */
  listTables(): { sql: string; params: unknown[] }
  /** The SQL of the database's current time, read for timestamp mode's upper bound (a timestamp, UTC). */
  readonly currentTimestampSql: string
  /** Where a table named without schema lives: the catalog and schema to use. */
  defaultTableId(database: string, table: string): TableId
}

/** The parameter list `(p1, p2, ...)` for `rows` rows of `width` columns, numbered from `first`. */
export function valuesList(dialect: Dialect, rows: number, width: number, first = 1): string {
  const tuples: string[] = []
  let n = first
  for (let r = 0; r < rows; r++) {
    const marks: string[] = []
    for (let c = 0; c < width; c++) marks.push(dialect.placeholder(n++))
    tuples.push(`(${marks.join(',')})`)
  }
  return tuples.join(',')
}

/** The column list of a statement, each name quoted or not. */
export function columnList(dialect: Dialect, columns: readonly string[], quote: boolean): string {
  return columns.map((c) => (quote ? dialect.quote(c) : c)).join(',')
}
