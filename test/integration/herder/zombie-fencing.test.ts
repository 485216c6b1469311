/**
 * Zombie fencing (KIP-618) on the real broker, through the internal endpoint PUT /connectors/{name}/fence of a
 * two-worker cluster (asked of the follower, so the request is forwarded to the leader): once new task configs are
 * committed, a round fences every transactional producer of the previous generation, so that a zombie task that
 * still holds an open transaction can no longer commit it, and a read_committed reader never sees its records.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { KafkaTopicLog } from '../../../src/kafka/topic-log.ts'
import { fenceTransactionalIds } from '../../../src/kafka/transactional-writer.ts'
import { signatureHeaders } from '../../../src/rest/signature.ts'
import { KafkaBasedLog } from '../../../src/stores/kafka-based-log.ts'
import { KafkaTransactionalRecordSender, type SourceTransaction } from '../../../src/worker/record-sender.ts'
import { clusterProperties, http, startTestHerder, type TestHerder, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const props = clusterProperties({ 'exactly.once.source.support': 'enabled' })
const groupId = props['group.id'] as string
let workers: TestHerder[] = []
let follower: TestHerder
const senders: KafkaTransactionalRecordSender[] = []

before(async () => {
  const fenceProducers = (ids: readonly string[]) =>
    fenceTransactionalIds(ids, { 'bootstrap.servers': testBootstrap() })
  workers = [await startTestHerder(props, { fenceProducers }), await startTestHerder(props, { fenceProducers })]
  await until('a settled cluster', 30_000, async () =>
    workers.every((w) => w.herder.core.ready && !w.herder.core.rebalancing) ? true : undefined,
  )
  follower = workers.find((w) => !w.herder.core.isLeader) as TestHerder
})
after(async () => {
  await Promise.all(senders.map((s) => s.close().catch(() => {})))
  await Promise.all(workers.map((w) => w.stop()))
})

/** PUT /connectors/{name}/fence, signed with the cluster's session key as a worker signs it. */
async function fence(name: string): Promise<{ status: number; body: unknown }> {
  const key = follower.herder.core.snapshot.sessionKey
  assert.ok(key, 'no session key yet')
  const headers = signatureHeaders(Buffer.alloc(0), { key: key.key, algorithm: key.algorithm }, 'HmacSHA256')
  const response = await fetch(`${follower.url}/connectors/${name}/fence`, { method: 'PUT', headers })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

async function taskCount(name: string, count: number): Promise<void> {
  await until(`${name} has ${count} tasks`, 30_000, async () => {
    const r = await http(`${follower.url}/connectors/${name}/tasks`)
    return r.status === 200 && (r.body as unknown[]).length === count ? true : undefined
  })
}

/** A task producer of `connector`'s task `task`, as a (zombie) worker would hold it, with an open transaction. */
async function zombie(connector: string, task: number, topic: string): Promise<SourceTransaction> {
  const sender = new KafkaTransactionalRecordSender(
    createProducer({
      'bootstrap.servers': testBootstrap(),
      'transactional.id': `${groupId}-${connector}-${task}`,
      'enable.idempotence': 'true',
      acks: 'all',
    }),
  )
  senders.push(sender)
  await sender.init()
  const transaction = await sender.begin()
  await transaction.send([
    { topic, partition: null, key: null, value: Buffer.from(`zombie-${task}`), headers: [], timestamp: null },
  ])
  return transaction
}

async function committedValues(topic: string): Promise<string[]> {
  const values: string[] = []
  const log = new KafkaBasedLog({
    transport: new KafkaTopicLog({
      topic,
      consumerProps: { 'bootstrap.servers': testBootstrap(), 'client.id': uniqueName('fencing-reader') },
      producerProps: { 'bootstrap.servers': testBootstrap() },
      readCommitted: true,
    }),
    onRecord: (r) => values.push(r.value?.toString('utf8') ?? ''),
  })
  await log.start()
  await log.stop()
  return values
}

describe('zombie fencing through PUT /connectors/{name}/fence', () => {
  test('fences the producers of the previous task generation: their open transactions can no longer commit', async () => {
    const topic = uniqueName('fenced')
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()
    const config = { 'connector.class': 'DemoSource', topic, 'tasks.max': '2' }
    assert.equal((await http(`${follower.url}/connectors/src/config`, 'PUT', config)).status, 201)
    await taskCount('src', 2)
    // The first round only records the task count: no task producer can exist before it.
    assert.equal((await fence('src')).status, 204)

    const zombies = [await zombie('src', 0, topic), await zombie('src', 1, topic)]
    assert.equal(
      (await http(`${follower.url}/connectors/src/config`, 'PUT', { ...config, 'tasks.max': '3' })).status,
      200,
    )
    await taskCount('src', 3)
    assert.equal((await fence('src')).status, 204)

    for (const z of zombies) await assert.rejects(z.commit())
    assert.deepEqual(await committedValues(topic), [])
  })

  test('resetting the offsets of a stopped connector first fences its last task generation', async () => {
    const topic = uniqueName('fenced-offsets')
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()
    const config = { 'connector.class': 'DemoSource', topic, 'tasks.max': '2' }
    assert.equal((await http(`${follower.url}/connectors/off/config`, 'PUT', config)).status, 201)
    await taskCount('off', 2)
    assert.equal((await fence('off')).status, 204)
    const zombies = [await zombie('off', 0, topic), await zombie('off', 1, topic)]
    assert.equal((await http(`${follower.url}/connectors/off/stop`, 'PUT')).status, 204)
    await taskCount('off', 0)
    const reset = await http(`${follower.url}/connectors/off/offsets`, 'DELETE')
    assert.equal(reset.status, 200, JSON.stringify(reset.body))
    for (const z of zombies) await assert.rejects(z.commit())
    assert.deepEqual(await committedValues(topic), [])
  })

  test('answers 400 to an unsigned request, 404 for an unknown connector and 400 for a sink connector', async () => {
    const unsigned = await http(`${follower.url}/connectors/src/fence`, 'PUT')
    assert.deepEqual(unsigned, {
      status: 400,
      body: { error_code: 400, message: 'Internal request missing required signature' },
    })
    assert.equal((await fence('nope')).status, 404)
    const sink = { 'connector.class': 'DemoSink', topics: 'x' }
    assert.equal((await http(`${follower.url}/connectors/snk/config`, 'PUT', sink)).status, 201)
    const r = await fence('snk')
    assert.equal(r.status, 400)
    assert.deepEqual(r.body, { error_code: 400, message: 'Connector snk is not a source connector' })
  })
})
