import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import { BadRequestError } from '../../../src/errors.ts'
import { Loggers } from '../../../src/herder/loggers.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { logger, rootLogger } from '../../../src/util/log.ts'

describe('log levels through REST', () => {
  test('root is listed with the process level and no modification time', () => {
    const loggers = new Loggers(pino({ level: 'warn' }), new ManualClock(5))
    assert.deepEqual(loggers.all(), { root: { level: 'WARN', last_modified: null } })
  })

  test('a namespace covers itself and the loggers below it, which inherit its level', () => {
    const loggers = new Loggers(pino({ level: 'info' }), new ManualClock(7))
    assert.deepEqual(loggers.set('stores.config', 'debug'), ['stores.config'])
    assert.deepEqual(loggers.set('stores', 'TRACE'), ['stores', 'stores.config'])
    assert.deepEqual(loggers.level('stores.config'), { level: 'TRACE', last_modified: 7 })
    assert.deepEqual(loggers.level('stores.status'), { level: 'TRACE', last_modified: null })
    assert.equal(loggers.level('herder'), undefined)
  })

  test('setting root sets the process logger', () => {
    const root = pino({ level: 'info' })
    const loggers = new Loggers(root, new ManualClock())
    loggers.set('root', 'ERROR')
    assert.equal(root.level, 'error')
    assert.throws(() => loggers.set('root', 'LOUD'), BadRequestError)
  })
})

describe('levels reach the component loggers', () => {
  test('of the namespace, existing and created later, and root reaches them all', () => {
    const loggers = new Loggers(rootLogger(), new ManualClock())
    const before = logger('test-ns.sub')
    const other = logger('other-ns')
    const changed = loggers.set('test-ns', 'TRACE')
    assert.ok(changed.includes('test-ns.sub'))
    assert.equal(before.level, 'trace')
    assert.equal(logger('test-ns.later').level, 'trace')
    assert.notEqual(other.level, 'trace')
    loggers.set('root', 'ERROR')
    assert.equal(other.level, 'error')
    assert.equal(before.level, 'error')
  })
})
