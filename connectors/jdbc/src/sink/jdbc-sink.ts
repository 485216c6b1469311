/**
 * The JDBC sink under Confluent's and Debezium's class names: one task, two config vocabularies.
 *
 * Delivery: at-least-once, and effectively once with insert.mode=upsert and a key. Each put() is written in one
 * transaction before put() returns, so the worker commits offsets only for rows the database has committed; a
 * redelivery after a crash writes the same rows again, which an upsert leaves as they were.
 *
 * Errors (Java's JdbcSinkTask and Debezium's JdbcChangeEventSink):
 *   - the database went away (connection refused or lost): the connection is dropped, the worker waits (backoff
 *     doubling from retry.backoff.ms to a minute) and gives the same batch again, without end; the task recovers
 *     when the database returns.
 *   - the database refused a statement (constraint, type): retried max.retries times; then, with an errant record
 *     reporter (errors.tolerance=all with a DLQ or errors.log.enable), each record is written alone and the ones the
 *     database refuses are reported with its message; without one the task fails with that message.
 *   - a record the sink cannot map (no schema, no key for record_key) goes to the reporter, or fails the task.
 */
import {
  type ConfigDef,
  type ConfigValue,
  ConnectError,
  DataError,
  RetriableError,
  SinkConnector,
  type SinkRecord,
  SinkTask,
} from 'tsconnect'
import { type Database, dialectOf, isTransientDatabaseError, openDatabase } from '../db/database.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { parseJdbcUrl } from '../jdbc-url.ts'
import { VERSION } from '../version.ts'
import { operationOf, type SinkOperation } from './record-rows.ts'
import {
  CONFLUENT_SINK_CONFIG,
  confluentSinkSettings,
  DEBEZIUM_SINK_CONFIG,
  debeziumSinkSettings,
  type SinkSettings,
  validateSink,
} from './sink-config.ts'
import { TableManager } from './table-manager.ts'
import { SinkWriter } from './writer.ts'

const MAX_BACKOFF_MS = 60_000

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The task, whichever vocabulary its config is in. */
abstract class JdbcSinkTaskBase extends SinkTask {
  #settings!: SinkSettings
  #dialect!: Dialect
  #tables!: TableManager
  #writer!: SinkWriter
  #db: Database | null = null
  /** The database the URL names: the catalog of tables named without one. */
  #database = ''
  /** Failed tries of the current batch: a database away (without end) or refusing it (max.retries). */
  #attempts = 0

  protected abstract settingsOf(props: Readonly<Record<string, string>>): SinkSettings

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#settings = this.settingsOf(props)
    const url = parseJdbcUrl(this.#settings.connection.url)
    this.#dialect = dialectOf(url)
    this.#database = url.database
    this.#tables = new TableManager(this.#settings, this.#dialect)
    this.#writer = new SinkWriter(this.#settings, this.#dialect, this.#tables)
    // The connection opens with the first put(): a database that is not there yet is retried there.
  }

  async #connection(): Promise<Database> {
    this.#db ??= await openDatabase(this.#settings.connection)
    return this.#db
  }

  async #drop(): Promise<void> {
    const db = this.#db
    this.#db = null
    this.#tables.forget()
    await db?.close()
  }

  #backoff(): number {
    return Math.min(MAX_BACKOFF_MS, this.#settings.retryBackoffMs * 2 ** Math.min(16, this.#attempts - 1))
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return
    const ops: SinkOperation[] = []
    for (const record of records) {
      try {
        ops.push(operationOf(this.#settings, record, this.#dialect, this.#database))
      } catch (error) {
        if (!(error instanceof DataError)) throw error
        await this.#reportOrFail(record, error)
      }
    }
    try {
      await this.#writeAll(ops)
      this.#attempts = 0
    } catch (error) {
      await this.#failed(error, ops)
    }
  }

  async #writeAll(ops: readonly SinkOperation[]): Promise<void> {
    const db = await this.#connection()
    await this.#writer.prepare(db, ops)
    await this.#writer.write(db, ops)
  }

  async #reportOrFail(record: SinkRecord, error: Error): Promise<void> {
    const reporter = this.context.errantRecordReporter()
    if (reporter === null) throw error
    await reporter.report(record, error)
  }

  async #failed(error: unknown, ops: readonly SinkOperation[]): Promise<void> {
    this.#attempts++
    if (isTransientDatabaseError(error)) {
      await this.#drop()
      const backoff = this.#backoff()
      this.context.timeout(backoff)
      throw new RetriableError(
        `The database cannot be reached (${messageOf(error)}); retry ${this.#attempts} in ${backoff} ms`,
        { cause: error },
      )
    }
    // Someone may have changed a table: read the catalog afresh next time.
    this.#tables.forget()
    if (this.#attempts <= this.#settings.maxRetries) {
      const backoff = this.#backoff()
      this.context.timeout(backoff)
      throw new RetriableError(
        `Write failed (${messageOf(error)}); retry ${this.#attempts} of ${this.#settings.maxRetries} in ${backoff} ms`,
        { cause: error },
      )
    }
    this.#attempts = 0
    if (this.context.errantRecordReporter() === null || ops.length === 0) {
      throw new ConnectError(
        'UNKNOWN',
        `Exceeded ${this.#settings.maxRetries} retries writing to the database: ${messageOf(error)}`,
        {
          cause: error,
        },
      )
    }
    // Each record alone: the ones the database refuses go to the reporter, with the database's message.
    for (const op of ops) {
      try {
        await this.#writeAll([op])
      } catch (one) {
        if (isTransientDatabaseError(one)) return this.#failed(one, ops)
        this.#tables.forget()
        await this.#reportOrFail(op.record, one instanceof Error ? one : new Error(String(one)))
      }
    }
  }

  async stop(): Promise<void> {
    await this.#drop()
  }
}

/** The task of the Confluent-named sink. */
export class ConfluentJdbcSinkTask extends JdbcSinkTaskBase {
  protected settingsOf(props: Readonly<Record<string, string>>): SinkSettings {
    return confluentSinkSettings(props)
  }
}

/** The task of the Debezium-named sink: reads Debezium change events natively. */
export class DebeziumJdbcSinkTask extends JdbcSinkTaskBase {
  protected settingsOf(props: Readonly<Record<string, string>>): SinkSettings {
    return debeziumSinkSettings(props)
  }
}

abstract class JdbcSinkConnectorBase extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}
  protected abstract parse(props: Readonly<Record<string, string>>): SinkSettings

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.parse(props)
    this.#props = props
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  override async validate(props: Readonly<Record<string, string>>): Promise<ConfigValue[]> {
    return validateSink(this.config().validate(props), props, (p) => this.parse(p))
  }

  stop(): void {}
}

/** io.confluent.connect.jdbc.JdbcSinkConnector: Confluent's keys. */
export class ConfluentJdbcSinkConnector extends JdbcSinkConnectorBase {
  protected parse(props: Readonly<Record<string, string>>): SinkSettings {
    return confluentSinkSettings(props)
  }
  config(): ConfigDef {
    return CONFLUENT_SINK_CONFIG
  }
  taskClass() {
    return ConfluentJdbcSinkTask
  }
}

/** io.debezium.connector.jdbc.JdbcSinkConnector: Debezium's keys, Debezium envelopes read natively. */
export class DebeziumJdbcSinkConnector extends JdbcSinkConnectorBase {
  protected parse(props: Readonly<Record<string, string>>): SinkSettings {
    return debeziumSinkSettings(props)
  }
  config(): ConfigDef {
    return DEBEZIUM_SINK_CONFIG
  }
  taskClass() {
    return DebeziumJdbcSinkTask
  }
}
