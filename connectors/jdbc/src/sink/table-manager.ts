/**
 * The sink's knowledge of its target tables (Confluent's DbStructure): which columns each has, read from the
 * catalog once and kept; a missing table created (auto.create, schema.evolution=basic), missing columns added
 * (auto.evolve), or an error naming what is missing. DDL runs outside the write transaction: MySQL commits DDL
 * at once anyway.
 */
import { ConnectError, type Schema } from 'tsconnect'
import type { Database } from '../db/database.ts'
import type { ColumnDefinition, Dialect, TableId } from '../dialect/dialect.ts'
import type { SinkSettings } from './sink-config.ts'

/** The columns a table has, by the name the catalog reports. */
interface KnownTable {
  readonly columns: Set<string>
}

/** Creates and evolves the sink's tables, and remembers what they hold. */
export class TableManager {
  readonly #settings: SinkSettings
  readonly #dialect: Dialect
  readonly #known = new Map<string, KnownTable>()

  constructor(settings: SinkSettings, dialect: Dialect) {
    this.#settings = settings
    this.#dialect = dialect
  }

  /** A name as the database keeps it: PostgreSQL folds unquoted names to lower case; MySQL compares without case. */
  #normal(name: string): string {
    if (this.#dialect.kind === 'mysql' || !this.#settings.quoteIdentifiers) return name.toLowerCase()
    return name
  }

  /** The name as SQL: quoted or not, as quote.sql.identifiers / quote.identifiers say. */
  identifier(name: string): string {
    return this.#settings.quoteIdentifiers ? this.#dialect.quote(name) : name
  }

  /** The table name as SQL. */
  tableSql(table: TableId): string {
    // A table in the connection's own database needs no catalog.
    const own = this.#dialect.kind === 'postgresql' ? { ...table, catalog: null } : table
    return this.#dialect.tableName(own, this.#settings.quoteIdentifiers)
  }

  /** Forgets what was read (after a reconnect or a failed write: someone may have changed the table). */
  forget(): void {
    this.#known.clear()
  }

  async #describe(db: Database, table: TableId): Promise<KnownTable | undefined> {
    const lookup =
      this.#settings.quoteIdentifiers || this.#dialect.kind === 'mysql'
        ? table
        : { ...table, schema: table.schema?.toLowerCase() ?? null, table: table.table.toLowerCase() }
    const { sql, params } = this.#dialect.describeColumns(lookup)
    const { rows } = await db.query(sql, params)
    if (rows.length === 0) return undefined
    return { columns: new Set(rows.map((r) => this.#normal(String(r.name)))) }
  }

  #columnSql(c: ColumnDefinition): string {
    const type = this.#dialect.columnType(c.schema, c.key, this.#settings.flavour)
    const defaultValue = c.key ? null : this.#dialect.defaultLiteral(c.schema, c.schema.defaultValue)
    const nullable = !c.key && c.schema.optional
    return `${this.identifier(c.name)} ${type}${defaultValue === null ? '' : ` DEFAULT ${defaultValue}`}${nullable ? ' NULL' : ' NOT NULL'}`
  }

  /** Makes sure the table exists with these columns (creating or altering as configured). */
  async ensure(db: Database, table: TableId, columns: readonly ColumnDefinition[]): Promise<void> {
    const key = `${table.catalog}.${table.schema}.${table.table}`
    let known = this.#known.get(key) ?? (await this.#describe(db, table))
    if (known === undefined) {
      if (!this.#settings.autoCreate) {
        throw new ConnectError('UNKNOWN', `Table ${this.tableSql(table)} is missing and auto-creation is disabled`)
      }
      const keys = columns.filter((c) => c.key).map((c) => this.identifier(c.name))
      const definitions = columns.map((c) => this.#columnSql(c))
      if (keys.length > 0) definitions.push(`PRIMARY KEY(${keys.join(',')})`)
      await db.query(`CREATE TABLE IF NOT EXISTS ${this.tableSql(table)} (\n${definitions.join(',\n')})`)
      known = await this.#describe(db, table)
      if (known === undefined)
        throw new ConnectError('UNKNOWN', `Table ${this.tableSql(table)} was created but is not there`)
    }
    const missing = columns.filter((c) => !(known as KnownTable).columns.has(this.#normal(c.name)))
    if (missing.length > 0) {
      if (!this.#settings.autoEvolve) {
        throw new ConnectError(
          'UNKNOWN',
          `Table ${this.tableSql(table)} is missing fields (${missing.map((c) => c.name).join(', ')}) and auto-evolution is disabled`,
        )
      }
      for (const c of missing) {
        if (!c.schema.optional && !hasDefault(c.schema)) {
          throw new ConnectError(
            'UNKNOWN',
            `Cannot ALTER TABLE ${this.tableSql(table)} to add missing field ${c.name}, as the field is not optional and does not have a default value`,
          )
        }
      }
      await db.query(
        `ALTER TABLE ${this.tableSql(table)} ${missing.map((c) => `ADD ${this.#columnSql({ ...c, key: false })}`).join(', ')}`,
      )
      known = (await this.#describe(db, table)) ?? known
    }
    this.#known.set(key, known)
  }
}

function hasDefault(schema: Schema): boolean {
  return schema.defaultValue !== null && schema.defaultValue !== undefined
}
