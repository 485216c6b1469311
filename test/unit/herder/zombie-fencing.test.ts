/**
 * The leader's round of zombie fencing (KIP-618), on the in-memory config store: which transactional ids are
 * fenced, when the task count record is written, and the 409 when new task configs overtake the round.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import {
  FencingConflictError,
  fenceZombieSourceTasks,
  taskTransactionalIds,
} from '../../../src/herder/zombie-fencing.ts'
import type { ConfigStore } from '../../../src/stores/config-store.ts'
import { createMemoryConfigStore, MemoryCluster } from '../../../src/stores/memory-stores.ts'
import { logger } from '../../../src/util/log.ts'

const log = logger('test')
const opened: ConfigStore[] = []
after(() => Promise.all(opened.map((s) => s.stop())))

async function storeWithTasks(count: number): Promise<ConfigStore> {
  const store = createMemoryConfigStore(new MemoryCluster())
  opened.push(store)
  await store.start()
  await store.putConnectorConfig('src', { 'connector.class': 'DemoSource', 'tasks.max': String(count) })
  await store.putTaskConfigs(
    'src',
    Array.from({ length: count }, (_, i) => ({ n: String(i) })),
  )
  return store
}

function recordingFencer(onFence?: () => Promise<void>) {
  const fenced: string[][] = []
  return {
    fenced,
    fenceProducers: async (ids: readonly string[]) => {
      fenced.push([...ids])
      await onFence?.()
    },
  }
}

describe('zombie fencing round', () => {
  test('the transactional ids of a connector are <group.id>-<connector>-<task>', () => {
    assert.deepEqual(taskTransactionalIds('g', 'src', 3), ['g-src-0', 'g-src-1', 'g-src-2'])
  })

  test('the first round fences nothing and records the task count', async () => {
    const store = await storeWithTasks(2)
    const f = recordingFencer()
    assert.equal(store.snapshot().pendingFencing('src'), true)
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    assert.deepEqual(f.fenced, [])
    assert.equal(store.snapshot().taskCountRecord('src'), 2)
    assert.equal(store.snapshot().pendingFencing('src'), false)
  })

  test('after new task configs, every id of the recorded generation is fenced before the new count is recorded', async () => {
    const store = await storeWithTasks(2)
    const f = recordingFencer()
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    await store.putTaskConfigs('src', [{ n: '0' }, { n: '1' }, { n: '2' }])
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    assert.deepEqual(f.fenced, [['g-src-0', 'g-src-1']])
    assert.equal(store.snapshot().taskCountRecord('src'), 3)
  })

  test('a round with nothing pending is a no-op', async () => {
    const store = await storeWithTasks(2)
    const f = recordingFencer()
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    assert.deepEqual(f.fenced, [])
  })

  test('one task before and one after: the new task fences its predecessor itself, so no round is needed', async () => {
    const store = await storeWithTasks(1)
    const f = recordingFencer()
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    await store.putTaskConfigs('src', [{ n: 'changed' }])
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src')
    assert.deepEqual(f.fenced, [])
    assert.equal(store.snapshot().pendingFencing('src'), false)
  })

  test('new task configs written during the round fail it with a conflict and leave the record alone', async () => {
    const store = await storeWithTasks(2)
    await fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...recordingFencer() }, 'src')
    await store.putTaskConfigs('src', [{ n: 'a' }, { n: 'b' }, { n: 'c' }])
    const f = recordingFencer(() => store.putTaskConfigs('src', [{ n: 'x' }]))
    await assert.rejects(
      fenceZombieSourceTasks({ configStore: store, groupId: 'g', log, ...f }, 'src'),
      (e: unknown) =>
        e instanceof FencingConflictError &&
        e.code === 'CONFLICT' &&
        e.message === 'Fencing failed because new task configurations were generated for the connector',
    )
    assert.equal(store.snapshot().taskCountRecord('src'), 2)
    assert.equal(store.snapshot().pendingFencing('src'), true)
  })
})
