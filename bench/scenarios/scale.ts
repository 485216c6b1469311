/**
 * Scale: 3 tsconnect workers, 1,000 connectors of 5 tasks (5,000 tasks) of an idle source connector loaded through
 * plugin.path (bench/fixtures/idle-connector), timing:
 * - create: POST /connectors for every connector (8 at a time, spread over the workers), until the last 201;
 * - assign: from the first POST until the status topic shows every task RUNNING;
 * - list: GET /connectors (the whole list), and a REST status sweep of every connector (16 requests at a time);
 * - rebalance: a 4th worker joins; from its start, and from its REST-ready, until the status topic shows every
 *   task RUNNING again and has been quiet for 2 s (the quiet 2 s are not counted), and how many tasks restarted.
 *
 * tsconnect only: Java Connect would need a connector of its own with idle tasks (none ships with the jars; its
 * VerifiableSource produces), and 5,000 Java tasks would not fit this machine's memory beside the rest.
 * `--connectors N --tasks M` (tasks per connector) change the size; the defaults are the 1,000 x 5.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type ClusterSpec,
  type ConnectNode,
  destroyCluster,
  rest,
  startCluster,
  startNode,
  statuses,
} from '../lib/connect.ts'
import { boundLine, printGrid, type ResultRow, type Scenario } from '../lib/harness.ts'
import { StatusTopicReader } from '../lib/status-topic.ts'

/** A process's resident set size in MB, from /proc (0 when it cannot be read). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return Math.round(Number(kb ?? 0) / 1024)
  } catch {
    return 0
  }
}

const FIXTURE = new URL('../fixtures/idle-connector', import.meta.url).pathname

async function waitTasks(
  reader: StatusTopicReader,
  tasks: number,
  timeoutMs: number,
  progress: (m: string) => void,
): Promise<void> {
  const started = Date.now()
  let lastReport = Date.now()
  for (;;) {
    await reader.read()
    const running = reader.tasksRunning()
    if (running >= tasks) return
    if (Date.now() - started > timeoutMs) throw new Error(`${running}/${tasks} tasks RUNNING after ${timeoutMs} ms`)
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now()
      progress(`  ${Math.round((Date.now() - started) / 1000)} s: ${running}/${tasks} tasks RUNNING`)
    }
    await sleep(200)
  }
}

export const scale: Scenario = {
  name: 'scale',
  description: 'tsconnect: 1,000 connectors / 5,000 tasks on 3 workers: create, assign, list, rebalance times',
  async run(ctx) {
    const connectors = Number(ctx.options.connectors ?? 1000)
    const perConnector = Number(ctx.options.tasks ?? 5)
    const tasks = connectors * perConnector
    const groupId = ctx.topicName('scale')
    const spec: ClusterSpec = {
      runtime: 'tsconnect',
      dir: join(ctx.dir, groupId),
      groupId,
      tsconnectPluginPath: FIXTURE,
      // 5,000 statuses and task configs: more partitions spread the status writes.
      properties: { 'status.storage.partitions': '5', 'offset.storage.partitions': '5' },
    }
    ctx.progress('starting 3 tsconnect workers')
    const nodes: ConnectNode[] = await startCluster(ctx, spec, 3)
    const reader = new StatusTopicReader(ctx, `${groupId}-status`)
    try {
      const names = Array.from({ length: connectors }, (_, i) => `idle-${i}`)
      ctx.progress(`creating ${connectors} connectors of ${perConnector} tasks`)
      const started = Date.now()
      let next = 0
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < names.length) {
            const i = next++
            const node = nodes[i % nodes.length] as ConnectNode
            const config = { 'connector.class': 'bench.IdleSourceConnector', 'tasks.max': String(perConnector) }
            for (;;) {
              const r = await rest(`${node.url}/connectors`, 'POST', { name: names[i], config }, 120_000)
              if (r.status === 201) break
              // A POST that timed out (500) may still have written the config: the retry then finds it there.
              if (r.status === 409 && JSON.stringify(r.body).includes('already exists')) break
              if (r.status >= 400 && r.status < 500 && r.status !== 409) {
                throw new Error(`POST ${names[i]}: ${r.status} ${JSON.stringify(r.body)}`)
              }
              await sleep(200)
            }
            if (i > 0 && i % 100 === 0) ctx.progress(`  ${i} connectors created`)
          }
        }),
      )
      const createMs = Date.now() - started
      ctx.progress(`created in ${createMs} ms; waiting for ${tasks} tasks RUNNING`)
      await waitTasks(reader, tasks, 900_000, ctx.progress)
      const assignMs = Date.now() - started

      const first = nodes[0] as ConnectNode
      let t = Date.now()
      const list = await rest(`${first.url}/connectors`)
      const listMs = Date.now() - t
      if (!Array.isArray(list.body) || list.body.length !== connectors) {
        throw new Error(`GET /connectors listed ${Array.isArray(list.body) ? list.body.length : list.status}`)
      }
      t = Date.now()
      const sweep = await statuses(first.url, names)
      const sweepMs = Date.now() - t
      const rssMB = nodes.map((n) => rssOf(n.pid)).join(' / ')

      ctx.progress('a 4th worker joins')
      await reader.read()
      const joinStarted = Date.now()
      const fourth = await startNode(ctx, spec)
      ctx.progress(`the 4th worker answers at ${fourth.url}`)
      nodes.push(fourth)
      const ready = Date.now()
      let lastChange = Date.now()
      let restarted = new Set<string>()
      let lastReport = Date.now()
      for (;;) {
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now()
          ctx.progress(
            `  ${Math.round((Date.now() - joinStarted) / 1000)} s: ${reader.tasksRunning()}/${tasks} RUNNING`,
          )
        }
        const records = await reader.read()
        const changes = records.filter((r) => r.key.startsWith('status-task-'))
        if (changes.length > 0) lastChange = Date.now()
        restarted = new Set([...restarted, ...changes.filter((r) => r.state === 'RUNNING').map((r) => r.key)])
        if (reader.tasksRunning() >= tasks && Date.now() - lastChange >= 2000) break
        if (Date.now() - joinStarted > 600_000) throw new Error('no settled rebalance within 10 minutes of the join')
        await sleep(100)
      }
      const onNew = [...reader.latest.values()].filter(
        (r) => r.key.startsWith('status-task-') && r.workerId === fourth.id,
      )
      const row = (subject: string, ms: number, extra: Record<string, number | string> = {}): ResultRow => ({
        subject,
        recordSize: 0,
        records: tasks,
        seconds: ms / 1000,
        extra: { connectors, tasks, ...extra },
      })
      return [
        row('create (POST every connector)', createMs),
        row('assign (first POST to every task RUNNING)', assignMs),
        row('GET /connectors', listMs),
        row('status of every connector through REST', sweepMs, { answered: sweep.length }),
        row('RSS of each worker (MB) with every task RUNNING', 0, { rssMB }),
        row('rebalance on join, from the 4th worker start', lastChange - joinStarted, {
          restarted: restarted.size,
          onNew: onNew.length,
        }),
        row('rebalance on join, from its REST-ready', Math.max(0, lastChange - ready), {
          restarted: restarted.size,
          onNew: onNew.length,
        }),
      ]
    } finally {
      await reader.close()
      await destroyCluster(nodes)
    }
  },
  print(rows) {
    const first = rows[0]
    console.log(`tsconnect, ${first?.extra?.connectors} connectors, ${first?.extra?.tasks} tasks, 3 workers (+1)\n`)
    printGrid(
      ['step', 'seconds', 'notes'],
      rows.map((r) => [
        r.subject,
        r.seconds.toFixed(2),
        r.extra?.restarted !== undefined
          ? `${r.extra.restarted} tasks restarted, ${r.extra.onNew} now on the 4th worker`
          : r.extra?.answered !== undefined
            ? `${r.extra.answered} answered`
            : r.extra?.rssMB !== undefined
              ? String(r.extra.rssMB)
              : '',
      ]),
    )
    const rebalance = rows.find((r) => r.subject.startsWith('rebalance on join, from its REST'))
    if (rebalance) console.log(boundLine('tsconnect rebalance (join of a 4th worker)', rebalance.seconds, 2, 's'))
    console.log('Java Connect: not measured at this scale (see the scenario notes in docs/benchmarks.md)')
  },
}
