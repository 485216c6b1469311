import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError, DataError } from '../../../src/errors.ts'
import { MaskFieldValue } from '../../../src/transforms/mask-field.ts'
import { configured, sinkRecord } from './helpers.ts'

const SCHEMA = SchemaBuilder.struct()
  .field('magic', Schema.INT32_SCHEMA)
  .field('bool', Schema.BOOLEAN_SCHEMA)
  .field('byte', Schema.INT8_SCHEMA)
  .field('short', Schema.INT16_SCHEMA)
  .field('int', Schema.INT32_SCHEMA)
  .field('long', Schema.INT64_SCHEMA)
  .field('float', Schema.FLOAT32_SCHEMA)
  .field('double', Schema.FLOAT64_SCHEMA)
  .field('string', Schema.STRING_SCHEMA)
  .field('date', ConnectDate.SCHEMA)
  .field('time', Time.SCHEMA)
  .field('timestamp', Timestamp.SCHEMA)
  .field('decimal', Decimal.schema(0))
  .field('array', SchemaBuilder.array(Schema.INT32_SCHEMA))
  .field('map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA))
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('default'))
  .build()

function values(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['magic', 42],
    ['bool', true],
    ['int', 42],
    ['long', 2 ** 40],
    ['double', 42.5],
    ['string', '55.121.20.20'],
    ['date', new Date()],
    ['bigint', 42n],
    ['bigdec', BigDecimal.parse('42.0')],
    ['list', [42]],
    ['map', new Map([['key', 'value']])],
  ])
}

function valuesWithSchema(): Struct {
  const now = new Date()
  return new Struct(SCHEMA)
    .put('magic', 42)
    .put('bool', true)
    .put('byte', 42)
    .put('short', 42)
    .put('int', 42)
    .put('long', 42)
    .put('float', 42)
    .put('double', 42)
    .put('string', 'hmm')
    .put('date', new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())))
    .put('time', new Date(1000))
    .put('timestamp', now)
    .put('decimal', BigDecimal.parse('42'))
    .put('array', [1, 2, 3])
    .put('map', new Map([['what', 'what']]))
    .put('withDefault', null)
}

function masking(fields: string[], replacement?: string) {
  return configured(MaskFieldValue, { fields, replacement, 'replace.null.with.default': false })
}

describe('MaskField', () => {
  it('masks schemaless fields with empty values of their types', () => {
    const fields = [...values().keys()].filter((k) => k !== 'magic')
    const out = masking(fields).apply(sinkRecord({ value: values() })).value as Map<string, unknown>
    assert.equal(out.get('magic'), 42)
    assert.equal(out.get('bool'), false)
    assert.equal(out.get('int'), 0)
    assert.equal(out.get('long'), 0)
    assert.equal(out.get('double'), 0)
    assert.equal(out.get('string'), '')
    assert.deepEqual(out.get('date'), new Date(0))
    assert.equal(out.get('bigint'), 0n)
    assert.ok(BigDecimal.parse('0').equals(out.get('bigdec')))
    assert.deepEqual(out.get('list'), [])
    assert.deepEqual(out.get('map'), new Map())
  })

  it('masks fields of a struct with empty values of their types', () => {
    const fields = SCHEMA.fields.map((f) => f.name).filter((n) => n !== 'magic')
    const out = masking(fields).apply(sinkRecord({ valueSchema: SCHEMA, value: valuesWithSchema() })).value as Struct
    assert.equal(out.get('magic'), 42)
    assert.equal(out.get('bool'), false)
    for (const numeric of ['byte', 'short', 'int', 'long', 'float', 'double']) assert.equal(out.get(numeric), 0)
    assert.equal(out.get('string'), '')
    assert.deepEqual(out.get('date'), new Date(0))
    assert.deepEqual(out.get('time'), new Date(0))
    assert.deepEqual(out.get('timestamp'), new Date(0))
    assert.ok(BigDecimal.parse('0').equals(out.get('decimal')))
    assert.deepEqual(out.get('array'), [])
    assert.deepEqual(out.get('map'), new Map())
    assert.equal(out.getWithoutDefault('withDefault'), null)
  })

  for (const [field, replacement, expected] of [
    ['int', '123', 123],
    ['long', '123', 123],
    ['double', '123.0', 123],
    ['string', '123', '123'],
    ['bigint', '123', 123n],
  ] as const) {
    it(`replaces schemaless ${field} with the replacement converted to its type`, () => {
      const out = masking([field], replacement).apply(sinkRecord({ value: values() })).value as Map<string, unknown>
      assert.equal(out.get(field), expected)
    })
  }

  it('replaces a schemaless decimal with the replacement as a decimal', () => {
    const out = masking(['bigdec'], '123.0').apply(sinkRecord({ value: values() })).value as Map<string, unknown>
    assert.ok(BigDecimal.parse('123.0').equals(out.get('bigdec')))
  })

  for (const [field, replacement, expected] of [
    ['short', '123', 123],
    ['byte', '123', 123],
    ['int', '123', 123],
    ['long', '123', 123],
    ['float', '123.0', 123],
    ['double', '123.0', 123],
    ['string', '123', '123'],
  ] as const) {
    it(`replaces struct field ${field} with the replacement converted to its type`, () => {
      const out = masking([field], replacement).apply(sinkRecord({ valueSchema: SCHEMA, value: valuesWithSchema() }))
      assert.equal((out.value as Struct).get(field), expected)
    })
  }

  it('replaces a decimal struct field with the replacement as a decimal', () => {
    const out = masking(['decimal'], '123.0').apply(sinkRecord({ valueSchema: SCHEMA, value: valuesWithSchema() }))
    assert.ok(BigDecimal.parse('123.0').equals((out.value as Struct).get('decimal')))
  })

  for (const fields of [['date'], ['int', 'date'], ['bool'], ['list'], ['map']]) {
    it(`cannot replace schemaless ${fields.join(' and ')} with a custom value`, () => {
      assert.throws(() => masking(fields, '123').apply(sinkRecord({ value: values() })), {
        name: 'DataError',
        message: /^Cannot mask value of type/,
      })
    })
  }

  for (const field of ['time', 'timestamp', 'array']) {
    it(`cannot replace struct field ${field} with a custom value`, () => {
      assert.throws(
        () => masking([field], '123').apply(sinkRecord({ valueSchema: SCHEMA, value: valuesWithSchema() })),
        { name: 'DataError', message: /^Cannot mask value of type/ },
      )
    })
  }

  for (const field of ['int', 'long', 'double', 'bigint', 'bigdec']) {
    it(`fails to replace numeric ${field} with text that is not a number`, () => {
      assert.throws(() => masking([field], 'foo').apply(sinkRecord({ value: values() })), DataError)
    })
  }

  it('rejects an empty replacement', () => {
    assert.throws(() => masking(['int'], ''), ConfigError)
  })

  it('gives lists and maps that can be changed', () => {
    const out = masking(['array', 'map']).apply(sinkRecord({ valueSchema: SCHEMA, value: valuesWithSchema() }))
    const list = (out.value as Struct).get('array') as number[]
    list.push(0)
    assert.deepEqual(list, [0])
    const map = (out.value as Struct).get('map') as Map<string, string>
    map.set('k', 'v')
    assert.deepEqual(map, new Map([['k', 'v']]))
  })
})
