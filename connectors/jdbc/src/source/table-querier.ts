/**
 * One table (or the query) of a source task, as Confluent's TableQuerier: the query its mode asks for, run from the
 * stored offset, its rows read through a cursor in chunks of batch.max.rows, each row a record whose offset is
 * the row's own position, so a restart resumes after the last row Kafka acknowledged.
 *
 *   bulk                     SELECT * FROM t                                              (offset null)
 *   incrementing             ... WHERE inc > ? ORDER BY inc ASC                           {incrementing}
 *   timestamp                ... WHERE ts > ? AND ts < ? ORDER BY ts ASC                  {timestamp, timestamp_nanos}
 *   timestamp+incrementing   ... WHERE ts < ? AND ((ts = ? AND inc > ?) OR ts > ?)
 *                                ORDER BY ts, inc ASC                                     all three
 *
 * The upper bound `ts < ?` is the database's now minus timestamp.delay.interval.ms, so rows of transactions still
 * open at their timestamp are read on a later poll.
 */
import {
  DataError,
  javaHashMapOrder,
  type OrderedSourceMap,
  type Schema,
  SchemaBuilder,
  SourceRecord,
  Struct,
} from 'tsconnect'
import type { Database, ResultChunk, Row } from '../db/database.ts'
import type { CatalogColumn, TableId } from '../dialect/dialect.ts'
import { parseWallTime, wallTime } from '../time.ts'
import { type ColumnReader, catalogColumns, catalogReaders, readColumn, resultReaders } from './columns.ts'
import type { SourceSettings } from './source-config.ts'

/** The stored position of a table: Confluent's TimestampIncrementingOffset. */
export interface TableOffset {
  incrementing: bigint | null
  /** Epoch ms and the nanoseconds of its second, as java.sql.Timestamp's getTime() and getNanos(). */
  timestamp: { epochMs: number; nanos: number } | null
}

/** The fully qualified name of a table as Confluent's partition holds it (unquoted, dot-separated). */
export function fullName(table: TableId): string {
  return [table.catalog, table.schema, table.table].filter((p): p is string => p !== null).join('.')
}

/** The source partition of a table (protocol 1), or of the query. */
export function partitionOf(table: TableId | null): OrderedSourceMap {
  if (table === null) return javaHashMapOrder([['query', 'query']])
  return javaHashMapOrder([
    ['table', fullName(table)],
    ['protocol', '1'],
  ])
}

/** The offset map of a position, in Java's HashMap(3) order. */
export function offsetMap(offset: TableOffset): OrderedSourceMap {
  const entries: [string, unknown][] = []
  if (offset.incrementing !== null) entries.push(['incrementing', offset.incrementing])
  if (offset.timestamp !== null) {
    entries.push(['timestamp', offset.timestamp.epochMs])
    entries.push(['timestamp_nanos', offset.timestamp.nanos])
  }
  return javaHashMapOrder(entries, 3)
}

function compareTimestamps(a: { epochMs: number; nanos: number }, b: { epochMs: number; nanos: number }): number {
  const sa = Math.floor(a.epochMs / 1000)
  const sb = Math.floor(b.epochMs / 1000)
  return sa !== sb ? sa - sb : a.nanos - b.nanos
}

/** One table's reading state. */
export class TableQuerier {
  readonly table: TableId | null
  readonly topic: string
  readonly partition: OrderedSourceMap
  /** When the next query may start (epoch ms). */
  nextRunAt = 0
  #settings: SourceSettings
  #offset: TableOffset
  #catalog: CatalogColumn[] = []
  #readers: ColumnReader[] | null = null
  #valueSchema: Schema | null = null
  #stream: AsyncGenerator<ResultChunk> | null = null
  #incrementingColumn = ''

  constructor(settings: SourceSettings, table: TableId | null, offset: TableOffset) {
    this.#settings = settings
    this.table = table
    this.topic = table === null ? settings.topicPrefix : settings.topicPrefix + table.table
    this.partition = partitionOf(table)
    this.#offset = offset
  }

  /** Whether a query is open (its rows not all read yet). */
  get active(): boolean {
    return this.#stream !== null
  }

  #id(db: Database, name: string): string {
    return this.#settings.quoteIdentifiers ? db.dialect.quote(name) : name
  }

  async #describe(db: Database): Promise<void> {
    if (this.table === null || this.#catalog.length > 0) return
    const { sql, params } = db.dialect.describeColumns(this.table)
    this.#catalog = catalogColumns((await db.query(sql, params)).rows)
    if (this.#catalog.length === 0) throw new DataError(`Table ${fullName(this.table)} has no columns or is gone`)
    const mode = this.#settings.mode
    if (mode === 'incrementing' || mode === 'timestamp+incrementing') {
      let name = this.#settings.incrementingColumn
      if (name === '') {
        const auto = this.#catalog.filter((c) => c.autoIncrement)
        if (auto.length !== 1) {
          throw new DataError(
            `Cannot find a single auto-increment column of ${fullName(this.table)}: set incrementing.column.name`,
          )
        }
        name = (auto[0] as CatalogColumn).name
      }
      const column = this.#catalog.find((c) => c.name === name)
      if (column === undefined) throw new DataError(`Table ${fullName(this.table)} has no incrementing column ${name}`)
      if (this.#settings.validateNonNull && column.nullable) {
        throw new DataError(
          `Cannot make incremental queries using incrementing column ${name} on ${fullName(this.table)} because this column is nullable.`,
        )
      }
      this.#incrementingColumn = name
    }
    if (mode.startsWith('timestamp') && this.#settings.validateNonNull) {
      for (const ts of this.#settings.timestampColumns) {
        const column = this.#catalog.find((c) => c.name === ts)
        if (column === undefined) throw new DataError(`Table ${fullName(this.table)} has no timestamp column ${ts}`)
        if (column.nullable) {
          throw new DataError(
            `Cannot make incremental queries using timestamp column ${ts} on ${fullName(this.table)} because this column is nullable.`,
          )
        }
      }
    }
    this.#readers = catalogReaders(this.#catalog, this.#settings.numericMapping, this.#settings.connection.timeZone)
    this.#valueSchema = this.#schemaOf(this.#readers)
  }

  #schemaOf(readers: readonly ColumnReader[]) {
    let b = SchemaBuilder.struct()
    if (this.table !== null) b = b.name(this.table.table)
    for (const r of readers) b = b.field(r.name, r.schema)
    return b.build()
  }

  #timestampExpression(db: Database): string {
    const cols = this.#settings.timestampColumns.map((c) => this.#id(db, c))
    return cols.length === 1 ? (cols[0] as string) : `COALESCE(${cols.join(',')})`
  }

  async #statement(db: Database): Promise<{ sql: string; params: unknown[] }> {
    const d = db.dialect
    const base =
      this.table === null
        ? this.#settings.query
        : `SELECT * FROM ${d.tableName(this.table, this.#settings.quoteIdentifiers)}`
    const mode = this.#settings.mode
    const params: unknown[] = []
    const p = (v: unknown) => {
      params.push(v)
      return d.placeholder(params.length)
    }
    const tz = this.#settings.connection.timeZone
    let where = ''
    let order = ''
    if (mode === 'incrementing' || mode === 'timestamp+incrementing') {
      this.#incrementingColumn ||= this.#settings.incrementingColumn
    }
    const inc = this.#incrementingColumn === '' ? '' : this.#id(db, this.#incrementingColumn)
    const incOffset = (this.#offset.incrementing ?? -1n).toString()
    if (mode === 'incrementing') {
      where = `${inc} > ${p(incOffset)}`
      order = `${inc} ASC`
    } else if (mode.startsWith('timestamp')) {
      const ts = this.#timestampExpression(db)
      const from = this.#offset.timestamp ?? this.#initialTimestamp()
      const fromText = wallTime(from.epochMs, tz, Math.floor(from.nanos / 1000) % 1000)
      const nowText = String((await db.query(d.currentTimestampSql)).rows[0]?.now)
      const now = parseWallTime(nowText, 'UTC')
      const endText = wallTime(now.epochMs - this.#settings.timestampDelayMs, tz, Math.floor(now.nanos / 1000) % 1000)
      if (mode === 'timestamp') {
        where = `${ts} > ${p(fromText)} AND ${ts} < ${p(endText)}`
        order = `${ts} ASC`
      } else {
        where = `${ts} < ${p(endText)} AND ((${ts} = ${p(fromText)} AND ${inc} > ${p(incOffset)}) OR ${ts} > ${p(fromText)})`
        order = `${ts},${inc} ASC`
      }
    }
    let sql = base
    if (where !== '') sql += ` WHERE ${where} ORDER BY ${order}`
    if (this.#settings.querySuffix !== '') sql += ` ${this.#settings.querySuffix}`
    return { sql, params }
  }

  #initialTimestamp(): { epochMs: number; nanos: number } {
    const initial = this.#settings.timestampInitial
    const ms = initial === null ? 0 : initial === -1 ? Date.now() : initial
    return { epochMs: ms, nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 }
  }

  /** The next records: starts the query when none is open; null when the query ended (its rows all read). */
  async next(db: Database): Promise<SourceRecord[] | null> {
    if (this.#stream === null) {
      await this.#describe(db)
      const { sql, params } = await this.#statement(db)
      this.#stream = db.stream(sql, params, this.#settings.batchMaxRows)
    }
    const step = await this.#stream.next()
    if (step.done) {
      this.#stream = null
      return null
    }
    return this.#records(step.value)
  }

  /** Abandons the open query (the connection is being dropped). */
  reset(): void {
    this.#stream = null
    this.#catalog = []
    this.#readers = null
  }

  #records(chunk: ResultChunk): SourceRecord[] {
    if (this.#readers === null) {
      this.#readers = resultReaders(chunk.columns, this.#settings.numericMapping, this.#settings.connection.timeZone)
      this.#valueSchema = this.#schemaOf(this.#readers)
    }
    const readers = this.#readers
    const schema = this.#valueSchema as Schema
    const mode = this.#settings.mode
    return chunk.rows.map((row: Row) => {
      const value = new Struct(schema)
      for (const r of readers) value.put(r.name, readColumn(r, row[r.name]))
      let offset: OrderedSourceMap | null = null
      if (mode !== 'bulk') {
        this.#advance(row)
        offset = offsetMap(this.#offset)
      }
      return new SourceRecord({
        sourcePartition: this.partition,
        sourceOffset: offset,
        topic: this.topic,
        valueSchema: schema,
        value,
      })
    })
  }

  #advance(row: Row): void {
    const mode = this.#settings.mode
    if (mode === 'incrementing' || mode === 'timestamp+incrementing') {
      const v = row[this.#incrementingColumn]
      if (v === null || v === undefined) throw new DataError(`Null incrementing column ${this.#incrementingColumn}`)
      this.#offset.incrementing = BigInt(String(v))
    }
    if (mode.startsWith('timestamp')) {
      let text: unknown = null
      for (const c of this.#settings.timestampColumns) {
        text = row[c]
        if (text !== null && text !== undefined) break
      }
      if (text === null || text === undefined) throw new DataError('Null timestamp column')
      const ts = parseWallTime(String(text), this.#settings.connection.timeZone)
      if (this.#offset.timestamp === null || compareTimestamps(ts, this.#offset.timestamp) >= 0)
        this.#offset.timestamp = ts
    }
  }
}
