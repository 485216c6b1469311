/**
 * A broker restart in the middle of reading an internal topic loses nothing. This test restarts a broker, so it
 * runs its own private one-broker Kafka instead of the shared test broker.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { KafkaTopicLog, type TopicFetchOptions } from '../../../src/kafka/topic-log.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'
import { KafkaOffsetStore } from '../../../src/stores/offset-store.ts'
import { LocalKafka } from '../../../tools/kafka/cluster.ts'
import { uniqueName } from '../../support/kafka.ts'
import { quietLogger } from '../../support/stores.ts'

/** Reads in small steps, slowly, so that the restart surely lands in the middle of the read. */
class SlowTopicLog extends KafkaTopicLog {
  fetches = 0
  failedFetches = 0

  override async fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions) {
    this.fetches++
    await new Promise((r) => setTimeout(r, 20))
    try {
      return await super.fetch(positions, opts)
    } catch (error) {
      this.failedFetches++
      throw error
    }
  }
}

describe('reading through a broker restart', () => {
  let kafka: LocalKafka
  let dir: string

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsconnect-restart-'))
    kafka = await LocalKafka.start({ dir, brokers: 1 })
  })

  after(async () => {
    await kafka?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('an offsets topic read while its broker restarts is read completely, and the store keeps following', async () => {
    const props = { 'bootstrap.servers': kafka.bootstrap }
    const topic = uniqueName('offsets')
    const admin = KafkaTopicAdmin.fromProperties(props)
    await admin.createTopic({
      name: topic,
      partitions: 3,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact' },
    })
    const producer = createProducer(props)
    const count = 3_000
    for (let i = 0; i < count; i += 500) {
      await producer.send({
        messages: Array.from({ length: 500 }, (_, j) => ({
          topic,
          key: encodeOffsetKey('src', { n: i + j }),
          value: encodeOffsetValue({ position: i + j }) ?? undefined,
        })),
      })
    }
    await producer.close()

    const transport = new SlowTopicLog({
      topic,
      consumerProps: { ...props, 'retry.backoff.ms': '200' },
      producerProps: props,
      partitionMaxBytes: 2_048,
    })
    const store = new KafkaOffsetStore({
      transport,
      admin,
      partitions: 3,
      replicationFactor: 1,
      logger: quietLogger(),
    })
    const starting = store.start({ timeoutMs: 120_000 })
    await new Promise((r) => setTimeout(r, 300))
    await kafka.restartBroker(1)
    await starting

    assert.ok(transport.failedFetches > 0, 'the restart interrupted the read')
    for (let i = 0; i < count; i++) {
      assert.equal(store.lookup('src', { n: i })?.toString(), `{"position":${i}}`, `offset ${i}`)
    }
    assert.equal(store.connectorPartitions('src').length, count)

    await store.set([{ key: encodeOffsetKey('src', { n: 'after' }), value: encodeOffsetValue({ position: 1 }) }])
    await store.refresh({ timeoutMs: 30_000 })
    assert.equal(store.lookup('src', { n: 'after' })?.toString(), '{"position":1}')
    await store.stop()
    await admin.close()
  })
})
