/**
 * Failover of real connect-distributed processes with default settings (issue 10's targets, measured rather than
 * asserted by tests): 3 workers, 10 FileStreamSink connectors with 3 tasks each (30 tasks); one worker is killed
 * with SIGKILL (kill -9) or stopped with SIGTERM, and the time until a survivor's REST status shows every connector
 * and task RUNNING on the survivors is taken. session.timeout.ms, heartbeat.interval.ms and
 * scheduled.rebalance.max.delay.ms are left at their defaults (10000, 3000, not set: tsconnect's policy).
 *
 * `node_modules/.bin/node bench/worker-failover.ts [--bootstrap host:port] [--runs N]`
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

const { values } = parseArgs({ options: { bootstrap: { type: 'string' }, runs: { type: 'string' } } })
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

async function once(signal: 'SIGKILL' | 'SIGTERM', run: number): Promise<number> {
  const id = `${process.pid}-${signal}-${run}`
  const props = {
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
  const topic = `bench-failover-lines-${id}`
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': bootstrap as string })
  await admin.createTopic({ name: topic, partitions: TASKS, replicationFactor: 1, configs: {} })
  await admin.close()
  const procs = [0, 1, 2].map((n) => startWorker(props, n))
  try {
    const urls = await Promise.all(procs.map((p) => p.url))
    const ids = urls.map((u) => new URL(u).host)
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
    await allRunningOn(urls[0] as string, names, new Set(ids), 120_000)
    await sleep(2_000)
    const victim = 1
    const survivors = new Set(ids.filter((_, i) => i !== victim))
    const t0 = Date.now()
    procs[victim]?.child.kill(signal)
    await allRunningOn(urls[0] as string, names, survivors, 120_000)
    return Date.now() - t0
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM')
    await Promise.all(procs.map((p) => p.exit))
  }
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  return `median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms (${ms.join(', ')})`
}

try {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    const times: number[] = []
    for (let i = 0; i < runs; i++) times.push(await once(signal, i))
    console.log(
      `${signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} of 1 of 3 workers, ${CONNECTORS} connectors / ${CONNECTORS * TASKS} tasks, defaults: ${stats(times)}`,
    )
  }
} finally {
  await kafka?.stop()
  rmSync(dir, { recursive: true, force: true })
}
