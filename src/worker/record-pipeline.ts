/**
 * The per-record steps both loops share: transforms and converters, each wrapped by the task's retry-and-tolerance
 * operator in its own stage (KEY_CONVERTER, VALUE_CONVERTER, HEADER_CONVERTER, TRANSFORMATION), so that a failure
 * names the stage and the class that failed. These run synchronously on the hot path: converters and transforms are
 * synchronous, and a tolerated failure is returned (not awaited) so that the loop reports it after the batch.
 *
 * A converter that waits for I/O (ConversionPendingError) or fails retriably with retries allowed makes the record's
 * outcome `{ retry }`: the loop then awaits `settleOutcome`, which converts the record again from the start once the
 * wait or backoff is over. Only that record pays an await; the warm path stays synchronous.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import { type ConnectRecord, SinkRecord, type SourceRecord } from '../api/records.ts'
import { Headers } from '../data/headers.ts'
import type { FetchedRecord } from '../kafka/fetch.ts'
import type { StageRunner, TransformationChain } from '../transforms/chain.ts'
import type { StageInfo } from '../transforms/stage.ts'
import type { DeferredRetry, ErrorContext, RawRecord, RetryWithTolerance } from './error-handling.ts'
import type { OutgoingRecord } from './record-sender.ts'

/** The converters and transforms of one task. */
export interface RecordPipeline {
  keyConverter: Converter
  valueConverter: Converter
  headerConverter: HeaderConverter
  transforms: TransformationChain
  errors: RetryWithTolerance
  /** Class names for error reports. */
  names: { key: string; value: string; header: string }
}

/** What one record became: a result, dropped by a transform, or a tolerated failure to report. */
export type Outcome<T> = { ok: T } | { dropped: true } | { failed: ErrorContext }

/** An Outcome, or a converter's wait or retriable failure for `settleOutcome` to settle. */
export type FirstOutcome<T> = Outcome<T> | { retry: DeferredRetry }

/** Settles a `{ retry }` outcome: waits or backs off as errors.retry.* says, then converts the record again. */
export function settleOutcome<T>(
  p: RecordPipeline,
  first: { retry: DeferredRetry },
  again: () => FirstOutcome<T>,
): Promise<Outcome<T>> {
  return p.errors.settle(first.retry, again)
}

const toBuffer = (b: Uint8Array | null): Buffer | null =>
  b === null ? null : Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)

function transform<R extends ConnectRecord>(
  p: RecordPipeline,
  record: R,
  raw: () => RawRecord | null,
): R | null | { failed: ErrorContext } {
  if (p.transforms.isEmpty()) return record
  let failure: ErrorContext | undefined
  const runner: StageRunner = <T extends ConnectRecord>(stage: StageInfo, run: () => T | null): T | null => {
    const r = p.errors.executeSync('TRANSFORMATION', stage.className, run, () => ({ raw: raw(), record }))
    if (r !== null && 'failed' in r) {
      failure = r.failed
      return null
    }
    return r
  }
  const out = p.transforms.apply(record, runner)
  return failure ? { failed: failure } : out
}

/** A source record through the transforms and converters, to the bytes to produce. */
export function sourceToOutgoing(p: RecordPipeline, record: SourceRecord): FirstOutcome<OutgoingRecord> {
  const transformed = transform(p, record, () => null)
  if (transformed === null) return { dropped: true }
  if ('failed' in transformed) return transformed
  const r = transformed
  const partial: RawRecord = {
    topic: r.topic,
    partition: r.kafkaPartition,
    offset: null,
    timestamp: r.timestamp === null ? null : BigInt(r.timestamp),
    key: null,
    value: null,
    headers: [],
  }
  const describe = () => ({ raw: partial, record: r })
  const headers: [string, Buffer | null][] = []
  if (!r.headers.isEmpty()) {
    const h = p.errors.executeSync(
      'HEADER_CONVERTER',
      p.names.header,
      () => {
        for (const header of r.headers) {
          headers.push([
            header.key,
            toBuffer(p.headerConverter.fromConnectHeader(r.topic, header.key, header.schema, header.value)),
          ])
        }
        return true
      },
      describe,
    )
    if (typeof h === 'object') return h
    partial.headers = headers.map(([k, v]) => [Buffer.from(k), v])
  }
  const key = p.errors.executeSync(
    'KEY_CONVERTER',
    p.names.key,
    () => toBuffer(p.keyConverter.fromConnectData(r.topic, r.keySchema, r.key, r.headers)),
    describe,
    true,
  )
  if (key !== null && !Buffer.isBuffer(key)) return key
  partial.key = key
  const value = p.errors.executeSync(
    'VALUE_CONVERTER',
    p.names.value,
    () => toBuffer(p.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value, r.headers)),
    describe,
    true,
  )
  if (value !== null && !Buffer.isBuffer(value)) return value
  return {
    ok: {
      topic: r.topic,
      partition: r.kafkaPartition,
      key,
      value,
      headers,
      timestamp: r.timestamp !== null && r.timestamp >= 0 ? r.timestamp : null,
    },
  }
}

/** The bytes of a consumed record, for error reports and the DLQ. */
export function rawOf(record: FetchedRecord): RawRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key,
    value: record.value,
    headers: record.headers,
  }
}

/** A consumed record through the converters and transforms, to the SinkRecord to put. */
export function consumedToSink(p: RecordPipeline, record: FetchedRecord): FirstOutcome<SinkRecord> {
  const describe = () => ({ raw: rawOf(record), record: null })
  const key = p.errors.executeSync(
    'KEY_CONVERTER',
    p.names.key,
    () => p.keyConverter.toConnectData(record.topic, record.key),
    describe,
    true,
  )
  if ('failed' in key || 'retry' in key) return key
  const value = p.errors.executeSync(
    'VALUE_CONVERTER',
    p.names.value,
    () => p.valueConverter.toConnectData(record.topic, record.value),
    describe,
    true,
  )
  if ('failed' in value || 'retry' in value) return value
  const headers = new Headers()
  if (record.headers.length > 0) {
    const h = p.errors.executeSync(
      'HEADER_CONVERTER',
      p.names.header,
      () => {
        for (const [k, v] of record.headers) {
          const name = k.toString('utf8')
          const sv = p.headerConverter.toConnectHeader(record.topic, name, v)
          headers.add(name, sv.value, sv.schema)
        }
        return true
      },
      describe,
    )
    if (typeof h === 'object') return h
  }
  const sink = new SinkRecord({
    topic: record.topic,
    kafkaPartition: record.partition,
    kafkaOffset: record.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: record.timestamp >= 0n ? Number(record.timestamp) : null,
    timestampType: record.timestampType,
    headers,
  })
  const transformed = transform(p, sink, () => rawOf(record))
  if (transformed === null) return { dropped: true }
  if ('failed' in transformed) return transformed
  return { ok: transformed }
}
