/** The tools' pacing as Java's ThroughputThrottler: when to throttle and how long to sleep. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ThroughputThrottler } from '../../../../src/connectors/tools/throughput-throttler.ts'

describe('ThroughputThrottler', () => {
  test('a negative target never throttles, but a throttle() call sleeps until woken', () => {
    const t = new ThroughputThrottler(-1, 0)
    assert.equal(t.shouldThrottle(1_000_000, 1), false)
    assert.equal(t.throttleMs(), Number.POSITIVE_INFINITY)
  })

  test('a target of 0 throttles once anything was sent, until woken', () => {
    const t = new ThroughputThrottler(0, 0)
    assert.equal(t.shouldThrottle(0, 1000), false)
    assert.equal(t.shouldThrottle(1, 1000), true)
    assert.equal(t.throttleMs(), Number.POSITIVE_INFINITY)
  })

  test('throttles only when the rate since the start is above the target, and never at the start instant', () => {
    const t = new ThroughputThrottler(10, 1000)
    assert.equal(t.shouldThrottle(5, 1000), false)
    assert.equal(t.shouldThrottle(10, 2000), false)
    assert.equal(t.shouldThrottle(11, 2000), true)
  })

  test('each throttle() adds 1/target s of deficit, slept off once it reaches 2 ms', () => {
    const t = new ThroughputThrottler(1000, 0)
    assert.equal(t.throttleMs(), 0)
    assert.equal(t.throttleMs(), 2)
    assert.equal(t.throttleMs(), 0)
    assert.equal(new ThroughputThrottler(10, 0).throttleMs(), 100)
  })
})
