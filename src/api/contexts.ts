/**
 * What the worker gives connectors and tasks, as Java's ConnectorContext, SourceConnectorContext,
 * SinkConnectorContext, SourceTaskContext, SinkTaskContext, OffsetStorageReader, TransactionContext and
 * ErrantRecordReporter. Java's maps keyed by TopicPartition or by partition maps are arrays of entries here.
 */
import type { OrderedSourceMap, SinkRecord, SourceOffset, SourcePartition, SourceRecord } from './records.ts'

/** A Kafka topic partition. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** A topic partition and an offset in it: for sinks, the offset of the next record to read. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number
  /** Commit metadata, passed through to the consumer group. */
  readonly metadata?: string
}

/** A source partition (as it was asked for) and its committed offset (null when none). */
export interface SourcePartitionOffset {
  readonly partition: SourcePartition | OrderedSourceMap
  readonly offset: SourceOffset | null
}

/** Where Kafka stored a record a source task produced. */
export interface RecordMetadata {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: number | null
}

/** What every connector can ask of the worker. */
export interface ConnectorContext {
  /**
   * Asks the worker to call taskConfigs() again and restart the tasks if their configs changed, e.g. when the
   * connector sees a new table or file to copy.
   */
  requestTaskReconfiguration(): void
  /** Marks the connector FAILED with this error; use it for failures found outside a worker call (a monitor). */
  raiseError(error: Error): void
}

/** Reads committed source offsets; every read first catches up with the offsets topic. */
export interface OffsetStorageReader {
  /** The committed offset of one source partition, or null. */
  offset(partition: SourcePartition | OrderedSourceMap): Promise<SourceOffset | null>
  /** The committed offsets of several source partitions; partitions without one are left out. */
  offsets(partitions: readonly (SourcePartition | OrderedSourceMap)[]): Promise<SourcePartitionOffset[]>
}

/** A source connector's context: adds committed offsets. */
export interface SourceConnectorContext extends ConnectorContext {
  offsetStorageReader(): OffsetStorageReader
}

/** A sink connector's context. */
export interface SinkConnectorContext extends ConnectorContext {}

/**
 * Lets a source task define transactions when exactly-once support is on with transaction.boundary=connector.
 * A request takes effect once the given record (or the current batch) has been sent.
 */
export interface TransactionContext {
  /** Commits after the given record, or after the current batch when none is given. */
  commitTransaction(record?: SourceRecord): void
  /** Aborts (drops) the transaction that holds the given record, or the current batch. */
  abortTransaction(record?: SourceRecord): void
}

/** A source task's context. */
export interface SourceTaskContext {
  /** The task's config, as given to start(). */
  configs(): Readonly<Record<string, string>>
  offsetStorageReader(): OffsetStorageReader
  /** Non-null only with exactly-once support on and transaction.boundary=connector. */
  transactionContext(): TransactionContext | null
}

/**
 * Sends records a sink task cannot process to the dead letter queue or the log, per the connector's errors.*
 * settings. With errors.tolerance=none reporting fails the task. The record's offset is committed only after the
 * returned promise settles.
 */
export interface ErrantRecordReporter {
  report(record: SinkRecord, error: Error): Promise<void>
}

/** A sink task's context. */
export interface SinkTaskContext {
  /** The task's config, as given to start(). */
  configs(): Readonly<Record<string, string>>
  /** Rewinds (or skips) consumption: the next records read from each partition start at the given offset. */
  offset(offsets: readonly TopicPartitionOffset[]): void
  /** After put() throws RetriableError, waits this long before the batch is given again. */
  timeout(timeoutMs: number): void
  /** The partitions currently assigned to this task. */
  assignment(): TopicPartition[]
  /** Stops fetching from these partitions until resumed (records already fetched are still delivered). */
  pause(...partitions: TopicPartition[]): void
  /** Resumes fetching from paused partitions. */
  resume(...partitions: TopicPartition[]): void
  /** Asks for an offset commit (flush, then commit) as soon as possible. */
  requestCommit(): void
  /** The reporter for bad records, or null when the connector has no DLQ and errors.log.enable=false. */
  errantRecordReporter(): ErrantRecordReporter | null
}
