import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/errors.ts'
import { FlattenKey, FlattenValue } from '../../../src/transforms/flatten.ts'
import { configured, sourceRecord } from './helpers.ts'

const bytes = new TextEncoder().encode('bytes')

describe('Flatten', () => {
  it('requires a struct at the top level', () => {
    assert.throws(
      () => configured(FlattenValue).apply(sourceRecord({ valueSchema: Schema.INT32_SCHEMA, value: 42 })),
      DataError,
    )
  })

  it('requires a map at the top level without schema', () => {
    assert.throws(() => configured(FlattenValue).apply(sourceRecord({ value: 42 })), DataError)
  })

  it('flattens nested structs, joining names with dots', () => {
    const types = SchemaBuilder.struct()
      .field('int8', Schema.INT8_SCHEMA)
      .field('int16', Schema.INT16_SCHEMA)
      .field('int32', Schema.INT32_SCHEMA)
      .field('int64', Schema.INT64_SCHEMA)
      .field('float32', Schema.FLOAT32_SCHEMA)
      .field('float64', Schema.FLOAT64_SCHEMA)
      .field('boolean', Schema.BOOLEAN_SCHEMA)
      .field('string', Schema.STRING_SCHEMA)
      .field('bytes', Schema.BYTES_SCHEMA)
      .build()
    const one = SchemaBuilder.struct().field('B', types).build()
    const two = SchemaBuilder.struct().field('A', one).build()
    const leaf = new Struct(types)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('int64', 64)
      .put('float32', 32)
      .put('float64', 64)
      .put('boolean', true)
      .put('string', 'stringy')
      .put('bytes', bytes)
    const value = new Struct(two).put('A', new Struct(one).put('B', leaf))
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: two, value }))
    assert.equal(out.valueSchema?.type, 'STRUCT')
    const struct = out.value as Struct
    assert.equal(struct.schema.fields.length, 9)
    assert.equal(struct.getInt8('A.B.int8'), 8)
    assert.equal(struct.getInt16('A.B.int16'), 16)
    assert.equal(struct.getInt32('A.B.int32'), 32)
    assert.equal(struct.getInt64('A.B.int64'), 64)
    assert.equal(struct.getFloat32('A.B.float32'), 32)
    assert.equal(struct.getFloat64('A.B.float64'), 64)
    assert.equal(struct.getBoolean('A.B.boolean'), true)
    assert.equal(struct.getString('A.B.string'), 'stringy')
    assert.deepEqual(struct.getBytes('A.B.bytes'), bytes)
  })

  it('flattens nested maps with the configured delimiter', () => {
    const leaf = new Map<string, unknown>([
      ['int8', 8],
      ['int32', 32],
      ['float64', 64.5],
      ['boolean', true],
      ['string', 'stringy'],
      ['bytes', bytes],
    ])
    const value = new Map([['A', new Map([['B', leaf]])]])
    const out = configured(FlattenValue, { delimiter: '#' }).apply(sourceRecord({ value }))
    assert.equal(out.valueSchema, null)
    assert.deepEqual(
      out.value,
      new Map<string, unknown>([
        ['A#B#int8', 8],
        ['A#B#int32', 32],
        ['A#B#float64', 64.5],
        ['A#B#boolean', true],
        ['A#B#string', 'stringy'],
        ['A#B#bytes', bytes],
      ]),
    )
  })

  it('keeps a null optional field of a nested struct', () => {
    const inner = SchemaBuilder.struct().field('opt_int32', Schema.OPTIONAL_INT32_SCHEMA).build()
    const outer = SchemaBuilder.struct().field('B', inner).build()
    const value = new Struct(outer).put('B', new Struct(inner).put('opt_int32', null))
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: outer, value }))
    assert.equal((out.value as Struct).get('B.opt_int32'), null)
  })

  it('keeps a null optional struct null, with the flattened schema', () => {
    const schema = SchemaBuilder.struct().optional().field('opt_int32', Schema.OPTIONAL_INT32_SCHEMA).build()
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: schema }))
    assert.equal(out.valueSchema?.type, 'STRUCT')
    assert.equal(out.value, null)
  })

  it('flattens a null optional nested struct into null fields', () => {
    const inner = SchemaBuilder.struct().optional().field('opt_int32', Schema.OPTIONAL_INT32_SCHEMA).build()
    const outer = SchemaBuilder.struct().field('B', inner).build()
    const out = configured(FlattenValue).apply(
      sourceRecord({ valueSchema: outer, value: new Struct(outer).put('B', null) }),
    )
    assert.equal((out.value as Struct).get('B.opt_int32'), null)
  })

  it('keeps a null field of a nested map', () => {
    const value = new Map([['B', new Map([['opt_int32', null]])]])
    const out = configured(FlattenValue).apply(sourceRecord({ value }))
    assert.equal((out.value as Map<string, unknown>).get('B.opt_int32'), null)
  })

  it('flattens a schemaless key', () => {
    const out = configured(FlattenKey).apply(sourceRecord({ key: new Map([['A', new Map([['B', 12]])]]) }))
    assert.equal(out.keySchema, null)
    assert.deepEqual(out.key, new Map([['A.B', 12]]))
  })

  it('leaves schemaless arrays and their contents alone', () => {
    const value = new Map([['foo', ['bar', new Map([['baz', new Map([['lfg', 'lfg']])]])]]])
    assert.deepEqual(configured(FlattenValue).apply(sourceRecord({ value })).value, value)
  })

  it('leaves arrays of structs alone', () => {
    const nested = SchemaBuilder.struct().field('lfg', Schema.STRING_SCHEMA).build()
    const inner = SchemaBuilder.struct().field('baz', nested).build()
    const schema = SchemaBuilder.struct().field('foo', SchemaBuilder.array(inner).doc('durk')).build()
    const value = new Struct(schema).put('foo', [new Struct(inner).put('baz', new Struct(nested).put('lfg', 'lfg'))])
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: schema, value }))
    assert.ok(value.equals(out.value))
    assert.ok(schema.equals(out.valueSchema))
  })

  it('makes fields optional under an optional struct, with defaults from the parent', () => {
    const builder = SchemaBuilder.struct()
      .optional()
      .field('req_field', Schema.STRING_SCHEMA)
      .field('opt_field', SchemaBuilder.string().optional().defaultValue('child_default'))
    const childDefault = new Struct(builder.build()).put('req_field', 'req_default')
    const schema = builder.defaultValue(childDefault).build()
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: schema, value: new Struct(schema) }))
    const flat = out.valueSchema as Schema
    assert.equal(flat.type, 'STRUCT')
    assert.equal(flat.fields.length, 2)
    assert.ok(
      SchemaBuilder.string().optional().defaultValue('req_default').build().equals(flat.field('req_field')?.schema),
    )
    assert.ok(
      SchemaBuilder.string().optional().defaultValue('child_default').build().equals(flat.field('opt_field')?.schema),
    )
  })

  it('passes a schemaless tombstone through', () => {
    const out = configured(FlattenValue).apply(sourceRecord({ topic: 'test' }))
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, null)
  })

  it('passes a tombstone with a schema through, schema unchanged', () => {
    const schema = SchemaBuilder.struct()
      .name('name')
      .version(1)
      .doc('doc')
      .field('magic', Schema.OPTIONAL_INT64_SCHEMA)
      .build()
    const out = configured(FlattenValue).apply(sourceRecord({ valueSchema: schema }))
    assert.equal(out.value, null)
    assert.ok(schema.equals(out.valueSchema))
  })

  it('keeps null entries of a map, in order', () => {
    const value = new Map<string, unknown>([
      ['firstNull', null],
      ['firstNonNull', 'nonNull'],
      ['secondNull', null],
      ['secondNonNull', 'alsoNonNull'],
      ['thirdNonNull', null],
    ])
    assert.deepEqual(configured(FlattenValue).apply(sourceRecord({ value })).value, value)
  })

  it('keeps null fields of a struct', () => {
    const schema = SchemaBuilder.struct()
      .field('firstNull', Schema.OPTIONAL_STRING_SCHEMA)
      .field('firstNonNull', Schema.OPTIONAL_STRING_SCHEMA)
      .field('secondNull', Schema.OPTIONAL_STRING_SCHEMA)
      .field('secondNonNull', Schema.OPTIONAL_STRING_SCHEMA)
      .field('thirdNonNull', Schema.OPTIONAL_STRING_SCHEMA)
      .build()
    const value = new Struct(schema).put('firstNonNull', 'nonNull').put('secondNonNull', 'alsoNonNull')
    assert.ok(value.equals(configured(FlattenValue).apply(sourceRecord({ valueSchema: schema, value })).value))
  })

  it('reuses the flattened schema for the same input schema', () => {
    const inner = SchemaBuilder.struct().field('x', Schema.INT32_SCHEMA).build()
    const schema = SchemaBuilder.struct().field('a', inner).build()
    const flatten = configured(FlattenValue)
    const record = () =>
      sourceRecord({ valueSchema: schema, value: new Struct(schema).put('a', new Struct(inner).put('x', 1)) })
    assert.equal(flatten.apply(record()).valueSchema, flatten.apply(record()).valueSchema)
  })
})
