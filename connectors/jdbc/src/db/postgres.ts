/**
 * A PostgreSQL connection through `pg`. Values come back as text where JavaScript would lose something (int8,
 * numeric, dates, times and timestamps, json), so the connectors convert them by the column's Connect schema; the
 * session runs in UTC, and the binder sends timestamps with their offset. Large result sets go through a
 * server-side cursor (DECLARE ... CURSOR, FETCH n) inside a transaction of their own.
 */
import pg from 'pg'
import type { Dialect } from '../dialect/dialect.ts'
import type { JdbcUrl } from '../jdbc-url.ts'
import type { Database, QueryResult, ResultChunk, ResultColumn, Row } from './database.ts'

/** Type OIDs read as text (see the file comment). */
const AS_TEXT = new Set([20, 114, 1700, 1082, 1083, 1114, 1184, 1266, 3802])

const TYPE_NAMES: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  26: 'oid',
  114: 'json',
  700: 'float4',
  701: 'float8',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1266: 'timetz',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (AS_TEXT.has(oid)) return (value: string) => value
    return pg.types.getTypeParser(oid, format ?? 'text')
  },
}

function columnsOf(fields: readonly pg.FieldDef[] | undefined): ResultColumn[] {
  return (fields ?? []).map((f) => {
    const typeName = TYPE_NAMES[f.dataTypeID] ?? 'text'
    // numeric's typmod holds ((precision << 16) | scale) + 4; -1 when unconstrained.
    const scale = typeName === 'numeric' && f.dataTypeModifier >= 4 ? (f.dataTypeModifier - 4) & 0xffff : undefined
    return scale === undefined ? { name: f.name, typeName } : { name: f.name, typeName, scale }
  })
}

function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return client.escapeLiteral(String(value))
}

let cursors = 0

/** Opens a PostgreSQL connection (a ConnectError-free driver error when the server is not there). */
export async function openPostgres(
  url: JdbcUrl,
  user: string | null,
  password: string | null,
  timeZone: string,
  dialect: Dialect,
): Promise<Database> {
  const ssl =
    url.properties.ssl === 'true' || ['require', 'verify-ca', 'verify-full'].includes(url.properties.sslmode ?? '')
  const client = new pg.Client({
    host: url.host,
    port: url.port,
    database: url.database,
    ...(user === null ? {} : { user }),
    ...(password === null ? {} : { password }),
    ...(ssl ? { ssl: { rejectUnauthorized: url.properties.sslmode === 'verify-full' } } : {}),
    connectionTimeoutMillis: 30_000,
    types,
  })
  // An idle connection that the server closes emits 'error'; the next query fails and the caller reconnects.
  client.on('error', () => {})
  await client.connect()
  await client.query(`SET TIME ZONE ${client.escapeLiteral(timeZone)}`)
  if (url.properties.currentSchema)
    await client.query(`SET search_path TO ${client.escapeIdentifier(url.properties.currentSchema)}`)
  let inTransaction = false
  const db: Database = {
    dialect,
    database: url.database,
    async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
      const r = await client.query({ text: sql, values: params as unknown[] })
      return { rows: r.rows as Row[], affected: r.rowCount ?? 0, columns: columnsOf(r.fields) }
    },
    async transaction<T>(work: () => Promise<T>): Promise<T> {
      await client.query('BEGIN')
      inTransaction = true
      try {
        const result = await work()
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        inTransaction = false
      }
    },
    async *stream(sql: string, params: readonly unknown[], chunkRows: number): AsyncGenerator<ResultChunk> {
      // DECLARE takes no bind parameters: the offsets (numbers, timestamps) go in as escaped literals.
      let n = 0
      const text = sql.replace(/\$(\d+)/g, (_m, i: string) => literal(client, params[Number(i) - 1])).trim()
      n = ++cursors
      const name = `tsconnect_cursor_${n}`
      const own = !inTransaction
      if (own) await client.query('BEGIN')
      try {
        await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`)
        for (;;) {
          const r = await client.query(`FETCH ${chunkRows} FROM ${name}`)
          if (r.rows.length > 0) yield { rows: r.rows as Row[], columns: columnsOf(r.fields) }
          if (r.rows.length < chunkRows) break
        }
        await client.query(`CLOSE ${name}`)
      } finally {
        if (own) await client.query('COMMIT').catch(() => {})
      }
    },
    async close() {
      await client.end().catch(() => {})
    },
  }
  return db
}
