/**
 * Kafka's own FileStreamSource and FileStreamSink (the connect-file jar), loaded as Java plugins through the JVM
 * plugin host, side by side with Java Connect on the same plugin.path: the same plugin listing, the same topic
 * bytes and the same offsets records for the same file, and the sink writes the file back.
 *
 * One cluster per runtime; the connector has the same name on both, so that the offsets records' keys
 * (["<connector>",{"filename":...}]) can be compared byte for byte.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createAdmin, createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { ensureKafka } from '../../../tools/kafka/jars.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'
import { jvmHost } from '../../support/services.ts'

const WAIT_MS = 120_000
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'
const LINES = ['one', 'two', 'drei', 'quatre – 4', '{"json":"looking"}', '', 'last line']

interface Side {
  runtime: Runtime
  group: string
  worker: CompatWorker
  topic: string
}

const dir = mkdtempSync(join(tmpdir(), 'jvm-file-stream-'))
const input = join(dir, 'input.txt')
const consumer = createFetchClient(testClientProperties())
const sides: Side[] = []

async function startSide(runtime: Runtime): Promise<Side> {
  const group = uniqueName(runtime === tsconnect ? 'jvm-file-ts' : 'jvm-file-java')
  const topic = `${group}-lines`
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  await admin.close()
  const worker = await runtime.start(group, {
    'plugin.path': ensureKafka().pluginPath,
    'plugin.discovery': 'service_load',
  })
  return { runtime, group, worker, topic }
}

/** Every record of a partition of `topic` from the start, until `count` have arrived. */
async function readAll(topic: string, partition: number, count: number): Promise<{ key: string; value: string }[]> {
  const out: { key: string; value: string }[] = []
  let offset = 0n
  await until(`${count} records in ${topic}`, WAIT_MS, async () => {
    const batch = await fetchPartition(consumer, topic, partition, offset)
    for (const r of batch.records)
      out.push({ key: r.key?.toString('utf8') ?? '<null>', value: r.value?.toString('utf8') ?? '<null>' })
    offset = batch.nextOffset
    return out.length >= count ? true : undefined
  })
  return out
}

/** The offsets topic's records, whichever of its 5 partitions they are in. */
async function offsetsRecords(group: string, atLeast: number): Promise<{ key: string; value: string }[]> {
  return until(`${atLeast} offsets records of ${group}`, WAIT_MS, async () => {
    const all: { key: string; value: string }[] = []
    for (let p = 0; p < 5; p++) {
      const batch = await fetchPartition(consumer, `${group}-offsets`, p, 0n)
      for (const r of batch.records)
        all.push({ key: r.key?.toString('utf8') ?? '', value: r.value?.toString('utf8') ?? '' })
    }
    return all.length >= atLeast ? all : undefined
  })
}

async function connectorRunning(side: Side, name: string): Promise<void> {
  await until(`${side.runtime.name}: ${name} RUNNING`, WAIT_MS, async () => {
    const answer = await http(`${side.worker.url}/connectors/${name}/status`)
    const s = answer.body as { connector?: { state: string }; tasks?: { state: string; trace?: string }[] }
    const failed = s.tasks?.find((t) => t.state === 'FAILED')
    if (failed) throw new Error(`${side.runtime.name}: ${name} task FAILED: ${failed.trace}`)
    return answer.status === 200 && s.connector?.state === 'RUNNING' && s.tasks?.[0]?.state === 'RUNNING'
      ? true
      : undefined
  })
}

before(async () => {
  // The host is built on first use; test/run.ts builds it for the run, out of the workers' start timeouts.
  jvmHost()
  writeFileSync(input, `${LINES.join('\n')}\n`)
  sides.push(...(await Promise.all([startSide(javaConnect), startSide(tsconnect)])))
})

after(async () => {
  await Promise.allSettled(sides.map((s) => s.worker.stop()))
  await consumer.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('Kafka FileStream connectors as Java plugins', () => {
  test('GET /connector-plugins lists them with their Java class names, types and versions, as Java does', async () => {
    const [java, ts] = await Promise.all(sides.map((s) => http(`${s.worker.url}/connector-plugins`)))
    const pick = (body: unknown) => (body as { class: string }[]).filter((p) => p.class === SOURCE || p.class === SINK)
    assert.deepEqual(pick(ts?.body), pick(java?.body))
    assert.equal(pick(ts?.body).length, 2)
  })

  test("GET /connector-plugins/{plugin}/config answers from the Java class's ConfigDef", async () => {
    for (const plugin of ['FileStreamSource', 'FileStreamSinkConnector']) {
      const [java, ts] = await Promise.all(sides.map((s) => http(`${s.worker.url}/connector-plugins/${plugin}/config`)))
      const own = (body: unknown) =>
        (body as { name: string }[]).filter((k) => ['file', 'topic', 'batch.size'].includes(k.name))
      assert.equal(ts?.status, 200)
      assert.deepEqual(own(ts?.body), own(java?.body), plugin)
    }
  })

  test("PUT .../config/validate runs the Java connector's validate()", async () => {
    const config = { 'connector.class': SOURCE, name: 'v', topic: 'x', 'batch.size': 'many' }
    const [java, ts] = await Promise.all(
      sides.map((s) => http(`${s.worker.url}/connector-plugins/FileStreamSource/config/validate`, 'PUT', config)),
    )
    const errors = (body: unknown) =>
      (body as { configs: { value: { name: string; errors: string[] } }[] }).configs
        .filter((c) => c.value.name === 'batch.size')
        .flatMap((c) => c.value.errors)
    assert.deepEqual(errors(ts?.body), errors(java?.body))
    assert.ok(errors(ts?.body).length > 0)
  })

  test('FileStreamSource writes the same topic bytes and offsets records as under Java Connect', async () => {
    const name = uniqueName('file-source')
    for (const side of sides) {
      const answer = await http(`${side.worker.url}/connectors`, 'POST', {
        name,
        config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: side.topic },
      })
      assert.equal(answer.status, 201, JSON.stringify(answer.body))
    }
    await Promise.all(sides.map((s) => connectorRunning(s, name)))
    const [javaRecords, tsRecords] = await Promise.all(sides.map((s) => readAll(s.topic, 0, LINES.length)))
    assert.deepEqual(tsRecords, javaRecords)
    const [javaOffsets, tsOffsets] = await Promise.all(sides.map((s) => offsetsRecords(s.group, 1)))
    const last = (records: { key: string; value: string }[]) => records.filter((r) => r.key.includes(input)).at(-1)
    assert.deepEqual(last(tsOffsets ?? []), last(javaOffsets ?? []))
    // FileStreamSourceTask counts characters, not bytes.
    assert.equal(last(tsOffsets ?? [])?.value, `{"position":${`${LINES.join('\n')}\n`.length}}`)
  })

  test('FileStreamSink writes the topic back into a file, as under Java Connect', async () => {
    const name = uniqueName('file-sink')
    const outputs = sides.map((s) => join(dir, `${s.group}.out`))
    for (const [i, side] of sides.entries()) {
      const answer = await http(`${side.worker.url}/connectors`, 'POST', {
        name,
        config: { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: outputs[i], topics: side.topic },
      })
      assert.equal(answer.status, 201, JSON.stringify(answer.body))
    }
    const expected = `${LINES.join('\n')}\n`
    const read = (f: string) => {
      try {
        return readFileSync(f, 'utf8')
      } catch {
        return ''
      }
    }
    const [java, ts] = await Promise.all(
      outputs.map((f) => until(`${f} written`, WAIT_MS, async () => (read(f) === expected ? read(f) : undefined))),
    )
    assert.equal(ts, java)
  })
})

describe('a Java plugin that throws', () => {
  test('fails its task with the Java stack trace in the status, as under Java Connect', async () => {
    const name = uniqueName('file-sink-bad')
    const traces = await Promise.all(
      sides.map(async (side) => {
        const answer = await http(`${side.worker.url}/connectors`, 'POST', {
          name,
          config: {
            'connector.class': SINK,
            'tasks.max': '1',
            file: join(dir, 'no-such-dir', 'out.txt'),
            topics: side.topic,
          },
        })
        assert.equal(answer.status, 201, JSON.stringify(answer.body))
        return until(`${side.runtime.name}: ${name} task FAILED`, WAIT_MS, async () => {
          const s = (await http(`${side.worker.url}/connectors/${name}/status`)).body as {
            tasks?: { state: string; trace?: string }[]
          }
          const task = s.tasks?.[0]
          return task?.state === 'FAILED' ? (task.trace ?? '') : undefined
        })
      }),
    )
    const [java, ts] = traces.map((t) => t.split('\n'))
    assert.match(ts?.[0] ?? '', /^org\.apache\.kafka\.connect\.errors\.ConnectException: /)
    assert.equal(ts?.[0], java?.[0])
    assert.ok(
      ts?.some((line) => line.includes('at org.apache.kafka.connect.file.FileStreamSinkTask.start')),
      ts?.join('\n'),
    )
  })
})
