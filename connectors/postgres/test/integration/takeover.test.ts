/**
 * Takeover both ways: Debezium 3.6.1's PostgresConnector runs under the Java reference worker and is deleted; a
 * tsconnect worker sharing its offsets topic starts the connector of the same name, from Debezium's offsets and
 * slot, with no new snapshot; then tsconnect's connector is deleted and Debezium's is created again, from
 * tsconnect's offsets. Rows inserted while nobody reads arrive once each, none is lost and none repeated.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { JsonConverter, type Struct } from 'tsconnect'
import { ConnectorHarness, countSequence, topicRecords } from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../../../test/support/kafka.ts'
import { javaPluginPath, testPostgres } from '../../../../test/support/services.ts'
import { type JavaConnectWorker, startJavaConnect } from '../../../../tools/kafka/connect.ts'

const javaGroup = uniqueName('dbz-takeover')
const offsetsTopic = `${javaGroup}-offsets`
let java: JavaConnectWorker
let ts: ConnectorHarness

before(async () => {
  java = await startJavaConnect({
    bootstrap: testBootstrap(),
    dir: mkdtempSync(join(tmpdir(), 'tsconnect-pg-takeover-')),
    groupId: javaGroup,
    heap: '512m',
    properties: { 'plugin.path': javaPluginPath(), 'offset.storage.partitions': '1' },
  })
  // The tsconnect cluster has its own config and status topics, and Java's offsets topic.
  ts = await ConnectorHarness.start({
    workers: 1,
    pluginPath: '@tsconnect/connector-postgres',
    props: { 'offset.storage.topic': offsetsTopic, 'offset.flush.interval.ms': '1000' },
  })
})
after(async () => {
  await Promise.allSettled([java?.stop(), ts?.close()])
})

interface Event {
  op: string
  seq: bigint
}

async function eventsIn(topic: string): Promise<Event[]> {
  const converter = new JsonConverter()
  converter.configure({}, false)
  const out: Event[] = []
  for (const r of await topicRecords(topic)) {
    if (r.value === null) continue
    const v = converter.toConnectData(topic, Buffer.from(r.value)).value as Struct
    const row = (v.get('after') ?? v.get('before')) as Struct
    out.push({ op: v.get('op') as string, seq: BigInt(row.get('seq') as number | bigint) })
  }
  return out
}

async function runningOn(url: string, name: string): Promise<void> {
  await until(`${name} RUNNING at ${url}`, 120_000, async () => {
    const s = (await http(`${url}/connectors/${name}/status`)).body as {
      tasks?: { state: string; trace?: string }[]
    }
    if (s.tasks?.[0]?.state === 'FAILED') assert.fail(s.tasks[0].trace)
    return s.tasks?.[0]?.state === 'RUNNING' ? true : undefined
  })
}

test('Debezium → tsconnect → Debezium on the same slot and offsets: no snapshot, nothing lost or repeated', async (t) => {
  const db = await testPostgres(t)
  const sql = await db.connect()
  await sql.query('CREATE TABLE events (seq bigint PRIMARY KEY, note text)')
  let next = 1
  const insert = async (n: number) => {
    await sql.query(`INSERT INTO events SELECT g, 'n' FROM generate_series($1::bigint, $2::bigint) g`, [
      next,
      next + n - 1,
    ])
    next += n
  }
  await insert(20)

  const name = 'pg-takeover'
  const prefix = uniqueName('pgt').replace(/[^a-z0-9]/gi, '')
  const topic = `${prefix}.public.events`
  const config = {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': db.host,
    'database.port': String(db.port),
    'database.user': db.user,
    'database.password': '',
    'database.dbname': db.database,
    'plugin.name': 'pgoutput',
    'topic.prefix': prefix,
    'slot.name': `${db.database}_slot`,
    'slot.retry.delay.ms': '500',
    'publication.name': `${db.database}_pub`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': 'public.events',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': '1',
  }
  const untilRows = (n: number) =>
    until(`${n} rows in ${topic}`, 120_000, async () => {
      const events = await eventsIn(topic).catch(() => [])
      return new Set(events.map((e) => e.seq)).size >= n ? events : undefined
    })
  const slotInactive = () =>
    until('the slot released', 60_000, async () => {
      const r = await sql.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [config['slot.name']])
      return r.rows[0]?.active === false ? true : undefined
    })
  const offsetCommitted = (seqCount: number) =>
    until('a streaming offset committed', 60_000, async () => {
      const mine = (await topicRecords(offsetsTopic)).filter((r) => r.key === `["${name}",{"server":"${prefix}"}]`)
      const last = mine.at(-1)?.value ?? ''
      return last.includes('lsn_proc') && (await eventsIn(topic)).length >= seqCount ? true : undefined
    })

  // 1. Debezium snapshots and streams.
  const created = await http(`${java.url}/connectors`, 'POST', { name, config })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  await runningOn(java.url, name)
  await untilRows(20)
  await insert(10)
  await untilRows(30)
  await offsetCommitted(30)
  await http(`${java.url}/connectors/${name}`, 'DELETE')
  await slotInactive()
  await insert(10) // while nobody reads

  // 2. tsconnect takes over from Debezium's offsets and slot.
  await ts.createConnector(name, config)
  await runningOn(ts.live[0]?.url as string, name)
  await untilRows(40)
  await insert(10)
  await untilRows(50)
  await offsetCommitted(50)
  await http(`${ts.live[0]?.url}/connectors/${name}`, 'DELETE')
  await slotInactive()
  await insert(10)

  // 3. Debezium takes it back from tsconnect's offsets.
  const again = await http(`${java.url}/connectors`, 'POST', { name, config })
  assert.equal(again.status, 201, JSON.stringify(again.body))
  await runningOn(java.url, name)
  await untilRows(60)
  await insert(10)
  const events = await untilRows(70)
  await http(`${java.url}/connectors/${name}`, 'DELETE')

  const snapshots = events.filter((e) => e.op === 'r').length
  assert.equal(snapshots, 20, 'only the first start snapshots')
  const verdict = countSequence(
    1n,
    70,
    events.map((e) => e.seq),
  )
  console.log(`# takeover both ways: ${verdict.sent} rows, ${verdict.lost} lost, ${verdict.duplicated} duplicated`)
  assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
  assert.equal(verdict.duplicated, 0)
})
