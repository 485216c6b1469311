/**
 * The run's private PostgreSQL is a real server with logical decoding: a pgoutput slot sees a committed insert.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testPostgres } from '../../support/services.ts'

test('a pgoutput logical replication slot created on the private PostgreSQL reads an inserted row', async (t) => {
  const db = await testPostgres(t)
  const client = await db.connect()
  const { rows: level } = await client.query('SHOW wal_level')
  assert.equal(level[0].wal_level, 'logical')

  await client.query('CREATE TABLE customers (id int PRIMARY KEY, name text)')
  await client.query('CREATE PUBLICATION pub FOR TABLE customers')
  await client.query(`SELECT pg_create_logical_replication_slot('slot', 'pgoutput')`)
  await client.query(`INSERT INTO customers VALUES (1, 'Ada')`)

  const { rows } = await client.query(
    `SELECT data FROM pg_logical_slot_get_binary_changes('slot', NULL, NULL,
       'proto_version', '1', 'publication_names', 'pub')`,
  )
  // pgoutput messages: Begin 'B', Relation 'R', Insert 'I', Commit 'C'; the insert carries the row's text values.
  const messages = rows.map((r: { data: Buffer }) => r.data)
  assert.deepEqual(
    messages.map((m) => String.fromCharCode(m[0] ?? 0)),
    ['B', 'R', 'I', 'C'],
  )
  const insert = messages[2]
  assert.ok(insert?.includes(Buffer.from('Ada')), 'the Insert message carries the new row')
})
