/**
 * A cluster of 3 connect-distributed processes on the real broker, driven through their REST APIs as users drive
 * one: a FileStreamSource → topic → FileStreamSink pipeline created through different workers (the sink before its
 * topic exists: it waits, RUNNING); pause, resume, stop, restart and delete seen on every worker; kill -9 and
 * SIGTERM of the worker running the source task move its work to the survivors without losing a line.
 *
 * session.timeout.ms is 6000 (the shared broker's group.min.session.timeout.ms) and scheduled.rebalance.max.delay.ms
 * is not set (tsconnect's default: lost work is reassigned as soon as it is found lost), so failover after kill -9
 * must come within the session timeout plus a margin; a SIGTERM hands the work over without waiting for it.
 */
import assert from 'node:assert/strict'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { type Run, startDistributed, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const SESSION_TIMEOUT_MS = 6000
/** Margin for the rejoin, the rebalance and starting the tasks on a loaded 2-core machine. */
const MARGIN_MS = 7000

interface Worker {
  run: Run
  url: string
  /** The worker_id in statuses (host:port of the advertised URL). */
  id: string
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

const dir = testDir()
const input = join(dir, 'cluster-in.txt')
const output = join(dir, 'cluster-out.txt')
const topic = uniqueName('cluster-lines')
const props = clusterProperties({
  'session.timeout.ms': String(SESSION_TIMEOUT_MS),
  // Short commit intervals keep the duplicates a failover may cause few.
  'offset.flush.interval.ms': '500',
})
const workers: Worker[] = []
after(() => {
  for (const w of workers) if (w.run.child.exitCode === null) w.run.child.kill('SIGKILL')
})

let written = 0
/** Appends `n` new numbered lines to the source file; answers them. */
function writeLines(n: number): string[] {
  const lines = Array.from({ length: n }, () => `line-${++written}`)
  appendFileSync(input, `${lines.join('\n')}\n`)
  return lines
}

const sinkLines = () =>
  existsSync(output)
    ? readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : []

/** Waits until every line written so far is in the sink file (duplicates allowed); answers how long it took. */
async function allLinesArrive(timeoutMs: number): Promise<number> {
  const started = Date.now()
  const expected = Array.from({ length: written }, (_, i) => `line-${i + 1}`)
  await until(`all ${written} lines in the sink file`, timeoutMs, async () => {
    const seen = new Set(sinkLines())
    return expected.every((l) => seen.has(l)) ? true : undefined
  })
  return Date.now() - started
}

async function status(w: Worker, name: string): Promise<Status | undefined> {
  const r = await http(`${w.url}/connectors/${name}/status`)
  return r.status === 200 ? (r.body as Status) : undefined
}

/** Waits until every given worker reports the connector and its tasks in `state`. */
async function stateOnEvery(ws: readonly Worker[], name: string, state: string, timeoutMs = 20_000): Promise<void> {
  await until(`${name} ${state} on every worker`, timeoutMs, async () => {
    for (const w of ws) {
      const s = await status(w, name)
      if (s?.connector.state !== state || s.tasks.length === 0 || s.tasks.some((t) => t.state !== state)) {
        return undefined
      }
    }
    return true
  })
}

/** Waits until the connector and its tasks are RUNNING on survivors only, as every survivor reports. */
async function runningOn(survivors: readonly Worker[], name: string, timeoutMs: number): Promise<Status> {
  const ids = new Set(survivors.map((w) => w.id))
  let last: Status | undefined
  await until(`${name} RUNNING on the survivors`, timeoutMs, async () => {
    for (const w of survivors) {
      const s = await status(w, name)
      const ok =
        s?.connector.state === 'RUNNING' &&
        ids.has(s.connector.worker_id) &&
        s.tasks.length > 0 &&
        s.tasks.every((t) => t.state === 'RUNNING' && ids.has(t.worker_id))
      if (!ok) return undefined
      last = s
    }
    return true
  })
  return last as Status
}

async function start(): Promise<Worker> {
  const { run, url, id } = await startDistributed(props)
  return { run, url, id }
}

async function create(w: Worker, name: string, config: Record<string, string>): Promise<void> {
  const r = await http(`${w.url}/connectors`, 'POST', { name, config })
  assert.equal(r.status, 201, JSON.stringify(r.body))
}

/** The worker running the connector's first task. */
async function taskOwner(name: string): Promise<Worker> {
  const s = (await status(workers[0] as Worker, name)) as Status
  const owner = workers.find((w) => w.id === s.tasks[0]?.worker_id)
  assert.ok(owner, `no worker runs ${name}: ${JSON.stringify(s)}`)
  return owner
}

describe('a cluster of 3 connect-distributed processes', () => {
  test('forms, and moves a FileStream pipeline created through different workers end to end', async () => {
    workers.push(...(await Promise.all([start(), start(), start()])))
    const [a, b, c] = workers as [Worker, Worker, Worker]
    writeFileSync(input, '')
    writeLines(5)

    // The sink comes first, on a topic that does not exist yet: its task waits, RUNNING, as Java's does.
    await create(b, 'sink', { 'connector.class': 'FileStreamSink', file: output, topics: topic })
    await stateOnEvery(workers, 'sink', 'RUNNING')
    // It stays RUNNING across its metadata re-checks (every 3 s while the topic is missing).
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 500))
      const s = await status(a, 'sink')
      assert.equal(s?.tasks[0]?.state, 'RUNNING', JSON.stringify(s))
    }

    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()
    await create(c, 'source', { 'connector.class': 'FileStreamSource', file: input, topic })
    await stateOnEvery(workers, 'source', 'RUNNING')
    const ms = await allLinesArrive(30_000)
    console.log(`# cluster: the first lines reached the sink file ${ms} ms after the source was RUNNING`)
    for (const w of workers) {
      const r = await http(`${w.url}/connectors`)
      assert.deepEqual((r.body as string[]).sort(), ['sink', 'source'])
    }
    assert.ok(a.url !== b.url && b.url !== c.url)
  })

  test('pause, resume, stop, restart and delete show in status on every worker', async () => {
    const [a, b, c] = workers as [Worker, Worker, Worker]
    assert.equal((await http(`${a.url}/connectors/sink/pause`, 'PUT')).status, 202)
    await stateOnEvery(workers, 'sink', 'PAUSED')
    writeLines(3)
    assert.equal((await http(`${b.url}/connectors/sink/resume`, 'PUT')).status, 202)
    await stateOnEvery(workers, 'sink', 'RUNNING')
    await allLinesArrive(20_000)

    assert.equal((await http(`${c.url}/connectors/sink/stop`, 'PUT')).status, 204)
    await until('sink STOPPED (no tasks) on every worker', 20_000, async () => {
      for (const w of workers) {
        const s = await status(w, 'sink')
        if (s?.connector.state !== 'STOPPED' || s.tasks.length !== 0) return undefined
      }
      return true
    })
    assert.equal((await http(`${a.url}/connectors/sink/resume`, 'PUT')).status, 202)
    await stateOnEvery(workers, 'sink', 'RUNNING')

    const restarted = await http(`${b.url}/connectors/sink/restart?includeTasks=true`, 'POST')
    assert.ok([200, 202, 204].includes(restarted.status), JSON.stringify(restarted.body))
    await stateOnEvery(workers, 'sink', 'RUNNING')
    writeLines(3)
    await allLinesArrive(20_000)

    const extra = join(dir, 'extra-out.txt')
    await create(c, 'doomed', { 'connector.class': 'FileStreamSink', file: extra, topics: topic })
    await stateOnEvery(workers, 'doomed', 'RUNNING')
    assert.equal((await http(`${a.url}/connectors/doomed`, 'DELETE')).status, 204)
    await until('doomed gone from every worker', 20_000, async () => {
      for (const w of workers) {
        if ((await http(`${w.url}/connectors/doomed/status`)).status !== 404) return undefined
        if (((await http(`${w.url}/connectors`)).body as string[]).includes('doomed')) return undefined
      }
      return true
    })
  })

  test('kill -9 of the worker running the source task: its work runs on the survivors in time, no line lost', async () => {
    const victim = await taskOwner('source')
    const survivors = workers.filter((w) => w !== victim)
    const moved = (await status(victim, 'sink'))?.tasks[0]?.worker_id === victim.id ? ['sink'] : []
    const killed = Date.now()
    victim.run.child.kill('SIGKILL')
    await victim.run.exit
    writeLines(5)
    const bound = SESSION_TIMEOUT_MS + MARGIN_MS
    await runningOn(survivors, 'source', bound)
    for (const name of moved) await runningOn(survivors, name, bound - (Date.now() - killed))
    const failoverMs = Date.now() - killed
    console.log(
      `# cluster: kill -9 failover ${failoverMs} ms (session.timeout.ms ${SESSION_TIMEOUT_MS}, scheduled.rebalance.max.delay.ms not set)`,
    )
    assert.ok(failoverMs <= bound, `failover took ${failoverMs} ms, over ${bound}`)
    writeLines(5)
    await allLinesArrive(30_000)
    workers.splice(workers.indexOf(victim), 1)
  })

  test('SIGTERM of a worker: its work moves and nothing is lost', async () => {
    const victim = await taskOwner('source')
    const survivor = workers.find((w) => w !== victim) as Worker
    const stopped = Date.now()
    victim.run.child.kill('SIGTERM')
    writeLines(5)
    assert.equal(await victim.run.exit, 0, victim.run.stderr())
    // Well under the session timeout: the stopping worker leaves, and its released work is reassigned at once.
    await runningOn([survivor], 'source', SESSION_TIMEOUT_MS)
    await runningOn([survivor], 'sink', SESSION_TIMEOUT_MS)
    const failoverMs = Date.now() - stopped
    console.log(`# cluster: SIGTERM failover ${failoverMs} ms (a clean leave: no session timeout to wait for)`)
    writeLines(5)
    const ms = await allLinesArrive(30_000)
    const lines = sinkLines()
    console.log(
      `# cluster: ${written} lines written, ${lines.length} in the sink file (${lines.length - written} duplicates); caught up ${ms} ms after`,
    )
    workers.splice(workers.indexOf(victim), 1)
  })
})
