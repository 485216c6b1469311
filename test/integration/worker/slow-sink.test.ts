/**
 * A slow sink on the real broker: one put() takes longer than the consumer group's session timeout. The group
 * member heartbeats on its own timer meanwhile, so the task keeps its partitions: the records are delivered once,
 * and their offsets are committed after the slow put and its flush.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SinkConnector } from '../../../src/api/connector.ts'
import type { SinkRecord } from '../../../src/api/records.ts'
import { SinkTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { createProducer } from '../../../src/kafka/clients.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { testRegistry } from '../../unit/worker/helpers.ts'
import { createTopic, eventually, startWorker, workerProps } from './support.ts'

const seen: string[] = []

class SlowTask extends SinkTask {
  version() {
    return '1'
  }
  start() {}
  async put(records: readonly SinkRecord[]) {
    if (records.length === 0) return
    // Longer than the 6 s session timeout below.
    if (seen.length === 0) await new Promise((r) => setTimeout(r, 8000))
    for (const r of records) seen.push(String(r.value))
  }
  stop() {}
}

class SlowSink extends SinkConnector {
  version() {
    return '1'
  }
  start() {}
  taskClass() {
    return SlowTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

describe('a slow sink on Kafka', () => {
  test('a put longer than the session timeout keeps the partitions; nothing is delivered twice', async () => {
    const topic = uniqueName('slow-in')
    await createTopic(topic)
    const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
    await producer.send({ messages: ['s1', 's2', 's3'].map((v) => ({ topic, value: Buffer.from(v) })) })
    const name = uniqueName('slow-sink')
    const config = {
      name,
      'connector.class': 'SlowSink',
      topics: topic,
      'consumer.override.session.timeout.ms': '6000',
      'consumer.override.heartbeat.interval.ms': '1000',
    }
    const w = await startWorker(workerProps(), { plugins: testRegistry([{ type: 'sink', plugin: SlowSink }]) })
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await eventually(() => seen.length >= 3, 'the slow put', 30000)
      await producer.send({ messages: [{ topic, value: Buffer.from('s4') }] })
      await eventually(async () => {
        const offsets = await w.worker.connectorOffsets(name, config)
        return offsets[0]?.offset?.kafka_offset === 4
      }, 'offsets committed after the slow put')
      assert.deepEqual(seen, ['s1', 's2', 's3', 's4'])
      assert.equal(w.statusStore.task(name, 0)?.state, 'RUNNING')
    } finally {
      await producer.close()
      await w.stop()
    }
  })
})
