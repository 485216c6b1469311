/**
 * One source task and one sink task of the worker, against the raw @platformatic/kafka producer and consumer on
 * the same broker in the same run (the ceilings), for 100 B and 1 KB records.
 *
 * worker-source: a synthetic in-memory SourceTask (batches of 1000 byte records, ByteArrayConverter) and a
 * FileStreamSource reading a file of lines (StringConverter), each timed from start() to the last acknowledgement.
 * worker-sink: a SinkTask that counts what it is given (ByteArrayConverter) on the worker's consumer group member,
 * timed from the first record to the last (the group join is reported apart, as `join ms`).
 * Offsets and statuses go to in-memory stores, so only the data path is measured.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { SinkConnector, SourceConnector } from '../../src/api/connector.ts'
import type { SinkRecord } from '../../src/api/records.ts'
import { SourceRecord } from '../../src/api/records.ts'
import { SinkTask, SourceTask } from '../../src/api/task.ts'
import { ConfigDef } from '../../src/config/config-def.ts'
import { parseWorkerConfig } from '../../src/config/connect/worker-config.ts'
import { fileStreamPlugins } from '../../src/connectors/file/plugins.ts'
import { builtinConverterPlugins } from '../../src/converters/plugins.ts'
import { Schema } from '../../src/data/schema.ts'
import { renderPrometheus } from '../../src/metrics/prometheus.ts'
import { MetricsRegistry } from '../../src/metrics/registry.ts'
import { PluginRegistry } from '../../src/plugins/registry.ts'
import { createMemoryOffsetStore, createMemoryStatusStore, MemoryCluster } from '../../src/stores/memory-stores.ts'
import { SourceTaskMetrics, TaskMetrics } from '../../src/worker/task-metrics.ts'
import { Worker } from '../../src/worker/worker.ts'
import type { BenchContext, ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, rawConsume, rawProduce } from '../lib/raw.ts'

/** Settings of the synthetic source, set per run (plugins are created by class). */
const synthetic = { records: 0, size: 100, topic: '' }
/** What the counting sink saw. */
const counting = { seen: 0, firstAt: 0n, lastAt: 0n, target: 0, done: () => {} }

const PARTITION = Object.freeze({ source: 'synthetic' })

class SyntheticTask extends SourceTask {
  #sent = 0
  #value = Buffer.alloc(0)
  version() {
    return 'bench'
  }
  start() {
    this.#value = randomBytes(synthetic.size)
  }
  async poll() {
    if (this.#sent >= synthetic.records) {
      await new Promise((r) => setTimeout(r, 50))
      return null
    }
    const n = Math.min(1000, synthetic.records - this.#sent)
    const out: SourceRecord[] = []
    for (let i = 0; i < n; i++) {
      this.#sent++
      out.push(
        new SourceRecord({
          sourcePartition: PARTITION,
          sourceOffset: { n: this.#sent },
          topic: synthetic.topic,
          valueSchema: Schema.BYTES_SCHEMA,
          value: this.#value,
        }),
      )
    }
    return out
  }
  stop() {}
}

class SyntheticSource extends SourceConnector {
  version() {
    return 'bench'
  }
  start() {}
  taskClass() {
    return SyntheticTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

class CountingTask extends SinkTask {
  version() {
    return 'bench'
  }
  start() {}
  put(records: readonly SinkRecord[]) {
    if (records.length === 0) return
    if (counting.seen === 0) counting.firstAt = process.hrtime.bigint()
    counting.seen += records.length
    if (counting.seen >= counting.target) {
      counting.lastAt = process.hrtime.bigint()
      counting.done()
    }
  }
  stop() {}
}

class CountingSink extends SinkConnector {
  version() {
    return 'bench'
  }
  start() {}
  taskClass() {
    return CountingTask
  }
  taskConfigs() {
    return [{}]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** Worker options of an exactly-once run: the worker's offsets topic, and no herder (nothing to fence, one owner). */
interface ExactlyOnceRun {
  offsetsTopic: string
}

async function newWorker(ctx: BenchContext, eos?: ExactlyOnceRun, metrics?: MetricsRegistry) {
  const cluster = new MemoryCluster()
  const offsetStore = createMemoryOffsetStore(cluster)
  const statusStore = createMemoryStatusStore(cluster)
  await Promise.all([offsetStore.start(), statusStore.start()])
  const plugins = new PluginRegistry([
    ...builtinConverterPlugins(),
    ...fileStreamPlugins(),
    { type: 'source', plugin: SyntheticSource },
    { type: 'sink', plugin: CountingSink },
  ])
  const worker = new Worker({
    workerId: 'bench:8083',
    config: parseWorkerConfig({
      'bootstrap.servers': ctx.bootstrap,
      'group.id': ctx.topicName('bench-group'),
      // The stores are in memory: the topic names only satisfy the worker config.
      'config.storage.topic': 'bench-configs',
      'offset.storage.topic': eos ? eos.offsetsTopic : 'bench-offsets',
      'status.storage.topic': 'bench-status',
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'offset.flush.interval.ms': '10000',
    }),
    plugins,
    offsetStore,
    statusStore,
    ...(eos ? { exactlyOnce: { fenceZombies: async () => {}, verifyStillOwned: async () => {} } } : {}),
    ...(metrics ? { metrics } : {}),
    logger: pino({ level: 'warn' }),
  })
  return {
    worker,
    statusStore,
    async stop() {
      await worker.stop()
      await Promise.all([offsetStore.stop(), statusStore.stop()])
    },
  }
}

async function timeSource(
  ctx: BenchContext,
  subject: string,
  size: number,
  records: number,
  config: Record<string, string>,
  eos?: ExactlyOnceRun,
  metrics?: MetricsRegistry,
): Promise<ResultRow> {
  const w = await newWorker(ctx, eos, metrics)
  const id = { connector: config.name ?? 'bench', task: 0 }
  try {
    const started = process.hrtime.bigint()
    await w.worker.startTask(id, config, config, 'STARTED')
    for (;;) {
      const stats = w.worker.taskStats(id) as { sent: number } | undefined
      if ((stats?.sent ?? 0) >= records) break
      const status = w.statusStore.task(id.connector, 0)
      if (status?.state === 'FAILED') throw new Error(`${subject} failed: ${status.trace}`)
      await new Promise((r) => setTimeout(r, 5))
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    return {
      subject,
      recordSize: size,
      records,
      seconds,
      extra: { rssMB: Math.round(process.memoryUsage().rss / 1e6) },
    }
  } finally {
    await w.stop()
  }
}

export const workerSource: Scenario = {
  name: 'worker-source',
  description: 'one source task (synthetic and FileStreamSource) vs the raw producer, 100 B and 1 KB records',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    const dir = mkdtempSync(join(tmpdir(), 'bench-file-'))
    try {
      for (const size of [100, 1000]) {
        const rawTopic = ctx.topicName('raw-produce')
        await createTopic(ctx, rawTopic)
        ctx.progress(`@platformatic/kafka producer, ${records} x ${size} B`)
        rows.push(await rawProduce(ctx, rawTopic, records, size))

        const topic = ctx.topicName('worker-source')
        await createTopic(ctx, topic)
        Object.assign(synthetic, { records, size, topic })
        ctx.progress(`synthetic source task, ${records} x ${size} B`)
        rows.push(
          await timeSource(ctx, 'tsconnect source task (synthetic)', size, records, {
            name: `synthetic-${size}`,
            'connector.class': 'SyntheticSource',
          }),
        )

        const fileTopic = ctx.topicName('worker-file-source')
        await createTopic(ctx, fileTopic)
        const file = join(dir, `lines-${size}.txt`)
        const line = 'x'.repeat(size - 1)
        writeFileSync(file, `${line}\n`.repeat(records))
        ctx.progress(`FileStreamSource task, ${records} lines of ${size} B`)
        rows.push(
          await timeSource(ctx, 'tsconnect FileStreamSource task', size, records, {
            name: `file-${size}`,
            'connector.class': 'FileStreamSource',
            file,
            topic: fileTopic,
            'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
          }),
        )
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    return rows
  },
}

export const workerSink: Scenario = {
  name: 'worker-sink',
  description: 'one sink task on the worker consumer group vs the raw consumer fetch, 100 B and 1 KB records',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    for (const size of [100, 1000]) {
      const topic = ctx.topicName('worker-sink')
      await createTopic(ctx, topic)
      ctx.progress(`filling ${topic} with ${records} x ${size} B`)
      await rawProduce(ctx, topic, records, size)
      ctx.progress(`@platformatic/kafka fetch, ${records} x ${size} B`)
      rows.push(await rawConsume(ctx, topic, records, size))

      ctx.progress(`sink task, ${records} x ${size} B`)
      const w = await newWorker(ctx)
      try {
        const done = new Promise<void>((resolve) => {
          Object.assign(counting, { seen: 0, firstAt: 0n, lastAt: 0n, target: records, done: resolve })
        })
        const started = process.hrtime.bigint()
        const config = { name: `sink-${size}`, 'connector.class': 'CountingSink', topics: topic }
        await w.worker.startTask({ connector: config.name, task: 0 }, config, config, 'STARTED')
        await done
        rows.push({
          subject: 'tsconnect sink task',
          recordSize: size,
          records,
          seconds: Number(counting.lastAt - counting.firstAt) / 1e9,
          extra: {
            'join ms': Math.round(Number(counting.firstAt - started) / 1e6),
            rssMB: Math.round(process.memoryUsage().rss / 1e6),
          },
        })
      } finally {
        await w.stop()
      }
    }
    return rows
  },
}

export const workerSourceMemory: Scenario = {
  name: 'worker-source-memory',
  description: 'one synthetic source task over many records (default 10M x 100 B): heap after each tenth',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 10_000_000)
    const size = 100
    const topic = ctx.topicName('worker-source-memory')
    await createTopic(ctx, topic)
    Object.assign(synthetic, { records, size, topic })
    const w = await newWorker(ctx)
    const id = { connector: 'memory', task: 0 }
    const heap: Record<string, number> = {}
    try {
      const started = process.hrtime.bigint()
      await w.worker.startTask(id, { 'connector.class': 'SyntheticSource' }, {}, 'STARTED')
      let nextTenth = 1
      for (;;) {
        const sent = (w.worker.taskStats(id) as { sent: number } | undefined)?.sent ?? 0
        while (sent >= (records * nextTenth) / 10 && nextTenth <= 10) {
          heap[`heapMB@${nextTenth * 10}%`] = Math.round(process.memoryUsage().heapUsed / 1e6)
          ctx.progress(`${sent} records, heap ${heap[`heapMB@${nextTenth * 10}%`]} MB`)
          nextTenth++
        }
        if (sent >= records) break
        const status = w.statusStore.task('memory', 0)
        if (status?.state === 'FAILED') throw new Error(`the task failed: ${status.trace}`)
        await new Promise((r) => setTimeout(r, 20))
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      return [{ subject: 'tsconnect source task (synthetic)', recordSize: size, records, seconds, extra: heap }]
    } finally {
      await w.stop()
    }
  },
}

export const workerSourceEos: Scenario = {
  name: 'worker-source-eos',
  description: 'one synthetic source task at-least-once vs exactly-once (transaction.boundary poll and interval)',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    for (const size of [100, 1000]) {
      const offsetsTopic = ctx.topicName('eos-offsets')
      await createTopic(ctx, offsetsTopic)
      const runs: [string, Record<string, string>, ExactlyOnceRun | undefined][] = [
        ['tsconnect source task, at-least-once', {}, undefined],
        ['tsconnect source task, exactly-once (poll)', {}, { offsetsTopic }],
        [
          'tsconnect source task, exactly-once (interval 1 s)',
          { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '1000' },
          { offsetsTopic },
        ],
      ]
      for (const [subject, extra, eos] of runs) {
        const topic = ctx.topicName('worker-source-eos')
        await createTopic(ctx, topic)
        Object.assign(synthetic, { records, size, topic })
        ctx.progress(`${subject}, ${records} x ${size} B`)
        rows.push(
          await timeSource(
            ctx,
            subject,
            size,
            records,
            { name: `synthetic-${size}`, 'connector.class': 'SyntheticSource', ...extra },
            eos,
          ),
        )
      }
    }
    return rows
  },
}

/** A median of numbers. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

/**
 * The synthetic source task with and without metrics (tsconnect.metrics.enable), runs alternating so that the
 * machine's load falls on both alike; with metrics, the registry is also rendered every second, as a scrape would.
 * Reports each run and the median throughput of each, and the cost in per cent.
 */
export const workerMetrics: Scenario = {
  name: 'worker-metrics',
  description: 'one synthetic source task with and without metrics (median of alternating runs): the cost of measuring',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rounds = Number(ctx.options.runs ?? 3)
    const size = 100
    const rows: ResultRow[] = []
    const rates: Record<'with' | 'without', number[]> = { with: [], without: [] }
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
        const topic = ctx.topicName('worker-metrics')
        await createTopic(ctx, topic)
        Object.assign(synthetic, { records, size, topic })
        const metrics = mode === 'with' ? new MetricsRegistry() : undefined
        const scrapes = metrics ? setInterval(() => renderPrometheus(metrics.collect()), 1000) : undefined
        ctx.progress(`round ${round + 1}: synthetic source task ${mode} metrics, ${records} x ${size} B`)
        try {
          const row = await timeSource(
            ctx,
            `source task, ${mode} metrics`,
            size,
            records,
            { name: `metrics-${round}-${mode}`, 'connector.class': 'SyntheticSource' },
            undefined,
            metrics,
          )
          rates[mode].push(records / row.seconds)
          rows.push(row)
        } finally {
          clearInterval(scrapes)
        }
      }
    }
    // The recording itself, apart from the machine's noise: what a source task's metrics cost per batch.
    const registry = new MetricsRegistry()
    const id = { connector: 'cost', task: 0 }
    const source = new SourceTaskMetrics(new TaskMetrics(registry, id, 'RUNNING'), id)
    const calls = 1_000_000
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) {
      source.poll(1000, 1)
      source.write(1000, 0)
    }
    const perBatchNs = Number(process.hrtime.bigint() - t0) / calls
    const without = median(rates.without)
    const withMetrics = median(rates.with)
    rows.push({
      subject: 'median: with metrics vs without',
      recordSize: size,
      records,
      seconds: records / withMetrics,
      extra: {
        'without rec/s': Math.round(without),
        'with rec/s': Math.round(withMetrics),
        'cost %': Number((((without - withMetrics) / without) * 100).toFixed(2)),
        'recording ns/batch': Math.round(perBatchNs),
        'recording % of a record': Number((((perBatchNs / 1000) * without) / 1e7).toFixed(4)),
      },
    })
    return rows
  },
}
