/**
 * Sink throughput into object storage and search: a tsconnect connect-distributed process runs the S3 sink
 * (JsonFormat, into S3Proxy) and the search sink (Confluent's class, into OpenSearch 2.19), each on a 1-partition
 * topic filled beforehand with N JSON records of `size` bytes, timed from POST /connectors until everything is in
 * the store: all N/flush.size objects in the bucket, or N documents counted in the index. Both services are the
 * test services (tools/services/), started by the scenario unless their TSCONNECT_TEST_* variables are set. There is no Java twin to run beside them here (Confluent's
 * connectors are not on Maven Central), so the rows stand alone.
 *
 * `--records N` (default 100000).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { startServices } from '../../tools/services/registry.ts'
import { createConnector, rest, startNode } from '../lib/connect.ts'
import type { ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, rawProduce } from '../lib/raw.ts'

const SIZE = 1000
const FLUSH_SIZE = 10_000

async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  // S3Proxy's filesystem store can fail a listing that races an upload (a file without its attributes yet): ask again.
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms`)
    await sleep(100)
  }
}

/** A JSON record of exactly `size` bytes: {"seq":n,"pad":"xxx..."}. */
function jsonValue(size: number): Buffer {
  const head = '{"seq":0,"pad":"'
  return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`)
}

export const storageSinks: Scenario = {
  name: 'storage-sinks',
  description: 'S3 sink into S3Proxy and search sink into OpenSearch through a tsconnect process',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 100_000)
    const rows: ResultRow[] = []
    // Services already running (`npm run services -- start s3 opensearch`, then its env) are used as they are.
    const running = process.env.TSCONNECT_TEST_S3_ENDPOINT && process.env.TSCONNECT_TEST_OPENSEARCH_URL
    if (!running) ctx.progress('starting S3Proxy and OpenSearch')
    const services = running ? undefined : await startServices(['s3', 'opensearch'], { dir: `${ctx.dir}/services` })
    const env: Record<string, string | undefined> = services?.env ?? process.env
    const node = await startNode(ctx, {
      runtime: 'tsconnect',
      dir: `${ctx.dir}/worker`,
      groupId: ctx.topicName('storage'),
      tsconnectPluginPath: '@tsconnect/connector-s3,@tsconnect/connector-opensearch',
    })
    const s3 = new S3Client({
      endpoint: env.TSCONNECT_TEST_S3_ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: env.TSCONNECT_TEST_S3_ACCESS_KEY ?? '',
        secretAccessKey: env.TSCONNECT_TEST_S3_SECRET_KEY ?? '',
      },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
    try {
      const topic = ctx.topicName('storage-sinks')
      await createTopic(ctx, topic)
      ctx.progress(`filling ${topic} with ${records} x ${SIZE} B of JSON`)
      await rawProduce(ctx, topic, records, SIZE, { value: jsonValue(SIZE) })
      const json = {
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'tasks.max': '1',
        topics: topic,
      }

      const bucket = topic
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 63)
      await s3.send(new CreateBucketCommand({ Bucket: bucket }))
      ctx.progress(`S3 sink: ${records} records into S3Proxy, flush.size ${FLUSH_SIZE}`)
      let started = process.hrtime.bigint()
      await createConnector(node.url, 's3-sink', {
        ...json,
        'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
        's3.bucket.name': bucket,
        's3.region': 'us-east-1',
        'store.url': env.TSCONNECT_TEST_S3_ENDPOINT ?? '',
        'aws.access.key.id': env.TSCONNECT_TEST_S3_ACCESS_KEY ?? '',
        'aws.secret.access.key': env.TSCONNECT_TEST_S3_SECRET_KEY ?? '',
        'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
        'flush.size': String(FLUSH_SIZE),
      })
      const objects = Math.floor(records / FLUSH_SIZE)
      await until('S3 sink', 600_000, async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }))
        return (listed.KeyCount ?? 0) >= objects
      })
      rows.push({
        subject: 'tsconnect S3 sink (JsonFormat) into S3Proxy',
        recordSize: SIZE,
        records: objects * FLUSH_SIZE,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      })
      await rest(`${node.url}/connectors/s3-sink`, 'DELETE')

      const url = env.TSCONNECT_TEST_OPENSEARCH_URL ?? ''
      const index = topic.toLowerCase()
      ctx.progress(`search sink: ${records} records into OpenSearch`)
      started = process.hrtime.bigint()
      await createConnector(node.url, 'search-sink', {
        ...json,
        'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
        'connection.url': url,
        'key.ignore': 'true',
        'schema.ignore': 'true',
      })
      await until('search sink', 600_000, async () => {
        const r = await fetch(`${url}/${index}/_count`)
        if (!r.ok) return false
        return ((await r.json()) as { count: number }).count >= records
      })
      rows.push({
        subject: 'tsconnect search sink into OpenSearch',
        recordSize: SIZE,
        records,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      })
      await rest(`${node.url}/connectors/search-sink`, 'DELETE')
    } finally {
      s3.destroy()
      await node.stop()
      await services?.stop()
    }
    return rows
  },
}
