import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema } from '../../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../../src/data/schema-builder.ts'
import { Struct } from '../../../../src/data/struct.ts'
import { ConfigError } from '../../../../src/errors.ts'
import { fieldSyntaxVersionOf, SingleFieldPath } from '../../../../src/transforms/field/field-path.ts'

const v2 = (path: string) => new SingleFieldPath(path, 'V2')
const stepsV2 = (path: string) => [...v2(path).steps]

describe('Field path notation', () => {
  it('V1 keeps dots and backticks in one step', () => {
    for (const path of ['foo.bar.baz', 'foo`bar`', 'foo.`bar.baz`']) {
      assert.deepEqual([...new SingleFieldPath(path, 'V1').steps], [path])
    }
  })

  it('V2 keeps empty field names', () => {
    assert.deepEqual(stepsV2('..'), ['', '', ''])
    assert.deepEqual(stepsV2('foo..'), ['foo', '', ''])
    assert.deepEqual(stepsV2('.bar.'), ['', 'bar', ''])
    assert.deepEqual(stepsV2('..baz'), ['', '', 'baz'])
  })

  it('V2 has no steps for an empty path', () => {
    assert.deepEqual(stepsV2(''), [])
  })

  it('V2 splits at dots', () => {
    assert.deepEqual(stepsV2('foobarbaz'), ['foobarbaz'])
    assert.deepEqual(stepsV2('foo.bar.baz'), ['foo', 'bar', 'baz'])
  })

  it('V2 keeps backticks that do not wrap a step', () => {
    assert.deepEqual(stepsV2('foo`bar`baz'), ['foo`bar`baz'])
  })

  it('V2 reads a backtick-wrapped step with dots as one step', () => {
    assert.deepEqual(stepsV2('`foo.bar.baz`'), ['foo.bar.baz'])
    assert.deepEqual(stepsV2('foo.`bar.baz`'), ['foo', 'bar.baz'])
    assert.deepEqual(stepsV2('`foo.bar`.baz'), ['foo.bar', 'baz'])
    assert.deepEqual(stepsV2('foo.`bar`.baz'), ['foo', 'bar', 'baz'])
  })

  it('V2 ignores backticks that are not wrapping', () => {
    assert.deepEqual(stepsV2('foo.``bar.baz`'), ['foo', '`bar.baz'])
    assert.deepEqual(stepsV2('foo.`bar.baz``'), ['foo', 'bar.baz`'])
    assert.deepEqual(stepsV2('foo.`ba`r.baz`'), ['foo', 'ba`r.baz'])
    assert.deepEqual(stepsV2('foo.ba`r.baz'), ['foo', 'ba`r', 'baz'])
    assert.deepEqual(stepsV2('foo.``bar``.baz'), ['foo', '`bar`', 'baz'])
    assert.deepEqual(stepsV2('``foo.bar.baz``'), ['`foo.bar.baz`'])
  })

  it('V2 unescapes backslash-escaped backticks', () => {
    assert.deepEqual(stepsV2('foo.`bar\\`.baz`'), ['foo', 'bar`.baz'])
    assert.deepEqual(stepsV2('foo.`bar.`baz`'), ['foo', 'bar.`baz'])
    assert.deepEqual(stepsV2('foo.`bar\\`.`baz`'), ['foo', 'bar`.`baz'])
    assert.deepEqual(stepsV2('foo.`bar\\\\`.\\`baz`'), ['foo', 'bar\\`.\\`baz'])
  })

  it('V2 rejects an incomplete backtick pair, naming its position', () => {
    for (const [path, at] of [
      ['`foo.bar.baz', 0],
      ['foo.`bar.baz', 4],
      ['foo.bar.`baz', 8],
      ['foo.bar.`baz\\`', 8],
    ] as const) {
      assert.throws(() => v2(path), {
        name: 'ConfigError',
        message: `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
      })
    }
  })
})

describe('Field syntax version', () => {
  it('reads V1 and V2 in any case', () => {
    assert.equal(fieldSyntaxVersionOf('v1'), 'V1')
    assert.equal(fieldSyntaxVersionOf('V2'), 'V2')
  })

  it('rejects anything else', () => {
    assert.throws(() => fieldSyntaxVersionOf('v3'), ConfigError)
  })
})

describe('Single field path lookups', () => {
  const bar = SchemaBuilder.struct().field('bar', Schema.INT32_SCHEMA).build()
  const schema = SchemaBuilder.struct().field('foo', bar).build()

  it('finds fields in a schema', () => {
    assert.equal(v2('foo.bar').fieldFrom(schema), bar.field('bar'))
    assert.equal(v2('foo').fieldFrom(schema), schema.field('foo'))
  })

  it('finds no field where there is none', () => {
    assert.equal(v2('un.known').fieldFrom(schema), undefined)
    assert.equal(v2('foo.unknown').fieldFrom(schema), undefined)
    assert.equal(v2('unknown').fieldFrom(schema), undefined)
    assert.equal(v2('test').fieldFrom(null), undefined)
  })

  const map = new Map<string, unknown>([
    [
      'foo',
      new Map<string, unknown>([
        ['bar', 42],
        ['baz', null],
      ]),
    ],
  ])

  it('finds values in a map', () => {
    assert.equal(v2('foo.bar').valueFromMap(map), 42)
    assert.equal(v2('foo.baz').valueFromMap(map), null)
  })

  it('gives null for paths a map does not have', () => {
    for (const path of ['un.known', 'foo.unknown', 'unknown', 'foo.baz.inner'])
      assert.equal(v2(path).valueFromMap(map), null)
  })

  const baz = SchemaBuilder.struct().field('inner', Schema.STRING_SCHEMA).optional().build()
  const barBaz = SchemaBuilder.struct().field('bar', Schema.INT32_SCHEMA).field('baz', baz).build()
  const outer = SchemaBuilder.struct().field('foo', barBaz).build()
  const struct = new Struct(outer).put('foo', new Struct(barBaz).put('bar', 42).put('baz', null))

  it('finds values in a struct', () => {
    assert.equal(v2('foo.bar').valueFromStruct(struct), 42)
    assert.equal(v2('foo.baz').valueFromStruct(struct), null)
  })

  it('gives null for paths a struct does not have', () => {
    for (const path of ['un.known', 'foo.unknown', 'unknown', 'foo.baz.inner']) {
      assert.equal(v2(path).valueFromStruct(struct), null)
    }
  })
})
