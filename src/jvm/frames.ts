/**
 * The JVM plugin host's framing: each frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON (the
 * host's Channel.java is the other half). JSON keeps the protocol readable in a debugger; 64-bit integers travel
 * as decimal strings (data-codec.ts), so no value depends on JSON's number precision.
 */
import { CorruptDataError } from '../errors.ts'

/** The largest frame either side accepts, as Channel.MAX_FRAME. */
export const MAX_FRAME = 256 * 1024 * 1024

/** One message as bytes on the wire. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8')
  const frame = Buffer.allocUnsafe(4 + body.length)
  frame.writeUInt32BE(body.length, 0)
  body.copy(frame, 4)
  return frame
}

/** Splits a byte stream into messages, whatever the chunk boundaries. */
export class FrameDecoder {
  #buffered: Buffer[] = []
  #size = 0

  /** Adds a chunk; returns the messages it completed, in order. */
  push(chunk: Buffer): unknown[] {
    this.#buffered.push(chunk)
    this.#size += chunk.length
    const out: unknown[] = []
    while (this.#size >= 4) {
      const head = this.#take(4, false)
      const length = head.readUInt32BE(0)
      if (length > MAX_FRAME) throw new CorruptDataError(`A JVM plugin host frame of ${length} bytes is out of range`)
      if (this.#size < 4 + length) break
      this.#take(4, true)
      out.push(JSON.parse(this.#take(length, true).toString('utf8')))
    }
    return out
  }

  #take(n: number, consume: boolean): Buffer {
    const all = this.#buffered.length === 1 ? (this.#buffered[0] as Buffer) : Buffer.concat(this.#buffered)
    this.#buffered = [all]
    const part = all.subarray(0, n)
    if (consume) {
      this.#buffered = [all.subarray(n)]
      this.#size -= n
    }
    return part
  }
}
