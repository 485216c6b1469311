/**
 * PostgreSQL CDC streaming throughput, tsconnect's @tsconnect/connector-postgres against Debezium 3.6.1's
 * PostgresConnector under a Java Connect worker, on the same private PostgreSQL (wal_level=logical) and broker.
 *
 * The workload is fixed before anything is timed: one slot per runtime is created, then N rows of ~200 B are
 * inserted (transactions of 1000 rows), so both slots hold the same WAL backlog. Each runtime then starts its
 * connector (snapshot.mode=no_data, JsonConverter with schemas) and is timed from POST /connectors until its topic
 * holds N records: changes/s end to end, decoding through producing. The worker's peak RSS is sampled every 200 ms.
 * Runtimes run one after the other, each alone on the machine.
 *
 * `--records N` (default 200000), `--runtime tsconnect|java` for one runtime only.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { ensureJavaPlugins } from '../../tools/services/java-plugins.ts'
import { startPostgres } from '../../tools/services/postgres.ts'
import { type ConnectNode, createConnector, RUNTIME_LABEL, rest, startNode } from '../lib/connect.ts'
import type { ResultRow, Scenario } from '../lib/harness.ts'
import { endOffsets } from '../lib/raw.ts'
import { runtimesOf } from './connect-throughput.ts'

const ROW_BYTES = 200

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

export const postgresCdc: Scenario = {
  name: 'postgres-cdc',
  description:
    'PostgreSQL CDC: @tsconnect/connector-postgres vs Debezium 3.6.1 on Java Connect, a WAL backlog of N row changes',
  baselines: [{ label: 'vs Debezium', match: /^Debezium / }],
  targets: [{ subject: /^tsconnect /, against: /^Debezium /, min: 2, label: '>= 2x Debezium on Java Connect' }],
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const runtimes = runtimesOf(ctx)
    ctx.progress('starting a private PostgreSQL')
    const postgres = await startPostgres(join(ctx.dir, 'postgres'))
    const host = postgres.env.TSCONNECT_TEST_POSTGRES_HOST as string
    const port = Number(postgres.env.TSCONNECT_TEST_POSTGRES_PORT)
    const sql = new pg.Client({ host, port, user: 'postgres', database: 'postgres' })
    await sql.connect()
    const rows: ResultRow[] = []
    const ends = endOffsets(ctx)
    try {
      await sql.query('CREATE TABLE bench (id bigint PRIMARY KEY, payload text NOT NULL)')
      await sql.query('CREATE PUBLICATION bench_pub FOR TABLE bench')
      for (const runtime of runtimes) {
        await sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [`bench_${runtime}`])
      }
      ctx.progress(`inserting ${records} rows of ~${ROW_BYTES} B`)
      const payload = 'x'.repeat(ROW_BYTES - 20)
      for (let from = 1; from <= records; from += 1000) {
        const to = Math.min(records, from + 999)
        await sql.query('INSERT INTO bench SELECT g, $3 || g FROM generate_series($1::bigint, $2::bigint) g', [
          from,
          to,
          payload,
        ])
      }
      const javaPlugins = runtimes.includes('java') ? await ensureJavaPlugins() : ''
      for (const runtime of runtimes) {
        const groupId = ctx.topicName(`cdc-${runtime}`)
        ctx.progress(`starting a ${RUNTIME_LABEL[runtime]} worker`)
        const node: ConnectNode = await startNode(ctx, {
          runtime,
          dir: join(ctx.dir, groupId),
          groupId,
          properties: {
            'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
            'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
            ...(runtime === 'java' ? { 'plugin.path': javaPlugins } : {}),
          },
          tsconnectPluginPath: '@tsconnect/connector-postgres',
        })
        try {
          const prefix = ctx.topicName(`cdc-${runtime}`).replace(/[^a-zA-Z0-9_]/g, '_')
          const topic = `${prefix}.public.bench`
          const name = `cdc-${runtime}`
          let peak = rssBytes(node.pid)
          const sampler = setInterval(() => {
            peak = Math.max(peak, rssBytes(node.pid))
          }, 200)
          ctx.progress(`${RUNTIME_LABEL[runtime]}: streaming ${records} changes`)
          const started = process.hrtime.bigint()
          await createConnector(node.url, name, {
            'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
            'database.hostname': host,
            'database.port': String(port),
            'database.user': 'postgres',
            'database.password': '',
            'database.dbname': 'postgres',
            'plugin.name': 'pgoutput',
            'topic.prefix': prefix,
            'slot.name': `bench_${runtime}`,
            'publication.name': 'bench_pub',
            'publication.autocreate.mode': 'disabled',
            'snapshot.mode': 'no_data',
            'topic.creation.default.replication.factor': '1',
            'topic.creation.default.partitions': '1',
          })
          const deadline = Date.now() + 1_800_000
          while ((await ends.total(topic).catch(() => 0)) < records) {
            if (Date.now() > deadline) throw new Error(`${name}: not done after 30 minutes`)
            await new Promise((r) => setTimeout(r, 50))
          }
          const seconds = Number(process.hrtime.bigint() - started) / 1e9
          clearInterval(sampler)
          rows.push({
            subject: runtime === 'java' ? 'Debezium 3.6.1 on Java Connect' : 'tsconnect connector-postgres',
            recordSize: ROW_BYTES,
            records,
            seconds,
            extra: { 'peak RSS MB': Math.round(peak / 1e6) },
          })
          await rest(`${node.url}/connectors/${name}`, 'DELETE')
        } finally {
          await node.stop()
        }
      }
    } finally {
      await ends.close()
      await sql.end()
      await postgres.stop()
    }
    return rows
  },
}
