import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AbstractConfig, BigDecimal, Schema, SchemaBuilder, SinkRecord, Struct } from 'tsconnect'
import { batchBody, bodyOf, runs } from '../../src/bodies.ts'
import { httpSinkConfigDef, planRequests, recordUrl, sinkSettings } from '../../src/http-sink.ts'
import { parsePointerMap, resolvePointer } from '../../src/json-pointer.ts'
import { parseInitialOffset, recordsOfAnswer } from '../../src/polling-source.ts'
import { hmacHeader, hmacMatches, secretMatches } from '../../src/signature.ts'
import { parseStatusCodes } from '../../src/status-codes.ts'

const record = (offset: number, key: unknown, value: unknown, topic = 'orders') =>
  new SinkRecord({ topic, kafkaPartition: 0, kafkaOffset: offset, keySchema: null, key, valueSchema: null, value })

const settings = (props: Record<string, string>) =>
  sinkSettings(new AbstractConfig(httpSinkConfigDef(), { 'http.url': 'http://h/x', ...props }))

describe('HTTP sink logic', () => {
  it('fills URL placeholders, percent-encoding each value', () => {
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the sink's placeholders
      recordUrl('http://h/${topic}/${key}?o=${offset}', record(7, 'a/b c', 'v')),
      'http://h/orders/a%2Fb%20c?o=7',
    )
  })

  it('reads status lists with codes, closed and open ranges', () => {
    const m = parseStatusCodes('429, 500-503,600-')
    assert.deepEqual([428, 429, 500, 503, 504, 600, 999].map(m), [false, true, true, true, false, true, true])
    assert.throws(() => parseStatusCodes('5xx'), /retry.on.status.codes/)
  })

  it('writes structs and maps as JSON with exact 64-bit numbers, strings as they are', () => {
    const schema = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).build()
    assert.equal(
      bodyOf(new Struct(schema).put('id', 2n ** 60n).put('name', 'x'), 'string'),
      '{"id":1152921504606846976,"name":"x"}',
    )
    assert.equal(bodyOf(new Map([['a', 1]]), 'string'), '{"a":1}')
    assert.equal(bodyOf('plain', 'string'), 'plain')
    assert.equal(bodyOf('plain', 'json'), '"plain"')
    assert.equal(bodyOf(new Map([['price', new BigDecimal(12345n, 2)]]), 'string'), '{"price":123.45}')
  })

  it('joins a batch with prefix, separator and suffix', () => {
    assert.equal(batchBody(['a', 'b'], { prefix: '[', separator: ',', suffix: ']' }), '[a,b]')
  })

  it('cuts runs at the size limit and where the group changes', () => {
    assert.deepEqual(
      runs([1, 2, 3, 4, 5], 2, (n) => (n < 4 ? 'a' : 'b')),
      [[1, 2], [3], [4, 5]],
    )
  })

  it('sends one record per request unless batching is on', () => {
    const plan = planRequests(settings({}), [record(0, 'a', 'x'), record(1, 'b', 'y')])
    assert.deepEqual(
      plan.requests.map((r) => r.body),
      ['x', 'y'],
    )
  })

  it("batches with Aiven's batching.enabled, or when batch.max.size is raised as Confluent's users do", () => {
    const configs: Record<string, string>[] = [{ 'batching.enabled': 'true' }, { 'batch.max.size': '10' }]
    for (const props of configs) {
      const plan = planRequests(settings(props), [record(0, 'a', 'x'), record(1, 'b', 'y')])
      assert.deepEqual(
        plan.requests.map((r) => r.body),
        ['x\ny\n'],
      )
    }
  })

  it('sends a tombstone as DELETE in its place when asked, and drops it by default', () => {
    const records = [record(0, 'a', 'x'), record(1, 'b', null), record(2, 'c', 'z')]
    const del = planRequests(settings({ 'batching.enabled': 'true', 'behavior.on.null.values': 'delete' }), records)
    assert.deepEqual(
      del.requests.map((r) => [r.method, r.body]),
      [
        ['POST', 'x\n'],
        ['DELETE', null],
        ['POST', 'z\n'],
      ],
    )
    assert.equal(planRequests(settings({}), records).requests.length, 2)
    assert.equal(planRequests(settings({ 'behavior.on.null.values': 'fail' }), records).nullFailures.length, 1)
  })

  it('needs a URL under one of its two names', () => {
    assert.throws(() => sinkSettings(new AbstractConfig(httpSinkConfigDef(), {})), /http.url/)
    assert.equal(sinkSettings(new AbstractConfig(httpSinkConfigDef(), { 'http.api.url': 'http://h' })).url, 'http://h')
  })
})

describe('HTTP sources logic', () => {
  it('resolves JSON pointers with escapes and array indexes', () => {
    const doc = { data: { 'a/b': [{ id: 1 }, { id: 2 }] } }
    assert.equal(resolvePointer(doc, '/data/a~1b/1/id'), 2)
    assert.equal(resolvePointer(doc, '/data/missing'), undefined)
    assert.equal(resolvePointer(doc, '/'), doc)
    assert.deepEqual(parsePointerMap('key=/id, timestamp=/ts'), [
      ['key', '/id'],
      ['timestamp', '/ts'],
    ])
  })

  it('makes records from an answer, skipping the element the offset came from, and moves the offset', () => {
    const answer = {
      items: [
        { id: 3, v: 'c' },
        { id: 4, v: 'd' },
      ],
    }
    const { records, next } = recordsOfAnswer(answer, '/items', [['key', '/id']], 't', { key: '3' })
    assert.deepEqual(
      records.map((r) => [r.key, r.value, r.sourceOffset]),
      [['4', '{"id":4,"v":"d"}', { key: '4' }]],
    )
    assert.deepEqual(next, { key: '4' })
    assert.deepEqual(parseInitialOffset('key=0, page=1'), { key: '0', page: '1' })
  })

  it('checks a shared secret and an HMAC of the body', () => {
    assert.ok(secretMatches('s', 's'))
    assert.ok(!secretMatches('t', 's'))
    assert.ok(!secretMatches(undefined, 's'))
    const body = Buffer.from('{"a":1}')
    assert.ok(hmacMatches(hmacHeader(body, 'k', 'sha256'), body, 'k', 'sha256'))
    assert.ok(!hmacMatches(hmacHeader(body, 'other', 'sha256'), body, 'k', 'sha256'))
  })
})
