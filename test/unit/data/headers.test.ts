import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Header, Headers } from '../../../src/data/headers.ts'
import { Schema } from '../../../src/data/schema.ts'
import { DataError } from '../../../src/errors.ts'

describe('Headers', () => {
  it('keeps headers in order and allows repeated keys', () => {
    const h = new Headers().addString('a', 'x').addInt('b', 1).addString('a', 'y')
    assert.equal(h.size, 3)
    assert.equal(h.lastWithName('a')?.value, 'y')
    assert.deepEqual(
      h.allWithName('a').map((x) => x.value),
      ['x', 'y'],
    )
  })
  it('checks a value against the schema it is added with', () => {
    assert.throws(() => new Headers().add('a', 'x', Schema.INT32_SCHEMA), DataError)
  })
  it('removes, retains the latest, and transforms headers', () => {
    const h = new Headers().addString('a', 'x').addString('b', 'y').addString('a', 'z')
    assert.deepEqual(
      h
        .duplicate()
        .retainLatest()
        .all()
        .map((x) => `${x.key}=${String(x.value)}`),
      ['b=y', 'a=z'],
    )
    assert.equal(h.duplicate().remove('a').size, 1)
    const renamed = h.duplicate().apply((x) => (x.key === 'b' ? null : x.rename('c')))
    assert.deepEqual(
      renamed.all().map((x) => x.key),
      ['c', 'c'],
    )
  })
  it('duplicates independently', () => {
    const h = new Headers().addBoolean('a', true)
    const d = h.duplicate().add(new Header('b', null, 1))
    assert.equal(h.size, 1)
    assert.equal(d.size, 2)
  })
})
