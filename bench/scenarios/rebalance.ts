/**
 * Rebalance disruption: 3 workers run 10 FileStreamSink connectors of 3 tasks (30 tasks) while a producer writes
 * a steady trickle to their topic; a 4th worker joins. Counted:
 * - tasks restarted: every task with a RUNNING status written after the join (the status topic holds every
 *   transition either runtime makes, in the same bytes), split into those that moved to another worker and those
 *   that were stopped and started again where they were (the target: none);
 * - no-flow time: the longest time a connector's output file stopped growing after the join (the same measure
 *   before the join is printed as the baseline: the trickle and the sink's fetch wait leave small gaps anyway);
 * - settle time: from starting the 4th worker (and from its REST-ready, which leaves out the JVM's or Node's start)
 *   until all 30 tasks RUNNING, the new worker has some, and the placement has not changed for 5 s (not counted).
 */
import { statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { createProducer } from '../../src/kafka/clients.ts'
import { countWork, destroyCluster, RUNTIME_LABEL, type Runtime, startNode, statuses } from '../lib/connect.ts'
import { type BenchContext, printGrid, type ResultRow, type Scenario } from '../lib/harness.ts'
import { StatusTopicReader } from '../lib/status-topic.ts'
import { runtimesOf } from './connect-throughput.ts'
import { startSinkCluster } from './failover.ts'

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** Samples every file's size every 100 ms until stopped; answers per file the longest gap without growth in a window. */
function flowSampler(files: readonly string[]) {
  const growth = new Map<string, number[]>(files.map((f) => [f, []]))
  const last = new Map<string, number>(files.map((f) => [f, fileSize(f)]))
  const timer = setInterval(() => {
    const now = Date.now()
    for (const f of files) {
      const size = fileSize(f)
      if (size > (last.get(f) ?? 0)) growth.get(f)?.push(now)
      last.set(f, size)
    }
  }, 100)
  return {
    stop: () => clearInterval(timer),
    /** The longest time any file did not grow within [from, to]. */
    longestGap(from: number, to: number): number {
      let worst = 0
      for (const times of growth.values()) {
        let previous = from
        for (const t of times.filter((x) => x > from && x <= to)) {
          worst = Math.max(worst, t - previous)
          previous = t
        }
        worst = Math.max(worst, to - previous)
      }
      return worst
    },
  }
}

/** Writes ~200 records/s to the topic until aborted. */
async function trickle(ctx: BenchContext, topic: string, signal: AbortSignal): Promise<void> {
  const producer = createProducer({ 'bootstrap.servers': ctx.bootstrap, 'client.id': 'bench-trickle' })
  let n = 0
  try {
    while (!signal.aborted) {
      const messages = Array.from({ length: 20 }, () => ({ topic, value: Buffer.from(`record-${++n}`) }))
      await producer.send({ messages }).catch(() => {})
      await sleep(100)
    }
  } finally {
    await producer.close()
  }
}

async function measure(ctx: BenchContext, runtime: Runtime): Promise<ResultRow> {
  const cluster = await startSinkCluster(ctx, runtime, {}, { label: 'rebalance' })
  const stopTrickle = new AbortController()
  const producing = trickle(ctx, cluster.topic, stopTrickle.signal)
  const sampler = flowSampler([...cluster.files.values()])
  const nodes = [...cluster.nodes]
  try {
    const first = nodes[0] as (typeof nodes)[number]
    await sleep(3000) // a baseline of the flow before the join
    const before = countWork(await statuses(first.url, cluster.names)).placement
    const statusTopic = new StatusTopicReader(ctx, `${cluster.spec.groupId}-status`)
    await statusTopic.skipToEnd()
    const baselineGap = sampler.longestGap(Date.now() - 3000, Date.now())

    ctx.progress(`${RUNTIME_LABEL[runtime]}: a 4th worker joins`)
    const joined = Date.now()
    const fourth = await startNode(ctx, cluster.spec)
    const ready = Date.now()
    nodes.push(fourth)
    let stableSince = 0
    let settledAt = 0
    let placement = before
    for (;;) {
      const work = countWork(await statuses(first.url, cluster.names))
      const same =
        work.placement.size === placement.size && [...work.placement].every(([t, w]) => placement.get(t) === w)
      const complete = work.tasksRunning === cluster.tasks && [...work.placement.values()].includes(fourth.id)
      if (!same || !complete) stableSince = 0
      else if (stableSince === 0) stableSince = Date.now()
      if (!same) settledAt = Date.now()
      placement = work.placement
      if (stableSince !== 0 && Date.now() - stableSince >= 5000) break
      if (Date.now() - joined > 420_000) throw new Error('the cluster did not settle within 7 minutes of the join')
      await sleep(200)
    }
    const settleMs = settledAt - joined
    const noFlowMs = sampler.longestGap(joined, Date.now())
    const records = await statusTopic.read()
    await statusTopic.close()
    const restarted = new Set(
      records.filter((r) => r.key.startsWith('status-task-') && r.state === 'RUNNING').map((r) => r.key.slice(12)),
    )
    let moved = 0
    let stayed = 0
    for (const task of restarted) {
      if (before.get(task) === placement.get(task)) stayed++
      else moved++
    }
    const onNew = [...placement.values()].filter((w) => w === fourth.id).length
    ctx.progress(
      `${RUNTIME_LABEL[runtime]}: settled in ${settleMs} ms; ${restarted.size} tasks restarted (${moved} moved, ${stayed} in place)`,
    )
    return {
      subject: RUNTIME_LABEL[runtime],
      recordSize: 0,
      records: cluster.tasks,
      seconds: settleMs / 1000,
      extra: {
        runtime,
        restarted: restarted.size,
        moved,
        stayed,
        onNew,
        noFlowMs,
        baselineGapMs: baselineGap,
        settleFromReadyMs: Math.max(0, settledAt - ready),
        startMs: ready - joined,
      },
    }
  } finally {
    sampler.stop()
    stopTrickle.abort()
    await producing
    await destroyCluster(nodes)
  }
}

export const rebalance: Scenario = {
  name: 'rebalance',
  description: '3 workers, 30 tasks: a 4th joins; tasks restarted (moved / in place), longest no-flow, settle time',
  async run(ctx) {
    const rows: ResultRow[] = []
    for (const runtime of runtimesOf(ctx)) rows.push(await measure(ctx, runtime))
    return rows
  },
  print(rows) {
    printGrid(
      [
        'runtime',
        'worker start s',
        'settle s',
        'from ready s',
        'tasks on new',
        'restarted',
        'moved',
        'stopped in place',
        'no-flow ms',
        'baseline gap ms',
      ],
      rows.map((r) => [
        r.subject,
        (Number(r.extra?.startMs) / 1000).toFixed(1),
        r.seconds.toFixed(1),
        (Number(r.extra?.settleFromReadyMs) / 1000).toFixed(1),
        String(r.extra?.onNew),
        String(r.extra?.restarted),
        String(r.extra?.moved),
        String(r.extra?.stayed),
        String(r.extra?.noFlowMs),
        String(r.extra?.baselineGapMs),
      ]),
    )
    for (const r of rows) {
      const stayed = Number(r.extra?.stayed)
      console.log(
        `${stayed === 0 ? 'met   ' : 'MISSED'} ${r.subject}: ${stayed} tasks stopped that did not move, target none`,
      )
    }
  },
}
