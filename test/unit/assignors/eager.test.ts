/**
 * The eager assignor: round-robin of sorted connectors over sorted members, then of tasks, continuing the turn.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { eagerAssign } from '../../../src/assignors/eager.ts'

function names(work: { connectors: readonly string[]; tasks: readonly { connector: string; task: number }[] }) {
  return [...work.connectors, ...work.tasks.map((t) => `${t.connector}-${t.task}`)]
}

describe('eager assignor', () => {
  test('connectors round-robin, then tasks continue the same turn (Java: EagerAssignor)', () => {
    const snapshot = {
      offset: 5n,
      connectorTasks: new Map([
        ['b', 1],
        ['a', 2],
      ]),
    }
    const out = eagerAssign(snapshot, ['w2', 'w1', 'w3'])
    assert.deepEqual([...out.keys()], ['w1', 'w2', 'w3'])
    assert.deepEqual(names(out.get('w1') as never), ['a', 'a-1'])
    assert.deepEqual(names(out.get('w2') as never), ['b', 'b-0'])
    assert.deepEqual(names(out.get('w3') as never), ['a-0'])
  })

  test('one-task connectors on two workers spread connectors and tasks across both', () => {
    const snapshot = {
      offset: 1n,
      connectorTasks: new Map([
        ['c1', 1],
        ['c2', 1],
        ['c3', 1],
      ]),
    }
    const out = eagerAssign(snapshot, ['a', 'b'])
    assert.deepEqual(names(out.get('a') as never), ['c1', 'c3', 'c2-0'])
    assert.deepEqual(names(out.get('b') as never), ['c2', 'c1-0', 'c3-0'])
  })

  test('members without work get an empty entry; an inconsistent connector (0 tasks) still runs its connector', () => {
    const out = eagerAssign({ offset: 1n, connectorTasks: new Map([['x', 0]]) }, ['m1', 'm2'])
    assert.deepEqual(names(out.get('m1') as never), ['x'])
    assert.deepEqual(names(out.get('m2') as never), [])
  })
})
