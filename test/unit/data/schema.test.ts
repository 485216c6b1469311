import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { validateValue } from '../../../src/data/validate.ts'
import { DataError } from '../../../src/errors.ts'

describe('SchemaBuilder', () => {
  it('builds a primitive schema with every property', () => {
    const s = SchemaBuilder.int32().name('ls').version(2).doc('doc').parameter('k', 'v').optional().build()
    assert.equal(s.type, 'INT32')
    assert.equal(s.optional, true)
    assert.equal(s.name, 'ls')
    assert.equal(s.version, 2)
    assert.equal(s.doc, 'doc')
    assert.deepEqual({ ...s.parameters }, { k: 'v' })
  })
  it('rejects setting a property twice, with Java message', () => {
    assert.throws(() => SchemaBuilder.int8().name('a').name('b'), {
      message: 'Invalid SchemaBuilder call: name has already been set.',
    })
    assert.throws(() => SchemaBuilder.int8().optional().required(), {
      message: 'Invalid SchemaBuilder call: optional has already been set.',
    })
  })
  it('rejects a default value of the wrong type', () => {
    assert.throws(
      () => SchemaBuilder.int32().defaultValue('x'),
      (e: unknown) => {
        return e instanceof DataError && e.message === 'Invalid default value'
      },
    )
  })
  it('rejects fields on non-struct types and duplicate field names', () => {
    assert.throws(() => SchemaBuilder.int8().field('f', Schema.INT8_SCHEMA), {
      message: 'Cannot create fields on type INT8',
    })
    assert.throws(() => SchemaBuilder.struct().field('f', Schema.INT8_SCHEMA).field('f', Schema.INT8_SCHEMA), {
      message: 'Cannot create field because of field name duplication f',
    })
  })
  it('accepts builders where schemas are expected', () => {
    const s = SchemaBuilder.struct().field('a', SchemaBuilder.string().optional()).build()
    assert.ok(s.field('a')?.schema.equals(Schema.OPTIONAL_STRING_SCHEMA))
  })
  it('builds equal schemas from equal descriptions', () => {
    const a = SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.array(Schema.INT32_SCHEMA)).build()
    const b = SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.array(Schema.INT32_SCHEMA)).build()
    assert.ok(a.equals(b))
    assert.ok(!a.equals(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()))
  })
})

describe('ConnectSchema', () => {
  it('throws when asking a primitive for struct or container parts', () => {
    assert.throws(() => Schema.INT8_SCHEMA.fields, { message: 'Cannot list fields on non-struct type' })
    assert.throws(() => Schema.INT8_SCHEMA.keySchema, { message: 'Cannot look up key schema on non-map type' })
    assert.throws(() => Schema.INT8_SCHEMA.valueSchema, {
      message: 'Cannot look up value schema on non-array and non-map type',
    })
  })
  it('prints as Java does', () => {
    assert.equal(String(Schema.INT8_SCHEMA), 'Schema{INT8}')
    assert.equal(String(Decimal.schema(2)), 'Schema{org.apache.kafka.connect.data.Decimal:BYTES}')
  })
})

describe('validateValue', () => {
  it('accepts values in range and rejects those out of range', () => {
    validateValue(Schema.INT8_SCHEMA, 127)
    assert.throws(() => validateValue(Schema.INT8_SCHEMA, 128), DataError)
    validateValue(Schema.INT64_SCHEMA, 2n ** 63n - 1n)
    assert.throws(() => validateValue(Schema.INT64_SCHEMA, 2n ** 63n), DataError)
    assert.throws(() => validateValue(Schema.INT32_SCHEMA, 1.5), DataError)
  })
  it('names the field and type of a missing required value', () => {
    assert.throws(() => validateValue(Schema.INT32_SCHEMA, null, 'f'), {
      message: 'Invalid value: null used for required field: "f", schema type: INT32',
    })
  })
  it('checks logical types by their JavaScript class', () => {
    validateValue(Decimal.schema(2), new BigDecimal(156n, 2))
    validateValue(Timestamp.SCHEMA, new Date(0))
    assert.throws(() => validateValue(Timestamp.SCHEMA, 0), DataError)
  })
  it('checks array elements and map entries', () => {
    validateValue(SchemaBuilder.array(Schema.INT8_SCHEMA).build(), [1, 2])
    assert.throws(() => validateValue(SchemaBuilder.array(Schema.INT8_SCHEMA).build(), [1, 'x']), DataError)
    validateValue(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(), new Map([['a', 1]]))
    validateValue(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(), { a: 1 })
  })
})

describe('logical types', () => {
  it('encodes a decimal as two-complement bytes of its unscaled value', () => {
    assert.deepEqual([...Decimal.fromLogical(Decimal.schema(2), new BigDecimal(156n, 2))], [0, 156])
    assert.deepEqual([...Decimal.fromLogical(Decimal.schema(0), new BigDecimal(-1n, 0))], [255])
    assert.deepEqual([...Decimal.fromLogical(Decimal.schema(0), new BigDecimal(-129n, 0))], [255, 127])
    assert.ok(Decimal.toLogical(Decimal.schema(2), Uint8Array.of(0, 156)).equals(new BigDecimal(156n, 2)))
  })
  it('rejects a decimal whose scale differs from the schema', () => {
    assert.throws(() => Decimal.fromLogical(Decimal.schema(3), new BigDecimal(156n, 2)), {
      message: 'Decimal value has mismatching scale for given Decimal schema. Schema has scale 3, value has scale 2.',
    })
  })
  it('converts dates, times and timestamps', () => {
    assert.equal(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(10000 * 86400000)), 10000)
    assert.throws(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(1)), DataError)
    assert.equal(Time.fromLogical(Time.SCHEMA, new Date(14400000)), 14400000)
    assert.throws(() => Time.fromLogical(Time.SCHEMA, new Date(86400001)), DataError)
    assert.equal(Timestamp.toLogical(Timestamp.SCHEMA, 4000000000).getTime(), 4000000000)
  })
  it('names its schemas as Java does', () => {
    assert.equal(ConnectDate.SCHEMA.name, 'org.apache.kafka.connect.data.Date')
    assert.equal(Time.SCHEMA.version, 1)
    assert.deepEqual({ ...Decimal.schema(2).parameters }, { scale: '2' })
  })
})

describe('BigDecimal', () => {
  it('parses with the scale of the literal', () => {
    const d = BigDecimal.parse('1.5600')
    assert.equal(d.unscaled, 15600n)
    assert.equal(d.scale, 4)
    assert.equal(BigDecimal.parse('1E+3').scale, -3)
  })
  it('prints as Java BigDecimal.toString', () => {
    assert.equal(new BigDecimal(156n, 2).toString(), '1.56')
    assert.equal(new BigDecimal(15600n, 4).toString(), '1.5600')
    assert.equal(new BigDecimal(-5n, 3).toString(), '-0.005')
    assert.equal(new BigDecimal(123n, -2).toString(), '1.23E+4')
    assert.equal(new BigDecimal(1n, 7).toString(), '1E-7')
    assert.equal(BigDecimal.parse('1.23456789123456789').toString(), '1.23456789123456789')
  })
  it('compares scale as well as value', () => {
    assert.ok(!BigDecimal.parse('1.50').equals(BigDecimal.parse('1.5')))
  })
})

describe('Struct', () => {
  const schema = SchemaBuilder.struct()
    .field('id', Schema.INT32_SCHEMA)
    .field('name', Schema.OPTIONAL_STRING_SCHEMA)
    .field('flag', SchemaBuilder.bool().defaultValue(true))
    .build()

  it('returns field values and defaults', () => {
    const s = new Struct(schema).put('id', 1)
    assert.equal(s.getInt32('id'), 1)
    assert.equal(s.get('name'), null)
    assert.equal(s.get('flag'), true)
    assert.equal(s.getWithoutDefault('flag'), null)
  })
  it('rejects a value of the wrong type on put', () => {
    assert.throws(() => new Struct(schema).put('id', 'x'), DataError)
  })
  it('rejects unknown field names and typed gets of the wrong type', () => {
    assert.throws(() => new Struct(schema).put('nope', 1), { message: 'nope is not a valid field name' })
    assert.throws(() => new Struct(schema).getString('id'), { message: "Field 'id' is not of type STRING" })
  })
  it('fails validation when a required field without default is unset', () => {
    assert.throws(() => new Struct(schema).validate(), {
      message: 'Invalid value: null used for required field: "id", schema type: INT32',
    })
    new Struct(schema).put('id', 3).validate()
  })
  it('equals another struct with the same schema and values', () => {
    assert.ok(new Struct(schema).put('id', 1).equals(new Struct(schema).put('id', 1)))
    assert.ok(!new Struct(schema).put('id', 1).equals(new Struct(schema).put('id', 2)))
  })
  it('requires a struct schema', () => {
    assert.throws(() => new Struct(Schema.INT8_SCHEMA), { message: 'Not a struct schema: Schema{INT8}' })
  })
})
