/**
 * The S3 sink in real connect-distributed workers against S3Proxy (a real S3 REST server), objects read back
 * through the S3 API: the objects a topic becomes in each format, with Confluent's names and contents; and
 * exactly-once under kill -9 of the worker running the task while uploads are in flight: the objects after the
 * restart have the names a run without the kill gives, and every record is in exactly one of them.
 */
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { after, before, describe, type TestContext, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import avro from 'avsc'
import { createProducer } from '../../../../src/kafka/clients.ts'
import { ConnectorHarness, countSequence, createTestTopic } from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../../../test/support/kafka.ts'
import { type TestS3, testS3 } from '../../../../test/support/services.ts'

const JSON_FORMAT = 'io.confluent.connect.s3.format.json.JsonFormat'

/** avsc's long as bigints, so the test reads 64-bit values exactly. */
const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(n)
    return buf
  },
  fromJSON: (n: number) => BigInt(n),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
})

async function bucketOf(t: TestContext): Promise<{ s3: TestS3; client: S3Client }> {
  const s3 = await testS3(t)
  const client = new S3Client(s3.clientConfig)
  t.after(() => client.destroy())
  await client.send(new CreateBucketCommand({ Bucket: s3.bucket }))
  return { s3, client }
}

async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key)
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token)
  return keys.sort()
}

async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from((await got.Body?.transformToByteArray()) ?? [])
}

function connectorConfig(s3: TestS3, topic: string, extra: Record<string, string>): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    topics: topic,
    's3.bucket.name': s3.bucket,
    's3.region': 'us-east-1',
    'store.url': s3.endpoint,
    'aws.access.key.id': s3.clientConfig.credentials.accessKeyId,
    'aws.secret.access.key': s3.clientConfig.credentials.secretAccessKey,
    'tasks.max': '1',
    ...extra,
  }
}

async function produce(
  topic: string,
  values: { partition?: number; value: string | Buffer; timestamp?: number }[],
): Promise<void> {
  const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        messages: values.slice(i, i + 500).map((v) => ({
          topic,
          partition: v.partition ?? 0,
          value: typeof v.value === 'string' ? Buffer.from(v.value) : v.value,
          ...(v.timestamp === undefined ? {} : { timestamp: BigInt(v.timestamp) }),
        })),
      })
    }
  } finally {
    await producer.close()
  }
}

/** Waits until the bucket holds exactly these keys. */
async function keysBecome(client: S3Client, bucket: string, expected: string[]): Promise<void> {
  await until(`objects ${expected.join(', ')}`, 90_000, async () => {
    const keys = await listKeys(client, bucket)
    return keys.length >= expected.length ? keys : undefined
  })
  assert.deepEqual(await listKeys(client, bucket), [...expected].sort())
}

describe('S3SinkConnector against S3Proxy', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-s3',
      props: { 'offset.flush.interval.ms': '1500' },
    })
  })
  after(() => harness?.close())

  test('JsonFormat: 25 records on 2 partitions become objects of flush.size lines named by partition and start offset', async (t) => {
    const { s3, client } = await bucketOf(t)
    const topic = await createTestTopic('s3-json', 2)
    await produce(
      topic,
      Array.from({ length: 25 }, (_, i) => ({ partition: i % 2, value: JSON.stringify({ seq: i, name: `n${i}` }) })),
    )
    const name = uniqueName('s3-json')
    await harness.createConnector(
      name,
      connectorConfig(s3, topic, {
        'format.class': JSON_FORMAT,
        'flush.size': '5',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      }),
    )
    // Partition 0 holds 13 records (offsets 0-12), partition 1 holds 12: 2 full files each, the rest stays open.
    const expected = [0, 1].flatMap((p) =>
      [0, 5].map((o) => `topics/${topic}/partition=${p}/${topic}+${p}+${String(o).padStart(10, '0')}.json`),
    )
    await keysBecome(client, s3.bucket, expected)
    const first = await objectBytes(client, s3.bucket, `topics/${topic}/partition=1/${topic}+1+0000000005.json`)
    assert.equal(first.toString('utf8'), [11, 13, 15, 17, 19].map((i) => `{"seq":${i},"name":"n${i}"}\n`).join(''))
    await harness.stopConnector(name)
  })

  test('ByteArrayFormat with gzip: raw values separated by the line separator, in .bin.gz objects', async (t) => {
    const { s3, client } = await bucketOf(t)
    const topic = await createTestTopic('s3-bytes')
    const values = Array.from({ length: 6 }, (_, i) => Buffer.from([0, 255, i, 10 + i]))
    await produce(
      topic,
      values.map((value) => ({ value })),
    )
    const name = uniqueName('s3-bytes')
    await harness.createConnector(
      name,
      connectorConfig(s3, topic, {
        'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        's3.compression.type': 'gzip',
        'flush.size': '3',
      }),
    )
    const keys = [0, 3].map((o) => `topics/${topic}/partition=0/${topic}+0+${String(o).padStart(10, '0')}.bin.gz`)
    await keysBecome(client, s3.bucket, keys)
    const body = gunzipSync(await objectBytes(client, s3.bucket, keys[1] as string))
    assert.deepEqual(body, Buffer.concat(values.slice(3).flatMap((v) => [v, Buffer.from('\n')])))
    await harness.stopConnector(name)
  })

  test('AvroFormat with FieldPartitioner: Avro container files per field value, readable by an Avro reader', async (t) => {
    const { s3, client } = await bucketOf(t)
    const topic = await createTestTopic('s3-avro')
    const schema = {
      type: 'struct',
      name: 'com.acme.Order',
      optional: false,
      fields: [
        { field: 'id', type: 'int64', optional: false },
        { field: 'region', type: 'string', optional: false },
        { field: 'note', type: 'string', optional: true },
      ],
    }
    // Ids beyond 2^53, written as JSON text so the int64 goes through exactly.
    await produce(
      topic,
      [0, 1, 2, 3].map((i) => ({
        value: `{"schema":${JSON.stringify(schema)},"payload":{"id":${2n ** 60n + BigInt(i)},"region":"${i % 2 ? 'us' : 'eu'}","note":${i ? 'null' : '"first"'}}}`,
      })),
    )
    const name = uniqueName('s3-avro')
    await harness.createConnector(
      name,
      connectorConfig(s3, topic, {
        'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
        'partition.field.name': 'region',
        'avro.codec': 'deflate',
        'flush.size': '4',
      }),
    )
    const keys = [
      `topics/${topic}/region=eu/${topic}+0+0000000000.avro`,
      `topics/${topic}/region=us/${topic}+0+0000000001.avro`,
    ]
    await keysBecome(client, s3.bucket, keys)
    const decoded: unknown[] = []
    let writerSchema: unknown
    await new Promise<void>((resolve, reject) => {
      objectBytes(client, s3.bucket, keys[0] as string).then((bytes) => {
        Readable.from([bytes])
          .pipe(
            new avro.streams.BlockDecoder({
              parseHook: (schema: avro.Schema) => avro.Type.forSchema(schema, { registry: { long: BIGINT_LONG } }),
            }),
          )
          .on('metadata', (type: avro.Type) => {
            writerSchema = type.schema()
          })
          .on('data', (v: unknown) => decoded.push(v))
          .on('end', resolve)
          .on('error', reject)
      }, reject)
    })
    assert.equal((writerSchema as { name: string }).name, 'com.acme.Order')
    assert.deepEqual(
      decoded.map((d) => ({ ...(d as object) })),
      [
        { id: 2n ** 60n, region: 'eu', note: 'first' },
        { id: 2n ** 60n + 2n, region: 'eu', note: null },
      ],
    )
    await harness.stopConnector(name)
  })

  test('TimeBasedPartitioner with Record time: hourly directories, rotate.interval.ms and partition changes cut the files', async (t) => {
    const { s3, client } = await bucketOf(t)
    const topic = await createTestTopic('s3-time')
    const at = (h: number, m: number) => Date.UTC(2026, 11, 4, h, m)
    // 10:12 is 12 minutes past the file's first record (10:00): a new file; 11:01 is another hour: a new file;
    // 11:30 is 29 minutes past 11:01: the 11:00 file is committed and 11:30 opens the next (left open).
    const times = [at(10, 0), at(10, 5), at(10, 12), at(10, 13), at(11, 1), at(11, 2), at(11, 30)]
    await produce(
      topic,
      times.map((timestamp, i) => ({ value: JSON.stringify({ i }), timestamp })),
    )
    const name = uniqueName('s3-time')
    await harness.createConnector(
      name,
      connectorConfig(s3, topic, {
        'format.class': JSON_FORMAT,
        'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
        'path.format': "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
        'partition.duration.ms': '3600000',
        locale: 'en-US',
        timezone: 'UTC',
        'timestamp.extractor': 'Record',
        'rotate.interval.ms': '600000',
        'flush.size': '100',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      }),
    )
    const dir = `topics/${topic}/year=2026/month=12/day=04`
    await keysBecome(client, s3.bucket, [
      `${dir}/hour=10/${topic}+0+0000000000.json`,
      `${dir}/hour=10/${topic}+0+0000000002.json`,
      `${dir}/hour=11/${topic}+0+0000000004.json`,
    ])
    const last = await objectBytes(client, s3.bucket, `${dir}/hour=11/${topic}+0+0000000004.json`)
    assert.equal(last.toString('utf8'), '{"i":4}\n{"i":5}\n')
    await harness.stopConnector(name)
  })

  test('kill -9 during uploads: the same object names as without the kill, no record missing or in two objects', async (t) => {
    const { s3, client } = await bucketOf(t)
    const topic = await createTestTopic('s3-kill')
    const total = 4000
    const flushSize = 50
    const name = uniqueName('s3-kill')
    await harness.createConnector(
      name,
      connectorConfig(s3, topic, {
        'format.class': JSON_FORMAT,
        'flush.size': String(flushSize),
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      }),
    )
    // A steady stream, so that uploads are under way (and some uploaded objects not yet committed) at the kill.
    const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
    const producing = (async () => {
      try {
        for (let i = 0; i < total; i += 40) {
          const batch = Array.from({ length: 40 }, (_, j) => ({
            topic,
            value: Buffer.from(JSON.stringify({ seq: i + j })),
          }))
          await producer.send({ messages: batch })
          await new Promise((r) => setTimeout(r, 20))
        }
      } finally {
        await producer.close()
      }
    })()
    await harness.killTaskOwnerWhen(name, async () => (await listKeys(client, s3.bucket)).length >= 15)
    const atKill = await listKeys(client, s3.bucket)
    await producing
    const expected = Array.from(
      { length: total / flushSize },
      (_, k) => `topics/${topic}/partition=0/${topic}+0+${String(k * flushSize).padStart(10, '0')}.json`,
    )
    await keysBecome(client, s3.bucket, expected)
    for (const k of atKill) assert.ok(expected.includes(k), `${k} was written before the kill and is not expected`)
    const seqs: bigint[] = []
    for (const key of expected) {
      const lines = (await objectBytes(client, s3.bucket, key)).toString('utf8').trimEnd().split('\n')
      const start = Number(/\+(\d+)\.json$/.exec(key)?.[1])
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { seq: number }).seq),
        Array.from({ length: flushSize }, (_, i) => start + i),
        key,
      )
      for (const l of lines) seqs.push(BigInt((JSON.parse(l) as { seq: number }).seq))
    }
    const verdict = countSequence(0n, total, seqs)
    console.log(
      `# S3 sink under kill -9: ${verdict.sent} records in ${expected.length} objects (${atKill.length} before the kill), ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0)
    assert.equal(verdict.duplicated, 0)
    await harness.stopConnector(name)
  })
})
