import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { formatDate } from '../../../src/data/values-format.ts'
import { ConfigError, DataError } from '../../../src/errors.ts'
import { CastKey, CastValue } from '../../../src/transforms/cast.ts'
import { configured, sourceRecord } from './helpers.ts'

const MILLIS_PER_DAY = 86_400_000
const MILLIS_PER_HOUR = 3_600_000

function castValue(spec: string, extra: Record<string, unknown> = {}) {
  return configured(CastValue, { spec, ...extra })
}

describe('Cast config', () => {
  for (const [what, spec] of [
    ['an empty spec', ''],
    ['an unknown type', 'foo:faketype'],
    ['a field cast to array', 'foo:array'],
    ['a whole-value cast to array', 'array'],
    ['a cast to bytes', 'foo:bytes'],
    ['a mapping with three parts', 'foo:int8:extra'],
    ['a whole-value cast mixed with field casts', 'foo:int8,int32'],
  ] as const) {
    it(`rejects ${what}`, () => {
      assert.throws(() => configured(CastKey, { spec }), ConfigError)
    })
  }

  it("names the supported output types as Java's message does", () => {
    assert.throws(() => configured(CastKey, { spec: 'foo:bytes' }), {
      message:
        'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    })
  })

  it("reports an empty spec with Java's message", () => {
    assert.throws(() => configured(CastKey, { spec: '' }), { message: 'Must specify at least one field to cast.' })
  })
})

describe('Cast of null keys and values', () => {
  it('passes a record with a null value and a schema through', () => {
    const original = sourceRecord({ keySchema: Schema.STRING_SCHEMA, key: 'key', valueSchema: Schema.STRING_SCHEMA })
    assert.equal(castValue('foo:int64').apply(original), original)
  })

  it('passes a schemaless record with a null value through', () => {
    const original = sourceRecord({ keySchema: Schema.STRING_SCHEMA, key: 'key' })
    assert.equal(castValue('foo:int64').apply(original), original)
  })

  it('passes a record with a null key through', () => {
    const original = sourceRecord({ keySchema: Schema.STRING_SCHEMA, valueSchema: Schema.STRING_SCHEMA, value: 'v' })
    assert.equal(configured(CastKey, { spec: 'foo:int64' }).apply(original), original)
  })

  for (const [replace, expected] of [
    [false, null],
    [true, '10'],
  ] as const) {
    it(`casts a null field with a default to ${String(expected)} when replace.null.with.default=${replace}`, () => {
      const schema = SchemaBuilder.struct().field('magic', SchemaBuilder.int32().optional().defaultValue(10)).build()
      const transformed = castValue('magic:string', { 'replace.null.with.default': replace }).apply(
        sourceRecord({ keySchema: Schema.STRING_SCHEMA, key: 'key', valueSchema: schema, value: new Struct(schema) }),
      )
      assert.equal(transformed.valueSchema?.field('magic')?.schema.type, 'STRING')
      assert.equal((transformed.value as Struct).getWithoutDefault('magic'), expected)
    })
  }
})

describe('Cast of a whole key or value with a schema', () => {
  it('casts the key', () => {
    const transformed = configured(CastKey, { spec: 'int8' }).apply(
      sourceRecord({ keySchema: Schema.INT32_SCHEMA, key: 42, valueSchema: Schema.STRING_SCHEMA, value: 'bogus' }),
    )
    assert.equal(transformed.keySchema?.type, 'INT8')
    assert.equal(transformed.key, 42)
  })

  for (const [spec, type, expected] of [
    ['int8', 'INT8', 42],
    ['int16', 'INT16', 42],
    ['int32', 'INT32', 42],
    ['int64', 'INT64', 42],
    ['float32', 'FLOAT32', 42],
    ['float64', 'FLOAT64', 42],
    ['boolean', 'BOOLEAN', true],
    ['string', 'STRING', '42'],
  ] as const) {
    it(`casts int32 42 to ${spec}`, () => {
      const transformed = castValue(spec).apply(sourceRecord({ valueSchema: Schema.INT32_SCHEMA, value: 42 }))
      assert.equal(transformed.valueSchema?.type, type)
      assert.equal(transformed.value, expected)
    })
  }

  it('casts int32 0 to boolean false', () => {
    assert.equal(castValue('boolean').apply(sourceRecord({ valueSchema: Schema.INT32_SCHEMA, value: 0 })).value, false)
  })

  it('casts a decimal to its plain text', () => {
    const transformed = castValue('string').apply(
      sourceRecord({ valueSchema: Decimal.schema(0), value: BigDecimal.parse('42') }),
    )
    assert.equal(transformed.valueSchema?.type, 'STRING')
    assert.equal(transformed.value, '42')
  })

  it("casts a timestamp to Values' date text", () => {
    const timestamp = new Date(MILLIS_PER_DAY + 1)
    const transformed = castValue('string').apply(sourceRecord({ valueSchema: Timestamp.SCHEMA, value: timestamp }))
    assert.equal(transformed.value, formatDate(timestamp))
    assert.equal(transformed.value, '1970-01-02T00:00:00.001Z')
  })

  it("casts the schema's default value too", () => {
    const transformed = castValue('int32').apply(
      sourceRecord({ valueSchema: SchemaBuilder.float32().defaultValue(-42.125).build(), value: 42.125 }),
    )
    assert.equal(transformed.valueSchema?.type, 'INT32')
    assert.equal(transformed.value, 42)
    assert.equal(transformed.valueSchema?.defaultValue, -42)
  })
})

describe('Cast of a whole schemaless key or value', () => {
  it('casts the key', () => {
    const transformed = configured(CastKey, { spec: 'int8' }).apply(
      sourceRecord({ key: 42, valueSchema: Schema.STRING_SCHEMA, value: 'bogus' }),
    )
    assert.equal(transformed.keySchema, null)
    assert.equal(transformed.key, 42)
  })

  for (const [spec, expected] of [
    ['int8', 42],
    ['int16', 42],
    ['int32', 42],
    ['int64', 42],
    ['float32', 42],
    ['float64', 42],
    ['boolean', true],
    ['string', '42'],
  ] as const) {
    it(`casts 42 to ${spec}`, () => {
      const transformed = castValue(spec).apply(sourceRecord({ value: 42 }))
      assert.equal(transformed.valueSchema, null)
      assert.equal(transformed.value, expected)
    })
  }

  it('casts 0 to boolean false', () => {
    assert.equal(castValue('boolean').apply(sourceRecord({ value: 0 })).value, false)
  })

  it('refuses a list', () => {
    assert.throws(() => castValue('int8').apply(sourceRecord({ value: ['foo'] })), DataError)
  })
})

describe('Cast of fields with a schema', () => {
  it('casts logical types to their encoding, wrapping and widening as Java does', () => {
    const schema = SchemaBuilder.struct()
      .field('date_to_int32', ConnectDate.SCHEMA)
      .field('timestamp_to_int64', Timestamp.SCHEMA)
      .field('time_to_int64', Time.SCHEMA)
      .field('decimal_to_int32', Decimal.schema(0))
      .field('timestamp_to_float64', Timestamp.SCHEMA)
      .field('null_timestamp_to_int32', Timestamp.builder().optional())
      .build()
    const value = new Struct(schema)
      .put('date_to_int32', new Date(MILLIS_PER_DAY))
      .put('timestamp_to_int64', new Date(0))
      .put('time_to_int64', new Date(1))
      .put('decimal_to_int32', BigDecimal.parse('2147483648'))
      // Java's test uses Long.MAX_VALUE, beyond what a JavaScript Date holds; the largest Date loses nothing.
      .put('timestamp_to_float64', new Date(8.64e15))
    const transformed = castValue(
      'date_to_int32:int32,timestamp_to_int64:int64,time_to_int64:int64,decimal_to_int32:int32,timestamp_to_float64:float64,null_timestamp_to_int32:int32',
    ).apply(sourceRecord({ valueSchema: schema, value }))
    const out = transformed.value as Struct
    assert.equal(out.get('date_to_int32'), 1)
    assert.equal(out.get('timestamp_to_int64'), 0)
    assert.equal(out.get('time_to_int64'), 1)
    assert.equal(out.get('decimal_to_int32'), -2147483648)
    assert.equal(out.get('timestamp_to_float64'), 8.64e15)
    assert.equal(out.get('null_timestamp_to_int32'), null)
    const types = Object.fromEntries(out.schema.fields.map((f) => [f.name, f.schema.type]))
    assert.deepEqual(types, {
      date_to_int32: 'INT32',
      timestamp_to_int64: 'INT64',
      time_to_int64: 'INT64',
      decimal_to_int32: 'INT32',
      timestamp_to_float64: 'FLOAT64',
      null_timestamp_to_int32: 'INT32',
    })
  })

  it("casts logical types to Values' text", () => {
    const date = new Date(MILLIS_PER_DAY)
    const time = new Date(MILLIS_PER_HOUR)
    const timestamp = new Date()
    const schema = SchemaBuilder.struct()
      .field('date', ConnectDate.SCHEMA)
      .field('decimal', Decimal.schema(0))
      .field('time', Time.SCHEMA)
      .field('timestamp', Timestamp.SCHEMA)
      .build()
    const value = new Struct(schema)
      .put('date', date)
      .put('decimal', BigDecimal.parse('1982'))
      .put('time', time)
      .put('timestamp', timestamp)
    const out = castValue('date:string,decimal:string,time:string,timestamp:string').apply(
      sourceRecord({ valueSchema: schema, value }),
    ).value as Struct
    assert.equal(out.get('date'), '1970-01-02')
    assert.equal(out.get('decimal'), '1982')
    assert.equal(out.get('time'), '01:00:00.000Z')
    assert.equal(out.get('timestamp'), formatDate(timestamp))
    assert.ok(out.schema.fields.every((f) => f.schema.type === 'STRING'))
  })

  it('casts every primitive field, keeping optionality and casting defaults', () => {
    const bytes = new Uint8Array([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10])
    const schema = SchemaBuilder.struct()
      .field('int8', Schema.INT8_SCHEMA)
      .field('int16', Schema.OPTIONAL_INT16_SCHEMA)
      .field('int32', SchemaBuilder.int32().defaultValue(2))
      .field('int64', Schema.INT64_SCHEMA)
      .field('float32', Schema.FLOAT32_SCHEMA)
      .field('float64', SchemaBuilder.float64().defaultValue(-1.125))
      .field('boolean', Schema.BOOLEAN_SCHEMA)
      .field('string', Schema.STRING_SCHEMA)
      .field('bigdecimal', Decimal.schema(0))
      .field('date', ConnectDate.SCHEMA)
      .field('optional', Schema.OPTIONAL_FLOAT32_SCHEMA)
      .field('timestamp', Timestamp.SCHEMA)
      .field('bytes', Schema.BYTES_SCHEMA)
      .build()
    const value = new Struct(schema)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('int64', 64)
      .put('float32', 32)
      .put('float64', -64)
      .put('boolean', true)
      .put('bigdecimal', BigDecimal.parse('42'))
      .put('date', new Date(MILLIS_PER_DAY))
      .put('string', '42')
      .put('timestamp', new Date(0))
      .put('bytes', bytes)
    const out = castValue(
      'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,bigdecimal:string,date:string,optional:int32,bytes:string',
    ).apply(sourceRecord({ valueSchema: schema, value })).value as Struct
    assert.equal(out.get('int8'), 8)
    assert.equal(out.schema.field('int16')?.schema.optional, true)
    assert.equal(out.get('int16'), 16)
    assert.equal(out.get('int32'), 32)
    assert.equal(out.schema.field('int32')?.schema.defaultValue, 2)
    assert.equal(out.get('int64'), true)
    assert.equal(out.get('float32'), 32)
    assert.equal(out.get('float64'), true)
    assert.equal(out.schema.field('float64')?.schema.defaultValue, true)
    assert.equal(out.get('boolean'), 1)
    assert.equal(out.get('string'), 42)
    assert.equal(out.get('bigdecimal'), '42')
    assert.equal(out.get('date'), '1970-01-02')
    assert.deepEqual(out.get('timestamp'), new Date(0))
    assert.equal(out.get('bytes'), '/ty6mHZUMhA=')
    assert.equal(out.get('optional'), null)
    const types = Object.fromEntries(out.schema.fields.map((f) => [f.name, f.schema.type]))
    assert.deepEqual(types, {
      int8: 'INT16',
      int16: 'INT32',
      int32: 'INT64',
      int64: 'BOOLEAN',
      float32: 'FLOAT64',
      float64: 'BOOLEAN',
      boolean: 'INT8',
      string: 'INT32',
      bigdecimal: 'STRING',
      date: 'STRING',
      optional: 'INT32',
      timestamp: 'INT64',
      bytes: 'STRING',
    })
    assert.equal(out.schema.field('timestamp')?.schema.name, Timestamp.LOGICAL_NAME)
  })
})

describe('Cast of schemaless fields', () => {
  it('casts each listed field of a map', () => {
    const value = new Map<string, unknown>([
      ['int8', 8],
      ['int16', 16],
      ['int32', 32],
      ['int64', 64],
      ['float32', 32],
      ['float64', -64],
      ['boolean', true],
      ['string', '42'],
    ])
    const transformed = castValue(
      'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32',
    ).apply(sourceRecord({ value }))
    assert.equal(transformed.valueSchema, null)
    assert.deepEqual(
      transformed.value,
      new Map<string, unknown>([
        ['int8', 8],
        ['int16', 16],
        ['int32', 32],
        ['int64', true],
        ['float32', 32],
        ['float64', true],
        ['boolean', 1],
        ['string', 42],
      ]),
    )
  })

  it('gives a plain object back for a plain object', () => {
    const transformed = castValue('a:string').apply(sourceRecord({ value: { a: 1, b: 2 } }))
    assert.deepEqual(transformed.value, { a: '1', b: 2 })
  })

  it('reports a string out of range for the type', () => {
    assert.throws(() => castValue('a:int8').apply(sourceRecord({ value: new Map([['a', '300']]) })), {
      name: 'DataError',
      message: 'Value (300) was out of range for requested data type',
    })
  })
})

describe('Cast version', () => {
  it('is the same for key and value', () => {
    assert.equal(new CastKey().version(), new CastValue().version())
  })
})
