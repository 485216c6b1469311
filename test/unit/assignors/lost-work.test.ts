/**
 * Java's lost-work policy, one row per branch of IncrementalCooperativeAssignor.handleLostAssignments. The table is the specification of the seam a faster
 * failover policy will replace.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type DelayState,
  type LostWorkInput,
  reassignAtOncePolicy,
  scheduledDelayPolicy,
} from '../../../src/assignors/lost-work.ts'

const lost = { connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] }
const none = { connectors: [], tasks: [] }
const idle: DelayState = { scheduledRebalance: 0, delay: 0, candidateWorkers: [], revokedInPrevious: false }
const busy = { connectors: ['d'], tasks: [] }

function input(over: Partial<LostWorkInput>): LostWorkInput {
  return {
    lost,
    workers: [
      { worker: 'a', load: busy },
      { worker: 'b', load: none },
    ],
    previousMembers: ['a', 'b', 'gone'],
    now: 1000,
    maxDelay: 300,
    state: idle,
    ...over,
  }
}

describe('scheduledDelayPolicy (Java handleLostAssignments)', () => {
  const rows: [string, Partial<LostWorkInput>, { pool: boolean; delay: number; scheduled: number; to?: string }][] = [
    [
      'a. nothing lost, no revocation last round: the delay is cancelled',
      { lost: none, state: { ...idle, delay: 50, scheduledRebalance: 1050, candidateWorkers: ['b'] } },
      { pool: false, delay: 0, scheduled: 0 },
    ],
    [
      'b. no delay running and all previous members present: reassign now',
      { previousMembers: ['a', 'b'] },
      { pool: true, delay: 0, scheduled: 0 },
    ],
    ['c. max delay 0: reassign now', { maxDelay: 0 }, { pool: true, delay: 0, scheduled: 0 }],
    [
      'd. delay expired with a candidate present: the candidate gets it',
      { now: 1400, state: { ...idle, delay: 300, scheduledRebalance: 1300, candidateWorkers: ['b'] } },
      { pool: false, delay: 0, scheduled: 0, to: 'b' },
    ],
    [
      'd. delay expired, candidates gone: into the pool',
      { now: 1400, state: { ...idle, delay: 300, scheduledRebalance: 1300, candidateWorkers: ['gone'] } },
      { pool: true, delay: 0, scheduled: 0 },
    ],
    ['e. a member left: start waiting the max delay', {}, { pool: false, delay: 300, scheduled: 1300 }],
    [
      'e. already waiting: the remaining time',
      { now: 1100, state: { ...idle, delay: 300, scheduledRebalance: 1300 } },
      { pool: false, delay: 200, scheduled: 1300 },
    ],
  ]
  for (const [name, over, expected] of rows) {
    test(name, () => {
      const d = scheduledDelayPolicy(input(over))
      assert.equal(d.toPool.connectors.length > 0, expected.pool, 'pooled')
      assert.equal(d.state.delay, expected.delay, 'delay')
      assert.equal(d.state.scheduledRebalance, expected.scheduled, 'scheduled')
      if (expected.to) assert.deepEqual(d.toWorkers.get(expected.to), lost)
      else assert.equal(d.toWorkers.size, 0)
    })
  }

  test('e. members with nothing to do become candidates while waiting', () => {
    const d = scheduledDelayPolicy(input({}))
    assert.deepEqual(d.state.candidateWorkers, ['b'])
  })

  test('d. several candidates share lost work round-robin, connectors and tasks each from the first', () => {
    const d = scheduledDelayPolicy(
      input({
        lost: { connectors: ['x', 'y', 'z'], tasks: [0, 1, 2].map((task) => ({ connector: 'x', task })) },
        now: 2000,
        state: { ...idle, delay: 300, scheduledRebalance: 1300, candidateWorkers: ['b', 'a'] },
      }),
    )
    assert.deepEqual(d.toWorkers.get('b')?.connectors, ['x', 'z'])
    assert.deepEqual(d.toWorkers.get('a')?.connectors, ['y'])
    assert.deepEqual(
      d.toWorkers.get('b')?.tasks.map((t) => t.task),
      [0, 2],
    )
  })
})

describe("reassignAtOncePolicy (tsconnect's default)", () => {
  test('lost work goes to the pool in the round that finds it lost, even with members missing', () => {
    const d = reassignAtOncePolicy(input({}))
    assert.deepEqual(d.toPool, lost)
    assert.equal(d.state.delay, 0)
  })

  test('a delay scheduled under another policy is cancelled', () => {
    const d = reassignAtOncePolicy(
      input({ state: { ...idle, delay: 300, scheduledRebalance: 1300, candidateWorkers: ['b'] } }),
    )
    assert.deepEqual([d.state.delay, d.state.scheduledRebalance, d.state.candidateWorkers], [0, 0, []])
  })
})
