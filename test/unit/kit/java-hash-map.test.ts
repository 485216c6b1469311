import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { javaHashMapOrder, javaStringHashCode } from '../../../src/kit/java-hash-map.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'

/** Entries in alphabetical order: the order a TS connector happens to build them in must not matter. */
const sorted = (o: Record<string, string | number | boolean>) =>
  Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const text = (b: Buffer | null) => b?.toString('utf8')

describe('javaHashMapOrder', () => {
  it("folds strings as Java's String.hashCode does", () => {
    assert.equal(javaStringHashCode(''), 0)
    assert.equal(javaStringHashCode('lsn'), 107_463)
    assert.equal(javaStringHashCode('snapshot_completed'), 1_005_543_824)
    assert.equal(javaStringHashCode('\u{1F600}'), 1_772_899) // two UTF-16 code units, as Java sees them
  })

  it("writes Debezium PostgreSQL's snapshot offset with the bytes Java wrote", () => {
    const offset = javaHashMapOrder(
      sorted({
        last_snapshot_record: true,
        lsn: 27112224,
        txId: 748,
        ts_usec: 1796318590599605,
        snapshot: 'INITIAL',
        snapshot_completed: true,
      }),
    )
    assert.equal(
      text(encodeOffsetValue(offset)),
      '{"last_snapshot_record":true,"lsn":27112224,"txId":748,"ts_usec":1796318590599605,"snapshot":"INITIAL","snapshot_completed":true}',
    )
    assert.equal(text(encodeOffsetKey('pg1', javaHashMapOrder([['server', 'pgsrv']]))), '["pg1",{"server":"pgsrv"}]')
  })

  it("writes Debezium PostgreSQL's streaming offset with the bytes Java wrote", () => {
    const offset = javaHashMapOrder(
      sorted({
        lsn_proc: 27112992,
        messageType: 'DELETE',
        lsn_commit: 27112992,
        lsn: 27112992,
        txId: 751,
        ts_usec: 1796318608522890,
      }),
    )
    assert.equal(
      text(encodeOffsetValue(offset)),
      '{"lsn_proc":27112992,"messageType":"DELETE","lsn_commit":27112992,"lsn":27112992,"txId":751,"ts_usec":1796318608522890}',
    )
  })

  it("writes Debezium MariaDB's snapshot offset with the bytes Java wrote", () => {
    const offset = javaHashMapOrder(
      sorted({ ts_sec: 1796318664, file: 'mysql-bin.000001', pos: 1692, gtids: '0-223344-6', snapshot: 'INITIAL' }),
    )
    assert.equal(
      text(encodeOffsetValue(offset)),
      '{"ts_sec":1796318664,"file":"mysql-bin.000001","pos":1692,"gtids":"0-223344-6","snapshot":"INITIAL"}',
    )
  })

  it("writes Debezium MariaDB's streaming offset with the bytes Java wrote, keys of one bucket in put order", () => {
    // server_id and event share bucket 12: their order is the order of the puts in Debezium's
    // BinlogOffsetContext.offsetUsingPosition (server_id, gtids, file, pos, event, row, ts_sec).
    const offset = javaHashMapOrder([
      ['server_id', 223344],
      ['gtids', '0-223344-8'],
      ['file', 'mysql-bin.000001'],
      ['pos', 2216],
      ['event', 2],
      ['row', 1],
      ['ts_sec', 1796318677],
    ])
    assert.equal(
      text(encodeOffsetValue(offset)),
      '{"ts_sec":1796318677,"file":"mysql-bin.000001","pos":2216,"gtids":"0-223344-8","row":1,"server_id":223344,"event":2}',
    )
  })

  it("writes MirrorMaker 2's source partition with the key bytes Java wrote", () => {
    const partition = javaHashMapOrder(sorted({ topic: 'pgsrv.inv.customers', partition: 0, cluster: 'src' }))
    assert.equal(
      text(encodeOffsetKey('mm2src', partition)),
      '["mm2src",{"cluster":"src","partition":0,"topic":"pgsrv.inv.customers"}]',
    )
    assert.equal(text(encodeOffsetValue(javaHashMapOrder([['offset', 5]]))), '{"offset":5}')
  })

  it("orders the JDBC source's new HashMap<>(3) (capacity 4) as Java does", () => {
    const offset = javaHashMapOrder(
      [
        ['timestamp', 1796318677000],
        ['timestamp_nanos', 123456],
        ['incrementing', 42],
      ],
      3,
    )
    assert.deepEqual([...offset.keys()], ['timestamp_nanos', 'incrementing', 'timestamp'])
  })

  it('keeps integer-like keys where Java puts them, which a plain object cannot', () => {
    const entries: [string, number][] = [
      ['a', 1],
      ['10', 2],
    ]
    assert.deepEqual(Object.keys(Object.fromEntries(entries)), ['10', 'a'])
    // "a" hashes to bucket 1, "10" (hash 1567) to bucket 15 of 16.
    assert.equal(text(encodeOffsetValue(javaHashMapOrder(entries))), '{"a":1,"10":2}')
  })

  it('grows the table as HashMap does once the size passes 0.75 of the capacity', () => {
    // The orders Java 17's HashMap iterates for the same puts. In 16 buckets "p" (hash 112) is in bucket 0, first;
    // 13 keys pass 0.75 of 16, the table doubles to 32 and "p" moves to bucket 16, after "m" (109, bucket 13).
    const order = (keys: string, capacity?: number) =>
      [
        ...javaHashMapOrder(
          keys.split(' ').map((k) => [k, 0] as const),
          capacity,
        ).keys(),
      ].join(' ')
    assert.equal(order('a b c p'), 'p a b c')
    assert.equal(order('a b c d e f g h i j k l m p'), 'a b c d e f g h i j k l m p')
    assert.equal(order('p a q b zz', 0), 'p zz a q b')
  })

  it('keeps the first place and the last value of a key given twice, as a repeated put does', () => {
    const map = javaHashMapOrder([
      ['lsn', 1],
      ['txId', 2],
      ['lsn', 3],
    ])
    assert.deepEqual(
      [...map],
      [
        ...javaHashMapOrder([
          ['lsn', 3],
          ['txId', 2],
        ]),
      ],
    )
  })

  it('refuses a negative initial capacity, as HashMap does', () => {
    assert.throws(() => javaHashMapOrder([], -1), /Illegal initial capacity: -1/)
  })
})
