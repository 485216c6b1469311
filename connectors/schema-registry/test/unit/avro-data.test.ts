/**
 * AvroData's rules: the Avro schema text a Connect schema becomes (what Confluent's AvroConverter registers, from
 * Avro's Schema.toString), and Connect values through the compiled Avro encoder and decoder and back.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { BigDecimal, ConnectDate, Decimal, type Schema, SchemaBuilder, Struct, Time, Timestamp } from 'tsconnect'
import { AvroReader, AvroWriter } from '../../src/avro/avro-binary.ts'
import {
  compileReader,
  compileWriter,
  fromConnectSchema,
  javaDoubleText,
  javaFloatText,
  scrubName,
  toConnectSchema,
} from '../../src/avro/avro-data.ts'
import { parseSchema, printSchema } from '../../src/avro/avro-schema.ts'

const text = (schema: Schema) => printSchema(fromConnectSchema(schema))

describe('Connect schema to the Avro schema text Confluent registers', () => {
  test('primitives: INT8 and INT16 are ints with connect.type; the others are bare Avro names', () => {
    assert.equal(text(SchemaBuilder.int8().build()), '{"type":"int","connect.type":"int8"}')
    assert.equal(text(SchemaBuilder.int16().build()), '{"type":"int","connect.type":"int16"}')
    assert.equal(text(SchemaBuilder.int32().build()), '"int"')
    assert.equal(text(SchemaBuilder.int64().build()), '"long"')
    assert.equal(text(SchemaBuilder.float32().build()), '"float"')
    assert.equal(text(SchemaBuilder.float64().build()), '"double"')
    assert.equal(text(SchemaBuilder.bool().build()), '"boolean"')
    assert.equal(text(SchemaBuilder.string().build()), '"string"')
    assert.equal(text(SchemaBuilder.bytes().build()), '"bytes"')
  })

  test('an optional schema is a union with null first; with a default, null comes second', () => {
    assert.equal(text(SchemaBuilder.string().optional().build()), '["null","string"]')
    assert.equal(
      text(SchemaBuilder.int32().optional().defaultValue(5).build()),
      '[{"type":"int","connect.default":5},"null"]',
    )
  })

  test('logical types carry connect.version, connect.name and Avro logicalType', () => {
    assert.equal(
      text(Decimal.schema(2)),
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    )
    assert.equal(
      text(Decimal.builder(3).parameter('connect.decimal.precision', '10').build()),
      '{"type":"bytes","scale":3,"precision":10,"connect.version":1,"connect.parameters":{"scale":"3","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    )
    assert.equal(
      text(ConnectDate.SCHEMA),
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}',
    )
    assert.equal(
      text(Time.SCHEMA),
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}',
    )
    assert.equal(
      text(Timestamp.SCHEMA),
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    )
  })

  test('a decimal whose scale is above its precision keeps the legacy logicalType property only', () => {
    assert.equal(
      text(Decimal.builder(5).parameter('connect.decimal.precision', '3').build()),
      '{"type":"bytes","scale":5,"precision":3,"connect.version":1,"connect.parameters":{"scale":"5","connect.decimal.precision":"3"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    )
  })

  test('a named struct is a record in its namespace, with doc, version and name as connect properties', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.Person')
      .version(2)
      .doc('a person')
      .field('id', SchemaBuilder.int64())
      .field('name', SchemaBuilder.string().optional())
      .build()
    assert.equal(
      text(schema),
      '{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"name","type":["null","string"],"default":null}],"connect.doc":"a person","connect.version":2,"connect.name":"com.example.Person"}',
    )
  })

  test('unnamed structs are ConnectDefault, ConnectDefault2, ... and a reused struct is written once', () => {
    const inner = SchemaBuilder.struct().field('x', SchemaBuilder.int32()).build()
    const schema = SchemaBuilder.struct()
      .field('a', inner)
      .field('b', inner)
      .field('c', SchemaBuilder.struct().field('y', SchemaBuilder.bool()))
      .build()
    assert.equal(
      text(schema),
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"a","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"x","type":"int"}]}},{"name":"b","type":"ConnectDefault2"},{"name":"c","type":{"type":"record","name":"ConnectDefault3","fields":[{"name":"y","type":"boolean"}]}}]}',
    )
  })

  test('maps with string keys are Avro maps; other maps are arrays of MapEntry records', () => {
    assert.equal(
      text(SchemaBuilder.map(SchemaBuilder.string(), SchemaBuilder.int64()).build()),
      '{"type":"map","values":"long"}',
    )
    assert.equal(
      text(SchemaBuilder.map(SchemaBuilder.int32(), SchemaBuilder.string()).build()),
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}',
    )
    assert.equal(text(SchemaBuilder.array(SchemaBuilder.float64()).build()), '{"type":"array","items":"double"}')
  })

  test('field defaults are written in Java number text, and the type keeps connect.default', () => {
    const schema = SchemaBuilder.struct()
      .name('D')
      .field('f', SchemaBuilder.float64().defaultValue(1))
      .field('s', SchemaBuilder.string().defaultValue('x'))
      .build()
    assert.equal(
      text(schema),
      '{"type":"record","name":"D","fields":[{"name":"f","type":{"type":"double","connect.default":1.0},"default":1.0},{"name":"s","type":{"type":"string","connect.default":"x"},"default":"x"}],"connect.name":"D"}',
    )
  })

  test('connect.meta.data=false writes plain Avro', () => {
    const avro = fromConnectSchema(
      SchemaBuilder.struct().name('a.B').version(3).field('d', ConnectDate.SCHEMA).build(),
      {
        connectMetaData: false,
        enhancedSchemaSupport: false,
        scrubInvalidNames: false,
      },
    )
    assert.equal(
      printSchema(avro),
      '{"type":"record","name":"B","namespace":"a","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}}]}',
    )
  })

  test('scrub.invalid.names replaces what Avro names refuse', () => {
    assert.equal(scrubName('valid_name'), 'valid_name')
    assert.equal(scrubName('a-b'), 'a_b')
    assert.equal(scrubName('1abc'), 'x1abc')
  })

  test("numbers as Java's Double.toString and Float.toString print them", () => {
    assert.deepEqual([1, 0.1, 1e7, 1.5e-5, 123.456, -2].map(javaDoubleText), [
      '1.0',
      '0.1',
      '1.0E7',
      '1.5E-5',
      '123.456',
      '-2.0',
    ])
    assert.equal(javaFloatText(0.1), '0.1')
    assert.equal(javaFloatText(3.4028234663852886e38), '3.4028235E38')
  })
})

describe('Avro schema text back to Connect', () => {
  test('what was written comes back with its name, version, doc and parameters', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.All')
      .version(1)
      .field('i8', SchemaBuilder.int8())
      .field('dec', Decimal.builder(2).optional())
      .field('ts', Timestamp.SCHEMA)
      .field('m', SchemaBuilder.map(SchemaBuilder.int32(), SchemaBuilder.string()))
      .build()
    const back = toConnectSchema(parseSchema(text(schema)))
    assert.ok(back.equals(schema), `${String(back)} != ${String(schema)}`)
  })

  test('a record from another writer keeps its full name; field docs and defaults become parameters', () => {
    const back = toConnectSchema(
      parseSchema(
        '{"type":"record","name":"User","namespace":"ex","fields":[{"name":"n","type":"int","doc":"count","default":0},{"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}}]}',
      ),
      4,
    )
    assert.equal(back.name, 'ex.User')
    assert.equal(back.version, 4)
    assert.deepEqual(back.parameters, { 'io.confluent.connect.avro.field.doc.n': 'count' })
    assert.equal(back.field('n')?.schema.defaultValue, 0)
    assert.deepEqual(back.field('n')?.schema.parameters, { 'io.confluent.connect.avro.field.default': 'true' })
    assert.deepEqual(back.field('e')?.schema.parameters, {
      'io.confluent.connect.avro.Enum': 'ex.Color',
      'io.confluent.connect.avro.Enum.RED': 'RED',
      'io.confluent.connect.avro.Enum.GREEN': 'GREEN',
    })
  })

  test('a union other than with null is an io.confluent.connect.avro.Union struct', () => {
    const back = toConnectSchema(parseSchema('["null","int","string"]'))
    assert.equal(back.name, 'io.confluent.connect.avro.Union')
    assert.equal(back.optional, true)
    assert.deepEqual(
      back.fields.map((f) => f.name),
      ['int', 'string'],
    )
  })
})

describe('values through the compiled encoder and decoder', () => {
  const roundTrip = (schema: Schema, value: unknown) => {
    const avro = fromConnectSchema(schema)
    const w = new AvroWriter()
    compileWriter(schema, avro)(w, value)
    const back = toConnectSchema(parseSchema(printSchema(avro)))
    return compileReader(avro, back)(new AvroReader(w.toBytes()))
  }

  test('every Connect type and logical type reads back equal', () => {
    const schema = SchemaBuilder.struct()
      .name('r.All')
      .field('i8', SchemaBuilder.int8())
      .field('i16', SchemaBuilder.int16())
      .field('i32', SchemaBuilder.int32())
      .field('i64', SchemaBuilder.int64())
      .field('big', SchemaBuilder.int64())
      .field('f32', SchemaBuilder.float32())
      .field('f64', SchemaBuilder.float64())
      .field('b', SchemaBuilder.bool())
      .field('s', SchemaBuilder.string())
      .field('bytes', SchemaBuilder.bytes())
      .field('arr', SchemaBuilder.array(SchemaBuilder.string()))
      .field('map', SchemaBuilder.map(SchemaBuilder.string(), SchemaBuilder.int32()))
      .field('imap', SchemaBuilder.map(SchemaBuilder.int32(), SchemaBuilder.bool()))
      .field('opt', SchemaBuilder.string().optional())
      .field('nested', SchemaBuilder.struct().name('r.Inner').field('x', SchemaBuilder.float64()))
      .field('dec', Decimal.schema(3))
      .field('date', ConnectDate.SCHEMA)
      .field('time', Time.SCHEMA)
      .field('ts', Timestamp.SCHEMA)
      .build()
    const value = new Struct(schema)
      .put('i8', -8)
      .put('i16', 1600)
      .put('i32', -2147483648)
      .put('i64', 1234567890123)
      .put('big', 9223372036854775807n)
      .put('f32', 1.5)
      .put('f64', Math.PI)
      .put('b', true)
      .put('s', 'héllo ✓')
      .put('bytes', new Uint8Array([0, 1, 255]))
      .put('arr', ['a', 'b'])
      .put('map', new Map([['k', 1]]))
      .put('imap', new Map([[7, false]]))
      .put('opt', null)
      .put('nested', new Struct(schema.field('nested')?.schema as Schema).put('x', -0.25))
      .put('dec', new BigDecimal(-123456789n, 3))
      .put('date', new Date(Date.UTC(2024, 1, 29)))
      .put('time', new Date(45_296_789))
      .put('ts', new Date(1_700_000_000_123))
    const back = roundTrip(schema, value) as Struct
    assert.ok(back.equals(value), `${String(back)} != ${String(value)}`)
  })

  test('negative and large longs use zig-zag varints', () => {
    for (const n of [0, -1, 1, -64, 63, 2 ** 31, -(2 ** 40), 2 ** 53 - 1, -9223372036854775808n]) {
      assert.equal(roundTrip(SchemaBuilder.int64().build(), n), n)
    }
  })
})
