import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Schema } from '../../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../../src/data/schema-builder.ts'
import { compileJavaRegex, javaReplacement } from '../../../../src/transforms/util/java-regex.ts'
import { SchemaCache } from '../../../../src/transforms/util/schema-cache.ts'
import { SimpleDateFormat } from '../../../../src/transforms/util/simple-date-format.ts'

// Instants Java and JavaScript both represent, years 1000 to 9999.
const instant = fc.integer({ min: -30_610_224_000_000, max: 253_402_300_799_999 }).map((ms) => new Date(ms))

describe('SimpleDateFormat', () => {
  it('reads back every instant it writes with a full pattern', () => {
    const format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
    fc.assert(fc.property(instant, (d) => format.parse(format.format(d)).getTime() === d.getTime()))
  })

  it('reads back abutting numeric fields', () => {
    const format = new SimpleDateFormat('yyyyMMddHHmmssSSS')
    fc.assert(fc.property(instant, (d) => format.parse(format.format(d)).getTime() === d.getTime()))
  })

  it('writes what the UTC calendar says', () => {
    const format = new SimpleDateFormat('EEE, d MMM yyyy hh:mm a')
    assert.equal(format.format(new Date(Date.UTC(2017, 0, 3, 6, 30))), 'Tue, 3 Jan 2017 06:30 AM')
    assert.equal(format.format(new Date(Date.UTC(2017, 0, 3, 18, 5))), 'Tue, 3 Jan 2017 06:05 PM')
  })

  it('reads a time zone offset', () => {
    const format = new SimpleDateFormat('yyyy-MM-dd HH:mm Z')
    assert.equal(format.parse('2017-01-03 08:00 +0200').getTime(), Date.UTC(2017, 0, 3, 6, 0))
  })

  it('keeps quoted text and doubled quotes', () => {
    assert.equal(new SimpleDateFormat("'at' HH 'o''clock'").format(new Date(Date.UTC(2017, 0, 3, 6))), "at 06 o'clock")
  })

  it('gives the time span its text lasts', () => {
    assert.equal(new SimpleDateFormat('yyyyMMdd').resolutionMillis, 86_400_000)
    assert.equal(new SimpleDateFormat('yyyyMMddHH').resolutionMillis, 3_600_000)
    assert.equal(new SimpleDateFormat('HH:mm:ss.SSS').resolutionMillis, 1)
  })
})

describe('Java regex replacement', () => {
  it('with the whole match as $0 gives the input back', () => {
    const regex = compileJavaRegex('[a-z0-9.-]+', true)
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.-]{1,20}$/), (topic) => {
        const match = regex.exec(topic) as RegExpExecArray
        return javaReplacement('$0', match) === topic
      }),
    )
  })

  it('takes a backslash before any character literally', () => {
    const match = /x/.exec('x') as RegExpExecArray
    assert.equal(javaReplacement('\\$\\\\\\a', match), '$\\a')
  })

  it('reads a multi-digit group only when that group exists', () => {
    const match = /(a)/.exec('a') as RegExpExecArray
    assert.equal(javaReplacement('$10', match), 'a0')
  })
})

describe('Schema cache', () => {
  it('never holds more than its bound, evicting the least recently used', () => {
    const cache = new SchemaCache<number>(2)
    const a = SchemaBuilder.struct().name('a').build()
    const b = SchemaBuilder.struct().name('b').build()
    const c = SchemaBuilder.struct().name('c').build()
    cache.put(a, 1)
    cache.put(b, 2)
    assert.equal(cache.get(a), 1)
    cache.put(c, 3)
    assert.equal(cache.size, 2)
    assert.equal(cache.get(b), undefined)
    assert.equal(cache.get(a), 1)
  })

  it('finds an equal schema that is another object', () => {
    const cache = new SchemaCache<string>()
    cache.put(SchemaBuilder.struct().field('x', Schema.INT32_SCHEMA).build(), 'hit')
    assert.equal(cache.get(SchemaBuilder.struct().field('x', Schema.INT32_SCHEMA).build()), 'hit')
  })

  it('stays within its bound whatever the schemas', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 60 }), (names) => {
        const cache = new SchemaCache<number>()
        names.forEach((n, i) => {
          cache.put(SchemaBuilder.struct().name(`n${n}`).build(), i)
        })
        return cache.size <= 16
      }),
    )
  })
})
