/**
 * The JDBC source under Confluent's class name (and the Aiven fork's): the connector lists the tables, shares them
 * among tasks and watches for new and dropped ones (table.poll.interval.ms); each task reads its tables in turn,
 * one open cursor at a time, batch.max.rows rows per poll.
 *
 * Delivery: at-least-once. Each record's offset is its row's position, committed once Kafka has the record, so a
 * restart resumes after the last acknowledged row: in incrementing modes no row is lost or read twice beyond
 * those written after the last commit. Timestamp mode misses rows committed late with older timestamps unless
 * timestamp.delay.interval.ms covers the delay; bulk mode re-reads every table each poll.
 *
 * A database that goes away: the task drops its connection and polls again after connection.backoff.ms, without
 * end; the open query starts again from the last position it handed out.
 */
import {
  type ConfigDef,
  ConfigError,
  type ConfigValue,
  offsetLong,
  RetriableError,
  SourceConnector,
  type SourceRecord,
  SourceTask,
} from 'tsconnect'
import { type Database, isTransientDatabaseError, openDatabase } from '../db/database.ts'
import type { TableId } from '../dialect/dialect.ts'
import { VERSION } from '../version.ts'
import { SOURCE_CONFIG, type SourceSettings, sourceSettings } from './source-config.ts'
import { partitionOf, type TableOffset, TableQuerier } from './table-querier.ts'
import { groupPartitions, listTables } from './tables.ts'

/** The task config key holding the task's tables (JSON), as Confluent's JdbcSourceTaskConfig `tables`. */
export const TABLES_CONFIG = 'tables'

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

function offsetOf(stored: Record<string, unknown> | null): TableOffset {
  if (stored === null) return { incrementing: null, timestamp: null }
  const incrementing =
    stored.incrementing === undefined || stored.incrementing === null
      ? null
      : offsetLong(stored.incrementing, 'incrementing')
  let timestamp: TableOffset['timestamp'] = null
  if (stored.timestamp !== undefined && stored.timestamp !== null) {
    const epochMs = Number(offsetLong(stored.timestamp, 'timestamp'))
    const nanos =
      stored.timestamp_nanos === undefined || stored.timestamp_nanos === null
        ? (((epochMs % 1000) + 1000) % 1000) * 1_000_000
        : Number(stored.timestamp_nanos)
    timestamp = { epochMs, nanos }
  }
  return { incrementing, timestamp }
}

/** A source task: reads its tables (or the query) in turn. */
export class JdbcSourceTask extends SourceTask {
  #settings!: SourceSettings
  #queriers: TableQuerier[] = []
  #db: Database | null = null
  readonly #stopping = new AbortController()

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.#settings = sourceSettings(props)
    const tables: TableId[] = this.#settings.query === '' ? JSON.parse(props[TABLES_CONFIG] ?? '[]') : []
    const reader = this.context.offsetStorageReader()
    const targets: (TableId | null)[] = this.#settings.query === '' ? tables : [null]
    for (const table of targets) {
      let stored = await reader.offset(partitionOf(table))
      // Offsets of connector versions before the protocol key: the table alone.
      if (stored === null && table !== null) stored = await reader.offset({ table: table.table })
      this.#queriers.push(new TableQuerier(this.#settings, table, offsetOf(stored)))
    }
  }

  async #connection(): Promise<Database> {
    this.#db ??= await openDatabase(this.#settings.connection)
    return this.#db
  }

  async poll(): Promise<SourceRecord[] | null> {
    const signal = this.#stopping.signal
    while (!signal.aborted) {
      // The querier with an open query goes on; else the one due first.
      const querier =
        this.#queriers.find((q) => q.active) ?? [...this.#queriers].sort((a, b) => a.nextRunAt - b.nextRunAt)[0]
      if (querier === undefined) {
        await sleep(this.#settings.pollIntervalMs, signal)
        return null
      }
      const wait = querier.nextRunAt - Date.now()
      if (!querier.active && wait > 0) {
        // Back to the worker after each wait: it commits offsets and checks for stops between polls.
        await sleep(Math.min(wait, 1000), signal)
        return null
      }
      try {
        const db = await this.#connection()
        const records = await querier.next(db)
        if (records === null) {
          querier.nextRunAt = Date.now() + this.#settings.pollIntervalMs
          continue
        }
        if (records.length > 0) return records
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error
        await this.#drop()
        await sleep(this.#backoffMs(), signal)
        throw new RetriableError(`The database cannot be reached: ${(error as Error).message}`, { cause: error })
      }
    }
    return null
  }

  #backoffMs(): number {
    return this.#settings.connectionBackoffMs
  }

  async #drop(): Promise<void> {
    const db = this.#db
    this.#db = null
    for (const q of this.#queriers) q.reset()
    await db?.close().catch(() => {})
  }

  async stop(): Promise<void> {
    this.#stopping.abort()
    await this.#drop()
  }
}

/** The connector: lists the tables, shares them among tasks, watches the list. */
export class JdbcSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}
  #settings!: SourceSettings
  #tables: TableId[] = []
  #monitor: AbortController | null = null
  #watching: Promise<void> | null = null

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SOURCE_CONFIG
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.#props = props
    this.#settings = sourceSettings(props)
    if (this.#settings.query !== '') return
    this.#tables = await this.#list()
    this.#monitor = new AbortController()
    this.#watching = this.#watch(this.#monitor.signal)
  }

  /** The tables; a database that does not answer is tried connection.attempts times, connection.backoff.ms apart. */
  async #list(signal?: AbortSignal): Promise<TableId[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const db = await openDatabase(this.#settings.connection)
        try {
          return await listTables(db, this.#settings)
        } finally {
          await db.close()
        }
      } catch (error) {
        if (!isTransientDatabaseError(error) || attempt >= this.#settings.connectionAttempts || signal?.aborted)
          throw error
        await sleep(this.#settings.connectionBackoffMs, signal ?? new AbortController().signal)
      }
    }
  }

  /** Lists the tables every table.poll.interval.ms and asks for new task configs when the list changed. */
  async #watch(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#settings.tablePollIntervalMs, signal)
      if (signal.aborted) return
      try {
        const tables = await this.#list(signal)
        if (JSON.stringify(tables) !== JSON.stringify(this.#tables)) {
          this.#tables = tables
          this.context.requestTaskReconfiguration()
        }
      } catch {
        // The database is away: the list stays as it was until it answers again.
      }
    }
  }

  taskClass() {
    return JdbcSourceTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    if (this.#settings.query !== '') return [{ ...this.#props }]
    return groupPartitions(this.#tables, maxTasks).map((group) => ({
      ...this.#props,
      [TABLES_CONFIG]: JSON.stringify(group),
    }))
  }

  /** Adds the cross-key checks and whether the database answers (named on connection.url) to Java's answer. */
  override async validate(props: Readonly<Record<string, string>>): Promise<ConfigValue[]> {
    const values = SOURCE_CONFIG.validate(props)
    if (values.some((v) => v.errorMessages.length > 0)) return values
    let settings: SourceSettings
    try {
      settings = sourceSettings(props)
    } catch (error) {
      if (!(error instanceof ConfigError) || error.key === undefined) throw error
      values.find((v) => v.name === error.key)?.addErrorMessage(error.message)
      return values
    }
    try {
      const db = await openDatabase(settings.connection)
      try {
        if (settings.query === '' && (settings.whitelist.length > 0 || settings.include.length > 0)) {
          const tables = await listTables(db, settings)
          if (tables.length === 0) {
            const key = settings.whitelist.length > 0 ? 'table.whitelist' : 'table.include.list'
            values.find((v) => v.name === key)?.addErrorMessage('No table of the database matches')
          }
        }
      } finally {
        await db.close()
      }
    } catch (error) {
      values.find((v) => v.name === 'connection.url')?.addErrorMessage(`Cannot connect: ${(error as Error).message}`)
    }
    return values
  }

  async stop(): Promise<void> {
    this.#monitor?.abort()
    await this.#watching
  }
}
