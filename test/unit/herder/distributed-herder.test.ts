/**
 * A DistributedHerder alone in its group (always the leader), on in-memory stores, with the worker double: the
 * herder's own rules without a broker. Multi-worker behaviour (forwarding, spreading, handover) is specified by
 * test/integration/herder/.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { parseWorkerConfig } from '../../../src/config/connect/worker-config.ts'
import { AlreadyExistsError, BadRequestError, ConfigError, NotFoundError } from '../../../src/errors.ts'
import { DistributedHerder } from '../../../src/herder/distributed-herder.ts'
import { noLeaderClient } from '../../../src/herder/task-config-forwarding.ts'
import { createMemoryConfigStore, createMemoryStatusStore, MemoryCluster } from '../../../src/stores/memory-stores.ts'
import { demoRegistry } from '../../support/demo-plugins.ts'
import { silentLog } from '../../support/rest.ts'
import { SoloGroup } from '../../support/solo-group.ts'
import { WorkerDouble } from '../../support/worker-double.ts'

const props = {
  'group.id': 'solo',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
  'key.converter': 'JsonConverter',
  'value.converter': 'JsonConverter',
}

interface Solo {
  herder: DistributedHerder
  worker: WorkerDouble
  group: SoloGroup
}

const started: DistributedHerder[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.stop()))
})

async function solo(
  extra: Record<string, string> = {},
  cluster = new MemoryCluster(),
  beforeStart: (herder: DistributedHerder) => void = () => {},
): Promise<Solo> {
  const statusStore = createMemoryStatusStore(cluster)
  const plugins = demoRegistry()
  const group = new SoloGroup()
  let worker: WorkerDouble | undefined
  const herder: DistributedHerder = new DistributedHerder({
    config: parseWorkerConfig({ ...props, ...extra }),
    configStore: createMemoryConfigStore(cluster),
    statusStore,
    plugins,
    groupCalls: group,
    clusterId: async () => 'memory-cluster',
    leaderClient: noLeaderClient,
    createWorker: (workerId) => {
      worker = new WorkerDouble(workerId, statusStore, plugins, () => herder.core.generation)
      return worker
    },
    log: silentLog,
  })
  started.push(herder)
  beforeStart(herder)
  await herder.start('http://solo:8083/')
  await until('ready', () => herder.core.ready && !herder.core.rebalancing)
  return { herder, worker: worker as WorkerDouble, group }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const source = { 'connector.class': 'DemoSource', topic: 't', 'tasks.max': '2' }

async function settled(h: DistributedHerder, name: string, state: string, tasks: number): Promise<void> {
  await until(`${name} ${state} with ${tasks} tasks`, async () => {
    try {
      const s = await h.connectorStatus(name)
      return s.connector.state === state && s.tasks.length === tasks && s.tasks.every((t) => t.state === state)
    } catch {
      return false
    }
  })
}

describe('a distributed herder alone in its group', () => {
  test('is the leader, ready, identified by its URL, and writes a session key under the sessioned protocol', async () => {
    const { herder, worker } = await solo()
    assert.equal(herder.core.isLeader, true)
    assert.equal(worker.workerId, 'solo:8083')
    assert.equal(await herder.kafkaClusterId(), 'memory-cluster')
    await until('a session key', async () => (await herder.internalRequestSecurity()).sessionKey !== undefined)
    const security = await herder.internalRequestSecurity()
    assert.equal(security.required, true)
    assert.equal(security.sessionKey?.algorithm, 'HmacSHA256')
  })

  test('creates a connector, has its tasks generated, written and started', async () => {
    const { herder, worker } = await solo()
    const created = await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    assert.equal(created.created, true)
    assert.deepEqual(created.result.tasks, [])
    await settled(herder, 'c', 'RUNNING', 2)
    assert.deepEqual(await herder.connectors(), ['c'])
    assert.deepEqual(
      (await herder.taskConfigs('c')).map((t) => t.config['task.index']),
      ['0', '1'],
    )
    assert.deepEqual(
      worker
        .runningTasks()
        .map((t) => t.task)
        .sort(),
      [0, 1],
    )
    await assert.rejects(
      herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false }),
      AlreadyExistsError,
    )
  })

  test('a request that came before the start is answered from the config topic read to its end', async () => {
    const cluster = new MemoryCluster()
    const first = await solo({}, cluster)
    await first.herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await first.herder.stop()
    // REST listens before the herder starts: a request may be queued first, and must still see the connector.
    let early: Promise<string[]> | undefined
    await solo({}, cluster, (h) => {
      early = h.connectors()
    })
    assert.deepEqual(await early, ['c'])
  })

  test('a connector created PAUSED or STOPPED starts so, with tasks only when not STOPPED', async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('p', { ...source, name: 'p' }, { allowReplace: false, initialState: 'PAUSED' })
    await herder.putConnectorConfig('s', { ...source, name: 's' }, { allowReplace: false, initialState: 'STOPPED' })
    await until('p started paused', () => worker.calls.includes('startConnector p PAUSED'))
    await until('s started stopped', () => worker.calls.includes('startConnector s STOPPED'))
    assert.equal((await herder.connectorStatus('s')).connector.state, 'STOPPED')
    assert.deepEqual(await herder.taskConfigs('s'), [])
    assert.deepEqual(await herder.taskConfigs('p'), [])
    await herder.resumeConnector('p')
    await settled(herder, 'p', 'RUNNING', 2)
  })

  test('refuses an invalid config with the key at fault, and a connector it does not know', async () => {
    const { herder } = await solo()
    await assert.rejects(
      herder.putConnectorConfig('c', { ...source, 'tasks.max': '0', name: 'c' }, { allowReplace: false }),
      (e: unknown) => e instanceof ConfigError && e.key === 'tasks.max',
    )
    await assert.rejects(herder.connectorInfo('nope'), NotFoundError)
    await assert.rejects(herder.pauseConnector('nope'), NotFoundError)
    await assert.rejects(herder.restartConnector('nope'), /Unknown connector: nope/)
  })

  test('an updated config restarts the connector where it runs, and new task configs restart its tasks', async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    await herder.putConnectorConfig(
      'c',
      { ...source, name: 'c', topic: 'other', 'tasks.max': '3' },
      { allowReplace: true },
    )
    await settled(herder, 'c', 'RUNNING', 3)
    assert.equal(worker.calls.filter((c) => c === 'startConnector c STARTED').length, 2)
    assert.equal((await herder.taskConfigs('c'))[0]?.config.topic, 'other')
  })

  test('pause, resume and stop reach the worker; offsets change only when stopped', async () => {
    const { herder } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    await herder.pauseConnector('c')
    await settled(herder, 'c', 'PAUSED', 2)
    await assert.rejects(herder.resetConnectorOffsets('c'), BadRequestError)
    await herder.stopConnector('c')
    await settled(herder, 'c', 'STOPPED', 0)
    assert.match((await herder.resetConnectorOffsets('c')).message, /reset successfully/)
    await herder.resumeConnector('c')
    await settled(herder, 'c', 'RUNNING', 2)
  })

  test('deleting a connector stops it and forgets its statuses (DESTROYED)', async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    await herder.deleteConnectorConfig('c')
    await until('c gone', () => worker.runningConnectors().length === 0 && worker.runningTasks().length === 0)
    await until('no status', async () => {
      try {
        await herder.connectorStatus('c')
        return false
      } catch (e) {
        return e instanceof NotFoundError
      }
    })
    assert.deepEqual(await herder.connectors(), [])
  })

  test('deleting connectors whose tasks do not stop never holds the herder: deletes answer, the list is empty at once', async () => {
    const { herder, worker } = await solo()
    const names = ['a', 'b', 'c', 'd', 'e']
    for (const name of names) await herder.putConnectorConfig(name, { ...source, name }, { allowReplace: false })
    for (const name of names) await settled(herder, name, 'RUNNING', 2)
    const release = worker.holdStops()
    await Promise.all(names.map((name) => herder.deleteConnectorConfig(name)))
    await until('every task asked to stop', () => worker.calls.filter((c) => c.startsWith('stopping ')).length >= 5)
    // The stops still hang; the herder answers anyway, from a config topic without the connectors.
    assert.deepEqual(await herder.connectors(), [])
    await herder.healthCheck()
    await until('the loop idle while the stops hang', () => herder.core.currentStage?.completed !== undefined)
    assert.equal(worker.runningTasks().length, 10, 'the hanging stops are not over')
    release()
    await until('the tasks stopped', () => worker.runningTasks().length === 0)
  })

  test("deleting a connector tombstones its topic-status records once its work stopped here, as Java's worker does", async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await herder.putConnectorConfig('k', { ...source, name: 'k' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    const statuses = herder.core.statusStore
    for (const [connector, topic] of [
      ['c', 't1'],
      ['c', 't2'],
      ['k', 't1'],
    ] as const) {
      await statuses.putTopic({ topic, connector, task: 0, discoverTimestamp: 1 })
    }
    await herder.deleteConnectorConfig('c')
    await until('c stopped', () => worker.runningConnectors().length === 1)
    await until('c has no topics', async () => {
      await statuses.refresh()
      return statuses.topics('c').length === 0
    })
    assert.deepEqual((await herder.connectorActiveTopics('k')).topics, ['t1'], "another connector's topics stay")
  })

  test('a new config for a running connector restarts it without a RESTARTING status, as Java does', async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    const store = herder.core.statusStore
    const put = store.put.bind(store)
    const written: string[] = []
    store.put = async (status) => {
      written.push(status.state)
      return put(status)
    }
    await herder.putConnectorConfig('c', { ...source, name: 'c', topic: 'u' }, { allowReplace: true })
    await until('c restarted', () => worker.calls.filter((c) => c === 'startConnector c STARTED').length === 2)
    await settled(herder, 'c', 'RUNNING', 2)
    assert.ok(!written.includes('RESTARTING'), `no RESTARTING among ${written}`)
  })

  test('a restart request restarts what matches it and answers the planned states', async () => {
    const { herder, worker } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    const planned = await herder.restartConnectorAndTasks({ connector: 'c', onlyFailed: false, includeTasks: true })
    assert.equal(planned.connector.state, 'RESTARTING')
    assert.deepEqual(
      planned.tasks.map((t) => t.state),
      ['RESTARTING', 'RESTARTING'],
    )
    await until('tasks restarted', () => worker.calls.filter((c) => c.startsWith('startTask c-')).length >= 4)
    await settled(herder, 'c', 'RUNNING', 2)
  })

  test('a plain restart of a connector or a task writes no RESTARTING status, as Java does', async () => {
    const { herder } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    const store = herder.core.statusStore
    const put = store.put.bind(store)
    const written: string[] = []
    store.put = async (status) => {
      written.push(status.state)
      return put(status)
    }
    await herder.restartConnector('c')
    await herder.restartTask({ connector: 'c', task: 0 })
    await settled(herder, 'c', 'RUNNING', 2)
    assert.ok(written.includes('RUNNING'), `restarted work writes RUNNING again: ${written}`)
    assert.ok(!written.includes('RESTARTING'), `no RESTARTING among ${written}`)
  })

  test('connector configs sent during a rebalance are written together once it is handled, not refused', async () => {
    const { herder, group } = await solo()
    const release = group.holdJoins()
    herder.core.member?.requestRejoin('a rebalance under way')
    await until('rebalancing', () => herder.core.rebalancing)
    const puts = ['a', 'b', 'c'].map((name) =>
      herder.putConnectorConfig(name, { ...source, name }, { allowReplace: false }),
    )
    await herder.connectors() // the loop went past the three requests while the rebalance was under way
    assert.deepEqual(herder.core.snapshot.connectors, [], 'nothing is written during the rebalance')
    release()
    const created = await Promise.all(puts)
    assert.deepEqual(
      created.map((c) => [c.result.name, c.created]),
      [
        ['a', true],
        ['b', true],
        ['c', true],
      ],
    )
    await settled(herder, 'c', 'RUNNING', 2)
  })

  test('requests of every kind during a rebalance are held and run together once it is handled, not refused', async () => {
    const { herder, group } = await solo()
    for (const name of ['d', 'p', 's', 'r', 'x', 'o']) {
      await herder.putConnectorConfig(name, { ...source, name, 'tasks.max': '1' }, { allowReplace: false })
      await settled(herder, name, 'RUNNING', 1)
    }
    await herder.stopConnector('o')
    await settled(herder, 'o', 'STOPPED', 0)
    const release = group.holdJoins()
    herder.core.member?.requestRejoin('a rebalance under way')
    await until('rebalancing', () => herder.core.rebalancing)
    const requests: Promise<unknown>[] = [
      herder.deleteConnectorConfig('d'),
      herder.pauseConnector('p'),
      herder.stopConnector('s'),
      herder.resumeConnector('p'),
      herder.restartConnector('r'),
      herder.restartTask({ connector: 'r', task: 0 }),
      herder.restartConnectorAndTasks({ connector: 'x', onlyFailed: false, includeTasks: true }),
      herder.patchConnectorConfig('x', { topic: 'patched' }),
      herder.resetConnectorOffsets('o'),
      herder.alterConnectorOffsets('o', [{ partition: { p: 1 }, offset: { n: 1 } }]),
    ]
    await herder.connectors() // the loop went past every request while the rebalance was under way
    assert.ok(herder.core.snapshot.contains('d'), 'nothing is written during the rebalance')
    release()
    await Promise.all(requests)
    assert.deepEqual(await herder.connectors(), ['o', 'p', 'r', 's', 'x'])
    assert.equal(herder.core.snapshot.targetState('s'), 'STOPPED')
    assert.equal(herder.core.snapshot.connectorConfig('x')?.topic, 'patched')
  })

  test('task configs a follower sends during a rebalance are written once it is handled, not refused', async () => {
    const { herder, group } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c', 'tasks.max': '1' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 1)
    const release = group.holdJoins()
    herder.core.member?.requestRejoin('a rebalance under way')
    await until('rebalancing', () => herder.core.rebalancing)
    const put = herder.putTaskConfigs('c', [{ 'task.index': '0' }, { 'task.index': '1' }])
    await herder.connectors()
    assert.equal(herder.core.snapshot.tasks('c').length, 1, 'nothing is written during the rebalance')
    release()
    await put
    assert.equal(herder.core.snapshot.tasks('c').length, 2)
  })

  test('a connector config held by a rebalance fails with the herder stopping', async () => {
    const { herder, group } = await solo()
    group.holdJoins()
    herder.core.member?.requestRejoin('a rebalance under way')
    await until('rebalancing', () => herder.core.rebalancing)
    const put = herder.putConnectorConfig('a', { ...source, name: 'a' }, { allowReplace: false })
    await herder.connectors()
    await herder.stop()
    await assert.rejects(put, /Worker is shutting down/)
  })

  test('stopping stops the work, leaves the group, and fails later requests', async () => {
    const { herder, worker, group } = await solo()
    await herder.putConnectorConfig('c', { ...source, name: 'c' }, { allowReplace: false })
    await settled(herder, 'c', 'RUNNING', 2)
    await herder.stop()
    assert.equal(worker.stopped, true)
    assert.ok(group.calls.includes('leave: standalone'), group.calls.join())
    await assert.rejects(herder.connectors(), /Worker is shutting down/)
  })
})
