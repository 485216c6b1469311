/**
 * The files of one Kafka partition, as Confluent's TopicPartitionWriter keeps them: records are buffered by put(),
 * then written into one open file per encoded partition, and all open files are committed (uploaded) together when
 * a rotation is due:
 *
 *   - size: flush.size records were written since the last commit (counted over all the partition's files);
 *   - time: with a time-based partitioner and rotate.interval.ms, a record's time is that far past the first
 *     record's time since the last commit, or (rotate.file.on.partition.change) the record falls in another
 *     encoded partition than the record before it; the record that triggers it goes into the next file;
 *   - schedule: rotate.schedule.interval.ms on the wall clock, also when no record comes;
 *   - schema: the value schema changed (schema.compatibility NONE), or a tombstone follows a value or the reverse.
 *
 * Exactly-once (Confluent's recipe): an object is named after the offset of its first record,
 * `<topics.dir>/<directory>/<topic><file.delim><partition><file.delim><start offset, zero-padded><extension>`, and
 * the offset to commit advances only after an upload, to the offset after the last record uploaded. A replay from
 * that offset rotates at the same records (the rules above depend only on the records, except schedule and
 * Wallclock time) and so writes the same names with the same contents, overwriting rather than duplicating.
 */
import { DataError, type ErrantRecordReporter, type Schema, type SinkRecord, type TopicPartition } from 'tsconnect'
import type { S3SinkSettings } from './config.ts'
import type { Format, RecordWriter } from './formats/format.ts'
import type { Partitioner } from './partitioners.ts'
import { nextScheduledRotation } from './zoned-time.ts'

/** Where committed files go. */
export interface ObjectStore {
  /** Stores the object under the key, replacing any object of that key. */
  put(key: string, body: Uint8Array): Promise<void>
}

interface OpenFile {
  key: string
  startOffset: number
  writer: RecordWriter
}

function sameSchema(a: Schema | null, b: Schema | null): boolean {
  if (a === null || b === null) return a === b
  return a === b || a.equals(b)
}

/** One Kafka partition's buffer and open files. */
export class TopicPartitionWriter {
  readonly tp: TopicPartition
  readonly #settings: S3SinkSettings
  readonly #partitioner: Partitioner
  readonly #format: Format
  readonly #store: ObjectStore
  readonly #buffer: SinkRecord[] = []
  /** Open files by encoded partition, in the order they were opened (the order they are committed in). */
  readonly #files = new Map<string, OpenFile>()
  readonly #schemas = new Map<string, Schema | null>()
  #recordCount = 0
  #baseTimestamp: number | null = null
  #currentTimestamp: number | null = null
  #currentEncoded: string | null = null
  #currentOffset = -1
  #offsetToCommit: number | null = null
  #nextScheduled = Number.POSITIVE_INFINITY
  /** Writing pauses until then after a failed upload (s3.retry.backoff.ms; Confluent's failureTime). */
  #pausedUntil = 0

  constructor(
    tp: TopicPartition,
    settings: S3SinkSettings,
    partitioner: Partitioner,
    format: Format,
    store: ObjectStore,
    nowMs: number,
  ) {
    this.tp = tp
    this.#settings = settings
    this.#partitioner = partitioner
    this.#format = format
    this.#store = store
    this.#setNextScheduled(nowMs)
  }

  /** Buffers a record for the next write(). */
  buffer(record: SinkRecord): void {
    this.#buffer.push(record)
  }

  /** Records buffered and not yet written into a file. */
  get buffered(): number {
    return this.#buffer.length
  }

  /** The offset after the last record uploaded, or null before the first upload. */
  get offsetToCommit(): number | null {
    return this.#offsetToCommit
  }

  /** The offset to read again from after a failed upload: the first record not uploaded. */
  get replayOffset(): number | null {
    let lowest: number | null = null
    for (const f of this.#files.values()) if (lowest === null || f.startOffset < lowest) lowest = f.startOffset
    return lowest ?? this.#buffer[0]?.kafkaOffset ?? null
  }

  /** Pauses writing until `untilMs` (after a failed upload). */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = untilMs
  }

  /**
   * Writes the buffered records into files and commits them as rotations fall due. A record whose partition cannot
   * be encoded goes to the reporter when there is one, else the DataError is thrown. Upload errors are thrown;
   * the writer must then be discarded and the partition read again from replayOffset.
   */
  async write(nowMs: number, reporter: ErrantRecordReporter | null): Promise<void> {
    if (nowMs < this.#pausedUntil) return
    if (this.#recordCount === 0 && this.#scheduledDue(nowMs)) this.#setNextScheduled(nowMs)
    while (this.#buffer.length > 0) {
      const record = this.#buffer[0] as SinkRecord
      let encoded: string
      try {
        if (this.#partitioner.timestamp) {
          this.#currentTimestamp = this.#partitioner.timestamp(record, nowMs)
          this.#baseTimestamp ??= this.#currentTimestamp
        }
        encoded = this.#partitioner.encodePartition(record, nowMs)
      } catch (error) {
        if (!(error instanceof DataError) || reporter === null) throw error
        await reporter.report(record, error)
        this.#buffer.shift()
        continue
      }
      const valueSchema = record.valueSchema
      const known = this.#schemas.has(encoded)
      let current = this.#schemas.get(encoded) ?? null
      const tombstoneFlip = known && (current === null) !== (valueSchema === null)
      if (current === null || valueSchema === null) {
        this.#schemas.set(encoded, valueSchema)
        current = valueSchema
      }
      if (tombstoneFlip || this.#rotateOnTime(encoded, nowMs)) {
        await this.#commitFiles()
        continue
      }
      if (this.#recordCount > 0 && !sameSchema(current, valueSchema)) {
        this.#schemas.set(encoded, valueSchema)
        await this.#commitFiles()
        continue
      }
      this.#fileFor(encoded, record).writer.write(record)
      this.#buffer.shift()
      this.#currentEncoded = encoded
      this.#currentOffset = record.kafkaOffset
      this.#recordCount++
      if (this.#recordCount >= this.#settings.flushSize) await this.#commitFiles()
    }
    // No more records: files may still be due on the schedule (Confluent's commitOnTimeIfNoData).
    if (this.#recordCount > 0 && this.#currentEncoded !== null && this.#rotateOnTime(this.#currentEncoded, nowMs)) {
      await this.#commitFiles()
    }
  }

  #fileFor(encoded: string, record: SinkRecord): OpenFile {
    let file = this.#files.get(encoded)
    if (file === undefined) {
      file = {
        key: this.objectKey(encoded, record.kafkaOffset),
        startOffset: record.kafkaOffset,
        writer: this.#format.newWriter(),
      }
      this.#files.set(encoded, file)
    }
    return file
  }

  /** The object key of the file of an encoded partition that starts at the offset. */
  objectKey(encoded: string, startOffset: number): string {
    const s = this.#settings
    const name = [this.tp.topic, this.tp.partition, String(startOffset).padStart(s.zeroPadWidth, '0')].join(s.fileDelim)
    const suffix = `${this.#partitioner.partitionedPath(this.tp.topic, encoded)}${s.directoryDelim}${name}${this.#format.extension}`
    return s.topicsDir.trim() === '' ? suffix : `${s.topicsDir}${s.directoryDelim}${suffix}`
  }

  #rotateOnTime(encoded: string, nowMs: number): boolean {
    if (this.#recordCount <= 0) return false
    const s = this.#settings
    const timed = s.rotateIntervalMs > 0 && this.#partitioner.timestamp !== undefined
    const elapsed =
      this.#baseTimestamp !== null &&
      this.#currentTimestamp !== null &&
      this.#currentTimestamp - this.#baseTimestamp >= s.rotateIntervalMs
    const moved = s.rotateOnPartitionChange && encoded !== this.#currentEncoded
    if (timed && (elapsed || moved)) {
      this.#setNextScheduled(nowMs)
      return true
    }
    if (this.#scheduledDue(nowMs)) {
      this.#setNextScheduled(nowMs)
      return true
    }
    return false
  }

  #scheduledDue(nowMs: number): boolean {
    return this.#settings.rotateScheduleIntervalMs > 0 && nowMs >= this.#nextScheduled
  }

  #setNextScheduled(nowMs: number): void {
    const s = this.#settings
    if (s.rotateScheduleIntervalMs > 0) {
      this.#nextScheduled = nextScheduledRotation(nowMs, s.rotateScheduleIntervalMs, s.timezone)
    }
  }

  /** Uploads every open file, then moves the offset to commit past the last record written. */
  async #commitFiles(): Promise<void> {
    for (const file of this.#files.values()) {
      await this.#store.put(file.key, await file.writer.finish())
    }
    this.#files.clear()
    this.#schemas.clear()
    this.#offsetToCommit = this.#currentOffset + 1
    this.#recordCount = 0
    this.#baseTimestamp = null
  }
}
