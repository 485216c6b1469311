import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import { BadRequestError } from '../../../src/errors.ts'
import { Loggers } from '../../../src/herder/loggers.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { logger, rootLogger } from '../../../src/util/log.ts'

describe('log levels through REST', () => {
  test('root is listed with the process level and no modification time, beside the Java names only', () => {
    const loggers = new Loggers(pino({ level: 'warn' }), new ManualClock(5))
    const all = loggers.all()
    assert.deepEqual(all.root, { level: 'WARN', last_modified: null })
    assert.deepEqual(
      Object.keys(all).filter((n) => n !== 'root' && !n.startsWith('org.apache.kafka.')),
      [],
    )
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

describe("Java's runtime logger names", () => {
  const SINK_TASK = 'org.apache.kafka.connect.runtime.WorkerSinkTask'

  test('a Java class name answers the level of the component that logs its work, and is listed', () => {
    const loggers = new Loggers(pino({ level: 'info' }), new ManualClock())
    assert.deepEqual(loggers.level(SINK_TASK), { level: 'INFO', last_modified: null })
    assert.deepEqual(loggers.all()[SINK_TASK], { level: 'INFO', last_modified: null })
    assert.equal(loggers.level('org.apache.kafka.connect.runtime.NoSuchClass'), undefined)
  })

  test("setting a Java class name sets its component's loggers, and its siblings on that component follow", () => {
    const loggers = new Loggers(pino({ level: 'info' }), new ManualClock(9))
    const worker = logger('worker')
    const changed = loggers.set(SINK_TASK, 'DEBUG')
    assert.ok(changed.includes(SINK_TASK) && changed.includes('worker'), changed.join())
    assert.equal(worker.level, 'debug')
    assert.deepEqual(loggers.level(SINK_TASK), { level: 'DEBUG', last_modified: 9 })
    assert.equal(loggers.level('org.apache.kafka.connect.runtime.WorkerSourceTask')?.level, 'DEBUG')
    loggers.set('worker', 'INFO')
  })

  test('a level set on a tsconnect component shows on the Java names mapped to it', () => {
    const loggers = new Loggers(pino({ level: 'info' }), new ManualClock())
    loggers.set('stores.config', 'WARN')
    assert.equal(loggers.level('org.apache.kafka.connect.storage.KafkaConfigBackingStore')?.level, 'WARN')
    assert.equal(loggers.all()['org.apache.kafka.connect.storage.KafkaConfigBackingStore']?.level, 'WARN')
  })

  test('a Java package sets every component its classes map to', () => {
    const loggers = new Loggers(pino({ level: 'info' }), new ManualClock())
    const changed = loggers.set('org.apache.kafka.connect.storage', 'ERROR')
    for (const component of ['stores.config', 'stores.status', 'stores.offsets', 'converters.simple-header']) {
      assert.ok(changed.includes(component), `${component} in ${changed.join()}`)
    }
    assert.equal(loggers.level('org.apache.kafka.connect.storage.KafkaStatusBackingStore')?.level, 'ERROR')
  })
})
