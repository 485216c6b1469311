/**
 * PauseReasons, why a sink task's partitions are paused: the task's own pauses, a redelivery and the PAUSED target
 * state each hold partitions, and a partition reads again only when no reason holds it.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TopicPartition } from '../../../src/api/contexts.ts'
import { PauseReasons } from '../../../src/worker/pause-reasons.ts'

const tp = (partition: number): TopicPartition => ({ topic: 't', partition })

/** A consumer with partitions 0..count-1 that keeps the paused set as a real one does. */
function consumer(count: number) {
  const paused = new Set<number>()
  return {
    paused,
    assignment: () => Array.from({ length: count }, (_, i) => tp(i)),
    pause: (ps: readonly TopicPartition[]) => {
      for (const p of ps) paused.add(p.partition)
    },
    resume: (ps: readonly TopicPartition[]) => {
      for (const p of ps) paused.delete(p.partition)
    },
  }
}

const pausedOf = (c: ReturnType<typeof consumer>) => [...c.paused].sort()

describe('PauseReasons', () => {
  test("the task's own pause and resume apply to its partitions at once", () => {
    const c = consumer(3)
    const reasons = new PauseReasons(c)
    reasons.pauseByTask([tp(1)])
    assert.deepEqual(pausedOf(c), [1])
    reasons.resumeByTask([tp(1)])
    assert.deepEqual(pausedOf(c), [])
  })

  test('a redelivery holds every partition, and its end keeps what the task paused', () => {
    const c = consumer(3)
    const reasons = new PauseReasons(c)
    reasons.pauseByTask([tp(2)])
    reasons.setRedelivery(true)
    assert.deepEqual(pausedOf(c), [0, 1, 2])
    reasons.setRedelivery(false)
    assert.deepEqual(pausedOf(c), [2])
  })

  test("the task's resume does not undo a PAUSED target state", () => {
    const c = consumer(2)
    const reasons = new PauseReasons(c)
    reasons.pauseByTask([tp(0)])
    reasons.setTargetPaused(true)
    reasons.resumeByTask([tp(0)])
    assert.deepEqual(pausedOf(c), [0, 1])
    reasons.setTargetPaused(false)
    assert.deepEqual(pausedOf(c), [])
  })

  test('the end of a redelivery does not resume a PAUSED task', () => {
    const c = consumer(2)
    const reasons = new PauseReasons(c)
    reasons.setTargetPaused(true)
    reasons.setRedelivery(true)
    reasons.setRedelivery(false)
    assert.deepEqual(pausedOf(c), [0, 1])
  })

  test('partitions assigned while every partition is held are held too', () => {
    const c = consumer(0)
    const reasons = new PauseReasons(c)
    reasons.setTargetPaused(true)
    reasons.assigned([tp(5)])
    assert.deepEqual(pausedOf(c), [5])
  })

  test("a revoked partition forgets the task's pause", () => {
    const c = consumer(2)
    const reasons = new PauseReasons(c)
    reasons.pauseByTask([tp(1)])
    reasons.revoked([tp(1)])
    reasons.setRedelivery(true)
    reasons.setRedelivery(false)
    assert.deepEqual(pausedOf(c), [])
  })
})
