/**
 * The poll skeleton of both source loops: one poll() with retriable failures and the stop told apart, and the
 * paused state that commits once on the way in.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SourceRecord } from '../../../src/api/records.ts'
import type { SourceTask } from '../../../src/api/task.ts'
import { RetriableError } from '../../../src/errors.ts'
import { pauseGate, pollSource } from '../../../src/worker/source-polling.ts'
import { TaskControl } from '../../../src/worker/task-control.ts'
import { quietLogger } from '../../support/stores.ts'

const polling = (poll: () => Promise<SourceRecord[] | null>) => ({ poll }) as unknown as SourceTask

describe('pollSource', () => {
  test('a task that has nothing (null) answers no records', async () => {
    assert.deepEqual(
      await pollSource(
        polling(async () => null),
        new TaskControl(),
        quietLogger(),
      ),
      [],
    )
  })

  test('a retriable failure is nothing to do this turn', async () => {
    const task = polling(async () => {
      throw new RetriableError('try later')
    })
    assert.equal(await pollSource(task, new TaskControl(), quietLogger()), null)
  })

  test('a failure during the stop is the stop, not a failure', async () => {
    const control = new TaskControl()
    control.stop()
    const task = polling(async () => {
      throw new Error('file closed')
    })
    assert.equal(await pollSource(task, control, quietLogger()), null)
  })

  test('any other failure is thrown', async () => {
    const task = polling(async () => {
      throw new Error('broken')
    })
    await assert.rejects(pollSource(task, new TaskControl(), quietLogger()), /broken/)
  })
})

describe('pauseGate', () => {
  test('a paused task holds, and commits once each time it becomes paused', async () => {
    const control = new TaskControl(true)
    let commits = 0
    const hold = pauseGate(control, 0, async () => {
      commits++
    })
    assert.equal(await hold(), true)
    assert.equal(await hold(), true)
    assert.equal(commits, 1)
    control.resume()
    assert.equal(await hold(), false)
    control.pause()
    assert.equal(await hold(), true)
    assert.equal(commits, 2)
  })
})
