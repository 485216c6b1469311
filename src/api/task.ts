/**
 * Tasks: the units that move data, as Java's Task, SourceTask and SinkTask. Methods the worker awaits may return
 * promises where Java blocks.
 *
 * Error semantics, per method (design habit 9):
 *   - start(): any error fails the task (state FAILED). Java leaves it failed; tsconnect restarts a failed task with
 *     backoff while tsconnect.auto.restart.enable is true (the default).
 *   - SourceTask.poll(): RetriableError means "poll again"; any other error fails the task. Return null or [] when
 *     there is nothing yet; poll is called again at once, so wait a little inside poll when idle.
 *   - SinkTask.put(): RetriableError pauses consumption and the same batch is given again after context.timeout();
 *     any other error fails the task.
 *   - SinkTask.flush()/preCommit(): an error skips this commit; offsets are retried at the next commit.
 *   - stop(): called once; may run while poll() or put() is pending, and should make them return soon.
 */

import type {
  RecordMetadata,
  SinkTaskContext,
  SourceTaskContext,
  TopicPartition,
  TopicPartitionOffset,
} from './contexts.ts'
import type { SinkRecord, SourceRecord } from './records.ts'

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>

/** What every task implements. */
export interface Task {
  /** The version of the task (usually the connector's). */
  version(): string
  /** Starts with the task config the connector generated. */
  start(props: Readonly<Record<string, string>>): MaybePromise<void>
  /** Stops; see the file comment for how it relates to pending calls. */
  stop(): MaybePromise<void>
}

/** The `transaction.boundary` values for exactly-once source connectors. */
export type TransactionBoundary = 'poll' | 'interval' | 'connector'

/** A task that reads from a source system and returns records to write to Kafka. */
export abstract class SourceTask implements Task {
  /** The config key that sets how transactions are bounded under exactly-once support. */
  static readonly TRANSACTION_BOUNDARY_CONFIG = 'transaction.boundary'

  /** Set by initialize() before start(). */
  protected context!: SourceTaskContext

  /** Called by the worker before start(). */
  initialize(context: SourceTaskContext): void {
    this.context = context
  }

  abstract version(): string
  abstract start(props: Readonly<Record<string, string>>): MaybePromise<void>
  /** The next records, or null/[] when there are none yet. */
  abstract poll(): MaybePromise<SourceRecord[] | null>
  abstract stop(): MaybePromise<void>

  /** Called after offsets up to the last polled records were committed; for sources that acknowledge reads. */
  commit(): MaybePromise<void> {}

  /**
   * Called for each record once Kafka acknowledged it (metadata) or a transform dropped it (metadata null).
   */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): MaybePromise<void> {}
}

/** A task that receives records read from Kafka and writes them to a sink system. */
export abstract class SinkTask implements Task {
  /** The config key listing the topics a sink consumes. */
  static readonly TOPICS_CONFIG = 'topics'
  /** The config key with a regex of the topics a sink consumes. */
  static readonly TOPICS_REGEX_CONFIG = 'topics.regex'

  /** Set by initialize() before start(). */
  protected context!: SinkTaskContext

  /** Called by the worker before start(). */
  initialize(context: SinkTaskContext): void {
    this.context = context
  }

  abstract version(): string
  abstract start(props: Readonly<Record<string, string>>): MaybePromise<void>
  /** Writes (or buffers) records; they are committed only after a later flush() succeeds. */
  abstract put(records: readonly SinkRecord[]): MaybePromise<void>
  abstract stop(): MaybePromise<void>

  /** Makes everything given to put() so far durable; `currentOffsets` is what will be committed. */
  flush(_currentOffsets: readonly TopicPartitionOffset[]): MaybePromise<void> {}

  /**
   * Before a commit: flushes, and returns the offsets that may be committed (by default all of them). Return
   * fewer (or lower) offsets for data not yet durable; return [] to skip this commit.
   */
  async preCommit(currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    await this.flush(currentOffsets)
    return currentOffsets
  }

  /** Partitions newly assigned to this task, before records from them arrive. */
  open(_partitions: readonly TopicPartition[]): MaybePromise<void> {}

  /** Partitions taken away from this task (after a last commit); release their resources. */
  close(_partitions: readonly TopicPartition[]): MaybePromise<void> {}
}

/** A task class: how the worker creates tasks (Java's Class<? extends Task>). */
export type TaskClass = new () => SourceTask | SinkTask
