/**
 * Writes the operations of one put() in one transaction: per table, in record order, runs of the same kind and
 * columns become multi-row statements (INSERT, upsert, DELETE ... WHERE key IN) of at most batch.size rows; updates
 * go one statement per row. Within an upsert run a key written twice keeps only its last row: the table ends as
 * if each had been applied in turn (and PostgreSQL refuses one statement touching a row twice).
 */
import { DataError } from 'tsconnect'
import type { Database } from '../db/database.ts'
import { columnList, type Dialect, valuesList } from '../dialect/dialect.ts'
import { bindValue } from './bind-values.ts'
import type { SinkOperation } from './record-rows.ts'
import type { SinkSettings } from './sink-config.ts'
import type { TableManager } from './table-manager.ts'

type RowOperation = Extract<SinkOperation, { kind: 'write' | 'delete' }>
type TableOperation = Exclude<SinkOperation, { kind: 'skip' }>

/** Parameters per statement, below both servers' limits (PostgreSQL: 65535). */
const MAX_PARAMETERS = 30_000

function signature(op: TableOperation): string {
  if (op.kind === 'truncate') return 'truncate'
  return `${op.kind}|${op.columns.map((c) => `${c.name}:${c.schema.type}:${c.schema.name ?? ''}`).join(',')}`
}

function tableKey(op: TableOperation): string {
  return `${op.table.catalog}.${op.table.schema}.${op.table.table}`
}

/** The statements of the sink. */
export class SinkWriter {
  readonly #settings: SinkSettings
  readonly #dialect: Dialect
  readonly #tables: TableManager

  constructor(settings: SinkSettings, dialect: Dialect, tables: TableManager) {
    this.#settings = settings
    this.#dialect = dialect
    this.#tables = tables
  }

  /** Creates or evolves every table the operations need (outside any transaction). */
  async prepare(db: Database, ops: readonly SinkOperation[]): Promise<void> {
    const seen = new Set<string>()
    for (const op of ops) {
      if (op.kind !== 'write') continue
      const key = `${tableKey(op)}|${signature(op)}`
      if (seen.has(key)) continue
      seen.add(key)
      await this.#tables.ensure(db, op.table, op.columns)
    }
  }

  /** Writes the operations in one transaction. */
  async write(db: Database, ops: readonly SinkOperation[]): Promise<void> {
    const byTable = new Map<string, TableOperation[]>()
    for (const op of ops) {
      if (op.kind === 'skip') continue
      const key = tableKey(op)
      const list = byTable.get(key)
      if (list === undefined) byTable.set(key, [op])
      else list.push(op)
    }
    if (byTable.size === 0) return
    await db.transaction(async () => {
      for (const list of byTable.values()) {
        let start = 0
        while (start < list.length) {
          const sig = signature(list[start] as TableOperation)
          let end = start + 1
          while (end < list.length && signature(list[end] as TableOperation) === sig) end++
          await this.#run(db, list.slice(start, end))
          start = end
        }
      }
    })
  }

  async #run(db: Database, run: TableOperation[]): Promise<void> {
    const first = run[0] as TableOperation
    const table = this.#tables.tableSql(first.table)
    if (first.kind === 'truncate') {
      await db.query(`TRUNCATE TABLE ${table}`)
      return
    }
    const ops = run as RowOperation[]
    if (first.kind === 'delete') {
      if (first.keyCount === 0) throw new DataError(`Deletes from ${table} need a primary key (pk.mode=record_key)`)
      await this.#chunked(ops, first.keyCount, (chunk) => this.#delete(db, table, chunk))
      return
    }
    switch (this.#settings.insertMode) {
      case 'insert':
        await this.#chunked(ops, first.columns.length, (chunk) => this.#insert(db, table, chunk, false))
        return
      case 'upsert': {
        if (first.keyCount === 0) {
          throw new DataError(`Write to table ${table} in UPSERT mode requires key field names to be known (pk.mode)`)
        }
        await this.#chunked(this.#lastPerKey(ops), first.columns.length, (chunk) =>
          this.#insert(db, table, chunk, true),
        )
        return
      }
      case 'update':
        if (first.keyCount === 0) {
          throw new DataError(`Write to table ${table} in UPDATE mode requires key field names to be known (pk.mode)`)
        }
        for (const op of ops) await this.#update(db, table, op)
        return
    }
  }

  #bound(op: RowOperation, from = 0, to = op.columns.length): unknown[] {
    const kind = this.#dialect.kind
    const tz = this.#settings.connection.timeZone
    const out: unknown[] = []
    for (let i = from; i < to; i++)
      out.push(bindValue(op.values[i], (op.columns[i] as RowOperation['columns'][number]).schema, kind, tz))
    return out
  }

  #lastPerKey(ops: RowOperation[]): RowOperation[] {
    const last = new Map<string, number>()
    ops.forEach((op, i) => {
      last.set(
        JSON.stringify(this.#bound(op, 0, op.keyCount), (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
        i,
      )
    })
    if (last.size === ops.length) return ops
    const keep = new Set(last.values())
    return ops.filter((_op, i) => keep.has(i))
  }

  async #chunked(ops: RowOperation[], width: number, write: (chunk: RowOperation[]) => Promise<void>): Promise<void> {
    const size = Math.max(1, Math.min(this.#settings.batchSize, Math.floor(MAX_PARAMETERS / Math.max(1, width))))
    for (let i = 0; i < ops.length; i += size) await write(ops.slice(i, i + size))
  }

  #names(op: RowOperation, from = 0, to = op.columns.length): string[] {
    return op.columns.slice(from, to).map((c) => this.#tables.identifier(c.name))
  }

  async #insert(db: Database, table: string, chunk: RowOperation[], upsert: boolean): Promise<void> {
    const first = chunk[0] as RowOperation
    const columns = this.#names(first)
    const values = valuesList(this.#dialect, chunk.length, columns.length)
    const params = chunk.flatMap((op) => this.#bound(op))
    const sql = upsert
      ? this.#dialect.upsert(table, columns, columns.slice(0, first.keyCount), values)
      : `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`
    await db.query(sql, params)
  }

  async #update(db: Database, table: string, op: RowOperation): Promise<void> {
    const keys = this.#names(op, 0, op.keyCount)
    const others = this.#names(op, op.keyCount)
    if (others.length === 0) return
    let n = 1
    const set = others.map((c) => `${c}=${this.#dialect.placeholder(n++)}`).join(',')
    const where = keys.map((c) => `${c}=${this.#dialect.placeholder(n++)}`).join(' AND ')
    await db.query(`UPDATE ${table} SET ${set} WHERE ${where}`, [
      ...this.#bound(op, op.keyCount),
      ...this.#bound(op, 0, op.keyCount),
    ])
  }

  async #delete(db: Database, table: string, chunk: RowOperation[]): Promise<void> {
    const first = chunk[0] as RowOperation
    const keys = this.#names(first, 0, first.keyCount)
    const params = chunk.flatMap((op) => this.#bound(op, 0, op.keyCount))
    const where =
      keys.length === 1
        ? `${keys[0]} IN (${chunk.map((_op, i) => this.#dialect.placeholder(i + 1)).join(',')})`
        : `(${columnList(this.#dialect, keys, false)}) IN (${valuesList(this.#dialect, chunk.length, keys.length)})`
    await db.query(`DELETE FROM ${table} WHERE ${where}`, params)
  }
}
