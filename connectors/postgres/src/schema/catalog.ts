/**
 * What the connector reads of PostgreSQL's catalog for a captured table: its columns in order with type, typmod,
 * NOT NULL and default expression, its primary key in key order, and the labels of enum columns. Debezium reads
 * the same facts through JDBC's DatabaseMetaData (COLUMN_DEF is pg_get_expr of the default).
 */
import type pg from 'pg'
import type { ColumnType } from './values.ts'

/** A column of a captured table. */
export interface CatalogColumn {
  name: string
  position: number
  type: ColumnType
  notNull: boolean
  /** pg_get_expr of the column default, or null. */
  defaultExpression: string | null
}

/** A captured table. */
export interface CatalogTable {
  oid: number
  schema: string
  name: string
  columns: CatalogColumn[]
  /** Primary key column names in key order (empty without a primary key). */
  primaryKey: string[]
  /** pg_class.relreplident: d default, f full, n nothing, i index. */
  replicaIdentity: string
}

const COLUMNS_SQL = `
SELECT a.attnum AS position, a.attname AS name, a.atttypmod AS typmod, a.attnotnull AS notnull,
       pg_get_expr(d.adbin, d.adrelid) AS dflt,
       t.oid AS typoid, t.typname, t.typtype, t.typelem, t.typbasetype, t.typtypmod,
       et.typname AS elemname, et.typtype AS elemtype, et.oid AS elemoid
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

const PRIMARY_KEY_SQL = `
SELECT a.attname AS name
FROM pg_index i
JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1 AND i.indisprimary
ORDER BY k.ord`

const TABLE_SQL = `
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relreplident AS replident
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = $1`

/** The tables a snapshot may read: ordinary and partitioned tables outside the system schemas. */
export const ALL_TABLES_SQL = `
SELECT c.oid, n.nspname AS schema, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY n.nspname, c.relname`

async function enumLabels(client: pg.Client, typeOid: number): Promise<string[]> {
  const r = await client.query('SELECT enumlabel FROM pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder', [typeOid])
  return r.rows.map((row) => String(row.enumlabel))
}

/** Reads one table of the catalog by oid; null when it no longer exists. */
export async function readTable(client: pg.Client, oid: number): Promise<CatalogTable | null> {
  const table = await client.query(TABLE_SQL, [oid])
  const row = table.rows[0]
  if (row === undefined) return null
  const columns: CatalogColumn[] = []
  for (const c of (await client.query(COLUMNS_SQL, [oid])).rows) {
    // The client keeps PostgreSQL's text for every type: numbers and booleans are parsed here.
    const typmod = Number(c.typmod)
    const type: ColumnType = { typeName: c.typname, typeKind: c.typtype, typmod }
    if (c.typtype === 'e') type.enumValues = await enumLabels(client, Number(c.typoid))
    if (c.elemname !== null && c.elemname !== undefined) {
      type.element = { typeName: c.elemname, typeKind: c.elemtype, typmod }
      if (c.elemtype === 'e') type.element.enumValues = await enumLabels(client, Number(c.elemoid))
    }
    columns.push({
      name: c.name,
      position: Number(c.position),
      type,
      notNull: c.notnull === 't' || c.notnull === true,
      defaultExpression: c.dflt ?? null,
    })
  }
  const primaryKey = (await client.query(PRIMARY_KEY_SQL, [oid])).rows.map((r) => String(r.name))
  return {
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    columns,
    primaryKey,
    replicaIdentity: row.replident,
  }
}
