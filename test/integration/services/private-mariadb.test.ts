/**
 * The run's private MariaDB is a real server with a row binlog: a committed insert shows as a Write_rows event.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type mysql from 'mysql2/promise'
import { testMariaDb } from '../../support/services.ts'

test('the private MariaDB writes a ROW-format binlog in which an insert shows as a Write_rows event', async (t) => {
  const db = await testMariaDb(t)
  const connection = await db.connect()
  const [vars] = await connection.query<mysql.RowDataPacket[]>(
    `SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')`,
  )
  assert.deepEqual(Object.fromEntries(vars.map((v) => [v.Variable_name, v.Value])), {
    binlog_format: 'ROW',
    binlog_row_image: 'FULL',
    log_bin: 'ON',
  })

  const [[status]] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS')
  assert.ok(status, 'the server has a current binlog')
  await connection.query('CREATE TABLE customers (id int PRIMARY KEY, name text)')
  await connection.query(`INSERT INTO customers VALUES (1, 'Ada')`)

  const [events] = await connection.query<mysql.RowDataPacket[]>(
    `SHOW BINLOG EVENTS IN '${status.File}' FROM ${Number(status.Position)}`,
  )
  const types = events.map((e) => e.Event_type as string)
  const tableMap = events.find((e) => e.Event_type === 'Table_map')
  assert.ok(
    types.some((type) => type.startsWith('Write_rows')),
    `a Write_rows event after the insert; events: ${types}`,
  )
  assert.match(String(tableMap?.Info), new RegExp(`\\(${db.database}\\.customers\\)`))
})
