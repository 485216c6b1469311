import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ExtractFieldKey, ExtractFieldValue } from '../../../src/transforms/extract-field.ts'
import { configured, sinkRecord } from './helpers.ts'

const V2 = { 'field.syntax.version': 'V2' }

describe('ExtractField', () => {
  it('extracts a field of a schemaless key', () => {
    const out = configured(ExtractFieldKey, { field: 'magic' }).apply(sinkRecord({ key: new Map([['magic', 42]]) }))
    assert.equal(out.keySchema, null)
    assert.equal(out.key, 42)
  })

  it('extracts a nested field of a schemaless key with V2 paths', () => {
    const key = new Map([['magic', new Map([['foo', 42]])]])
    const out = configured(ExtractFieldKey, { field: 'magic.foo', ...V2 }).apply(sinkRecord({ key }))
    assert.equal(out.keySchema, null)
    assert.equal(out.key, 42)
  })

  it('keeps a null schemaless key null', () => {
    const out = configured(ExtractFieldKey, { field: 'magic' }).apply(sinkRecord())
    assert.equal(out.keySchema, null)
    assert.equal(out.key, null)
  })

  it('extracts a field of a struct, with the field schema', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).build()
    const out = configured(ExtractFieldKey, { field: 'magic' }).apply(
      sinkRecord({ keySchema, key: new Struct(keySchema).put('magic', 42) }),
    )
    assert.ok(Schema.INT32_SCHEMA.equals(out.keySchema))
    assert.equal(out.key, 42)
  })

  it('extracts a nested field of a struct with V2 paths', () => {
    const foo = SchemaBuilder.struct().field('foo', Schema.INT32_SCHEMA).build()
    const keySchema = SchemaBuilder.struct().field('magic', foo).build()
    const key = new Struct(keySchema).put('magic', new Struct(foo).put('foo', 42))
    const out = configured(ExtractFieldKey, { field: 'magic.foo', ...V2 }).apply(sinkRecord({ keySchema, key }))
    assert.ok(Schema.INT32_SCHEMA.equals(out.keySchema))
    assert.equal(out.key, 42)
  })

  it('gives a null struct the field schema and a null value', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).optional().build()
    const out = configured(ExtractFieldKey, { field: 'magic' }).apply(sinkRecord({ keySchema }))
    assert.ok(Schema.INT32_SCHEMA.equals(out.keySchema))
    assert.equal(out.key, null)
  })

  it('gives null for a field a schemaless value lacks', () => {
    const out = configured(ExtractFieldKey, { field: 'nonexistent' }).apply(
      sinkRecord({ key: new Map([['magic', 42]]) }),
    )
    assert.equal(out.key, null)
  })

  it('gives null for a nested field a schemaless value lacks', () => {
    const key = new Map([['magic', new Map([['foo', 42]])]])
    const out = configured(ExtractFieldKey, { field: 'magic.nonexistent', ...V2 }).apply(sinkRecord({ key }))
    assert.equal(out.key, null)
  })

  it('fails for a field the schema lacks', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).build()
    const record = sinkRecord({ keySchema, key: new Struct(keySchema).put('magic', 42) })
    assert.throws(() => configured(ExtractFieldKey, { field: 'nonexistent' }).apply(record), {
      message: 'Unknown field: nonexistent',
    })
  })

  it('fails for a nested field the schema lacks', () => {
    const foo = SchemaBuilder.struct().field('foo', Schema.INT32_SCHEMA).build()
    const keySchema = SchemaBuilder.struct().field('magic', foo).build()
    const record = sinkRecord({ keySchema, key: new Struct(keySchema).put('magic', new Struct(foo).put('foo', 42)) })
    assert.throws(() => configured(ExtractFieldKey, { field: 'magic.nonexistent', ...V2 }).apply(record), {
      message: 'Unknown field: magic.nonexistent',
    })
  })

  for (const [replace, expected] of [
    [false, null],
    [true, 42],
  ] as const) {
    const schema = SchemaBuilder.struct()
      .field('optional_with_default', SchemaBuilder.int32().optional().defaultValue(42))
      .build()
    const props = { field: 'optional_with_default', 'replace.null.with.default': replace }

    it(`extracts an unset optional key field as ${expected} when replace.null.with.default=${replace}`, () => {
      const out = configured(ExtractFieldKey, props).apply(sinkRecord({ keySchema: schema, key: new Struct(schema) }))
      assert.equal(out.key, expected)
    })

    it(`extracts an unset optional value field as ${expected} when replace.null.with.default=${replace}`, () => {
      const out = configured(ExtractFieldValue, props).apply(
        sinkRecord({ valueSchema: schema, value: new Struct(schema) }),
      )
      assert.equal(out.value, expected)
    })
  }

  it('accepts a plain object as a schemaless map', () => {
    assert.equal(configured(ExtractFieldValue, { field: 'a' }).apply(sinkRecord({ value: { a: 'x' } })).value, 'x')
  })
})
