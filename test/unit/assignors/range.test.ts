/** The range assignor of sink consumer groups (Java's RangeAssignor), one row per case. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { rangeAssign } from '../../../src/assignors/range.ts'

interface Row {
  readonly name: string
  readonly subscriptions: Record<string, string[]>
  readonly partitions: Record<string, number>
  readonly expected: Record<string, Record<string, number[]>>
}

const ROWS: readonly Row[] = [
  {
    name: 'splits each topic into consecutive ranges, the first members (by id) getting one more',
    subscriptions: { m2: ['t'], m1: ['t', 'u'] },
    partitions: { t: 5, u: 2 },
    expected: { m1: { t: [0, 1, 2], u: [0, 1] }, m2: { t: [3, 4] } },
  },
  {
    name: 'a topic goes only to the members subscribed to it',
    subscriptions: { a: ['x'], b: ['y'] },
    partitions: { x: 2, y: 1 },
    expected: { a: { x: [0, 1] }, b: { y: [0] } },
  },
  {
    name: 'more members than partitions: the last members get nothing of that topic',
    subscriptions: { a: ['t'], b: ['t'], c: ['t'] },
    partitions: { t: 2 },
    expected: { a: { t: [0] }, b: { t: [1] }, c: {} },
  },
  {
    name: 'a subscribed topic without partitions (it does not exist) assigns nothing, and every member has an entry',
    subscriptions: { a: ['missing'] },
    partitions: {},
    expected: { a: {} },
  },
  {
    name: 'a topic nobody subscribes to is not assigned',
    subscriptions: { a: ['t'] },
    partitions: { t: 1, other: 3 },
    expected: { a: { t: [0] } },
  },
]

for (const row of ROWS) {
  test(row.name, () => {
    const assignment = rangeAssign(new Map(Object.entries(row.subscriptions)), new Map(Object.entries(row.partitions)))
    const actual = Object.fromEntries([...assignment].map(([member, byTopic]) => [member, Object.fromEntries(byTopic)]))
    assert.deepEqual(actual, row.expected)
  })
}
