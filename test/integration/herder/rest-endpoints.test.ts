/**
 * The REST API of a two-worker cluster, endpoint by endpoint, asked of the follower so that forwarding to the
 * leader is part of every write: status codes and bodies, errors included.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { clusterProperties, http, startTestHerder, type TestHerder, until } from '../../support/herder-cluster.ts'

let workers: TestHerder[] = []
let follower: TestHerder
let leader: TestHerder

before(async () => {
  const props = clusterProperties()
  workers = [await startTestHerder(props), await startTestHerder(props)]
  await until('a settled cluster', 30_000, async () =>
    workers.every((w) => w.herder.core.ready && !w.herder.core.rebalancing) ? true : undefined,
  )
  leader = workers.find((w) => w.herder.core.isLeader) as TestHerder
  follower = workers.find((w) => w !== leader) as TestHerder
})
after(async () => {
  await Promise.all(workers.map((w) => w.stop()))
})

const config = { 'connector.class': 'DemoSource', topic: 'demo', 'tasks.max': '2' }

async function running(name: string, tasks: number): Promise<void> {
  await until(`${name} running`, 30_000, async () => {
    const s = (await http(`${follower.url}/connectors/${name}/status`)).body as {
      connector?: { state: string }
      tasks?: { state: string }[]
    }
    return s.connector?.state === 'RUNNING' && s.tasks?.length === tasks && s.tasks.every((t) => t.state === 'RUNNING')
      ? true
      : undefined
  })
}

describe('the REST API of a cluster', () => {
  test('GET / and GET /health', async () => {
    const root = await http(`${follower.url}/`)
    assert.equal(root.status, 200)
    assert.deepEqual(Object.keys(root.body as object).sort(), ['commit', 'kafka_cluster_id', 'version'])
    const health = await http(`${follower.url}/health`)
    assert.equal(health.status, 200)
  })

  test('connector config: PUT creates (201) then replaces (200), PATCH merges, GET answers', async () => {
    const created = await http(`${follower.url}/connectors/cfg/config`, 'PUT', config)
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await running('cfg', 2)
    const replaced = await http(`${follower.url}/connectors/cfg/config`, 'PUT', { ...config, 'tasks.max': '1' })
    assert.equal(replaced.status, 200)
    await running('cfg', 1)
    const patched = await http(`${follower.url}/connectors/cfg/config`, 'PATCH', { topic: 'patched' })
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    const got = await http(`${leader.url}/connectors/cfg/config`)
    assert.deepEqual(got.body, { ...config, 'tasks.max': '1', topic: 'patched', name: 'cfg' })
    const info = await http(`${follower.url}/connectors/cfg`)
    assert.equal((info.body as { type: string }).type, 'source')
    const bad = await http(`${follower.url}/connectors/cfg/config`, 'PUT', { ...config, 'tasks.max': 'many' })
    assert.equal(bad.status, 400)
    assert.equal((await http(`${follower.url}/connectors/none/config`)).status, 404)
    assert.equal((await http(`${follower.url}/connectors/none/config`, 'PATCH', { a: 'b' })).status, 404)
  })

  test('listing with expand=status and expand=info', async () => {
    await http(`${follower.url}/connectors`, 'POST', { name: 'listed', config })
    await running('listed', 2)
    const r = await http(`${follower.url}/connectors?expand=status&expand=info`)
    assert.equal(r.status, 200)
    const listed = (r.body as Record<string, { status: { tasks: unknown[] }; info: { tasks: unknown[] } }>).listed
    assert.equal(listed?.status.tasks.length, 2)
    assert.equal(listed?.info.tasks.length, 2)
  })

  test('tasks: configs, the deprecated tasks-config, status; unknown ones are 404', async () => {
    await http(`${follower.url}/connectors`, 'POST', { name: 'tasks', config })
    await running('tasks', 2)
    const tasks = await http(`${follower.url}/connectors/tasks/tasks`)
    assert.deepEqual(
      (tasks.body as { id: unknown }[]).map((t) => t.id),
      [
        { connector: 'tasks', task: 0 },
        { connector: 'tasks', task: 1 },
      ],
    )
    const legacy = await http(`${follower.url}/connectors/tasks/tasks-config`)
    assert.deepEqual(Object.keys(legacy.body as object), ['tasks-0', 'tasks-1'])
    const status = await http(`${follower.url}/connectors/tasks/tasks/1/status`)
    assert.equal((status.body as { state: string }).state, 'RUNNING')
    assert.equal((await http(`${follower.url}/connectors/tasks/tasks/7/status`)).status, 404)
    assert.equal((await http(`${follower.url}/connectors/tasks/tasks/7/restart`, 'POST')).status, 404)
  })

  test('topics and their reset', async () => {
    const topics = await http(`${follower.url}/connectors/tasks/topics`)
    assert.deepEqual(topics, { status: 200, body: { tasks: { topics: [] } } })
    assert.equal((await http(`${follower.url}/connectors/tasks/topics/reset`, 'PUT')).status, 202)
  })

  test('offsets: GET; PATCH and DELETE only once STOPPED', async () => {
    await http(`${follower.url}/connectors`, 'POST', { name: 'offs', config })
    await running('offs', 2)
    assert.deepEqual(await http(`${follower.url}/connectors/offs/offsets`), { status: 200, body: { offsets: [] } })
    const offsets = { offsets: [{ partition: { file: 'a' }, offset: { position: 4 } }] }
    const early = await http(`${follower.url}/connectors/offs/offsets`, 'PATCH', offsets)
    assert.equal(early.status, 400)
    assert.match((early.body as { message: string }).message, /must be in the STOPPED state/)
    assert.equal((await http(`${follower.url}/connectors/offs/stop`, 'PUT')).status, 204)
    await until('stopped', 20_000, async () =>
      ((await http(`${follower.url}/connectors/offs/status`)).body as { connector: { state: string } }).connector
        .state === 'STOPPED'
        ? true
        : undefined,
    )
    const altered = await http(`${follower.url}/connectors/offs/offsets`, 'PATCH', offsets)
    assert.equal(altered.status, 200, JSON.stringify(altered.body))
    assert.match((altered.body as { message: string }).message, /have been altered successfully/)
    const read = await http(`${leader.url}/connectors/offs/offsets`)
    assert.equal(read.status, 200)
  })

  test('plugins: the list, one plugin config, and validation', async () => {
    const connectors = await http(`${follower.url}/connector-plugins`)
    assert.deepEqual(
      (connectors.body as { class: string; type: string }[]).map((p) => [p.class, p.type]),
      [
        ['DemoSinkConnector', 'sink'],
        ['DemoSourceConnector', 'source'],
      ],
    )
    const definition = await http(`${follower.url}/connector-plugins/DemoSource/config`)
    assert.equal((definition.body as { name: string }[])[0]?.name, 'topic')
    assert.equal((await http(`${follower.url}/connector-plugins/Nope/config`)).status, 404)
    const validated = await http(`${follower.url}/connector-plugins/DemoSource/config/validate`, 'PUT', {
      'connector.class': 'DemoSource',
      name: 'v',
    })
    assert.equal(validated.status, 200)
    assert.equal((validated.body as { error_count: number }).error_count, 1)
  })

  test('log levels, on one worker and on the whole cluster', async () => {
    const worker = await http(`${follower.url}/admin/loggers/herder`, 'PUT', { level: 'DEBUG' })
    assert.deepEqual(worker, { status: 200, body: ['herder'] })
    assert.equal(((await http(`${follower.url}/admin/loggers/herder`)).body as { level: string }).level, 'DEBUG')
    assert.equal((await http(`${leader.url}/admin/loggers/herder`)).status, 404)
    assert.equal(
      (await http(`${follower.url}/admin/loggers/stores?scope=cluster`, 'PUT', { level: 'WARN' })).status,
      204,
    )
    await until('the cluster level on the leader', 20_000, async () => {
      const r = await http(`${leader.url}/admin/loggers/stores`)
      return (r.body as { level?: string }).level === 'WARN' ? true : undefined
    })
  })
  test("Java's runtime logger names: read, set on the cluster, and listed", async () => {
    const sinkTask = 'org.apache.kafka.connect.runtime.WorkerSinkTask'
    const read = await http(`${leader.url}/admin/loggers/${sinkTask}`)
    assert.equal(read.status, 200, JSON.stringify(read.body))
    assert.equal(
      (await http(`${leader.url}/admin/loggers/${sinkTask}?scope=cluster`, 'PUT', { level: 'TRACE' })).status,
      204,
    )
    for (const w of [leader, follower]) {
      await until(`the Java logger's level on ${w.url}`, 20_000, async () => {
        const r = await http(`${w.url}/admin/loggers/${sinkTask}`)
        return (r.body as { level?: string }).level === 'TRACE' ? true : undefined
      })
      const all = (await http(`${w.url}/admin/loggers`)).body as Record<string, { level: string }>
      assert.equal(all[sinkTask]?.level, 'TRACE')
      assert.equal(all.worker?.level, 'TRACE', 'the component that logs the sink tasks')
    }
  })
})
