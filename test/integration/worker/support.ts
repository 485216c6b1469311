/** A worker on the shared test broker: Kafka offset and status stores on unique topics, real task clients. */

import { parseWorkerConfig } from '../../../src/config/connect/worker-config.ts'
import { createFetchClient } from '../../../src/kafka/clients.ts'
import type { FetchedRecord } from '../../../src/kafka/fetch.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { createKafkaOffsetStore, createKafkaStatusStore } from '../../../src/stores/kafka-stores.ts'
import { Worker, type WorkerOptions } from '../../../src/worker/worker.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { quietLogger } from '../../support/stores.ts'
import { testRegistry } from '../../unit/worker/helpers.ts'

/** Worker properties with unique internal topics (replication factor 1, for the single test broker). */
export function workerProps(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'bootstrap.servers': testBootstrap(),
    'group.id': uniqueName('wgroup'),
    'offset.storage.topic': uniqueName('offsets'),
    'status.storage.topic': uniqueName('status'),
    'config.storage.topic': uniqueName('configs'),
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'config.storage.replication.factor': '1',
    'offset.storage.partitions': '3',
    'status.storage.partitions': '3',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '500',
    ...extra,
  }
}

/** A started worker and its stores; stop() stops all. */
export async function startWorker(props: Record<string, string>, extra: Partial<WorkerOptions> = {}) {
  const offsetStore = createKafkaOffsetStore(props, { logger: quietLogger(), fetchMaxWaitMs: 100 })
  const statusStore = createKafkaStatusStore(props, { logger: quietLogger(), fetchMaxWaitMs: 100 })
  await Promise.all([offsetStore.start(), statusStore.start()])
  const worker = new Worker({
    workerId: 'localhost:8083',
    config: parseWorkerConfig(props),
    plugins: testRegistry(),
    offsetStore,
    statusStore,
    logger: quietLogger(),
    ...extra,
  })
  return {
    worker,
    offsetStore,
    statusStore,
    async stop() {
      await worker.stop()
      await Promise.allSettled([offsetStore.stop(), statusStore.stop()])
    },
  }
}

/** Creates a topic on the test broker, with topic configs if given. */
export async function createTopic(name: string, partitions = 1, configs: Record<string, string> = {}): Promise<void> {
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
  try {
    await admin.createTopic({ name, partitions, replicationFactor: 1, configs })
  } finally {
    await admin.close()
  }
}

/** Every record of one partition, from its start to its current end. */
export async function readAll(topic: string, partition = 0): Promise<FetchedRecord[]> {
  const consumer = createFetchClient({ 'bootstrap.servers': testBootstrap() })
  try {
    const end =
      (await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] } })).get(topic)?.[partition] ??
      0n
    const records: FetchedRecord[] = []
    let offset = 0n
    while (offset < end) {
      const batch = await fetchPartition(consumer, topic, partition, offset, { maxBytes: 4 * 1024 * 1024 })
      for (const r of batch.records) records.push(r)
      offset = batch.nextOffset
    }
    return records
  } finally {
    await consumer.close()
  }
}

/** The end offset of a partition. */
export async function endOffset(topic: string, partition = 0): Promise<bigint> {
  const consumer = createFetchClient({ 'bootstrap.servers': testBootstrap() })
  try {
    return (
      (await consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] } })).get(topic)?.[partition] ??
      0n
    )
  } finally {
    await consumer.close()
  }
}

/** Polls until `check` is truthy. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
