/**
 * The consumer of a sink task: a consumer-protocol group member (membership/'s GroupMember with the "range"
 * assignor of assignors/range.ts, eager) that fetches with kafka/fetch.ts and rejoins when
 * subscription-watch.ts sees the subscription's metadata change. It keeps positions, pauses and a one-deep
 * prefetch. Written here rather than on the library's Consumer to close
 * its gaps: per-partition pause and seek, and a revocation the task can finish
 * (commit and close) before the member rejoins.
 *
 * Rebalance events never run concurrently with put(): the member's hooks queue them and wait; the sink loop runs
 * them from poll(), as Java's consumer runs its rebalance listener inside poll() on the task's thread. The member
 * keeps heartbeating meanwhile, so a slow put delays the rebalance but does not drop the member (until the
 * rebalance timeout, max.poll.interval.ms, as in Java).
 */
import type { TopicPartition, TopicPartitionOffset } from '../api/contexts.ts'
import { rangeAssign } from '../assignors/range.ts'
import { KafkaError } from '../errors.ts'
import { BROKER_ERROR } from '../kafka/broker-errors.ts'
import {
  type ConsumerGroupClientApi,
  decodeAssignment,
  decodeSubscriptionTopics,
  encodeAssignment,
  encodeSubscription,
  type PartitionsByTopic,
} from '../kafka/consumer-group.ts'
import type { FetchedRecord, PartitionFetch } from '../kafka/fetch.ts'
import type { GroupCalls } from '../kafka/group-calls.ts'
import type { AssignedRound, GroupProtocolHandler, JoinPrepare, LeaderRound } from '../membership/handler.ts'
import { GroupMember } from '../membership/member.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { SubscriptionWatch } from './subscription-watch.ts'

/** What the sink loop is told about assignment changes; both are awaited before the consumer goes on. */
export interface RebalanceListener {
  onAssigned(partitions: TopicPartition[]): Promise<void>
  onRevoked(partitions: TopicPartition[]): Promise<void>
}

/** What the sink loop needs of its consumer; see the file comment. */
export interface SinkConsumer {
  start(listener: RebalanceListener): void
  /** Runs pending rebalance events, then answers records of assigned, unpaused partitions ([] after a wait). */
  poll(signal: AbortSignal): Promise<FetchedRecord[]>
  assignment(): TopicPartition[]
  pause(partitions: readonly TopicPartition[]): void
  resume(partitions: readonly TopicPartition[]): void
  /** The offset the next record of an assigned partition is read from. */
  position(partition: TopicPartition): number | undefined
  /** The next records of the partition are read from `offset`. */
  seek(partition: TopicPartition, offset: number): void
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>
  close(): Promise<void>
}

/** How a sink consumer subscribes and reads. */
export interface GroupSinkConsumerOptions {
  groupId: string
  /** topics, or topics.regex. */
  topics: readonly string[] | RegExp
  client: ConsumerGroupClientApi
  calls: GroupCalls
  autoOffsetReset: 'earliest' | 'latest' | 'none'
  sessionTimeoutMs?: number
  heartbeatIntervalMs?: number
  rebalanceTimeoutMs?: number
  fetchMaxWaitMs?: number
  fetchMaxBytes?: number
  /**
   * How often the subscription's metadata is checked again (metadata.max.age.ms, default 300000 as in Java): a
   * new topic matching topics.regex, or a partition count that changed, rejoins the group.
   */
  metadataMaxAgeMs?: number
  /**
   * How often it is checked while a subscribed topic does not exist (default 3000, or metadataMaxAgeMs if
   * shorter). Java waits metadata.max.age.ms here too; a task waiting for its topic should not wait 5 minutes.
   */
  missingTopicsRefreshMs?: number
  /** The clock of the metadata checks and of idle waits (the real one by default). */
  clock?: Clock
  log: Logger
}

type Pending =
  | { kind: 'revoke'; done: () => void }
  | { kind: 'assign'; partitions: PartitionsByTopic; done: () => void }

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`

/** One topic's fetch answers and the positions it asked for. */
interface TopicFetch {
  topic: string
  positions: Map<number, bigint>
  answers: Map<number, PartitionFetch>
}

const describePositions = (byTopic: Map<string, Map<number, bigint>>) =>
  [...byTopic].map(([t, m]) => `${t}:${[...m].map(([p, o]) => `${p}@${o}`).join(',')}`).join(';')

/** The sink consumer on a generic group member; see the file comment. */
export class GroupSinkConsumer implements SinkConsumer, GroupProtocolHandler {
  readonly protocolType = 'consumer'
  readonly #o: GroupSinkConsumerOptions
  readonly #member: GroupMember
  #listener: RebalanceListener | null = null
  /** Owned by the loop (poll): the assignment and read positions. */
  #assigned: PartitionsByTopic = new Map()
  readonly #positions = new Map<string, bigint>()
  readonly #paused = new Set<string>()
  #pending: Pending[] = []
  #wake: (() => void) | null = null
  readonly #clock: Clock
  readonly #watch: SubscriptionWatch
  #prefetch: { snapshot: string; results: Promise<TopicFetch[]> } | null = null
  #closed = false
  #failure: Error | null = null
  /** Topics whose last fetch failed: the next one refreshes metadata first. */
  readonly #staleTopics = new Set<string>()

  constructor(o: GroupSinkConsumerOptions) {
    this.#o = o
    this.#member = new GroupMember({
      groupId: o.groupId,
      calls: o.calls,
      handler: this,
      sessionTimeoutMs: o.sessionTimeoutMs ?? 45000,
      heartbeatIntervalMs: o.heartbeatIntervalMs ?? 3000,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? 300000,
      logger: o.log,
    })
    this.#clock = o.clock ?? systemClock
    const maxAge = o.metadataMaxAgeMs ?? 300000
    this.#watch = new SubscriptionWatch({
      matchingTopics: () => this.#matchingTopics(),
      partitionCounts: (topics) => o.client.partitionCounts(topics),
      onChange: (reason) => this.#member.requestRejoin(reason),
      metadataMaxAgeMs: maxAge,
      missingTopicsRefreshMs: Math.min(maxAge, o.missingTopicsRefreshMs ?? 3000),
      clock: this.#clock,
      log: o.log,
    })
  }

  start(listener: RebalanceListener): void {
    this.#listener = listener
    this.#member.start()
    this.#watch.start()
  }

  async #matchingTopics(): Promise<string[]> {
    const topics = this.#o.topics
    if (!(topics instanceof RegExp)) return [...topics]
    return (await this.#o.client.listTopics()).filter((t) => topics.test(t)).sort()
  }

  // --- GroupProtocolHandler (the member's loop) ---

  async protocols() {
    return [{ name: 'range', metadata: encodeSubscription(await this.#watch.topicsForJoin()) }]
  }

  async assign(round: LeaderRound): Promise<ReadonlyMap<string, Buffer>> {
    const subscriptions = new Map(round.members.map((m) => [m.memberId, decodeSubscriptionTopics(m.metadata)]))
    const topics = [...new Set([...subscriptions.values()].flat())]
    const counts = await this.#o.client.partitionCounts(topics)
    const assignment = rangeAssign(subscriptions, counts)
    return new Map([...assignment].map(([member, partitions]) => [member, encodeAssignment(partitions)]))
  }

  /** Eager protocol: everything is revoked before rejoining; waits until the task committed and closed. */
  async onJoinPrepare(_prepare: JoinPrepare): Promise<void> {
    await this.#enqueue((done) => ({ kind: 'revoke', done }))
  }

  async onAssignment(round: AssignedRound): Promise<void> {
    const partitions = decodeAssignment(round.assignment)
    // Not awaited: the loop opens the partitions; the member must go on heartbeating meanwhile.
    void this.#enqueue((done) => ({ kind: 'assign', partitions, done }))
  }

  onFailed(error: Error): void {
    // The member gave up for good (e.g. not authorized for the group): the task must fail, not wait forever.
    this.#failure = error
    this.#o.log.error({ err: error }, 'the sink consumer group member failed')
    this.#wake?.()
  }

  #enqueue(make: (done: () => void) => Pending): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.#pending.push(make(resolve))
      this.#wake?.()
    })
  }

  // --- SinkConsumer (the task's loop) ---

  async poll(signal: AbortSignal): Promise<FetchedRecord[]> {
    if (this.#failure) throw this.#failure
    await this.#runPending()
    const byTopic = this.#fetchPositions()
    if (byTopic.size === 0) {
      this.#prefetch = null
      await this.#idle(this.#o.fetchMaxWaitMs ?? 500, signal)
      return []
    }
    // The fetch sent after the previous poll (while the task was putting) is used when it asked for these positions.
    const snapshot = describePositions(byTopic)
    const prefetched = this.#prefetch?.snapshot === snapshot ? this.#prefetch.results : null
    this.#prefetch = null
    const results = await (prefetched ?? this.#fetchAll(byTopic))
    const records: FetchedRecord[] = []
    for (const { topic, positions, answers } of results) {
      for (const [partition, answer] of answers) {
        const k = key(topic, partition)
        // A seek, pause or revocation during the fetch makes its answer stale.
        if (this.#positions.get(k) !== positions.get(partition) || this.#paused.has(k)) continue
        if (answer instanceof KafkaError) {
          if (answer.kafkaCode === BROKER_ERROR.OFFSET_OUT_OF_RANGE) await this.#reset(topic, [partition])
          else {
            // A moved leader or a stale view of the cluster: ask for fresh metadata with the next fetch.
            this.#staleTopics.add(topic)
            this.#o.log.debug({ err: answer, topic, partition }, 'partition fetch failed; retrying')
          }
          continue
        }
        for (const r of answer.records) records.push(r)
        this.#positions.set(k, answer.nextOffset)
      }
    }
    await this.#runPending()
    if (!this.#closed && !signal.aborted && records.length > 0) {
      // Java's consumer fetches ahead while the application processes; so does this, one fetch deep.
      const next = this.#fetchPositions()
      if (next.size > 0) this.#prefetch = { snapshot: describePositions(next), results: this.#fetchAll(next) }
    }
    return records
  }

  /** Positions of the assigned, unpaused partitions, by topic. */
  #fetchPositions(): Map<string, Map<number, bigint>> {
    const byTopic = new Map<string, Map<number, bigint>>()
    for (const [topic, partitions] of this.#assigned) {
      for (const partition of partitions) {
        const k = key(topic, partition)
        const position = this.#positions.get(k)
        if (position === undefined || this.#paused.has(k)) continue
        let m = byTopic.get(topic)
        if (!m) {
          m = new Map()
          byTopic.set(topic, m)
        }
        m.set(partition, position)
      }
    }
    return byTopic
  }

  /** Fetches every topic at once; never rejects (a failed topic answers nothing and is fetched again). */
  #fetchAll(byTopic: Map<string, Map<number, bigint>>): Promise<TopicFetch[]> {
    return Promise.all(
      [...byTopic].map(async ([topic, positions]) => {
        const refreshMetadata = this.#staleTopics.delete(topic)
        try {
          const answers = await this.#o.client.fetch(topic, positions, { ...this.#fetchOptions(), refreshMetadata })
          return { topic, positions, answers }
        } catch (error) {
          this.#staleTopics.add(topic)
          this.#o.log.warn({ err: error, topic }, 'fetch failed; retrying')
          return { topic, positions, answers: new Map<number, PartitionFetch>() }
        }
      }),
    )
  }

  #fetchOptions() {
    return {
      maxWaitMs: this.#o.fetchMaxWaitMs ?? 500,
      ...(this.#o.fetchMaxBytes !== undefined ? { maxBytes: this.#o.fetchMaxBytes } : {}),
    }
  }

  async #idle(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#pending.length > 0 || signal.aborted) return
    await new Promise<void>((resolve) => {
      const done = () => {
        cancel()
        signal.removeEventListener('abort', done)
        this.#wake = null
        resolve()
      }
      const cancel = this.#clock.setTimer(ms, done)
      signal.addEventListener('abort', done, { once: true })
      this.#wake = done
    })
  }

  async #runPending(): Promise<void> {
    while (this.#pending.length > 0) {
      const event = this.#pending.shift() as Pending
      try {
        if (event.kind === 'revoke') await this.#revokeAll()
        else await this.#assignAll(event.partitions)
      } finally {
        event.done()
      }
    }
  }

  async #revokeAll(): Promise<void> {
    const revoked = this.assignment()
    if (revoked.length === 0) return
    try {
      await this.#listener?.onRevoked(revoked)
    } finally {
      this.#assigned = new Map()
      this.#positions.clear()
      this.#paused.clear()
    }
  }

  async #assignAll(partitions: PartitionsByTopic): Promise<void> {
    this.#assigned = partitions
    const coordinator = this.#member.coordinator
    const committed = coordinator ? await this.#o.client.committed(coordinator, this.#o.groupId, partitions) : new Map()
    for (const [topic, list] of partitions) {
      const missing: number[] = []
      for (const partition of list) {
        const offset = committed.get(topic)?.get(partition)
        if (offset === undefined) missing.push(partition)
        else this.#positions.set(key(topic, partition), offset)
      }
      if (missing.length > 0) await this.#reset(topic, missing)
    }
    await this.#listener?.onAssigned(this.assignment())
  }

  async #reset(topic: string, partitions: number[]): Promise<void> {
    if (this.#o.autoOffsetReset === 'none') {
      throw new KafkaError(false, `No committed offset and auto.offset.reset=none for ${topic} ${partitions.join(',')}`)
    }
    const offsets = await this.#o.client.resetOffsets(topic, partitions, this.#o.autoOffsetReset)
    for (const [p, offset] of offsets) this.#positions.set(key(topic, p), offset)
  }

  assignment(): TopicPartition[] {
    const out: TopicPartition[] = []
    for (const [topic, partitions] of this.#assigned) for (const partition of partitions) out.push({ topic, partition })
    return out
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#paused.add(key(p.topic, p.partition))
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#paused.delete(key(p.topic, p.partition))
  }

  position(partition: TopicPartition): number | undefined {
    const p = this.#positions.get(key(partition.topic, partition.partition))
    return p === undefined ? undefined : Number(p)
  }

  seek(partition: TopicPartition, offset: number): void {
    const k = key(partition.topic, partition.partition)
    if (this.#assigned.get(partition.topic)?.includes(partition.partition)) this.#positions.set(k, BigInt(offset))
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return
    const coordinator = this.#member.coordinator
    if (!coordinator) throw new KafkaError(true, 'the group coordinator is not known')
    const generation = this.#member.generation
    await this.#o.client.commit(
      coordinator,
      { groupId: this.#o.groupId, generationId: generation.generationId, memberId: generation.memberId },
      offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        ...(o.metadata ? { metadata: o.metadata } : {}),
      })),
    )
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#watch.close()
    for (const p of this.#pending.splice(0)) p.done()
    this.#wake?.()
    await this.#member.close({ reason: 'the sink task stopped' })
    // The member closes the group calls it was given.
    await this.#o.client.close()
  }
}
