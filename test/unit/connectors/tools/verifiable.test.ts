/**
 * VerifiableSource and VerifiableSink as Java's: task ids, the {id} partition and {seqno} offset, seqnos that
 * continue after the committed one, and the lines printed per record sent, committed, received and flushed.
 */
import assert from 'node:assert/strict'
import { describe, mock, test } from 'node:test'
import type { SourceTaskContext } from '../../../../src/api/contexts.ts'
import type { SourceOffset, SourceRecord } from '../../../../src/api/records.ts'
import { SinkRecord } from '../../../../src/api/records.ts'
import { VerifiableSinkTask } from '../../../../src/connectors/tools/verifiable-sink.ts'
import {
  committedLine,
  resumeSeqno,
  sentLine,
  VerifiableSourceConnector,
  VerifiableSourceTask,
} from '../../../../src/connectors/tools/verifiable-source.ts'
import { Schema } from '../../../../src/data/schema.ts'

function sourceContext(stored: SourceOffset | null, asked: unknown[] = []): SourceTaskContext {
  return {
    configs: () => ({}),
    offsetStorageReader: () => ({
      offset: async (partition) => {
        asked.push(partition)
        return stored
      },
      offsets: async () => [],
    }),
    transactionContext: () => null,
  }
}

/** Runs `fn` with process.stdout.write captured; answers the lines written. */
async function printed(fn: () => unknown): Promise<string[]> {
  const lines: string[] = []
  const write = mock.method(process.stdout, 'write', (chunk: string) => {
    lines.push(...chunk.split('\n').filter((l) => l !== ''))
    return true
  })
  try {
    await fn()
  } finally {
    write.mock.restore()
  }
  return lines
}

const props = { name: 'vs', id: '3', topic: 't', throughput: '-1' }

describe('VerifiableSourceConnector', () => {
  test('makes tasks.max task configs, task i with id=i', () => {
    const c = new VerifiableSourceConnector()
    c.start({ name: 'vs', topic: 't', throughput: '10' })
    assert.deepEqual(
      c.taskConfigs(2).map((t) => t.id),
      ['0', '1'],
    )
    assert.equal(c.taskConfigs(2)[1]?.topic, 't')
  })

  test('the sent and committed lines carry name, task, topic, time_ms, seqno (and committed) in Java order', () => {
    const f = { name: 'vs', task: 0, topic: 't', timeMs: 5, seqno: 7 }
    assert.equal(sentLine(f), '{"task":0,"seqno":7,"time_ms":5,"name":"vs","topic":"t"}')
    assert.equal(committedLine(f), '{"committed":true,"task":0,"seqno":7,"time_ms":5,"name":"vs","topic":"t"}')
  })
})

describe('VerifiableSourceTask', () => {
  test('starts at seqno 0 without a committed offset, and at the committed seqno + 1 with one', () => {
    assert.equal(resumeSeqno(null), 0)
    assert.equal(resumeSeqno({ seqno: 41 }), 42)
    assert.equal(resumeSeqno({ seqno: 41n }), 42)
  })

  test('a committed offset without an integer seqno is a clear error, not a restart from 0', () => {
    assert.throws(() => resumeSeqno({ position: 3 }), /has no integer "seqno"/)
    assert.throws(() => resumeSeqno({ seqno: 'x' }), /has no integer "seqno"/)
  })

  test('reads the offset of partition {id} and sends key id, value seqno, offset {seqno}, printing each', async () => {
    const asked: unknown[] = []
    const task = new VerifiableSourceTask()
    task.initialize(sourceContext({ seqno: 9 }, asked))
    await task.start(props)
    assert.deepEqual(asked, [{ id: 3 }])
    const polled: SourceRecord[] = []
    const lines = await printed(async () => {
      polled.push(...((await task.poll()) ?? []))
    })
    const record = polled[0]
    assert.equal(record?.key, 3)
    assert.equal(record?.keySchema, Schema.INT32_SCHEMA)
    assert.equal(record?.value, 10)
    assert.equal(record?.valueSchema, Schema.INT64_SCHEMA)
    assert.deepEqual(record?.sourcePartition, { id: 3 })
    assert.deepEqual(record?.sourceOffset, { seqno: 10 })
    assert.equal(lines.length, 1)
    assert.match(lines[0] ?? '', /^\{"task":3,"seqno":10,"time_ms":\d+,"name":"vs","topic":"t"\}$/)
    const committed = await printed(() => record && task.commitRecord(record, null))
    assert.match(committed[0] ?? '', /^\{"committed":true,"task":3,"seqno":10,"time_ms":\d+,"name":"vs","topic":"t"\}$/)
    task.stop()
  })

  test('complete.record.data=true sends the printed fields as a struct', async () => {
    const task = new VerifiableSourceTask()
    task.initialize(sourceContext(null))
    await task.start({ ...props, 'complete.record.data': 'TRUE' })
    let value: unknown
    await printed(async () => {
      value = (await task.poll())?.[0]?.value
    })
    assert.equal(String(value).replace(/time_ms=\d+/, 'time_ms=T'), 'Struct{name=vs,task=3,topic=t,time_ms=T,seqno=0}')
    task.stop()
  })

  test('a throughput that is not a long fails start() with a clear error', async () => {
    const task = new VerifiableSourceTask()
    task.initialize(sourceContext(null))
    await assert.rejects(
      async () => task.start({ ...props, throughput: 'fast' }),
      /Invalid VerifiableSourceTask configuration/,
    )
  })

  test('a missing topic fails start() naming the key', async () => {
    const task = new VerifiableSourceTask()
    task.initialize(sourceContext(null))
    await assert.rejects(async () => task.start({ name: 'vs', id: '0', throughput: '1' }), /'topic' is required/)
  })

  test('stop() ends a throttled poll at once', async () => {
    const task = new VerifiableSourceTask()
    task.initialize(sourceContext(null))
    await task.start({ ...props, throughput: '0' })
    await printed(() => task.poll())
    // The rate is measured from start(): let a little time pass, so that it is above 0 messages per second.
    await new Promise((resolve) => setTimeout(resolve, 5))
    // With throughput 0, the second poll waits until woken, as Java's throttler does.
    const pending = task.poll()
    task.stop()
    assert.equal(await pending, null)
  })
})

describe('VerifiableSinkTask', () => {
  const record = (partition: number, offset: number, seqno: number) =>
    new SinkRecord({
      topic: 't',
      kafkaPartition: partition,
      kafkaOffset: offset,
      key: 0,
      value: seqno,
      keySchema: null,
      valueSchema: null,
    })

  test('prints a line per received record, and again with flushed=true for the partitions flushed', async () => {
    const task = new VerifiableSinkTask()
    task.start({ name: 'vk', id: '1' })
    const received = await printed(() => task.put([record(0, 5, 50), record(1, 6, 60)]))
    assert.equal(received.length, 2)
    assert.match(
      received[0] ?? '',
      /^\{"task":0,"seqno":50,"offset":5,"time_ms":\d+,"name":"vk","topic":"t","sinkTask":1\}$/,
    )
    const flushed = await printed(() => task.flush([{ topic: 't', partition: 1, offset: 7 }]))
    assert.equal(flushed.length, 1)
    assert.match(
      flushed[0] ?? '',
      /^\{"task":0,"seqno":60,"offset":6,"time_ms":\d+,"name":"vk","topic":"t","sinkTask":1,"flushed":true\}$/,
    )
    assert.deepEqual(await printed(() => task.flush([{ topic: 't', partition: 1, offset: 7 }])), [])
    assert.equal((await printed(() => task.flush([{ topic: 't', partition: 0, offset: 6 }]))).length, 1)
  })
})
