/**
 * A pipeline through the real broker with transform chains and predicates on both sides: FileStreamSource →
 * HoistField, InsertField, InsertHeader, and RegexRouter under a TopicNameMatches predicate → JSON on Kafka →
 * Filter under RecordIsTombstone and ExtractField → FileStreamSink.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import type { FetchedRecord } from '../../../src/kafka/fetch.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { createTopic, eventually, readAll, startWorker, workerProps } from './support.ts'

describe('a transform pipeline on Kafka', () => {
  test('source and sink chains with predicates move and reshape records end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'))
    const input = join(dir, 'in.txt')
    const output = join(dir, 'out.txt')
    writeFileSync(input, 'alpha\nbeta\ngamma\n')
    const topic = uniqueName('pipe')
    const routed = `${topic}-routed`
    await createTopic(topic)
    await createTopic(routed)
    const json = {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    }
    const source = {
      name: uniqueName('pipe-source'),
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file: input,
      topic,
      ...json,
      transforms: 'hoist,insert,tag,route',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.static.field': 'origin',
      'transforms.insert.static.value': 'file',
      'transforms.tag.type': 'org.apache.kafka.connect.transforms.InsertHeader',
      'transforms.tag.header': 'via',
      'transforms.tag.value.literal': 'tsconnect',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': '$1-routed',
      'transforms.route.predicate': 'ours',
      predicates: 'ours',
      'predicates.ours.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.ours.pattern': topic,
    }
    const sink = {
      name: uniqueName('pipe-sink'),
      'connector.class': 'FileStreamSink',
      file: output,
      topics: routed,
      ...json,
      transforms: 'dropTombstones,extract',
      'transforms.dropTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.dropTombstones.predicate': 'tombstone',
      'transforms.extract.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
      'transforms.extract.field': 'line',
      predicates: 'tombstone',
      'predicates.tombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    }
    const w = await startWorker(workerProps())
    const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
    try {
      await w.worker.startTask({ connector: source.name, task: 0 }, source, source, 'STARTED')
      const records = await eventually<FetchedRecord[] | undefined>(async () => {
        const r = await readAll(routed)
        return r.length === 3 ? r : undefined
      }, 'three routed records')
      assert.deepEqual(
        (records ?? []).map((r) => JSON.parse(r.value?.toString() ?? 'null')),
        ['alpha', 'beta', 'gamma'].map((line) => ({ line, origin: 'file' })),
      )
      assert.equal(records?.[0]?.headers.find(([k]) => k.toString() === 'via')?.[1]?.toString(), 'tsconnect')
      assert.equal((await readAll(topic)).length, 0, 'the predicate routed every record away')
      // A tombstone the sink's Filter drops.
      await producer.send({ messages: [{ topic: routed }] })
      await w.worker.startTask({ connector: sink.name, task: 0 }, sink, sink, 'STARTED')
      await eventually(async () => {
        const status = w.statusStore.task(sink.name, 0)
        if (status?.state === 'FAILED') throw new Error(`the sink task failed: ${status.trace}`)
        const offsets = await w.worker.connectorOffsets(sink.name, sink)
        return offsets[0]?.offset?.kafka_offset === 4
      }, 'all four records committed')
      const written = existsSync(output) ? readFileSync(output, 'utf8') : ''
      assert.equal(written, 'alpha\nbeta\ngamma\n')
    } finally {
      await producer.close()
      await w.stop()
    }
  })
})
