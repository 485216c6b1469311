/**
 * The leader's step: config offsets (CONFIG_MISMATCH), the choice of assignor by sub-protocol, and the fields
 * every assignment carries.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { afterConfigRead, afterRebalance } from '../../../src/assignors/config-sync.ts'
import { leaderAssign } from '../../../src/assignors/connect-leader.ts'
import { INITIAL_COOPERATIVE_STATE } from '../../../src/assignors/cooperative.ts'
import type { ConfigSnapshot } from '../../../src/assignors/types.ts'
import { ASSIGNMENT_ERROR } from '../../../src/protocol/connect-assignment.ts'
import type { WorkerMetadata } from '../../../src/protocol/connect-metadata.ts'

const config = (offset: bigint): ConfigSnapshot => ({ offset, connectorTasks: new Map([['c', 2]]) })
const member = (url: string, configOffset: bigint): WorkerMetadata => ({
  version: 1,
  url,
  configOffset,
  allocation: null,
})

function run(
  leaderOffset: bigint,
  freshOffset: bigint,
  protocol: 'default' | 'compatible' | 'sessioned' = 'compatible',
) {
  return leaderAssign({
    protocol,
    leaderId: 'L',
    members: new Map([
      ['L', member('http://l', leaderOffset)],
      ['F', member('http://f', 10n)],
    ]),
    snapshot: config(leaderOffset),
    freshSnapshot: () => config(freshOffset),
    generationId: 1,
    lastCompletedGenerationId: -1,
    now: 0,
    maxDelay: 300000,
    state: INITIAL_COOPERATIVE_STATE,
  })
}

describe('leader step', () => {
  test('a leader behind a member that cannot catch up: CONFIG_MISMATCH for all, at the max offset, empty', () => {
    const r = run(5n, 7n)
    assert.equal(r.configMismatch, true)
    for (const a of r.assignments.values()) {
      assert.equal(a.error, ASSIGNMENT_ERROR.CONFIG_MISMATCH)
      assert.equal(a.configOffset, 10n)
      assert.deepEqual([a.assigned.connectors, a.assigned.tasks, a.delay], [[], [], 0])
      assert.equal(a.leaderUrl, 'http://l')
    }
    assert.equal(r.state, INITIAL_COOPERATIVE_STATE, 'the assignor state is untouched')
  })

  test('a leader behind that catches up with a fresh snapshot assigns at the fresh offset', () => {
    const r = run(5n, 12n)
    assert.equal(r.configMismatch, false)
    for (const a of r.assignments.values()) assert.equal(a.configOffset, 12n)
  })

  test('an up-to-date leader assigns at the max offset, v1 layout for compatible, v2 for sessioned', () => {
    for (const [protocol, version] of [
      ['compatible', 1],
      ['sessioned', 2],
      ['default', 0],
    ] as const) {
      const r = run(10n, 10n, protocol)
      const all = [...r.assignments.values()]
      assert.ok(all.every((a) => a.version === version && a.error === 0 && a.configOffset === 10n && a.leader === 'L'))
      const total = all.reduce((n, a) => n + a.assigned.connectors.length + a.assigned.tasks.length, 0)
      assert.equal(total, 3, `${protocol}: the connector and both tasks are assigned`)
    }
  })
})

describe('after a rebalance (handleRebalanceCompleted)', () => {
  const rows: [string, Parameters<typeof afterRebalance>[0], string][] = [
    ['up to date: start', { error: 0, assignmentOffset: 5n, localOffset: 5n, isLeader: false }, 'start'],
    [
      'behind the assignment: read to the end',
      { error: 0, assignmentOffset: 6n, localOffset: 5n, isLeader: false },
      'read-to-end',
    ],
    [
      'mismatch, leader: read then rejoin',
      { error: 1, assignmentOffset: 5n, localOffset: 5n, isLeader: true },
      'read-to-end-then-rejoin',
    ],
    [
      'mismatch, behind: read then rejoin',
      { error: 1, assignmentOffset: 6n, localOffset: 5n, isLeader: false },
      'read-to-end-then-rejoin',
    ],
    [
      'mismatch, follower up to date: rejoin',
      { error: 1, assignmentOffset: 5n, localOffset: 5n, isLeader: false },
      'rejoin',
    ],
  ]
  for (const [name, outcome, action] of rows) {
    test(name, () => assert.equal(afterRebalance(outcome).action, action))
  }

  test('after reading: start only at exactly the assigned offset; past it, rejoin', () => {
    assert.equal(afterConfigRead(5n, 5n), 'start')
    assert.equal(afterConfigRead(5n, 6n), 'rejoin')
    assert.equal(afterConfigRead(5n, 4n), 'read-to-end')
  })

  test('a static member is given its whole load in assigned, a dynamic member only what this round adds', () => {
    const members = new Map([
      ['L', member('http://l', 10n)],
      ['S', { ...member('http://s', 10n), allocation: null }],
    ])
    const common = {
      protocol: 'compatible' as const,
      leaderId: 'L',
      snapshot: config(10n),
      freshSnapshot: () => config(10n),
      now: 0,
      maxDelay: 300000,
      fullAssignments: new Set(['S']),
    }
    const first = leaderAssign({
      ...common,
      members,
      generationId: 1,
      lastCompletedGenerationId: -1,
      state: INITIAL_COOPERATIVE_STATE,
    })
    const loads = (id: string) => first.owners.get(id)
    // The second round changes nothing: a dynamic member gets an empty increment, a static one its load again.
    const allocation = (id: string) => ({
      ...(first.assignments.get(id) as NonNullable<ReturnType<typeof first.assignments.get>>),
      assigned: { connectors: [...(loads(id)?.connectors ?? [])], tasks: [...(loads(id)?.tasks ?? [])] },
    })
    const second = leaderAssign({
      ...common,
      members: new Map([
        ['L', { ...member('http://l', 10n), allocation: allocation('L') }],
        ['S', { ...member('http://s', 10n), allocation: allocation('S') }],
      ]),
      generationId: 2,
      lastCompletedGenerationId: 1,
      state: first.state,
    })
    const l = second.assignments.get('L')
    const st = second.assignments.get('S')
    assert.deepEqual([l?.assigned.connectors.length, l?.assigned.tasks.length], [0, 0])
    assert.ok((st?.assigned.connectors.length ?? 0) + (st?.assigned.tasks.length ?? 0) > 0)
    assert.deepEqual(st?.assigned, { connectors: loads('S')?.connectors, tasks: loads('S')?.tasks })
  })
})
