import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError } from '../../../src/errors.ts'
import { ValueToKey } from '../../../src/transforms/value-to-key.ts'
import { configured, sinkRecord } from './helpers.ts'

describe('ValueToKey', () => {
  it('builds a schemaless key from fields of the value', () => {
    const value = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ])
    const out = configured(ValueToKey, { fields: 'a,b' }).apply(sinkRecord({ topic: '', value }))
    assert.equal(out.keySchema, null)
    assert.deepEqual(
      out.key,
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    )
  })

  it('builds a struct key from fields of a struct value', () => {
    const valueSchema = SchemaBuilder.struct()
      .field('a', Schema.INT32_SCHEMA)
      .field('b', Schema.INT32_SCHEMA)
      .field('c', Schema.INT32_SCHEMA)
      .build()
    const value = new Struct(valueSchema).put('a', 1).put('b', 2).put('c', 3)
    const out = configured(ValueToKey, { fields: 'a,b' }).apply(sinkRecord({ topic: '', valueSchema, value }))
    const expectedSchema = SchemaBuilder.struct()
      .field('a', Schema.INT32_SCHEMA)
      .field('b', Schema.INT32_SCHEMA)
      .build()
    assert.ok(expectedSchema.equals(out.keySchema))
    assert.ok(new Struct(expectedSchema).put('a', 1).put('b', 2).equals(out.key))
  })

  it('fails for a field the value lacks', () => {
    const valueSchema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build()
    const record = sinkRecord({ topic: '', valueSchema, value: new Struct(valueSchema).put('a', 1) })
    assert.throws(() => configured(ValueToKey, { fields: 'not_exist' }).apply(record), {
      name: 'DataError',
      message: 'Field does not exist: not_exist',
    })
  })

  for (const [replace, expected] of [
    [false, null],
    [true, 42],
  ] as const) {
    it(`copies an unset field with a default as ${expected} when replace.null.with.default=${replace}`, () => {
      const valueSchema = SchemaBuilder.struct()
        .field('optional_with_default', SchemaBuilder.int32().optional().defaultValue(42))
        .build()
      const out = configured(ValueToKey, {
        fields: 'optional_with_default',
        'replace.null.with.default': replace,
      }).apply(sinkRecord({ topic: '', valueSchema, value: new Struct(valueSchema) }))
      assert.equal((out.key as Struct).getWithoutDefault('optional_with_default'), expected)
    })
  }

  it('requires at least one field', () => {
    assert.throws(() => configured(ValueToKey, { fields: '' }), ConfigError)
  })
})
