/**
 * A broker restart, and a partition leader moving to another broker, in the middle of reading an internal topic
 * lose nothing. These tests stop and restart brokers, so they run their own private two-broker Kafka instead of
 * the shared test broker.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { KafkaError } from '../../../src/errors.ts'
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
      const results = await super.fetch(positions, opts)
      if ([...results.values()].some((r) => r instanceof KafkaError)) this.failedFetches++
      return results
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
    kafka = await LocalKafka.start({ dir, brokers: 2 })
  })

  after(async () => {
    await kafka?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const count = 3_000

  /** A compacted topic on both brokers (replication factor 1: each partition on one broker; 2: on both). */
  async function filledTopic(admin: KafkaTopicAdmin, replicationFactor: number): Promise<string> {
    const topic = uniqueName('offsets')
    await admin.createTopic({ name: topic, partitions: 4, replicationFactor, configs: { 'cleanup.policy': 'compact' } })
    const producer = createProducer({ 'bootstrap.servers': kafka.bootstrap })
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
    return topic
  }

  test('an offsets topic read while a broker restarts is read completely, and the store keeps following', async () => {
    const props = { 'bootstrap.servers': kafka.bootstrap }
    const admin = KafkaTopicAdmin.fromProperties(props)
    // Replication factor 1: the partitions on the stopped broker are unreadable until it is back.
    const topic = await filledTopic(admin, 1)

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
      partitions: 4,
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

  test('a read goes on from the new leaders when a broker with partition leaders stops', async () => {
    const props = { 'bootstrap.servers': kafka.bootstrap }
    const admin = KafkaTopicAdmin.fromProperties(props)
    // Replication factor 2: when a broker stops, the other one takes over the leadership of its partitions.
    const topic = await filledTopic(admin, 2)
    const transport = new GatedTopicLog({ topic, consumerProps: props, producerProps: props, partitionMaxBytes: 2_048 })
    transport.holdAt = 5
    const store = new KafkaOffsetStore({ transport, admin, partitions: 4, replicationFactor: 2, logger: quietLogger() })
    try {
      const starting = store.start({ timeoutMs: 180_000 })
      await until(() => transport.fetches >= 5, 60_000)
      await kafka.stopBroker(2)
      transport.release()
      // The read completes while broker 2 is still down: every partition is now led by broker 1.
      await starting
      for (let i = 0; i < count; i++) {
        assert.equal(store.lookup('src', { n: i })?.toString(), `{"position":${i}}`, `offset ${i}`)
      }
      await store.set([{ key: encodeOffsetKey('src', { n: 'moved' }), value: encodeOffsetValue({ position: 2 }) }])
      await store.refresh({ timeoutMs: 30_000 })
      assert.equal(store.lookup('src', { n: 'moved' })?.toString(), '{"position":2}')
    } finally {
      await kafka.restartBroker(2)
      await store.stop()
      await admin.close()
    }
  })
})
