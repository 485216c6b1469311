/**
 * The pgoutput logical decoding protocol, version 1 (what Debezium asks for with `proto_version=1`), decoded from the
 * bytes of PostgreSQL's XLogData payloads. Column values stay PostgreSQL's text output, exactly as sent: converting
 * them is the schema's job (schema/values.ts), so no value passes through a lossy JS type on the way.
 *
 * Grammar (PostgreSQL's "Logical Replication Message Formats"; Int64 big-endian, String NUL-terminated UTF-8):
 *   Begin    'B' finalLsn:Int64 commitTime:Int64 xid:Int32
 *   Commit   'C' flags:Int8 commitLsn:Int64 endLsn:Int64 commitTime:Int64
 *   Origin   'O' originLsn:Int64 name:String
 *   Relation 'R' oid:Int32 namespace:String name:String replicaIdentity:Int8 ncols:Int16
 *               { flags:Int8 (1 = part of the key) name:String typeOid:Int32 typmod:Int32 } * ncols
 *   Type     'Y' oid:Int32 namespace:String name:String
 *   Insert   'I' oid:Int32 'N' TupleData
 *   Update   'U' oid:Int32 [ 'K' TupleData | 'O' TupleData ] 'N' TupleData
 *   Delete   'D' oid:Int32 ( 'K' | 'O' ) TupleData
 *   Truncate 'T' nrels:Int32 options:Int8 (1 cascade, 2 restart identity) oid:Int32 * nrels
 *   Message  'M' flags:Int8 lsn:Int64 prefix:String length:Int32 content:Byte*length
 *   TupleData ncols:Int16 { 'n' | 'u' | 't' length:Int32 text:Byte*length } * ncols
 * Times are microseconds since 2000-01-01 (converted here to Unix microseconds).
 */
import { pgMicrosToUnixMicros } from './lsn.ts'

/** One column value of a tuple: null, unchanged TOAST (not sent), or PostgreSQL's text output. */
export type TupleValue = { kind: 'null' } | { kind: 'unchanged' } | { kind: 'text'; text: string }

/** A column as a Relation message describes it. */
export interface RelationColumn {
  name: string
  typeOid: number
  typmod: number
  isKey: boolean
}

/** What the decoder yields, one per pgoutput message. */
export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTimeMicros: bigint; xid: number }
  | { tag: 'commit'; flags: number; commitLsn: bigint; endLsn: bigint; commitTimeMicros: bigint }
  | { tag: 'origin'; originLsn: bigint; name: string }
  | {
      tag: 'relation'
      oid: number
      namespace: string
      name: string
      replicaIdentity: string
      columns: RelationColumn[]
    }
  | { tag: 'type'; oid: number; namespace: string; name: string }
  | { tag: 'insert'; oid: number; after: TupleValue[] }
  | { tag: 'update'; oid: number; before: TupleValue[] | null; beforeIsKeyOnly: boolean; after: TupleValue[] }
  | { tag: 'delete'; oid: number; before: TupleValue[]; beforeIsKeyOnly: boolean }
  | { tag: 'truncate'; oids: number[]; cascade: boolean; restartIdentity: boolean }
  | { tag: 'message'; transactional: boolean; lsn: bigint; prefix: string; content: Uint8Array }

/** A cursor over one message's bytes. */
class Reader {
  #buf: Buffer
  #pos: number

  constructor(buf: Buffer, pos = 0) {
    this.#buf = buf
    this.#pos = pos
  }

  byte(): number {
    return this.#buf.readUInt8(this.#pos++)
  }

  char(): string {
    return String.fromCharCode(this.byte())
  }

  int16(): number {
    const v = this.#buf.readInt16BE(this.#pos)
    this.#pos += 2
    return v
  }

  int32(): number {
    const v = this.#buf.readInt32BE(this.#pos)
    this.#pos += 4
    return v
  }

  uint32(): number {
    const v = this.#buf.readUInt32BE(this.#pos)
    this.#pos += 4
    return v
  }

  int64(): bigint {
    const v = this.#buf.readBigInt64BE(this.#pos)
    this.#pos += 8
    return v
  }

  uint64(): bigint {
    const v = this.#buf.readBigUInt64BE(this.#pos)
    this.#pos += 8
    return v
  }

  string(): string {
    const end = this.#buf.indexOf(0, this.#pos)
    if (end < 0) throw new Error('pgoutput: unterminated string')
    const s = this.#buf.toString('utf8', this.#pos, end)
    this.#pos = end + 1
    return s
  }

  bytes(length: number): Buffer {
    const b = this.#buf.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    return b
  }

  tuple(): TupleValue[] {
    const count = this.int16()
    const values: TupleValue[] = []
    for (let i = 0; i < count; i++) {
      const kind = this.char()
      if (kind === 'n') values.push({ kind: 'null' })
      else if (kind === 'u') values.push({ kind: 'unchanged' })
      else if (kind === 't') values.push({ kind: 'text', text: this.bytes(this.int32()).toString('utf8') })
      else throw new Error(`pgoutput: unknown tuple value kind '${kind}' (binary values need proto_version 2)`)
    }
    return values
  }
}

/** Decodes one pgoutput message (the payload of an XLogData message). */
export function decodePgOutput(payload: Buffer): PgOutputMessage {
  const r = new Reader(payload)
  const tag = r.char()
  switch (tag) {
    case 'B':
      return { tag: 'begin', finalLsn: r.uint64(), commitTimeMicros: pgMicrosToUnixMicros(r.int64()), xid: r.uint32() }
    case 'C':
      return {
        tag: 'commit',
        flags: r.byte(),
        commitLsn: r.uint64(),
        endLsn: r.uint64(),
        commitTimeMicros: pgMicrosToUnixMicros(r.int64()),
      }
    case 'O':
      return { tag: 'origin', originLsn: r.uint64(), name: r.string() }
    case 'R': {
      const oid = r.uint32()
      const namespace = r.string()
      const name = r.string()
      const replicaIdentity = r.char()
      const count = r.int16()
      const columns: RelationColumn[] = []
      for (let i = 0; i < count; i++) {
        const flags = r.byte()
        columns.push({ isKey: (flags & 1) === 1, name: r.string(), typeOid: r.uint32(), typmod: r.int32() })
      }
      return { tag: 'relation', oid, namespace, name, replicaIdentity, columns }
    }
    case 'Y':
      return { tag: 'type', oid: r.uint32(), namespace: r.string(), name: r.string() }
    case 'I': {
      const oid = r.uint32()
      const marker = r.char()
      if (marker !== 'N') throw new Error(`pgoutput: insert without a new tuple ('${marker}')`)
      return { tag: 'insert', oid, after: r.tuple() }
    }
    case 'U': {
      const oid = r.uint32()
      let marker = r.char()
      let before: TupleValue[] | null = null
      let beforeIsKeyOnly = false
      if (marker === 'K' || marker === 'O') {
        beforeIsKeyOnly = marker === 'K'
        before = r.tuple()
        marker = r.char()
      }
      if (marker !== 'N') throw new Error(`pgoutput: update without a new tuple ('${marker}')`)
      return { tag: 'update', oid, before, beforeIsKeyOnly, after: r.tuple() }
    }
    case 'D': {
      const oid = r.uint32()
      const marker = r.char()
      if (marker !== 'K' && marker !== 'O') throw new Error(`pgoutput: delete without an old tuple ('${marker}')`)
      return { tag: 'delete', oid, before: r.tuple(), beforeIsKeyOnly: marker === 'K' }
    }
    case 'T': {
      const count = r.int32()
      const options = r.byte()
      const oids: number[] = []
      for (let i = 0; i < count; i++) oids.push(r.uint32())
      return { tag: 'truncate', oids, cascade: (options & 1) === 1, restartIdentity: (options & 2) === 2 }
    }
    case 'M': {
      const flags = r.byte()
      const lsn = r.uint64()
      const prefix = r.string()
      const content = new Uint8Array(r.bytes(r.int32()))
      return { tag: 'message', transactional: (flags & 1) === 1, lsn, prefix, content }
    }
    default:
      throw new Error(`pgoutput: unknown message type '${tag}'`)
  }
}

/**
 * The replication stream's CopyData messages (PostgreSQL's "Streaming Replication Protocol"):
 *   XLogData          'w' dataStart:Int64 walEnd:Int64 sendTime:Int64 payload:Byte*
 *   Primary keepalive 'k' walEnd:Int64 sendTime:Int64 replyRequested:Int8
 */
export type CopyDataMessage =
  | { tag: 'xlog'; dataStart: bigint; walEnd: bigint; payload: Buffer }
  | { tag: 'keepalive'; walEnd: bigint; replyRequested: boolean }

/** Decodes one CopyData message of a START_REPLICATION stream. */
export function decodeCopyData(chunk: Buffer): CopyDataMessage {
  const r = new Reader(chunk)
  const tag = r.char()
  if (tag === 'w') {
    const dataStart = r.uint64()
    const walEnd = r.uint64()
    r.int64()
    // A copy: pg's protocol parser reuses the buffer the chunk views once the next socket read arrives.
    return { tag: 'xlog', dataStart, walEnd, payload: Buffer.from(chunk.subarray(25)) }
  }
  if (tag === 'k') {
    const walEnd = r.uint64()
    r.int64()
    return { tag: 'keepalive', walEnd, replyRequested: r.byte() === 1 }
  }
  throw new Error(`replication stream: unknown CopyData message '${tag}'`)
}

/**
 * The standby status update a client sends (CopyData):
 *   'r' written:Int64 flushed:Int64 applied:Int64 clientTime:Int64 replyRequested:Int8
 * PostgreSQL moves the slot's confirmed_flush_lsn to `flushed`.
 */
export function encodeStandbyStatus(lsn: bigint, clientTimePgMicros: bigint, replyRequested = false): Buffer {
  const buf = Buffer.alloc(34)
  buf.write('r', 0)
  buf.writeBigUInt64BE(lsn, 1)
  buf.writeBigUInt64BE(lsn, 9)
  buf.writeBigUInt64BE(lsn, 17)
  buf.writeBigInt64BE(clientTimePgMicros, 25)
  buf.writeUInt8(replyRequested ? 1 : 0, 33)
  return buf
}
