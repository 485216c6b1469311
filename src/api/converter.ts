/**
 * Converters: Connect data to and from the bytes of Kafka record keys, values and headers, as Java's Converter and
 * HeaderConverter. They are synchronous, like Java's: they run once per record on the hot path.
 *
 * A converter gets its config with the `key.converter.` / `value.converter.` / `header.converter.` prefix removed,
 * from the worker config or, when the connector sets its own converter, from the connector config.
 * Bytes it cannot read make it throw DataError, with the reason; the worker's errors.tolerance decides the rest.
 * A converter that needs I/O first (a schema registry on a cold cache) throws ConversionPendingError, and a
 * RetriableError when that I/O failed: the worker retries those per errors.retry.* (Java's converters block on the
 * registry call instead; a Node worker must not block its event loop).
 */
import type { ConfigDef } from '../config/config-def.ts'
import type { Headers } from '../data/headers.ts'
import type { Schema } from '../data/schema.ts'
import type { SchemaAndValue } from '../data/schema-and-value.ts'
import { RetriableError } from '../errors.ts'

/** What a converter instance converts, as Java's ConverterType (the `converter.type` config). */
export type ConverterType = 'key' | 'value' | 'header'

/** Converts record keys or values. */
export interface Converter {
  /** Configures the converter; `isKey` says whether it converts keys or values. */
  configure(configs: Readonly<Record<string, unknown>>, isKey: boolean): void
  /** Connect data to bytes; null for a null value (a tombstone). */
  fromConnectData(topic: string, schema: Schema | null, value: unknown, headers?: Headers): Uint8Array | null
  /** Bytes to Connect data; SchemaAndValue.NULL for null. */
  toConnectData(topic: string, value: Uint8Array | null, headers?: Headers): SchemaAndValue
  /** The converter's configs. */
  config(): ConfigDef
  /** Releases resources. */
  close?(): void
  /** The converter's version. */
  version?(): string
}

/** Converts header values. */
export interface HeaderConverter {
  /** Configures the converter. */
  configure(configs: Readonly<Record<string, unknown>>): void
  /** A header's bytes to Connect data. */
  toConnectHeader(topic: string, headerKey: string, value: Uint8Array | null): SchemaAndValue
  /** A header's Connect data to bytes; null for null. */
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null
  /** The converter's configs. */
  config(): ConfigDef
  /** Releases resources. */
  close?(): void
  /** The converter's version. */
  version?(): string
}

/**
 * Thrown by a converter that cannot convert a record until some I/O of its own has finished, typically a schema
 * registry lookup on a cold cache. The worker awaits `ready` (aborted when the task stops) and converts the same
 * record again from the start, transforms included; waiting is not a failure and does not count against
 * errors.retry.timeout. `ready` must settle once the I/O is over, and must not reject: a converter that failed
 * keeps the failure and throws it (a RetriableError for a registry that is down) on the next call.
 *
 * tsconnect's own: Java's converters block their task thread on such calls; a Node worker must not block its
 * event loop, so the converter stays synchronous and the wait moves to the worker.
 */
export class ConversionPendingError extends RetriableError {
  override name = 'ConversionPendingError'
  /** Settles when the converter may be called again for the same record. */
  readonly ready: Promise<void>

  constructor(message: string, ready: Promise<void>) {
    super(message)
    this.ready = ready
  }
}
