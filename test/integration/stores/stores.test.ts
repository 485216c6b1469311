/**
 * The three stores on the real (shared) broker: bytes on the wire, restart and read back, forced compaction,
 * corrupt records, topic checks, and the fencing config writer.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { Admin, Consumer, Producer } from '@platformatic/kafka'
import { ConfigError } from '../../../src/errors.ts'
import { createAdmin, createFetchClient, createProducer } from '../../../src/kafka/clients.ts'
import { type FetchedRecord, fetchPartition } from '../../../src/kafka/fetch.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'
import {
  createKafkaConfigStore,
  createKafkaOffsetStore,
  createKafkaStatusStore,
} from '../../../src/stores/kafka-stores.ts'
import { PrivilegedWriteError } from '../../../src/stores/privileged-writer.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { recordingLogger } from '../../support/stores.ts'

function workerProps(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'bootstrap.servers': testBootstrap(),
    'group.id': uniqueName('group'),
    'config.storage.topic': uniqueName('configs'),
    'offset.storage.topic': uniqueName('offsets'),
    'status.storage.topic': uniqueName('status'),
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '5',
    'status.storage.partitions': '3',
    ...extra,
  }
}

/** Compaction as fast as the broker's cleaner allows (its backoff is 1 s). */
const FAST_COMPACTION = {
  'config.storage.segment.ms': '100',
  'config.storage.min.cleanable.dirty.ratio': '0.01',
  'config.storage.delete.retention.ms': '100',
}

async function readTopic(
  consumer: Consumer,
  topic: string,
  partition = 0,
  readCommitted = false,
): Promise<FetchedRecord[]> {
  const end = (await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] } })).get(topic)?.[
    partition
  ]
  const start = (
    await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp: -2n })
  ).get(topic)?.[partition]
  const records: FetchedRecord[] = []
  let offset = start ?? 0n
  while (offset < (end ?? 0n)) {
    const batch = await fetchPartition(consumer, topic, partition, offset, { readCommitted })
    records.push(...batch.records)
    offset = batch.nextOffset
  }
  return records
}

describe('internal-topic stores on Kafka', () => {
  let admin: Admin
  let producer: Producer
  let consumer: Consumer

  before(() => {
    admin = createAdmin({ 'bootstrap.servers': testBootstrap() })
    producer = createProducer({ 'bootstrap.servers': testBootstrap() })
    consumer = createFetchClient({ 'bootstrap.servers': testBootstrap() })
  })

  after(async () => {
    await Promise.all([admin.close(), producer.close(), consumer.close()])
  })

  // Stores a failed test left running would keep the test process alive.
  const running: { stop(): Promise<void> }[] = []
  function track<T extends { stop(): Promise<void> }>(store: T): T {
    running.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((store) => store.stop()))
  })

  test("the config topic holds Java's bytes, and a restarted store reads back the same state", async () => {
    const props = workerProps()
    const store = track(createKafkaConfigStore(props))
    await store.start({ timeoutMs: 60_000 })
    await store.putConnectorConfig('file-src', { 'connector.class': 'FileStreamSource', file: '/tmp/in' }, 'STOPPED')
    await store.putTaskConfigs('file-src', [{ file: '/tmp/in', 'task.id': '0' }])
    await store.putTargetState('file-src', 'PAUSED')
    await store.putSessionKey({ key: Buffer.alloc(4, 1), algorithm: 'HmacSHA256', creationTimestamp: 1700000000000 })
    await store.putRestartRequest({ connector: 'file-src', includeTasks: true, onlyFailed: false })
    await store.putTaskCountRecord('file-src', 1)
    await store.putLoggerLevel('org.apache.kafka', 'DEBUG')
    await store.refresh()
    const before = store.snapshot()
    await store.stop()

    const raw = (await readTopic(consumer, props['config.storage.topic'] as string)).map((r) => [
      r.key?.toString(),
      r.value?.toString() ?? null,
    ])
    assert.deepEqual(raw, [
      ['target-state-file-src', '{"state":"PAUSED","state.v2":"STOPPED"}'],
      ['connector-file-src', '{"properties":{"connector.class":"FileStreamSource","file":"/tmp/in"}}'],
      ['task-file-src-0', '{"properties":{"file":"/tmp/in","task.id":"0"}}'],
      ['commit-file-src', '{"tasks":1}'],
      ['target-state-file-src', '{"state":"PAUSED","state.v2":"PAUSED"}'],
      ['session-key', '{"key":"AQEBAQ==","algorithm":"HmacSHA256","creation-timestamp":1700000000000}'],
      ['restart-connector-file-src', '{"include-tasks":true,"only-failed":false}'],
      ['tasks-fencing-file-src', '{"task-count":1}'],
      ['logger-cluster-org.apache.kafka', '{"level":"DEBUG"}'],
    ])

    const again = track(createKafkaConfigStore(props))
    await again.start({ timeoutMs: 60_000 })
    const after = again.snapshot()
    assert.equal(after.offset, 9)
    assert.equal(after.offset, before.offset)
    assert.deepEqual(after.connectors, ['file-src'])
    assert.equal(after.targetState('file-src'), 'PAUSED')
    assert.deepEqual(after.taskConfig({ connector: 'file-src', task: 0 }), { file: '/tmp/in', 'task.id': '0' })
    assert.equal(after.taskCountRecord('file-src'), 1)
    assert.equal(after.pendingFencing('file-src'), false)
    assert.deepEqual(after.sessionKey?.key, Buffer.alloc(4, 1))
    await again.stop()
  })

  test('after forced compaction of the config topic the state read back is still right', async () => {
    const props = workerProps(FAST_COMPACTION)
    const topic = props['config.storage.topic'] as string
    const store = track(createKafkaConfigStore(props))
    await store.start({ timeoutMs: 60_000 })
    for (let round = 0; round < 5; round++) {
      await store.putConnectorConfig('a', { round: String(round) })
      await store.putTaskConfigs(
        'a',
        Array.from({ length: 3 - (round % 3) }, (_, t) => ({ round: String(round), t: String(t) })),
      )
      await store.putConnectorConfig('b', { round: String(round) })
    }
    await store.putTaskConfigs('b', [{ only: 'task' }])
    await store.putConnectorConfig('deleted', { x: '1' })
    await store.putTaskConfigs('deleted', [{ x: '1' }])
    await store.removeConnectorConfig('deleted')
    const expected = store.snapshot()
    await store.stop()
    // Every record written counts in the config offset: compaction must leave fewer than that.
    const written = expected.offset
    const deadline = Date.now() + 60_000
    let remaining = written
    while (Date.now() < deadline) {
      // A filler record keeps segments rolling so that the cleaner gets to the older ones.
      await producer.send({ messages: [{ topic, key: Buffer.from('filler'), value: Buffer.from('{}') }] })
      remaining = (await readTopic(consumer, topic)).filter((r) => r.key?.toString() !== 'filler').length
      if (remaining < written) break
      await new Promise((r) => setTimeout(r, 500))
    }
    assert.ok(remaining < written, `the cleaner compacted the topic (${remaining} of ${written} records left)`)

    const reread = track(createKafkaConfigStore(props))
    await reread.start({ timeoutMs: 60_000 })
    const snap = reread.snapshot()
    assert.deepEqual(snap.connectors, ['a', 'b'])
    assert.deepEqual(snap.connectorConfig('a'), expected.connectorConfig('a'))
    assert.deepEqual(snap.tasks('a'), expected.tasks('a'))
    for (const task of snap.tasks('a')) assert.deepEqual(snap.taskConfig(task), expected.taskConfig(task))
    assert.deepEqual(snap.taskConfig({ connector: 'b', task: 0 }), { only: 'task' })
    assert.deepEqual(snap.inconsistentConnectors, [])
    await reread.stop()
  })

  test('a corrupt record in each topic is reported with topic, partition and offset, and skipped', async () => {
    const props = workerProps()
    const { logger, lines } = recordingLogger()
    const configs = track(createKafkaConfigStore(props, { logger }))
    const offsets = track(createKafkaOffsetStore(props, { logger }))
    const statuses = track(createKafkaStatusStore(props, { logger }))
    await Promise.all([configs.start(), offsets.start(), statuses.start()])
    const raw = (topic: string, key: string, value: string) => ({
      topic,
      key: Buffer.from(key),
      value: Buffer.from(value),
    })
    const cfg = props['config.storage.topic'] as string
    const off = props['offset.storage.topic'] as string
    const st = props['status.storage.topic'] as string
    await producer.send({
      messages: [
        raw(cfg, 'connector-bad', '{"properties":'),
        raw(cfg, 'connector-good', '{"properties":{"a":"b"}}'),
        raw(off, '["src",{"f":"x"}]', 'garbage'),
        raw(off, '["src",{"f":"y"}]', '{"position":7}'),
        raw(st, 'status-connector-bad', '{"state":42}'),
        raw(st, 'status-connector-good', '{"state":"RUNNING","trace":null,"worker_id":"w:1","generation":3}'),
      ],
    })
    await Promise.all([configs.refresh(), offsets.refresh(), statuses.refresh()])
    assert.deepEqual(configs.snapshot().connectors, ['good'])
    assert.equal(offsets.lookup('src', { f: 'y' })?.toString(), '{"position":7}')
    assert.equal(offsets.lookup('src', { f: 'x' }), undefined)
    assert.deepEqual(statuses.connectors(), ['good'])
    const skipped = lines.filter((l) => /^skipped an? \w+ record/.test(l.msg))
    assert.deepEqual(skipped.map((l) => l.topic).sort(), [cfg, off, st].sort())
    for (const line of skipped) {
      assert.equal(typeof line.partition, 'number')
      assert.match(String(line.offset), /^\d+$/)
    }
    await Promise.all([configs.stop(), offsets.stop(), statuses.stop()])
  })

  test('creates missing topics compacted with the configured partitions, and refuses bad existing ones', async () => {
    const props = workerProps({ 'offset.storage.segment.bytes': '1048576' })
    const offsets = track(createKafkaOffsetStore(props))
    await offsets.start()
    await offsets.stop()
    const offsetTopic = props['offset.storage.topic'] as string
    const metadata = await admin.metadata({ topics: [offsetTopic] })
    assert.equal(metadata.topics.get(offsetTopic)?.partitionsCount, 5)
    const [described] = await admin.describeConfigs({
      resources: [
        { resourceType: 2, resourceName: offsetTopic, configurationKeys: ['cleanup.policy', 'segment.bytes'] },
      ],
    })
    const config = Object.fromEntries(described?.configs.map((c) => [c.name, c.value]) ?? [])
    assert.deepEqual(config, { 'cleanup.policy': 'compact', 'segment.bytes': '1048576' })

    const twoPartitions = workerProps()
    await admin.createTopics({
      topics: [twoPartitions['config.storage.topic'] as string],
      partitions: 2,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    })
    await assert.rejects(
      track(createKafkaConfigStore(twoPartitions)).start(),
      (e: unknown) => e instanceof ConfigError && e.key === 'config.storage.topic',
    )

    const deleting = workerProps()
    await admin.createTopics({ topics: [deleting['status.storage.topic'] as string], partitions: 1, replicas: 1 })
    const status = track(createKafkaStatusStore(deleting))
    await assert.rejects(
      status.start(),
      (e: unknown) =>
        e instanceof ConfigError && e.key === 'status.storage.topic' && /cleanup.policy=delete/.test(e.message),
    )
  })

  test('offsets: keys land where Java puts them, values and tombstones survive a restart', async () => {
    const props = workerProps()
    const store = track(createKafkaOffsetStore(props))
    await store.start()
    const entries = Array.from({ length: 200 }, (_, i) => ({
      key: encodeOffsetKey('src', { file: `f${i}` }),
      value: encodeOffsetValue({ position: i * 10 }),
    }))
    await store.set(entries)
    await store.set(entries.slice(0, 50).map((e) => ({ key: e.key, value: null })))
    await store.stop()

    const again = track(createKafkaOffsetStore(props))
    await again.start()
    const values = await again.get(entries.map((e) => e.key))
    values.forEach((v, i) => {
      assert.equal(v?.toString() ?? null, i < 50 ? null : `{"position":${i * 10}}`)
    })
    assert.equal(again.connectorPartitions('src').length, 150)
    await again.stop()
  })

  test('a read to the end with nothing new does not wait out the read loop long poll', async () => {
    // The read loop, caught up, long-polls for 20 s; a refresh must not queue its end offsets behind that poll.
    const store = track(createKafkaConfigStore(workerProps(), { fetchMaxWaitMs: 20_000 }))
    await store.start()
    await new Promise((r) => setTimeout(r, 200)) // the loop is in its long poll by now
    await store.refresh({ timeoutMs: 10_000 })
    await store.refresh({ timeoutMs: 10_000 })
  })

  test('statuses written by one worker are read by another', async () => {
    const props = workerProps()
    const w1 = track(createKafkaStatusStore(props))
    const w2 = track(createKafkaStatusStore(props))
    await Promise.all([w1.start(), w2.start()])
    await w1.put({
      connector: 'c',
      task: 3,
      state: 'FAILED',
      trace: 'stack\ntrace',
      workerId: 'w1:8083',
      generation: 2,
    })
    await w2.refresh()
    assert.deepEqual(w2.task('c', 3), {
      connector: 'c',
      task: 3,
      state: 'FAILED',
      trace: 'stack\ntrace',
      workerId: 'w1:8083',
      generation: 2,
    })
    await Promise.all([w1.stop(), w2.stop()])
  })

  test('with exactly-once source support the leader writes in transactions, and a new leader fences the old', async () => {
    const props = workerProps({ 'exactly.once.source.support': 'enabled' })
    const oldLeader = track(createKafkaConfigStore(props))
    const newLeader = track(createKafkaConfigStore(props))
    await Promise.all([oldLeader.start({ timeoutMs: 60_000 }), newLeader.start({ timeoutMs: 60_000 })])
    try {
      await oldLeader.claimWritePrivileges()
      await oldLeader.putConnectorConfig('c', { v: 'old' })
      await newLeader.claimWritePrivileges()
      await assert.rejects(oldLeader.putConnectorConfig('c', { v: 'zombie' }), PrivilegedWriteError)
      await newLeader.putConnectorConfig('c', { v: 'new' })
      await oldLeader.refresh()
      assert.deepEqual(oldLeader.snapshot().connectorConfig('c'), { v: 'new' })
      // Transaction markers are not records: the config offset is the last record's offset + 1, not the log end.
      const topic = props['config.storage.topic'] as string
      const records = await readTopic(consumer, topic, 0, true)
      const last = records[records.length - 1]
      assert.equal(newLeader.snapshot().offset, Number(last?.offset) + 1)
      assert.deepEqual(
        records.map((r) => r.value?.toString()),
        ['{"properties":{"v":"old"}}', '{"properties":{"v":"new"}}'],
      )
    } finally {
      await Promise.all([oldLeader.stop(), newLeader.stop()])
    }
  })
})
