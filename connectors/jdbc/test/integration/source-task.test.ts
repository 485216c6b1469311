/**
 * The JDBC source against the run's real PostgreSQL and MariaDB, one database per test: each mode reads a fixed DML
 * script into the records and offsets Confluent's connector writes (null key, value schema named after the table,
 * partition {protocol, table}, offsets in Java's HashMap order), a restart from the last offset neither loses nor
 * repeats a row, and tasks.max spreads tables over tasks. The task is driven as the worker drives it (poll, with
 * offsets given back through the context's reader); the worker runs it in source-worker.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SourceRecord, SourceTaskContext, Struct } from 'tsconnect'
import { testMariaDb, testPostgres } from '../../../../test/support/services.ts'
import { JdbcSourceConnector, JdbcSourceTask } from '../../src/index.ts'

interface Source {
  url: string
  user: string
  /** The catalog.schema prefix of a table's partition name. */
  qualifier: string
  /** The DDL of an auto-increment key column, and of a timestamp column. */
  serial: string
  timestamp: string
  exec(sql: string): Promise<void>
}

async function postgres(t: Parameters<typeof testPostgres>[0]): Promise<Source> {
  const db = await testPostgres(t)
  const client = await db.connect()
  return {
    url: `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
    user: db.user,
    qualifier: `${db.database}.public`,
    serial: 'SERIAL PRIMARY KEY',
    timestamp: 'TIMESTAMP(6)',
    exec: async (sql) => {
      await client.query(sql)
    },
  }
}

async function mariadb(t: Parameters<typeof testMariaDb>[0]): Promise<Source> {
  const db = await testMariaDb(t)
  const connection = await db.connect()
  return {
    url: `jdbc:mariadb://${db.host}:${db.port}/${db.database}`,
    user: db.user,
    qualifier: db.database,
    serial: 'INT AUTO_INCREMENT PRIMARY KEY',
    timestamp: 'DATETIME(6)',
    exec: async (sql) => {
      await connection.query(sql)
    },
  }
}

/** Offsets the task gave its records, stored as the worker would: by partition (in plain JSON). */
class Offsets {
  readonly stored = new Map<string, Record<string, unknown>>()
  static key(partition: unknown): string {
    const plain = partition instanceof Map ? Object.fromEntries(partition) : partition
    return JSON.stringify(Object.entries(plain as object).sort())
  }
  commit(records: readonly SourceRecord[]) {
    for (const r of records) {
      if (r.sourceOffset === null) continue
      const o = r.sourceOffset instanceof Map ? Object.fromEntries(r.sourceOffset) : r.sourceOffset
      this.stored.set(Offsets.key(r.sourcePartition), o as Record<string, unknown>)
    }
  }
  context(): SourceTaskContext {
    return {
      configs: () => ({}),
      offsetStorageReader: () => ({
        offset: async (p: unknown) => this.stored.get(Offsets.key(p)) ?? null,
        offsets: async () => [],
      }),
      transactionContext: () => null,
    } as unknown as SourceTaskContext
  }
}

async function startTask(props: Record<string, string>, offsets: Offsets): Promise<JdbcSourceTask> {
  const connector = new JdbcSourceConnector()
  connector.initialize({ requestTaskReconfiguration: () => {}, raiseError: () => {} } as never)
  await connector.start(props)
  const [config] = await connector.taskConfigs(1)
  await connector.stop()
  const task = new JdbcSourceTask()
  task.initialize(offsets.context())
  await task.start(config as Record<string, string>)
  return task
}

/** Polls until `count` records came (or fails after 20 s). */
async function pollFor(task: JdbcSourceTask, count: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  const deadline = Date.now() + 20_000
  while (out.length < count) {
    if (Date.now() > deadline) assert.fail(`only ${out.length} of ${count} records`)
    out.push(...((await task.poll()) ?? []))
  }
  return out
}

function names(records: readonly SourceRecord[]): unknown[] {
  return records.map((r) => (r.value as Struct).get('name'))
}

function offsetText(r: SourceRecord): string {
  return JSON.stringify(r.sourceOffset instanceof Map ? [...r.sourceOffset] : r.sourceOffset, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v,
  )
}

const SOURCES = { PostgreSQL: postgres, MariaDB: mariadb }

for (const [name, open] of Object.entries(SOURCES)) {
  describe(`JDBC source task on ${name}`, () => {
    test('incrementing: records named after the table, null keys, offsets {incrementing}; a restart resumes exactly', async (t) => {
      const db = await open(t)
      await db.exec(`CREATE TABLE users (id ${db.serial}, name VARCHAR(20) NOT NULL, score DECIMAL(6,2))`)
      await db.exec(`INSERT INTO users (name, score) VALUES ('ada', 1.50), ('alan', NULL), ('grace', 3.25)`)
      const offsets = new Offsets()
      const props = {
        'connection.url': db.url,
        'connection.user': db.user,
        mode: 'incrementing',
        'topic.prefix': 'jdbc-',
        'table.whitelist': 'users',
        'poll.interval.ms': '50',
        'batch.max.rows': '2',
      }
      let task = await startTask(props, offsets)
      const first = await pollFor(task, 3)
      assert.deepEqual(names(first), ['ada', 'alan', 'grace'])
      const r0 = first[0] as SourceRecord
      assert.equal(r0.topic, 'jdbc-users')
      assert.equal(r0.key ?? null, null)
      assert.equal(r0.valueSchema?.name, 'users')
      assert.deepEqual(
        r0.valueSchema?.fields.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}`),
        ['id:INT32', 'name:STRING', 'score:BYTES?'],
      )
      assert.equal(String((r0.value as Struct).get('score')), '1.50')
      assert.deepEqual(
        [...(r0.sourcePartition as Map<string, unknown>)],
        [
          ['protocol', '1'],
          ['table', `${db.qualifier}.users`],
        ],
      )
      assert.deepEqual(first.map(offsetText), [
        '[["incrementing","1n"]]',
        '[["incrementing","2n"]]',
        '[["incrementing","3n"]]',
      ])
      // The worker committed the first two only; the new task repeats the third and goes on.
      offsets.commit(first.slice(0, 2))
      await task.stop()
      await db.exec(`INSERT INTO users (name) VALUES ('linus')`)
      task = await startTask(props, offsets)
      t.after(() => task.stop())
      assert.deepEqual(names(await pollFor(task, 2)), ['grace', 'linus'])
    })

    test('timestamp+incrementing: rows of one instant are ordered by id; an update is read again; offsets in HashMap order', async (t) => {
      const db = await open(t)
      await db.exec(`CREATE TABLE events (id ${db.serial}, name VARCHAR(20) NOT NULL, at ${db.timestamp} NOT NULL)`)
      await db.exec(
        `INSERT INTO events (name, at) VALUES ('b', '2024-01-01 00:00:01.5'), ('a', '2024-01-01 00:00:00.25'), ('c', '2024-01-01 00:00:01.5')`,
      )
      const offsets = new Offsets()
      const task = await startTask(
        {
          'connection.url': db.url,
          'connection.user': db.user,
          mode: 'timestamp+incrementing',
          'incrementing.column.name': 'id',
          'timestamp.column.name': 'at',
          'topic.prefix': 'jdbc-',
          'table.include.list': '.*events',
          'poll.interval.ms': '50',
        },
        offsets,
      )
      t.after(() => task.stop())
      const first = await pollFor(task, 3)
      assert.deepEqual(names(first), ['a', 'b', 'c'])
      assert.equal(
        offsetText(first[2] as SourceRecord),
        `[["timestamp_nanos",500000000],["incrementing","3n"],["timestamp",${Date.UTC(2024, 0, 1, 0, 0, 1, 500)}]]`,
      )
      assert.equal(
        ((first[0] as SourceRecord).value as Struct).get('at')?.valueOf(),
        Date.UTC(2024, 0, 1, 0, 0, 0, 250),
      )
      await db.exec(`UPDATE events SET name = 'a2', at = '2024-01-02 00:00:00' WHERE name = 'a'`)
      assert.deepEqual(names(await pollFor(task, 1)), ['a2'])
    })

    test('timestamp: only rows newer than the offset and older than now minus the delay', async (t) => {
      const db = await open(t)
      await db.exec(`CREATE TABLE ticks (id INT NOT NULL, name VARCHAR(20) NOT NULL, at ${db.timestamp} NOT NULL)`)
      await db.exec(
        `INSERT INTO ticks VALUES (1, 'old', '2020-01-01 00:00:00'), (2, 'new', '2024-01-01 00:00:00'), (3, 'future', '2999-01-01 00:00:00')`,
      )
      const task = await startTask(
        {
          'connection.url': db.url,
          'connection.user': db.user,
          mode: 'timestamp',
          'timestamp.column.name': 'at',
          'timestamp.initial': String(Date.UTC(2022, 0, 1)),
          'topic.prefix': 'jdbc-',
          'table.whitelist': 'ticks',
          'poll.interval.ms': '50',
        },
        new Offsets(),
      )
      t.after(() => task.stop())
      const records = await pollFor(task, 1)
      assert.deepEqual(names(records), ['new'])
      assert.equal(
        offsetText(records[0] as SourceRecord),
        `[["timestamp_nanos",0],["timestamp",${Date.UTC(2024, 0, 1)}]]`,
      )
    })

    test('bulk: the whole table every poll, with null offsets; query mode writes to topic.prefix', async (t) => {
      const db = await open(t)
      await db.exec(`CREATE TABLE things (id INT NOT NULL, name VARCHAR(20))`)
      await db.exec(`INSERT INTO things VALUES (1, 'x'), (2, 'y')`)
      const base = { 'connection.url': db.url, 'connection.user': db.user, mode: 'bulk', 'poll.interval.ms': '50' }
      const bulk = await startTask({ ...base, 'topic.prefix': 'b-', 'table.whitelist': 'things' }, new Offsets())
      t.after(() => bulk.stop())
      const twice = await pollFor(bulk, 4)
      assert.deepEqual(names(twice), ['x', 'y', 'x', 'y'])
      assert.ok(twice.every((r) => r.sourceOffset === null && r.topic === 'b-things'))
      const query = await startTask(
        { ...base, 'topic.prefix': 'q', query: 'SELECT name FROM things WHERE id = 2' },
        new Offsets(),
      )
      t.after(() => query.stop())
      const row = (await pollFor(query, 1))[0] as SourceRecord
      assert.equal(row.topic, 'q')
      assert.deepEqual([...(row.sourcePartition as Map<string, unknown>)], [['query', 'query']])
      assert.equal(row.valueSchema?.name, undefined)
      assert.equal((row.value as Struct).get('name'), 'y')
    })

    test('tasks.max=3 spreads 6 tables over 3 tasks, 2 each', async (t) => {
      const db = await open(t)
      for (const n of [1, 2, 3, 4, 5, 6]) await db.exec(`CREATE TABLE t${n} (id INT NOT NULL)`)
      const connector = new JdbcSourceConnector()
      connector.initialize({ requestTaskReconfiguration: () => {}, raiseError: () => {} } as never)
      await connector.start({
        'connection.url': db.url,
        'connection.user': db.user,
        mode: 'bulk',
        'topic.prefix': 'x-',
      })
      const configs = await connector.taskConfigs(3)
      await connector.stop()
      assert.deepEqual(
        configs.map((c) => (JSON.parse(c.tables as string) as { table: string }[]).map((x) => x.table)),
        [
          ['t1', 't2'],
          ['t3', 't4'],
          ['t5', 't6'],
        ],
      )
    })
  })
}
