/**
 * Delivery under failure, in real connect-distributed workers: rows are inserted without pause while the worker
 * running the task is killed with -9, and later while PostgreSQL ends the task's replication connection (what a
 * server restart does to it). Every row arrives (at-least-once: repeats allowed, losses not), and the slot never
 * confirms more than the offsets topic holds, so the replacement task resumes from the committed offset.
 */
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { JsonConverter, type Struct } from 'tsconnect'
import {
  ConnectorHarness,
  countSequence,
  topicRecordCount,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { uniqueName } from '../../../../test/support/kafka.ts'
import { testPostgres } from '../../../../test/support/services.ts'

let harness: ConnectorHarness | undefined
after(() => harness?.close())

/** The workers' warnings and errors, for a failure's diagnosis. */
function workerProblems(): string {
  return (harness?.live ?? [])
    .flatMap((w) => `${w.run.stdout()}${w.run.stderr()}`.split('\n'))
    .filter((line) => /"level":(40|50|60)/.test(line))
    .slice(-20)
    .join('\n')
}

/** The seq column of every change event's `after` in the topic (tombstones and deletes have none here). */
async function seqsIn(topic: string): Promise<bigint[]> {
  const converter = new JsonConverter()
  converter.configure({}, false)
  const out: bigint[] = []
  for (const r of await topicRecords(topic)) {
    if (r.value === null) continue
    const after = (converter.toConnectData(topic, Buffer.from(r.value)).value as Struct).get('after') as Struct | null
    if (after !== null) out.push(BigInt(after.get('seq') as number | bigint))
  }
  return out
}

test('no row is lost when the task owner is killed with -9 or its replication connection is terminated', async (t) => {
  const db = await testPostgres(t)
  const sql = await db.connect()
  await sql.query('CREATE TABLE events (seq bigint PRIMARY KEY, payload text NOT NULL)')
  await sql.query(`INSERT INTO events SELECT g, 'snapshot' FROM generate_series(1, 50) g`)
  let next = 51
  let writing = true
  const writer = (async () => {
    while (writing) {
      const from = next
      next += 10
      await sql.query(`INSERT INTO events SELECT g, repeat('x', 100) FROM generate_series($1::bigint, $2::bigint) g`, [
        from,
        from + 9,
      ])
      await new Promise((r) => setTimeout(r, 40))
    }
  })()
  t.after(async () => {
    writing = false
    await writer
  })

  const prefix = uniqueName('pgk').replace(/[^a-z0-9]/gi, '')
  const topic = `${prefix}.public.events`
  harness = await ConnectorHarness.start({
    pluginPath: '@tsconnect/connector-postgres',
    props: { 'offset.flush.interval.ms': '1000' },
  })
  await harness.createConnector('pg', {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': db.host,
    'database.port': String(db.port),
    'database.user': db.user,
    'database.dbname': db.database,
    'plugin.name': 'pgoutput',
    'topic.prefix': prefix,
    'slot.name': `${db.database}_slot`,
    'slot.retry.delay.ms': '500',
    'slot.max.retries': '60',
    'publication.name': `${db.database}_pub`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': 'public.events',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': '1',
  })
  const offsetsTopic = harness.props['offset.storage.topic'] as string
  const streamingOffsets = async () =>
    (await topicRecords(offsetsTopic)).filter((r) => r.key?.startsWith('["pg",') && r.value?.includes('"lsn_commit"'))

  await harness.killTaskOwnerWhen(
    'pg',
    async () => (await streamingOffsets()).length > 0 && (await topicRecordCount(topic)) >= 300,
    { timeoutMs: 120_000 },
  )
  const atKill = await topicRecordCount(topic)
  await until('the new task streams', 120_000, async () =>
    (await topicRecordCount(topic)) >= atKill + 200 ? true : undefined,
  )

  // PostgreSQL ends the walsender, as a restart or failover of the server would.
  await until('the slot is streaming', 120_000, async () => {
    const r = await sql.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [`${db.database}_slot`])
    return r.rows[0]?.active === true ? true : undefined
  })
  const terminated = await sql.query(
    `SELECT pg_terminate_backend(active_pid) AS done FROM pg_replication_slots WHERE slot_name = $1 AND active`,
    [`${db.database}_slot`],
  )
  assert.equal(terminated.rows.length, 1)
  const atTerminate = await topicRecordCount(topic)
  await until('streaming after the connection was ended', 120_000, async () =>
    (await topicRecordCount(topic)) >= atTerminate + 200 ? true : undefined,
  ).catch((error) => {
    throw new Error(`${(error as Error).message}; the workers said:\n${workerProblems()}`)
  })

  writing = false
  await writer
  const last = next - 1
  await until(`row ${last} in the topic`, 120_000, async () =>
    (await seqsIn(topic)).some((s) => s === BigInt(last)) ? true : undefined,
  ).catch((error) => {
    throw new Error(`${(error as Error).message}; the workers said:\n${workerProblems()}`)
  })
  await harness.stopConnector('pg')
  const verdict = countSequence(1n, last, await seqsIn(topic))
  console.log(
    `# postgres CDC under kill -9 and a dropped connection: ${verdict.sent} rows, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
  )
  assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
  assert.equal(verdict.unexpected, 0)

  // The slot confirmed no more than the offsets topic holds (the slot moves only in commit()).
  const committed = (await streamingOffsets()).map((r) => BigInt(/"lsn_commit":(\d+)/.exec(r.value ?? '')?.[1] ?? '0'))
  let highest = 0n
  for (const lsn of committed) if (lsn > highest) highest = lsn
  const slot = await sql.query(
    `SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::text AS lsn FROM pg_replication_slots WHERE slot_name = $1`,
    [`${db.database}_slot`],
  )
  assert.ok(BigInt(slot.rows[0]?.lsn) <= highest, `slot at ${slot.rows[0]?.lsn}, committed up to ${highest}`)
})
