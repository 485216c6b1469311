import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { SimpleHeaderConverter } from '../../../src/converters/simple-header-converter.ts'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'

// Every expected string below is what Kafka 4.3.1's JsonConverter and SimpleHeaderConverter (Jackson 2.21)
// wrote for the same data, run on the reference jars of tools/kafka. Doubles whose Java text depends on the JDK
// (Double.toString changed in JDK 19; 2e23 is "1.9999999999999998E23" on JDK 17) are left out on purpose.
const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'))

function converter(schemasEnable: boolean, decimalFormat = 'BASE64'): JsonConverter {
  const c = new JsonConverter()
  c.configure({ 'schemas.enable': schemasEnable, 'decimal.format': decimalFormat }, false)
  return c
}

describe('JsonConverter matches Java byte for byte', () => {
  const plain = converter(false, 'NUMERIC')
  const enveloped = converter(true)

  it('writes floats as Java Float.toString', () => {
    const cases: [number, string][] = [
      [12.34, '12.34'],
      [1, '1.0'],
      [1e10, '1.0E10'],
      [1e-5, '1.0E-5'],
      [3.4028235e38, '3.4028235E38'],
      [0.1, '0.1'],
      [1234567.9, '1234567.9'],
      [0.001, '0.001'],
      [-0, '-0.0'],
      [Number.NaN, '"NaN"'],
    ]
    for (const [v, java] of cases)
      assert.equal(text(plain.fromConnectData('t', Schema.FLOAT32_SCHEMA, Math.fround(v))), java)
  })
  it('writes doubles as Java Double.toString', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [12.34, '12.34'],
      [1e7, '1.0E7'],
      [1.5e-4, '1.5E-4'],
      [4.9e-324, '4.9E-324'],
      [1e21, '1.0E21'],
      [123456789.123, '1.23456789123E8'],
      [-0, '-0.0'],
      [9999999, '9999999.0'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Number.POSITIVE_INFINITY, '"Infinity"'],
    ]
    for (const [v, java] of cases) assert.equal(text(plain.fromConnectData('t', Schema.FLOAT64_SCHEMA, v)), java)
  })
  it('escapes strings as Jackson: control characters and surrogates as upper-case \\u escapes', () => {
    assert.equal(
      text(plain.fromConnectData('t', Schema.STRING_SCHEMA, 'a"b\\c\n\u0001\u001f\u007f é/ \u2028 😀 <>&\'')),
      '"a\\"b\\\\c\\n\\u0001\\u001F\u007f é/ \u2028 \\uD83D\\uDE00 <>&\'"',
    )
  })
  it('writes NUMERIC decimals as BigDecimal.toString', () => {
    assert.equal(text(plain.fromConnectData('t', Decimal.schema(2), new BigDecimal(156n, 2))), '1.56')
    assert.equal(text(plain.fromConnectData('t', Decimal.schema(7), new BigDecimal(1n, 7))), '1E-7')
    assert.equal(text(plain.fromConnectData('t', Decimal.schema(-2), new BigDecimal(123n, -2))), '1.23E+4')
    assert.equal(text(plain.fromConnectData('t', Decimal.schema(3), new BigDecimal(-5n, 3))), '-0.005')
  })
  it('writes BASE64 decimals with the shortest two-complement bytes', () => {
    const schema =
      '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"0"}}'
    assert.equal(
      text(enveloped.fromConnectData('t', Decimal.schema(0), new BigDecimal(-129n, 0))),
      `{"schema":${schema},"payload":"/38="}`,
    )
    assert.equal(
      text(enveloped.fromConnectData('t', Decimal.schema(0), new BigDecimal(128n, 0))),
      `{"schema":${schema},"payload":"AIA="}`,
    )
  })
  it('writes a nested struct with map pairs, optional arrays, defaults and metadata', () => {
    const inner = SchemaBuilder.struct().name('inner').field('x', Schema.OPTIONAL_FLOAT64_SCHEMA).build()
    const schema = SchemaBuilder.struct()
      .name('rec')
      .version(2)
      .doc('d"oc')
      .field('m', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA))
      .field('arr', SchemaBuilder.array(Schema.OPTIONAL_INT16_SCHEMA).optional())
      .field('inner', inner)
      .field('d', SchemaBuilder.int32().defaultValue(7))
      .field('ts', Timestamp.builder().optional())
      .field('b', SchemaBuilder.bytes().defaultValue(Uint8Array.of(1, 2)))
      .build()
    const value = new Struct(schema)
      .put(
        'm',
        new Map([
          [1, 'one'],
          [2, null],
        ]),
      )
      .put('arr', [1, null])
      .put('inner', new Struct(inner).put('x', 2))
      .put('ts', new Date(1700000000000))
    assert.equal(
      text(enveloped.fromConnectData('t', schema, value)),
      '{"schema":{"type":"struct","fields":[{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":true},"optional":false,"field":"m"},{"type":"array","items":{"type":"int16","optional":true},"optional":true,"field":"arr"},{"type":"struct","fields":[{"type":"double","optional":true,"field":"x"}],"optional":false,"name":"inner","field":"inner"},{"type":"int32","optional":false,"default":7,"field":"d"},{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"},{"type":"bytes","optional":false,"default":"AQI=","field":"b"}],"optional":false,"name":"rec","version":2,"doc":"d\\"oc"},"payload":{"m":[[1,"one"],[2,null]],"arr":[1,null],"inner":{"x":2.0},"d":7,"ts":1700000000000,"b":"AQI="}}',
    )
  })
  it('writes schemaless maps and a null with a default', () => {
    const map = new Map<string, unknown>([
      ['a', 1],
      ['b', 2.5],
      ['c', ['x', true, null]],
      ['d', null],
    ])
    assert.equal(
      text(enveloped.fromConnectData('t', null, map)),
      '{"schema":null,"payload":{"a":1,"b":2.5,"c":["x",true,null],"d":null}}',
    )
    assert.equal(
      text(enveloped.fromConnectData('t', SchemaBuilder.float32().optional().defaultValue(1.5).build(), null)),
      '{"schema":{"type":"float","optional":true,"default":1.5},"payload":1.5}',
    )
  })
})

describe('SimpleHeaderConverter matches Java', () => {
  const h = new SimpleHeaderConverter()
  const inner = SchemaBuilder.struct().name('inner').field('x', Schema.OPTIONAL_FLOAT64_SCHEMA).build()

  it('writes header values as Java', () => {
    const cases: [Schema | null, unknown, string][] = [
      [Schema.FLOAT32_SCHEMA, Math.fround(12.34), '12.34'],
      [Schema.FLOAT64_SCHEMA, 1, '1.0'],
      [null, ['a"b', 1, 2.5, null, true], '["a\\"b",1,2.5,null,true]'],
      [null, new Map([['k', 'v']]), '{"k":"v"}'],
      [Timestamp.SCHEMA, new Date(1566570894346), '2019-08-23T14:34:54.346Z'],
      [ConnectDate.SCHEMA, new Date(1566518400000), '2019-08-23'],
      [Time.SCHEMA, new Date(52494346), '14:34:54.346Z'],
      [Schema.BYTES_SCHEMA, Buffer.from('test-string'), 'dGVzdC1zdHJpbmc='],
      [Decimal.schema(2), BigDecimal.parse('1.50'), '1.50'],
      [inner, new Struct(inner).put('x', 2), '{"x":2.0}'],
    ]
    for (const [schema, value, java] of cases) assert.equal(text(h.fromConnectHeader('t', 'k', schema, value)), java)
  })

  it('reads header strings into the types Java infers', () => {
    const described = (s: string) => {
      const r = h.toConnectHeader('t', 'k', Buffer.from(s))
      const sc = r.schema
      if (sc === null) return 'null'
      const children =
        sc.type === 'ARRAY'
          ? `<${sc.valueSchema?.type ?? '?'}>`
          : sc.type === 'MAP'
            ? `<${sc.keySchema?.type ?? '?'},${sc.valueSchema?.type ?? '?'}>`
            : ''
      return `${sc.type}${sc.name === undefined ? '' : `/${sc.name}`}${children}`
    }
    const cases: [string, string][] = [
      ['42', 'INT8'],
      ['300', 'INT16'],
      ['70000', 'INT32'],
      ['4398046511104', 'INT64'],
      ['12.34', 'FLOAT32'],
      ['1e3', 'INT16'],
      ['1.0', 'INT8'],
      ['12345678901234567890', 'BYTES/org.apache.kafka.connect.data.Decimal'],
      ['1.5e39', 'FLOAT64'],
      ['-0.0', 'INT8'],
      ['[1, 300, 2.5]', 'ARRAY<FLOAT32>'],
      ['{"a": [1,2], "b": null}', 'STRING'],
      ['{1: "x", 2: "y"}', 'MAP<INT8,STRING>'],
      ['2019-08-23T14:34:54.346Z', 'INT64/org.apache.kafka.connect.data.Timestamp'],
      ['14:34:54.346Z', 'INT32/org.apache.kafka.connect.data.Time'],
      ['2019-08-23', 'INT32/org.apache.kafka.connect.data.Date'],
      ['"quoted"', 'STRING'],
      ['["a", "2019-08-23"]', 'ARRAY<?>'],
      ['  spaced  ', 'STRING'],
      ['[true, 1]', 'ARRAY<?>'],
      ['{}', 'MAP<?,?>'],
      ['[]', 'ARRAY<?>'],
      ['[null, 1]', 'STRING'],
    ]
    for (const [s, java] of cases) assert.equal(described(s), java, s)
  })
})
