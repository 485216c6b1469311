/**
 * Source and sink throughput through a real worker, side by side: one tsconnect connect-distributed process and
 * one Java Connect worker, each alone in its own group, run the same FileStream connector config (StringConverter
 * for keys and values, the connector's defaults otherwise) on the same broker in the same run, against the raw
 * client ceilings (Java's perf tools and @platformatic/kafka).
 *
 * connect-source: a file of N lines of `size` bytes (the newline included) → FileStreamSource → a 1-partition topic,
 * timed from POST /connectors until the topic's end offset reaches N.
 * connect-sink: a 1-partition topic filled beforehand with N printable values → FileStreamSink, timed from
 * POST /connectors until the file holds N lines (so the sink's group join is in the time, as a user sees it).
 *
 * `--runtime tsconnect|java` measures one runtime only; `--records N` (default 200000). `--java-plugins` runs
 * Kafka's own Java FileStream connectors under tsconnect too, through the JVM plugin host (docs/java-plugins.md),
 * so both runtimes run the same Java connector; each row then carries the worker's RSS at the end of the run
 * (tsconnect: the Node process plus the host JVM).
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type ConnectNode, createConnector, RUNTIME_LABEL, type Runtime, rest, startNode } from '../lib/connect.ts'
import type { BenchContext, RatioTarget, ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, endOffsets, javaConsume, javaProduce, rawConsume, rawProduce } from '../lib/raw.ts'

const SIZES = [100, 1000]

/** The runtimes a run measures (--runtime picks one). */
export function runtimesOf(ctx: BenchContext): Runtime[] {
  const only = ctx.options.runtime
  if (only === 'tsconnect' || only === 'java') return [only]
  if (only !== undefined) throw new Error(`--runtime must be tsconnect or java, not ${String(only)}`)
  return ['tsconnect', 'java']
}

/** One worker per runtime, each its own cluster, started before anything is timed. */
async function startWorkers(ctx: BenchContext, kind: string): Promise<Map<Runtime, ConnectNode>> {
  const nodes = new Map<Runtime, ConnectNode>()
  for (const runtime of runtimesOf(ctx)) {
    ctx.progress(`starting a ${RUNTIME_LABEL[runtime]} worker`)
    const groupId = ctx.topicName(`${kind}-${runtime}`)
    const javaPlugins = runtime === 'tsconnect' && ctx.options['java-plugins'] ? ctx.install.pluginPath : undefined
    nodes.set(
      runtime,
      await startNode(ctx, {
        runtime,
        dir: join(ctx.dir, groupId),
        groupId,
        ...(javaPlugins ? { tsconnectPluginPath: javaPlugins } : {}),
      }),
    )
  }
  return nodes
}

/**
 * Polls `done` every 20 ms until it holds; every 2 s asks the worker whether the connector failed, so that a broken
 * run says why instead of timing out.
 */
async function until(node: ConnectNode, name: string, timeoutMs: number, done: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + timeoutMs
  let nextCheck = Date.now() + 2000
  while (!(await done())) {
    if (Date.now() > nextCheck) {
      nextCheck = Date.now() + 2000
      const failed = await failure(node, name)
      if (failed) throw new Error(`${RUNTIME_LABEL[node.runtime]} ${name} failed: ${failed}`)
    }
    if (Date.now() > deadline) throw new Error(`${RUNTIME_LABEL[node.runtime]} ${name}: not done after ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** The RSS in MB of a process and its children (a tsconnect worker's JVM plugin host), from /proc. */
function treeRssMB(pid: number): number {
  const kb = (p: number) => {
    try {
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      return 0
    }
  }
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    children = []
  }
  return ((kb(pid) + children.reduce((sum, c) => sum + kb(c), 0)) * 1024) / 1e6
}

/** The row's subject: which runtime, and whether tsconnect ran the Java connector. */
function subject(ctx: BenchContext, runtime: Runtime, connector: string): string {
  const java = runtime === 'tsconnect' && ctx.options['java-plugins'] ? ' (Java plugin)' : ''
  return `${RUNTIME_LABEL[runtime]} ${connector}${java}`
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** The worker's own connector failure, if any, so that a broken run says why instead of timing out. */
async function failure(node: ConnectNode, name: string): Promise<string | undefined> {
  const r = await rest(`${node.url}/connectors/${name}/status`)
  const body = r.body as { connector?: { state: string; trace?: string }; tasks?: { state: string; trace?: string }[] }
  const failed = [body?.connector, ...(body?.tasks ?? [])].find((s) => s?.state === 'FAILED')
  return failed ? (failed.trace ?? 'FAILED').split('\n').slice(0, 3).join(' ') : undefined
}

function targets(ceiling: RegExp): RatioTarget[] {
  return [
    { subject: /^tsconnect /, against: /^Java Connect /, min: 1.5, label: '>= 1.5x Java Connect' },
    { subject: /^tsconnect /, against: ceiling, min: 0.7, label: '>= 70 % of the @platformatic/kafka ceiling' },
  ]
}

export const connectSource: Scenario = {
  name: 'connect-source',
  description: 'FileStreamSource through a tsconnect process vs a Java Connect worker vs the raw producers',
  baselines: [
    { label: 'vs Java Connect', match: /^Java Connect / },
    { label: 'vs platformatic', match: /^@platformatic\/kafka producer/ },
    { label: 'vs Java producer', match: /^Java ProducerPerformance/ },
  ],
  targets: targets(/^@platformatic\/kafka producer/),
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    const nodes = await startWorkers(ctx, 'source')
    const ends = endOffsets(ctx)
    try {
      for (const size of SIZES) {
        ctx.progress(`Java ProducerPerformance, ${records} x ${size} B`)
        const javaTopic = ctx.topicName('java-produce')
        await createTopic(ctx, javaTopic)
        rows.push(await javaProduce(ctx, javaTopic, records, size))
        ctx.progress(`@platformatic/kafka producer, ${records} x ${size} B`)
        const rawTopic = ctx.topicName('raw-produce')
        await createTopic(ctx, rawTopic)
        rows.push(await rawProduce(ctx, rawTopic, records, size))

        const file = join(ctx.dir, `lines-${size}.txt`)
        writeLines(file, size, records)
        for (const [runtime, node] of nodes) {
          const topic = ctx.topicName(`file-source-${runtime}`)
          await createTopic(ctx, topic)
          const name = `file-source-${runtime}-${size}`
          ctx.progress(`${RUNTIME_LABEL[runtime]} FileStreamSource, ${records} lines of ${size} B`)
          const started = process.hrtime.bigint()
          await createConnector(node.url, name, {
            'connector.class': 'FileStreamSource',
            'tasks.max': '1',
            file,
            topic,
          })
          await until(node, name, 600_000, async () => (await ends.total(topic)) >= records)
          const seconds = Number(process.hrtime.bigint() - started) / 1e9
          rows.push({
            subject: subject(ctx, runtime, 'FileStreamSource'),
            recordSize: size,
            records,
            seconds,
            extra: { rssMB: Math.round(treeRssMB(node.pid)) },
          })
          await rest(`${node.url}/connectors/${name}`, 'DELETE')
        }
      }
    } finally {
      await ends.close()
      await Promise.all([...nodes.values()].map((n) => n.stop()))
    }
    return rows
  },
}

export const connectSink: Scenario = {
  name: 'connect-sink',
  description: 'FileStreamSink through a tsconnect process vs a Java Connect worker vs the raw consumers',
  baselines: [
    { label: 'vs Java Connect', match: /^Java Connect / },
    { label: 'vs platformatic', match: /^@platformatic\/kafka fetch/ },
    { label: 'vs Java consumer', match: /^Java ConsumerPerformance/ },
  ],
  targets: targets(/^@platformatic\/kafka fetch/),
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    const nodes = await startWorkers(ctx, 'sink')
    try {
      for (const size of SIZES) {
        const topic = ctx.topicName('file-sink')
        await createTopic(ctx, topic)
        ctx.progress(`filling ${topic} with ${records} x ${size} B`)
        // Printable values: the sink writes them as text lines, so their size on disk is known.
        await rawProduce(ctx, topic, records, size, { value: Buffer.from('x'.repeat(size - 1)) })
        ctx.progress(`Java ConsumerPerformance, ${records} x ${size} B`)
        rows.push(await javaConsume(ctx, topic, records, size))
        ctx.progress(`@platformatic/kafka fetch, ${records} x ${size} B`)
        rows.push(await rawConsume(ctx, topic, records, size))

        for (const [runtime, node] of nodes) {
          const file = join(ctx.dir, `sink-${runtime}-${size}.txt`)
          // Named per runtime: a sink connector's consumer group is connect-<name>, on the one broker both share.
          const name = `file-sink-${runtime}-${size}`
          ctx.progress(`${RUNTIME_LABEL[runtime]} FileStreamSink, ${records} x ${size} B`)
          const started = process.hrtime.bigint()
          await createConnector(node.url, name, {
            'connector.class': 'FileStreamSink',
            'tasks.max': '1',
            file,
            topics: topic,
          })
          await until(node, name, 600_000, () => fileBytes(file) >= records * size)
          const seconds = Number(process.hrtime.bigint() - started) / 1e9
          rows.push({
            subject: subject(ctx, runtime, 'FileStreamSink'),
            recordSize: size,
            records,
            seconds,
            extra: { rssMB: Math.round(treeRssMB(node.pid)) },
          })
          await rest(`${node.url}/connectors/${name}`, 'DELETE')
        }
      }
    } finally {
      await Promise.all([...nodes.values()].map((n) => n.stop()))
    }
    return rows
  },
}

/** Writes `records` lines of `size` bytes in chunks: one string of them all can pass V8's maximum string length. */
function writeLines(file: string, size: number, records: number): void {
  const perChunk = Math.max(1, Math.floor((16 << 20) / size))
  const line = `${'x'.repeat(size - 1)}\n`
  writeFileSync(file, '')
  for (let written = 0; written < records; written += perChunk) {
    appendFileSync(file, line.repeat(Math.min(perChunk, records - written)))
  }
}
