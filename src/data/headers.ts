/**
 * Headers of a Connect record, as Java's Header and ConnectHeaders: an ordered list of (key, schema, value) where a
 * key may repeat. A value given with a schema is checked against it when added.
 */
import type { BigDecimal } from './big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from './logical-types.ts'
import { Schema } from './schema.ts'
import type { Struct } from './struct.ts'
import { validateValue } from './validate.ts'

/** One record header: a key and a value with its (possibly null) schema. Immutable. */
export class Header {
  readonly key: string
  readonly schema: Schema | null
  readonly value: unknown

  constructor(key: string, schema: Schema | null, value: unknown) {
    this.key = key
    this.schema = schema
    this.value = value ?? null
    Object.freeze(this)
  }

  /** A header with this key and another schema and value. */
  with(schema: Schema | null, value: unknown): Header {
    return new Header(this.key, schema, value)
  }

  /** A header with this schema and value under another key. */
  rename(key: string): Header {
    return new Header(key, this.schema, this.value)
  }

  toString(): string {
    return `ConnectHeader(key=${this.key}, value=${String(this.value)}, schema=${String(this.schema)})`
  }
}

/** A function that replaces a header, or drops it by returning null. */
export type HeaderTransform = (header: Header) => Header | null

/** The ordered, mutable headers of one record. */
export class Headers implements Iterable<Header> {
  #headers: Header[] = []

  /** Headers holding copies of the given ones. */
  constructor(headers?: Iterable<Header>) {
    if (headers !== undefined) for (const h of headers) this.#headers.push(h)
  }

  /** How many headers there are. */
  get size(): number {
    return this.#headers.length
  }

  /** Whether there are none. */
  isEmpty(): boolean {
    return this.#headers.length === 0
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#headers[Symbol.iterator]()
  }

  /** Adds a header; with a schema the value is checked against it (DataError when it does not match). */
  add(key: string, value: unknown, schema?: Schema | null): this
  add(header: Header): this
  add(keyOrHeader: string | Header, value?: unknown, schema: Schema | null = null): this {
    const header = keyOrHeader instanceof Header ? keyOrHeader : new Header(keyOrHeader, schema, value)
    if (header.schema !== null) validateValue(header.schema, header.value)
    this.#headers.push(header)
    return this
  }

  /** Adds a STRING header. */
  addString(key: string, value: string | null): this {
    return this.add(key, value, value == null ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA)
  }
  /** Adds a BOOLEAN header. */
  addBoolean(key: string, value: boolean): this {
    return this.add(key, value, Schema.BOOLEAN_SCHEMA)
  }
  /** Adds an INT8 header. */
  addByte(key: string, value: number): this {
    return this.add(key, value, Schema.INT8_SCHEMA)
  }
  /** Adds an INT16 header. */
  addShort(key: string, value: number): this {
    return this.add(key, value, Schema.INT16_SCHEMA)
  }
  /** Adds an INT32 header. */
  addInt(key: string, value: number): this {
    return this.add(key, value, Schema.INT32_SCHEMA)
  }
  /** Adds an INT64 header. */
  addLong(key: string, value: number | bigint): this {
    return this.add(key, value, Schema.INT64_SCHEMA)
  }
  /** Adds a FLOAT32 header. */
  addFloat(key: string, value: number): this {
    return this.add(key, value, Schema.FLOAT32_SCHEMA)
  }
  /** Adds a FLOAT64 header. */
  addDouble(key: string, value: number): this {
    return this.add(key, value, Schema.FLOAT64_SCHEMA)
  }
  /** Adds a BYTES header. */
  addBytes(key: string, value: Uint8Array): this {
    return this.add(key, value, Schema.BYTES_SCHEMA)
  }
  /** Adds an ARRAY header with its schema. */
  addList(key: string, value: unknown[], schema: Schema): this {
    return this.add(key, value, schema)
  }
  /** Adds a MAP header with its schema. */
  addMap(key: string, value: Map<unknown, unknown>, schema: Schema): this {
    return this.add(key, value, schema)
  }
  /** Adds a STRUCT header. */
  addStruct(key: string, value: Struct): this {
    return this.add(key, value, value.schema)
  }
  /** Adds a Decimal header, with a schema of the value's scale. */
  addDecimal(key: string, value: BigDecimal): this {
    return this.add(key, value, Decimal.schema(value.scale))
  }
  /** Adds a Date (days) header. */
  addDate(key: string, value: Date): this {
    return this.add(key, value, ConnectDate.SCHEMA)
  }
  /** Adds a Time header. */
  addTime(key: string, value: Date): this {
    return this.add(key, value, Time.SCHEMA)
  }
  /** Adds a Timestamp header. */
  addTimestamp(key: string, value: Date): this {
    return this.add(key, value, Timestamp.SCHEMA)
  }

  /** All headers, in order. */
  all(): readonly Header[] {
    return [...this.#headers]
  }

  /** The last header with this key, or undefined. */
  lastWithName(key: string): Header | undefined {
    for (let i = this.#headers.length - 1; i >= 0; i--) {
      const h = this.#headers[i]
      if (h?.key === key) return h
    }
    return undefined
  }

  /** Every header with this key, in order. */
  allWithName(key: string): Header[] {
    return this.#headers.filter((h) => h.key === key)
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    this.#headers = this.#headers.filter((h) => h.key !== key)
    return this
  }

  /** Keeps only the last header of each key (or of the given key only). */
  retainLatest(key?: string): this {
    const seen = new Set<string>()
    const kept: Header[] = []
    for (let i = this.#headers.length - 1; i >= 0; i--) {
      const h = this.#headers[i] as Header
      if ((key === undefined || h.key === key) && seen.has(h.key)) continue
      seen.add(h.key)
      kept.push(h)
    }
    this.#headers = kept.reverse()
    return this
  }

  /** Removes every header. */
  clear(): this {
    this.#headers = []
    return this
  }

  /** Replaces each header (or only those with `key`) by what `transform` returns; null drops it. */
  apply(transform: HeaderTransform, key?: string): this {
    const next: Header[] = []
    for (const h of this.#headers) {
      if (key !== undefined && h.key !== key) {
        next.push(h)
        continue
      }
      const t = transform(h)
      if (t !== null) next.push(t)
    }
    this.#headers = next
    return this
  }

  /** An independent copy. */
  duplicate(): Headers {
    return new Headers(this.#headers)
  }

  toString(): string {
    return `ConnectHeaders(headers=${this.#headers.map(String).join(', ')})`
  }
}
