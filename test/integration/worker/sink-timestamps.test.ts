/**
 * Sink records carry the timestamp type of the topic they were read from, as Java's WorkerSinkTask passes on the
 * consumer record's: a topic with message.timestamp.type=LogAppendTime gives LOG_APPEND_TIME and the broker's
 * timestamp, a CreateTime topic CREATE_TIME and the producer's.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SinkConnector } from '../../../src/api/connector.ts'
import type { SinkRecord } from '../../../src/api/records.ts'
import { SinkTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { createProducer } from '../../../src/kafka/clients.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { testRegistry } from '../../unit/worker/helpers.ts'
import { createTopic, eventually, startWorker, workerProps } from './support.ts'

const seen: SinkRecord[] = []

class RecordingTask extends SinkTask {
  version() {
    return '1'
  }
  start() {}
  put(records: readonly SinkRecord[]) {
    seen.push(...records)
  }
  stop() {}
}

class RecordingSink extends SinkConnector {
  version() {
    return '1'
  }
  start() {}
  taskClass() {
    return RecordingTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** An hour before the broker's clock (recent enough to stay clear of retention). */
const PRODUCER_TIMESTAMP = Date.now() - 3_600_000

describe('sink record timestamps on Kafka', () => {
  let producer: ReturnType<typeof createProducer>
  before(() => {
    producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  })
  after(async () => {
    await producer.close()
  })

  /** The records a sink task gets from `topic`, which holds two records produced with PRODUCER_TIMESTAMP. */
  async function sinkRecordsOf(topic: string): Promise<SinkRecord[]> {
    await producer.send({
      messages: ['a', 'b'].map((v) => ({ topic, value: Buffer.from(v), timestamp: BigInt(PRODUCER_TIMESTAMP) })),
    })
    const name = uniqueName('ts-sink')
    const config = { name, 'connector.class': 'RecordingSink', topics: topic }
    const w = await startWorker(workerProps(), { plugins: testRegistry([{ type: 'sink', plugin: RecordingSink }]) })
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await eventually(() => seen.filter((r) => r.topic === topic).length >= 2, 'two sink records')
      return seen.filter((r) => r.topic === topic)
    } finally {
      await w.stop()
    }
  }

  test("a LogAppendTime topic's records are LOG_APPEND_TIME, with the broker's timestamp", async () => {
    const topic = uniqueName('log-append')
    await createTopic(topic, 1, { 'message.timestamp.type': 'LogAppendTime' })
    const before = Date.now()
    const records = await sinkRecordsOf(topic)
    assert.deepEqual(
      records.map((r) => r.timestampType),
      ['LOG_APPEND_TIME', 'LOG_APPEND_TIME'],
    )
    for (const r of records) {
      // The broker runs on this machine's clock; a second of slack for its rounding.
      assert.ok(r.timestamp !== null && r.timestamp >= before - 1000, `the broker's timestamp, not ${r.timestamp}`)
    }
  })

  test("a CreateTime topic's records are CREATE_TIME, with the producer's timestamp", async () => {
    const topic = uniqueName('create-time')
    await createTopic(topic, 1, { 'message.timestamp.type': 'CreateTime' })
    const records = await sinkRecordsOf(topic)
    assert.deepEqual(
      records.map((r) => [r.timestampType, r.timestamp]),
      [
        ['CREATE_TIME', PRODUCER_TIMESTAMP],
        ['CREATE_TIME', PRODUCER_TIMESTAMP],
      ],
    )
  })
})
