/**
 * A MySQL or MariaDB connection through `mysql2`. Values that JavaScript would lose come back as text (BIGINT and
 * DECIMAL, dates and times), converted by the connectors per the column's Connect schema; the session runs in UTC.
 * Large result sets are streamed: the driver pauses the socket while a chunk waits to be taken.
 */
import mysql from 'mysql2'
import type { Dialect } from '../dialect/dialect.ts'
import type { JdbcUrl } from '../jdbc-url.ts'
import type { Database, QueryResult, ResultChunk, ResultColumn, Row } from './database.ts'

const TYPE_NAMES: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  15: 'varchar',
  16: 'bit',
  245: 'json',
  246: 'decimal',
  252: 'text',
  253: 'varchar',
  254: 'char',
}

/** The binary character set's number: a BLOB or BINARY column rather than a text one. */
const BINARY_CHARSET = 63

function columnsOf(fields: readonly mysql.FieldPacket[] | undefined): ResultColumn[] {
  return (fields ?? []).map((f) => {
    let typeName = TYPE_NAMES[f.columnType ?? 253] ?? 'varchar'
    if (f.characterSet === BINARY_CHARSET && ['text', 'varchar', 'char'].includes(typeName)) typeName = 'blob'
    if (typeName === 'tinyint' && f.columnLength === 1) typeName = 'tinyint(1)'
    return typeName === 'decimal' ? { name: f.name, typeName, scale: f.decimals ?? 0 } : { name: f.name, typeName }
  })
}

/** Opens a MySQL or MariaDB connection. */
export async function openMySql(
  url: JdbcUrl,
  user: string | null,
  password: string | null,
  timeZone: string,
  dialect: Dialect,
): Promise<Database> {
  const connection = mysql.createConnection({
    host: url.host,
    port: url.port,
    ...(url.database === '' ? {} : { database: url.database }),
    ...(user === null ? {} : { user }),
    ...(password === null ? {} : { password }),
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    connectTimeout: 30_000,
  })
  // A connection that the server closes emits 'error'; the next query fails and the caller reconnects.
  connection.on('error', () => {})
  const call = <T>(sql: string, params: readonly unknown[]): Promise<[T, mysql.FieldPacket[] | undefined]> =>
    new Promise((resolve, reject) => {
      connection.query(sql, params as unknown[], (error, result, fields) => {
        if (error) reject(error)
        else resolve([result as T, fields as mysql.FieldPacket[] | undefined])
      })
    })
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())))
  const offset = /^[+-]\d\d:\d\d$/.test(timeZone)
    ? timeZone
    : timeZone === 'UTC' || timeZone === 'Z'
      ? '+00:00'
      : timeZone
  await call('SET time_zone = ?', [offset])
  const db: Database = {
    dialect,
    database: url.database,
    async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
      const [result, fields] = await call<unknown>(sql, params)
      if (Array.isArray(result)) return { rows: result as Row[], affected: 0, columns: columnsOf(fields) }
      return { rows: [], affected: (result as mysql.ResultSetHeader).affectedRows ?? 0, columns: [] }
    },
    async transaction<T>(work: () => Promise<T>): Promise<T> {
      await call('START TRANSACTION', [])
      try {
        const result = await work()
        await call('COMMIT', [])
        return result
      } catch (error) {
        await call('ROLLBACK', []).catch(() => {})
        throw error
      }
    },
    async *stream(sql: string, params: readonly unknown[], chunkRows: number): AsyncGenerator<ResultChunk> {
      const query = connection.query(sql, params as unknown[])
      let columns: ResultColumn[] = []
      query.on('fields', (fields: mysql.FieldPacket[]) => {
        columns = columnsOf(fields)
      })
      const rows = query.stream({ highWaterMark: chunkRows })
      let chunk: Row[] = []
      for await (const row of rows) {
        chunk.push(row as Row)
        if (chunk.length >= chunkRows) {
          yield { rows: chunk, columns }
          chunk = []
        }
      }
      if (chunk.length > 0) yield { rows: chunk, columns }
    },
    async close() {
      await new Promise<void>((resolve) => connection.end(() => resolve()))
      connection.destroy()
    },
  }
  return db
}
