/**
 * GET /metrics of a real 3-worker cluster, scraped by a real Prometheus (Debian's package, installed by
 * scripts/ensure-install.mjs when missing): a FileStreamSource → topic → FileStreamSink pipeline, a connector that
 * fails (MockSourceConnector, mock_mode=connector-failure) and one whose task fails (mock_mode=task-failure).
 *
 * Each worker's series match what REST says (connector and task statuses, where each runs, task counts) and the
 * records moved (poll, write, read and put totals); every worker renders the same worker-level series whether it
 * leads or follows; every ★ series of docs/monitoring.md is there with its labels. Then Prometheus, loaded with
 * docs/monitoring/tsconnect-alerts.yaml (its `for:` shortened to 1 s, so that the test need not wait a minute),
 * answers every panel query of docs/monitoring/tsconnect-dashboard.json and the query part of every alert, and
 * ConnectFailedConnector fires for the failing connector.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { type DistributedProcess, startDistributed, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const PROMETHEUS = '/usr/bin/prometheus'
const LINES = 40

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

/** Parses the Prometheus text format (as rendered here: no timestamps). */
function parse(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/)
    assert.ok(m, `a sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string
    const raw = m[3] as string
    out.push({ name: m[1] as string, labels, value: raw === '+Inf' ? Infinity : raw === 'NaN' ? NaN : Number(raw) })
  }
  return out
}

async function scrape(w: DistributedProcess): Promise<Sample[]> {
  const r = await fetch(`${w.url}/metrics`)
  assert.equal(r.status, 200)
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  return parse(await r.text())
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  find(samples, name, labels).reduce((n, s) => n + s.value, 0)

/** The ★ rows of docs/monitoring.md: name → label keys. */
function starred(): Map<string, string[]> {
  const rows = new Map<string, string[]>()
  for (const line of readFileSync(join(ROOT, 'docs/monitoring.md'), 'utf8').split('\n')) {
    const m = line.match(/^\|\s*`([a-z_]+)` ★\s*\|\s*[cgu]\s*\|([^|]*)\|/)
    if (m)
      rows.set(
        m[1] as string,
        (m[2] ?? '')
          .split(',')
          .map((l) => l.trim())
          .filter((l) => l !== '')
          .sort(),
      )
  }
  return rows
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

const dir = testDir()
const input = join(dir, 'metrics-in.txt')
const output = join(dir, 'metrics-out.txt')
const topic = uniqueName('metrics-lines')
const names = {
  source: uniqueName('m-source'),
  sink: uniqueName('m-sink'),
  failing: uniqueName('m-failing'),
  failingTask: uniqueName('m-failing-task'),
}
const workers: DistributedProcess[] = []
let prometheus: ChildProcess | undefined
after(async () => {
  prometheus?.kill('SIGKILL')
  await Promise.all(workers.map((w) => w.stop()))
})

let lastStatusAnswer: unknown
async function statusOf(name: string): Promise<Status | undefined> {
  const r = await http(`${(workers[0] as DistributedProcess).url}/connectors/${name}/status`)
  lastStatusAnswer = r
  return r.status === 200 ? (r.body as Status) : undefined
}

describe('metrics of a 3-worker cluster', { timeout: 300_000 }, () => {
  const statuses = new Map<string, Status>()
  let scraped: Sample[][] = []

  before(async () => {
    // One cluster: the three workers share the group and the internal topics.
    const props = clusterProperties({
      'offset.flush.interval.ms': '500',
      // Failed work stays FAILED, as in Java: the alert and the counts look at it.
      'tsconnect.auto.restart.enable': 'false',
    })
    workers.push(...(await Promise.all([0, 1, 2].map(() => startDistributed(props)))))
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    try {
      await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    } finally {
      await admin.close()
    }
    writeFileSync(input, `${Array.from({ length: LINES }, (_, i) => `line-${i + 1}`).join('\n')}\n`)
    let created = 0
    const create = async (name: string, config: Record<string, string>) => {
      // Through each worker in turn: followers forward to the leader.
      const w = workers[created++ % 3] as DistributedProcess
      const r = await http(`${w.url}/connectors`, 'POST', { name, config })
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
    await create(names.source, { 'connector.class': 'FileStreamSource', file: input, topic })
    await create(names.sink, { 'connector.class': 'FileStreamSink', file: output, topics: topic })
    await create(names.failing, {
      'connector.class': 'org.apache.kafka.connect.tools.MockSourceConnector',
      mock_mode: 'connector-failure',
      delay_ms: '0',
    })
    await create(names.failingTask, {
      'connector.class': 'org.apache.kafka.connect.tools.MockSourceConnector',
      mock_mode: 'task-failure',
      delay_ms: '0',
    })
    await until(`all ${LINES} lines in the sink file`, 90_000, async () =>
      existsSync(output) &&
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length >= LINES
        ? true
        : undefined,
    )
    const expected: Record<string, (s: Status) => boolean> = {
      [names.source]: (s) => s.connector.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING'),
      [names.sink]: (s) => s.connector.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING'),
      [names.failing]: (s) => s.connector.state === 'FAILED',
      [names.failingTask]: (s) => s.tasks.length === 1 && s.tasks[0]?.state === 'FAILED',
    }
    // Settled: REST shows the expected states, and the metrics agree with REST and with the records moved.
    let why = ''
    scraped = await until('the metrics agree with REST and the records moved', 90_000, async () => {
      for (const [name, ok] of Object.entries(expected)) {
        const s = await statusOf(name)
        why = `REST status of ${name}: ${JSON.stringify(lastStatusAnswer)}`
        if (!s || s.tasks.length === 0 || !ok(s)) return undefined
        statuses.set(name, s)
      }
      const all = await Promise.all(workers.map(scrape))
      const flat = all.flat()
      const moved =
        value(flat, 'kafka_connect_source_task_source_record_write_total', { connector: names.source }) === LINES &&
        value(flat, 'kafka_connect_sink_task_sink_record_send_total', { connector: names.sink }) === LINES
      const located = [...statuses].every(([connector, s]) =>
        s.tasks.every((t) => {
          const w = workers.findIndex((x) => x.id === t.worker_id)
          const state = t.state.toLowerCase()
          return (
            find(all[w] ?? [], 'kafka_connect_connector_task_status', { connector, task: String(t.id), status: state })
              .length === 1
          )
        }),
      )
      why = `moved ${moved} (written ${value(flat, 'kafka_connect_source_task_source_record_write_total', { connector: names.source })}, put ${value(flat, 'kafka_connect_sink_task_sink_record_send_total', { connector: names.sink })}), task series where REST says ${located}: ${JSON.stringify(flat.filter((x) => x.name === 'kafka_connect_connector_task_status'))}`
      return moved && located ? all : undefined
    }).catch(async (error: unknown) => {
      for (const [i, w] of workers.entries()) {
        writeFileSync(join(dir, `worker-${i}.log`), w.run.stdout() + w.run.stderr())
        writeFileSync(join(dir, `worker-${i}.metrics`), await (await fetch(`${w.url}/metrics`)).text())
        const st = await Promise.all(Object.values(names).map((n) => http(`${w.url}/connectors/${n}/status`)))
        writeFileSync(join(dir, `worker-${i}.status`), JSON.stringify(st, null, 1))
      }
      assert.fail(`${error}; last: ${why} (worker logs in ${dir})`)
    })
  })

  test('every ★ series of docs/monitoring.md is rendered, with its labels', () => {
    const flat = scraped.flat()
    const missing: string[] = []
    const rows = starred()
    assert.ok(rows.size >= 20, `the ★ rows were read (${rows.size})`)
    for (const [name, labels] of rows) {
      const samples = find(flat, name)
      if (samples.length === 0) missing.push(name)
      for (const s of samples) assert.deepEqual(Object.keys(s.labels).sort(), labels, name)
    }
    assert.deepEqual(missing, [])
  })

  test('connector and task series come from the worker REST names, with the status REST shows', () => {
    for (const [connector, s] of statuses) {
      const runner = workers.findIndex((w) => w.id === s.connector.worker_id)
      assert.ok(runner >= 0, `${connector} runs on one of the workers`)
      scraped.forEach((samples, i) => {
        const own = find(samples, 'kafka_connect_connector_status', { connector })
        if (i === runner) {
          assert.deepEqual(
            own.map((x) => x.labels.status),
            [s.connector.state.toLowerCase()],
            connector,
          )
        } else assert.equal(own.length, 0, `${connector} has no connector series on a worker not running it`)
      })
      for (const t of s.tasks) {
        const w = workers.findIndex((x) => x.id === t.worker_id)
        const own = find(scraped[w] ?? [], 'kafka_connect_connector_task_status', { connector, task: String(t.id) })
        assert.deepEqual(
          own.map((x) => x.labels.status),
          [t.state.toLowerCase()],
          `${connector}-${t.id}`,
        )
        // The dashboard's task table joins this series with the task's status: both must exist.
        assert.equal(
          find(scraped[w] ?? [], 'kafka_connect_task_error_total_record_failures', { connector, task: String(t.id) })
            .length,
          1,
        )
      }
    }
  })

  test('counts summed over the workers match REST', () => {
    const flat = scraped.flat()
    const tasks = [...statuses.values()].reduce((n, s) => n + s.tasks.length, 0)
    const failedTasks = [...statuses.values()].reduce(
      (n, s) => n + s.tasks.filter((t) => t.state === 'FAILED').length,
      0,
    )
    assert.equal(value(flat, 'kafka_connect_worker_connector_count'), statuses.size)
    assert.equal(value(flat, 'kafka_connect_worker_task_count'), tasks)
    assert.equal(value(flat, 'kafka_connect_coordinator_assigned_connectors'), statuses.size)
    assert.equal(value(flat, 'kafka_connect_coordinator_assigned_tasks'), tasks)
    assert.equal(value(flat, 'kafka_connect_worker_connector_failed_task_count'), failedTasks)
    assert.equal(value(flat, 'kafka_connect_worker_connector_failed_task_count', { connector: names.failingTask }), 1)
    assert.equal(
      value(flat, 'kafka_connect_worker_connector_running_task_count'),
      [...statuses.values()].reduce((n, s) => n + s.tasks.filter((t) => t.state === 'RUNNING').length, 0),
    )
    // Every worker took part in the same rebalances: one leader, named alike by all.
    const leaders = new Set(
      flat.filter((s) => s.name === 'kafka_connect_worker_rebalance_leader_name').map((s) => s.labels.leader_name),
    )
    assert.equal(leaders.size, 1)
    assert.deepEqual(
      flat
        .filter((s) => s.name === 'kafka_connect_worker_rebalance_connect_protocol')
        .map((s) => s.labels.connect_protocol),
      ['SESSIONED', 'SESSIONED', 'SESSIONED'],
    )
    for (const samples of scraped) assert.equal(value(samples, 'kafka_connect_worker_rebalance_rebalancing'), 0)
  })

  test('totals match the records moved', () => {
    const flat = scraped.flat()
    const src = { connector: names.source }
    const sink = { connector: names.sink }
    assert.equal(value(flat, 'kafka_connect_source_task_source_record_poll_total', src), LINES)
    assert.equal(value(flat, 'kafka_connect_source_task_source_record_write_total', src), LINES)
    assert.equal(value(flat, 'kafka_connect_sink_task_sink_record_read_total', sink), LINES)
    assert.equal(value(flat, 'kafka_connect_sink_task_sink_record_send_total', sink), LINES)
    assert.equal(value(flat, 'kafka_connect_sink_task_partition_count', sink), 1)
    assert.ok(
      value(flat, 'kafka_producer_outgoing_byte_total', { clientid: `connector-producer-${names.source}-0` }) > 0,
    )
    assert.ok(value(flat, 'kafka_consumer_incoming_byte_total', { clientid: `connector-consumer-${names.sink}-0` }) > 0)
  })

  test('leader and followers render the same worker-level series', () => {
    const workerLevel = (samples: Sample[]) =>
      [
        ...new Set(
          samples
            .filter(
              (s) =>
                s.labels.connector === undefined &&
                !s.name.startsWith('kafka_producer') &&
                !s.name.startsWith('kafka_consumer') &&
                !s.name.startsWith('kafka_admin'),
            )
            .map((s) => s.name),
        ),
      ].sort()
    const [first, ...rest] = scraped.map(workerLevel)
    assert.ok((first?.length ?? 0) > 30)
    for (const other of rest) assert.deepEqual(other, first)
  })

  test('Prometheus answers every dashboard panel and alert query, and ConnectFailedConnector fires', async () => {
    assert.ok(
      existsSync(PROMETHEUS),
      `${PROMETHEUS} (Debian's prometheus package; scripts/ensure-install.mjs installs it)`,
    )
    const home = join(dir, 'prometheus')
    mkdirSync(home, { recursive: true })
    const rules = readFileSync(join(ROOT, 'docs/monitoring/tsconnect-alerts.yaml'), 'utf8').replace(
      /for: \S+/g,
      'for: 1s',
    )
    writeFileSync(join(home, 'alerts.yaml'), rules)
    const targets = workers.map((w) => `'${new URL(w.url).host}'`).join(', ')
    writeFileSync(
      join(home, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ['alerts.yaml']\nscrape_configs:\n  - job_name: tsconnect\n    static_configs:\n      - targets: [${targets}]\n`,
    )
    const port = await freePort()
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(home, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(home, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    )
    const api = `http://127.0.0.1:${port}/api/v1`
    const query = async (q: string) => {
      const r = await fetch(`${api}/query?query=${encodeURIComponent(q)}`)
      const body = (await r.json()) as { status: string; error?: string; data?: { result: unknown[] } }
      assert.equal(body.status, 'success', `${q}: ${body.error}`)
      return body.data?.result ?? []
    }
    await until('Prometheus scraped every worker', 60_000, async () =>
      (await query('up{job="tsconnect"} == 1')).length === 3 ? true : undefined,
    )
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs/monitoring/tsconnect-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[]
    }
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ what: `panel "${p.title}"`, expr: t.expr })))
    for (const m of rules.matchAll(/- alert: (\S+)\n\s+expr: (.+) (?:>|==|<|!=|>=|<=) \S+\n/g)) {
      exprs.push({ what: `alert ${m[1]}`, expr: m[2] as string })
    }
    assert.ok(exprs.length > 25, `${exprs.length} queries`)
    // rate() and increase() need two scrapes in their window.
    await until('every panel and alert query returns data', 60_000, async () => {
      for (const e of exprs) if ((await query(e.expr)).length === 0) return undefined
      return true
    }).catch(async (error: unknown) => {
      const empty: string[] = []
      for (const e of exprs) if ((await query(e.expr)).length === 0) empty.push(`${e.what}: ${e.expr}`)
      assert.fail(`${error}; no data for: ${empty.join('; ')}`)
    })
    const firing = await until('ConnectFailedConnector fires', 60_000, async () => {
      const r = (await query('ALERTS{alertname="ConnectFailedConnector",alertstate="firing"}')) as {
        metric: Record<string, string>
      }[]
      return r.length > 0 ? r : undefined
    })
    assert.deepEqual(
      firing.map((r) => r.metric.connector),
      [names.failing],
    )
  })
})
