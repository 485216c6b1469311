/**
 * Source partition and offsets exactly as Debezium's PostgresOffsetContext writes them: the partition
 * `{"server":<topic.prefix>}`, offsets in java.util.HashMap order (the kit's javaHashMapOrder) with the keys of
 * PostgresOffsetContext.getOffset(): ts_usec, txId, lsn, (snapshot, last_snapshot_record, snapshot_completed while
 * snapshotting), lsn_proc, lsn_commit, messageType. LSNs and ts_usec are 64-bit and stay bigint.
 */
import { javaHashMapOrder, offsetLong, type SourceOffset } from 'tsconnect'

/** The source partition of a connector. */
export function sourcePartition(topicPrefix: string): ReadonlyMap<string, string> {
  return javaHashMapOrder([['server', topicPrefix]])
}

/** What an offset says, read back from the offsets topic (Debezium's or ours). */
export interface StoredOffset {
  lsn: bigint | null
  lsnProc: bigint | null
  lsnCommit: bigint | null
  txId: bigint | null
  messageType: string | null
  /** The snapshot kind (`INITIAL`) while a snapshot was running, else null. */
  snapshot: string | null
  lastSnapshotRecord: boolean
  snapshotCompleted: boolean
}

function optionalLong(offset: SourceOffset, key: string): bigint | null {
  const value = offset instanceof Map ? offset.get(key) : (offset as Record<string, unknown>)[key]
  return value === undefined || value === null ? null : BigInt(offsetLong(value, key))
}

function field(offset: SourceOffset, key: string): unknown {
  return offset instanceof Map ? offset.get(key) : (offset as Record<string, unknown>)[key]
}

/** Reads a stored offset (PostgresOffsetContext.Loader's reading). */
export function readOffset(offset: SourceOffset): StoredOffset {
  const snapshot = field(offset, 'snapshot')
  const lsnProc = optionalLong(offset, 'lsn_proc')
  return {
    lsn: optionalLong(offset, 'lsn'),
    lsnProc,
    lsnCommit: optionalLong(offset, 'lsn_commit') ?? lsnProc,
    txId: optionalLong(offset, 'txId'),
    messageType: (field(offset, 'messageType') as string | undefined) ?? null,
    // Debezium 1.x wrote `snapshot: true`; later versions the snapshot kind.
    snapshot: snapshot === true ? 'INITIAL' : typeof snapshot === 'string' ? snapshot : null,
    lastSnapshotRecord: field(offset, 'last_snapshot_record') === true,
    snapshotCompleted: field(offset, 'snapshot_completed') === true,
  }
}

/** An offset of a snapshot record. */
export function snapshotOffset(o: {
  tsMicros: bigint
  txId: bigint
  lsn: bigint
  lastSnapshotRecord: boolean
  snapshotCompleted: boolean
}): ReadonlyMap<string, unknown> {
  const entries: [string, unknown][] = [
    ['ts_usec', o.tsMicros],
    ['txId', o.txId],
    ['lsn', o.lsn],
    ['snapshot', 'INITIAL'],
    ['last_snapshot_record', o.lastSnapshotRecord],
    ['snapshot_completed', o.snapshotCompleted],
  ]
  return javaHashMapOrder(entries)
}

/** An offset of a streamed record. */
export function streamingOffset(o: {
  tsMicros: bigint | null
  txId: bigint | null
  lsn: bigint
  lsnProc: bigint | null
  lsnCommit: bigint | null
  messageType: string | null
  /** With provide.transaction.metadata: the transaction id and event counts per table (TransactionContext.store). */
  transaction?: { id: string; perTable: ReadonlyMap<string, number> } | null
}): ReadonlyMap<string, unknown> {
  const entries: [string, unknown][] = []
  if (o.tsMicros !== null) entries.push(['ts_usec', o.tsMicros])
  if (o.txId !== null) entries.push(['txId', o.txId])
  entries.push(['lsn', o.lsn])
  if (o.lsnProc !== null) entries.push(['lsn_proc', o.lsnProc])
  if (o.lsnCommit !== null) entries.push(['lsn_commit', o.lsnCommit])
  if (o.messageType !== null) entries.push(['messageType', o.messageType])
  if (o.transaction) {
    entries.push(['transaction_id', o.transaction.id])
    for (const [table, count] of o.transaction.perTable)
      entries.push([`transaction_data_collection_order_${table}`, count])
  }
  return javaHashMapOrder(entries)
}
