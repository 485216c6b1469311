/**
 * Reading partitions without a consumer group: Fetch requests flattened into records.
 *
 * The library's high-level `consume()` always joins a group; KafkaBasedLog and tests instead read partitions
 * directly, from offsets of their choosing. `fetchPartitions` sends one Fetch per partition leader and answers per
 * partition, so one partition's error (a moved leader, an offset out of range) does not hide the others' records.
 *
 * The library answers with whole record batches: records before the requested offset (a batch starts earlier)
 * and control records (transaction markers) are dropped here. Under read_committed, batches of aborted
 * transactions are dropped here too, the way Java's consumer does it (the aborted-transactions list of the
 * response, then each producer's abort marker); the library's own filter keeps an aborted batch whenever its
 * abort marker is not in the same response.
 */
import type { Consumer } from '@platformatic/kafka'
import { KafkaError } from '../errors.ts'
import { BROKER_ERROR, brokerError, toKafkaError } from './broker-errors.ts'

/** A record as read from a partition: bytes in, bytes out (Connect converts them). */
export interface FetchedRecord {
  topic: string
  partition: number
  /**
   * The record's offset. A number, as Connect's API hands it to tasks (SinkRecord.kafkaOffset): offsets stay far
   * below 2^53, and converting once here spares the worker a bigint per record and a conversion at every use.
   */
  offset: number
  timestamp: bigint
  /** How the timestamp was set: by the producer, or by the broker (a topic with message.timestamp.type=LogAppendTime). */
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME'
  key: Buffer | null
  value: Buffer | null
  headers: [Buffer, Buffer | null][]
}

/** The result of one fetch: the records, and the partition's high watermark at the time. */
export interface FetchedBatch {
  records: FetchedRecord[]
  /** The partition's high watermark, or -1 when the broker reported nothing new (incremental fetch sessions). */
  highWatermark: bigint
  /** The offset to fetch next. */
  nextOffset: bigint
}

/** Options of fetchPartition. */
export interface FetchPartitionOptions {
  /** How long the broker may wait for data before answering empty (default 500 ms). */
  maxWaitMs?: number
  /** Upper bound of bytes for the partition (default 1 MiB). */
  maxBytes?: number
  /** Read only committed transactional records (Java's isolation.level=read_committed); default false. */
  readCommitted?: boolean
  /** Ask the cluster for fresh metadata first (after a leader moved). */
  refreshMetadata?: boolean
}

/** The answer for one partition: its records, or why it could not be read this time. */
export type PartitionFetch = FetchedBatch | KafkaError

/** One partition of a Fetch response, as the library types it. */
export type FetchResponsePartition = Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number]

/** The batch attribute bit of LogAppendTime (Java's DefaultRecordBatch.TIMESTAMP_TYPE_MASK). */
const LOG_APPEND_TIME_BATCH = 0x08
const TRANSACTIONAL_BATCH = 0x10
const CONTROL_BATCH = 0x20
const ABORT_MARKER = 0

function isAbortMarker(batch: NonNullable<FetchResponsePartition['records']>[number]): boolean {
  return batch.records[0]?.key?.readInt16BE(2) === ABORT_MARKER
}

/**
 * Flattens one partition's batches into records from `offset` on, dropping control batches and, under
 * read_committed, the batches of aborted transactions (exported for its tests).
 */
export function toBatch(
  topic: string,
  partition: number,
  offset: bigint,
  answer: FetchResponsePartition,
  readCommitted: boolean,
): FetchedBatch {
  const aborted = [...(answer.abortedTransactions ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  )
  const abortedProducers = new Set<bigint>()
  let nextAborted = 0
  const records: FetchedRecord[] = []
  let nextOffset = offset
  for (const batch of answer.records ?? []) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta)
    if (lastOffset + 1n > nextOffset) nextOffset = lastOffset + 1n
    const control = (batch.attributes & CONTROL_BATCH) !== 0
    if (readCommitted && batch.producerId >= 0n) {
      while (nextAborted < aborted.length && (aborted[nextAborted]?.firstOffset ?? 0n) <= lastOffset) {
        abortedProducers.add((aborted[nextAborted] as { producerId: bigint }).producerId)
        nextAborted++
      }
      if (control && isAbortMarker(batch)) abortedProducers.delete(batch.producerId)
      else if ((batch.attributes & TRANSACTIONAL_BATCH) !== 0 && abortedProducers.has(batch.producerId)) continue
    }
    if (control) continue
    // Under LogAppendTime the broker stamps the batch, not each record: every record gets the batch's max timestamp,
    // as Java's DefaultRecordBatch hands them out.
    const logAppendTime = (batch.attributes & LOG_APPEND_TIME_BATCH) !== 0
    for (const record of batch.records) {
      const recordOffset = batch.firstOffset + BigInt(record.offsetDelta)
      if (recordOffset < offset) continue
      records.push({
        topic,
        partition,
        offset: Number(recordOffset),
        timestamp: logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta,
        timestampType: logAppendTime ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
        key: record.key,
        value: record.value,
        headers: record.headers.map(([k, v]): [Buffer, Buffer | null] => [k ?? Buffer.alloc(0), v]),
      })
    }
  }
  return { records, highWatermark: answer.highWatermark, nextOffset }
}

interface ResponseCarrier {
  response?: { responses?: { partitions: FetchResponsePartition[] }[] }
}

/**
 * Fetches several partitions of one topic, each from `positions.get(partition)`, with one request per leader.
 * Rejects only when the topic's metadata cannot be had; each partition's own failure is a KafkaError in the map.
 */
export async function fetchPartitions(
  consumer: Consumer,
  topic: string,
  positions: ReadonlyMap<number, bigint>,
  opts: FetchPartitionOptions = {},
): Promise<Map<number, PartitionFetch>> {
  let topicMeta: Awaited<ReturnType<Consumer['metadata']>>['topics'] extends Map<string, infer T> ? T : never
  try {
    const metadata = await consumer.metadata({ topics: [topic], forceUpdate: opts.refreshMetadata === true })
    const found = metadata.topics.get(topic)
    if (!found) throw new KafkaError(true, `no metadata for topic ${topic}`)
    topicMeta = found
  } catch (error) {
    throw toKafkaError(error, `metadata of ${topic}`)
  }
  const maxBytes = opts.maxBytes ?? 1024 * 1024
  const results = new Map<number, PartitionFetch>()
  const byLeader = new Map<number, number[]>()
  for (const partition of positions.keys()) {
    const leader = topicMeta.partitions[partition]?.leader
    if (leader === undefined || leader < 0) {
      results.set(
        partition,
        new KafkaError(true, `no leader known for ${topic}-${partition}`, BROKER_ERROR.LEADER_NOT_AVAILABLE),
      )
      continue
    }
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition])
  }
  const readCommitted = opts.readCommitted === true
  await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      let answers: FetchResponsePartition[] | undefined
      let failure: KafkaError | undefined
      try {
        const response = await consumer.fetch({
          node: leader,
          maxWaitTime: opts.maxWaitMs ?? 500,
          maxBytes: maxBytes * partitions.length,
          isolationLevel: readCommitted ? 1 : 0,
          topics: [
            {
              topicId: topicMeta.id,
              partitions: partitions.map((partition) => ({
                partition,
                currentLeaderEpoch: -1,
                fetchOffset: positions.get(partition) ?? 0n,
                lastFetchedEpoch: -1,
                partitionMaxBytes: maxBytes,
              })),
            },
          ],
        })
        answers = response.responses.flatMap((r) => r.partitions)
      } catch (error) {
        // A response with per-partition errors still carries the partitions that were read fine.
        answers = (error as ResponseCarrier).response?.responses?.flatMap((r) => r.partitions)
        failure = toKafkaError(error, `fetch of ${topic} from broker ${leader}`)
      }
      for (const partition of partitions) {
        const answer = answers?.find((p) => p.partitionIndex === partition)
        const what = `fetch of ${topic}-${partition}`
        if (!answer && failure) results.set(partition, failure)
        else if (!answer) {
          // An incremental fetch session leaves out partitions with nothing new: an empty read, not an error.
          results.set(partition, { records: [], highWatermark: -1n, nextOffset: positions.get(partition) ?? 0n })
        } else if (answer.errorCode !== 0) results.set(partition, brokerError(answer.errorCode, what))
        else results.set(partition, toBatch(topic, partition, positions.get(partition) ?? 0n, answer, readCommitted))
      }
    }),
  )
  return results
}

/** Fetches records of one partition starting at `offset`, from the partition's current leader; throws KafkaError. */
export async function fetchPartition(
  consumer: Consumer,
  topic: string,
  partition: number,
  offset: bigint,
  opts: FetchPartitionOptions = {},
): Promise<FetchedBatch> {
  const result = (await fetchPartitions(consumer, topic, new Map([[partition, offset]]), opts)).get(partition)
  if (!result) throw new KafkaError(true, `the broker did not answer for ${topic}-${partition}`)
  if (result instanceof KafkaError) throw result
  return result
}
