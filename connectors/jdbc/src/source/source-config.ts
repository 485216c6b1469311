/**
 * The JDBC source's keys (Confluent's JdbcSourceConnectorConfig; the Aiven fork keeps the same names), declared
 * once, and their parse into SourceSettings for the connector and its tasks.
 */
import { AbstractConfig, ConfigDef, ConfigError, type Password, Validators } from 'tsconnect'
import type { ConnectionSettings } from '../db/database.ts'
import { parseJdbcUrl } from '../jdbc-url.ts'

/** How a table is read. */
export type SourceMode = 'bulk' | 'incrementing' | 'timestamp' | 'timestamp+incrementing'
/** How NUMERIC/DECIMAL columns become Connect types. */
export type NumericMapping = 'none' | 'precision_only' | 'best_fit' | 'best_fit_eager_double'

/** What the source connector and its tasks need. */
export interface SourceSettings {
  readonly connection: ConnectionSettings
  /** Tries of the connector to reach the database when it lists tables, and the wait between them. */
  readonly connectionAttempts: number
  readonly connectionBackoffMs: number
  readonly mode: SourceMode
  readonly query: string
  readonly querySuffix: string
  readonly incrementingColumn: string
  readonly timestampColumns: readonly string[]
  /** Epoch ms to start timestamp mode at when no offset is stored; null: the epoch; -1: now. */
  readonly timestampInitial: number | null
  readonly timestampDelayMs: number
  readonly validateNonNull: boolean
  readonly topicPrefix: string
  readonly pollIntervalMs: number
  readonly batchMaxRows: number
  readonly tablePollIntervalMs: number
  readonly include: readonly RegExp[]
  readonly exclude: readonly RegExp[]
  /** table.whitelist / table.blacklist: names matched as written (the table alone or qualified). */
  readonly whitelist: readonly string[]
  readonly blacklist: readonly string[]
  readonly tableTypes: readonly string[]
  readonly schemaPattern: string | null
  readonly catalogPattern: string | null
  readonly numericMapping: NumericMapping
  readonly quoteIdentifiers: boolean
}

const GROUP_DATABASE = 'Database'
const GROUP_MODE = 'Mode'
const GROUP_CONNECTOR = 'Connector'

const jdbcUrlValidator = {
  ensureValid(name: string, value: unknown) {
    if (value === null || value === undefined) return
    parseJdbcUrl(String(value), name)
  },
  toString: () => 'jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb:// URL',
}

/** Confluent's io.confluent.connect.jdbc.JdbcSourceConnector keys. */
export const SOURCE_CONFIG = new ConfigDef()
  .define({
    name: 'connection.url',
    type: 'STRING',
    validator: jdbcUrlValidator,
    importance: 'HIGH',
    group: GROUP_DATABASE,
    documentation: 'JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://host:port/db or jdbc:mariadb://.',
  })
  .define({
    name: 'connection.user',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_DATABASE,
    documentation: 'JDBC connection user.',
  })
  .define({
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_DATABASE,
    documentation: 'JDBC connection password.',
  })
  .define({
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: 3,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: GROUP_DATABASE,
    documentation: 'Connection attempts of the connector when it lists tables, before it fails.',
  })
  .define({
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: 10000,
    importance: 'LOW',
    group: GROUP_DATABASE,
    documentation: 'The wait between connection attempts; a task retries a lost database with this wait, without end.',
  })
  .define({
    name: 'table.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation: 'Legacy: the tables to copy, by name (table, or qualified). Use table.include.list.',
  })
  .define({
    name: 'table.blacklist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation: 'Legacy: the tables not to copy, by name. Use table.exclude.list.',
  })
  .define({
    name: 'table.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation:
      'Regular expressions matched against each fully qualified table name; only matching tables are copied.',
  })
  .define({
    name: 'table.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation:
      'Regular expressions matched against each fully qualified table name; matching tables are not copied.',
  })
  .define({
    name: 'catalog.pattern',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation: "The catalog (database) whose tables are listed; null: the connection's.",
  })
  .define({
    name: 'schema.pattern',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: GROUP_DATABASE,
    documentation: 'The schema whose tables are listed (PostgreSQL); null: every schema but the system ones.',
  })
  .define({
    name: 'numeric.mapping',
    type: 'STRING',
    defaultValue: null,
    validator: {
      ensureValid(name, value) {
        if (value === null || value === undefined) return
        Validators.inIgnoringCase('none', 'precision_only', 'best_fit', 'best_fit_eager_double').ensureValid(
          name,
          value,
        )
      },
      toString: () => '[none, precision_only, best_fit, best_fit_eager_double]',
    },
    importance: 'LOW',
    group: GROUP_DATABASE,
    documentation:
      'NUMERIC/DECIMAL columns: none (Decimal); precision_only (integers for scale 0 up to 18 digits); best_fit ' +
      '(also FLOAT64 when scale > 0 up to 18 digits); best_fit_eager_double (FLOAT64 whenever scale > 0).',
  })
  .define({
    name: 'numeric.precision.mapping',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: GROUP_DATABASE,
    documentation: 'Deprecated: true is numeric.mapping=precision_only.',
  })
  .define({
    name: 'dialect.name',
    type: 'STRING',
    defaultValue: '',
    validator: Validators.in('', 'PostgreSqlDatabaseDialect', 'MySqlDatabaseDialect'),
    importance: 'LOW',
    group: GROUP_DATABASE,
    documentation: 'The dialect; empty: from the URL.',
  })
  .define({
    name: 'mode',
    type: 'STRING',
    defaultValue: '',
    validator: Validators.in('', 'bulk', 'timestamp', 'incrementing', 'timestamp+incrementing'),
    importance: 'HIGH',
    group: GROUP_MODE,
    documentation:
      'bulk: the whole table each poll; incrementing: rows with a larger incrementing column; timestamp: rows with a ' +
      'newer timestamp; timestamp+incrementing: both, for rows changed in the same instant. Required.',
  })
  .define({
    name: 'incrementing.column.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_MODE,
    documentation: "The strictly increasing column; empty: the table's auto-increment (serial, identity) column.",
  })
  .define({
    name: 'timestamp.column.name',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_MODE,
    documentation: 'The timestamp column(s); several are COALESCEd in order.',
  })
  .define({
    name: 'timestamp.initial',
    type: 'LONG',
    defaultValue: null,
    importance: 'LOW',
    group: GROUP_MODE,
    documentation: 'Epoch ms to start timestamp mode at when no offset is stored; -1: now; null: the epoch.',
  })
  .define({
    name: 'validate.non.null',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: GROUP_MODE,
    documentation: 'Whether the incrementing and timestamp columns must be NOT NULL.',
  })
  .define({
    name: 'query',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_MODE,
    documentation: "A query to run instead of copying tables; the mode's WHERE clause is appended to it.",
  })
  .define({
    name: 'query.suffix',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: GROUP_MODE,
    documentation: 'Text appended to every query.',
  })
  .define({
    name: 'quote.sql.identifiers',
    type: 'STRING',
    defaultValue: 'always',
    validator: Validators.inIgnoringCase('always', 'never'),
    importance: 'MEDIUM',
    group: GROUP_MODE,
    documentation: 'Whether table and column names are quoted in queries.',
  })
  .define({
    name: 'table.types',
    type: 'LIST',
    defaultValue: 'TABLE',
    importance: 'LOW',
    group: GROUP_CONNECTOR,
    documentation: 'The table types to copy: TABLE, VIEW.',
  })
  .define({
    name: 'poll.interval.ms',
    type: 'INT',
    defaultValue: 5000,
    validator: Validators.atLeast(0),
    importance: 'HIGH',
    group: GROUP_CONNECTOR,
    documentation: 'How often each table is queried for new data.',
  })
  .define({
    name: 'batch.max.rows',
    type: 'INT',
    defaultValue: 100,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: GROUP_CONNECTOR,
    documentation: 'Rows per poll; also the cursor fetch size, so no more are held in memory at once.',
  })
  .define({
    name: 'table.poll.interval.ms',
    type: 'LONG',
    defaultValue: 60000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: GROUP_CONNECTOR,
    documentation: 'How often the connector lists the tables; new and dropped tables reconfigure the tasks.',
  })
  .define({
    name: 'topic.prefix',
    type: 'STRING',
    importance: 'HIGH',
    group: GROUP_CONNECTOR,
    documentation: 'Each table is written to topic.prefix + its name; in query mode, to topic.prefix.',
  })
  .define({
    name: 'timestamp.delay.interval.ms',
    type: 'LONG',
    defaultValue: 0,
    validator: Validators.atLeast(0),
    importance: 'HIGH',
    group: GROUP_CONNECTOR,
    documentation: "How old a row's timestamp must be before it is copied: room for transactions still open.",
  })
  .define({
    name: 'db.timezone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: GROUP_CONNECTOR,
    documentation: 'The time zone of timestamp columns without zone.',
  })

function list(c: AbstractConfig, key: string): string[] {
  return (c.getList(key) ?? []).map((s) => s.trim()).filter((s) => s !== '')
}

function regexes(values: readonly string[], key: string): RegExp[] {
  return values.map((v) => {
    try {
      return new RegExp(`^(?:${v})$`)
    } catch (error) {
      throw new ConfigError(`Invalid value ${v} for configuration ${key}: ${(error as Error).message}`, key)
    }
  })
}

/** Parses the source config, with the cross-key checks Confluent's validation makes (ConfigError naming the key). */
export function sourceSettings(props: Readonly<Record<string, string>>): SourceSettings {
  const c = new AbstractConfig(SOURCE_CONFIG, props)
  const mode = c.getString('mode') ?? ''
  if (mode === '') throw new ConfigError('Missing required configuration "mode" which has no default value.', 'mode')
  const incrementingColumn = c.getString('incrementing.column.name') ?? ''
  const timestampColumns = list(c, 'timestamp.column.name')
  if (mode.startsWith('timestamp') && timestampColumns.length === 0) {
    throw new ConfigError(`Mode ${mode} needs timestamp.column.name`, 'timestamp.column.name')
  }
  const whitelist = list(c, 'table.whitelist')
  const blacklist = list(c, 'table.blacklist')
  const include = list(c, 'table.include.list')
  const exclude = list(c, 'table.exclude.list')
  if (whitelist.length > 0 && blacklist.length > 0) {
    throw new ConfigError('table.whitelist and table.blacklist cannot both be set', 'table.blacklist')
  }
  if ((whitelist.length > 0 || blacklist.length > 0) && (include.length > 0 || exclude.length > 0)) {
    throw new ConfigError(
      'The legacy table.whitelist/blacklist cannot be mixed with table.include/exclude.list',
      'table.include.list',
    )
  }
  const query = c.getString('query') ?? ''
  if (query !== '' && (whitelist.length > 0 || include.length > 0)) {
    throw new ConfigError('query cannot be combined with a table list', 'query')
  }
  const password: Password | null = c.getPassword('connection.password')
  const mapping = (
    c.getString('numeric.mapping') ?? (c.getBoolean('numeric.precision.mapping') ? 'precision_only' : 'none')
  ).toLowerCase()
  return {
    connection: {
      url: c.getString('connection.url') ?? '',
      user: c.getString('connection.user'),
      password: password === null ? null : password.value(),
      timeZone: c.getString('db.timezone') ?? 'UTC',
    },
    connectionAttempts: c.getInt('connection.attempts') ?? 3,
    connectionBackoffMs: c.getLong('connection.backoff.ms') ?? 10000,
    mode: mode as SourceMode,
    query,
    querySuffix: c.getString('query.suffix') ?? '',
    incrementingColumn,
    timestampColumns,
    timestampInitial: c.getLong('timestamp.initial'),
    timestampDelayMs: c.getLong('timestamp.delay.interval.ms') ?? 0,
    validateNonNull: c.getBoolean('validate.non.null') ?? true,
    topicPrefix: c.getString('topic.prefix') ?? '',
    pollIntervalMs: c.getInt('poll.interval.ms') ?? 5000,
    batchMaxRows: c.getInt('batch.max.rows') ?? 100,
    tablePollIntervalMs: c.getLong('table.poll.interval.ms') ?? 60000,
    include: regexes(include, 'table.include.list'),
    exclude: regexes(exclude, 'table.exclude.list'),
    whitelist,
    blacklist,
    tableTypes: list(c, 'table.types').map((t) => t.toUpperCase()),
    schemaPattern: c.getString('schema.pattern'),
    catalogPattern: c.getString('catalog.pattern'),
    numericMapping: mapping as NumericMapping,
    quoteIdentifiers: (c.getString('quote.sql.identifiers') ?? 'always').toLowerCase() !== 'never',
  }
}
