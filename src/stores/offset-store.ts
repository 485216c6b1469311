/**
 * The offset store: source connectors' offsets, on the offsets topic (offset.storage.topic) or a connector's own.
 *
 * Keys and values are kept as the bytes read (protocol/offset-records.ts explains them), because Java looks
 * offsets up by exact key bytes and tsconnect must find what Java workers wrote. Beyond Java, a lookup that misses
 * on exact bytes falls back to an order-independent form of the key: a Java connector's HashMap may have written
 * the partition's fields in another order than a TS port of the connector builds them.
 *
 * Records are applied in read order, last one wins per key; a tombstone removes the key. A record whose key is
 * not `["<connector>",{...}|null]` JSON or whose value is not a JSON object is logged with its partition and
 * offset and skipped, keeping the previous value of its key (Java would keep it and fail the task later).
 */
import { CorruptDataError } from '../errors.ts'
import type { JsonObject } from '../protocol/jackson-json.ts'
import {
  canonicalOffsetKey,
  decodeOffsetKey,
  decodeOffsetValue,
  encodeOffsetKey,
  type OffsetMap,
} from '../protocol/offset-records.ts'
import { bounded, type WaitOptions } from '../util/abort.ts'
import type { Logger } from '../util/log.ts'
import type { LogRecord } from './kafka-based-log.ts'
import { TopicStore, type TopicStoreOptions } from './topic-store.ts'

/** One key and its value (null: remove the offset). */
export interface OffsetEntry {
  key: Buffer
  value: Buffer | null
}

/** A source partition known to the store, with the exact key bytes it was read under. */
export interface KnownPartition {
  partition: JsonObject | null
  key: Buffer
}

/** What the worker needs of an offset store. */
export interface OffsetStore {
  /** Creates or checks the topic, reads it to its end, and starts following it. */
  start(opts?: WaitOptions): Promise<void>
  stop(): Promise<void>
  /** Reads to the end of the topic, then answers the value of each key (null when there is none). */
  get(keys: readonly Buffer[], opts?: WaitOptions): Promise<(Buffer | null)[]>
  /** The value of a connector's partition as read so far: exact key bytes first, then the order-independent form. */
  lookup(connector: string, partition: OffsetMap | null): Buffer | undefined
  /** Writes offsets (tombstones for null values); resolves once all are acknowledged. */
  set(entries: readonly OffsetEntry[], opts?: WaitOptions): Promise<void>
  /** The partitions of a connector that have an offset. */
  connectorPartitions(connector: string): KnownPartition[]
  /** Reads to the end of the topic. */
  refresh(opts?: WaitOptions): Promise<void>
}

/** Options of a KafkaOffsetStore: its topic's (the setting defaults to offset.storage.topic). */
export type KafkaOffsetStoreOptions = TopicStoreOptions

const asMapKey = (bytes: Buffer) => bytes.toString('latin1')

const OFFSETS_TOPIC = {
  component: 'stores.offsets',
  setting: 'offset.storage.topic',
  purpose: 'source connector offsets',
} as const

/** The offset store on a (real or in-memory) offsets topic; see the file comment. */
export class KafkaOffsetStore implements OffsetStore {
  readonly #log: Logger
  readonly #topic: TopicStore
  /** Exact key bytes (latin1) → value bytes. */
  readonly #data = new Map<string, Buffer>()
  /** Canonical key → exact key bytes (latin1) of the latest record with that canonical form. */
  readonly #canonical = new Map<string, string>()
  /** Connector → exact key (latin1) → partition. */
  readonly #partitions = new Map<string, Map<string, KnownPartition>>()

  constructor(opts: KafkaOffsetStoreOptions) {
    this.#topic = new TopicStore(opts, OFFSETS_TOPIC, (record) => this.#onRecord(record))
    this.#log = this.#topic.logger
  }

  async start(opts: WaitOptions = {}): Promise<void> {
    await this.#topic.start(opts, { stopStore: () => this.stop() })
    this.#log.info({ keys: this.#data.size }, 'started the offset store')
  }

  stop(): Promise<void> {
    return this.#topic.stop()
  }

  refresh(opts: WaitOptions = {}): Promise<void> {
    return this.#topic.log.readToEnd(opts)
  }

  async get(keys: readonly Buffer[], opts: WaitOptions = {}): Promise<(Buffer | null)[]> {
    // Always read to the end first: another worker may have written since (a task moved here).
    await this.#topic.log.readToEnd(opts)
    return keys.map((key) => this.#data.get(asMapKey(key)) ?? null)
  }

  lookup(connector: string, partition: OffsetMap | null): Buffer | undefined {
    const exact = this.#data.get(asMapKey(encodeOffsetKey(connector, partition)))
    if (exact) return exact
    const sameContent = this.#canonical.get(canonicalOffsetKey(connector, partition))
    return sameContent === undefined ? undefined : this.#data.get(sameContent)
  }

  set(entries: readonly OffsetEntry[], opts: WaitOptions = {}): Promise<void> {
    return bounded(this.#topic.log.sendAll(entries), `writing ${entries.length} offset(s)`, opts)
  }

  connectorPartitions(connector: string): KnownPartition[] {
    return [...(this.#partitions.get(connector)?.values() ?? [])]
  }

  #onRecord(record: LogRecord): void {
    try {
      if (!record.key) throw new CorruptDataError('offset record without a key')
      const { connector, partition } = decodeOffsetKey(record.key)
      if (record.value) decodeOffsetValue(record.value)
      const key = asMapKey(record.key)
      const canonical = canonicalOffsetKey(connector, partition)
      let known = this.#partitions.get(connector)
      if (record.value === null) {
        this.#data.delete(key)
        if (this.#canonical.get(canonical) === key) this.#canonical.delete(canonical)
        known?.delete(key)
        return
      }
      this.#data.set(key, record.value)
      this.#canonical.set(canonical, key)
      if (!known) {
        known = new Map()
        this.#partitions.set(connector, known)
      }
      known.set(key, { partition, key: record.key })
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error
      // Invariant 5: a record that does not parse is logged and skipped; the key keeps its previous state.
      this.#log.error(
        {
          partition: record.partition,
          offset: record.offset.toString(),
          key: record.key?.toString('utf8'),
          reason: error.message,
        },
        'skipped an offset record that cannot be read',
      )
    }
  }
}
