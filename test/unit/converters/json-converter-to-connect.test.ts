import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaAndValue } from '../../../src/data/schema-and-value.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/errors.ts'

// Cases from apache/kafka JsonConverterTest (the *ToConnect tests).
const TOPIC = 'topic'
let converter: JsonConverter

function read(json: string): SchemaAndValue {
  return converter.toConnectData(TOPIC, Buffer.from(json))
}

function assertRead(json: string, expected: SchemaAndValue): void {
  const actual = read(json)
  assert.ok(actual.equals(expected), `${actual} != ${expected}`)
}

beforeEach(() => {
  converter = new JsonConverter()
  converter.configure({}, false)
})

describe('JsonConverter.toConnectData with schemas', () => {
  it('reads schema metadata', () => {
    assertRead('{ "schema": { "type": "boolean" }, "payload": true }', new SchemaAndValue(Schema.BOOLEAN_SCHEMA, true))
    assertRead(
      '{ "schema": { "type": "boolean", "optional": true }, "payload": null }',
      new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, null),
    )
    assertRead(
      '{ "schema": { "type": "boolean", "default": true }, "payload": null }',
      new SchemaAndValue(SchemaBuilder.bool().defaultValue(true).build(), true),
    )
    assertRead(
      '{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }',
      new SchemaAndValue(
        SchemaBuilder.bool()
          .required()
          .name('bool')
          .version(2)
          .doc('the documentation')
          .parameter('foo', 'bar')
          .build(),
        true,
      ),
    )
  })
  it('reads every primitive type', () => {
    assertRead(
      '{ "schema": { "type": "boolean" }, "payload": false }',
      new SchemaAndValue(Schema.BOOLEAN_SCHEMA, false),
    )
    assertRead('{ "schema": { "type": "int8" }, "payload": 12 }', new SchemaAndValue(Schema.INT8_SCHEMA, 12))
    assertRead('{ "schema": { "type": "int16" }, "payload": 12 }', new SchemaAndValue(Schema.INT16_SCHEMA, 12))
    assertRead('{ "schema": { "type": "int32" }, "payload": 12 }', new SchemaAndValue(Schema.INT32_SCHEMA, 12))
    assertRead(
      '{ "schema": { "type": "int64" }, "payload": 4398046511104 }',
      new SchemaAndValue(Schema.INT64_SCHEMA, 4398046511104),
    )
    assertRead(
      '{ "schema": { "type": "float" }, "payload": 12.34 }',
      new SchemaAndValue(Schema.FLOAT32_SCHEMA, Math.fround(12.34)),
    )
    assertRead('{ "schema": { "type": "double" }, "payload": 12.34 }', new SchemaAndValue(Schema.FLOAT64_SCHEMA, 12.34))
    assertRead(
      '{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }',
      new SchemaAndValue(Schema.STRING_SCHEMA, 'foo-bar-baz'),
    )
    const bytes = read('{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }').value as Uint8Array
    assert.equal(Buffer.from(bytes).toString(), 'test-string')
  })
  it('keeps int64 values beyond 2^53 exact as bigint', () => {
    assert.equal(read('{ "schema": { "type": "int64" }, "payload": 9223372036854775807 }').value, 9223372036854775807n)
  })
  it('reads numbers with leading zeros', () => {
    assertRead('{ "schema": { "type": "int8" }, "payload": 0012 }', new SchemaAndValue(Schema.INT8_SCHEMA, 12))
    assertRead('{ "schema": { "type": "int16" }, "payload": 000123 }', new SchemaAndValue(Schema.INT16_SCHEMA, 123))
    assertRead(
      '{ "schema": { "type": "int32" }, "payload": 000012345 }',
      new SchemaAndValue(Schema.INT32_SCHEMA, 12345),
    )
    assertRead(
      '{ "schema": { "type": "int64" }, "payload": 00000123456789 }',
      new SchemaAndValue(Schema.INT64_SCHEMA, 123456789),
    )
  })
  it('reads arrays and maps', () => {
    assertRead(
      '{ "schema": { "type": "array", "items": { "type" : "int32" } }, "payload": [1, 2, 3] }',
      new SchemaAndValue(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1, 2, 3]),
    )
    assertRead(
      '{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }',
      new SchemaAndValue(
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
        new Map([
          ['key1', 12],
          ['key2', 15],
        ]),
      ),
    )
    assertRead(
      '{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }',
      new SchemaAndValue(
        SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build(),
        new Map([
          [1, 12],
          [2, 15],
        ]),
      ),
    )
  })
  it('reads structs, leaving missing optional fields null', () => {
    const schema = SchemaBuilder.struct()
      .field('field1', Schema.BOOLEAN_SCHEMA)
      .field('field2', Schema.STRING_SCHEMA)
      .build()
    assertRead(
      '{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string" } }',
      new SchemaAndValue(schema, new Struct(schema).put('field1', true).put('field2', 'string')),
    )
    const withOptional = SchemaBuilder.struct()
      .field('optional', Schema.OPTIONAL_STRING_SCHEMA)
      .field('required', Schema.STRING_SCHEMA)
      .build()
    assertRead(
      '{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }',
      new SchemaAndValue(withOptional, new Struct(withOptional).put('required', 'required')),
    )
  })
  it('reads a Kafka null as SchemaAndValue.NULL', () => {
    assert.equal(converter.toConnectData(TOPIC, null), SchemaAndValue.NULL)
  })
  it('reads schemaless payloads inside the envelope', () => {
    assertRead('{ "schema": null, "payload": null }', SchemaAndValue.NULL)
    assertRead('{ "schema": null, "payload": true }', new SchemaAndValue(null, true))
    assertRead('{ "schema": null, "payload": 12 }', new SchemaAndValue(null, 12))
    assertRead('{ "schema": null, "payload": 12.24 }', new SchemaAndValue(null, 12.24))
    assertRead('{ "schema": null, "payload": "a string" }', new SchemaAndValue(null, 'a string'))
    assertRead('{ "schema": null, "payload": [1, "2", 3] }', new SchemaAndValue(null, [1, '2', 3]))
    assertRead(
      '{ "schema": null, "payload": { "field1": 1, "field2": 2} }',
      new SchemaAndValue(
        null,
        new Map([
          ['field1', 1],
          ['field2', 2],
        ]),
      ),
    )
  })
  it('reads decimals from base64 and from numbers, keeping the literal scale', () => {
    const msg = (payload: string, scale: number) =>
      `{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "${scale}" } }, "payload": ${payload} }`
    assertRead(msg('"AJw="', 2), new SchemaAndValue(Decimal.schema(2), new BigDecimal(156n, 2)))
    assertRead(msg('1.56', 2), new SchemaAndValue(Decimal.schema(2), new BigDecimal(156n, 2)))
    assertRead(msg('1.5600', 4), new SchemaAndValue(Decimal.schema(4), new BigDecimal(15600n, 4)))
    assertRead(
      msg('1.23456789123456789', 17),
      new SchemaAndValue(Decimal.schema(17), BigDecimal.parse('1.23456789123456789')),
    )
  })
  it('reads a null decimal as its default', () => {
    const reference = new BigDecimal(156n, 2)
    assertRead(
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }',
      new SchemaAndValue(Decimal.builder(2).defaultValue(reference).build(), reference),
    )
    assertRead(
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "parameters": { "scale": "2" } }, "payload": null }',
      new SchemaAndValue(Decimal.builder(2).optional().build(), null),
    )
  })
  it('reads dates, times and timestamps, with defaults', () => {
    assertRead(
      '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }',
      new SchemaAndValue(ConnectDate.SCHEMA, new Date(10000 * 86400000)),
    )
    assertRead(
      '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1, "default": 0 }, "payload": null }',
      new SchemaAndValue(ConnectDate.builder().defaultValue(new Date(0)).build(), new Date(0)),
    )
    assertRead(
      '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }',
      new SchemaAndValue(Time.SCHEMA, new Date(14400000)),
    )
    assertRead(
      '{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1 }, "payload": 4000000000 }',
      new SchemaAndValue(Timestamp.SCHEMA, new Date(4000000000)),
    )
    assertRead(
      '{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1,  "optional": true, "default": 42 }, "payload": null }',
      new SchemaAndValue(Timestamp.builder().optional().defaultValue(new Date(42)).build(), new Date(42)),
    )
  })
  it('reads null fields as null when replace.null.with.default=false', () => {
    const json =
      '{"schema":{"type":"struct","fields":[{"field":"field1","type":"string","optional":true,"default":"default"}],"optional":false},"payload":{"field1":null}}'
    const fieldSchema = SchemaBuilder.string().optional().defaultValue('default').build()
    const structSchema = SchemaBuilder.struct().field('field1', fieldSchema).build()
    assert.ok((read(json).value as Struct).equals(new Struct(structSchema).put('field1', 'default')))
    converter.configure({ 'replace.null.with.default': false }, false)
    assert.ok((read(json).value as Struct).equals(new Struct(structSchema)))
  })
  it('rejects input that is not exactly the envelope, suggesting schemas.enable=false', () => {
    for (const json of ['true', '{"schema":null}', '{"schema":null,"payload":1,"x":2}', '']) {
      assert.throws(
        () => read(json),
        (e: unknown) => e instanceof DataError && e.message.includes('schemas.enable=false'),
      )
    }
  })
  it('rejects bytes that are not JSON with the reason', () => {
    assert.throws(
      () => read('{"schema": nul'),
      (e: unknown) => {
        return (
          e instanceof DataError &&
          e.message.startsWith('Converting byte[] to Kafka Connect data failed due to serialization error: ')
        )
      },
    )
  })
  it('rejects a payload of the wrong kind for its schema', () => {
    assert.throws(() => read('{ "schema": { "type": "int32" }, "payload": "x" }'), DataError)
    assert.throws(() => read('{ "schema": { "type": "int8" }, "payload": 300 }'), DataError)
    assert.throws(() => read('{ "schema": { "type": "int32" }, "payload": null }'), {
      message: 'Invalid null value for required INT32 field',
    })
    assert.throws(() => read('{ "schema": { "type": "nope" }, "payload": 1 }'), {
      message: 'Unknown schema type: nope',
    })
  })
  it('caches one schema per distinct schema JSON', () => {
    read('{ "schema": { "type": "boolean" }, "payload": true }')
    read('{ "schema": { "type": "boolean" }, "payload": true }')
    assert.equal(converter.toConnectSchemaCacheSize, 1)
    read('{ "schema": { "type": "boolean", "optional": true }, "payload": true }')
    read('{ "schema": { "type": "boolean", "optional": false }, "payload": true }')
    assert.equal(converter.toConnectSchemaCacheSize, 3)
  })
})

describe('JsonConverter.toConnectData without schemas', () => {
  beforeEach(() => converter.configure({ 'schemas.enable': false }, true))
  it('reads plain JSON', () => {
    assertRead('true', new SchemaAndValue(null, true))
    assertRead(
      '{ "a": "", "b": null}',
      new SchemaAndValue(
        null,
        new Map<string, unknown>([
          ['a', ''],
          ['b', null],
        ]),
      ),
    )
  })
  it('reads empty bytes as SchemaAndValue.NULL', () => {
    assert.ok(converter.toConnectData(TOPIC, new Uint8Array(0)).equals(SchemaAndValue.NULL))
  })
})

describe('JsonConverter round trip', () => {
  it('reads back what it wrote', () => {
    const schema = SchemaBuilder.struct()
      .field('id', Schema.INT64_SCHEMA)
      .field('price', Decimal.schema(2))
      .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA))
      .field('at', Timestamp.builder().optional())
      .build()
    const value = new Struct(schema)
      .put('id', 2n ** 60n)
      .put('price', new BigDecimal(-12345n, 2))
      .put('tags', ['a', 'b'])
    const back = converter.toConnectData(TOPIC, converter.fromConnectData(TOPIC, schema, value))
    assert.ok(back.equals(new SchemaAndValue(schema, value)))
  })
})
