/**
 * Debezium's PostgreSQL connector (3.6.1.Final, from the run's Java plugin path) under tsconnect through the JVM
 * plugin host, side by side with the same connector under Java Connect, against the private PostgreSQL: snapshot,
 * insert, update, delete with its tombstone. Each runtime has its own slot and topic prefix on the same database;
 * with the prefix and the times masked, the records' key and value bytes are identical, and so are the offsets
 * records (the same connector name on both clusters, LSNs and times masked).
 *
 * Then a tsconnect worker takes over a Java worker's connector from its offsets without a new snapshot, and goes on
 * streaming through a kill -9 of its JVM plugin host.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { JAVA_CONNECTORS } from '../../../tools/services/java-plugins.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'
import { javaPluginPath, jvmHost, testPostgres } from '../../support/services.ts'
import { readAll } from '../worker/support.ts'

const WAIT_MS = 180_000

interface Side {
  runtime: Runtime
  group: string
  worker: CompatWorker
  prefix: string
}

const sides: Side[] = []

before(async () => {
  jvmHost()
  const start = async (runtime: Runtime): Promise<Side> => {
    const group = uniqueName(runtime === tsconnect ? 'dbz-ts' : 'dbz-java')
    const worker = await runtime.start(group, {
      'plugin.path': javaPluginPath(),
      'plugin.discovery': 'service_load',
      'tsconnect.jvm.max.heap': '768m',
    })
    return { runtime, group, worker, prefix: `${group.replace(/[^a-z0-9]/gi, '_')}_pg` }
  }
  sides.push(...(await Promise.all([start(javaConnect), start(tsconnect)])))
})

after(async () => {
  await Promise.allSettled(sides.map((s) => s.worker.stop()))
})

/** A record's bytes as text, with what legitimately differs between two runs masked. */
function masked(text: string | undefined, prefix: string): string {
  return (text ?? '<null>')
    .replaceAll(prefix, '<prefix>')
    .replace(
      /"(ts_ms|ts_us|ts_ns|ts_usec|lsn|txId|xmin|lsn_proc|lsn_commit|sequence)":("(?:[^"\\]|\\.)*"|-?\d+|null)/g,
      '"$1":<m>',
    )
}

test('Debezium PostgreSQL writes the same records and offsets under tsconnect as under Java Connect', {
  timeout: 400_000,
}, async (t) => {
  const db = await testPostgres(t)
  const client = await db.connect()
  await client.query(
    'CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, balance numeric(10,2), big bigint)',
  )
  await client.query(`INSERT INTO customers VALUES (1, 'Ada', 1.50, 9007199254740993), (2, 'Alan', NULL, -1)`)
  const name = uniqueName('dbz-pg')
  for (const side of sides) {
    const slot = `${db.database}_${side.runtime === tsconnect ? 'ts' : 'java'}`.replace(/[^a-z0-9_]/gi, '_')
    const answer = await http(`${side.worker.url}/connectors`, 'POST', {
      name,
      config: {
        'connector.class': JAVA_CONNECTORS.debeziumPostgres,
        'database.hostname': db.host,
        'database.port': String(db.port),
        'database.user': db.user,
        'database.password': '',
        'database.dbname': db.database,
        'topic.prefix': side.prefix,
        'plugin.name': 'pgoutput',
        'slot.name': slot,
        'publication.name': `${slot}_pub`,
        'publication.autocreate.mode': 'filtered',
        'table.include.list': 'public.customers',
        'snapshot.mode': 'initial',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '1',
      },
    })
    assert.equal(answer.status, 201, JSON.stringify(answer.body))
  }
  const topicOf = (side: Side) => `${side.prefix}.public.customers`
  const records = (side: Side, count: number) =>
    until(`${side.runtime.name}: ${count} records`, WAIT_MS, async () => {
      const status = (await http(`${side.worker.url}/connectors/${name}/status`)).body as {
        tasks?: { state: string; trace?: string }[]
      }
      const failed = status.tasks?.find((x) => x.state === 'FAILED')
      if (failed) assert.fail(`${side.runtime.name}: ${failed.trace}`)
      const all = await readAll(topicOf(side)).catch(() => [])
      return all.length >= count ? all : undefined
    })
  await Promise.all(sides.map((s) => records(s, 2)))
  await client.query(`INSERT INTO customers VALUES (3, 'Grace', 99999999.99, 0)`)
  await client.query(`UPDATE customers SET name = 'Alan T.' WHERE id = 2`)
  await client.query('DELETE FROM customers WHERE id = 1')
  // 2 snapshot reads, an insert, an update, a delete and its tombstone.
  const [java, ts] = await Promise.all(sides.map((s) => records(s, 6)))
  const text = (side: Side, list: Awaited<ReturnType<typeof readAll>>) =>
    list.map((r) => ({
      key: masked(r.key?.toString('utf8'), side.prefix),
      value: masked(r.value?.toString('utf8'), side.prefix),
    }))
  const [javaSide, tsSide] = sides as [Side, Side]
  const [tsText, javaText] = [text(tsSide, ts ?? []), text(javaSide, java ?? [])]
  tsText.forEach((r, i) => {
    for (const part of ['key', 'value'] as const) {
      const a = r[part]
      const b = javaText[i]?.[part] ?? ''
      const at = [...a].findIndex((c, j) => c !== b[j])
      if (a !== b)
        assert.fail(
          `record ${i} ${part} differs at ${at}:\n  tsconnect: ${a.slice(at - 80, at + 120)}\n  Java:      ${b.slice(at - 80, at + 120)}`,
        )
    }
  })
  assert.equal(tsText.length, javaText.length)
  assert.equal(ts?.at(-1)?.value, null, 'the delete is followed by a tombstone')

  const offsets = (side: Side) =>
    until(`${side.runtime.name}: an offsets record`, WAIT_MS, async () => {
      const found: { key: string; value: string }[] = []
      for (let p = 0; p < 5; p++) {
        for (const r of await readAll(`${side.group}-offsets`, p)) {
          found.push({
            key: masked(r.key?.toString('utf8'), side.prefix),
            value: masked(r.value?.toString('utf8'), side.prefix),
          })
        }
      }
      const last = found.filter((f) => f.key.includes(name)).at(-1)
      return last && !last.value.includes('"snapshot"') ? last : undefined
    })
  const [javaOffsets, tsOffsets] = await Promise.all(sides.map(offsets))
  assert.deepEqual(tsOffsets, javaOffsets)
})

// Two workers start one after the other here: on a loaded machine that takes longer than the default test timeout.
test("a tsconnect worker takes over a Java worker's Debezium connector from its offsets, without a new snapshot", {
  timeout: 400_000,
}, async (t) => {
  const db = await testPostgres(t)
  const client = await db.connect()
  await client.query('CREATE TABLE items (id int PRIMARY KEY, label text)')
  await client.query(`INSERT INTO items VALUES (1, 'one'), (2, 'two')`)
  const group = uniqueName('dbz-takeover')
  const prefix = `${group.replace(/[^a-z0-9]/gi, '_')}_pg`
  const topic = `${prefix}.public.items`
  const props = { 'plugin.path': javaPluginPath(), 'plugin.discovery': 'service_load' }
  const name = uniqueName('dbz-items')
  const slot = `${db.database}_takeover`.replace(/[^a-z0-9_]/gi, '_')
  const java = await javaConnect.start(group, props)
  try {
    const answer = await http(`${java.url}/connectors`, 'POST', {
      name,
      config: {
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
        'table.include.list': 'public.items',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '1',
      },
    })
    assert.equal(answer.status, 201, JSON.stringify(answer.body))
    await until('the snapshot under Java Connect', WAIT_MS, async () =>
      (await readAll(topic).catch(() => [])).length >= 2 ? true : undefined,
    )
    await client.query(`INSERT INTO items VALUES (3, 'three')`)
    await until('the streamed insert under Java Connect', WAIT_MS, async () =>
      (await readAll(topic).catch(() => [])).length >= 3 ? true : undefined,
    )
  } finally {
    await java.stop()
  }
  // Changes made while no worker runs are in the slot; tsconnect must stream them, not snapshot again.
  await client.query(`INSERT INTO items VALUES (4, 'four')`)
  await client.query(`UPDATE items SET label = 'uno' WHERE id = 1`)
  const ts = await tsconnect.start(group, props)
  try {
    const records = await until('the changes under tsconnect', WAIT_MS, async () => {
      const all = await readAll(topic).catch(() => [])
      return all.length >= 5 ? all : undefined
    })
    await client.query(`INSERT INTO items VALUES (5, 'five')`)
    const all = await until('a change streamed by tsconnect', WAIT_MS, async () => {
      const list = await readAll(topic).catch(() => [])
      return list.length >= 6 ? list : undefined
    })
    const ops = all.map((r) => (JSON.parse(String(r.value)) as { payload: { op: string } }).payload.op)
    assert.deepEqual(ops, ['r', 'r', 'c', 'c', 'u', 'c'], `records: ${records?.length}`)

    // kill -9 of the JVM plugin host mid-stream: the task fails, comes back by itself, and no change is lost.
    const host = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(ts.pid)], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('dev.tsconnect.host.Main'))
    assert.ok(host !== undefined, 'the tsconnect worker runs a JVM plugin host')
    process.kill(Number(host.trim().split(/\s+/)[0]), 'SIGKILL')
    await client.query(`INSERT INTO items VALUES (6, 'six')`)
    await client.query('DELETE FROM items WHERE id = 2')
    const after = await until('the changes made around the kill', WAIT_MS, async () => {
      const list = await readAll(topic).catch(() => [])
      const ids = list.map((r) => String(r.key))
      return ids.some((k) => k.includes('"id":6')) && list.at(-1)?.value === null ? list : undefined
    })
    const changes = (after ?? []).map((r) => String(r.value)).filter((v) => v !== 'null')
    assert.ok(
      changes.some((v) => v.includes('"op":"d"')),
      'the delete arrived',
    )
    const status = (await http(`${ts.url}/connectors/${name}/status`)).body as { tasks: { state: string }[] }
    assert.equal(status.tasks[0]?.state, 'RUNNING')
  } finally {
    await ts.stop()
  }
})
