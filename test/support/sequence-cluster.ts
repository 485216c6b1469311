/**
 * connect-distributed processes running the example SequenceSource (plugin.path), for the exactly-once tests:
 * start and kill workers, find the worker that runs the task or leads, and read the numbers a topic holds as a
 * read_committed consumer sees them.
 */
import assert from 'node:assert/strict'
import { after } from 'node:test'
import { KafkaTopicLog } from '../../src/kafka/topic-log.ts'
import { KafkaBasedLog } from '../../src/stores/kafka-based-log.ts'
import { advertisedUrl, propertiesFile, type Run, run } from './connect-process.ts'
import { http, until } from './herder-cluster.ts'
import { uniqueName } from './kafka.ts'

/** The plugin.path of the example SequenceSource. */
export const SEQUENCE_PLUGIN_PATH = new URL('../../connectors/sequence', import.meta.url).pathname

/** A started worker process. */
export interface SequenceWorker {
  run: Run
  url: string
  /** The worker_id in statuses. */
  id: string
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string; trace?: string }[]
}

const started: SequenceWorker[] = []
after(() => {
  for (const w of started) if (w.run.child.exitCode === null) w.run.child.kill('SIGKILL')
})

/**
 * Starts a worker (through `wrapper`, e.g. `ip netns exec <ns>`) and waits until its REST API answers, for up to
 * `timeoutMs` per step.
 */
export async function startWorker(
  props: Record<string, string>,
  wrapper: readonly string[] = [],
  timeoutMs = 30_000,
): Promise<SequenceWorker> {
  const r = run([propertiesFile(props)], {}, wrapper)
  const url = await advertisedUrl(r, timeoutMs)
  await until('GET /connectors answers', timeoutMs, async () =>
    (await http(`${url}/connectors`).catch(() => undefined))?.status === 200 ? true : undefined,
  )
  const w = { run: r, url, id: new URL(url).host }
  started.push(w)
  return w
}

/** Kills a worker with SIGKILL and waits until it is gone. */
export async function killWorker(w: SequenceWorker): Promise<void> {
  w.run.child.kill('SIGKILL')
  await w.run.exit
}

async function status(w: SequenceWorker, name: string): Promise<Status | undefined> {
  const r = await http(`${w.url}/connectors/${name}/status`).catch(() => undefined)
  return r?.status === 200 ? (r.body as Status) : undefined
}

/** Waits until a live worker reports task 0 RUNNING on a live worker; answers that worker. Fails on FAILED. */
export function taskRunningOn(live: readonly SequenceWorker[], name: string, timeoutMs: number) {
  return until(`${name}'s task RUNNING on a live worker`, timeoutMs, async () => {
    for (const w of live) {
      const t = (await status(w, name))?.tasks[0]
      if (t?.state === 'FAILED') throw new Error(`the task failed: ${t.trace}`)
      const owner = t?.state === 'RUNNING' ? live.find((x) => x.id === t.worker_id) : undefined
      if (owner) return owner
    }
    return undefined
  })
}

/** The worker that says it leads the group, from the last assignment it logged. */
export function leaderOf(live: readonly SequenceWorker[]): SequenceWorker | undefined {
  return live.find((w) => {
    const lines = w.run
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"msg":"Joined group and got assignment"'))
    return lines.at(-1)?.includes('"leader":true') ?? false
  })
}

/** Creates the sequence connector `name` writing to `topic` through `w`. */
export async function createSequence(w: SequenceWorker, name: string, topic: string): Promise<void> {
  const created = await http(`${w.url}/connectors`, 'POST', {
    name,
    config: { 'connector.class': 'SequenceSource', topic, 'batch.size': '20', 'poll.interval.ms': '20' },
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
}

/** Stops the connector (its task commits and stops) and waits until it is STOPPED. */
export async function stopConnector(live: readonly SequenceWorker[], name: string): Promise<void> {
  await until(`${name} stopped`, 60_000, async () => {
    for (const w of live) {
      const r = await http(`${w.url}/connectors/${name}/stop`, 'PUT').catch(() => undefined)
      if (r?.status === 204) return true
    }
    return undefined
  })
  await until(`${name} STOPPED`, 60_000, async () => {
    const s = await status(live[0] as SequenceWorker, name)
    return s?.connector.state === 'STOPPED' && s.tasks.length === 0 ? true : undefined
  })
}

/** Every sequence number in the topic, in order, as a read_committed consumer sees them. */
export async function committedNumbers(bootstrap: string, topic: string): Promise<number[]> {
  const seen: number[] = []
  const log = new KafkaBasedLog({
    transport: new KafkaTopicLog({
      topic,
      consumerProps: { 'bootstrap.servers': bootstrap, 'client.id': uniqueName('eos-reader') },
      producerProps: { 'bootstrap.servers': bootstrap },
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

/** How many distinct numbers and how many repeats; fails if a number below the highest is missing. */
export function checkNoLoss(numbers: readonly number[]): { count: number; duplicates: number } {
  const distinct = new Set(numbers)
  const max = Math.max(-1, ...numbers)
  const missing: number[] = []
  for (let i = 0; i <= max; i++) if (!distinct.has(i)) missing.push(i)
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} numbers are missing`)
  return { count: distinct.size, duplicates: numbers.length - distinct.size }
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
