/**
 * The connector test bench (issue 17's harness): a connector runs in real connect-distributed workers on the
 * shared broker, against whatever real service it talks to; the test kills the worker that runs its task with
 * SIGKILL at a point it chooses, then counts what the connector's records lost and repeated, by sequence number or
 * by key, with the fault drills' verifier (bench/lib/verify.ts).
 *
 * Workers come from sequence-cluster.ts (start, kill -9, find the task's worker); this adds the topic reading, the
 * kill point and the counting that every connector package's delivery test needs.
 */
import assert from 'node:assert/strict'
import { type Verdict, verifySequence } from '../../bench/lib/verify.ts'
import { createFetchClient, createProducer } from '../../src/kafka/clients.ts'
import { KafkaTopicAdmin } from '../../src/kafka/topic-admin.ts'
import { KafkaTopicLog } from '../../src/kafka/topic-log.ts'
import { KafkaBasedLog } from '../../src/stores/kafka-based-log.ts'
import { clusterProperties, http, until } from './herder-cluster.ts'
import { testBootstrap, uniqueName } from './kafka.ts'
import { killWorker, type SequenceWorker, startWorker, stopConnector, taskRunningOn } from './sequence-cluster.ts'

export type { Verdict }

/** How long a worker may take to come up: a loaded machine (all of CI's test files at once) needs more than 30 s. */
const START_MS = 90_000

/** How to start the bench. */
export interface HarnessOptions {
  /** Workers in the cluster (default 2, so a killed task's work has somewhere to go). */
  workers?: number
  /** The workers' plugin.path: a package name installed under node_modules, or a folder. */
  pluginPath?: string
  /** More worker properties (defaults: clusterProperties with a 6 s session timeout and 2 s scheduled delay). */
  props?: Record<string, string>
}

/** One record of a topic, key and value as text (null stays null). */
export interface TopicRecord {
  partition: number
  offset: number
  key: string | null
  value: string | null
  /** The record's headers, values as text. */
  headers: [string, string | null][]
}

/** Real workers of one cluster, with the kill -9 and the counting a delivery test needs. */
export class ConnectorHarness {
  readonly props: Record<string, string>
  /** The workers still alive, in start order. */
  live: SequenceWorker[]

  private constructor(props: Record<string, string>, live: SequenceWorker[]) {
    this.props = props
    this.live = live
  }

  /** Starts the workers (in parallel) and waits until each one's REST API answers. */
  static async start(o: HarnessOptions = {}): Promise<ConnectorHarness> {
    const props = clusterProperties({
      'session.timeout.ms': '6000',
      'scheduled.rebalance.max.delay.ms': '2000',
      ...(o.pluginPath === undefined ? {} : { 'plugin.path': o.pluginPath }),
      ...o.props,
    })
    const live = await Promise.all(Array.from({ length: o.workers ?? 2 }, () => startWorker(props, [], START_MS)))
    return new ConnectorHarness(props, live)
  }

  /**
   * Creates a connector through the first live worker. A request that timed out while the group was still in its
   * first rebalance (a loaded machine) is sent again; a 409 on a retry means the first one created it after all.
   */
  async createConnector(name: string, config: Record<string, string>): Promise<void> {
    const url = `${(this.live[0] as SequenceWorker).url}/connectors`
    let last: unknown
    for (let attempt = 0; attempt < 4; attempt++) {
      const created = await http(url, 'POST', { name, config })
      if (created.status === 201 || (attempt > 0 && created.status === 409)) return
      last = created.body
      if (created.status !== 500 || !/timed out/i.test(JSON.stringify(created.body))) break
    }
    assert.fail(`creating ${name}: ${JSON.stringify(last)}`)
  }

  /** The live worker that runs the connector's task 0, once it is RUNNING (fails when the task FAILED). */
  taskOwner(name: string, timeoutMs = 60_000): Promise<SequenceWorker> {
    return taskRunningOn(this.live, name, timeoutMs)
  }

  /**
   * Waits until `point` holds (e.g. "the topic holds 200 records"), then kills the worker running the
   * connector's task with SIGKILL: no shutdown, no last offset commit. A new worker joins in its place unless
   * `replace` is false. Answers the killed worker.
   */
  async killTaskOwnerWhen(
    name: string,
    point: () => Promise<boolean> | boolean,
    { timeoutMs = 60_000, replace = true } = {},
  ): Promise<SequenceWorker> {
    const owner = await this.taskOwner(name, timeoutMs)
    await until(`the kill point of ${name}`, timeoutMs, async () => ((await point()) ? true : undefined))
    await killWorker(owner)
    this.live = this.live.filter((w) => w !== owner)
    if (replace) this.live.push(await startWorker(this.props, [], START_MS))
    return owner
  }

  /** Stops the connector (its task commits and stops) and waits until it is STOPPED. */
  stopConnector(name: string): Promise<void> {
    return stopConnector(this.live, name)
  }

  /** Stops every live worker with SIGTERM and waits until they are gone. */
  async close(): Promise<void> {
    for (const w of this.live) w.run.child.kill('SIGTERM')
    await Promise.all(this.live.map((w) => w.run.exit))
    this.live = []
  }
}

/** Creates a topic on the shared broker (one replica). */
export async function createTestTopic(prefix: string, partitions = 1): Promise<string> {
  const name = uniqueName(prefix)
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
  try {
    await admin.createTopic({ name, partitions, replicationFactor: 1, configs: {} })
  } finally {
    await admin.close()
  }
  return name
}

/** How many records the topic's partitions hold (the sum of their end offsets: a topic nobody compacts). */
export async function topicRecordCount(topic: string, partitions = 1): Promise<number> {
  const consumer = createFetchClient({ 'bootstrap.servers': testBootstrap() })
  try {
    const ends = await consumer.listOffsets({
      topics: [topic],
      partitions: { [topic]: Array.from({ length: partitions }, (_, i) => i) },
    })
    return (ends.get(topic) ?? []).reduce((sum, end) => sum + Number(end ?? 0n), 0)
  } finally {
    await consumer.close()
  }
}

/** Every record of the topic from its start to its current end, as text. */
export async function topicRecords(topic: string): Promise<TopicRecord[]> {
  const records: TopicRecord[] = []
  const text = (b: Buffer | null | undefined) => (b === null || b === undefined ? null : b.toString('utf8'))
  const log = new KafkaBasedLog({
    transport: new KafkaTopicLog({
      topic,
      consumerProps: { 'bootstrap.servers': testBootstrap(), 'client.id': uniqueName('harness-reader') },
      producerProps: { 'bootstrap.servers': testBootstrap() },
    }),
    onRecord: (r) => {
      records.push({
        partition: r.partition,
        offset: r.offset,
        key: text(r.key),
        value: text(r.value),
        headers: r.headers.map(([k, v]) => [k.toString('utf8'), text(v)]),
      })
    },
  })
  await log.start()
  await log.stop()
  return records
}

/**
 * Counts a numbered load: `sent` records numbered first, first + 1, ... first + sent - 1 (bigints, so 64-bit
 * sequences count exactly), against the numbers that arrived, in any order, repeats allowed.
 */
export function countSequence(first: bigint, sent: number, arrived: Iterable<bigint>): Verdict {
  const shifted: number[] = []
  for (const n of arrived) {
    const i = n - first + 1n
    shifted.push(i >= 1n && i <= BigInt(sent) ? Number(i) : Number.NaN)
  }
  return verifySequence(sent, shifted)
}

/** Counts records by key: each of `sent` once, against the keys that arrived (unknown keys count as unexpected). */
export function countKeys<K>(sent: readonly K[], arrived: Iterable<K>): Verdict {
  const index = new Map(sent.map((k, i) => [k, i + 1]))
  const numbers: number[] = []
  for (const k of arrived) numbers.push(index.get(k) ?? Number.NaN)
  return verifySequence(sent.length, numbers)
}

/** Appends records to a topic of the shared broker, key and value as text (a null value is a tombstone). */
export async function produceRecords(
  topic: string,
  records: readonly { key: string | null; value: string | null }[],
): Promise<void> {
  const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  try {
    const messages = records.map((r) => ({
      topic,
      key: r.key === null ? undefined : Buffer.from(r.key),
      value: r.value === null ? undefined : Buffer.from(r.value),
    }))
    for (let i = 0; i < messages.length; i += 500) await producer.send({ messages: messages.slice(i, i + 500) })
  } finally {
    await producer.close()
  }
}
