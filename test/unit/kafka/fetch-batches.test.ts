/**
 * How one partition's record batches become records: offsets before the fetch position, control batches and,
 * under read_committed, aborted transactions are dropped, the way Java's consumer drops them.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type FetchResponsePartition, toBatch } from '../../../src/kafka/fetch.ts'

type Batch = NonNullable<FetchResponsePartition['records']>[number]

const TRANSACTIONAL = 0x10
const CONTROL = 0x20

function batch(firstOffset: number, values: string[], producerId = -1, attributes = 0): Batch {
  return {
    firstOffset: BigInt(firstOffset),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 0n,
    maxTimestamp: 0n,
    producerId: BigInt(producerId),
    producerEpoch: 0,
    firstSequence: 0,
    records: values.map((v, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key: Buffer.from(`k${firstOffset + i}`),
      value: Buffer.from(v),
      headers: [],
    })),
  }
}

/** A transaction marker: control record key = version int16, type int16 (0 abort, 1 commit). */
function marker(offset: number, producerId: number, commit: boolean): Batch {
  const b = batch(offset, ['marker'], producerId, TRANSACTIONAL | CONTROL)
  const key = Buffer.alloc(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(commit ? 1 : 0, 2)
  ;(b.records[0] as { key: Buffer }).key = key
  return b
}

function answer(records: Batch[], aborted: [number, number][] = []): FetchResponsePartition {
  return {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: 100n,
    lastStableOffset: 100n,
    logStartOffset: 0n,
    abortedTransactions: aborted.map(([producerId, firstOffset]) => ({
      producerId: BigInt(producerId),
      firstOffset: BigInt(firstOffset),
    })),
    preferredReadReplica: -1,
    records,
  }
}

const values = (b: ReturnType<typeof toBatch>) => b.records.map((r) => r.value?.toString())

describe('toBatch', () => {
  test('skips records before the fetch position (a batch that starts earlier) and control batches', () => {
    const result = toBatch('t', 0, 2n, answer([batch(0, ['a', 'b', 'c', 'd']), marker(4, 7, true)]), false)
    assert.deepEqual(values(result), ['c', 'd'])
    assert.equal(result.nextOffset, 5n)
  })

  test('read_committed drops aborted transactions, also when the abort marker comes in a later response', () => {
    const records = [
      batch(10, ['aborted-1', 'aborted-2'], 7, TRANSACTIONAL),
      marker(12, 7, false),
      batch(13, ['committed'], 7, TRANSACTIONAL),
      marker(14, 7, true),
      batch(15, ['plain'], -1),
      batch(16, ['aborted-later'], 7, TRANSACTIONAL),
    ]
    const result = toBatch(
      't',
      0,
      10n,
      answer(records, [
        [7, 10],
        [7, 16],
      ]),
      true,
    )
    assert.deepEqual(values(result), ['committed', 'plain'])
    assert.equal(result.nextOffset, 17n)
  })

  test('read_uncommitted keeps every data record', () => {
    const records = [batch(10, ['aborted'], 7, TRANSACTIONAL), marker(11, 7, false)]
    assert.deepEqual(values(toBatch('t', 0, 10n, answer(records, [[7, 10]]), false)), ['aborted'])
  })

  test("another producer's records between an aborted transaction and its marker are kept", () => {
    const records = [
      batch(10, ['p7-aborted'], 7, TRANSACTIONAL),
      batch(11, ['p8-committed'], 8, TRANSACTIONAL),
      marker(12, 7, false),
      marker(13, 8, true),
    ]
    assert.deepEqual(values(toBatch('t', 0, 10n, answer(records, [[7, 10]]), true)), ['p8-committed'])
  })
})
