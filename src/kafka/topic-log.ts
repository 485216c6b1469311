/**
 * The Kafka side of a KafkaBasedLog: read one topic's partitions without a group, learn their end offsets, and
 * append keyed records with acks=all through the Java-compatible partitioner.
 *
 * KafkaBasedLog (stores/) owns the read loop and its state; this transport only does single round trips, so it
 * can be swapped for an in-memory one in tests and in standalone mode. Sends are chained: records of two send
 * calls reach the topic in call order, which the config topic's "task configs, then commit" protocol relies on.
 */
import type { Consumer, Producer } from '@platformatic/kafka'
import type { Logger } from '../util/log.ts'
import { BROKER_ERROR, toKafkaError } from './broker-errors.ts'
import { createFetchClient, createProducer } from './clients.ts'
import { fetchPartitions, type PartitionFetch } from './fetch.ts'
import type { ClientProperties } from './properties.ts'

/** A record to append: a null key is spread round-robin, a null value is a tombstone. */
export interface RecordToSend {
  key: Buffer | null
  value: Buffer | null
}

/** Options of one fetch round. */
export interface TopicFetchOptions {
  /** How long the broker may hold the request when there is nothing new. */
  maxWaitMs: number
  /** Refresh the topic's metadata first (after a leader moved or a broker came back). */
  refreshMetadata?: boolean
}

/** Single round trips on one topic, as a KafkaBasedLog needs them. */
export interface TopicLogTransport {
  /** The topic. */
  readonly topic: string
  /** Whether send() may be called. */
  readonly writable: boolean
  /** The topic's partition count, or 0 while it does not exist. */
  partitionCount(): Promise<number>
  /** The end offset (high watermark, open transactions included) of each partition. */
  endOffsets(partitions: readonly number[]): Promise<Map<number, bigint>>
  /** The first offset still in the log of each partition. */
  startOffsets(partitions: readonly number[]): Promise<Map<number, bigint>>
  /** Reads from each partition at its position; each partition answers records or a KafkaError. */
  fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions): Promise<Map<number, PartitionFetch>>
  /** Appends records in order and resolves once all are acknowledged by all in-sync replicas. */
  send(records: readonly RecordToSend[]): Promise<void>
  /** Closes the clients. */
  close(): Promise<void>
}

/** Options of KafkaTopicLog. */
export interface KafkaTopicLogOptions {
  topic: string
  /** Java-style properties of the reading client. */
  consumerProps: ClientProperties
  /** Java-style properties of the producer; absent for a read-only log. */
  producerProps?: ClientProperties
  /** Read only committed transactional records. */
  readCommitted?: boolean
  /** Fetch size per partition in bytes (default 1 MiB, Java's max.partition.fetch.bytes). */
  partitionMaxBytes?: number
  logger?: Pick<Logger, 'warn'>
}

const LATEST = -1n
const EARLIEST = -2n

/** TopicLogTransport on a real cluster. */
export class KafkaTopicLog implements TopicLogTransport {
  readonly topic: string
  readonly #consumer: Consumer
  /**
   * End and start offsets on a connection of their own, as Java's KafkaBasedLog asks its admin client: the broker
   * answers one request per connection at a time, so behind the read loop's long poll a read to the end waited up
   * to the poll's 500 ms whenever nothing new arrived (twice per rebalance on the herder's loop).
   */
  readonly #offsetsClient: Consumer
  readonly #producer: Producer | undefined
  readonly #readCommitted: boolean
  readonly #partitionMaxBytes: number
  #sending: Promise<unknown> = Promise.resolve()

  constructor(opts: KafkaTopicLogOptions) {
    this.topic = opts.topic
    const factoryOpts = opts.logger ? { logger: opts.logger } : {}
    this.#consumer = createFetchClient(opts.consumerProps, factoryOpts)
    this.#offsetsClient = createFetchClient(opts.consumerProps, factoryOpts)
    // Internal topics need every write on all in-sync replicas before it counts, whatever the user set.
    this.#producer = opts.producerProps
      ? createProducer({ ...opts.producerProps, acks: 'all' }, factoryOpts)
      : undefined
    this.#readCommitted = opts.readCommitted === true
    this.#partitionMaxBytes = opts.partitionMaxBytes ?? 1024 * 1024
  }

  get writable(): boolean {
    return this.#producer !== undefined
  }

  async partitionCount(): Promise<number> {
    try {
      const metadata = await this.#consumer.metadata({ topics: [this.topic], forceUpdate: true })
      return metadata.topics.get(this.topic)?.partitionsCount ?? 0
    } catch (error) {
      const mapped = toKafkaError(error, `metadata of ${this.topic}`)
      if (mapped.kafkaCode === BROKER_ERROR.UNKNOWN_TOPIC_OR_PARTITION) return 0
      throw mapped
    }
  }

  endOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    return this.#listOffsets(partitions, LATEST)
  }

  startOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    return this.#listOffsets(partitions, EARLIEST)
  }

  async #listOffsets(partitions: readonly number[], timestamp: bigint): Promise<Map<number, bigint>> {
    if (partitions.length === 0) return new Map()
    try {
      // read_uncommitted: the end includes open transactions, so a read to the end waits for them to finish,
      // as Java's KafkaBasedLog does.
      const answer = await this.#offsetsClient.listOffsets({
        topics: [this.topic],
        partitions: { [this.topic]: [...partitions] },
        timestamp,
        isolationLevel: 0,
      })
      const offsets = answer.get(this.topic) ?? []
      return new Map(partitions.map((p) => [p, offsets[p] ?? 0n]))
    } catch (error) {
      throw toKafkaError(error, `listing offsets of ${this.topic}`)
    }
  }

  fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions): Promise<Map<number, PartitionFetch>> {
    return fetchPartitions(this.#consumer, this.topic, positions, {
      maxWaitMs: opts.maxWaitMs,
      maxBytes: this.#partitionMaxBytes,
      readCommitted: this.#readCommitted,
      refreshMetadata: opts.refreshMetadata === true,
    })
  }

  send(records: readonly RecordToSend[]): Promise<void> {
    const producer = this.#producer
    if (!producer) return Promise.reject(new TypeError(`the log of ${this.topic} is read-only`))
    if (records.length === 0) return Promise.resolve()
    const messages = records.map((r) => ({ topic: this.topic, key: r.key ?? undefined, value: r.value ?? undefined }))
    const sent = this.#sending.then(async () => {
      try {
        await producer.send({ messages })
      } catch (error) {
        throw toKafkaError(error, `writing ${records.length} record(s) to ${this.topic}`)
      }
    })
    this.#sending = sent.catch(() => {})
    return sent
  }

  async close(): Promise<void> {
    await this.#sending
    await Promise.allSettled([this.#consumer.close(), this.#offsetsClient.close(), this.#producer?.close()])
  }
}
