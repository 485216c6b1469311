/**
 * The Redis sink in real workers against the machine's Redis: each data type's writes with keyspace templates,
 * TTLs and tombstones, and a LIST sink (which keeps repeats, so they can be counted) under kill -9 of the worker
 * running its task, losing no record. One cluster serves the file's tests.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Redis } from 'ioredis'
import {
  ConnectorHarness,
  countKeys,
  createTestTopic,
  produceRecords,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { testRedis } from '../../../../test/support/shared-services.ts'

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
}
const JSON_VALUES = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
}

describe('RedisSinkConnector', () => {
  let harness: ConnectorHarness
  let redis: Redis
  const topics: string[] = []

  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-redis',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(async () => {
    // The sink's own offset keys are named by topic (Redis Inc.'s format), outside the test's key prefix.
    if (redis !== undefined) {
      for (const topic of topics) await redis.del(`com.redis.kafka.connect.sink.offset.${topic}.0`)
      redis.disconnect()
    }
    await harness?.close()
  })

  async function topic(prefix: string): Promise<string> {
    const name = await createTestTopic(prefix)
    topics.push(name)
    return name
  }

  test('writes strings with a TTL, hashes, sorted sets and stream entries, and tombstones delete', async (t) => {
    const { url, prefix } = await testRedis(t)
    redis ??= new Redis(url)
    const strings = await topic('redis-strings')
    const maps = await topic('redis-maps')
    const scores = await topic('redis-scores')
    await produceRecords(strings, [
      { key: 'a', value: 'alpha' },
      { key: 'b', value: 'beta' },
      { key: 'b', value: null },
    ])
    await produceRecords(maps, [{ key: 'o1', value: '{"item":"pen","qty":2}' }])
    await produceRecords(scores, [
      { key: 'ann', value: '3.5' },
      { key: 'bob', value: '1' },
    ])
    const common = { 'redis.uri': url, 'tasks.max': '1' }
    await harness.createConnector('strings', {
      'connector.class': 'com.redis.kafka.connect.RedisSinkConnector',
      topics: strings,
      'redis.type': 'STRING',
      'redis.keyspace': `${prefix}s`,
      'redis.key.ttl': '600',
      ...common,
      ...STRINGS,
    })
    await harness.createConnector('hashes', {
      'connector.class': 'RedisSink',
      topics: maps,
      'redis.type': 'HASH',
      'redis.keyspace': `${prefix}h`,
      'redis.separator': '/',
      ...common,
      ...JSON_VALUES,
    })
    await harness.createConnector('streams', {
      'connector.class': 'RedisSink',
      topics: maps,
      'redis.type': 'STREAM',
      'redis.keyspace': `${prefix}${'$'}{topic}`,
      ...common,
      ...JSON_VALUES,
    })
    await harness.createConnector('zsets', {
      'connector.class': 'RedisSink',
      topics: scores,
      'redis.type': 'ZSET',
      'redis.keyspace': `${prefix}z`,
      ...common,
      ...JSON_VALUES,
    })
    await until('every sink wrote', 60_000, async () =>
      (await redis.exists(`${prefix}s:a`, `${prefix}h/o1`, `${prefix}${maps}`, `${prefix}z`)) === 4 &&
      (await redis.zcard(`${prefix}z`)) === 2 &&
      (await redis.exists(`${prefix}s:b`)) === 0
        ? true
        : undefined,
    )
    assert.equal(await redis.get(`${prefix}s:a`), 'alpha')
    const ttl = await redis.ttl(`${prefix}s:a`)
    assert.ok(ttl > 0 && ttl <= 600, `ttl ${ttl}`)
    assert.deepEqual(await redis.hgetall(`${prefix}h/o1`), { item: 'pen', qty: '2' })
    const entries = await redis.xrange(`${prefix}${maps}`, '-', '+')
    assert.deepEqual(
      entries.map(([, fields]) => fields),
      [['item', 'pen', 'qty', '2']],
    )
    assert.deepEqual(await redis.zrange(`${prefix}z`, 0, -1, 'WITHSCORES'), ['bob', '1', 'ann', '3.5'])
    for (const name of ['strings', 'hashes', 'streams', 'zsets']) await harness.stopConnector(name)
  })

  test('a record Redis refuses (a key of another type) goes to the dead letter queue; the others are written', async (t) => {
    const { url, prefix } = await testRedis(t)
    redis ??= new Redis(url)
    const source = await topic('redis-refused')
    const dlq = await createTestTopic('redis-dlq')
    await redis.set(`${prefix}h:taken`, 'a string, not a hash')
    await produceRecords(source, [
      { key: 'taken', value: '{"f":"1"}' },
      { key: 'free', value: '{"f":"2"}' },
    ])
    await harness.createConnector('refused', {
      'connector.class': 'RedisSink',
      topics: source,
      'redis.uri': url,
      'redis.type': 'HASH',
      'redis.keyspace': `${prefix}h`,
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      ...JSON_VALUES,
    })
    await until('the refused record in the DLQ', 60_000, async () =>
      (await topicRecords(dlq)).length > 0 ? true : undefined,
    )
    assert.deepEqual(
      (await topicRecords(dlq)).map((r) => r.key),
      ['taken'],
    )
    assert.deepEqual(await redis.hgetall(`${prefix}h:free`), { f: '2' })
    await harness.stopConnector('refused')
  })

  test('a LIST sink loses no record when the worker running its task is killed with -9', async (t) => {
    const { url, prefix } = await testRedis(t)
    redis ??= new Redis(url)
    const source = await topic('redis-kill')
    const list = `${prefix}list`
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`)
    await harness.createConnector('list', {
      'connector.class': 'RedisSink',
      topics: source,
      'redis.type': 'LIST',
      'redis.push.direction': 'RIGHT',
      'redis.keyspace': list,
      'redis.uri': url,
      ...STRINGS,
    })
    // Records keep arriving while the task's worker dies: 30 batches of 100.
    const producing = (async () => {
      for (let i = 0; i < keys.length; i += 100) {
        await produceRecords(
          source,
          keys.slice(i, i + 100).map((key) => ({ key, value: 'v' })),
        )
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await harness.killTaskOwnerWhen('list', async () => (await redis.llen(list)) >= 500)
    await producing
    await until('the last key in Redis', 90_000, async () =>
      (await redis.lrange(list, -200, -1)).includes('k2999') ? true : undefined,
    )
    await harness.stopConnector('list')
    const arrived = await redis.lrange(list, 0, -1)
    const verdict = countKeys(keys, arrived)
    console.log(
      `# redis LIST sink under kill -9: ${verdict.sent} records, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
  })
})
