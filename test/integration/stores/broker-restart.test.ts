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

/** Reads in small steps, and lets a test hold the read at a given fetch, so a restart lands in its middle. */
class GatedTopicLog extends KafkaTopicLog {
  fetches = 0
  failedFetches = 0
  holdAt = Number.POSITIVE_INFINITY
  #gate = Promise.withResolvers<void>()

  /** Lets held fetches go on. */
  release(): void {
    this.#gate.resolve()
  }

  override async fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions) {
    this.fetches++
    if (this.fetches >= this.holdAt) await this.#gate.promise
    try {
      return await super.fetch(positions, opts)
    } catch (error) {
      this.failedFetches++
      throw error
    }
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
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

    const transport = new GatedTopicLog({
      topic,
      consumerProps: { ...props, 'retry.backoff.ms': '200' },
      producerProps: props,
      partitionMaxBytes: 2_048,
    })
    transport.holdAt = 5
    const store = new KafkaOffsetStore({
      transport,
      admin,
      partitions: 3,
      replicationFactor: 1,
      logger: quietLogger(),
    })
    try {
      const starting = store.start({ timeoutMs: 180_000 })
      // Four fetches in, the broker goes down; the read goes on against a dead broker, then it comes back.
      await until(() => transport.fetches >= 5, 60_000)
      await kafka.stopBroker(1)
      transport.release()
      await until(() => transport.failedFetches > 0, 60_000)
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
    } finally {
      await store.stop()
      await admin.close()
    }
  })
})
