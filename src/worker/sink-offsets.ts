/**
 * The offsets a sink task's loop keeps per partition (Java's WorkerSinkTask currentOffsets, lastCommittedOffsets
 * and the task's requested rewinds), with Invariant 2's rule: an offset becomes "current" only once put() took the
 * records before it, and a failed flush goes back to the last committed offsets.
 */
import type { TopicPartition, TopicPartitionOffset } from '../api/contexts.ts'
import type { SinkRecord } from '../api/records.ts'

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/** Moves a consumer's position (the sink consumer's seek). */
export type Seek = (partition: TopicPartition, offset: number) => void

/** A sink task's offsets; see the file comment. Owned by the sink loop. */
export class SinkOffsets {
  /** The next offset to commit per partition, once flushed: last put record + 1. */
  readonly #current = new Map<string, TopicPartitionOffset>()
  readonly #lastCommitted = new Map<string, TopicPartitionOffset>()
  /** What the task asked for through context.offset(), applied after the current poll or put. */
  readonly #rewinds = new Map<string, TopicPartitionOffset>()
  /** Offsets past records skipped or dropped since the last put: done once the records before them are put. */
  #skipped: TopicPartitionOffset[] = []

  /** The task asked to read a partition from `offset.offset` on (context.offset()). */
  requestRewind(offset: TopicPartitionOffset): void {
    this.#rewinds.set(key(offset), offset)
  }

  /** Seeks to the requested rewinds; they count as current and committed, as Java's rewind() does. */
  applyRewinds(seek: Seek): void {
    for (const [k, off] of this.#rewinds) {
      seek(off, off.offset)
      this.#current.set(k, off)
      this.#lastCommitted.set(k, off)
    }
    this.#rewinds.clear()
  }

  /** A newly assigned partition starts at `position`: what a failed flush rewinds to until the first commit. */
  assigned(partition: TopicPartition, position: number): void {
    this.#lastCommitted.set(key(partition), { ...partition, offset: position })
  }

  /** Forgets revoked partitions. */
  revoked(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) {
      this.#current.delete(key(p))
      this.#lastCommitted.delete(key(p))
    }
  }

  /** A record that will not be put (skipped or dropped): `next` is done once the records before it are put. */
  skip(partition: TopicPartition, next: number): void {
    this.#skipped.push({ topic: partition.topic, partition: partition.partition, offset: next })
  }

  /** put() took `batch`: its offsets, and those of the records skipped with it, become current. */
  afterPut(batch: readonly SinkRecord[]): void {
    // A fetch's records come partition by partition, in offset order: only the last of each run sets the position,
    // which spares a key string and an object per record on this hot path.
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i] as SinkRecord
      const next = batch[i + 1]
      if (next?.originalKafkaPartition === r.originalKafkaPartition && next.originalTopic === r.originalTopic) continue
      this.#current.set(key({ topic: r.originalTopic, partition: r.originalKafkaPartition }), {
        topic: r.originalTopic,
        partition: r.originalKafkaPartition,
        offset: r.originalKafkaOffset + 1,
      })
    }
    for (const off of this.#skipped) {
      const k = key(off)
      if ((this.#current.get(k)?.offset ?? -1) < off.offset) this.#current.set(k, off)
    }
    this.#skipped = []
  }

  /** The current offsets of `partitions` (all when absent): what preCommit() is asked about. */
  current(partitions?: readonly TopicPartition[]): TopicPartitionOffset[] {
    const wanted = partitions ? new Set(partitions.map(key)) : null
    return [...this.#current].filter(([k]) => wanted === null || wanted.has(k)).map(([, v]) => v)
  }

  /** Of the offsets preCommit() allowed, those that differ from the last committed ones. */
  changed(offsets: readonly TopicPartitionOffset[]): TopicPartitionOffset[] {
    return offsets.filter((off) => this.#lastCommitted.get(key(off))?.offset !== off.offset)
  }

  /** Records put but not committed yet, over every partition (per commit or batch, for sink-record-active-count). */
  uncommitted(): number {
    let n = 0
    for (const [k, off] of this.#current) {
      const committed = this.#lastCommitted.get(k)
      if (committed) n += Math.max(0, off.offset - committed.offset)
    }
    return n
  }

  /** The group took `offsets`. */
  committed(offsets: readonly TopicPartitionOffset[]): void {
    for (const off of offsets) this.#lastCommitted.set(key(off), off)
  }

  /** Invariant 2 after a failed flush: seeks `partitions` (all when absent) back to their last committed offsets. */
  rewindToCommitted(seek: Seek, partitions?: readonly TopicPartition[]): void {
    const wanted = partitions ? new Set(partitions.map(key)) : null
    for (const [k, off] of this.#lastCommitted) {
      if (wanted && !wanted.has(k)) continue
      seek(off, off.offset)
      this.#current.set(k, off)
    }
  }
}
