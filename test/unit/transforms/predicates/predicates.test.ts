import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Headers } from '../../../../src/data/headers.ts'
import { ConfigError } from '../../../../src/errors.ts'
import { HasHeaderKey } from '../../../../src/transforms/predicates/has-header-key.ts'
import { RecordIsTombstone } from '../../../../src/transforms/predicates/record-is-tombstone.ts'
import { TopicNameMatches } from '../../../../src/transforms/predicates/topic-name-matches.ts'
import { configured, sourceRecord } from '../helpers.ts'

function withHeaders(...keys: string[]) {
  const headers = new Headers()
  for (const key of keys) headers.add(key, null)
  return sourceRecord({ headers })
}

describe('HasHeaderKey', () => {
  it('requires a name', () => {
    assert.throws(() => configured(HasHeaderKey, {}), {
      name: 'ConfigError',
      message: 'Missing required configuration "name" which has no default value.',
    })
  })

  it('rejects an empty name', () => {
    assert.throws(() => configured(HasHeaderKey, { name: '' }), /String must be non-empty/)
  })

  it('reports an empty name when validated', () => {
    const [name] = new HasHeaderKey().config().validate({ name: '' })
    assert.deepEqual(name?.errorMessages, ['Invalid value  for configuration name: String must be non-empty'])
    assert.deepEqual(new HasHeaderKey().config().validate({ name: 'foo' })[0]?.errorMessages, [])
  })

  it('matches records with at least one header of that name', () => {
    const predicate = configured(HasHeaderKey, { name: 'foo' })
    assert.equal(predicate.test(withHeaders('foo')), true)
    assert.equal(predicate.test(withHeaders('foo', 'bar')), true)
    assert.equal(predicate.test(withHeaders('bar', 'foo', 'bar', 'foo')), true)
    assert.equal(predicate.test(withHeaders('bar')), false)
    assert.equal(predicate.test(withHeaders('bar', 'bar')), false)
    assert.equal(predicate.test(withHeaders()), false)
  })

  it('prints like Java', () => {
    assert.equal(String(configured(HasHeaderKey, { name: 'foo' })), "HasHeaderKey{name='foo'}")
  })
})

describe('RecordIsTombstone', () => {
  it('matches records with a null value', () => {
    const predicate = configured(RecordIsTombstone)
    assert.equal(predicate.test(sourceRecord({ key: 'k' })), true)
    assert.equal(predicate.test(sourceRecord({ value: 'v' })), false)
    assert.equal(predicate.test(sourceRecord({ value: 0 })), false)
  })
})

describe('TopicNameMatches', () => {
  it('requires a pattern', () => {
    assert.throws(() => configured(TopicNameMatches, {}), /Missing required configuration "pattern"/)
  })

  it('rejects an empty pattern', () => {
    assert.throws(() => configured(TopicNameMatches, { pattern: '' }), /String must be non-empty/)
  })

  it('rejects an invalid regex', () => {
    assert.throws(
      () => configured(TopicNameMatches, { pattern: '[' }),
      (e: unknown) => {
        return e instanceof ConfigError && e.message.includes('Invalid regex')
      },
    )
  })

  it('reports one invalid-regex error when validated', () => {
    const errors = new TopicNameMatches().config().validate({ pattern: '*' })[0]?.errorMessages ?? []
    assert.equal(errors.length, 1)
    assert.match(errors[0] as string, /Invalid regex/)
    assert.deepEqual(new TopicNameMatches().config().validate({ pattern: 'my-prefix-.*' })[0]?.errorMessages, [])
  })

  it('matches whole topic names only', () => {
    const predicate = configured(TopicNameMatches, { pattern: 'my-prefix-.*' })
    const topic = (t: string) => predicate.test(sourceRecord({ topic: t }))
    assert.equal(topic('my-prefix-'), true)
    assert.equal(topic('my-prefix-foo'), true)
    assert.equal(topic('x-my-prefix-'), false)
    assert.equal(topic('x-my-prefix-foo'), false)
    assert.equal(topic('your-prefix-'), false)
    assert.equal(topic('your-prefix-foo'), false)
    assert.equal(predicate.test(sourceRecord({ topic: null as unknown as string })), false)
  })
})
