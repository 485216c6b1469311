/**
 * TaskControl and TaskRunner on a manual clock: the loop's waits end on a change or when their time is up, and a
 * task that does not stop within task.shutdown.graceful.timeout.ms is abandoned then, not earlier.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConnectError } from '../../../src/errors.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { TaskControl } from '../../../src/worker/task-control.ts'
import { TaskRunner } from '../../../src/worker/task-runner.ts'
import { quietLogger } from '../../support/stores.ts'
import { settle } from './helpers.ts'

describe('TaskControl.waitForChange', () => {
  test('ends when its time on the clock is up, not before', async () => {
    const clock = new ManualClock()
    const control = new TaskControl(false, clock)
    let done = false
    const waiting = control.waitForChange(100).then(() => {
      done = true
    })
    assert.equal(clock.pendingSleeps, 1, 'the wait is a timer of the clock')
    clock.advance(99)
    await settle()
    assert.equal(done, false)
    clock.advance(1)
    await waiting
    assert.equal(clock.pendingSleeps, 0)
  })

  test('ends at once on a pause, and cancels its timer', async () => {
    const clock = new ManualClock()
    const control = new TaskControl(false, clock)
    const waiting = control.waitForChange(60_000)
    control.pause()
    await waiting
    assert.equal(clock.pendingSleeps, 0)
  })

  test('the soft and the hard stop abort their signals with ABORTED errors', () => {
    const control = new TaskControl()
    control.abandon()
    for (const signal of [control.softSignal, control.hardSignal]) {
      assert.ok(signal.reason instanceof ConnectError && signal.reason.code === 'ABORTED')
    }
  })
})

describe("TaskRunner's graceful stop", () => {
  const runner = (clock: ManualClock, control: TaskControl, loop: () => Promise<void>) =>
    new TaskRunner({
      control,
      loop,
      cleanup: async () => {},
      writeStatus: async () => {},
      onFailure: () => {},
      gracefulTimeoutMs: 5000,
      clock,
      log: quietLogger(),
    })

  test('a task that does not stop is abandoned once the graceful timeout passes on the clock', async () => {
    const clock = new ManualClock()
    const control = new TaskControl(false, clock)
    const r = runner(clock, control, () => new Promise(() => {}))
    r.start()
    let stopped = false
    const stopping = r.stop().then(() => {
      stopped = true
    })
    assert.equal(clock.pendingSleeps, 1, 'the graceful timeout is a timer of the clock')
    clock.advance(4999)
    await settle()
    assert.equal(stopped, false)
    assert.equal(control.hardSignal.aborted, false)
    clock.advance(1)
    await stopping
    assert.equal(control.hardSignal.aborted, true)
  })

  test('a task that stops in time is not abandoned, and the timer is cancelled', async () => {
    const clock = new ManualClock()
    const control = new TaskControl(false, clock)
    const r = runner(clock, control, async () => {
      await new Promise<void>((resolve) => control.softSignal.addEventListener('abort', () => resolve()))
    })
    r.start()
    await r.stop()
    assert.equal(control.hardSignal.aborted, false)
    assert.equal(clock.pendingSleeps, 0)
  })
})
