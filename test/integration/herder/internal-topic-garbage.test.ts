/**
 * Garbage in the internal topics (Invariant 5), written with a plain producer as a broken tool or a hand-edit
 * would: non-JSON values, wrong types, unknown keys, truncated records (a compacted topic refuses records without
 * a key, so those cannot happen). Written before a
 * worker process starts and again while it runs. Each record is logged once, with its topic, partition and
 * offset, and skipped; the worker keeps running, and everything else it read is intact: the connector a previous
 * worker created keeps its config, its source offset and its place, and a connector created afterwards runs.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { startDistributed, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
after(() => producer.close())

interface Garbage {
  topic: string
  key: string | null
  value: string | null
}

/** Garbage for each internal topic: `tag` keeps the two rounds' keys apart. */
function garbage(topics: { config: string; offsets: string; status: string }, tag: string): Garbage[] {
  const { config, offsets, status } = topics
  return [
    { topic: config, key: `connector-${tag}-nonjson`, value: 'this is not json' },
    { topic: config, key: `connector-${tag}-wrongtype`, value: '{"properties":"a string, not a map"}' },
    { topic: config, key: `connector-${tag}-truncated`, value: '{"properties":{"connector.class":"FileStr' },
    { topic: config, key: `connectr-${tag}-unknown-key`, value: '{"properties":{}}' },
    { topic: config, key: `target-state-${tag}-ghost`, value: '{"state":17}' },
    { topic: config, key: `task-${tag}-ghost-0`, value: '[1,2,3]' },
    { topic: config, key: `commit-${tag}-ghost`, value: '{"tasks":"three"}' },
    { topic: offsets, key: 'not json', value: '{"position":1}' },
    { topic: offsets, key: `["${tag}"]`, value: '{"position":1}' },
    { topic: offsets, key: `["${tag}",{"filename":"x"}]`, value: 'garbage' },
    { topic: offsets, key: `["${tag}",{"filename":"y"}]`, value: '{"position":' },
    { topic: status, key: `status-connector-${tag}`, value: 'garbage' },
    { topic: status, key: `status-task-${tag}-0`, value: '{"state":42}' },
    { topic: status, key: `status-task-${tag}-zero`, value: '{"state":"RUNNING","trace":null,"worker_id":"w:1"}' },
    { topic: status, key: `status-topic-t:connector-${tag}`, value: '{"topic":{"name":5}}' },
    { topic: status, key: `status-unknown-${tag}`, value: '{}' },
  ]
}

/** Writes each record to partition 0 of its topic; answers the offsets they got, in order. */
async function write(records: readonly Garbage[]): Promise<{ topic: string; offset: string }[]> {
  const out: { topic: string; offset: string }[] = []
  for (const r of records) {
    const sent = await producer.send({
      messages: [
        {
          topic: r.topic,
          partition: 0,
          ...(r.key === null ? {} : { key: Buffer.from(r.key) }),
          ...(r.value === null ? {} : { value: Buffer.from(r.value) }),
        },
      ],
    })
    const offset = sent.offsets?.[0]?.offset
    assert.notEqual(offset, undefined)
    out.push({ topic: r.topic, offset: String(offset) })
  }
  return out
}

/** The log lines of a worker that say a record was skipped. */
function skippedLines(stdout: string): { topic: string; partition: number; offset: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; topic?: string; partition?: number; offset?: string })
    .filter((l) => /skipped/.test(l.msg ?? ''))
    .map((l) => ({ topic: l.topic ?? '', partition: l.partition ?? -1, offset: String(l.offset) }))
}

describe('garbage in the internal topics', () => {
  test('each garbage record is logged once with topic, partition and offset and skipped; the worker carries on intact', async () => {
    const props = clusterProperties({ 'offset.flush.interval.ms': '500' })
    const topics = {
      config: props['config.storage.topic'] as string,
      offsets: props['offset.storage.topic'] as string,
      status: props['status.storage.topic'] as string,
    }
    const dir = testDir()
    const input = join(dir, 'garbage-in.txt')
    const output = join(dir, 'garbage-out.txt')
    writeFileSync(input, 'one\ntwo\nthree\n')
    const lines = uniqueName('garbage-lines')
    const sourceConfig = { 'connector.class': 'FileStreamSource', file: input, topic: lines, 'tasks.max': '1' }
    const source = 'survivor'

    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: lines, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()

    // A first worker makes the internal topics and a connector, then stops cleanly.
    const first = await startDistributed(props)
    const created = await http(`${first.url}/connectors`, 'POST', { name: source, config: sourceConfig })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const offsetsBefore = await until('the source offset committed', 60_000, async () => {
      const r = await http(`${first.url}/connectors/${source}/offsets`)
      const body = r.body as { offsets?: { offset: { position: number } }[] }
      return body.offsets?.[0]?.offset.position === 14 ? body : undefined
    })
    const configBefore = (await http(`${first.url}/connectors/${source}/config`)).body
    assert.equal(await first.stop(), 0)

    // Garbage before the next worker starts.
    const before = await write(garbage(topics, 'early'))
    const worker = await startDistributed(props)
    await until(`${source} RUNNING on the new worker`, 60_000, async () => {
      const s = (await http(`${worker.url}/connectors/${source}/status`)).body as {
        connector?: { state: string }
        tasks?: { state: string }[]
      }
      return s.connector?.state === 'RUNNING' && s.tasks?.[0]?.state === 'RUNNING' ? true : undefined
    })

    // Garbage while it runs, then a new connector.
    const during = await write(garbage(topics, 'late'))
    const sink = { 'connector.class': 'FileStreamSink', file: output, topics: lines, 'tasks.max': '1' }
    assert.equal((await http(`${worker.url}/connectors/later/config`, 'PUT', sink)).status, 201)
    await until('the lines in the sink file', 60_000, async () => {
      try {
        return readFileSync(output, 'utf8') === 'one\ntwo\nthree\n' ? true : undefined
      } catch {
        return undefined
      }
    })
    await until('every garbage record logged', 30_000, async () =>
      skippedLines(worker.run.stdout()).length >= before.length + during.length ? true : undefined,
    ).catch(() => undefined)

    // Intact: the connectors, the survivor's config and offset; nothing of the garbage shows.
    assert.deepEqual((await http(`${worker.url}/connectors`)).body, ['later', source])
    assert.deepEqual((await http(`${worker.url}/connectors/${source}/config`)).body, configBefore)
    assert.deepEqual((await http(`${worker.url}/connectors/${source}/offsets`)).body, offsetsBefore)
    assert.equal((await http(`${worker.url}/`)).status, 200)

    // Logged once each, with topic, partition and offset.
    const skipped = skippedLines(worker.run.stdout())
    const missing: string[] = []
    const repeated: string[] = []
    for (const g of [...before, ...during]) {
      const n = skipped.filter((s) => s.topic === g.topic && s.partition === 0 && s.offset === g.offset).length
      if (n === 0) missing.push(`${g.topic}@${g.offset}`)
      if (n > 1) repeated.push(`${g.topic}@${g.offset} x${n}`)
    }
    console.log(`# ${before.length + during.length} garbage records; ${skipped.length} skip lines in the log`)
    assert.deepEqual({ missing, repeated }, { missing: [], repeated: [] })
    assert.equal(await worker.stop(), 0)
  })
})
