/**
 * Connect group membership on the real broker: workers (GroupMember + ConnectCoordinator) join one group, share
 * connectors and tasks, and rebalance when a worker dies, joins or leaves. Each test has its own group.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import type { ConfigSnapshot } from '../../../src/assignors/types.ts'
import {
  completeAndExact,
  eventually,
  settled,
  TestWorker,
  type TestWorkerOptions,
} from '../../support/connect-worker.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const configs: ConfigSnapshot = {
  offset: 7n,
  connectorTasks: new Map([
    ['orders', 4],
    ['payments', 4],
    ['users', 4],
  ]),
}

let workers: TestWorker[] = []

function spawn(groupId: string, name: string, extra: Partial<TestWorkerOptions> = {}): TestWorker {
  const w = new TestWorker({ name, groupId, bootstrap: testBootstrap(), configs, ...extra }).start()
  workers.push(w)
  return w
}

function loads(ws: TestWorker[]): number[] {
  return ws.map((w) => w.running.size).sort((a, b) => a - b)
}

afterEach(async () => {
  await Promise.all(workers.map((w) => w.close().catch(() => {})))
  workers = []
})

describe('Connect group on a real broker', () => {
  test('three workers join and get a balanced, complete assignment under the sessioned protocol', async () => {
    const group = uniqueName('connect-join')
    const ws = ['w1', 'w2', 'w3'].map((n) => spawn(group, n))
    await eventually(
      'a balanced assignment',
      60_000,
      () => settled(ws) && completeAndExact(ws, configs) && loads(ws)[0] === 5,
    )
    assert.deepEqual(loads(ws), [5, 5, 5])
    assert.ok(ws.every((w) => w.rebalances.at(-1)?.protocol === 'sessioned'))
    const leaders = new Set(ws.map((w) => w.rebalances.at(-1)?.leaderId))
    assert.equal(leaders.size, 1, 'one leader for everyone')
    assert.equal(ws.filter((w) => w.rebalances.at(-1)?.isLeader).length, 1)
  })

  test('a worker killed without LeaveGroup: its work goes to the survivors after the session timeout and the delay', async () => {
    const group = uniqueName('connect-kill')
    const ws = ['w1', 'w2', 'w3'].map((n) => spawn(group, n, { sessionTimeoutMs: 6000, maxDelayMs: 1500 }))
    await eventually('a balanced assignment', 60_000, () => settled(ws) && completeAndExact(ws, configs))
    // A follower: when the leader dies, the next leader starts from a clean slate and reassigns at once (as Java).
    const victim = ws.find((w) => w.rebalances.at(-1)?.isLeader === false) as TestWorker
    const survivors = ws.filter((w) => w !== victim)
    const generationBefore = victim.generation
    await victim.close(false)
    // Until the session timeout, the survivors keep their own work and nobody runs the victim's.
    const ms = await eventually('the victim’s work on the survivors', 60_000, () =>
      completeAndExact(survivors, configs),
    )
    assert.ok(ms >= 4000, `not before the session timeout (${ms} ms)`)
    assert.ok(survivors.every((w) => w.generation > generationBefore))
    assert.ok(
      survivors.some((w) => w.rebalances.some((r) => r.delay > 0)),
      'the leader scheduled a delay before handing out lost work',
    )
    await eventually('a settled group', 30_000, () => settled(survivors))
  })

  test('the leader killed: a survivor leads from a clean slate and hands out the work without waiting', async () => {
    const group = uniqueName('connect-kill-leader')
    const ws = ['w1', 'w2', 'w3'].map((n) => spawn(group, n, { sessionTimeoutMs: 6000, maxDelayMs: 60_000 }))
    await eventually('a balanced assignment', 60_000, () => settled(ws) && completeAndExact(ws, configs))
    const leader = ws.find((w) => w.rebalances.at(-1)?.isLeader) as TestWorker
    const survivors = ws.filter((w) => w !== leader)
    await leader.close(false)
    // As in Java, the new leader has no memory of the old assignment: nothing is "lost", so the 60 s delay never
    // starts; the dead leader's work is simply unassigned configured work.
    await eventually('the leader’s work on the survivors', 30_000, () => completeAndExact(survivors, configs))
    assert.ok(survivors.some((w) => w.rebalances.at(-1)?.isLeader))
  })

  test('a fourth worker joins: only the revocations needed to give it its share', async () => {
    const group = uniqueName('connect-grow')
    const ws = ['w1', 'w2', 'w3'].map((n) => spawn(group, n))
    await eventually('a balanced assignment', 60_000, () => settled(ws) && completeAndExact(ws, configs))
    const before = new Map(ws.map((w) => [w.name, w.running.toWork()]))
    for (const w of ws) w.revocations.length = 0
    const w4 = spawn(group, 'w4')
    const all = [...ws, w4]
    await eventually(
      'four balanced workers',
      60_000,
      () => settled(all) && completeAndExact(all, configs) && w4.running.size >= 3,
    )
    assert.deepEqual(loads(all), [3, 4, 4, 4])
    const revoked = ws.reduce(
      (n, w) => n + w.revocations.reduce((m, r) => m + r.connectors.length + r.tasks.length, 0),
      0,
    )
    assert.equal(revoked, w4.running.size, 'exactly what the newcomer now runs was revoked, nothing more')
    for (const w of ws) {
      // Whatever an old worker runs now, it already ran before: nothing moved between old workers.
      const old = before.get(w.name)
      for (const c of w.running.connectors) assert.ok(old?.connectors.includes(c), `${w.name} kept ${c}`)
    }
  })

  test('a clean LeaveGroup starts a rebalance at once, long before the session timeout', async () => {
    const group = uniqueName('connect-leave')
    const ws = ['w1', 'w2', 'w3'].map((n) => spawn(group, n, { sessionTimeoutMs: 45_000, maxDelayMs: 1000 }))
    await eventually('a balanced assignment', 60_000, () => settled(ws) && completeAndExact(ws, configs))
    const [leaver, ...survivors] = ws as [TestWorker, TestWorker, TestWorker]
    const generationBefore = leaver.generation
    await leaver.close(true)
    const ms = await eventually('a new generation', 30_000, () =>
      survivors.every((w) => w.generation > generationBefore),
    )
    assert.ok(ms < 20_000, `rebalanced in ${ms} ms, not after the 45 s session timeout`)
    await eventually('the leaver’s work on the survivors', 30_000, () => completeAndExact(survivors, configs))
  })

  test('an eager worker in the group makes everyone fall back to the default protocol', async () => {
    const group = uniqueName('connect-mixed')
    const ws = [spawn(group, 'w1', { mode: 'sessioned' }), spawn(group, 'w2', { mode: 'eager' })]
    await eventually('a complete assignment', 60_000, () => settled(ws) && completeAndExact(ws, configs))
    assert.ok(ws.every((w) => w.rebalances.at(-1)?.protocol === 'default'))
  })
})
