/**
 * Reading partitions without a consumer group: one Fetch request for one partition, flattened into records.
 *
 * The library's high-level `consume()` always joins a group; KafkaBasedLog and tests instead read partitions
 * directly, from an offset of their choosing. The library answers with whole record batches: records before the
 * requested offset (a batch starts earlier) and control records (transaction markers) are dropped here.
 */
import type { Consumer } from '@platformatic/kafka'
import { KafkaError } from '../errors.ts'

/** A record as read from a partition: bytes in, bytes out (Connect converts them). */
export interface FetchedRecord {
  topic: string
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: [Buffer, Buffer | null][]
}

/** The result of one fetch: the records, and the partition's high watermark at the time. */
export interface FetchedBatch {
  records: FetchedRecord[]
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
}

const CONTROL_BATCH = 0x20

/** Fetches records of one partition starting at `offset`, from the partition's current leader. */
export async function fetchPartition(
  consumer: Consumer,
  topic: string,
  partition: number,
  offset: bigint,
  opts: FetchPartitionOptions = {},
): Promise<FetchedBatch> {
  const metadata = await consumer.metadata({ topics: [topic] })
  const topicMeta = metadata.topics.get(topic)
  const leader = topicMeta?.partitions[partition]?.leader
  if (!topicMeta || leader === undefined || leader < 0) {
    throw new KafkaError(true, `no leader known for ${topic}-${partition}`)
  }
  const maxBytes = opts.maxBytes ?? 1024 * 1024
  const response = await consumer.fetch({
    node: leader,
    maxWaitTime: opts.maxWaitMs ?? 500,
    maxBytes,
    topics: [
      {
        topicId: topicMeta.id,
        partitions: [
          { partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, partitionMaxBytes: maxBytes },
        ],
      },
    ],
  })
  const answer = response.responses[0]?.partitions.find((p) => p.partitionIndex === partition)
  if (!answer) throw new KafkaError(true, `the broker did not answer for ${topic}-${partition}`)
  if (answer.errorCode !== 0) {
    throw new KafkaError(
      true,
      `fetch of ${topic}-${partition} failed with error code ${answer.errorCode}`,
      answer.errorCode,
    )
  }
  const records: FetchedRecord[] = []
  let nextOffset = offset
  for (const batch of answer.records ?? []) {
    const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
    if (batchEnd > nextOffset) nextOffset = batchEnd
    if (batch.attributes & CONTROL_BATCH) continue
    for (const record of batch.records) {
      const recordOffset = batch.firstOffset + BigInt(record.offsetDelta)
      if (recordOffset < offset) continue
      records.push({
        topic,
        partition,
        offset: recordOffset,
        timestamp: batch.firstTimestamp + record.timestampDelta,
        key: record.key,
        value: record.value,
        headers: record.headers.map(([k, v]) => [k ?? Buffer.alloc(0), v]),
      })
    }
  }
  return { records, highWatermark: answer.highWatermark, nextOffset }
}
