/**
 * `npm run quickstart`: everything from a clean clone to data moving through a local Kafka.
 *
 * Today it starts the local Kafka (resolving its jars from Maven Central on first use) and round-trips a few
 * records through a topic with tsconnect's client layer. As the worker lands, this script grows into a worker
 * cluster running a demo pipeline.
 */
import { createAdmin, createFetchClient, createProducer } from '../src/kafka/clients.ts'
import { fetchPartition } from '../src/kafka/fetch.ts'
import { startLocalKafka } from '../tools/kafka/local.ts'

const started = Date.now()
console.log('Starting a local Kafka (the first run downloads its jars through Maven)...')
const { state, started: fresh } = await startLocalKafka()
console.log(
  `${fresh ? 'Started' : 'Reusing'} Kafka ${state.version} at ${state.bootstrap} (${Date.now() - started} ms)`,
)

const props = { 'bootstrap.servers': state.bootstrap }
const admin = createAdmin(props)
const producer = createProducer(props)
const consumer = createFetchClient(props)
try {
  const topic = `quickstart-${Date.now()}`
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  const lines = ['hello', 'from', 'tsconnect']
  await producer.send({
    messages: lines.map((line, i) => ({ topic, key: Buffer.from(String(i)), value: Buffer.from(line) })),
  })
  const { records } = await fetchPartition(consumer, topic, 0, 0n)
  console.log(`Wrote and read back ${records.length} records on topic ${topic}:`)
  for (const record of records)
    console.log(`  offset ${record.offset}: ${record.key?.toString()} -> ${record.value?.toString()}`)
} finally {
  await Promise.all([admin.close(), producer.close(), consumer.close()])
}
console.log(`
Kafka keeps running in the background: bootstrap.servers=${state.bootstrap}
  npm run kafka -- status    what runs
  npm run kafka -- stop      stop it and free ports 9092/9093`)
