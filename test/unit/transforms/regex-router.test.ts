import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from '../../../src/errors.ts'
import { RegexRouter } from '../../../src/transforms/regex-router.ts'
import { configured, sinkRecord } from './helpers.ts'

function route(regex: string, replacement: string, topic: string): string {
  const router = configured(RegexRouter, { regex, replacement })
  const out = router.apply(sinkRecord({ topic })).topic
  router.close()
  return out
}

describe('RegexRouter', () => {
  it('replaces a matching topic with a static one', () => {
    assert.equal(route('foo', 'bar', 'foo'), 'bar')
  })

  it('keeps a topic that does not match', () => {
    assert.equal(route('foo', 'bar', 'orig'), 'orig')
  })

  it('keeps a topic that matches only in part', () => {
    assert.equal(route('foo', 'bar', 'foo-orig'), 'foo-orig')
  })

  it('inserts a group: identity', () => {
    assert.equal(route('(.*)', '$1', 'orig'), 'orig')
  })

  it('inserts a group: prefix', () => {
    assert.equal(route('(.*)', 'prefix-$1', 'orig'), 'prefix-orig')
  })

  it('inserts a group: suffix', () => {
    assert.equal(route('(.*)', '$1-suffix', 'orig'), 'orig-suffix')
  })

  it('keeps one group of several', () => {
    assert.equal(route('(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117'), 'index')
  })

  it('inserts named groups', () => {
    const replacement = ['$', '{table}_$', '{db}'].join('')
    assert.equal(route('(?<db>\\w+)\\.(?<table>\\w+)', replacement, 'shop.orders'), 'orders_shop')
  })

  it('takes a backslash-escaped dollar literally', () => {
    assert.equal(route('a', 'cost\\$', 'a'), 'cost$')
  })

  it('honours a leading case-insensitive flag', () => {
    assert.equal(route('(?i)FOO', 'bar', 'foo'), 'bar')
  })

  it('rejects an invalid regex', () => {
    assert.throws(() => configured(RegexRouter, { regex: '(', replacement: 'x' }), {
      name: 'ConfigError',
      message: /^Invalid value \( for configuration regex: Invalid regex: /,
    })
  })

  it('requires a replacement', () => {
    assert.throws(() => configured(RegexRouter, { regex: 'x' }), ConfigError)
  })
})
