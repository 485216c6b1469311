/**
 * The two packages as one pipeline in a real worker: PostgreSQL CDC (the Debezium-compatible PostgresConnector) →
 * topic → Confluent's JDBC sink with ExtractNewRecordState as its transform (upsert on the key, deletes from the
 * tombstones the transform makes of delete events) → MariaDB. After the snapshot and after the streamed inserts,
 * updates and a delete, the target table holds exactly the rows of the source table.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { ConnectorHarness } from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'
import { uniqueName } from '../../../../test/support/kafka.ts'
import { testMariaDb, testPostgres } from '../../../../test/support/services.ts'

let harness: ConnectorHarness | undefined

before(async () => {
  harness = await ConnectorHarness.start({
    workers: 1,
    pluginPath: '@tsconnect/connector-postgres,@tsconnect/connector-jdbc',
    props: { 'offset.flush.interval.ms': '1000' },
  })
})
after(() => harness?.close())

type Row = [id: number, name: string, qty: number | null, amount: string | null, active: boolean | null]

/** The connectors' states and failed tasks' traces, for a timeout's diagnosis. */
async function statuses(url: string, names: string[]): Promise<string> {
  const out: string[] = []
  for (const name of names) out.push(JSON.stringify((await http(`${url}/connectors/${name}/status`)).body))
  return out.join('\n')
}

test('PostgreSQL CDC → ExtractNewRecordState → JDBC sink upsert/delete → MariaDB: the target equals the source', async (t) => {
  const pg = await testPostgres(t)
  const maria = await testMariaDb(t)
  const source = await pg.connect()
  const target = await maria.connect()
  await source.query(
    'CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, qty integer, amount numeric(10,2), active boolean)',
  )
  // The snapshot: rows that exist before the connector starts.
  await source.query(
    `INSERT INTO items SELECT n, 'item ' || n, n * 10, n * 1.25, n % 2 = 0 FROM generate_series(1, 5) n`,
  )

  const sourceRows = async (): Promise<Row[]> =>
    (await source.query('SELECT id, name, qty, amount::text AS amount, active FROM items ORDER BY id')).rows.map(
      (r) => [r.id, r.name, r.qty, r.amount, r.active],
    )
  const targetRows = async (): Promise<Row[] | undefined> => {
    const [rows] = await target
      .query('SELECT id, name, qty, CAST(amount AS CHAR) AS amount, active FROM items_copy ORDER BY id')
      .catch(() => [undefined]) // the sink creates the table with its first batch
    return (rows as Record<string, unknown>[] | undefined)?.map((r) => [
      r.id as number,
      r.name as string,
      r.qty as number | null,
      r.amount as string | null,
      r.active === null ? null : r.active === 1,
    ])
  }
  const h = harness as ConnectorHarness
  const url = h.live[0]?.url as string
  const names = [uniqueName('cdc-pg'), uniqueName('cdc-sink')]
  const [cdc, sink] = names as [string, string]
  /** Polls until MariaDB holds the source's rows; answers both sides as last read. */
  const converged = async (what: string): Promise<{ expected: Row[]; actual: Row[] | undefined }> => {
    let last: { expected: Row[]; actual: Row[] | undefined } = { expected: [], actual: undefined }
    await until(what, 90_000, async () => {
      last = { expected: await sourceRows(), actual: await targetRows() }
      return JSON.stringify(last.expected) === JSON.stringify(last.actual) ? true : undefined
    }).catch(async (error) => {
      throw new Error(
        `${(error as Error).message}\nsource: ${JSON.stringify(last.expected)}\ntarget: ${JSON.stringify(last.actual)}\n${await statuses(url, names)}`,
      )
    })
    return last
  }

  const prefix = uniqueName('cdc').replace(/[^a-z0-9]/gi, '')
  await h.createConnector(cdc, {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': pg.host,
    'database.port': String(pg.port),
    'database.user': pg.user,
    'database.dbname': pg.database,
    'plugin.name': 'pgoutput',
    'topic.prefix': prefix,
    'slot.name': `${pg.database}_slot`,
    'publication.name': `${pg.database}_pub`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': 'public.items',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': '1',
  })
  t.after(() => http(`${url}/connectors/${cdc}`, 'DELETE'))
  await h.createConnector(sink, {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    topics: `${prefix}.public.items`,
    'connection.url': `jdbc:mariadb://${maria.host}:${maria.port}/${maria.database}`,
    'connection.user': maria.user,
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'pk.fields': 'id',
    'delete.enabled': 'true',
    'auto.create': 'true',
    'table.name.format': 'items_copy',
    transforms: 'unwrap',
    'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    // A delete event becomes a tombstone for its key, which the sink turns into a DELETE.
    'transforms.unwrap.delete.tombstone.handling.mode': 'tombstone',
  })
  t.after(() => http(`${url}/connectors/${sink}`, 'DELETE'))

  const snapshot = await converged('the snapshot in MariaDB')
  assert.equal(snapshot.expected.length, 5)

  // Streaming: inserts, updates (one to NULLs, one of several rows), a delete, and a row inserted then updated in
  // one transaction.
  await source.query(`INSERT INTO items SELECT n, 'item ' || n, n * 10, n * 1.25, true FROM generate_series(6, 9) n`)
  await source.query("UPDATE items SET name = 'renamed 2', qty = NULL, amount = NULL, active = NULL WHERE id = 2")
  await source.query('UPDATE items SET qty = qty + 1 WHERE id >= 7')
  await source.query('DELETE FROM items WHERE id = 3')
  await source.query('BEGIN')
  await source.query("INSERT INTO items VALUES (10, 'item 10', 100, 12.50, false)")
  await source.query('UPDATE items SET amount = 99.99 WHERE id = 10')
  await source.query('COMMIT')

  const { expected, actual } = await converged('the streamed changes in MariaDB')
  assert.deepEqual(actual, expected)
  assert.deepEqual(
    expected.map((r) => r[0]),
    [1, 2, 4, 5, 6, 7, 8, 9, 10],
  )
})
