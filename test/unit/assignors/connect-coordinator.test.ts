/**
 * The Connect side of membership without a broker: a few ConnectCoordinators play rounds as the broker would run
 * them (every member offers protocols, the broker picks the first common one, the leader assigns, each member gets
 * its bytes). Checks what the herder sees: revocations first, full assignments, the eager revoke-all, the metadata
 * that carries the current allocation.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  ConnectCoordinator,
  type ConnectCoordinatorOptions,
  type RebalanceResult,
} from '../../../src/assignors/connect-coordinator.ts'
import type { ConfigSnapshot } from '../../../src/assignors/types.ts'
import { type ConnectAssignment, decodeAssignment, encodeAssignment } from '../../../src/protocol/connect-assignment.ts'
import { decodeWorkerMetadata } from '../../../src/protocol/connect-metadata.ts'
import type { ConnectProtocolMode } from '../../../src/protocol/connect-protocol.ts'
import type { ConnectorsAndTasks } from '../../../src/protocol/connector-assignments.ts'
import { ManualClock } from '../../../src/util/clock.ts'

interface Worker {
  id: string
  coordinator: ConnectCoordinator
  events: ({ revoked: ConnectorsAndTasks } | { assigned: RebalanceResult })[]
}

function worker(
  id: string,
  mode: ConnectProtocolMode,
  configs: { current: ConfigSnapshot },
  clock: ManualClock,
  releasedBy?: ConnectCoordinatorOptions['releasedBy'],
): Worker {
  const events: Worker['events'] = []
  const coordinator = new ConnectCoordinator({
    ...(releasedBy ? { releasedBy } : {}),
    mode,
    url: `http://${id}:8083`,
    configs: { snapshot: () => configs.current },
    maxDelayMs: 1000,
    clock,
    listener: {
      onRevoked: (_leader, work) => {
        events.push({ revoked: work })
      },
      onAssigned: (result) => {
        events.push({ assigned: result })
      },
    },
  })
  return { id, coordinator, events }
}

/** One rebalance as the broker runs it; the first worker leads. */
async function round(workers: Worker[], generationId: number): Promise<string> {
  for (const w of workers) await w.coordinator.onJoinPrepare()
  const offered = workers.map((w) => ({ id: w.id, protocols: w.coordinator.protocols() }))
  const first = offered[0]?.protocols ?? []
  const chosen = first.find((p) => offered.every((o) => o.protocols.some((q) => q.name === p.name)))?.name as string
  const leader = workers[0] as Worker
  const bytes = leader.coordinator.assign({
    generationId,
    leaderId: leader.id,
    protocol: chosen,
    skipAssignment: false,
    members: offered.map((o) => ({
      memberId: o.id,
      metadata: o.protocols.find((p) => p.name === chosen)?.metadata as Buffer,
    })),
  })
  for (const w of workers) {
    await w.coordinator.onAssignment({
      generationId,
      memberId: w.id,
      leaderId: leader.id,
      protocol: chosen,
      assignment: bytes.get(w.id) as Buffer,
    })
  }
  return chosen
}

const twoConnectors = (offset: bigint): ConfigSnapshot => ({
  offset,
  connectorTasks: new Map([
    ['c1', 2],
    ['c2', 2],
  ]),
})

function count(w: ConnectorsAndTasks | undefined): number {
  return (w?.connectors.length ?? 0) + (w?.tasks.length ?? 0)
}

function lastAssigned(w: Worker): RebalanceResult {
  const e = [...w.events].reverse().find((x) => 'assigned' in x)
  assert.ok(e && 'assigned' in e)
  return e.assigned
}

describe('ConnectCoordinator', () => {
  test('sessioned workers offer sessioned, compatible, default and settle on sessioned', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const w = worker('a', 'sessioned', configs, clock)
    assert.deepEqual(
      w.coordinator.protocols().map((p) => p.name),
      ['sessioned', 'compatible', 'default'],
    )
    assert.equal(await round([w], 1), 'sessioned')
    const r = lastAssigned(w)
    assert.equal(count(r.assignment), 6)
    assert.equal(r.isLeader, true)
    assert.equal(r.nextStep.action, 'start')
    assert.equal(r.leaderUrl, 'http://a:8083')
  })

  test('a worker joining: the old one is told to stop its surplus first, then the newcomer gets it', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'compatible', configs, clock)
    await round([a], 1)
    const b = worker('b', 'compatible', configs, clock)
    await round([a, b], 2)
    const revokedEvent = a.events.find((e) => 'revoked' in e)
    assert.ok(revokedEvent && 'revoked' in revokedEvent, 'revocations reach the listener')
    assert.equal(count(revokedEvent.revoked), 3)
    assert.equal(count(lastAssigned(a).assignment), 3, 'a runs the rest: previous − revoked + assigned')
    assert.equal(count(lastAssigned(b).assignment), 0)
    await round([a, b], 3)
    assert.equal(count(lastAssigned(b).assignment), 3)
    // The metadata of the next join reports the full current assignment as the allocation.
    const meta = decodeWorkerMetadata(b.coordinator.protocols()[0]?.metadata as Buffer)
    assert.equal(count(meta.allocation?.assigned), 3)
  })

  test('the leader asks about lost work with the ids of the workers that left; released work is reassigned at once', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const asked: string[][] = []
    const a = worker('a', 'sessioned', configs, clock, (_work, departed) => {
      asked.push([...departed])
      return true
    })
    const b = worker('b', 'sessioned', configs, clock)
    await round([a, b], 1)
    assert.equal(count(lastAssigned(b).assignment), 3)
    await round([a], 2)
    assert.deepEqual(new Set(asked.flat()), new Set(['b:8083']))
    assert.equal(lastAssigned(a).delay, 0, 'no scheduled delay (maxDelayMs is 1000)')
    assert.equal(count(lastAssigned(a).assignment), 6)
  })

  test('lost work its owner did not release waits for the scheduled delay', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'sessioned', configs, clock, () => false)
    await round([a, worker('b', 'sessioned', configs, clock)], 1)
    await round([a], 2)
    assert.equal(lastAssigned(a).delay, 1000)
    assert.equal(count(lastAssigned(a).assignment), 3)
  })

  test('a static leader that rejoins a stable group skips the assignment and still knows it leads', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'sessioned', configs, clock)
    await round([a], 1)
    const stored = a.coordinator.assign({
      generationId: 1,
      leaderId: 'a2',
      protocol: 'sessioned',
      members: [],
      skipAssignment: true,
    })
    assert.equal(stored.size, 0)
    // The broker hands back the assignment it keeps, which names the leader by its old member id.
    const restarted = worker('a2', 'sessioned', configs, clock)
    const bytes = encodeAssignment({ ...(a.coordinator.assignment as ConnectAssignment) })
    await restarted.coordinator.onAssignment({
      generationId: 1,
      memberId: 'a2',
      leaderId: 'a2',
      protocol: 'sessioned',
      assignment: bytes,
    })
    assert.equal(lastAssigned(restarted).isLeader, true)
    assert.equal(count(lastAssigned(restarted).assignment), 6)
  })

  test('the leader gives members that joined with a group.instance.id their whole load in every assignment', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'sessioned', configs, clock)
    await round([a], 1)
    const metadata = a.coordinator.protocols()[0]?.metadata as Buffer
    const member = (groupInstanceId: string | null) => ({ memberId: 'a', groupInstanceId, metadata })
    const assigned = (groupInstanceId: string | null) => {
      const bytes = a.coordinator.assign({
        generationId: 2,
        leaderId: 'a',
        protocol: 'sessioned',
        members: [member(groupInstanceId)],
        skipAssignment: false,
      })
      return count(decodeAssignment(bytes.get('a') as Buffer).assigned)
    }
    assert.equal(assigned(null), 0, 'a dynamic member: only the increment, empty in a quiet round')
    assert.equal(assigned('worker-a'), 6)
  })

  test('one eager worker in a compatible group makes everyone use default, and eager revokes all before joining', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'compatible', configs, clock)
    const b = worker('b', 'eager', configs, clock)
    assert.equal(await round([a, b], 1), 'default')
    assert.equal(count(lastAssigned(a).assignment) + count(lastAssigned(b).assignment), 6)
    a.events.length = 0
    await round([a, b], 2)
    assert.ok('revoked' in (a.events[0] ?? {}), 'everything was revoked in onJoinPrepare')
    assert.equal(count((a.events[0] as { revoked: ConnectorsAndTasks }).revoked), 3)
  })

  test('a leader behind a member gives CONFIG_MISMATCH; the herder is told to read to the end and rejoin', async () => {
    const leaderConfigs = { current: twoConnectors(3n) }
    const followerConfigs = { current: twoConnectors(9n) }
    const clock = new ManualClock()
    const a = worker('a', 'sessioned', leaderConfigs, clock)
    const b = worker('b', 'sessioned', followerConfigs, clock)
    await round([a, b], 1)
    assert.equal(lastAssigned(a).error, 1)
    assert.equal(lastAssigned(a).nextStep.action, 'read-to-end-then-rejoin')
    assert.equal(lastAssigned(b).nextStep.action, 'rejoin')
    assert.equal(lastAssigned(b).configOffset, 9n)
  })

  test('when the coordinator is unreachable, the whole assignment is revoked and forgotten', async () => {
    const configs = { current: twoConnectors(3n) }
    const a = worker('a', 'sessioned', configs, new ManualClock())
    await round([a], 1)
    await a.coordinator.onCoordinatorUnreachable()
    const last = a.events.at(-1)
    assert.ok(last && 'revoked' in last)
    assert.equal(count(last.revoked), 6)
    assert.equal(a.coordinator.assignment, null)
  })

  test('the leader knows the owner URL of each connector and task', async () => {
    const configs = { current: twoConnectors(3n) }
    const clock = new ManualClock()
    const a = worker('a', 'sessioned', configs, clock)
    const b = worker('b', 'sessioned', configs, clock)
    await round([a, b], 1)
    const urls = new Set(['http://a:8083', 'http://b:8083'])
    assert.ok(urls.has(a.coordinator.ownerUrl('c1') ?? ''))
    assert.ok(urls.has(a.coordinator.ownerUrl({ connector: 'c2', task: 1 }) ?? ''))
    assert.equal(a.coordinator.ownerUrl('nope'), null)
  })
})
