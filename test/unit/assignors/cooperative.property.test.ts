/**
 * Properties of the incremental cooperative assignor over random histories (workers joining, crashing, connectors
 * created, deleted and resized, time passing):
 * - after every round, no connector or task runs on two workers;
 * - once the group settles (rebalancing while asked to: after revocations and when the delay runs out), every
 *   configured connector and task runs exactly once, nothing else runs, and the loads are balanced.
 */
import { test } from 'node:test'
import fc from 'fast-check'
import { Sim } from './sim.ts'

type Op =
  | { kind: 'join'; id: string }
  | { kind: 'leave'; id: string }
  | { kind: 'connector'; name: string; tasks: number }
  | { kind: 'delete'; name: string }
  | { kind: 'sleep'; ms: number }
  | { kind: 'rebalance' }

const worker = fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5')
const connector = fc.constantFrom('a', 'b', 'c', 'd', 'e')
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('join' as const), id: worker }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('leave' as const), id: worker }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('connector' as const), name: connector, tasks: fc.nat(6) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), name: connector }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('sleep' as const), ms: fc.nat(400) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'rebalance' as const }), weight: 4 },
)

function settle(sim: Sim): void {
  for (let round = 0; round < 40; round++) {
    const r = sim.rebalance()
    sim.assertNoDuplicates()
    if (!sim.revokedAnything() && r.delay === 0) return
    sim.sleep(r.delay)
  }
  throw new Error('the group did not settle in 40 rounds')
}

test('no work on two workers ever; all configured work runs exactly once, balanced, once settled', () => {
  fc.assert(
    fc.property(fc.constantFrom(0, 300), fc.array(op, { maxLength: 40 }), (maxDelay, ops) => {
      const sim = new Sim(maxDelay).join('w1')
      for (const o of ops) {
        switch (o.kind) {
          case 'join':
            if (!sim.workers.has(o.id)) sim.join(o.id)
            break
          case 'leave':
            if (sim.workers.size > 1) sim.leave(o.id)
            break
          case 'connector':
            sim.connector(o.name, o.tasks)
            break
          case 'delete':
            sim.connectors.delete(o.name)
            break
          case 'sleep':
            sim.sleep(o.ms)
            break
          case 'rebalance':
            sim.rebalance()
            sim.assertNoDuplicates()
            break
        }
      }
      settle(sim)
      sim.assertCompleteAndExact()
      sim.assertBalanced()
    }),
    { numRuns: 300 },
  )
})
