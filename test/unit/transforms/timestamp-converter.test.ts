import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectRecord } from '../../../src/api/records.ts'
import { ConnectDate, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError } from '../../../src/errors.ts'
import { TimestampConverterKey, TimestampConverterValue } from '../../../src/transforms/timestamp-converter.ts'
import { configured, sourceRecord } from './helpers.ts'

const DAY = 86_400_000
const EPOCH = new Date(0)
const TIME = new Date(1234)
const DATE = new Date(DAY)
const DATE_PLUS_TIME = new Date(DAY + 1234)
const DATE_PLUS_TIME_UNIX = DAY + 1234
const DATE_PLUS_TIME_UNIX_MICROS = DATE_PLUS_TIME_UNIX * 1000 + 123
const DATE_PLUS_TIME_UNIX_NANOS = BigInt(DATE_PLUS_TIME_UNIX_MICROS) * 1000n + 456n
const DATE_PLUS_TIME_UNIX_SECONDS = Math.trunc(DATE_PLUS_TIME_UNIX / 1000)
const STRING_DATE_FMT = 'yyyy MM dd HH mm ss SSS z'
const DATE_PLUS_TIME_STRING = '1970 01 02 00 00 01 234 UTC'

const OPTIONAL_DATE = ConnectDate.builder().optional().build()
const OPTIONAL_TIME = Time.builder().optional().build()
const OPTIONAL_TIMESTAMP = Timestamp.builder().optional().build()

const value = (props: Record<string, unknown>) => configured(TimestampConverterValue, props)
const withSchema = (schema: Schema | null, v: unknown) => sourceRecord({ valueSchema: schema, value: v })
const schemaless = (v: unknown) => sourceRecord({ value: v })

function assertSchema(expected: Schema, record: ConnectRecord): void {
  assert.ok(expected.equals(record.valueSchema), `expected ${String(expected)}, got ${String(record.valueSchema)}`)
}

describe('TimestampConverter config', () => {
  it('requires a target type', () => {
    assert.throws(() => value({}), ConfigError)
  })

  it('rejects an unknown target type', () => {
    assert.throws(() => value({ 'target.type': 'invalid' }), ConfigError)
  })

  it('rejects an unknown unix precision', () => {
    assert.throws(() => value({ 'target.type': 'unix', 'unix.precision': 'invalid' }), ConfigError)
  })

  it('accepts seconds as unix precision', () => {
    assert.doesNotThrow(() => value({ 'target.type': 'unix', 'unix.precision': 'seconds' }))
  })

  it('requires a format for string timestamps', () => {
    assert.throws(() => value({ 'target.type': 'string' }), {
      message: 'TimestampConverter requires format option to be specified when using string timestamps',
    })
  })

  it('rejects a format SimpleDateFormat would reject', () => {
    assert.throws(() => value({ 'target.type': 'string', format: 'bad-format' }), {
      message:
        "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'b' for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format",
    })
  })
})

describe('TimestampConverter without schemas', () => {
  it('keeps a timestamp a timestamp', () => {
    const out = value({ 'target.type': 'Timestamp' }).apply(schemaless(DATE_PLUS_TIME))
    assert.equal(out.valueSchema, null)
    assert.deepEqual(out.value, DATE_PLUS_TIME)
  })

  it('converts a timestamp to a date', () => {
    assert.deepEqual(value({ 'target.type': 'Date' }).apply(schemaless(DATE_PLUS_TIME)).value, DATE)
  })

  it('converts a timestamp to a time', () => {
    assert.deepEqual(value({ 'target.type': 'Time' }).apply(schemaless(DATE_PLUS_TIME)).value, TIME)
  })

  it('converts a timestamp to unix time', () => {
    assert.equal(value({ 'target.type': 'unix' }).apply(schemaless(DATE_PLUS_TIME)).value, DATE_PLUS_TIME_UNIX)
  })

  it('converts a timestamp to a string', () => {
    const out = value({ 'target.type': 'string', format: STRING_DATE_FMT }).apply(schemaless(DATE_PLUS_TIME))
    assert.equal(out.value, DATE_PLUS_TIME_STRING)
  })

  it('keeps a date and a time as they are when converting to timestamps', () => {
    assert.deepEqual(value({ 'target.type': 'Timestamp' }).apply(schemaless(DATE)).value, DATE)
    assert.deepEqual(value({ 'target.type': 'Timestamp' }).apply(schemaless(TIME)).value, TIME)
  })

  it('converts unix time to a timestamp', () => {
    assert.deepEqual(value({ 'target.type': 'Timestamp' }).apply(schemaless(DATE_PLUS_TIME_UNIX)).value, DATE_PLUS_TIME)
  })

  it('parses a string into a timestamp', () => {
    const out = value({ 'target.type': 'Timestamp', format: STRING_DATE_FMT }).apply(schemaless(DATE_PLUS_TIME_STRING))
    assert.deepEqual(out.value, DATE_PLUS_TIME)
  })

  for (const type of ['string', 'Date', 'Timestamp', 'unix', 'Time']) {
    it(`keeps a null value null when converting to ${type}`, () => {
      assert.equal(value({ 'target.type': type, format: STRING_DATE_FMT }).apply(schemaless(null)).value, null)
      assert.equal(
        value({ 'target.type': type, format: STRING_DATE_FMT, field: 'ts' }).apply(schemaless(null)).value,
        null,
      )
    })
  }

  it('converts one field of a map', () => {
    const out = value({ 'target.type': 'Date', field: 'ts' }).apply(schemaless(new Map([['ts', DATE_PLUS_TIME]])))
    assert.deepEqual(out.value, new Map([['ts', DATE]]))
  })

  for (const [precision, expected] of [
    ['microseconds', 86401234000],
    ['nanoseconds', 86401234000000],
    ['seconds', DATE_PLUS_TIME_UNIX_SECONDS],
  ] as const) {
    it(`converts a string to unix time in ${precision}`, () => {
      const out = value({ 'target.type': 'unix', 'unix.precision': precision, format: STRING_DATE_FMT }).apply(
        schemaless(DATE_PLUS_TIME_STRING),
      )
      assert.equal(out.value, expected)
    })
  }

  it('reports a string that does not match the format', () => {
    assert.throws(() => value({ 'target.type': 'Timestamp', format: 'yyyy-MM-dd' }).apply(schemaless('nope')), {
      name: 'DataError',
      message: 'Could not parse timestamp: value (nope) does not match pattern (yyyy-MM-dd)',
    })
  })

  it('converts a schemaless key with the Key variant', () => {
    const out = configured(TimestampConverterKey, { 'target.type': 'Timestamp' }).apply(
      sourceRecord({ key: DATE_PLUS_TIME }),
    )
    assert.equal(out.keySchema, null)
    assert.deepEqual(out.key, DATE_PLUS_TIME)
  })
})

describe('TimestampConverter with schemas', () => {
  it('keeps a timestamp a timestamp', () => {
    const out = value({ 'target.type': 'Timestamp' }).apply(withSchema(Timestamp.SCHEMA, DATE_PLUS_TIME))
    assertSchema(Timestamp.SCHEMA, out)
    assert.deepEqual(out.value, DATE_PLUS_TIME)
  })

  it('converts a timestamp to a date', () => {
    const out = value({ 'target.type': 'Date' }).apply(withSchema(Timestamp.SCHEMA, DATE_PLUS_TIME))
    assertSchema(ConnectDate.SCHEMA, out)
    assert.deepEqual(out.value, DATE)
  })

  it('converts a timestamp to a time', () => {
    const out = value({ 'target.type': 'Time' }).apply(withSchema(Timestamp.SCHEMA, DATE_PLUS_TIME))
    assertSchema(Time.SCHEMA, out)
    assert.deepEqual(out.value, TIME)
  })

  it('converts a timestamp to unix time', () => {
    const out = value({ 'target.type': 'unix' }).apply(withSchema(Timestamp.SCHEMA, DATE_PLUS_TIME))
    assertSchema(Schema.INT64_SCHEMA, out)
    assert.equal(out.value, DATE_PLUS_TIME_UNIX)
  })

  it('converts a timestamp to a string', () => {
    const out = value({ 'target.type': 'string', format: STRING_DATE_FMT }).apply(
      withSchema(Timestamp.SCHEMA, DATE_PLUS_TIME),
    )
    assertSchema(Schema.STRING_SCHEMA, out)
    assert.equal(out.value, DATE_PLUS_TIME_STRING)
  })

  it('converts a date and a time to timestamps without change', () => {
    const fromDate = value({ 'target.type': 'Timestamp' }).apply(withSchema(ConnectDate.SCHEMA, DATE))
    assertSchema(Timestamp.SCHEMA, fromDate)
    assert.deepEqual(fromDate.value, DATE)
    const fromTime = value({ 'target.type': 'Timestamp' }).apply(withSchema(Time.SCHEMA, TIME))
    assertSchema(Timestamp.SCHEMA, fromTime)
    assert.deepEqual(fromTime.value, TIME)
  })

  it('converts unix time to a timestamp', () => {
    const out = value({ 'target.type': 'Timestamp' }).apply(withSchema(Schema.INT64_SCHEMA, DATE_PLUS_TIME_UNIX))
    assertSchema(Timestamp.SCHEMA, out)
    assert.deepEqual(out.value, DATE_PLUS_TIME)
  })

  it('parses a string into a timestamp', () => {
    const out = value({ 'target.type': 'Timestamp', format: STRING_DATE_FMT }).apply(
      withSchema(Schema.STRING_SCHEMA, DATE_PLUS_TIME_STRING),
    )
    assertSchema(Timestamp.SCHEMA, out)
    assert.deepEqual(out.value, DATE_PLUS_TIME)
  })

  const EXPECTED: Record<string, Schema> = {
    Timestamp: OPTIONAL_TIMESTAMP,
    unix: Schema.OPTIONAL_INT64_SCHEMA,
    Time: OPTIONAL_TIME,
    Date: OPTIONAL_DATE,
    string: Schema.OPTIONAL_STRING_SCHEMA,
  }
  const ORIGINALS = [
    Schema.OPTIONAL_INT64_SCHEMA,
    OPTIONAL_TIME,
    OPTIONAL_DATE,
    Schema.OPTIONAL_STRING_SCHEMA,
    OPTIONAL_TIMESTAMP,
  ]

  for (const [type, expected] of Object.entries(EXPECTED)) {
    it(`gives a null value the optional ${type} schema`, () => {
      for (const original of ORIGINALS) {
        const out = value({ 'target.type': type, format: STRING_DATE_FMT }).apply(withSchema(original, null))
        assertSchema(expected, out)
        assert.equal(out.value, null)
      }
    })

    it(`converts a null ${type} field and a null struct`, () => {
      for (const original of ORIGINALS) {
        const xform = value({ 'target.type': type, format: STRING_DATE_FMT, field: 'ts' })
        const structSchema = () => SchemaBuilder.struct().field('ts', original).field('other', Schema.STRING_SCHEMA)
        const expectedSchema = () => SchemaBuilder.struct().field('ts', expected).field('other', Schema.STRING_SCHEMA)
        const s = structSchema().build()
        const out = xform.apply(withSchema(s, new Struct(s).put('ts', null).put('other', 'test')))
        assertSchema(expectedSchema().build(), out)
        assert.equal((out.value as Struct).get('ts'), null)
        const whole = xform.apply(withSchema(structSchema().optional().build(), null))
        assertSchema(expectedSchema().optional().build(), whole)
        assert.equal(whole.value, null)
      }
    })
  }

  it('converts one field of a struct', () => {
    const s = SchemaBuilder.struct().field('ts', Schema.INT64_SCHEMA).field('other', Schema.STRING_SCHEMA).build()
    const out = value({ 'target.type': 'Timestamp', field: 'ts' }).apply(
      withSchema(s, new Struct(s).put('ts', DATE_PLUS_TIME_UNIX).put('other', 'test')),
    )
    assertSchema(SchemaBuilder.struct().field('ts', Timestamp.SCHEMA).field('other', Schema.STRING_SCHEMA).build(), out)
    assert.deepEqual((out.value as Struct).get('ts'), DATE_PLUS_TIME)
    assert.equal((out.value as Struct).get('other'), 'test')
  })

  for (const replace of [false, true]) {
    it(`converts a null field with a default to null (replace.null.with.default=false, case ${replace})`, () => {
      const s = SchemaBuilder.struct()
        .field('ts', SchemaBuilder.int64().optional().defaultValue(0))
        .field('other', Schema.STRING_SCHEMA)
        .build()
      // As Java's test: the parameter is ignored and replace.null.with.default is always false.
      const out = value({ 'target.type': 'Timestamp', field: 'ts', 'replace.null.with.default': false }).apply(
        withSchema(s, new Struct(s).put('ts', null).put('other', 'test')),
      )
      assertSchema(
        SchemaBuilder.struct().field('ts', Timestamp.builder().optional()).field('other', Schema.STRING_SCHEMA).build(),
        out,
      )
      assert.equal((out.value as Struct).get('ts'), null)
      assert.equal((out.value as Struct).get('other'), 'test')
    })
  }

  it('uses the default of a null field with replace.null.with.default=true', () => {
    const s = SchemaBuilder.struct().field('ts', SchemaBuilder.int64().optional().defaultValue(0)).build()
    const out = value({ 'target.type': 'Timestamp', field: 'ts' }).apply(withSchema(s, new Struct(s).put('ts', null)))
    assert.deepEqual((out.value as Struct).get('ts'), EPOCH)
  })

  for (const [precision, ts, expected] of [
    ['microseconds', DATE_PLUS_TIME_UNIX_MICROS, DATE_PLUS_TIME],
    ['nanoseconds', DATE_PLUS_TIME_UNIX_NANOS, DATE_PLUS_TIME],
    ['seconds', DATE_PLUS_TIME_UNIX_SECONDS, new Date(DAY + 1000)],
  ] as const) {
    it(`reads unix time in ${precision}`, () => {
      const s = SchemaBuilder.struct().field('ts', Schema.INT64_SCHEMA).build()
      const out = value({ 'target.type': 'Timestamp', field: 'ts', 'unix.precision': precision }).apply(
        withSchema(s, new Struct(s).put('ts', ts)),
      )
      assertSchema(SchemaBuilder.struct().field('ts', Timestamp.SCHEMA).build(), out)
      assert.deepEqual((out.value as Struct).get('ts'), expected)
    })
  }

  it('writes unix time in nanoseconds beyond 2^53 as a bigint', () => {
    const out = value({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }).apply(
      withSchema(Timestamp.SCHEMA, new Date(1_700_000_000_000)),
    )
    assert.equal(out.value, 1_700_000_000_000_000_000n)
  })
})
