/**
 * Converters: Connect data to and from the bytes of Kafka record keys, values and headers, as Java's Converter and
 * HeaderConverter. They are synchronous, like Java's: they run once per record on the hot path.
 *
 * A converter gets its config with the `key.converter.` / `value.converter.` / `header.converter.` prefix removed,
 * from the worker config or, when the connector sets its own converter, from the connector config.
 * Bytes it cannot read make it throw DataError, with the reason; the worker's errors.tolerance decides the rest.
 */
import type { ConfigDef } from '../config/config-def.ts'
import type { Headers } from '../data/headers.ts'
import type { Schema } from '../data/schema.ts'
import type { SchemaAndValue } from '../data/schema-and-value.ts'

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
