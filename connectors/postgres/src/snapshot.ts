/**
 * The initial snapshot: every captured table read under one consistent snapshot (the slot's exported snapshot when
 * the slot was just created, so the snapshot holds exactly what precedes the slot's first change), through a
 * server-side cursor, `snapshot.fetch.size` rows per round trip, so no table is ever held in memory whole.
 *
 * Records are `op: r`, with Debezium's markers: `first` for the snapshot's first row, `last` for its last,
 * `first_in_data_collection`/`last_in_data_collection` at table edges, `true` elsewhere. One row is held back so
 * that the marker of each row is known when it is given out; the last one gets the completed-snapshot offset.
 */
import type pg from 'pg'
import type { SourceRecord } from 'tsconnect'
import type { Filters } from './filters.ts'
import { snapshotOffset } from './offsets.ts'
import type { ChangeRecords, SnapshotMarker } from './records/change-records.ts'
import { quoteIdent, quoteLiteral } from './replication/connection.ts'
import { ALL_TABLES_SQL, readTable } from './schema/catalog.ts'
import { TableSchema } from './schema/table-schema.ts'
import type { ValueModes } from './schema/values.ts'

interface Row {
  table: TableSchema
  texts: Map<string, string | null>
  firstInTable: boolean
  lastInTable: boolean
  firstTable: boolean
  lastTable: boolean
}

function marker(r: Row): SnapshotMarker {
  if (r.lastInTable && r.lastTable) return 'last'
  if (r.firstInTable && r.firstTable) return 'first'
  if (r.lastInTable) return 'last_in_data_collection'
  if (r.firstInTable) return 'first_in_data_collection'
  return 'true'
}

/** What a snapshot reads and how. */
export interface SnapshotOptions {
  topicPrefix: string
  filters: Filters
  modes: ValueModes
  fetchSize: number
  /** The LSN the snapshot stands at (the new slot's consistent point): source.lsn of its records. */
  lsn: bigint
  /** The slot's exported snapshot, or null to read a fresh REPEATABLE READ snapshot. */
  exportedSnapshot: string | null
}

/** Reads the snapshot batch by batch; next() answers [] once done. */
export class SnapshotReader {
  readonly #client: pg.Client
  readonly #records: ChangeRecords
  readonly #o: SnapshotOptions
  #tables: { oid: number; schema: string; name: string }[] = []
  #tableIndex = -1
  #current: TableSchema | null = null
  #cursorOpen = false
  #rowsInTable = 0
  #held: Row | null = null
  #txId = 0n
  #done = false
  /** Table schemas read during the snapshot, for the stream that follows. */
  readonly schemas = new Map<number, TableSchema>()

  constructor(client: pg.Client, records: ChangeRecords, o: SnapshotOptions) {
    this.#client = client
    this.#records = records
    this.#o = o
  }

  /** Opens the snapshot transaction and lists the captured tables. */
  async begin(): Promise<void> {
    await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
    if (this.#o.exportedSnapshot !== null) {
      await this.#client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(this.#o.exportedSnapshot)}`)
    }
    const tx = await this.#client.query('SELECT txid_current() AS txid')
    this.#txId = BigInt(String(tx.rows[0]?.txid))
    const all = await this.#client.query(ALL_TABLES_SQL)
    this.#tables = all.rows
      .map((r) => ({ oid: Number(r.oid), schema: String(r.schema), name: String(r.name) }))
      .filter((t) => this.#o.filters.includeTable(t.schema, t.name))
      .sort((a, b) => {
        const x = `${a.schema}.${a.name}`
        const y = `${b.schema}.${b.name}`
        return x < y ? -1 : x > y ? 1 : 0
      })
  }

  /** The snapshot transaction's id (source.txId of the snapshot records). */
  get txId(): bigint {
    return this.#txId
  }

  /** Ends the snapshot transaction. */
  async end(): Promise<void> {
    await this.#client.query('COMMIT')
  }

  get done(): boolean {
    return this.#done
  }

  /** The next records (up to one fetch of rows); [] when the snapshot is complete. */
  async next(): Promise<SourceRecord[]> {
    if (this.#done) return []
    const out: SourceRecord[] = []
    while (out.length === 0) {
      const rows = await this.#fetch()
      if (rows === null) {
        if (this.#held !== null) {
          this.#held.lastInTable = true
          out.push(...this.#emit(this.#held, true))
          this.#held = null
        }
        this.#done = true
        return out
      }
      for (const row of rows) {
        if (this.#held !== null) out.push(...this.#emit(this.#held, false))
        this.#held = row
      }
    }
    return out
  }

  #emit(row: Row, last: boolean): SourceRecord[] {
    const tsMicros = BigInt(Date.now()) * 1000n
    return this.#records.change({
      table: row.table,
      op: 'r',
      key: row.table.keyOf(row.texts),
      before: null,
      after: row.table.valueOf(row.texts),
      position: { tsMicros, snapshot: marker(row), lastCommitLsn: null, lsn: this.#o.lsn, txId: this.#txId },
      offset: snapshotOffset({
        tsMicros,
        txId: this.#txId,
        lsn: this.#o.lsn,
        lastSnapshotRecord: last,
        snapshotCompleted: last,
      }),
    })
  }

  /** The next rows of the current table, moving on to the next table as one ends; null after the last table. */
  async #fetch(): Promise<Row[] | null> {
    for (;;) {
      if (!this.#cursorOpen) {
        this.#tableIndex++
        const t = this.#tables[this.#tableIndex]
        if (t === undefined) return null
        const catalog = await readTable(this.#client, t.oid)
        if (catalog === null) continue
        this.#current = new TableSchema(catalog, this.#o.topicPrefix, this.#o.modes, this.#o.filters)
        this.schemas.set(t.oid, this.#current)
        await this.#client.query(
          `DECLARE tsconnect_snapshot NO SCROLL CURSOR FOR SELECT * FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
        )
        this.#cursorOpen = true
        this.#rowsInTable = 0
      }
      const table = this.#current as TableSchema
      const result = await this.#client.query({
        text: `FETCH ${this.#o.fetchSize} FROM tsconnect_snapshot`,
        rowMode: 'array',
      })
      const names = result.fields.map((f) => f.name)
      const lastTable = this.#tableIndex === this.#tables.length - 1
      const rows: Row[] = result.rows.map((values: (string | null)[]) => {
        const texts = new Map<string, string | null>()
        for (const [i, n] of names.entries()) texts.set(n, values[i] ?? null)
        const row: Row = {
          table,
          texts,
          firstInTable: this.#rowsInTable === 0,
          lastInTable: false,
          firstTable: this.#tableIndex === 0,
          lastTable,
        }
        this.#rowsInTable++
        return row
      })
      if (result.rows.length < this.#o.fetchSize) {
        await this.#client.query('CLOSE tsconnect_snapshot')
        this.#cursorOpen = false
        // The table's last row is the last of these, or the row still held from the previous fetch.
        const lastRow = rows.at(-1) ?? (this.#held?.table === table ? this.#held : null)
        if (lastRow !== null) lastRow.lastInTable = true
      }
      if (rows.length > 0) return rows
    }
  }
}
