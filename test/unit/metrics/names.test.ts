/**
 * The series a worker renders against the table of docs/monitoring.md (Strimzi's names for Java Connect's MBeans):
 * every group the worker, its tasks, the herder and the client tracker make is built and rendered, and the names,
 * types and label keys must be exactly the table's, no more and no fewer.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { test } from 'node:test'
import { HerderMetrics } from '../../../src/herder/herder-metrics.ts'
import type { ClientConnections } from '../../../src/kafka/client-connections.ts'
import { renderPrometheus } from '../../../src/metrics/prometheus.ts'
import { MetricsRegistry } from '../../../src/metrics/registry.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { addClientMetrics } from '../../../src/worker/client-metrics.ts'
import { SinkTaskMetrics, SourceTaskMetrics, TaskMetrics } from '../../../src/worker/task-metrics.ts'
import { addAppInfo, WorkerMetrics } from '../../../src/worker/worker-metrics.ts'

const DOC = resolve(import.meta.dirname, '../../../docs/monitoring.md')
const TYPES: Record<string, string> = { c: 'counter', g: 'gauge', u: 'untyped' }

interface Row {
  type: string
  labels: string[]
}

/** The table rows of docs/monitoring.md: `| \`name\` ★ | type | labels | ...`. */
function documented(): Map<string, Row> {
  const rows = new Map<string, Row>()
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = line.match(/^\|\s*`([a-z_]+)`(?: ★)?\s*\|\s*([cgu])\s*\|([^|]*)\|/)
    if (!m) continue
    const labels = (m[3] ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    rows.set(m[1] as string, { type: TYPES[m[2] as string] as string, labels: labels.sort() })
  }
  return rows
}

/** name → type and label keys, from a rendering. */
function rendered(text: string): Map<string, Row> {
  const types = new Map<string, string>()
  const out = new Map<string, Row>()
  for (const line of text.split('\n')) {
    const t = line.match(/^# TYPE (\S+) (\S+)$/)
    if (t) types.set(t[1] as string, t[2] as string)
    if (line.startsWith('#') || line === '') continue
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/)
    assert.ok(m, `a sample line: ${line}`)
    const name = m[1] as string
    const labels = [...(m[2] ?? '').matchAll(/([a-z_]+)="/g)].map((l) => l[1] as string).sort()
    const row = { type: types.get(name) ?? '(no TYPE)', labels }
    const seen = out.get(name)
    if (seen) assert.deepEqual(seen, row, `${name}: every sample has the same labels`)
    out.set(name, row)
  }
  return out
}

/** Every group a distributed worker makes, with a source and a sink task. */
function everyGroup(): MetricsRegistry {
  const clock = new ManualClock(1_000_000)
  const registry = new MetricsRegistry({ clock })
  const tasks = [
    { connector: 'src', task: 0 },
    { connector: 'snk', task: 0 },
  ]
  const worker = new WorkerMetrics(registry, {
    connectorCount: () => 2,
    tasks: () => tasks,
    taskState: () => 'RUNNING',
  })
  worker.connectorCreated('src', { className: 'org.example.Source', type: 'source', version: '1.0' })
  worker.connectorState('src', 'RUNNING')
  for (const id of tasks) worker.taskAdded(id)
  const source = new SourceTaskMetrics(new TaskMetrics(registry, tasks[0] as never, 'RUNNING'), tasks[0] as never)
  const sink = new SinkTaskMetrics(new TaskMetrics(registry, tasks[1] as never, 'RUNNING'), tasks[1] as never)
  for (const m of [source.task, sink.task]) {
    m.errors(tasks[0] as never, {
      failures: 0,
      errors: 0,
      skipped: 0,
      retries: 0,
      lastFailureTime: 0,
      logged: () => 0,
      dlqRequests: () => 0,
      dlqFailures: () => 0,
    })
  }
  source.poll(10, 5)
  sink.read(10)
  new HerderMetrics(
    registry,
    {
      protocol: () => 'sessioned',
      leaderUrl: () => 'http://127.0.0.1:8083/',
      generation: () => 3,
      rebalancing: () => false,
      assigned: () => ({ connectors: 1, tasks: 2 }),
    },
    'connect-127.0.0.1:8083',
  ).rebalanceSucceeded()
  const kinds = ['producer', 'consumer', 'admin'] as const
  const connections = {
    stats: () =>
      kinds.map((kind) => ({ kind, clientId: `c-${kind}`, connections: 1, incomingBytes: 1, outgoingBytes: 1 })),
  } as unknown as ClientConnections
  addClientMetrics(registry, connections)
  addAppInfo(registry, '127.0.0.1:8083')
  return registry
}

test('a worker renders exactly the series of docs/monitoring.md, with their types and labels', () => {
  const want = documented()
  const got = rendered(renderPrometheus(everyGroup().collect()))
  assert.ok(want.size > 90, `the table was read (${want.size} rows)`)
  assert.deepEqual([...got.keys()].filter((n) => !want.has(n)).sort(), [], 'rendered but not in docs/monitoring.md')
  assert.deepEqual([...want.keys()].filter((n) => !got.has(n)).sort(), [], 'in docs/monitoring.md but not rendered')
  for (const [name, row] of want) assert.deepEqual(got.get(name), row, name)
})
