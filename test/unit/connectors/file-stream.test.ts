/**
 * FileStreamSource and FileStreamSink as Java's (FileStreamSourceConnector, FileStreamSinkConnector): configs, task configs, line endings, the
 * {"filename"} partition and {"position"} offset, resuming from a stored offset, batch.size, and alterOffsets.
 */
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../src/api/records.ts'
import { FileStreamSinkConnector } from '../../../src/connectors/file/file-stream-sink.ts'
import { FileStreamSourceConnector, FileStreamSourceTask } from '../../../src/connectors/file/file-stream-source.ts'

function task(file: string, stored: SourceOffset | null = null, extra: Record<string, string> = {}) {
  const t = new FileStreamSourceTask()
  t.initialize({
    configs: () => ({}),
    offsetStorageReader: () => ({
      offset: async (_p: SourcePartition) => stored,
      offsets: async () => [],
    }),
    transactionContext: () => null,
  })
  t.start({ file, topic: 't', ...extra })
  return t
}

const values = (records: SourceRecord[] | null) => (records ?? []).map((r) => r.value)
const positions = (records: SourceRecord[] | null) =>
  (records ?? []).map((r) => (r.sourceOffset as SourceOffset | null)?.position)

describe('FileStreamSource', () => {
  const file = (content: string) => {
    const f = join(mkdtempSync(join(tmpdir(), 'fs-')), 'in.txt')
    writeFileSync(f, content)
    return f
  }

  test('lines end with \\n, \\r or \\r\\n; each offset is the position of the next line', async () => {
    const f = file('a\nbb\r\nccc\rd\n')
    const t = task(f)
    const records = await t.poll()
    assert.deepEqual(values(records), ['a', 'bb', 'ccc', 'd'])
    assert.deepEqual(positions(records), [2, 6, 10, 12])
    assert.deepEqual(records?.[0]?.sourcePartition, { filename: f })
    assert.equal(records?.[0]?.topic, 't')
    assert.equal(records?.[0]?.key, null)
    t.stop()
  })

  test('a line without its end waits for the rest, and a lone \\r for what follows it', async () => {
    const f = file('one\ntw')
    const t = task(f)
    assert.deepEqual(values(await t.poll()), ['one'])
    appendFileSync(f, 'o\r')
    const waiting = t.poll()
    setTimeout(() => appendFileSync(f, '\nthree\n'), 10)
    // The first poll after the append sees "two\r" and keeps it until it knows whether \n follows.
    const got = [...values(await waiting)]
    if (got.length === 0) got.push(...values(await t.poll()))
    assert.deepEqual(got, ['two', 'three'])
    t.stop()
  })

  test('resumes after the stored position (a Java offset works the same)', async () => {
    const f = file('skip me\nkeep\n')
    const t = task(f, { position: 8 })
    const records = await t.poll()
    assert.deepEqual(values(records), ['keep'])
    assert.deepEqual(positions(records), [13])
    t.stop()
  })

  test('batch.size bounds a poll; the rest comes at the next', async () => {
    const f = file('1\n2\n3\n4\n5\n')
    const t = task(f, null, { 'batch.size': '2' })
    assert.deepEqual(values(await t.poll()), ['1', '2'])
    assert.deepEqual(values(await t.poll()), ['3', '4'])
    assert.deepEqual(values(await t.poll()), ['5'])
    t.stop()
  })

  test('one task config, a copy of the connector config; topic is required', () => {
    const c = new FileStreamSourceConnector()
    c.start({ file: '/x', topic: 't' })
    assert.deepEqual(c.taskConfigs(5), [{ file: '/x', topic: 't' }])
    assert.throws(() => new FileStreamSourceConnector().start({ file: '/x' }), /topic/)
    assert.equal(c.exactlyOnceSupport({ topic: 't', file: '/x' }), 'SUPPORTED')
    assert.equal(c.exactlyOnceSupport({ topic: 't' }), 'UNSUPPORTED')
  })

  test("alterOffsets accepts null or a non-negative position, with Java's messages otherwise", () => {
    const c = new FileStreamSourceConnector()
    const config = { file: '/x', topic: 't' }
    assert.equal(c.alterOffsets(config, [{ partition: { filename: '/x' }, offset: { position: 3 } }]), true)
    assert.equal(c.alterOffsets(config, [{ partition: { filename: '/x' }, offset: null }]), true)
    assert.throws(
      () => c.alterOffsets(config, [{ partition: { filename: '/x' }, offset: { position: -1 } }]),
      /should be a non-negative value/,
    )
    assert.throws(
      () => c.alterOffsets(config, [{ partition: {}, offset: { position: 1 } }]),
      /should contain the key 'filename'/,
    )
    assert.throws(
      () => c.alterOffsets({ topic: 't' }, []),
      /Offsets cannot be modified if the 'file' configuration is unspecified/,
    )
  })
})

describe('FileStreamSink', () => {
  test('tasks.max identical task configs; alterOffsets is always fine', () => {
    const c = new FileStreamSinkConnector()
    c.start({ file: '/y' })
    assert.deepEqual(c.taskConfigs(2), [{ file: '/y' }, { file: '/y' }])
    assert.equal(c.alterOffsets(), true)
  })
})
