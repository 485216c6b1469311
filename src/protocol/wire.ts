/**
 * The primitive types of Kafka's protocol `Struct` encoding, as Java's `org.apache.kafka.common.protocol.types.Type`
 * writes them: big-endian fixed-width integers, INT16-length UTF-8 strings, INT32-length nullable bytes and
 * INT32-count (nullable) arrays.
 *
 * The Connect group protocol (connect-metadata.ts, connect-assignment.ts) is built from these. The reader checks
 * every length against the bytes that are left and raises CorruptDataError instead of reading past the end, so a
 * malformed message from another worker can never crash this one.
 */
import { CorruptDataError } from '../errors.ts'

/** Appends primitives to a growing buffer. */
export class WireWriter {
  #chunks: Buffer[] = []
  #size = 0

  #push(chunk: Buffer): this {
    this.#chunks.push(chunk)
    this.#size += chunk.length
    return this
  }

  /** INT16, big-endian. */
  int16(value: number): this {
    const b = Buffer.allocUnsafe(2)
    b.writeInt16BE(value)
    return this.#push(b)
  }

  /** INT32, big-endian. */
  int32(value: number): this {
    const b = Buffer.allocUnsafe(4)
    b.writeInt32BE(value)
    return this.#push(b)
  }

  /** INT64, big-endian. */
  int64(value: bigint): this {
    const b = Buffer.allocUnsafe(8)
    b.writeBigInt64BE(value)
    return this.#push(b)
  }

  /** STRING: INT16 byte length, then UTF-8. Not nullable, at most 32767 bytes (Java rejects longer ones too). */
  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8')
    if (bytes.length > 0x7fff) throw new RangeError(`string of ${bytes.length} bytes is longer than 32767`)
    return this.int16(bytes.length).#push(bytes)
  }

  /** NULLABLE_BYTES: INT32 length (-1 for null), then the bytes. */
  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1)
    return this.int32(value.length).#push(value)
  }

  /** ARRAY / nullable ARRAY: INT32 count (-1 for null), then each element. */
  array<T>(items: readonly T[] | null, writeItem: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1)
    this.int32(items.length)
    for (const item of items) writeItem(this, item)
    return this
  }

  /** The bytes written so far, as one buffer. */
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#size)
  }
}

/** Reads primitives from a buffer, checking every length; `what` names the message in errors. */
export class WireReader {
  readonly #buf: Buffer
  readonly #what: string
  #pos = 0

  constructor(buf: Buffer, what: string) {
    this.#buf = buf
    this.#what = what
  }

  /** Whether unread bytes remain (Java's `tolerateMissingFieldsWithDefaults` decides on exactly this). */
  hasRemaining(): boolean {
    return this.#pos < this.#buf.length
  }

  #need(n: number, field: string): void {
    if (this.#pos + n > this.#buf.length) {
      throw new CorruptDataError(
        `${this.#what}: field '${field}' needs ${n} bytes at offset ${this.#pos}, only ${this.#buf.length - this.#pos} left`,
      )
    }
  }

  /** INT16; `field` names it in errors. */
  int16(field: string): number {
    this.#need(2, field)
    const v = this.#buf.readInt16BE(this.#pos)
    this.#pos += 2
    return v
  }

  /** INT32. */
  int32(field: string): number {
    this.#need(4, field)
    const v = this.#buf.readInt32BE(this.#pos)
    this.#pos += 4
    return v
  }

  /** INT64, as a bigint (config offsets use the full range). */
  int64(field: string): bigint {
    this.#need(8, field)
    const v = this.#buf.readBigInt64BE(this.#pos)
    this.#pos += 8
    return v
  }

  /** STRING: INT16 length then UTF-8; null, negative lengths and invalid UTF-8 are corrupt. */
  string(field: string): string {
    const length = this.int16(field)
    if (length < 0) throw new CorruptDataError(`${this.#what}: field '${field}' is a null or negative-length string`)
    this.#need(length, field)
    const bytes = this.#buf.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    // Java decodes with a replacing decoder too, but a string that does not survive the round trip is not ours.
    const value = bytes.toString('utf8')
    if (!Buffer.from(value, 'utf8').equals(bytes)) {
      throw new CorruptDataError(`${this.#what}: field '${field}' is not valid UTF-8`)
    }
    return value
  }

  /** NULLABLE_BYTES: INT32 length (-1 for null) then the bytes (a view, not a copy). */
  nullableBytes(field: string): Buffer | null {
    const length = this.int32(field)
    if (length === -1) return null
    if (length < 0) throw new CorruptDataError(`${this.#what}: field '${field}' has negative length ${length}`)
    this.#need(length, field)
    const bytes = this.#buf.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    return bytes
  }

  /** A nullable array; a count that cannot fit in the remaining bytes (each element takes ≥ `minItemBytes`) is rejected. */
  nullableArray<T>(field: string, minItemBytes: number, readItem: (r: this) => T): T[] | null {
    const count = this.int32(field)
    if (count === -1) return null
    if (count < 0) throw new CorruptDataError(`${this.#what}: field '${field}' has negative count ${count}`)
    // Guards against a huge count in a tiny message allocating (or looping) without bound.
    this.#need(count * minItemBytes, field)
    const items: T[] = []
    for (let i = 0; i < count; i++) items.push(readItem(this))
    return items
  }

  /** A non-nullable array: null (-1) is corrupt. */
  array<T>(field: string, minItemBytes: number, readItem: (r: this) => T): T[] {
    const items = this.nullableArray(field, minItemBytes, readItem)
    if (items === null) throw new CorruptDataError(`${this.#what}: field '${field}' is null but may not be`)
    return items
  }
}
