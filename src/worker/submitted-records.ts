/**
 * Source offsets that may be committed (Java's SubmittedRecords, simplified to batches).
 *
 * Invariant 1: an offset is committed only after its record is acknowledged by Kafka. Each poll's records are
 * submitted as one batch, in poll order, with the last source offset of each source partition in it (records a
 * transform dropped or a tolerated failure skipped count too: they are done). A batch is acknowledged when the
 * producer acknowledged all its records. committable() merges the acknowledged prefix of batches and removes it:
 * a later batch never commits past an earlier one that is still in flight.
 */
import type { SourceRecord } from '../api/records.ts'
import { type OffsetMap, sourcePartitionText } from '../protocol/offset-records.ts'

/** A source partition as a task handed it over: an object, a Map (its order kept) or null. */
type SourcePartition = SourceRecord['sourcePartition']
/** A source offset as a task handed it over. */
type SourceOffset = SourceRecord['sourceOffset']

/** One poll's worth of source offsets. */
export class SubmittedBatch {
  /**
   * Source partition → its last offset in this batch, keyed by the partition object itself: tasks usually reuse one
   * object per partition, so the hot path does no serialization; committable() merges equal partitions by content.
   */
  readonly offsets = new Map<SourcePartition, { partition: SourcePartition; offset: SourceOffset }>()
  acked = false
  /** Records sent to Kafka in this batch (0: all were dropped). */
  records = 0
}

const keyOf = (partition: SourcePartition) => sourcePartitionText(partition as OffsetMap | null)

/** The batches in flight of one source task, oldest first. */
export class SubmittedRecords {
  readonly #batches: SubmittedBatch[] = []
  #inFlightRecords = 0
  readonly #drained: (() => void)[] = []

  /** A new batch at the tail. */
  newBatch(): SubmittedBatch {
    const batch = new SubmittedBatch()
    this.#batches.push(batch)
    return batch
  }

  /** Records a record's source offset in its batch (the last one per partition wins). */
  add(batch: SubmittedBatch, partition: SourcePartition, offset: SourceOffset): void {
    if (partition === null && offset === null) return
    batch.offsets.set(partition, { partition, offset })
  }

  /** Counts a batch's records as in flight (for backpressure). */
  sent(batch: SubmittedBatch, count: number): void {
    batch.records = count
    this.#inFlightRecords += count
  }

  /** Kafka acknowledged the batch. */
  ack(batch: SubmittedBatch): void {
    if (batch.acked) return
    batch.acked = true
    this.#inFlightRecords -= batch.records
    batch.records = 0
    if (this.#inFlightRecords === 0) for (const d of this.#drained.splice(0)) d()
  }

  /** Kafka refused the batch: it no longer counts as in flight, and its offsets (and later ones) are never committable. */
  fail(batch: SubmittedBatch): void {
    if (batch.acked || batch.records === 0) return
    this.#inFlightRecords -= batch.records
    batch.records = 0
    if (this.#inFlightRecords === 0) for (const d of this.#drained.splice(0)) d()
  }

  /** Records sent and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlightRecords
  }

  /** Batches not yet removed by committable(). */
  get pendingBatches(): number {
    return this.#batches.length
  }

  /** Resolves once nothing is in flight. */
  drained(): Promise<void> {
    if (this.#inFlightRecords === 0) return Promise.resolve()
    return new Promise((resolve) => this.#drained.push(resolve))
  }

  /** The offsets of the acknowledged prefix of batches, merged (later wins), and removes that prefix. */
  committable(): Map<string, { partition: SourcePartition; offset: SourceOffset }> {
    const merged = new Map<string, { partition: SourcePartition; offset: SourceOffset }>()
    while (this.#batches.length > 0 && (this.#batches[0] as SubmittedBatch).acked) {
      const batch = this.#batches.shift() as SubmittedBatch
      for (const v of batch.offsets.values()) merged.set(keyOf(v.partition), v)
    }
    return merged
  }

  /** Puts offsets that failed to commit back at the head, so the next commit tries them again. */
  restore(offsets: Map<string, { partition: SourcePartition; offset: SourceOffset }>): void {
    if (offsets.size === 0) return
    const batch = new SubmittedBatch()
    for (const v of offsets.values()) batch.offsets.set(v.partition, v)
    batch.acked = true
    this.#batches.unshift(batch)
  }
}
