/**
 * The Redis and HTTP connector packages through one tsconnect worker: messages per second and the worker's RSS for
 * each source and sink, timed from POST /connectors until the target holds every record.
 *
 * - Redis sink (STREAM): a topic of N JSON values → XADD, until XLEN reaches N.
 * - Redis stream source: a stream of N entries → a topic, until its end offset reaches N.
 * - HTTP sink (batches of 500): a topic of N values → a local server, until it received N lines.
 * - HTTP polling source: a local server listing N elements in pages of 500 → a topic.
 * - Webhook source: 16 callers POST N / 10 requests, each waiting for its 200 (the record is in Kafka).
 *
 * Redis is the machine's (TSCONNECT_TEST_REDIS_URL or 127.0.0.1:6379), under a key prefix of the run that is
 * removed afterwards. `--records N` (default 20000).
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { type ConnectNode, createConnector, rest, startNode } from '../lib/connect.ts'
import type { ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, endOffsets, rawProduce } from '../lib/raw.ts'

const PLUGIN_PATH = ['redis', 'http'].map((f) => new URL(`../../connectors/${f}`, import.meta.url).pathname).join(',')

/** VmRSS of a process in MB (10^6 bytes), from /proc. */
function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return (Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) * 1024) / 1e6
}

async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Polls `done` until it holds, failing after `timeoutMs` or when the connector's task FAILED. */
async function until(node: ConnectNode, name: string, done: () => Promise<boolean> | boolean, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    const status = (await rest(`${node.url}/connectors/${name}/status`)).body as {
      tasks?: { state: string; trace?: string }[]
    }
    const failed = status?.tasks?.find((t) => t.state === 'FAILED')
    if (failed) throw new Error(`${name} failed: ${(failed.trace ?? '').split('\n')[0]}`)
    if (Date.now() > deadline) throw new Error(`${name}: not done after ${timeoutMs} ms`)
    await sleep(50)
  }
}

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
}

export const messaging: Scenario = {
  name: 'redis-http',
  description: 'Redis and HTTP sources and sinks through one tsconnect worker: messages/s and worker RSS',
  baselines: [],
  targets: [],
  async run(ctx) {
    const records = Number(ctx.options.records ?? 20_000)
    const rows: ResultRow[] = []
    const redisUrl = process.env.TSCONNECT_TEST_REDIS_URL || 'redis://127.0.0.1:6379'
    const redis = new Redis(redisUrl)
    const prefix = `${ctx.topicName('bench')}:`
    const ends = endOffsets(ctx)
    let lines = 0
    const items = Array.from({ length: records }, (_, id) => ({ id, payload: 'x'.repeat(80) }))
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        if (req.method === 'GET') {
          const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? '-1')
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ items: items.slice(after + 1, after + 501) }))
          return
        }
        lines += Buffer.concat(chunks)
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== '').length
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    ctx.progress('starting a tsconnect worker with the redis and http packages')
    const groupId = ctx.topicName('messaging')
    const node = await startNode(ctx, {
      runtime: 'tsconnect',
      dir: join(ctx.dir, groupId),
      groupId,
      tsconnectPluginPath: PLUGIN_PATH,
    })
    const timed = async (
      subject: string,
      count: number,
      name: string,
      config: Record<string, string>,
      done: () => Promise<boolean> | boolean,
    ) => {
      ctx.progress(`${subject}, ${count} records`)
      const started = process.hrtime.bigint()
      await createConnector(node.url, name, config)
      await until(node, name, done)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      rows.push({ subject, recordSize: 100, records: count, seconds, extra: { rssMB: Math.round(rssMB(node.pid)) } })
      await rest(`${node.url}/connectors/${name}`, 'DELETE')
    }
    const sinkTopic = ctx.topicName('messaging-sink')
    try {
      await createTopic(ctx, sinkTopic)
      await rawProduce(ctx, sinkTopic, records - 1, 100, {
        value: Buffer.from(JSON.stringify({ payload: 'x'.repeat(86) })),
      })

      await timed(
        'Redis sink (STREAM)',
        records,
        'redis-sink',
        {
          'connector.class': 'com.redis.kafka.connect.RedisSinkConnector',
          topics: sinkTopic,
          'redis.uri': redisUrl,
          'redis.type': 'STREAM',
          'redis.keyspace': `${prefix}sink`,
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
        async () => (await redis.xlen(`${prefix}sink`)) >= records,
      )

      const stream = `${prefix}source`
      for (let i = 0; i < records; i += 1000) {
        const batch = redis.pipeline()
        for (let j = i; j < Math.min(i + 1000, records); j++) batch.xadd(stream, '*', 'payload', 'x'.repeat(80))
        await batch.exec()
      }
      const streamTopic = ctx.topicName('messaging-stream')
      await createTopic(ctx, streamTopic)
      await timed(
        'Redis stream source',
        records,
        'redis-stream',
        {
          'connector.class': 'com.redis.kafka.connect.RedisStreamSourceConnector',
          'redis.uri': redisUrl,
          'redis.stream.name': stream,
          topic: streamTopic,
          ...STRINGS,
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        },
        async () => (await ends.total(streamTopic)) >= records,
      )

      await timed(
        'HTTP sink (batches of 500)',
        records,
        'http-sink',
        {
          'connector.class': 'io.tsconnect.http.HttpSinkConnector',
          topics: sinkTopic,
          'http.url': `${base}/sink`,
          'batching.enabled': 'true',
          'batch.max.size': '500',
          ...STRINGS,
        },
        () => lines >= records,
      )

      const pollTopic = ctx.topicName('messaging-poll')
      await createTopic(ctx, pollTopic)
      await timed(
        'HTTP polling source (pages of 500)',
        records,
        'http-poll',
        {
          'connector.class': 'HttpSource',
          'kafka.topic': pollTopic,
          'http.request.url': `${base}/items?after=${'$'}{offset.key}`,
          'http.offset.initial': 'key=-1',
          'http.response.list.pointer': '/items',
          'http.response.record.offset.pointer': 'key=/id',
          'http.timer.catchup.interval.millis': '0',
          'http.timer.interval.millis': '1000',
          ...STRINGS,
        },
        async () => (await ends.total(pollTopic)) >= records,
      )

      const hooks = Math.max(1, Math.floor(records / 10))
      const port = await freePort()
      const hookTopic = ctx.topicName('messaging-webhook')
      await createTopic(ctx, hookTopic)
      let answered = 0
      let sending: Promise<unknown> | null = null
      await timed(
        'Webhook source (16 callers, 200 after Kafka)',
        hooks,
        'webhook',
        {
          'connector.class': 'WebhookSource',
          topic: hookTopic,
          'webhook.port': String(port),
          'webhook.host': '127.0.0.1',
          ...STRINGS,
        },
        async () => {
          sending ??= Promise.all(
            Array.from({ length: 16 }, async (_, c) => {
              for (let i = c; i < hooks; i += 16) {
                for (;;) {
                  const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(100) })
                    .then(async (r) => {
                      await r.text()
                      return r.status === 200
                    })
                    .catch(() => false)
                  if (ok) break
                  await sleep(50)
                }
                answered++
              }
            }),
          )
          return answered >= hooks
        },
      )
      await sending
    } finally {
      await ends.close()
      await node.stop()
      server.closeAllConnections()
      server.close()
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        if (keys.length > 0) await redis.del(...keys)
        cursor = next
      } while (cursor !== '0')
      await redis.del(`com.redis.kafka.connect.sink.offset.${sinkTopic}.0`)
      redis.disconnect()
    }
    return rows
  },
}
