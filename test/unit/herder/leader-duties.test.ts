// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider references are ${...} on purpose
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { LeaderDuties, taskConfigsChanged, withReferencesRestored } from '../../../src/herder/leader-duties.ts'
import { createMemoryConfigStore, createMemoryStatusStore, MemoryCluster } from '../../../src/stores/memory-stores.ts'
import { quietLogger } from '../../support/stores.ts'

const cluster = new MemoryCluster()
const configs = createMemoryConfigStore(cluster)
const statuses = createMemoryStatusStore(cluster)
await configs.start()
await statuses.start()
after(async () => {
  await configs.stop()
  await statuses.stop()
})
const duties = new LeaderDuties(
  configs,
  statuses,
  { algorithm: 'HmacSHA256', sizeBits: undefined, ttlMs: 60_000 },
  quietLogger(),
)
const connector = { 'connector.class': 'DemoSource', 'tasks.max': '2', topic: 't' }

describe("the leader's duties", () => {
  test('task configs are written only when they changed, or when the connector config changed since', async () => {
    await configs.putConnectorConfig('c1', connector)
    const tasks = [{ i: '0' }, { i: '1' }]
    assert.equal(await duties.writeTaskConfigsIfChanged(configs.snapshot(), 'c1', tasks), true)
    assert.equal(await duties.writeTaskConfigsIfChanged(configs.snapshot(), 'c1', tasks), false)
    assert.equal(taskConfigsChanged(configs.snapshot(), 'c1', [{ i: '0' }]), true)
    assert.equal(taskConfigsChanged(configs.snapshot(), 'c1', [{ i: '0' }, { i: 'x' }]), true)
    await configs.putConnectorConfig('c1', { ...connector, topic: 'other' })
    assert.equal(taskConfigsChanged(configs.snapshot(), 'c1', tasks), true)
  })

  test('task configs keep the config-provider references of the connector config', () => {
    const restored = withReferencesRestored({ password: '${file:/s.properties:pw}', user: 'bob' }, [
      { password: 'hunter2', user: 'bob', other: 'x' },
      { user: 'bob' },
    ])
    assert.deepEqual(restored, [{ password: '${file:/s.properties:pw}', user: 'bob', other: 'x' }, { user: 'bob' }])
  })

  test('a session key is written when there is none, and again once it expired', async () => {
    assert.equal(configs.snapshot().sessionKey, undefined)
    assert.equal(await duties.rotateSessionKey(configs.snapshot(), 1_000), 60_000)
    const first = configs.snapshot().sessionKey
    assert.equal(first?.algorithm, 'HmacSHA256')
    assert.equal(first?.key.length, 32)
    assert.equal(await duties.rotateSessionKey(configs.snapshot(), 31_000), 30_000)
    assert.equal(configs.snapshot().sessionKey?.creationTimestamp, 1_000)
    await duties.rotateSessionKey(configs.snapshot(), 61_000)
    assert.equal(configs.snapshot().sessionKey?.creationTimestamp, 61_000)
  })

  test('statuses of removed connectors are tombstoned (DESTROYED), with their tasks', async () => {
    const base = { state: 'RUNNING' as const, trace: null, workerId: 'w:8083', generation: 1 }
    await statuses.put({ ...base, connector: 'gone' })
    await statuses.put({ ...base, connector: 'gone', task: 0 })
    await statuses.put({ ...base, connector: 'c1' })
    await duties.destroyRemoved(configs.snapshot(), 'w:8083', 2)
    await statuses.refresh()
    assert.equal(statuses.connector('gone'), undefined)
    assert.equal(statuses.task('gone', 0), undefined)
    assert.equal(statuses.connector('c1')?.state, 'RUNNING')
  })

  test('a restart request is recorded and answers the planned states', async () => {
    const status = {
      name: 'c1',
      connector: { state: 'RUNNING', worker_id: 'w:8083' },
      tasks: [
        { id: 0, state: 'FAILED', worker_id: 'w:8083' },
        { id: 1, state: 'RUNNING', worker_id: 'w:8083' },
      ],
      type: 'source' as const,
    }
    const planned = await duties.planRestart({ connector: 'c1', onlyFailed: true, includeTasks: true }, status)
    assert.equal(planned.connector.state, 'RUNNING')
    assert.deepEqual(
      planned.tasks.map((t) => t.state),
      ['RESTARTING', 'RUNNING'],
    )
    const all = await duties.planRestart({ connector: 'c1', onlyFailed: false, includeTasks: false }, status)
    assert.equal(all.connector.state, 'RESTARTING')
    assert.deepEqual(
      all.tasks.map((t) => t.state),
      ['FAILED', 'RUNNING'],
    )
  })
})
