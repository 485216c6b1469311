/**
 * How config-topic records become the cluster's configuration: the rules of Java's KafkaConfigBackingStore,
 * record by record.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CorruptDataError } from '../../../src/errors.ts'
import {
  encodeCommitValue,
  encodeConfigValue,
  encodeLoggerLevelValue,
  encodeRestartValue,
  encodeSessionKeyValue,
  encodeTargetStateValue,
  encodeTaskCountValue,
} from '../../../src/protocol/config-records.ts'
import { ConfigState } from '../../../src/stores/config-state.ts'

/** Applies records at offsets 0, 1, 2, ... and returns every update. */
function feed(state: ConfigState, records: [string, Buffer | null][], first = 0) {
  return records.flatMap(([key, value], i) => state.apply(key, value, BigInt(first + i)))
}

const conf = (props: Record<string, string>) => encodeConfigValue(props)

describe('ConfigState', () => {
  test('a connector config applies at once and starts the connector STARTED', () => {
    const state = new ConfigState()
    feed(state, [['connector-a', conf({ 'connector.class': 'X' })]])
    const snap = state.snapshot()
    assert.deepEqual(snap.connectors, ['a'])
    assert.deepEqual(snap.connectorConfig('a'), { 'connector.class': 'X' })
    assert.equal(snap.targetState('a'), 'STARTED')
    assert.equal(snap.offset, 1)
  })

  test('task configs wait for their commit record, then apply together', () => {
    const state = new ConfigState()
    feed(state, [
      ['connector-a', conf({})],
      ['task-a-0', conf({ t: '0' })],
      ['task-a-1', conf({ t: '1' })],
    ])
    assert.equal(state.snapshot().taskConfig({ connector: 'a', task: 0 }), undefined)
    feed(state, [['commit-a', encodeCommitValue(2)]], 3)
    const snap = state.snapshot()
    assert.deepEqual(snap.tasks('a'), [
      { connector: 'a', task: 0 },
      { connector: 'a', task: 1 },
    ])
    assert.deepEqual(snap.taskConfig({ connector: 'a', task: 1 }), { t: '1' })
    assert.equal(snap.taskConfigGeneration('a'), 0)
    assert.deepEqual(snap.appliedConnectorConfig('a'), {})
    assert.equal(snap.pendingFencing('a'), true)
  })

  test('a commit missing task ids marks the connector inconsistent until a complete commit', () => {
    const state = new ConfigState()
    // As compaction can leave it: task-a-0 of the first round was rewritten later and removed.
    feed(state, [
      ['connector-a', conf({})],
      ['task-a-1', conf({ t: 'old1' })],
      ['commit-a', encodeCommitValue(2)],
    ])
    let snap = state.snapshot()
    assert.deepEqual(snap.inconsistentConnectors, ['a'])
    assert.deepEqual(snap.tasks('a'), [])
    assert.equal(snap.taskCount('a'), 2)
    assert.equal(snap.taskConfigGeneration('a'), undefined)
    feed(
      state,
      [
        ['task-a-0', conf({ t: 'new0' })],
        ['commit-a', encodeCommitValue(1)],
      ],
      3,
    )
    snap = state.snapshot()
    assert.deepEqual(snap.inconsistentConnectors, [])
    assert.deepEqual(snap.tasks('a'), [{ connector: 'a', task: 0 }])
    assert.deepEqual(snap.taskConfig({ connector: 'a', task: 0 }), { t: 'new0' })
  })

  test('extra task ids are fine (a connector that shrank), and deferred configs never outlive a commit', () => {
    const state = new ConfigState()
    feed(state, [
      ['connector-a', conf({})],
      ['task-a-0', conf({ t: '0' })],
      ['task-a-1', conf({ t: '1' })],
      ['commit-a', encodeCommitValue(1)],
    ])
    assert.deepEqual(state.snapshot().inconsistentConnectors, [])
    assert.deepEqual(state.snapshot().tasks('a'), [{ connector: 'a', task: 0 }])
    // The deferred set was cleared by that commit: a second commit finds no task 0 written since.
    feed(state, [['commit-a', encodeCommitValue(1)]], 4)
    assert.deepEqual(state.snapshot().inconsistentConnectors, ['a'])
  })

  test('a commit for a connector without config is ignored (deleted, and compaction removed the tombstone)', () => {
    const state = new ConfigState()
    feed(state, [
      ['task-gone-0', conf({})],
      ['commit-gone', encodeCommitValue(1)],
    ])
    assert.equal(state.snapshot().taskCount('gone'), 0)
    assert.deepEqual(state.snapshot().connectors, [])
  })

  test('a commit that cannot be read is corrupt even for a connector without config (so it is logged)', () => {
    const state = new ConfigState()
    assert.throws(() => state.apply('commit-gone', Buffer.from('{"tasks":"three"}'), 0n), CorruptDataError)
    assert.throws(() => state.apply('commit-gone', Buffer.from('{"tasks":'), 1n), CorruptDataError)
  })

  test('a connector tombstone removes config, task count and task configs; task records are not needed', () => {
    const state = new ConfigState()
    feed(state, [
      ['connector-a', conf({})],
      ['task-a-0', conf({})],
      ['commit-a', encodeCommitValue(1)],
      ['connector-a', null],
      ['target-state-a', null],
    ])
    const snap = state.snapshot()
    assert.equal(snap.contains('a'), false)
    assert.equal(snap.taskCount('a'), 0)
    assert.equal(snap.taskConfig({ connector: 'a', task: 0 }), undefined)
    assert.equal(snap.targetState('a'), undefined)
  })

  test('target states: state.v2 first, a tombstone reverts a configured connector to STARTED', () => {
    const state = new ConfigState()
    feed(state, [
      ['target-state-a', encodeTargetStateValue('STOPPED')],
      ['connector-a', conf({})],
    ])
    assert.equal(state.snapshot().targetState('a'), 'STOPPED')
    feed(state, [['target-state-a', null]], 2)
    assert.equal(state.snapshot().targetState('a'), 'STARTED')
  })

  test('the config offset counts every JSON record, even of unknown keys, but not bytes that are not JSON', () => {
    const state = new ConfigState()
    assert.equal(state.offset, -1)
    assert.throws(() => state.apply('mystery-key', Buffer.from('{}'), 0n), CorruptDataError)
    assert.equal(state.offset, 1)
    assert.throws(() => state.apply('connector-a', Buffer.from('{not json'), 1n), CorruptDataError)
    assert.equal(state.offset, 1)
    state.apply('connector-a', null, 2n)
    assert.equal(state.offset, 3)
  })

  test('session keys and task-count records are kept; a task-count record clears pending fencing', () => {
    const state = new ConfigState()
    const key = Buffer.alloc(32, 7)
    feed(state, [
      ['session-key', encodeSessionKeyValue({ key, algorithm: 'HmacSHA256', creationTimestamp: 5 })],
      ['connector-a', conf({})],
      ['commit-a', encodeCommitValue(0)],
      ['tasks-fencing-a', encodeTaskCountValue(0)],
    ])
    const snap = state.snapshot()
    assert.deepEqual(snap.sessionKey, { key, algorithm: 'HmacSHA256', creationTimestamp: 5 })
    assert.equal(snap.taskCountRecord('a'), 0)
    assert.equal(snap.pendingFencing('a'), false)
  })

  test('updates are announced only after start; replayed restart requests and log levels are ignored', () => {
    const state = new ConfigState()
    const before = feed(state, [
      ['connector-a', conf({})],
      ['restart-connector-a', encodeRestartValue({ includeTasks: true, onlyFailed: false })],
      ['logger-cluster-org.foo', encodeLoggerLevelValue('DEBUG')],
    ])
    assert.deepEqual(before, [])
    state.started = true
    const after = feed(
      state,
      [
        ['restart-connector-a', encodeRestartValue({ includeTasks: true, onlyFailed: true })],
        ['logger-cluster-org.foo', encodeLoggerLevelValue('TRACE')],
        ['target-state-a', encodeTargetStateValue('PAUSED')],
        ['task-a-0', conf({})],
        ['commit-a', encodeCommitValue(1)],
        ['connector-a', null],
      ],
      3,
    )
    assert.deepEqual(after, [
      { type: 'restart-request', request: { connector: 'a', includeTasks: true, onlyFailed: true } },
      { type: 'logger-level', namespace: 'org.foo', level: 'TRACE' },
      { type: 'target-state', connector: 'a' },
      { type: 'task-configs', connector: 'a', tasks: [{ connector: 'a', task: 0 }] },
      { type: 'connector-config', connector: 'a', removed: true },
    ])
  })

  test('snapshots do not change when the state moves on', () => {
    const state = new ConfigState()
    feed(state, [['connector-a', conf({ x: '1' })]])
    const snap = state.snapshot()
    feed(
      state,
      [
        ['connector-a', conf({ x: '2' })],
        ['connector-b', conf({})],
      ],
      1,
    )
    assert.deepEqual(snap.connectorConfig('a'), { x: '1' })
    assert.deepEqual(snap.connectors, ['a'])
    assert.equal(snap.offset, 1)
    assert.throws(() => {
      ;(snap.connectorConfig('a') as Record<string, string>).x = 'mutated'
    })
  })
})
