/**
 * Exactly-once source (KIP-618) on real connect-distributed processes: a numbered sequence (the example
 * SequenceSource, loaded through plugin.path) runs while the worker that runs its task is killed with -9, twice,
 * and restarted. With exactly.once.source.support=enabled a read_committed consumer then sees every number exactly
 * once; with it disabled the same run loses nothing but may repeat numbers (at-least-once), which it reports.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { KafkaTopicLog } from '../../../src/kafka/topic-log.ts'
import { KafkaBasedLog } from '../../../src/stores/kafka-based-log.ts'
import { advertisedUrl, propertiesFile, type Run, run } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const PLUGIN_PATH = new URL('../../../examples/sequence-connector', import.meta.url).pathname

interface Worker {
  run: Run
  url: string
  id: string
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string; trace?: string }[]
}

const started: Worker[] = []
after(() => {
  for (const w of started) if (w.run.child.exitCode === null) w.run.child.kill('SIGKILL')
})

async function startWorker(props: Record<string, string>): Promise<Worker> {
  const r = run([propertiesFile(props)])
  const url = await advertisedUrl(r)
  await until('GET /connectors answers', 30_000, async () =>
    (await http(`${url}/connectors`)).status === 200 ? true : undefined,
  )
  const w = { run: r, url, id: new URL(url).host }
  started.push(w)
  return w
}

async function status(w: Worker, name: string): Promise<Status | undefined> {
  const r = await http(`${w.url}/connectors/${name}/status`).catch(() => undefined)
  return r?.status === 200 ? (r.body as Status) : undefined
}

/** Waits until a live worker reports the task RUNNING on a live worker; answers that worker. */
async function taskRunningOn(live: readonly Worker[], name: string, timeoutMs: number): Promise<Worker> {
  return until(`${name}'s task RUNNING on a live worker`, timeoutMs, async () => {
    const s = await status(live[0] as Worker, name)
    const t = s?.tasks[0]
    if (t?.state === 'FAILED') throw new Error(`the task failed: ${t.trace}`)
    return t?.state === 'RUNNING' ? live.find((w) => w.id === t.worker_id) : undefined
  })
}

/** Every sequence number in the topic, in order, as a read_committed consumer sees them. */
async function committedNumbers(topic: string): Promise<number[]> {
  const seen: number[] = []
  const log = new KafkaBasedLog({
    transport: new KafkaTopicLog({
      topic,
      consumerProps: { 'bootstrap.servers': testBootstrap(), 'client.id': uniqueName('eos-reader') },
      producerProps: { 'bootstrap.servers': testBootstrap() },
      readCommitted: true,
    }),
    onRecord: (r) => {
      const value = JSON.parse((r.value as Buffer).toString('utf8')) as { payload: { seq: number } }
      seen.push(value.payload.seq)
    },
  })
  await log.start()
  await log.stop()
  return seen
}

/** How many numbers were repeated; fails if any number below the highest is missing. */
function checkNoLoss(numbers: readonly number[]): { count: number; duplicates: number } {
  const distinct = new Set(numbers)
  const max = Math.max(...numbers)
  const missing = []
  for (let i = 0; i <= max; i++) if (!distinct.has(i)) missing.push(i)
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} numbers are missing`)
  return { count: distinct.size, duplicates: numbers.length - distinct.size }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs the sequence across two kill -9 of its task's worker; answers the numbers a read_committed reader sees. */
async function sequenceThroughKills(eos: 'enabled' | 'disabled'): Promise<number[]> {
  const props = clusterProperties({
    'exactly.once.source.support': eos,
    'plugin.path': PLUGIN_PATH,
    'session.timeout.ms': '6000',
    'scheduled.rebalance.max.delay.ms': '2000',
    // At-least-once commits offsets every 2 s, so a kill -9 repeats up to 2 s of numbers.
    'offset.flush.interval.ms': '2000',
  })
  const topic = uniqueName(`sequence-${eos}`)
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
  await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
  await admin.close()
  let live: Worker[] = await Promise.all([startWorker(props), startWorker(props), startWorker(props)])
  const created = await http(`${(live[0] as Worker).url}/connectors`, 'POST', {
    name: 'seq',
    config: {
      'connector.class': 'SequenceSource',
      topic,
      'batch.size': '20',
      'poll.interval.ms': '20',
    },
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  for (let kill = 0; kill < 2; kill++) {
    const owner = await taskRunningOn(live, 'seq', 60_000)
    await sleep(3000)
    owner.run.child.kill('SIGKILL')
    await owner.run.exit
    live = live.filter((w) => w !== owner)
    live.push(await startWorker(props))
  }
  await taskRunningOn(live, 'seq', 60_000)
  await sleep(3000)
  const stopped = await http(`${(live[0] as Worker).url}/connectors/seq/stop`, 'PUT')
  assert.equal(stopped.status, 204, JSON.stringify(stopped.body))
  await until('seq STOPPED', 30_000, async () => {
    const s = await status(live[0] as Worker, 'seq')
    return s?.connector.state === 'STOPPED' && s.tasks.length === 0 ? true : undefined
  })
  for (const w of live) w.run.child.kill('SIGTERM')
  await Promise.all(live.map((w) => w.run.exit))
  return committedNumbers(topic)
}

describe('exactly-once source across kill -9 of the worker running the task', () => {
  test('with exactly.once.source.support=enabled a read_committed reader sees every number exactly once', async () => {
    const numbers = await sequenceThroughKills('enabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# exactly-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
    assert.equal(duplicates, 0)
  })

  test('with it disabled the same run loses nothing and reports its duplicates (at-least-once)', async () => {
    const numbers = await sequenceThroughKills('disabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# at-least-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
  })
})
