/**
 * The worker running source tasks on in-memory stores and senders: statuses, offsets committed only for
 * acknowledged records (Invariant 1), resuming from them, error tolerance and the dead letter queue for source
 * conversion failures, pause and resume, and the two-stage stop.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { SourceConnector } from '../../../src/api/connector.ts'
import { SourceRecord } from '../../../src/api/records.ts'
import { SourceTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { Schema } from '../../../src/data/schema.ts'
import { RetriableError } from '../../../src/errors.ts'
import { javaHashMapOrder } from '../../../src/kit/java-hash-map.ts'
import { encodeOffsetKey } from '../../../src/protocol/offset-records.ts'
import { createMemoryOffsetStore } from '../../../src/stores/memory-stores.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { Worker } from '../../../src/worker/worker.ts'
import type { TaskId } from '../../../src/worker/worker-api.ts'
import { quietLogger } from '../../support/stores.ts'
import { MemoryClients, memoryStores, settle, testRegistry, waitFor, workerConfig } from './helpers.ts'

/** A source emitting `count` records {n: i} with values that a test may make unconvertible. */
class CountingTask extends SourceTask {
  static count = 10
  static badEvery = 0
  static stopped = 0
  static retriablePolls = 0
  /** poll() calls so far: a test knows the loop went round when this grows. */
  static polls = 0
  #next = 0
  version() {
    return '1'
  }
  async start() {
    const offset = await this.context.offsetStorageReader().offset({ source: 'counter' })
    this.#next = offset ? Number(offset.n) : 0
  }
  async poll() {
    CountingTask.polls++
    // Never resolve without giving the event loop a turn: a loop on a manual clock would otherwise starve timers.
    await new Promise((r) => setImmediate(r))
    if (CountingTask.retriablePolls > 0) {
      CountingTask.retriablePolls--
      throw new RetriableError('the source is busy')
    }
    if (this.#next >= CountingTask.count) {
      await new Promise((r) => setTimeout(r, 5))
      return null
    }
    const i = this.#next++
    const bad = CountingTask.badEvery > 0 && i % CountingTask.badEvery === 0
    return [
      new SourceRecord({
        sourcePartition: { source: 'counter' },
        sourceOffset: { n: i + 1 },
        topic: 'out',
        // A struct-less object under a STRING schema fails conversion.
        valueSchema: Schema.STRING_SCHEMA,
        value: bad ? 'BAD' : `v${i}`,
      }),
    ]
  }
  stop() {
    CountingTask.stopped++
  }
}

class CountingConnector extends SourceConnector {
  #props: Record<string, string> = {}
  version() {
    return '1'
  }
  start(props: Readonly<Record<string, string>>) {
    this.#props = { ...props }
  }
  taskClass() {
    return CountingTask
  }
  taskConfigs(max: number) {
    return Array.from({ length: max }, () => ({ ...this.#props }))
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** Two source partitions built as Java HashMaps, with offsets beyond 2^53: the connector kit's shapes. */
class OrderedOffsetsTask extends SourceTask {
  #sent = false
  version() {
    return '1'
  }
  start() {}
  async poll() {
    if (this.#sent) {
      await new Promise((r) => setTimeout(r, 5))
      return null
    }
    this.#sent = true
    return ['a', 'b'].map(
      (topic, i) =>
        new SourceRecord({
          sourcePartition: javaHashMapOrder([
            ['topic', topic],
            ['partition', 0],
            ['cluster', 'src'],
          ]),
          sourceOffset: javaHashMapOrder([
            ['lsn', 2n ** 60n + BigInt(i)],
            ['10', i],
          ]),
          topic: 'out',
          value: null,
        }),
    )
  }
  stop() {}
}

/** First poll: a record for `old` and one for `new`; second poll: another for `old`; then nothing. */
class TwoTopicsTask extends SourceTask {
  static polls = 0
  version() {
    return '1'
  }
  start() {}
  async poll() {
    const poll = ++TwoTopicsTask.polls
    await new Promise((r) => setImmediate(r))
    const record = (topic: string, value: string) =>
      new SourceRecord({ sourcePartition: null, sourceOffset: null, topic, value })
    if (poll === 1) return [record('old', 'first'), record('new', 'first')]
    if (poll === 2) return [record('old', 'second')]
    await new Promise((r) => setTimeout(r, 5))
    return null
  }
  stop() {}
}

class TwoTopicsConnector extends SourceConnector {
  version() {
    return '1'
  }
  start() {}
  taskClass() {
    return TwoTopicsTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

class OrderedOffsetsConnector extends SourceConnector {
  version() {
    return '1'
  }
  start() {}
  taskClass() {
    return OrderedOffsetsTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** A value converter that refuses "BAD". */
class PickyConverter {
  configure() {}
  fromConnectData(_t: string, _s: unknown, value: unknown) {
    if (value === 'BAD') throw new Error('cannot convert BAD')
    return value === null ? null : Buffer.from(String(value))
  }
  toConnectData() {
    throw new Error('unused')
  }
  config() {
    return new ConfigDef()
  }
}

const ID: TaskId = { connector: 'counter', task: 0 }

describe('Worker: source tasks', () => {
  let stores: Awaited<ReturnType<typeof memoryStores>>
  let clients: MemoryClients
  let worker: Worker
  /** The worker of a test, on the given clock (the real one by default). */
  const newWorker = (clock?: ManualClock) =>
    new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([
        { type: 'source', plugin: CountingConnector },
        { type: 'source', plugin: OrderedOffsetsConnector },
        { type: 'source', plugin: TwoTopicsConnector },
        { type: 'converter', plugin: PickyConverter as never },
      ]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
      ...(clock ? { clock } : {}),
    })
  /** Replaces the test's worker with one on a manual clock. */
  const onManualClock = async (): Promise<ManualClock> => {
    await worker.stop()
    const clock = new ManualClock(Date.now())
    worker = newWorker(clock)
    return clock
  }
  /** Resolves once the task's loop has called poll() `turns` more times. */
  const polledAgain = async (turns = 2) => {
    const target = CountingTask.polls + turns
    await waitFor(() => CountingTask.polls >= target, `${turns} more polls`)
  }
  beforeEach(async () => {
    CountingTask.count = 10
    CountingTask.badEvery = 0
    CountingTask.stopped = 0
    CountingTask.retriablePolls = 0
    stores = await memoryStores()
    clients = new MemoryClients()
    worker = newWorker()
  })
  afterEach(async () => {
    await worker.stop()
    await stores.stop()
  })

  const config = (extra: Record<string, string> = {}) => ({
    name: 'counter',
    'connector.class': 'CountingConnector',
    'tasks.max': '1',
    ...extra,
  })

  test('a connector runs, generates task configs with task.class, and is RUNNING', async () => {
    assert.equal(worker.connectorKind(config()), 'source')
    assert.equal(await worker.startConnector('counter', config(), 'STARTED'), true)
    const tasks = await worker.connectorTaskConfigs('counter')
    assert.equal(tasks.length, 1)
    assert.equal(tasks[0]?.['task.class'], 'CountingTask')
    assert.equal(stores.statusStore.connector('counter')?.state, 'RUNNING')
  })

  test('tasks.max is enforced: more task configs than tasks.max fail the connector', async () => {
    class Greedy extends CountingConnector {
      override taskConfigs() {
        return [{}, {}]
      }
    }
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'source', plugin: Greedy }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
    await w.startConnector('greedy', { 'connector.class': 'Greedy', 'tasks.max': '1' }, 'STARTED')
    await assert.rejects(w.connectorTaskConfigs('greedy'), /generated 2 tasks, which is greater than 1/)
    assert.equal(stores.statusStore.connector('greedy')?.state, 'FAILED')
    await w.stop()
  })

  test('records are produced, and offsets are committed only once Kafka acknowledged them', async () => {
    const clock = await onManualClock()
    clients.holdAcks = true
    assert.equal(await worker.startTask(ID, config(), config(), 'STARTED'), true)
    await waitFor(() => worker.taskStats(ID)?.['polled' as never] === 10, 'ten polls')
    // Three commit intervals pass, and the loop goes round after each, while every send is still unacknowledged:
    // nothing may be committed.
    for (let i = 0; i < 3; i++) {
      clock.advance(50)
      await polledAgain()
    }
    const key = encodeOffsetKey('counter', { source: 'counter' })
    assert.deepEqual(await stores.offsetStore.get([key]), [null])
    clients.senders[0]?.release()
    await waitFor(async () => {
      clock.advance(50)
      return (await stores.offsetStore.get([key]))[0]?.toString() === '{"n":10}'
    }, 'the offset')
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'RUNNING')
    // KIP-558: the topic the task produced to is recorded as the connector's active topic.
    await waitFor(() => stores.statusStore.topic('counter', 'out'), 'the active topic')
    assert.deepEqual(
      clients.senders[0]?.sent.map((r) => r.value?.toString()),
      Array.from({ length: 10 }, (_, i) => `v${i}`),
    )
  })

  test("a poll whose records need a new topic holds later polls' records back, so each topic keeps its order", async () => {
    let open = () => {}
    clients.createGates.set('new', new Promise<void>((resolve) => (open = resolve)))
    TwoTopicsTask.polls = 0
    const id: TaskId = { connector: 'two-topics', task: 0 }
    const c = {
      name: 'two-topics',
      'connector.class': 'TwoTopicsConnector',
      'topic.creation.default.replication.factor': '-1',
      'topic.creation.default.partitions': '1',
    }
    assert.equal(await worker.startTask(id, c, c, 'STARTED'), true)
    // The second poll's record is ready to go while the first poll's wait for the new topic.
    await waitFor(() => TwoTopicsTask.polls >= 3, 'three polls')
    open()
    await waitFor(() => (clients.senders[0]?.sent.length ?? 0) === 3, 'three records sent')
    const old = clients.senders[0]?.sent.filter((r) => r.topic === 'old').map((r) => r.value?.toString())
    assert.deepEqual(old, ['first', 'second'])
  })

  test('partitions and offsets given as Maps are committed one per partition, in Map order, bigints exact', async () => {
    const id: TaskId = { connector: 'ordered', task: 0 }
    const c = { ...config(), name: 'ordered', 'connector.class': 'OrderedOffsetsConnector' }
    await worker.startTask(id, c, c, 'STARTED')
    const keys = ['a', 'b'].map((t) =>
      encodeOffsetKey(
        'ordered',
        javaHashMapOrder([
          ['cluster', 'src'],
          ['partition', 0],
          ['topic', t],
        ]),
      ),
    )
    assert.equal(keys[0]?.toString(), '["ordered",{"cluster":"src","partition":0,"topic":"a"}]')
    const committed = await waitFor(async () => {
      const values = await stores.offsetStore.get(keys)
      return values.every((v) => v !== null) ? values : undefined
    }, 'both offsets')
    assert.deepEqual(
      committed?.map((v) => v?.toString()),
      ['{"lsn":1152921504606846976,"10":0}', '{"lsn":1152921504606846977,"10":1}'],
    )
  })

  test('poll() throwing RetriableError is polled again; the task stays RUNNING', async () => {
    CountingTask.retriablePolls = 3
    await worker.startTask(ID, config(), config(), 'STARTED')
    await waitFor(() => clients.senders[0]?.sent.length === 10, 'ten records')
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'RUNNING')
  })

  test('a send Kafka refuses fails the task, and its offsets are never committed', async () => {
    const { KafkaError } = await import('../../../src/errors.ts')
    clients.failFirstSend = new KafkaError(false, 'RecordTooLargeException')
    const c = config()
    await worker.startTask(ID, c, c, 'STARTED')
    const status = await waitFor(() => {
      const s = stores.statusStore.task('counter', 0)
      return s?.state === 'FAILED' ? s : undefined
    }, 'FAILED')
    assert.match(status?.trace ?? '', /RecordTooLargeException/)
    const key = encodeOffsetKey('counter', { source: 'counter' })
    assert.deepEqual(await stores.offsetStore.get([key]), [null])
  })

  test('a restarted task resumes from its committed offset', async () => {
    await worker.startTask(ID, config(), config(), 'STARTED')
    await waitFor(() => clients.senders[0]?.sent.length === 10, 'ten records')
    await worker.stopTasks([ID])
    assert.equal(CountingTask.stopped, 1)
    CountingTask.count = 15
    await worker.startTask(ID, config(), config(), 'STARTED')
    await waitFor(() => clients.senders[1]?.sent.length === 5, 'five more records')
    assert.equal(clients.senders[1]?.sent[0]?.value?.toString(), 'v10')
  })

  test('with errors.tolerance=none a conversion failure fails the task with the error in its status', async () => {
    CountingTask.badEvery = 3
    const c = config({ 'value.converter': 'PickyConverter' })
    await worker.startTask(ID, c, c, 'STARTED')
    const status = await waitFor(() => {
      const s = stores.statusStore.task('counter', 0)
      return s?.state === 'FAILED' ? s : undefined
    }, 'FAILED')
    assert.match(status?.trace ?? '', /Tolerance exceeded in error handler/)
    assert.match(status?.trace ?? '', /cannot convert BAD/)
  })

  test('with errors.tolerance=all failed records go to the DLQ with context headers and the task keeps running', async () => {
    CountingTask.badEvery = 3
    const c = config({
      'value.converter': 'PickyConverter',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    })
    await worker.startTask(ID, c, c, 'STARTED')
    // The DLQ sender is created first (at build time), the task's producer second.
    const [dlq, producer] = clients.senders
    await waitFor(() => producer?.sent.length === 6 && dlq?.sent.length === 4, 'six records and four DLQ records')
    const headers = new Map(dlq?.sent[0]?.headers.map(([k, v]) => [k, v?.toString()]))
    assert.equal(headers.get('__connect.errors.stage'), 'VALUE_CONVERTER')
    assert.equal(headers.get('__connect.errors.class.name'), 'PickyConverter')
    assert.equal(headers.get('__connect.errors.exception.message'), 'cannot convert BAD')
    assert.equal(headers.get('__connect.errors.connector.name'), 'counter')
    assert.equal(headers.get('__connect.errors.task.id'), '0')
    assert.equal(headers.get('__connect.errors.topic'), 'out')
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'RUNNING')
    // Skipped records count as done: the offset moves past them.
    const key = encodeOffsetKey('counter', { source: 'counter' })
    await waitFor(async () => (await stores.offsetStore.get([key]))[0]?.toString() === '{"n":10}', 'the offset')
  })

  test('beyond Java: a failing transform is tolerated for sources too, and its record goes to the log', async () => {
    CountingTask.badEvery = 2
    const c = config({
      'errors.tolerance': 'all',
      'errors.log.enable': 'true',
      transforms: 'cast',
      'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
      'transforms.cast.spec': 'int32',
    })
    // Cast$Value of "v<n>" to int32 fails for every record except none; with badEvery the values are all strings.
    await worker.startTask(ID, c, c, 'STARTED')
    const key = encodeOffsetKey('counter', { source: 'counter' })
    await waitFor(async () => (await stores.offsetStore.get([key]))[0]?.toString() === '{"n":10}', 'the offset')
    const stats = worker.taskStats(ID) as { skipped: number; sent: number }
    assert.equal(stats.skipped, 10)
    assert.equal(stats.sent, 0)
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'RUNNING')
  })

  test('commitRecord gets Kafka metadata for sent records and null for dropped ones', async () => {
    const calls: (number | null)[] = []
    class Recording extends CountingTask {
      override commitRecord(_r: SourceRecord, metadata: { offset: number } | null) {
        calls.push(metadata === null ? null : metadata.offset)
      }
    }
    class RecordingConnector extends CountingConnector {
      override taskClass() {
        return Recording
      }
    }
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'source', plugin: RecordingConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
    CountingTask.count = 4
    const c = {
      'connector.class': 'RecordingConnector',
      transforms: 'drop',
      'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.drop.predicate': 'odd',
      predicates: 'odd',
      'predicates.odd.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.odd.pattern': 'nothing',
      'transforms.drop.negate': 'true',
    }
    await w.startTask({ connector: 'rec', task: 0 }, c, c, 'STARTED')
    await waitFor(() => calls.length === 4, 'four commitRecord calls')
    // negate=true on a predicate that never matches: Filter applies to every record, so all are dropped.
    assert.deepEqual(calls, [null, null, null, null])
    await w.stopTasks([{ connector: 'rec', task: 0 }])
    calls.length = 0
    const plain = { 'connector.class': 'RecordingConnector' }
    await w.startTask({ connector: 'rec2', task: 0 }, plain, plain, 'STARTED')
    await waitFor(() => calls.length === 4, 'four more commitRecord calls')
    assert.deepEqual(calls, [0, 1, 2, 3])
    await w.stop()
  })

  test("a connector's own offsets topic (offsets.storage.topic) is written first, the worker's as fallback", async () => {
    const own = createMemoryOffsetStore(stores.cluster, 'own-offsets')
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'source', plugin: CountingConnector }]),
      offsetStore: stores.offsetStore,
      connectorOffsetStore: (topic) => (topic === 'own-offsets' ? own : assert.fail(topic)),
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
    const c = config({ 'offsets.storage.topic': 'own-offsets' })
    await w.startTask(ID, c, c, 'STARTED')
    const key = encodeOffsetKey('counter', { source: 'counter' })
    await waitFor(async () => (await stores.offsetStore.get([key]))[0]?.toString() === '{"n":10}', 'the fallback')
    await w.stopTasks([ID])
    const check = createMemoryOffsetStore(stores.cluster, 'own-offsets')
    await check.start()
    assert.equal((await check.get([key]))[0]?.toString(), '{"n":10}')
    await check.stop()
    await w.stop()
  })

  test('a paused task stops polling and reports PAUSED; resumed, it goes on', async () => {
    const clock = await onManualClock()
    CountingTask.count = 1_000_000
    const pollsBefore = CountingTask.polls
    await worker.startTask(ID, config(), config(), 'PAUSED')
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'PAUSED')
    // Paused, the loop waits for a change on the clock; each time its wait runs out it looks again and waits again.
    const pausedTurns = async () => {
      for (let i = 0; i < 3; i++) {
        await waitFor(() => clock.pendingSleeps > 0, 'the paused loop waiting')
        clock.advance(50)
        await settle()
      }
    }
    await pausedTurns()
    assert.equal(CountingTask.polls, pollsBefore)
    assert.equal(clients.senders[0]?.sent.length, 0)
    await worker.setTargetState('counter', 'STARTED')
    assert.equal(stores.statusStore.task('counter', 0)?.state, 'RUNNING')
    await waitFor(() => (clients.senders[0]?.sent.length ?? 0) > 10, 'records after resume')
    await worker.setTargetState('counter', 'PAUSED')
    // A poll under way when the pause came still sends its records; the loop then waits.
    await waitFor(() => clock.pendingSleeps > 0, 'the paused loop waiting')
    const polls = CountingTask.polls
    const n = clients.senders[0]?.sent.length ?? 0
    await pausedTurns()
    assert.equal(CountingTask.polls, polls)
    assert.equal(clients.senders[0]?.sent.length, n)
  })

  test('a task whose sends never complete is abandoned after the graceful timeout', async () => {
    clients.holdAcks = true
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig({ 'task.shutdown.graceful.timeout.ms': '100' }),
      plugins: testRegistry([{ type: 'source', plugin: CountingConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
    await w.startTask(ID, config(), config(), 'STARTED')
    await waitFor(() => (w.taskStats(ID) as { polled: number }).polled === 10, 'ten polls')
    const started = Date.now()
    await w.stopTasks([ID])
    assert.ok(Date.now() - started < 1000)
    assert.deepEqual(w.runningTasks(), [])
  })

  test('tasks that never stop are all told to stop at once and share one graceful deadline', async () => {
    clients.holdAcks = true
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig({ 'task.shutdown.graceful.timeout.ms': '200' }),
      plugins: testRegistry([{ type: 'source', plugin: CountingConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      logger: quietLogger(),
    })
    // More tasks than the 8 starts the worker runs at once: stops must not queue behind that bound.
    const ids = Array.from({ length: 12 }, (_, task) => ({ connector: 'counter', task }))
    const many = config({ 'tasks.max': '12' })
    for (const id of ids) await w.startTask(id, many, many, 'STARTED')
    await waitFor(() => ids.every((id) => (w.taskStats(id) as { polled: number }).polled === 10), 'ten polls each')
    const stopping = w.stopTasks(ids)
    assert.equal(CountingTask.stopped, 12, 'every task got its soft stop before any deadline passed')
    await stopping
    assert.deepEqual(w.runningTasks(), [])
    await w.stop()
  })

  test('a FileStreamSource resumes from an offset Java Connect wrote, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fss-java-'))
    const file = join(dir, 'in.txt')
    writeFileSync(file, 'written-by-java\nnew\n')
    // The exact bytes Java's OffsetStorageWriter puts on the offsets topic for this connector and file.
    await stores.offsetStore.set([
      {
        key: Buffer.from(`["java-file",{"filename":${JSON.stringify(file)}}]`),
        value: Buffer.from('{"position":16}'),
      },
    ])
    const c = { 'connector.class': 'FileStreamSource', file, topic: 'lines' }
    await worker.startTask({ connector: 'java-file', task: 0 }, c, c, 'STARTED')
    await waitFor(() => clients.senders[0]?.sent.length === 1, 'one line')
    assert.equal(clients.senders[0]?.sent[0]?.value?.toString(), 'new')
  })

  test('the FileStreamSource connector is found by its Java class name and moves a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fss-'))
    const file = join(dir, 'in.txt')
    writeFileSync(file, 'a\nb\r\nc\n')
    const c = {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file,
      topic: 'lines',
    }
    const id = { connector: 'fs', task: 0 }
    await worker.startConnector('fs', c, 'STARTED')
    const [tc] = await worker.connectorTaskConfigs('fs')
    assert.equal(tc?.['task.class'], 'org.apache.kafka.connect.file.FileStreamSourceTask')
    await worker.startTask(id, c, tc ?? {}, 'STARTED')
    await waitFor(() => clients.senders[0]?.sent.length === 3, 'three lines')
    assert.deepEqual(
      clients.senders[0]?.sent.map((r) => r.value?.toString()),
      ['a', 'b', 'c'],
    )
    await worker.stopTasks([id])
    const offsets = await worker.connectorOffsets('fs', c)
    assert.deepEqual(offsets, [{ partition: { filename: file }, offset: { position: 7 } }])
  })
})
