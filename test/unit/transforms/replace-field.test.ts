import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ReplaceFieldKey, ReplaceFieldValue } from '../../../src/transforms/replace-field.ts'
import { configured, sinkRecord } from './helpers.ts'

const schema = SchemaBuilder.struct()
  .field('dont', Schema.STRING_SCHEMA)
  .field('abc', Schema.INT32_SCHEMA)
  .field('foo', Schema.BOOLEAN_SCHEMA)
  .field('etc', Schema.STRING_SCHEMA)
  .build()

describe('ReplaceField', () => {
  it('passes a schemaless tombstone through', () => {
    const out = configured(ReplaceFieldValue, { include: 'abc,foo', renames: 'abc:xyz,foo:bar' }).apply(
      sinkRecord({ topic: 'test' }),
    )
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, null)
  })

  it('passes a tombstone with a schema through', () => {
    const out = configured(ReplaceFieldValue, { include: 'abc,foo', renames: 'abc:xyz,foo:bar' }).apply(
      sinkRecord({ topic: 'test', valueSchema: schema }),
    )
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, schema)
  })

  it('excludes and renames schemaless fields', () => {
    const value = new Map<string, unknown>([
      ['dont', 'whatever'],
      ['abc', 42],
      ['foo', true],
      ['etc', 'etc'],
    ])
    const out = configured(ReplaceFieldValue, { exclude: 'dont', renames: 'abc:xyz,foo:bar' }).apply(
      sinkRecord({ value }),
    )
    assert.deepEqual(
      out.value,
      new Map<string, unknown>([
        ['xyz', 42],
        ['bar', true],
        ['etc', 'etc'],
      ]),
    )
  })

  it('includes and renames struct fields', () => {
    const value = new Struct(schema).put('dont', 'whatever').put('abc', 42).put('foo', true).put('etc', 'etc')
    const out = configured(ReplaceFieldValue, { include: 'abc,foo', renames: 'abc:xyz,foo:bar' }).apply(
      sinkRecord({ valueSchema: schema, value }),
    ).value as Struct
    assert.equal(out.schema.fields.length, 2)
    assert.equal(out.getInt32('xyz'), 42)
    assert.equal(out.getBoolean('bar'), true)
  })

  it('lets exclude win over include', () => {
    const out = configured(ReplaceFieldValue, { include: 'a,b', exclude: 'b' }).apply(
      sinkRecord({
        value: new Map([
          ['a', 1],
          ['b', 2],
        ]),
      }),
    )
    assert.deepEqual(out.value, new Map([['a', 1]]))
  })

  for (const [replace, expected] of [
    [false, null],
    [true, 42],
  ] as const) {
    const s = SchemaBuilder.struct().field('abc', SchemaBuilder.int32().optional().defaultValue(42)).build()
    const props = { include: 'abc', renames: 'abc:optional_with_default', 'replace.null.with.default': String(replace) }

    it(`copies an unset value field as ${expected} when replace.null.with.default=${replace}`, () => {
      const out = configured(ReplaceFieldValue, props).apply(sinkRecord({ valueSchema: s, value: new Struct(s) }))
      const struct = out.value as Struct
      assert.equal(struct.schema.fields.length, 1)
      assert.equal(struct.getWithoutDefault('optional_with_default'), expected)
    })

    it(`copies an unset key field as ${expected} when replace.null.with.default=${replace}`, () => {
      const out = configured(ReplaceFieldKey, props).apply(sinkRecord({ keySchema: s, key: new Struct(s) }))
      assert.equal((out.key as Struct).getWithoutDefault('optional_with_default'), expected)
    })
  }

  it("rejects a rename that is not a pair, with Java's message", () => {
    assert.throws(() => configured(ReplaceFieldValue, { renames: 'abc:xyz,foo' }), {
      name: 'ConfigError',
      message: 'Invalid value [abc:xyz, foo] for configuration renames: Invalid rename mapping: foo',
    })
  })
})
