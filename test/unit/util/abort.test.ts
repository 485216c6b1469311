/**
 * One cancellation vocabulary: abort reasons and cancelled waits are ABORTED ConnectErrors, and isAborted is the
 * one test of "cancelled".
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConnectError, TimeoutError } from '../../../src/errors.ts'
import { abortable, abortReason, bounded, isAborted, signalError } from '../../../src/util/abort.ts'
import { ManualClock, systemClock } from '../../../src/util/clock.ts'

const aborted = (e: unknown) => e instanceof ConnectError && e.code === 'ABORTED'

describe('isAborted', () => {
  test('an ABORTED ConnectError is a cancellation', () => {
    assert.equal(isAborted(abortReason('stopping')), true)
  })
  test("a Node API's AbortError is a cancellation", () => {
    assert.equal(isAborted(new DOMException('The operation was aborted', 'AbortError')), true)
  })
  test('any failure once the signal aborted is a cancellation', () => {
    const controller = new AbortController()
    controller.abort(abortReason('stopping'))
    assert.equal(isAborted(new Error('socket closed'), controller.signal), true)
  })
  test('other failures are not, nor other codes', () => {
    assert.equal(isAborted(new Error('socket closed'), new AbortController().signal), false)
    assert.equal(isAborted(new TimeoutError('too slow')), false)
  })
})

describe('signalError', () => {
  test("is the signal's own reason when that is an ABORTED error", () => {
    const controller = new AbortController()
    const reason = abortReason('the task is stopping')
    controller.abort(reason)
    assert.equal(signalError(controller.signal), reason)
  })
  test('wraps any other reason as the cause of an ABORTED error', () => {
    const controller = new AbortController()
    controller.abort('because')
    const error = signalError(controller.signal)
    assert.ok(aborted(error))
    assert.equal(error.cause, 'because')
  })
})

describe('waits cancelled by a signal reject with ABORTED', () => {
  test('abortable', async () => {
    const controller = new AbortController()
    const pending = abortable(new Promise(() => {}), controller.signal)
    controller.abort(abortReason('stopping'))
    await assert.rejects(pending, aborted)
  })
  test('bounded', async () => {
    const controller = new AbortController()
    const pending = bounded(new Promise(() => {}), 'waiting', { signal: controller.signal })
    controller.abort()
    await assert.rejects(pending, aborted)
  })
  test("the system clock's sleep, whatever the signal was aborted with", async () => {
    const controller = new AbortController()
    const pending = systemClock.sleep(60_000, controller.signal)
    controller.abort()
    await assert.rejects(pending, aborted)
  })
  test("the manual clock's sleep", async () => {
    const controller = new AbortController()
    const pending = new ManualClock().sleep(10, controller.signal)
    controller.abort(abortReason('stopping'))
    await assert.rejects(pending, aborted)
  })
})
