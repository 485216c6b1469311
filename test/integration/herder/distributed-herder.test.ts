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

/** An explicit scheduled.rebalance.max.delay.ms far longer than any hand-over may take. */
const LONG_DELAY_MS = 120_000

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

  test('connectors and tasks spread over three workers, and state changes show in status on every worker', async () => {
    const workers = await cluster(3)
    const [a, b, c] = workers as [TestHerder, TestHerder, TestHerder]
    for (const name of ['s1', 's2', 's3']) {
      const r = await http(`${a.url}/connectors`, 'POST', { name, config: source(name, 2) })
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
    await until('all running', 30_000, async () => {
      for (const name of ['s1', 's2', 's3']) if (!(await allRunning(c, name, 2))) return undefined
      return true
    })
    await until('work spread evenly', 30_000, async () => {
      const loads = workers.map((w) => w.worker().runningConnectors().length + w.worker().runningTasks().length)
      return loads.every((l) => l === 3) ? loads : undefined
    })

    assert.equal((await http(`${b.url}/connectors/s1/pause`, 'PUT')).status, 202)
    for (const w of workers) {
      await until('s1 paused everywhere', 20_000, async () => {
        const s = await status(w, 's1')
        return s?.connector.state === 'PAUSED' && s.tasks.every((t) => t.state === 'PAUSED') ? true : undefined
      })
    }
    assert.equal((await http(`${c.url}/connectors/s1/resume`, 'PUT')).status, 202)
    await until('s1 running again', 20_000, () => allRunning(a, 's1', 2))

    assert.equal((await http(`${c.url}/connectors/s2/stop`, 'PUT')).status, 204)
    for (const w of workers) {
      await until('s2 stopped everywhere', 20_000, async () => {
        const s = await status(w, 's2')
        return s?.connector.state === 'STOPPED' && s.tasks.length === 0 ? true : undefined
      })
    }
    const offsets = await http(`${b.url}/connectors/s2/offsets`, 'DELETE')
    assert.equal(offsets.status, 200, JSON.stringify(offsets.body))
    assert.equal((await http(`${b.url}/connectors/s1/offsets`, 'DELETE')).status, 400)
    assert.equal((await http(`${a.url}/connectors/s2/resume`, 'PUT')).status, 202)
    await until('s2 running again with its tasks', 30_000, () => allRunning(b, 's2', 2))

    assert.equal((await http(`${b.url}/connectors/s3`, 'DELETE')).status, 204)
    for (const w of workers) {
      await until('s3 gone everywhere', 20_000, async () => {
        const list = (await http(`${w.url}/connectors`)).body as string[]
        const st = await http(`${w.url}/connectors/s3/status`)
        return !list.includes('s3') && st.status === 404 ? true : undefined
      })
    }
    await until('nobody runs s3', 20_000, async () =>
      workers.every(
        (w) =>
          !w.worker().runningConnectors().includes('s3') &&
          w
            .worker()
            .runningTasks()
            .every((t) => t.connector !== 's3'),
      )
        ? true
        : undefined,
    )
  })

  test('a worker that stops cleanly hands its work over at once, without waiting an explicit scheduled delay', async () => {
    // Java would keep the work UNASSIGNED for the whole delay: the leader sees the worker gone, not its release.
    const workers = await cluster(2, { 'scheduled.rebalance.max.delay.ms': String(LONG_DELAY_MS) })
    // The leader stays: a new leader would start from a clean slate and assign everything anyway.
    const a = workers.find((w) => w.herder.core.isLeader) as TestHerder
    const b = workers.find((w) => w !== a) as TestHerder
    for (const name of ['h1', 'h2']) {
      assert.equal((await http(`${a.url}/connectors`, 'POST', { name, config: source(name, 1) })).status, 201)
    }
    await until('both workers busy', 30_000, async () =>
      workers.every((w) => w.worker().runningConnectors().length + w.worker().runningTasks().length === 2)
        ? true
        : undefined,
    )
    const stopped = Date.now()
    await b.stop()
    running.splice(running.indexOf(b), 1)
    await until('the survivor runs everything', LONG_DELAY_MS / 2, async () => {
      const worker = a.worker()
      return worker.runningConnectors().length === 2 && worker.runningTasks().length === 2 ? true : undefined
    })
    for (const name of ['h1', 'h2']) {
      const s = await until(`${name} running on the survivor`, 20_000, async () => {
        const st = await allRunning(a, name, 1)
        return st?.connector.worker_id === a.herder.core.worker?.workerId ? st : undefined
      })
      assert.ok(s.tasks.every((t) => t.worker_id === a.herder.core.worker?.workerId))
    }
    console.log(
      `# clean stop hand-over with scheduled.rebalance.max.delay.ms=${LONG_DELAY_MS}: ${Date.now() - stopped} ms`,
    )
  })

  test('with scheduled.rebalance.max.delay.ms not set, the work of a worker that dies moves after the session timeout', async () => {
    const workers = await cluster(2)
    const [a, b] = workers as [TestHerder, TestHerder]
    const victim = b.herder.core.isLeader ? b : a
    const survivor = victim === a ? b : a
    for (const name of ['k1', 'k2']) {
      assert.equal((await http(`${survivor.url}/connectors`, 'POST', { name, config: source(name, 1) })).status, 201)
    }
    await until('both workers busy', 30_000, async () =>
      workers.every((w) => w.worker().runningConnectors().length + w.worker().runningTasks().length === 2)
        ? true
        : undefined,
    )
    const crashed = Date.now()
    await victim.crash()
    running.splice(running.indexOf(victim), 1)
    await until('the survivor runs everything', 30_000, async () => {
      const worker = survivor.worker()
      return worker.runningConnectors().length === 2 && worker.runningTasks().length === 2 ? true : undefined
    })
    console.log(`# failover after a crash (session.timeout.ms=6000, delay not set): ${Date.now() - crashed} ms`)
    assert.ok(survivor.herder.core.isLeader)
    for (const name of ['k1', 'k2']) await until(`${name} running`, 20_000, () => allRunning(survivor, name, 1))
  })

  for (const role of ['a follower', 'the leader'] as const) {
    test(`${role} with a stable identity (group.instance.id) that restarts gets its own work back, with no rebalance`, async () => {
      // The restarted worker must be back within session.timeout.ms; 20 s leaves room on a loaded machine.
      const props = clusterProperties({ 'session.timeout.ms': '20000', 'rebalance.timeout.ms': '20000' })
      const identity = (i: number) => ({ ...props, 'group.instance.id': `${props['group.id']}-worker-${i}` })
      const workers: TestHerder[] = []
      for (const i of [0, 1, 2]) {
        const w = await startTestHerder(identity(i))
        running.push(w)
        workers.push(w)
      }
      for (const name of ['s1', 's2', 's3']) {
        assert.equal(
          (await http(`${workers[0]?.url}/connectors`, 'POST', { name, config: source(name, 2) })).status,
          201,
        )
      }
      const load = (w: TestHerder) => ({
        connectors: w.worker().runningConnectors().sort(),
        tasks: w
          .worker()
          .runningTasks()
          .map((t) => `${t.connector}-${t.task}`)
          .sort(),
      })
      await until('9 connectors and tasks spread and settled', 30_000, async () =>
        workers.every((w) => !w.herder.core.rebalancing && load(w).connectors.length + load(w).tasks.length === 3)
          ? true
          : undefined,
      )
      const index = workers.findIndex((w) => w.herder.core.isLeader === (role === 'the leader'))
      const victim = workers[index] as TestHerder
      const others = workers.filter((w) => w !== victim)
      const before = load(victim)
      const generation = victim.herder.core.generation
      const othersCalls = others.map((w) => w.worker().calls.length)

      await victim.stop()
      running.splice(running.indexOf(victim), 1)
      const back = await startTestHerder(identity(index))
      running.push(back)
      await until('the restarted worker runs its work again', 30_000, async () =>
        back.herder.core.ready && load(back).connectors.length + load(back).tasks.length === 3 ? true : undefined,
      ).catch((e) => {
        console.log(
          'DEBUG',
          JSON.stringify(back.herder.core.assignment, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
          back.herder.core.member?.state,
          back.worker().calls,
          before,
          generation,
        )
        throw e
      })
      assert.deepEqual(load(back), before)
      assert.equal(back.herder.core.generation, generation, 'no new generation: the broker did not rebalance')
      for (const [i, w] of others.entries()) {
        assert.equal(w.herder.core.generation, generation)
        assert.deepEqual(w.worker().calls.slice(othersCalls[i]), [], 'nothing stopped or started on the other workers')
      }
      assert.equal(back.herder.core.isLeader, role === 'the leader')
    })
  }

  test('a request that arrives during a rebalance waits for it and completes, instead of failing with 409', async () => {
    const workers = await cluster(2)
    const leader = workers.find((w) => w.herder.core.isLeader) as TestHerder
    for (const w of workers) w.herder.core.member?.requestRejoin('the test asks for a rebalance')
    const created = await http(`${leader.url}/connectors`, 'POST', { name: 'during', config: source('during', 1) })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await until('the connector running', 30_000, () => allRunning(leader, 'during', 1))
  })

  test('the eager protocol runs the same cluster', async () => {
    const workers = await cluster(2, { 'connect.protocol': 'eager' })
    const [a, b] = workers as [TestHerder, TestHerder]
    for (const name of ['e1', 'e2']) {
      assert.equal((await http(`${b.url}/connectors`, 'POST', { name, config: source(name, 2) })).status, 201)
    }
    for (const name of ['e1', 'e2']) await until(`${name} running`, 30_000, () => allRunning(a, name, 2))
    const security = await a.herder.internalRequestSecurity()
    assert.equal(security.required, false)
  })

  test('restarts run where the work is, from any worker', async () => {
    const workers = await cluster(2)
    const [a, b] = workers as [TestHerder, TestHerder]
    assert.equal((await http(`${a.url}/connectors`, 'POST', { name: 'r1', config: source('r1', 2) })).status, 201)
    await until('r1 running', 30_000, () => allRunning(b, 'r1', 2))
    for (const w of workers) {
      const connector = await http(`${w.url}/connectors/r1/restart`, 'POST')
      assert.equal(connector.status, 204, `${w.url}: ${JSON.stringify(connector.body)}`)
      const task = await http(`${w.url}/connectors/r1/tasks/1/restart`, 'POST')
      assert.equal(task.status, 204, `${w.url}: ${JSON.stringify(task.body)}`)
    }
    const planned = await http(`${b.url}/connectors/r1/restart?includeTasks=true`, 'POST')
    assert.equal(planned.status, 202, JSON.stringify(planned.body))
    assert.equal((planned.body as Status).connector.state, 'RESTARTING')
    await until('r1 running after the restarts', 30_000, () => allRunning(a, 'r1', 2))
    // Two restarts asked directly, one through the restart request read from the config topic, after the first start.
    await until('four starts of r1', 20_000, async () => {
      const starts = workers.flatMap((w) => w.worker().calls.filter((c) => c.startsWith('startConnector r1')))
      return starts.length >= 4 ? starts : undefined
    })
    assert.equal((await http(`${a.url}/connectors/nope/restart`, 'POST')).status, 404)
  })
})
