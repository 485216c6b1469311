/**
 * The incremental cooperative assignor, rule by rule. Scenarios and expected counts follow Java's
 * IncrementalCooperativeAssignorTest, so that the two agree on the numbers, not only on the spirit.
 * Each starts like Java's: connector1 and connector2 with 4 tasks each, and worker1.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { revocationBackoff } from '../../../src/assignors/cooperative.ts'
import { reassignAtOncePolicy } from '../../../src/assignors/lost-work.ts'
import { WorkSet } from '../../../src/assignors/work-sets.ts'
import { FIVE_MINUTES, Sim } from './sim.ts'

function cluster(maxDelay = FIVE_MINUTES): Sim {
  return new Sim(maxDelay).connector('connector1', 4).connector('connector2', 4).join('worker1')
}

describe('incremental cooperative assignor', () => {
  test('first round: everything configured goes out, balanced, with no delay', () => {
    const sim = cluster().join('worker2')
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual(sim.connectorCounts(), [1, 1])
    assert.deepEqual(sim.taskCounts(), [4, 4])
    sim.assertCompleteAndExact()
  })

  test('a worker joins: only the needed revocations, then the freed work goes to the newcomer', () => {
    const sim = cluster()
    sim.rebalance()
    assert.deepEqual([sim.connectorCounts(), sim.taskCounts()], [[2], [8]])

    sim.join('worker2')
    assert.equal(sim.rebalance().delay, 0)
    // worker1 gives up exactly its surplus: 1 connector and 4 tasks; nothing is assigned yet.
    assert.deepEqual(sim.last?.assignments.get('worker1')?.revoked.connectors.length, 1)
    assert.deepEqual(sim.last?.assignments.get('worker1')?.revoked.tasks.length, 4)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 1],
        [0, 4],
      ],
    )

    sim.rebalance() // the follow-up the revocation asks for
    assert.equal(sim.revokedAnything(), false)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1],
        [4, 4],
      ],
    )
    sim.assertCompleteAndExact()

    sim.sleep(sim.last?.delay ?? 0)
    sim.rebalance()
    assert.equal(sim.assignedAnything() || sim.revokedAnything(), false, 'a stable group stays put')
  })

  test('successive revoking rounds back off: 1 ms ×40 per round, capped at the max delay', () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => revocationBackoff(n, FIVE_MINUTES)),
      [40, 1600, 64000],
    )
    // Java computes the cap through logarithms too: the 4th round lands on (or a hair below) the max.
    for (const n of [4, 5, 50]) assert.ok(revocationBackoff(n, FIVE_MINUTES) >= FIVE_MINUTES - 1)
    assert.equal(revocationBackoff(3, 0), 0, 'no backoff when delays are disabled')

    // Java's testAssignmentsWhenWorkersJoinAfterRevocations, step by step.
    const sim = cluster().connector('connector3', 4)
    sim.rebalance()
    sim.join('worker2')
    sim.rebalance()
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 2],
        [0, 6],
      ],
    )
    sim.join('worker3')
    assert.ok(sim.rebalance().delay > 0, 'a second revoking round in a row is postponed')
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 1, 2],
        [3, 3, 6],
      ],
    )
    sim.sleep(sim.last?.delay ?? 0).join('worker4')
    sim.rebalance()
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 0, 1, 1],
        [0, 3, 3, 3],
      ],
    )
    sim.join('worker5')
    assert.ok(sim.rebalance().delay > 40, 'the backoff grows')
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 0, 1, 1, 1],
        [1, 2, 3, 3, 3],
      ],
    )
    sim.sleep(sim.last?.delay ?? 0).join('worker6')
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 0, 0, 1, 1, 1],
        [0, 1, 2, 2, 2, 2],
      ],
    )
    sim.rebalance()
    assert.deepEqual(sim.taskCounts(), [2, 2, 2, 2, 2, 2])
    sim.assertCompleteAndExact()
  })

  test('with scheduled.rebalance.max.delay.ms = 0, successive revocations happen at once', () => {
    const sim = cluster(0).connector('connector3', 4)
    sim.rebalance()
    sim.join('worker2')
    sim.rebalance()
    sim.join('worker3')
    assert.equal(sim.rebalance().delay, 0)
    assert.ok(sim.revokedAnything(), 'revoked again without waiting')
    sim.rebalance()
    sim.assertCompleteAndExact()
    sim.assertBalanced()
  })

  test('a worker leaves: the delay starts and its work stays unassigned until the delay expires', () => {
    const sim = cluster().join('worker2')
    sim.rebalance()
    sim.leave('worker2')
    assert.equal(sim.rebalance().delay, FIVE_MINUTES)
    assert.equal(sim.assignedAnything(), false)

    sim.sleep(FIVE_MINUTES / 2)
    assert.equal(sim.rebalance().delay, FIVE_MINUTES / 2, 'an incidental round keeps the original deadline')
    assert.equal(sim.assignedAnything(), false)

    sim.sleep(FIVE_MINUTES / 2 + 1)
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual([sim.connectorCounts(), sim.taskCounts()], [[2], [8]])
    sim.assertCompleteAndExact()
  })

  test('a worker that released its work before leaving: the work is reassigned at once, despite the delay', () => {
    const sim = cluster().join('worker2')
    sim.rebalance()
    const released = new WorkSet(sim.workers.get('worker2')?.toWork())
    sim.isReleased = (w) => (typeof w === 'string' ? released.hasConnector(w) : released.hasTask(w))
    sim.leave('worker2')
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual([sim.connectorCounts(), sim.taskCounts()], [[2], [8]])
    sim.assertCompleteAndExact()
  })

  test('released and crashed work in one round: the released goes out, the crashed waits for the delay', () => {
    const sim = cluster().join('worker2', 'worker3')
    sim.rebalance()
    const released = new WorkSet(sim.workers.get('worker2')?.toWork())
    sim.isReleased = (w) => (typeof w === 'string' ? released.hasConnector(w) : released.hasTask(w))
    const crashed = sim.workers.get('worker3')?.taskCount ?? 0
    sim.leave('worker2', 'worker3')
    assert.equal(sim.rebalance().delay, FIVE_MINUTES)
    assert.equal(sim.workers.get('worker1')?.taskCount, 8 - crashed)
  })

  test("under tsconnect's default policy a crashed worker's work is reassigned in the round that finds it gone", () => {
    const sim = new Sim(FIVE_MINUTES, reassignAtOncePolicy)
      .connector('connector1', 4)
      .connector('connector2', 4)
      .join('worker1', 'worker2')
    sim.rebalance()
    sim.leave('worker2')
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual([sim.connectorCounts(), sim.taskCounts()], [[2], [8]])
    sim.assertCompleteAndExact()
  })

  test('a worker bounces: when the delay expires its work goes back to it (a candidate), with no revocation', () => {
    const sim = cluster().join('worker2')
    sim.rebalance()
    sim.leave('worker2')
    sim.rebalance()
    sim.sleep(FIVE_MINUTES / 2)
    sim.rebalance()
    sim.sleep(FIVE_MINUTES / 4).join('worker2')
    assert.equal(sim.rebalance().delay, FIVE_MINUTES / 4, 'still waiting although the worker is back')
    assert.equal(sim.assignedAnything(), false)
    sim.sleep(FIVE_MINUTES / 4)
    assert.equal(sim.rebalance().delay, 0)
    assert.equal(sim.revokedAnything(), false)
    assert.deepEqual(sim.last?.assignments.get('worker2')?.assigned.tasks.length, 4)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1],
        [4, 4],
      ],
    )
    sim.assertCompleteAndExact()
  })

  test('lost work that was never delivered (no member left) is reassigned at once', () => {
    const sim = cluster().join('worker2')
    sim.rebalance()
    // worker2 lost its work without leaving, e.g. it missed the SyncGroup answer and restarted its tasks' owner.
    sim.join('worker2')
    assert.equal(sim.rebalance().delay, 0)
    sim.assertCompleteAndExact()
  })

  test('with max delay 0, lost work is reassigned in the very round the worker is gone', () => {
    const sim = cluster(0).join('worker2', 'worker3')
    sim.rebalance()
    sim.leave('worker3')
    assert.equal(sim.rebalance().delay, 0)
    sim.assertCompleteAndExact()
  })

  test('leader change: the new leader starts from a clean slate and assigns what nobody runs', () => {
    const sim = cluster().join('worker2', 'worker3')
    sim.rebalance()
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 1, 1],
        [2, 3, 3],
      ],
    )
    sim.leave('worker1').newLeader()
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1],
        [4, 4],
      ],
    )
    sim.assertCompleteAndExact()
  })

  test('a round whose previous generation is not the last completed one forgets the previous assignment', () => {
    const sim = cluster().join('worker2')
    sim.rebalance()
    sim.generation++ // a round the leader never completed
    sim.leave('worker2')
    // Without memory of worker2's work, nothing is "lost": its work is simply unassigned configured work.
    assert.equal(sim.rebalance().delay, 0)
    sim.assertCompleteAndExact()
  })

  test('connectors added: new work is water-filled over the least-loaded workers', () => {
    const sim = cluster().join('worker2', 'worker3')
    sim.rebalance()
    sim.connector('connector3', 5)
    sim.rebalance()
    assert.equal(sim.revokedAnything(), false)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1, 1],
        [4, 4, 5],
      ],
    )
    sim.assertCompleteAndExact()
  })

  test('connectors removed: their connector and tasks are revoked from whoever runs them', () => {
    const sim = cluster().connector('connector3', 4).join('worker2')
    sim.rebalance()
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 2],
        [6, 6],
      ],
    )
    sim.connectors.delete('connector3')
    assert.equal(sim.rebalance().delay, 0)
    const revoked = [...(sim.last?.assignments.values() ?? [])].flatMap((a) => [
      ...a.revoked.connectors,
      ...a.revoked.tasks.map((t) => t.connector),
    ])
    assert.ok(revoked.includes('connector3'))
    sim.rebalance()
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1],
        [4, 4],
      ],
    )
    sim.assertCompleteAndExact()
  })

  test('duplicated work is revoked from every holder, then assigned to one', () => {
    const sim = cluster()
    sim.rebalance()
    sim.joinRunning('worker2', {
      connectors: ['connector1'],
      tasks: [0, 1, 2, 3].map((task) => ({ connector: 'connector1', task })),
    })
    assert.equal(sim.rebalance().delay, 0)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [0, 1],
        [0, 4],
      ],
    )
    sim.rebalance()
    assert.equal(sim.revokedAnything(), false)
    assert.deepEqual(
      [sim.connectorCounts(), sim.taskCounts()],
      [
        [1, 1],
        [4, 4],
      ],
    )
    sim.assertCompleteAndExact()
  })

  test('a revocation that did not take effect is applied again', () => {
    const sim = cluster()
    sim.rebalance()
    sim.join('worker2')
    sim.rebalance() // worker1 is told to give up half
    // worker1 never applied it (say it missed the SyncGroup answer): it still runs everything.
    const w1 = sim.workers.get('worker1')
    w1?.addAll({
      connectors: ['connector1', 'connector2'],
      tasks: [0, 1, 2, 3].flatMap((task) => [
        { connector: 'connector1', task },
        { connector: 'connector2', task },
      ]),
    })
    sim.rebalance()
    sim.rebalance()
    sim.sleep(sim.last?.delay ?? 0)
    sim.rebalance()
    sim.rebalance()
    sim.assertCompleteAndExact()
    sim.assertBalanced()
  })
})
