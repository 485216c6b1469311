/**
 * One connection to a SQL database, whatever the driver: queries with positional parameters, transactions, and
 * result sets streamed in chunks (a server-side cursor on PostgreSQL, a streamed result on MySQL) so a large table
 * is never held in memory whole. One owner per connection: a task holds its own and calls it one query at a time.
 */
import { ConfigError, RetriableError } from 'tsconnect'
import type { Dialect } from '../dialect/dialect.ts'
import { mysqlDialect } from '../dialect/mysql.ts'
import { postgresDialect } from '../dialect/postgres.ts'
import { type JdbcUrl, parseJdbcUrl } from '../jdbc-url.ts'

/** A row as the driver gives it: column name to value (numbers, strings, Buffers; see each driver's parsers). */
export type Row = Record<string, unknown>

/** What a result set's column says about itself (for query mode, where no table describes it). */
export interface ResultColumn {
  readonly name: string
  /** The database's type name, lower case (`int4`, `numeric`, `varchar`, `datetime`, ...). */
  readonly typeName: string
  /** Declared scale of a decimal column, when the driver reports it. */
  readonly scale?: number
}

/** The answer to a query. */
export interface QueryResult {
  readonly rows: Row[]
  /** Rows inserted, updated or deleted. */
  readonly affected: number
  readonly columns: readonly ResultColumn[]
}

/** A chunk of a streamed result set. */
export interface ResultChunk {
  readonly rows: Row[]
  readonly columns: readonly ResultColumn[]
}

/** A connection to PostgreSQL or MySQL/MariaDB. */
export interface Database {
  readonly dialect: Dialect
  /** The database the URL names (PostgreSQL's catalog; MySQL's default schema). */
  readonly database: string
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>
  /** Streams a query's rows in chunks of at most `chunkRows`; the connection is busy until the iteration ends. */
  stream(sql: string, params: readonly unknown[], chunkRows: number): AsyncGenerator<ResultChunk, void, undefined>
  close(): Promise<void>
}

/** How to reach the database: the connector's connection.* keys. */
export interface ConnectionSettings {
  readonly url: string
  readonly user: string | null
  readonly password: string | null
  /** The session's time zone (db.timezone / use.time.zone): timestamps without zone are read and written in it. */
  readonly timeZone: string
}

/** Error codes of the drivers and servers that mean "the database went away or is not there yet": retry. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '53300', // too_many_connections
  '40001', // serialization_failure: the same batch may pass when tried again
  '40P01', // deadlock_detected
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
])

/** Whether an error from a driver means the connection (not the statement) failed, so a retry may pass. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof RetriableError) return true
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return true
  const message = error instanceof Error ? error.message : String(error)
  return /Connection terminated|connection is closed|Can't add new command when connection is in closed state|socket hang up|read ECONNRESET|Client has encountered a connection error/i.test(
    message,
  )
}

/** Opens a connection to the database the URL names. */
export async function openDatabase(settings: ConnectionSettings): Promise<Database> {
  const url = parseJdbcUrl(settings.url)
  const user = settings.user ?? url.properties.user ?? null
  const password = settings.password ?? url.properties.password ?? null
  if (url.kind === 'postgresql') {
    const { openPostgres } = await import('./postgres.ts')
    return openPostgres(url, user, password, settings.timeZone, postgresDialect)
  }
  const { openMySql } = await import('./mysql.ts')
  return openMySql(url, user, password, settings.timeZone, mysqlDialect)
}

/** The dialect a URL names, without connecting; ConfigError for a URL we do not speak. */
export function dialectOf(url: string | JdbcUrl): Dialect {
  const parsed = typeof url === 'string' ? parseJdbcUrl(url) : url
  if (parsed.kind === 'postgresql') return postgresDialect
  if (parsed.kind === 'mysql') return mysqlDialect
  throw new ConfigError(`Unsupported database in ${String(url)}`, 'connection.url')
}
