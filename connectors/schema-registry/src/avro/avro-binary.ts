/**
 * Avro's binary encoding, the primitives only (Avro 1.11 specification, "Binary Encoding"):
 *
 *   int, long    zig-zag, then base-128 varint, least significant group first
 *   float        4 bytes, IEEE 754 little-endian;  double: 8 bytes
 *   boolean      one byte, 0 or 1
 *   bytes        long length, then the bytes;  string: long length, then UTF-8
 *   fixed        exactly `size` bytes
 *   array, map   blocks: long count (0 ends; a negative count is followed by the block's byte size), items
 *   union        long branch index, then the branch's value;  enum: int symbol index
 *
 * One growable writer is reused per converter: encoding a record allocates only its output copy.
 */
import { DataError } from 'tsconnect'

const TWO_32 = 2 ** 32
const UTF8 = new TextEncoder()

/** Writes Avro binary into a buffer that grows as needed. */
export class AvroWriter {
  #buf: Uint8Array = new Uint8Array(1024)
  #view = new DataView(this.#buf.buffer)
  /** Bytes written so far. */
  pos = 0

  /** Starts a new message, keeping the buffer. */
  reset(): void {
    this.pos = 0
  }

  #ensure(n: number): void {
    if (this.pos + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.#buf.subarray(0, this.pos))
    this.#buf = next
    this.#view = new DataView(next.buffer)
  }

  /** A copy of what was written. */
  toBytes(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.pos))
  }

  byte(b: number): void {
    this.#ensure(1)
    this.#buf[this.pos++] = b
  }

  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length)
    this.#buf.set(bytes, this.pos)
    this.pos += bytes.length
  }

  /** Big-endian int32 (the wire format's schema id). */
  int32BE(n: number): void {
    this.#ensure(4)
    this.#view.setInt32(this.pos, n, false)
    this.pos += 4
  }

  int(n: number): void {
    this.#ensure(5)
    let z = ((n << 1) ^ (n >> 31)) >>> 0
    while (z > 0x7f) {
      this.#buf[this.pos++] = (z & 0x7f) | 0x80
      z >>>= 7
    }
    this.#buf[this.pos++] = z
  }

  long(n: number | bigint): void {
    if (typeof n === 'number' && n >= -0x40000000 && n < 0x40000000) {
      this.int(n)
      return
    }
    this.#ensure(10)
    const big = BigInt.asIntN(64, BigInt(n))
    let z = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n))
    while (z > 0x7fn) {
      this.#buf[this.pos++] = Number(z & 0x7fn) | 0x80
      z >>= 7n
    }
    this.#buf[this.pos++] = Number(z)
  }

  float(n: number): void {
    this.#ensure(4)
    this.#view.setFloat32(this.pos, n, true)
    this.pos += 4
  }

  double(n: number): void {
    this.#ensure(8)
    this.#view.setFloat64(this.pos, n, true)
    this.pos += 8
  }

  bytes(b: Uint8Array): void {
    this.long(b.length)
    this.raw(b)
  }

  string(s: string): void {
    // At most 3 bytes per UTF-16 unit: write in place, then the length before it.
    const max = s.length * 3
    if (max < 64) {
      this.#ensure(1 + max)
      const start = this.pos + 1
      const { written } = UTF8.encodeInto(s, this.#buf.subarray(start, start + max))
      this.#buf[this.pos] = written << 1
      this.pos = start + written
      return
    }
    this.bytes(Buffer.from(s, 'utf8'))
  }
}

/** Reads Avro binary; a read past the end is a DataError. */
export class AvroReader {
  readonly #buf: Uint8Array
  readonly #view: DataView
  pos: number

  constructor(buf: Uint8Array, pos = 0) {
    this.#buf = buf
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.pos = pos
  }

  get remaining(): number {
    return this.#buf.length - this.pos
  }

  #need(n: number): void {
    if (this.pos + n > this.#buf.length) throw new DataError('Avro data ends early: the bytes do not match the schema')
  }

  byte(): number {
    this.#need(1)
    return this.#buf[this.pos++] as number
  }

  int32BE(): number {
    this.#need(4)
    const n = this.#view.getInt32(this.pos, false)
    this.pos += 4
    return n
  }

  int(): number {
    let z = 0
    let shift = 0
    let b = 0
    do {
      b = this.byte()
      z |= (b & 0x7f) << shift
      shift += 7
    } while (b & 0x80 && shift < 35)
    return (z >>> 1) ^ -(z & 1)
  }

  /** A long: a number when it is a safe integer, else a bigint. */
  long(): number | bigint {
    let lo = 0
    let shift = 0
    let b = 0
    // Up to 28 bits in plain arithmetic, the rest as bigint.
    do {
      b = this.byte()
      lo += (b & 0x7f) * 2 ** shift
      shift += 7
    } while (b & 0x80 && shift < 28)
    if ((b & 0x80) === 0) return lo % 2 === 0 ? lo / 2 : -(lo + 1) / 2
    let z = BigInt(lo)
    let bigShift = 28n
    do {
      b = this.byte()
      z |= BigInt(b & 0x7f) << bigShift
      bigShift += 7n
    } while (b & 0x80 && bigShift < 70n)
    const v = BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n))
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v
  }

  float(): number {
    this.#need(4)
    const n = this.#view.getFloat32(this.pos, true)
    this.pos += 4
    return n
  }

  double(): number {
    this.#need(8)
    const n = this.#view.getFloat64(this.pos, true)
    this.pos += 8
    return n
  }

  fixed(size: number): Uint8Array {
    this.#need(size)
    // A copy: a Buffer's slice would be a view, keeping the whole fetched batch alive behind one BYTES value.
    const out = new Uint8Array(this.#buf.subarray(this.pos, this.pos + size))
    this.pos += size
    return out
  }

  bytes(): Uint8Array {
    return this.fixed(this.#length())
  }

  string(): string {
    const n = this.#length()
    this.#need(n)
    const s = Buffer.from(this.#buf.buffer, this.#buf.byteOffset + this.pos, n).toString('utf8')
    this.pos += n
    return s
  }

  #length(): number {
    const n = this.long()
    if (typeof n !== 'number' || n < 0 || n > TWO_32) throw new DataError(`Invalid Avro length: ${n}`)
    return n
  }

  /** The item count of the next array or map block (its byte size, when given, is skipped). */
  blockCount(): number {
    const n = Number(this.long())
    if (n >= 0) return n
    this.long()
    return -n
  }
}
