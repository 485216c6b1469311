import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { WorkerShuttingDownError } from '../../../src/errors.ts'
import { HerderLoop } from '../../../src/herder/herder-loop.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { quietLogger } from '../../support/stores.ts'

describe('the herder loop', () => {
  test('runs jobs one at a time, in the order they were queued', async () => {
    const loop = new HerderLoop(new ManualClock(), quietLogger())
    loop.start()
    const seen: string[] = []
    let release!: () => void
    const first = loop.submit('slow', async () => {
      seen.push('slow started')
      await new Promise<void>((r) => {
        release = r
      })
      seen.push('slow done')
      return 1
    })
    const second = loop.submit('fast', () => {
      seen.push('fast')
      return 2
    })
    await new Promise((r) => setImmediate(r))
    assert.deepEqual(seen, ['slow started'])
    release()
    assert.deepEqual(await Promise.all([first, second]), [1, 2])
    assert.deepEqual(seen, ['slow started', 'slow done', 'fast'])
    await loop.stop()
  })

  test('submitFirst runs ahead of every job queued before it', async () => {
    const loop = new HerderLoop(new ManualClock(), quietLogger())
    const seen: string[] = []
    const request = loop.submit('a request', () => {
      seen.push('request')
    })
    const second = loop.submitFirst('second start step', () => {
      seen.push('second')
    })
    const first = loop.submitFirst('first start step', () => {
      seen.push('first')
    })
    loop.start()
    await Promise.all([request, first, second])
    assert.deepEqual(seen, ['first', 'second', 'request'])
    await loop.stop()
  })

  test('names the job it runs as its stage, and keeps the last one with its completion time', async () => {
    const clock = new ManualClock(1000)
    const loop = new HerderLoop(clock, quietLogger())
    loop.start()
    await loop.submit('reading the config topic', () => {
      assert.deepEqual(loop.stage, { description: 'reading the config topic', started: 1000 })
      clock.advance(5)
    })
    assert.deepEqual(loop.stage, { description: 'reading the config topic', started: 1000, completed: 1005 })
    await loop.stop()
  })

  test('a failing request rejects its caller only; a failing event is logged and the loop goes on', async () => {
    const loop = new HerderLoop(new ManualClock(), quietLogger())
    loop.start()
    await assert.rejects(
      loop.submit('bad', () => {
        throw new Error('boom')
      }),
      /boom/,
    )
    loop.post('bad event', () => {
      throw new Error('ignored')
    })
    assert.equal(await loop.submit('next', () => 'still running'), 'still running')
    await loop.stop()
  })

  test("stopping fails queued requests with Java's message and refuses new ones", async () => {
    const loop = new HerderLoop(new ManualClock(), quietLogger())
    loop.start()
    let release!: () => void
    const running = loop.submit(
      'in progress',
      () =>
        new Promise<void>((r) => {
          release = r
        }),
    )
    const queued = loop.submit('queued', () => 'never')
    await new Promise((r) => setImmediate(r))
    const stopped = loop.stop()
    release()
    await running
    await assert.rejects(queued, (e: unknown) => e instanceof WorkerShuttingDownError && e.code === 'SHUTTING_DOWN')
    await stopped
    await assert.rejects(
      loop.submit('late', () => 1),
      /Worker is shutting down/,
    )
  })

  test('a scheduled job runs once the clock passes its delay, not before', async () => {
    const clock = new ManualClock()
    const loop = new HerderLoop(clock, quietLogger())
    loop.start()
    const ran: number[] = []
    loop.schedule('checking the session key', 1000, () => {
      ran.push(clock.now())
    })
    clock.advance(999)
    await new Promise((r) => setImmediate(r))
    assert.deepEqual(ran, [])
    clock.advance(1)
    await loop.submit('after the timer', () => {})
    assert.deepEqual(ran, [1000])
    await loop.stop()
  })

  test('stopping cancels the scheduled jobs', async () => {
    const clock = new ManualClock()
    const loop = new HerderLoop(clock, quietLogger())
    loop.start()
    loop.schedule('retrying the task configs of c', 250, () => assert.fail('ran after stop'))
    assert.equal(clock.pendingSleeps, 1)
    await loop.stop()
    assert.equal(clock.pendingSleeps, 0)
    clock.advance(250)
  })
})
