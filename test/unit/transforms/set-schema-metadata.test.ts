import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError, DataError } from '../../../src/errors.ts'
import { SetSchemaMetadataKey, SetSchemaMetadataValue } from '../../../src/transforms/set-schema-metadata.ts'
import { configured, sinkRecord } from './helpers.ts'

function assertMatchingSchema(value: Struct, schema: Schema): void {
  assert.equal(value.schema, schema)
  for (const field of schema.fields) {
    assert.equal(value.schema.field(field.name)?.index, field.index)
    assert.equal(value.schema.field(field.name)?.schema, field.schema)
  }
}

const origSchema = () =>
  SchemaBuilder.struct()
    .name('my.orig.SchemaDefn')
    .field('f1', Schema.STRING_SCHEMA)
    .field('f2', Schema.INT32_SCHEMA)
    .build()

describe('SetSchemaMetadata', () => {
  it('sets the schema name', () => {
    const out = configured(SetSchemaMetadataValue, { 'schema.name': 'foo' }).apply(
      sinkRecord({ topic: '', valueSchema: SchemaBuilder.struct().build() }),
    )
    assert.equal(out.valueSchema?.name, 'foo')
  })

  it('sets the schema version', () => {
    const out = configured(SetSchemaMetadataValue, { 'schema.version': 42 }).apply(
      sinkRecord({ topic: '', valueSchema: SchemaBuilder.struct().build() }),
    )
    assert.equal(out.valueSchema?.version, 42)
  })

  it('sets both', () => {
    const out = configured(SetSchemaMetadataValue, { 'schema.name': 'foo', 'schema.version': '42' }).apply(
      sinkRecord({ topic: '', valueSchema: SchemaBuilder.struct().build() }),
    )
    assert.equal(out.valueSchema?.name, 'foo')
    assert.equal(out.valueSchema?.version, 42)
  })

  it('rebuilds a struct value on the new schema', () => {
    const schema = origSchema()
    const out = configured(SetSchemaMetadataValue, { 'schema.name': 'foo', 'schema.version': '42' }).apply(
      sinkRecord({ topic: '', valueSchema: schema, value: new Struct(schema).put('f1', 'value1').put('f2', 1) }),
    )
    assert.equal(out.valueSchema?.name, 'foo')
    assert.equal(out.valueSchema?.version, 42)
    assertMatchingSchema(out.value as Struct, out.valueSchema as Schema)
    assert.equal((out.value as Struct).get('f1'), 'value1')
  })

  for (const [replace, expected] of [
    [false, null],
    [true, 'default'],
  ] as const) {
    it(`copies a null field with a default as ${expected} when replace.null.with.default=${replace}`, () => {
      const schema = SchemaBuilder.struct()
        .name('my.orig.SchemaDefn')
        .field('f1', SchemaBuilder.string().defaultValue('default').optional())
        .field('f2', Schema.INT32_SCHEMA)
        .build()
      const out = configured(SetSchemaMetadataValue, {
        'schema.name': 'foo',
        'schema.version': '42',
        'replace.null.with.default': replace,
      }).apply(sinkRecord({ topic: '', valueSchema: schema, value: new Struct(schema).put('f1', null).put('f2', 1) }))
      assertMatchingSchema(out.value as Struct, out.valueSchema as Schema)
      assert.equal((out.value as Struct).getWithoutDefault('f1'), expected)
    })
  }

  it('requires a schema', () => {
    assert.throws(
      () => configured(SetSchemaMetadataValue, { 'schema.name': 'foo' }).apply(sinkRecord({ topic: '', value: 42 })),
      { name: 'DataError', message: 'Schema required for [updating schema metadata]' },
    )
  })

  it('ignores a record with neither value nor schema', () => {
    const out = configured(SetSchemaMetadataValue, { 'schema.name': 'foo' }).apply(sinkRecord({ topic: '' }))
    assert.equal(out.key, null)
    assert.equal(out.keySchema, null)
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, null)
  })

  it('updates the schema a struct refers to', () => {
    const schema = origSchema()
    const newSchema = SchemaBuilder.struct()
      .name('my.updated.SchemaDefn')
      .field('f1', Schema.STRING_SCHEMA)
      .field('f2', Schema.INT32_SCHEMA)
      .build()
    const xform = configured(SetSchemaMetadataValue, { 'schema.name': 'x' })
    assertMatchingSchema(
      xform.updateSchemaIn(new Struct(schema).put('f1', 'value1').put('f2', 1), newSchema) as Struct,
      newSchema,
    )
  })

  it('gives a value that is not a struct back as it is', () => {
    const xform = configured(SetSchemaMetadataValue, { 'schema.name': 'x' })
    assert.equal(xform.updateSchemaIn(1, Schema.INT32_SCHEMA), 1)
    assert.equal(xform.updateSchemaIn(null, Schema.INT32_SCHEMA), null)
  })

  it('renames the key schema with the Key variant', () => {
    const out = configured(SetSchemaMetadataKey, { 'schema.name': 'k' }).apply(
      sinkRecord({ keySchema: Schema.STRING_SCHEMA, key: 'x' }),
    )
    assert.equal(out.keySchema?.name, 'k')
    assert.equal(out.key, 'x')
  })

  it('requires a name or a version', () => {
    assert.throws(() => configured(SetSchemaMetadataValue, {}), {
      name: 'ConfigError',
      message: 'Neither schema name nor version configured',
    })
  })

  it('rejects a version that is not an int', () => {
    assert.throws(() => configured(SetSchemaMetadataValue, { 'schema.version': 'x' }), ConfigError)
  })

  it('fails for a value of a non-struct type without schema', () => {
    assert.throws(
      () => configured(SetSchemaMetadataValue, { 'schema.name': 'x' }).apply(sinkRecord({ value: 'v' })),
      DataError,
    )
  })
})
