import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Headers } from '../../../src/data/headers.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError } from '../../../src/errors.ts'
import { HeaderFromKey, HeaderFromValue } from '../../../src/transforms/header-from.ts'
import { headerTriples, sourceRecord } from './helpers.ts'

type FieldSpec = [name: string, schema: Schema, value: unknown]
type HeaderSpec = [name: string, schema: Schema, value: unknown]

function record(keyTransform: boolean, withSchema: boolean, fields: FieldSpec[], headers: HeaderSpec[]) {
  const h = new Headers()
  for (const [name, schema, value] of headers) h.add(name, value, withSchema ? schema : null)
  let schema: Schema | null = null
  let data: unknown
  if (withSchema) {
    const b = SchemaBuilder.struct()
    for (const [name, s] of fields) b.field(name, s)
    schema = b.build()
    const struct = new Struct(schema)
    for (const [name, , value] of fields) struct.put(name, value)
    data = struct
  } else {
    data = new Map(fields.map(([name, , value]) => [name, value]))
  }
  return sourceRecord({
    sourcePartition: { foo: 'bar' },
    sourceOffset: { baz: 'quxx' },
    keySchema: keyTransform ? schema : null,
    key: keyTransform ? data : 'key',
    valueSchema: keyTransform ? null : schema,
    value: keyTransform ? 'value' : data,
    timestamp: 0,
    headers: h,
  })
}

const STRING = Schema.STRING_SCHEMA
const fooSchema = SchemaBuilder.struct().field('foo', STRING).build()
const fooStruct = new Struct(fooSchema).put('foo', 'foo-value')
const withDefault = () => SchemaBuilder.string().defaultValue('default').optional().build()

const CASES: {
  name: string
  fields: FieldSpec[]
  headers: HeaderSpec[]
  transformFields: string[]
  transformHeaders: string[]
  operation: 'copy' | 'move'
  replaceNullWithDefault: boolean
  expectedFields: FieldSpec[]
  expectedHeaders: HeaderSpec[]
}[] = [
  {
    name: 'basic copy',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'copy',
    replaceNullWithDefault: true,
    expectedFields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
    ],
  },
  {
    name: 'basic move',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'move',
    replaceNullWithDefault: true,
    expectedFields: [['field2', STRING, 'field2-value']],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
    ],
  },
  {
    name: 'copy with preexisting header',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['inserted1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'copy',
    replaceNullWithDefault: true,
    expectedFields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    expectedHeaders: [
      ['inserted1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
    ],
  },
  {
    name: 'move with preexisting header',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['inserted1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'move',
    replaceNullWithDefault: true,
    expectedFields: [['field2', STRING, 'field2-value']],
    expectedHeaders: [
      ['inserted1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
    ],
  },
  {
    name: 'copy with struct value',
    fields: [
      ['field1', fooSchema, fooStruct],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'copy',
    replaceNullWithDefault: true,
    expectedFields: [
      ['field1', fooSchema, fooStruct],
      ['field2', STRING, 'field2-value'],
    ],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', fooSchema, fooStruct],
    ],
  },
  {
    name: 'move with struct value',
    fields: [
      ['field1', fooSchema, fooStruct],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1'],
    transformHeaders: ['inserted1'],
    operation: 'move',
    replaceNullWithDefault: true,
    expectedFields: [['field2', STRING, 'field2-value']],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', fooSchema, fooStruct],
    ],
  },
  {
    name: 'two headers from same field',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1', 'field1'],
    transformHeaders: ['inserted1', 'inserted2'],
    operation: 'move',
    replaceNullWithDefault: true,
    expectedFields: [['field2', STRING, 'field2-value']],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
      ['inserted2', STRING, 'field1-value'],
    ],
  },
  {
    name: 'two fields to same header',
    fields: [
      ['field1', STRING, 'field1-value'],
      ['field2', STRING, 'field2-value'],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1', 'field2'],
    transformHeaders: ['inserted1', 'inserted1'],
    operation: 'move',
    replaceNullWithDefault: true,
    expectedFields: [],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', STRING, 'field1-value'],
      ['inserted1', STRING, 'field2-value'],
    ],
  },
  {
    name: 'copy null field without default',
    fields: [
      ['field1', withDefault(), 'field1-value'],
      ['field2', withDefault(), null],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1', 'field2'],
    transformHeaders: ['inserted1', 'inserted2'],
    operation: 'copy',
    replaceNullWithDefault: false,
    expectedFields: [
      ['field1', withDefault(), 'field1-value'],
      ['field2', withDefault(), null],
    ],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', withDefault(), 'field1-value'],
      ['inserted2', withDefault(), null],
    ],
  },
  {
    name: 'move null field without default',
    fields: [
      ['field1', withDefault(), 'field1-value'],
      ['field2', withDefault(), null],
    ],
    headers: [['header1', STRING, 'existing-value']],
    transformFields: ['field1', 'field2'],
    transformHeaders: ['inserted1', 'inserted2'],
    operation: 'move',
    replaceNullWithDefault: false,
    expectedFields: [],
    expectedHeaders: [
      ['header1', STRING, 'existing-value'],
      ['inserted1', withDefault(), 'field1-value'],
      ['inserted2', withDefault(), null],
    ],
  },
]

function part(r: ReturnType<typeof record>, keyTransform: boolean) {
  return keyTransform ? { schema: r.keySchema, value: r.key } : { schema: r.valueSchema, value: r.value }
}

describe('HeaderFrom', () => {
  for (const keyTransform of [true, false]) {
    const variant = keyTransform ? HeaderFromKey : HeaderFromValue
    for (const c of CASES) {
      for (const withSchema of [false, true]) {
        it(`${c.name} (${keyTransform ? 'key' : 'value'}, ${withSchema ? 'with schema' : 'schemaless'})`, () => {
          const xform = new variant()
          xform.configure({
            headers: c.transformHeaders,
            fields: c.transformFields,
            operation: c.operation,
            'replace.null.with.default': c.replaceNullWithDefault,
          })
          const out = xform.apply(record(keyTransform, withSchema, c.fields, c.headers))
          const expected = record(keyTransform, withSchema, c.expectedFields, c.expectedHeaders)
          assert.deepEqual(out.sourcePartition, expected.sourcePartition)
          assert.equal(out.topic, expected.topic)
          const got = part(out, keyTransform)
          const want = part(expected, keyTransform)
          if (withSchema) {
            assert.ok(want.schema?.equals(got.schema))
            assert.ok((want.value as Struct).equals(got.value))
          } else {
            assert.equal(got.schema, null)
            assert.deepEqual(got.value, want.value)
          }
          assert.deepEqual(headerTriples(out.headers), headerTriples(expected.headers))
          assert.equal(keyTransform ? out.value : out.key, keyTransform ? 'value' : 'key')
        })
      }
    }

    it(`rejects more fields than headers (${keyTransform ? 'key' : 'value'})`, () => {
      assert.throws(
        () => new variant().configure({ headers: ['foo'], fields: ['foo', 'bar'], operation: 'copy' }),
        ConfigError,
      )
    })

    it(`rejects more headers than fields (${keyTransform ? 'key' : 'value'})`, () => {
      assert.throws(() => new variant().configure({ headers: ['foo', 'bar'], fields: ['foo'], operation: 'copy' }), {
        message: "'fields' config must have the same number of elements as 'headers' config.",
      })
    })

    it(`rejects empty headers and fields (${keyTransform ? 'key' : 'value'})`, () => {
      assert.throws(() => new variant().configure({ headers: [], fields: [], operation: 'copy' }), ConfigError)
    })
  }

  it('rejects an unknown operation', () => {
    assert.throws(() => new HeaderFromValue().configure({ headers: 'a', fields: 'b', operation: 'swap' }), {
      message: 'Invalid value swap for configuration operation: String must be one of: move, copy',
    })
  })
})
