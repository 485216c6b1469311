import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Values } from '../../../src/data/values.ts'
import { DataError } from '../../../src/errors.ts'

// Cases from Java's ValuesTest (shouldConvert*Values, shouldFailToParseInvalidBooleanValueString).
const DAY = 86400000
const now = new Date(1_700_000_123_456)
const millisOfDay = now.getTime() % DAY
const midnight = new Date(now.getTime() - millisOfDay)

describe('Values.convertTo*', () => {
  it('converts strings and numbers to booleans, and rejects other strings', () => {
    assert.equal(Values.convertToBoolean(Schema.STRING_SCHEMA, 'true'), true)
    assert.equal(Values.convertToBoolean(Schema.STRING_SCHEMA, '1'), true)
    assert.equal(Values.convertToBoolean(null, 0), false)
    assert.throws(() => Values.convertToBoolean(Schema.STRING_SCHEMA, '"green"'), DataError)
  })
  it('converts numbers as Java casts do', () => {
    assert.equal(Values.convertToInteger(null, 12.9), 12)
    assert.equal(Values.convertToByte(null, 300), 44)
    assert.equal(Values.convertToLong(Schema.STRING_SCHEMA, '9223372036854775807'), 9223372036854775807n)
    assert.equal(Values.convertToFloat(null, '12.34'), Math.fround(12.34))
    assert.equal(Values.convertToDouble(null, 1n), 1)
  })
  it('converts times: a Date is kept, a Timestamp keeps its time of day, millis become a Time', () => {
    assert.equal(Values.convertToTime(Time.SCHEMA, now), now)
    assert.equal(Values.convertToTime(Timestamp.SCHEMA, now).getTime(), millisOfDay)
    assert.equal(Values.convertToTime(Time.SCHEMA, String(millisOfDay)).getTime(), millisOfDay)
    assert.equal(Values.convertToTime(Time.SCHEMA, millisOfDay).getTime(), millisOfDay)
  })
  it('converts dates: a Timestamp keeps its day, days become a Date', () => {
    const days = Math.floor(now.getTime() / DAY)
    assert.equal(Values.convertToDate(ConnectDate.SCHEMA, now), now)
    assert.equal(Values.convertToDate(Timestamp.SCHEMA, midnight).getTime(), midnight.getTime())
    assert.equal(Values.convertToDate(ConnectDate.SCHEMA, String(days)).getTime(), midnight.getTime())
    assert.equal(Values.convertToDate(ConnectDate.SCHEMA, days).getTime(), midnight.getTime())
  })
  it('converts timestamps from dates, times, strings and millis', () => {
    assert.equal(Values.convertToTimestamp(Timestamp.SCHEMA, now), now)
    assert.equal(Values.convertToTimestamp(ConnectDate.SCHEMA, midnight).getTime(), midnight.getTime())
    assert.equal(Values.convertToTimestamp(Time.SCHEMA, millisOfDay).getTime(), millisOfDay)
    assert.equal(Values.convertToTimestamp(Timestamp.SCHEMA, String(now.getTime())).getTime(), now.getTime())
  })
  it('rejects null where a value is required', () => {
    assert.throws(() => Values.convertToTime(null, null), DataError)
    assert.throws(() => Values.convertToDecimal(null, null, 1), DataError)
  })
  it('converts every form of one number to the same decimal', () => {
    const value = BigDecimal.parse('1.0')
    const bytes = Decimal.fromLogical(Decimal.schema(1), value)
    for (const v of [1, '1.0', value, bytes]) assert.ok(Values.convertToDecimal(null, v, 1).equals(value), String(v))
  })
  it('parses strings into lists and maps, and rejects malformed ones', () => {
    assert.deepEqual(Values.convertToList(Schema.STRING_SCHEMA, '[1, 2, 3]'), [1, 2, 3])
    assert.deepEqual(Values.convertToMap(Schema.STRING_SCHEMA, '{"a": 1}'), new Map([['a', 1]]))
    assert.throws(() => Values.convertToList(Schema.STRING_SCHEMA, '[1, 2, 3,,,]'), DataError)
    assert.throws(() => Values.convertToMap(Schema.STRING_SCHEMA, ' { ,,  , , }  '), DataError)
  })
  it('converts to the type of a target schema', () => {
    assert.equal(Values.convertTo(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA, 5), '5')
    assert.equal(Values.convertTo(Schema.INT16_SCHEMA, null, '42'), 42)
    assert.equal(Values.convertTo(Schema.OPTIONAL_INT16_SCHEMA, null, null), null)
    assert.deepEqual(Values.convertTo(SchemaBuilder.array(Schema.INT8_SCHEMA).build(), null, '[1]'), [1])
  })
})
