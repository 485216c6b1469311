/**
 * The S3 sink's formats (bytes of JSON lines, byte arrays, gzip, Avro container files with the schema AvroData
 * would derive), its partitioners' time buckets, and its config checks with Confluent's messages.
 */
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import avro from 'avsc'
import { ConfigError, Schema, SchemaBuilder, SinkRecord, Struct, validateToConfigInfos } from 'tsconnect'
import { parseS3SinkConfig, S3_SINK_CONFIG } from '../../src/config.ts'
import { avroSchemaOf } from '../../src/formats/avro-format.ts'
import { newFormat } from '../../src/formats/index.ts'
import { bucketStart, jodaFormatter, nextScheduledRotation } from '../../src/zoned-time.ts'

const BASE = { 's3.bucket.name': 'b', 'flush.size': '1' }
const JSON_FORMAT = 'io.confluent.connect.s3.format.json.JsonFormat'

function rec(value: unknown, valueSchema: SinkRecord['valueSchema'] = null, offset = 0): SinkRecord {
  return new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, value, valueSchema })
}

describe('formats', () => {
  test('JsonFormat with gzip: .json.gz objects of one JSON value per line', async () => {
    const format = newFormat(parseS3SinkConfig({ ...BASE, 'format.class': JSON_FORMAT, 's3.compression.type': 'gzip' }))
    assert.equal(format.extension, '.json.gz')
    const writer = format.newWriter()
    writer.write(rec(new Map<string, unknown>([['a', 1]])))
    writer.write(rec('text'))
    assert.equal(gunzipSync(await writer.finish()).toString(), '{"a":1}\n"text"\n')
  })

  test('ByteArrayFormat: raw bytes joined by format.bytearray.separator, with Java escapes', async () => {
    const format = newFormat(
      parseS3SinkConfig({
        ...BASE,
        'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
        'format.bytearray.separator': '\\r\\n',
        'format.bytearray.extension': '.raw',
      }),
    )
    assert.equal(format.extension, '.raw')
    const writer = format.newWriter()
    writer.write(rec(Buffer.from('ab'), Schema.BYTES_SCHEMA))
    writer.write(rec(Buffer.from('c'), Schema.BYTES_SCHEMA))
    assert.equal(Buffer.from(await writer.finish()).toString(), 'ab\r\nc\r\n')
  })

  test("AvroFormat derives AvroData's schema: optional fields as null unions with a null default", () => {
    const schema = SchemaBuilder.struct()
      .field('id', Schema.INT32_SCHEMA)
      .field('small', Schema.INT8_SCHEMA)
      .field('note', Schema.OPTIONAL_STRING_SCHEMA)
      .build()
    assert.deepEqual(avroSchemaOf(schema), {
      type: 'record',
      name: 'ConnectDefault',
      namespace: 'io.confluent.connect.avro',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'small', type: { type: 'int', 'connect.type': 'int8' } },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    })
  })

  test('AvroFormat writes a container file an Avro reader reads back', async () => {
    const schema = SchemaBuilder.struct().name('a.B').field('id', Schema.INT64_SCHEMA).build()
    const writer = newFormat(
      parseS3SinkConfig({ ...BASE, 'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat' }),
    ).newWriter()
    writer.write(rec(new Struct(schema).put('id', 7), schema))
    const bytes = await writer.finish()
    const values: unknown[] = []
    await new Promise((resolve, reject) =>
      Readable.from([Buffer.from(bytes)])
        .pipe(new avro.streams.BlockDecoder())
        .on('data', (v: unknown) => values.push(v))
        .on('end', resolve)
        .on('error', reject),
    )
    assert.deepEqual(
      values.map((v) => ({ ...(v as object) })),
      [{ id: 7 }],
    )
  })
})

describe('time buckets and path.format', () => {
  test("buckets are counted in local time and formatted with Joda's pattern letters", () => {
    const t = Date.UTC(2026, 2, 29, 0, 30) // 01:30 in Paris on the day clocks go forward
    const format = jodaFormatter("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", 'Europe/Paris', 'en')
    assert.equal(format(bucketStart(3_600_000, t, 'Europe/Paris')), 'year=2026/month=03/day=29/hour=01')
    assert.equal(format(bucketStart(86_400_000, t, 'Europe/Paris')), 'year=2026/month=03/day=29/hour=00')
  })

  test('scheduled rotations align to the local start of the day', () => {
    const now = Date.UTC(2026, 0, 1, 10, 7)
    assert.equal(nextScheduledRotation(now, 600_000, 'UTC'), Date.UTC(2026, 0, 1, 10, 10))
  })
})

describe('config', () => {
  test('REST validate names the missing required keys (bucket, format.class, flush.size)', () => {
    const infos = validateToConfigInfos('S3SinkConnector', S3_SINK_CONFIG, {})
    const errors = infos.configs.filter((c) => (c.value?.errors.length ?? 0) > 0).map((c) => c.value?.name)
    assert.deepEqual(errors.sort(), ['flush.size', 'format.class', 's3.bucket.name'])
  })

  test('ParquetFormat is refused by name', () => {
    const infos = validateToConfigInfos('S3SinkConnector', S3_SINK_CONFIG, {
      ...BASE,
      'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
    })
    assert.equal(infos.error_count, 1)
  })

  test('rotate.schedule.interval.ms needs timezone, with Confluent message', () => {
    assert.throws(
      () => parseS3SinkConfig({ ...BASE, 'format.class': JSON_FORMAT, 'rotate.schedule.interval.ms': '1000' }),
      (e: unknown) => e instanceof ConfigError && /timezone configuration must be set/.test(e.message),
    )
  })

  test('TimeBasedPartitioner needs path.format, locale and timezone', () => {
    const tb = {
      ...BASE,
      'format.class': JSON_FORMAT,
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'partition.duration.ms': '1000',
    }
    assert.throws(() => parseS3SinkConfig(tb), /Path format cannot be empty/)
    assert.throws(() => parseS3SinkConfig({ ...tb, 'path.format': 'YYYY' }), /Locale cannot be empty/)
    assert.throws(() => parseS3SinkConfig({ ...tb, 'path.format': 'YYYY', locale: 'en' }), /Timezone cannot be empty/)
  })

  test('HourlyPartitioner is TimeBased with the hourly path and duration', () => {
    const s = parseS3SinkConfig({
      ...BASE,
      'format.class': JSON_FORMAT,
      'partitioner.class': 'io.confluent.connect.storage.partitioner.HourlyPartitioner',
      locale: 'en',
      timezone: 'UTC',
    })
    assert.equal(s.pathFormat, "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH")
    assert.equal(s.partitionDurationMs, 3_600_000)
  })
})
