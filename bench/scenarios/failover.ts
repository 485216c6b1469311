/**
 * Failover: 3 workers run 10 FileStreamSink connectors of 3 tasks each (30 tasks; FileStreamSink because both
 * runtimes ship it and it honours tasks.max, on a 3-partition topic). One worker is killed (kill -9) or stopped
 * (SIGTERM); the time counted runs from the signal until a survivor's REST API reports every connector and task
 * RUNNING on the survivors. tsconnect and Java Connect, each with its default settings and with
 * scheduled.rebalance.max.delay.ms=0.
 *
 * Java's defaults wait out scheduled.rebalance.max.delay.ms (5 min) before reassigning a departed worker's work:
 * those two cases take over 5 minutes each. `--quick` skips them; `--runtime` measures one runtime only.
 */
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type ClusterSpec,
  type ConnectNode,
  countWork,
  createConnector,
  destroyCluster,
  loggedLeaderUrl,
  RUNTIME_LABEL,
  type Runtime,
  startCluster,
  statuses,
  waitAllRunning,
} from '../lib/connect.ts'
import { type BenchContext, boundLine, printGrid, type ResultRow, type Scenario } from '../lib/harness.ts'
import { createTopic } from '../lib/raw.ts'
import { runtimesOf } from './connect-throughput.ts'

/** The settings each runtime is measured with. */
const SETTINGS: { label: string; properties: Record<string, string> }[] = [
  { label: 'defaults', properties: {} },
  { label: 'max.delay=0', properties: { 'scheduled.rebalance.max.delay.ms': '0' } },
]

const STOPS: { label: string; stop(node: ConnectNode): Promise<void> }[] = [
  { label: 'kill -9', stop: (n) => n.kill() },
  { label: 'SIGTERM', stop: (n) => n.stop() },
]

/** A cluster running sink connectors on one topic: what failover and rebalance scenarios start from. */
export interface SinkCluster {
  spec: ClusterSpec
  nodes: ConnectNode[]
  names: string[]
  tasks: number
  topic: string
  /** The file each connector writes. */
  files: Map<string, string>
}

/** Starts `workers` workers and `connectors` FileStreamSink connectors of 3 tasks, and waits until all run. */
export async function startSinkCluster(
  ctx: BenchContext,
  runtime: Runtime,
  properties: Record<string, string>,
  opts: { workers?: number; connectors?: number; label: string },
): Promise<SinkCluster> {
  const groupId = ctx.topicName(`${opts.label}-${runtime}`)
  const spec: ClusterSpec = { runtime, dir: join(ctx.dir, groupId), groupId, properties }
  const topic = `${groupId}-data`
  await createTopic(ctx, topic, 3)
  ctx.progress(`${RUNTIME_LABEL[runtime]}: starting ${opts.workers ?? 3} workers`)
  const nodes = await startCluster(ctx, spec, opts.workers ?? 3)
  const cluster: SinkCluster = { spec, nodes, names: [], tasks: 0, topic, files: new Map() }
  try {
    const count = opts.connectors ?? 10
    for (let i = 0; i < count; i++) {
      // Unique per cluster: a sink's consumer group is connect-<name>, and the killed members of an earlier
      // cluster would hold up a group of the same name until their session timed out.
      const name = `${groupId.replace(/^bench-/, '')}-sink-${i}`
      const file = join(spec.dir, `${name}.txt`)
      const node = nodes[i % nodes.length] as ConnectNode
      await createConnector(node.url, name, {
        'connector.class': 'FileStreamSink',
        'tasks.max': '3',
        topics: topic,
        file,
      })
      cluster.names.push(name)
      cluster.files.set(name, file)
    }
    cluster.tasks = count * 3
    const ms = await waitAllRunning({
      url: (nodes[0] as ConnectNode).url,
      names: cluster.names,
      tasks: cluster.tasks,
      timeoutMs: 180_000,
      progress: ctx.progress,
    })
    ctx.progress(`${RUNTIME_LABEL[runtime]}: ${count} connectors, ${cluster.tasks} tasks RUNNING (${ms} ms)`)
    // Let the group settle (follow-up rebalances, first offset commits) before anything is measured, then a random
    // part of a heartbeat interval (3 s by default): every member heartbeats in step after a rebalance, and survivors
    // notice a departure at their next heartbeat, so a fixed wait would always land the fault at the same phase.
    await sleep(3000 + Math.floor(Math.random() * 3000))
    return cluster
  } catch (error) {
    await destroyCluster(nodes)
    throw error
  }
}

async function measure(
  ctx: BenchContext,
  runtime: Runtime,
  setting: (typeof SETTINGS)[number],
  stop: (typeof STOPS)[number],
): Promise<ResultRow> {
  const cluster = await startSinkCluster(ctx, runtime, setting.properties, { label: 'failover' })
  try {
    const first = cluster.nodes[0] as ConnectNode
    const before = countWork(await statuses(first.url, cluster.names))
    // A follower: when the leader itself goes, the new leader has no memory of the old assignment and reassigns
    // at once, without the lost-work delay (in both runtimes), which is a case of its own.
    const leader = loggedLeaderUrl(first)
    const victim = cluster.nodes.filter((n) => n.url !== leader).at(-1) as ConnectNode
    const survivors = cluster.nodes.filter((n) => n !== victim)
    const observer = survivors[0] as ConnectNode
    const moved = [...before.placement.values()].filter((w) => w === victim.id).length
    ctx.progress(`${RUNTIME_LABEL[runtime]} ${setting.label}: ${stop.label} of a worker running ${moved} tasks`)
    const signalled = Date.now()
    await stop.stop(victim)
    const ms = await waitAllRunning({
      url: observer.url,
      names: cluster.names,
      tasks: cluster.tasks,
      on: new Set(survivors.map((n) => n.id)),
      since: signalled,
      timeoutMs: 420_000,
      progress: ctx.progress,
    })
    ctx.progress(`${RUNTIME_LABEL[runtime]} ${setting.label} ${stop.label}: every task RUNNING after ${ms} ms`)
    return {
      subject: `${RUNTIME_LABEL[runtime]}, ${stop.label}, ${setting.label}`,
      recordSize: 0,
      records: cluster.tasks,
      seconds: ms / 1000,
      extra: { runtime, stop: stop.label, setting: setting.label, tasksMoved: moved, leader: leader ?? 'unknown' },
    }
  } finally {
    await destroyCluster(cluster.nodes)
  }
}

export const failover: Scenario = {
  name: 'failover',
  description: '3 workers, 10 connectors, 30 tasks: kill -9 / SIGTERM one worker, seconds until all RUNNING again',
  async run(ctx) {
    const rows: ResultRow[] = []
    for (const runtime of runtimesOf(ctx)) {
      for (const setting of SETTINGS) {
        if (ctx.options.quick && runtime === 'java' && setting.label === 'defaults') {
          ctx.progress('--quick: skipping Java Connect with its defaults (over 5 minutes per case)')
          continue
        }
        for (const stop of STOPS) rows.push(await measure(ctx, runtime, setting, stop))
      }
    }
    return rows
  },
  print(rows) {
    const lines: string[][] = []
    for (const setting of SETTINGS) {
      for (const stop of STOPS) {
        const of = (runtime: Runtime) =>
          rows.find(
            (r) => r.extra?.runtime === runtime && r.extra.setting === setting.label && r.extra.stop === stop.label,
          )
        const ts = of('tsconnect')
        const java = of('java')
        lines.push([
          `${stop.label}, ${setting.label}`,
          ts ? ts.seconds.toFixed(1) : '-',
          java ? java.seconds.toFixed(1) : 'not run',
          ts && java ? `${(java.seconds / ts.seconds).toFixed(1)}x` : '',
          String(ts?.extra?.tasksMoved ?? java?.extra?.tasksMoved ?? ''),
        ])
      }
    }
    printGrid(['case', 'tsconnect s', 'Java Connect s', 'Java/tsconnect', 'tasks moved'], lines)
    const kill = rows.find(
      (r) => r.extra?.runtime === 'tsconnect' && r.extra.setting === 'defaults' && r.extra.stop === 'kill -9',
    )
    const term = rows.find(
      (r) => r.extra?.runtime === 'tsconnect' && r.extra.setting === 'defaults' && r.extra.stop === 'SIGTERM',
    )
    if (kill) console.log(boundLine('tsconnect failover after kill -9, defaults', kill.seconds, 15, 's'))
    if (term) console.log(boundLine('tsconnect failover after SIGTERM, defaults', term.seconds, 3, 's'))
  },
}
