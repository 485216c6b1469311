/**
 * How long the stores take to load their topics from the beginning: a config topic of 10,000 records and an
 * offsets topic of 100,000 records (25 partitions), on a real broker.
 *
 *   TSCONNECT_TEST_BOOTSTRAP=host:port node_modules/.bin/node bench/stores-load.ts   # an existing broker
 *   node_modules/.bin/node bench/stores-load.ts                                     # starts a private LocalKafka
 *
 * The topics are filled with a plain producer first (bytes as the stores write them); each load is timed from
 * start() to its resolution, i.e. topic check, partition discovery and read to the end. Each load runs 3 times
 * with a fresh store; the times are printed as JSON lines.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createProducer } from '../src/kafka/clients.ts'
import {
  commitKey,
  connectorKey,
  encodeCommitValue,
  encodeConfigValue,
  taskKey,
} from '../src/protocol/config-records.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../src/protocol/offset-records.ts'
import { createKafkaConfigStore, createKafkaOffsetStore } from '../src/stores/kafka-stores.ts'
import { LocalKafka } from '../tools/kafka/cluster.ts'

const CONFIG_RECORDS = 10_000
const OFFSET_RECORDS = 100_000
const RUNS = 3

let kafka: LocalKafka | undefined
let dir: string | undefined
let bootstrap = process.env.TSCONNECT_TEST_BOOTSTRAP
if (!bootstrap) {
  dir = mkdtempSync(join(tmpdir(), 'tsconnect-bench-'))
  kafka = await LocalKafka.start({ dir, brokers: 1 })
  bootstrap = kafka.bootstrap
}

const suffix = `${process.pid}-${Date.now()}`
const props = {
  'bootstrap.servers': bootstrap,
  'group.id': `bench-${suffix}`,
  'config.storage.topic': `bench-configs-${suffix}`,
  'offset.storage.topic': `bench-offsets-${suffix}`,
  'status.storage.topic': `bench-status-${suffix}`,
  'config.storage.replication.factor': '1',
  'offset.storage.replication.factor': '1',
  'offset.storage.partitions': '25',
}

// Create the topics through the stores themselves, then fill them.
for (const store of [createKafkaConfigStore(props), createKafkaOffsetStore(props)]) {
  await store.start({ timeoutMs: 60_000 })
  await store.stop()
}

const producer = createProducer({ 'bootstrap.servers': bootstrap })
async function fill(topic: string, records: { key: Buffer; value: Buffer | null }[]) {
  for (let i = 0; i < records.length; i += 2_000) {
    await producer.send({
      messages: records.slice(i, i + 2_000).map((r) => ({ topic, key: r.key, value: r.value ?? undefined })),
    })
  }
}

// 1,000 connectors, each: a config, 8 task configs and a commit = 10 records.
const configRecords: { key: Buffer; value: Buffer }[] = []
for (let c = 0; configRecords.length < CONFIG_RECORDS; c++) {
  const name = `connector-${c}`
  const config = { 'connector.class': 'FileStreamSource', 'tasks.max': '8', file: `/data/${c}.txt`, topic: `t${c}` }
  configRecords.push({ key: Buffer.from(connectorKey(name)), value: encodeConfigValue(config) })
  for (let t = 0; t < 8; t++) {
    configRecords.push({ key: Buffer.from(taskKey(name, t)), value: encodeConfigValue({ ...config, task: String(t) }) })
  }
  configRecords.push({ key: Buffer.from(commitKey(name)), value: encodeCommitValue(8) })
}
await fill(props['config.storage.topic'], configRecords)

const offsetRecords = Array.from({ length: OFFSET_RECORDS }, (_, i) => ({
  key: encodeOffsetKey(`source-${i % 50}`, { filename: `/data/file-${i}.txt` }),
  value: encodeOffsetValue({ position: i * 4096 }),
}))
await fill(props['offset.storage.topic'], offsetRecords)
await producer.close()

async function time(what: string, records: number, load: () => Promise<{ stop(): Promise<void> }>) {
  for (let run = 1; run <= RUNS; run++) {
    const started = performance.now()
    const store = await load()
    const ms = performance.now() - started
    console.log(
      JSON.stringify({ what, records, run, ms: Math.round(ms), recordsPerSecond: Math.round(records / (ms / 1000)) }),
    )
    await store.stop()
  }
}

await time('config topic load', CONFIG_RECORDS, async () => {
  const store = createKafkaConfigStore(props)
  await store.start({ timeoutMs: 120_000 })
  if (store.snapshot().connectors.length !== CONFIG_RECORDS / 10) throw new Error('config topic not fully read')
  return store
})

await time('offsets topic load', OFFSET_RECORDS, async () => {
  const store = createKafkaOffsetStore(props)
  await store.start({ timeoutMs: 120_000 })
  if (store.connectorPartitions('source-0').length !== OFFSET_RECORDS / 50) throw new Error('offsets not fully read')
  return store
})

await kafka?.stop()
if (dir) rmSync(dir, { recursive: true, force: true })
