import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { describe, test } from 'node:test'
import { formatLogRecord, logFormat, textDestination } from '../../../src/util/log-format.ts'

const time = new Date(2026, 11, 4, 9, 5, 7, 42).getTime()

describe('log lines for people', () => {
  test('a terminal gets text lines, anything else JSON', () => {
    assert.equal(logFormat({}, { isTTY: true }), 'text')
    assert.equal(logFormat({}, { isTTY: false }), 'json')
    assert.equal(logFormat({}, {}), 'json')
  })

  test('TSCONNECT_LOG_FORMAT chooses either way', () => {
    assert.equal(logFormat({ TSCONNECT_LOG_FORMAT: 'text' }, {}), 'text')
    assert.equal(logFormat({ TSCONNECT_LOG_FORMAT: 'pretty' }, {}), 'text')
    assert.equal(logFormat({ TSCONNECT_LOG_FORMAT: 'JSON' }, { isTTY: true }), 'json')
  })

  test('a task record shows time, level, component, Java’s connector context, message and other fields', () => {
    const line = formatLogRecord(
      {
        level: 30,
        time,
        pid: 7,
        component: 'worker.task',
        connector: 'orders',
        task: 2,
        generation: 3,
        msg: 'Started',
      },
      false,
    )
    assert.equal(line, '2026-12-04 09:05:07.042 INFO  [worker.task] [orders|task-2] Started generation=3')
  })

  test('a connector record has the worker scope; strings with spaces are quoted', () => {
    const line = formatLogRecord({ level: 40, time, connector: 'orders', reason: 'no topic', msg: 'Waiting' }, false)
    assert.equal(line, '2026-12-04 09:05:07.042 WARN  [orders|worker] Waiting reason="no topic"')
  })

  test('an error’s stack follows on indented lines', () => {
    const line = formatLogRecord(
      { level: 50, time, msg: 'Task failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } },
      false,
    )
    assert.equal(line, '2026-12-04 09:05:07.042 ERROR Task failed\n    Error: boom\n        at x')
  })

  test('with colour the level is styled', () => {
    assert.ok(formatLogRecord({ level: 50, time, msg: 'x' }, true).includes('\u001b[31mERROR'))
  })

  test('the destination turns each JSON line into a text line, and passes anything else on as it is', () => {
    const written: string[] = []
    const destination = textDestination({ write: (t) => written.push(t) }, false)
    destination.write(`${JSON.stringify({ level: 30, time, msg: 'hello' })}\n`)
    destination.write('not json\n')
    assert.deepEqual(written, ['2026-12-04 09:05:07.042 INFO  hello\n', 'not json\n'])
  })
})

describe('the root logger', () => {
  const logOnce = (env: Record<string, string>) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { logger } from ${JSON.stringify(new URL('../../../src/util/log.ts', import.meta.url).href)}
         logger('herder').child({ connector: 'orders' }).info({ generation: 3 }, 'Started')`,
      ],
      { env: { ...process.env, TSCONNECT_LOG_LEVEL: 'info', ...env }, encoding: 'utf8' },
    )

  test('writes JSON lines to a pipe', () => {
    const record = JSON.parse(logOnce({ TSCONNECT_LOG_FORMAT: '' }))
    assert.deepEqual([record.component, record.connector, record.msg], ['herder', 'orders', 'Started'])
  })

  test('writes text lines with TSCONNECT_LOG_FORMAT=text', () => {
    assert.match(
      logOnce({ TSCONNECT_LOG_FORMAT: 'text' }),
      /^\S+ \S+ INFO {2}\[herder\] \[orders\|worker\] Started generation=3\n$/,
    )
  })
})
