/**
 * `npm run quickstart -- cdc`: PostgreSQL change data capture on tsconnect, from a clean clone.
 *
 * Starts the local Kafka, a private PostgreSQL with logical decoding (tools/services/postgres.ts, its own port and
 * folder), and one connect-distributed worker with both connector packages on its plugin.path; creates a table,
 * the CDC connector under Debezium's class name, and prints the change events as they arrive while a few changes
 * are made. Confluent's JDBC sink, with Debezium's ExtractNewRecordState as its transform, writes the topic into a
 * second table of the same PostgreSQL (upserts on the key, deletes from the tombstones the transform makes of
 * delete events); its rows are printed at the end, once they equal the source table's.
 * Everything stays running; `npm run quickstart -- cdc stop` stops it. Files are in .local/quickstart-cdc.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { createAdmin, createFetchClient } from '../src/kafka/clients.ts'
import { fetchPartition } from '../src/kafka/fetch.ts'
import { isAlive, stopProcess } from '../tools/kafka/jvm.ts'
import { startLocalKafka, stopLocalKafka } from '../tools/kafka/local.ts'
import { startPostgres } from '../tools/services/postgres.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = join(root, '.local', 'quickstart-cdc')
const stateFile = join(dir, 'state.json')
const PORT = 8093
const PREFIX = 'cdcdemo'
const TOPIC = `${PREFIX}.inv.customers`
/** Outside the captured schema `inv`, so the sink's writes are not captured in turn. */
const REPLICA = 'public.customers_replica'
const COLUMNS = 'id, name, email, updated_at'

interface CdcState {
  worker: { pid: number; url: string; log: string }
  postgres: { pids: number[]; host: string; port: number }
}

function readState(): CdcState | undefined {
  return existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as CdcState) : undefined
}

/** Stops the worker, PostgreSQL and Kafka of the CDC quick start. */
export async function stopCdc(): Promise<void> {
  const state = readState()
  if (state) await stopProcess(state.worker.pid, 30_000)
  for (const pid of state?.postgres.pids ?? []) await stopProcess(pid, 30_000)
  await stopLocalKafka()
  rmSync(dir, { recursive: true, force: true })
  console.log('Stopped the CDC quick start: worker, PostgreSQL and Kafka.')
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, hint = ''): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await sleep(250)
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s.${hint}`)
}

function describe(value: Buffer | null): string {
  if (value === null) return 'tombstone'
  const { payload } = JSON.parse(value.toString('utf8')) as {
    payload: { op: string; before: unknown; after: unknown; source: { lsn: number; snapshot: string } }
  }
  return `op=${payload.op} lsn=${payload.source.lsn} before=${JSON.stringify(payload.before)} after=${JSON.stringify(payload.after)}`
}

/** Starts the CDC quick start and prints the events of a few changes. */
export async function startCdc(): Promise<void> {
  if (readState() && isAlive((readState() as CdcState).worker.pid)) {
    console.log('The CDC quick start is already running (npm run quickstart -- cdc stop to stop it).')
    return
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })

  console.log('1. Starting a local Kafka and a private PostgreSQL with wal_level=logical...')
  const [{ state: kafka }, postgres] = await Promise.all([
    startLocalKafka(),
    startPostgres(join(dir, 'postgres'), { detached: true }),
  ])
  const pgHost = postgres.env.TSCONNECT_TEST_POSTGRES_HOST as string
  const pgPort = Number(postgres.env.TSCONNECT_TEST_POSTGRES_PORT)
  console.log(`   Kafka at ${kafka.bootstrap}, PostgreSQL at ${pgHost}:${pgPort}`)

  const sql = new pg.Client({ host: pgHost, port: pgPort, user: 'postgres', database: 'postgres' })
  await sql.connect()
  await sql.query('CREATE SCHEMA inv')
  await sql.query(
    'CREATE TABLE inv.customers (id serial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz DEFAULT now())',
  )
  await sql.query(`INSERT INTO inv.customers (name, email) VALUES ('Ada', 'ada@example.com'), ('Alan', NULL)`)

  console.log(
    '2. Starting a tsconnect worker with plugin.path=@tsconnect/connector-postgres,@tsconnect/connector-jdbc...',
  )
  const props = join(dir, 'worker.properties')
  const log = join(dir, 'worker.log')
  writeFileSync(
    props,
    `${[
      `bootstrap.servers=${kafka.bootstrap}`,
      'group.id=tsconnect-quickstart-cdc',
      'config.storage.topic=quickstart-cdc-configs',
      'offset.storage.topic=quickstart-cdc-offsets',
      'status.storage.topic=quickstart-cdc-status',
      'config.storage.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable=true',
      'offset.flush.interval.ms=1000',
      'plugin.path=@tsconnect/connector-postgres,@tsconnect/connector-jdbc',
      `listeners=http://127.0.0.1:${PORT}`,
    ].join('\n')}\n`,
  )
  const out = openSync(log, 'a')
  const child = spawn(
    process.execPath,
    ['--conditions=tsconnect-source', join(root, 'bin', 'connect-distributed.js'), props],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, TSCONNECT_LOG_LEVEL: process.env.TSCONNECT_LOG_LEVEL || 'info' },
    },
  )
  child.unref()
  const url = `http://127.0.0.1:${PORT}`
  const state: CdcState = {
    worker: { pid: child.pid as number, url, log },
    postgres: { pids: postgres.pids, host: pgHost, port: pgPort },
  }
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`)
  await waitFor(
    'The worker answering',
    async () => (await fetch(`${url}/connectors`)).status === 200,
    90_000,
    ` See ${log}.`,
  )

  console.log("3. Creating the CDC connector (Debezium's class name and keys)...")
  const created = await fetch(`${url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'inventory-cdc',
      config: {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'database.hostname': pgHost,
        'database.port': String(pgPort),
        'database.user': 'postgres',
        'database.dbname': 'postgres',
        'plugin.name': 'pgoutput',
        'topic.prefix': PREFIX,
        'schema.include.list': 'inv',
        'publication.autocreate.mode': 'filtered',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '1',
      },
    }),
  })
  if (created.status !== 201) throw new Error(`Creating the connector failed: ${await created.text()}`)

  console.log(`   and the JDBC sink from ${TOPIC} into ${REPLICA} (ExtractNewRecordState flattens the events)...`)
  const sink = await fetch(`${url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'customers-replica',
      config: {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        topics: TOPIC,
        'connection.url': `jdbc:postgresql://${pgHost}:${pgPort}/postgres`,
        'connection.user': 'postgres',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'delete.enabled': 'true',
        'auto.create': 'true',
        'table.name.format': REPLICA,
        transforms: 'unwrap',
        'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
        // A delete event becomes a tombstone for its key, which the sink turns into a DELETE.
        'transforms.unwrap.delete.tombstone.handling.mode': 'tombstone',
      },
    }),
  })
  if (sink.status !== 201) throw new Error(`Creating the sink failed: ${await sink.text()}`)

  console.log(`4. Change events in ${TOPIC} as they arrive (snapshot first, then the changes made now):`)
  const admin = createAdmin({ 'bootstrap.servers': kafka.bootstrap })
  await waitFor(
    `The topic ${TOPIC}`,
    async () => (await admin.listTopics()).includes(TOPIC),
    60_000,
    ` See ${log}.`,
  ).finally(() => admin.close())
  const consumer = createFetchClient({ 'bootstrap.servers': kafka.bootstrap })
  let offset = 0n
  const printNew = async () => {
    const batch = await fetchPartition(consumer, TOPIC, 0, offset, { maxBytes: 1024 * 1024, maxWaitMs: 500 })
    for (const r of batch.records) console.log(`   ${describe(r.value)}`)
    offset = batch.nextOffset
    return batch.records.length
  }
  const changes = [
    `INSERT INTO inv.customers (name, email) VALUES ('Grace', 'grace@example.com')`,
    `UPDATE inv.customers SET email = 'ada@lovelace.org' WHERE name = 'Ada'`,
    `DELETE FROM inv.customers WHERE name = 'Alan'`,
  ]
  let seen = 0
  const more = async () => {
    seen += await printNew()
    return seen
  }
  await waitFor('the snapshot', async () => (await more()) >= 2, 60_000, ` See ${log}.`)
  for (const change of changes) {
    console.log(`   -- ${change}`)
    await sql.query(change)
    const before = seen
    await waitFor('the change event', async () => (await more()) > before, 30_000, ` See ${log}.`)
    await sleep(300)
    await more()
  }
  await consumer.close()

  console.log(`5. ${REPLICA}, written by the JDBC sink, once it equals inv.customers:`)
  // The sink's table holds what ExtractNewRecordState made of the events: updated_at as Debezium's ISO-8601 text.
  const rows = async (table: string) =>
    JSON.stringify((await sql.query(`SELECT ${COLUMNS} FROM ${table} ORDER BY id`)).rows.map(rowText))
  const rowText = (r: Record<string, unknown>) => [
    r.id,
    r.name,
    r.email,
    r.updated_at instanceof Date ? r.updated_at.toISOString() : new Date(String(r.updated_at)).toISOString(),
  ]
  await waitFor(
    `${REPLICA} equal to inv.customers`,
    async () => (await rows(REPLICA)) === (await rows('inv.customers')),
    60_000,
    ` See ${log} and ${url}/connectors/customers-replica/status.`,
  )
  for (const r of (await sql.query(`SELECT ${COLUMNS} FROM ${REPLICA} ORDER BY id`)).rows) {
    console.log(`   ${JSON.stringify(r)}`)
  }
  await sql.end()
  console.log(`
Everything keeps running in the background:
  REST API     ${url}/connectors/inventory-cdc/status
  PostgreSQL   psql -h ${pgHost} -p ${pgPort} -U postgres   (change inv.customers, watch ${TOPIC} and ${REPLICA})
  Kafka        bootstrap.servers=${kafka.bootstrap}
  logs         ${log}
  stop it all  npm run quickstart -- cdc stop`)
}
