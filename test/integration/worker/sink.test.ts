/**
 * Sink tasks on the real broker, on the consumer group member of sink-consumer.ts: a FileStreamSink writes a
 * topic to a file and commits the group's offsets; a record that fails conversion goes to the DLQ with Java's
 * headers under errors.tolerance=all, and fails the task under none; a paused task reads nothing until resumed;
 * two tasks of one connector share the partitions and, when one stops, the other takes them over without loss.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import type { FetchedRecord } from '../../../src/kafka/fetch.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { createTopic, eventually, readAll, startWorker, workerProps } from './support.ts'

type Producer = ReturnType<typeof createProducer>

async function produce(producer: Producer, topic: string, values: (string | null)[], partition?: number) {
  await producer.send({
    messages: values.map((v) => ({
      topic,
      ...(v === null ? {} : { value: Buffer.from(v) }),
      ...(partition !== undefined ? { partition } : {}),
    })),
  })
}

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : []

describe('sink tasks on Kafka', () => {
  let producer: Producer
  before(() => {
    producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  })
  after(async () => {
    await producer.close()
  })

  test('FileStreamSink writes a topic to a file and commits the consumer group offsets', async () => {
    const topic = uniqueName('sink-in')
    await createTopic(topic, 3)
    const values = Array.from({ length: 3000 }, (_, i) => `v${i}`)
    for (let p = 0; p < 3; p++) await produce(producer, topic, values.slice(p * 1000, (p + 1) * 1000), p)
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const name = uniqueName('file-sink')
    const config = { name, 'connector.class': 'FileStreamSink', file, topics: topic }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await eventually(() => lines(file).length >= 3000, 'the file', 60000)
      assert.deepEqual(new Set(lines(file)), new Set(values))
      await eventually(async () => {
        const offsets = await w.worker.connectorOffsets(name, config)
        return offsets.length === 3 && offsets.every((o) => o.offset?.kafka_offset === 1000)
      }, 'committed group offsets')
      assert.equal(w.statusStore.task(name, 0)?.state, 'RUNNING')
    } finally {
      await w.stop()
    }
  })

  test('errors.tolerance=all sends a record that fails conversion to the DLQ with context headers', async () => {
    const topic = uniqueName('dlq-in')
    const dlq = uniqueName('dlq')
    await createTopic(topic)
    await produce(producer, topic, ['{"a":1}', 'not json', '{"a":2}'])
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const name = uniqueName('dlq-sink')
    const config = {
      name,
      'connector.class': 'FileStreamSink',
      file,
      topics: topic,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
      'errors.log.enable': 'true',
    }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await eventually(() => lines(file).length === 2, 'two good records')
      const dead = await eventually(async () => {
        const records = await readAll(dlq).catch((): FetchedRecord[] => [])
        return records.length === 1 ? records[0] : undefined
      }, 'the DLQ record')
      assert.equal(dead?.value?.toString(), 'not json')
      const headers = new Map(dead?.headers.map(([k, v]) => [k.toString(), v?.toString()]))
      assert.equal(headers.get('__connect.errors.topic'), topic)
      assert.equal(headers.get('__connect.errors.partition'), '0')
      assert.equal(headers.get('__connect.errors.offset'), '1')
      assert.equal(headers.get('__connect.errors.connector.name'), name)
      assert.equal(headers.get('__connect.errors.task.id'), '0')
      assert.equal(headers.get('__connect.errors.stage'), 'VALUE_CONVERTER')
      assert.equal(headers.get('__connect.errors.class.name'), 'JsonConverter')
      assert.equal(
        headers.get('__connect.errors.exception.class.name'),
        'org.apache.kafka.connect.errors.DataException',
      )
      assert.ok(headers.get('__connect.errors.exception.message'))
      assert.ok(headers.get('__connect.errors.exception.stacktrace'))
      assert.equal(w.statusStore.task(name, 0)?.state, 'RUNNING')
    } finally {
      await w.stop()
    }
  })

  test('errors.tolerance=none: a record that fails conversion makes the task FAILED with the error', async () => {
    const topic = uniqueName('none-in')
    await createTopic(topic)
    await produce(producer, topic, ['not json'])
    const name = uniqueName('none-sink')
    const config = {
      name,
      'connector.class': 'FileStreamSink',
      file: join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt'),
      topics: topic,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      const status = await eventually(() => {
        const s = w.statusStore.task(name, 0)
        return s?.state === 'FAILED' ? s : undefined
      }, 'FAILED')
      assert.match(status?.trace ?? '', /Tolerance exceeded in error handler/)
      assert.match(status?.trace ?? '', /Caused by: DataError/)
    } finally {
      await w.stop()
    }
  })

  test('a paused sink task reads nothing; resumed, it writes everything', async () => {
    const topic = uniqueName('paused-in')
    await createTopic(topic)
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const name = uniqueName('paused-sink')
    const config = { name, 'connector.class': 'FileStreamSink', file, topics: topic }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'PAUSED')
      await produce(producer, topic, ['p1', 'p2'])
      await new Promise((r) => setTimeout(r, 2000))
      assert.deepEqual(lines(file), [])
      assert.equal(w.statusStore.task(name, 0)?.state, 'PAUSED')
      await w.worker.setTargetState(name, 'STARTED')
      await eventually(() => lines(file).length === 2, 'the records after resume')
    } finally {
      await w.stop()
    }
  })

  test('topics.regex subscribes to every matching topic', async () => {
    const prefix = uniqueName('rx')
    await createTopic(`${prefix}-a`)
    await createTopic(`${prefix}-b`)
    await createTopic(`${prefix}-other-c`)
    await produce(producer, `${prefix}-a`, ['from-a'])
    await produce(producer, `${prefix}-b`, ['from-b'])
    await produce(producer, `${prefix}-other-c`, ['from-c'])
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const name = uniqueName('regex-sink')
    const config = { name, 'connector.class': 'FileStreamSink', file, 'topics.regex': `${prefix}-[ab]` }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await eventually(() => lines(file).length >= 2, 'records of both matching topics')
      await new Promise((r) => setTimeout(r, 500))
      assert.deepEqual(lines(file).sort(), ['from-a', 'from-b'])
    } finally {
      await w.stop()
    }
  })

  test('two tasks share the partitions; when one stops, the other takes them over without loss', async () => {
    const topic = uniqueName('shared-in')
    await createTopic(topic, 4)
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const name = uniqueName('shared-sink')
    const config = { name, 'connector.class': 'FileStreamSink', file, topics: topic, 'tasks.max': '2' }
    const w = await startWorker(workerProps())
    try {
      await w.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      await w.worker.startTask({ connector: name, task: 1 }, config, config, 'STARTED')
      for (let p = 0; p < 4; p++) await produce(producer, topic, [`a${p}`], p)
      await eventually(() => lines(file).length === 4, 'the first records', 60000)
      await w.worker.stopTasks([{ connector: name, task: 1 }])
      for (let p = 0; p < 4; p++) await produce(producer, topic, [`b${p}`], p)
      await eventually(() => lines(file).length >= 8, 'the records after the stop', 60000)
      assert.deepEqual(new Set(lines(file)), new Set(['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3']))
    } finally {
      await w.stop()
    }
  })
})
