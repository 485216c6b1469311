import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sequenceNumbers, verifySequence } from '../../../bench/lib/verify.ts'

describe('the drill verifier', () => {
  test('a complete, ordered arrival has nothing lost or duplicated', () => {
    const v = verifySequence(5, [1, 2, 3, 4, 5])
    assert.deepEqual(v, { sent: 5, received: 5, unique: 5, lost: 0, duplicated: 0, unexpected: 0, lostRanges: [] })
  })

  test('order does not matter, repeats count as duplicates once per extra copy', () => {
    const v = verifySequence(4, [4, 2, 2, 1, 3, 2, 4])
    assert.equal(v.duplicated, 3)
    assert.equal(v.lost, 0)
  })

  test('missing numbers are lost and grouped into ranges, the last one included', () => {
    const v = verifySequence(10, [1, 2, 5, 6, 8])
    assert.equal(v.lost, 5)
    assert.deepEqual(v.lostRanges, [
      [3, 4],
      [7, 7],
      [9, 10],
    ])
  })

  test('numbers never sent are unexpected, neither received duplicates nor lost ones', () => {
    const v = verifySequence(2, [1, 2, 3, Number.NaN])
    assert.deepEqual([v.unexpected, v.duplicated, v.lost], [2, 0, 0])
  })

  test('sequence numbers are read from seq-N lines, other lines are NaN', () => {
    assert.deepEqual(sequenceNumbers('seq-1\nseq-20\n\ngarbage\n'), [1, 20, Number.NaN])
  })
})
