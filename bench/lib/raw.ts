/**
 * The ceilings: how fast the raw @platformatic/kafka client and Java's own perf tools move records on the same
 * broker. tsconnect's source and sink tasks are measured against these.
 */
import { randomBytes } from 'node:crypto'
import { createAdmin, createFetchClient, createProducer } from '../../src/kafka/clients.ts'
import { fetchPartition } from '../../src/kafka/fetch.ts'
import { runJava } from '../../tools/kafka/jvm.ts'
import type { BenchContext, ResultRow } from './harness.ts'

/** Creates a topic with the given partitions and replication factor on the benchmark broker. */
export async function createTopic(ctx: BenchContext, topic: string, partitions = 1, replicas = 1): Promise<void> {
  const admin = createAdmin({ 'bootstrap.servers': ctx.bootstrap })
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas })
  } finally {
    await admin.close()
  }
}

/** Reads topics' end offsets on one connection, for polling how far a topic has been filled. */
export interface EndOffsets {
  /** The sum of a topic's end offsets: how many records it holds when nothing was deleted. */
  total(topic: string): Promise<number>
  close(): Promise<void>
}

/** Opens an EndOffsets reader on the benchmark broker. */
export function endOffsets(ctx: BenchContext): EndOffsets {
  const consumer = createFetchClient({ 'bootstrap.servers': ctx.bootstrap, 'client.id': 'bench-end-offsets' })
  return {
    async total(topic) {
      const metadata = await consumer.metadata({ topics: [topic] })
      const count = metadata.topics.get(topic)?.partitionsCount ?? 1
      const partitions = Array.from({ length: count }, (_, i) => i)
      const answer = await consumer.listOffsets({
        topics: [topic],
        partitions: { [topic]: partitions },
        timestamp: -1n,
      })
      return (answer.get(topic) ?? []).reduce((sum: number, o) => sum + Number(o), 0)
    },
    close: () => consumer.close(),
  }
}

/** Options of rawProduce. */
export interface RawProduceOptions {
  /** Records per send (1000). */
  batch?: number
  /** Sends in flight at once (4). */
  inFlight?: number
  /** The value of every record (default: `size` random bytes). */
  value?: Buffer
}

/**
 * Produces `records` values of `size` random bytes with the raw client (acks=all, idempotent, the settings a
 * source task uses), `batch` records per send and up to `inFlight` sends at once.
 */
export async function rawProduce(
  ctx: BenchContext,
  topic: string,
  records: number,
  size: number,
  opts: RawProduceOptions = {},
): Promise<ResultRow> {
  const batch = opts.batch ?? 1000
  const inFlight = opts.inFlight ?? 4
  const producer = createProducer({ 'bootstrap.servers': ctx.bootstrap, 'client.id': 'bench-raw-producer' })
  const value = opts.value ?? randomBytes(size)
  try {
    await producer.send({ messages: [{ topic, value }] }) // connect and fetch metadata outside the timing
    const started = process.hrtime.bigint()
    const pending = new Set<Promise<unknown>>()
    for (let sent = 0; sent < records; sent += batch) {
      const count = Math.min(batch, records - sent)
      const messages = Array.from({ length: count }, () => ({ topic, value }))
      const send = producer.send({ messages }).finally(() => pending.delete(send))
      pending.add(send)
      if (pending.size >= inFlight) await Promise.race(pending)
    }
    await Promise.all(pending)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    return { subject: '@platformatic/kafka producer', recordSize: size, records, seconds }
  } finally {
    await producer.close()
  }
}

/** Reads every record of a topic from the beginning with the raw client's fetch, as a sink's consumer would. */
export async function rawConsume(ctx: BenchContext, topic: string, records: number, size: number): Promise<ResultRow> {
  const consumer = createFetchClient({ 'bootstrap.servers': ctx.bootstrap, 'client.id': 'bench-raw-consumer' })
  try {
    const metadata = await consumer.metadata({ topics: [topic] })
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 1
    const started = process.hrtime.bigint()
    let seen = 0
    for (let p = 0; p < partitions; p++) {
      let offset = 0n
      for (;;) {
        const fetched = await fetchPartition(consumer, topic, p, offset, { maxBytes: 8 * 1024 * 1024, maxWaitMs: 100 })
        seen += fetched.records.length
        offset = fetched.nextOffset
        if (offset >= fetched.highWatermark) break
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    if (seen < records) throw new Error(`raw consumer read ${seen} records, expected at least ${records}`)
    return { subject: '@platformatic/kafka fetch', recordSize: size, records: seen, seconds }
  } finally {
    await consumer.close()
  }
}

/**
 * Java's kafka-producer-perf-test (ProducerPerformance) with acks=all. batch.size is raised from the 16 KiB default
 * to 256 KiB: a ceiling should not be held back by small batches (1 KB records would make batches of 16).
 */
export async function javaProduce(ctx: BenchContext, topic: string, records: number, size: number): Promise<ResultRow> {
  const out = await runJava(ctx.install, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(size),
    '--throughput',
    '-1',
    '--bootstrap-server',
    ctx.bootstrap,
    '--producer-props',
    'acks=all',
    'batch.size=262144',
    'linger.ms=5',
  ])
  // The last summary line: "N records sent, X records/sec (Y MB/sec), Z ms avg latency, ..."
  const match = [
    ...out.matchAll(/(\d+) records sent, ([\d.]+) records\/sec \([\d.]+ MB\/sec\), ([\d.]+) ms avg latency/g),
  ].at(-1)
  if (!match) throw new Error(`unexpected ProducerPerformance output:\n${out}`)
  const sent = Number(match[1])
  return {
    subject: 'Java ProducerPerformance',
    recordSize: size,
    records: sent,
    seconds: sent / Number(match[2]),
    extra: { avgLatencyMs: Number(match[3]) },
  }
}

/** Java's kafka-consumer-perf-test (ConsumerPerformance); the time counted is its fetch time (no group join). */
export async function javaConsume(ctx: BenchContext, topic: string, records: number, size: number): Promise<ResultRow> {
  const out = await runJava(ctx.install, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    ctx.bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--group',
    ctx.topicName('java-consumer-perf'),
    '--timeout',
    '60000',
  ])
  // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  //      fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = out
    .trim()
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .at(-1)
  const cells = line?.split(',').map((c) => c.trim())
  if (!cells || cells.length < 10) throw new Error(`unexpected ConsumerPerformance output:\n${out}`)
  const consumed = Number(cells[4])
  return {
    subject: 'Java ConsumerPerformance',
    recordSize: size,
    records: consumed,
    seconds: Number(cells[7]) / 1000,
    extra: { rebalanceMs: Number(cells[6]) },
  }
}
