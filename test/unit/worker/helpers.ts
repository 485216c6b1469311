/** In-memory doubles for the worker's specifications: a record sender, a sink consumer, a registry, stores. */
import type { TopicPartition, TopicPartitionOffset } from '../../../src/api/contexts.ts'
import { parseWorkerConfig, type WorkerConfig } from '../../../src/config/connect/worker-config.ts'
import { fileStreamPlugins } from '../../../src/connectors/file/plugins.ts'
import { builtinConverterPlugins } from '../../../src/converters/plugins.ts'
import type { FetchedRecord } from '../../../src/kafka/fetch.ts'
import type { CreateTopicOutcome, NewTopicSpec, TopicAdminClient } from '../../../src/kafka/topic-admin.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import type { ConfigMap } from '../../../src/stores/config-store.ts'
import { createMemoryOffsetStore, createMemoryStatusStore, MemoryCluster } from '../../../src/stores/memory-stores.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import { withoutNulls } from '../../../src/util/config-map.ts'
import type { OutgoingRecord, RecordSender, SentRecord } from '../../../src/worker/record-sender.ts'
import type { RebalanceListener, SinkConsumer } from '../../../src/worker/sink-consumer.ts'
import type { GroupOffsetsClient, SinkSubscription, TaskClients } from '../../../src/worker/task-clients.ts'

/** Records sent, per topic; acknowledgements can be held back (`hold`) and failures injected (`failNext`). */
export class MemorySender implements RecordSender {
  readonly sent: OutgoingRecord[] = []
  readonly #offsets = new Map<string, number>()
  hold = false
  #held: (() => void)[] = []
  failNext: Error | null = null
  closed = false

  async send(records: readonly OutgoingRecord[]): Promise<SentRecord[]> {
    if (this.failNext) {
      const e = this.failNext
      this.failNext = null
      throw e
    }
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve))
    return records.map((r) => {
      this.sent.push(r)
      const offset = this.#offsets.get(r.topic) ?? 0
      this.#offsets.set(r.topic, offset + 1)
      return { topic: r.topic, partition: 0, offset, timestamp: r.timestamp }
    })
  }

  /** Acknowledges everything held so far. */
  release(): void {
    this.hold = false
    for (const r of this.#held.splice(0)) r()
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** A topic admin that remembers the topics it created; a topic in `gates` is created only once its gate opens. */
export class MemoryAdmin implements TopicAdminClient {
  readonly created: NewTopicSpec[] = []
  readonly existing = new Set<string>()
  readonly #gates: ReadonlyMap<string, Promise<void>>

  constructor(gates: ReadonlyMap<string, Promise<void>> = new Map()) {
    this.#gates = gates
  }

  async createTopic(spec: NewTopicSpec): Promise<CreateTopicOutcome> {
    await this.#gates.get(spec.name)
    this.created.push(spec)
    this.existing.add(spec.name)
    return 'created'
  }
  async partitionCount(topic: string): Promise<number> {
    return this.existing.has(topic) ? 1 : 0
  }
  async cleanupPolicy(): Promise<string | undefined> {
    return undefined
  }
  async close(): Promise<void> {}
}

/** A sink consumer over arrays of records: one partition per topic, assigned at start. */
export class MemoryConsumer implements SinkConsumer {
  readonly records = new Map<string, FetchedRecord[]>()
  readonly positions = new Map<string, number>()
  readonly paused = new Set<string>()
  readonly commits: TopicPartitionOffset[][] = []
  listener: RebalanceListener | null = null
  #assigned: TopicPartition[] = []
  #assignedOnce = false
  closed = false
  /** poll() calls so far: a test knows the sink loop went round when this grows. */
  polls = 0

  constructor(topics: readonly string[]) {
    for (const t of topics) this.records.set(t, [])
    this.#assigned = topics.map((topic) => ({ topic, partition: 0 }))
  }

  /** Appends a record with a string value to a topic. */
  append(topic: string, value: string | null, key: string | null = null): void {
    const list = this.records.get(topic) ?? []
    list.push({
      topic,
      partition: 0,
      offset: list.length,
      timestamp: 1000n,
      timestampType: 'CREATE_TIME',
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      headers: [],
    })
    this.records.set(topic, list)
  }

  start(listener: RebalanceListener): void {
    this.listener = listener
  }

  async poll(): Promise<FetchedRecord[]> {
    this.polls++
    if (!this.#assignedOnce) {
      this.#assignedOnce = true
      await this.listener?.onAssigned(this.#assigned)
    }
    await new Promise((r) => setTimeout(r, 2))
    const out: FetchedRecord[] = []
    for (const tp of this.#assigned) {
      if (this.paused.has(tp.topic)) continue
      const from = this.positions.get(tp.topic) ?? 0
      const list = this.records.get(tp.topic) ?? []
      out.push(...list.slice(from))
      this.positions.set(tp.topic, list.length)
    }
    return out
  }

  assignment(): TopicPartition[] {
    return [...this.#assigned]
  }
  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.add(p.topic)
  }
  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(p.topic)
  }
  position(partition: TopicPartition): number | undefined {
    return this.positions.get(partition.topic) ?? 0
  }
  seek(partition: TopicPartition, offset: number): void {
    this.positions.set(partition.topic, offset)
  }
  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.commits.push([...offsets])
  }
  async close(): Promise<void> {
    this.closed = true
  }
  /**
   * Resolves once the loop has polled `turns` more times: each poll after the first returns what the one before let
   * the loop handle, so two turns mean everything appended before the call was offered once, unless paused.
   */
  async polledAgain(turns = 2): Promise<void> {
    const target = this.polls + turns
    await waitFor(() => this.polls >= target, `${turns} more polls`)
  }

  /** The last committed offset of a topic's partition 0. */
  committed(topic: string): number | undefined {
    for (let i = this.commits.length - 1; i >= 0; i--) {
      const found = this.commits[i]?.find((o) => o.topic === topic)
      if (found) return found.offset
    }
    return undefined
  }
}

/** Task clients on the doubles above. */
export class MemoryClients implements TaskClients {
  readonly senders: MemorySender[] = []
  readonly admins: MemoryAdmin[] = []
  readonly consumers: MemoryConsumer[] = []
  /** The consumer the next sink task gets (a new one per subscription otherwise). */
  nextConsumer: MemoryConsumer | null = null
  /** Set to make every new sender hold its acknowledgements. */
  holdAcks = false
  /** Set to make the next sender's first send fail with this error. */
  failFirstSend: Error | null = null
  /** Topics whose creation waits for the promise (a slow CreateTopics). */
  readonly createGates = new Map<string, Promise<void>>()

  sender(_props: ConfigMap): RecordSender {
    const s = new MemorySender()
    s.hold = this.holdAcks
    s.failNext = this.failFirstSend
    this.failFirstSend = null
    this.senders.push(s)
    return s
  }
  admin(_props: ConfigMap): TopicAdminClient {
    const a = new MemoryAdmin(this.createGates)
    this.admins.push(a)
    return a
  }
  sinkConsumer(_props: ConfigMap, subscription: SinkSubscription): SinkConsumer {
    const c = this.nextConsumer ?? new MemoryConsumer(Array.isArray(subscription.topics) ? subscription.topics : [])
    this.nextConsumer = null
    this.consumers.push(c)
    return c
  }
  groupOffsets(): GroupOffsetsClient {
    return { list: async () => [], alter: async () => {}, deleteGroup: async () => {}, close: async () => {} }
  }
}

/** A registry with the built-in converters, transforms and FileStream connectors (plus any extra). */
export function testRegistry(extra: Parameters<PluginRegistry['registerAll']>[0] = []): PluginRegistry {
  const registry = new PluginRegistry([...builtinConverterPlugins(), ...fileStreamPlugins()])
  registerBuiltinTransforms(registry)
  registry.registerAll(extra)
  return registry
}

/** Started in-memory offset and status stores. */
export async function memoryStores() {
  const cluster = new MemoryCluster()
  const offsetStore = createMemoryOffsetStore(cluster)
  const statusStore = createMemoryStatusStore(cluster)
  await offsetStore.start()
  await statusStore.start()
  return {
    cluster,
    offsetStore,
    statusStore,
    async stop() {
      await offsetStore.stop()
      await statusStore.stop()
    },
  }
}

/** Lets every job that is ready run: promise callbacks, I/O callbacks and immediates, many rounds deep. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r))
}

/** Polls `check` until it returns a truthy value (or fails after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Worker properties for unit tests: string converters, fast commits (the stores are in memory). */
export const WORKER_CONFIG: ConfigMap = {
  'bootstrap.servers': 'memory:9092',
  'group.id': 'connect-test',
  'config.storage.topic': 'configs',
  'offset.storage.topic': 'offsets',
  'status.storage.topic': 'status',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'offset.flush.interval.ms': '50',
  'task.shutdown.graceful.timeout.ms': '2000',
}

/** The parsed worker config of unit tests: WORKER_CONFIG with `overrides`. */
export function workerConfig(overrides: Record<string, string> = {}): WorkerConfig {
  return parseWorkerConfig({ ...withoutNulls(WORKER_CONFIG), ...overrides })
}
