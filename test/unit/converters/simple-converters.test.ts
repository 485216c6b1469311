import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ByteArrayConverter } from '../../../src/converters/byte-array-converter.ts'
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from '../../../src/converters/number-converters.ts'
import { SimpleHeaderConverter } from '../../../src/converters/simple-header-converter.ts'
import { StringConverter } from '../../../src/converters/string-converter.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { DataError } from '../../../src/errors.ts'

const TOPIC = 'topic'
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'))

describe('StringConverter', () => {
  it('writes UTF-8 text and reads OPTIONAL_STRING', () => {
    const c = new StringConverter()
    c.configure({}, false)
    assert.equal(hex(c.fromConnectData(TOPIC, Schema.STRING_SCHEMA, 'héllo')), Buffer.from('héllo').toString('hex'))
    const back = c.toConnectData(TOPIC, Buffer.from('héllo'))
    assert.ok(back.schema?.equals(Schema.OPTIONAL_STRING_SCHEMA))
    assert.equal(back.value, 'héllo')
  })
  it('writes non-strings with Java toString and null as null', () => {
    const c = new StringConverter()
    c.configure({}, true)
    assert.equal(Buffer.from(c.fromConnectData(TOPIC, Schema.FLOAT64_SCHEMA, 1) ?? []).toString(), '1.0')
    assert.equal(c.fromConnectData(TOPIC, null, null), null)
    assert.equal(c.toConnectData(TOPIC, null).value, null)
  })
  it('honours converter.encoding', () => {
    const c = new StringConverter()
    c.configure({ 'converter.encoding': 'ISO-8859-1' }, false)
    assert.equal(hex(c.fromConnectData(TOPIC, null, 'é')), 'e9')
  })
})

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter()
  it('passes bytes through and reads OPTIONAL_BYTES', () => {
    assert.equal(hex(c.fromConnectData(TOPIC, Schema.BYTES_SCHEMA, Uint8Array.of(1, 2))), '0102')
    assert.ok(c.toConnectData(TOPIC, Uint8Array.of(1)).schema?.equals(Schema.OPTIONAL_BYTES_SCHEMA))
  })
  it('rejects other schemas and values with Java messages', () => {
    assert.throws(() => c.fromConnectData(TOPIC, Schema.INT32_SCHEMA, 12), {
      message: 'Invalid schema type for ByteArrayConverter: INT32',
    })
    assert.throws(() => c.fromConnectData(TOPIC, null, 'x'), DataError)
  })
})

describe('number converters', () => {
  it('write big-endian bytes as Kafka serializers do', () => {
    assert.equal(hex(new ShortConverter().fromConnectData(TOPIC, null, -2)), 'fffe')
    assert.equal(hex(new IntegerConverter().fromConnectData(TOPIC, null, 12)), '0000000c')
    assert.equal(hex(new LongConverter().fromConnectData(TOPIC, null, 4398046511104)), '0000040000000000')
    assert.equal(hex(new LongConverter().fromConnectData(TOPIC, null, -1n)), 'ffffffffffffffff')
    assert.equal(hex(new FloatConverter().fromConnectData(TOPIC, null, 1.5)), '3fc00000')
    assert.equal(hex(new DoubleConverter().fromConnectData(TOPIC, null, 1.5)), '3ff8000000000000')
    assert.equal(hex(new BooleanConverter().fromConnectData(TOPIC, null, true)), '01')
  })
  it('read values back with optional schemas', () => {
    const r = new IntegerConverter().toConnectData(TOPIC, Buffer.from('0000000c', 'hex'))
    assert.ok(r.schema?.equals(Schema.OPTIONAL_INT32_SCHEMA))
    assert.equal(r.value, 12)
    assert.equal(new LongConverter().toConnectData(TOPIC, Buffer.from('7fffffffffffffff', 'hex')).value, 2n ** 63n - 1n)
    assert.equal(new DoubleConverter().toConnectData(TOPIC, null).value, null)
  })
  it('reject bytes of the wrong size with the deserializer message', () => {
    assert.throws(() => new IntegerConverter().toConnectData(TOPIC, Uint8Array.of(1, 2)), {
      message: 'Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4',
    })
  })
  it('reject values of the wrong type', () => {
    assert.throws(() => new ShortConverter().fromConnectData(TOPIC, null, 70000), DataError)
    assert.throws(() => new DoubleConverter().fromConnectData(TOPIC, null, 'x'), DataError)
  })
})

describe('SimpleHeaderConverter', () => {
  const c = new SimpleHeaderConverter()
  const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString())
  it('writes the Values string form', () => {
    assert.equal(text(c.fromConnectHeader(TOPIC, 'h', Schema.STRING_SCHEMA, 'plain')), 'plain')
    assert.equal(text(c.fromConnectHeader(TOPIC, 'h', Schema.INT32_SCHEMA, 42)), '42')
    assert.equal(
      text(c.fromConnectHeader(TOPIC, 'h', SchemaBuilder.array(Schema.STRING_SCHEMA).build(), ['a', 'b'])),
      '["a","b"]',
    )
    assert.equal(c.fromConnectHeader(TOPIC, 'h', null, null), null)
  })
  it('reads typed values back', () => {
    const r = c.toConnectHeader(TOPIC, 'h', Buffer.from('42'))
    assert.ok(r.schema?.equals(Schema.INT8_SCHEMA))
    assert.equal(r.value, 42)
    assert.equal(c.toConnectHeader(TOPIC, 'h', Buffer.from('plain')).value, 'plain')
    assert.equal(c.toConnectHeader(TOPIC, 'h', null).value, null)
  })
})
