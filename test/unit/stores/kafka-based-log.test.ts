import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConnectError, KafkaError, TimeoutError } from '../../../src/errors.ts'
import type { PartitionFetch } from '../../../src/kafka/fetch.ts'
import type { TopicFetchOptions, TopicLogTransport } from '../../../src/kafka/topic-log.ts'
import { KafkaBasedLog, type LogRecord } from '../../../src/stores/kafka-based-log.ts'
import { MemoryCluster, MemoryTopicLog } from '../../../src/stores/memory-topic-log.ts'
import { quietLogger } from '../../support/stores.ts'

const rec = (key: string, value: string | null) => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
})

function setUp(partitions = 3) {
  const cluster = new MemoryCluster()
  cluster.createTopic({ name: 't', partitions, replicationFactor: 1, configs: {} })
  return cluster
}

/** A transport that fails the next `failures` fetches (a broker restart), and may answer one partition with an error. */
class FlakyTransport extends MemoryTopicLog {
  failures = 0
  partitionError: { partition: number; error: KafkaError } | undefined
  fetches = 0

  override async fetch(positions: ReadonlyMap<number, bigint>, opts: TopicFetchOptions) {
    this.fetches++
    const results: Map<number, PartitionFetch> = await super.fetch(positions, opts)
    if (this.failures > 0) {
      this.failures--
      throw new KafkaError(true, 'connection refused')
    }
    if (this.partitionError) {
      results.set(this.partitionError.partition, this.partitionError.error)
      this.partitionError = undefined
    }
    return results
  }
}

describe('KafkaBasedLog', () => {
  test('start() hands over every record already in the topic, in order per partition', async () => {
    const cluster = setUp()
    cluster.append(
      't',
      Array.from({ length: 100 }, (_, i) => rec(`k${i % 7}`, `v${i}`)),
    )
    const seen: LogRecord[] = []
    const log = new KafkaBasedLog({
      transport: new MemoryTopicLog(cluster, 't'),
      onRecord: (r) => seen.push(r),
      logger: quietLogger(),
    })
    await log.start()
    assert.equal(seen.length, 100)
    assert.equal(log.partitionCount, 3)
    for (let p = 0; p < 3; p++) {
      const offsets = seen.filter((r) => r.partition === p).map((r) => r.offset)
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => (a < b ? -1 : 1)),
      )
    }
    await log.stop()
  })

  test('readToEnd() resolves only after records written before it are handed over', async () => {
    const cluster = setUp()
    const seen: string[] = []
    const log = new KafkaBasedLog({
      transport: new MemoryTopicLog(cluster, 't'),
      onRecord: (r) => seen.push(String(r.value)),
      logger: quietLogger(),
      fetchMaxWaitMs: 20,
    })
    await log.start()
    await log.sendAll([rec('a', '1'), rec('b', '2'), rec('c', '3')])
    await log.readToEnd()
    assert.deepEqual(seen.sort(), ['1', '2', '3'])
    await log.stop()
  })

  test('keeps following the topic after start', async () => {
    const cluster = setUp(1)
    const seen: string[] = []
    const log = new KafkaBasedLog({
      transport: new MemoryTopicLog(cluster, 't'),
      onRecord: (r) => seen.push(String(r.value)),
      logger: quietLogger(),
      fetchMaxWaitMs: 20,
    })
    await log.start()
    cluster.append('t', [rec('x', 'later')])
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(seen, ['later'])
    await log.stop()
  })

  test('a failing fetch (broker restart) loses nothing: positions stay and the loop retries', async () => {
    const cluster = setUp()
    cluster.append(
      't',
      Array.from({ length: 30 }, (_, i) => rec(`k${i}`, `v${i}`)),
    )
    const transport = new FlakyTransport(cluster, 't')
    transport.failures = 3
    const seen = new Set<string>()
    const log = new KafkaBasedLog({
      transport,
      onRecord: (r) => seen.add(String(r.value)),
      logger: quietLogger(),
      retryBackoffMs: 5,
    })
    await log.start()
    assert.equal(seen.size, 30)
    assert.ok(transport.fetches >= 4)
    await log.stop()
  })

  test('a partition whose leader moved is retried while the other partitions go on', async () => {
    const cluster = setUp()
    const transport = new FlakyTransport(cluster, 't')
    const seen = new Set<string>()
    const log = new KafkaBasedLog({
      transport,
      onRecord: (r) => seen.add(String(r.value)),
      logger: quietLogger(),
      retryBackoffMs: 5,
      fetchMaxWaitMs: 10,
    })
    await log.start()
    cluster.append(
      't',
      Array.from({ length: 30 }, (_, i) => rec(`k${i}`, `v${i}`)),
    )
    transport.partitionError = { partition: 1, error: new KafkaError(true, 'not leader', 6) }
    await log.readToEnd({ timeoutMs: 5_000 })
    assert.equal(seen.size, 30)
    await log.stop()
  })

  test('a position that fell out of the log restarts the partition at the log start', async () => {
    const cluster = setUp(1)
    cluster.append('t', [rec('a', '1'), rec('a', '2'), rec('b', '3')])
    const transport = new FlakyTransport(cluster, 't')
    const seen: string[] = []
    const log = new KafkaBasedLog({
      transport,
      onRecord: (r) => seen.push(String(r.value)),
      logger: quietLogger(),
      retryBackoffMs: 5,
      fetchMaxWaitMs: 10,
    })
    await log.start()
    transport.partitionError = { partition: 0, error: new KafkaError(false, 'out of range', 1) }
    cluster.append('t', [rec('c', '4')])
    await log.readToEnd({ timeoutMs: 5_000 })
    assert.ok(seen.includes('4'))
    await log.stop()
  })

  test('a record the callback cannot apply is skipped, and the log goes on', async () => {
    const cluster = setUp(1)
    cluster.append('t', [rec('a', 'bad'), rec('b', 'good')])
    const seen: string[] = []
    const log = new KafkaBasedLog({
      transport: new MemoryTopicLog(cluster, 't'),
      onRecord: (r) => {
        if (String(r.value) === 'bad') throw new Error('cannot apply')
        seen.push(String(r.value))
      },
      logger: quietLogger(),
    })
    await log.start()
    assert.deepEqual(seen, ['good'])
    await log.stop()
  })

  test('readToEnd() honours its timeout and its signal, and stop() fails pending reads', async () => {
    const cluster = setUp(1)
    const transport = new FlakyTransport(cluster, 't')
    const log = new KafkaBasedLog({
      transport,
      onRecord: () => {},
      logger: quietLogger(),
      retryBackoffMs: 5,
      fetchMaxWaitMs: 10,
    })
    await log.start()
    cluster.append('t', [rec('a', '1')])
    transport.failures = 1_000_000
    await assert.rejects(log.readToEnd({ timeoutMs: 50 }), TimeoutError)
    const controller = new AbortController()
    const aborted = log.readToEnd({ signal: controller.signal })
    controller.abort()
    await assert.rejects(aborted, (e: unknown) => e instanceof ConnectError && e.code === 'ABORTED')
    const pending = log.readToEnd()
    await log.stop()
    await assert.rejects(pending, (e: unknown) => e instanceof ConnectError && e.code === 'ABORTED')
    await assert.rejects(log.readToEnd(), ConnectError)
  })

  test('start() gives up when the topic never shows up', async () => {
    const cluster = new MemoryCluster()
    const log = new KafkaBasedLog({
      transport: new MemoryTopicLog(cluster, 'missing'),
      onRecord: () => {},
      logger: quietLogger(),
      partitionsTimeoutMs: 30,
      retryBackoffMs: 5,
    })
    await assert.rejects(log.start(), /Could not look up partition metadata for topic 'missing'/)
  })

  test('the transport is closed on stop', async () => {
    const cluster = setUp(1)
    let closed = false
    const transport: TopicLogTransport = new MemoryTopicLog(cluster, 't')
    const close = transport.close.bind(transport)
    transport.close = async () => {
      closed = true
      await close()
    }
    const log = new KafkaBasedLog({ transport, onRecord: () => {}, logger: quietLogger() })
    await log.start()
    await log.stop()
    assert.equal(closed, true)
  })
})
