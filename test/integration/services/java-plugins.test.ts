/**
 * The Java reference worker runs the third-party and Kafka-bundled Java connectors from the run's plugin path
 * (tools/services/java-plugins.ts) against the run's real services: each connector is created, RUNNING, and moves
 * records. One worker serves every case, as creating connectors is cheap and a JVM start is not.
 */
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import { type JavaConnectWorker, startJavaConnect } from '../../../tools/kafka/connect.ts'
import { fileSize, logContains } from '../../../tools/kafka/jvm.ts'
import { JAVA_CONNECTORS } from '../../../tools/services/java-plugins.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import { javaPluginPath, testMariaDb, testPostgres } from '../../support/services.ts'
import { createTopic, readAll } from '../worker/support.ts'

interface Status {
  connector: { state: string; trace?: string }
  tasks: { id: number; state: string; trace?: string }[]
}

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-java-plugins-'))
let worker: JavaConnectWorker

before(async () => {
  const group = uniqueName('java-plugins')
  worker = await startJavaConnect({
    bootstrap: testBootstrap(),
    dir,
    groupId: group,
    heap: '768m',
    properties: { 'plugin.path': javaPluginPath() },
  })
})
after(async () => {
  await worker?.stop()
})

/**
 * The test broker does not create topics on first use (auto.create.topics.enable=false, as tsconnect's tests want),
 * so source connectors create theirs through Connect's own topic creation (KIP-158), sized for one broker.
 */
const TOPIC_CREATION = {
  'topic.creation.default.replication.factor': '1',
  'topic.creation.default.partitions': '1',
}

async function createConnector(name: string, config: Record<string, string>): Promise<void> {
  const created = await http(`${worker.url}/connectors`, 'POST', { name, config: { ...TOPIC_CREATION, ...config } })
  assert.equal(created.status, 201, JSON.stringify(created.body))
}

async function status(name: string): Promise<Status | undefined> {
  const r = await http(`${worker.url}/connectors/${name}/status`)
  return r.status === 200 ? (r.body as Status) : undefined
}

/** Waits for the connector and all its tasks to be RUNNING; a FAILED one fails at once, with its trace. */
async function untilRunning(name: string): Promise<Status> {
  return until(`${name} RUNNING`, 120_000, async () => {
    const s = await status(name)
    const failed = [s?.connector, ...(s?.tasks ?? [])].find((x) => x?.state === 'FAILED')
    if (failed) assert.fail(`${name} FAILED: ${failed.trace}`)
    const running =
      s?.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING')
    return running ? s : undefined
  })
}

/** Waits until the topic holds at least `count` records; resolves to them. */
async function untilRecords(topic: string, count: number) {
  return until(`${count} records in ${topic}`, 120_000, async () => {
    const records = await readAll(topic).catch(() => [])
    return records.length >= count ? records : undefined
  })
}

async function deleteConnector(name: string): Promise<void> {
  await http(`${worker.url}/connectors/${name}`, 'DELETE')
}

function json(buffer: Buffer | null): { payload: Record<string, unknown> } {
  return JSON.parse(String(buffer))
}

test('the plugin path offers every listed Java connector', async () => {
  const plugins = (await http(`${worker.url}/connector-plugins`)).body as { class: string }[]
  const classes = new Set(plugins.map((p) => p.class))
  for (const name of Object.values(JAVA_CONNECTORS)) assert.ok(classes.has(name), `${name} listed`)
})

describe('Debezium PostgreSQL, then Debezium JDBC sink', () => {
  test('PostgresConnector snapshots a table of the private PostgreSQL into a topic', async (t) => {
    const db = await testPostgres(t)
    const client = await db.connect()
    await client.query('CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)')
    await client.query(`INSERT INTO customers VALUES (1, 'Ada'), (2, 'Alan'), (3, 'Grace')`)

    const prefix = uniqueName('pg')
    const name = uniqueName('dbz-pg')
    const slot = db.database.replace(/^t_/, 'slot_')
    await createConnector(name, {
      'connector.class': JAVA_CONNECTORS.debeziumPostgres,
      'database.hostname': db.host,
      'database.port': String(db.port),
      'database.user': db.user,
      'database.password': '',
      'database.dbname': db.database,
      'topic.prefix': prefix,
      'plugin.name': 'pgoutput',
      'slot.name': slot,
      'publication.name': `${slot}_pub`,
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public.customers',
      'snapshot.mode': 'initial',
    })
    t.after(() => deleteConnector(name))
    await untilRunning(name)
    const topic = `${prefix}.public.customers`
    const records = await untilRecords(topic, 3)
    assert.deepEqual(
      records.map((r) => (json(r.value).payload.after as { name: string }).name),
      ['Ada', 'Alan', 'Grace'],
    )
    assert.deepEqual(
      records.map((r) => json(r.value).payload.op),
      ['r', 'r', 'r'],
    )

    // The JDBC sink writes the change events back into another table of the same database.
    const sink = uniqueName('dbz-jdbc')
    await createConnector(sink, {
      'connector.class': JAVA_CONNECTORS.debeziumJdbcSink,
      topics: topic,
      'connection.url': `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
      'connection.username': db.user,
      'connection.password': '',
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_key',
      'schema.evolution': 'basic',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Debezium's own placeholder syntax, not a JS template.
      'collection.name.format': 'copy_${source.table}',
    })
    t.after(() => deleteConnector(sink))
    await untilRunning(sink)
    const copied = await until('3 rows in copy_customers', 120_000, async () => {
      const r = await client.query('SELECT id, name FROM copy_customers ORDER BY id').catch(() => undefined)
      return r && r.rows.length >= 3 ? r.rows : undefined
    })
    assert.deepEqual(copied, [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Alan' },
      { id: 3, name: 'Grace' },
    ])
    await deleteConnector(name)
    // Debezium's slot stays after the connector is deleted; drop it once its walsender is gone.
    await until(`slot ${slot} inactive`, 60_000, async () => {
      const r = await client.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot])
      return r.rows[0]?.active === false ? true : undefined
    })
  })
})

async function mariaDbTable(t: Parameters<typeof testMariaDb>[0]) {
  const db = await testMariaDb(t)
  const connection = await db.connect()
  await connection.query(`CREATE TABLE ${db.database}.customers (id int PRIMARY KEY, name text NOT NULL)`)
  await connection.query(`INSERT INTO ${db.database}.customers VALUES (1, 'Ada'), (2, 'Alan')`)
  return db
}

function binlogConfig(db: Awaited<ReturnType<typeof testMariaDb>>, prefix: string, serverId: number) {
  return {
    'database.hostname': db.host,
    'database.port': String(db.port),
    'database.user': db.user,
    'database.password': '',
    'database.server.id': String(serverId),
    'topic.prefix': prefix,
    'database.include.list': db.database,
    'schema.history.internal.kafka.bootstrap.servers': testBootstrap(),
    'schema.history.internal.kafka.topic': `${prefix}-history`,
    'snapshot.mode': 'initial',
  }
}

test('MariaDbConnector snapshots a table of the private MariaDB into a topic', async (t) => {
  const db = await mariaDbTable(t)
  const prefix = uniqueName('mdb')
  const name = uniqueName('dbz-mariadb')
  await createConnector(name, { 'connector.class': JAVA_CONNECTORS.debeziumMariaDb, ...binlogConfig(db, prefix, 5401) })
  t.after(() => deleteConnector(name))
  await untilRunning(name)
  const records = await untilRecords(`${prefix}.${db.database}.customers`, 2)
  assert.deepEqual(
    records.map((r) => (json(r.value).payload.after as { name: string }).name),
    ['Ada', 'Alan'],
  )
})

// Debezium's MySqlConnector takes MariaDB 10.11's version number for a MySQL one at or above 8.4 and checks the
// connection with MySQL 8.4's `SHOW BINARY LOG STATUS`, a syntax error on MariaDB; Java Connect 4.3.1 then answers
// the create with a 500 (an NPE in AbstractHerder.maybeAddConfigErrors) instead of the validation error. MariaDB
// servers are for Debezium's MariaDbConnector (above).
test('MySqlConnector 3.6.1 refuses the private MariaDB: its connection check uses MySQL 8.4 syntax', async (t) => {
  const db = await mariaDbTable(t)
  const name = uniqueName('dbz-mysql')
  const from = fileSize(worker.logFile)
  const created = await http(`${worker.url}/connectors`, 'POST', {
    name,
    config: { 'connector.class': JAVA_CONNECTORS.debeziumMySql, ...binlogConfig(db, uniqueName('mysql'), 5402) },
  })
  assert.equal(created.status, 500, JSON.stringify(created.body))
  assert.ok(logContains(worker.logFile, 'should support SHOW BINARY LOG STATUS but it failed', from))
  assert.equal((await http(`${worker.url}/connectors/${name}`)).status, 404, 'no connector was created')
})

test('FileStreamSource reads a file into a topic and FileStreamSink writes the topic to a file', async (t) => {
  const input = join(dir, `${uniqueName('in')}.txt`)
  const output = join(dir, `${uniqueName('out')}.txt`)
  writeFileSync(input, 'one\ntwo\n')
  const topic = uniqueName('file')
  const source = uniqueName('file-source')
  const sink = uniqueName('file-sink')
  await createConnector(source, { 'connector.class': JAVA_CONNECTORS.fileStreamSource, file: input, topic })
  t.after(() => deleteConnector(source))
  await untilRunning(source)
  appendFileSync(input, 'three\n')
  await createConnector(sink, { 'connector.class': JAVA_CONNECTORS.fileStreamSink, file: output, topics: topic })
  t.after(() => deleteConnector(sink))
  await untilRunning(sink)
  await until('three lines in the sink file', 120_000, async () => {
    const lines = (() => {
      try {
        return readFileSync(output, 'utf8').split('\n').filter(Boolean)
      } catch {
        return []
      }
    })()
    return lines.length >= 3 ? lines : undefined
  }).then((lines) => assert.deepEqual(lines, ['one', 'two', 'three']))
})

test('MirrorSourceConnector replicates a topic under the source alias', async (t) => {
  const topic = uniqueName('mirror')
  await createTopic(topic)
  const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  t.after(() => producer.close())
  await producer.send({
    messages: [1, 2, 3].map((n) => ({ topic, partition: 0, key: Buffer.from(`k${n}`), value: Buffer.from(`v${n}`) })),
  })
  const name = uniqueName('mirror-source')
  const bootstrap = testBootstrap()
  await createConnector(name, {
    'connector.class': JAVA_CONNECTORS.mirrorSource,
    'source.cluster.alias': 'src',
    'target.cluster.alias': 'tgt',
    'source.cluster.bootstrap.servers': bootstrap,
    'target.cluster.bootstrap.servers': bootstrap,
    topics: topic,
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1',
    'sync.topic.acls.enabled': 'false',
    'sync.topic.configs.enabled': 'false',
    'refresh.topics.interval.seconds': '1',
  })
  t.after(() => deleteConnector(name))
  await untilRunning(name)
  const records = await untilRecords(`src.${topic}`, 3)
  assert.deepEqual(
    records.map((r) => [String(r.key), String(r.value)]),
    [
      ['k1', 'v1'],
      ['k2', 'v2'],
      ['k3', 'v3'],
    ],
  )
})
