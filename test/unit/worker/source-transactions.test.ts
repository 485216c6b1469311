/**
 * SourceTransactions, the bookkeeping of an exactly-once source task (KIP-618): a commit sends the records and the
 * last source offset per partition in one call, then commits, then tells the task; an abort requested by the task
 * drops its records but commits their offsets.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SourceRecord } from '../../../src/api/records.ts'
import type { SourceTask } from '../../../src/api/task.ts'
import { systemClock } from '../../../src/util/clock.ts'
import type { OutgoingRecord, SourceTransaction } from '../../../src/worker/record-sender.ts'
import type { Segment } from '../../../src/worker/source-transactions.ts'
import { SourceTransactions } from '../../../src/worker/source-transactions.ts'
import { quietLogger } from '../../support/stores.ts'

/** A transactional sender and a task that write down what happens, in order. */
function setUp(opts: { failCommit?: boolean } = {}) {
  const events: string[] = []
  let n = 0
  const sender = {
    init: async () => {},
    close: async () => {},
    begin: async (): Promise<SourceTransaction> => {
      const id = ++n
      events.push(`begin ${id}`)
      return {
        send: async (records: readonly OutgoingRecord[]) => {
          events.push(`send ${id}: ${records.map((r) => `${r.topic}:${r.value?.toString()}`).join(' ')}`)
          return records.map((r, offset) => ({ topic: r.topic, partition: 0, offset, timestamp: null }))
        },
        commit: async () => {
          events.push(`commit ${id}`)
          if (opts.failCommit) throw new Error('fenced')
        },
        abort: async () => {
          events.push(`abort ${id}`)
        },
      }
    },
  }
  const task = {
    commitRecord: async (r: SourceRecord) => events.push(`commitRecord ${String(r.value)}`),
    commit: async () => events.push('task commit'),
  } as unknown as SourceTask
  const stats = { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
  const transactions = new SourceTransactions({
    connector: 'c',
    task,
    sender,
    offsetsTopic: 'offsets',
    topicCreator: null,
    clock: systemClock,
    log: quietLogger(),
    stats,
  })
  return { events, stats, transactions }
}

/** A polled record of source partition `p` at offset `n`, and what it became. */
function entry(value: string, p: string, n: number): Segment[number] {
  const record = new SourceRecord({ topic: 'out', value, sourcePartition: { p }, sourceOffset: { n } })
  return {
    record,
    out: { topic: 'out', partition: null, key: null, value: Buffer.from(value), headers: [], timestamp: null },
  }
}

describe('SourceTransactions', () => {
  test('a commit sends records and the last offset per partition together, then commits, then tells the task', async () => {
    const { events, stats, transactions } = setUp()
    const [a, b, c] = [entry('a', 'x', 1), entry('b', 'x', 2), entry('c', 'y', 7)]
    for (const e of [a, b, c]) transactions.track(e.record)
    await transactions.commit([a, b, c])
    assert.deepEqual(events, [
      'begin 1',
      'send 1: out:a out:b out:c offsets:{"n":2} offsets:{"n":7}',
      'commit 1',
      'commitRecord a',
      'commitRecord b',
      'commitRecord c',
      'task commit',
    ])
    assert.deepEqual([stats.sent, stats.commits], [3, 1])
  })

  test('with nothing sent or tracked, a commit begins no transaction', async () => {
    const { events, transactions } = setUp()
    await transactions.commit()
    assert.deepEqual(events, [])
  })

  test("the task's abort drops the records sent so far but commits their offsets", async () => {
    const { events, transactions } = setUp()
    const a = entry('a', 'x', 1)
    transactions.track(a.record)
    await transactions.send([a])
    await transactions.abortThenCommitOffsets()
    assert.deepEqual(events, [
      'begin 1',
      'send 1: out:a',
      'abort 1',
      'begin 2',
      'send 2: offsets:{"n":1}',
      'commit 2',
      'task commit',
    ])
  })

  test('a commit ending in the background fails the next step that touches Kafka', async () => {
    const { transactions } = setUp({ failCommit: true })
    const a = entry('a', 'x', 1)
    transactions.track(a.record)
    await transactions.commitInBackground([a])
    await assert.rejects(transactions.settle(), /fenced/)
    await transactions.settle()
  })
})
