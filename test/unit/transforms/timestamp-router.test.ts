import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DataError } from '../../../src/errors.ts'
import { TimestampRouter } from '../../../src/transforms/timestamp-router.ts'
import { configured, sourceRecord } from './helpers.ts'

describe('TimestampRouter', () => {
  it('appends the UTC day to the topic by default', () => {
    const out = configured(TimestampRouter).apply(sourceRecord({ topic: 'test', timestamp: 1483425001864 }))
    assert.equal(out.topic, 'test-20170103')
  })

  it('follows the configured topic and timestamp formats', () => {
    const out = configured(TimestampRouter, {
      'topic.format': ['$', '{timestamp}.$', '{topic}'].join(''),
      'timestamp.format': "yyyy-MM-dd'T'HH",
    }).apply(sourceRecord({ topic: 'logs', timestamp: 1483425001864 }))
    assert.equal(out.topic, '2017-01-03T06.logs')
  })

  it('fails for a record without timestamp', () => {
    assert.throws(() => configured(TimestampRouter).apply(sourceRecord({ topic: 'test' })), DataError)
  })

  it('rejects a pattern SimpleDateFormat would reject', () => {
    assert.throws(() => configured(TimestampRouter, { 'timestamp.format': 'bad' }), /Illegal pattern character 'b'/)
  })
})

describe('TimestampRouter cache', () => {
  it('formats again when the timestamp leaves the span the pattern shows', () => {
    const router = configured(TimestampRouter, { 'timestamp.format': 'yyyyMMddHH' })
    const topic = (timestamp: number) => router.apply(sourceRecord({ topic: 't', timestamp })).topic
    assert.equal(topic(Date.UTC(2026, 0, 1, 10, 0)), 't-2026010110')
    assert.equal(topic(Date.UTC(2026, 0, 1, 10, 59)), 't-2026010110')
    assert.equal(topic(Date.UTC(2026, 0, 1, 11, 0)), 't-2026010111')
    assert.equal(topic(Date.UTC(2025, 11, 31, 23, 0)), 't-2025123123')
  })
})
