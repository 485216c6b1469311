/**
 * The worker running exactly-once source tasks (KIP-618) on an in-memory transactional sender: the start sequence
 * (fencing, the producer's claim, the ownership check, then start), records and their offsets in one transaction
 * per transaction.boundary, the TransactionContext of connector-defined boundaries, and fenced producers failing
 * the task without anything committed.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { SourceConnector } from '../../../src/api/connector.ts'
import { SourceRecord } from '../../../src/api/records.ts'
import { SourceTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { Schema } from '../../../src/data/schema.ts'
import { KafkaError } from '../../../src/errors.ts'
import type { ConfigMap } from '../../../src/stores/config-store.ts'
import type {
  OutgoingRecord,
  SentRecord,
  SourceTransaction,
  TransactionalRecordSender,
} from '../../../src/worker/record-sender.ts'
import { Worker } from '../../../src/worker/worker.ts'
import type { ExactlyOnceSourceHooks, TaskId } from '../../../src/worker/worker-api.ts'
import { quietLogger } from '../../support/stores.ts'
import { MemoryClients, memoryStores, testRegistry, waitFor, workerConfig } from './helpers.ts'

/** Committed transactions, each as the values (records) and the offsets topic's values, in send order. */
class MemoryTransactions implements TransactionalRecordSender {
  readonly committed: { values: string[]; offsets: string[] }[] = []
  aborted = 0
  inits = 0
  props: ConfigMap = {}
  fenced = false
  /** Commits fail (the producer was fenced after its transaction began). */
  failCommits = false
  readonly events: string[]

  constructor(events: string[]) {
    this.events = events
  }

  async init(): Promise<void> {
    this.inits++
    this.events.push('init')
  }

  async begin(): Promise<SourceTransaction> {
    if (this.fenced) throw new KafkaError(false, 'the transactional producer was fenced out')
    const pending: OutgoingRecord[] = []
    return {
      send: async (records) => {
        pending.push(...records)
        return records.map((r, i): SentRecord => ({ topic: r.topic, partition: 0, offset: i, timestamp: null }))
      },
      commit: async () => {
        if (this.fenced || this.failCommits) throw new KafkaError(false, 'PRODUCER_FENCED')
        const text = (r: OutgoingRecord) => r.value?.toString('utf8') ?? 'null'
        this.committed.push({
          values: pending.filter((r) => r.topic === 'out').map(text),
          offsets: pending.filter((r) => r.topic === 'offsets').map(text),
        })
      },
      abort: async () => {
        this.aborted++
      },
    }
  }

  async close(): Promise<void> {}
}

class EosClients extends MemoryClients {
  readonly events: string[] = []
  readonly transactional = new MemoryTransactions(this.events)
  transactionalSender(props: ConfigMap): TransactionalRecordSender {
    this.transactional.props = props
    return this.transactional
  }
}

/**
 * Emits the values of `script`, one poll per inner array; `commitAfter`/`abortAfter` name values after which the
 * task asks its TransactionContext to commit or abort.
 */
class ScriptedTask extends SourceTask {
  static script: string[][] = []
  static commitAfter = new Set<string>()
  static abortAfter = new Set<string>()
  static started = 0
  static events: string[] = []
  #poll = 0
  version() {
    return '1'
  }
  start() {
    ScriptedTask.started++
    ScriptedTask.events.push('start')
  }
  async poll() {
    const values = ScriptedTask.script[this.#poll]
    if (!values) {
      await new Promise((r) => setTimeout(r, 5))
      return null
    }
    this.#poll++
    const context = this.context.transactionContext()
    return values.map((v) => {
      const record = new SourceRecord({
        sourcePartition: { source: 's' },
        sourceOffset: { v },
        topic: 'out',
        valueSchema: Schema.STRING_SCHEMA,
        value: v,
      })
      if (ScriptedTask.commitAfter.has(v)) context?.commitTransaction(record)
      if (ScriptedTask.abortAfter.has(v)) context?.abortTransaction(record)
      return record
    })
  }
  stop() {}
}

class ScriptedConnector extends SourceConnector {
  version = () => '1'
  start() {}
  taskClass = () => ScriptedTask
  taskConfigs = () => [{}]
  stop() {}
  config = () => new ConfigDef()
}

const ID: TaskId = { connector: 'scripted', task: 0 }

describe('Worker: exactly-once source tasks', () => {
  let stores: Awaited<ReturnType<typeof memoryStores>>
  let clients: EosClients
  let worker: Worker
  let hooks: ExactlyOnceSourceHooks
  let ownership: () => Promise<void>

  beforeEach(async () => {
    ScriptedTask.script = []
    ScriptedTask.commitAfter = new Set()
    ScriptedTask.abortAfter = new Set()
    ScriptedTask.started = 0
    stores = await memoryStores()
    clients = new EosClients()
    ScriptedTask.events = clients.events
    ownership = async () => {}
    hooks = {
      fenceZombies: async (connector) => {
        clients.events.push(`fence ${connector}`)
      },
      verifyStillOwned: async (task, generation) => {
        clients.events.push(`verify ${task.connector}-${task.task}@${generation}`)
        await ownership()
      },
    }
    worker = new Worker({
      workerId: 'w1:8083',
      config: workerConfig({ 'group.id': 'grp', 'offset.storage.topic': 'offsets' }),
      plugins: testRegistry([{ type: 'source', plugin: ScriptedConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients,
      exactlyOnce: hooks,
      logger: quietLogger(),
    })
  })
  afterEach(async () => {
    await worker.stop()
    await stores.stop()
  })

  const config = (extra: Record<string, string> = {}) => ({
    name: 'scripted',
    'connector.class': 'ScriptedConnector',
    ...extra,
  })

  test('starts after the fencing, the claim of <group.id>-<connector>-<task> and the ownership check', async () => {
    await worker.startTask(ID, config(), config(), 'STARTED', 4)
    await waitFor(() => ScriptedTask.started === 1, 'the task started')
    assert.deepEqual(clients.events, ['fence scripted', 'init', 'verify scripted-0@4', 'start'])
    assert.equal(clients.transactional.props['transactional.id'], 'grp-scripted-0')
    assert.equal(clients.senders.length, 0, 'no at-least-once producer')
  })

  test('transaction.boundary=poll: each poll is one transaction, with its offsets written in it', async () => {
    ScriptedTask.script = [['a', 'b'], ['c']]
    await worker.startTask(ID, config(), config(), 'STARTED', 0)
    await waitFor(() => clients.transactional.committed.length === 2, 'two transactions')
    assert.deepEqual(clients.transactional.committed, [
      { values: ['a', 'b'], offsets: ['{"v":"b"}'] },
      { values: ['c'], offsets: ['{"v":"c"}'] },
    ])
  })

  test('transaction.boundary=interval: the polls of an interval share one transaction', async () => {
    ScriptedTask.script = [['a'], ['b']]
    const interval = { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '1000' }
    await worker.startTask(ID, config(interval), config(), 'STARTED', 0)
    await waitFor(() => clients.transactional.committed.length === 1, 'one transaction')
    assert.deepEqual(clients.transactional.committed, [{ values: ['a', 'b'], offsets: ['{"v":"b"}'] }])
  })

  test('transaction.boundary=connector: the task commits after a record, and an abort drops records but keeps offsets', async () => {
    ScriptedTask.script = [
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]
    ScriptedTask.commitAfter = new Set(['b'])
    ScriptedTask.abortAfter = new Set(['d'])
    await worker.startTask(ID, config({ 'transaction.boundary': 'connector' }), config(), 'STARTED', 0)
    await waitFor(() => clients.transactional.committed.length === 2, 'two transactions')
    assert.deepEqual(clients.transactional.committed, [
      { values: ['a', 'b'], offsets: ['{"v":"b"}'] },
      { values: [], offsets: ['{"v":"d"}'] },
    ])
    assert.equal(clients.transactional.aborted, 1)
  })

  test('a task that is no longer assigned here fails before it starts', async () => {
    ownership = async () => {
      throw new Error('Task scripted-0 is no longer assigned to this worker')
    }
    await worker.startTask(ID, config(), config(), 'STARTED', 0)
    await waitFor(() => stores.statusStore.task('scripted', 0)?.state === 'FAILED', 'FAILED')
    assert.equal(ScriptedTask.started, 0)
    assert.match(stores.statusStore.task('scripted', 0)?.trace ?? '', /no longer assigned/)
  })

  test('a commit that fails (fenced mid-transaction) fails the task, even while the next batch is polled', async () => {
    ScriptedTask.script = [['a'], ['b'], ['c']]
    clients.transactional.failCommits = true
    await worker.startTask(ID, config(), config(), 'STARTED', 0)
    await waitFor(() => stores.statusStore.task('scripted', 0)?.state === 'FAILED', 'FAILED')
    assert.match(stores.statusStore.task('scripted', 0)?.trace ?? '', /PRODUCER_FENCED/)
    assert.deepEqual(clients.transactional.committed, [])
  })

  test('a fenced producer fails the task and commits nothing', async () => {
    ScriptedTask.script = [['a'], ['b']]
    clients.transactional.fenced = true
    await worker.startTask(ID, config(), config(), 'STARTED', 0)
    await waitFor(() => stores.statusStore.task('scripted', 0)?.state === 'FAILED', 'FAILED')
    assert.deepEqual(clients.transactional.committed, [])
  })
})
