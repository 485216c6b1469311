/**
 * Golden bytes of the status and offsets topics' records, written out by hand from KafkaStatusBackingStore's
 * schemas and OffsetUtils/JsonConverter.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CorruptDataError } from '../../../src/errors.ts'
import {
  canonicalOffsetKey,
  decodeOffsetKey,
  decodeOffsetValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from '../../../src/protocol/offset-records.ts'
import {
  connectorStatusKey,
  decodeStatusValue,
  decodeTopicStatusValue,
  encodeStatusValue,
  encodeTopicStatusValue,
  parseStatusKey,
  taskStatusKey,
  topicStatusKey,
} from '../../../src/protocol/status-records.ts'

const text = (b: Buffer | null) => b?.toString('utf8')
const bytes = (s: string) => Buffer.from(s, 'utf8')

describe('status topic records', () => {
  test('keys are built and parsed as Java does; connector names may contain dashes', () => {
    assert.equal(connectorStatusKey('c'), 'status-connector-c')
    assert.equal(taskStatusKey('my-conn', 2), 'status-task-my-conn-2')
    assert.equal(topicStatusKey('orders', 'c'), 'status-topic-orders:connector-c')
    assert.deepEqual(parseStatusKey('status-connector-a-b'), { kind: 'connector', connector: 'a-b' })
    assert.deepEqual(parseStatusKey('status-task-a-b-7'), { kind: 'task', connector: 'a-b', task: 7 })
    assert.deepEqual(parseStatusKey('status-topic-orders:connector-a-b'), {
      kind: 'topic',
      topic: 'orders',
      connector: 'a-b',
    })
  })

  test('malformed keys are CorruptDataError', () => {
    for (const key of ['status-connector-', 'status-task-a', 'status-task-a-x', 'status-topic-:connector-c', 'other']) {
      assert.throws(() => parseStatusKey(key), CorruptDataError, key)
    }
  })

  test('a status value keeps field order state, trace, worker_id, generation, version, and writes nulls', () => {
    const running = encodeStatusValue({ state: 'RUNNING', trace: null, workerId: 'host:8083', generation: 7 })
    assert.equal(
      text(running),
      '{"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":7,"version":null}',
    )
    const failed = encodeStatusValue({ state: 'FAILED', trace: 'java.lang.X\n\tat y', workerId: 'h:1', generation: 0 })
    assert.equal(
      text(failed),
      '{"state":"FAILED","trace":"java.lang.X\\n\\tat y","worker_id":"h:1","generation":0,"version":null}',
    )
    assert.deepEqual(decodeStatusValue(failed), {
      state: 'FAILED',
      trace: 'java.lang.X\n\tat y',
      workerId: 'h:1',
      generation: 0,
    })
  })

  test('a status value carries the plugin version as Kafka 4.1+ writes it; older values have none', () => {
    const v = encodeStatusValue({ state: 'PAUSED', trace: null, workerId: 'h:1', generation: 2, version: '4.3.1' })
    assert.equal(text(v), '{"state":"PAUSED","trace":null,"worker_id":"h:1","generation":2,"version":"4.3.1"}')
    assert.equal(decodeStatusValue(v).version, '4.3.1')
    const old = Buffer.from('{"state":"PAUSED","trace":null,"worker_id":"h:1","generation":2}')
    assert.equal(Object.hasOwn(decodeStatusValue(old), 'version'), false)
  })

  test('DESTROYED has no value: it is written as a tombstone', () => {
    assert.throws(() => encodeStatusValue({ state: 'DESTROYED', trace: null, workerId: 'h:1', generation: 1 }))
  })

  test('a topic status value nests under "topic"', () => {
    const value = encodeTopicStatusValue({ topic: 'orders', connector: 'c', task: 1, discoverTimestamp: 1700000000000 })
    assert.equal(text(value), '{"topic":{"name":"orders","connector":"c","task":1,"discoverTimestamp":1700000000000}}')
    assert.deepEqual(decodeTopicStatusValue(value), {
      topic: 'orders',
      connector: 'c',
      task: 1,
      discoverTimestamp: 1700000000000,
    })
  })

  test('values of the wrong shape are CorruptDataError', () => {
    for (const bad of [
      '{"state":"RUNNABLE","trace":null,"worker_id":"h","generation":1}',
      '{"state":"RUNNING","trace":null,"worker_id":"h","generation":"1"}',
      '{"state":"RUNNING","trace":3,"worker_id":"h","generation":1}',
      'not json',
    ]) {
      assert.throws(() => decodeStatusValue(bytes(bad)), CorruptDataError, bad)
    }
    assert.throws(() => decodeTopicStatusValue(bytes('{"topic":"x"}')), CorruptDataError)
  })
})

describe('offsets topic records', () => {
  test('a key is the compact JSON array [connector, partition]', () => {
    assert.equal(
      text(encodeOffsetKey('local-file-source', { filename: '/data/test.txt' })),
      '["local-file-source",{"filename":"/data/test.txt"}]',
    )
    assert.equal(text(encodeOffsetKey('c', null)), '["c",null]')
  })

  test('field order follows a Map exactly, and numbers are written as Java writes longs and doubles', () => {
    const partition = new Map<string, number | string>([
      ['z', 1],
      ['0', 'first-in-map'],
      ['ratio', 0.25],
    ])
    assert.equal(text(encodeOffsetKey('c', partition)), '["c",{"z":1,"0":"first-in-map","ratio":0.25}]')
  })

  test('a value is the offset map, and a null offset is a tombstone', () => {
    assert.equal(text(encodeOffsetValue({ position: 4096 })), '{"position":4096}')
    assert.equal(
      text(encodeOffsetValue({ lsn: 9223372036854775807n, done: false })),
      '{"lsn":9223372036854775807,"done":false}',
    )
    assert.equal(encodeOffsetValue(null), null)
  })

  test('partitions and offsets hold primitives only, as OffsetUtils.validateFormat requires', () => {
    assert.throws(() => encodeOffsetKey('c', { nested: { a: 1 } }), TypeError)
    assert.throws(() => encodeOffsetValue({ list: [1] }), TypeError)
  })

  test('keys are parsed as OffsetUtils.processPartitionKey parses them', () => {
    assert.deepEqual(decodeOffsetKey(bytes('["c",{"f":"a"}]')), { connector: 'c', partition: { f: 'a' } })
    assert.deepEqual(decodeOffsetKey(bytes('["c",null]')), { connector: 'c', partition: null })
    for (const bad of ['{"c":1}', '["c"]', '[1,{}]', '["c",[1]]', '["c",{}', '']) {
      assert.throws(() => decodeOffsetKey(bytes(bad)), CorruptDataError, bad)
    }
    assert.deepEqual(decodeOffsetValue(bytes('{"position":1}')), { position: 1 })
    assert.throws(() => decodeOffsetValue(bytes('42')), CorruptDataError)
  })

  test('the canonical form of a key ignores field order, for lookups across Java and TS maps', () => {
    assert.equal(
      canonicalOffsetKey('c', { b: 1, a: 'x' }),
      canonicalOffsetKey(
        'c',
        new Map<string, string | number>([
          ['a', 'x'],
          ['b', 1],
        ]),
      ),
    )
    assert.notEqual(canonicalOffsetKey('c', { a: 1 }), canonicalOffsetKey('d', { a: 1 }))
  })
})
