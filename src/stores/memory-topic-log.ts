/**
 * In-memory twins of a Kafka topic and of the admin calls internal-topic set-up makes.
 *
 * A MemoryCluster holds topics; each MemoryTopicLog is one client's view of one of them. Several stores built on
 * one MemoryCluster see each other's writes, so tests (and standalone mode) can run several "workers" in one
 * process through exactly the code that runs on Kafka: the stores, the KafkaBasedLog loop, the record codecs.
 * Compaction is on demand (compact()), keeping the last record of each key, as the broker's cleaner would.
 */
import { createHash } from 'node:crypto'
import { KafkaError } from '../errors.ts'
import { BROKER_ERROR } from '../kafka/broker-errors.ts'
import type { FetchedBatch, FetchedRecord, PartitionFetch } from '../kafka/fetch.ts'
import type { CreateTopicOutcome, NewTopicSpec, TopicAdminClient } from '../kafka/topic-admin.ts'
import type { RecordToSend, TopicFetchOptions, TopicLogTransport } from '../kafka/topic-log.ts'

interface MemoryPartition {
  /** Records still in the log (compaction removes some, so offsets have gaps). */
  records: FetchedRecord[]
  /** The offset the next record gets. */
  end: bigint
}

interface MemoryTopic {
  partitions: MemoryPartition[]
  configs: Record<string, string>
}

/** Topics in memory, shared by every MemoryTopicLog and MemoryTopicAdmin made from it. */
export class MemoryCluster {
  readonly #topics = new Map<string, MemoryTopic>()
  readonly #listeners = new Set<() => void>()

  /** Creates a topic unless it exists; -1 partitions means 1. */
  createTopic(spec: NewTopicSpec): CreateTopicOutcome {
    if (this.#topics.has(spec.name)) return 'exists'
    const count = spec.partitions > 0 ? spec.partitions : 1
    this.#topics.set(spec.name, {
      partitions: Array.from({ length: count }, () => ({ records: [], end: 0n })),
      configs: { ...spec.configs },
    })
    return 'created'
  }

  /** The topic, or undefined. */
  topic(name: string): MemoryTopic | undefined {
    return this.#topics.get(name)
  }

  /** Appends records, keyed ones to the partition their key hashes to. */
  append(name: string, records: readonly RecordToSend[]): void {
    const topic = this.#topics.get(name)
    if (!topic) throw new KafkaError(true, `unknown topic ${name}`, BROKER_ERROR.UNKNOWN_TOPIC_OR_PARTITION)
    for (const [i, record] of records.entries()) {
      const index = record.key
        ? createHash('md5').update(record.key).digest().readUInt32BE(0) % topic.partitions.length
        : i % topic.partitions.length
      const partition = topic.partitions[index] as MemoryPartition
      partition.records.push({
        topic: name,
        partition: index,
        offset: Number(partition.end),
        timestamp: BigInt(Date.now()),
        timestampType: 'CREATE_TIME',
        key: record.key,
        value: record.value,
        headers: [],
      })
      partition.end++
    }
    for (const listener of this.#listeners) listener()
  }

  /** Keeps only the last record of each key in every partition of the topic, as log compaction does. */
  compact(name: string): void {
    for (const partition of this.#topics.get(name)?.partitions ?? []) {
      const last = new Map<string, number>()
      for (const r of partition.records) last.set(r.key?.toString('latin1') ?? `#${r.offset}`, r.offset)
      partition.records = partition.records.filter(
        (r) => last.get(r.key?.toString('latin1') ?? `#${r.offset}`) === r.offset,
      )
    }
  }

  /** Calls `listener` after every append, until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** TopicLogTransport over a MemoryCluster. */
export class MemoryTopicLog implements TopicLogTransport {
  readonly topic: string
  readonly writable: boolean
  readonly #cluster: MemoryCluster
  #closed = false

  constructor(cluster: MemoryCluster, topic: string, writable = true) {
    this.#cluster = cluster
    this.topic = topic
    this.writable = writable
  }

  async partitionCount(): Promise<number> {
    return this.#cluster.topic(this.topic)?.partitions.length ?? 0
  }

  async endOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    const topic = this.#cluster.topic(this.topic)
    return new Map(partitions.map((p) => [p, topic?.partitions[p]?.end ?? 0n]))
  }

  async startOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    const topic = this.#cluster.topic(this.topic)
    return new Map(
      partitions.map((p) => [p, recordOffset(topic?.partitions[p]?.records[0]) ?? topic?.partitions[p]?.end ?? 0n]),
    )
  }

  async fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions): Promise<Map<number, PartitionFetch>> {
    if (!this.#hasNews(positions) && opts.maxWaitMs > 0 && !this.#closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, opts.maxWaitMs)
        const off = this.#cluster.onAppend(done)
        function done() {
          clearTimeout(timer)
          off()
          resolve()
        }
      })
    }
    const results = new Map<number, PartitionFetch>()
    const topic = this.#cluster.topic(this.topic)
    for (const [p, position] of positions) {
      const partition = topic?.partitions[p]
      if (!partition) {
        results.set(
          p,
          new KafkaError(true, `unknown partition ${this.topic}-${p}`, BROKER_ERROR.UNKNOWN_TOPIC_OR_PARTITION),
        )
        continue
      }
      const first = recordOffset(partition.records[0]) ?? partition.end
      if (position > partition.end || position < first) {
        results.set(p, new KafkaError(false, 'offset out of range', BROKER_ERROR.OFFSET_OUT_OF_RANGE))
        continue
      }
      const records = partition.records.filter((r) => r.offset >= position).slice(0, 500)
      const batch: FetchedBatch = {
        records,
        highWatermark: partition.end,
        nextOffset: records.length === 500 ? BigInt((records[499] as FetchedRecord).offset + 1) : partition.end,
      }
      results.set(p, batch)
    }
    return results
  }

  #hasNews(positions: ReadonlyMap<number, bigint>): boolean {
    const topic = this.#cluster.topic(this.topic)
    return [...positions].some(([p, position]) => (topic?.partitions[p]?.end ?? 0n) > position)
  }

  async send(records: readonly RecordToSend[]): Promise<void> {
    if (!this.writable) throw new TypeError(`the log of ${this.topic} is read-only`)
    this.#cluster.append(this.topic, records)
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}

/** TopicAdminClient over a MemoryCluster. */
export class MemoryTopicAdmin implements TopicAdminClient {
  readonly #cluster: MemoryCluster

  constructor(cluster: MemoryCluster) {
    this.#cluster = cluster
  }

  async createTopic(spec: NewTopicSpec): Promise<CreateTopicOutcome> {
    return this.#cluster.createTopic(spec)
  }

  async partitionCount(topic: string): Promise<number> {
    return this.#cluster.topic(topic)?.partitions.length ?? 0
  }

  async cleanupPolicy(topic: string): Promise<string | undefined> {
    return this.#cluster.topic(topic)?.configs['cleanup.policy'] ?? 'delete'
  }

  async close(): Promise<void> {}
}

/** A record's offset as a log position (positions are bigint, as the client's end offsets are). */
function recordOffset(record: FetchedRecord | undefined): bigint | undefined {
  return record === undefined ? undefined : BigInt(record.offset)
}
