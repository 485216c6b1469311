/**
 * The sink consumer waits for its topics, as Java's consumer does: a subscribed topic that does not exist is
 * simply not assigned (the task keeps running), and the consumer rejoins and takes the topic's partitions once the
 * topic appears. topics.regex subscriptions pick up new matching topics the same way. A one-member group on a
 * scripted coordinator and an in-memory cluster of topics; no broker.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TopicPartition } from '../../../src/api/contexts.ts'
import type { ConsumerGroupClientApi } from '../../../src/kafka/consumer-group.ts'
import type {
  CoordinatorNode,
  GroupCalls,
  JoinGroupRequest,
  JoinGroupResult,
  SyncGroupRequest,
} from '../../../src/kafka/group-calls.ts'
import { GroupSinkConsumer } from '../../../src/worker/sink-consumer.ts'
import { silentLog } from '../../support/rest.ts'

/** A group of one member: every join makes it the leader of a new generation. */
class OneMemberGroup implements GroupCalls {
  generation = 0
  async findCoordinator(): Promise<CoordinatorNode> {
    return { nodeId: 1, host: 'b1', port: 9092 }
  }
  async joinGroup(_node: CoordinatorNode, r: JoinGroupRequest): Promise<JoinGroupResult> {
    const memberId = r.memberId || 'm-1'
    return {
      kind: 'joined',
      generationId: ++this.generation,
      memberId,
      leaderId: memberId,
      protocolType: r.protocolType,
      protocolName: r.protocols[0]?.name ?? '',
      skipAssignment: false,
      members: [{ memberId, groupInstanceId: null, metadata: r.protocols[0]?.metadata ?? Buffer.alloc(0) }],
    }
  }
  async syncGroup(_node: CoordinatorNode, r: SyncGroupRequest): Promise<Buffer> {
    return r.assignments.get(r.memberId) ?? Buffer.alloc(0)
  }
  async heartbeat(): Promise<void> {}
  async leaveGroup(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Topics by partition count; no records, no committed offsets. */
function cluster(topics: Record<string, number>): ConsumerGroupClientApi & { topics: Map<string, number> } {
  const all = new Map(Object.entries(topics))
  return {
    topics: all,
    committed: async () => new Map(),
    commit: async () => {},
    partitionCounts: async (names) => new Map(names.filter((t) => all.has(t)).map((t) => [t, all.get(t) ?? 0])),
    listTopics: async () => [...all.keys()],
    // An empty fetch waits, as fetch.max.wait.ms makes a broker's do.
    fetch: () => new Promise((resolve) => setTimeout(() => resolve(new Map()), 10)),
    resetOffsets: async (_topic, partitions) => new Map(partitions.map((p) => [p, 0n])),
    close: async () => {},
  }
}

/** Starts a consumer and runs its poll loop as the sink loop would, until stopped. */
function start(topics: readonly string[] | RegExp, client: ReturnType<typeof cluster>, metadataMaxAgeMs = 300000) {
  const consumer = new GroupSinkConsumer({
    groupId: 'connect-sink',
    topics,
    client,
    calls: new OneMemberGroup(),
    autoOffsetReset: 'earliest',
    heartbeatIntervalMs: 50,
    fetchMaxWaitMs: 10,
    missingTopicsRefreshMs: 30,
    metadataMaxAgeMs,
    log: silentLog,
  })
  const assigned: TopicPartition[][] = []
  consumer.start({
    onAssigned: async (partitions) => {
      assigned.push(partitions)
    },
    onRevoked: async () => {},
  })
  const abort = new AbortController()
  const loop = (async () => {
    while (!abort.signal.aborted) await consumer.poll(abort.signal)
  })()
  return {
    consumer,
    assigned,
    async stop() {
      abort.abort()
      await loop
      await consumer.close()
    },
  }
}

async function eventually(what: string, check: () => boolean): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > 3000) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const names = (partitions: TopicPartition[]) => partitions.map((p) => `${p.topic}-${p.partition}`).sort()

describe('a sink consumer whose topics do not exist yet', () => {
  test('joins with nothing assigned, keeps polling, and takes the topic once it appears', async () => {
    const client = cluster({})
    const c = start(['later'], client)
    try {
      await eventually('the first (empty) assignment', () => c.assigned.length >= 1)
      assert.deepEqual(c.consumer.assignment(), [])
      // poll() answers [] instead of failing: the task stays RUNNING.
      client.topics.set('later', 2)
      await eventually('the new topic assigned', () => c.consumer.assignment().length === 2)
      assert.deepEqual(names(c.consumer.assignment()), ['later-0', 'later-1'])
      assert.deepEqual(c.consumer.position({ topic: 'later', partition: 1 }), 0)
    } finally {
      await c.stop()
    }
  })

  test('of a list of topics, assigns those that exist and adds the others as they appear', async () => {
    const client = cluster({ now: 1 })
    const c = start(['now', 'later'], client)
    try {
      await eventually('the existing topic assigned', () => c.consumer.assignment().length === 1)
      assert.deepEqual(names(c.consumer.assignment()), ['now-0'])
      client.topics.set('later', 1)
      await eventually('both topics assigned', () => c.consumer.assignment().length === 2)
      assert.deepEqual(names(c.consumer.assignment()), ['later-0', 'now-0'])
    } finally {
      await c.stop()
    }
  })

  test('of topics.regex, picks up new matching topics (and ignores the others)', async () => {
    const client = cluster({ 'logs-a': 1, other: 1 })
    const c = start(/^logs-.*/, client, 50)
    try {
      await eventually('the matching topic assigned', () => c.consumer.assignment().length === 1)
      client.topics.set('logs-b', 2)
      client.topics.set('metrics', 1)
      // No subscribed topic is missing, so the check runs at metadata.max.age.ms; ask for a short one.
      await eventually('the new matching topic assigned', () => c.consumer.assignment().length === 3)
      assert.deepEqual(names(c.consumer.assignment()), ['logs-a-0', 'logs-b-0', 'logs-b-1'])
    } finally {
      await c.stop()
    }
  })
})
