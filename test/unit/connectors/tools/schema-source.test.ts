/**
 * SchemaSource as Java's: the "record" struct of version 1 (and 2 for every other record with multiple.schema),
 * "partitioning" = seqno % partition.count, records on partition `id`, seqnos resumed after the committed one,
 * num.messages per start, and its {"task": id, "seqno": n} lines.
 */
import assert from 'node:assert/strict'
import { describe, mock, test } from 'node:test'
import type { SourceTaskContext } from '../../../../src/api/contexts.ts'
import type { SourceOffset, SourceRecord } from '../../../../src/api/records.ts'
import {
  SchemaSourceTask,
  schemaSourceLine,
  schemaSourceRecord,
  VALUE_SCHEMA,
  VALUE_SCHEMA_2,
} from '../../../../src/connectors/tools/schema-source.ts'
import type { Struct } from '../../../../src/data/struct.ts'

const spec = { id: 1, topic: 't', seqno: 5, count: 0, multipleSchema: false, partitionCount: 3 }

function context(stored: SourceOffset | null): SourceTaskContext {
  return {
    configs: () => ({}),
    offsetStorageReader: () => ({ offset: async () => stored, offsets: async () => [] }),
    transactionContext: () => null,
  }
}

describe('SchemaSource', () => {
  test('a record: key "key", the version 1 struct, partition id, offset {seqno}', () => {
    const r = schemaSourceRecord(spec, { id: 1 })
    assert.equal(r.key, 'key')
    assert.equal(r.kafkaPartition, 1)
    assert.equal(r.valueSchema, VALUE_SCHEMA)
    assert.equal(VALUE_SCHEMA.name, 'record')
    assert.equal(VALUE_SCHEMA.version, 1)
    assert.deepEqual(r.sourcePartition, { id: 1 })
    assert.deepEqual(r.sourceOffset, { seqno: 5 })
    assert.equal(
      String(r.value),
      `Struct{boolean=true,int=12,long=12,float=${Math.fround(12.2)},double=12.2,partitioning=2,id=1,seqno=5}`,
    )
  })

  test('with multiple.schema every other record is version 2, with "string" = "def"', () => {
    const even = schemaSourceRecord({ ...spec, multipleSchema: true, count: 2 }, { id: 1 })
    const odd = schemaSourceRecord({ ...spec, multipleSchema: true, count: 3 }, { id: 1 })
    assert.equal(even.valueSchema, VALUE_SCHEMA)
    assert.equal(odd.valueSchema, VALUE_SCHEMA_2)
    assert.equal(VALUE_SCHEMA_2.version, 2)
    assert.equal((odd.value as Struct).get('string'), 'def')
    assert.equal(VALUE_SCHEMA_2.field('string')?.schema.defaultValue, 'abc')
  })

  test('prints {"task": id, "seqno": n} with spaces, as Java writes it by hand', () => {
    assert.equal(schemaSourceLine(0, 12), '{"task": 0, "seqno": 12}')
  })

  test('sends num.messages records from the committed seqno + 1, then nothing until stopped', async () => {
    const task = new SchemaSourceTask()
    task.initialize(context({ seqno: 9 }))
    await task.start({ id: '0', topic: 't', 'num.messages': '2', throughput: '-1' })
    const lines: string[] = []
    const write = mock.method(process.stdout, 'write', (chunk: string) => {
      lines.push(chunk.trim())
      return true
    })
    const sent: SourceRecord[] = []
    try {
      sent.push(...(await task.poll()), ...(await task.poll()))
    } finally {
      write.mock.restore()
    }
    assert.deepEqual(
      sent.map((r) => (r.sourceOffset as SourceOffset | null)?.seqno),
      [10, 11],
    )
    assert.deepEqual(lines, ['{"task": 0, "seqno": 10}', '{"task": 0, "seqno": 11}'])
    const idle = task.poll()
    task.stop()
    assert.deepEqual(await idle, [])
  })

  test('a missing num.messages fails start() with a clear error', async () => {
    const task = new SchemaSourceTask()
    task.initialize(context(null))
    await assert.rejects(
      async () => task.start({ id: '0', topic: 't', throughput: '1' }),
      /Invalid SchemaSourceTask configuration/,
    )
  })
})
