/**
 * The JDBC source in a real worker: a stop and resume continues from the offset in the real offsets topic (bytes
 * as Confluent's connector writes them) with no row lost or repeated; and a pipeline PostgreSQL → JDBC source →
 * topic → JDBC sink → MariaDB leaves the target table equal to the source table.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { ConnectorHarness, topicRecords } from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'
import { uniqueName } from '../../../../test/support/kafka.ts'
import { testMariaDb, testPostgres } from '../../../../test/support/services.ts'

let harness: ConnectorHarness | undefined

before(async () => {
  harness = await ConnectorHarness.start({
    workers: 1,
    pluginPath: '@tsconnect/connector-jdbc',
    props: { 'offset.flush.interval.ms': '1000' },
  })
})
after(() => harness?.close())

const TOPIC_CREATION = { 'topic.creation.default.replication.factor': '1', 'topic.creation.default.partitions': '1' }

function url(): string {
  return (harness as ConnectorHarness).live[0]?.url as string
}

async function idsIn(topic: string): Promise<number[]> {
  return (await topicRecords(topic).catch(() => [])).map((r) => JSON.parse(r.value ?? '{}').payload.id as number)
}

test('a stopped and resumed source continues from its committed offset: every row once', async (t) => {
  const db = await testPostgres(t)
  const client = await db.connect()
  await client.query('CREATE TABLE items (id SERIAL PRIMARY KEY, name TEXT NOT NULL)')
  await client.query("INSERT INTO items (name) SELECT 'item ' || n FROM generate_series(1, 50) n")
  const prefix = `${uniqueName('jdbc-src')}-`
  const name = uniqueName('jdbc-source')
  const h = harness as ConnectorHarness
  await h.createConnector(name, {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
    'connection.url': `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
    'connection.user': db.user,
    mode: 'incrementing',
    'incrementing.column.name': 'id',
    'table.whitelist': 'items',
    'topic.prefix': prefix,
    'poll.interval.ms': '200',
    'batch.max.rows': '7',
    ...TOPIC_CREATION,
  })
  t.after(() => http(`${url()}/connectors/${name}`, 'DELETE'))
  const topic = `${prefix}items`
  await until('50 records', 90_000, async () => ((await idsIn(topic)).length >= 50 ? true : undefined))
  await h.stopConnector(name)
  await client.query("INSERT INTO items (name) SELECT 'item ' || n FROM generate_series(51, 80) n")
  const resumed = await http(`${url()}/connectors/${name}/resume`, 'PUT')
  assert.equal(resumed.status, 202, JSON.stringify(resumed.body))
  await until('80 records', 90_000, async () => ((await idsIn(topic)).length >= 80 ? true : undefined))
  assert.deepEqual(
    await idsIn(topic),
    Array.from({ length: 80 }, (_, i) => i + 1),
  )
  // The worker commits offsets on its own timer: the last one comes once it has run after the 80th record.
  const offsetsTopic = h.props['offset.storage.topic'] as string
  const last = await until('the offset of row 80 committed', 60_000, async () => {
    const mine = (await topicRecords(offsetsTopic)).filter((r) => r.key?.startsWith(`["${name}"`))
    return mine.at(-1)?.value === '{"incrementing":80}' ? mine.at(-1) : undefined
  })
  assert.equal(last.key, `["${name}",{"protocol":"1","table":"${db.database}.public.items"}]`)
})

test('PostgreSQL → JDBC source → topic → JDBC sink → MariaDB: the target table equals the source table', async (t) => {
  const pg = await testPostgres(t)
  const maria = await testMariaDb(t)
  const client = await pg.connect()
  await client.query(
    'CREATE TABLE orders (id SERIAL PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC(10,2), paid BOOLEAN, placed TIMESTAMP(3))',
  )
  await client.query(
    `INSERT INTO orders (customer, amount, paid, placed)
     SELECT 'c' || n, n * 1.25, n % 2 = 0, TIMESTAMP '2024-01-01 00:00:00' + n * INTERVAL '1 minute 0.5 second' FROM generate_series(1, 40) n`,
  )
  await client.query('UPDATE orders SET amount = NULL WHERE id % 9 = 0')
  const prefix = `${uniqueName('jdbc-pipe')}-`
  const source = uniqueName('jdbc-pipe-source')
  const sink = uniqueName('jdbc-pipe-sink')
  const h = harness as ConnectorHarness
  await h.createConnector(source, {
    'connector.class': 'JdbcSource',
    'connection.url': `jdbc:postgresql://${pg.host}:${pg.port}/${pg.database}`,
    'connection.user': pg.user,
    mode: 'incrementing',
    'table.include.list': '.*\\.orders',
    'topic.prefix': prefix,
    'poll.interval.ms': '200',
    ...TOPIC_CREATION,
  })
  t.after(() => http(`${url()}/connectors/${source}`, 'DELETE'))
  await until('the source topic', 90_000, async () =>
    (await idsIn(`${prefix}orders`)).length >= 40 ? true : undefined,
  )
  await h.createConnector(sink, {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    topics: `${prefix}orders`,
    'connection.url': `jdbc:mariadb://${maria.host}:${maria.port}/${maria.database}`,
    'connection.user': maria.user,
    'insert.mode': 'upsert',
    'pk.mode': 'record_value',
    'pk.fields': 'id',
    'auto.create': 'true',
    'table.name.format': 'orders_copy',
  })
  t.after(() => http(`${url()}/connectors/${sink}`, 'DELETE'))
  const connection = await maria.connect()
  const copied = await until('40 rows in MariaDB', 90_000, async () => {
    const [rows] = await connection
      .query({ sql: 'SELECT id, customer, amount, paid, placed FROM orders_copy ORDER BY id', dateStrings: true })
      .catch(() => [[]])
    return (rows as unknown[]).length === 40 ? (rows as Record<string, unknown>[]) : undefined
  })
  const original = await client.query(
    "SELECT id, customer, amount::text AS amount, paid, to_char(placed, 'YYYY-MM-DD HH24:MI:SS.MS') AS placed FROM orders ORDER BY id",
  )
  assert.deepEqual(
    copied.map((r) => [r.id, r.customer, r.amount, r.paid === null ? null : r.paid === 1, r.placed]),
    original.rows.map((r) => [r.id, r.customer, r.amount, r.paid, r.placed]),
  )
})
