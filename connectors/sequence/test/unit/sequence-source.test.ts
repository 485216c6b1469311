/**
 * The sequence source on its own, written as a third party tests a connector: only the package and the public
 * 'tsconnect' API, with an offset reader that answers what a worker would have committed.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type OffsetStorageReader,
  type OrderedSourceMap,
  type SourceRecord,
  type SourceTaskContext,
  type Struct,
  validateToConfigInfos,
} from 'tsconnect'
import { SequenceSourceConnector, SequenceSourceTask } from '../../src/index.ts'

function context(committed: Record<string, unknown> | null, asked: unknown[] = []): SourceTaskContext {
  const reader: OffsetStorageReader = {
    offset: async (partition) => {
      asked.push(partition)
      return committed
    },
    offsets: async () => [],
  }
  return { configs: () => ({}), offsetStorageReader: () => reader, transactionContext: () => null }
}

const seqOf = (r: SourceRecord | undefined) => (r?.value as Struct | undefined)?.get('seq')
const entries = (map: SourceRecord['sourceOffset'] | undefined) => [...((map ?? new Map()) as OrderedSourceMap)]

async function firstPoll(committed: Record<string, unknown> | null, props: Record<string, string> = {}) {
  const task = new SequenceSourceTask()
  task.initialize(context(committed))
  await task.start({ topic: 'numbers', 'batch.size': '3', 'poll.interval.ms': '0', ...props })
  const records = (await task.poll()) ?? []
  await task.stop()
  return records
}

describe('SequenceSource', () => {
  it('starts at `start` when nothing is committed, beyond 2^53 without rounding', async () => {
    const records = await firstPoll(null, { start: '9007199254740993' })
    assert.deepEqual(records.map(seqOf), [9007199254740993n, 9007199254740994n, 9007199254740995n])
  })

  it('resumes exactly from a committed 64-bit offset, which the reader answers as a bigint', async () => {
    const records = await firstPoll({ next: 2n ** 62n })
    assert.equal(seqOf(records[0]), 2n ** 62n)
    assert.deepEqual(entries(records[2]?.sourceOffset), [['next', 2n ** 62n + 3n]])
  })

  it('resumes from a small committed offset, which the reader answers as a number', async () => {
    const records = await firstPoll({ next: 40 })
    assert.equal(seqOf(records[0]), 40n)
  })

  it('names its source partition by the sequence name', async () => {
    const records = await firstPoll(null, { name: 'orders' })
    assert.deepEqual(entries(records[0]?.sourcePartition), [['sequence', 'orders']])
  })

  it('refuses a start that is not a 64-bit integer in validation', () => {
    const infos = validateToConfigInfos('SequenceSource', new SequenceSourceConnector().config(), {
      topic: 't',
      start: '9223372036854775808',
    })
    assert.equal(infos.error_count, 1)
    const start = infos.configs.find((c) => c.value?.name === 'start')
    assert.match(start?.value?.errors[0] ?? '', /must be a 64-bit integer/)
  })
})
