/**
 * PostgreSQL text → Debezium's schemas and values, checked against values Debezium 3.6.1 wrote for the same text
 * (the side-by-side test compares whole records; these pin the arithmetic: days, micros, decimals, durations).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BigDecimal, type Struct } from 'tsconnect'
import { defaultText } from '../../src/schema/defaults.ts'
import {
  type ColumnType,
  converterFor,
  intervalMicros,
  isoUtc,
  parseArrayLiteral,
  parseTimestampMicros,
} from '../../src/schema/values.ts'

function convert(type: ColumnType, text: string): unknown {
  const c = converterFor(type)
  assert.ok(c)
  return c.convert(text, c.schema().build())
}
const base = (typeName: string, typmod = -1): ColumnType => ({ typeName, typeKind: 'b', typmod })

test('integers: int8 at both ends of 64 bits is exact (bigint beyond 2^53)', () => {
  assert.equal(convert(base('int8'), '9223372036854775807'), 9223372036854775807n)
  assert.equal(convert(base('int8'), '-9223372036854775808'), -9223372036854775808n)
  assert.equal(convert(base('int8'), '42'), 42)
  assert.equal(convert(base('int2'), '-32768'), -32768)
})

test('numeric(30,10) keeps all 30 digits; unconstrained numeric carries its own scale', () => {
  const typmod = ((30 << 16) | 10) + 4
  const d = convert(base('numeric', typmod), '12345678901234567890.0123456789') as BigDecimal
  assert.ok(d.equals(new BigDecimal(123456789012345678900123456789n, 10)))
  const schema = converterFor(base('numeric', typmod))?.schema().build()
  assert.deepEqual(schema?.parameters, { scale: '10', 'connect.decimal.precision': '30' })
  const v = convert(base('numeric'), '3.14159265358979323846264338327950288') as Struct
  assert.equal(v.get('scale'), 35)
  assert.equal(
    BigDecimal.fromTwosComplement(v.get('value') as Uint8Array, 35).toString(),
    '3.14159265358979323846264338327950288',
  )
})

test('dates as days since the epoch, also before 1970', () => {
  assert.equal(convert(base('date'), '1815-12-10'), -56270)
  assert.equal(convert(base('date'), '1970-01-01'), 0)
})

test('timestamps keep microseconds: MicroTimestamp, Timestamp(3), ZonedTimestamp in UTC with six digits', () => {
  assert.equal(convert(base('timestamp'), '2024-02-29 23:59:59.123456'), 1709251199123456)
  assert.equal(convert(base('timestamp', 3), '1999-12-31 23:59:59.999'), 946684799999)
  assert.equal(convert(base('timestamptz'), '2024-02-29 23:59:59.123456+05:30'), '2024-02-29T18:29:59.123456Z')
  assert.equal(convert(base('timestamptz'), '2024-02-29 23:59:59+00'), '2024-02-29T23:59:59.000000Z')
  assert.equal(parseTimestampMicros('1900-01-01 00:00:00'), -2208988800000000n)
  assert.equal(isoUtc(0n, 6), '1970-01-01T00:00:00.000000Z')
})

test('times: MicroTime, Time for precision 3, ZonedTime moved to UTC', () => {
  assert.equal(convert(base('time'), '23:59:59.999999'), 86399999999)
  assert.equal(convert(base('time', 3), '12:00:00.123'), 43200123)
  assert.equal(convert(base('timetz'), '12:34:56.789+02'), '10:34:56.789Z')
})

test('intervals as MicroDuration with months of 365.25/12 days', () => {
  assert.equal(intervalMicros('1 year 2 mons 3 days 04:05:06.789'), 37_091_106_789_000n)
  assert.equal(intervalMicros('-3 days -00:00:01'), -259_201_000_000n)
})

test('arrays, enums, bytea and json keep their texts', () => {
  assert.deepEqual(parseArrayLiteral('{"a b","c,d",NULL,"q\\"x"}'), ['a b', 'c,d', null, 'q"x'])
  assert.deepEqual(convert({ ...base('_int4'), element: base('int4') }, '{1,NULL,3}'), [1, null, 3])
  const mood: ColumnType = { typeName: 'mood', typeKind: 'e', typmod: -1, enumValues: ['sad', 'ok', 'happy'] }
  assert.deepEqual(converterFor(mood)?.schema().build().parameters, { allowed: 'sad,ok,happy' })
  assert.deepEqual(convert(base('bytea'), '\\x00ff10'), Uint8Array.from([0, 255, 16]))
  assert.equal(convert(base('jsonb'), '{"y": {"z": null}}'), '{"y": {"z": null}}')
})

test("defaults as Debezium derives them: literals, a function's placeholder, none for NULL", () => {
  const column = (typeName: string, expr: string | null) => ({
    name: 'c',
    position: 1,
    type: base(typeName),
    notNull: false,
    defaultExpression: expr,
  })
  assert.equal(defaultText(column('int4', "nextval('t_id_seq'::regclass)")), '0')
  assert.equal(defaultText(column('timestamptz', 'now()')), '1970-01-01 00:00:00+00')
  assert.equal(defaultText(column('bool', 'true')), 't')
  assert.equal(defaultText(column('text', "'x'::text")), 'x')
  assert.equal(defaultText(column('int4', 'NULL::integer')), null)
  assert.equal(defaultText(column('bytea', "'\\x00'::bytea")), null)
})
