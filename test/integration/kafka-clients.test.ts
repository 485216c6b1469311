/**
 * Smoke tests of the client layer against the real broker: topics, producing, reading back, partitioning.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Admin, Consumer, Producer } from '@platformatic/kafka'
import { createAdmin, createFetchClient, createProducer } from '../../src/kafka/clients.ts'
import { type FetchedRecord, fetchPartition } from '../../src/kafka/fetch.ts'
import { testClientProperties, uniqueName } from '../support/kafka.ts'

/** Java's murmur2 of these keys, from Kafka's UtilsTest.testMurmur2. */
const JAVA_MURMUR2: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
]

/** Java's default partitioner for a keyed record: Utils.toPositive(murmur2(key)) % partitions. */
function javaPartition(hash: number, partitions: number): number {
  return (hash & 0x7fffffff) % partitions
}

async function readAll(consumer: Consumer, topic: string, partition: number): Promise<FetchedRecord[]> {
  // The answer is indexed by partition number.
  const end = (await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] } })).get(topic)?.[
    partition
  ]
  const records: FetchedRecord[] = []
  let offset = 0n
  while (offset < (end ?? 0n)) {
    const batch = await fetchPartition(consumer, topic, partition, offset)
    records.push(...batch.records)
    offset = batch.nextOffset
  }
  return records
}

describe('Kafka clients from Java-style properties', () => {
  let admin: Admin
  let producer: Producer
  let consumer: Consumer

  before(() => {
    admin = createAdmin(testClientProperties())
    producer = createProducer(testClientProperties({ acks: 'all', 'compression.type': 'lz4' }))
    consumer = createFetchClient(testClientProperties())
  })

  after(async () => {
    await Promise.all([admin.close(), producer.close(), consumer.close()])
  })

  test('creates a compacted topic with the requested partitions and configs', async () => {
    const topic = uniqueName('compacted')
    await admin.createTopics({
      topics: [topic],
      partitions: 3,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    })
    const metadata = await admin.metadata({ topics: [topic] })
    assert.equal(metadata.topics.get(topic)?.partitionsCount, 3)
    const [described] = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['cleanup.policy'] }],
    })
    const policy = described?.configs.find((c) => c.name === 'cleanup.policy')
    assert.equal(policy?.value, 'compact')
  })

  test('reads back keyed records with headers from the beginning, in order', async () => {
    const topic = uniqueName('roundtrip')
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
    const messages = Array.from({ length: 20 }, (_, i) => ({
      topic,
      key: Buffer.from(`key-${i}`),
      value: i === 7 ? undefined : Buffer.from(`value-${i}`),
      headers: new Map([[Buffer.from('h'), Buffer.from(`header-${i}`)]]),
    }))
    await producer.send({ messages })

    const records = await readAll(consumer, topic, 0)
    assert.equal(records.length, 20)
    records.forEach((record, i) => {
      assert.equal(record.offset, i)
      assert.equal(record.key?.toString(), `key-${i}`)
      assert.equal(record.value?.toString() ?? null, i === 7 ? null : `value-${i}`)
      assert.deepEqual(
        record.headers.map(([k, v]) => [k.toString(), v?.toString()]),
        [['h', `header-${i}`]],
      )
    })
  })

  test("puts keyed records on the partitions Java's default partitioner chooses", async () => {
    const topic = uniqueName('partitioning')
    const partitions = 6
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 })
    await producer.send({
      messages: JAVA_MURMUR2.map(([key]) => ({ topic, key: Buffer.from(key), value: Buffer.from(key) })),
    })

    const landed = new Map<string, number>()
    for (let p = 0; p < partitions; p++) {
      for (const record of await readAll(consumer, topic, p)) landed.set(record.key?.toString() ?? '', p)
    }
    for (const [key, hash] of JAVA_MURMUR2) {
      assert.equal(landed.get(key), javaPartition(hash, partitions), `partition of key "${key}"`)
    }
    // At least one vector hashes negative: the case where a non-Java partitioner would differ.
    assert.ok(
      JAVA_MURMUR2.some(([, hash]) => hash < 0 && (hash >>> 0) % partitions !== javaPartition(hash, partitions)),
    )
  })
})
