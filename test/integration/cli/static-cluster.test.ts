/**
 * A rolling restart of 3 connect-distributed processes that each have a stable identity (group.instance.id) and a
 * fixed REST port, while a FileStreamSource → topic → FileStreamSink pipeline runs: each worker, stopped with
 * SIGTERM and started again within its session timeout, gets its own connectors and tasks back, the other workers
 * see no rebalance, and every line reaches the sink file.
 */
import assert from 'node:assert/strict'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { freePort } from '../../../tools/kafka/jvm.ts'
import { advertisedUrl, propertiesFile, type Run, run, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

const dir = testDir()
const input = join(dir, 'static-in.txt')
const output = join(dir, 'static-out.txt')
const topic = uniqueName('static-lines')
// Room for a process to stop and start again on a loaded machine before the broker gives its place away.
const base = clusterProperties({ 'session.timeout.ms': '30000', 'offset.flush.interval.ms': '500' })
const runs: Run[] = []
after(() => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL')
})

let written = 0
function writeLines(n: number): void {
  const lines = Array.from({ length: n }, () => `line-${++written}`)
  appendFileSync(input, `${lines.join('\n')}\n`)
}

async function allLinesArrive(timeoutMs: number): Promise<void> {
  const expected = Array.from({ length: written }, (_, i) => `line-${i + 1}`)
  await until(`all ${written} lines in the sink file`, timeoutMs, async () => {
    const seen = new Set(existsSync(output) ? readFileSync(output, 'utf8').split('\n') : [])
    return expected.every((l) => seen.has(l)) ? true : undefined
  })
}

/** Who runs each connector and task (`source`, `source-0`, ...) as `url` reports, once all are RUNNING. */
async function owners(url: string): Promise<Map<string, string> | undefined> {
  const out = new Map<string, string>()
  for (const name of ['source', 'sink']) {
    const r = await http(`${url}/connectors/${name}/status`)
    const s = r.body as Status | undefined
    if (r.status !== 200 || s?.connector.state !== 'RUNNING' || s.tasks.length === 0) return undefined
    if (s.tasks.some((t) => t.state !== 'RUNNING')) return undefined
    out.set(name, s.connector.worker_id)
    for (const t of s.tasks) out.set(`${name}-${t.id}`, t.worker_id)
  }
  return out
}

const rebalances = (r: Run) => r.stdout().split('Joined group and got assignment').length - 1

/**
 * Resolves once no worker has joined the group again for `quietMs`: creating connectors ends in rebalances of its
 * own (the leader's new task configs), and one that lands after the count is read would be blamed on a restart.
 */
async function groupSettled(all: readonly Run[], quietMs: number, timeoutMs: number): Promise<void> {
  let last = all.map(rebalances).join()
  let since = Date.now()
  await until('the group settled', timeoutMs, async () => {
    const now = all.map(rebalances).join()
    if (now !== last) {
      last = now
      since = Date.now()
    }
    return Date.now() - since >= quietMs ? true : undefined
  })
}

describe('a cluster of 3 workers with stable identities', () => {
  test('a rolling restart moves no connector or task, rebalances nothing, and loses no line', async () => {
    const ports = [await freePort(), await freePort(), await freePort()]
    const props = (n: number) => ({
      ...base,
      listeners: `http://127.0.0.1:${ports[n]}`,
      'group.instance.id': `${base['group.id']}-worker-${n}`,
    })
    const start = async (n: number) => {
      const r = run([propertiesFile(props(n))])
      runs[n] = r
      await advertisedUrl(r)
      return r
    }
    await Promise.all([0, 1, 2].map(start))
    const urls = ports.map((p) => `http://127.0.0.1:${p}`)
    await until('REST on every worker', 30_000, async () => {
      for (const u of urls) if ((await http(`${u}/connectors`)).status !== 200) return undefined
      return true
    })
    writeFileSync(input, '')
    writeLines(5)
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()
    for (const [name, config] of [
      ['sink', { 'connector.class': 'FileStreamSink', file: output, topics: topic }],
      ['source', { 'connector.class': 'FileStreamSource', file: input, topic }],
    ] as const) {
      const created = await http(`${urls[0]}/connectors`, 'POST', { name, config })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    await until('the pipeline RUNNING', 30_000, () => owners(urls[0] as string))
    await allLinesArrive(30_000)
    await groupSettled(runs, 4_000, 60_000)
    const before = await until('the pipeline RUNNING', 30_000, () => owners(urls[0] as string))

    for (const n of [0, 1, 2]) {
      const others = [0, 1, 2].filter((i) => i !== n).map((i) => runs[i] as Run)
      const seen = others.map(rebalances)
      const stopping = runs[n] as Run
      stopping.child.kill('SIGTERM')
      writeLines(3)
      assert.equal(await stopping.exit, 0, stopping.stderr())
      await start(n)
      const via = urls[(n + 1) % 3] as string
      const after = await until(`worker ${n} running its work again`, 30_000, async () => {
        const now = await owners(via)
        return now && [...before].every(([item, owner]) => now.get(item) === owner) ? now : undefined
      })
      assert.deepEqual(after, before, `after restarting worker ${n}`)
      assert.deepEqual(others.map(rebalances), seen, 'the other workers saw no rebalance')
      writeLines(3)
    }
    await allLinesArrive(30_000)
  })
})
