/**
 * Connect clusters for the side-by-side benchmarks: the same worker properties, the same connector configs and the
 * same REST calls against tsconnect (connect-distributed processes) and Apache Kafka Connect (Java workers from the
 * same jars as the broker). A scenario asks for a runtime by name and never branches on it after start-up.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startJavaConnect } from '../../tools/kafka/connect.ts'
import { freePort } from '../../tools/kafka/jvm.ts'
import {
  type ConnectProcess,
  killConnect,
  restReady,
  spawnConnect,
  stopConnect,
  writeProperties,
} from '../../tools/tsconnect-process.ts'
import type { BenchContext } from './harness.ts'

/** The two runtimes compared. */
export type Runtime = 'tsconnect' | 'java'

/** Display names of the runtimes, as the tables show them. */
export const RUNTIME_LABEL: Record<Runtime, string> = { tsconnect: 'tsconnect', java: 'Java Connect' }

/** One running worker of either runtime. */
export interface ConnectNode {
  runtime: Runtime
  /** REST base URL. */
  url: string
  /** worker_id in statuses: host:port of the advertised URL. */
  id: string
  pid: number
  logFile: string
  /** Milliseconds from spawn to REST-ready. */
  startMs: number
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>
  /** kill -9. */
  kill(): Promise<void>
}

/** A group of workers sharing group.id and internal topics. */
export interface ClusterSpec {
  runtime: Runtime
  /** Folder for properties and logs. */
  dir: string
  groupId: string
  /** Worker properties on top of the common ones (same for both runtimes). */
  properties?: Record<string, string>
  /** Replication factor of the internal topics (3 on a 3-broker cluster). */
  replication?: number
  /** Extra plugin.path entries for tsconnect (Java's holds the Kafka plugins). */
  tsconnectPluginPath?: string
}

let nodeCounter = 0

/** Worker properties common to both runtimes. */
function commonProperties(ctx: BenchContext, spec: ClusterSpec): Record<string, string> {
  const rf = String(spec.replication ?? 1)
  return {
    'bootstrap.servers': ctx.bootstrap,
    'group.id': spec.groupId,
    'config.storage.topic': `${spec.groupId}-configs`,
    'offset.storage.topic': `${spec.groupId}-offsets`,
    'status.storage.topic': `${spec.groupId}-status`,
    'config.storage.replication.factor': rf,
    'offset.storage.replication.factor': rf,
    'status.storage.replication.factor': rf,
    'offset.storage.partitions': '5',
    'status.storage.partitions': '5',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '1000',
    ...spec.properties,
  }
}

/** Starts one worker of the cluster `spec` describes; `port` fixes its REST port (a restart keeps its identity). */
export async function startNode(ctx: BenchContext, spec: ClusterSpec, port?: number): Promise<ConnectNode> {
  mkdirSync(spec.dir, { recursive: true })
  const n = ++nodeCounter
  const props = commonProperties(ctx, spec)
  const started = Date.now()
  if (spec.runtime === 'java') {
    const w = await startJavaConnect({
      bootstrap: ctx.bootstrap,
      dir: join(spec.dir, `java-${n}`),
      groupId: spec.groupId,
      profile: 'performance',
      heap: '512m',
      install: ctx.install,
      properties: props,
      ...(port !== undefined ? { port } : {}),
      startTimeoutMs: 180_000,
    })
    return {
      runtime: 'java',
      url: w.url,
      id: new URL(w.url).host,
      pid: w.pid,
      logFile: w.logFile,
      startMs: Date.now() - started,
      stop: w.stop,
      kill: w.kill,
    }
  }
  const restPort = port ?? (await freePort())
  const file = writeProperties(join(spec.dir, `tsconnect-${n}.properties`), {
    ...props,
    listeners: `http://127.0.0.1:${restPort}`,
    ...(spec.tsconnectPluginPath ? { 'plugin.path': spec.tsconnectPluginPath } : {}),
  })
  const logFile = join(spec.dir, `tsconnect-${n}.log`)
  const p: ConnectProcess = spawnConnect([file], { logFile })
  const url = `http://127.0.0.1:${restPort}`
  try {
    await restReady(p, url, 60_000)
  } catch (error) {
    await killConnect(p)
    throw error
  }
  return {
    runtime: 'tsconnect',
    url,
    id: new URL(url).host,
    pid: p.child.pid ?? 0,
    logFile,
    startMs: Date.now() - started,
    stop: async () => {
      await stopConnect(p)
    },
    kill: () => killConnect(p),
  }
}

/** Starts `count` workers of one cluster together. */
export function startCluster(ctx: BenchContext, spec: ClusterSpec, count: number): Promise<ConnectNode[]> {
  return Promise.all(Array.from({ length: count }, () => startNode(ctx, spec)))
}

/** Stops every worker still running (kill -9: the cluster is thrown away). */
export async function destroyCluster(nodes: readonly ConnectNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.kill()))
}

/** A REST call; answers status and parsed body (undefined when the worker does not answer). */
export async function rest(
  url: string,
  method = 'GET',
  body?: unknown,
  timeoutMs = 30_000,
): Promise<{ status: number; body: unknown }> {
  try {
    const r = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await r.text()
    let parsed: unknown = text
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {}
    return { status: r.status, body: parsed }
  } catch {
    return { status: 0, body: undefined }
  }
}

/**
 * Creates a connector, retrying while the cluster answers that it is rebalancing (409), is not reachable or
 * forwards to a leader that is not ready (5xx), as a deployment script would.
 */
export async function createConnector(url: string, name: string, config: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const r = await rest(`${url}/connectors`, 'POST', { name, config })
    if (r.status === 201) return
    if (r.status === 409 && JSON.stringify(r.body).includes('already exists')) return
    if (Date.now() > deadline || (r.status >= 400 && r.status < 500 && r.status !== 409)) {
      throw new Error(`POST ${url}/connectors ${name}: ${r.status} ${JSON.stringify(r.body)}`)
    }
    await sleep(250)
  }
}

/** A connector's status, as GET /connectors/<name>/status answers it. */
export interface ConnectorStatus {
  name: string
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string; trace?: string }[]
}

/** Statuses of the named connectors from one worker; a missing one is left out. */
export async function statuses(url: string, names: readonly string[], concurrency = 16): Promise<ConnectorStatus[]> {
  const out: ConnectorStatus[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, names.length) }, async () => {
      while (next < names.length) {
        const name = names[next++] as string
        const r = await rest(`${url}/connectors/${encodeURIComponent(name)}/status`, 'GET', undefined, 10_000)
        if (r.status === 200) out.push(r.body as ConnectorStatus)
      }
    }),
  )
  return out
}

/** How much of the expected work runs, and where. */
export interface WorkCount {
  connectorsRunning: number
  tasksRunning: number
  /** Tasks RUNNING on a worker of `on` (all RUNNING tasks when `on` is not given). */
  tasksRunningOn: number
  failed: string[]
  /** task key "<connector>-<id>" → worker_id, for RUNNING tasks. */
  placement: Map<string, string>
}

/** Counts RUNNING connectors and tasks in `list`, only on the workers `on` names when given. */
export function countWork(list: readonly ConnectorStatus[], on?: ReadonlySet<string>): WorkCount {
  const count: WorkCount = {
    connectorsRunning: 0,
    tasksRunning: 0,
    tasksRunningOn: 0,
    failed: [],
    placement: new Map(),
  }
  for (const s of list) {
    if (s.connector.state === 'RUNNING' && (!on || on.has(s.connector.worker_id))) count.connectorsRunning++
    for (const t of s.tasks) {
      if (t.state === 'FAILED') count.failed.push(`${s.name}-${t.id}: ${t.trace?.split('\n')[0] ?? ''}`)
      if (t.state !== 'RUNNING') continue
      count.tasksRunning++
      count.placement.set(`${s.name}-${t.id}`, t.worker_id)
      if (!on || on.has(t.worker_id)) count.tasksRunningOn++
    }
  }
  return count
}

/**
 * Polls `url` until every named connector and `tasks` tasks are RUNNING (on the workers `on` names, when given);
 * answers the milliseconds from `since`. Calls `progress` every few seconds for long waits.
 */
export async function waitAllRunning(opts: {
  url: string | (() => string)
  names: readonly string[]
  tasks: number
  on?: ReadonlySet<string>
  since?: number
  timeoutMs: number
  pollMs?: number
  progress?: (message: string) => void
}): Promise<number> {
  const since = opts.since ?? Date.now()
  let lastReport = Date.now()
  for (;;) {
    const url = typeof opts.url === 'function' ? opts.url() : opts.url
    const c = countWork(await statuses(url, opts.names), opts.on)
    if (c.connectorsRunning === opts.names.length && c.tasksRunningOn >= opts.tasks) return Date.now() - since
    const elapsed = Date.now() - since
    if (elapsed > opts.timeoutMs) {
      throw new Error(
        `after ${Math.round(elapsed / 1000)} s: ${c.connectorsRunning}/${opts.names.length} connectors and ` +
          `${c.tasksRunningOn}/${opts.tasks} tasks RUNNING${c.failed.length ? `; failed: ${c.failed.slice(0, 3).join('; ')}` : ''}`,
      )
    }
    if (opts.progress && Date.now() - lastReport >= 5000) {
      lastReport = Date.now()
      opts.progress(
        `  ${Math.round(elapsed / 1000)} s: ${c.connectorsRunning}/${opts.names.length} connectors, ` +
          `${c.tasksRunningOn}/${opts.tasks} tasks RUNNING`,
      )
    }
    await sleep(opts.pollMs ?? 250)
  }
}

/**
 * The REST URL of the group's leader, as the worker last logged it (tsconnect: `"leaderUrl":"http://..."`, Java:
 * `leaderUrl='http://.../'`); undefined when the log names none yet.
 */
export function loggedLeaderUrl(node: ConnectNode): string | undefined {
  let text = ''
  try {
    text = readFileSync(node.logFile, 'utf8')
  } catch {
    return undefined
  }
  const matches = [...text.matchAll(/leaderUrl["=:']+(http:\/\/[^'"/]+)/g)]
  return matches.at(-1)?.[1]
}
