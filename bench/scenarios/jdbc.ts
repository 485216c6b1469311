/**
 * The JDBC connectors against the machine's shared PostgreSQL (127.0.0.1:5432, or TSCONNECT_BENCH_POSTGRES_URL as
 * postgres://user@host:port), in a database of the run's own, dropped afterwards.
 *
 * jdbc-source: a table of N rows (default 1,000,000) → the JDBC source in bulk mode (batch.max.rows 5000, 1 task) →
 * a 1-partition topic, timed from POST /connectors until the topic holds N records; the worker's peak RSS (VmHWM)
 * shows whether the table was read in bounded memory.
 * jdbc-sink: a topic of N JSON records with schemas (keys cycling over N/10 ids) → the Debezium-named JDBC sink in
 * upsert mode (batch.size 3000) on tsconnect, and Debezium's JDBC sink 3.6.0 on Java Connect with the same config,
 * each into its own table, timed from POST /connectors until the table holds the last value of every key.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { createProducer } from '../../src/kafka/clients.ts'
import { ensureJavaPlugins, JAVA_CONNECTORS } from '../../tools/services/java-plugins.ts'
import { type ConnectNode, createConnector, RUNTIME_LABEL, rest, startNode } from '../lib/connect.ts'
import type { BenchContext, ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, endOffsets } from '../lib/raw.ts'
import { runtimesOf } from './connect-throughput.ts'

const JSON_CONVERTERS = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
}

function postgresAddress(): { host: string; port: number; user: string } {
  const url = new URL(process.env.TSCONNECT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432')
  return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || 'postgres') }
}

/** A database of the run's own on the shared PostgreSQL; `drop` removes it. */
async function benchDatabase(
  ctx: BenchContext,
): Promise<{ name: string; client: pg.Client; url: string; drop(): Promise<void> }> {
  const address = postgresAddress()
  const name = ctx
    .topicName('bench_jdbc')
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
  const admin = new pg.Client({ ...address, database: 'postgres' })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const client = new pg.Client({ ...address, database: name })
  await client.connect()
  return {
    name,
    client,
    url: `jdbc:postgresql://${address.host}:${address.port}/${name}`,
    async drop() {
      await client.end().catch(() => {})
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
      await admin.end()
    },
  }
}

async function waitFor(
  node: ConnectNode,
  name: string,
  timeoutMs: number,
  done: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let nextCheck = Date.now() + 2000
  while (!(await done())) {
    if (Date.now() > nextCheck) {
      nextCheck = Date.now() + 2000
      const r = await rest(`${node.url}/connectors/${name}/status`)
      const body = r.body as { tasks?: { state: string; trace?: string }[] }
      const failed = body?.tasks?.find((t) => t.state === 'FAILED')
      if (failed) throw new Error(`${RUNTIME_LABEL[node.runtime]} ${name} failed: ${failed.trace?.split('\n')[0]}`)
    }
    if (Date.now() > deadline) throw new Error(`${RUNTIME_LABEL[node.runtime]} ${name}: not done after ${timeoutMs} ms`)
    await sleep(200)
  }
}

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  } catch {
    return 0
  }
}

function recordsOption(ctx: BenchContext): number {
  return Number(ctx.options.records ?? 1_000_000)
}

export const jdbcSource: Scenario = {
  name: 'jdbc-source',
  description: 'PostgreSQL table (1,000,000 rows) → JDBC source, bulk mode → topic; rows/s and peak RSS',
  async run(ctx) {
    const n = recordsOption(ctx)
    const db = await benchDatabase(ctx)
    const rows: ResultRow[] = []
    try {
      ctx.progress(`filling a table with ${n} rows`)
      await db.client.query(
        'CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2), at TIMESTAMP NOT NULL)',
      )
      await db.client.query(
        `INSERT INTO items SELECT g, 'item number ' || g, g * 0.01, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' FROM generate_series(1, ${n}) g`,
      )
      ctx.progress('starting a tsconnect worker')
      const groupId = ctx.topicName('jdbc-source')
      const node = await startNode(ctx, {
        runtime: 'tsconnect',
        dir: join(ctx.dir, groupId),
        groupId,
        properties: JSON_CONVERTERS,
        tsconnectPluginPath: '@tsconnect/connector-jdbc',
      })
      try {
        const prefix = `${ctx.topicName('jdbc')}-`
        const topic = `${prefix}items`
        await createTopic(ctx, topic)
        const offsets = endOffsets(ctx)
        const started = Date.now()
        await createConnector(node.url, 'jdbc-source', {
          'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
          'connection.url': db.url,
          'connection.user': postgresAddress().user,
          mode: 'bulk',
          'table.whitelist': 'items',
          'topic.prefix': prefix,
          'batch.max.rows': '5000',
          'poll.interval.ms': '3600000',
        })
        await waitFor(node, 'jdbc-source', 1_800_000, async () => (await offsets.total(topic)) >= n)
        const seconds = (Date.now() - started) / 1000
        rows.push({
          subject: 'tsconnect JDBC source (bulk)',
          recordSize: 0,
          records: n,
          seconds,
          extra: { 'peak RSS MB': peakRssMb(node.pid) },
        })
        await offsets.close()
      } finally {
        await node.stop()
      }
    } finally {
      await db.drop()
    }
    return rows
  },
  print(rows) {
    for (const r of rows) {
      console.log(
        `${r.subject}: ${r.records} rows in ${r.seconds.toFixed(1)} s = ${Math.round(r.records / r.seconds)} rows/s, peak RSS ${r.extra?.['peak RSS MB']} MB`,
      )
    }
  },
}

const KEY_SCHEMA = {
  type: 'struct',
  name: 'Key',
  optional: false,
  fields: [{ field: 'id', type: 'int32', optional: false }],
}
const VALUE_SCHEMA = {
  type: 'struct',
  name: 'Value',
  optional: false,
  fields: [
    { field: 'id', type: 'int32', optional: false },
    { field: 'seq', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: false },
    { field: 'ratio', type: 'double', optional: true },
  ],
}

export const jdbcSink: Scenario = {
  name: 'jdbc-sink',
  description:
    'topic (1,000,000 keyed records) → JDBC sink, upsert, into PostgreSQL; tsconnect vs Debezium JDBC sink on Java Connect',
  baselines: [{ label: 'vs Java', match: /^Java Connect / }],
  targets: [
    { subject: /^tsconnect /, against: /^Java Connect /, min: 2, label: '>= 2x Debezium JDBC sink on Java Connect' },
  ],
  async run(ctx) {
    const n = recordsOption(ctx)
    const keys = Math.max(1, Math.floor(n / 10))
    const topic = ctx.topicName('jdbc-sink')
    await createTopic(ctx, topic)
    ctx.progress(`producing ${n} records`)
    const producer = createProducer({ 'bootstrap.servers': ctx.bootstrap, 'linger.ms': '5' })
    const keyText = (id: number) => Buffer.from(JSON.stringify({ schema: KEY_SCHEMA, payload: { id } }))
    for (let i = 0; i < n; i += 1000) {
      const messages = []
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        const id = j % keys
        messages.push({
          topic,
          partition: 0,
          key: keyText(id),
          value: Buffer.from(
            JSON.stringify({ schema: VALUE_SCHEMA, payload: { id, seq: j, name: `name ${j}`, ratio: j / 7 } }),
          ),
        })
      }
      await producer.send({ messages })
    }
    await producer.close()
    const db = await benchDatabase(ctx)
    const rows: ResultRow[] = []
    try {
      for (const runtime of runtimesOf(ctx)) {
        ctx.progress(`starting a ${RUNTIME_LABEL[runtime]} worker`)
        const groupId = ctx.topicName(`jdbc-sink-${runtime}`)
        const node = await startNode(ctx, {
          runtime,
          dir: join(ctx.dir, groupId),
          groupId,
          properties: {
            ...JSON_CONVERTERS,
            ...(runtime === 'java' ? { 'plugin.path': await ensureJavaPlugins() } : {}),
          },
          tsconnectPluginPath: '@tsconnect/connector-jdbc',
        })
        try {
          const table = `t_${runtime}`
          const started = Date.now()
          await createConnector(node.url, `jdbc-sink-${runtime}`, {
            'connector.class': JAVA_CONNECTORS.debeziumJdbcSink,
            topics: topic,
            'connection.url': db.url,
            'connection.username': postgresAddress().user,
            'connection.password': '',
            'insert.mode': 'upsert',
            'primary.key.mode': 'record_key',
            'schema.evolution': 'basic',
            'batch.size': '3000',
            'collection.name.format': table,
          })
          ctx.progress(`${RUNTIME_LABEL[runtime]}: waiting for the table to hold the last value of ${keys} keys`)
          await waitFor(node, `jdbc-sink-${runtime}`, 3_600_000, async () => {
            const r = await db.client
              .query(`SELECT count(*)::int AS c, min(seq)::bigint AS m FROM ${table}`)
              .catch(() => undefined)
            return r !== undefined && r.rows[0]?.c === keys && Number(r.rows[0]?.m) === n - keys
          })
          rows.push({
            subject: `${RUNTIME_LABEL[runtime]} JDBC sink (upsert)`,
            recordSize: 0,
            records: n,
            seconds: (Date.now() - started) / 1000,
          })
        } finally {
          await node.stop()
        }
      }
    } finally {
      await db.drop()
    }
    return rows
  },
}
