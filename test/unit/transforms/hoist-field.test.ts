import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../src/data/schema.ts'
import type { Struct } from '../../../src/data/struct.ts'
import { HoistFieldKey, HoistFieldValue } from '../../../src/transforms/hoist-field.ts'
import { configured, sinkRecord } from './helpers.ts'

describe('HoistField', () => {
  it('wraps a schemaless key in a map', () => {
    const out = configured(HoistFieldKey, { field: 'magic' }).apply(sinkRecord({ key: 42 }))
    assert.equal(out.keySchema, null)
    assert.deepEqual(out.key, new Map([['magic', 42]]))
  })

  it('wraps a key with a schema in a struct whose field has that schema', () => {
    const out = configured(HoistFieldKey, { field: 'magic' }).apply(
      sinkRecord({ keySchema: Schema.INT32_SCHEMA, key: 42 }),
    )
    assert.equal(out.keySchema?.type, 'STRUCT')
    assert.ok(Schema.INT32_SCHEMA.equals(out.keySchema?.field('magic')?.schema))
    assert.equal((out.key as Struct).get('magic'), 42)
  })

  it('gives a schemaless map that can be changed', () => {
    const key = configured(HoistFieldKey, { field: 'magic' }).apply(sinkRecord({ key: 420 })).key as Map<
      string,
      unknown
    >
    key.set('k', 'v')
    assert.deepEqual(
      key,
      new Map<string, unknown>([
        ['magic', 420],
        ['k', 'v'],
      ]),
    )
  })

  it('wraps the value with the Value variant', () => {
    const out = configured(HoistFieldValue, { field: 'v' }).apply(sinkRecord({ key: 'k', value: 'x' }))
    assert.equal(out.key, 'k')
    assert.deepEqual(out.value, new Map([['v', 'x']]))
  })
})
