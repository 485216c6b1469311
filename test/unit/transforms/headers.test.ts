import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Headers } from '../../../src/data/headers.ts'
import { ConfigError } from '../../../src/errors.ts'
import { DropHeaders } from '../../../src/transforms/drop-headers.ts'
import { InsertHeader } from '../../../src/transforms/insert-header.ts'
import { configured, headerTriples, sourceRecord } from './helpers.ts'

function record(headers: Headers) {
  return sourceRecord({
    sourcePartition: { foo: 'bar' },
    sourceOffset: { baz: 'quxx' },
    key: 'key',
    value: 'value',
    timestamp: 0,
    headers,
  })
}

function assertNonHeadersKept(original: ReturnType<typeof record>, out: ReturnType<typeof record>): void {
  assert.deepEqual(out.sourcePartition, original.sourcePartition)
  assert.deepEqual(out.sourceOffset, original.sourceOffset)
  assert.equal(out.topic, original.topic)
  assert.equal(out.kafkaPartition, original.kafkaPartition)
  assert.equal(out.key, original.key)
  assert.equal(out.value, original.value)
  assert.equal(out.timestamp, original.timestamp)
}

describe('DropHeaders', () => {
  const dropping = (...headers: string[]) => configured(DropHeaders, { headers })

  it('drops an existing header', () => {
    const expected = new Headers().addString('existing', 'existing-value')
    const original = record(expected.duplicate().addString('to-drop', 'existing-value'))
    const out = dropping('to-drop').apply(original)
    assertNonHeadersKept(original, out)
    assert.deepEqual(headerTriples(out.headers), headerTriples(expected))
  })

  it('drops every header of that name', () => {
    const expected = new Headers().addString('existing', 'existing-value')
    const original = record(
      expected.duplicate().addString('to-drop', 'existing-value').addString('to-drop', 'existing-other-value'),
    )
    assert.deepEqual(headerTriples(dropping('to-drop').apply(original).headers), headerTriples(expected))
  })

  it('keeps the headers when none has that name', () => {
    const expected = new Headers().addString('existing', 'existing-value')
    assert.deepEqual(
      headerTriples(dropping('to-drop').apply(record(expected.duplicate())).headers),
      headerTriples(expected),
    )
  })

  it("rejects an empty list with Kafka 4.3's message", () => {
    assert.throws(() => dropping(), {
      name: 'ConfigError',
      message: "Configuration 'headers' must not be empty. Valid values include: any non-empty value",
    })
  })

  it('rejects a header named twice', () => {
    assert.throws(() => dropping('a', 'a'), { message: "Configuration 'headers' values must not be duplicated." })
  })

  it('leaves the original record untouched', () => {
    const original = record(new Headers().addString('to-drop', 'x'))
    dropping('to-drop').apply(original)
    assert.equal(original.headers.size, 1)
  })
})

describe('InsertHeader', () => {
  const inserting = (header: unknown, literal: unknown) =>
    configured(InsertHeader, { header, 'value.literal': literal })

  it('adds a header next to other headers', () => {
    const headers = new Headers().addString('existing', 'existing-value')
    const original = record(headers)
    const out = inserting('inserted', 'inserted-value').apply(original)
    assertNonHeadersKept(original, out)
    assert.deepEqual(
      headerTriples(out.headers),
      headerTriples(headers.duplicate().addString('inserted', 'inserted-value')),
    )
  })

  it('adds a header after one of the same name', () => {
    const headers = new Headers().addString('existing', 'preexisting-value')
    const out = inserting('existing', 'inserted-value').apply(record(headers))
    assert.deepEqual(
      headerTriples(out.headers),
      headerTriples(headers.duplicate().addString('existing', 'inserted-value')),
    )
  })

  it('parses the literal as a header value, "1" as an INT8', () => {
    const headers = new Headers().addString('existing', 'existing-value')
    const out = inserting('inserted', '1').apply(record(headers))
    assert.deepEqual(headerTriples(out.headers), headerTriples(headers.duplicate().addByte('inserted', 1)))
  })

  it('rejects a null header name', () => {
    assert.throws(() => inserting(null, '1'), ConfigError)
  })

  it('rejects a null value', () => {
    assert.throws(() => inserting('inserted', null), ConfigError)
  })
})
