/**
 * The status topic as Java's worker writes it, for the same story told to each runtime: a FileStreamSource writes to
 * a topic (its topic-status record, KIP-558, appears), gets a new config by PUT, and is deleted. Compared: the
 * connector states written after the PUT (Java's processConnectorConfigUpdates writes no RESTARTING) and the keys
 * that end as tombstones (Java's onDeletion and resetActiveTopics: the connector, its task and
 * `status-topic-<topic>:connector-<name>`).
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type { Consumer } from '@platformatic/kafka'
import { createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { testDir } from '../../support/connect-process.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, testClientProperties, uniqueName } from '../../support/kafka.ts'

const consumer: Consumer = createFetchClient(testClientProperties())
const running: CompatWorker[] = []
after(async () => {
  await Promise.allSettled(running.map((w) => w.stop()))
  await consumer.close()
})

interface StatusRecord {
  key: string
  /** The state of a connector or task status, 'topic' for a topic status, null for a tombstone. */
  state: string | null
}

/** Every record of the (one-partition) status topic, in order. */
async function statusRecords(topic: string): Promise<StatusRecord[]> {
  const out: StatusRecord[] = []
  let offset = 0n
  for (;;) {
    const batch = await fetchPartition(consumer, topic, 0, offset, { maxWaitMs: 50 })
    for (const r of batch.records) {
      const key = r.key?.toString() ?? ''
      const value = r.value === null || r.value === undefined || r.value.length === 0 ? null : r.value.toString()
      const state = value === null ? null : key.startsWith('status-topic-') ? 'topic' : JSON.parse(value).state
      out.push({ key, state })
    }
    if (batch.records.length === 0 || batch.nextOffset >= batch.highWatermark) return out
    offset = batch.nextOffset
  }
}

interface Story {
  /** Connector states written from the PUT on, in order, repeated states collapsed. */
  connectorStatesAfterPut: string[]
  /** Keys whose last record is a tombstone, with the connector name and topic made generic. */
  tombstoned: string[]
}

async function tell(runtime: Runtime): Promise<Story> {
  const group = uniqueName(`status-${runtime.name === 'Java Connect' ? 'java' : 'ts'}`)
  const worker = await runtime.start(group)
  running.push(worker)
  const statusTopic = `${group}-status`
  const topic = uniqueName('status-lines')
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
  await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
  await admin.close()
  const input = join(testDir(), `${group}.txt`)
  writeFileSync(input, 'a\nb\nc\n')
  const name = 'story'
  const config = { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': '1' }
  assert.equal((await http(`${worker.url}/connectors/${name}/config`, 'PUT', config)).status, 201)
  const topicKey = `status-topic-${topic}:connector-${name}`
  await until(`${runtime.name}: the topic status of ${name}`, 60_000, async () =>
    (await statusRecords(statusTopic)).some((r) => r.key === topicKey && r.state === 'topic') ? true : undefined,
  )
  const putAt = (await statusRecords(statusTopic)).length
  const updated = await http(`${worker.url}/connectors/${name}/config`, 'PUT', { ...config, 'batch.size': '100' })
  assert.equal(updated.status, 200)
  await until(`${runtime.name}: ${name} RUNNING after the PUT`, 60_000, async () => {
    const after = (await statusRecords(statusTopic)).slice(putAt)
    return after.some((r) => r.key === `status-connector-${name}` && r.state === 'RUNNING') ? true : undefined
  })
  assert.equal((await http(`${worker.url}/connectors/${name}`, 'DELETE')).status, 204)
  const last = (records: StatusRecord[]) => {
    const byKey = new Map<string, string | null>()
    for (const r of records) byKey.set(r.key, r.state)
    return byKey
  }
  // Each runtime writes its tombstones when the deleted work has stopped; wait for the topic's, then for quiet.
  await until(`${runtime.name}: the tombstone of ${topicKey}`, 60_000, async () =>
    last(await statusRecords(statusTopic)).get(topicKey) === null ? true : undefined,
  ).catch(() => undefined)
  let count = -1
  await until(`${runtime.name}: a quiet status topic`, 30_000, async () => {
    await new Promise((r) => setTimeout(r, 1000))
    const n = (await statusRecords(statusTopic)).length
    const quiet = n === count
    count = n
    return quiet ? true : undefined
  })
  const records = await statusRecords(statusTopic)
  const states: string[] = []
  for (const r of records.slice(putAt)) {
    if (r.key !== `status-connector-${name}` || r.state === null) continue
    if (states.at(-1) !== r.state) states.push(r.state)
  }
  const tombstoned = [...last(records)]
    .filter(([, state]) => state === null)
    .map(([key]) => key.replace(topic, '<topic>'))
    .sort()
  await worker.stop()
  return { connectorStatesAfterPut: states, tombstoned }
}

describe('the status topic, as Java writes it', () => {
  test('no RESTARTING after a PUT config; tombstones for the connector, its task and its topic status on deletion', async () => {
    const [java, ts] = [await tell(javaConnect), await tell(tsconnect)]
    console.log(`# Java Connect: ${JSON.stringify(java)}`)
    console.log(`# tsconnect: ${JSON.stringify(ts)}`)
    assert.ok(java.tombstoned.includes('status-topic-<topic>:connector-story'), JSON.stringify(java))
    assert.ok(!java.connectorStatesAfterPut.includes('RESTARTING'), JSON.stringify(java))
    assert.deepEqual(ts, java)
  })
})
