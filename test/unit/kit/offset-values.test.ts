import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DataError } from '../../../src/errors.ts'
import { offsetLong } from '../../../src/kit/offset-values.ts'
import { decodeOffsetValue, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'

describe('offsetLong', () => {
  it('reads back exactly a 64-bit value beyond 2^53 that an offset carried as a bigint', () => {
    const lsn = 2n ** 63n - 1n
    const stored = decodeOffsetValue(encodeOffsetValue(new Map([['lsn', lsn]])) as Buffer)
    assert.equal(typeof stored.lsn, 'bigint')
    assert.equal(offsetLong(stored.lsn, 'lsn'), lsn)
  })

  it('turns a value the reader gave back as a number (within 2^53) into the same bigint', () => {
    const stored = decodeOffsetValue(encodeOffsetValue({ lsn: 27112992n }) as Buffer)
    assert.equal(stored.lsn, 27112992)
    assert.equal(offsetLong(stored.lsn, 'lsn'), 27112992n)
  })

  it('accepts decimal digits, as offsets altered through REST may hold them', () => {
    assert.equal(offsetLong('1796318608608456673', 'ts_ns'), 1796318608608456673n)
  })

  it('refuses a number that may already have lost digits, naming the field', () => {
    assert.throws(
      () => offsetLong(2 ** 60, 'lsn'),
      (e: unknown) => e instanceof DataError && /lsn/.test(e.message),
    )
    assert.throws(() => offsetLong(1.5, 'lsn'), DataError)
    assert.throws(() => offsetLong(undefined, 'lsn'), DataError)
  })
})
