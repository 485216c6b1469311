import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseProperties, parsePropertiesObject } from '../../../src/util/properties-file.ts'

describe("parseProperties (Java's .properties format)", () => {
  test('reads key=value, key:value and key value entries', () => {
    assert.deepEqual(parsePropertiesObject('a=1\nb:2\nc 3\nd\t=\t4\n'), { a: '1', b: '2', c: '3', d: '4' })
  })

  test('skips comments and blank lines, including indented ones', () => {
    assert.deepEqual(parsePropertiesObject('# comment\n! also\n\n   # indented\n  key = v\n'), { key: 'v' })
  })

  test('keeps trailing whitespace of a value and drops leading whitespace', () => {
    assert.equal(parseProperties('k =   v  ').get('k'), 'v  ')
  })

  test('keeps a separator character inside the value', () => {
    assert.equal(parseProperties('url=http://a:8083/x=y').get('url'), 'http://a:8083/x=y')
  })

  test('joins continuation lines and drops the next line’s leading whitespace', () => {
    const text = 'list=a,\\\n    b,\\\n    c\nnext=1'
    assert.deepEqual(parsePropertiesObject(text), { list: 'a,b,c', next: '1' })
  })

  test('an even number of trailing backslashes is a literal backslash, not a continuation', () => {
    assert.deepEqual(parsePropertiesObject('path=C:\\\\\nx=1'), { path: 'C:\\', x: '1' })
  })

  test('unescapes \\t \\n \\uXXXX and escaped separators in keys', () => {
    const parsed = parseProperties('a\\=b\\ c=tab\\there\\nnl \\u00e9')
    assert.equal(parsed.get('a=b c'), 'tab\there\nnl é')
  })

  test('a key alone has an empty value', () => {
    assert.deepEqual(parsePropertiesObject('flag\nother='), { flag: '', other: '' })
  })

  test('a later duplicate replaces the earlier value', () => {
    assert.equal(parseProperties('k=1\nk=2').get('k'), '2')
  })

  test('accepts Windows and old Mac line endings', () => {
    assert.deepEqual(parsePropertiesObject('a=1\r\nb=2\rc=3'), { a: '1', b: '2', c: '3' })
  })

  test('rejects a malformed \\u escape', () => {
    assert.throws(() => parseProperties('k=\\u12'), /Malformed/)
  })
})
