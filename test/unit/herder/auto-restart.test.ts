/**
 * The bookkeeping of automatic restarts: exponential backoff up to a maximum, a limit on attempts after which the
 * work stays FAILED, a fresh series after a healthy run, and tokens that make a forgotten restart a no-op.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type AutoRestartSettings, AutoRestarts } from '../../../src/herder/auto-restart.ts'

const settings: AutoRestartSettings = { enabled: true, initialBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 6 }
const task = { connector: 'c', task: 0 }
const boom = new Error('boom')

describe('automatic restarts', () => {
  test('each attempt waits twice as long as the one before, up to the maximum backoff', () => {
    const r = new AutoRestarts(settings)
    const waits: number[] = []
    let now = 0
    for (let i = 0; i < 6; i++) {
      const d = r.failed(task, boom, now)
      assert.ok('restartInMs' in d)
      waits.push(d.restartInMs)
      now += d.restartInMs
      r.restarting(task, now)
    }
    assert.deepEqual(waits, [100, 200, 400, 800, 1000, 1000])
  })

  test('after the maximum number of attempts the work is given up on, and status shows no next attempt', () => {
    const r = new AutoRestarts({ ...settings, maxAttempts: 2 })
    for (let i = 0; i < 2; i++) assert.ok('restartInMs' in r.failed(task, boom, i))
    assert.deepEqual(r.failed(task, new Error('still broken'), 3), { giveUp: true })
    assert.deepEqual(r.info(task), { attempts: 2, maxAttempts: 2, nextAttemptAt: null, lastError: 'still broken' })
  })

  test('status shows the attempts, when the next one is due and the last error', () => {
    const r = new AutoRestarts(settings)
    r.failed(task, boom, 5000)
    assert.deepEqual(r.info(task), { attempts: 1, maxAttempts: 6, nextAttemptAt: 5100, lastError: 'boom' })
  })

  test('a failure long after the last restart (more than the maximum backoff) starts a new series', () => {
    const r = new AutoRestarts({ ...settings, maxAttempts: 1 })
    r.failed(task, boom, 0)
    r.restarting(task, 100)
    const d = r.failed(task, boom, 100 + settings.maxBackoffMs + 1)
    assert.ok('restartInMs' in d)
    assert.equal(d.restartInMs, 100)
  })

  test('disabled, nothing is restarted', () => {
    const r = new AutoRestarts({ ...settings, enabled: false })
    assert.deepEqual(r.failed('c', boom, 0), { giveUp: true })
    assert.equal(r.info('c'), undefined)
  })

  test('a restart scheduled before the work was forgotten (moved, restarted by hand) is no longer current', () => {
    const r = new AutoRestarts(settings)
    const d = r.failed(task, boom, 0)
    assert.ok('token' in d)
    assert.equal(r.isCurrent(task, d.token), true)
    r.forgetConnector('c')
    assert.equal(r.isCurrent(task, d.token), false)
  })

  test('forgetting a connector leaves a connector whose name starts the same alone', () => {
    const r = new AutoRestarts(settings)
    const d = r.failed({ connector: 'c-1', task: 0 }, boom, 0)
    r.forgetConnector('c')
    assert.ok('token' in d && r.isCurrent({ connector: 'c-1', task: 0 }, d.token))
  })
})
