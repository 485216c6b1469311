/**
 * The worker running sink tasks on an in-memory consumer: put, then commit after flush (Invariant 2); a retriable
 * put is given the same batch again after context.timeout(); a failing preCommit rewinds; tolerance and the DLQ
 * for records that fail conversion; the errant record reporter; pause; a slow put.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { SinkConnector } from '../../../src/api/connector.ts'
import type { TopicPartitionOffset } from '../../../src/api/contexts.ts'
import type { SinkRecord } from '../../../src/api/records.ts'
import { SinkTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { RetriableError } from '../../../src/errors.ts'
import { Worker } from '../../../src/worker/worker.ts'
import type { TaskId } from '../../../src/worker/worker-api.ts'
import { quietLogger } from '../../support/stores.ts'
import { MemoryClients, MemoryConsumer, memoryStores, testRegistry, waitFor, workerConfig } from './helpers.ts'

/** What the test sink saw, and how it misbehaves. */
const sink = {
  rewindOnce: -1,
  pauseAfterFirst: false,
  put: [] as string[],
  flushed: [] as string[],
  opened: 0,
  closed: 0,
  retriableFailures: 0,
  failPreCommit: false,
  putDelayMs: 0,
  report: false,
}

class RecordingTask extends SinkTask {
  #buffer: string[] = []
  version() {
    return '1'
  }
  start() {}
  async put(records: readonly SinkRecord[]) {
    if (records.length > 0 && sink.retriableFailures > 0) {
      sink.retriableFailures--
      this.context.timeout(20)
      throw new RetriableError('try again')
    }
    if (sink.rewindOnce >= 0 && records.length > 0) {
      // Drop this batch and ask for it again from the given offset, as a task that lost its buffer would.
      this.context.offset([{ topic: 'in', partition: 0, offset: sink.rewindOnce }])
      sink.rewindOnce = -1
      return
    }
    if (sink.pauseAfterFirst && records.length > 0) this.context.pause({ topic: 'in', partition: 0 })
    if (sink.putDelayMs > 0 && records.length > 0) await new Promise((r) => setTimeout(r, sink.putDelayMs))
    for (const r of records) {
      if (sink.report && r.value === 'REPORT') {
        await this.context.errantRecordReporter()?.report(r, new Error('reported by the task'))
        continue
      }
      sink.put.push(String(r.value))
      this.#buffer.push(String(r.value))
    }
  }
  override async preCommit(offsets: readonly TopicPartitionOffset[]) {
    if (sink.failPreCommit) throw new Error('flush failed')
    sink.flushed.push(...this.#buffer.splice(0))
    return offsets
  }
  override open() {
    sink.opened++
  }
  override close() {
    sink.closed++
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
  taskConfigs(max: number) {
    return Array.from({ length: max }, () => ({}))
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

const ID: TaskId = { connector: 'rec', task: 0 }
const base = { 'connector.class': 'RecordingSink', topics: 'in', 'tasks.max': '1' }

describe('Worker: sink tasks', () => {
  let stores: Awaited<ReturnType<typeof memoryStores>>
  let clients: MemoryClients
  let consumer: MemoryConsumer
  let worker: Worker
  beforeEach(async () => {
    Object.assign(sink, {
      rewindOnce: -1,
      pauseAfterFirst: false,
      put: [],
      flushed: [],
      opened: 0,
      closed: 0,
      retriableFailures: 0,
      failPreCommit: false,
      putDelayMs: 0,
      report: false,
    })
    stores = await memoryStores()
    clients = new MemoryClients()
    consumer = new MemoryConsumer(['in'])
    clients.nextConsumer = consumer
    worker = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'sink', plugin: RecordingSink }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
  })
  afterEach(async () => {
    await worker.stop()
    await stores.stop()
  })

  test('records are put, flushed, then committed; the task opens and closes its partitions', async () => {
    for (const v of ['a', 'b', 'c']) consumer.append('in', v)
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => consumer.committed('in') === 3, 'offset 3 committed')
    assert.deepEqual(sink.flushed, ['a', 'b', 'c'])
    assert.equal(sink.opened, 1)
    await waitFor(() => stores.statusStore.topic('rec', 'in')?.task === 0, 'the active topic (KIP-558)')
    await worker.stopTasks([ID])
    assert.equal(sink.closed, 1)
    assert.ok(consumer.closed)
  })

  test('a retriable put gets the same batch again after context.timeout()', async () => {
    sink.retriableFailures = 2
    consumer.append('in', 'x')
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => consumer.committed('in') === 1, 'offset 1 committed')
    assert.deepEqual(sink.put, ['x'])
  })

  test('a failing preCommit commits nothing and rewinds, so the records are read again', async () => {
    sink.failPreCommit = true
    consumer.append('in', 'y')
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => sink.put.length >= 2, 'the record put twice')
    assert.equal(consumer.committed('in'), undefined)
    sink.failPreCommit = false
    await waitFor(() => consumer.committed('in') === 1, 'offset 1 committed')
  })

  test('a record that fails conversion goes to the DLQ with Java context headers; the task keeps running', async () => {
    const c = {
      ...base,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    }
    consumer.append('in', '{"ok":1}')
    consumer.append('in', 'not json')
    consumer.append('in', '{"ok":2}')
    await worker.startTask(ID, c, c, 'STARTED')
    await waitFor(() => consumer.committed('in') === 3, 'offset 3 committed')
    const dlq = clients.senders[0]
    assert.equal(dlq?.sent.length, 1)
    const record = dlq?.sent[0]
    assert.equal(record?.topic, 'dlq')
    assert.equal(record?.value?.toString(), 'not json')
    const headers = new Map(record?.headers.map(([k, v]) => [k, v?.toString()]))
    assert.equal(headers.get('__connect.errors.topic'), 'in')
    assert.equal(headers.get('__connect.errors.partition'), '0')
    assert.equal(headers.get('__connect.errors.offset'), '1')
    assert.equal(headers.get('__connect.errors.stage'), 'VALUE_CONVERTER')
    assert.equal(headers.get('__connect.errors.connector.name'), 'rec')
    assert.equal(headers.get('__connect.errors.task.id'), '0')
    assert.equal(headers.get('__connect.errors.exception.class.name'), 'org.apache.kafka.connect.errors.DataException')
    assert.ok(headers.get('__connect.errors.exception.stacktrace'))
    assert.equal(sink.put.length, 2)
    assert.equal(stores.statusStore.task('rec', 0)?.state, 'RUNNING')
    assert.ok(clients.admins.some((a) => a.created.some((t) => t.name === 'dlq' && t.partitions === 1)))
  })

  test('with errors.tolerance=none a record that fails conversion fails the task', async () => {
    const c = { ...base, 'value.converter': 'org.apache.kafka.connect.json.JsonConverter' }
    consumer.append('in', 'not json')
    await worker.startTask(ID, c, c, 'STARTED')
    const status = await waitFor(() => {
      const s = stores.statusStore.task('rec', 0)
      return s?.state === 'FAILED' ? s : undefined
    }, 'FAILED')
    assert.match(status?.trace ?? '', /Tolerance exceeded in error handler/)
  })

  test('the errant record reporter sends what the task reports to the DLQ; offsets move past it', async () => {
    sink.report = true
    const c = { ...base, 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }
    consumer.append('in', 'REPORT')
    consumer.append('in', 'fine')
    await worker.startTask(ID, c, c, 'STARTED')
    await waitFor(() => consumer.committed('in') === 2, 'offset 2 committed')
    assert.equal(clients.senders[0]?.sent[0]?.value?.toString(), 'REPORT')
    assert.deepEqual(sink.put, ['fine'])
  })

  test('a paused sink task reads nothing and reports PAUSED; resumed, it goes on', async () => {
    await worker.startTask(ID, base, base, 'PAUSED')
    consumer.append('in', 'p')
    await consumer.polledAgain()
    assert.deepEqual(sink.put, [])
    assert.equal(stores.statusStore.task('rec', 0)?.state, 'PAUSED')
    await worker.setTargetState('rec', 'STARTED')
    await waitFor(() => sink.put.length === 1, 'the record after resume')
  })

  test('a slow put delays commits but loses nothing, and the stop waits for it', async () => {
    sink.putDelayMs = 100
    for (let i = 0; i < 5; i++) consumer.append('in', `s${i}`)
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => sink.put.length === 5, 'five records')
    consumer.append('in', 'last')
    // Stopped once the loop has read the record, while put() of it is still under way.
    await waitFor(() => consumer.positions.get('in') === 6, 'the last record read')
    await worker.stopTasks([ID])
    assert.deepEqual(sink.put.at(-1), 'last')
    assert.equal(consumer.committed('in'), 6)
  })

  test('context.offset() rewinds: the records are given again from that offset', async () => {
    sink.rewindOnce = 1
    for (const v of ['r0', 'r1', 'r2']) consumer.append('in', v)
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => consumer.committed('in') === 3, 'offset 3 committed')
    assert.deepEqual(sink.put, ['r1', 'r2'])
  })

  test('context.pause() stops a partition until context.resume()', async () => {
    sink.pauseAfterFirst = true
    consumer.append('in', 'first')
    await worker.startTask(ID, base, base, 'STARTED')
    await waitFor(() => sink.put.length === 1, 'the first record')
    consumer.append('in', 'second')
    await consumer.polledAgain()
    assert.deepEqual(sink.put, ['first'])
    assert.ok(consumer.paused.has('in'))
  })

  test('records a transform drops are committed too, once the records before them are put', async () => {
    const c = {
      ...base,
      transforms: 'drop',
      'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.drop.predicate': 'tomb',
      predicates: 'tomb',
      'predicates.tomb.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    }
    consumer.append('in', 'kept')
    consumer.append('in', null)
    await worker.startTask(ID, c, c, 'STARTED')
    await waitFor(() => consumer.committed('in') === 2, 'offset 2 committed')
    assert.deepEqual(sink.put, ['kept'])
  })

  test('FileStreamSink appends each value and a newline to its file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fsk-')), 'out.txt')
    const c = { 'connector.class': 'FileStreamSink', file, topics: 'in' }
    for (const v of ['one', 'two']) consumer.append('in', v)
    consumer.append('in', null)
    await worker.startTask(ID, c, c, 'STARTED')
    await waitFor(() => consumer.committed('in') === 3, 'offset 3 committed')
    await worker.stopTasks([ID])
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nnull\n')
  })
})
