/**
 * JDBC connection URLs, as the PostgreSQL JDBC driver (pgjdbc) and MySQL Connector/J or MariaDB Connector/J read
 * them, turned into what the Node drivers (`pg`, `mysql2`) take: host, port, database and the URL's properties.
 *
 *   jdbc:postgresql://host[:port][,host[:port]...]/database[?key=value&...]
 *   jdbc:postgresql:database  |  jdbc:postgresql:/            (localhost:5432)
 *   jdbc:mysql://host[:port][,...]/[database][?key=value&...]  (also jdbc:mariadb://; port 3306)
 *
 * Only the first host is used: the drivers' fail-over lists have no counterpart in `pg` or `mysql2`.
 */
import { ConfigError } from 'tsconnect'

/** The database product a URL names: the dialect to speak. */
export type DatabaseKind = 'postgresql' | 'mysql'

/** A parsed JDBC URL. */
export interface JdbcUrl {
  readonly kind: DatabaseKind
  /** The URL's subprotocol as written (`postgresql`, `mysql`, `mariadb`). */
  readonly subprotocol: string
  readonly host: string
  readonly port: number
  /** The database (PostgreSQL) or default schema (MySQL); '' when the URL names none. */
  readonly database: string
  /** The query-string properties (user, password, ssl, currentSchema, ...), decoded. */
  readonly properties: Readonly<Record<string, string>>
}

const DEFAULT_PORTS: Record<DatabaseKind, number> = { postgresql: 5432, mysql: 3306 }
const SUBPROTOCOLS: Record<string, DatabaseKind> = { postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql' }

function fail(url: string, reason: string, key: string): never {
  // The password may be in the URL: name the URL without its query string.
  throw new ConfigError(`Invalid value ${url.split('?')[0]} for configuration ${key}: ${reason}`, key)
}

function parseProperties(query: string): Record<string, string> {
  const properties: Record<string, string> = {}
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq))
    properties[name] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1))
  }
  return properties
}

/** Parses a JDBC URL; throws ConfigError naming `key` (default `connection.url`) when it is not one we speak. */
export function parseJdbcUrl(url: string, key = 'connection.url'): JdbcUrl {
  const m = /^jdbc:([a-z0-9]+):(.*)$/i.exec(url.trim())
  if (m === null) fail(url, 'not a JDBC URL (jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://)', key)
  const subprotocol = (m[1] as string).toLowerCase()
  const kind = SUBPROTOCOLS[subprotocol]
  if (kind === undefined) fail(url, `the ${subprotocol} database is not supported (PostgreSQL, MySQL, MariaDB)`, key)
  let rest = m[2] as string
  const q = rest.indexOf('?')
  const properties = q < 0 ? {} : parseProperties(rest.slice(q + 1))
  if (q >= 0) rest = rest.slice(0, q)
  if (!rest.startsWith('//')) {
    // pgjdbc's short forms: jdbc:postgresql:database and jdbc:postgresql:/
    if (kind !== 'postgresql') fail(url, 'expected //host[:port]/database after the subprotocol', key)
    return {
      kind,
      subprotocol,
      host: 'localhost',
      port: DEFAULT_PORTS[kind],
      database: rest.replace(/^\//, ''),
      properties,
    }
  }
  rest = rest.slice(2)
  const slash = rest.indexOf('/')
  const authority = slash < 0 ? rest : rest.slice(0, slash)
  const database = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1))
  const first = (authority.split(',')[0] as string).replace(/^.*@/, '')
  let host = first
  let port = DEFAULT_PORTS[kind]
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(first)
  if (bracketed !== null) {
    host = bracketed[1] as string
    if (bracketed[2] !== undefined) port = Number(bracketed[2])
  } else {
    const colon = first.lastIndexOf(':')
    if (colon >= 0) {
      host = first.slice(0, colon)
      const portText = first.slice(colon + 1)
      if (!/^\d+$/.test(portText)) fail(url, `invalid port ${JSON.stringify(portText)}`, key)
      port = Number(portText)
    }
  }
  if (host === '') host = 'localhost'
  if (port < 1 || port > 65535) fail(url, `port ${port} out of range`, key)
  if (kind === 'postgresql' && database === '') fail(url, 'the URL names no database', key)
  return { kind, subprotocol, host, port, database, properties }
}
