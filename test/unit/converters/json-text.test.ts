import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type JsonNumber, parseEnvelope, parseJson, writeJson } from '../../../src/converters/json/json-text.ts'
import { DataError } from '../../../src/errors.ts'
import { jacksonQuote } from '../../../src/util/java-format.ts'

const bytes = (s: string) => Buffer.from(s)

describe('parseJson', () => {
  it('keeps number literals, including leading zeros and exponents', () => {
    const n = parseJson(bytes('[0012, -1.50, 1E+3, 9223372036854775807]')) as JsonNumber[]
    assert.deepEqual(
      n.map((x) => [x.text, x.integral]),
      [
        ['0012', true],
        ['-1.50', false],
        ['1E+3', false],
        ['9223372036854775807', true],
      ],
    )
    assert.equal(n[3]?.toBigInt(), 9223372036854775807n)
  })
  it('reads strings with escapes and objects into Maps in key order', () => {
    const o = parseJson(bytes('{"b":"x\\ty\\u00e9\\"","a":[true,false,null]}'))
    assert.ok(o instanceof Map)
    assert.deepEqual([...o.keys()], ['b', 'a'])
    assert.equal(o.get('b'), 'x\tyé"')
  })
  it('reads empty input as missing and rejects malformed input with a position', () => {
    assert.equal(parseJson(bytes('  \n')), undefined)
    assert.throws(
      () => parseJson(bytes('{"a":}')),
      (e: unknown) => e instanceof DataError && /position 5/.test(e.message),
    )
    assert.throws(() => parseJson(bytes('[1] 2')), DataError)
    assert.throws(() => parseJson(bytes('"a\u0001"')), DataError)
  })
})

describe('parseEnvelope', () => {
  it('returns the schema as its literal text and parses the payload', () => {
    const e = parseEnvelope(bytes('{ "schema" : {"type":"string","doc":"a \\"}[\\\\"}, "payload": "x" }'))
    assert.equal(e?.schemaText, '{"type":"string","doc":"a \\"}[\\\\"}')
    assert.equal(e?.payload, 'x')
    assert.equal(parseEnvelope(bytes('{"payload":1,"schema":null}'))?.schemaText, 'null')
  })
  it('returns undefined for JSON of another shape', () => {
    for (const s of [
      'true',
      '{}',
      '{"schema":null}',
      '{"schema":null,"payload":1,"x":2}',
      '{"schema":null,"x":1}',
      '',
    ]) {
      assert.equal(parseEnvelope(bytes(s)), undefined, s)
    }
  })
  it('rejects bytes that are not JSON', () => {
    assert.throws(() => parseEnvelope(bytes('{"schema": {"type":')), DataError)
    assert.throws(() => parseEnvelope(bytes('nope')), DataError)
  })
})

describe('writing', () => {
  it('escapes as Jackson and round-trips a parsed tree', () => {
    assert.equal(jacksonQuote('\u0000\u001f"\\\n😀'), '"\\u0000\\u001F\\"\\\\\\n\\uD83D\\uDE00"')
    const text = '{"a":[1,2.50,"x"],"b":{"c":null,"d":true}}'
    assert.equal(writeJson(parseJson(bytes(text)) ?? null), text)
  })
})
