import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError, DataError } from '../../../src/errors.ts'
import { InsertFieldKey, InsertFieldValue } from '../../../src/transforms/insert-field.ts'
import { configured, sinkRecord, sourceRecord } from './helpers.ts'

const PROPS = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
}
const simpleSchema = SchemaBuilder.struct()
  .name('name')
  .version(1)
  .doc('doc')
  .field('magic', Schema.OPTIONAL_INT64_SCHEMA)
  .build()

describe('InsertField', () => {
  it('requires a struct at the top level', () => {
    const xform = configured(InsertFieldValue, { 'topic.field': 'topic_field' })
    assert.throws(() => xform.apply(sourceRecord({ topic: '', valueSchema: Schema.INT32_SCHEMA, value: 42 })), {
      name: 'DataError',
      message: 'Only Struct objects supported for [field insertion], found: number',
    })
  })

  it('copies the schema and inserts the configured fields', () => {
    const xform = configured(InsertFieldValue, PROPS)
    const out = xform.apply(
      sourceRecord({
        topic: 'test',
        valueSchema: simpleSchema,
        value: new Struct(simpleSchema).put('magic', 42),
        timestamp: 789,
      }),
    )
    const schema = out.valueSchema as Schema
    const value = out.value as Struct
    assert.equal(schema.name, 'name')
    assert.equal(schema.version, 1)
    assert.equal(schema.doc, 'doc')
    assert.ok(Schema.OPTIONAL_INT64_SCHEMA.equals(schema.field('magic')?.schema))
    assert.equal(value.getInt64('magic'), 42)
    assert.ok(Schema.STRING_SCHEMA.equals(schema.field('topic_field')?.schema))
    assert.equal(value.getString('topic_field'), 'test')
    assert.ok(Schema.OPTIONAL_INT32_SCHEMA.equals(schema.field('partition_field')?.schema))
    assert.equal(value.getInt32('partition_field'), 0)
    assert.ok(Timestamp.builder().optional().build().equals(schema.field('timestamp_field')?.schema))
    assert.equal((value.get('timestamp_field') as Date).getTime(), 789)
    assert.ok(Schema.OPTIONAL_STRING_SCHEMA.equals(schema.field('instance_id')?.schema))
    assert.equal(value.getString('instance_id'), 'my-instance-id')

    const again = xform.apply(
      sourceRecord({ topic: 'test', kafkaPartition: 1, valueSchema: simpleSchema, value: new Struct(simpleSchema) }),
    )
    assert.equal(again.valueSchema, out.valueSchema, 'the updated schema is cached')
  })

  it('inserts the configured fields into a schemaless value', () => {
    const out = configured(InsertFieldValue, PROPS).apply(
      sourceRecord({ topic: 'test', value: new Map([['magic', 42]]), timestamp: 123 }),
    )
    assert.deepEqual(
      out.value,
      new Map<string, unknown>([
        ['magic', 42],
        ['topic_field', 'test'],
        ['partition_field', 0],
        ['timestamp_field', 123],
        ['instance_id', 'my-instance-id'],
      ]),
    )
  })

  it('leaves a schemaless tombstone unchanged', () => {
    const out = configured(InsertFieldValue, PROPS).apply(sourceRecord({ topic: 'test' }))
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, null)
  })

  it('leaves a tombstone with a schema unchanged', () => {
    const out = configured(InsertFieldValue, PROPS).apply(sourceRecord({ topic: 'test', valueSchema: simpleSchema }))
    assert.equal(out.value, null)
    assert.equal(out.valueSchema, simpleSchema)
  })

  it('inserts into the key of a tombstone, leaving out a missing timestamp', () => {
    const out = configured(InsertFieldKey, PROPS).apply(sourceRecord({ topic: 'test', key: new Map([['magic', 42]]) }))
    assert.deepEqual(
      out.key,
      new Map<string, unknown>([
        ['magic', 42],
        ['topic_field', 'test'],
        ['partition_field', 0],
        ['instance_id', 'my-instance-id'],
      ]),
    )
    assert.equal(out.value, null)
  })

  it('returns the same record when the key is null', () => {
    const record = sourceRecord({ topic: 'test', value: new Map([['magic', 42]]) })
    assert.equal(configured(InsertFieldKey, PROPS).apply(record), record)
  })

  for (const [replace, expected] of [
    [false, null],
    [true, 42],
  ] as const) {
    it(`copies an unset optional field as ${expected} when replace.null.with.default=${replace}`, () => {
      const magic = SchemaBuilder.int64().optional().defaultValue(42).build()
      const schema = SchemaBuilder.struct()
        .name('name')
        .version(1)
        .doc('doc')
        .field('magic_with_default', magic)
        .build()
      const out = configured(InsertFieldValue, { ...PROPS, 'replace.null.with.default': replace }).apply(
        sourceRecord({ topic: 'test', valueSchema: schema, value: new Struct(schema), timestamp: 789 }),
      )
      assert.ok(magic.equals(out.valueSchema?.field('magic_with_default')?.schema))
      assert.equal((out.value as Struct).getWithoutDefault('magic_with_default'), expected)
    })
  }

  it('inserts the offset of a sink record', () => {
    const out = configured(InsertFieldValue, { 'offset.field': 'offset!' }).apply(
      sinkRecord({ kafkaOffset: 7, value: new Map() }),
    )
    assert.deepEqual(out.value, new Map([['offset', 7]]))
  })

  it('refuses to insert an offset into a source record', () => {
    assert.throws(
      () => configured(InsertFieldValue, { 'offset.field': 'offset' }).apply(sourceRecord({ value: new Map() })),
      { name: 'DataError', message: 'Only SinkRecord supported for [field insertion], found: SourceRecord' },
    )
  })

  it('requires at least one field to insert', () => {
    assert.throws(() => configured(InsertFieldValue, {}), { message: 'No field insertion configured' })
  })

  it('requires a static value with a static field', () => {
    assert.throws(() => configured(InsertFieldValue, { 'static.field': 'instance_id' }), ConfigError)
  })

  it('refuses a value that is neither struct nor map', () => {
    assert.throws(() => configured(InsertFieldValue, PROPS).apply(sourceRecord({ value: 'x' })), DataError)
  })
})
