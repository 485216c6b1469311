/**
 * The Redis sources in real workers, each under kill -9 of the worker running its task: the stream source against
 * the machine's Redis (a stream under the test's key prefix), the keys source against a private redis-server that
 * this file starts with keyspace notifications on (the shared server has them off, and tests do not reconfigure
 * shared services). One cluster serves both tests.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { Redis } from 'ioredis'
import {
  ConnectorHarness,
  countKeys,
  createTestTopic,
  topicRecordCount,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { testRedis } from '../../../../test/support/shared-services.ts'

const SCHEMALESS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Writes keys/entries in batches while the test kills a worker: `count` items, `batch` at a time, 100 ms apart. */
async function inBatches(count: number, batch: number, write: (from: number, to: number) => Promise<unknown>) {
  for (let i = 0; i < count; i += batch) {
    await write(i, Math.min(i + batch, count))
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('Redis sources under kill -9', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-redis',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(() => harness?.close())

  test('the stream source delivers every entry added during the kill, in its documented shape', async (t) => {
    const { url, prefix } = await testRedis(t)
    const redis = new Redis(url)
    t.after(() => redis.disconnect())
    const stream = `${prefix}events`
    const topic = await createTestTopic('redis-stream')
    const count = 3000
    await harness.createConnector('stream', {
      'connector.class': 'com.redis.kafka.connect.RedisStreamSourceConnector',
      'redis.uri': url,
      'redis.stream.name': stream,
      topic,
      'batch.size': '50',
      ...SCHEMALESS,
    })
    const adding = inBatches(count, 100, async (from, to) => {
      const batch = redis.pipeline()
      for (let i = from; i < to; i++) batch.xadd(stream, '*', 'seq', String(i))
      await batch.exec()
    })
    await harness.killTaskOwnerWhen('stream', async () => (await topicRecordCount(topic)) >= 500)
    await adding
    const wanted = Array.from({ length: count }, (_, i) => String(i))
    await until('every entry in Kafka', 90_000, async () => {
      const seqs = new Set((await topicRecords(topic)).map((r) => JSON.parse(r.value ?? '{}').body?.seq))
      return wanted.every((s) => seqs.has(s)) ? true : undefined
    })
    await harness.stopConnector('stream')
    const records = await topicRecords(topic)
    const first = records[0]
    const value = JSON.parse(first?.value ?? '{}')
    assert.equal(first?.key, value.id)
    assert.equal(value.stream, stream)
    assert.deepEqual(value.body, { seq: '0' })
    const verdict = countKeys(
      wanted,
      records.map((r) => JSON.parse(r.value ?? '{}').body?.seq),
    )
    console.log(
      `# redis stream source under kill -9: ${verdict.sent} entries, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0)
    assert.equal(verdict.unexpected, 0)
    // Everything delivered was acknowledged once the task stopped: nothing stays pending in the group.
    const pending = (await redis.xpending(stream, 'kafka-consumer-group')) as [number, ...unknown[]]
    assert.equal(pending[0], 0)
  })

  test('the keys source reads every key that exists after the kill, and changes seen live', async (t) => {
    const port = await freePort()
    const server: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--notify-keyspace-events',
        'KEA',
      ],
      { stdio: 'ignore' },
    )
    t.after(() => server.kill('SIGTERM'))
    const url = `redis://127.0.0.1:${port}`
    const redis = new Redis(url, { retryStrategy: (n) => Math.min(n * 100, 1000) })
    t.after(() => redis.disconnect())
    await until('the private redis-server', 30_000, async () => ((await redis.ping()) === 'PONG' ? true : undefined))
    await redis.set('early', 'before the connector')
    const topic = await createTestTopic('redis-keys')
    await harness.createConnector('keys', {
      'connector.class': 'com.redis.kafka.connect.RedisKeysSourceConnector',
      'redis.uri': url,
      'redis.keys.pattern': 'k*',
      topic,
      ...SCHEMALESS,
    })
    await redis.set('k-early', 'x')
    await until('the first key in Kafka', 60_000, async () => ((await topicRecordCount(topic)) > 0 ? true : undefined))
    const count = 1000
    const keys = Array.from({ length: count }, (_, i) => `k${i}`)
    const writing = inBatches(count, 50, async (from, to) => {
      const batch = redis.pipeline()
      for (let i = from; i < to; i++) batch.hset(keys[i] as string, 'n', String(i))
      await batch.exec()
    })
    await harness.killTaskOwnerWhen('keys', async () => (await topicRecordCount(topic)) >= 200)
    await writing
    await until('every key in Kafka', 90_000, async () => {
      const seen = new Set((await topicRecords(topic)).map((r) => r.key))
      return keys.every((k) => seen.has(k)) ? true : undefined
    })
    await harness.stopConnector('keys')
    const records = await topicRecords(topic)
    const verdict = countKeys(
      ['k-early', ...keys],
      records.map((r) => r.key),
    )
    console.log(
      `# redis keys source under kill -9: ${verdict.sent} keys, ${verdict.lost} lost, ${verdict.duplicated} repeated`,
    )
    assert.equal(verdict.lost, 0)
    assert.equal(verdict.unexpected, 0, 'a key outside redis.keys.pattern was read')
    const k5 = records.map((r) => JSON.parse(r.value ?? '{}')).find((v) => v.key === 'k5')
    assert.equal(k5.type, 'hash')
    assert.deepEqual(k5.hash, { n: '5' })
    assert.equal(k5.string, null)
  })
})
