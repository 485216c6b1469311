/**
 * AvroConverter against the real schema registry (the run's Apicurio Registry, Confluent-compatible API): every
 * Connect type and logical type round trips, the subject and the schema text registered are the ones Confluent's
 * converter registers for the same Connect schema, a warm converter makes no registry call, the strategies name
 * their subjects, and a schema the subject's compatibility rule refuses is an error naming subject and version.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  BigDecimal,
  ConnectDate,
  ConversionPendingError,
  DataError,
  Decimal,
  type Schema,
  SchemaBuilder,
  Struct,
  Time,
  Timestamp,
} from 'tsconnect'
import { testSchemaRegistry } from '../../../../test/support/services.ts'
import { AvroConverter } from '../../src/index.ts'

/** Runs a conversion as the worker does: a converter waiting for the registry is called again once it is ready. */
async function settle<T>(convert: () => T): Promise<T> {
  for (let i = 0; i < 20; i++) {
    try {
      return convert()
    } catch (e) {
      if (!(e instanceof ConversionPendingError)) throw e
      await e.ready
    }
  }
  throw new Error('still pending after 20 tries')
}

function converter(url: string, extra: Record<string, string> = {}, isKey = false): AvroConverter {
  const c = new AvroConverter()
  c.configure({ 'schema.registry.url': url, ...extra }, isKey)
  return c
}

async function registry(url: string, path: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
  })
  return response.json()
}

const ALL = SchemaBuilder.struct()
  .name('com.example.AllTypes')
  .version(1)
  .doc('every Connect type')
  .field('i8', SchemaBuilder.int8())
  .field('i16', SchemaBuilder.int16())
  .field('i32', SchemaBuilder.int32())
  .field('i64', SchemaBuilder.int64())
  .field('f32', SchemaBuilder.float32())
  .field('f64', SchemaBuilder.float64())
  .field('bool', SchemaBuilder.bool())
  .field('str', SchemaBuilder.string())
  .field('bytes', SchemaBuilder.bytes())
  .field('array', SchemaBuilder.array(SchemaBuilder.int32()))
  .field('map', SchemaBuilder.map(SchemaBuilder.string(), SchemaBuilder.string()))
  .field('intMap', SchemaBuilder.map(SchemaBuilder.int64(), SchemaBuilder.float64()))
  .field('optional', SchemaBuilder.string().optional())
  .field('withDefault', SchemaBuilder.int32().defaultValue(42))
  .field('struct', SchemaBuilder.struct().name('com.example.Inner').field('x', SchemaBuilder.string()))
  .field('decimal', Decimal.schema(2))
  .field('date', ConnectDate.SCHEMA)
  .field('time', Time.SCHEMA)
  .field('timestamp', Timestamp.SCHEMA)
  .build()

/** What Confluent's AvroConverter registers for ALL (AvroData's rules, Avro's Schema.toString). */
const ALL_AVRO =
  '{"type":"record","name":"AllTypes","namespace":"com.example","fields":[' +
  '{"name":"i8","type":{"type":"int","connect.type":"int8"}},' +
  '{"name":"i16","type":{"type":"int","connect.type":"int16"}},' +
  '{"name":"i32","type":"int"},{"name":"i64","type":"long"},{"name":"f32","type":"float"},' +
  '{"name":"f64","type":"double"},{"name":"bool","type":"boolean"},{"name":"str","type":"string"},' +
  '{"name":"bytes","type":"bytes"},{"name":"array","type":{"type":"array","items":"int"}},' +
  '{"name":"map","type":{"type":"map","values":"string"}},' +
  '{"name":"intMap","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"long"},{"name":"value","type":"double"}]}}},' +
  '{"name":"optional","type":["null","string"],"default":null},' +
  '{"name":"withDefault","type":{"type":"int","connect.default":42},"default":42},' +
  '{"name":"struct","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"string"}],"connect.name":"com.example.Inner"}},' +
  '{"name":"decimal","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},' +
  '{"name":"date","type":{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}},' +
  '{"name":"time","type":{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}},' +
  '{"name":"timestamp","type":{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}}' +
  '],"connect.doc":"every Connect type","connect.version":1,"connect.name":"com.example.AllTypes"}'

function allValue(): Struct {
  return new Struct(ALL)
    .put('i8', 127)
    .put('i16', -32768)
    .put('i32', 2147483647)
    .put('i64', -9223372036854775808n)
    .put('f32', 0.5)
    .put('f64', -1e300)
    .put('bool', false)
    .put('str', 'zürich ∑')
    .put('bytes', new Uint8Array([1, 2, 3]))
    .put('array', [1, -1, 0])
    .put('map', new Map([['a', 'b']]))
    .put('intMap', new Map([[5n ** 25n, 1.25]]))
    .put('optional', null)
    .put('withDefault', 7)
    .put('struct', new Struct(ALL.field('struct')?.schema as Schema).put('x', 'inner'))
    .put('decimal', new BigDecimal(-12345n, 2))
    .put('date', new Date(Date.UTC(2000, 0, 1)))
    .put('time', new Date(3_600_000))
    .put('timestamp', new Date(1_234_567_890_123))
}

describe('AvroConverter with a real schema registry', () => {
  test('every Connect type round trips and the schema registered is the text Confluent registers', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-all')
    const c = converter(sr.url)
    const value = allValue()
    const bytes = (await settle(() => c.fromConnectData(topic, ALL, value))) as Uint8Array
    assert.equal(bytes[0], 0)
    const latest = (await registry(sr.url, `/subjects/${topic}-value/versions/latest`)) as {
      id: number
      version: number
      schema: string
    }
    assert.equal(latest.version, 1)
    assert.equal(latest.schema, ALL_AVRO)
    assert.equal(Buffer.from(bytes).readInt32BE(1), latest.id)

    const reader = converter(sr.url)
    const back = await settle(() => reader.toConnectData(topic, bytes))
    assert.ok(back.schema?.equals(ALL), `${String(back.schema)}`)
    assert.ok((back.value as Struct).equals(value), `${String(back.value)} != ${String(value)}`)
  })

  test('once warm, converting makes no registry call: it works with the registry unreachable', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-warm')
    const schema = SchemaBuilder.struct().name('W').field('n', SchemaBuilder.int32()).build()
    // Two URLs: the first one is closed, so the client moves to the second, as Java's UrlList does.
    const c = converter(`http://127.0.0.1:1,${sr.url}`)
    const bytes = await settle(() => c.fromConnectData(topic, schema, new Struct(schema).put('n', 1)))
    await settle(() => c.toConnectData(topic, bytes))
    // A fresh but equal schema object hits the cache by its Avro text.
    const again = SchemaBuilder.struct().name('W').field('n', SchemaBuilder.int32()).build()
    for (let i = 0; i < 100; i++) {
      const out = c.fromConnectData(topic, again, new Struct(again).put('n', i))
      assert.equal((c.toConnectData(topic, out).value as Struct).get('n'), i)
    }
  })

  test('a schema without connect.version reads back with the registry version of its subject', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-version')
    const v1 = SchemaBuilder.struct().name('V').field('a', SchemaBuilder.int32()).build()
    const v2 = SchemaBuilder.struct()
      .name('V')
      .field('a', SchemaBuilder.int32())
      .field('b', SchemaBuilder.string().optional())
      .build()
    const c = converter(sr.url)
    await settle(() => c.fromConnectData(topic, v1, new Struct(v1).put('a', 1)))
    const bytes = await settle(() => c.fromConnectData(topic, v2, new Struct(v2).put('a', 2).put('b', 'x')))
    const reader = converter(sr.url)
    const back = await settle(() => reader.toConnectData(topic, bytes))
    assert.equal(back.schema?.version, 2)
    assert.equal((back.value as Struct).get('b'), 'x')
  })

  test('key, RecordNameStrategy and TopicRecordNameStrategy subjects', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-subjects')
    const schema = SchemaBuilder.struct()
      .name(`${topic.replace(/-/g, '_')}.Rec`)
      .field('a', SchemaBuilder.int32())
      .build()
    const record = new Struct(schema).put('a', 1)
    const keys = converter(sr.url, {}, true)
    await settle(() => keys.fromConnectData(topic, SchemaBuilder.string().build(), 'k'))
    const topicRecord = converter(sr.url, {
      'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
    })
    await settle(() => topicRecord.fromConnectData(topic, schema, record))
    const recordSubject = schema.name as string
    const byRecord = converter(sr.url, {
      'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy',
    })
    await settle(() => byRecord.fromConnectData(topic, schema, record))
    const subjects = (await registry(sr.url, '/subjects')) as string[]
    assert.ok(subjects.includes(`${topic}-key`))
    assert.ok(subjects.includes(`${topic}-${recordSubject}`))
    assert.ok(subjects.includes(recordSubject))
    await fetch(`${sr.url}/subjects/${recordSubject}`, { method: 'DELETE' })
    await fetch(`${sr.url}/subjects/${recordSubject}?permanent=true`, { method: 'DELETE' })
  })

  test('an incompatible schema is a DataError naming the subject and its latest version', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-incompatible')
    const c = converter(sr.url)
    const v1 = SchemaBuilder.struct().name('I').field('a', SchemaBuilder.int32()).build()
    await settle(() => c.fromConnectData(topic, v1, new Struct(v1).put('a', 1)))
    await registry(sr.url, `/config/${topic}-value`, {
      method: 'PUT',
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    })
    // A new required field without a default cannot read data written with v1.
    const v2 = SchemaBuilder.struct()
      .name('I')
      .field('a', SchemaBuilder.int32())
      .field('b', SchemaBuilder.int32())
      .build()
    await assert.rejects(
      settle(() => c.fromConnectData(topic, v2, new Struct(v2).put('a', 1).put('b', 2))),
      (e: unknown) =>
        e instanceof DataError &&
        e.message.includes(`subject "${topic}-value"`) &&
        e.message.includes('latest version 1'),
    )
  })

  test('with auto.register.schemas=false an unregistered schema is a DataError, a registered one is found', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('avro-noregister')
    const schema = SchemaBuilder.struct().name('N').field('a', SchemaBuilder.int32()).build()
    const c = converter(sr.url, { 'auto.register.schemas': 'false' })
    await assert.rejects(
      settle(() => c.fromConnectData(topic, schema, new Struct(schema).put('a', 1))),
      (e: unknown) => e instanceof DataError && e.message.includes(`${topic}-value`),
    )
    const registering = converter(sr.url)
    await settle(() => registering.fromConnectData(topic, schema, new Struct(schema).put('a', 1)))
    // The failed lookup is not cached: the next record asks the registry again and finds the schema.
    const bytes = await settle(() => c.fromConnectData(topic, schema, new Struct(schema).put('a', 2)))
    const reader = converter(sr.url)
    const back = await settle(() => reader.toConnectData(topic, bytes))
    assert.equal((back.value as Struct).get('a'), 2)
  })
})
