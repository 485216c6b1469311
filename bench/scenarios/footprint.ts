/**
 * footprint: what one connect-distributed process costs, measured on the real command (bin/connect-distributed.js,
 * spawned as users run it) against the benchmark broker. Each run starts a fresh worker (its own group and
 * internal topics), then measures:
 * - start to REST-ready: from spawn until GET / answers 200, and the CPU time the process had used by then (the
 *   machines are shared: wall time varies with their load, CPU time much less);
 * - idle RSS: VmRSS of the process once it has joined its group (GET /connectors answers) and sat idle;
 * - RSS with 10 connectors: after 10 FileStreamSource connectors (one task each, on small files) are RUNNING
 *   and the worker has sat idle again.
 * The medians of --runs runs (default 5) are reported, with the range. `--java` adds one run of Apache Kafka
 * Connect's Java worker (its default -Xmx2G and Kafka's G1 flags) from the same jars, as the reference.
 * Targets (issue 7): REST-ready under 1 s, idle RSS under 80 MB, under 150 MB with 10 connectors.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startJavaConnect } from '../../tools/kafka/connect.ts'
import { freePort } from '../../tools/kafka/jvm.ts'
import type { BenchContext, ResultRow, Scenario } from '../lib/harness.ts'

const BIN = new URL('../../bin/connect-distributed.js', import.meta.url).pathname
const CONNECTORS = 10
/** How long a worker sits idle before its RSS is read: long enough for start-up garbage to be collected. */
const SETTLE_MS = 5_000

/** One run's numbers. */
interface Sample {
  readyMs: number
  /** CPU time (user + system) the process had used when REST was ready: what start-up costs on a loaded machine. */
  readyCpuMs: number
  joinedMs: number
  idleRssMB: number
  connectorsRssMB: number
  peakRssMB: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** VmRSS and VmHWM (peak) of a process in MB (10^6 bytes), from /proc. */
function rss(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMB: (kb('VmRSS') * 1024) / 1e6, peakMB: (kb('VmHWM') * 1024) / 1e6 }
}

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat(5), counted in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

async function status(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url)
    await response.arrayBuffer()
    return response.status
  } catch {
    return undefined
  }
}

/** Polls every few ms until `check` holds; fails after `timeoutMs` naming `what`. */
async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`footprint: timed out waiting for ${what}`)
    await sleep(everyMs)
  }
}

/** Creates `n` FileStreamSource connectors on small files and waits until each and its task is RUNNING. */
async function startConnectors(url: string, dir: string, prefix: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < n; i++) {
    const file = join(dir, `in-${i}.txt`)
    writeFileSync(file, 'a line\n'.repeat(100))
    const response = await fetch(`${url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `file-${i}`,
        config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic: `${prefix}-data-${i}` },
      }),
    })
    if (response.status !== 201)
      throw new Error(`footprint: create file-${i}: ${response.status} ${await response.text()}`)
  }
  await until(
    `${n} RUNNING connectors`,
    120_000,
    async () => {
      const response = await fetch(`${url}/connectors?expand=status`).catch(() => undefined)
      if (response?.status !== 200) return false
      const body = (await response.json()) as Record<
        string,
        { status: { connector: { state: string }; tasks: { state: string }[] } }
      >
      const all = Object.values(body)
      return (
        all.length === n &&
        all.every((c) => c.status.connector.state === 'RUNNING' && c.status.tasks.some((t) => t.state === 'RUNNING'))
      )
    },
    200,
  )
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

/** One run of tsconnect's command. */
async function runTsconnect(ctx: BenchContext, run: number, dir: string): Promise<Sample> {
  const port = await freePort()
  const prefix = ctx.topicName(`footprint-${run}`)
  const url = `http://127.0.0.1:${port}`
  const props = join(dir, `worker-${run}.properties`)
  const properties: Record<string, string> = {
    'bootstrap.servers': ctx.bootstrap,
    'group.id': prefix,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'config.storage.topic': `${prefix}-configs`,
    'offset.storage.topic': `${prefix}-offsets`,
    'status.storage.topic': `${prefix}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    listeners: url,
  }
  writeFileSync(
    props,
    Object.entries(properties)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  )
  let stderr = ''
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, props], {
    env: { ...process.env, TSCONNECT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('footprint: the command did not start')
  try {
    const alive = () => {
      if (child.exitCode !== null) throw new Error(`footprint: the worker exited ${child.exitCode}: ${stderr}`)
    }
    await until('GET / to answer', 60_000, async () => {
      alive()
      return (await status(`${url}/`)) === 200
    })
    const readyMs = performance.now() - started
    const readyCpuMs = cpuMs(pid)
    // GET /connectors answers once the herder has joined its group and read the config topic.
    await until('the worker to join its group', 60_000, async () => (await status(`${url}/connectors`)) === 200)
    const joinedMs = performance.now() - started
    await sleep(SETTLE_MS)
    const idle = rss(pid)
    await startConnectors(url, join(dir, `files-${run}`), prefix, CONNECTORS)
    await sleep(SETTLE_MS)
    const busy = rss(pid)
    return {
      readyMs,
      readyCpuMs,
      joinedMs,
      idleRssMB: idle.rssMB,
      connectorsRssMB: busy.rssMB,
      peakRssMB: busy.peakMB,
    }
  } finally {
    await stopChild(child)
  }
}

/** One run of Java Connect with its default heap; REST-ready is its own "Kafka Connect started" plus /connectors. */
async function runJava(ctx: BenchContext, dir: string): Promise<Sample> {
  const prefix = ctx.topicName('footprint-java')
  const started = performance.now()
  const worker = await startJavaConnect({
    bootstrap: ctx.bootstrap,
    dir: join(dir, 'java'),
    groupId: prefix,
    // Java Connect's stock JVM settings: KAFKA_HEAP_OPTS' -Xmx2G and Kafka's G1 flags (the harness starts at -Xms64m).
    heap: '2g',
    profile: 'performance',
    install: ctx.install,
  })
  try {
    const readyMs = performance.now() - started
    const readyCpuMs = cpuMs(worker.pid)
    await sleep(SETTLE_MS)
    const idle = rss(worker.pid)
    await startConnectors(worker.url, join(dir, 'files-java'), prefix, CONNECTORS)
    await sleep(SETTLE_MS)
    const busy = rss(worker.pid)
    return {
      readyMs,
      readyCpuMs,
      joinedMs: readyMs,
      idleRssMB: idle.rssMB,
      connectorsRssMB: busy.rssMB,
      peakRssMB: busy.peakMB,
    }
  } finally {
    await worker.stop()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function row(subject: string, samples: Sample[]): ResultRow {
  const stat = (pick: (s: Sample) => number) => {
    const values = samples.map(pick)
    return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
  }
  const ready = stat((s) => s.readyMs)
  const idle = stat((s) => s.idleRssMB)
  const busy = stat((s) => s.connectorsRssMB)
  return {
    subject,
    recordSize: 0,
    records: samples.length,
    seconds: ready.median / 1000,
    extra: {
      runs: samples.length,
      'ready ms': Math.round(ready.median),
      'ready ms min-max': `${Math.round(ready.min)}-${Math.round(ready.max)}`,
      'ready CPU ms': Math.round(stat((s) => s.readyCpuMs).median),
      'joined ms': Math.round(stat((s) => s.joinedMs).median),
      'idle RSS MB': Math.round(idle.median),
      'idle RSS MB min-max': `${Math.round(idle.min)}-${Math.round(idle.max)}`,
      [`RSS MB, ${CONNECTORS} connectors`]: Math.round(busy.median),
      [`RSS MB, ${CONNECTORS} connectors, min-max`]: `${Math.round(busy.min)}-${Math.round(busy.max)}`,
      'peak RSS MB': Math.round(stat((s) => s.peakRssMB).median),
      samples: JSON.stringify(
        samples.map((s) => [Math.round(s.readyMs), Math.round(s.readyCpuMs), Math.round(s.idleRssMB)]),
      ),
    },
  }
}

export const footprint: Scenario = {
  name: 'footprint',
  print: (rows) => printFootprint(rows),
  description: `connect-distributed: start to REST-ready, idle RSS, RSS with ${CONNECTORS} FileStreamSource connectors (--runs N, --java)`,
  async run(ctx) {
    const runs = Number(ctx.options.runs ?? 5)
    const dir = mkdtempSync(join(tmpdir(), 'bench-footprint-'))
    try {
      const samples: Sample[] = []
      for (let i = 0; i < runs; i++) {
        ctx.progress(`tsconnect run ${i + 1} of ${runs}`)
        const sample = await runTsconnect(ctx, i, dir)
        ctx.progress(
          `ready ${Math.round(sample.readyMs)} ms (CPU ${Math.round(sample.readyCpuMs)} ms), joined ${Math.round(sample.joinedMs)} ms, idle ${sample.idleRssMB.toFixed(1)} MB, ${CONNECTORS} connectors ${sample.connectorsRssMB.toFixed(1)} MB`,
        )
        samples.push(sample)
      }
      const rows = [row('tsconnect connect-distributed', samples)]
      if (ctx.options.java) {
        ctx.progress('Java Connect, one run')
        rows.push(row('Java Connect', [await runJava(ctx, dir)]))
      }
      return rows
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

/** Prints the footprint rows: one line per subject, the medians against the issue's targets. */
export function printFootprint(rows: ResultRow[]): void {
  const columns = [
    'ready ms',
    'ready CPU ms',
    'joined ms',
    'idle RSS MB',
    `RSS MB, ${CONNECTORS} connectors`,
    'peak RSS MB',
  ]
  const targets = ['< 1000', '', '', '< 80', '< 150', '']
  const width = Math.max(...rows.map((r) => r.subject.length), 'target'.length)
  const cells = (label: string, values: string[]) =>
    `${label.padEnd(width)}  ${values.map((v, i) => v.padStart(columns[i]?.length ?? 0)).join('  ')}`
  console.log(cells('subject', columns))
  for (const r of rows)
    console.log(
      cells(
        r.subject,
        columns.map((c) => String(r.extra?.[c] ?? '')),
      ),
    )
  console.log(cells('target', targets))
  for (const r of rows) {
    console.log(
      `${r.subject}: ${r.extra?.runs} runs; ready ${r.extra?.['ready ms min-max']} ms, idle ${r.extra?.['idle RSS MB min-max']} MB, ${CONNECTORS} connectors ${r.extra?.[`RSS MB, ${CONNECTORS} connectors, min-max`]} MB`,
    )
  }
}
