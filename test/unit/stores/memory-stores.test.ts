/**
 * The three stores over the in-memory cluster: the same classes as on Kafka, so these specify the stores'
 * behaviour; test/integration/stores/ repeats the essentials on the real broker.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError } from '../../../src/errors.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'
import type { ConfigUpdate } from '../../../src/stores/config-store.ts'
import { KafkaConfigStore } from '../../../src/stores/kafka-config-store.ts'
import {
  createMemoryConfigStore,
  createMemoryOffsetStore,
  createMemoryStatusStore,
  MemoryCluster,
} from '../../../src/stores/memory-stores.ts'
import { MemoryTopicAdmin, MemoryTopicLog } from '../../../src/stores/memory-topic-log.ts'
import { KafkaOffsetStore } from '../../../src/stores/offset-store.ts'
import { KafkaStatusStore } from '../../../src/stores/status-store.ts'
import { recordingLogger } from '../../support/stores.ts'

const b = (s: string) => Buffer.from(s)

describe('config store (in memory)', () => {
  test('what one worker writes, another reads, and a restarted store reads back the same snapshot', async () => {
    const cluster = new MemoryCluster()
    const leader = createMemoryConfigStore(cluster)
    const follower = createMemoryConfigStore(cluster)
    await leader.start()
    await follower.start()
    const updates: ConfigUpdate[] = []
    follower.onUpdate((u) => updates.push(u))

    await leader.putConnectorConfig('src', { 'connector.class': 'FileStreamSource', 'tasks.max': '2' }, 'PAUSED')
    await leader.putTaskConfigs('src', [{ file: 'a' }, { file: 'b' }])
    await leader.putTargetState('src', 'STARTED')
    await follower.refresh()

    const snap = follower.snapshot()
    assert.deepEqual(snap.connectors, ['src'])
    assert.equal(snap.targetState('src'), 'STARTED')
    assert.deepEqual(snap.taskConfig({ connector: 'src', task: 1 }), { file: 'b' })
    assert.equal(snap.offset, 6)
    assert.deepEqual(
      updates.map((u) => u.type),
      ['connector-config', 'task-configs', 'target-state'],
    )

    const restarted = createMemoryConfigStore(cluster)
    await restarted.start()
    const again = restarted.snapshot()
    assert.equal(again.offset, snap.offset)
    assert.deepEqual(again.taskConfig({ connector: 'src', task: 0 }), { file: 'a' })
    assert.equal(again.taskConfigGeneration('src'), 0)
    await Promise.all([leader.stop(), follower.stop(), restarted.stop()])
  })

  test('after compaction the state read back is the same', async () => {
    const cluster = new MemoryCluster()
    const store = createMemoryConfigStore(cluster)
    await store.start()
    await store.putConnectorConfig('a', { v: '1' })
    await store.putTaskConfigs('a', [{ t: '0' }, { t: '1' }])
    await store.putConnectorConfig('a', { v: '2' })
    await store.putTaskConfigs('a', [{ t: 'x' }])
    await store.putConnectorConfig('gone', { v: '1' })
    await store.putTaskConfigs('gone', [{ t: '0' }])
    await store.removeConnectorConfig('gone')
    const before = store.snapshot()
    await store.stop()

    cluster.compact('connect-configs')
    const reread = createMemoryConfigStore(cluster)
    await reread.start()
    const after = reread.snapshot()
    assert.deepEqual(after.connectors, ['a'])
    assert.deepEqual(after.connectorConfig('a'), { v: '2' })
    assert.deepEqual(after.tasks('a'), [{ connector: 'a', task: 0 }])
    assert.deepEqual(after.taskConfig({ connector: 'a', task: 0 }), { t: 'x' })
    assert.deepEqual(after.inconsistentConnectors, before.inconsistentConnectors)
    await reread.stop()
  })

  test("a task status written after its connector's tombstone still lists the connector, to be cleaned up", async () => {
    const statuses = createMemoryStatusStore(new MemoryCluster())
    await statuses.start()
    const base = { trace: null, workerId: 'w:1', generation: 1, connector: 'gone' }
    await statuses.put({ ...base, state: 'RUNNING' })
    await statuses.put({ ...base, state: 'DESTROYED' })
    await statuses.refresh()
    const before = statuses.connectors()
    await statuses.put({ ...base, task: 0, state: 'UNASSIGNED' })
    await statuses.refresh()
    const after = statuses.connectors()
    await statuses.stop()
    assert.deepEqual(before, [])
    assert.deepEqual(after, ['gone'])
  })

  test('a corrupt record is logged with topic, partition and offset, and skipped', async () => {
    const cluster = new MemoryCluster()
    cluster.createTopic({ name: 'cfg', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } })
    cluster.append('cfg', [
      { key: b('connector-a'), value: b('{"properties":{"x":"1"}}') },
      { key: b('connector-b'), value: b('{oops') },
      { key: b('commit-a'), value: b('{"tasks":"many"}') },
      { key: b('connector-c'), value: b('{"properties":{"y":"2"}}') },
    ])
    const { logger, lines } = recordingLogger()
    const store = new KafkaConfigStore({
      transport: new MemoryTopicLog(cluster, 'cfg'),
      admin: new MemoryTopicAdmin(cluster),
      replicationFactor: 1,
      logger,
    })
    await store.start()
    assert.deepEqual(store.snapshot().connectors, ['a', 'c'])
    const skipped = lines.filter((l) => l.msg === 'skipped a config record that cannot be read')
    assert.deepEqual(
      skipped.map((l) => [l.topic, l.partition, l.offset]),
      [
        ['cfg', 0, '1'],
        ['cfg', 0, '2'],
      ],
    )
    await store.stop()
  })

  test('refuses a config topic with more than one partition, naming config.storage.topic', async () => {
    const cluster = new MemoryCluster()
    cluster.createTopic({ name: 'cfg', partitions: 2, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } })
    const store = new KafkaConfigStore({
      transport: new MemoryTopicLog(cluster, 'cfg'),
      admin: new MemoryTopicAdmin(cluster),
      replicationFactor: 1,
    })
    await assert.rejects(
      store.start(),
      (e: unknown) => e instanceof ConfigError && e.key === 'config.storage.topic' && /2 partitions/.test(e.message),
    )
  })

  test('refuses an existing topic that is not compacted, naming its setting', async () => {
    const cluster = new MemoryCluster()
    cluster.createTopic({
      name: 'offs',
      partitions: 1,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact,delete' },
    })
    const store = createMemoryOffsetStore(cluster, 'offs')
    await assert.rejects(
      store.start(),
      (e: unknown) =>
        e instanceof ConfigError && e.key === 'offset.storage.topic' && /cleanup.policy=compact,delete/.test(e.message),
    )
  })

  test('creates missing topics compacted, with the configured partitions', async () => {
    const cluster = new MemoryCluster()
    const offsets = createMemoryOffsetStore(cluster, 'offs', 7)
    await offsets.start()
    assert.equal(cluster.topic('offs')?.partitions.length, 7)
    assert.equal(cluster.topic('offs')?.configs['cleanup.policy'], 'compact')
    await offsets.stop()
  })
})

describe('offset store (in memory)', () => {
  test('byte-exact lookups, tombstones, and the partitions of each connector', async () => {
    const cluster = new MemoryCluster()
    const writer = createMemoryOffsetStore(cluster)
    await writer.start()
    const k1 = encodeOffsetKey('src', { filename: 'a' })
    const k2 = encodeOffsetKey('src', { filename: 'b' })
    await writer.set([
      { key: k1, value: encodeOffsetValue({ position: 10 }) },
      { key: k2, value: encodeOffsetValue({ position: 20 }) },
    ])
    await writer.set([{ key: k2, value: null }])
    const reader = createMemoryOffsetStore(cluster)
    await reader.start()
    const [v1, v2] = await reader.get([k1, k2])
    assert.equal(v1?.toString(), '{"position":10}')
    assert.equal(v2, null)
    assert.deepEqual(
      reader.connectorPartitions('src').map((p) => p.partition),
      [{ filename: 'a' }],
    )
    await Promise.all([writer.stop(), reader.stop()])
  })

  test('finds an offset whose partition fields another writer ordered differently', async () => {
    const cluster = new MemoryCluster()
    const store = createMemoryOffsetStore(cluster)
    await store.start()
    // As a Java HashMap might have ordered them:
    await store.set([{ key: b('["src",{"table":"t","db":"d"}]'), value: b('{"lsn":5}') }])
    await store.refresh()
    assert.equal(store.lookup('src', { db: 'd', table: 't' })?.toString(), '{"lsn":5}')
    assert.equal(store.lookup('src', { db: 'other', table: 't' }), undefined)
    await store.stop()
  })

  test('a corrupt record is skipped and keeps the previous value of its key', async () => {
    const cluster = new MemoryCluster()
    const { logger, lines } = recordingLogger()
    cluster.createTopic({ name: 'offs', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } })
    cluster.append('offs', [
      { key: b('["src",{"f":"a"}]'), value: b('{"position":1}') },
      { key: b('["src",{"f":"a"}]'), value: b('not json') },
      { key: b('{"not":"a list"}'), value: b('{"position":2}') },
    ])
    const store = new KafkaOffsetStore({
      transport: new MemoryTopicLog(cluster, 'offs'),
      admin: new MemoryTopicAdmin(cluster),
      partitions: 1,
      replicationFactor: 1,
      logger,
    })
    await store.start()
    assert.equal(store.lookup('src', { f: 'a' })?.toString(), '{"position":1}')
    assert.deepEqual(
      lines.filter((l) => l.msg === 'skipped an offset record that cannot be read').map((l) => l.offset),
      ['1', '2'],
    )
    await store.stop()
  })
})

describe('status store (in memory)', () => {
  test('other workers read statuses; DESTROYED is a tombstone that forgets the connector and its tasks', async () => {
    const cluster = new MemoryCluster()
    const w1 = createMemoryStatusStore(cluster)
    const w2 = createMemoryStatusStore(cluster)
    await w1.start()
    await w2.start()
    await w1.put({ connector: 'c', state: 'RUNNING', trace: null, workerId: 'w1:8083', generation: 1 })
    await w1.put({ connector: 'c', task: 0, state: 'FAILED', trace: 'boom', workerId: 'w1:8083', generation: 1 })
    await w1.putTopic({ topic: 'orders', connector: 'c', task: 0, discoverTimestamp: 1 })
    await w2.refresh()
    assert.equal(w2.connector('c')?.state, 'RUNNING')
    assert.deepEqual(w2.tasks('c'), [
      { connector: 'c', task: 0, state: 'FAILED', trace: 'boom', workerId: 'w1:8083', generation: 1 },
    ])
    assert.deepEqual(w2.topics('c'), [{ topic: 'orders', connector: 'c', task: 0, discoverTimestamp: 1 }])

    await w1.put({ connector: 'c', state: 'DESTROYED', trace: null, workerId: 'w1:8083', generation: 2 })
    await w1.deleteTopic('c', 'orders')
    await w2.refresh()
    assert.equal(w2.connector('c'), undefined)
    assert.deepEqual(w2.tasks('c'), [])
    assert.deepEqual(w2.topics('c'), [])
    await Promise.all([w1.stop(), w2.stop()])
  })

  test("a safe write does not overwrite another worker's status of a later generation", async () => {
    const cluster = new MemoryCluster()
    const oldOwner = createMemoryStatusStore(cluster)
    const newOwner = createMemoryStatusStore(cluster)
    await oldOwner.start()
    await newOwner.start()
    await newOwner.put({ connector: 'c', task: 0, state: 'RUNNING', trace: null, workerId: 'w2:8083', generation: 5 })
    await oldOwner.refresh()
    const written = await oldOwner.putSafe({
      connector: 'c',
      task: 0,
      state: 'UNASSIGNED',
      trace: null,
      workerId: 'w1:8083',
      generation: 4,
    })
    assert.equal(written, false)
    await Promise.all([oldOwner.stop(), newOwner.stop()])
  })

  test('a late UNASSIGNED of an older generation does not hide a RUNNING task', async () => {
    const cluster = new MemoryCluster()
    const store = createMemoryStatusStore(cluster)
    await store.start()
    await store.put({ connector: 'c', task: 0, state: 'RUNNING', trace: null, workerId: 'w2:8083', generation: 5 })
    await store.put({ connector: 'c', task: 0, state: 'UNASSIGNED', trace: null, workerId: 'w1:8083', generation: 5 })
    await store.refresh()
    assert.equal(store.task('c', 0)?.state, 'RUNNING')
    await store.stop()
  })

  test('an UNASSIGNED from the worker that runs the task is read: that worker released it', async () => {
    const cluster = new MemoryCluster()
    const store = createMemoryStatusStore(cluster)
    await store.start()
    await store.put({ connector: 'c', task: 0, state: 'RUNNING', trace: null, workerId: 'w1:8083', generation: 5 })
    await store.put({ connector: 'c', task: 0, state: 'UNASSIGNED', trace: null, workerId: 'w1:8083', generation: 5 })
    await store.refresh()
    assert.equal(store.task('c', 0)?.state, 'UNASSIGNED')
    await store.stop()
  })

  test('a corrupt status record is logged and skipped', async () => {
    const cluster = new MemoryCluster()
    cluster.createTopic({ name: 'st', partitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } })
    cluster.append('st', [
      { key: b('status-connector-a'), value: b('{"state":"RUNNING","trace":null,"worker_id":"w","generation":1}') },
      { key: b('status-connector-b'), value: b('{"state":"SLEEPING","trace":null,"worker_id":"w","generation":1}') },
      { key: b('status-unknown'), value: b('{}') },
    ])
    const { logger, lines } = recordingLogger()
    const store = new KafkaStatusStore({
      transport: new MemoryTopicLog(cluster, 'st'),
      admin: new MemoryTopicAdmin(cluster),
      partitions: 1,
      replicationFactor: 1,
      logger,
    })
    await store.start()
    assert.deepEqual(store.connectors(), ['a'])
    assert.equal(lines.filter((l) => l.msg === 'skipped a status record that cannot be read').length, 2)
    await store.stop()
  })
})
