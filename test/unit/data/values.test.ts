import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { Values } from '../../../src/data/values.ts'

// Expected values come from Java's ValuesTest (apache/kafka connect/api).
function parsed(text: string) {
  return Values.parseString(text)
}

describe('Values.parseString', () => {
  it('reads the empty string as an empty STRING', () => {
    const r = parsed('')
    assert.equal(r.schema?.type, 'STRING')
    assert.equal(r.value, '')
  })
  it('keeps strings with unquoted embedded words as strings', () => {
    for (const text of [
      '{foo: 3}',
      '{3: foo}',
      '[foo]',
      'null=',
      'true}',
      'false]',
      '{6:9 4:20}',
      '[0 1 2]',
      '{null: 3}',
    ]) {
      const r = parsed(text)
      assert.equal(r.schema?.type, 'STRING', text)
      assert.equal(r.value, text)
    }
  })
  it('reads literals surrounded by whitespace', () => {
    assert.equal(parsed('  true \n').value, true)
    assert.equal(parsed(' false ').schema?.type, 'BOOLEAN')
    assert.equal(parsed(' null ').value, null)
  })
  it('reads boolean lists and maps', () => {
    const list = parsed('[true, false]')
    assert.equal(list.schema?.valueSchema?.type, 'BOOLEAN')
    assert.deepEqual(list.value, [true, false])
    const map = parsed('{true: false, false: true}')
    assert.equal(map.schema?.keySchema?.type, 'BOOLEAN')
    assert.deepEqual(
      map.value,
      new Map([
        [true, false],
        [false, true],
      ]),
    )
  })
  it('reads empty and null-holding containers', () => {
    assert.deepEqual(parsed('{}').value, new Map())
    assert.deepEqual(parsed('[]').value, [])
    const m = parsed('{3: null}')
    assert.equal(m.schema?.keySchema?.type, 'INT8')
    assert.deepEqual(m.value, new Map([[3, null]]))
    assert.deepEqual(parsed('[null]').value, [null])
  })
  it('picks the smallest integer type that holds a number', () => {
    assert.equal(parsed('12').schema?.type, 'INT8')
    assert.equal(parsed('300').schema?.type, 'INT16')
    assert.equal(parsed('70000').schema?.type, 'INT32')
    assert.equal(parsed('4398046511104').schema?.type, 'INT64')
    assert.equal(parsed('9223372036854775807').value, 9223372036854775807n)
  })
  it('reads fractional numbers as FLOAT32 and huge integers as decimals', () => {
    const f = parsed('12.34')
    assert.equal(f.schema?.type, 'FLOAT32')
    assert.equal(f.value, Math.fround(12.34))
    const d = parsed('12345678901234567890')
    assert.equal(d.schema?.name, 'org.apache.kafka.connect.data.Decimal')
    assert.ok((d.value as BigDecimal).equals(BigDecimal.parse('12345678901234567890')))
  })
  it('widens map values to their common type', () => {
    const r = parsed('{"foo":12345,"bar":0,"baz":-4321}')
    assert.ok(r.schema?.equals(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT16_SCHEMA).build()))
    assert.deepEqual(
      r.value,
      new Map([
        ['foo', 12345],
        ['bar', 0],
        ['baz', -4321],
      ]),
    )
  })
  it('gives up on a common key schema when key types conflict', () => {
    const r = parsed('{1:1, 2:1, 300:300, "four":1}')
    assert.equal(r.schema?.type, 'MAP')
    assert.equal(r.schema?.keySchema, undefined)
  })
  it('reads ISO timestamps, dates and times, with or without escaped colons', () => {
    const ts = parsed('2019-08-23T14:34:54.346Z')
    assert.ok(ts.schema?.equals(Timestamp.SCHEMA))
    assert.equal((ts.value as Date).toISOString(), '2019-08-23T14:34:54.346Z')
    assert.equal(parsed('2019-08-23').schema?.name, 'org.apache.kafka.connect.data.Date')
    const t = parsed('14\\:34\\:54.346Z')
    assert.ok(t.schema?.equals(Time.SCHEMA))
    assert.equal((t.value as Date).getTime(), ((14 * 60 + 34) * 60 + 54) * 1000 + 346)
  })
  it('reads a list of timestamps', () => {
    const r = parsed('["2019-08-23T14:34:54.346Z", "2019-01-23T15:12:34.567Z"]')
    assert.ok(r.schema?.valueSchema?.equals(Timestamp.SCHEMA))
  })
  it('keeps a string with delimiters that does not parse', () => {
    const s = "string with delimiters: <>?,./\\=+-!@#$%^&*(){}[]|;':"
    assert.equal(parsed(s).value, s)
  })
})

describe('Values.convertToString', () => {
  it('writes top-level strings raw and embedded ones quoted and escaped', () => {
    assert.equal(Values.convertToString(Schema.STRING_SCHEMA, 'a"b'), 'a"b')
    assert.equal(Values.convertToString(null, ['a"b', 'c']), '["a\\"b","c"]')
  })
  it('escapes only backslashes and double quotes', () => {
    assert.equal(Values.escape('three"blind\\"mice'), 'three\\"blind\\\\\\"mice')
  })
  it('writes numbers as Java prints them for their schema', () => {
    assert.equal(Values.convertToString(Schema.FLOAT64_SCHEMA, 1), '1.0')
    assert.equal(Values.convertToString(Schema.FLOAT32_SCHEMA, 12.34), '12.34')
    assert.equal(Values.convertToString(Schema.INT32_SCHEMA, 12), '12')
    assert.equal(Values.convertToString(null, 2n ** 63n - 1n), '9223372036854775807')
  })
  it('writes maps and structs as {"k":v}', () => {
    const schema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).field('b', Schema.STRING_SCHEMA).build()
    assert.equal(Values.convertToString(schema, new Struct(schema).put('a', 1).put('b', 'x')), '{"a":1,"b":"x"}')
    assert.equal(Values.convertToString(null, new Map([['k', true]])), '{"k":true}')
  })
  it('writes bytes as base64 and dates in ISO form', () => {
    assert.equal(Values.convertToString(Schema.BYTES_SCHEMA, Buffer.from('test-string')), 'dGVzdC1zdHJpbmc=')
    assert.equal(
      Values.convertToString(Timestamp.SCHEMA, new Date('2019-08-23T14:34:54.346Z')),
      '2019-08-23T14:34:54.346Z',
    )
    assert.equal(Values.convertToString(Time.SCHEMA, new Date(52494346)), '14:34:54.346Z')
    assert.equal(Values.convertToString(null, new Date('2019-08-23T00:00:00Z')), '2019-08-23')
  })
  it('round-trips typed maps and lists through parseString', () => {
    const schema = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()
    const value = new Map([
      ['foo', 1234567890],
      ['bar', 0],
      ['baz', -987654321],
    ])
    const back = Values.parseString(Values.convertToString(schema, value))
    assert.ok(back.schema?.equals(schema))
    assert.deepEqual(back.value, value)
  })
})

describe('Values.inferSchema', () => {
  it('infers primitive and homogeneous container schemas', () => {
    assert.ok(Values.inferSchema('x')?.equals(Schema.STRING_SCHEMA))
    assert.ok(Values.inferSchema([1, 2])?.equals(SchemaBuilder.array(Schema.INT32_SCHEMA).build()))
    assert.equal(Values.inferSchema([1, 'a']), null)
    assert.equal(Values.inferSchema([]), null)
  })
})
