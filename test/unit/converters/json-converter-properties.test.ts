import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { Decimal } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaAndValue } from '../../../src/data/schema-and-value.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { javaDoubleToString, javaFloatToString } from '../../../src/util/java-format.ts'

const converter = new JsonConverter()
converter.configure({}, false)

const struct = SchemaBuilder.struct()
  .field('i8', Schema.INT8_SCHEMA)
  .field('i64', Schema.INT64_SCHEMA)
  .field('f32', Schema.FLOAT32_SCHEMA)
  .field('f64', Schema.FLOAT64_SCHEMA)
  .field('s', Schema.OPTIONAL_STRING_SCHEMA)
  .field('b', Schema.BYTES_SCHEMA)
  .field('dec', Decimal.schema(3))
  .field('list', SchemaBuilder.array(Schema.INT32_SCHEMA))
  .field('map', SchemaBuilder.map(Schema.INT16_SCHEMA, Schema.BOOLEAN_SCHEMA))
  .build()

const finite = fc.double({ noNaN: true, noDefaultInfinity: true })
const values = fc.record({
  i8: fc.integer({ min: -128, max: 127 }),
  i64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  f32: finite.map(Math.fround).filter(Number.isFinite),
  f64: finite,
  s: fc.option(fc.string({ unit: 'grapheme' })),
  b: fc.uint8Array(),
  dec: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  list: fc.array(fc.integer()),
  map: fc.uniqueArray(fc.tuple(fc.integer({ min: -32768, max: 32767 }), fc.boolean()), { selector: ([k]) => k }),
})

describe('JsonConverter (property)', () => {
  it('reads back every struct it writes', () => {
    fc.assert(
      fc.property(values, (v) => {
        const value = new Struct(struct)
          .put('i8', v.i8)
          .put('i64', Number.isSafeInteger(Number(v.i64)) ? Number(v.i64) : v.i64)
          .put('f32', v.f32)
          .put('f64', v.f64)
          .put('s', v.s)
          .put('b', v.b)
          .put('dec', new BigDecimal(v.dec, 3))
          .put('list', v.list)
          .put('map', new Map(v.map))
        const back = converter.toConnectData('t', converter.fromConnectData('t', struct, value))
        assert.ok(back.equals(new SchemaAndValue(struct, value)), String(back.value))
      }),
    )
  })
})

describe('Java number text (property)', () => {
  it('reads back as the same double and float', () => {
    fc.assert(
      fc.property(finite, (d) => {
        assert.equal(Number(javaDoubleToString(d)), d)
        const f = Math.fround(d)
        if (Number.isFinite(f)) assert.equal(Math.fround(Number(javaFloatToString(f))), f)
      }),
    )
  })
})

describe('BigDecimal (property)', () => {
  it('round-trips through two-complement bytes and through its text', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.integer({ min: -20, max: 40 }), (unscaled, scale) => {
        const d = new BigDecimal(unscaled, scale)
        assert.ok(BigDecimal.fromTwosComplement(d.toTwosComplement(), scale).equals(d))
        assert.ok(BigDecimal.parse(d.toString()).equals(d))
      }),
    )
  })
})
