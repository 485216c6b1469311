/** The manual clock runs timers and sleepers only when advanced past their deadline, earliest first. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ManualClock } from '../../../src/util/clock.ts'

test('a timer runs once the clock passes its deadline, not before', () => {
  const clock = new ManualClock()
  let ran = 0
  clock.setTimer(100, () => ran++)
  clock.advance(99)
  assert.equal(ran, 0)
  clock.advance(1)
  assert.equal(ran, 1)
  clock.advance(1000)
  assert.equal(ran, 1)
})

test('a cancelled timer never runs', () => {
  const clock = new ManualClock()
  let ran = false
  const cancel = clock.setTimer(10, () => {
    ran = true
  })
  cancel()
  clock.advance(10)
  assert.equal(ran, false)
  assert.equal(clock.pendingSleeps, 0)
})

test('timers and sleepers due in one advance run earliest first', async () => {
  const clock = new ManualClock()
  const order: string[] = []
  clock.setTimer(30, () => order.push('timer 30'))
  const slept = clock.sleep(20).then(() => order.push('sleep 20'))
  clock.setTimer(10, () => order.push('timer 10'))
  assert.equal(clock.pendingSleeps, 3)
  clock.advance(30)
  await slept
  // Timers run inside advance(); a sleeper resumes on the next microtask.
  assert.deepEqual(order, ['timer 10', 'timer 30', 'sleep 20'])
})
