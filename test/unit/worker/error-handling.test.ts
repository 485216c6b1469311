/**
 * Retry and tolerance (errors.* keys, KIP-298): which failures are retried, for how long and with what
 * backoff; which are tolerated in which stage; and what errors.tolerance=none does.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DataError, RetriableError } from '../../../src/errors.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import {
  type ErrorContext,
  errorHandlingConfig,
  RetryWithTolerance,
  SKIPPED,
  ToleranceExceededError,
} from '../../../src/worker/error-handling.ts'

const reporter = () => {
  const reported: ErrorContext[] = []
  return { reported, report: async (c: ErrorContext) => void reported.push(c) }
}

describe('errorHandlingConfig', () => {
  test("Java's defaults", () => {
    assert.deepEqual(errorHandlingConfig({}), {
      retryTimeoutMs: 0,
      retryDelayMaxMs: 60000,
      tolerance: 'none',
      logEnable: false,
      logIncludeMessages: false,
      dlqTopic: '',
      dlqReplicationFactor: 3,
      dlqContextHeaders: false,
    })
  })

  test('an unknown tolerance is a config error', () => {
    assert.throws(() => errorHandlingConfig({ 'errors.tolerance': 'some' }), /String must be one of: none, all/)
  })
})

describe('RetryWithTolerance', () => {
  test('backoff starts at 300 ms and doubles; above errors.retry.delay.max.ms it is random below the cap', () => {
    const op = new RetryWithTolerance({
      config: { ...errorHandlingConfig({}), retryDelayMaxMs: 2000 },
      random: () => 0.5,
    })
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => op.backoffMs(n)),
      [300, 600, 1200, 1000],
    )
  })

  test('retriable failures are retried until errors.retry.timeout, then tolerated with all', async () => {
    const clock = new ManualClock()
    const r = reporter()
    const op = new RetryWithTolerance({
      config: { ...errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.retry.timeout': '1000' }) },
      reporters: [r],
      clock,
    })
    let calls = 0
    const result = op.execute('TASK_POLL', 'Task', () => {
      calls++
      throw new RetriableError('not yet')
    })
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(400)
    }
    assert.equal(await result, SKIPPED)
    // Calls at 0 and (clock steps of 400 ms) 400 and 1200; by then the 1000 ms retry timeout has passed.
    assert.equal(calls, 3)
    assert.equal(r.reported.length, 1)
    assert.equal(r.reported[0]?.stage, 'TASK_POLL')
  })

  test('a retriable failure that then passes answers the result', async () => {
    const clock = new ManualClock()
    const op = new RetryWithTolerance({ config: errorHandlingConfig({ 'errors.retry.timeout': '-1' }), clock })
    let calls = 0
    const result = op.execute('KAFKA_PRODUCE', 'Producer', () => {
      if (++calls < 3) throw new RetriableError('leader moved')
      return 'ok'
    })
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(1000)
    }
    assert.equal(await result, 'ok')
    assert.equal(op.retries, 2)
  })

  test('converters and transforms tolerate any error with all, and report it', () => {
    const op = new RetryWithTolerance({ config: errorHandlingConfig({ 'errors.tolerance': 'all' }) })
    const out = op.executeSync(
      'VALUE_CONVERTER',
      'JsonConverter',
      () => {
        throw new DataError('bad json')
      },
      () => ({ raw: null, record: 'r' }),
    )
    assert.ok(typeof out === 'object' && 'failed' in out)
    assert.equal(out.failed.className, 'JsonConverter')
    assert.equal(op.skipped, 1)
  })

  test('with none, the first failure throws "Tolerance exceeded in error handler" with the cause', () => {
    const op = new RetryWithTolerance({ config: errorHandlingConfig({}) })
    assert.throws(
      () =>
        op.executeSync(
          'KEY_CONVERTER',
          'X',
          () => {
            throw new DataError('bad key')
          },
          () => ({ raw: null, record: null }),
        ),
      (e: unknown) =>
        e instanceof ToleranceExceededError &&
        e.message === 'Tolerance exceeded in error handler' &&
        (e.cause as Error).message === 'bad key',
    )
  })

  test('outside converters and transforms only retriable errors are tolerated; others fail as they are', async () => {
    const op = new RetryWithTolerance({ config: errorHandlingConfig({ 'errors.tolerance': 'all' }) })
    await assert.rejects(
      op.execute('TASK_PUT', 'Task', () => {
        throw new Error('disk full')
      }),
      /disk full/,
    )
  })
})
