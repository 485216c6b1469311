/**
 * What a consumer-protocol group member needs besides the generic group calls (membership/): the consumer
 * protocol's subscription and assignment bytes, the group's committed offsets (OffsetFetch) and commits carrying
 * the member's generation (OffsetCommit), and topic metadata for subscriptions. Sink tasks use it to run their
 * consumer group on membership/'s GroupMember, with awaitable revocation and per-partition pause and seek that the
 * library's high-level Consumer lacks.
 */
import type { Admin, Broker, Connection, ConnectionPool, offsetCommitV8 } from '@platformatic/kafka'
import { brokerError, toKafkaError } from './broker-errors.ts'
import { createAdmin, createFetchClient } from './clients.ts'
import { type FetchPartitionOptions, fetchPartitions, type PartitionFetch } from './fetch.ts'
import type { CoordinatorNode } from './group-calls.ts'
import { kafkaLibrary } from './library.ts'
import { type ClientProperties, parseClientProperties } from './properties.ts'

/** Topic → partitions. */
export type PartitionsByTopic = Map<string, number[]>

/** The consumer protocol's subscription bytes (version 1: topics and owned partitions). */
export function encodeSubscription(topics: readonly string[], owned: PartitionsByTopic = new Map()): Buffer {
  return kafkaLibrary.encodeConsumerProtocolSubscription({
    version: 1,
    topics: [...topics],
    ownedPartitions: [...owned].map(([topic, partitions]) => ({ topic, partitions })),
  })
}

/** The topics of a member's subscription bytes. */
export function decodeSubscriptionTopics(bytes: Buffer): string[] {
  return kafkaLibrary.decodeConsumerProtocolSubscription(bytes).topics
}

/** The consumer protocol's assignment bytes. */
export function encodeAssignment(assigned: PartitionsByTopic): Buffer {
  return kafkaLibrary.encodeConsumerProtocolAssignment({
    version: 1,
    assignedPartitions: [...assigned].map(([topic, partitions]) => ({ topic, partitions })),
  })
}

/** The partitions of assignment bytes (empty bytes: nothing). */
export function decodeAssignment(bytes: Buffer): PartitionsByTopic {
  const out: PartitionsByTopic = new Map()
  if (bytes.length === 0) return out
  for (const a of kafkaLibrary.decodeConsumerProtocolAssignment(bytes).assignedPartitions)
    out.set(a.topic, [...a.partitions])
  return out
}

/** A commit's identity in the group (generation and member id; -1 and '' outside one). */
export interface CommitMember {
  groupId: string
  generationId: number
  memberId: string
}

/** What a sink consumer asks of its group client (an interface, so that tests can stand in for the broker). */
export type ConsumerGroupClientApi = Pick<
  ConsumerGroupClient,
  'committed' | 'commit' | 'partitionCounts' | 'listTopics' | 'fetch' | 'resetOffsets' | 'close'
>

/** Group offsets and topic metadata from one set of client properties. */
export class ConsumerGroupClient {
  readonly #pool: ConnectionPool
  readonly #admin: Admin
  readonly #fetcher: ReturnType<typeof createFetchClient>

  constructor(props: ClientProperties) {
    this.#fetcher = createFetchClient(props)
    const { base } = parseClientProperties(props, 'consumer')
    this.#pool = new kafkaLibrary.ConnectionPool(base.clientId, {
      ...(base.connectTimeout !== undefined ? { connectTimeout: base.connectTimeout } : {}),
      ...(base.tls ? { tls: base.tls } : {}),
      ...(base.sasl ? { sasl: base.sasl } : {}),
    })
    this.#admin = createAdmin(props)
  }

  async #call<T>(node: CoordinatorNode, what: string, send: (c: Connection) => Promise<T>): Promise<T> {
    try {
      const broker: Broker = { host: node.host, port: node.port }
      return await send(await this.#pool.get(broker))
    } catch (error) {
      throw toKafkaError(error, what)
    }
  }

  /** The group's committed offsets of the given partitions (those without one are left out). */
  async committed(
    node: CoordinatorNode,
    groupId: string,
    partitions: PartitionsByTopic,
  ): Promise<Map<string, Map<number, bigint>>> {
    const response = await this.#call(node, 'OffsetFetch', (c) =>
      kafkaLibrary.offsetFetchV8.api.async(
        c,
        [
          {
            groupId,
            memberEpoch: -1,
            topics: [...partitions].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
          },
        ],
        true,
      ),
    )
    const out = new Map<string, Map<number, bigint>>()
    for (const group of response.groups) {
      if (group.errorCode !== 0) throw brokerError(group.errorCode, `OffsetFetch of ${groupId}`)
      for (const topic of group.topics) {
        for (const p of topic.partitions) {
          if (p.errorCode !== 0) throw brokerError(p.errorCode, `OffsetFetch of ${topic.name}-${p.partitionIndex}`)
          if (p.committedOffset < 0n) continue
          let m = out.get(topic.name)
          if (!m) {
            m = new Map()
            out.set(topic.name, m)
          }
          m.set(p.partitionIndex, p.committedOffset)
        }
      }
    }
    return out
  }

  /** Commits offsets as a member of the given generation; a KafkaError names the first partition that failed. */
  async commit(
    node: CoordinatorNode,
    member: CommitMember,
    offsets: readonly { topic: string; partition: number; offset: number; metadata?: string }[],
  ): Promise<void> {
    const byTopic = new Map<string, offsetCommitV8.OffsetCommitRequestPartition[]>()
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? []
      list.push({
        partitionIndex: o.partition,
        committedOffset: BigInt(o.offset),
        committedLeaderEpoch: -1,
        committedMetadata: o.metadata ?? '',
      })
      byTopic.set(o.topic, list)
    }
    const response = await this.#call(node, 'OffsetCommit', (c) =>
      kafkaLibrary.offsetCommitV8.api.async(
        c,
        member.groupId,
        member.generationId,
        member.memberId,
        null,
        [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      ),
    )
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        if (p.errorCode !== 0) throw brokerError(p.errorCode, `OffsetCommit of ${topic.name}-${p.partitionIndex}`)
      }
    }
  }

  /** Partition counts of the topics that exist (missing topics, and topics whose metadata failed, are left out). */
  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    for (const topic of topics) {
      try {
        const metadata = await this.#admin.metadata({ topics: [topic], forceUpdate: true })
        const count = metadata.topics.get(topic)?.partitionsCount ?? 0
        if (count > 0) out.set(topic, count)
      } catch (error) {
        // A topic that does not exist (yet) is simply not assigned, as in Java; the library reports it as a
        // UserError "Unknown topic <name>." rather than a broker error code.
        if (error instanceof Error && error.message.startsWith('Unknown topic')) continue
        const e = toKafkaError(error, `metadata of ${topic}`)
        if (e.retriable || e.kafkaCode !== undefined) continue
        throw e
      }
    }
    return out
  }

  /** Every topic's name (for topics.regex). */
  async listTopics(): Promise<string[]> {
    try {
      return await this.#admin.listTopics({ includeInternals: false })
    } catch (error) {
      throw toKafkaError(error, 'listing topics')
    }
  }

  /** Reads partitions of one topic from the given positions (fetch.ts; no group involved). */
  fetch(
    topic: string,
    positions: ReadonlyMap<number, bigint>,
    opts: FetchPartitionOptions = {},
  ): Promise<Map<number, PartitionFetch>> {
    return fetchPartitions(this.#fetcher, topic, positions, opts)
  }

  /** The earliest or latest offsets of partitions of one topic (auto.offset.reset). */
  async resetOffsets(
    topic: string,
    partitions: readonly number[],
    to: 'earliest' | 'latest',
  ): Promise<Map<number, bigint>> {
    try {
      const offsets = await this.#fetcher.listOffsets({
        topics: [topic],
        partitions: { [topic]: [...partitions] },
        timestamp: to === 'earliest' ? -2n : -1n,
      })
      const list = offsets.get(topic) ?? []
      return new Map(partitions.map((p) => [p, list[p] ?? 0n]))
    } catch (error) {
      throw toKafkaError(error, `listing offsets of ${topic}`)
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#pool.close(), this.#admin.close(), this.#fetcher.close()])
  }
}

/** One committed offset of a consumer group (a number, as everywhere in the worker). */
export interface GroupOffset {
  topic: string
  partition: number
  offset: number
}

/**
 * A consumer group's offsets as an admin sees them (REST offsets endpoints for sink connectors): list, alter
 * (null deletes the partition's offset) and reset (delete the group, which fails while it has members).
 */
export class GroupOffsetsAdmin {
  readonly #admin: Admin

  constructor(props: ClientProperties) {
    this.#admin = createAdmin(props)
  }

  async list(groupId: string): Promise<GroupOffset[]> {
    try {
      const [group] = await this.#admin.listConsumerGroupOffsets({ groups: [groupId] })
      const out: GroupOffset[] = []
      for (const topic of group?.topics ?? []) {
        for (const p of topic.partitions) {
          if (p.committedOffset >= 0n)
            out.push({ topic: topic.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })
        }
      }
      return out
    } catch (error) {
      throw toKafkaError(error, `listing the offsets of group ${groupId}`)
    }
  }

  async alter(groupId: string, offsets: readonly { topic: string; partition: number; offset: number | null }[]) {
    const set = offsets.filter((o) => o.offset !== null)
    const unset = offsets.filter((o) => o.offset === null)
    const byTopic = <T>(list: readonly { topic: string }[], map: (o: never) => T) => {
      const m = new Map<string, T[]>()
      for (const o of list) m.set(o.topic, [...(m.get(o.topic) ?? []), map(o as never)])
      return m
    }
    try {
      if (set.length > 0) {
        const topics = byTopic(set, (o: { partition: number; offset: number }) => ({
          partition: o.partition,
          offset: BigInt(o.offset),
        }))
        await this.#admin.alterConsumerGroupOffsets({
          groupId,
          topics: [...topics].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
        })
      }
      if (unset.length > 0) {
        const topics = byTopic(unset, (o: { partition: number }) => o.partition)
        await this.#admin.deleteConsumerGroupOffsets({
          groupId,
          topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        })
      }
    } catch (error) {
      throw toKafkaError(error, `altering the offsets of group ${groupId}`)
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.#admin.deleteGroups({ groups: [groupId] })
    } catch (error) {
      const e = toKafkaError(error, `deleting group ${groupId}`)
      // GROUP_ID_NOT_FOUND: nothing to reset.
      if (e.kafkaCode === 69) return
      throw e
    }
  }

  async close(): Promise<void> {
    await this.#admin.close()
  }
}
