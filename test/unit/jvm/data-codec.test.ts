import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema, schemasEqual } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import {
  decodeAny,
  decodeValue,
  encodeAny,
  encodeValue,
  SchemaTable,
  schemaFromWire,
  schemasFrom,
  schemaToWire,
} from '../../../src/jvm/data-codec.ts'

/** What crosses the boundary, as JSON text would carry it. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

const address = SchemaBuilder.struct()
  .name('com.example.Address')
  .field('street', Schema.STRING_SCHEMA)
  .field('zip', Schema.OPTIONAL_INT32_SCHEMA)
  .build()
const person = SchemaBuilder.struct()
  .name('com.example.Person')
  .version(3)
  .doc('a person')
  .parameter('connect.name', 'Person')
  .field('id', Schema.INT64_SCHEMA)
  .field('balance', Decimal.schema(2))
  .field('born', ConnectDate.builder().build())
  .field('seen', Timestamp.builder().optional().build())
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
  .field('scores', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.FLOAT64_SCHEMA).build())
  .field('address', address)
  .field('photo', Schema.OPTIONAL_BYTES_SCHEMA)
  .field('ratio', Schema.FLOAT32_SCHEMA)
  .field('level', SchemaBuilder.int8().defaultValue(7).build())
  .build()

describe('the JVM plugin host data codec', () => {
  it('carries a schema with names, versions, docs, parameters, children and defaults', () => {
    const back = schemaFromWire(overTheWire(schemaToWire(person)))
    assert.ok(schemasEqual(back, person))
    assert.equal(back.fields.find((f) => f.name === 'level')?.schema.defaultValue, 7)
  })

  it('carries a struct with 64-bit integers, decimals, dates, maps with non-string keys and bytes exactly', () => {
    const value = new Struct(person)
      .put('id', 2n ** 63n - 1n)
      .put('balance', new BigDecimal(-123456789012345678901234567890n, 2))
      .put('born', new Date(Date.UTC(1999, 11, 31)))
      .put('seen', null)
      .put('tags', ['a', 'b'])
      .put(
        'scores',
        new Map([
          [1, Number.NaN],
          [2, -0.5],
        ]),
      )
      .put('address', new Struct(address).put('street', 'Main').put('zip', null))
      .put('photo', new Uint8Array([0, 255, 7]))
      .put('ratio', Math.fround(1.1))
      .put('level', 3)
    const back = decodeValue(person, overTheWire(encodeValue(person, value))) as Struct
    assert.ok(back.equals(value), `${String(back)} != ${String(value)}`)
    assert.equal(back.get('id'), 2n ** 63n - 1n)
  })

  it('keeps a field that is null as null instead of its default', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().optional().defaultValue(5).build()).build()
    const back = decodeValue(schema, overTheWire(encodeValue(schema, new Struct(schema)))) as Struct
    assert.equal(back.getWithoutDefault('n'), null)
  })

  it('tags values without a schema with their type', () => {
    const value = new Map<unknown, unknown>([
      ['big', 9007199254740993n],
      ['small', 42],
      ['pi', 3.14],
      ['list', ['x', true, null]],
      ['bytes', new Uint8Array([1, 2])],
    ])
    assert.deepEqual(decodeAny(overTheWire(encodeAny(value))), value)
  })

  it('sends each schema of a batch once and names it by index', () => {
    const table = new SchemaTable()
    assert.equal(table.id(person), 0)
    assert.equal(table.id(Schema.STRING_SCHEMA), 1)
    assert.equal(table.id(person), 0)
    assert.equal(table.id(null), -1)
    assert.equal(schemasFrom(overTheWire(table.schemas)).length, 2)
  })
})
