/**
 * The group member's state machine against a scripted coordinator and a manual clock: each broker error is
 * answered as Kafka's AbstractCoordinator answers it, and every wait is a clock wait (no sleeping in tests).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { KafkaError } from '../../../src/errors.ts'
import { BROKER_ERROR } from '../../../src/kafka/broker-errors.ts'
import type {
  CoordinatorNode,
  GroupCalls,
  JoinGroupRequest,
  JoinGroupResult,
  MemberRef,
  SyncGroupRequest,
} from '../../../src/kafka/group-calls.ts'
import type { AssignedRound, GroupProtocolHandler } from '../../../src/membership/handler.ts'
import { GroupMember, type GroupMemberOptions } from '../../../src/membership/member.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { rootLogger } from '../../../src/util/log.ts'

const brokerErr = (code: number) => new KafkaError(true, `broker error ${code}`, code)
const lostConnection = () => new KafkaError(true, 'connection closed')

/** A one-member group on a scripted coordinator; queued failures are thrown first, in order. */
class FakeCoordinator implements GroupCalls {
  calls: string[] = []
  nodes: CoordinatorNode[] = [{ nodeId: 1, host: 'b1', port: 9092 }]
  generation = 0
  fail: Partial<Record<'find' | 'join' | 'sync' | 'heartbeat' | 'leave', KafkaError[]>> = {}
  joins: JoinGroupRequest[] = []

  #next(kind: keyof FakeCoordinator['fail']): void {
    const e = this.fail[kind]?.shift()
    if (e) throw e
  }

  async findCoordinator(): Promise<CoordinatorNode> {
    this.calls.push('find')
    this.#next('find')
    return this.nodes[0] as CoordinatorNode
  }

  async joinGroup(node: CoordinatorNode, r: JoinGroupRequest): Promise<JoinGroupResult> {
    this.calls.push(`join@${node.nodeId}:${r.memberId || '-'}`)
    this.joins.push(r)
    this.#next('join')
    if (r.memberId === '') return { kind: 'member-id-required', memberId: 'm-1' }
    this.generation++
    return {
      kind: 'joined',
      generationId: this.generation,
      memberId: r.memberId,
      leaderId: r.memberId,
      protocolType: r.protocolType,
      protocolName: r.protocols[0]?.name ?? '',
      skipAssignment: false,
      members: [{ memberId: r.memberId, groupInstanceId: null, metadata: r.protocols[0]?.metadata ?? Buffer.alloc(0) }],
    }
  }

  async syncGroup(_node: CoordinatorNode, r: SyncGroupRequest): Promise<Buffer> {
    this.calls.push(`sync:${r.generationId}`)
    this.#next('sync')
    return r.assignments.get(r.memberId) ?? Buffer.alloc(0)
  }

  async heartbeat(node: CoordinatorNode, m: MemberRef): Promise<void> {
    this.calls.push(`hb@${node.nodeId}:${m.generationId}`)
    this.#next('heartbeat')
  }

  async leaveGroup(_node: CoordinatorNode, m: MemberRef): Promise<void> {
    this.calls.push(`leave:${m.memberId}`)
    this.#next('leave')
  }

  async disconnect(): Promise<void> {}
  async close(): Promise<void> {
    this.calls.push('close')
  }
}

class Handler implements GroupProtocolHandler {
  readonly protocolType = 'test'
  assigned: AssignedRound[] = []
  prepared: string[] = []
  unreachable = 0
  failed: Error | null = null
  protocols() {
    return [{ name: 'p1', metadata: Buffer.from('meta') }]
  }
  assign(round: { members: readonly { memberId: string }[] }) {
    return new Map(round.members.map((m) => [m.memberId, Buffer.from(`for ${m.memberId}`)]))
  }
  onJoinPrepare(p: { reason: string }) {
    this.prepared.push(p.reason)
  }
  onAssignment(round: AssignedRound) {
    this.assigned.push(round)
  }
  onCoordinatorUnreachable() {
    this.unreachable++
  }
  onFailed(e: Error) {
    this.failed = e
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r))
}

function setup(extra: Partial<GroupMemberOptions> = {}) {
  const calls = new FakeCoordinator()
  const handler = new Handler()
  const clock = new ManualClock()
  const member = new GroupMember({
    groupId: 'g',
    calls,
    handler,
    clock,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 3000,
    settleHeartbeatMs: 0,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    logger: rootLogger().child({ test: true }, { level: 'silent' }),
    ...extra,
  })
  return { calls, handler, clock, member }
}

describe('GroupMember', () => {
  test('finds the coordinator, joins with the member id the broker asks for, syncs, then heartbeats on its timer', async () => {
    const { calls, handler, clock, member } = setup()
    member.start()
    await settle()
    assert.deepEqual(calls.calls, ['find', 'join@1:-', 'join@1:m-1', 'sync:1'])
    assert.equal(member.state, 'stable')
    assert.deepEqual(member.generation, { generationId: 1, memberId: 'm-1', protocol: 'p1' })
    assert.equal(handler.assigned[0]?.assignment.toString(), 'for m-1')
    assert.equal(calls.joins[1]?.protocolType, 'test')
    assert.equal(calls.joins[1]?.sessionTimeoutMs, 10000)

    clock.advance(2999)
    await settle()
    assert.equal(calls.calls.filter((c) => c.startsWith('hb')).length, 0, 'not before the interval')
    clock.advance(1)
    await settle()
    clock.advance(3000)
    await settle()
    assert.deepEqual(
      calls.calls.filter((c) => c.startsWith('hb')),
      ['hb@1:1', 'hb@1:1'],
    )
    await member.close()
    assert.deepEqual(calls.calls.slice(-2), ['leave:m-1', 'close'])
    assert.equal(member.state, 'closed')
  })

  test('right after a join, heartbeats come faster for one interval, so a follow-up rebalance is seen at once', async () => {
    const { calls, clock, member } = setup({ settleHeartbeatMs: 200 })
    member.start()
    await settle()
    for (let t = 0; t < 6000; t += 200) {
      clock.advance(200)
      await settle()
    }
    // 200, 400, ... up to 3000 (15 fast ones), then the regular 3000 ms cadence: one more by 6000.
    assert.equal(calls.calls.filter((c) => c.startsWith('hb')).length, 16)
    await member.close()
  })

  test('REBALANCE_IN_PROGRESS on a heartbeat: rejoin with the same member id, the reason given to the hook', async () => {
    const { calls, handler, clock, member } = setup()
    member.start()
    await settle()
    calls.fail.heartbeat = [brokerErr(BROKER_ERROR.REBALANCE_IN_PROGRESS)]
    clock.advance(3000)
    await settle()
    assert.equal(calls.calls.at(-2), 'join@1:m-1')
    assert.equal(calls.calls.at(-1), 'sync:2')
    assert.match(handler.prepared.at(-1) ?? '', /rebalancing/)
    assert.match(calls.joins.at(-1)?.reason ?? '', /rebalancing/)
    await member.close()
  })

  test('UNKNOWN_MEMBER_ID on SyncGroup: forget the member id and join afresh at once', async () => {
    const { calls, member } = setup()
    calls.fail.sync = [brokerErr(BROKER_ERROR.UNKNOWN_MEMBER_ID)]
    member.start()
    await settle()
    assert.deepEqual(calls.calls, ['find', 'join@1:-', 'join@1:m-1', 'sync:1', 'join@1:-', 'join@1:m-1', 'sync:2'])
    assert.equal(member.state, 'stable')
    await member.close()
  })

  test('ILLEGAL_GENERATION on a heartbeat: rejoin keeping the member id', async () => {
    const { calls, clock, member } = setup()
    member.start()
    await settle()
    calls.fail.heartbeat = [brokerErr(BROKER_ERROR.ILLEGAL_GENERATION)]
    clock.advance(3000)
    await settle()
    assert.deepEqual(calls.calls.slice(-2), ['join@1:m-1', 'sync:2'])
    await member.close()
  })

  test('NOT_COORDINATOR on a heartbeat: find the coordinator again and keep heartbeating the same generation', async () => {
    const { calls, clock, member } = setup()
    member.start()
    await settle()
    calls.nodes = [{ nodeId: 2, host: 'b2', port: 9092 }]
    calls.fail.heartbeat = [brokerErr(BROKER_ERROR.NOT_COORDINATOR)]
    clock.advance(3000)
    await settle()
    clock.advance(3000)
    await settle()
    assert.deepEqual(calls.calls.slice(4), ['hb@1:1', 'find', 'hb@2:1'])
    assert.equal(member.generation.generationId, 1, 'no rejoin')
    await member.close()
  })

  test('COORDINATOR_LOAD_IN_PROGRESS on JoinGroup: exponential backoff, counted failures, no retry before it ends', async () => {
    const { calls, clock, member } = setup()
    const loading = () => brokerErr(BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS)
    calls.fail.join = [loading(), loading(), loading()]
    member.start()
    await settle()
    assert.equal(calls.calls.filter((c) => c.startsWith('join')).length, 1)
    for (const backoff of [100, 200, 400]) {
      clock.advance(backoff - 1)
      await settle()
      const before = calls.calls.length
      clock.advance(1)
      await settle()
      assert.ok(calls.calls.length > before, `retried after ${backoff} ms`)
    }
    assert.equal(member.state, 'stable')
    await member.close()
  })

  test('a lost connection during JoinGroup: the coordinator is looked up again before the retry', async () => {
    const { calls, clock, member } = setup()
    calls.fail.join = [lostConnection()]
    member.start()
    await settle()
    clock.advance(100)
    await settle()
    assert.deepEqual(calls.calls.slice(0, 4), ['find', 'join@1:-', 'find', 'join@1:-'])
    await member.close()
  })

  test('coordinator unreachable longer than the heartbeat interval: the hook stops work, then the member rejoins', async () => {
    const { calls, handler, clock, member } = setup()
    member.start()
    await settle()
    const down = Array.from({ length: 50 }, lostConnection)
    calls.fail.heartbeat = [lostConnection()]
    calls.fail.find = down
    clock.advance(3000)
    await settle()
    for (let i = 0; i < 40 && handler.unreachable === 0; i++) {
      clock.advance(1000)
      await settle()
    }
    assert.equal(handler.unreachable, 1)
    calls.fail.find = []
    clock.advance(1000)
    await settle()
    assert.equal(member.state, 'stable')
    assert.ok(member.generation.generationId >= 2, 'rejoined after finding the coordinator')
    await member.close()
  })

  test('FindCoordinator keeps naming a dead broker: still reported unreachable after the heartbeat interval', async () => {
    const { calls, handler, clock, member } = setup()
    member.start()
    await settle()
    calls.fail.heartbeat = Array.from({ length: 5 }, lostConnection)
    for (let i = 0; i < 3; i++) {
      clock.advance(3000)
      await settle()
    }
    assert.equal(handler.unreachable, 1)
    await member.close()
  })

  test('no heartbeat answer for a whole session timeout: the coordinator is treated as lost', async () => {
    const { calls, clock, member } = setup({ sessionTimeoutMs: 6000 })
    member.start()
    await settle()
    calls.fail.heartbeat = [
      brokerErr(BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS),
      brokerErr(BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS),
    ]
    for (let i = 0; i < 3; i++) {
      clock.advance(3000)
      await settle()
    }
    assert.ok(calls.calls.filter((c) => c === 'find').length >= 2, 'looked for the coordinator again')
    await member.close()
  })

  test('FENCED_INSTANCE_ID is fatal: the member stops and says why', async () => {
    const { calls, handler, member } = setup({ groupInstanceId: 'static-1' })
    calls.fail.join = [new KafkaError(false, 'fenced', BROKER_ERROR.FENCED_INSTANCE_ID)]
    member.start()
    await settle()
    assert.equal(member.state, 'failed')
    assert.ok(handler.failed)
    await member.close()
    assert.equal(calls.calls.includes('leave:-'), false)
  })

  test('GROUP_AUTHORIZATION_FAILED on FindCoordinator is fatal: the member stops, naming the group, instead of retrying', async () => {
    const { calls, handler, member } = setup()
    calls.fail.find = [new KafkaError(false, 'FindCoordinator failed: GROUP_AUTHORIZATION_FAILED', 30)]
    member.start()
    await settle()
    assert.equal(member.state, 'failed')
    assert.match(handler.failed?.message ?? '', /Not authorized to access group/)
    assert.equal(calls.calls.filter((c) => c === 'find').length, 1, 'asked once, not again and again')
    await member.close()
  })

  test('requestRejoin from outside starts a new round with the given reason', async () => {
    const { calls, member } = setup()
    member.start()
    await settle()
    member.requestRejoin('connector configs changed')
    await settle()
    assert.equal(calls.joins.at(-1)?.reason, 'connector configs changed')
    assert.equal(member.generation.generationId, 2)
    await member.close()
  })

  test('leave(): LeaveGroup, then no heartbeats and no rejoin until requestRejoin()', async () => {
    const { calls, clock, member } = setup()
    member.start()
    await settle()
    member.leave('taking too long to read the config topic')
    await settle()
    assert.equal(calls.calls.at(-1), 'leave:m-1')
    assert.equal(member.state, 'unjoined')
    const before = calls.calls.length
    clock.advance(10000)
    await settle()
    assert.equal(calls.calls.length, before, 'silent while out of the group')
    member.requestRejoin('config topic read')
    await settle()
    assert.deepEqual(calls.calls.slice(before), ['join@1:-', 'join@1:m-1', 'sync:2'])
    assert.equal(member.state, 'stable')
    await member.close()
  })

  test('close without LeaveGroup (a crash) and close through the owner signal', async () => {
    const crash = setup()
    crash.member.start()
    await settle()
    await crash.member.close({ leaveGroup: false })
    assert.equal(
      crash.calls.calls.some((c) => c.startsWith('leave')),
      false,
    )

    const owned = setup()
    const owner = new AbortController()
    owned.member.start(owner.signal)
    await settle()
    owner.abort()
    await settle()
    assert.equal(owned.member.state, 'closed')
    assert.ok(owned.calls.calls.includes('leave:m-1'))
  })
})
