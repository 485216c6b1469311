/**
 * Golden bytes of every config-topic record kind, written out by hand from KafkaConfigBackingStore's schemas
 * (field order = schema order, JsonConverter with schemas.enable=false).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CorruptDataError } from '../../../src/errors.ts'
import {
  commitKey,
  connectorKey,
  decodeCommitValue,
  decodeConfigValue,
  decodeLoggerLevelValue,
  decodeRestartValue,
  decodeSessionKeyValue,
  decodeTargetStateValue,
  decodeTaskCountValue,
  encodeCommitValue,
  encodeConfigValue,
  encodeLoggerLevelValue,
  encodeRestartValue,
  encodeSessionKeyValue,
  encodeTargetStateValue,
  encodeTaskCountValue,
  loggerKey,
  parseConfigKey,
  restartKey,
  targetStateKey,
  taskCountKey,
  taskKey,
} from '../../../src/protocol/config-records.ts'

const text = (b: Buffer) => b.toString('utf8')
const bytes = (s: string) => Buffer.from(s, 'utf8')

describe('config topic keys', () => {
  test('are built as Java builds them', () => {
    assert.equal(connectorKey('my-conn'), 'connector-my-conn')
    assert.equal(targetStateKey('c'), 'target-state-c')
    assert.equal(taskKey('my-conn', 3), 'task-my-conn-3')
    assert.equal(commitKey('c'), 'commit-c')
    assert.equal(restartKey('c'), 'restart-connector-c')
    assert.equal(taskCountKey('c'), 'tasks-fencing-c')
    assert.equal(loggerKey('org.foo'), 'logger-cluster-org.foo')
  })

  test('are parsed in Java order, so restart- and tasks-fencing- keys are not taken for connector or task keys', () => {
    assert.deepEqual(parseConfigKey('target-state-a'), { kind: 'target-state', connector: 'a' })
    assert.deepEqual(parseConfigKey('connector-a-b'), { kind: 'connector', connector: 'a-b' })
    assert.deepEqual(parseConfigKey('task-a-b-12'), { kind: 'task', connector: 'a-b', task: 12 })
    assert.deepEqual(parseConfigKey('commit-a'), { kind: 'commit', connector: 'a' })
    assert.deepEqual(parseConfigKey('restart-connector-a'), { kind: 'restart', connector: 'a' })
    assert.deepEqual(parseConfigKey('tasks-fencing-a'), { kind: 'task-count', connector: 'a' })
    assert.deepEqual(parseConfigKey('session-key'), { kind: 'session-key' })
    assert.deepEqual(parseConfigKey('logger-cluster-root'), { kind: 'logger', namespace: 'root' })
  })

  test('reject task keys without a task number, as Java does', () => {
    assert.equal(parseConfigKey('task-a'), undefined)
    assert.equal(parseConfigKey('task-a-x'), undefined)
    // Java's split drops trailing empty parts: "task-a-" has two parts.
    assert.equal(parseConfigKey('task-a-'), undefined)
    assert.equal(parseConfigKey('task-a-99999999999'), undefined)
  })

  test('unknown keys parse to undefined', () => {
    assert.equal(parseConfigKey('something-else'), undefined)
    assert.equal(parseConfigKey('session-key-2'), undefined)
  })
})

describe('config topic values: golden bytes', () => {
  test('connector and task configurations', () => {
    const value = encodeConfigValue({ 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '/tmp/a b' })
    assert.equal(text(value), '{"properties":{"connector.class":"FileStreamSource","tasks.max":"1","file":"/tmp/a b"}}')
    assert.deepEqual(decodeConfigValue(value), {
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: '/tmp/a b',
    })
    assert.equal(text(encodeConfigValue({})), '{"properties":{}}')
    assert.deepEqual(decodeConfigValue(bytes('{"properties":{"a":null}}')), { a: null })
  })

  test('task commit', () => {
    assert.equal(text(encodeCommitValue(3)), '{"tasks":3}')
    assert.equal(decodeCommitValue(bytes('{"tasks":3}')), 3)
  })

  test('target states: STOPPED is written as PAUSED for older workers, and state.v2 wins when read', () => {
    assert.equal(text(encodeTargetStateValue('STARTED')), '{"state":"STARTED","state.v2":"STARTED"}')
    assert.equal(text(encodeTargetStateValue('PAUSED')), '{"state":"PAUSED","state.v2":"PAUSED"}')
    assert.equal(text(encodeTargetStateValue('STOPPED')), '{"state":"PAUSED","state.v2":"STOPPED"}')
    assert.equal(decodeTargetStateValue(bytes('{"state":"PAUSED","state.v2":"STOPPED"}')), 'STOPPED')
    assert.equal(decodeTargetStateValue(bytes('{"state":"PAUSED"}')), 'PAUSED')
    assert.equal(decodeTargetStateValue(bytes('{"state":"PAUSED","state.v2":7}')), 'PAUSED')
  })

  test('session key', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex')
    const value = encodeSessionKeyValue({ key, algorithm: 'HmacSHA256', creationTimestamp: 1700000000123 })
    assert.equal(
      text(value),
      '{"key":"ASNFZ4mrze8BI0VniavN7w==","algorithm":"HmacSHA256","creation-timestamp":1700000000123}',
    )
    assert.deepEqual(decodeSessionKeyValue(value), { key, algorithm: 'HmacSHA256', creationTimestamp: 1700000000123 })
  })

  test('restart request; a missing or non-boolean field reads as false', () => {
    assert.equal(
      text(encodeRestartValue({ includeTasks: true, onlyFailed: false })),
      '{"include-tasks":true,"only-failed":false}',
    )
    assert.deepEqual(decodeRestartValue(bytes('{"include-tasks":true,"only-failed":"yes"}'), 'c'), {
      connector: 'c',
      includeTasks: true,
      onlyFailed: false,
    })
  })

  test('task count record', () => {
    assert.equal(text(encodeTaskCountValue(4)), '{"task-count":4}')
    assert.equal(decodeTaskCountValue(bytes('{"task-count":4}')), 4)
  })

  test('logger level', () => {
    assert.equal(text(encodeLoggerLevelValue('DEBUG')), '{"level":"DEBUG"}')
    assert.equal(decodeLoggerLevelValue(bytes('{"level":"DEBUG"}')), 'DEBUG')
  })

  test('values of the wrong shape are CorruptDataError', () => {
    const corrupt: [() => unknown, string][] = [
      [() => decodeConfigValue(bytes('{"properties":"x"}')), 'properties not an object'],
      [() => decodeConfigValue(bytes('{"properties":{"a":1}}')), 'property not a string'],
      [() => decodeConfigValue(bytes('[1]')), 'not an object'],
      [() => decodeCommitValue(bytes('{"tasks":"3"}')), 'tasks not an integer'],
      [() => decodeCommitValue(bytes('{"tasks":-1}')), 'negative tasks'],
      [() => decodeTargetStateValue(bytes('{"state":"RUNNING"}')), 'unknown state'],
      [() => decodeSessionKeyValue(bytes('{"key":"!!","algorithm":"a","creation-timestamp":1}')), 'bad base64'],
      [() => decodeSessionKeyValue(bytes('{"key":"AA==","algorithm":"a"}')), 'no timestamp'],
      [() => decodeTaskCountValue(bytes('{"task-count":1.5}')), 'fractional count'],
      [() => decodeLoggerLevelValue(bytes('{"level":null}')), 'null level'],
      [() => decodeCommitValue(bytes('{"tasks":')), 'bad JSON'],
    ]
    for (const [decode, why] of corrupt) assert.throws(decode, CorruptDataError, why)
  })
})
