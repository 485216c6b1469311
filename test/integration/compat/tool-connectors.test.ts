/**
 * Java's tool connectors (org.apache.kafka.connect.tools) pass the same checks in tsconnect and in Java Connect,
 * side by side on the test broker, one cluster per runtime, the same scenario in both:
 *
 *   - MockSource/MockSink with connector-failure and task-failure: the connector or task shows FAILED with a
 *     trace, and RUNNING again after a REST restart;
 *   - VerifiableSource and VerifiableSink print the same kinds of lines (sent, committed, received, flushed) with
 *     the same fields, in the same order, with the same JSON types;
 *   - SchemaSource writes the same key and value bytes (through JsonConverter) and prints the same lines;
 *   - across a worker restart (graceful stop, a new worker on the same group), the verifiable source resumes
 *     after its committed seqno and neither the committed nor the flushed seqnos have a gap; and again when a
 *     worker of the other runtime takes the cluster over (Java's source offsets read by tsconnect, and back).
 *
 * tsconnect's automatic restart of FAILED work (beyond Java) is turned off here, so that FAILED stays FAILED
 * until the REST restart, as in Java.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Consumer } from '@platformatic/kafka'
import { createAdmin, createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'

interface Status {
  connector: { state: string; trace?: string }
  tasks: { id: number; state: string; trace?: string }[]
}

/** One runtime's cluster: its worker of the moment, every worker's output, and its topics. */
interface Side {
  runtime: Runtime
  group: string
  worker: CompatWorker
  /** The output of the workers stopped so far, then the current one's. */
  outputs: (() => string)[]
  verifiableTopic: string
  schemaTopic: string
  mockTopic: string
}

const consumer: Consumer = createFetchClient(testClientProperties())
const running = new Set<CompatWorker>()
after(async () => {
  await Promise.allSettled([...running].map((w) => w.stop()))
  await consumer.close()
})

const WAIT_MS = 120_000

async function startWorker(runtime: Runtime, group: string): Promise<CompatWorker> {
  const extra = runtime === tsconnect ? { 'tsconnect.auto.restart.enable': 'false' } : undefined
  const worker = await runtime.start(group, extra)
  running.add(worker)
  return worker
}

async function startSide(runtime: Runtime): Promise<Side> {
  const group = uniqueName(runtime === tsconnect ? 'tools-ts' : 'tools-java')
  const side = {
    runtime,
    group,
    verifiableTopic: `${group}-verifiable`,
    schemaTopic: `${group}-schema`,
    mockTopic: `${group}-mock`,
  }
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({
    topics: [side.verifiableTopic, side.schemaTopic, side.mockTopic],
    partitions: 1,
    replicas: 1,
  })
  await admin.close()
  const worker = await startWorker(runtime, group)
  return { ...side, worker, outputs: [() => worker.output()] }
}

async function create(side: Side, name: string, config: Record<string, string>): Promise<void> {
  const answer = await http(`${side.worker.url}/connectors`, 'POST', { name, config })
  assert.equal(answer.status, 201, `${side.runtime.name}: POST /connectors ${name}: ${JSON.stringify(answer.body)}`)
}

async function status(side: Side, name: string): Promise<Status | undefined> {
  const answer = await http(`${side.worker.url}/connectors/${name}/status`)
  return answer.status === 200 ? (answer.body as Status) : undefined
}

/** Waits until `pick` finds the wanted state in the connector's status; answers it. */
async function awaitState(
  side: Side,
  name: string,
  wanted: string,
  pick: (s: Status) => { state: string; trace?: string } | undefined,
): Promise<{ state: string; trace?: string }> {
  return until(`${side.runtime.name}: ${name} ${wanted}`, WAIT_MS, async () => {
    const s = await status(side, name)
    const part = s && pick(s)
    return part?.state === wanted ? part : undefined
  })
}

/** The JSON objects a worker printed that carry a seqno (the tools' lines; log lines do not). */
function toolLines(output: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = []
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>
      if ('seqno' in parsed && !('level' in parsed)) lines.push(parsed)
    } catch {
      // A log line that only looks like JSON.
    }
  }
  return lines
}

type Kind = 'sent' | 'committed' | 'received' | 'flushed' | 'schema'

function kindOf(line: Record<string, unknown>): Kind {
  if ('flushed' in line) return 'flushed'
  if ('sinkTask' in line) return 'received'
  if ('committed' in line) return 'committed'
  return 'name' in line ? 'sent' : 'schema'
}

/** The lines of one kind, of every worker of the side so far (or only of the current one). */
function linesOf(side: Side, kind: Kind, only?: 'current'): Record<string, unknown>[] {
  const outputs = only === 'current' ? side.outputs.slice(-1) : side.outputs
  return outputs.flatMap((o) => toolLines(o())).filter((l) => kindOf(l) === kind)
}

/** A line's fields and their JSON types, in order: what must be the same in both runtimes. */
function shape(line: Record<string, unknown>): string {
  return Object.entries(line)
    .map(([k, v]) => `${k}:${v === null ? 'null' : typeof v}`)
    .join(',')
}

/** Gaps in a set of seqnos from 0 to its largest. */
function gaps(seqnos: Iterable<unknown>): number[] {
  const seen = new Set([...seqnos].map(Number))
  const missing: number[] = []
  for (let n = 0; n <= Math.max(-1, ...seen); n++) if (!seen.has(n)) missing.push(n)
  return missing
}

async function topicRecords(topic: string): Promise<{ key: string; value: string }[]> {
  const records: { key: string; value: string }[] = []
  let offset = 0n
  for (;;) {
    const batch = await fetchPartition(consumer, topic, 0, offset, { maxWaitMs: 50 })
    records.push(...batch.records.map((r) => ({ key: r.key?.toString() ?? '', value: r.value?.toString() ?? '' })))
    if (batch.records.length === 0 || batch.nextOffset >= batch.highWatermark) return records
    offset = batch.nextOffset
  }
}

describe("Java's tool connectors in tsconnect and in Java Connect", { timeout: 600_000 }, () => {
  let sides: Side[] = []

  before(async () => {
    sides = await Promise.all([startSide(javaConnect), startSide(tsconnect)])
  })

  test('a failing connector and a failing task show FAILED with their traces and run again after a restart', async () => {
    const mocks = [
      { name: 'mock-source-connector', cls: 'MockSourceConnector', mode: 'connector-failure' },
      {
        name: 'mock-sink-connector',
        cls: 'org.apache.kafka.connect.tools.MockSinkConnector',
        mode: 'connector-failure',
      },
      { name: 'mock-source-task', cls: 'MockSource', mode: 'task-failure' },
      { name: 'mock-sink-task', cls: 'MockSinkConnector', mode: 'task-failure' },
    ]
    const seen = await Promise.all(
      sides.map(async (side) => {
        for (const m of mocks) {
          await create(side, m.name, {
            'connector.class': m.cls,
            'tasks.max': '3',
            mock_mode: m.mode,
            // Long enough for the RUNNING state after the restart to be seen before the next failure.
            delay_ms: '5000',
            ...(m.cls.includes('Sink') ? { topics: side.mockTopic } : {}),
          })
        }
        const events: string[] = []
        await Promise.all(
          mocks.map(async (m) => {
            const pick = m.mode === 'connector-failure' ? (s: Status) => s.connector : (s: Status) => s.tasks[0]
            const failed = await awaitState(side, m.name, 'FAILED', pick)
            assert.ok((failed.trace ?? '').length > 0, `${side.runtime.name}: ${m.name} FAILED without a trace`)
            const tasks = (await status(side, m.name))?.tasks.length
            const path =
              m.mode === 'connector-failure' ? `/connectors/${m.name}/restart` : `/connectors/${m.name}/tasks/0/restart`
            const restart = await http(`${side.worker.url}${path}`, 'POST')
            await awaitState(side, m.name, 'RUNNING', pick)
            events.push(`${m.name}: FAILED with trace (${tasks} task), restart ${restart.status}, RUNNING`)
          }),
        )
        for (const m of mocks) await http(`${side.worker.url}/connectors/${m.name}`, 'DELETE')
        return events.sort()
      }),
    )
    const [java, ours] = seen
    assert.equal(java?.length, mocks.length)
    assert.deepEqual(ours, java)
  })

  test('VerifiableSource and VerifiableSink print the same kinds of lines with the same fields', async () => {
    await Promise.all(
      sides.map(async (side) => {
        await create(side, 'verifiable-source', {
          'connector.class': 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
          'tasks.max': '1',
          topic: side.verifiableTopic,
          throughput: '20',
        })
        await create(side, 'verifiable-sink', {
          'connector.class': 'VerifiableSink',
          'tasks.max': '1',
          topics: side.verifiableTopic,
        })
        await until(`${side.runtime.name}: 10 flushed lines`, WAIT_MS, async () =>
          linesOf(side, 'flushed').length >= 10 ? true : undefined,
        )
      }),
    )
    const [java, ours] = sides as [Side, Side]
    for (const kind of ['sent', 'committed', 'received', 'flushed'] as const) {
      const javaShapes = new Set(linesOf(java, kind).map(shape))
      const ourShapes = new Set(linesOf(ours, kind).map(shape))
      assert.equal(javaShapes.size, 1, `Java's ${kind} lines have one shape: ${[...javaShapes].join(' | ')}`)
      assert.deepEqual([...ourShapes], [...javaShapes], `the ${kind} lines`)
    }
    for (const side of sides) {
      const sent = linesOf(side, 'sent')[0]
      assert.equal(sent?.name, 'verifiable-source')
      assert.equal(sent?.topic, side.verifiableTopic)
      assert.equal(linesOf(side, 'received')[0]?.name, 'verifiable-sink')
    }
  })

  test('SchemaSource writes the same key and value bytes and prints the same lines', async () => {
    const records = await Promise.all(
      sides.map(async (side) => {
        await create(side, 'schema-source', {
          'connector.class': 'SchemaSourceConnector',
          'tasks.max': '1',
          topic: side.schemaTopic,
          'num.messages': '4',
          'multiple.schema': 'true',
          'partition.count': '3',
          throughput: '-1',
        })
        return until(`${side.runtime.name}: 4 SchemaSource records`, WAIT_MS, async () => {
          const got = await topicRecords(side.schemaTopic)
          return got.length >= 4 ? got : undefined
        })
      }),
    )
    const [java, ours] = records
    assert.equal(java?.length, 4)
    assert.deepEqual(ours, java)
    const printed = sides.map((side) => linesOf(side, 'schema').map((l) => JSON.stringify(l)))
    assert.deepEqual(printed[1], printed[0])
  })

  test('across a worker restart the verifiable seqnos resume after the committed one, with no gap', async () => {
    await Promise.all(
      sides.map(async (side) => {
        await side.worker.stop()
        running.delete(side.worker)
        const stopped = side.worker.output()
        side.outputs[side.outputs.length - 1] = () => stopped
        const lastCommitted = Math.max(...linesOf(side, 'committed').map((l) => Number(l.seqno)))
        side.worker = await startWorker(side.runtime, side.group)
        const current = side.worker
        side.outputs.push(() => current.output())
        await until(`${side.runtime.name}: the new worker's sink flushed 10 lines`, WAIT_MS, async () =>
          linesOf(side, 'flushed', 'current').length >= 10 ? true : undefined,
        )
        const resumedAt = Number(linesOf(side, 'sent', 'current')[0]?.seqno)
        const name = side.runtime.name
        assert.ok(resumedAt > 0, `${name}: the source resumed from its offset, not from 0 (${resumedAt})`)
        assert.ok(resumedAt <= lastCommitted + 1, `${name}: resumed at ${resumedAt}, committed ${lastCommitted}`)
        assert.deepEqual(gaps(linesOf(side, 'committed').map((l) => l.seqno)), [], `${name}: committed seqnos`)
        assert.deepEqual(gaps(linesOf(side, 'flushed').map((l) => l.seqno)), [], `${name}: flushed seqnos`)
        console.log(`# ${name}: last committed ${lastCommitted} before the restart, resumed at ${resumedAt}`)
      }),
    )
  })

  test("a worker of the other runtime taking over the cluster continues its seqnos (offsets' bytes) with no gap", async () => {
    await Promise.all(
      sides.map(async (side) => {
        const other = side.runtime === tsconnect ? javaConnect : tsconnect
        await side.worker.stop()
        running.delete(side.worker)
        const stopped = side.worker.output()
        side.outputs[side.outputs.length - 1] = () => stopped
        const lastCommitted = Math.max(...linesOf(side, 'committed').map((l) => Number(l.seqno)))
        side.worker = await startWorker(other, side.group)
        const current = side.worker
        side.outputs.push(() => current.output())
        const name = `${other.name} after ${side.runtime.name}`
        await until(`${name}: the sink flushed 10 lines`, WAIT_MS, async () =>
          linesOf(side, 'flushed', 'current').length >= 10 ? true : undefined,
        )
        const resumedAt = Number(linesOf(side, 'sent', 'current')[0]?.seqno)
        assert.ok(
          resumedAt > 0 && resumedAt <= lastCommitted + 1,
          `${name}: resumed at ${resumedAt}, committed ${lastCommitted}`,
        )
        assert.deepEqual(gaps(linesOf(side, 'committed').map((l) => l.seqno)), [], `${name}: committed seqnos`)
        assert.deepEqual(gaps(linesOf(side, 'flushed').map((l) => l.seqno)), [], `${name}: flushed seqnos`)
        console.log(`# ${name}: last committed ${lastCommitted}, resumed at ${resumedAt}`)
      }),
    )
  })
})
