import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { CorruptDataError } from '../../../src/errors.ts'
import { decodeJson, encodeJson, toJacksonJson } from '../../../src/protocol/jackson-json.ts'

describe('JSON as Java Connect writes it (Jackson, schemas.enable=false)', () => {
  test('is compact, keeps field order and writes BMP characters as raw UTF-8', () => {
    const bytes = encodeJson({ b: 1, a: [true, null, 'é€'], c: { '/': 'x/y' } })
    assert.equal(bytes.toString('utf8'), '{"b":1,"a":[true,null,"é€"],"c":{"/":"x/y"}}')
    assert.ok(bytes.includes(Buffer.from([0xc3, 0xa9, 0xe2, 0x82, 0xac])))
  })

  test('writes characters beyond the BMP as two escaped surrogates, as Jackson does by default', () => {
    assert.equal(toJacksonJson('a😀b'), '"a\\uD83D\\uDE00b"')
    assert.equal(decodeJson(encodeJson('a😀b')), 'a😀b')
  })

  test('escapes like Jackson: short escapes, then \\u00XX in upper-case hex', () => {
    assert.equal(toJacksonJson('q"b\\\b\t\n\f\r\u0000\u001f\u007f'), '"q\\"b\\\\\\b\\t\\n\\f\\r\\u0000\\u001F\u007f"')
  })

  test('writes a lone surrogate as an escape instead of corrupt UTF-8', () => {
    assert.equal(toJacksonJson('a\ud800b'), '"a\\uD800b"')
  })

  test('writes integers as Java longs and other numbers as Double.toString does', () => {
    assert.equal(toJacksonJson(4096), '4096')
    assert.equal(toJacksonJson(-7), '-7')
    assert.equal(toJacksonJson(9007199254740993n), '9007199254740993')
    assert.equal(toJacksonJson(0.5), '0.5')
    assert.equal(toJacksonJson(-0), '0')
    assert.equal(toJacksonJson(Number.NaN), '"NaN"')
  })

  test('other numbers as Double.toString: plain between 10^-3 and 10^7, computerized scientific outside', () => {
    const cases: [number, string][] = [
      [1.5, '1.5'],
      [100.25, '100.25'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1234567.5, '1234567.5'],
      [1e7 + 0.5, '1.00000005E7'],
      [1.5e7 + 0.5, '1.50000005E7'],
      [1e21, '1.0E21'],
      [-2.5e-10, '-2.5E-10'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Number.MAX_VALUE, '1.7976931348623157E308'],
      [5e-324, '4.9E-324'],
    ]
    // Integers within a long's range are written as longs; these are not, so Java prints them as doubles.
    for (const [n, java] of cases) assert.equal(toJacksonJson(n), java, String(n))
  })

  test('reads longs beyond 2^53 as bigint and keeps smaller numbers as numbers', () => {
    assert.deepEqual(decodeJson(Buffer.from('{"a":9223372036854775807,"b":12,"c":1.5}')), {
      a: 9223372036854775807n,
      b: 12,
      c: 1.5,
    })
  })

  test('rejects invalid UTF-8 and invalid JSON with CorruptDataError', () => {
    assert.throws(() => decodeJson(Buffer.from([0x7b, 0xff, 0x7d])), CorruptDataError)
    assert.throws(() => decodeJson(Buffer.from('{"a":')), CorruptDataError)
  })

  test('round-trips any JSON that JSON.stringify agrees on', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (value) => {
        const ours = JSON.parse(toJacksonJson(value as never))
        assert.deepEqual(ours, JSON.parse(JSON.stringify(value)))
        assert.doesNotThrow(() => decodeJson(encodeJson(value as never)))
      }),
    )
  })
})
