/**
 * Change events as Debezium's PostgresConnector emits them: the envelope (before, after, source, transaction, op,
 * ts_ms/ts_us/ts_ns), the source block, the `__debezium.context.*` headers (extended.headers.enabled, on by default
 * in Debezium 3), tombstones after deletes, truncate events without key, and heartbeats.
 */
import { randomBytes } from 'node:crypto'
import { Headers, type OrderedSourceMap, SchemaBuilder, SourceRecord, Struct } from 'tsconnect'
import { DEBEZIUM_VERSION } from '../config.ts'
import { SOURCE_SCHEMA, type TableSchema, TRANSACTION_BLOCK_SCHEMA } from '../schema/table-schema.ts'

/** Debezium's op codes. */
export type Op = 'r' | 'c' | 'u' | 'd' | 't'

/** The snapshot marker of the source block. */
export type SnapshotMarker =
  | 'true'
  | 'first'
  | 'first_in_data_collection'
  | 'last_in_data_collection'
  | 'last'
  | 'false'
  | 'incremental'

/** Where a change came from, for its source block. */
export interface SourcePosition {
  /** The commit time (streaming) or read time (snapshot), in Unix microseconds. */
  tsMicros: bigint
  snapshot: SnapshotMarker
  /** Debezium's sequence: JSON of [last commit LSN, this LSN] as strings. */
  lastCommitLsn: bigint | null
  lsn: bigint | null
  txId: bigint | null
}

/** A UUID version 7 (RFC 9562): Debezium's run id, one per task start. */
export function uuidV7(nowMs = Date.now()): string {
  const bytes = randomBytes(16)
  const ms = BigInt(nowMs)
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function int64(v: bigint): number | bigint {
  return v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v
}

/** Builds the records of one connector task. */
export class ChangeRecords {
  readonly #topicPrefix: string
  readonly #database: string
  readonly #partition: OrderedSourceMap
  readonly #tombstones: boolean
  readonly #headers: boolean
  readonly #runId: string
  readonly #taskId: string

  constructor(o: {
    topicPrefix: string
    database: string
    partition: OrderedSourceMap
    tombstonesOnDelete: boolean
    taskId?: string
    extendedHeaders?: boolean
  }) {
    this.#topicPrefix = o.topicPrefix
    this.#database = o.database
    this.#partition = o.partition
    this.#tombstones = o.tombstonesOnDelete
    this.#headers = o.extendedHeaders ?? true
    this.#taskId = o.taskId ?? '0'
    this.#runId = uuidV7()
  }

  #contextHeaders(): Headers {
    const headers = new Headers()
    if (!this.#headers) return headers
    return headers
      .addString('__debezium.context.connectorLogicalName', this.#topicPrefix)
      .addString('__debezium.context.taskId', this.#taskId)
      .addString('__debezium.context.connectorName', 'postgresql')
      .addString('__debezium.context.runId', this.#runId)
  }

  /** The source block. */
  source(table: { schemaName: string; tableName: string }, p: SourcePosition): Struct {
    const s = new Struct(SOURCE_SCHEMA)
      .put('version', DEBEZIUM_VERSION)
      .put('connector', 'postgresql')
      .put('name', this.#topicPrefix)
      .put('ts_ms', int64(p.tsMicros / 1000n))
      .put('snapshot', p.snapshot)
      .put('db', this.#database)
      .put(
        'sequence',
        JSON.stringify([
          p.lastCommitLsn === null ? null : String(p.lastCommitLsn),
          p.lsn === null ? null : String(p.lsn),
        ]),
      )
      .put('ts_us', int64(p.tsMicros))
      .put('ts_ns', int64(p.tsMicros * 1000n))
      .put('schema', table.schemaName)
      .put('table', table.tableName)
    if (p.txId !== null) s.put('txId', int64(p.txId))
    if (p.lsn !== null) s.put('lsn', int64(p.lsn))
    return s
  }

  /**
   * The records of one row change: the change event, and for a delete its tombstone. Envelope times are the
   * processing time (Debezium's clock at emit), microsecond precision.
   */
  change(o: {
    table: TableSchema
    op: Op
    key: Struct | null
    before: Struct | null
    after: Struct | null
    position: SourcePosition
    offset: OrderedSourceMap
    /** The envelope's transaction block (provide.transaction.metadata), or null. */
    transaction?: { id: string; totalOrder: number; dataCollectionOrder: number } | null
  }): SourceRecord[] {
    const nowMicros = BigInt(Date.now()) * 1000n
    const envelope = new Struct(o.table.envelopeSchema)
      .put('before', o.before)
      .put('after', o.after)
      .put('source', this.source(o.table, o.position))
      .put('op', o.op)
    if (o.transaction) {
      envelope.put(
        'transaction',
        new Struct(TRANSACTION_BLOCK_SCHEMA)
          .put('id', o.transaction.id)
          .put('total_order', o.transaction.totalOrder)
          .put('data_collection_order', o.transaction.dataCollectionOrder),
      )
    }
    envelope
      .put('ts_ms', int64(nowMicros / 1000n))
      .put('ts_us', int64(nowMicros))
      .put('ts_ns', int64(nowMicros * 1000n))
    const records = [
      new SourceRecord({
        sourcePartition: this.#partition,
        sourceOffset: o.offset,
        topic: o.table.topic,
        keySchema: o.key === null ? null : o.table.keySchema,
        key: o.key,
        valueSchema: o.table.envelopeSchema,
        value: envelope,
        headers: this.#contextHeaders(),
      }),
    ]
    if (o.op === 'd' && this.#tombstones && o.key !== null) {
      records.push(
        new SourceRecord({
          sourcePartition: this.#partition,
          sourceOffset: o.offset,
          topic: o.table.topic,
          keySchema: o.table.keySchema,
          key: o.key,
          valueSchema: null,
          value: null,
          headers: this.#contextHeaders(),
        }),
      )
    }
    return records
  }

  /**
   * A transaction metadata event (TransactionMonitor's BEGIN/END) for `<topic.prefix>.transaction`: key
   * TransactionMetadataKey {id}, value TransactionMetadataValue; END carries the event counts per table.
   */
  transactionEvent(o: {
    topic: string
    status: 'BEGIN' | 'END'
    id: string
    tsMillis: number
    eventCount?: number
    perTable?: ReadonlyMap<string, number>
    offset: OrderedSourceMap
  }): SourceRecord {
    const key = new Struct(TX_KEY_SCHEMA).put('id', o.id)
    const value = new Struct(TX_VALUE_SCHEMA).put('status', o.status).put('id', o.id).put('ts_ms', o.tsMillis)
    if (o.status === 'END') {
      value.put('event_count', o.eventCount ?? 0)
      value.put(
        'data_collections',
        [...(o.perTable ?? new Map())].map(([table, count]) =>
          new Struct(TX_COLLECTION_SCHEMA).put('data_collection', table).put('event_count', count),
        ),
      )
    }
    return new SourceRecord({
      sourcePartition: this.#partition,
      sourceOffset: o.offset,
      topic: o.topic,
      keySchema: TX_KEY_SCHEMA,
      key,
      valueSchema: TX_VALUE_SCHEMA,
      value,
      // Debezium's TransactionMonitor sends these without the context headers.
    })
  }

  /** A heartbeat: key ServerNameKey {serverName}, value Heartbeat {ts_ms}, with the current offset. */
  heartbeat(topic: string, offset: OrderedSourceMap): SourceRecord {
    const key = new Struct(HEARTBEAT_KEY_SCHEMA).put('serverName', this.#topicPrefix)
    const value = new Struct(HEARTBEAT_VALUE_SCHEMA).put('ts_ms', Date.now())
    return new SourceRecord({
      sourcePartition: this.#partition,
      sourceOffset: offset,
      topic,
      keySchema: HEARTBEAT_KEY_SCHEMA,
      key,
      valueSchema: HEARTBEAT_VALUE_SCHEMA,
      value,
    })
  }
}

/** Debezium's heartbeat key schema. */
export const HEARTBEAT_KEY_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.ServerNameKey')
  .version(1)
  .field('serverName', SchemaBuilder.string().build())
  .build()

/** Debezium's heartbeat value schema. */
export const HEARTBEAT_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.Heartbeat')
  .version(1)
  .field('ts_ms', SchemaBuilder.int64().build())
  .build()

const TX_COLLECTION_SCHEMA = SchemaBuilder.struct()
  .optional()
  .name('event.collection')
  .version(1)
  .field('data_collection', SchemaBuilder.string().build())
  .field('event_count', SchemaBuilder.int64().build())
  .build()

const TX_KEY_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataKey')
  .version(1)
  .field('id', SchemaBuilder.string().build())
  .build()

const TX_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataValue')
  .version(1)
  .field('status', SchemaBuilder.string().build())
  .field('id', SchemaBuilder.string().build())
  .field('event_count', SchemaBuilder.int64().optional().build())
  .field('data_collections', SchemaBuilder.array(TX_COLLECTION_SCHEMA).optional().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .build()
