/**
 * Records, as Java's ConnectRecord, SourceRecord and SinkRecord: a topic, an optional partition, a key and a value
 * each with an optional schema, an optional timestamp and headers. SourceRecord adds where the data came from
 * (source partition and offset); SinkRecord adds where it was read (Kafka offset, timestamp type) and, after SMTs
 * changed it, where it was originally read.
 *
 * Records are built from an options object rather than Java's positional constructors; newRecord() makes a copy
 * with some parts replaced, as SMTs do.
 */
import { type Header, Headers } from '../data/headers.ts'
import type { Schema } from '../data/schema.ts'

/** Where a source record came from, e.g. `{ filename: '/var/log/app.log' }`. JSON-compatible. */
export type SourcePartition = Readonly<Record<string, unknown>>
/** How far into its source partition a record is, e.g. `{ position: 1024 }`. JSON-compatible. */
export type SourceOffset = Readonly<Record<string, unknown>>
/**
 * A source partition or offset whose JSON field order is the Map's own, e.g. from javaHashMapOrder, so the offsets
 * topic holds the bytes a Java connector's HashMap writes (a plain object cannot put "10" after "a": JS lists
 * integer-like keys first). Values as in SourcePartition; 64-bit values may be bigints.
 */
export type OrderedSourceMap = ReadonlyMap<string, unknown>

/** The parts every record has. */
export interface ConnectRecordInit {
  topic: string
  /** The Kafka partition, or null to let the producer choose. */
  kafkaPartition?: number | null
  keySchema?: Schema | null
  key?: unknown
  valueSchema?: Schema | null
  value?: unknown
  /** Milliseconds since the epoch, or null for none. */
  timestamp?: number | null
  /** Headers; a fresh empty set when left out. */
  headers?: Headers | Iterable<Header>
}

function toHeaders(h: ConnectRecordInit['headers']): Headers {
  if (h instanceof Headers) return h
  return new Headers(h)
}

/** The base of SourceRecord and SinkRecord. */
export abstract class ConnectRecord {
  readonly topic: string
  readonly kafkaPartition: number | null
  readonly keySchema: Schema | null
  readonly key: unknown
  readonly valueSchema: Schema | null
  readonly value: unknown
  readonly timestamp: number | null
  /** The record's headers (mutable, as in Java). */
  readonly headers: Headers

  constructor(init: ConnectRecordInit) {
    this.topic = init.topic
    this.kafkaPartition = init.kafkaPartition ?? null
    this.keySchema = init.keySchema ?? null
    this.key = init.key ?? null
    this.valueSchema = init.valueSchema ?? null
    this.value = init.value ?? null
    this.timestamp = init.timestamp ?? null
    this.headers = toHeaders(init.headers)
  }

  /** The common parts of this record, for building a modified copy. */
  protected parts(): Required<ConnectRecordInit> {
    return {
      topic: this.topic,
      kafkaPartition: this.kafkaPartition,
      keySchema: this.keySchema,
      key: this.key,
      valueSchema: this.valueSchema,
      value: this.value,
      timestamp: this.timestamp,
      headers: this.headers.duplicate(),
    }
  }

  /** A copy of this record with the given parts replaced (headers are copied unless given). */
  abstract newRecord(changes: Partial<ConnectRecordInit>): this

  toString(): string {
    return `${this.constructor.name}{topic='${this.topic}', kafkaPartition=${this.kafkaPartition}, key=${String(this.key)}, value=${String(this.value)}, timestamp=${this.timestamp}, headers=${String(this.headers)}}`
  }
}

/** What a SourceRecord is made of. */
export interface SourceRecordInit extends ConnectRecordInit {
  sourcePartition: SourcePartition | OrderedSourceMap | null
  sourceOffset: SourceOffset | OrderedSourceMap | null
}

/** A record produced by a SourceTask, with the source position to commit once Kafka has it. */
export class SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition | OrderedSourceMap | null
  readonly sourceOffset: SourceOffset | OrderedSourceMap | null

  constructor(init: SourceRecordInit) {
    super(init)
    this.sourcePartition = init.sourcePartition
    this.sourceOffset = init.sourceOffset
  }

  newRecord(changes: Partial<ConnectRecordInit>): this {
    return new SourceRecord({
      ...this.parts(),
      sourcePartition: this.sourcePartition,
      sourceOffset: this.sourceOffset,
      ...changes,
    }) as this
  }
}

/** How a Kafka record's timestamp was set, as Java's TimestampType. */
export type TimestampType = 'NO_TIMESTAMP_TYPE' | 'CREATE_TIME' | 'LOG_APPEND_TIME'

/** What a SinkRecord is made of. */
export interface SinkRecordInit extends ConnectRecordInit {
  kafkaPartition: number
  kafkaOffset: number
  timestampType?: TimestampType
  /** Where the record was first read, before SMTs; defaults to topic, kafkaPartition and kafkaOffset. */
  originalTopic?: string
  originalKafkaPartition?: number
  originalKafkaOffset?: number
}

/** A record read from Kafka and given to a SinkTask. */
export class SinkRecord extends ConnectRecord {
  declare readonly kafkaPartition: number
  readonly kafkaOffset: number
  readonly timestampType: TimestampType
  /** The topic the record was read from, whatever SMTs made of `topic`. */
  readonly originalTopic: string
  readonly originalKafkaPartition: number
  readonly originalKafkaOffset: number

  constructor(init: SinkRecordInit) {
    super(init)
    this.kafkaOffset = init.kafkaOffset
    this.timestampType = init.timestampType ?? 'NO_TIMESTAMP_TYPE'
    this.originalTopic = init.originalTopic ?? init.topic
    this.originalKafkaPartition = init.originalKafkaPartition ?? init.kafkaPartition
    this.originalKafkaOffset = init.originalKafkaOffset ?? init.kafkaOffset
  }

  newRecord(changes: Partial<ConnectRecordInit>): this {
    const parts = { ...this.parts(), ...changes }
    return new SinkRecord({
      ...parts,
      kafkaPartition: parts.kafkaPartition ?? this.kafkaPartition,
      kafkaOffset: this.kafkaOffset,
      timestampType: this.timestampType,
      originalTopic: this.originalTopic,
      originalKafkaPartition: this.originalKafkaPartition,
      originalKafkaOffset: this.originalKafkaOffset,
    }) as this
  }
}
