/**
 * Streaming: pgoutput messages, in WAL order, → change records with Debezium's source blocks and offsets.
 *
 * Positions, as Debezium's PostgresStreamingChangeEventSource keeps them: each message's LSN is the XLogData
 * dataStart the server sent it with (for COMMIT that is the transaction's end LSN); `lsn_proc` is the last message
 * completely processed, `lsn_commit` the end of the last transaction completely processed. A record's offset
 * carries its own LSN, lsn_proc, lsn_commit, txId, the commit time and the message type.
 *
 * Resuming from a stored offset (ours or Debezium's): the server resends every transaction that committed after the
 * slot's confirmed LSN, so a transaction that ends at or before lsn_commit, and the messages of the stored
 * transaction at or before the stored LSN, were already delivered and are skipped.
 */
import type pg from 'pg'
import { javaHashMapOrder, type SourceRecord } from 'tsconnect'
import type { Filters } from './filters.ts'
import { type StoredOffset, streamingOffset } from './offsets.ts'
import type { ChangeRecords, Op } from './records/change-records.ts'
import type { PgOutputMessage, RelationColumn } from './replication/pgoutput.ts'
import { readTable } from './schema/catalog.ts'
import { TableSchema } from './schema/table-schema.ts'
import type { ValueModes } from './schema/values.ts'

/** What the stream turns messages into records with. */
export interface StreamingOptions {
  topicPrefix: string
  filters: Filters
  modes: ValueModes
  skipped: ReadonlySet<string>
  /** Where the stored offset left off (null: a fresh start). */
  resumeFrom: StoredOffset | null
  /** provide.transaction.metadata: the transaction topic, or null when off. */
  transactionTopic: string | null
}

/** TransactionContext: the open transaction's id and event counts (with provide.transaction.metadata). */
interface TransactionCounts {
  id: string
  total: number
  perTable: Map<string, number>
}

interface Transaction {
  xid: bigint
  commitTimeMicros: bigint
  finalLsn: bigint
  /** Already delivered before a restart: skip it whole. */
  skip: boolean
}

const OP_OF = { insert: 'c', update: 'u', delete: 'd' } as const
const MESSAGE_TYPE = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE', truncate: 'TRUNCATE' } as const

/** The streaming state of one task: transaction, relations, schemas, positions. */
export class ChangeStream {
  readonly #catalog: pg.Client
  readonly #records: ChangeRecords
  readonly #o: StreamingOptions
  readonly #schemas: Map<number, TableSchema>
  readonly #relations = new Map<number, { namespace: string; name: string; columns: RelationColumn[] }>()
  #tx: Transaction | null = null
  #lastCompletelyProcessed: bigint | null
  #lastCommit: bigint | null
  #lastMessageType: string | null
  #counts: TransactionCounts | null = null

  constructor(catalog: pg.Client, records: ChangeRecords, o: StreamingOptions, schemas: Map<number, TableSchema>) {
    this.#catalog = catalog
    this.#records = records
    this.#o = o
    this.#schemas = schemas
    this.#lastCompletelyProcessed = o.resumeFrom?.lsnProc ?? null
    this.#lastCommit = o.resumeFrom?.lsnCommit ?? null
    this.#lastMessageType = o.resumeFrom?.messageType ?? null
  }

  /** The offset the stream stands at now (for heartbeats). */
  currentOffset(lsn: bigint): ReadonlyMap<string, unknown> {
    return streamingOffset({
      tsMicros: this.#tx?.commitTimeMicros ?? null,
      txId: this.#tx?.xid ?? null,
      lsn: this.#lastCommit ?? lsn,
      lsnProc: this.#lastCompletelyProcessed,
      lsnCommit: this.#lastCommit,
      messageType: this.#lastMessageType,
    })
  }

  /** The records of one message (none for most). */
  async process(lsn: bigint, m: PgOutputMessage): Promise<SourceRecord[]> {
    switch (m.tag) {
      case 'begin': {
        const xid = BigInt(m.xid)
        const resume = this.#o.resumeFrom
        const skip = resume?.lsnCommit != null && m.finalLsn < resume.lsnCommit
        this.#tx = { xid, commitTimeMicros: m.commitTimeMicros, finalLsn: m.finalLsn, skip }
        this.#lastCompletelyProcessed = lsn
        this.#lastMessageType = 'BEGIN'
        if (this.#o.transactionTopic === null || skip) return []
        this.#counts = { id: String(xid), total: 0, perTable: new Map() }
        return [this.#transactionEvent('BEGIN', lsn)]
      }
      case 'commit': {
        this.#lastCompletelyProcessed = lsn
        this.#lastCommit = lsn
        this.#lastMessageType = 'COMMIT'
        const out = this.#counts !== null && this.#tx !== null ? [this.#transactionEvent('END', lsn)] : []
        this.#counts = null
        this.#tx = null
        return out
      }
      case 'relation':
        this.#relations.set(m.oid, { namespace: m.namespace, name: m.name, columns: m.columns })
        await this.#refresh(m.oid)
        return []
      case 'insert':
      case 'update':
      case 'delete':
        return this.#change(lsn, m)
      case 'truncate':
        return this.#truncate(lsn, m.oids)
      default:
        return []
    }
  }

  /** Re-reads a table's schema when its Relation message shows columns other than the schema's. */
  async #refresh(oid: number): Promise<void> {
    const relation = this.#relations.get(oid)
    if (relation === undefined || !this.#o.filters.includeTable(relation.namespace, relation.name)) return
    const known = this.#schemas.get(oid)
    const sameColumns =
      known !== undefined &&
      known.tableColumns.length === relation.columns.length &&
      known.tableColumns.every((c, i) => c === relation.columns[i]?.name)
    let schema = known
    if (!sameColumns) {
      const catalog = await readTable(this.#catalog, oid)
      if (catalog === null) return
      schema = new TableSchema(catalog, this.#o.topicPrefix, this.#o.modes, this.#o.filters)
      this.#schemas.set(oid, schema)
    }
    schema?.setReplicaKey(relation.columns.filter((c) => c.isKey).map((c) => c.name))
  }

  /** A BEGIN or END event of the transaction topic, with the offset the stream stands at. */
  #transactionEvent(status: 'BEGIN' | 'END', lsn: bigint): SourceRecord {
    const tx = this.#tx as Transaction
    const counts = this.#counts as TransactionCounts
    return this.#records.transactionEvent({
      topic: this.#o.transactionTopic as string,
      status,
      id: `${counts.id}:${lsn}`,
      tsMillis: Number(tx.commitTimeMicros / 1000n),
      eventCount: counts.total,
      perTable: javaHashMapOrder([...counts.perTable]),
      offset: streamingOffset({
        tsMicros: tx.commitTimeMicros,
        txId: tx.xid,
        lsn,
        lsnProc: this.#lastCompletelyProcessed,
        lsnCommit: this.#lastCommit,
        messageType: status === 'BEGIN' ? 'BEGIN' : 'COMMIT',
        transaction: { id: counts.id, perTable: counts.perTable },
      }),
    })
  }

  /** Counts a data event in the open transaction; its envelope's transaction block, or null without metadata. */
  #countEvent(table: TableSchema, lsn: bigint) {
    const counts = this.#counts
    if (counts === null) return null
    const name = `${table.schemaName}.${table.tableName}`
    const order = (counts.perTable.get(name) ?? 0) + 1
    counts.perTable.set(name, order)
    counts.total++
    return { id: `${counts.id}:${lsn}`, totalOrder: counts.total, dataCollectionOrder: order }
  }

  #alreadyDelivered(lsn: bigint): boolean {
    if (this.#tx?.skip) return true
    const resume = this.#o.resumeFrom
    return resume !== null && resume.lsn !== null && this.#tx?.xid === resume.txId && lsn <= resume.lsn
  }

  #position(lsn: bigint, messageType: string, table?: TableSchema) {
    this.#lastCompletelyProcessed = lsn
    this.#lastMessageType = messageType
    const transaction = table === undefined ? null : this.#countEvent(table, lsn)
    const counts = this.#counts
    const tsMicros = this.#tx?.commitTimeMicros ?? BigInt(Date.now()) * 1000n
    const txId = this.#tx?.xid ?? null
    return {
      position: { tsMicros, snapshot: 'false' as const, lastCommitLsn: this.#lastCommit, lsn, txId },
      offset: streamingOffset({
        tsMicros,
        txId,
        lsn,
        lsnProc: this.#lastCompletelyProcessed,
        lsnCommit: this.#lastCommit,
        messageType,
        transaction: counts === null ? null : { id: counts.id, perTable: new Map(counts.perTable) },
      }),
      transaction,
    }
  }

  async #change(
    lsn: bigint,
    m: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' }>,
  ): Promise<SourceRecord[]> {
    const op: Op = OP_OF[m.tag]
    const messageType = MESSAGE_TYPE[m.tag]
    if (this.#alreadyDelivered(lsn)) {
      this.#lastCompletelyProcessed = lsn
      return []
    }
    let table = this.#schemas.get(m.oid)
    if (table === undefined) {
      await this.#refresh(m.oid)
      table = this.#schemas.get(m.oid)
    }
    if (table === undefined || this.#o.skipped.has(op)) {
      this.#position(lsn, messageType)
      return []
    }
    const after = m.tag === 'delete' ? null : table.textsOfTuple(m.after, false)
    const before = m.tag === 'insert' || m.before === null ? null : table.textsOfTuple(m.before, m.beforeIsKeyOnly)
    const { position, offset, transaction } = this.#position(lsn, messageType, table)
    const keyTexts = after ?? before ?? new Map()
    // An update that changes the key: Debezium emits a delete (+ tombstone) of the old key and a create of the new.
    const records: SourceRecord[] = []
    if (m.tag === 'update' && before !== null && after !== null) {
      const oldKey = table.keyOf(before)
      const newKey = table.keyOf(after)
      if (oldKey !== null && newKey !== null && !oldKey.equals(newKey)) {
        records.push(
          ...this.#records.change({
            table,
            op: 'd',
            key: oldKey,
            before: table.valueOf(before),
            after: null,
            position,
            offset,
            transaction,
          }),
          ...this.#records.change({
            table,
            op: 'c',
            key: newKey,
            before: null,
            after: table.valueOf(after),
            position,
            offset,
            transaction,
          }),
        )
        return records
      }
    }
    return this.#records.change({
      table,
      op,
      key: table.keyOf(keyTexts),
      before: before === null ? null : table.valueOf(before),
      after: after === null ? null : table.valueOf(after),
      position,
      offset,
      transaction,
    })
  }

  async #truncate(lsn: bigint, oids: readonly number[]): Promise<SourceRecord[]> {
    if (this.#alreadyDelivered(lsn)) return []
    const records: SourceRecord[] = []
    for (const oid of oids) {
      let table = this.#schemas.get(oid)
      if (table === undefined) {
        await this.#refresh(oid)
        table = this.#schemas.get(oid)
      }
      if (table === undefined || this.#o.skipped.has('t')) {
        this.#position(lsn, 'TRUNCATE')
        continue
      }
      const { position, offset, transaction } = this.#position(lsn, 'TRUNCATE', table)
      records.push(
        ...this.#records.change({
          table,
          op: 't',
          key: null,
          before: null,
          after: null,
          position,
          offset,
          transaction,
        }),
      )
    }
    return records
  }
}
