import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SinkRecord, SourceRecord } from '../../../src/api/records.ts'
import { SinkTask } from '../../../src/api/task.ts'
import { Headers } from '../../../src/data/headers.ts'
import { Schema } from '../../../src/data/schema.ts'

describe('SourceRecord', () => {
  it('defaults what it is not given to null and empty headers', () => {
    const r = new SourceRecord({ sourcePartition: { f: 'a' }, sourceOffset: { p: 1 }, topic: 't', value: 'v' })
    assert.equal(r.kafkaPartition, null)
    assert.equal(r.key, null)
    assert.equal(r.timestamp, null)
    assert.equal(r.headers.size, 0)
  })
  it('copies itself with changes, keeping its source position and copying headers', () => {
    const r = new SourceRecord({
      sourcePartition: { f: 'a' },
      sourceOffset: { p: 1 },
      topic: 't',
      valueSchema: Schema.STRING_SCHEMA,
      value: 'v',
      headers: new Headers().addString('h', 'x'),
    })
    const copy = r.newRecord({ topic: 'u' })
    assert.ok(copy instanceof SourceRecord)
    assert.equal(copy.topic, 'u')
    assert.equal(copy.value, 'v')
    assert.deepEqual(copy.sourceOffset, { p: 1 })
    copy.headers.addString('h2', 'y')
    assert.equal(r.headers.size, 1)
  })
})

describe('SinkRecord', () => {
  it('remembers where it was read even after a transform renames its topic', () => {
    const r = new SinkRecord({ topic: 't', kafkaPartition: 2, kafkaOffset: 10, value: 1, timestampType: 'CREATE_TIME' })
    const routed = r.newRecord({ topic: 'routed' })
    assert.equal(routed.topic, 'routed')
    assert.equal(routed.originalTopic, 't')
    assert.equal(routed.originalKafkaPartition, 2)
    assert.equal(routed.originalKafkaOffset, 10)
    assert.equal(routed.timestampType, 'CREATE_TIME')
  })
})

describe('SinkTask.preCommit', () => {
  it('flushes, then offers every offset for commit', async () => {
    const flushed: unknown[] = []
    class T extends SinkTask {
      version = () => '1'
      start() {}
      put() {}
      stop() {}
      override flush(offsets: readonly { topic: string }[]) {
        flushed.push(offsets)
      }
    }
    const offsets = [{ topic: 't', partition: 0, offset: 5 }]
    assert.deepEqual(await new T().preCommit(offsets), offsets)
    assert.deepEqual(flushed, [offsets])
  })
})
