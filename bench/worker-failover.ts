/**
 * Failover of real connect-distributed processes with default settings (issue 10's targets, measured rather than
 * asserted by tests): 3 workers, 10 FileStreamSink connectors with 3 tasks each (30 tasks); one worker is killed
 * with SIGKILL (kill -9) or stopped with SIGTERM, and the time until a survivor's REST status shows every connector
 * and task RUNNING on the survivors is taken. session.timeout.ms, heartbeat.interval.ms and
 * scheduled.rebalance.max.delay.ms are left at their defaults (10000, 3000, not set: tsconnect's policy).
 *
 * Then a rolling restart of the 3 workers, each with a group.instance.id: SIGTERM, start again, wait until all
 * runs again; how many connectors and tasks ended up on another worker (0 expected) and each worker's downtime.
 *
 * `node_modules/.bin/node bench/worker-failover.ts [--bootstrap host:port] [--runs N] [--only rolling]`
 * Without --bootstrap a private single-broker Kafka is started (broker defaults, but
 * group.initial.rebalance.delay.ms=0 as in tests).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { KafkaTopicAdmin } from '../src/kafka/topic-admin.ts'
import { LocalKafka } from '../tools/kafka/cluster.ts'

const { values } = parseArgs({
  options: { bootstrap: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } },
})
const runs = Number(values.runs ?? 3)
const CONNECTORS = 10
const TASKS = 3
const BIN = new URL('../bin/connect-distributed.js', import.meta.url).pathname

const dir = mkdtempSync(join(tmpdir(), 'bench-worker-failover-'))
let kafka: LocalKafka | undefined
let bootstrap = values.bootstrap
if (!bootstrap) {
  kafka = await LocalKafka.start({ dir: join(dir, 'kafka') })
  bootstrap = kafka.bootstrap
}

interface Proc {
  child: ChildProcess
  url: Promise<string>
  exit: Promise<unknown>
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { state: string; worker_id: string }[]
}

function startWorker(props: Record<string, string>, n: number): Proc {
  const file = join(dir, `worker-${n}-${Math.random().toString(36).slice(2)}.properties`)
  writeFileSync(
    file,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  )
  const child = spawn(process.execPath, [BIN, file], {
    env: { ...process.env, TSCONNECT_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let out = ''
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /"advertisedUrl":"([^"]+)"/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.on('exit', () => reject(new Error('the worker exited before it advertised its URL')))
  })
  url.catch(() => {})
  return { child, url, exit: new Promise((resolve) => child.on('exit', resolve)) }
}

async function get(url: string): Promise<unknown> {
  try {
    const r = await fetch(url)
    return r.status === 200 ? await r.json() : undefined
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until every connector and task is RUNNING on the given workers (as `via` reports); answers the time. */
async function allRunningOn(via: string, names: string[], ids: Set<string>, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    let ok = true
    for (const name of names) {
      const s = (await get(`${via}/connectors/${name}/status`)) as Status | undefined
      if (
        s?.connector.state !== 'RUNNING' ||
        !ids.has(s.connector.worker_id) ||
        s.tasks.length !== TASKS ||
        s.tasks.some((t) => t.state !== 'RUNNING' || !ids.has(t.worker_id))
      ) {
        ok = false
        break
      }
    }
    if (ok) return Date.now() - started
    await sleep(100)
  }
  throw new Error(`not all RUNNING within ${timeoutMs} ms`)
}

interface Cluster {
  procs: Proc[]
  urls: string[]
  names: string[]
  props: (n: number) => Record<string, string>
}

/** 3 workers (worker n with `perWorker(n)` on top) running every connector and task. */
async function cluster(id: string, perWorker: (n: number) => Record<string, string> = () => ({})): Promise<Cluster> {
  const base = {
    'bootstrap.servers': bootstrap as string,
    'group.id': `bench-failover-${id}`,
    'config.storage.topic': `bench-failover-configs-${id}`,
    'offset.storage.topic': `bench-failover-offsets-${id}`,
    'status.storage.topic': `bench-failover-status-${id}`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    listeners: 'http://127.0.0.1:0',
  }
  const props = (n: number) => ({ ...base, ...perWorker(n) })
  const topic = `bench-failover-lines-${id}`
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': bootstrap as string })
  await admin.createTopic({ name: topic, partitions: TASKS, replicationFactor: 1, configs: {} })
  await admin.close()
  const procs = [0, 1, 2].map((n) => startWorker(props(n), n))
  const urls = await Promise.all(procs.map((p) => p.url))
  const names = Array.from({ length: CONNECTORS }, (_, i) => `sink-${i}`)
  for (const name of names) {
    const config = {
      'connector.class': 'FileStreamSink',
      'tasks.max': String(TASKS),
      file: join(dir, `${id}-${name}.txt`),
      topics: topic,
    }
    for (;;) {
      const r = await fetch(`${urls[0]}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, config }),
      }).catch(() => undefined)
      if (r?.status === 201 || r?.status === 409) break
      await sleep(200)
    }
  }
  await allRunningOn(urls[0] as string, names, new Set(urls.map((u) => new URL(u).host)), 120_000)
  await sleep(2_000)
  return { procs, urls, names, props }
}

async function stopAll(c: Cluster): Promise<void> {
  for (const p of c.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM')
  await Promise.all(c.procs.map((p) => p.exit))
}

async function once(signal: 'SIGKILL' | 'SIGTERM', run: number): Promise<number> {
  const c = await cluster(`${process.pid}-${signal}-${run}`)
  try {
    const victim = 1
    const survivors = new Set(c.urls.filter((_, i) => i !== victim).map((u) => new URL(u).host))
    const t0 = Date.now()
    c.procs[victim]?.child.kill(signal)
    await allRunningOn(c.urls[0] as string, c.names, survivors, 120_000)
    return Date.now() - t0
  } finally {
    await stopAll(c)
  }
}

/** Who runs what, by worker number: `connector` or `connector-task` → n. */
async function owners(c: Cluster, via: string): Promise<Map<string, number>> {
  const byId = new Map(c.urls.map((u, n) => [new URL(u).host, n]))
  const out = new Map<string, number>()
  for (const name of c.names) {
    const s = (await get(`${via}/connectors/${name}/status`)) as Status & { tasks: { id: number }[] }
    out.set(name, byId.get(s.connector.worker_id) ?? -1)
    for (const t of s.tasks) out.set(`${name}-${t.id}`, byId.get(t.worker_id) ?? -1)
  }
  return out
}

/** Rolling restart (SIGTERM, start again) of the 3 workers with group.instance.id: moved items and downtimes. */
async function rolling(run: number): Promise<{ moved: number; downtimes: number[] }> {
  const c = await cluster(`${process.pid}-rolling-${run}`, (n) => ({ 'group.instance.id': `worker-${n}` }))
  try {
    const before = await owners(c, c.urls[0] as string)
    const downtimes: number[] = []
    for (const n of [0, 1, 2]) {
      const t0 = Date.now()
      c.procs[n]?.child.kill('SIGTERM')
      await c.procs[n]?.exit
      const again = startWorker(c.props(n), n)
      c.procs[n] = again
      c.urls[n] = await again.url
      await allRunningOn(c.urls[(n + 1) % 3] as string, c.names, new Set(c.urls.map((u) => new URL(u).host)), 60_000)
      downtimes.push(Date.now() - t0)
    }
    const after = await owners(c, c.urls[0] as string)
    let moved = 0
    for (const [item, owner] of before) if (after.get(item) !== owner) moved++
    return { moved, downtimes }
  } finally {
    await stopAll(c)
  }
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  return `median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms (${ms.join(', ')})`
}

try {
  for (const signal of values.only === 'rolling' ? [] : (['SIGKILL', 'SIGTERM'] as const)) {
    const times: number[] = []
    for (let i = 0; i < runs; i++) times.push(await once(signal, i))
    console.log(
      `${signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} of 1 of 3 workers, ${CONNECTORS} connectors / ${CONNECTORS * TASKS} tasks, defaults: ${stats(times)}`,
    )
  }
  for (let i = 0; i < runs; i++) {
    const r = await rolling(i)
    console.log(
      `rolling restart of 3 workers with group.instance.id: ${r.moved} of ${CONNECTORS * (TASKS + 1)} connectors and tasks moved; per worker, SIGTERM to all RUNNING again: ${r.downtimes.join(', ')} ms`,
    )
  }
} finally {
  await kafka?.stop()
  rmSync(dir, { recursive: true, force: true })
}
