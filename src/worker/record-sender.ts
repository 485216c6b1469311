/**
 * The producer seam of source tasks and dead letter queues: records already converted to bytes go in, Kafka's
 * acknowledgement comes out. The loops depend on this interface only, so unit tests run them on an in-memory
 * sender; KafkaRecordSender is the real one, over the worker's producer factory (kafka/clients.ts).
 */
import type { Producer } from '@platformatic/kafka'
import { KafkaError } from '../errors.ts'
import { toKafkaError } from '../kafka/broker-errors.ts'

/** A record to produce: bytes, as the converters made them. */
export interface OutgoingRecord {
  topic: string
  /** null lets the producer's (Java-compatible) partitioner choose. */
  partition: number | null
  key: Buffer | null
  value: Buffer | null
  headers: [string, Buffer | null][]
  /** Milliseconds since the epoch; null for "now". */
  timestamp: number | null
}

/** Where Kafka stored a record; partition and offset are -1 when the client could not tell. */
export interface SentRecord {
  topic: string
  partition: number
  offset: number
  timestamp: number | null
}

/** Sends records and resolves once Kafka acknowledged all of them; rejects with a KafkaError otherwise. */
export interface RecordSender {
  send(records: readonly OutgoingRecord[]): Promise<SentRecord[]>
  close(): Promise<void>
}

const EMPTY = Buffer.alloc(0)

/** Bytes of records per produce call: the client sends one call as one request, and brokers refuse >1 MiB. */
const DEFAULT_MAX_REQUEST_BYTES = 960 * 1024

/** Splits records into runs of at most `maxBytes` (a record larger than that goes alone). */
export function chunkBySize(records: readonly OutgoingRecord[], maxBytes: number): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = []
  let current: OutgoingRecord[] = []
  let bytes = 0
  for (const r of records) {
    let size = 70 + (r.key?.length ?? 0) + (r.value?.length ?? 0)
    for (const [k, v] of r.headers) size += k.length + (v?.length ?? 0) + 4
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current)
      current = []
      bytes = 0
    }
    current.push(r)
    bytes += size
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/** A RecordSender over an @platformatic/kafka producer (which it owns and closes). */
export class KafkaRecordSender implements RecordSender {
  readonly #producer: Producer
  readonly #maxRequestBytes: number

  constructor(producer: Producer, maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES) {
    this.#producer = producer
    this.#maxRequestBytes = maxRequestBytes
  }

  async send(records: readonly OutgoingRecord[]): Promise<SentRecord[]> {
    const chunks = chunkBySize(records, this.#maxRequestBytes)
    if (chunks.length === 1) return this.#send(chunks[0] as OutgoingRecord[])
    // The idempotent producer numbers records when send() is called, so concurrent calls keep their order.
    const results = await Promise.all(chunks.map((c) => this.#send(c)))
    return results.flat()
  }

  /** Sends one chunk through an open transaction of this sender's producer. */
  async sendInTransaction(
    transaction: Awaited<ReturnType<Producer['beginTransaction']>>,
    records: readonly OutgoingRecord[],
  ): Promise<SentRecord[]> {
    let result: Awaited<ReturnType<Producer['send']>>
    try {
      result = await transaction.send(this.#sendOptions(records))
    } catch (error) {
      throw toKafkaError(error, `producing ${records.length} record(s) in a transaction`)
    }
    return sentRecords(records, result.offsets ?? [])
  }

  async #send(records: readonly OutgoingRecord[]): Promise<SentRecord[]> {
    let result: Awaited<ReturnType<Producer['send']>>
    try {
      result = await this.#producer.send(this.#sendOptions(records))
    } catch (error) {
      throw toKafkaError(error, `producing ${records.length} record(s)`)
    }
    return sentRecords(records, result.offsets ?? [])
  }

  #sendOptions(records: readonly OutgoingRecord[]) {
    return {
      // Java's producer asks for missing topics in its metadata requests, so brokers with
      // auto.create.topics.enable create a source's topic on first use; so does this one.
      autocreateTopics: true,
      messages: records.map((r) => ({
        topic: r.topic,
        // The library serializes Buffers as they are; a null key or value is a null field on the wire.
        ...(r.key !== null ? { key: r.key } : {}),
        ...(r.value !== null ? { value: r.value } : {}),
        ...(r.partition !== null ? { partition: r.partition } : {}),
        ...(r.timestamp !== null ? { timestamp: BigInt(r.timestamp) } : {}),
        ...(r.headers.length > 0 ? { headers: new Map(r.headers.map(([k, v]) => [Buffer.from(k), v ?? EMPTY])) } : {}),
      })),
    }
  }

  async close(): Promise<void> {
    await this.#producer.close()
  }
}

/** One open transaction of a source task's transactional producer (exactly-once source, KIP-618). */
export interface SourceTransaction {
  /** Sends records in the transaction; resolves once Kafka acknowledged them (they stay invisible until commit). */
  send(records: readonly OutgoingRecord[]): Promise<SentRecord[]>
  /** Commits; a fenced producer (a zombie) fails here, and what it sent is never seen by read_committed readers. */
  commit(): Promise<void>
  /** Aborts; nothing sent in the transaction becomes visible. */
  abort(): Promise<void>
}

/** A source task's transactional producer (transactional.id `<group.id>-<connector>-<task>`). */
export interface TransactionalRecordSender {
  /**
   * Claims the transactional id (Java's initTransactions): bumps its epoch, which fences any older producer of the
   * same id and aborts the transaction that producer left open. Called once, before begin().
   */
  init(): Promise<void>
  /** Begins a transaction; fails once the producer was fenced (it never claims its id a second time). */
  begin(): Promise<SourceTransaction>
  close(): Promise<void>
}

/** Presents the id as a new producer's (-1/-1), as Java's initTransactions does; see transactional-writer.ts. */
const FRESH_PRODUCER = { producerId: -1n, producerEpoch: -1 }

/** A TransactionalRecordSender over an @platformatic/kafka producer with a transactionalId (which it owns). */
export class KafkaTransactionalRecordSender implements TransactionalRecordSender {
  readonly #producer: Producer
  readonly #sender: KafkaRecordSender
  #claimed: { producerId: bigint; producerEpoch: number } | undefined

  constructor(producer: Producer) {
    this.#producer = producer
    this.#sender = new KafkaRecordSender(producer)
  }

  async init(): Promise<void> {
    try {
      const transaction = await this.#producer.beginTransaction(FRESH_PRODUCER)
      await transaction.cancel()
    } catch (error) {
      throw toKafkaError(error, 'initializing the transactional producer')
    }
    const producerId = this.#producer.producerId
    const producerEpoch = this.#producer.producerEpoch
    if (producerId === undefined || producerEpoch === undefined) {
      throw new KafkaError(false, 'the transactional producer has no producer id after its initialization')
    }
    this.#claimed = { producerId, producerEpoch }
  }

  async begin(): Promise<SourceTransaction> {
    const claimed = this.#claimed
    // After a fencing error the library forgets its producer id and would claim the id anew on the next begin,
    // fencing the task that fenced us: a zombie must stay fenced, so it fails here instead.
    if (
      claimed === undefined ||
      this.#producer.producerId !== claimed.producerId ||
      this.#producer.producerEpoch !== claimed.producerEpoch
    ) {
      throw new KafkaError(false, 'the transactional producer was fenced out or never initialized')
    }
    let transaction: Awaited<ReturnType<Producer['beginTransaction']>>
    try {
      transaction = await this.#producer.beginTransaction(claimed)
    } catch (error) {
      throw toKafkaError(error, 'beginning a transaction')
    }
    const sender = this.#sender
    return {
      async send(records) {
        // One produce call at a time: the library adds a transaction's partitions per call, deduplicating
        // concurrent calls, so concurrent sends could skip AddPartitionsToTxn for some partitions.
        const out: SentRecord[] = []
        for (const chunk of chunkBySize(records, DEFAULT_MAX_REQUEST_BYTES)) {
          out.push(...(await sender.sendInTransaction(transaction, chunk)))
        }
        return out
      },
      async commit() {
        try {
          await transaction.commit()
        } catch (error) {
          throw toKafkaError(error, 'committing a transaction')
        }
      },
      async abort() {
        try {
          await transaction.abort()
        } catch (error) {
          await transaction.cancel().catch(() => {})
          throw toKafkaError(error, 'aborting a transaction')
        }
      },
    }
  }

  async close(): Promise<void> {
    await this.#producer.close()
  }
}

/**
 * Where each record went. The client answers one base offset per partition and not which record went where, so
 * offsets are exact when all of a topic's records of the call went to one partition (a record's offset is then the
 * base plus its index); otherwise the partition and offset are -1.
 */
export function sentRecords(
  records: readonly OutgoingRecord[],
  bases: readonly { topic: string; partition: number; offset: bigint }[],
): SentRecord[] {
  const byTopic = new Map<string, { partition: number; offset: bigint }[]>()
  for (const b of bases) byTopic.set(b.topic, [...(byTopic.get(b.topic) ?? []), b])
  const index = new Map<string, number>()
  return records.map((r) => {
    const parts = byTopic.get(r.topic) ?? []
    const i = index.get(r.topic) ?? 0
    index.set(r.topic, i + 1)
    const only = parts.length === 1 ? parts[0] : undefined
    return only
      ? { topic: r.topic, partition: only.partition, offset: Number(only.offset) + i, timestamp: r.timestamp }
      : { topic: r.topic, partition: r.partition ?? -1, offset: -1, timestamp: r.timestamp }
  })
}
