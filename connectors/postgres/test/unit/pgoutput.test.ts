/**
 * The pgoutput decoder on messages built byte by byte after PostgreSQL's "Logical Replication Message Formats":
 * 64-bit LSNs and microsecond times stay exact, column values stay PostgreSQL's text.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatLsn, parseLsn } from '../../src/replication/lsn.ts'
import { decodeCopyData, decodePgOutput, encodeStandbyStatus } from '../../src/replication/pgoutput.ts'

function int64(v: bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigInt64BE(v)
  return b
}
function int32(v: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(v)
  return b
}
function int16(v: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(v)
  return b
}
const str = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])])
const ch = (c: string) => Buffer.from(c, 'latin1')
const text = (s: string) => Buffer.concat([ch('t'), int32(Buffer.byteLength(s)), Buffer.from(s, 'utf8')])

test('an LSN beyond 2^53 round-trips through its text form as bigint', () => {
  const lsn = parseLsn('FFFFFFFF/FFFFFFFE')
  assert.equal(lsn, 2n ** 64n - 2n)
  assert.equal(formatLsn(lsn), 'FFFFFFFF/FFFFFFFE')
  assert.equal(parseLsn('0/19DB620'), 27112992n)
})

test('Begin carries the final LSN, the commit time in Unix microseconds and the xid', () => {
  const m = decodePgOutput(Buffer.concat([ch('B'), int64(0x1_0000_0001n), int64(1n), int32(751)]))
  assert.deepEqual(m, { tag: 'begin', finalLsn: 0x1_0000_0001n, commitTimeMicros: 946_684_800_000_001n, xid: 751 })
})

test('Commit carries commit and end LSNs', () => {
  const m = decodePgOutput(Buffer.concat([ch('C'), Buffer.from([0]), int64(100n), int64(200n), int64(0n)]))
  assert.deepEqual(m, {
    tag: 'commit',
    flags: 0,
    commitLsn: 100n,
    endLsn: 200n,
    commitTimeMicros: 946_684_800_000_000n,
  })
})

test('Relation lists the columns with their key flags, type oids and typmods', () => {
  const m = decodePgOutput(
    Buffer.concat([
      ch('R'),
      int32(16385),
      str('inv'),
      str('customers'),
      ch('d'),
      int16(2),
      Buffer.from([1]),
      str('id'),
      int32(23),
      int32(-1),
      Buffer.from([0]),
      str('price'),
      int32(1700),
      int32(655366),
    ]),
  )
  assert.deepEqual(m, {
    tag: 'relation',
    oid: 16385,
    namespace: 'inv',
    name: 'customers',
    replicaIdentity: 'd',
    columns: [
      { isKey: true, name: 'id', typeOid: 23, typmod: -1 },
      { isKey: false, name: 'price', typeOid: 1700, typmod: 655366 },
    ],
  })
})

test('Insert keeps values as text: a numeric of 40 digits and a timestamp with microseconds are unchanged', () => {
  const big = '1234567890123456789012345678901234567890.0123456789'
  const m = decodePgOutput(
    Buffer.concat([
      ch('I'),
      int32(16385),
      ch('N'),
      int16(3),
      text(big),
      ch('n'),
      text('2024-02-29 23:59:59.123456+00'),
    ]),
  )
  assert.deepEqual(m, {
    tag: 'insert',
    oid: 16385,
    after: [{ kind: 'text', text: big }, { kind: 'null' }, { kind: 'text', text: '2024-02-29 23:59:59.123456+00' }],
  })
})

test('Update with an old key tuple and an unchanged TOAST value; Delete with a full old tuple', () => {
  const update = decodePgOutput(
    Buffer.concat([ch('U'), int32(7), ch('K'), int16(1), text('1'), ch('N'), int16(2), text('1'), ch('u')]),
  )
  assert.deepEqual(update, {
    tag: 'update',
    oid: 7,
    before: [{ kind: 'text', text: '1' }],
    beforeIsKeyOnly: true,
    after: [{ kind: 'text', text: '1' }, { kind: 'unchanged' }],
  })
  const del = decodePgOutput(Buffer.concat([ch('D'), int32(7), ch('O'), int16(1), text('ü')]))
  assert.deepEqual(del, { tag: 'delete', oid: 7, before: [{ kind: 'text', text: 'ü' }], beforeIsKeyOnly: false })
})

test('Truncate lists its relations and options', () => {
  const m = decodePgOutput(Buffer.concat([ch('T'), int32(2), Buffer.from([3]), int32(10), int32(11)]))
  assert.deepEqual(m, { tag: 'truncate', oids: [10, 11], cascade: true, restartIdentity: true })
})

test('XLogData and keepalive frames; the standby status names the LSN three times', () => {
  const xlog = decodeCopyData(Buffer.concat([ch('w'), int64(5n), int64(6n), int64(0n), ch('B')]))
  assert.equal(xlog.tag, 'xlog')
  assert.equal(xlog.tag === 'xlog' && xlog.dataStart, 5n)
  assert.equal(xlog.tag === 'xlog' && xlog.payload.toString('latin1'), 'B')
  assert.deepEqual(decodeCopyData(Buffer.concat([ch('k'), int64(9n), int64(0n), Buffer.from([1])])), {
    tag: 'keepalive',
    walEnd: 9n,
    replyRequested: true,
  })
  const status = encodeStandbyStatus(2n ** 40n, 0n)
  assert.equal(status.toString('latin1', 0, 1), 'r')
  assert.equal(status.readBigUInt64BE(1), 2n ** 40n)
  assert.equal(status.readBigUInt64BE(9), 2n ** 40n)
  assert.equal(status.readBigUInt64BE(17), 2n ** 40n)
})
