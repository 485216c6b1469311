/**
 * Drop-in compatibility, end to end: one runtime's workers run FileStream connectors (with transforms and the
 * JsonConverter), pause, stop and resume them, and stop gracefully; the other runtime's workers start on the same
 * group.id and the same three internal topics, and carry on. Both directions with the same scenario: Java Connect →
 * two tsconnect workers (which share the work), and tsconnect → Java Connect (one worker: Java starts slowly).
 *
 * What carries over: the connectors, their configs and task configs (config topic), their target states and
 * statuses (config and status topics), the source offsets (offset topic) and the sink offsets (consumer groups).
 * What is counted: every line of the input files reaches the topics and the sink files exactly once (zero lost,
 * zero repeated) across the takeover, including lines read just before the first runtime stopped.
 */
import assert from 'node:assert/strict'
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type { Consumer } from '@platformatic/kafka'
import { createAdmin, createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { testDir } from '../../support/connect-process.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

const consumer: Consumer = createFetchClient(testClientProperties())
const running: CompatWorker[] = []
after(async () => {
  await Promise.allSettled(running.map((w) => w.stop()))
  await consumer.close()
})

/** Lines of a file, without the empty tail. */
function fileLines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : []
}

/** Every record of a partition, key and value as text (null for none). */
async function partitionRecords(topic: string, partition = 0): Promise<{ key: string; value: string | null }[]> {
  const records: { key: string; value: string | null }[] = []
  let offset = 0n
  for (;;) {
    const batch = await fetchPartition(consumer, topic, partition, offset, { maxWaitMs: 50 })
    records.push(...batch.records.map((r) => ({ key: r.key?.toString() ?? '', value: r.value?.toString() ?? null })))
    if (batch.records.length === 0 || batch.nextOffset >= batch.highWatermark) return records
    offset = batch.nextOffset
  }
}

/** Every record value of a one-partition topic, as text. */
async function topicValues(topic: string): Promise<string[]> {
  return (await partitionRecords(topic)).map((r) => r.value ?? '')
}

/**
 * A JSON value's shape: object keys in their order, leaves as their types; connector and task configs opaque. Null
 * counts as a string: the optional fields (a status's trace and version) are strings or null on both sides.
 */
function shape(value: unknown, key = ''): unknown {
  if (value === null) return 'string'
  if (Array.isArray(value)) return value.map((v) => shape(v))
  if (typeof value !== 'object') return typeof value
  if (key === 'properties') return 'config map'
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v, k)]))
}

/**
 * The shapes of the records of the three internal topics, per kind of record (connector, task, commit,
 * target-state, session-key; status-connector, -task, -topic; offset): both runtimes wrote each kind, so a kind
 * with two shapes is a difference in bytes.
 */
async function internalRecordShapes(group: string): Promise<Map<string, Map<string, string>>> {
  // kind → shape → one record of that shape, for the failure message.
  const kinds = new Map<string, Map<string, string>>()
  const add = (kind: string, key: unknown, value: string | null) => {
    if (value === null) return
    const shapes = kinds.get(kind) ?? new Map<string, string>()
    const s = JSON.stringify({ key: shape(key), value: shape(JSON.parse(value)) })
    if (!shapes.has(s)) shapes.set(s, `${JSON.stringify(key)} ${value}`)
    kinds.set(kind, shapes)
  }
  for (const r of await partitionRecords(`${group}-configs`)) {
    add(/^(connector|task|commit|target-state|session-key)/.exec(r.key)?.[1] ?? r.key, 'string', r.value)
  }
  for (const r of await partitionRecords(`${group}-status`)) {
    add(/^status-(connector|task|topic)/.exec(r.key)?.[0] ?? r.key, 'string', r.value)
  }
  for (let p = 0; p < 5; p++) {
    for (const r of await partitionRecords(`${group}-offsets`, p)) add('offset', JSON.parse(r.key), r.value)
  }
  return kinds
}

/** Lines missing from `seen`, and lines seen more than once (each extra copy counts). */
function lostAndRepeated(expected: readonly string[], seen: readonly string[]): { lost: number; repeated: number } {
  const counts = new Map<string, number>()
  for (const l of seen) counts.set(l, (counts.get(l) ?? 0) + 1)
  return {
    lost: expected.filter((l) => !counts.has(l)).length,
    repeated: [...counts.values()].reduce((n, c) => n + c - 1, 0),
  }
}

async function status(w: CompatWorker, name: string): Promise<Status | undefined> {
  const r = await http(`${w.url}/connectors/${name}/status`)
  return r.status === 200 ? (r.body as Status) : undefined
}

/** Waits until the connector and its tasks are in `state` (STOPPED: no tasks). */
async function inState(w: CompatWorker, name: string, state: string, timeoutMs = 60_000): Promise<Status> {
  return until(`${name} ${state}`, timeoutMs, async () => {
    const s = await status(w, name)
    if (s?.connector.state !== state) return undefined
    if (state === 'STOPPED') return s.tasks.length === 0 ? s : undefined
    return s.tasks.length > 0 && s.tasks.every((t) => t.state === state) ? s : undefined
  })
}

async function request(w: CompatWorker, method: string, path: string, expected: number, body?: unknown) {
  const r = await http(`${w.url}${path}`, method, body)
  assert.equal(r.status, expected, `${method} ${path}: ${JSON.stringify(r.body)}`)
  return r.body
}

/** What a client sees of a connector on the REST API. */
async function snapshot(w: CompatWorker, name: string) {
  return {
    config: await request(w, 'GET', `/connectors/${name}/config`, 200),
    tasks: await request(w, 'GET', `/connectors/${name}/tasks`, 200),
  }
}

/** JSON with object keys sorted: Java's maps have no key order to compare. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  )
}

/** The offsets a connector reports, each as canonical JSON, sorted. */
async function offsets(w: CompatWorker, name: string): Promise<string[]> {
  const body = (await request(w, 'GET', `/connectors/${name}/offsets`, 200)) as { offsets: unknown[] }
  return body.offsets.map(canonical).sort()
}

/** Runs the scenario: `first` runs and stops, then `workers` workers of `second` take over. */
async function handOver(first: Runtime, second: Runtime, workers: number): Promise<void> {
  const group = uniqueName('takeover')
  const dir = testDir()
  const lines = join(dir, `${group}-in.txt`)
  const out = join(dir, `${group}-out.txt`)
  const haltedIn = join(dir, `${group}-halted-in.txt`)
  const parkedOut = join(dir, `${group}-parked-out.txt`)
  const topic = `${group}-lines`
  const haltedTopic = `${group}-halted`
  // Sink consumer groups are connect-<name>: names of their own keep the two directions apart.
  const [source, sink, halted, parked] = ['source', 'sink', 'halted', 'parked'].map((n) => `${n}-${group}`) as [
    string,
    string,
    string,
    string,
  ]
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({ topics: [topic, haltedTopic], partitions: 1, replicas: 1 })
  await admin.close()

  let written = 0
  const write = (n: number) => {
    const batch = Array.from({ length: n }, () => `line-${++written}`)
    appendFileSync(lines, `${batch.join('\n')}\n`)
  }
  const all = () => Array.from({ length: written }, (_, i) => `line-${i + 1}`)
  const arrived = (file: string, expected: () => string[]) =>
    until(`every line in ${file}`, 60_000, async () => {
      const seen = new Set(fileLines(file))
      return expected().every((l) => seen.has(l)) ? true : undefined
    })
  writeFileSync(lines, '')
  write(20)
  const haltedLines = Array.from({ length: 10 }, (_, i) => `halted-${i + 1}`)
  writeFileSync(haltedIn, `${haltedLines.join('\n')}\n`)

  const a = await first.start(group)
  running.push(a)
  // The pipeline: file → HoistField + InsertField → JsonConverter (schemas) → topic → ExtractField → file.
  await request(a, 'POST', '/connectors', 201, {
    name: source,
    config: {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: lines,
      topic,
      transforms: 'hoist,origin',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.origin.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.origin.static.field': 'origin',
      'transforms.origin.static.value': 'file',
    },
  })
  await request(a, 'POST', '/connectors', 201, {
    name: sink,
    config: {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: out,
      topics: topic,
      transforms: 'line',
      'transforms.line.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
      'transforms.line.field': 'line',
    },
  })
  // A source that will be STOPPED and a sink that will be PAUSED when the first runtime goes.
  await request(a, 'POST', '/connectors', 201, {
    name: halted,
    config: {
      'connector.class': 'FileStreamSource',
      file: haltedIn,
      topic: haltedTopic,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  })
  await request(a, 'POST', '/connectors', 201, {
    name: parked,
    config: {
      'connector.class': 'FileStreamSink',
      file: parkedOut,
      topics: haltedTopic,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  })
  for (const name of [source, sink, halted, parked]) await inState(a, name, 'RUNNING')
  await arrived(out, all)
  await arrived(parkedOut, () => haltedLines)

  await request(a, 'PUT', `/connectors/${sink}/pause`, 202)
  await inState(a, sink, 'PAUSED')
  write(10)
  await request(a, 'PUT', `/connectors/${sink}/resume`, 202)
  await inState(a, sink, 'RUNNING')
  await arrived(out, all)

  await request(a, 'PUT', `/connectors/${halted}/stop`, 204)
  await inState(a, halted, 'STOPPED')
  await request(a, 'PUT', `/connectors/${parked}/pause`, 202)
  await inState(a, parked, 'PAUSED')
  // A STOPPED connector's offsets are final: its task committed them as it stopped.
  const haltedOffsets = await offsets(a, halted)
  const before = new Map<string, unknown>()
  for (const name of [source, sink, halted, parked]) before.set(name, await snapshot(a, name))

  // Lines still in flight when the workers stop: only the commit on a graceful stop keeps them from repeating.
  write(10)
  await arrived(out, all)
  await a.stop()
  running.splice(running.indexOf(a), 1)
  // Written while no worker runs; the later halted lines wait for its resume.
  write(5)
  const haltedLater = Array.from({ length: 5 }, (_, i) => `halted-${haltedLines.length + i + 1}`)
  appendFileSync(haltedIn, `${haltedLater.join('\n')}\n`)

  const [b, ...others] = await Promise.all(Array.from({ length: workers }, () => second.start(group)))
  if (b === undefined) throw new Error('no worker')
  running.push(b, ...others)
  assert.deepEqual(
    ((await request(b, 'GET', '/connectors', 200)) as string[]).sort(),
    [halted, parked, sink, source].sort(),
    `${second.name} lists the connectors ${first.name} left`,
  )
  for (const [name, seen] of before) assert.deepEqual(await snapshot(b, name), seen, `${name}: config and task configs`)
  // Target states and statuses as they were left.
  await inState(b, source, 'RUNNING')
  await inState(b, sink, 'RUNNING')
  await inState(b, halted, 'STOPPED')
  await inState(b, parked, 'PAUSED')
  assert.deepEqual(
    await offsets(b, halted),
    haltedOffsets,
    `the STOPPED connector's offsets, as ${first.name} answered`,
  )
  // parked is PAUSED: its committed position is the 10 records it had put.
  assert.deepEqual(await offsets(b, parked), [
    canonical({ partition: { kafka_topic: haltedTopic, kafka_partition: 0 }, offset: { kafka_offset: 10 } }),
  ])

  write(10)
  await arrived(out, all)
  // The source reached the end of its file and the sink the end of the topic: both offsets say so.
  await until('the source offset at the end of the file', 30_000, async () => {
    const expected = [canonical({ partition: { filename: lines }, offset: { position: statSync(lines).size } })]
    return JSON.stringify(await offsets(b, source)) === JSON.stringify(expected) ? true : undefined
  })
  await until('the sink offset at the end of the topic', 30_000, async () => {
    const expected = [
      canonical({ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: written } }),
    ]
    return JSON.stringify(await offsets(b, sink)) === JSON.stringify(expected) ? true : undefined
  })

  await request(b, 'PUT', `/connectors/${halted}/resume`, 202)
  await request(b, 'PUT', `/connectors/${parked}/resume`, 202)
  await inState(b, halted, 'RUNNING')
  await inState(b, parked, 'RUNNING')
  await arrived(parkedOut, () => [...haltedLines, ...haltedLater])

  const raw = await topicValues(topic)
  const records = raw.map((v) => JSON.parse(v) as { payload: { line: string } })
  const counts = {
    topic: lostAndRepeated(
      all(),
      records.map((r) => r.payload.line),
    ),
    sinkFile: lostAndRepeated(all(), fileLines(out)),
    stoppedSourceTopic: lostAndRepeated([...haltedLines, ...haltedLater], await topicValues(haltedTopic)),
    pausedSinkFile: lostAndRepeated([...haltedLines, ...haltedLater], fileLines(parkedOut)),
  }
  console.log(`# ${first.name} → ${second.name}: ${written} lines; lost and repeated ${JSON.stringify(counts)}`)
  const none = { lost: 0, repeated: 0 }
  assert.deepEqual(counts, { topic: none, sinkFile: none, stoppedSourceTopic: none, pausedSinkFile: none })
  // Both runtimes' JsonConverter write the same bytes: only the line differs from record to record.
  const envelopes = new Set(raw.map((v) => v.replace(/"line-\d+"/, '"…"')))
  assert.equal(envelopes.size, 1, [...envelopes].join('\n'))

  for (const w of [b, ...others]) {
    await w.stop()
    running.splice(running.indexOf(w), 1)
  }

  // The internal topics hold records of both runtimes: each kind of record has one shape (key order, types).
  const shapes = await internalRecordShapes(group)
  for (const kind of ['connector', 'task', 'commit', 'target-state', 'status-connector', 'status-task', 'offset']) {
    assert.ok(shapes.has(kind), `${kind} records in the internal topics`)
  }
  for (const [kind, seen] of shapes) assert.equal(seen.size, 1, `${kind} records:\n${[...seen.values()].join('\n')}`)
}

describe('taking over a cluster of the other runtime on the same group.id and internal topics', () => {
  test('two tsconnect workers take over from Java Connect: same connectors, states and offsets, no line lost or repeated', () =>
    handOver(javaConnect, tsconnect, 2))

  test('Java Connect takes over from tsconnect: same connectors, states and offsets, no line lost or repeated', () =>
    handOver(tsconnect, javaConnect, 1))
})
