/**
 * Distributed herders on the real broker, in one process: each with its own REST server and the worker double.
 * What users see through REST: connectors created on any worker appear on all, the leader writes task configs,
 * work spreads over the workers, state changes show in status, and a worker that leaves hands its work over.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { clusterProperties, http, startTestHerder, type TestHerder, until } from '../../support/herder-cluster.ts'

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

const running: TestHerder[] = []
after(async () => {
  await Promise.all(running.map((w) => w.stop()))
})

async function cluster(n: number, extra: Record<string, string> = {}): Promise<TestHerder[]> {
  const props = clusterProperties(extra)
  const workers: TestHerder[] = []
  for (let i = 0; i < n; i++) {
    const w = await startTestHerder(props)
    running.push(w)
    workers.push(w)
  }
  await until('every worker ready', 30_000, async () =>
    workers.every((w) => w.herder.core.ready && !w.herder.core.rebalancing) ? true : undefined,
  )
  return workers
}

function source(name: string, tasks = 2): Record<string, string> {
  return { name, 'connector.class': 'DemoSource', topic: 'demo', 'tasks.max': String(tasks) }
}

async function status(w: TestHerder, name: string): Promise<Status | undefined> {
  const r = await http(`${w.url}/connectors/${name}/status`)
  return r.status === 200 ? (r.body as Status) : undefined
}

async function allRunning(w: TestHerder, name: string, tasks: number): Promise<Status | undefined> {
  const s = await status(w, name)
  return s?.connector.state === 'RUNNING' && s.tasks.length === tasks && s.tasks.every((t) => t.state === 'RUNNING')
    ? s
    : undefined
}

describe('a cluster of distributed herders', () => {
  test('a connector created through any worker appears on all, with task configs written by the leader', async () => {
    const workers = await cluster(2)
    const follower = workers.find((w) => !w.herder.core.isLeader) as TestHerder
    const created = await http(`${follower.url}/connectors`, 'POST', { name: 'src-a', config: source('src-a') })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.deepEqual((created.body as { name: string }).name, 'src-a')

    for (const w of workers) {
      const list = await until('the connector listed', 20_000, async () => {
        const r = await http(`${w.url}/connectors`)
        return (r.body as string[]).includes('src-a') ? r.body : undefined
      })
      assert.deepEqual(list, ['src-a'])
    }
    const s = await until('the connector and its 2 tasks running', 30_000, () =>
      allRunning(workers[0] as TestHerder, 'src-a', 2),
    )
    assert.equal(s.tasks.length, 2)
    const tasks = await http(`${workers[1]?.url}/connectors/src-a/tasks`)
    assert.equal(tasks.status, 200)
    assert.deepEqual(
      (tasks.body as { id: unknown; config: Record<string, string> }[]).map((t) => t.config['task.index']),
      ['0', '1'],
    )

    const duplicate = await http(`${workers[0]?.url}/connectors`, 'POST', { name: 'src-a', config: source('src-a') })
    assert.equal(duplicate.status, 409)
    const invalid = await http(`${workers[0]?.url}/connectors`, 'POST', {
      name: 'bad',
      config: { name: 'bad', 'connector.class': 'DemoSource', 'tasks.max': '0' },
    })
    assert.equal(invalid.status, 400)
    assert.match((invalid.body as { message: string }).message, /tasks\.max/)
    assert.equal((await http(`${workers[0]?.url}/connectors/nope/status`)).status, 404)
  })
})
