/**
 * The JDBC sink in real workers. Side by side: the same topic is written into the run's PostgreSQL by tsconnect's
 * Debezium-named sink and by Debezium's JDBC sink 3.6.0 under the Java reference worker, with the same config;
 * the two tables hold the same rows and have the same columns. Under kill -9: the worker running an upsert sink
 * is killed mid-stream, and once the new owner caught up the table is exactly the last value of every key.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { BigDecimal } from 'tsconnect'
import { createProducer } from '../../../../src/kafka/clients.ts'
import { ConnectorHarness, createTestTopic } from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../../../test/support/kafka.ts'
import { javaPluginPath, testPostgres } from '../../../../test/support/services.ts'
import { type JavaConnectWorker, startJavaConnect } from '../../../../tools/kafka/connect.ts'

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
    { field: 'name', type: 'string', optional: false },
    {
      field: 'price',
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
    },
    { field: 'qty', type: 'int64', optional: false },
    { field: 'active', type: 'boolean', optional: true },
    { field: 'ratio', type: 'double', optional: true },
    { field: 'created', type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'born', type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1 },
    { field: 'note', type: 'string', optional: true },
  ],
}

function keyJson(id: number): Buffer {
  return Buffer.from(JSON.stringify({ schema: KEY_SCHEMA, payload: { id } }))
}

function valueJson(id: number, version: number): Buffer {
  const price = Buffer.from(new BigDecimal(BigInt(id * 100 + version), 2).toTwosComplement()).toString('base64')
  return Buffer.from(
    JSON.stringify({
      schema: VALUE_SCHEMA,
      payload: {
        id,
        name: `name-${id}-v${version}`,
        price: id % 7 === 0 ? null : price,
        qty: 2 ** 40 + id,
        active: id % 3 === 0 ? null : id % 2 === 0,
        ratio: id / 8,
        created: Date.UTC(2024, 0, 1, 0, 0, id, id),
        born: 19000 + id,
        note: id % 5 === 0 ? null : `note ${id}`,
      },
    }),
  )
}

async function produce(topic: string, messages: { key: Buffer; value: Buffer | null }[]): Promise<void> {
  const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({
        messages: messages
          .slice(i, i + 1000)
          .map((m) => ({ topic, partition: 0, key: m.key, value: m.value ?? undefined })),
      })
    }
  } finally {
    await producer.close()
  }
}

let harness: ConnectorHarness | undefined
let java: JavaConnectWorker | undefined

before(async () => {
  ;[harness, java] = await Promise.all([
    ConnectorHarness.start({ pluginPath: '@tsconnect/connector-jdbc' }),
    startJavaConnect({
      bootstrap: testBootstrap(),
      dir: mkdtempSync(join(tmpdir(), 'tsconnect-jdbc-java-')),
      groupId: uniqueName('jdbc-java'),
      heap: '768m',
      properties: { 'plugin.path': javaPluginPath() },
    }),
  ])
})
after(async () => {
  await Promise.allSettled([harness?.close(), java?.stop()])
})

async function untilRunning(url: string, name: string): Promise<void> {
  await until(`${name} RUNNING`, 120_000, async () => {
    const r = await http(`${url}/connectors/${name}/status`)
    const s = r.body as { connector?: { state: string }; tasks?: { state: string; trace?: string }[] }
    const failed = s.tasks?.find((t) => t.state === 'FAILED')
    if (failed) assert.fail(`${name} FAILED: ${failed.trace}`)
    return s.connector?.state === 'RUNNING' &&
      (s.tasks?.length ?? 0) > 0 &&
      s.tasks?.every((t) => t.state === 'RUNNING')
      ? true
      : undefined
  })
}

describe('the Debezium-named sink beside Debezium JDBC sink 3.6.0 on the same topic (PostgreSQL)', () => {
  test('same rows, same columns', async (t) => {
    const db = await testPostgres(t)
    const client = await db.connect()
    const topic = await createTestTopic('jdbc-side')
    const messages = [
      ...Array.from({ length: 60 }, (_, i) => ({ key: keyJson(i + 1), value: valueJson(i + 1, 1) })),
      ...Array.from({ length: 20 }, (_, i) => ({ key: keyJson(i + 1), value: valueJson(i + 1, 2) })),
      ...Array.from({ length: 5 }, (_, i) => ({ key: keyJson(56 + i), value: null })),
    ]
    await produce(topic, messages)
    const config = (table: string) => ({
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      topics: topic,
      'connection.url': `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
      'connection.username': db.user,
      'connection.password': '',
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_key',
      'delete.enabled': 'true',
      'schema.evolution': 'basic',
      'collection.name.format': table,
    })
    const ours = uniqueName('jdbc-ts')
    const theirs = uniqueName('jdbc-java')
    await (harness as ConnectorHarness).createConnector(ours, config('ts_items'))
    const created = await http(`${(java as JavaConnectWorker).url}/connectors`, 'POST', {
      name: theirs,
      config: config('java_items'),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    t.after(async () => {
      await http(`${(java as JavaConnectWorker).url}/connectors/${theirs}`, 'DELETE')
      await http(`${(harness as ConnectorHarness).live[0]?.url}/connectors/${ours}`, 'DELETE')
    })
    await untilRunning((java as JavaConnectWorker).url, theirs)
    const rowsOf = async (table: string) =>
      (
        await client
          .query(`SELECT * FROM ${table} ORDER BY id`)
          .catch(() => ({ rows: [] as Record<string, unknown>[] }))
      ).rows
    const settled = async (table: string) =>
      until(`${table} holds the final 55 rows`, 120_000, async () => {
        const rows = await rowsOf(table)
        return rows.length === 55 && rows.every((r) => Number(r.id) > 20 || String(r.name).endsWith('-v2'))
          ? rows
          : undefined
      })
    const [mine, reference] = await Promise.all([settled('ts_items'), settled('java_items')])
    assert.deepEqual(mine, reference)
    const columns = async (table: string) =>
      (
        await client.query(
          `SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale, datetime_precision
           FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows
    assert.deepEqual(await columns('ts_items'), await columns('java_items'))
    const primaryKey = async (table: string) =>
      (
        await client.query(
          `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = $1::regclass AND i.indisprimary`,
          [table],
        )
      ).rows
    assert.deepEqual(await primaryKey('ts_items'), await primaryKey('java_items'))
  })
})

describe('the Confluent-named sink with upsert under kill -9 of the worker running its task', () => {
  test('the table ends exactly as the last value of every key', async (t) => {
    const db = await testPostgres(t)
    const client = await db.connect()
    const topic = await createTestTopic('jdbc-kill')
    const KEYS = 500
    const TOTAL = 30_000
    const seqSchema = {
      type: 'struct',
      name: 'Seq',
      optional: false,
      fields: [
        { field: 'id', type: 'int32', optional: false },
        { field: 'seq', type: 'int64', optional: false },
      ],
    }
    await produce(
      topic,
      Array.from({ length: TOTAL }, (_, i) => ({
        key: keyJson(i % KEYS),
        value: Buffer.from(JSON.stringify({ schema: seqSchema, payload: { id: i % KEYS, seq: i } })),
      })),
    )
    const name = uniqueName('jdbc-kill')
    const h = harness as ConnectorHarness
    await h.createConnector(name, {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: topic,
      'connection.url': `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
      'connection.user': db.user,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'auto.create': 'true',
      'table.name.format': 'seqs',
    })
    t.after(() => http(`${h.live[0]?.url}/connectors/${name}`, 'DELETE'))
    const highest = async () =>
      Number((await client.query('SELECT max(seq) AS m FROM seqs').catch(() => ({ rows: [{ m: 0 }] }))).rows[0]?.m ?? 0)
    const killed = await h.killTaskOwnerWhen(name, async () => (await highest()) >= 1_000)
    const atKill = await highest()
    console.log(`# killed ${killed.id} with the table at seq ${atKill} of ${TOTAL}`)
    await until('the table caught up after the kill', 180_000, async () =>
      (await highest()) === TOTAL - 1 ? true : undefined,
    )
    const { rows } = await client.query('SELECT id, seq FROM seqs ORDER BY id')
    assert.equal(rows.length, KEYS)
    for (const r of rows) assert.equal(Number(r.seq), TOTAL - KEYS + Number(r.id), `key ${r.id}`)
    assert.ok(atKill < TOTAL - 1, 'the kill came mid-stream')
  })
})
