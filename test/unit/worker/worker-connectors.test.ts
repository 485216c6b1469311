/**
 * The worker running connectors: target states and their statuses, reconfiguration requests and raised errors
 * reaching the listener, failures to create, bounded concurrency of starts, and the offsets endpoints of sources.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { SourceConnector } from '../../../src/api/connector.ts'
import { SourceTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { Worker } from '../../../src/worker/worker.ts'
import type { TaskId } from '../../../src/worker/worker-api.ts'
import { quietLogger } from '../../support/stores.ts'
import { MemoryClients, memoryStores, testRegistry, waitFor, workerConfig } from './helpers.ts'

const events: string[] = []
let live: MonitoringConnector | null = null
let concurrentStarts = 0
let maxConcurrentStarts = 0

class IdleTask extends SourceTask {
  version() {
    return '1'
  }
  start() {}
  async poll() {
    await new Promise((r) => setTimeout(r, 5))
    return null
  }
  stop() {}
}

class MonitoringConnector extends SourceConnector {
  version() {
    return '1'
  }
  async start(props: Readonly<Record<string, string>>) {
    if (props.fail === 'start') throw new Error('cannot start')
    concurrentStarts++
    maxConcurrentStarts = Math.max(maxConcurrentStarts, concurrentStarts)
    await new Promise((r) => setTimeout(r, 20))
    concurrentStarts--
    events.push('start')
    live = this
  }
  taskClass() {
    return IdleTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {
    events.push('stop')
  }
  config() {
    return new ConfigDef()
  }
  /** What a monitoring thread of a real connector would do. */
  changed() {
    this.context.requestTaskReconfiguration()
  }
  broken() {
    this.context.raiseError(new Error('the source went away'))
  }
}

describe('Worker: connectors', () => {
  let stores: Awaited<ReturnType<typeof memoryStores>>
  let worker: Worker
  const heard: string[] = []
  beforeEach(async () => {
    events.length = 0
    heard.length = 0
    live = null
    maxConcurrentStarts = 0
    stores = await memoryStores()
    worker = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'source', plugin: MonitoringConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients: new MemoryClients(),
      maxConcurrentStarts: 2,
      listener: {
        onTaskReconfigurationRequest: (c) => heard.push(`reconfigure ${c}`),
        onConnectorFailure: (c, e) => heard.push(`failed ${c}: ${e.message}`),
        onTaskFailure: (t: TaskId, e) => heard.push(`task failed ${t.connector}-${t.task}: ${e.message}`),
      },
      logger: quietLogger(),
    })
  })
  afterEach(async () => {
    await worker.stop()
    await stores.stop()
  })

  const config = { 'connector.class': 'MonitoringConnector' }
  const state = () => stores.statusStore.connector('m')?.state

  test('target states: STARTED runs it, PAUSED and STOPPED stop it, STARTED again restarts it', async () => {
    assert.equal(await worker.startConnector('m', config, 'STARTED'), true)
    assert.equal(state(), 'RUNNING')
    await worker.setTargetState('m', 'PAUSED')
    assert.equal(state(), 'PAUSED')
    await worker.setTargetState('m', 'STOPPED')
    assert.equal(state(), 'STOPPED')
    await worker.setTargetState('m', 'STARTED')
    assert.equal(state(), 'RUNNING')
    assert.deepEqual(events, ['start', 'stop', 'start'])
    assert.deepEqual(worker.runningConnectors(), ['m'])
    await worker.stopConnectors(['m', 'unknown'])
    assert.deepEqual(worker.runningConnectors(), [])
  })

  test('connector and task statuses carry the plugin version, as Kafka 4.1+ workers write them', async () => {
    await worker.startConnector('m', config, 'STARTED')
    assert.equal(stores.statusStore.connector('m')?.version, '1')
    assert.equal(await worker.startTask({ connector: 'm', task: 0 }, config, {}, 'STARTED'), true)
    assert.equal(stores.statusStore.task('m', 0)?.version, '1')
  })

  test('a connector started STOPPED is recorded STOPPED and not started', async () => {
    await worker.startConnector('m', config, 'STOPPED')
    assert.equal(state(), 'STOPPED')
    assert.deepEqual(events, [])
  })

  test('requestTaskReconfiguration and raiseError reach the listener; a raised error makes it FAILED', async () => {
    await worker.startConnector('m', config, 'STARTED')
    live?.changed()
    live?.broken()
    await waitFor(() => state() === 'FAILED', 'FAILED')
    assert.match(stores.statusStore.connector('m')?.trace ?? '', /the source went away/)
    assert.deepEqual(heard, ['reconfigure m', 'failed m: the source went away'])
  })

  test('a connector failing to start is FAILED with its trace; an unknown class too', async () => {
    assert.equal(await worker.startConnector('m', { ...config, fail: 'start' }, 'STARTED'), false)
    assert.equal(state(), 'FAILED')
    assert.equal(await worker.startConnector('x', { 'connector.class': 'Nope' }, 'STARTED'), false)
    assert.match(stores.statusStore.connector('x')?.trace ?? '', /Failed to find any class that implements Connector/)
    assert.equal(worker.connectorKind({ 'connector.class': 'Nope' }), 'unknown')
  })

  test('config providers are resolved at start, through configResolver', async () => {
    const seen: string[] = []
    const w = new Worker({
      workerId: 'w1:8083',
      config: workerConfig(),
      plugins: testRegistry([{ type: 'source', plugin: MonitoringConnector }]),
      offsetStore: stores.offsetStore,
      statusStore: stores.statusStore,
      clients: new MemoryClients(),
      configResolver: async (c) => {
        seen.push(c['connector.class'] ?? '')
        return { ...c, 'connector.class': 'MonitoringConnector' }
      },
      logger: quietLogger(),
    })
    const reference = ['$', '{vault:class}'].join('')
    assert.equal(await w.startConnector('r', { 'connector.class': reference }, 'STARTED'), true)
    assert.deepEqual(seen, [reference])
    await w.stop()
  })

  test('no more than maxConcurrentStarts connectors start at once', async () => {
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => worker.startConnector(n, config, 'STARTED')))
    assert.equal(maxConcurrentStarts, 2)
  })

  test('task status writes wait outside the maxConcurrentStarts bound: all are in flight together', async () => {
    const store = stores.statusStore
    const held: { state: string; ack: () => void }[] = []
    const hold =
      (write: typeof store.put) =>
      async (status: Parameters<typeof store.put>[0]): Promise<boolean> => {
        await new Promise<void>((ack) => held.push({ state: status.state, ack }))
        return write(status)
      }
    store.put = hold(store.put.bind(store))
    store.putSafe = hold(store.putSafe.bind(store))
    const ids = [0, 1, 2, 3, 4].map((task) => ({ connector: 'm', task }))
    const five = { ...config, 'tasks.max': '5' }
    const starts = Promise.all(ids.map((id) => worker.startTask(id, five, {}, 'STARTED')))
    await waitFor(() => held.length === 5, 'five RUNNING writes in flight at once (the bound is 2)')
    for (const h of held.splice(0)) h.ack()
    assert.deepEqual(await starts, [true, true, true, true, true])
    const stops = worker.stopTasks(ids)
    await waitFor(() => held.length === 5, 'five UNASSIGNED writes in flight at once (the bound is 2)')
    assert.deepEqual(
      held.map((h) => h.state),
      ['UNASSIGNED', 'UNASSIGNED', 'UNASSIGNED', 'UNASSIGNED', 'UNASSIGNED'],
    )
    for (const h of held.splice(0)) h.ack()
    await stops
    assert.deepEqual(worker.runningTasks(), [])
  })

  test('a task numbered beyond tasks.max does not start under tasks.max.enforce', async () => {
    const id = { connector: 'm', task: 1 }
    assert.equal(await worker.startTask(id, { ...config, 'tasks.max': '1' }, {}, 'STARTED'), false)
    assert.equal(stores.statusStore.task('m', 1)?.state, 'FAILED')
    assert.match(heard[0] ?? '', /task failed m-1/)
  })

  test('source offsets can be listed, altered and reset', async () => {
    const partition = { filename: '/tmp/x' }
    assert.equal(await worker.alterConnectorOffsets('m', config, [{ partition, offset: { position: 42 } }]), false)
    assert.deepEqual(await worker.connectorOffsets('m', config), [{ partition, offset: { position: 42 } }])
    await worker.resetConnectorOffsets('m', config)
    assert.deepEqual(await worker.connectorOffsets('m', config), [])
  })
})
