/**
 * The JDBC sink task against the run's real PostgreSQL and MariaDB, one database per test: insert, upsert, update,
 * delete, auto-create and auto-evolve, Debezium envelopes, and the error paths (a refused row to the errant record
 * reporter, a database that is not there retried). The task is driven as the worker drives it (put, then the
 * context's timeout on RetriableError); the worker itself runs it in sink-worker.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  BigDecimal,
  ConnectDate,
  Decimal,
  RetriableError,
  type Schema,
  SchemaBuilder,
  SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  Struct,
  Timestamp,
} from 'tsconnect'
import { testMariaDb, testPostgres } from '../../../../test/support/services.ts'
import { ConfluentJdbcSinkTask, DebeziumJdbcSinkTask } from '../../src/index.ts'

interface Target {
  url: string
  user: string
  /** Rows of a query, values as text (null stays null), for comparing across databases. */
  rows(sql: string): Promise<Record<string, string | null>[]>
  /** Column names and whether each is nullable, in order. */
  columns(table: string): Promise<string[]>
}

async function postgresTarget(t: Parameters<typeof testPostgres>[0]): Promise<Target> {
  const db = await testPostgres(t)
  const client = await db.connect()
  return {
    url: `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
    user: db.user,
    async rows(sql) {
      const r = await client.query({ text: sql, rowMode: 'array' })
      return r.rows.map((row: unknown[]) =>
        Object.fromEntries(r.fields.map((f, i) => [f.name, row[i] === null ? null : textOf(row[i])])),
      )
    },
    async columns(table) {
      const r = await client.query(
        `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
      return r.rows.map((c) => `${c.column_name}${c.is_nullable === 'YES' ? '?' : ''}`)
    },
  }
}

async function mariaDbTarget(t: Parameters<typeof testMariaDb>[0]): Promise<Target> {
  const db = await testMariaDb(t)
  const connection = await db.connect()
  return {
    url: `jdbc:mariadb://${db.host}:${db.port}/${db.database}`,
    user: db.user,
    async rows(sql) {
      const [rows] = await connection.query({ sql, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true })
      return (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : textOf(v)])),
      )
    },
    async columns(table) {
      const [rows] = await connection.query(
        'SELECT column_name AS c, is_nullable AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
        [table],
      )
      return (rows as { c: string; n: string }[]).map((r) => `${r.c}${r.n === 'YES' ? '?' : ''}`)
    },
  }
}

function textOf(v: unknown): string {
  if (v instanceof Date) return v.toISOString()
  if (Buffer.isBuffer(v)) return v.toString('hex')
  return String(v)
}

interface Driven {
  task: SinkTask
  reported: { record: SinkRecord; error: Error }[]
  timeouts: number[]
}

function drive(task: SinkTask, props: Record<string, string>, withReporter = false): Driven {
  const driven: Driven = { task, reported: [], timeouts: [] }
  const context: SinkTaskContext = {
    configs: () => props,
    offset: () => {},
    timeout: (ms) => driven.timeouts.push(ms),
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {},
    errantRecordReporter: () =>
      withReporter
        ? {
            report: async (record, error) => {
              driven.reported.push({ record, error })
            },
          }
        : null,
  }
  task.initialize(context)
  return driven
}

const KEY = SchemaBuilder.struct().name('Key').field('id', SchemaBuilder.int32().build()).build()
const VALUE = SchemaBuilder.struct()
  .name('Value')
  .field('id', SchemaBuilder.int32().build())
  .field('name', SchemaBuilder.string().build())
  .field('price', Decimal.builder(2).optional().build())
  .field('big', SchemaBuilder.int64().optional().build())
  .field('active', SchemaBuilder.bool().optional().build())
  .field('born', ConnectDate.builder().optional().build())
  .field('seen', Timestamp.builder().optional().build())
  .field('bin', SchemaBuilder.bytes().optional().build())
  .build()

let offset = 0
function row(topic: string, id: number, name: string, schema: Schema = VALUE): SinkRecord {
  const value = new Struct(schema).put('id', id).put('name', name)
  if (schema === VALUE) {
    value
      .put('price', new BigDecimal(BigInt(id * 100 + 99), 2))
      .put('big', 2n ** 60n + BigInt(id))
      .put('active', id % 2 === 0)
      .put('born', new Date(Date.UTC(2000, 0, id)))
      .put('seen', new Date(Date.UTC(2024, 5, 1, 12, 0, id, 123)))
      .put('bin', Buffer.from([id, 0xff]))
  }
  return new SinkRecord({
    topic,
    kafkaPartition: 0,
    kafkaOffset: offset++,
    keySchema: KEY,
    key: new Struct(KEY).put('id', id),
    valueSchema: schema,
    value,
  })
}

function tombstone(topic: string, id: number): SinkRecord {
  return new SinkRecord({
    topic,
    kafkaPartition: 0,
    kafkaOffset: offset++,
    keySchema: KEY,
    key: new Struct(KEY).put('id', id),
    valueSchema: null,
    value: null,
  })
}

const TARGETS = { PostgreSQL: postgresTarget, MariaDB: mariaDbTarget }

for (const [name, open] of Object.entries(TARGETS)) {
  describe(`JDBC sink task on ${name}`, () => {
    test('auto.create makes the table from the value schema, keys NOT NULL, and insert writes every type', async (t) => {
      const target = await open(t)
      const { task } = drive(new ConfluentJdbcSinkTask(), {})
      task.start({
        'connection.url': target.url,
        'connection.user': target.user,
        'auto.create': 'true',
        'pk.mode': 'record_key',
        'table.name.format': 'items',
      })
      t.after(() => task.stop())
      await task.put([row('t', 1, 'one'), row('t', 2, 'two')])
      assert.deepEqual(await target.columns('items'), [
        'id',
        'name',
        'price?',
        'big?',
        'active?',
        'born?',
        'seen?',
        'bin?',
      ])
      const rows = await target.rows('SELECT id, name, price, big, born, seen, bin FROM items ORDER BY id')
      assert.deepEqual(
        rows.map((r) => [r.id, r.name, r.price, r.big, r.born?.slice(0, 10), r.bin]),
        [
          ['1', 'one', '1.99', String(2n ** 60n + 1n), '2000-01-01', '01ff'],
          ['2', 'two', '2.99', String(2n ** 60n + 2n), '2000-01-02', '02ff'],
        ],
      )
      assert.match(String(rows[0]?.seen), /^2024-06-01[ T]12:00:01\.123/)
    })

    test('upsert writes a key twice as its last value; a redelivered batch leaves the table as it was', async (t) => {
      const target = await open(t)
      const { task } = drive(new ConfluentJdbcSinkTask(), {})
      task.start({
        'connection.url': target.url,
        'connection.user': target.user,
        'auto.create': 'true',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'table.name.format': 'items',
      })
      t.after(() => task.stop())
      const batch = [row('t', 1, 'one'), row('t', 2, 'two'), row('t', 1, 'uno')]
      await task.put(batch)
      await task.put(batch)
      await task.put([row('t', 2, 'dos')])
      assert.deepEqual(await target.rows('SELECT id, name FROM items ORDER BY id'), [
        { id: '1', name: 'uno' },
        { id: '2', name: 'dos' },
      ])
    })

    test('update changes existing rows only; delete.enabled deletes on tombstones', async (t) => {
      const target = await open(t)
      const base = {
        'connection.url': target.url,
        'connection.user': target.user,
        'auto.create': 'true',
        'pk.mode': 'record_key',
        'table.name.format': 'items',
      }
      const inserter = drive(new ConfluentJdbcSinkTask(), {}).task
      inserter.start({ ...base, 'insert.mode': 'upsert', 'delete.enabled': 'true' })
      t.after(() => inserter.stop())
      await inserter.put([row('t', 1, 'one'), row('t', 2, 'two'), row('t', 3, 'three')])
      const updater = drive(new ConfluentJdbcSinkTask(), {}).task
      updater.start({ ...base, 'insert.mode': 'update' })
      t.after(() => updater.stop())
      await updater.put([row('t', 2, 'TWO'), row('t', 9, 'nine')])
      await inserter.put([tombstone('t', 3), row('t', 4, 'four'), tombstone('t', 4)])
      assert.deepEqual(await target.rows('SELECT id, name FROM items ORDER BY id'), [
        { id: '1', name: 'one' },
        { id: '2', name: 'TWO' },
      ])
    })

    test('auto.evolve adds an optional field as a nullable column; a required one without default is refused', async (t) => {
      const target = await open(t)
      const { task } = drive(new ConfluentJdbcSinkTask(), {})
      task.start({
        'connection.url': target.url,
        'connection.user': target.user,
        'auto.create': 'true',
        'auto.evolve': 'true',
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'table.name.format': 'evolving',
        'max.retries': '0',
      })
      t.after(() => task.stop())
      const v1 = SchemaBuilder.struct()
        .field('id', SchemaBuilder.int32().build())
        .field('name', SchemaBuilder.string().build())
        .build()
      const v2 = SchemaBuilder.struct()
        .field('id', SchemaBuilder.int32().build())
        .field('name', SchemaBuilder.string().build())
        .field('note', SchemaBuilder.string().optional().build())
        .build()
      const v3 = SchemaBuilder.struct()
        .field('id', SchemaBuilder.int32().build())
        .field('name', SchemaBuilder.string().build())
        .field('must', SchemaBuilder.string().build())
        .build()
      await task.put([row('t', 1, 'one', v1)])
      await task.put([
        new SinkRecord({
          topic: 't',
          kafkaPartition: 0,
          kafkaOffset: offset++,
          valueSchema: v2,
          value: new Struct(v2).put('id', 2).put('name', 'two').put('note', 'n'),
        }),
      ])
      assert.deepEqual(await target.columns('evolving'), ['id', 'name', 'note?'])
      assert.deepEqual(await target.rows('SELECT id, name, note FROM evolving ORDER BY id'), [
        { id: '1', name: 'one', note: null },
        { id: '2', name: 'two', note: 'n' },
      ])
      await assert.rejects(
        async () =>
          task.put([
            new SinkRecord({
              topic: 't',
              kafkaPartition: 0,
              kafkaOffset: offset++,
              valueSchema: v3,
              value: new Struct(v3).put('id', 3).put('name', 'x').put('must', 'y'),
            }),
          ]),
        /not optional and does not have a default value/,
      )
    })

    test('a missing table without auto.create fails the write, naming the table', async (t) => {
      const target = await open(t)
      const { task } = drive(new ConfluentJdbcSinkTask(), {})
      task.start({
        'connection.url': target.url,
        'connection.user': target.user,
        'table.name.format': 'absent',
        'max.retries': '0',
      })
      t.after(() => task.stop())
      await assert.rejects(
        async () => task.put([row('t', 1, 'one')]),
        /absent.* is missing and auto-creation is disabled/,
      )
    })

    test('a row the database refuses goes to the errant record reporter with its message; the others are written', async (t) => {
      const target = await open(t)
      const driven = drive(new ConfluentJdbcSinkTask(), {}, true)
      driven.task.start({
        'connection.url': target.url,
        'connection.user': target.user,
        'auto.create': 'true',
        'pk.mode': 'record_key',
        'table.name.format': 'items',
        'max.retries': '0',
      })
      t.after(() => driven.task.stop())
      await driven.task.put([row('t', 1, 'one')])
      const duplicate = row('t', 1, 'again')
      await driven.task.put([row('t', 2, 'two'), duplicate, row('t', 3, 'three')])
      assert.deepEqual(
        (await target.rows('SELECT id FROM items ORDER BY id')).map((r) => r.id),
        ['1', '2', '3'],
      )
      assert.equal(driven.reported.length, 1)
      assert.equal(driven.reported[0]?.record, duplicate)
      assert.match(driven.reported[0]?.error.message ?? '', /duplicate/i)
    })

    test('the Debezium-named sink applies change events natively: c/u/r write the after image, d deletes', async (t) => {
      const target = await open(t)
      const { task } = drive(new DebeziumJdbcSinkTask(), {})
      task.start({
        'connection.url': target.url,
        'connection.username': target.user,
        'insert.mode': 'upsert',
        'primary.key.mode': 'record_key',
        'delete.enabled': 'true',
        'schema.evolution': 'basic',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Debezium's placeholder.
        'collection.name.format': 'copy_${source.table}',
      })
      t.after(() => task.stop())
      const rowSchema = SchemaBuilder.struct()
        .name('srv.inv.customers.Value')
        .optional()
        .field('id', SchemaBuilder.int32().build())
        .field('name', SchemaBuilder.string().build())
        .build()
      const source = SchemaBuilder.struct()
        .name('io.debezium.connector.postgresql.Source')
        .field('table', SchemaBuilder.string().build())
        .build()
      const envelope = SchemaBuilder.struct()
        .name('srv.inv.customers.Envelope')
        .field('before', rowSchema)
        .field('after', rowSchema)
        .field('source', source)
        .field('op', SchemaBuilder.string().build())
        .build()
      const event = (op: string, id: number, name: string) => {
        const image = new Struct(rowSchema).put('id', id).put('name', name)
        return new SinkRecord({
          topic: 'srv.inv.customers',
          kafkaPartition: 0,
          kafkaOffset: offset++,
          keySchema: KEY,
          key: new Struct(KEY).put('id', id),
          valueSchema: envelope,
          value: new Struct(envelope)
            .put('before', op === 'c' || op === 'r' ? null : image)
            .put('after', op === 'd' ? null : image)
            .put('source', new Struct(source).put('table', 'customers'))
            .put('op', op),
        })
      }
      await task.put([event('r', 1, 'Ada'), event('c', 2, 'Alan'), event('c', 3, 'Grace'), event('u', 2, 'Alan T')])
      await task.put([event('d', 3, 'Grace'), tombstone('srv.inv.customers', 3)])
      assert.deepEqual(await target.rows('SELECT id, name FROM copy_customers ORDER BY id'), [
        { id: '1', name: 'Ada' },
        { id: '2', name: 'Alan T' },
      ])
    })
  })
}

test('a connection the server ends mid-run is retried: the same batch is written once the task reconnects', async (t) => {
  const db = await testPostgres(t)
  const admin = await db.connect()
  const driven = drive(new ConfluentJdbcSinkTask(), {})
  driven.task.start({
    'connection.url': `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
    'connection.user': db.user,
    'auto.create': 'true',
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'table.name.format': 'items',
    'retry.backoff.ms': '50',
  })
  t.after(() => driven.task.stop())
  await driven.task.put([row('t', 1, 'one')])
  // The server ends every other session of the database: the task's connection is gone.
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [db.database],
  )
  const batch = [row('t', 2, 'two')]
  await assert.rejects(async () => driven.task.put(batch), RetriableError)
  assert.deepEqual(driven.timeouts, [50])
  await driven.task.put(batch)
  assert.deepEqual((await admin.query('SELECT id FROM items ORDER BY id')).rows, [{ id: 1 }, { id: 2 }])
})

test('a database that is not there is retried: RetriableError with a growing backoff, never a failed task', async () => {
  const { task, timeouts } = drive(new ConfluentJdbcSinkTask(), {})
  // A port nothing listens on.
  task.start({
    'connection.url': 'jdbc:postgresql://127.0.0.1:9/none',
    'table.name.format': 'x',
    'retry.backoff.ms': '100',
  })
  for (let i = 0; i < 3; i++) await assert.rejects(async () => task.put([row('t', 1, 'one')]), RetriableError)
  assert.deepEqual(timeouts, [100, 200, 400])
  await task.stop()
})
