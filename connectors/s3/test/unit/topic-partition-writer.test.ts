/**
 * The rotation rules and object names of the S3 sink's TopicPartitionWriter, with an in-memory object store: what
 * objects a run of records becomes, and which offset may be committed after each step.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Schema, SchemaBuilder, SinkRecord, Struct } from 'tsconnect'
import { parseS3SinkConfig } from '../../src/config.ts'
import { newFormat } from '../../src/formats/index.ts'
import { newPartitioner } from '../../src/partitioners.ts'
import { TopicPartitionWriter } from '../../src/topic-partition-writer.ts'

const JSON_FORMAT = 'io.confluent.connect.s3.format.json.JsonFormat'

function writerFor(extra: Record<string, string>, now = 0) {
  const settings = parseS3SinkConfig({
    's3.bucket.name': 'b',
    'format.class': JSON_FORMAT,
    'flush.size': '3',
    ...extra,
  })
  const objects = new Map<string, string>()
  const store = {
    async put(key: string, body: Uint8Array) {
      objects.set(key, Buffer.from(body).toString('utf8'))
    },
  }
  const writer = new TopicPartitionWriter(
    { topic: 'orders', partition: 2 },
    settings,
    newPartitioner(settings),
    newFormat(settings),
    store,
    now,
  )
  return { writer, objects }
}

const SCHEMA = SchemaBuilder.struct()
  .name('Order')
  .field('id', Schema.INT32_SCHEMA)
  .field('region', Schema.STRING_SCHEMA)
  .build()

function order(offset: number, id: number, region = 'eu', timestamp: number | null = null): SinkRecord {
  return new SinkRecord({
    topic: 'orders',
    kafkaPartition: 2,
    kafkaOffset: offset,
    valueSchema: SCHEMA,
    value: new Struct(SCHEMA).put('id', id).put('region', region),
    timestamp,
  })
}

describe('TopicPartitionWriter', () => {
  test('names objects <topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset, 10 digits>.json', async () => {
    const { writer, objects } = writerFor({})
    for (let o = 40; o < 47; o++) writer.buffer(order(o, o))
    await writer.write(0, null)
    assert.deepEqual(
      [...objects.keys()],
      ['topics/orders/partition=2/orders+2+0000000040.json', 'topics/orders/partition=2/orders+2+0000000043.json'],
    )
    assert.equal(
      objects.get('topics/orders/partition=2/orders+2+0000000040.json'),
      '{"id":40,"region":"eu"}\n{"id":41,"region":"eu"}\n{"id":42,"region":"eu"}\n',
    )
  })

  test('commits only the offset after the last uploaded record', async () => {
    const { writer } = writerFor({})
    assert.equal(writer.offsetToCommit, null)
    for (let o = 0; o < 5; o++) writer.buffer(order(o, o))
    await writer.write(0, null)
    assert.equal(writer.offsetToCommit, 3)
    assert.equal(writer.replayOffset, 3)
  })

  test('topics.dir, file.delim, directory.delim and the pad width shape the name', async () => {
    const { writer, objects } = writerFor({
      'topics.dir': 'archive',
      'file.delim': '_',
      'directory.delim': '/',
      'filename.offset.zero.pad.width': '4',
      'flush.size': '1',
    })
    writer.buffer(order(7, 7))
    await writer.write(0, null)
    assert.deepEqual([...objects.keys()], ['archive/orders/partition=2/orders_2_0007.json'])
  })

  test('FieldPartitioner keeps one open file per field value and commits them together at flush.size', async () => {
    const { writer, objects } = writerFor({
      'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
      'partition.field.name': 'region',
    })
    writer.buffer(order(0, 0, 'eu'))
    writer.buffer(order(1, 1, 'us'))
    writer.buffer(order(2, 2, 'eu'))
    await writer.write(0, null)
    assert.deepEqual(
      [...objects.keys()],
      ['topics/orders/region=eu/orders+2+0000000000.json', 'topics/orders/region=us/orders+2+0000000001.json'],
    )
    assert.equal(writer.offsetToCommit, 3)
  })

  test('TimeBasedPartitioner with Record time names directories by path.format in the timezone', async () => {
    const { writer, objects } = writerFor({
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      'partition.duration.ms': '3600000',
      locale: 'en_US',
      timezone: 'Asia/Kolkata',
      'timestamp.extractor': 'Record',
      'flush.size': '1',
    })
    writer.buffer(order(5, 5, 'eu', Date.UTC(2026, 11, 4, 19, 40)))
    await writer.write(0, null)
    assert.deepEqual([...objects.keys()], ['topics/orders/year=2026/month=12/day=05/hour=01/orders+2+0000000005.json'])
  })

  test('rotate.interval.ms rotates when a record is that far past the first, and the late record opens the next file', async () => {
    const { writer, objects } = writerFor({
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': "'d'=dd",
      'partition.duration.ms': '86400000',
      locale: 'en',
      timezone: 'UTC',
      'timestamp.extractor': 'Record',
      'flush.size': '100',
      'rotate.interval.ms': '1000',
    })
    const t0 = Date.UTC(2026, 0, 1)
    for (const [o, dt] of [
      [0, 0],
      [1, 400],
      [2, 999],
      [3, 1000],
      [4, 1500],
    ] as const)
      writer.buffer(order(o, o, 'eu', t0 + dt))
    await writer.write(0, null)
    assert.deepEqual([...objects.keys()], ['topics/orders/d=01/orders+2+0000000000.json'])
    assert.equal(writer.offsetToCommit, 3)
    assert.equal(writer.replayOffset, 3)
  })

  test('rotate.schedule.interval.ms commits on the wall clock even when no record comes', async () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 0)
    const { writer, objects } = writerFor(
      { 'rotate.schedule.interval.ms': '60000', timezone: 'UTC', 'flush.size': '100' },
      t0,
    )
    writer.buffer(order(0, 0))
    await writer.write(t0 + 1000, null)
    assert.equal(objects.size, 0)
    await writer.write(t0 + 59_000, null)
    assert.equal(objects.size, 0)
    await writer.write(t0 + 60_000, null)
    assert.deepEqual([...objects.keys()], ['topics/orders/partition=2/orders+2+0000000000.json'])
    assert.equal(writer.offsetToCommit, 1)
  })

  test('a value schema change commits the open files first (schema.compatibility NONE)', async () => {
    const { writer, objects } = writerFor({ 'flush.size': '10' })
    const other = SchemaBuilder.struct().name('Order').version(2).field('id', Schema.INT32_SCHEMA).build()
    writer.buffer(order(0, 0))
    writer.buffer(
      new SinkRecord({
        topic: 'orders',
        kafkaPartition: 2,
        kafkaOffset: 1,
        valueSchema: other,
        value: new Struct(other).put('id', 1),
      }),
    )
    await writer.write(0, null)
    assert.deepEqual([...objects.keys()], ['topics/orders/partition=2/orders+2+0000000000.json'])
    assert.equal(writer.offsetToCommit, 1)
  })

  test('a replay from the committed offset writes the same names with the same contents', async () => {
    const first = writerFor({})
    for (let o = 0; o < 8; o++) first.writer.buffer(order(o, o))
    await first.writer.write(0, null)
    const replay = writerFor({})
    for (let o = first.writer.offsetToCommit ?? 0; o < 12; o++) replay.writer.buffer(order(o, o))
    await replay.writer.write(0, null)
    const straight = writerFor({})
    for (let o = 0; o < 12; o++) straight.writer.buffer(order(o, o))
    await straight.writer.write(0, null)
    assert.deepEqual(new Map([...first.objects, ...replay.objects]), straight.objects)
  })
})
