/**
 * Retry and tolerance (errors.* keys, KIP-298): which failures are retried, for how long and with what
 * backoff; which are tolerated in which stage; and what errors.tolerance=none does.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConversionPendingError } from '../../../src/api/converter.ts'
import { ConnectError, DataError, RetriableError } from '../../../src/errors.ts'
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

describe('deferred converter failures (executeSync with defer, then settle)', () => {
  const run = (op: RetryWithTolerance, convert: () => string) =>
    op.executeSync('VALUE_CONVERTER', 'Conv', convert, () => ({ raw: null, record: null }), true)

  test('a converter waiting for I/O is converted again once it is ready, without counting a retry', async () => {
    const op = new RetryWithTolerance({ config: errorHandlingConfig({}) })
    let ready = false
    const loaded = async () => {
      ready = true
    }
    const convert = () => {
      if (!ready) throw new ConversionPendingError('fetching schema 1', loaded())
      return 'bytes'
    }
    const first = run(op, convert)
    assert.ok(typeof first === 'object' && 'retry' in first)
    assert.equal(await op.settle(first.retry, () => run(op, convert)), 'bytes')
    assert.equal(op.retries, 0)
    assert.equal(op.failures, 0)
  })

  test('a retriable converter failure is retried with backoff until it passes when errors.retry.timeout allows', async () => {
    const clock = new ManualClock()
    const op = new RetryWithTolerance({ config: errorHandlingConfig({ 'errors.retry.timeout': '-1' }), clock })
    let calls = 0
    const convert = () => {
      if (++calls < 4) throw new RetriableError('registry down')
      return 'bytes'
    }
    const first = run(op, convert)
    assert.ok(typeof first === 'object' && 'retry' in first)
    const settled = op.settle(first.retry, () => run(op, convert))
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(2000)
    }
    assert.equal(await settled, 'bytes')
    assert.equal(op.retries, 3)
  })

  test('without errors.retry.timeout a retriable converter failure is not deferred: tolerance decides at once', () => {
    const op = new RetryWithTolerance({ config: errorHandlingConfig({}) })
    assert.throws(
      () =>
        run(op, () => {
          throw new RetriableError('registry down')
        }),
      ToleranceExceededError,
    )
  })

  test('when the retry timeout runs out the last failure goes through the tolerance', async () => {
    const clock = new ManualClock()
    const op = new RetryWithTolerance({
      config: errorHandlingConfig({ 'errors.retry.timeout': '1000', 'errors.tolerance': 'all' }),
      clock,
    })
    const convert = (): string => {
      throw new RetriableError('registry down')
    }
    const first = run(op, convert)
    assert.ok(typeof first === 'object' && 'retry' in first)
    const settled = op.settle(first.retry, () => run(op, convert))
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(400)
    }
    const outcome = await settled
    assert.ok(typeof outcome === 'object' && 'failed' in outcome)
    assert.equal(outcome.failed.stage, 'VALUE_CONVERTER')
    assert.match(outcome.failed.error.message, /registry down/)
  })

  test('a stopping task aborts the wait for a pending converter', async () => {
    const controller = new AbortController()
    const op = new RetryWithTolerance({ config: errorHandlingConfig({}), signal: controller.signal })
    const convert = (): string => {
      throw new ConversionPendingError('fetching', new Promise(() => {}))
    }
    const first = run(op, convert)
    assert.ok(typeof first === 'object' && 'retry' in first)
    const settled = op.settle(first.retry, () => run(op, convert))
    controller.abort()
    await assert.rejects(settled, (e: unknown) => e instanceof ConnectError && e.code === 'ABORTED')
  })
})
