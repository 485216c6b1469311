/**
 * The sink's two config vocabularies, declared once each: Confluent's JdbcSinkConfig keys and Debezium's
 * JdbcSinkConnectorConfig keys. Both parse into one SinkSettings, which the task and the writer read; nothing
 * else looks at the raw keys.
 */
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${topic} and ${source.table} are the connectors' own placeholders. */
import { AbstractConfig, ConfigDef, ConfigError, type ConfigValue, type Password, Validators } from 'tsconnect'
import type { ConnectionSettings } from '../db/database.ts'
import type { TypeFlavour } from '../dialect/dialect.ts'
import { parseJdbcUrl } from '../jdbc-url.ts'

/** How records become statements. */
export type InsertMode = 'insert' | 'upsert' | 'update'
/** Where the primary key comes from. */
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value'

/** What the sink task needs, whichever vocabulary the user wrote. */
export interface SinkSettings {
  readonly flavour: TypeFlavour
  readonly connection: ConnectionSettings
  readonly insertMode: InsertMode
  readonly pkMode: PkMode
  readonly pkFields: readonly string[]
  readonly deleteEnabled: boolean
  /** Debezium: truncate events empty the table. */
  readonly truncateEnabled: boolean
  readonly autoCreate: boolean
  readonly autoEvolve: boolean
  /** `${topic}` (both), `${source.db}`, `${source.schema}`, `${source.table}` (Debezium). */
  readonly tableNameFormat: string
  readonly quoteIdentifiers: boolean
  /** Rows per statement. */
  readonly batchSize: number
  /** Retries of a failed write before the task fails; -1: without end (a database that went away). */
  readonly maxRetries: number
  readonly retryBackoffMs: number
  /** Value fields to write (empty: all). */
  readonly fieldsInclude: readonly string[]
  readonly fieldsExclude: readonly string[]
}

const GROUP_CONNECTION = 'Connection'
const GROUP_WRITES = 'Writes'
const GROUP_DATA = 'Data Mapping'
const GROUP_DDL = 'DDL Support'
const GROUP_RETRIES = 'Retries'

const INSERT_MODES = ['insert', 'upsert', 'update']
const PK_MODES = ['none', 'kafka', 'record_key', 'record_value']

/** A validator that parses the JDBC URL, so a bad one is named at validation. */
const jdbcUrlValidator = {
  ensureValid(name: string, value: unknown) {
    if (value === null || value === undefined) return
    parseJdbcUrl(String(value), name)
  },
  toString: () => 'jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb:// URL',
}

/** Confluent's io.confluent.connect.jdbc.JdbcSinkConnector keys (JdbcSinkConfig). */
export const CONFLUENT_SINK_CONFIG = new ConfigDef()
  .define({
    name: 'connection.url',
    type: 'STRING',
    validator: jdbcUrlValidator,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://host:port/db or jdbc:mariadb://.',
  })
  .define({
    name: 'connection.user',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'JDBC connection user.',
  })
  .define({
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'JDBC connection password.',
  })
  .define({
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: 3,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility; a database that cannot be reached is retried as max.retries says.',
  })
  .define({
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: 10000,
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility; retries wait retry.backoff.ms.',
  })
  .define({
    name: 'dialect.name',
    type: 'STRING',
    defaultValue: '',
    validator: Validators.in('', 'PostgreSqlDatabaseDialect', 'MySqlDatabaseDialect'),
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'The dialect; empty: from the URL.',
  })
  .define({
    name: 'insert.mode',
    type: 'STRING',
    defaultValue: 'insert',
    validator: Validators.inIgnoringCase(...INSERT_MODES),
    importance: 'HIGH',
    group: GROUP_WRITES,
    documentation:
      'insert: INSERT only; upsert: INSERT ... ON CONFLICT DO UPDATE (PostgreSQL) or ON DUPLICATE KEY UPDATE ' +
      '(MySQL), idempotent with a key; update: UPDATE ... WHERE key.',
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: GROUP_WRITES,
    documentation: 'Rows per statement; all the rows of one put() are written in one transaction.',
  })
  .define({
    name: 'delete.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_WRITES,
    documentation: 'Whether a tombstone (null value) deletes the row with its key; needs pk.mode=record_key.',
  })
  .define({
    name: 'table.name.format',
    type: 'STRING',
    defaultValue: '${topic}',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'The table of a record; ${topic} is its topic. Dots separate database, schema and table.',
  })
  .define({
    name: 'table.types',
    type: 'LIST',
    defaultValue: 'TABLE',
    importance: 'LOW',
    group: GROUP_DATA,
    documentation: 'Accepted for compatibility (tables only).',
  })
  .define({
    name: 'pk.mode',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.inIgnoringCase(...PK_MODES),
    importance: 'HIGH',
    group: GROUP_DATA,
    documentation:
      'none; kafka (__connect_topic, __connect_partition, __connect_offset); record_key (the key, a primitive or ' +
      'struct); record_value (fields of the value).',
  })
  .define({
    name: 'pk.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation:
      'Key columns: for kafka three names; for a primitive key one name (default __connect_key); for a struct key or ' +
      'record_value, the fields (default all).',
  })
  .define({
    name: 'fields.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'Value fields to write (empty: all).',
  })
  .define({
    name: 'db.timezone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'The time zone of timestamp columns without zone, and the session time zone.',
  })
  .define({
    name: 'quote.sql.identifiers',
    type: 'STRING',
    defaultValue: 'always',
    validator: Validators.inIgnoringCase('always', 'never'),
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'Whether table and column names are quoted (kept exactly) or not (folded by the database).',
  })
  .define({
    name: 'auto.create',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_DDL,
    documentation: 'Whether a missing table is created (CREATE TABLE) from the record schema.',
  })
  .define({
    name: 'auto.evolve',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_DDL,
    documentation: 'Whether missing columns are added (ALTER TABLE ... ADD); they must be optional or have a default.',
  })
  .define({
    name: 'max.retries',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: GROUP_RETRIES,
    documentation:
      'Retries of a write the database refused before the task fails. A database that went away is retried ' +
      'without end (tsconnect), with backoff.',
  })
  .define({
    name: 'retry.backoff.ms',
    type: 'INT',
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: GROUP_RETRIES,
    documentation: 'The first wait before a retry; later ones double, to at most a minute.',
  })

/** Debezium's io.debezium.connector.jdbc.JdbcSinkConnector keys (JdbcSinkConnectorConfig). */
export const DEBEZIUM_SINK_CONFIG = new ConfigDef()
  .define({
    name: 'connection.url',
    type: 'STRING',
    validator: jdbcUrlValidator,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://host:port/db or jdbc:mariadb://.',
  })
  .define({
    name: 'connection.username',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'The user.',
  })
  .define({
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: GROUP_CONNECTION,
    documentation: 'The password.',
  })
  .define({
    name: 'connection.pool.min_size',
    type: 'INT',
    defaultValue: 5,
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility: each task holds one connection.',
  })
  .define({
    name: 'connection.pool.max_size',
    type: 'INT',
    defaultValue: 32,
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility: each task holds one connection.',
  })
  .define({
    name: 'connection.pool.acquire_increment',
    type: 'INT',
    defaultValue: 32,
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility.',
  })
  .define({
    name: 'connection.pool.timeout',
    type: 'INT',
    defaultValue: 1800,
    importance: 'LOW',
    group: GROUP_CONNECTION,
    documentation: 'Accepted for compatibility.',
  })
  .define({
    name: 'insert.mode',
    type: 'STRING',
    defaultValue: 'insert',
    validator: Validators.inIgnoringCase(...INSERT_MODES),
    importance: 'HIGH',
    group: GROUP_WRITES,
    documentation: 'insert, upsert (idempotent with a key) or update.',
  })
  .define({
    name: 'delete.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_WRITES,
    documentation: "Whether delete events (op 'd') and tombstones delete rows; needs primary.key.mode=record_key.",
  })
  .define({
    name: 'truncate.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_WRITES,
    documentation: "Whether truncate events (op 't') empty the table.",
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 500,
    validator: Validators.atLeast(1),
    importance: 'MEDIUM',
    group: GROUP_WRITES,
    documentation: 'Rows per statement; all the rows of one put() are written in one transaction.',
  })
  .define({
    name: 'use.reduction.buffer',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: GROUP_WRITES,
    documentation: 'Accepted for compatibility: upserts of one key within a batch are always reduced to the last.',
  })
  .define({
    name: 'primary.key.mode',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.inIgnoringCase(...PK_MODES),
    importance: 'HIGH',
    group: GROUP_DATA,
    documentation: 'none, kafka, record_key or record_value.',
  })
  .define({
    name: 'primary.key.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'The key columns (see pk.fields of the Confluent sink).',
  })
  .define({
    name: 'collection.name.format',
    type: 'STRING',
    defaultValue: '${topic}',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation:
      'The table of a record: ${topic}, ${source.db}, ${source.schema}, ${source.table}; dots in the result become ' +
      'underscores, as in Debezium.',
  })
  .define({
    name: 'table.name.format',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: GROUP_DATA,
    documentation: 'The former name of collection.name.format.',
  })
  .define({
    name: 'quote.identifiers',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'Whether table and column names are quoted.',
  })
  .define({
    name: 'field.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'Fields to write, as field or topic:field (empty: all).',
  })
  .define({
    name: 'field.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'Fields not to write, as field or topic:field.',
  })
  .define({
    name: 'use.time.zone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: GROUP_DATA,
    documentation: 'The session time zone.',
  })
  .define({
    name: 'schema.evolution',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.inIgnoringCase('none', 'basic'),
    importance: 'MEDIUM',
    group: GROUP_DDL,
    documentation: 'none; basic: create missing tables and add missing columns.',
  })
  .define({
    name: 'flush.max.retries',
    type: 'INT',
    defaultValue: 5,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: GROUP_RETRIES,
    documentation: 'Retries of a write the database refused. A database that went away is retried without end.',
  })
  .define({
    name: 'flush.retry.delay.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: GROUP_RETRIES,
    documentation: 'The first wait before a retry; later ones double, to at most a minute.',
  })

function passwordOf(config: AbstractConfig, key: string): string | null {
  const p: Password | null = config.getPassword(key)
  return p === null ? null : p.value()
}

function list(config: AbstractConfig, key: string): string[] {
  return (config.getList(key) ?? []).map((s) => s.trim()).filter((s) => s !== '')
}

function checkDelete(pkMode: PkMode, deleteEnabled: boolean, pkKey: string): void {
  if (deleteEnabled && pkMode !== 'record_key') {
    throw new ConfigError(`Deletes are only supported for ${pkKey}=record_key`, 'delete.enabled')
  }
}

/** Parses a Confluent sink config (ConfigError naming the key at fault). */
export function confluentSinkSettings(props: Readonly<Record<string, string>>): SinkSettings {
  const c = new AbstractConfig(CONFLUENT_SINK_CONFIG, props)
  const pkMode = (c.getString('pk.mode') ?? 'none').toLowerCase() as PkMode
  const deleteEnabled = c.getBoolean('delete.enabled') ?? false
  checkDelete(pkMode, deleteEnabled, 'pk.mode')
  return {
    flavour: 'confluent',
    connection: {
      url: c.getString('connection.url') ?? '',
      user: c.getString('connection.user'),
      password: passwordOf(c, 'connection.password'),
      timeZone: c.getString('db.timezone') ?? 'UTC',
    },
    insertMode: (c.getString('insert.mode') ?? 'insert').toLowerCase() as InsertMode,
    pkMode,
    pkFields: list(c, 'pk.fields'),
    deleteEnabled,
    truncateEnabled: false,
    autoCreate: c.getBoolean('auto.create') ?? false,
    autoEvolve: c.getBoolean('auto.evolve') ?? false,
    tableNameFormat: c.getString('table.name.format') ?? '${topic}',
    quoteIdentifiers: (c.getString('quote.sql.identifiers') ?? 'always').toLowerCase() !== 'never',
    batchSize: Math.max(1, c.getInt('batch.size') ?? 3000),
    maxRetries: c.getInt('max.retries') ?? 10,
    retryBackoffMs: c.getInt('retry.backoff.ms') ?? 3000,
    fieldsInclude: list(c, 'fields.whitelist'),
    fieldsExclude: [],
  }
}

/** Parses a Debezium sink config (ConfigError naming the key at fault). */
export function debeziumSinkSettings(props: Readonly<Record<string, string>>): SinkSettings {
  const c = new AbstractConfig(DEBEZIUM_SINK_CONFIG, props)
  const pkMode = (c.getString('primary.key.mode') ?? 'none').toLowerCase() as PkMode
  const deleteEnabled = c.getBoolean('delete.enabled') ?? false
  checkDelete(pkMode, deleteEnabled, 'primary.key.mode')
  const evolve = (c.getString('schema.evolution') ?? 'none').toLowerCase() === 'basic'
  return {
    flavour: 'debezium',
    connection: {
      url: c.getString('connection.url') ?? '',
      user: c.getString('connection.username'),
      password: passwordOf(c, 'connection.password'),
      timeZone: c.getString('use.time.zone') ?? 'UTC',
    },
    insertMode: (c.getString('insert.mode') ?? 'insert').toLowerCase() as InsertMode,
    pkMode,
    pkFields: list(c, 'primary.key.fields'),
    deleteEnabled,
    truncateEnabled: c.getBoolean('truncate.enabled') ?? false,
    autoCreate: evolve,
    autoEvolve: evolve,
    tableNameFormat: c.getString('table.name.format') ?? c.getString('collection.name.format') ?? '${topic}',
    quoteIdentifiers: c.getBoolean('quote.identifiers') ?? false,
    batchSize: c.getInt('batch.size') ?? 500,
    maxRetries: c.getInt('flush.max.retries') ?? 5,
    retryBackoffMs: c.getLong('flush.retry.delay.ms') ?? 1000,
    fieldsInclude: list(c, 'field.include.list'),
    fieldsExclude: list(c, 'field.exclude.list'),
  }
}

/** Adds the cross-key errors (delete.enabled without record_key) to a validate answer, as Java's validate does. */
export function validateSink(
  values: ConfigValue[],
  props: Readonly<Record<string, string>>,
  parse: (p: Readonly<Record<string, string>>) => SinkSettings,
): ConfigValue[] {
  if (values.some((v) => v.errorMessages.length > 0)) return values
  try {
    parse(props)
  } catch (error) {
    if (!(error instanceof ConfigError) || error.key === undefined) throw error
    values.find((v) => v.name === error.key)?.addErrorMessage(error.message)
  }
  return values
}
