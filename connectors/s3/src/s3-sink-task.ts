/**
 * The S3 sink task (Confluent's S3SinkTask): one TopicPartitionWriter per assigned partition; put() buffers the
 * records and lets every writer write and commit what is due; preCommit() returns, per partition, only the offset
 * after the last uploaded record, so the worker never commits past what is in S3 (exactly-once, with the
 * deterministic names of topic-partition-writer.ts). Nothing is uploaded at close or stop: open files are dropped
 * and read again from the committed offset by whoever gets the partition.
 *
 * A failed upload is not a failed task: the partition is read again from the first record not uploaded
 * (context.offset), its writer starts afresh, and writing pauses for s3.retry.backoff.ms, as Confluent's task does.
 */
import { DataError, type SinkRecord, SinkTask, type TopicPartition, type TopicPartitionOffset } from 'tsconnect'
import { parseS3SinkConfig, type S3SinkSettings } from './config.ts'
import { type Format, newFormat } from './formats/index.ts'
import { newPartitioner, type Partitioner } from './partitioners.ts'
import { S3ObjectStore } from './s3-storage.ts'
import { type ObjectStore, TopicPartitionWriter } from './topic-partition-writer.ts'
import { VERSION } from './version.ts'

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/** Writes a task's partitions to S3. */
export class S3SinkTask extends SinkTask {
  #settings: S3SinkSettings | null = null
  #partitioner: Partitioner | null = null
  #format: Format | null = null
  #store: (ObjectStore & { close?(): void }) | null = null
  readonly #writers = new Map<string, TopicPartitionWriter>()
  /** The clock; tests may replace it. */
  now: () => number = () => Date.now()

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.#settings = parseS3SinkConfig(props)
    this.#partitioner = newPartitioner(this.#settings)
    this.#format = newFormat(this.#settings)
    const store = new S3ObjectStore(this.#settings)
    await store.checkBucket()
    this.#store = store
    for (const tp of this.context.assignment()) this.#open(tp)
  }

  /** Uses another object store (tests of the writing rules without S3). */
  useStore(store: ObjectStore): void {
    this.#store = store
  }

  override open(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#open(tp)
  }

  #open(tp: TopicPartition): void {
    if (this.#writers.has(key(tp))) return
    const s = this.#settings as S3SinkSettings
    const writer = new TopicPartitionWriter(
      { topic: tp.topic, partition: tp.partition },
      s,
      this.#partitioner as Partitioner,
      this.#format as Format,
      this.#store as ObjectStore,
      this.now(),
    )
    this.#writers.set(key(tp), writer)
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const s = this.#settings as S3SinkSettings
    const reporter = this.context.errantRecordReporter()
    for (const record of records) {
      if (record.value === null || record.value === undefined) {
        if (s.nullValues === 'ignore') {
          continue
        }
        throw new DataError(
          `Null valued records are not writeable with current behavior.on.null.values 'fail' (topic ${record.topic}, partition ${record.kafkaPartition}, offset ${record.kafkaOffset})`,
        )
      }
      const tp = { topic: record.topic, partition: record.kafkaPartition }
      this.#open(tp)
      this.#writers.get(key(tp))?.buffer(record)
    }
    for (const [k, writer] of this.#writers) {
      try {
        await writer.write(this.now(), reporter)
      } catch (error) {
        if (error instanceof DataError) throw error
        // An upload failed: read the partition again from the first record not uploaded, with a fresh writer.
        const replay = writer.replayOffset
        if (replay !== null) this.context.offset([{ ...writer.tp, offset: replay }])
        const fresh = new TopicPartitionWriter(
          writer.tp,
          s,
          this.#partitioner as Partitioner,
          this.#format as Format,
          this.#store as ObjectStore,
          this.now(),
        )
        fresh.pauseUntil(this.now() + s.retryBackoffMs)
        this.#writers.set(k, fresh)
        console.warn(
          `S3 sink: writing ${writer.tp.topic}-${writer.tp.partition} failed (${String(error)}); reading again from offset ${replay}`,
        )
      }
    }
  }

  override async preCommit(_currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    const out: TopicPartitionOffset[] = []
    for (const writer of this.#writers.values()) {
      const offset = writer.offsetToCommit
      if (offset !== null) out.push({ ...writer.tp, offset })
    }
    return out
  }

  override close(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#writers.delete(key(tp))
  }

  stop(): void {
    this.#writers.clear()
    this.#store?.close?.()
  }
}
