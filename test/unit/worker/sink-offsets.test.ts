/**
 * SinkOffsets, the sink loop's offsets per partition (Invariant 2): what put() took becomes current, skipped records
 * count once the records before them are put, rewinds and failed flushes seek back.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TopicPartition } from '../../../src/api/contexts.ts'
import { SinkRecord } from '../../../src/api/records.ts'
import { SinkOffsets } from '../../../src/worker/sink-offsets.ts'

const record = (topic: string, partition: number, offset: number) =>
  new SinkRecord({ topic, kafkaPartition: partition, kafkaOffset: offset, key: null, value: null })

/** A seek that records its calls. */
function seeks() {
  const calls: string[] = []
  return { calls, seek: (tp: TopicPartition, offset: number) => calls.push(`${tp.topic}-${tp.partition}@${offset}`) }
}

describe('SinkOffsets', () => {
  test('after a put, each partition is current at its last put record + 1', () => {
    const offsets = new SinkOffsets()
    offsets.afterPut([record('t', 0, 4), record('t', 0, 5), record('t', 1, 9), record('u', 0, 0)])
    assert.deepEqual(offsets.current(), [
      { topic: 't', partition: 0, offset: 6 },
      { topic: 't', partition: 1, offset: 10 },
      { topic: 'u', partition: 0, offset: 1 },
    ])
  })

  test('a skipped record counts only at the next put, and never moves a partition back', () => {
    const offsets = new SinkOffsets()
    offsets.skip({ topic: 't', partition: 0 }, 8)
    offsets.skip({ topic: 't', partition: 1 }, 3)
    assert.deepEqual(offsets.current(), [])
    offsets.afterPut([record('t', 0, 4), record('t', 1, 9)])
    assert.deepEqual(offsets.current(), [
      { topic: 't', partition: 0, offset: 8 },
      { topic: 't', partition: 1, offset: 10 },
    ])
  })

  test('current() answers only the partitions asked for', () => {
    const offsets = new SinkOffsets()
    offsets.afterPut([record('t', 0, 1), record('t', 1, 1)])
    assert.deepEqual(offsets.current([{ topic: 't', partition: 1 }]), [{ topic: 't', partition: 1, offset: 2 }])
  })

  test('only offsets that differ from the last committed ones are to commit', () => {
    const offsets = new SinkOffsets()
    offsets.assigned({ topic: 't', partition: 0 }, 5)
    offsets.committed([{ topic: 't', partition: 1, offset: 7 }])
    const allowed = [
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: 8 },
    ]
    assert.deepEqual(offsets.changed(allowed), [{ topic: 't', partition: 1, offset: 8 }])
  })

  test('a failed flush seeks back to the last committed offsets, which become current again', () => {
    const offsets = new SinkOffsets()
    const { calls, seek } = seeks()
    offsets.assigned({ topic: 't', partition: 0 }, 3)
    offsets.assigned({ topic: 't', partition: 1 }, 0)
    offsets.afterPut([record('t', 0, 10), record('t', 1, 10)])
    offsets.rewindToCommitted(seek, [{ topic: 't', partition: 0 }])
    assert.deepEqual(calls, ['t-0@3'])
    assert.deepEqual(offsets.current(), [
      { topic: 't', partition: 0, offset: 3 },
      { topic: 't', partition: 1, offset: 11 },
    ])
  })

  test("the task's rewinds seek once, and count as current and committed", () => {
    const offsets = new SinkOffsets()
    const { calls, seek } = seeks()
    offsets.afterPut([record('t', 0, 10)])
    offsets.requestRewind({ topic: 't', partition: 0, offset: 2 })
    offsets.applyRewinds(seek)
    offsets.applyRewinds(seek)
    assert.deepEqual(calls, ['t-0@2'])
    assert.deepEqual(offsets.current(), [{ topic: 't', partition: 0, offset: 2 }])
    assert.deepEqual(offsets.changed([{ topic: 't', partition: 0, offset: 2 }]), [])
  })

  test('revoked partitions are forgotten', () => {
    const offsets = new SinkOffsets()
    offsets.afterPut([record('t', 0, 1), record('t', 1, 1)])
    offsets.revoked([{ topic: 't', partition: 0 }])
    assert.deepEqual(offsets.current(), [{ topic: 't', partition: 1, offset: 2 }])
  })
})
