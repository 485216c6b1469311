import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/errors.ts'

// Expected bytes are what Java's JsonConverter (Jackson) writes for the same data; the cases are those of
// apache/kafka JsonConverterTest, with Jackson's compact output and JsonConverter's property order written out.
const TOPIC = 'topic'
let converter: JsonConverter

function written(schema: Schema | null, value: unknown): string | null {
  const bytes = converter.fromConnectData(TOPIC, schema, value)
  return bytes === null ? null : Buffer.from(bytes).toString('utf8')
}

beforeEach(() => {
  converter = new JsonConverter()
  converter.configure({}, false)
})

describe('JsonConverter.fromConnectData with schemas', () => {
  it('writes schema metadata in Java order', () => {
    assert.equal(written(Schema.BOOLEAN_SCHEMA, true), '{"schema":{"type":"boolean","optional":false},"payload":true}')
    assert.equal(
      written(Schema.OPTIONAL_BOOLEAN_SCHEMA, null),
      '{"schema":{"type":"boolean","optional":true},"payload":null}',
    )
    assert.equal(
      written(SchemaBuilder.bool().defaultValue(true).build(), true),
      '{"schema":{"type":"boolean","optional":false,"default":true},"payload":true}',
    )
    assert.equal(
      written(
        SchemaBuilder.bool()
          .required()
          .name('bool')
          .version(3)
          .doc('the documentation')
          .parameter('foo', 'bar')
          .build(),
        true,
      ),
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"}},"payload":true}',
    )
  })
  it('writes integers of every width', () => {
    assert.equal(written(Schema.INT8_SCHEMA, 12), '{"schema":{"type":"int8","optional":false},"payload":12}')
    assert.equal(written(Schema.INT16_SCHEMA, 12), '{"schema":{"type":"int16","optional":false},"payload":12}')
    assert.equal(written(Schema.INT32_SCHEMA, 12), '{"schema":{"type":"int32","optional":false},"payload":12}')
    assert.equal(
      written(Schema.INT64_SCHEMA, 4398046511104),
      '{"schema":{"type":"int64","optional":false},"payload":4398046511104}',
    )
    assert.equal(
      written(Schema.INT64_SCHEMA, 9223372036854775807n),
      '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}',
    )
  })
  it('writes floats and doubles as Java prints them', () => {
    assert.equal(written(Schema.FLOAT32_SCHEMA, 12.34), '{"schema":{"type":"float","optional":false},"payload":12.34}')
    assert.equal(written(Schema.FLOAT64_SCHEMA, 12.34), '{"schema":{"type":"double","optional":false},"payload":12.34}')
    assert.equal(written(Schema.FLOAT64_SCHEMA, 1), '{"schema":{"type":"double","optional":false},"payload":1.0}')
    assert.equal(written(Schema.FLOAT64_SCHEMA, 1e20), '{"schema":{"type":"double","optional":false},"payload":1.0E20}')
    assert.equal(
      written(Schema.FLOAT64_SCHEMA, Number.NaN),
      '{"schema":{"type":"double","optional":false},"payload":"NaN"}',
    )
  })
  it('writes bytes as base64 and strings with Jackson escapes', () => {
    assert.equal(
      written(Schema.BYTES_SCHEMA, Buffer.from('test-string')),
      '{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}',
    )
    assert.equal(
      written(Schema.STRING_SCHEMA, 'a"b\\c\n\u0001é/'),
      '{"schema":{"type":"string","optional":false},"payload":"a\\"b\\\\c\\n\\u0001é/"}',
    )
  })
  it('writes arrays, string-keyed maps as objects and other maps as pairs', () => {
    assert.equal(
      written(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1, 2, 3]),
      '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}',
    )
    assert.equal(
      written(
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
        new Map([
          ['key1', 12],
          ['key2', 15],
        ]),
      ),
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}',
    )
    assert.equal(
      written(
        SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build(),
        new Map([
          [1, 12],
          [2, 15],
        ]),
      ),
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[[1,12],[2,15]]}',
    )
  })
  it('writes structs with field schemas ending in "field"', () => {
    const schema = SchemaBuilder.struct()
      .field('field1', Schema.BOOLEAN_SCHEMA)
      .field('field2', Schema.STRING_SCHEMA)
      .field('field3', Schema.STRING_SCHEMA)
      .field('field4', Schema.BOOLEAN_SCHEMA)
      .build()
    const value = new Struct(schema)
      .put('field1', true)
      .put('field2', 'string2')
      .put('field3', 'string3')
      .put('field4', false)
    assert.equal(
      written(schema, value),
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},{"type":"string","optional":false,"field":"field3"},{"type":"boolean","optional":false,"field":"field4"}],"optional":false},"payload":{"field1":true,"field2":"string2","field3":"string3","field4":false}}',
    )
  })
  it('writes a struct with one optional int32 field', () => {
    const schema = SchemaBuilder.struct().field('id', Schema.OPTIONAL_INT32_SCHEMA).build()
    assert.equal(
      written(schema, new Struct(schema).put('id', 1)),
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"field":"id"}],"optional":false},"payload":{"id":1}}',
    )
  })
  it('writes decimals as base64 of the unscaled bytes by default', () => {
    assert.equal(
      written(Decimal.schema(2), new BigDecimal(156n, 2)),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}',
    )
  })
  it('writes decimals as numbers with decimal.format=NUMERIC, keeping trailing zeros', () => {
    converter.configure({ 'decimal.format': 'numeric' }, false)
    assert.equal(
      written(Decimal.schema(2), new BigDecimal(156n, 2)),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":1.56}',
    )
    assert.equal(
      written(Decimal.schema(4), new BigDecimal(15600n, 4)),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.5600}',
    )
  })
  it('rejects a decimal without a schema', () => {
    assert.throws(() => written(null, new BigDecimal(156n, 2)), DataError)
  })
  it('writes dates, times and timestamps as their int encodings', () => {
    assert.equal(
      written(ConnectDate.SCHEMA, new Date(10000 * 86400000)),
      '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}',
    )
    assert.equal(
      written(Time.SCHEMA, new Date(14400000)),
      '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":14400000}',
    )
    assert.equal(
      written(Timestamp.SCHEMA, new Date(4000000000)),
      '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}',
    )
  })
  it('writes schemaless values with a null schema', () => {
    assert.equal(written(null, true), '{"schema":null,"payload":true}')
    assert.equal(written(null, [1, 'string', true]), '{"schema":null,"payload":[1,"string",true]}')
    assert.equal(
      written(null, { key1: 12, key2: 'string', key3: true }),
      '{"schema":null,"payload":{"key1":12,"key2":"string","key3":true}}',
    )
    assert.equal(
      written(
        null,
        new Map<unknown, unknown>([
          ['string', 12],
          [52, 'string'],
          [false, true],
        ]),
      ),
      '{"schema":null,"payload":[["string",12],[52,"string"],[false,true]]}',
    )
  })
  it('writes a null value with a null schema as a Kafka null (tombstone)', () => {
    assert.equal(written(null, null), null)
    converter.configure({ 'schemas.enable': false }, true)
    assert.equal(written(null, null), null)
  })
  it('rejects a value that does not match its schema', () => {
    assert.throws(() => written(Schema.FLOAT64_SCHEMA, true), DataError)
  })
  it('replaces null with the default unless replace.null.with.default=false', () => {
    const schema = SchemaBuilder.string().optional().defaultValue('default').build()
    assert.equal(
      written(schema, null),
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}',
    )
    const structSchema = SchemaBuilder.struct().field('field1', schema).build()
    assert.equal(
      written(structSchema, new Struct(structSchema)),
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":"default"}}',
    )
    converter.configure({ 'replace.null.with.default': false }, false)
    assert.equal(
      written(schema, null),
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}',
    )
    assert.equal(
      written(structSchema, new Struct(structSchema)),
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}',
    )
  })
})

describe('JsonConverter.fromConnectData without schemas', () => {
  it('writes the payload alone', () => {
    converter.configure({ 'schemas.enable': 'false' }, false)
    assert.equal(written(null, true), 'true')
    assert.equal(written(Schema.FLOAT64_SCHEMA, 2.5), '2.5')
  })
})

describe('JsonConverter schema cache', () => {
  it('caches one JSON schema per schema', () => {
    const schema = SchemaBuilder.bool().build()
    written(schema, true)
    written(schema, true)
    assert.equal(converter.fromConnectSchemaCacheSize, 1)
    written(SchemaBuilder.bool().optional().build(), true)
    assert.equal(converter.fromConnectSchemaCacheSize, 2)
  })
  it('honours schemas.cache.size', () => {
    converter.configure({ 'schemas.cache.size': 1 }, false)
    written(Schema.BOOLEAN_SCHEMA, true)
    written(Schema.INT8_SCHEMA, 1)
    assert.equal(converter.fromConnectSchemaCacheSize, 1)
  })
})

describe('JsonConverter as a header converter', () => {
  it('delegates to the data conversion', () => {
    const bytes = converter.fromConnectHeader(TOPIC, 'headerName', Schema.STRING_SCHEMA, 'test-string')
    assert.equal(
      Buffer.from(bytes ?? []).toString(),
      '{"schema":{"type":"string","optional":false},"payload":"test-string"}',
    )
  })
})
